/* Local APIC (Intel SDM vol. 3A chapter 10, xAPIC mode): ID, version, TPR/PPR, EOI with
 * broadcast to the IOAPIC for level-triggered vectors, logical destinations (flat and
 * cluster), spurious-vector register with software disable, ISR/TMR/IRR, error status,
 * ICR (fixed, lowest priority, NMI, INIT, SIPI; shorthands), the LVT, and the timer in
 * one-shot, periodic and TSC-deadline modes on the virtual clock (1 GHz bus before the
 * divider). One MMIO page at 0xfee00000 serves the LAPIC of the CPU that accesses it.
 * x2APIC mode and relocating the APIC base are not modelled (logged under -d unimp). */
#include <stdlib.h>
#include <string.h>
#include "hw/intc/apic.h"
#include "target-i386/cpu.h"
#include "util/cutils.h"
#include "util/log.h"

#define APIC_MAX 256
#define LVT_TIMER 0
#define LVT_LINT0 3
#define LVT_LINT1 4
#define LVT_ERROR 5
#define LVT_MASKED (1u << 16)
#define LVT_LEVEL (1u << 15)
#define SVR_ENABLE (1u << 8)
#define ESR_ILLEGAL_VECTOR (1u << 6)
#define TIMER_ONESHOT 0
#define TIMER_PERIODIC 1
#define TIMER_TSC_DEADLINE 2

static APICState *apics[APIC_MAX];
static MemoryRegion apic_mmio;
static int mmio_default_cpu;
static void (*eoi_listener)(void *opaque, uint8_t vector);
static void *eoi_opaque;
static int (*pic_ack)(void *opaque);
static bool (*pic_pending)(void *opaque);
static void *pic_opaque;

/* ---- 256-bit vector sets ------------------------------------------------------------- */

static void set_bit256(uint32_t *tab, int v) { tab[v >> 5] |= 1u << (v & 31); }
static void clear_bit256(uint32_t *tab, int v) { tab[v >> 5] &= ~(1u << (v & 31)); }
static bool test_bit256(const uint32_t *tab, int v) { return tab[v >> 5] & (1u << (v & 31)); }

static int highest_bit256(const uint32_t *tab)
{
    for (int i = 7; i >= 0; i--) {
        if (tab[i]) {
            return i * 32 + 31 - __builtin_clz(tab[i]);
        }
    }
    return -1;
}

/* ---- priorities and the CPU's INTR ------------------------------------------------------ */

static bool apic_sw_enabled(const APICState *s)
{
    return s->hw_enabled && (s->svr & SVR_ENABLE);
}

static uint8_t apic_ppr(const APICState *s)
{
    int isrv = highest_bit256(s->isr);

    if (isrv < 0 || (s->tpr >> 4) >= (isrv >> 4)) {
        return s->tpr;
    }
    return isrv & 0xf0;
}

/* The vector the LAPIC would deliver now, or -1. */
static int apic_deliverable(const APICState *s)
{
    int irrv = highest_bit256(s->irr);

    if (irrv < 0 || (irrv & 0xf0) <= (apic_ppr(s) & 0xf0)) {
        return -1;
    }
    return irrv;
}

bool apic_accepts_pic(APICState *s)
{
    uint32_t lvt0 = s->lvt[LVT_LINT0];

    return !s->hw_enabled ||
           (!(lvt0 & LVT_MASKED) && ((lvt0 >> 8) & 7) == APIC_DM_EXTINT);
}

static void apic_update_irq(APICState *s)
{
    bool want = apic_deliverable(s) >= 0 || (s->extint_pending && apic_accepts_pic(s));

    if (!s->cpu) {
        return;
    }
    if (want) {
        cpu_interrupt(s->cpu, CPU_INTERRUPT_HARD);
    } else {
        cpu_reset_interrupt(s->cpu, CPU_INTERRUPT_HARD);
    }
}

static void apic_set_irq(APICState *s, int vector, bool level_triggered)
{
    if (vector < 16) {
        s->esr |= ESR_ILLEGAL_VECTOR;
        return;
    }
    set_bit256(s->irr, vector);
    if (level_triggered) {
        set_bit256(s->tmr, vector);
    } else {
        clear_bit256(s->tmr, vector);
    }
    apic_update_irq(s);
}

int apic_ack(APICState *s)
{
    int v = apic_deliverable(s);

    if (v >= 0) {
        clear_bit256(s->irr, v);
        set_bit256(s->isr, v);
    } else if (s->extint_pending && apic_accepts_pic(s) && pic_ack &&
               (!pic_pending || pic_pending(pic_opaque))) {
        v = pic_ack(pic_opaque);
    }
    apic_update_irq(s);
    return v;
}

void apic_set_pic_intr(APICState *s, bool level)
{
    s->extint_pending = level;
    apic_update_irq(s);
}

void apic_set_pic_ack(int (*ack)(void *opaque), bool (*pending)(void *opaque), void *opaque)
{
    pic_ack = ack;
    pic_pending = pending;
    pic_opaque = opaque;
}

void apic_set_eoi_listener(void (*fn)(void *opaque, uint8_t vector), void *opaque)
{
    eoi_listener = fn;
    eoi_opaque = opaque;
}

static void apic_eoi(APICState *s)
{
    int v = highest_bit256(s->isr);

    if (v < 0) {
        return;
    }
    clear_bit256(s->isr, v);
    if (test_bit256(s->tmr, v) && eoi_listener) {
        eoi_listener(eoi_opaque, v);
    }
    apic_update_irq(s);
}

/* ---- timer ------------------------------------------------------------------------------------ */

static int timer_mode(const APICState *s)
{
    return (s->lvt[LVT_TIMER] >> 17) & 3;
}

static int divide_shift(const APICState *s)
{
    int v = (s->divide_conf & 3) | ((s->divide_conf >> 1) & 4);
    return (v + 1) & 7;
}

static void apic_timer_arm(APICState *s, int64_t now)
{
    int64_t period = (int64_t)s->initial_count << divide_shift(s);

    if (timer_mode(s) == TIMER_TSC_DEADLINE || !s->initial_count) {
        s->next_time = -1;
    } else if (timer_mode(s) == TIMER_PERIODIC) {
        int64_t elapsed = now - s->initial_count_load_time;
        s->next_time = s->initial_count_load_time + (elapsed / period + 1) * period;
    } else {
        s->next_time = s->initial_count_load_time + period;
        if (s->next_time <= now) {
            s->next_time = -1;      /* one-shot already expired */
        }
    }
    if (s->next_time < 0) {
        timer_del(s->timer);
    } else {
        timer_mod(s->timer, s->next_time);
    }
}

static void apic_timer_fire(APICState *s)
{
    uint32_t lvt = s->lvt[LVT_TIMER];

    if (!(lvt & LVT_MASKED) && apic_sw_enabled(s)) {
        apic_set_irq(s, lvt & 0xff, false);
    }
}

static void apic_timer_cb(void *opaque)
{
    APICState *s = opaque;
    int64_t now = clock_get_ns(CLK_VIRTUAL);

    apic_timer_fire(s);
    if (timer_mode(s) == TIMER_TSC_DEADLINE) {
        s->tsc_deadline = 0;
        s->next_time = -1;
    } else if (timer_mode(s) == TIMER_PERIODIC) {
        apic_timer_arm(s, now);
    } else {
        s->next_time = -1;
    }
}

static uint32_t apic_current_count(APICState *s)
{
    int64_t now = clock_get_ns(CLK_VIRTUAL);
    uint64_t ticks, count = s->initial_count;

    if (!count || timer_mode(s) == TIMER_TSC_DEADLINE) {
        return 0;
    }
    ticks = (uint64_t)(now - s->initial_count_load_time) >> divide_shift(s);
    if (timer_mode(s) == TIMER_PERIODIC) {
        return count - ticks % count;
    }
    return ticks >= count ? 0 : count - ticks;
}

void apic_set_tsc_deadline(APICState *s, uint64_t tsc, int64_t expire_ns)
{
    s->tsc_deadline = tsc;
    if (timer_mode(s) != TIMER_TSC_DEADLINE) {
        return;
    }
    if (!tsc) {
        timer_del(s->timer);
        s->next_time = -1;
        return;
    }
    s->next_time = expire_ns;
    timer_mod(s->timer, s->next_time);
}

uint64_t apic_get_tsc_deadline(APICState *s)
{
    return timer_mode(s) == TIMER_TSC_DEADLINE ? s->tsc_deadline : 0;
}

/* ---- delivery on the APIC bus ------------------------------------------------------------------ */

static bool apic_match_logical(const APICState *s, uint8_t dest)
{
    if (dest == 0xff) {
        return true;
    }
    if ((s->dfr & 0xf) == 0xf) {                /* flat model */
        return (dest & s->ldr) != 0;
    }
    return (dest & 0xf0) == (s->ldr & 0xf0) && (dest & s->ldr & 0x0f);  /* cluster */
}

static bool apic_match(const APICState *s, uint8_t dest, bool logical)
{
    if (!s->hw_enabled) {
        return false;
    }
    return logical ? apic_match_logical(s, dest) : (dest == 0xff || dest == s->id);
}

static void apic_init_reset(APICState *s);

static void apic_deliver_one(APICState *s, int mode, uint8_t vector, bool level)
{
    switch (mode) {
    case APIC_DM_FIXED:
    case APIC_DM_LOWPRI:
        if (apic_sw_enabled(s)) {
            apic_set_irq(s, vector, level);
        }
        break;
    case APIC_DM_NMI:
        cpu_interrupt(s->cpu, CPU_INTERRUPT_NMI);
        break;
    case APIC_DM_INIT:
        apic_init_reset(s);
        cpu_interrupt(s->cpu, CPU_INTERRUPT_INIT);
        break;
    case APIC_DM_SIPI:
        s->sipi_vector = vector;
        x86_cpu(s->cpu)->sipi_vector = vector;
        cpu_interrupt(s->cpu, CPU_INTERRUPT_SIPI);
        break;
    default:
        log_category_printf(LOG_UNIMP, "apic: delivery mode %d not modelled\n", mode);
        break;
    }
}

void apic_bus_deliver(uint8_t dest, bool logical, int delivery_mode, uint8_t vector,
                      bool level_triggered)
{
    for (int i = 0; i < APIC_MAX; i++) {
        APICState *s = apics[i];
        if (s && s->cpu && apic_match(s, dest, logical)) {
            apic_deliver_one(s, delivery_mode, vector, level_triggered);
            if (delivery_mode == APIC_DM_LOWPRI) {
                return;             /* the first match takes a lowest-priority message */
            }
        }
    }
}

static void apic_send_ipi(APICState *self)
{
    uint32_t lo = self->icr[0];
    int mode = (lo >> 8) & 7, shorthand = (lo >> 18) & 3;
    bool level = lo & LVT_LEVEL, assert_ = lo & (1u << 14);

    if (mode == APIC_DM_INIT && level && !assert_) {
        return;                     /* INIT level de-assert: nothing on modern CPUs */
    }
    for (int i = 0; i < APIC_MAX; i++) {
        APICState *s = apics[i];
        bool hit;
        if (!s || !s->cpu) {
            continue;
        }
        switch (shorthand) {
        case 0: hit = apic_match(s, self->icr[1] >> 24, lo & (1u << 11)); break;
        case 1: hit = s == self; break;
        case 2: hit = true; break;
        default: hit = s != self; break;
        }
        if (hit) {
            apic_deliver_one(s, mode, lo & 0xff, false);
            if (mode == APIC_DM_LOWPRI && shorthand == 0) {
                return;
            }
        }
    }
}

/* ---- registers --------------------------------------------------------------------------------- */

static uint32_t apic_read_reg(APICState *s, int index)
{
    switch (index) {
    case 0x02: return (uint32_t)s->id << 24;
    case 0x03: return 0x00050014;           /* version 0x14, 6 LVT entries */
    case 0x08: return s->tpr;
    case 0x09: return 0;                    /* APR */
    case 0x0a: return apic_ppr(s);
    case 0x0d: return (uint32_t)s->ldr << 24;
    case 0x0e: return ((uint32_t)s->dfr << 28) | 0x0fffffff;
    case 0x0f: return s->svr;
    case 0x10 ... 0x17: return s->isr[index - 0x10];
    case 0x18 ... 0x1f: return s->tmr[index - 0x18];
    case 0x20 ... 0x27: return s->irr[index - 0x20];
    case 0x28: return s->esr;
    case 0x30: return s->icr[0] & ~(1u << 12);  /* delivery status: idle */
    case 0x31: return s->icr[1];
    case 0x32 ... 0x37: return s->lvt[index - 0x32];
    case 0x38: return s->initial_count;
    case 0x39: return apic_current_count(s);
    case 0x3e: return s->divide_conf;
    default: return 0;
    }
}

static void apic_write_lvt(APICState *s, int n, uint32_t val)
{
    int old_mode = timer_mode(s);

    if (!(s->svr & SVR_ENABLE)) {
        val |= LVT_MASKED;
    }
    s->lvt[n] = val;
    if (n == LVT_TIMER && old_mode != timer_mode(s)) {
        timer_del(s->timer);        /* a mode change stops the timer */
        s->next_time = -1;
        s->tsc_deadline = 0;
        s->initial_count = 0;
    }
    apic_update_irq(s);
}

static void apic_write_svr(APICState *s, uint32_t val)
{
    s->svr = val & 0x3ff;
    if (!(s->svr & SVR_ENABLE)) {
        for (int i = 0; i < APIC_LVT_NB; i++) {
            s->lvt[i] |= LVT_MASKED;
        }
    }
    apic_update_irq(s);
}

static void apic_write_reg(APICState *s, int index, uint32_t val)
{
    switch (index) {
    case 0x02: s->id = val >> 24; break;
    case 0x08: s->tpr = val & 0xff; apic_update_irq(s); break;
    case 0x0b: apic_eoi(s); break;
    case 0x0d: s->ldr = val >> 24; break;
    case 0x0e: s->dfr = val >> 28; break;
    case 0x0f: apic_write_svr(s, val); break;
    case 0x28: s->esr = 0; break;
    case 0x30: s->icr[0] = val & ~(1u << 12); apic_send_ipi(s); break;
    case 0x31: s->icr[1] = val & 0xff000000u; break;
    case 0x32 ... 0x37: apic_write_lvt(s, index - 0x32, val); break;
    case 0x38:
        s->initial_count = val;
        s->initial_count_load_time = clock_get_ns(CLK_VIRTUAL);
        apic_timer_arm(s, s->initial_count_load_time);
        break;
    case 0x3e:
        s->divide_conf = val & 0xb;
        break;
    default:
        break;                      /* read-only or reserved */
    }
}

static APICState *apic_mmio_target(void)
{
    CPUState *cpu = current_cpu();
    int index = cpu ? cpu->index : mmio_default_cpu;

    return index >= 0 && index < APIC_MAX ? apics[index] : NULL;
}

static uint64_t apic_mmio_read(void *opaque, hwaddr offset, unsigned size)
{
    APICState *s = apic_mmio_target();

    if (!s || !s->hw_enabled) {
        return UINT32_MAX;
    }
    return apic_read_reg(s, offset >> 4);
}

static void apic_mmio_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    APICState *s = apic_mmio_target();

    if (s && s->hw_enabled) {
        apic_write_reg(s, offset >> 4, value);
    }
}

static const MemoryRegionOps apic_mmio_ops = {
    .read = apic_mmio_read, .write = apic_mmio_write,
    .valid_min = 1, .valid_max = 4, .impl_min = 4, .impl_max = 4,
};

void apic_mmio_init(MemoryRegion *system_memory)
{
    memory_region_init_io(&apic_mmio, &apic_mmio_ops, NULL, "apic", 0x1000);
    memory_region_add_subregion(system_memory, APIC_DEFAULT_ADDRESS, &apic_mmio, 1);
}

void apic_mmio_fini(MemoryRegion *system_memory)
{
    memory_region_destroy(&apic_mmio);
}

void apic_set_mmio_default_cpu(int index)
{
    mmio_default_cpu = index;
}

APICState *apic_for_cpu(int index)
{
    return index >= 0 && index < APIC_MAX ? apics[index] : NULL;
}

/* ---- CPU side ------------------------------------------------------------------------------------ */

uint8_t apic_get_tpr_cr8(APICState *s)
{
    return s->tpr >> 4;
}

void apic_set_tpr_cr8(APICState *s, uint8_t cr8)
{
    s->tpr = (cr8 & 0xf) << 4;
    apic_update_irq(s);
}

void apic_base_changed(APICState *s, uint64_t apic_base)
{
    bool enabled = apic_base & X86_APIC_BASE_ENABLE;

    if ((apic_base & ~0xfffull) != APIC_DEFAULT_ADDRESS || (apic_base & X86_APIC_BASE_EXTD)) {
        log_category_printf(LOG_UNIMP, "apic: base 0x%llx (relocation, x2APIC) not modelled\n",
                            (unsigned long long)apic_base);
    }
    if (s->hw_enabled && !enabled) {
        apic_init_reset(s);         /* disabling clears the state like a reset */
    }
    s->hw_enabled = enabled;
    apic_update_irq(s);
}

/* ---- life ------------------------------------------------------------------------------------------ */

static void apic_init_reset(APICState *s)
{
    s->tpr = s->ldr = s->esr = 0;
    s->dfr = 0xf;
    s->svr = 0xff;
    memset(s->isr, 0, sizeof(s->isr));
    memset(s->irr, 0, sizeof(s->irr));
    memset(s->tmr, 0, sizeof(s->tmr));
    for (int i = 0; i < APIC_LVT_NB; i++) {
        s->lvt[i] = LVT_MASKED;
    }
    s->icr[0] = s->icr[1] = 0;
    s->divide_conf = s->initial_count = 0;
    s->tsc_deadline = 0;
    s->next_time = -1;
    timer_del(s->timer);
}

static void apic_reset(DeviceState *dev)
{
    APICState *s = DEVICE_CAST(APICState, dev);

    s->id = s->cpu_index;
    s->hw_enabled = true;
    apic_init_reset(s);
    if (s->cpu_index == 0) {
        /* virtual wire through LINT0 until the BIOS programs the LAPIC, as QEMU's BIOSes
         * expect the PIC to work from reset */
        s->lvt[LVT_LINT0] = APIC_DM_EXTINT << 8;
    }
    apic_update_irq(s);
}

static int apic_realize(DeviceState *dev, Error **errp)
{
    APICState *s = DEVICE_CAST(APICState, dev);

    if (s->cpu_index >= APIC_MAX || apics[s->cpu_index]) {
        error_setg(errp, "no LAPIC slot for CPU %u", s->cpu_index);
        return -1;
    }
    s->timer = timer_new(CLK_VIRTUAL, apic_timer_cb, s);
    if (s->cpu) {
        /* its CPU's thread runs it (system/cpus.c): the tick wakes that thread only */
        timer_set_owner(s->timer, &s->cpu->timer_owner);
    }
    apics[s->cpu_index] = s;
    apic_reset(dev);
    return 0;
}

static void apic_unrealize(DeviceState *dev)
{
    APICState *s = DEVICE_CAST(APICState, dev);

    timer_free(s->timer);
    apics[s->cpu_index] = NULL;
}

APICState *apic_create(CPUState *cpu, Error **errp)
{
    DeviceState *dev = device_create(TYPE_APIC, NULL, errp);
    APICState *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(APICState, dev);
    s->cpu = cpu;
    s->cpu_index = cpu->index;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}

static int apic_post_load(DeviceState *dev, Error **errp)
{
    APICState *s = DEVICE_CAST(APICState, dev);

    apic_timer_arm(s, clock_get_ns(CLK_VIRTUAL));
    apic_update_irq(s);
    return 0;
}

static const VMStateField apic_vmstate[] = {
    VMSTATE_UINT8(id, APICState),
    VMSTATE_BOOL(hw_enabled, APICState),
    VMSTATE_UINT8(tpr, APICState),
    VMSTATE_UINT8(ldr, APICState),
    VMSTATE_UINT8(dfr, APICState),
    VMSTATE_UINT32(svr, APICState),
    VMSTATE_UINT32_ARRAY(isr, APICState, 8),
    VMSTATE_UINT32_ARRAY(irr, APICState, 8),
    VMSTATE_UINT32_ARRAY(tmr, APICState, 8),
    VMSTATE_UINT32_ARRAY(lvt, APICState, APIC_LVT_NB),
    VMSTATE_UINT32_ARRAY(icr, APICState, 2),
    VMSTATE_UINT32(divide_conf, APICState),
    VMSTATE_UINT32(initial_count, APICState),
    VMSTATE_BUFFER(initial_count_load_time, APICState),
    VMSTATE_END,
};

static const DeviceType apic_type = {
    .name = TYPE_APIC,
    .instance_size = sizeof(APICState),
    .description = "local APIC",
    .realize = apic_realize,
    .unrealize = apic_unrealize,
    .reset = apic_reset,
    .vmstate = apic_vmstate,
    .post_load = apic_post_load,
};
DEVICE_TYPE_REGISTER(apic_type)

/* ---- info lapic ------------------------------------------------------------------------------------- */

static void print_vectors(FILE *out, const char *name, const uint32_t *tab)
{
    bool any = false;

    fprintf(out, "%s\t", name);
    for (int v = 0; v < 256; v++) {
        if (test_bit256(tab, v)) {
            fprintf(out, " %d", v);
            any = true;
        }
    }
    fprintf(out, "%s\n", any ? "" : " (none)");
}

void apic_print_info(APICState *s, FILE *out)
{
    static const char *const lvt_names[APIC_LVT_NB] = {
        "LVTT", "LVTTHMR", "LVTPC", "LVT0", "LVT1", "LVTERR",
    };

    fprintf(out, "dumping local APIC state for CPU %u\n\n", s->cpu_index);
    for (int i = 0; i < APIC_LVT_NB; i++) {
        uint32_t l = s->lvt[i];
        fprintf(out, "%s\t 0x%08x %s vec %u%s\n", lvt_names[i], l,
                (l & LVT_LEVEL) ? "level" : "edge", l & 0xff, (l & LVT_MASKED) ? " masked" : "");
    }
    fprintf(out, "Timer\t DCR=0x%x (divide by %u) initial_count = %u current_count = %u\n",
            s->divide_conf, 1u << divide_shift(s), s->initial_count, apic_current_count(s));
    fprintf(out, "SPIV\t 0x%08x APIC %s, spurious vec %u\n", s->svr,
            (s->svr & SVR_ENABLE) ? "enabled" : "disabled", s->svr & 0xff);
    fprintf(out, "ICR\t 0x%08x\nICR2\t 0x%08x\nESR\t 0x%08x\n", s->icr[0], s->icr[1], s->esr);
    print_vectors(out, "ISR", s->isr);
    print_vectors(out, "IRR", s->irr);
    fprintf(out, "\nAPR 0x00 TPR 0x%02x DFR 0x%02x LDR 0x%02x PPR 0x%02x\n", s->tpr, s->dfr,
            s->ldr, apic_ppr(s));
}
