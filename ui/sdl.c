/* The SDL2 window (-display sdl): shows one console at a time (Ctrl-Alt-1 the guest's
 * display, Ctrl-Alt-2 the monitor, Ctrl-Alt-3 the first serial port), keys by scancode
 * so that any host layout works, Ctrl-Alt-G grabs the mouse (said in the title),
 * Ctrl-Alt-F full screen, Ctrl-Alt-+/- and window resizing scale, closing the window
 * shuts the guest down as QEMU does. Events are polled on each refresh tick (30 ms);
 * nothing is drawn while nothing changed. */
#include "config-host.h"
#ifdef CONFIG_SDL
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "system/runstate.h"
#include "ui/console.h"
#include "ui/input.h"
#include "ui/display.h"
#include "ui/text-console.h"
#include "util/cutils.h"

typedef struct SDLDisplay {
    DisplayListener dl;
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    int tex_w, tex_h;
    bool grab, full_screen, present, window_close;
    uint32_t button_state;              /* SDL_BUTTON() bits, from the button events */
    bool ctrl, alt, hotkey_used;
    unsigned buttons;
    const char *name;
    char title[256];
} SDLDisplay;

static SDLDisplay sdl;

/* SDL scancodes (USB HID usages) as QEMU key names. */
static const char *const sdl_key_names[SDL_NUM_SCANCODES] = {
    [SDL_SCANCODE_A] = "a", [SDL_SCANCODE_B] = "b", [SDL_SCANCODE_C] = "c",
    [SDL_SCANCODE_D] = "d", [SDL_SCANCODE_E] = "e", [SDL_SCANCODE_F] = "f",
    [SDL_SCANCODE_G] = "g", [SDL_SCANCODE_H] = "h", [SDL_SCANCODE_I] = "i",
    [SDL_SCANCODE_J] = "j", [SDL_SCANCODE_K] = "k", [SDL_SCANCODE_L] = "l",
    [SDL_SCANCODE_M] = "m", [SDL_SCANCODE_N] = "n", [SDL_SCANCODE_O] = "o",
    [SDL_SCANCODE_P] = "p", [SDL_SCANCODE_Q] = "q", [SDL_SCANCODE_R] = "r",
    [SDL_SCANCODE_S] = "s", [SDL_SCANCODE_T] = "t", [SDL_SCANCODE_U] = "u",
    [SDL_SCANCODE_V] = "v", [SDL_SCANCODE_W] = "w", [SDL_SCANCODE_X] = "x",
    [SDL_SCANCODE_Y] = "y", [SDL_SCANCODE_Z] = "z",
    [SDL_SCANCODE_1] = "1", [SDL_SCANCODE_2] = "2", [SDL_SCANCODE_3] = "3",
    [SDL_SCANCODE_4] = "4", [SDL_SCANCODE_5] = "5", [SDL_SCANCODE_6] = "6",
    [SDL_SCANCODE_7] = "7", [SDL_SCANCODE_8] = "8", [SDL_SCANCODE_9] = "9",
    [SDL_SCANCODE_0] = "0",
    [SDL_SCANCODE_RETURN] = "ret", [SDL_SCANCODE_ESCAPE] = "esc",
    [SDL_SCANCODE_BACKSPACE] = "backspace", [SDL_SCANCODE_TAB] = "tab",
    [SDL_SCANCODE_SPACE] = "spc", [SDL_SCANCODE_MINUS] = "minus",
    [SDL_SCANCODE_EQUALS] = "equal", [SDL_SCANCODE_LEFTBRACKET] = "bracket_left",
    [SDL_SCANCODE_RIGHTBRACKET] = "bracket_right", [SDL_SCANCODE_BACKSLASH] = "backslash",
    [SDL_SCANCODE_NONUSHASH] = "backslash", [SDL_SCANCODE_SEMICOLON] = "semicolon",
    [SDL_SCANCODE_APOSTROPHE] = "apostrophe", [SDL_SCANCODE_GRAVE] = "grave_accent",
    [SDL_SCANCODE_COMMA] = "comma", [SDL_SCANCODE_PERIOD] = "dot",
    [SDL_SCANCODE_SLASH] = "slash", [SDL_SCANCODE_CAPSLOCK] = "caps_lock",
    [SDL_SCANCODE_F1] = "f1", [SDL_SCANCODE_F2] = "f2", [SDL_SCANCODE_F3] = "f3",
    [SDL_SCANCODE_F4] = "f4", [SDL_SCANCODE_F5] = "f5", [SDL_SCANCODE_F6] = "f6",
    [SDL_SCANCODE_F7] = "f7", [SDL_SCANCODE_F8] = "f8", [SDL_SCANCODE_F9] = "f9",
    [SDL_SCANCODE_F10] = "f10", [SDL_SCANCODE_F11] = "f11", [SDL_SCANCODE_F12] = "f12",
    [SDL_SCANCODE_PRINTSCREEN] = "print", [SDL_SCANCODE_SCROLLLOCK] = "scroll_lock",
    [SDL_SCANCODE_INSERT] = "insert", [SDL_SCANCODE_HOME] = "home",
    [SDL_SCANCODE_PAGEUP] = "pgup", [SDL_SCANCODE_DELETE] = "delete",
    [SDL_SCANCODE_END] = "end", [SDL_SCANCODE_PAGEDOWN] = "pgdn",
    [SDL_SCANCODE_RIGHT] = "right", [SDL_SCANCODE_LEFT] = "left",
    [SDL_SCANCODE_DOWN] = "down", [SDL_SCANCODE_UP] = "up",
    [SDL_SCANCODE_NUMLOCKCLEAR] = "num_lock", [SDL_SCANCODE_KP_DIVIDE] = "kp_divide",
    [SDL_SCANCODE_KP_MULTIPLY] = "kp_multiply", [SDL_SCANCODE_KP_MINUS] = "kp_subtract",
    [SDL_SCANCODE_KP_PLUS] = "kp_add", [SDL_SCANCODE_KP_ENTER] = "kp_enter",
    [SDL_SCANCODE_KP_1] = "kp_1", [SDL_SCANCODE_KP_2] = "kp_2", [SDL_SCANCODE_KP_3] = "kp_3",
    [SDL_SCANCODE_KP_4] = "kp_4", [SDL_SCANCODE_KP_5] = "kp_5", [SDL_SCANCODE_KP_6] = "kp_6",
    [SDL_SCANCODE_KP_7] = "kp_7", [SDL_SCANCODE_KP_8] = "kp_8", [SDL_SCANCODE_KP_9] = "kp_9",
    [SDL_SCANCODE_KP_0] = "kp_0", [SDL_SCANCODE_KP_PERIOD] = "kp_decimal",
    [SDL_SCANCODE_NONUSBACKSLASH] = "less", [SDL_SCANCODE_APPLICATION] = "menu",
    [SDL_SCANCODE_LCTRL] = "ctrl", [SDL_SCANCODE_LSHIFT] = "shift",
    [SDL_SCANCODE_LALT] = "alt", [SDL_SCANCODE_LGUI] = "meta_l",
    [SDL_SCANCODE_RCTRL] = "ctrl_r", [SDL_SCANCODE_RSHIFT] = "shift_r",
    [SDL_SCANCODE_RALT] = "alt_r", [SDL_SCANCODE_RGUI] = "meta_r",
};

static void sdl_update_title(void)
{
    const char *state = !runstate_is_running() ? " [Stopped]" :
                        sdl.grab ? " - Press Ctrl-Alt-G to exit grab" : "";

    if (sdl.name) {
        snprintf(sdl.title, sizeof(sdl.title), "Mimic (%s)%s", sdl.name, state);
    } else {
        snprintf(sdl.title, sizeof(sdl.title), "Mimic%s", state);
    }
    if (strcmp(SDL_GetWindowTitle(sdl.win), sdl.title)) {
        SDL_SetWindowTitle(sdl.win, sdl.title);
    }
}

static void sdl_set_grab(bool on)
{
    sdl.grab = on;
    SDL_SetRelativeMouseMode(on && !input_has_absolute() ? SDL_TRUE : SDL_FALSE);
    SDL_SetWindowGrab(sdl.win, on ? SDL_TRUE : SDL_FALSE);
    sdl_update_title();
}

/* A window grown by a mode change is moved back onto its display when it sticks out. */
static void sdl_keep_on_screen(void)
{
    SDL_Rect b;
    int x, y, w, h;

    if (SDL_GetDisplayUsableBounds(SDL_GetWindowDisplayIndex(sdl.win), &b) < 0) {
        return;
    }
    SDL_GetWindowPosition(sdl.win, &x, &y);
    SDL_GetWindowSize(sdl.win, &w, &h);
    x = MAX(MIN(x, b.x + b.w - w), b.x);
    y = MAX(MIN(y, b.y + b.h - h), b.y);
    SDL_SetWindowPosition(sdl.win, x, y);
}

static void sdl_switched(DisplayListener *dl, DisplayConsole *con)
{
    DisplaySurface *s = con->surface;

    if (!s) {
        return;
    }
    if (!sdl.tex || sdl.tex_w != s->width || sdl.tex_h != s->height) {
        if (sdl.tex) {
            SDL_DestroyTexture(sdl.tex);
        }
        sdl.tex = SDL_CreateTexture(sdl.ren, SDL_PIXELFORMAT_RGB888,
                                    SDL_TEXTUREACCESS_STREAMING, s->width, s->height);
        sdl.tex_w = s->width;
        sdl.tex_h = s->height;
        SDL_RenderSetLogicalSize(sdl.ren, s->width, s->height);
        if (!sdl.full_screen) {
            SDL_SetWindowSize(sdl.win, s->width, s->height);
            sdl_keep_on_screen();
        }
    }
    SDL_UpdateTexture(sdl.tex, NULL, s->data, s->stride * 4);
    sdl.present = true;
}

static void sdl_update(DisplayListener *dl, DisplayConsole *con, Rect r)
{
    DisplaySurface *s = con->surface;
    SDL_Rect rect = { r.x, r.y, r.w, r.h };

    if (sdl.tex && s->width == sdl.tex_w && s->height == sdl.tex_h) {
        SDL_UpdateTexture(sdl.tex, &rect, s->data + (size_t)r.y * s->stride + r.x,
                          s->stride * 4);
        sdl.present = true;
    }
}

static void sdl_scale(int percent)
{
    int w, h;

    if (sdl.full_screen) {
        return;
    }
    SDL_GetWindowSize(sdl.win, &w, &h);
    w = MAX(w * percent / 100, 64);
    h = MAX(h * percent / 100, 48);
    SDL_SetWindowSize(sdl.win, w, h);
    sdl.present = true;
}

/* Ctrl-Alt-KEY: true if it was one of ours (then the guest does not see KEY). */
static bool sdl_hotkey(SDL_Scancode code)
{
    switch (code) {
    case SDL_SCANCODE_1: case SDL_SCANCODE_2: case SDL_SCANCODE_3: case SDL_SCANCODE_4:
    case SDL_SCANCODE_5: case SDL_SCANCODE_6: case SDL_SCANCODE_7: case SDL_SCANCODE_8:
    case SDL_SCANCODE_9:
        input_release_all();
        display_listener_select(&sdl.dl, code - SDL_SCANCODE_1);
        break;
    case SDL_SCANCODE_G:
        sdl_set_grab(!sdl.grab);
        break;
    case SDL_SCANCODE_F:
        sdl.full_screen = !sdl.full_screen;
        SDL_SetWindowFullscreen(sdl.win, sdl.full_screen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
        sdl.present = true;
        break;
    case SDL_SCANCODE_EQUALS: case SDL_SCANCODE_KP_PLUS:
        sdl_scale(110);
        break;
    case SDL_SCANCODE_MINUS: case SDL_SCANCODE_KP_MINUS:
        sdl_scale(90);
        break;
    default:
        return false;
    }
    sdl.hotkey_used = true;
    return true;
}

static void sdl_key(const SDL_KeyboardEvent *ev)
{
    SDL_Scancode code = ev->keysym.scancode;
    bool down = ev->type == SDL_KEYDOWN;
    const char *name = code < SDL_NUM_SCANCODES ? sdl_key_names[code] : NULL;

    if (code == SDL_SCANCODE_LCTRL || code == SDL_SCANCODE_RCTRL) {
        sdl.ctrl = down;
    } else if (code == SDL_SCANCODE_LALT || code == SDL_SCANCODE_RALT) {
        sdl.alt = down;
    } else if (down && sdl.ctrl && sdl.alt && sdl_hotkey(code)) {
        return;
    }
    if (sdl.dl.con && sdl.dl.con->kind == CONSOLE_TEXT) {
        if (down) {
            text_console_key(sdl.dl.con, name, sdl.ctrl);
        }
        return;
    }
    if (name) {
        input_key(input_qnum_from_name(name), down);
    }
}

static unsigned sdl_buttons(uint32_t state)
{
    return (state & SDL_BUTTON_LMASK ? INPUT_BUTTON_LEFT : 0) |
           (state & SDL_BUTTON_RMASK ? INPUT_BUTTON_RIGHT : 0) |
           (state & SDL_BUTTON_MMASK ? INPUT_BUTTON_MIDDLE : 0);
}

/* x, y in the console's pixels (SDL's logical size does the scaling). */
static void sdl_pointer(int x, int y, int dx, int dy, int dz, uint32_t state)
{
    unsigned buttons = sdl_buttons(state);

    if (!sdl.dl.con || sdl.dl.con->kind != CONSOLE_GRAPHIC) {
        return;
    }
    if (input_has_absolute()) {
        input_pointer_abs(x * INPUT_ABS_MAX / MAX(sdl.tex_w - 1, 1),
                          y * INPUT_ABS_MAX / MAX(sdl.tex_h - 1, 1), dz, buttons);
    } else if (sdl.grab) {
        input_pointer_rel(dx, dy, dz, buttons);
    }
}

/* The button state as of this event (SDL_GetMouseState would give the state after every
 * pumped event: a quick click would read as released twice). */
static void sdl_mouse_button(const SDL_MouseButtonEvent *ev)
{
    uint32_t state;

    if (ev->type == SDL_MOUSEBUTTONDOWN) {
        sdl.button_state |= SDL_BUTTON(ev->button);
    } else {
        sdl.button_state &= ~SDL_BUTTON(ev->button);
    }
    state = sdl.button_state;

    if (ev->type == SDL_MOUSEBUTTONDOWN && !sdl.grab && !input_has_absolute() &&
        ev->button == SDL_BUTTON_LEFT) {
        sdl_set_grab(true);             /* a click into the window takes the mouse */
        return;
    }
    sdl_pointer(ev->x, ev->y, 0, 0, 0, state);
}

static void sdl_window_event(const SDL_WindowEvent *ev)
{
    switch (ev->event) {
    case SDL_WINDOWEVENT_CLOSE:
        if (sdl.window_close) {
            system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI);
        }
        break;
    case SDL_WINDOWEVENT_FOCUS_LOST:
        input_release_all();
        sdl.ctrl = sdl.alt = false;
        break;
    default:
        sdl.present = true;             /* exposed, resized, restored: draw again */
        break;
    }
}

static void sdl_handle_event(const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_KEYDOWN: case SDL_KEYUP:
        sdl_key(&ev->key);
        break;
    case SDL_TEXTINPUT:
        if (sdl.dl.con && sdl.dl.con->kind == CONSOLE_TEXT && !sdl.ctrl) {
            text_console_input(sdl.dl.con, ev->text.text, strlen(ev->text.text));
        }
        break;
    case SDL_MOUSEMOTION:
        sdl_pointer(ev->motion.x, ev->motion.y, ev->motion.xrel, ev->motion.yrel, 0,
                    ev->motion.state);
        break;
    case SDL_MOUSEBUTTONDOWN: case SDL_MOUSEBUTTONUP:
        sdl_mouse_button(&ev->button);
        break;
    case SDL_MOUSEWHEEL: {
        int x, y;
        uint32_t state = SDL_GetMouseState(&x, &y);
        sdl_pointer(x, y, 0, 0, -ev->wheel.y, state);
        break;
    }
    case SDL_QUIT:
        if (sdl.window_close) {
            system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI);
        }
        break;
    case SDL_WINDOWEVENT:
        sdl_window_event(&ev->window);
        break;
    default:
        break;
    }
}

static void sdl_refresh(DisplayListener *dl)
{
    SDL_Event ev;

    while (SDL_PollEvent(&ev)) {
        sdl_handle_event(&ev);
    }
    sdl_update_title();
    if (sdl.present && sdl.tex) {
        SDL_RenderClear(sdl.ren);
        SDL_RenderCopy(sdl.ren, sdl.tex, NULL, NULL);
        SDL_RenderPresent(sdl.ren);
        sdl.present = false;
    }
}

static const DisplayListenerOps sdl_ops = {
    .switched = sdl_switched,
    .update = sdl_update,
    .refresh = sdl_refresh,
};

/* Without a display SDL falls back to drivers that show nothing ("offscreen", "dummy"):
 * an error then, unless the user asked for that driver with SDL_VIDEODRIVER. */
static bool sdl_has_display(Error **errp)
{
    const char *driver = SDL_GetCurrentVideoDriver();

    if (getenv("SDL_VIDEODRIVER") || !driver ||
        (strcmp(driver, "offscreen") && strcmp(driver, "dummy"))) {
        return true;
    }
    error_setg(errp, "-display sdl: no display available (DISPLAY and WAYLAND_DISPLAY are "
               "not set or not reachable; SDL found only its '%s' driver)", driver);
    return false;
}

int sdl_display_init(const DisplayOptions *opts, Error **errp)
{
    /* SIGINT and SIGTERM stay the emulator's (a clean shutdown), not SDL_QUIT events */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) < 0) {
        error_setg(errp, "-display sdl: could not initialise SDL: %s", SDL_GetError());
        return -1;
    }
    if (!sdl_has_display(errp)) {
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return -1;
    }
    SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
    sdl.win = SDL_CreateWindow("Mimic", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                               640, 480, SDL_WINDOW_RESIZABLE);
    sdl.ren = sdl.win ? SDL_CreateRenderer(sdl.win, -1, 0) : NULL;
    if (!sdl.ren) {
        error_setg(errp, "-display sdl: could not create the window: %s", SDL_GetError());
        return -1;
    }
    sdl.name = opts->name;
    sdl.window_close = opts->window_close;
    sdl.dl.ops = &sdl_ops;
    sdl.dl.refresh_ms = 30;
    if (opts->full_screen) {
        sdl.full_screen = true;
        SDL_SetWindowFullscreen(sdl.win, SDL_WINDOW_FULLSCREEN_DESKTOP);
    }
    SDL_StartTextInput();
    sdl_update_title();
    display_listener_register(&sdl.dl, console_get(0));
    return 0;
}

void sdl_display_fini(void)
{
    if (!sdl.win) {
        return;
    }
    display_listener_unregister(&sdl.dl);
    if (sdl.tex) {
        SDL_DestroyTexture(sdl.tex);
    }
    SDL_DestroyRenderer(sdl.ren);
    SDL_DestroyWindow(sdl.win);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    memset(&sdl, 0, sizeof(sdl));
}
#endif
