/* The PC/AT coprocessor error latch: the CPU's FERR# raises IRQ 13 (the x87's unmasked
 * exceptions with CR0.NE = 0), a write to port F0h clears it. */
#ifndef HW_I386_FERR_H
#define HW_I386_FERR_H

#include "hw/irq.h"
#include "hw/qdev.h"

#define TYPE_FERR "isa-ferr"

typedef struct FerrState {
    DeviceState parent_obj;
    MemoryRegion io;
    IRQ irq;                    /* ISA IRQ 13 */
    bool asserted;
} FerrState;

FerrState *ferr_create(BusState *bus, IRQ irq13, Error **errp);
/* FERR# asserted by a CPU: IRQ 13 until the write to port F0h. */
void ferr_raise(FerrState *s);

#endif
