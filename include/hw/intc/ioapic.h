/* Intel 82093AA I/O APIC at 0xfec00000 with 24 inputs (GSIs), delivering to the local
 * APICs over the APIC bus. */
#ifndef HW_INTC_IOAPIC_H
#define HW_INTC_IOAPIC_H

#include <stdint.h>
#include <stdio.h>
#include "hw/irq.h"
#include "hw/qdev.h"

#define TYPE_IOAPIC "ioapic"
#define IOAPIC_NUM_PINS 24
#define IOAPIC_DEFAULT_ADDRESS 0xfec00000ull

typedef struct IOAPICState {
    DeviceState parent_obj;
    MemoryRegion mmio;
    uint8_t id, ioregsel;
    uint32_t irr;               /* pending requests (level: the line's state) */
    uint32_t levels;            /* input levels, for edges */
    uint64_t redirtbl[IOAPIC_NUM_PINS];
    IRQ *in;                    /* IOAPIC_NUM_PINS inputs */
    uint64_t irq_count[IOAPIC_NUM_PINS];
} IOAPICState;

IOAPICState *ioapic_create(BusState *bus, Error **errp);
/* EOI of a level-triggered vector at a LAPIC (wired with apic_set_eoi_listener). */
void ioapic_eoi_broadcast(void *opaque, uint8_t vector);
void ioapic_print_info(IOAPICState *s, FILE *out);
void ioapic_print_irq_counts(IOAPICState *s, FILE *out);

#endif
