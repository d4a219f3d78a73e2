/* Intel 8254 programmable interval timer (datasheet 23124406): three 16-bit counters in
 * modes 0-5, LSB/MSB/word access, counter latch and read-back commands, gates; counted
 * from the virtual clock at 1.193182 MHz, so a guest port access costs no host syscall.
 * Channel 0 pulses IRQ 0 from one timer per period; channel 2's gate and output are on
 * port 0x61 (with the speaker data bit and the DRAM refresh toggle, bit 4, every 15 us).
 * BCD counting is treated as binary (logged under -d unimp). */
#include <string.h>
#include "hw/isa/isa.h"
#include "hw/timer/i8254.h"
#include "util/log.h"

static int64_t ticks_to_ns(uint64_t ticks)
{
    return (int64_t)((ticks * (unsigned __int128)NS_PER_SEC + PIT_FREQ - 1) / PIT_FREQ);
}

/* Ticks since the channel started counting, frozen while a paused gate holds it. */
static uint64_t pit_elapsed(const PITChannel *c, int64_t now)
{
    if (c->gate_low_since >= 0) {
        now = c->gate_low_since;
    }
    if (now <= c->load_time) {
        return 0;
    }
    return (uint64_t)(((unsigned __int128)(now - c->load_time) * PIT_FREQ) / NS_PER_SEC);
}

uint32_t pit_get_count(PITState *s, int ch, int64_t now)
{
    const PITChannel *c = &s->ch[ch];
    uint64_t d = pit_elapsed(c, now);

    if (!c->counting) {
        return c->count & 0xffff;
    }
    switch (c->mode) {
    case 2:
        return (c->count - d % c->count) & 0xffff;
    case 3:
        return (c->count - (2 * d) % c->count) & 0xffff;
    default:
        return (c->count - d) & 0xffff;
    }
}

bool pit_get_out(PITState *s, int ch, int64_t now)
{
    const PITChannel *c = &s->ch[ch];
    uint64_t d = pit_elapsed(c, now);

    if (!c->counting) {
        return c->out_fixed;
    }
    switch (c->mode) {
    case 0:
        return d >= c->count;
    case 1:
        return d >= c->count;           /* low from the trigger until terminal count */
    case 2:
        return d % c->count != c->count - 1 || c->count == 1;
    case 3:
        return d % c->count < (c->count + 1) / 2;
    default:                            /* 4, 5: one low tick at terminal count */
        return d != c->count;
    }
}

/* Channel 0's next interrupt edge strictly after now, or -1. */
static int64_t pit_next_event(const PITChannel *c, int64_t now)
{
    uint64_t d = pit_elapsed(c, now), n;

    if (!c->counting || c->gate_low_since >= 0 || !c->gate) {
        return -1;
    }
    if (c->mode == 2 || c->mode == 3) {
        n = (d / c->count + 1) * c->count;
    } else if (d < c->count) {
        n = c->count;
    } else {
        return -1;
    }
    return c->load_time + ticks_to_ns(n);
}

static void pit_schedule(PITState *s, int64_t now)
{
    PITChannel *c = &s->ch[0];

    c->next_event = pit_next_event(c, now);
    if (c->next_event < 0) {
        timer_del(s->timer);
    } else {
        timer_mod(s->timer, c->next_event);
    }
}

static void pit_timer_cb(void *opaque)
{
    PITState *s = opaque;
    PITChannel *c = &s->ch[0];
    int64_t now = clock_get_ns(CLK_VIRTUAL);

    if (c->mode == 0 || c->mode == 1) {
        irq_raise(s->irq);              /* stays high until reprogrammed */
    } else {
        irq_pulse(s->irq);
    }
    pit_schedule(s, now > c->next_event ? now : c->next_event);
}

static void pit_load_count(PITState *s, int ch, uint32_t val)
{
    PITChannel *c = &s->ch[ch];
    int64_t now = clock_get_ns(CLK_VIRTUAL);

    c->count = val ? val : 0x10000;
    c->load_time = now;
    c->gate_low_since = (!c->gate && (c->mode == 0 || c->mode == 4)) ? now : -1;
    /* modes 1 and 5 wait for a gate edge; the PC's channel 0 gate is always high */
    c->counting = 1;
    if (ch == 0) {
        if (c->mode == 0 || c->mode == 1) {
            irq_lower(s->irq);
        }
        pit_schedule(s, now);
    }
}

static void pit_latch_count(PITState *s, PITChannel *c, int64_t now)
{
    if (!c->count_latched) {
        c->latched_count = pit_get_count(s, c - s->ch, now);
        c->count_latched = c->rw_mode;
    }
}

static void pit_read_back(PITState *s, uint8_t val, int64_t now)
{
    for (int i = 0; i < 3; i++) {
        PITChannel *c = &s->ch[i];
        if (!(val & (2u << i))) {
            continue;
        }
        if (!(val & 0x20)) {
            pit_latch_count(s, c, now);
        }
        if (!(val & 0x10) && !c->status_latched) {
            c->status = (pit_get_out(s, i, now) << 7) | (!c->counting << 6) |
                        (c->rw_mode << 4) | (c->mode << 1) | c->bcd;
            c->status_latched = 1;
        }
    }
}

static void pit_write_control(PITState *s, uint8_t val)
{
    int64_t now = clock_get_ns(CLK_VIRTUAL);
    int ch = val >> 6;
    PITChannel *c;

    if (ch == 3) {
        pit_read_back(s, val, now);
        return;
    }
    c = &s->ch[ch];
    if (!(val & 0x30)) {
        pit_latch_count(s, c, now);
        return;
    }
    c->rw_mode = (val >> 4) & 3;
    c->read_state = c->write_state = c->rw_mode;
    c->mode = (val >> 1) & 7;
    if (c->mode > 5) {
        c->mode -= 4;                   /* 6, 7 are 2, 3 */
    }
    c->bcd = val & 1;
    if (c->bcd) {
        log_category_printf(LOG_UNIMP, "i8254: BCD counting treated as binary\n");
    }
    c->counting = 0;
    c->out_fixed = c->mode != 0;
    if (ch == 0) {
        irq_lower(s->irq);              /* the IRQ only sees edges from the timer */
        pit_schedule(s, now);
    }
}

static void pit_write_counter(PITState *s, int ch, uint8_t val)
{
    PITChannel *c = &s->ch[ch];

    switch (c->write_state) {
    case 1:
        pit_load_count(s, ch, val);
        break;
    case 2:
        pit_load_count(s, ch, val << 8);
        break;
    case 3:                             /* LSB first, MSB follows */
        c->write_latch = val;
        c->write_state = 4;
        break;
    case 4:
        pit_load_count(s, ch, c->write_latch | (val << 8));
        c->write_state = 3;
        break;
    default:
        break;                          /* no control word yet: ignored */
    }
}

static uint8_t pit_read_latched(PITChannel *c)
{
    uint8_t ret;

    switch (c->count_latched) {
    case 1:
        ret = c->latched_count & 0xff;
        c->count_latched = 0;
        break;
    case 2:
        ret = c->latched_count >> 8;
        c->count_latched = 0;
        break;
    default:                            /* word: LSB, then MSB */
        ret = c->latched_count & 0xff;
        c->count_latched = 2;
        break;
    }
    return ret;
}

static uint8_t pit_read_counter(PITState *s, int ch)
{
    PITChannel *c = &s->ch[ch];
    uint32_t count;

    if (c->status_latched) {
        c->status_latched = 0;
        return c->status;
    }
    if (c->count_latched) {
        return pit_read_latched(c);
    }
    count = pit_get_count(s, ch, clock_get_ns(CLK_VIRTUAL));
    switch (c->read_state) {
    case 1:
        return count & 0xff;
    case 2:
        return count >> 8;
    case 3:
        c->read_state = 4;
        return count & 0xff;
    case 4:
        c->read_state = 3;
        return count >> 8;
    default:
        return 0;
    }
}

static uint64_t pit_read(void *opaque, hwaddr offset, unsigned size)
{
    return offset < 3 ? pit_read_counter(opaque, offset) : 0xff;
}

static void pit_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    if (offset == 3) {
        pit_write_control(opaque, value);
    } else {
        pit_write_counter(opaque, offset, value);
    }
}

/* A rising gate retriggers modes 1, 2, 3, 5; a low gate pauses modes 0 and 4. */
static void pit_set_gate(PITState *s, int ch, int gate)
{
    PITChannel *c = &s->ch[ch];
    int64_t now = clock_get_ns(CLK_VIRTUAL);

    if (gate == c->gate) {
        return;
    }
    c->gate = gate;
    if (c->mode == 0 || c->mode == 4) {
        if (!gate) {
            c->gate_low_since = now;
        } else if (c->gate_low_since >= 0) {
            c->load_time += now - c->gate_low_since;
            c->gate_low_since = -1;
        }
    } else if (gate && c->counting) {
        c->load_time = now;
    }
    if (ch == 0) {
        pit_schedule(s, now);
    }
}

static uint64_t port61_read(void *opaque, hwaddr offset, unsigned size)
{
    PITState *s = opaque;
    int64_t now = clock_get_ns(CLK_VIRTUAL);
    uint8_t refresh = (now / 15085) & 1;

    return s->ch[2].gate | (s->speaker_data << 1) | (refresh << 4) |
           (pit_get_out(s, 2, now) << 5);
}

static void port61_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    PITState *s = opaque;

    s->speaker_data = (value >> 1) & 1;
    pit_set_gate(s, 2, value & 1);
}

static const MemoryRegionOps pit_ops = {
    .read = pit_read, .write = pit_write, .valid_min = 1, .valid_max = 1,
};
static const MemoryRegionOps port61_ops = {
    .read = port61_read, .write = port61_write, .valid_min = 1, .valid_max = 1,
};

static void pit_reset(DeviceState *dev)
{
    PITState *s = DEVICE_CAST(PITState, dev);

    memset(s->ch, 0, sizeof(s->ch));
    for (int i = 0; i < 3; i++) {
        s->ch[i].count = 0x10000;
        s->ch[i].gate = i != 2;
        s->ch[i].gate_low_since = -1;
        s->ch[i].next_event = -1;
    }
    s->speaker_data = 0;
    timer_del(s->timer);
    irq_lower(s->irq);
}

static int pit_realize(DeviceState *dev, Error **errp)
{
    PITState *s = DEVICE_CAST(PITState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    if (!io) {
        error_setg(errp, "no port I/O space on this machine");
        return -1;
    }
    if (!s->irq) {
        s->irq = isa_get_irq(s->isairq);
    }
    s->timer = timer_new(CLK_VIRTUAL, pit_timer_cb, s);
    memory_region_init_io(&s->io, &pit_ops, s, "pit", 4);
    memory_region_init_io(&s->port61, &port61_ops, s, "port61", 1);
    memory_region_add_subregion(io, s->iobase, &s->io, 0);
    memory_region_add_subregion(io, 0x61, &s->port61, 0);
    pit_reset(dev);
    return 0;
}

static void pit_unrealize(DeviceState *dev)
{
    PITState *s = DEVICE_CAST(PITState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    timer_free(s->timer);
    memory_region_del_subregion(io, &s->io);
    memory_region_del_subregion(io, &s->port61);
    memory_region_destroy(&s->io);
    memory_region_destroy(&s->port61);
}

static int pit_post_load(DeviceState *dev, Error **errp)
{
    PITState *s = DEVICE_CAST(PITState, dev);

    for (int i = 0; i < 3; i++) {
        PITChannel *c = &s->ch[i];
        if (c->count == 0 || c->count > 0x10000 || c->mode > 5 || c->rw_mode > 3 ||
            c->read_state > 4 || c->write_state > 4 || c->count_latched > 3) {
            error_setg(errp, "isa-pit: channel %d state out of range", i);
            return -1;
        }
    }
    pit_schedule(s, clock_get_ns(CLK_VIRTUAL));
    return 0;
}

static const Property pit_props[] = {
    DEFINE_PROP_UINT32_RANGE("iobase", PITState, iobase, 0x40, 0, 0xfffc),
    DEFINE_PROP_UINT8_RANGE("irq", PITState, isairq, 0, 0, 15),
    DEFINE_PROP_END,
};

static const VMStateField pit_vmstate[] = {
    VMSTATE_BUFFER(ch, PITState),
    VMSTATE_UINT8(speaker_data, PITState),
    VMSTATE_END,
};

static const DeviceType pit_type = {
    .name = TYPE_I8254,
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(PITState),
    .description = "Intel 8254 PIT and port 0x61",
    .realize = pit_realize,
    .unrealize = pit_unrealize,
    .reset = pit_reset,
    .props = pit_props,
    .vmstate = pit_vmstate,
    .post_load = pit_post_load,
};
DEVICE_TYPE_REGISTER(pit_type)

PITState *i8254_create(BusState *bus, IRQ irq, Error **errp)
{
    DeviceState *dev = device_create(TYPE_I8254, bus, errp);

    if (!dev) {
        return NULL;
    }
    DEVICE_CAST(PITState, dev)->irq = irq;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return DEVICE_CAST(PITState, dev);
}
