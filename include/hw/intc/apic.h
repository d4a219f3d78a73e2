/* x86 local APICs (one per CPU, xAPIC MMIO at 0xfee00000) and the APIC bus between them
 * and the IOAPIC: fixed/lowest-priority/NMI/INIT/SIPI delivery, physical and logical
 * destinations, EOI broadcast. */
#ifndef HW_INTC_APIC_H
#define HW_INTC_APIC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "hw/qdev.h"
#include "system/cpu.h"
#include "system/timer.h"

#define TYPE_APIC "apic"
#define APIC_DEFAULT_ADDRESS 0xfee00000ull
#define APIC_LVT_NB 6               /* timer, thermal, perf, LINT0, LINT1, error */

enum { APIC_DM_FIXED = 0, APIC_DM_LOWPRI = 1, APIC_DM_SMI = 2, APIC_DM_NMI = 4,
       APIC_DM_INIT = 5, APIC_DM_SIPI = 6, APIC_DM_EXTINT = 7 };

typedef struct APICState {
    DeviceState parent_obj;
    CPUState *cpu;
    uint32_t cpu_index;         /* property */
    uint8_t id;
    bool hw_enabled;            /* IA32_APIC_BASE.EN */
    uint8_t tpr, ldr, dfr, esr;
    uint32_t svr;
    uint32_t isr[8], irr[8], tmr[8];
    uint32_t lvt[APIC_LVT_NB];
    uint32_t icr[2];
    uint32_t divide_conf;
    uint32_t initial_count;
    int64_t initial_count_load_time;
    int64_t next_time;          /* timer expiry (virtual ns), -1: none */
    uint64_t tsc_deadline;
    Timer *timer;
    uint8_t sipi_vector;
    bool extint_pending;        /* the PIC's INTR as LINT0 sees it */
} APICState;

/* Creates the LAPIC of cpu (index and APIC ID = cpu->index). */
APICState *apic_create(CPUState *cpu, Error **errp);
/* Maps the shared xAPIC MMIO page into system memory (once per machine). */
void apic_mmio_init(MemoryRegion *system_memory);
void apic_mmio_fini(MemoryRegion *system_memory);
APICState *apic_for_cpu(int index);

/* CPU side (X86IntcOps of the pc machine). */
int apic_ack(APICState *s);                 /* vector, or -1 */
void apic_base_changed(APICState *s, uint64_t apic_base);
uint8_t apic_get_tpr_cr8(APICState *s);
void apic_set_tpr_cr8(APICState *s, uint8_t cr8);
/* IA32_TSC_DEADLINE written with tsc, which the CPU's TSC reaches at virtual expire_ns
 * (0: disarm). Reads give tsc until the timer fires, then 0. */
void apic_set_tsc_deadline(APICState *s, uint64_t tsc, int64_t expire_ns);
uint64_t apic_get_tsc_deadline(APICState *s);

/* The PIC's INTR on LINT0 of the BSP's LAPIC. */
void apic_set_pic_intr(APICState *s, bool level);
/* Would LINT0 pass a PIC interrupt now (APIC off, or LINT0 unmasked ExtINT)? */
bool apic_accepts_pic(APICState *s);
/* The PIC to acknowledge for ExtINT; set by the board. */
void apic_set_pic_ack(int (*ack)(void *opaque), bool (*pending)(void *opaque), void *opaque);

/* The APIC bus: an interrupt message from the IOAPIC (or an MSI). */
void apic_bus_deliver(uint8_t dest, bool logical, int delivery_mode, uint8_t vector,
                      bool level_triggered);
/* Called with the vector when a level-triggered interrupt is EOIed (the IOAPIC). */
void apic_set_eoi_listener(void (*fn)(void *opaque, uint8_t vector), void *opaque);

/* The LAPIC the main thread's MMIO accesses reach (current_cpu() on vCPU threads). */
void apic_set_mmio_default_cpu(int index);
void apic_print_info(APICState *s, FILE *out);

#endif
