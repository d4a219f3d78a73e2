/* x86 CPU <-> interrupt controller calls (include/hw/i386/x86-intc.h): forwards each call to
 * the ops the board registered; with none, acks return -1 and the MSRs read as zero. */
#include <stddef.h>
#include "hw/i386/x86-intc.h"

static const X86IntcOps *intc_ops;
static void *intc_opaque;

void x86_intc_register(const X86IntcOps *ops, void *opaque)
{
    intc_ops = ops;
    intc_opaque = opaque;
}

#define INTC_HAS(member) (intc_ops && intc_ops->member)

int x86_intc_ack(CPUState *cpu)
{
    return INTC_HAS(ack) ? intc_ops->ack(intc_opaque, cpu) : -1;
}

int x86_intc_take_sipi(CPUState *cpu)
{
    return INTC_HAS(take_sipi) ? intc_ops->take_sipi(intc_opaque, cpu) : -1;
}

uint64_t x86_intc_get_apic_base(CPUState *cpu)
{
    return INTC_HAS(get_apic_base) ? intc_ops->get_apic_base(intc_opaque, cpu) : 0;
}

int x86_intc_set_apic_base(CPUState *cpu, uint64_t value)
{
    return INTC_HAS(set_apic_base) ? intc_ops->set_apic_base(intc_opaque, cpu, value) : 0;
}

uint8_t x86_intc_get_tpr(CPUState *cpu)
{
    return INTC_HAS(get_tpr) ? intc_ops->get_tpr(intc_opaque, cpu) : 0;
}

void x86_intc_set_tpr(CPUState *cpu, uint8_t cr8)
{
    if (INTC_HAS(set_tpr)) {
        intc_ops->set_tpr(intc_opaque, cpu, cr8);
    }
}

uint64_t x86_intc_get_tsc_deadline(CPUState *cpu)
{
    return INTC_HAS(get_tsc_deadline) ? intc_ops->get_tsc_deadline(intc_opaque, cpu) : 0;
}

void x86_intc_set_tsc_deadline(CPUState *cpu, uint64_t tsc)
{
    if (INTC_HAS(set_tsc_deadline)) {
        intc_ops->set_tsc_deadline(intc_opaque, cpu, tsc);
    }
}

void x86_intc_set_tsc_offset(CPUState *cpu, int64_t offset)
{
    if (INTC_HAS(set_tsc_offset)) {
        intc_ops->set_tsc_offset(intc_opaque, cpu, offset);
    }
}

bool x86_intc_has_lapic(CPUState *cpu)
{
    return INTC_HAS(has_lapic) && intc_ops->has_lapic(intc_opaque, cpu);
}
