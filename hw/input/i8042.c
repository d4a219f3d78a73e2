/* Intel 8042-compatible keyboard controller of the PC/AT (as in the IBM PC/AT Technical
 * Reference and the PS/2 extensions): status register (OBF, SYS, command/data, keylock,
 * AUX OBF), controller command byte (interrupt enables, disables, translation), commands
 * 0x20/0x60 (command byte), 0xA7-0xAB (aux enable/disable/tests, self test), 0xAD/0xAE,
 * 0xC0 input port, 0xD0/0xD1 output port (bit 0 reset, bit 1 A20), 0xD2/0xD3 write
 * keyboard/aux output buffer, 0xD4 write to aux, 0xDD/0xDF A20, 0xF0-0xFF pulse output
 * (0xFE resets the system). One output buffer fed from the keyboard, then the mouse. */
#include <stdlib.h>
#include <string.h>
#include "hw/input/i8042.h"
#include "hw/isa/isa.h"
#include "system/runstate.h"
#include "util/cutils.h"
#include "util/log.h"

#define ST_OBF 0x01
#define ST_SYS 0x04
#define ST_CMD 0x08
#define ST_UNLOCKED 0x10
#define ST_AUX_OBF 0x20
#define MODE_KBD_INT 0x01
#define MODE_AUX_INT 0x02
#define MODE_SYS 0x04
#define MODE_KBD_DISABLED 0x10
#define MODE_AUX_DISABLED 0x20
#define MODE_TRANSLATE 0x40
#define OUT_RESET 0x01
#define OUT_A20 0x02
#define OUT_OBF 0x10
#define OUT_AUX_OBF 0x20

static void kbd_update_irq(KBDState *s)
{
    bool kbd = false, aux = false;

    if (s->status & ST_OBF) {
        if (s->status & ST_AUX_OBF) {
            aux = s->mode & MODE_AUX_INT;
        } else {
            kbd = s->mode & MODE_KBD_INT;
        }
    }
    s->outport = (s->outport & ~(OUT_OBF | OUT_AUX_OBF)) | (kbd ? OUT_OBF : 0) |
                 (aux ? OUT_AUX_OBF : 0);
    irq_set(s->irq_kbd, kbd);
    irq_set(s->irq_mouse, aux);
}

/* Fills the output buffer if it is empty: the controller's byte, the keyboard, the mouse. */
static void kbd_refill(KBDState *s)
{
    int b = -1;
    bool aux = false;

    if (s->status & ST_OBF) {
        return;
    }
    if (s->pending) {
        b = s->pending_byte;
        aux = s->pending == 2;
        s->pending = 0;
    } else if (!(s->mode & MODE_KBD_DISABLED) && (b = ps2_queue_pop(&s->kbd.queue)) >= 0) {
        aux = false;
    } else if (!(s->mode & MODE_AUX_DISABLED)) {
        b = ps2_queue_pop(&s->mouse.queue);
        aux = true;
    }
    if (b >= 0) {
        s->obuf = b;
        s->status = (s->status & ~ST_AUX_OBF) | ST_OBF | (aux ? ST_AUX_OBF : 0);
    }
    kbd_update_irq(s);
}

/* A byte the controller itself answers with. */
static void kbd_reply(KBDState *s, uint8_t b, bool aux)
{
    s->pending = aux ? 2 : 1;
    s->pending_byte = b;
    kbd_refill(s);
}

static void kbd_set_outport(KBDState *s, uint8_t val)
{
    s->outport = val;
    irq_set(s->a20_out, (val & OUT_A20) != 0);
    if (!(val & OUT_RESET)) {
        log_category_printf(LOG_CPU_RESET, "reset through the keyboard controller\n");
        system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    }
}

static void kbd_write_command(KBDState *s, uint8_t cmd)
{
    s->status |= ST_CMD;
    switch (cmd) {
    case 0x20: kbd_reply(s, s->mode, false); break;
    case 0x60: case 0xd1: case 0xd2: case 0xd3: case 0xd4: s->write_cmd = cmd; break;
    case 0xa7: s->mode |= MODE_AUX_DISABLED; break;
    case 0xa8: s->mode &= ~MODE_AUX_DISABLED; kbd_refill(s); break;
    case 0xa9: case 0xab: kbd_reply(s, 0x00, false); break;
    case 0xaa:
        s->status |= ST_SYS;
        kbd_reply(s, 0x55, false);
        break;
    case 0xad: s->mode |= MODE_KBD_DISABLED; break;
    case 0xae: s->mode &= ~MODE_KBD_DISABLED; kbd_refill(s); break;
    case 0xc0: kbd_reply(s, 0x80, false); break;   /* keyboard not inhibited */
    case 0xd0: kbd_reply(s, s->outport, false); break;
    case 0xdd: kbd_set_outport(s, s->outport & ~OUT_A20); break;
    case 0xdf: kbd_set_outport(s, s->outport | OUT_A20); break;
    case 0xf0 ... 0xff:
        if (!(cmd & 1)) {
            kbd_set_outport(s, s->outport & ~OUT_RESET);
            s->outport |= OUT_RESET;
        }
        break;
    default:
        log_category_printf(LOG_GUEST_ERROR, "i8042: unknown command 0x%02x\n", cmd);
        break;
    }
}

static void kbd_write_mode(KBDState *s, uint8_t val)
{
    s->mode = val;
    s->kbd.translate = val & MODE_TRANSLATE;
    s->status = (s->status & ~ST_SYS) | ((val & MODE_SYS) ? ST_SYS : 0);
    kbd_update_irq(s);
    kbd_refill(s);
}

static void kbd_write_data(KBDState *s, uint8_t val)
{
    uint8_t cmd = s->write_cmd;

    s->status &= ~ST_CMD;
    s->write_cmd = 0;
    switch (cmd) {
    case 0x60: kbd_write_mode(s, val); break;
    case 0xd1: kbd_set_outport(s, val | OUT_RESET); break;    /* never reset here */
    case 0xd2: kbd_reply(s, val, false); break;
    case 0xd3: kbd_reply(s, val, true); break;
    case 0xd4: ps2_mouse_write(&s->mouse, val); break;
    default:
        s->mode &= ~MODE_KBD_DISABLED;    /* writing to the keyboard enables it */
        ps2_kbd_write(&s->kbd, val);
        break;
    }
    kbd_refill(s);
}

static uint64_t kbd_data_read(void *opaque, hwaddr offset, unsigned size)
{
    KBDState *s = opaque;
    uint8_t val = s->obuf;

    s->status &= ~(ST_OBF | ST_AUX_OBF);
    kbd_update_irq(s);      /* the line drops, so that the next byte is a new edge */
    kbd_refill(s);
    return val;
}

static void kbd_data_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    kbd_write_data(opaque, value);
}

static uint64_t kbd_status_read(void *opaque, hwaddr offset, unsigned size)
{
    KBDState *s = opaque;
    return s->status;
}

static void kbd_cmd_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    kbd_write_command(opaque, value);
}

static const MemoryRegionOps kbd_data_ops = {
    .read = kbd_data_read, .write = kbd_data_write, .valid_min = 1, .valid_max = 1,
};
static const MemoryRegionOps kbd_cmd_ops = {
    .read = kbd_status_read, .write = kbd_cmd_write, .valid_min = 1, .valid_max = 1,
};

int i8042_send_keys(KBDState *s, const char *combo, Error **errp)
{
    char *copy = xstrdup(combo), *names[8], *save = NULL, *tok;
    int n = 0;

    for (tok = strtok_r(copy, "-", &save); tok && n < 8; tok = strtok_r(NULL, "-", &save)) {
        names[n++] = tok;
    }
    for (int i = 0; i < n; i++) {
        if (ps2_kbd_key(&s->kbd, names[i], true) < 0) {
            error_setg(errp, "invalid parameter: %s", names[i]);
            free(copy);
            return -1;
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        ps2_kbd_key(&s->kbd, names[i], false);
    }
    free(copy);
    kbd_refill(s);
    return 0;
}

/* The display's keys and mouse motion, while the keyboard/mouse are enabled. */
static void i8042_input_key(void *opaque, int qnum, bool down)
{
    KBDState *s = opaque;

    if (s->kbd.enabled) {
        ps2_kbd_keycode(&s->kbd, qnum, down);
        kbd_refill(s);
    }
}

static void i8042_input_rel(void *opaque, int dx, int dy, int dz, unsigned buttons)
{
    KBDState *s = opaque;

    ps2_mouse_event(&s->mouse, dx, dy, dz, buttons);
    kbd_refill(s);
}

static void i8042_reset(DeviceState *dev)
{
    KBDState *s = DEVICE_CAST(KBDState, dev);

    s->mode = MODE_KBD_INT | MODE_AUX_INT;
    s->status = ST_CMD | ST_UNLOCKED;
    s->outport = OUT_RESET | OUT_A20;
    s->write_cmd = s->pending = 0;
    ps2_kbd_reset(&s->kbd);
    ps2_mouse_reset(&s->mouse);
    irq_set(s->a20_out, 1);
    kbd_update_irq(s);
}

static int i8042_realize(DeviceState *dev, Error **errp)
{
    KBDState *s = DEVICE_CAST(KBDState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    if (!io) {
        error_setg(errp, "no port I/O space on this machine");
        return -1;
    }
    if (!s->irq_kbd) {
        s->irq_kbd = isa_get_irq(1);
        s->irq_mouse = isa_get_irq(12);
    }
    memory_region_init_io(&s->data_io, &kbd_data_ops, s, "i8042-data", 1);
    memory_region_init_io(&s->cmd_io, &kbd_cmd_ops, s, "i8042-cmd", 1);
    memory_region_add_subregion(io, 0x60, &s->data_io, 0);
    memory_region_add_subregion(io, 0x64, &s->cmd_io, 0);
    s->input_kbd = (InputHandler){ .name = "i8042 keyboard", .key = i8042_input_key,
                                   .opaque = s };
    s->input_mouse = (InputHandler){ .name = "i8042 mouse", .rel = i8042_input_rel,
                                     .opaque = s };
    input_register(&s->input_mouse);
    input_register(&s->input_kbd);
    i8042_reset(dev);
    return 0;
}

static void i8042_unrealize(DeviceState *dev)
{
    KBDState *s = DEVICE_CAST(KBDState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    input_unregister(&s->input_kbd);
    input_unregister(&s->input_mouse);
    memory_region_del_subregion(io, &s->data_io);
    memory_region_del_subregion(io, &s->cmd_io);
    memory_region_destroy(&s->data_io);
    memory_region_destroy(&s->cmd_io);
}

KBDState *i8042_create(BusState *bus, IRQ kbd, IRQ mouse, IRQ a20, Error **errp)
{
    DeviceState *dev = device_create(TYPE_I8042, bus, errp);
    KBDState *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(KBDState, dev);
    s->irq_kbd = kbd;
    s->irq_mouse = mouse;
    s->a20_out = a20;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}

static int i8042_post_load(DeviceState *dev, Error **errp)
{
    KBDState *s = DEVICE_CAST(KBDState, dev);

    if (s->kbd.queue.rptr >= PS2_QUEUE_SIZE || s->kbd.queue.count > PS2_QUEUE_SIZE ||
        s->mouse.queue.rptr >= PS2_QUEUE_SIZE || s->mouse.queue.count > PS2_QUEUE_SIZE) {
        error_setg(errp, "i8042: queue state out of range");
        return -1;
    }
    kbd_update_irq(s);
    return 0;
}

static const VMStateField i8042_vmstate[] = {
    VMSTATE_UINT8(status, KBDState),
    VMSTATE_UINT8(mode, KBDState),
    VMSTATE_UINT8(outport, KBDState),
    VMSTATE_UINT8(write_cmd, KBDState),
    VMSTATE_UINT8(obuf, KBDState),
    VMSTATE_UINT8(pending, KBDState),
    VMSTATE_UINT8(pending_byte, KBDState),
    VMSTATE_BUFFER(kbd, KBDState),
    VMSTATE_BUFFER(mouse, KBDState),
    VMSTATE_END,
};

static const DeviceType i8042_type = {
    .name = TYPE_I8042,
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(KBDState),
    .description = "i8042 keyboard controller with PS/2 keyboard and mouse",
    .realize = i8042_realize,
    .unrealize = i8042_unrealize,
    .reset = i8042_reset,
    .vmstate = i8042_vmstate,
    .post_load = i8042_post_load,
};
DEVICE_TYPE_REGISTER(i8042_type)
