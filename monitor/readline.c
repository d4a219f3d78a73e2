/* Line editor for the human monitor: VT100/xterm key sequences (ECMA-48 CSI and SS3),
 * Emacs-style control keys, history and completion, redrawing the line after each edit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/readline.h"
#include "util/cutils.h"

#define KEY_CTRL(c) ((c) & 0x1f)
#define KEY_ESC 0x1b
#define KEY_DEL 0x7f

void readline_init(ReadLineState *rs, const char *prompt, ReadLineOutputFn *output,
                   ReadLineLineFn *on_line, ReadLineCompleteFn *complete, void *opaque)
{
    memset(rs, 0, sizeof(*rs));
    rs->prompt = prompt;
    rs->output = output;
    rs->on_line = on_line;
    rs->complete = complete;
    rs->opaque = opaque;
}

void readline_destroy(ReadLineState *rs)
{
    for (int i = 0; i < rs->nr_history; i++) {
        free(rs->history[i]);
    }
    rs->nr_history = 0;
}

void readline_reset_line(ReadLineState *rs)
{
    rs->len = rs->pos = 0;
    rs->line[0] = '\0';
    rs->esc_state = RL_STATE_NORMAL;
    rs->last_was_cr = false;
    rs->history_index = rs->nr_history;
}

const char *readline_current(const ReadLineState *rs, size_t *cursor)
{
    if (cursor) {
        *cursor = rs->pos;
    }
    return rs->line;
}

static void rl_out(ReadLineState *rs, const char *s, size_t len)
{
    if (rs->output && len) {
        rs->output(rs->opaque, s, len);
    }
}

static void rl_puts(ReadLineState *rs, const char *s)
{
    rl_out(rs, s, strlen(s));
}

/* UTF-8 aware steps: the cursor moves over whole characters (continuation bytes are
 * 10xxxxxx), and the terminal counts characters, not bytes. */
static bool is_continuation(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t rl_prev_char(const ReadLineState *rs, size_t pos)
{
    while (pos > 0) {
        pos--;
        if (!is_continuation(rs->line[pos])) {
            break;
        }
    }
    return pos;
}

static size_t rl_next_char(const ReadLineState *rs, size_t pos)
{
    if (pos < rs->len) {
        pos++;
        while (pos < rs->len && is_continuation(rs->line[pos])) {
            pos++;
        }
    }
    return pos;
}

static size_t rl_count_chars(const ReadLineState *rs, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        n += !is_continuation(rs->line[i]);
    }
    return n;
}

/* Redraws prompt and line from column 0 and puts the terminal cursor at rs->pos. */
static void rl_redraw(ReadLineState *rs)
{
    char move[32];
    rl_puts(rs, "\r");
    rl_puts(rs, rs->prompt);
    rl_out(rs, rs->line, rs->len);
    if (rs->plain) {
        return;         /* a pipe or file: no clear-to-end or cursor moves */
    }
    rl_puts(rs, "\033[K");
    if (rs->len > rs->pos) {
        snprintf(move, sizeof(move), "\033[%zuD", rl_count_chars(rs, rs->pos, rs->len));
        rl_puts(rs, move);
    }
}

void readline_show_prompt(ReadLineState *rs)
{
    rl_redraw(rs);
}

static void rl_set_line(ReadLineState *rs, const char *text)
{
    size_t n = MIN(strlen(text), sizeof(rs->line) - 1);
    memcpy(rs->line, text, n);
    rs->line[n] = '\0';
    rs->len = rs->pos = n;
}

static void rl_insert(ReadLineState *rs, const char *text, size_t n)
{
    n = MIN(n, sizeof(rs->line) - 1 - rs->len);
    if (n == 0) {
        return;
    }
    memmove(rs->line + rs->pos + n, rs->line + rs->pos, rs->len - rs->pos);
    memcpy(rs->line + rs->pos, text, n);
    rs->len += n;
    rs->pos += n;
    rs->line[rs->len] = '\0';
    if (rs->pos == rs->len) {
        rl_out(rs, text, n);     /* typing at the end: plain echo */
    } else {
        rl_redraw(rs);
    }
}

/* Deletes [from, to) of the line. */
static void rl_delete_range(ReadLineState *rs, size_t from, size_t to)
{
    if (from >= to || to > rs->len) {
        return;
    }
    memmove(rs->line + from, rs->line + to, rs->len - to);
    rs->len -= to - from;
    rs->line[rs->len] = '\0';
    rs->pos = from;
    rl_redraw(rs);
}

static void rl_move_to(ReadLineState *rs, size_t pos)
{
    if (pos != rs->pos && pos <= rs->len) {
        rs->pos = pos;
        rl_redraw(rs);
    }
}

static size_t rl_word_start(const ReadLineState *rs, size_t pos)
{
    while (pos > 0 && rs->line[pos - 1] == ' ') {
        pos--;
    }
    while (pos > 0 && rs->line[pos - 1] != ' ') {
        pos--;
    }
    return pos;
}

void readline_add_history(ReadLineState *rs, const char *line)
{
    if (!*line || (rs->nr_history && !strcmp(rs->history[rs->nr_history - 1], line))) {
        return;
    }
    if (rs->nr_history == READLINE_MAX_HISTORY) {
        free(rs->history[0]);
        memmove(rs->history, rs->history + 1, (READLINE_MAX_HISTORY - 1) * sizeof(char *));
        rs->nr_history--;
    }
    rs->history[rs->nr_history++] = xstrdup(line);
    rs->history_index = rs->nr_history;
}

/* Up (delta -1) or down (+1) through the history; the line being typed is kept aside. */
static void rl_history_move(ReadLineState *rs, int delta)
{
    int target = rs->history_index + delta;
    if (target < 0 || target > rs->nr_history) {
        return;
    }
    if (rs->history_index == rs->nr_history) {
        memcpy(rs->pending, rs->line, rs->len + 1);
    }
    rs->history_index = target;
    rl_set_line(rs, target == rs->nr_history ? rs->pending : rs->history[target]);
    rl_redraw(rs);
}

static void rl_enter(ReadLineState *rs)
{
    char line[READLINE_MAX_LINE];
    memcpy(line, rs->line, rs->len + 1);
    rl_puts(rs, "\r\n");
    readline_add_history(rs, line);
    rs->history_index = rs->nr_history;     /* also when the line was not added */
    rs->len = rs->pos = 0;
    rs->line[0] = '\0';
    if (rs->on_line) {
        rs->on_line(rs->opaque, line);
    }
}

void readline_add_completion(ReadLineCompletions *c, const char *word)
{
    if (c->nr < READLINE_MAX_COMPLETIONS) {
        c->words[c->nr++] = word;
    }
}

/* Shows the candidates below the line, then the prompt again. */
static void rl_list_completions(ReadLineState *rs, const char *const *words, int nr)
{
    rl_puts(rs, "\r\n");
    for (int i = 0; i < nr; i++) {
        rl_puts(rs, words[i]);
        rl_puts(rs, (i % 4 == 3 || i == nr - 1) ? "\r\n" : "  ");
    }
    rl_redraw(rs);
}

static void rl_complete(ReadLineState *rs)
{
    ReadLineCompletions all = { .nr = 0 };
    const char *match[READLINE_MAX_COMPLETIONS];
    char before[READLINE_MAX_LINE];
    int nr = 0;

    if (!rs->complete) {
        return;
    }
    memcpy(before, rs->line, rs->pos);
    before[rs->pos] = '\0';
    size_t start = rs->pos;
    while (start > 0 && before[start - 1] != ' ') {
        start--;
    }
    const char *word = before + start;
    size_t wlen = strlen(word);
    rs->complete(rs->opaque, before, &all);
    for (int i = 0; i < all.nr; i++) {
        if (!strncmp(all.words[i], word, wlen)) {
            match[nr++] = all.words[i];
        }
    }
    if (nr == 0) {
        return;
    }
    /* longest common prefix of the matches */
    size_t common = strlen(match[0]);
    for (int i = 1; i < nr; i++) {
        size_t k = 0;
        while (k < common && match[i][k] == match[0][k]) {
            k++;
        }
        common = k;
    }
    if (common > wlen) {
        rl_insert(rs, match[0] + wlen, common - wlen);
    }
    if (nr == 1) {
        rl_insert(rs, " ", 1);
    } else if (common == wlen) {
        rl_list_completions(rs, match, nr);
    }
}

/* The final byte of an ESC [ ... or ESC O sequence. */
static void rl_escape_final(ReadLineState *rs, char c)
{
    switch (c) {
    case 'A': rl_history_move(rs, -1); break;
    case 'B': rl_history_move(rs, 1); break;
    case 'C': rl_move_to(rs, rl_next_char(rs, rs->pos)); break;
    case 'D': rl_move_to(rs, rl_prev_char(rs, rs->pos)); break;
    case 'H': rl_move_to(rs, 0); break;
    case 'F': rl_move_to(rs, rs->len); break;
    case '~':
        switch (rs->esc_param) {
        case 1: case 7: rl_move_to(rs, 0); break;
        case 4: case 8: rl_move_to(rs, rs->len); break;
        case 3: rl_delete_range(rs, rs->pos, rl_next_char(rs, rs->pos)); break;
        default: break;
        }
        break;
    default:
        break;      /* unknown sequence: ignored */
    }
}

/* Returns true if c was consumed by an escape sequence in progress. */
static bool rl_escape_byte(ReadLineState *rs, char c)
{
    switch (rs->esc_state) {
    case RL_STATE_NORMAL:
        return false;
    case RL_STATE_ESC:
        rs->esc_param = 0;
        rs->esc_state = c == '[' ? RL_STATE_CSI : c == 'O' ? RL_STATE_SS3 : RL_STATE_NORMAL;
        return true;
    case RL_STATE_CSI:
        if (c >= '0' && c <= '9') {
            rs->esc_param = MIN(rs->esc_param * 10 + (c - '0'), 1000);
            return true;
        }
        if (c == ';') {
            return true;
        }
        break;
    case RL_STATE_SS3:
        break;
    }
    rs->esc_state = RL_STATE_NORMAL;
    rl_escape_final(rs, c);
    return true;
}

static void rl_control_key(ReadLineState *rs, char c)
{
    switch (c) {
    case KEY_CTRL('A'): rl_move_to(rs, 0); break;
    case KEY_CTRL('E'): rl_move_to(rs, rs->len); break;
    case KEY_CTRL('B'): rl_move_to(rs, rl_prev_char(rs, rs->pos)); break;
    case KEY_CTRL('F'): rl_move_to(rs, rl_next_char(rs, rs->pos)); break;
    case KEY_CTRL('D'): rl_delete_range(rs, rs->pos, rl_next_char(rs, rs->pos)); break;
    case KEY_CTRL('K'): rl_delete_range(rs, rs->pos, rs->len); break;
    case KEY_CTRL('U'): rl_delete_range(rs, 0, rs->pos); break;
    case KEY_CTRL('W'): rl_delete_range(rs, rl_word_start(rs, rs->pos), rs->pos); break;
    case KEY_CTRL('P'): rl_history_move(rs, -1); break;
    case KEY_CTRL('N'): rl_history_move(rs, 1); break;
    case KEY_CTRL('H'): case KEY_DEL:
        if (rs->pos > 0) {
            rl_delete_range(rs, rl_prev_char(rs, rs->pos), rs->pos);
        }
        break;
    case '\t': rl_complete(rs); break;
    case KEY_ESC: rs->esc_state = RL_STATE_ESC; break;
    default: break;     /* other control bytes are ignored */
    }
}

static void rl_byte(ReadLineState *rs, char c)
{
    bool was_cr = rs->last_was_cr;
    rs->last_was_cr = c == '\r';
    if (rl_escape_byte(rs, c)) {
        return;
    }
    if (c == '\r' || (c == '\n' && !was_cr)) {
        rl_enter(rs);
    } else if (c == '\n') {
        return;     /* LF of CR LF */
    } else if ((unsigned char)c < 0x20 || c == KEY_DEL) {
        rl_control_key(rs, c);
    } else {
        rl_insert(rs, &c, 1);
    }
}

void readline_feed(ReadLineState *rs, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        rl_byte(rs, buf[i]);
    }
}
