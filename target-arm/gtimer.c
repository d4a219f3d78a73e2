/* The ARMv7 generic timer (ARM ARM DDI0406C B8): the system counter (CNTPCT/CNTVCT, CNTVOFF
 * = 0) derived from the virtual clock at CNTFRQ, and the physical and virtual timers
 * (CNTx_CVAL, CNTx_TVAL, CNTx_CTL with ENABLE/IMASK/ISTATUS). Each timer drives its output
 * line (ARMCPU.gt_timer_out, to the board's GIC) level-sensitively: high while enabled,
 * not masked and the counter has reached CVAL. Register writes come from the vCPU thread,
 * expiry from the main loop; both update the line under the big lock. */
#include "target-arm/internals.h"
#include "system/main-loop.h"
#include "system/timer.h"

#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

static uint64_t ns_to_count(const ARMCPU *a, uint64_t ns)
{
    return (uint64_t)((unsigned __int128)ns * a->gt_freq_hz / NS_PER_SEC);
}

static uint64_t count_to_ns(const ARMCPU *a, uint64_t count)
{
    if (!a->gt_freq_hz) {
        return UINT64_MAX;
    }
    unsigned __int128 ns = ((unsigned __int128)count * NS_PER_SEC + a->gt_freq_hz - 1) /
                           a->gt_freq_hz;
    return ns > INT64_MAX ? INT64_MAX : (uint64_t)ns;
}

uint64_t arm_gt_count(ARMCPU *a)
{
    return ns_to_count(a, (uint64_t)clock_get_ns(CLK_VIRTUAL));
}

/* Recomputes ISTATUS and the output; re-arms the host timer for the next edge. */
static void gt_update(ARMCPU *a, int i)
{
    ARMGenericTimer *t = &a->gt[i];
    bool was_locked = bql_locked();

    if (!was_locked) {
        bql_lock();
    }
    bool fired = (t->ctl & CTL_ENABLE) && arm_gt_count(a) >= t->cval;
    t->ctl = (t->ctl & ~CTL_ISTATUS) | (fired ? CTL_ISTATUS : 0);
    int level = fired && !(t->ctl & CTL_IMASK);
    if (level != t->level) {
        t->level = level;
        irq_set(a->gt_timer_out[i], level);
    }
    if (t->timer) {
        if ((t->ctl & CTL_ENABLE) && !fired) {
            timer_mod(t->timer, (int64_t)count_to_ns(a, t->cval));
        } else {
            timer_del(t->timer);
        }
    }
    if (!was_locked) {
        bql_unlock();
    }
}

static void gt_expired_phys(void *opaque)
{
    gt_update(opaque, ARM_GT_PHYS);
}

static void gt_expired_virt(void *opaque)
{
    gt_update(opaque, ARM_GT_VIRT);
}

uint64_t arm_gt_read(ARMCPU *a, int i, int reg)
{
    ARMGenericTimer *t = &a->gt[i];
    switch (reg) {
    case ARM_GT_REG_CVAL:
        return t->cval;
    case ARM_GT_REG_TVAL:
        return (uint32_t)(t->cval - arm_gt_count(a));
    default: {
        bool fired = (t->ctl & CTL_ENABLE) && arm_gt_count(a) >= t->cval;
        return (t->ctl & (CTL_ENABLE | CTL_IMASK)) | (fired ? CTL_ISTATUS : 0);
    }
    }
}

static void gt_expired_phys(void *opaque);
static void gt_expired_virt(void *opaque);

void arm_gt_write(ARMCPU *a, int i, int reg, uint64_t value)
{
    ARMGenericTimer *t = &a->gt[i];
    if (!t->timer) {                /* created on first use (the main loop exists then) */
        t->timer = timer_new(CLK_VIRTUAL, i == ARM_GT_PHYS ? gt_expired_phys : gt_expired_virt,
                             a);
    }
    switch (reg) {
    case ARM_GT_REG_CVAL:
        t->cval = value;
        break;
    case ARM_GT_REG_TVAL:          /* signed 32-bit offset from now */
        t->cval = arm_gt_count(a) + (uint64_t)(int64_t)(int32_t)value;
        break;
    default:
        t->ctl = (t->ctl & CTL_ISTATUS) | ((uint32_t)value & (CTL_ENABLE | CTL_IMASK));
        break;
    }
    gt_update(a, i);
}

void arm_gt_init(ARMCPU *a)
{
    for (int i = 0; i < ARM_GT_COUNT; i++) {
        a->gt[i].timer = NULL;
    }
}

void arm_gt_destroy(ARMCPU *a)
{
    for (int i = 0; i < ARM_GT_COUNT; i++) {
        if (a->gt[i].timer) {
            timer_free(a->gt[i].timer);
            a->gt[i].timer = NULL;
        }
    }
}
