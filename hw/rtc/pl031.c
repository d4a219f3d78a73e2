/* ARM PrimeCell Real Time Clock PL031 (ARM DDI 0224): a 32-bit seconds counter (RTCDR)
 * loaded through RTCLR, a match register (RTCMR) that raises RTCINTR when the counter
 * reaches it, and the interrupt mask/status/clear registers. The counter runs on the
 * virtual clock (it stops with the guest) and starts at the host's UTC time. The RTC is
 * always enabled (RTCCR reads 1), as after a boot loader has started it. */
#include "hw/rtc/pl031.h"
#include "util/log.h"

static const uint8_t pl031_id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static int64_t pl031_now_seconds(void)
{
    return clock_get_ns(CLK_VIRTUAL) / NS_PER_SEC;
}

uint32_t pl031_counter(PL031State *s)
{
    return (uint32_t)(s->tick_offset + pl031_now_seconds());
}

static void pl031_update(PL031State *s)
{
    irq_set(s->irq, (s->ris & s->imsc) != 0);
}

static void pl031_alarm_fired(void *opaque)
{
    PL031State *s = opaque;
    s->ris = 1;
    pl031_update(s);
}

/* Arms the match timer for the second at which the counter equals RTCMR (at most 2^32 s
 * ahead, since the counter wraps); a match of the current value fires at once. */
static void pl031_arm_alarm(PL031State *s)
{
    uint32_t ticks = s->mr - pl031_counter(s);
    if (ticks == 0) {
        timer_del(s->alarm);
        pl031_alarm_fired(s);
        return;
    }
    int64_t now = clock_get_ns(CLK_VIRTUAL);
    int64_t next_second = (now / NS_PER_SEC + 1) * NS_PER_SEC;
    timer_mod(s->alarm, next_second + (int64_t)(ticks - 1) * NS_PER_SEC);
}

static uint64_t pl031_read(void *opaque, hwaddr off, unsigned size)
{
    PL031State *s = opaque;
    switch (off) {
    case PL031_DR: return pl031_counter(s);
    case PL031_MR: return s->mr;
    case PL031_LR: return s->lr;
    case PL031_CR: return 1;
    case PL031_IMSC: return s->imsc;
    case PL031_RIS: return s->ris;
    case PL031_MIS: return s->ris & s->imsc;
    default:
        if (off >= PL031_ID && off < PL031_ID + 0x20) {
            return pl031_id[(off - PL031_ID) / 4];
        }
        log_category_printf(LOG_GUEST_ERROR, "pl031: read of bad offset 0x%x\n", (unsigned)off);
        return 0;
    }
}

static void pl031_write(void *opaque, hwaddr off, uint64_t value64, unsigned size)
{
    PL031State *s = opaque;
    uint32_t value = (uint32_t)value64;
    switch (off) {
    case PL031_MR:
        s->mr = value;
        pl031_arm_alarm(s);
        break;
    case PL031_LR:
        s->lr = value;
        s->tick_offset = (int64_t)value - pl031_now_seconds();
        pl031_arm_alarm(s);
        break;
    case PL031_CR:
        break;                      /* already started; writes have no effect */
    case PL031_IMSC:
        s->imsc = value & 1;
        break;
    case PL031_ICR:
        s->ris &= ~value;
        break;
    default:
        log_category_printf(LOG_GUEST_ERROR, "pl031: write to offset 0x%x ignored\n",
                            (unsigned)off);
        return;
    }
    pl031_update(s);
}

static const MemoryRegionOps pl031_ops = {
    .read = pl031_read, .write = pl031_write,
    .valid_min = 4, .valid_max = 4,
};

static int pl031_realize(DeviceState *dev, Error **errp)
{
    PL031State *s = DEVICE_CAST(PL031State, dev);
    s->alarm = timer_new(CLK_VIRTUAL, pl031_alarm_fired, s);
    memory_region_init_io(&s->iomem, &pl031_ops, s, "pl031", PL031_MMIO_SIZE);
    MemoryRegion *root = qdev_get_mem_root(dev);
    if (s->has_base && root) {
        memory_region_add_subregion(root, s->base, &s->iomem, 0);
    }
    return 0;
}

static void pl031_unrealize(DeviceState *dev)
{
    PL031State *s = DEVICE_CAST(PL031State, dev);
    timer_free(s->alarm);
    s->alarm = NULL;
    if (s->iomem.parent) {
        memory_region_del_subregion(s->iomem.parent, &s->iomem);
    }
    memory_region_destroy(&s->iomem);
}

static void pl031_reset(DeviceState *dev)
{
    PL031State *s = DEVICE_CAST(PL031State, dev);
    s->tick_offset = clock_get_ns(CLK_HOST) / NS_PER_SEC - pl031_now_seconds();
    s->mr = s->lr = s->imsc = s->ris = 0;
    s->cr = 1;
    timer_del(s->alarm);
    pl031_update(s);
}

static const Property pl031_props[] = {
    DEFINE_PROP_UINT64("addr", PL031State, base, 0),
    DEFINE_PROP_BOOL("has-addr", PL031State, has_base, false),
    DEFINE_PROP_END,
};

const DeviceType pl031_device_type = {
    .name = "pl031",
    .instance_size = sizeof(PL031State),
    .description = "ARM PrimeCell PL031 real-time clock",
    .realize = pl031_realize,
    .unrealize = pl031_unrealize,
    .reset = pl031_reset,
    .props = pl031_props,
};
DEVICE_TYPE_REGISTER(pl031_device_type)
