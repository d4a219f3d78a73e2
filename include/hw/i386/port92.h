/* PS/2 System Control Port A (port 0x92): fast A20 gate and fast reset. */
#ifndef HW_I386_PORT92_H
#define HW_I386_PORT92_H

#include "hw/irq.h"
#include "hw/qdev.h"

#define TYPE_PORT92 "port92"

typedef struct Port92State {
    DeviceState parent_obj;
    MemoryRegion io;
    uint8_t value;
    IRQ a20_out;
} Port92State;

Port92State *port92_create(BusState *bus, IRQ a20, Error **errp);

#endif
