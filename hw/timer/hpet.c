/* HPET (IA-PC HPET 1.0a): capabilities (3 timers, 64-bit counter, legacy replacement,
 * 10 ns period), general configuration (enable, legacy replacement), interrupt status
 * (level mode, write 1 to clear), main counter (writable while halted), and per timer the
 * configuration (level/edge, enable, periodic, value-set, 32-bit mode, IOAPIC route within
 * the route capability), comparator and period. The counter is derived from the virtual
 * clock; each armed comparator with its interrupt enabled costs one host timer per
 * expiry (a disabled one is parked: hpet_catch_up). In legacy replacement mode
 * timer 0 drives ISA IRQ 0 (IOAPIC pin 2) and timer 1 IRQ 8; the PIT and RTC lines are
 * not disconnected (guests stop those themselves). FSB (MSI) delivery is not modelled. */
#include <string.h>
#include "hw/timer/hpet.h"
#include "util/log.h"

#define CAP_ID (0x8086a201ull | ((HPET_NUM_TIMERS - 1) << 8) | (1u << 13) | (1u << 15) | \
                (HPET_PERIOD_FS << 32))
#define CFG_ENABLE 1ull
#define CFG_LEGACY 2ull
#define TN_LEVEL (1ull << 1)
#define TN_ENABLE (1ull << 2)
#define TN_PERIODIC (1ull << 3)
#define TN_PERIODIC_CAP (1ull << 4)
#define TN_SIZE_CAP (1ull << 5)
#define TN_SETVAL (1ull << 6)
#define TN_32BIT (1ull << 8)
#define TN_ROUTE_SHIFT 9
#define TN_WRITABLE (TN_LEVEL | TN_ENABLE | TN_PERIODIC | TN_SETVAL | TN_32BIT | (0x1full << 9))
#define ROUTE_CAP 0x00ff0104ull     /* IOAPIC pins 2, 8, 16-23 */
#define NS_PER_TICK 10

static bool hpet_enabled(const HPETState *s)
{
    return s->config & CFG_ENABLE;
}

uint64_t hpet_counter(HPETState *s)
{
    if (!hpet_enabled(s)) {
        return s->counter_offset;
    }
    return s->counter_offset + (clock_get_ns(CLK_VIRTUAL) - s->enable_time) / NS_PER_TICK;
}

static IRQ hpet_route(HPETState *s, int n)
{
    if ((s->config & CFG_LEGACY) && n < 2) {
        return s->legacy[n];
    }
    unsigned pin = (s->timers[n].config >> TN_ROUTE_SHIFT) & 0x1f;
    return s->ioapic && pin < 24 ? s->ioapic[pin] : NULL;
}

static void hpet_set_output(HPETState *s, int n, int level)
{
    HPETTimer *t = &s->timers[n];

    t->level = level;
    irq_set(hpet_route(s, n), level);
}

static void hpet_fire(HPETState *s, int n)
{
    HPETTimer *t = &s->timers[n];

    if (!(t->config & TN_ENABLE)) {
        return;
    }
    if (t->config & TN_LEVEL) {
        s->isr |= 1ull << n;
        hpet_set_output(s, n, 1);
    } else {
        irq_pulse(hpet_route(s, n));
    }
}

/* Ticks from counter to the comparator (with the 32-bit wrap in 32-bit mode). */
static uint64_t ticks_until(const HPETTimer *t, uint64_t counter)
{
    if (t->config & TN_32BIT) {
        uint32_t d = (uint32_t)t->cmp - (uint32_t)counter;
        return d ? d : 1ull << 32;
    }
    return t->cmp > counter ? t->cmp - counter : 0;
}

/* A parked periodic comparator moves on as the hardware's does at each match, interrupt
 * or not: the matches since parking are counted here, before the comparator is read or
 * the timer or the configuration written. Linux leaves timer 0 periodic at 250 Hz with
 * its interrupt disabled once the LAPIC timers take over: a host timer per period for
 * nothing kept the main loop of an idle guest waking 250 times a second. */
static void hpet_catch_up(HPETState *s, int n)
{
    HPETTimer *t = &s->timers[n];
    uint64_t counter, elapsed, d, period;

    if (!t->parked) {
        return;
    }
    counter = hpet_counter(s);
    period = (t->config & TN_32BIT) ? (uint32_t)t->period : t->period;
    if ((t->config & TN_PERIODIC) && period) {
        elapsed = counter - t->parked_counter;
        d = ticks_until(t, t->parked_counter);
        if (elapsed >= d) {
            t->cmp += (1 + (elapsed - d) / period) * period;
            if (t->config & TN_32BIT) {
                t->cmp = (uint32_t)t->cmp;
            }
        }
    }
    t->parked_counter = counter;
}

static void hpet_catch_up_all(HPETState *s)
{
    for (int n = 0; n < HPET_NUM_TIMERS; n++) {
        hpet_catch_up(s, n);
    }
}

static void hpet_arm(HPETState *s, int n)
{
    HPETTimer *t = &s->timers[n];
    uint64_t counter = hpet_counter(s), d;

    if (!(t->config & TN_ENABLE)) {
        if (!t->parked) {
            t->parked = true;
            t->parked_counter = counter;
        }
        timer_del(t->timer);
        return;
    }
    t->parked = false;
    if (!hpet_enabled(s) || (!(t->config & TN_PERIODIC) && t->cmp <= counter &&
                             !(t->config & TN_32BIT))) {
        timer_del(t->timer);
        return;
    }
    d = ticks_until(t, counter);
    if (d > (uint64_t)INT64_MAX / NS_PER_TICK / 2) {
        d = (uint64_t)INT64_MAX / NS_PER_TICK / 2;
    }
    timer_mod(t->timer, clock_get_ns(CLK_VIRTUAL) + (int64_t)d * NS_PER_TICK);
}

/* The comparator one period on, past the counter: missed periods (the callback ran late
 * on a slow host) are skipped, not replayed. In 32-bit mode "past" is modulo 2^32, else
 * a late callback would leave the comparator behind until the counter wraps (43 s). */
static uint64_t next_period(const HPETTimer *t, uint64_t counter)
{
    if (t->config & TN_32BIT) {
        uint32_t period = (uint32_t)t->period ? (uint32_t)t->period : 1;
        uint32_t cmp = (uint32_t)t->cmp + period;
        int32_t behind = (int32_t)((uint32_t)counter - cmp);
        if (behind >= 0) {
            cmp += ((uint32_t)behind / period + 1) * period;
        }
        return cmp;
    }
    uint64_t cmp = t->cmp + t->period;
    if (cmp <= counter) {
        cmp += ((counter - cmp) / t->period + 1) * t->period;
    }
    return cmp;
}

static void hpet_timer_cb(void *opaque)
{
    HPETTimer *t = opaque;
    HPETState *s = t->hpet;
    int n = t->index;

    hpet_fire(s, n);
    if ((t->config & TN_PERIODIC) && t->period) {
        t->cmp = next_period(t, hpet_counter(s));
        hpet_arm(s, n);
    } else if (t->config & TN_32BIT) {
        timer_del(t->timer);    /* one-shot 32-bit: fires again only after a wrap */
    }
}

static void hpet_write_config(HPETState *s, uint64_t val)
{
    bool was = hpet_enabled(s);
    uint64_t old = s->config;

    hpet_catch_up_all(s);
    if (was && !(val & CFG_ENABLE)) {
        s->counter_offset = hpet_counter(s);
    } else if (!was && (val & CFG_ENABLE)) {
        s->enable_time = clock_get_ns(CLK_VIRTUAL);
    }
    s->config = val & (CFG_ENABLE | CFG_LEGACY);
    if ((old ^ s->config) & CFG_LEGACY) {
        for (int n = 0; n < 2; n++) {
            if (s->timers[n].level) {
                irq_set((old & CFG_LEGACY) ? s->legacy[n] : NULL, 0);
            }
        }
    }
    for (int n = 0; n < HPET_NUM_TIMERS; n++) {
        hpet_arm(s, n);
    }
}

static void hpet_write_timer(HPETState *s, int n, unsigned reg, uint64_t val, uint64_t mask)
{
    HPETTimer *t = &s->timers[n];

    hpet_catch_up(s, n);
    switch (reg) {
    case 0x00:
        val = (t->config & ~mask) | (val & mask);
        if (((val >> TN_ROUTE_SHIFT) & 0x1f) < 32 &&
            !(ROUTE_CAP & (1ull << ((val >> TN_ROUTE_SHIFT) & 0x1f)))) {
            val = (val & ~(0x1full << TN_ROUTE_SHIFT)) | (t->config & (0x1full << TN_ROUTE_SHIFT));
        }
        t->config = (t->config & ~TN_WRITABLE) | (val & TN_WRITABLE);
        if (!(t->config & TN_LEVEL) && t->level) {
            hpet_set_output(s, n, 0);
        }
        break;
    case 0x08:
        val = (t->cmp & ~mask) | (val & mask);
        if (t->config & TN_32BIT) {
            val = (uint32_t)val;
        }
        if (!(t->config & TN_PERIODIC) || (t->config & TN_SETVAL)) {
            t->cmp = val;
        }
        if (t->config & TN_PERIODIC) {
            t->period = val;
        }
        t->config &= ~TN_SETVAL;
        break;
    default:
        break;                      /* FSB route: not modelled */
    }
    hpet_arm(s, n);
}

static uint64_t hpet_read_timer(HPETState *s, int n, unsigned reg)
{
    HPETTimer *t = &s->timers[n];

    switch (reg) {
    case 0x00: return t->config | TN_PERIODIC_CAP | TN_SIZE_CAP | (ROUTE_CAP << 32);
    case 0x08: hpet_catch_up(s, n); return t->cmp;
    default: return 0;
    }
}

static uint64_t hpet_read(void *opaque, hwaddr addr, unsigned size)
{
    HPETState *s = opaque;
    hwaddr reg = addr & ~7ull;
    uint64_t val;

    if (reg == 0x000) {
        val = CAP_ID;
    } else if (reg == 0x010) {
        val = s->config;
    } else if (reg == 0x020) {
        val = s->isr;
    } else if (reg == 0x0f0) {
        val = hpet_counter(s);
    } else if (reg >= 0x100 && reg < 0x100 + 0x20 * HPET_NUM_TIMERS) {
        val = hpet_read_timer(s, (reg - 0x100) / 0x20, reg & 0x18);
    } else {
        val = 0;
    }
    return size == 8 ? val : (val >> (8 * (addr & 4))) & 0xffffffffull;
}

static void hpet_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    HPETState *s = opaque;
    hwaddr reg = addr & ~7ull;
    unsigned shift = size == 8 ? 0 : 8 * (addr & 4);
    uint64_t mask = size == 8 ? ~0ull : 0xffffffffull << shift;
    uint64_t val = value << shift;

    if (reg == 0x010) {
        hpet_write_config(s, (s->config & ~mask) | (val & mask));
    } else if (reg == 0x020) {
        uint64_t clear = val & mask & s->isr;
        s->isr &= ~clear;
        for (int n = 0; n < HPET_NUM_TIMERS; n++) {
            if (clear & (1ull << n)) {
                hpet_set_output(s, n, 0);
            }
        }
    } else if (reg == 0x0f0) {
        if (hpet_enabled(s)) {
            log_category_printf(LOG_GUEST_ERROR, "hpet: counter written while running\n");
        } else {
            hpet_catch_up_all(s);
            s->counter_offset = (s->counter_offset & ~mask) | (val & mask);
            /* a written counter passes no comparator: parked ones count from the new value */
            for (int n = 0; n < HPET_NUM_TIMERS; n++) {
                s->timers[n].parked_counter = s->counter_offset;
            }
        }
    } else if (reg >= 0x100 && reg < 0x100 + 0x20 * HPET_NUM_TIMERS) {
        hpet_write_timer(s, (reg - 0x100) / 0x20, reg & 0x18, val, mask);
    }
}

static const MemoryRegionOps hpet_ops = {
    .read = hpet_read, .write = hpet_write, .valid_min = 4, .valid_max = 8,
};

static void hpet_reset(DeviceState *dev)
{
    HPETState *s = DEVICE_CAST(HPETState, dev);

    s->config = s->isr = s->counter_offset = 0;
    for (int n = 0; n < HPET_NUM_TIMERS; n++) {
        HPETTimer *t = &s->timers[n];
        timer_del(t->timer);
        t->config = (n == 0 ? 2ull : 8ull) << TN_ROUTE_SHIFT;
        t->cmp = UINT64_MAX;
        t->period = 0;
        t->parked = false;
        if (t->level) {
            hpet_set_output(s, n, 0);
        }
    }
}

static int hpet_realize(DeviceState *dev, Error **errp)
{
    HPETState *s = DEVICE_CAST(HPETState, dev);
    MemoryRegion *mem = qdev_get_mem_root(dev);

    if (!mem) {
        error_setg(errp, "no memory space on this machine");
        return -1;
    }
    for (int n = 0; n < HPET_NUM_TIMERS; n++) {
        s->timers[n].hpet = s;
        s->timers[n].index = n;
        s->timers[n].timer = timer_new(CLK_VIRTUAL, hpet_timer_cb, &s->timers[n]);
    }
    memory_region_init_io(&s->mmio, &hpet_ops, s, "hpet", 0x400);
    memory_region_add_subregion(mem, HPET_BASE, &s->mmio, 0);
    hpet_reset(dev);
    return 0;
}

static void hpet_unrealize(DeviceState *dev)
{
    HPETState *s = DEVICE_CAST(HPETState, dev);

    for (int n = 0; n < HPET_NUM_TIMERS; n++) {
        timer_free(s->timers[n].timer);
    }
    memory_region_del_subregion(qdev_get_mem_root(dev), &s->mmio);
    memory_region_destroy(&s->mmio);
}

HPETState *hpet_create(IRQ *ioapic_pins, IRQ irq0, IRQ irq8, Error **errp)
{
    DeviceState *dev = device_create(TYPE_HPET, NULL, errp);
    HPETState *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(HPETState, dev);
    s->ioapic = ioapic_pins;
    s->legacy[0] = irq0;
    s->legacy[1] = irq8;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}

static const DeviceType hpet_type = {
    .name = TYPE_HPET,
    .instance_size = sizeof(HPETState),
    .description = "HPET",
    .realize = hpet_realize,
    .unrealize = hpet_unrealize,
    .reset = hpet_reset,
};
DEVICE_TYPE_REGISTER(hpet_type)
