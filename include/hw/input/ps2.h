/* PS/2 keyboard and mouse as the i8042 sees them: byte queues towards the controller and
 * the device command sets (IBM PS/2 Technical Reference). */
#ifndef HW_INPUT_PS2_H
#define HW_INPUT_PS2_H

#include <stdbool.h>
#include <stdint.h>

#define PS2_QUEUE_SIZE 16

typedef struct PS2Queue {
    uint8_t data[PS2_QUEUE_SIZE];
    uint8_t rptr, count;
} PS2Queue;

typedef struct PS2Kbd {
    PS2Queue queue;
    uint8_t pending_cmd;        /* command waiting for its argument, 0: none */
    uint8_t scancode_set;       /* 1, 2 or 3 */
    uint8_t leds;
    bool enabled;
    bool translate;             /* set by the controller: the guest sees set 1 */
} PS2Kbd;

typedef struct PS2Mouse {
    PS2Queue queue;
    uint8_t pending_cmd;
    uint8_t sample_rate, resolution, status;
    uint8_t type;               /* 0: standard, 3: IntelliMouse (wheel) */
    uint32_t rate_seq;          /* the last three sample rates set */
    bool enabled;
} PS2Mouse;

void ps2_queue_push(PS2Queue *q, uint8_t b);
int ps2_queue_pop(PS2Queue *q);         /* -1 when empty */
void ps2_kbd_reset(PS2Kbd *k);
void ps2_kbd_write(PS2Kbd *k, uint8_t b);
void ps2_mouse_reset(PS2Mouse *m);
void ps2_mouse_write(PS2Mouse *m, uint8_t b);
/* A key named as QEMU's sendkey names it ("a", "ret", "ctrl", "f1", ...) pressed or
 * released: queues its scancode bytes. -1 if the name is unknown. */
int ps2_kbd_key(PS2Kbd *k, const char *name, bool down);
/* A key by its qnum (ui/input.h) pressed or released. */
void ps2_kbd_keycode(PS2Kbd *k, int qnum, bool down);
/* Pointer motion and buttons (INPUT_BUTTON_*) in stream mode. */
void ps2_mouse_event(PS2Mouse *m, int dx, int dy, int dz, unsigned buttons);

#endif
