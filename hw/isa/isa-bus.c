/* The ISA bus's interrupt lines: a table the board fills so that ISA devices (created by
 * the board or with -device ...,irq=N) find their line by number. */
#include <string.h>
#include "hw/isa/isa.h"

static IRQ isa_irqs[ISA_NUM_IRQS];

void isa_bus_set_irqs(IRQ const *irqs)
{
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        isa_irqs[i] = irqs ? irqs[i] : NULL;
    }
}

IRQ isa_get_irq(unsigned n)
{
    return n < ISA_NUM_IRQS ? isa_irqs[n] : NULL;
}
