/* The console list and the listeners that show consoles: the guest's graphic console is
 * number 0 when there is one, text consoles (monitor, serial) follow. A realtime timer
 * ticks only while some listener wants refreshes, so -display none costs nothing. */
#include <stdlib.h>
#include <string.h>
#include "system/timer.h"
#include "ui/console.h"
#include "util/cutils.h"

#define MAX_CONSOLES 16

static DisplayConsole *consoles[MAX_CONSOLES];
static int nr_consoles;
static DisplayListener *listeners;
static Timer *refresh_timer;

/* Consoles are kept in QEMU's order for Ctrl-Alt-N: the guest's display, then the
 * monitors, then the serial ports, then the rest, each in creation order. */
static int console_rank(const DisplayConsole *con)
{
    if (con->kind == CONSOLE_GRAPHIC) {
        return 0;
    }
    if (!strncmp(con->name, "compat_monitor", 14) || !strncmp(con->name, "monitor", 7)) {
        return 1;
    }
    return !strncmp(con->name, "serial", 6) ? 2 : 3;
}

static DisplayConsole *console_add(ConsoleKind kind, const char *name)
{
    DisplayConsole *con;
    int at;

    if (nr_consoles == MAX_CONSOLES) {
        return NULL;
    }
    con = xzalloc(sizeof(*con));
    con->kind = kind;
    con->name = xstrdup(name);
    for (at = nr_consoles; at > 0 && console_rank(consoles[at - 1]) > console_rank(con); at--) {
    }
    memmove(&consoles[at + 1], &consoles[at], (nr_consoles - at) * sizeof(consoles[0]));
    consoles[at] = con;
    nr_consoles++;
    for (int i = 0; i < nr_consoles; i++) {
        consoles[i]->index = i;
    }
    return con;
}

DisplayConsole *graphic_console_new(const char *name, const GraphicHwOps *ops, void *hw)
{
    DisplayConsole *con = console_add(CONSOLE_GRAPHIC, name);

    if (con) {
        con->hw_ops = ops;
        con->hw = hw;
        console_resize(con, 640, 480);
    }
    return con;
}

DisplayConsole *text_console_new(const char *name, const GraphicHwOps *ops, void *hw)
{
    DisplayConsole *con = console_add(CONSOLE_TEXT, name);

    if (con) {
        con->hw_ops = ops;
        con->hw = hw;
    }
    return con;
}

void console_destroy(DisplayConsole *con)
{
    int i;

    for (DisplayListener *dl = listeners; dl; dl = dl->next) {
        if (dl->con == con) {
            dl->con = NULL;
        }
    }
    for (i = 0; i < nr_consoles && consoles[i] != con; i++) {
    }
    if (i == nr_consoles) {
        return;
    }
    memmove(&consoles[i], &consoles[i + 1], (nr_consoles - i - 1) * sizeof(consoles[0]));
    nr_consoles--;
    for (int j = 0; j < nr_consoles; j++) {
        consoles[j]->index = j;
    }
    surface_free(con->surface);
    free(con->name);
    free(con);
}

DisplayConsole *console_get(int index)
{
    return index >= 0 && index < nr_consoles ? consoles[index] : NULL;
}

int console_count(void)
{
    return nr_consoles;
}

DisplayConsole *console_graphic(void)
{
    for (int i = 0; i < nr_consoles; i++) {
        if (consoles[i]->kind == CONSOLE_GRAPHIC) {
            return consoles[i];
        }
    }
    return NULL;
}

static void console_set_surface(DisplayConsole *con, DisplaySurface *s)
{
    int width = s->width, height = s->height;

    surface_free(con->surface);
    con->surface = s;
    con->resized = true;
    con->dirty = (Rect){ 0, 0, width, height };
}

int console_resize(DisplayConsole *con, int width, int height)
{
    DisplaySurface *s;

    if (con->surface && !con->surface->borrowed && con->surface->width == width &&
        con->surface->height == height) {
        return 0;
    }
    s = surface_new(width, height);
    if (!s) {
        return -1;
    }
    console_set_surface(con, s);
    return 0;
}

int console_resize_shared(DisplayConsole *con, int width, int height, uint32_t *data,
                          int stride)
{
    DisplaySurface *s = con->surface;

    if (s && s->borrowed && s->data == data && s->stride == stride && s->width == width &&
        s->height == height) {
        return 0;
    }
    s = surface_new_shared(width, height, data, stride);
    if (!s) {
        return -1;
    }
    console_set_surface(con, s);
    return 0;
}

void console_dirty(DisplayConsole *con, int x, int y, int w, int h)
{
    rect_union(&con->dirty, x, y, w, h);
}

void console_update(DisplayConsole *con, bool full)
{
    if (full && con->hw_ops && con->hw_ops->invalidate) {
        con->hw_ops->invalidate(con->hw);
    }
    if (con->hw_ops && con->hw_ops->update) {
        con->hw_ops->update(con->hw);
    }
}

/* ---- listeners ------------------------------------------------------------------------- */

static void refresh_tick(void *opaque);

static int refresh_period_ms(void)
{
    int ms = 0;

    for (DisplayListener *dl = listeners; dl; dl = dl->next) {
        if (dl->refresh_ms > 0 && (!ms || dl->refresh_ms < ms)) {
            ms = dl->refresh_ms;
        }
    }
    return ms;
}

static void refresh_arm(void)
{
    int ms = refresh_period_ms();

    if (!ms) {
        if (refresh_timer) {
            timer_del(refresh_timer);
        }
        return;
    }
    if (!refresh_timer) {
        refresh_timer = timer_new(CLK_REALTIME, refresh_tick, NULL);
    }
    timer_mod(refresh_timer, clock_get_ns(CLK_REALTIME) + ms * NS_PER_MS);
}

static void refresh_tick(void *opaque)
{
    display_refresh();
    refresh_arm();
}

static void listener_show(DisplayListener *dl, DisplayConsole *con)
{
    dl->con = con;
    if (con) {
        console_update(con, true);
        if (dl->ops->switched) {
            dl->ops->switched(dl, con);
        }
    }
}

void display_listener_register(DisplayListener *dl, DisplayConsole *con)
{
    dl->next = listeners;
    listeners = dl;
    listener_show(dl, con);
    refresh_arm();
}

void display_listener_unregister(DisplayListener *dl)
{
    for (DisplayListener **p = &listeners; *p; p = &(*p)->next) {
        if (*p == dl) {
            *p = dl->next;
            break;
        }
    }
    dl->next = NULL;
    refresh_arm();
}

bool display_listener_select(DisplayListener *dl, int index)
{
    DisplayConsole *con = console_get(index);

    if (!con) {
        return false;
    }
    listener_show(dl, con);
    return true;
}

static bool console_shown(DisplayConsole *con)
{
    for (DisplayListener *dl = listeners; dl; dl = dl->next) {
        if (dl->con == con) {
            return true;
        }
    }
    return false;
}

/* Tells every listener of con about its new size or changed rectangle. */
static void console_flush(DisplayConsole *con)
{
    bool resized = con->resized;
    Rect r = con->dirty;

    con->resized = false;
    con->dirty = (Rect){ 0, 0, 0, 0 };
    if (!con->surface || (!resized && !rect_clip(&r, con->surface->width,
                                                 con->surface->height))) {
        return;
    }
    for (DisplayListener *dl = listeners; dl; dl = dl->next) {
        if (dl->con != con) {
            continue;
        }
        if (resized && dl->ops->switched) {
            dl->ops->switched(dl, con);
        } else if (!resized && dl->ops->update) {
            dl->ops->update(dl, con, r);
        }
    }
}

void display_refresh(void)
{
    for (int i = 0; i < nr_consoles; i++) {
        DisplayConsole *con = consoles[i];
        if (console_shown(con)) {
            console_update(con, false);
            console_flush(con);
        }
    }
    for (DisplayListener *dl = listeners; dl; dl = dl->next) {
        if (dl->ops->refresh) {
            dl->ops->refresh(dl);
        }
    }
}
