/* The curses display (-display curses, ncursesw): the shown console's text cells (VGA
 * text mode, or a text console) drawn in the terminal with the VGA colours and code page
 * 437 as Unicode, the cursor where the guest put it; typed characters become key presses
 * on the guest's keyboard (en-us), Alt-1..9 (ESC then a digit) switch consoles as in
 * QEMU. Only cells that changed are redrawn; in a graphics mode a one-line notice shows. */
#include "config-host.h"
#ifdef CONFIG_CURSES
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include "system/main-loop.h"
#include "ui/console.h"
#include "ui/display.h"
#include "ui/input.h"
#include "ui/text-console.h"
#include "util/cutils.h"

#define MAX_CELLS (160 * 100)

typedef struct CursesDisplay {
    DisplayListener dl;
    TextCell shown[MAX_CELLS];      /* what the terminal shows */
    TextCell cells[MAX_CELLS];      /* the console now */
    int cols, rows;
    bool graphic_notice, escape;
} CursesDisplay;

static CursesDisplay *cd;

static void curses_colors(void)
{
    static const short vga_to_curses[8] = {
        COLOR_BLACK, COLOR_BLUE, COLOR_GREEN, COLOR_CYAN,
        COLOR_RED, COLOR_MAGENTA, COLOR_YELLOW, COLOR_WHITE,
    };

    start_color();
    for (int fg = 0; fg < 8; fg++) {
        for (int bg = 0; bg < 8; bg++) {
            if (fg * 8 + bg + 1 < COLOR_PAIRS) {
                init_pair(fg * 8 + bg + 1, vga_to_curses[fg], vga_to_curses[bg]);
            }
        }
    }
}

static void curses_put(int x, int y, TextCell c)
{
    wchar_t wc[2] = { cp437_to_unicode(c.ch), 0 };
    cchar_t cc;
    attr_t attrs = (c.attr & 0x08) ? A_BOLD : A_NORMAL;
    int pair = (c.attr & 7) * 8 + ((c.attr >> 4) & 7) + 1;

    setcchar(&cc, wc, attrs, pair < COLOR_PAIRS ? pair : 0, NULL);
    mvadd_wch(y, x, &cc);
}

static void curses_draw_cells(const TextCell *cells, int cols, int rows, bool full)
{
    int w = MIN(cols, COLS), h = MIN(rows, LINES);

    if (full || cols != cd->cols || rows != cd->rows || cd->graphic_notice) {
        erase();
        full = true;
    }
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            TextCell c = cells[y * cols + x];
            TextCell *old = &cd->shown[y * cols + x];
            if (full || c.ch != old->ch || c.attr != old->attr) {
                curses_put(x, y, c);
            }
        }
    }
    memcpy(cd->shown, cells, sizeof(TextCell) * cols * rows);
    cd->cols = cols;
    cd->rows = rows;
    cd->graphic_notice = false;
}

static void curses_show(bool full)
{
    TextCell *cells = cd->cells;
    DisplayConsole *con = cd->dl.con;
    int cols, rows, cx, cy;

    if (!con || !con->hw_ops->text_cells ||
        !con->hw_ops->text_cells(con->hw, cells, MAX_CELLS, &cols, &rows, &cx, &cy)) {
        if (!cd->graphic_notice && con && con->surface) {
            erase();
            mvprintw(0, 0, "%d x %d Graphic mode", con->surface->width, con->surface->height);
            cd->graphic_notice = true;
            curs_set(0);
            refresh();
        }
        return;
    }
    curses_draw_cells(cells, cols, rows, full);
    if (cx >= 0 && cx < COLS && cy < LINES) {
        curs_set(1);
        move(cy, cx);
    } else {
        curs_set(0);
    }
    refresh();
}

static void curses_tap(const char *name, bool shift, bool ctrl)
{
    int q = name ? input_qnum_from_name(name) : -1;

    if (q < 0) {
        return;
    }
    if (shift) {
        input_key(Q_SHIFT, true);
    }
    if (ctrl) {
        input_key(Q_CTRL, true);
    }
    input_key(q, true);
    input_key(q, false);
    if (ctrl) {
        input_key(Q_CTRL, false);
    }
    if (shift) {
        input_key(Q_SHIFT, false);
    }
}

static const char *curses_special(wint_t k)
{
    static const struct { wint_t code; const char *name; } keys[] = {
        { KEY_UP, "up" }, { KEY_DOWN, "down" }, { KEY_LEFT, "left" }, { KEY_RIGHT, "right" },
        { KEY_HOME, "home" }, { KEY_END, "end" }, { KEY_PPAGE, "pgup" }, { KEY_NPAGE, "pgdn" },
        { KEY_IC, "insert" }, { KEY_DC, "delete" }, { KEY_BACKSPACE, "backspace" },
        { KEY_ENTER, "ret" },
    };
    static const char *const fkeys[] = { "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8",
                                         "f9", "f10", "f11", "f12" };

    if (k >= KEY_F(1) && k <= KEY_F(12)) {
        return fkeys[k - KEY_F(1)];
    }
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (keys[i].code == k) {
            return keys[i].name;
        }
    }
    return NULL;
}

/* A character or control byte typed: to a text console as bytes, to the guest as keys. */
static void curses_char(wint_t c)
{
    DisplayConsole *con = cd->dl.con;
    bool shift = false;
    const char *name;

    if (con && con->kind == CONSOLE_TEXT) {
        char b = c == '\n' ? '\r' : (char)c;
        text_console_input(con, &b, 1);
        return;
    }
    switch (c) {
    case '\r': case '\n': curses_tap("ret", false, false); return;
    case '\t': curses_tap("tab", false, false); return;
    case 0x7f: case 0x08: curses_tap("backspace", false, false); return;
    case 0x1b: curses_tap("esc", false, false); return;
    default: break;
    }
    if (c >= 1 && c <= 26) {
        curses_tap(input_key_for_ascii('a' + c - 1, NULL), false, true);
        return;
    }
    name = c < 0x80 ? input_key_for_ascii(c, &shift) : NULL;
    curses_tap(name, shift, false);
}

static void curses_key(int type, wint_t k)
{
    DisplayConsole *con = cd->dl.con;

    if (cd->escape) {
        cd->escape = false;
        if (type == OK && k >= '1' && k <= '9') {          /* Alt-N: console N */
            display_listener_select(&cd->dl, k - '1');
            curses_show(true);
            return;
        }
        curses_char(0x1b);
    }
    if (type == KEY_CODE_YES) {
        const char *name = curses_special(k);
        if (con && con->kind == CONSOLE_TEXT) {
            text_console_key(con, name, false);
        } else {
            curses_tap(name, false, false);
        }
    } else if (k == 0x1b) {
        cd->escape = true;
    } else {
        curses_char(k);
    }
}

static void curses_stdin(void *opaque)
{
    wint_t k;
    int type;

    while ((type = get_wch(&k)) != ERR) {
        curses_key(type, k);
    }
    if (cd->escape) {                   /* a lone ESC */
        cd->escape = false;
        curses_char(0x1b);
    }
}

static void curses_switched(DisplayListener *dl, DisplayConsole *con)
{
    curses_show(true);
}

static void curses_refresh(DisplayListener *dl)
{
    curses_show(false);
}

static const DisplayListenerOps curses_ops = {
    .switched = curses_switched,
    .refresh = curses_refresh,
};

int curses_display_init(const DisplayOptions *opts, Error **errp)
{
    setlocale(LC_CTYPE, "");
    if (!newterm(NULL, stdout, stdin)) {
        error_setg(errp, "-display curses: cannot use the terminal (TERM=%s)",
                   getenv("TERM") ? getenv("TERM") : "");
        return -1;
    }
    cd = xzalloc(sizeof(*cd));
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curses_colors();
    main_loop_set_fd_handler(0, curses_stdin, NULL, NULL);
    cd->dl.ops = &curses_ops;
    cd->dl.refresh_ms = 30;
    display_listener_register(&cd->dl, console_get(0));
    return 0;
}

void curses_display_fini(void)
{
    if (!cd) {
        return;
    }
    display_listener_unregister(&cd->dl);
    main_loop_set_fd_handler(0, NULL, NULL, NULL);
    endwin();
    free(cd);
    cd = NULL;
}
#else
#include "ui/display.h"

int curses_display_init(const DisplayOptions *opts, Error **errp)
{
    error_setg(errp, "-display curses: this Mimic was built without curses "
               "(libncurses-dev)");
    return -1;
}

void curses_display_fini(void)
{
}
#endif
