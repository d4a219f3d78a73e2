/* The ISA bus of a PC: its 16 interrupt lines (set by the board, wired to the i8259 pair and
 * the IOAPIC) and the port I/O space devices on it map into (qdev_get_io_root). */
#ifndef HW_ISA_ISA_H
#define HW_ISA_ISA_H

#include "hw/irq.h"

#define ISA_NUM_IRQS 16

/* The board hands over its 16 ISA lines (copied); NULL forgets them. */
void isa_bus_set_irqs(IRQ const *irqs);
/* Line n of the ISA bus, or NULL (unwired: no board, or n out of range). */
IRQ isa_get_irq(unsigned n);

#endif
