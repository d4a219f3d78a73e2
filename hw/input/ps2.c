/* PS/2 keyboard and mouse devices behind the i8042 (IBM PS/2 Hardware Interface Technical
 * Reference): keyboard commands (reset with BAT, identify, LEDs, scancode set, typematic,
 * enable/disable, echo), mouse commands (reset, identify, sample rate, resolution, status,
 * stream/remote, enable/disable), and scancodes for named keys in set 1 (what the guest sees
 * with the controller's translation on) or set 2. */
#include <string.h>
#include "hw/input/ps2.h"
#include "util/cutils.h"

#define ACK 0xfa
#define RESEND 0xfe
#define BAT_OK 0xaa

void ps2_queue_push(PS2Queue *q, uint8_t b)
{
    if (q->count == PS2_QUEUE_SIZE) {
        return;                     /* overrun: the byte is lost, as on hardware */
    }
    q->data[(q->rptr + q->count) % PS2_QUEUE_SIZE] = b;
    q->count++;
}

int ps2_queue_pop(PS2Queue *q)
{
    uint8_t b;

    if (!q->count) {
        return -1;
    }
    b = q->data[q->rptr];
    q->rptr = (q->rptr + 1) % PS2_QUEUE_SIZE;
    q->count--;
    return b;
}

/* ---- keyboard ------------------------------------------------------------------------ */

void ps2_kbd_reset(PS2Kbd *k)
{
    memset(&k->queue, 0, sizeof(k->queue));
    k->pending_cmd = 0;
    k->scancode_set = 2;
    k->leds = 0;
    k->enabled = true;
}

static void kbd_argument(PS2Kbd *k, uint8_t b)
{
    switch (k->pending_cmd) {
    case 0xed:
        k->leds = b & 7;
        ps2_queue_push(&k->queue, ACK);
        break;
    case 0xf0:
        ps2_queue_push(&k->queue, ACK);
        if (b == 0) {
            ps2_queue_push(&k->queue, k->scancode_set);
        } else if (b <= 3) {
            k->scancode_set = b;
        }
        break;
    default:                        /* 0xf3 typematic rate: accepted, not modelled */
        ps2_queue_push(&k->queue, ACK);
        break;
    }
    k->pending_cmd = 0;
}

void ps2_kbd_write(PS2Kbd *k, uint8_t b)
{
    if (k->pending_cmd) {
        kbd_argument(k, b);
        return;
    }
    switch (b) {
    case 0xff:
        ps2_kbd_reset(k);
        ps2_queue_push(&k->queue, ACK);
        ps2_queue_push(&k->queue, BAT_OK);
        break;
    case 0xf2:
        ps2_queue_push(&k->queue, ACK);
        ps2_queue_push(&k->queue, 0xab);
        ps2_queue_push(&k->queue, k->translate ? 0x41 : 0x83);
        break;
    case 0xed: case 0xf0: case 0xf3:
        k->pending_cmd = b;
        ps2_queue_push(&k->queue, ACK);
        break;
    case 0xee:
        ps2_queue_push(&k->queue, 0xee);
        break;
    case 0xf4:
        k->enabled = true;
        ps2_queue_push(&k->queue, ACK);
        break;
    case 0xf5: case 0xf6:
        k->enabled = b == 0xf6;
        k->scancode_set = 2;
        ps2_queue_push(&k->queue, ACK);
        break;
    case 0xf7 ... 0xfd:
        ps2_queue_push(&k->queue, ACK);
        break;
    default:
        ps2_queue_push(&k->queue, RESEND);
        break;
    }
}

typedef struct KeyCode {
    const char *name;
    uint8_t set1;               /* 0x80 bit: E0 prefix in both sets */
    uint8_t set2;
} KeyCode;

#define E0 0x80
static const KeyCode keys[] = {
    { "esc", 0x01, 0x76 }, { "1", 0x02, 0x16 }, { "2", 0x03, 0x1e }, { "3", 0x04, 0x26 },
    { "4", 0x05, 0x25 }, { "5", 0x06, 0x2e }, { "6", 0x07, 0x36 }, { "7", 0x08, 0x3d },
    { "8", 0x09, 0x3e }, { "9", 0x0a, 0x46 }, { "0", 0x0b, 0x45 }, { "minus", 0x0c, 0x4e },
    { "equal", 0x0d, 0x55 }, { "backspace", 0x0e, 0x66 }, { "tab", 0x0f, 0x0d },
    { "q", 0x10, 0x15 }, { "w", 0x11, 0x1d }, { "e", 0x12, 0x24 }, { "r", 0x13, 0x2d },
    { "t", 0x14, 0x2c }, { "y", 0x15, 0x35 }, { "u", 0x16, 0x3c }, { "i", 0x17, 0x43 },
    { "o", 0x18, 0x44 }, { "p", 0x19, 0x4d }, { "bracket_left", 0x1a, 0x54 },
    { "bracket_right", 0x1b, 0x5b }, { "ret", 0x1c, 0x5a }, { "ctrl", 0x1d, 0x14 },
    { "a", 0x1e, 0x1c }, { "s", 0x1f, 0x1b }, { "d", 0x20, 0x23 }, { "f", 0x21, 0x2b },
    { "g", 0x22, 0x34 }, { "h", 0x23, 0x33 }, { "j", 0x24, 0x3b }, { "k", 0x25, 0x42 },
    { "l", 0x26, 0x4b }, { "semicolon", 0x27, 0x4c }, { "apostrophe", 0x28, 0x52 },
    { "grave_accent", 0x29, 0x0e }, { "shift", 0x2a, 0x12 }, { "backslash", 0x2b, 0x5d },
    { "z", 0x2c, 0x1a }, { "x", 0x2d, 0x22 }, { "c", 0x2e, 0x21 }, { "v", 0x2f, 0x2a },
    { "b", 0x30, 0x32 }, { "n", 0x31, 0x31 }, { "m", 0x32, 0x3a }, { "comma", 0x33, 0x41 },
    { "dot", 0x34, 0x49 }, { "slash", 0x35, 0x4a }, { "shift_r", 0x36, 0x59 },
    { "asterisk", 0x37, 0x7c }, { "alt", 0x38, 0x11 }, { "spc", 0x39, 0x29 },
    { "caps_lock", 0x3a, 0x58 }, { "f1", 0x3b, 0x05 }, { "f2", 0x3c, 0x06 },
    { "f3", 0x3d, 0x04 }, { "f4", 0x3e, 0x0c }, { "f5", 0x3f, 0x03 }, { "f6", 0x40, 0x0b },
    { "f7", 0x41, 0x83 }, { "f8", 0x42, 0x0a }, { "f9", 0x43, 0x01 }, { "f10", 0x44, 0x09 },
    { "num_lock", 0x45, 0x77 }, { "scroll_lock", 0x46, 0x7e }, { "f11", 0x57, 0x78 },
    { "f12", 0x58, 0x07 }, { "ctrl_r", E0 | 0x1d, 0x14 }, { "alt_r", E0 | 0x38, 0x11 },
    { "home", E0 | 0x47, 0x6c }, { "up", E0 | 0x48, 0x75 }, { "pgup", E0 | 0x49, 0x7d },
    { "left", E0 | 0x4b, 0x6b }, { "right", E0 | 0x4d, 0x74 }, { "end", E0 | 0x4f, 0x69 },
    { "down", E0 | 0x50, 0x72 }, { "pgdn", E0 | 0x51, 0x7a }, { "insert", E0 | 0x52, 0x70 },
    { "delete", E0 | 0x53, 0x71 },
};

int ps2_kbd_key(PS2Kbd *k, const char *name, bool down)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (strcmp(keys[i].name, name)) {
            continue;
        }
        if (keys[i].set1 & E0) {
            ps2_queue_push(&k->queue, 0xe0);
        }
        if (k->translate || k->scancode_set == 1) {
            ps2_queue_push(&k->queue, (keys[i].set1 & 0x7f) | (down ? 0 : 0x80));
        } else {
            if (!down) {
                ps2_queue_push(&k->queue, 0xf0);
            }
            ps2_queue_push(&k->queue, keys[i].set2);
        }
        return 0;
    }
    return -1;
}

/* ---- mouse ------------------------------------------------------------------------------- */

void ps2_mouse_reset(PS2Mouse *m)
{
    memset(&m->queue, 0, sizeof(m->queue));
    m->pending_cmd = 0;
    m->sample_rate = 100;
    m->resolution = 2;
    m->status = 0;
    m->enabled = false;
}

void ps2_mouse_write(PS2Mouse *m, uint8_t b)
{
    if (m->pending_cmd) {
        if (m->pending_cmd == 0xf3) {
            m->sample_rate = b;
        } else if (m->pending_cmd == 0xe8) {
            m->resolution = b & 3;
        }
        m->pending_cmd = 0;
        ps2_queue_push(&m->queue, ACK);
        return;
    }
    switch (b) {
    case 0xff:
        ps2_mouse_reset(m);
        ps2_queue_push(&m->queue, ACK);
        ps2_queue_push(&m->queue, BAT_OK);
        ps2_queue_push(&m->queue, 0x00);
        break;
    case 0xf2:
        ps2_queue_push(&m->queue, ACK);
        ps2_queue_push(&m->queue, 0x00);
        break;
    case 0xf3: case 0xe8:
        m->pending_cmd = b;
        ps2_queue_push(&m->queue, ACK);
        break;
    case 0xe9:
        ps2_queue_push(&m->queue, ACK);
        ps2_queue_push(&m->queue, m->status | (m->enabled ? 0x20 : 0));
        ps2_queue_push(&m->queue, m->resolution);
        ps2_queue_push(&m->queue, m->sample_rate);
        break;
    case 0xf4: case 0xf5: case 0xf6:
        m->enabled = b == 0xf4;
        ps2_queue_push(&m->queue, ACK);
        break;
    case 0xe6: case 0xe7: case 0xea: case 0xf0: case 0xeb:
        ps2_queue_push(&m->queue, ACK);
        if (b == 0xeb) {
            ps2_queue_push(&m->queue, 0x08);   /* no motion, no buttons */
            ps2_queue_push(&m->queue, 0);
            ps2_queue_push(&m->queue, 0);
        }
        break;
    default:
        ps2_queue_push(&m->queue, RESEND);
        break;
    }
}
