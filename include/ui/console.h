/* The display core: surfaces (32-bit XRGB pixel buffers with dirty rectangles), the list of
 * consoles a back end can show (the guest's display first, then text consoles for the
 * monitor and serial chardevs) and the listeners (SDL, VNC, curses) that show them.
 * See docs/display.md. Everything here runs in the main loop with the big lock held. */
#ifndef UI_CONSOLE_H
#define UI_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "util/error.h"

/* Pixels are uint32_t 0xXXRRGGBB in host order, the top byte undefined
 * (SDL_PIXELFORMAT_RGB888, VNC's 32-bit true colour with shifts 16/8/0). */
typedef struct DisplaySurface {
    int width, height;
    int stride;                 /* in pixels */
    uint32_t *data;
    bool borrowed;              /* data belongs to the device (surface_new_shared) */
} DisplaySurface;

#define SURFACE_MAX_WIDTH 4096
#define SURFACE_MAX_HEIGHT 4096

DisplaySurface *surface_new(int width, int height);
/* A surface over the device's own pixels (stride in pixels), not copied nor freed. */
DisplaySurface *surface_new_shared(int width, int height, uint32_t *data, int stride);
void surface_free(DisplaySurface *s);
static inline uint32_t *surface_row(DisplaySurface *s, int y)
{
    return s->data + (size_t)y * s->stride;
}

/* A rectangle; w == 0 means empty. */
typedef struct Rect {
    int x, y, w, h;
} Rect;
void rect_union(Rect *acc, int x, int y, int w, int h);
/* Clips r to width x height; false if nothing is left. */
bool rect_clip(Rect *r, int width, int height);

typedef struct DisplayConsole DisplayConsole;

/* A graphic console's device: update() redraws what changed since the last call into the
 * console's surface (resizing it with console_resize, marking with console_dirty);
 * invalidate() makes the next update redraw everything; text_cells() gives the text-mode
 * screen (curses) or returns false when the device is not in a text mode. */
typedef struct TextCell {
    uint8_t ch;                 /* code page 437 */
    uint8_t attr;               /* VGA attribute: fg bits 0-3, bg bits 4-6, blink 7 */
} TextCell;

typedef struct GraphicHwOps {
    void (*update)(void *opaque);
    void (*invalidate)(void *opaque);
    /* up to cols*rows cells into cells; sets *cols, *rows, cursor (-1: hidden) */
    bool (*text_cells)(void *opaque, TextCell *cells, int max, int *cols, int *rows,
                       int *cursor_x, int *cursor_y);
} GraphicHwOps;

typedef enum { CONSOLE_GRAPHIC, CONSOLE_TEXT } ConsoleKind;

struct DisplayConsole {
    int index;
    ConsoleKind kind;
    char *name;                 /* "VGA", "compat_monitor0", "serial0" */
    DisplaySurface *surface;
    Rect dirty;                 /* changed since listeners were last told */
    bool resized;
    const GraphicHwOps *hw_ops;
    void *hw;
    struct TextConsole *text;   /* CONSOLE_TEXT */
};

/* The guest's display (hw: the device). Consoles are numbered in creation order. */
DisplayConsole *graphic_console_new(const char *name, const GraphicHwOps *ops, void *hw);
/* A text console (ui/text-console.c makes them for "vc" chardevs); no surface yet. */
DisplayConsole *text_console_new(const char *name, const GraphicHwOps *ops, void *hw);
void console_destroy(DisplayConsole *con);
DisplayConsole *console_get(int index);
int console_count(void);
/* The first graphic console, or NULL. */
DisplayConsole *console_graphic(void);

/* Called by the device from update(): a new size (allocates a new surface, everything
 * dirty; -1 if the size is out of range) and changed rectangles. */
int console_resize(DisplayConsole *con, int width, int height);
/* The surface becomes a view of the device's pixels (a 32 bpp framebuffer in XRGB order):
 * nothing is copied, the device only marks what changed. A new view if any differ. */
int console_resize_shared(DisplayConsole *con, int width, int height, uint32_t *data,
                          int stride);
void console_dirty(DisplayConsole *con, int x, int y, int w, int h);
/* Asks the device to redraw (update, after invalidate when full). */
void console_update(DisplayConsole *con, bool full);

/* A back end. Callbacks get the console it shows; refresh_ms is how often it wants
 * console_refresh (0: never, e.g. a back end that polls itself). */
typedef struct DisplayListener DisplayListener;
typedef struct DisplayListenerOps {
    void (*switched)(DisplayListener *dl, DisplayConsole *con);  /* new console or size */
    void (*update)(DisplayListener *dl, DisplayConsole *con, Rect r);
    void (*refresh)(DisplayListener *dl);                        /* after each tick */
} DisplayListenerOps;

struct DisplayListener {
    const DisplayListenerOps *ops;
    DisplayConsole *con;        /* what it shows */
    int refresh_ms;
    DisplayListener *next;
};

void display_listener_register(DisplayListener *dl, DisplayConsole *con);
void display_listener_unregister(DisplayListener *dl);
/* Shows console index on dl (Ctrl-Alt-1/2/3); false if there is no such console. */
bool display_listener_select(DisplayListener *dl, int index);
/* One refresh tick: updates the consoles listeners show, tells them what changed. */
void display_refresh(void);

/* Screen dumps (PPM P6, or PNG) of a console's current surface, after a full update. */
int screendump_write(DisplayConsole *con, const char *path, bool png, Error **errp);
int png_write(FILE *f, const DisplaySurface *s, Error **errp);
/* The monitor's screendump: device NULL = the graphic console; format NULL/ppm/png. */
int display_screendump(const char *path, const char *device, const char *format,
                       Error **errp);

#endif
