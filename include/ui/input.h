/* The input layer between the back ends (SDL, VNC, curses, the monitor's sendkey) and the
 * guest's input devices (PS/2 keyboard and mouse, a USB or virtio tablet): keys by their
 * PC scancode, pointer motion relative or absolute, buttons. See docs/display.md. */
#ifndef UI_INPUT_H
#define UI_INPUT_H

#include <stdbool.h>
#include <stdint.h>

/* A key is its "qnum": the PC/XT (set 1) make code, 0x80 added for the E0-prefixed keys
 * (right Ctrl 0x9d, arrows 0xc8/0xcb/0xcd/0xd0, ...). Host layouts do not matter. */
enum {
    Q_ESC = 0x01, Q_1 = 0x02, Q_2 = 0x03, Q_3 = 0x04, Q_MINUS = 0x0c, Q_EQUAL = 0x0d,
    Q_BACKSPACE = 0x0e, Q_TAB = 0x0f, Q_RET = 0x1c, Q_CTRL = 0x1d, Q_SHIFT = 0x2a,
    Q_SHIFT_R = 0x36, Q_ALT = 0x38, Q_SPC = 0x39, Q_F = 0x21, Q_G = 0x22,
    Q_KP_ADD = 0x4e, Q_KP_SUBTRACT = 0x4a,
    Q_CTRL_R = 0x9d, Q_ALT_R = 0xb8, Q_UP = 0xc8, Q_LEFT = 0xcb, Q_RIGHT = 0xcd, Q_DOWN = 0xd0,
    Q_HOME = 0xc7, Q_END = 0xcf, Q_PGUP = 0xc9, Q_PGDN = 0xd1, Q_INSERT = 0xd2,
    Q_DELETE = 0xd3,
};

#define INPUT_BUTTON_LEFT 0x01
#define INPUT_BUTTON_RIGHT 0x02
#define INPUT_BUTTON_MIDDLE 0x04
#define INPUT_ABS_MAX 0x7fff        /* absolute coordinates run 0..INPUT_ABS_MAX */

typedef struct InputHandler {
    const char *name;
    /* NULL when the device does not take that kind of event */
    void (*key)(void *opaque, int qnum, bool down);
    void (*rel)(void *opaque, int dx, int dy, int dz, unsigned buttons);
    void (*abs)(void *opaque, int x, int y, int dz, unsigned buttons);
    void *opaque;
    struct InputHandler *next;
} InputHandler;

/* The handler registered last gets the events of its kinds (a tablet takes the pointer
 * from the PS/2 mouse). */
void input_register(InputHandler *h);
void input_unregister(InputHandler *h);

void input_key(int qnum, bool down);
/* Relative motion (host y grows downwards) and buttons. */
void input_pointer_rel(int dx, int dy, int dz, unsigned buttons);
/* An absolute position in 0..INPUT_ABS_MAX; without an absolute device it becomes
 * relative motion from the last position. */
void input_pointer_abs(int x, int y, int dz, unsigned buttons);
/* True if an absolute pointing device is there (no mouse grab needed). */
bool input_has_absolute(void);
/* Releases every key the back ends pressed (focus lost, console switched). */
void input_release_all(void);
/* QEMU's key names ("a", "ret", "ctrl", "kp_add", ...) -> qnum, -1 if unknown. */
int input_qnum_from_name(const char *name);
/* The en-us key typing ASCII character c (NULL if none); *shift (may be NULL) says
 * whether it needs Shift. */
const char *input_key_for_ascii(int c, bool *shift);

#endif
