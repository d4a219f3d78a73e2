/* PS/2 keyboard and mouse devices behind the i8042 (IBM PS/2 Hardware Interface Technical
 * Reference): keyboard commands (reset with BAT, identify, LEDs, scancode set, typematic,
 * enable/disable, echo), mouse commands (reset, identify, sample rate, resolution, status,
 * stream/remote, enable/disable), and scancodes for named keys in set 1 (what the guest sees
 * with the controller's translation on) or set 2. */
#include <string.h>
#include "hw/input/ps2.h"
#include "ui/input.h"
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

/* Set 2 make codes by qnum (the set 1 code, 0x80 for E0-prefixed keys; ui/input.h). */
static const uint8_t set2_of_qnum[256] = {
    [0x01] = 0x76, [0x02] = 0x16, [0x03] = 0x1e, [0x04] = 0x26, [0x05] = 0x25,
    [0x06] = 0x2e, [0x07] = 0x36, [0x08] = 0x3d, [0x09] = 0x3e, [0x0a] = 0x46,
    [0x0b] = 0x45, [0x0c] = 0x4e, [0x0d] = 0x55, [0x0e] = 0x66, [0x0f] = 0x0d,
    [0x10] = 0x15, [0x11] = 0x1d, [0x12] = 0x24, [0x13] = 0x2d, [0x14] = 0x2c,
    [0x15] = 0x35, [0x16] = 0x3c, [0x17] = 0x43, [0x18] = 0x44, [0x19] = 0x4d,
    [0x1a] = 0x54, [0x1b] = 0x5b, [0x1c] = 0x5a, [0x1d] = 0x14, [0x1e] = 0x1c,
    [0x1f] = 0x1b, [0x20] = 0x23, [0x21] = 0x2b, [0x22] = 0x34, [0x23] = 0x33,
    [0x24] = 0x3b, [0x25] = 0x42, [0x26] = 0x4b, [0x27] = 0x4c, [0x28] = 0x52,
    [0x29] = 0x0e, [0x2a] = 0x12, [0x2b] = 0x5d, [0x2c] = 0x1a, [0x2d] = 0x22,
    [0x2e] = 0x21, [0x2f] = 0x2a, [0x30] = 0x32, [0x31] = 0x31, [0x32] = 0x3a,
    [0x33] = 0x41, [0x34] = 0x49, [0x35] = 0x4a, [0x36] = 0x59, [0x37] = 0x7c,
    [0x38] = 0x11, [0x39] = 0x29, [0x3a] = 0x58, [0x3b] = 0x05, [0x3c] = 0x06,
    [0x3d] = 0x04, [0x3e] = 0x0c, [0x3f] = 0x03, [0x40] = 0x0b, [0x41] = 0x83,
    [0x42] = 0x0a, [0x43] = 0x01, [0x44] = 0x09, [0x45] = 0x77, [0x46] = 0x7e,
    [0x47] = 0x6c, [0x48] = 0x75, [0x49] = 0x7d, [0x4a] = 0x7b, [0x4b] = 0x6b,
    [0x4c] = 0x73, [0x4d] = 0x74, [0x4e] = 0x79, [0x4f] = 0x69, [0x50] = 0x72,
    [0x51] = 0x7a, [0x52] = 0x70, [0x53] = 0x71, [0x54] = 0x84, [0x56] = 0x61,
    [0x57] = 0x78, [0x58] = 0x07,
    [0x9c] = 0x5a, [0x9d] = 0x14, [0xb5] = 0x4a, [0xb7] = 0x7c, [0xb8] = 0x11,
    [0xc7] = 0x6c, [0xc8] = 0x75, [0xc9] = 0x7d, [0xcb] = 0x6b, [0xcd] = 0x74,
    [0xcf] = 0x69, [0xd0] = 0x72, [0xd1] = 0x7a, [0xd2] = 0x70, [0xd3] = 0x71,
    [0xdb] = 0x1f, [0xdc] = 0x27, [0xdd] = 0x2f,
};

void ps2_kbd_keycode(PS2Kbd *k, int qnum, bool down)
{
    if (qnum <= 0 || qnum > 0xff || !set2_of_qnum[qnum]) {
        return;
    }
    if (qnum & 0x80) {
        ps2_queue_push(&k->queue, 0xe0);
    }
    if (k->translate || k->scancode_set == 1) {
        ps2_queue_push(&k->queue, (qnum & 0x7f) | (down ? 0 : 0x80));
    } else {
        if (!down) {
            ps2_queue_push(&k->queue, 0xf0);
        }
        ps2_queue_push(&k->queue, set2_of_qnum[qnum]);
    }
}

int ps2_kbd_key(PS2Kbd *k, const char *name, bool down)
{
    int qnum = input_qnum_from_name(name);

    if (qnum < 0) {
        return -1;
    }
    ps2_kbd_keycode(k, qnum, down);
    return 0;
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
    m->type = 0;
    m->rate_seq = 0;
}

void ps2_mouse_write(PS2Mouse *m, uint8_t b)
{
    if (m->pending_cmd) {
        if (m->pending_cmd == 0xf3) {
            m->sample_rate = b;
            /* rates 200, 100, 80 in a row: the IntelliMouse wheel is switched on */
            m->rate_seq = ((m->rate_seq << 8) | b) & 0xffffff;
            m->type = m->rate_seq == 0xc86450 ? 3 : m->type;
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
        ps2_queue_push(&m->queue, m->type);
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

/* Motion (host y grows downwards, PS/2 y upwards) and buttons as stream-mode packets of
 * 3 bytes (4 with the wheel), each move at most 255 counts; only whole packets queue. */
void ps2_mouse_event(PS2Mouse *m, int dx, int dy, int dz, unsigned buttons)
{
    int size = m->type == 3 ? 4 : 3;

    if (!m->enabled) {
        return;
    }
    dy = -dy;
    do {
        int x = MAX(-255, MIN(dx, 255)), y = MAX(-255, MIN(dy, 255));
        int z = MAX(-8, MIN(dz, 7));
        if (PS2_QUEUE_SIZE - m->queue.count < size) {
            return;                 /* the host side is not reading: motion is dropped */
        }
        ps2_queue_push(&m->queue, 0x08 | (buttons & 7) | (x < 0 ? 0x10 : 0) | (y < 0 ? 0x20 : 0));
        ps2_queue_push(&m->queue, x & 0xff);
        ps2_queue_push(&m->queue, y & 0xff);
        if (size == 4) {
            ps2_queue_push(&m->queue, z & 0x0f);
        }
        dx -= x;
        dy -= y;
        dz -= z;
    } while (dx || dy || (size == 4 && dz));
}
