/* Choosing and starting the display back ends from the command line: -display
 * none|sdl|curses|vnc=..., -vnc, -full-screen, -nographic. See docs/display.md. */
#ifndef UI_DISPLAY_H
#define UI_DISPLAY_H

#include <stdbool.h>
#include "util/error.h"

typedef enum { DISPLAY_NONE, DISPLAY_SDL, DISPLAY_CURSES } DisplayType;

typedef struct DisplayOptions {
    DisplayType type;
    bool full_screen;           /* -full-screen */
    bool window_close;          /* sdl,window-close=on (default): closing quits */
    const char *name;           /* -name guest=, for the window title */
    char *vnc;                  /* -vnc or -display vnc=: the server's address, or NULL */
    bool vnc_password;          /* password=on */
} DisplayOptions;

/* Parses -display (NULL: the default: sdl when built with SDL and $DISPLAY or
 * $WAYLAND_DISPLAY is set, else none), -vnc (NULL: none) and the flags into opts. */
int display_parse(const char *display, const char *vnc, bool nographic, bool full_screen,
                  DisplayOptions *opts, Error **errp);
/* True if the display shows consoles, so that the monitor and serial port default to
 * text consoles on it (QEMU's "vc"). */
bool display_wants_vc(const DisplayOptions *opts);
/* Starts the back ends (after the machine's devices exist); -1 with *errp. */
int display_init(DisplayOptions *opts, Error **errp);
void display_cleanup(DisplayOptions *opts);

/* The back ends (ui/sdl.c, ui/vnc.c, ui/curses.c). */
int sdl_display_init(const DisplayOptions *opts, Error **errp);
void sdl_display_fini(void);
int vnc_display_init(const DisplayOptions *opts, Error **errp);
void vnc_display_fini(void);
int curses_display_init(const DisplayOptions *opts, Error **errp);
void curses_display_fini(void);

#endif
