/* ARM GICv2 distributor (ARM IHI 0048B, chapter 4.3): interrupt state, priorities, CPU
 * targets, trigger configuration, software-generated interrupts, and the rule that decides
 * which interrupt each CPU interface signals. No Security Extensions: GICD_IGROUPR is RAZ/WI
 * and every interrupt is Group 0. Priorities have 5 bits (the low 3 read as zero), as on the
 * GIC-400. The CPU interface registers are in arm_gic_cpuif.c. */
#include <string.h>
#include "hw/intc/arm_gic.h"
#include "system/cpu.h"
#include "util/log.h"

static const uint8_t gic_id_regs[12] = {    /* GICD_PIDR4..7, PIDR0..3, CIDR0..3 */
    0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

GICIrq *arm_gic_irq(ARMGICState *s, int cpu, int irq)
{
    return irq < GIC_INTERNAL ? &s->cpu[cpu].internal[irq] : &s->spi[irq - GIC_INTERNAL];
}

/* Pending as the distributor sees it: latched, a level input held high, or SGI sources. */
bool arm_gic_irq_pending(ARMGICState *s, int cpu, int irq)
{
    if (irq < GIC_NR_SGIS) {
        return s->cpu[cpu].sgi_sources[irq] != 0;
    }
    GICIrq *i = arm_gic_irq(s, cpu, irq);
    return i->pending || (!i->edge && i->level);
}

static bool gic_targets_cpu(ARMGICState *s, int cpu, int irq)
{
    if (irq < GIC_INTERNAL || s->num_cpus == 1) {
        return true;
    }
    return (s->spi_target[irq - GIC_INTERNAL] >> cpu) & 1;
}

/* The highest-priority (lowest value, then lowest ID) enabled, pending, inactive interrupt
 * that targets cpu, or GIC_SPURIOUS. */
int arm_gic_best_pending(ARMGICState *s, int cpu, uint8_t *prio)
{
    int best = GIC_SPURIOUS;
    unsigned best_prio = 0x100;

    for (int irq = 0; irq < (int)s->num_irqs; irq++) {
        GICIrq *i = arm_gic_irq(s, cpu, irq);
        if (i->enabled && !i->active && i->priority < best_prio &&
            gic_targets_cpu(s, cpu, irq) && arm_gic_irq_pending(s, cpu, irq)) {
            best = irq;
            best_prio = i->priority;
        }
    }
    *prio = best_prio & 0xff;
    return best;
}

/* Group priority mask for a binary point (4.4.3: bits [7:bpr+1] preempt). */
static uint8_t gic_group_mask(uint8_t bpr)
{
    return (uint8_t)(0xffu << (bpr + 1));
}

static bool gic_cpu_should_signal(ARMGICState *s, int cpu)
{
    GICCpu *c = &s->cpu[cpu];
    uint8_t prio;

    if (!(s->dist_ctlr & 1) || !(c->ctlr & GICC_CTLR_ENABLE)) {
        return false;
    }
    if (arm_gic_best_pending(s, cpu, &prio) == GIC_SPURIOUS || prio >= c->pmr) {
        return false;
    }
    for (int k = 0; k < c->nr_act; k++) {
        uint8_t m = gic_group_mask(c->bpr);
        if ((prio & m) >= (c->act_prio[k] & m)) {
            return false;           /* does not preempt what is running */
        }
    }
    return true;
}

void arm_gic_update(ARMGICState *s)
{
    for (int cpu = 0; cpu < (int)s->num_cpus; cpu++) {
        bool level = gic_cpu_should_signal(s, cpu);
        if (level != s->cpu[cpu].irq_out_level) {
            s->cpu[cpu].irq_out_level = level;
            irq_set(s->irq_out[cpu], level);
        }
    }
}

/* ---- input lines ------------------------------------------------------------------------ */

static void gic_set_irq(void *opaque, int n, int level)
{
    ARMGICState *s = opaque;
    int nspi = (int)s->num_irqs - GIC_INTERNAL;
    int cpu = 0, irq;

    if (n < nspi) {
        irq = GIC_INTERNAL + n;
    } else {
        cpu = (n - nspi) / GIC_INTERNAL;
        irq = (n - nspi) % GIC_INTERNAL;
        if (irq < GIC_NR_SGIS) {
            return;                 /* SGIs have no input line */
        }
    }
    GICIrq *i = arm_gic_irq(s, cpu, irq);
    if (i->edge && level && !i->level) {
        i->pending = true;
    }
    i->level = level != 0;
    arm_gic_update(s);
}

IRQ arm_gic_spi(ARMGICState *s, int n)
{
    return n >= 0 && n < (int)s->num_irqs - GIC_INTERNAL ? s->inputs[n] : NULL;
}

IRQ arm_gic_ppi(ARMGICState *s, int cpu, int intid)
{
    if (cpu < 0 || cpu >= (int)s->num_cpus || intid < GIC_NR_SGIS || intid >= GIC_INTERNAL) {
        return NULL;
    }
    return s->inputs[s->num_irqs - GIC_INTERNAL + cpu * GIC_INTERNAL + intid];
}

/* ---- distributor registers ------------------------------------------------------------- */

enum { BIT_ENABLED, BIT_PENDING, BIT_ACTIVE };

static bool gic_get_bit(ARMGICState *s, int cpu, int irq, int which)
{
    GICIrq *i = arm_gic_irq(s, cpu, irq);
    switch (which) {
    case BIT_ENABLED: return i->enabled;
    case BIT_PENDING: return arm_gic_irq_pending(s, cpu, irq);
    default: return i->active;
    }
}

static void gic_set_bit(ARMGICState *s, int cpu, int irq, int which, bool on)
{
    GICIrq *i = arm_gic_irq(s, cpu, irq);
    switch (which) {
    case BIT_ENABLED: i->enabled = on; break;
    case BIT_PENDING:
        if (irq >= GIC_NR_SGIS) {   /* SGIs: GICD_SPENDSGIR/CPENDSGIR instead */
            i->pending = on;
        }
        break;
    default: i->active = on; break;
    }
}

static uint32_t gic_bitmap_read(ARMGICState *s, int cpu, hwaddr off, int which)
{
    uint32_t v = 0;
    int base = (int)(off & 0x7f) * 8;
    for (int b = 0; b < 32 && base + b < (int)s->num_irqs; b++) {
        v |= (uint32_t)gic_get_bit(s, cpu, base + b, which) << b;
    }
    return v;
}

/* Write-1-to-set (set = true) or write-1-to-clear registers. */
static void gic_bitmap_write(ARMGICState *s, int cpu, hwaddr off, int which, bool set,
                             uint32_t value)
{
    int base = (int)(off & 0x7f) * 8;
    for (int b = 0; b < 32 && base + b < (int)s->num_irqs; b++) {
        if (value & (1u << b)) {
            gic_set_bit(s, cpu, base + b, which, set);
        }
    }
}

static uint8_t gic_target_read(ARMGICState *s, int cpu, int irq)
{
    if (irq < GIC_INTERNAL || s->num_cpus == 1) {
        return (uint8_t)(1u << cpu);
    }
    return s->spi_target[irq - GIC_INTERNAL];
}

/* Byte-wide registers: priorities, targets, SGI pending sources. */
static uint8_t gic_byte_read(ARMGICState *s, int cpu, hwaddr off)
{
    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + s->num_irqs) {
        return arm_gic_irq(s, cpu, (int)(off - GICD_IPRIORITYR))->priority;
    }
    if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + s->num_irqs) {
        return gic_target_read(s, cpu, (int)(off - GICD_ITARGETSR));
    }
    if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + GIC_NR_SGIS) {
        return s->cpu[cpu].sgi_sources[(off - GICD_CPENDSGIR) % GIC_NR_SGIS];
    }
    return 0;
}

static void gic_byte_write(ARMGICState *s, int cpu, hwaddr off, uint8_t v)
{
    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + s->num_irqs) {
        arm_gic_irq(s, cpu, (int)(off - GICD_IPRIORITYR))->priority = v & GIC_PRIO_MASK;
    } else if (off >= GICD_ITARGETSR + GIC_INTERNAL && off < GICD_ITARGETSR + s->num_irqs) {
        if (s->num_cpus > 1) {
            s->spi_target[off - GICD_ITARGETSR - GIC_INTERNAL] =
                v & (uint8_t)((1u << s->num_cpus) - 1);
        }
    } else if (off >= GICD_CPENDSGIR && off < GICD_CPENDSGIR + GIC_NR_SGIS) {
        s->cpu[cpu].sgi_sources[off - GICD_CPENDSGIR] &= (uint8_t)~v;
    } else if (off >= GICD_SPENDSGIR && off < GICD_SPENDSGIR + GIC_NR_SGIS) {
        s->cpu[cpu].sgi_sources[off - GICD_SPENDSGIR] |= v & (uint8_t)((1u << s->num_cpus) - 1);
    }
}

static bool gic_is_byte_reg(hwaddr off)
{
    return (off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||
           (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + GIC_NR_SGIS);
}

static uint32_t gic_icfgr_read(ARMGICState *s, int cpu, hwaddr off)
{
    uint32_t v = 0;
    int base = (int)(off - GICD_ICFGR) * 4;
    for (int k = 0; k < 16 && base + k < (int)s->num_irqs; k++) {
        if (arm_gic_irq(s, cpu, base + k)->edge) {
            v |= 2u << (2 * k);
        }
    }
    return v;
}

static void gic_icfgr_write(ARMGICState *s, int cpu, hwaddr off, uint32_t value)
{
    int base = (int)(off - GICD_ICFGR) * 4;
    for (int k = 0; k < 16 && base + k < (int)s->num_irqs; k++) {
        if (base + k >= GIC_NR_SGIS) {      /* SGIs are always edge-triggered */
            arm_gic_irq(s, cpu, base + k)->edge = (value >> (2 * k + 1)) & 1;
        }
    }
}

/* GICD_SGIR: TargetListFilter [25:24], CPUTargetList [23:16], SGIINTID [3:0]. */
static void gic_send_sgi(ARMGICState *s, int cpu, uint32_t value)
{
    uint32_t all = (1u << s->num_cpus) - 1, targets;
    switch ((value >> 24) & 3) {
    case 0: targets = (value >> 16) & all; break;
    case 1: targets = all & ~(1u << cpu); break;
    case 2: targets = 1u << cpu; break;
    default:
        log_category_printf(LOG_GUEST_ERROR, "arm_gic: GICD_SGIR reserved filter 0x%x\n",
                            value);
        return;
    }
    for (int t = 0; t < (int)s->num_cpus; t++) {
        if (targets & (1u << t)) {
            s->cpu[t].sgi_sources[value & 0xf] |= (uint8_t)(1u << cpu);
        }
    }
}

static uint32_t gic_dist_word_read(ARMGICState *s, int cpu, hwaddr off)
{
    if (off == GICD_CTLR) {
        return s->dist_ctlr;
    } else if (off == GICD_TYPER) {
        return (s->num_irqs / 32 - 1) | ((s->num_cpus - 1) << 5);
    } else if (off == GICD_IIDR) {
        return 0x0200043b;
    } else if (off >= GICD_ISENABLER && off < GICD_ISPENDR) {
        return gic_bitmap_read(s, cpu, off, BIT_ENABLED);
    } else if (off >= GICD_ISPENDR && off < GICD_ISACTIVER) {
        return gic_bitmap_read(s, cpu, off, BIT_PENDING);
    } else if (off >= GICD_ISACTIVER && off < GICD_IPRIORITYR) {
        return gic_bitmap_read(s, cpu, off, BIT_ACTIVE);
    } else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        return gic_icfgr_read(s, cpu, off);
    } else if (off >= GICD_PIDR && off < 0x1000) {
        return gic_id_regs[(off - GICD_PIDR) / 4];
    }
    return 0;                       /* IGROUPR, GICD_SGIR (write-only), reserved: RAZ */
}

static void gic_dist_word_write(ARMGICState *s, int cpu, hwaddr off, uint32_t v)
{
    if (off == GICD_CTLR) {
        s->dist_ctlr = v & 1;
    } else if (off >= GICD_ISENABLER && off < GICD_ISPENDR) {
        gic_bitmap_write(s, cpu, off, BIT_ENABLED, off < GICD_ICENABLER, v);
    } else if (off >= GICD_ISPENDR && off < GICD_ISACTIVER) {
        gic_bitmap_write(s, cpu, off, BIT_PENDING, off < GICD_ICPENDR, v);
    } else if (off >= GICD_ISACTIVER && off < GICD_IPRIORITYR) {
        gic_bitmap_write(s, cpu, off, BIT_ACTIVE, off < GICD_ICACTIVER, v);
    } else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        gic_icfgr_write(s, cpu, off, v);
    } else if (off == GICD_SGIR) {
        gic_send_sgi(s, cpu, v);
    }
}

uint32_t arm_gic_dist_read(ARMGICState *s, int cpu, hwaddr off, unsigned size)
{
    if (gic_is_byte_reg(off)) {
        uint32_t v = 0;
        for (unsigned b = 0; b < size; b++) {
            v |= (uint32_t)gic_byte_read(s, cpu, off + b) << (8 * b);
        }
        return v;
    }
    if (size != 4 || (off & 3)) {
        log_category_printf(LOG_GUEST_ERROR, "arm_gic: %u-byte read of GICD+0x%x\n", size,
                            (unsigned)off);
        return 0;
    }
    return gic_dist_word_read(s, cpu, off);
}

void arm_gic_dist_write(ARMGICState *s, int cpu, hwaddr off, uint32_t value, unsigned size)
{
    if (gic_is_byte_reg(off)) {
        for (unsigned b = 0; b < size; b++) {
            gic_byte_write(s, cpu, off + b, (uint8_t)(value >> (8 * b)));
        }
    } else if (size != 4 || (off & 3)) {
        log_category_printf(LOG_GUEST_ERROR, "arm_gic: %u-byte write to GICD+0x%x\n", size,
                            (unsigned)off);
        return;
    } else {
        gic_dist_word_write(s, cpu, off, value);
    }
    arm_gic_update(s);
}

/* ---- the device ---------------------------------------------------------------------------- */

static int gic_default_cpu(void)
{
    CPUState *cpu = current_cpu();
    return cpu ? cpu->index : 0;
}

static int gic_accessing_cpu(ARMGICState *s)
{
    int cpu = s->current_cpu_index ? s->current_cpu_index() : gic_default_cpu();
    return cpu >= 0 && cpu < (int)s->num_cpus ? cpu : 0;
}

static uint64_t gic_dist_mmio_read(void *opaque, hwaddr off, unsigned size)
{
    ARMGICState *s = opaque;
    return arm_gic_dist_read(s, gic_accessing_cpu(s), off, size);
}

static void gic_dist_mmio_write(void *opaque, hwaddr off, uint64_t value, unsigned size)
{
    ARMGICState *s = opaque;
    arm_gic_dist_write(s, gic_accessing_cpu(s), off, (uint32_t)value, size);
}

static uint64_t gic_cpu_mmio_read(void *opaque, hwaddr off, unsigned size)
{
    ARMGICState *s = opaque;
    return arm_gic_cpu_read(s, gic_accessing_cpu(s), off);
}

static void gic_cpu_mmio_write(void *opaque, hwaddr off, uint64_t value, unsigned size)
{
    ARMGICState *s = opaque;
    arm_gic_cpu_write(s, gic_accessing_cpu(s), off, (uint32_t)value);
}

static const MemoryRegionOps gic_dist_ops = {
    .read = gic_dist_mmio_read, .write = gic_dist_mmio_write,
    .valid_min = 1, .valid_max = 4,
};

static const MemoryRegionOps gic_cpu_ops = {
    .read = gic_cpu_mmio_read, .write = gic_cpu_mmio_write,
    .valid_min = 4, .valid_max = 4,
};

static int gic_realize(DeviceState *dev, Error **errp)
{
    ARMGICState *s = DEVICE_CAST(ARMGICState, dev);

    if (s->num_irqs % 32) {
        error_setg(errp, "num-irqs %u is not a multiple of 32", s->num_irqs);
        return -1;
    }
    s->nr_inputs = (int)(s->num_irqs - GIC_INTERNAL + GIC_INTERNAL * s->num_cpus);
    s->inputs = irq_new_array(gic_set_irq, s, s->nr_inputs);
    memory_region_init_io(&s->dist_mem, &gic_dist_ops, s, "gic_dist", GIC_DIST_SIZE);
    memory_region_init_io(&s->cpu_mem, &gic_cpu_ops, s, "gic_cpu", GIC_CPU_SIZE);
    MemoryRegion *root = qdev_get_mem_root(dev);
    if (s->has_base && root) {
        memory_region_add_subregion(root, s->dist_base, &s->dist_mem, 0);
        memory_region_add_subregion(root, s->cpu_base, &s->cpu_mem, 0);
    }
    return 0;
}

static void gic_unrealize(DeviceState *dev)
{
    ARMGICState *s = DEVICE_CAST(ARMGICState, dev);
    if (s->dist_mem.parent) {
        memory_region_del_subregion(s->dist_mem.parent, &s->dist_mem);
        memory_region_del_subregion(s->cpu_mem.parent, &s->cpu_mem);
    }
    memory_region_destroy(&s->dist_mem);
    memory_region_destroy(&s->cpu_mem);
    irq_free_array(s->inputs, s->nr_inputs);
    s->inputs = NULL;
}

static void gic_reset(DeviceState *dev)
{
    ARMGICState *s = DEVICE_CAST(ARMGICState, dev);

    s->dist_ctlr = 0;
    for (int n = 0; n < GIC_MAX_IRQS - GIC_INTERNAL; n++) {
        s->spi[n] = (GICIrq){ .level = s->spi[n].level };
        s->spi_target[n] = 0;
    }
    for (int c = 0; c < GIC_MAX_CPUS; c++) {
        GICCpu *cpu = &s->cpu[c];
        for (int irq = 0; irq < GIC_INTERNAL; irq++) {
            cpu->internal[irq] = (GICIrq){ .level = cpu->internal[irq].level,
                                           .edge = irq < GIC_NR_SGIS };
        }
        memset(cpu->sgi_sources, 0, sizeof(cpu->sgi_sources));
        cpu->ctlr = 0;
        cpu->pmr = 0;
        cpu->bpr = GIC_MIN_BPR;
        cpu->nr_act = 0;
    }
    arm_gic_update(s);
}

static const Property gic_props[] = {
    DEFINE_PROP_UINT32_RANGE("num-cpu", ARMGICState, num_cpus, 1, 1, GIC_MAX_CPUS),
    DEFINE_PROP_UINT32_RANGE("num-irq", ARMGICState, num_irqs, 288, 32, 992),
    DEFINE_PROP_UINT64("dist-base", ARMGICState, dist_base, 0),
    DEFINE_PROP_UINT64("cpu-base", ARMGICState, cpu_base, 0),
    DEFINE_PROP_BOOL("has-base", ARMGICState, has_base, false),
    DEFINE_PROP_END,
};

static const DeviceType arm_gic_type = {
    .name = "arm_gic",
    .instance_size = sizeof(ARMGICState),
    .description = "ARM GICv2 interrupt controller (distributor and CPU interfaces)",
    .realize = gic_realize,
    .unrealize = gic_unrealize,
    .reset = gic_reset,
    .props = gic_props,
};
DEVICE_TYPE_REGISTER(arm_gic_type)
