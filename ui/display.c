/* The display back ends as the command line chooses them (QEMU's rules): -nographic and
 * -display none show nothing; -display sdl (the default with a host display), curses,
 * vnc=ADDR; -vnc ADDR adds a VNC server and, without -display, means no window. */
#include <stdlib.h>
#include <string.h>
#include "config-host.h"
#include "ui/display.h"
#include "ui/vnc.h"
#include "util/cutils.h"
#include "util/keyval.h"

static int parse_sdl(KeyValList *kv, DisplayOptions *opts, Error **errp)
{
    const char *gl = keyval_get(kv, "gl");

    if (gl && strcmp(gl, "off")) {
        error_setg(errp, "-display sdl,gl=%s: OpenGL is not supported by Mimic", gl);
        return -1;
    }
    if (keyval_get_bool(kv, "window-close", true, &opts->window_close, errp) < 0) {
        return -1;
    }
    keyval_get(kv, "grab-mod");         /* accepted: the grab keys are Ctrl-Alt */
    keyval_get(kv, "show-cursor");
    return keyval_check_unused(kv, "-display", errp);
}

static int parse_display(const char *spec, DisplayOptions *opts, Error **errp)
{
    KeyValList kv;
    int ret = 0;

    if (!strncmp(spec, "vnc=", 4)) {            /* -display vnc=:0 is -vnc :0 */
        opts->type = DISPLAY_NONE;
        free(opts->vnc);
        opts->vnc = xstrdup(spec + 4);
        return 0;
    }
    if (keyval_parse(spec, "type", &kv, errp) < 0) {
        return -1;
    }
    const char *type = keyval_get(&kv, "type");
    if (!strcmp(type, "none")) {
        opts->type = DISPLAY_NONE;
        ret = keyval_check_unused(&kv, "-display", errp);
    } else if (!strcmp(type, "sdl")) {
        opts->type = DISPLAY_SDL;
        ret = parse_sdl(&kv, opts, errp);
    } else if (!strcmp(type, "curses")) {
        opts->type = DISPLAY_CURSES;
        keyval_get(&kv, "charset");
        ret = keyval_check_unused(&kv, "-display", errp);
    } else {
        error_setg(errp, "-display %s: unknown display type", spec);
        ret = -1;
    }
    keyval_free(&kv);
    return ret;
}

static bool host_display_available(void)
{
#ifdef CONFIG_SDL
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (wl && *wl);
#else
    return false;
#endif
}

int display_parse(const char *display, const char *vnc, bool nographic, bool full_screen,
                  DisplayOptions *opts, Error **errp)
{
    opts->full_screen = full_screen;
    opts->window_close = true;
    opts->vnc = vnc ? xstrdup(vnc) : NULL;
    if (display) {
        return parse_display(display, opts, errp);
    }
    opts->type = !nographic && !vnc && host_display_available() ? DISPLAY_SDL : DISPLAY_NONE;
    return 0;
}

bool display_wants_vc(const DisplayOptions *opts)
{
    return opts->type != DISPLAY_NONE || opts->vnc;
}

int display_init(DisplayOptions *opts, Error **errp)
{
    int ret = 0;

    vnc_monitor_init();
    switch (opts->type) {
    case DISPLAY_SDL:
#ifdef CONFIG_SDL
        ret = sdl_display_init(opts, errp);
#else
        error_setg(errp, "-display sdl: this Mimic was built without SDL (libsdl2-dev)");
        ret = -1;
#endif
        break;
    case DISPLAY_CURSES:
        ret = curses_display_init(opts, errp);
        break;
    default:
        break;
    }
    if (ret == 0 && opts->vnc) {
        ret = vnc_display_init(opts, errp);
    }
    return ret;
}

void display_cleanup(DisplayOptions *opts)
{
#ifdef CONFIG_SDL
    sdl_display_fini();
#endif
    curses_display_fini();
    vnc_display_fini();
    free(opts->vnc);
    opts->vnc = NULL;
}
