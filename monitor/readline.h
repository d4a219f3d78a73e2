/* Line editor for the human monitor: raw terminal bytes in (VT100/xterm escape sequences),
 * echo and redraw out, whole command lines handed on; history and word completion. */
#ifndef MONITOR_READLINE_H
#define MONITOR_READLINE_H

#include <stdbool.h>
#include <stddef.h>

#define READLINE_MAX_LINE 1024
#define READLINE_MAX_HISTORY 64
#define READLINE_MAX_COMPLETIONS 256

typedef void ReadLineOutputFn(void *opaque, const char *buf, size_t len);
typedef void ReadLineLineFn(void *opaque, const char *line);

/* Candidates for the word under the cursor; the completion callback adds every word that
 * can stand at that position, readline keeps those starting with what was typed. */
typedef struct ReadLineCompletions {
    const char *words[READLINE_MAX_COMPLETIONS];
    int nr;
} ReadLineCompletions;
void readline_add_completion(ReadLineCompletions *c, const char *word);
/* before_cursor: the line up to the cursor. */
typedef void ReadLineCompleteFn(void *opaque, const char *before_cursor, ReadLineCompletions *c);

typedef enum {
    RL_STATE_NORMAL,
    RL_STATE_ESC,       /* after ESC */
    RL_STATE_CSI,       /* after ESC [ (parameters may follow) */
    RL_STATE_SS3,       /* after ESC O */
} ReadLineEscState;

typedef struct ReadLineState {
    char line[READLINE_MAX_LINE];
    size_t len, pos;                /* bytes in line, cursor position */
    char *history[READLINE_MAX_HISTORY];    /* oldest first */
    int nr_history;
    int history_index;              /* entry shown, or nr_history for the line being typed */
    char pending[READLINE_MAX_LINE];        /* the typed line while browsing history */
    ReadLineEscState esc_state;
    int esc_param;
    bool last_was_cr;               /* swallow the LF of a CR LF pair */
    bool plain;                     /* output is no terminal: no escape sequences */
    const char *prompt;
    ReadLineOutputFn *output;
    ReadLineLineFn *on_line;
    ReadLineCompleteFn *complete;
    void *opaque;
} ReadLineState;

void readline_init(ReadLineState *rs, const char *prompt, ReadLineOutputFn *output,
                   ReadLineLineFn *on_line, ReadLineCompleteFn *complete, void *opaque);
void readline_destroy(ReadLineState *rs);
/* Feeds raw input bytes; complete lines go to on_line (which may print and then call
 * readline_show_prompt). */
void readline_feed(ReadLineState *rs, const char *buf, size_t len);
/* Prints the prompt and the line being edited (after command output or a focus change). */
void readline_show_prompt(ReadLineState *rs);
/* The line being edited (NUL-terminated) and the cursor, for tests. */
const char *readline_current(const ReadLineState *rs, size_t *cursor);
void readline_add_history(ReadLineState *rs, const char *line);
/* Forgets the line being edited and any half-received escape sequence (new client). */
void readline_reset_line(ReadLineState *rs);

#endif
