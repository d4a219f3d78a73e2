/* ARM GICv2 CPU interface (ARM IHI 0048B, chapter 4.4), one bank per CPU: enable, priority
 * mask, binary point, acknowledge (GICC_IAR), priority drop and deactivation (GICC_EOIR,
 * and GICC_DIR when GICC_CTLR.EOImode is set), running and highest-pending priority. The
 * Group 1 aliases (GICC_ABPR, AIAR, AEOIR, AHPPIR) and the active priority registers are
 * RAZ/WI: without the Security Extensions nothing is Group 1. */
#include "hw/intc/arm_gic.h"
#include "util/log.h"

static uint32_t gic_running_priority(GICCpu *c)
{
    uint32_t run = 0xff;
    for (int k = 0; k < c->nr_act; k++) {
        run = c->act_prio[k] < run ? c->act_prio[k] : run;
    }
    return run;
}

/* The value GICC_IAR/HPPIR report for irq: SGIs carry the lowest pending source CPU. */
static uint32_t gic_irq_id_with_source(ARMGICState *s, int cpu, int irq)
{
    if (irq < GIC_NR_SGIS) {
        return (uint32_t)irq | ((uint32_t)__builtin_ctz(s->cpu[cpu].sgi_sources[irq]) << 10);
    }
    return (uint32_t)irq;
}

static bool gic_can_ack(ARMGICState *s, GICCpu *c, uint8_t prio)
{
    uint8_t mask = (uint8_t)(0xffu << (c->bpr + 1));
    if (!(s->dist_ctlr & 1) || !(c->ctlr & GICC_CTLR_ENABLE) || prio >= c->pmr) {
        return false;
    }
    return c->nr_act == 0 || (prio & mask) < (gic_running_priority(c) & mask);
}

/* GICC_IAR: the interrupt becomes active (and stays pending if its level input is still
 * high or other SGI sources wait); its priority becomes the running priority. */
static uint32_t gic_acknowledge(ARMGICState *s, int cpu)
{
    GICCpu *c = &s->cpu[cpu];
    uint8_t prio;
    int irq = arm_gic_best_pending(s, cpu, &prio);

    if (irq == GIC_SPURIOUS || !gic_can_ack(s, c, prio) || c->nr_act >= GIC_MAX_ACTIVE) {
        return GIC_SPURIOUS;
    }
    uint32_t value = gic_irq_id_with_source(s, cpu, irq);
    GICIrq *i = arm_gic_irq(s, cpu, irq);
    if (irq < GIC_NR_SGIS) {
        c->sgi_sources[irq] &= (uint8_t)~(1u << (value >> 10));
    } else {
        i->pending = false;
    }
    i->active = true;
    c->act_irq[c->nr_act] = (uint16_t)irq;
    c->act_prio[c->nr_act] = prio;
    c->nr_act++;
    arm_gic_update(s);
    return value;
}

static void gic_deactivate(ARMGICState *s, int cpu, int irq)
{
    arm_gic_irq(s, cpu, irq)->active = false;
}

/* GICC_EOIR: drops the running priority of irq; also deactivates it unless EOImode. */
static void gic_end_of_interrupt(ARMGICState *s, int cpu, uint32_t value)
{
    GICCpu *c = &s->cpu[cpu];
    int irq = (int)(value & 0x3ff);
    int k = c->nr_act - 1;

    if (irq >= (int)s->num_irqs) {
        return;                     /* spurious IDs are ignored */
    }
    while (k >= 0 && c->act_irq[k] != irq) {
        k--;
    }
    if (k < 0) {
        log_category_printf(LOG_GUEST_ERROR, "arm_gic: EOI of inactive interrupt %d on "
                            "CPU %d\n", irq, cpu);
        return;
    }
    for (; k < c->nr_act - 1; k++) {
        c->act_irq[k] = c->act_irq[k + 1];
        c->act_prio[k] = c->act_prio[k + 1];
    }
    c->nr_act--;
    if (!(c->ctlr & GICC_CTLR_EOIMODE)) {
        gic_deactivate(s, cpu, irq);
    }
    arm_gic_update(s);
}

static uint32_t gic_highest_pending_id(ARMGICState *s, int cpu)
{
    uint8_t prio;
    int irq = arm_gic_best_pending(s, cpu, &prio);
    return irq == GIC_SPURIOUS ? GIC_SPURIOUS : gic_irq_id_with_source(s, cpu, irq);
}

uint32_t arm_gic_cpu_read(ARMGICState *s, int cpu, hwaddr off)
{
    GICCpu *c = &s->cpu[cpu];
    switch (off) {
    case GICC_CTLR: return c->ctlr;
    case GICC_PMR: return c->pmr;
    case GICC_BPR: return c->bpr;
    case GICC_IAR: return gic_acknowledge(s, cpu);
    case GICC_RPR: return gic_running_priority(c);
    case GICC_HPPIR: return gic_highest_pending_id(s, cpu);
    case GICC_AIAR: case GICC_AHPPIR: return GIC_SPURIOUS;
    case GICC_IIDR: return 0x0202043b;
    default: return 0;              /* ABPR, APRn, NSAPRn, write-only and reserved: RAZ */
    }
}

void arm_gic_cpu_write(ARMGICState *s, int cpu, hwaddr off, uint32_t value)
{
    GICCpu *c = &s->cpu[cpu];
    switch (off) {
    case GICC_CTLR:
        c->ctlr = value & 0x7ff;
        break;
    case GICC_PMR:
        c->pmr = value & GIC_PRIO_MASK;
        break;
    case GICC_BPR:
        c->bpr = (value & 7) < GIC_MIN_BPR ? GIC_MIN_BPR : (value & 7);
        break;
    case GICC_EOIR:
        gic_end_of_interrupt(s, cpu, value);
        return;
    case GICC_DIR:
        if ((value & 0x3ff) < s->num_irqs) {
            gic_deactivate(s, cpu, (int)(value & 0x3ff));
        }
        break;
    default:
        return;                     /* read-only, Group 1 aliases, reserved: WI */
    }
    arm_gic_update(s);
}
