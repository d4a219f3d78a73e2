/* Text consoles ("vc" chardevs, QEMU's -serial vc / -monitor vc and the defaults with a
 * window): an 80x30 terminal of 8x16 cells (640x480) understanding the VT100 subset the
 * monitor and a serial console use (CR, LF, BS, TAB, ESC [ n A/B/C/D/H/J/K/m, SGR colours),
 * drawn only where cells changed; keys typed into it go to the chardev's front end. */
#include <stdlib.h>
#include <string.h>
#include "chardev/chardev-internal.h"
#include "ui/text-console.h"
#include "util/cutils.h"

#define TC_COLS 80
#define TC_ROWS 30
#define TC_ATTR 0x07                /* light grey on black */

enum { ST_NORMAL, ST_ESC, ST_CSI };

typedef struct TextConsole {
    DisplayConsole *con;
    Chardev *chr;
    TextCell cells[TC_ROWS * TC_COLS];
    uint8_t dirty[TC_ROWS * TC_COLS];
    int x, y, drawn_x, drawn_y;
    uint8_t attr;
    int state, params[4], nparams;
    uint8_t pending[256];           /* typed but not taken by the front end yet */
    int npending;
} TextConsole;

static const uint32_t tc_palette[16] = {
    0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
    0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

static void tc_mark(TextConsole *tc, int x, int y)
{
    if (x >= 0 && x < TC_COLS && y >= 0 && y < TC_ROWS) {
        tc->dirty[y * TC_COLS + x] = 1;
    }
}

static void tc_clear(TextConsole *tc, int from, int to)
{
    for (int i = from; i < to; i++) {
        tc->cells[i] = (TextCell){ ' ', tc->attr };
        tc->dirty[i] = 1;
    }
}

static void tc_newline(TextConsole *tc)
{
    if (++tc->y < TC_ROWS) {
        return;
    }
    tc->y = TC_ROWS - 1;
    memmove(tc->cells, tc->cells + TC_COLS, sizeof(TextCell) * TC_COLS * (TC_ROWS - 1));
    memset(tc->dirty, 1, sizeof(tc->dirty));
    tc_clear(tc, TC_COLS * (TC_ROWS - 1), TC_COLS * TC_ROWS);
}

static void tc_put(TextConsole *tc, uint8_t ch)
{
    if (tc->x >= TC_COLS) {
        tc->x = 0;
        tc_newline(tc);
    }
    tc->cells[tc->y * TC_COLS + tc->x] = (TextCell){ ch, tc->attr };
    tc_mark(tc, tc->x, tc->y);
    tc->x++;
}

/* SGR: 0 reset, 1 bold (bright), 30-37 foreground, 40-47 background. */
static void tc_sgr(TextConsole *tc)
{
    static const uint8_t ansi_to_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

    for (int i = 0; i < MAX(tc->nparams, 1); i++) {
        int p = tc->params[i];
        if (p == 0) {
            tc->attr = TC_ATTR;
        } else if (p == 1) {
            tc->attr |= 0x08;
        } else if (p >= 30 && p <= 37) {
            tc->attr = (tc->attr & 0xf8) | ansi_to_vga[p - 30];
        } else if (p >= 40 && p <= 47) {
            tc->attr = (tc->attr & 0x8f) | ansi_to_vga[p - 40] << 4;
        }
    }
}

static void tc_csi(TextConsole *tc, uint8_t final)
{
    int n = MAX(tc->params[0], 1), row = tc->y * TC_COLS;

    switch (final) {
    case 'A': tc->y = MAX(tc->y - n, 0); break;
    case 'B': tc->y = MIN(tc->y + n, TC_ROWS - 1); break;
    case 'C': tc->x = MIN(tc->x + n, TC_COLS - 1); break;
    case 'D': tc->x = MAX(MIN(tc->x, TC_COLS - 1) - n, 0); break;
    case 'H': case 'f':
        tc->y = MIN(MAX(tc->params[0], 1), TC_ROWS) - 1;
        tc->x = MIN(MAX(tc->params[1], 1), TC_COLS) - 1;
        break;
    case 'J':
        tc_clear(tc, tc->params[0] == 2 ? 0 : row + MIN(tc->x, TC_COLS), TC_ROWS * TC_COLS);
        break;
    case 'K':
        tc_clear(tc, tc->params[0] ? row : row + MIN(tc->x, TC_COLS),
                 tc->params[0] == 1 ? row + MIN(tc->x + 1, TC_COLS) : row + TC_COLS);
        break;
    case 'm':
        tc_sgr(tc);
        break;
    default:                        /* modes (?7l ...) and the rest: ignored */
        break;
    }
}

static void tc_byte_normal(TextConsole *tc, uint8_t b)
{
    switch (b) {
    case 0x1b: tc->state = ST_ESC; break;
    case '\r': tc->x = 0; break;
    case '\n': tc_newline(tc); break;
    case '\b': tc->x = MAX(MIN(tc->x, TC_COLS) - 1, 0); break;
    case '\t': tc->x = MIN((tc->x + 8) & ~7, TC_COLS - 1); break;
    case 7: break;
    default:
        if (b >= 0x20) {
            tc_put(tc, b);
        }
        break;
    }
}

static void tc_byte(TextConsole *tc, uint8_t b)
{
    switch (tc->state) {
    case ST_ESC:
        tc->state = b == '[' ? ST_CSI : ST_NORMAL;
        memset(tc->params, 0, sizeof(tc->params));
        tc->nparams = 0;
        break;
    case ST_CSI:
        if (b >= '0' && b <= '9') {
            int *p = &tc->params[MIN(tc->nparams, 3)];
            *p = MIN(*p * 10 + (b - '0'), 9999);
            tc->nparams = MAX(tc->nparams, 1);
        } else if (b == ';') {
            tc->nparams = MIN(MAX(tc->nparams, 1) + 1, 4);
        } else if (b >= 0x40) {
            tc_csi(tc, b);
            tc->state = ST_NORMAL;
        }
        break;
    default:
        tc_byte_normal(tc, b);
        break;
    }
}

/* ---- drawing ---------------------------------------------------------------------------- */

static void tc_draw_cell(TextConsole *tc, int x, int y, bool cursor)
{
    const uint8_t *font = font_8x16();
    TextCell c = tc->cells[y * TC_COLS + x];
    uint32_t fg = tc_palette[c.attr & 15], bg = tc_palette[(c.attr >> 4) & 7];

    for (int l = 0; l < 16; l++) {
        uint32_t *dst = surface_row(tc->con->surface, y * 16 + l) + x * 8;
        unsigned bits = font ? font[c.ch * 16 + l] : (c.ch != ' ' && (l == 2 || l == 13)) ? 0x7e : 0;
        if (cursor && l >= 13 && l <= 14) {
            bits = 0xff;
        }
        for (int i = 0; i < 8; i++) {
            dst[i] = (bits >> (7 - i)) & 1 ? fg : bg;
        }
    }
    console_dirty(tc->con, x * 8, y * 16, 8, 16);
}

static void tc_update(void *opaque)
{
    TextConsole *tc = opaque;
    int cx = MIN(tc->x, TC_COLS - 1);

    if (cx != tc->drawn_x || tc->y != tc->drawn_y) {
        tc_mark(tc, tc->drawn_x, tc->drawn_y);
        tc_mark(tc, cx, tc->y);
        tc->drawn_x = cx;
        tc->drawn_y = tc->y;
    }
    for (int i = 0; i < TC_ROWS * TC_COLS; i++) {
        if (tc->dirty[i]) {
            tc->dirty[i] = 0;
            tc_draw_cell(tc, i % TC_COLS, i / TC_COLS, i == tc->y * TC_COLS + cx);
        }
    }
}

static void tc_invalidate(void *opaque)
{
    TextConsole *tc = opaque;

    memset(tc->dirty, 1, sizeof(tc->dirty));
}

static bool tc_text_cells(void *opaque, TextCell *cells, int max, int *cols, int *rows,
                          int *cursor_x, int *cursor_y)
{
    TextConsole *tc = opaque;

    if (max < TC_ROWS * TC_COLS) {
        return false;
    }
    memcpy(cells, tc->cells, sizeof(tc->cells));
    *cols = TC_COLS;
    *rows = TC_ROWS;
    *cursor_x = MIN(tc->x, TC_COLS - 1);
    *cursor_y = tc->y;
    return true;
}

static const GraphicHwOps tc_hw_ops = {
    .update = tc_update,
    .invalidate = tc_invalidate,
    .text_cells = tc_text_cells,
};

/* ---- keyboard ------------------------------------------------------------------------------ */

static void tc_flush_input(TextConsole *tc)
{
    int n = MIN(chardev_be_can_read(tc->chr), tc->npending);

    if (n > 0) {
        chardev_be_read(tc->chr, tc->pending, n);
        memmove(tc->pending, tc->pending + n, tc->npending - n);
        tc->npending -= n;
    }
}

void text_console_input(DisplayConsole *con, const char *text, size_t len)
{
    TextConsole *tc = con->text;

    if (!tc) {
        return;
    }
    len = MIN(len, sizeof(tc->pending) - tc->npending);
    memcpy(tc->pending + tc->npending, text, len);
    tc->npending += len;
    tc_flush_input(tc);
}

typedef struct KeySeq {
    const char *name, *seq;
} KeySeq;

static const KeySeq key_seqs[] = {
    { "ret", "\r" }, { "kp_enter", "\r" }, { "backspace", "\x7f" }, { "tab", "\t" },
    { "esc", "\x1b" }, { "up", "\x1b[A" }, { "down", "\x1b[B" }, { "right", "\x1b[C" },
    { "left", "\x1b[D" }, { "home", "\x1b[H" }, { "end", "\x1b[F" },
    { "delete", "\x1b[3~" }, { "pgup", "\x1b[5~" }, { "pgdn", "\x1b[6~" },
};

void text_console_key(DisplayConsole *con, const char *keyname, bool ctrl)
{
    if (!keyname) {
        return;
    }
    if (ctrl && strlen(keyname) == 1 && keyname[0] >= 'a' && keyname[0] <= 'z') {
        char c = keyname[0] - 'a' + 1;
        text_console_input(con, &c, 1);
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(key_seqs); i++) {
        if (!strcmp(key_seqs[i].name, keyname)) {
            text_console_input(con, key_seqs[i].seq, strlen(key_seqs[i].seq));
            return;
        }
    }
}

/* ---- the vc chardev backend ----------------------------------------------------------------- */

static int vc_open(Chardev *chr, KeyValList *opts, Error **errp)
{
    TextConsole *tc;

    /* QEMU's size options are taken; the console is always 80x30 */
    keyval_get(opts, "width");
    keyval_get(opts, "height");
    keyval_get(opts, "cols");
    keyval_get(opts, "rows");
    if (chardev_check_options(chr, opts, errp) < 0) {
        return -1;
    }
    tc = xzalloc(sizeof(*tc));
    tc->chr = chr;
    tc->attr = TC_ATTR;
    tc->con = text_console_new(chr->id, &tc_hw_ops, tc);
    if (!tc->con || console_resize(tc->con, TC_COLS * 8, TC_ROWS * 16) < 0) {
        error_setg(errp, "chardev '%s': too many consoles", chr->id);
        free(tc);
        return -1;
    }
    tc->con->text = tc;
    tc_clear(tc, 0, TC_ROWS * TC_COLS);
    chr->opaque = tc;
    chr->be_open = true;
    chardev_set_filename(chr, "vc");
    return 0;
}

static int vc_write(Chardev *chr, const uint8_t *buf, int len)
{
    TextConsole *tc = chr->opaque;

    for (int i = 0; i < len; i++) {
        tc_byte(tc, buf[i]);
    }
    return len;
}

static void vc_accept_input(Chardev *chr)
{
    tc_flush_input(chr->opaque);
}

static void vc_close(Chardev *chr)
{
    TextConsole *tc = chr->opaque;

    if (tc) {
        console_destroy(tc->con);
        free(tc);
        chr->opaque = NULL;
    }
}

const ChardevBackend chardev_vc_backend = {
    .name = "vc",
    .open = vc_open,
    .write = vc_write,
    .accept_input = vc_accept_input,
    .close = vc_close,
};
