/* Motorola MC146818A RTC (datasheet; PC/AT CMOS layout): time and date registers in BCD or
 * binary, 12/24-hour mode, SET to stop updates while the guest writes, the update-in-
 * progress flag (244 us before each second), periodic (rate select), alarm (with don't-care
 * values) and update-ended interrupts on IRQ 8, flags cleared by reading register C, the
 * century byte at 0x32. Time is an offset on the host or virtual clock (-rtc clock=), so
 * register reads cost no timer; timers run only while an interrupt is enabled. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "hw/isa/isa.h"
#include "hw/rtc/mc146818.h"
#include "util/cutils.h"
#include "util/keyval.h"

enum {
    REG_SEC, REG_SEC_ALARM, REG_MIN, REG_MIN_ALARM, REG_HOUR, REG_HOUR_ALARM, REG_WDAY,
    REG_MDAY, REG_MONTH, REG_YEAR, REG_A, REG_B, REG_C, REG_D,
};
#define REGA_UIP 0x80
#define REGB_SET 0x80
#define REGB_PIE 0x40
#define REGB_AIE 0x20
#define REGB_UIE 0x10
#define REGB_DM 0x04            /* binary */
#define REGB_24H 0x02
#define REGC_IRQF 0x80
#define REGC_PF 0x40
#define REGC_AF 0x20
#define REGC_UF 0x10
#define UIP_NS 244000
#define RTC_MAX_SECONDS (1ll << 32)

static int64_t rtc_clock_now(RTCState *s)
{
    return clock_get_ns((ClockType)s->clock_type);
}

static int64_t rtc_now_ns(RTCState *s)
{
    return rtc_clock_now(s) + s->offset_ns;
}

int64_t rtc_guest_time(RTCState *s)
{
    int64_t ns = rtc_now_ns(s);
    return ns >= 0 ? ns / NS_PER_SEC : -((-ns + NS_PER_SEC - 1) / NS_PER_SEC);
}

static uint8_t to_reg(RTCState *s, int v)
{
    return (s->cmos[REG_B] & REGB_DM) ? v : ((v / 10) << 4) | (v % 10);
}

static int from_reg(RTCState *s, uint8_t v)
{
    return (s->cmos[REG_B] & REGB_DM) ? v : ((v >> 4) & 0xf) * 10 + (v & 0xf);
}

static uint8_t hour_to_reg(RTCState *s, int hour)
{
    if (s->cmos[REG_B] & REGB_24H) {
        return to_reg(s, hour);
    }
    return to_reg(s, hour % 12 ? hour % 12 : 12) | (hour >= 12 ? 0x80 : 0);
}

static int hour_from_reg(RTCState *s, uint8_t v)
{
    int hour;

    if (s->cmos[REG_B] & REGB_24H) {
        return from_reg(s, v);
    }
    hour = from_reg(s, v & 0x7f) % 12;
    return (v & 0x80) ? hour + 12 : hour;
}

/* Fills the time registers from the guest time. */
static void rtc_fill_time(RTCState *s)
{
    time_t t = (time_t)rtc_guest_time(s);
    struct tm tm;
    int year;

    gmtime_r(&t, &tm);
    year = tm.tm_year + 1900;
    s->cmos[REG_SEC] = to_reg(s, tm.tm_sec);
    s->cmos[REG_MIN] = to_reg(s, tm.tm_min);
    s->cmos[REG_HOUR] = hour_to_reg(s, tm.tm_hour);
    s->cmos[REG_WDAY] = to_reg(s, tm.tm_wday + 1);
    s->cmos[REG_MDAY] = to_reg(s, tm.tm_mday);
    s->cmos[REG_MONTH] = to_reg(s, tm.tm_mon + 1);
    s->cmos[REG_YEAR] = to_reg(s, year % 100);
    s->cmos[RTC_CENTURY] = to_reg(s, year / 100);
}

/* The guest wrote the time: the clock now runs from the registers' value. */
static void rtc_take_time(RTCState *s)
{
    struct tm tm = { 0 };
    int64_t t, frac;

    tm.tm_sec = from_reg(s, s->cmos[REG_SEC]);
    tm.tm_min = from_reg(s, s->cmos[REG_MIN]);
    tm.tm_hour = hour_from_reg(s, s->cmos[REG_HOUR]);
    tm.tm_mday = from_reg(s, s->cmos[REG_MDAY]);
    tm.tm_mon = from_reg(s, s->cmos[REG_MONTH]) - 1;
    tm.tm_year = from_reg(s, s->cmos[REG_YEAR]) + from_reg(s, s->cmos[RTC_CENTURY]) * 100 - 1900;
    t = timegm(&tm);
    /* nonsense register values may give any year: keep ns arithmetic in range (2116) */
    t = t > RTC_MAX_SECONDS ? RTC_MAX_SECONDS : (t < -RTC_MAX_SECONDS ? -RTC_MAX_SECONDS : t);
    frac = rtc_now_ns(s) % NS_PER_SEC;
    s->offset_ns = t * NS_PER_SEC + (frac > 0 ? frac : 0) - rtc_clock_now(s);
    s->last_update_sec = t;
}

static void rtc_update_irq(RTCState *s)
{
    uint8_t pending = s->cmos[REG_C] & s->cmos[REG_B] & (REGC_PF | REGC_AF | REGC_UF);

    if (pending) {
        s->cmos[REG_C] |= REGC_IRQF;
    }
    irq_set(s->irq, pending != 0);
}

/* Periodic rate in 32.768 kHz ticks, or 0 when off. */
static int64_t rtc_periodic_ns(RTCState *s)
{
    int rs = s->cmos[REG_A] & 0x0f;
    int ticks;

    if (!rs || (s->cmos[REG_A] & 0x70) != 0x20) {
        return 0;
    }
    ticks = rs <= 2 ? 1 << (rs + 6) : 1 << (rs - 1);
    return (int64_t)ticks * NS_PER_SEC / 32768;
}

static void rtc_schedule_periodic(RTCState *s)
{
    int64_t period = rtc_periodic_ns(s);
    int64_t now = rtc_now_ns(s);

    if (!period || !(s->cmos[REG_B] & REGB_PIE)) {
        timer_del(s->periodic);
        return;
    }
    /* Edges are aligned on the RTC's own time base, as the divider chain runs. */
    s->next_periodic = (now / period + 1) * period;
    timer_mod(s->periodic, s->next_periodic - s->offset_ns);
}

static void rtc_periodic_cb(void *opaque)
{
    RTCState *s = opaque;

    s->cmos[REG_C] |= REGC_PF;
    rtc_update_irq(s);
    rtc_schedule_periodic(s);
}

static bool alarm_field_matches(RTCState *s, int reg, int value, bool hour)
{
    uint8_t a = s->cmos[reg];
    return (a & 0xc0) == 0xc0 || (hour ? hour_from_reg(s, a) : from_reg(s, a)) == value;
}

/* Seconds that passed since the last check set UF, and AF if one matched the alarm. */
static void rtc_check_update(RTCState *s)
{
    int64_t now = rtc_guest_time(s);

    if (s->cmos[REG_B] & REGB_SET) {
        return;
    }
    for (int64_t t = s->last_update_sec + 1; t <= now; t++) {
        time_t tt = (time_t)t;
        struct tm tm;
        if (now - t > 86400) {
            t = now - 86400;    /* an alarm repeats daily at most */
            continue;
        }
        gmtime_r(&tt, &tm);
        s->cmos[REG_C] |= REGC_UF;
        if (alarm_field_matches(s, REG_SEC_ALARM, tm.tm_sec, false) &&
            alarm_field_matches(s, REG_MIN_ALARM, tm.tm_min, false) &&
            alarm_field_matches(s, REG_HOUR_ALARM, tm.tm_hour, true)) {
            s->cmos[REG_C] |= REGC_AF;
        }
    }
    if (now > s->last_update_sec) {
        s->last_update_sec = now;
    }
}

static void rtc_schedule_update(RTCState *s)
{
    int64_t next;

    if (!(s->cmos[REG_B] & (REGB_AIE | REGB_UIE)) || (s->cmos[REG_B] & REGB_SET)) {
        timer_del(s->update);
        return;
    }
    next = (s->last_update_sec + 1) * NS_PER_SEC;
    timer_mod(s->update, next - s->offset_ns);
}

static void rtc_update_cb(void *opaque)
{
    RTCState *s = opaque;

    rtc_check_update(s);
    rtc_update_irq(s);
    rtc_schedule_update(s);
}

static uint8_t rtc_read_reg(RTCState *s, uint8_t index)
{
    uint8_t val;

    switch (index) {
    case REG_SEC: case REG_MIN: case REG_HOUR: case REG_WDAY: case REG_MDAY:
    case REG_MONTH: case REG_YEAR: case RTC_CENTURY:
        if (!(s->cmos[REG_B] & REGB_SET)) {
            rtc_fill_time(s);
        }
        return s->cmos[index];
    case REG_A: {
        int64_t frac = rtc_now_ns(s) % NS_PER_SEC;
        bool uip = !(s->cmos[REG_B] & REGB_SET) && frac >= NS_PER_SEC - UIP_NS;
        return (s->cmos[REG_A] & 0x7f) | (uip ? REGA_UIP : 0);
    }
    case REG_C:
        rtc_check_update(s);
        val = s->cmos[REG_C];
        if (val & s->cmos[REG_B] & (REGC_PF | REGC_AF | REGC_UF)) {
            val |= REGC_IRQF;
        }
        s->cmos[REG_C] = 0;
        irq_lower(s->irq);
        return val;
    default:
        return s->cmos[index];
    }
}

static void rtc_write_b(RTCState *s, uint8_t val)
{
    uint8_t old = s->cmos[REG_B];

    if (!(old & REGB_SET)) {
        rtc_fill_time(s);           /* a mode change keeps the current time */
    }
    if (val & REGB_SET) {
        val &= ~REGB_UIE;           /* SET stops updates */
    }
    s->cmos[REG_B] = val;
    if ((old & REGB_SET) && !(val & REGB_SET)) {
        rtc_take_time(s);
    }
    rtc_update_irq(s);
    rtc_schedule_periodic(s);
    rtc_schedule_update(s);
}

static void rtc_write_reg(RTCState *s, uint8_t index, uint8_t val)
{
    switch (index) {
    case REG_SEC: case REG_MIN: case REG_HOUR: case REG_WDAY: case REG_MDAY:
    case REG_MONTH: case REG_YEAR: case RTC_CENTURY:
        if (!(s->cmos[REG_B] & REGB_SET)) {
            rtc_fill_time(s);
        }
        s->cmos[index] = val;
        if (!(s->cmos[REG_B] & REGB_SET)) {
            rtc_take_time(s);
        }
        break;
    case REG_A:
        s->cmos[REG_A] = val & 0x7f;
        rtc_schedule_periodic(s);
        break;
    case REG_B:
        rtc_write_b(s, val);
        break;
    case REG_C:
    case REG_D:
        break;                      /* read-only */
    default:
        s->cmos[index] = val;
        if (index <= REG_HOUR_ALARM) {
            rtc_schedule_update(s);
        }
        break;
    }
}

static uint64_t rtc_io_read(void *opaque, hwaddr offset, unsigned size)
{
    RTCState *s = opaque;
    return offset == 1 ? rtc_read_reg(s, s->index) : 0xff;
}

static void rtc_io_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    RTCState *s = opaque;

    if (offset == 0) {
        s->index = value & 0x7f;    /* bit 7 is the NMI mask, not part of the index */
    } else {
        rtc_write_reg(s, s->index, value);
    }
}

static const MemoryRegionOps rtc_ops = {
    .read = rtc_io_read, .write = rtc_io_write, .valid_min = 1, .valid_max = 1,
};

/* "utc", "localtime" or "YYYY-MM-DD[THH:MM:SS]" (UTC) to the guest's start time. */
static int rtc_parse_base(const char *base, int64_t *start, Error **errp)
{
    struct tm tm = { 0 };
    time_t now = time(NULL);
    const char *end;

    if (!base || !strcmp(base, "utc")) {
        *start = now;
        return 0;
    }
    if (!strcmp(base, "localtime")) {
        localtime_r(&now, &tm);
        *start = timegm(&tm);
        return 0;
    }
    end = strptime(base, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end) {
        memset(&tm, 0, sizeof(tm));
        end = strptime(base, "%Y-%m-%d", &tm);
    }
    if (!end || *end || tm.tm_year < 70 || tm.tm_year > 299) {
        error_setg(errp, "-rtc base=%s: expected utc, localtime or a date as "
                   "2006-06-17T16:01:21 or 2006-06-17 (years 1970-2199)", base);
        return -1;
    }
    *start = timegm(&tm);
    return 0;
}

static int rtc_parse_clock(const char *clock, ClockType *type, Error **errp)
{
    if (!clock || !strcmp(clock, "host") || !strcmp(clock, "rt")) {
        *type = clock && !strcmp(clock, "rt") ? CLK_REALTIME : CLK_HOST;
    } else if (!strcmp(clock, "vm")) {
        *type = CLK_VIRTUAL;
    } else {
        error_setg(errp, "-rtc clock=%s: expected host, rt or vm", clock);
        return -1;
    }
    return 0;
}

int mc146818_check_options(const char *base, const char *clock, Error **errp)
{
    int64_t start;
    ClockType type;

    return rtc_parse_base(base, &start, errp) < 0 || rtc_parse_clock(clock, &type, errp) < 0
           ? -1 : 0;
}

int mc146818_parse_rtc_option(const char *spec, char **base, char **clock, Error **errp)
{
    KeyValList kv;
    const char *b, *c, *drift;
    int ret = 0;

    if (keyval_parse(spec, "base", &kv, errp) < 0) {
        error_prepend(errp, "-rtc %s: ", spec);
        return -1;
    }
    b = keyval_get(&kv, "base");
    c = keyval_get(&kv, "clock");
    drift = keyval_get(&kv, "driftfix");
    if (keyval_check_unused(&kv, "-rtc", errp) < 0 || mc146818_check_options(b, c, errp) < 0) {
        ret = -1;
    } else if (drift && strcmp(drift, "none") && strcmp(drift, "slew")) {
        error_setg(errp, "-rtc driftfix=%s: expected none or slew", drift);
        ret = -1;
    }
    if (!ret && base) {
        *base = b ? xstrdup(b) : NULL;
    }
    if (!ret && clock) {
        *clock = c ? xstrdup(c) : NULL;
    }
    keyval_free(&kv);
    return ret;
}

static void rtc_reset(DeviceState *dev)
{
    RTCState *s = DEVICE_CAST(RTCState, dev);

    s->cmos[REG_B] &= ~(REGB_PIE | REGB_AIE | REGB_UIE | 0x08);
    s->cmos[REG_C] = 0;
    timer_del(s->periodic);
    timer_del(s->update);
    irq_lower(s->irq);
}

static int rtc_realize(DeviceState *dev, Error **errp)
{
    RTCState *s = DEVICE_CAST(RTCState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);
    ClockType type;
    int64_t start;

    if (!io) {
        error_setg(errp, "no port I/O space on this machine");
        return -1;
    }
    if (rtc_parse_base(s->base, &start, errp) < 0 || rtc_parse_clock(s->clock, &type, errp) < 0) {
        return -1;
    }
    if (!s->irq) {
        s->irq = isa_get_irq(s->isairq);
    }
    s->clock_type = type;
    s->offset_ns = start * NS_PER_SEC - clock_get_ns(type);
    s->last_update_sec = start;
    s->cmos[REG_A] = 0x26;          /* 32.768 kHz divider, 1024 Hz rate */
    s->cmos[REG_B] = REGB_24H;
    s->cmos[REG_D] = 0x80;          /* valid RAM and time */
    s->periodic = timer_new(type, rtc_periodic_cb, s);
    s->update = timer_new(type, rtc_update_cb, s);
    memory_region_init_io(&s->io, &rtc_ops, s, "rtc", 2);
    memory_region_add_subregion(io, s->iobase, &s->io, 0);
    rtc_fill_time(s);
    rtc_reset(dev);
    return 0;
}

static void rtc_unrealize(DeviceState *dev)
{
    RTCState *s = DEVICE_CAST(RTCState, dev);

    timer_free(s->periodic);
    timer_free(s->update);
    memory_region_del_subregion(qdev_get_io_root(dev), &s->io);
    memory_region_destroy(&s->io);
}

void rtc_set_memory(RTCState *s, int addr, uint8_t val)
{
    if (addr >= 0 && addr < RTC_CMOS_SIZE) {
        s->cmos[addr] = val;
    }
}

uint8_t rtc_get_memory(RTCState *s, int addr)
{
    return addr >= 0 && addr < RTC_CMOS_SIZE ? s->cmos[addr] : 0xff;
}

RTCState *mc146818_create(BusState *bus, IRQ irq, const char *base, const char *clock,
                          Error **errp)
{
    DeviceState *dev = device_create(TYPE_MC146818, bus, errp);
    RTCState *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(RTCState, dev);
    s->irq = irq;
    if ((base && device_set_prop_str(dev, "base", base, errp) < 0) ||
        (clock && device_set_prop_str(dev, "clock", clock, errp) < 0) ||
        device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}

static int rtc_post_load(DeviceState *dev, Error **errp)
{
    RTCState *s = DEVICE_CAST(RTCState, dev);

    s->index &= 0x7f;
    rtc_schedule_periodic(s);
    rtc_schedule_update(s);
    rtc_update_irq(s);
    return 0;
}

static const Property rtc_props[] = {
    DEFINE_PROP_UINT32_RANGE("iobase", RTCState, iobase, 0x70, 0, 0xfffe),
    DEFINE_PROP_UINT8_RANGE("irq", RTCState, isairq, 8, 0, 15),
    DEFINE_PROP_STRING("base", RTCState, base),
    DEFINE_PROP_STRING("clock", RTCState, clock),
    DEFINE_PROP_END,
};

static const VMStateField rtc_vmstate[] = {
    VMSTATE_UINT8_ARRAY(cmos, RTCState, RTC_CMOS_SIZE),
    VMSTATE_UINT8(index, RTCState),
    VMSTATE_BUFFER(offset_ns, RTCState),
    VMSTATE_BUFFER(last_update_sec, RTCState),
    VMSTATE_END,
};

static const DeviceType rtc_type = {
    .name = TYPE_MC146818,
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(RTCState),
    .description = "MC146818 RTC with CMOS RAM",
    .realize = rtc_realize,
    .unrealize = rtc_unrealize,
    .reset = rtc_reset,
    .props = rtc_props,
    .vmstate = rtc_vmstate,
    .post_load = rtc_post_load,
};
DEVICE_TYPE_REGISTER(rtc_type)
