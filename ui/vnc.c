/* The VNC server (-vnc [HOST]:N, -vnc unix:PATH, ,password=on) on Debian's libvncserver,
 * which brings RFB 3.3-3.8, the raw, CopyRect, hextile, zlib, tight and ZRLE encodings,
 * desktop resize, VNC authentication and any number of clients (docs/display.md says why
 * a library rather than our own server). The framebuffer given to the library is the shown
 * console's surface itself; changed rectangles are marked and sent on the refresh tick.
 * Keys arrive as X keysyms and are mapped through the en-us layout to scancodes. */
#include "config-host.h"
#ifdef CONFIG_VNC
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <rfb/rfb.h>
#include <rfb/keysym.h>
#include "monitor/monitor.h"
#include "system/main-loop.h"
#include "ui/console.h"
#include "ui/display.h"
#include "ui/input.h"
#include "ui/text-console.h"
#include "ui/vnc.h"
#include "util/cutils.h"

typedef struct VNCDisplay {
    DisplayListener dl;
    rfbScreenInfoPtr screen;
    char *passwords[2];         /* authPasswdData: the password, NULL-terminated */
    bool password_auth;
    int unix_fd;                /* unix:PATH listening socket, or -1 */
    char *unix_path;
    bool ctrl, alt;
    int last_buttons;
    char desktop_name[128];
} VNCDisplay;

static VNCDisplay *vnc;

/* ---- keys ------------------------------------------------------------------------------ */

typedef struct KeysymName {
    int keysym;
    const char *name;
} KeysymName;

static const KeysymName special_keys[] = {
    { XK_BackSpace, "backspace" }, { XK_Tab, "tab" }, { XK_Return, "ret" },
    { XK_Escape, "esc" }, { XK_Delete, "delete" }, { XK_Home, "home" }, { XK_Left, "left" },
    { XK_Up, "up" }, { XK_Right, "right" }, { XK_Down, "down" }, { XK_Page_Up, "pgup" },
    { XK_Page_Down, "pgdn" }, { XK_End, "end" }, { XK_Insert, "insert" },
    { XK_F1, "f1" }, { XK_F2, "f2" }, { XK_F3, "f3" }, { XK_F4, "f4" }, { XK_F5, "f5" },
    { XK_F6, "f6" }, { XK_F7, "f7" }, { XK_F8, "f8" }, { XK_F9, "f9" }, { XK_F10, "f10" },
    { XK_F11, "f11" }, { XK_F12, "f12" }, { XK_Shift_L, "shift" }, { XK_Shift_R, "shift_r" },
    { XK_Control_L, "ctrl" }, { XK_Control_R, "ctrl_r" }, { XK_Caps_Lock, "caps_lock" },
    { XK_Alt_L, "alt" }, { XK_Alt_R, "alt_r" }, { XK_Meta_L, "alt" }, { XK_Meta_R, "alt_r" },
    { XK_Super_L, "meta_l" }, { XK_Super_R, "meta_r" }, { XK_Menu, "menu" },
    { XK_Print, "print" }, { XK_Num_Lock, "num_lock" }, { XK_Scroll_Lock, "scroll_lock" },
    { XK_KP_Enter, "kp_enter" }, { XK_KP_Add, "kp_add" }, { XK_KP_Subtract, "kp_subtract" },
    { XK_KP_Multiply, "kp_multiply" }, { XK_KP_Divide, "kp_divide" },
    { XK_KP_Decimal, "kp_decimal" }, { XK_KP_0, "kp_0" }, { XK_KP_1, "kp_1" },
    { XK_KP_2, "kp_2" }, { XK_KP_3, "kp_3" }, { XK_KP_4, "kp_4" }, { XK_KP_5, "kp_5" },
    { XK_KP_6, "kp_6" }, { XK_KP_7, "kp_7" }, { XK_KP_8, "kp_8" }, { XK_KP_9, "kp_9" },
};

static const char *keysym_name(int keysym)
{
    if (keysym >= 0x20 && keysym < 0x7f) {
        return input_key_for_ascii(keysym, NULL);
    }
    for (size_t i = 0; i < ARRAY_SIZE(special_keys); i++) {
        if (special_keys[i].keysym == keysym) {
            return special_keys[i].name;
        }
    }
    return NULL;
}

static bool vnc_hotkey(int keysym)
{
    if (keysym >= '1' && keysym <= '9') {
        input_release_all();
        display_listener_select(&vnc->dl, keysym - '1');
        return true;
    }
    return false;
}

static void vnc_key(rfbBool down, rfbKeySym keysym, rfbClientPtr cl)
{
    const char *name = keysym_name(keysym);
    DisplayConsole *con = vnc->dl.con;

    if (keysym == XK_Control_L || keysym == XK_Control_R) {
        vnc->ctrl = down;
    } else if (keysym == XK_Alt_L || keysym == XK_Alt_R) {
        vnc->alt = down;
    } else if (down && vnc->ctrl && vnc->alt && vnc_hotkey(keysym)) {
        return;
    }
    if (con && con->kind == CONSOLE_TEXT) {
        if (down && keysym >= 0x20 && keysym < 0x7f && !vnc->ctrl) {
            char c = keysym;
            text_console_input(con, &c, 1);
        } else if (down) {
            text_console_key(con, name, vnc->ctrl);
        }
        return;
    }
    if (name) {
        input_key(input_qnum_from_name(name), down);
    }
}

/* ---- pointer --------------------------------------------------------------------------- */

static void vnc_pointer(int mask, int x, int y, rfbClientPtr cl)
{
    DisplaySurface *s = vnc->dl.con ? vnc->dl.con->surface : NULL;
    unsigned buttons = (mask & 1 ? INPUT_BUTTON_LEFT : 0) | (mask & 2 ? INPUT_BUTTON_MIDDLE : 0) |
                       (mask & 4 ? INPUT_BUTTON_RIGHT : 0);
    int dz = (mask & 8 ? -1 : 0) + (mask & 16 ? 1 : 0);

    if (s && vnc->dl.con->kind == CONSOLE_GRAPHIC) {
        input_pointer_abs(x * INPUT_ABS_MAX / MAX(s->width - 1, 1),
                          y * INPUT_ABS_MAX / MAX(s->height - 1, 1), dz, buttons);
    }
    rfbDefaultPtrAddEvent(mask, x, y, cl);
}

/* ---- the framebuffer ----------------------------------------------------------------------- */

static void vnc_set_format(rfbScreenInfoPtr screen)
{
    /* our pixels are 0x00RRGGBB words */
    screen->serverFormat.redShift = 16;
    screen->serverFormat.greenShift = 8;
    screen->serverFormat.blueShift = 0;
}

static void vnc_switched(DisplayListener *dl, DisplayConsole *con)
{
    DisplaySurface *s = con->surface;
    rfbScreenInfoPtr screen = vnc->screen;

    if (!s) {
        return;
    }
    if (screen->width != s->width || screen->height != s->height) {
        rfbNewFramebuffer(screen, (char *)s->data, s->width, s->height, 8, 3, 4);
        vnc_set_format(screen);
    } else {
        screen->frameBuffer = (char *)s->data;
    }
    screen->paddedWidthInBytes = s->stride * 4;     /* a device's view may have wider lines */
    rfbMarkRectAsModified(screen, 0, 0, s->width, s->height);
}

static void vnc_update(DisplayListener *dl, DisplayConsole *con, Rect r)
{
    if ((char *)con->surface->data != vnc->screen->frameBuffer) {
        vnc_switched(dl, con);
        return;
    }
    rfbMarkRectAsModified(vnc->screen, r.x, r.y, r.x + r.w, r.y + r.h);
}

static void vnc_refresh(DisplayListener *dl)
{
    rfbProcessEvents(vnc->screen, 0);
}

static const DisplayListenerOps vnc_ops = {
    .switched = vnc_switched,
    .update = vnc_update,
    .refresh = vnc_refresh,
};

/* ---- listening ------------------------------------------------------------------------------ */

static void vnc_unix_accept(void *opaque)
{
    int fd = accept(vnc->unix_fd, NULL, NULL);

    if (fd >= 0) {
        rfbNewClient(vnc->screen, fd);
    }
}

static int vnc_listen_unix(const char *path, Error **errp)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    if (strlen(path) >= sizeof(sa.sun_path)) {
        error_setg(errp, "-vnc unix:%s: the path is too long", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    unlink(path);
    vnc->unix_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (vnc->unix_fd < 0 || bind(vnc->unix_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(vnc->unix_fd, 8) < 0) {
        error_setg_errno(errp, errno, "-vnc unix:%s: cannot listen", path);
        return -1;
    }
    vnc->unix_path = xstrdup(path);
    main_loop_set_fd_handler(vnc->unix_fd, vnc_unix_accept, NULL, NULL);
    return 0;
}

/* HOST:N (port 5900 + N; no host: every address; "localhost": the loopback) or unix:PATH. */
static int vnc_listen(const char *addr, Error **errp)
{
    rfbScreenInfoPtr screen = vnc->screen;
    const char *colon = strrchr(addr, ':');
    char *end, host[64];
    long n;

    screen->port = screen->ipv6port = 0;
    screen->autoPort = FALSE;
    if (!strncmp(addr, "unix:", 5)) {
        return vnc_listen_unix(addr + 5, errp);
    }
    n = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || end == colon + 1 || *end || n < 0 || n > 65535 - 5900 ||
        (size_t)(colon - addr) >= sizeof(host)) {
        error_setg(errp, "-vnc %s: expected [HOST]:DISPLAY or unix:PATH", addr);
        return -1;
    }
    snprintf(host, sizeof(host), "%.*s", (int)(colon - addr), addr);
    screen->port = 5900 + n;
    if (!strcmp(host, "localhost")) {
        strcpy(host, "127.0.0.1");
    }
    if (*host && !rfbStringToAddr(host, &screen->listenInterface)) {
        error_setg(errp, "-vnc %s: cannot resolve '%s'", addr, host);
        return -1;
    }
    if (*host) {
        screen->ipv6port = 0;
    } else {
        screen->ipv6port = screen->port;
    }
    return 0;
}

/* "ADDR[,password=on][,share=...][,to=N][,lossy=on]...": the address and the options. */
static int vnc_parse(const char *spec, char **addr, bool *password, Error **errp)
{
    char *copy = xstrdup(spec), *save = NULL, *item;
    int ret = 0;

    *addr = NULL;
    for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        if (!*addr) {
            *addr = xstrdup(item);
        } else if (!strcmp(item, "password") || !strcmp(item, "password=on")) {
            *password = true;
        } else if (!strcmp(item, "password=off")) {
            *password = false;
        } else if (!strncmp(item, "share=", 6) || !strncmp(item, "to=", 3) ||
                   !strncmp(item, "lossy", 5) || !strncmp(item, "id=", 3) ||
                   !strncmp(item, "non-adaptive", 12)) {
            /* accepted: every client shares the display */
        } else {
            error_setg(errp, "-vnc %s: option '%s' is not supported by Mimic", spec, item);
            ret = -1;
            break;
        }
    }
    free(copy);
    if (ret == 0 && !*addr) {
        error_setg(errp, "-vnc: an address is needed (e.g. -vnc :0)");
        ret = -1;
    }
    return ret;
}

static void vnc_no_log(const char *format, ...)
{
}

int vnc_display_init(const DisplayOptions *opts, Error **errp)
{
    char *addr;
    bool password = false;

    if (vnc) {
        error_setg(errp, "-vnc %s: only one VNC server", opts->vnc);
        return -1;
    }
    if (vnc_parse(opts->vnc, &addr, &password, errp) < 0) {
        free(addr);
        return -1;
    }
    rfbLog = vnc_no_log;
    vnc = xzalloc(sizeof(*vnc));
    vnc->unix_fd = -1;
    int argc = 1;
    char *argv[] = { (char *)"mimic", NULL };
    vnc->screen = rfbGetScreen(&argc, argv, 640, 480, 8, 3, 4);
    vnc_set_format(vnc->screen);
    vnc->screen->alwaysShared = TRUE;
    vnc->screen->kbdAddEvent = vnc_key;
    vnc->screen->ptrAddEvent = vnc_pointer;
    snprintf(vnc->desktop_name, sizeof(vnc->desktop_name), opts->name ? "Mimic (%s)" : "Mimic",
             opts->name);
    vnc->screen->desktopName = vnc->desktop_name;
    vnc->password_auth = password;
    if (password) {
        vnc->screen->authPasswdData = vnc->passwords;   /* empty: nobody until set_password */
        vnc->screen->passwordCheck = rfbCheckPasswordByList;
    }
    if (vnc_listen(addr, errp) < 0) {
        free(addr);
        vnc_display_fini();
        return -1;
    }
    free(addr);
    rfbInitServer(vnc->screen);
    if (vnc->unix_fd < 0 && vnc->screen->listenSock < 0) {
        error_setg(errp, "-vnc %s: cannot listen on port %d", opts->vnc, vnc->screen->port);
        vnc_display_fini();
        return -1;
    }
    vnc->dl.ops = &vnc_ops;
    vnc->dl.refresh_ms = 30;
    display_listener_register(&vnc->dl, console_get(0));
    return 0;
}

void vnc_display_fini(void)
{
    if (!vnc) {
        return;
    }
    display_listener_unregister(&vnc->dl);
    if (vnc->unix_fd >= 0) {
        main_loop_set_fd_handler(vnc->unix_fd, NULL, NULL, NULL);
        close(vnc->unix_fd);
        unlink(vnc->unix_path);
    }
    if (vnc->screen) {
        rfbShutdownServer(vnc->screen, TRUE);
        vnc->screen->frameBuffer = NULL;
        rfbScreenCleanup(vnc->screen);
    }
    free(vnc->passwords[0]);
    free(vnc->unix_path);
    free(vnc);
    vnc = NULL;
}

int vnc_set_password(const char *password, Error **errp)
{
    if (!vnc) {
        error_setg(errp, "There is no VNC server (use -vnc)");
        return -1;
    }
    if (!vnc->password_auth) {
        error_setg(errp, "Could not set password: the VNC server runs without password=on");
        return -1;
    }
    free(vnc->passwords[0]);
    vnc->passwords[0] = strndup(password, 8);   /* VNC authentication uses 8 characters */
    return 0;
}
#else
#include "ui/display.h"
#include "ui/vnc.h"

int vnc_display_init(const DisplayOptions *opts, Error **errp)
{
    error_setg(errp, "-vnc %s: this Mimic was built without VNC (libvncserver-dev)",
               opts->vnc);
    return -1;
}

void vnc_display_fini(void)
{
}

int vnc_set_password(const char *password, Error **errp)
{
    error_setg(errp, "There is no VNC server (built without libvncserver)");
    return -1;
}
#endif
