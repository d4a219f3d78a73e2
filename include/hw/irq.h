/* Interrupt lines between devices and interrupt controllers: a tiny handle (handler,
 * opaque, line number), as in TinyEMU and QEMU's qemu_irq. */
#ifndef HW_IRQ_H
#define HW_IRQ_H

#include <stdbool.h>

/* Called with the new level (0 or 1) of line n of the receiver described by opaque. */
typedef void IrqHandler(void *opaque, int n, int level);

typedef struct IRQState {
    IrqHandler *handler;
    void *opaque;
    int n;
} IRQState;

/* A device keeps an IRQ for each output line; NULL means "not wired" and is ignored. */
typedef IRQState *IRQ;

IRQ irq_new(IrqHandler *handler, void *opaque, int n);
/* count lines numbered 0..count-1 of one receiver (an interrupt controller's inputs). */
IRQ *irq_new_array(IrqHandler *handler, void *opaque, int count);
void irq_free(IRQ irq);
void irq_free_array(IRQ *irqs, int count);

void irq_set(IRQ irq, int level);   /* any non-zero level is 1 */
void irq_raise(IRQ irq);
void irq_lower(IRQ irq);
/* Raise then lower: an edge for edge-triggered receivers. */
void irq_pulse(IRQ irq);

/* One input driving n outputs (e.g. an ISA line wired to both the PIC and the IOAPIC).
 * The returned line owns a copy of outs; free it with irq_splitter_free. */
IRQ irq_splitter_new(IRQ const *outs, int n);
void irq_splitter_free(IRQ splitter);

#endif
