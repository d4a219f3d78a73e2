/* The interface between an x86 CPU and the interrupt controllers of its board (i8259 pair,
 * local APICs), as agreed in the x86 contract: the CPU calls these with the big lock held;
 * the board registers the controllers. A board without them makes every call a no-op. */
#ifndef HW_I386_X86_INTC_H
#define HW_I386_X86_INTC_H

#include <stdbool.h>
#include <stdint.h>
#include "system/cpu.h"

/* What a board provides (pc: apic.c / i8259.c through pc.c). Any member may be NULL. */
typedef struct X86IntcOps {
    int (*ack)(void *opaque, CPUState *cpu);            /* INTA: vector or -1 */
    int (*take_sipi)(void *opaque, CPUState *cpu);      /* SIPI vector or -1 */
    uint64_t (*get_apic_base)(void *opaque, CPUState *cpu);
    int (*set_apic_base)(void *opaque, CPUState *cpu, uint64_t value);
    uint8_t (*get_tpr)(void *opaque, CPUState *cpu);
    void (*set_tpr)(void *opaque, CPUState *cpu, uint8_t cr8);
    uint64_t (*get_tsc_deadline)(void *opaque, CPUState *cpu);
    void (*set_tsc_deadline)(void *opaque, CPUState *cpu, uint64_t tsc);
    void (*set_tsc_offset)(void *opaque, CPUState *cpu, int64_t offset);
    bool (*has_lapic)(void *opaque, CPUState *cpu);
} X86IntcOps;

/* The board's controllers (NULL ops: none). */
void x86_intc_register(const X86IntcOps *ops, void *opaque);

/* Called by the CPU (target-i386). */
int x86_intc_ack(CPUState *cpu);
int x86_intc_take_sipi(CPUState *cpu);
uint64_t x86_intc_get_apic_base(CPUState *cpu);
int x86_intc_set_apic_base(CPUState *cpu, uint64_t value);
uint8_t x86_intc_get_tpr(CPUState *cpu);
void x86_intc_set_tpr(CPUState *cpu, uint8_t cr8);
uint64_t x86_intc_get_tsc_deadline(CPUState *cpu);
void x86_intc_set_tsc_deadline(CPUState *cpu, uint64_t tsc);
void x86_intc_set_tsc_offset(CPUState *cpu, int64_t offset);
bool x86_intc_has_lapic(CPUState *cpu);

/* TSC ticks are virtual-clock nanoseconds (1 GHz) plus the CPU's offset. */
#define X86_TSC_HZ 1000000000ull

#endif
