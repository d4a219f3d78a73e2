/* Interrupt lines: set/raise/lower/pulse on a (handler, opaque, n) handle, and a fan-out
 * splitter. */
#include <stdlib.h>
#include <string.h>
#include "hw/irq.h"
#include "util/cutils.h"

IRQ irq_new(IrqHandler *handler, void *opaque, int n)
{
    IRQ irq = xzalloc(sizeof(*irq));
    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
    return irq;
}

IRQ *irq_new_array(IrqHandler *handler, void *opaque, int count)
{
    IRQ *irqs = xzalloc(sizeof(*irqs) * (count > 0 ? count : 1));
    for (int i = 0; i < count; i++) {
        irqs[i] = irq_new(handler, opaque, i);
    }
    return irqs;
}

void irq_free(IRQ irq)
{
    free(irq);
}

void irq_free_array(IRQ *irqs, int count)
{
    if (!irqs) {
        return;
    }
    for (int i = 0; i < count; i++) {
        irq_free(irqs[i]);
    }
    free(irqs);
}

void irq_set(IRQ irq, int level)
{
    if (irq && irq->handler) {
        irq->handler(irq->opaque, irq->n, level != 0);
    }
}

void irq_raise(IRQ irq)
{
    irq_set(irq, 1);
}

void irq_lower(IRQ irq)
{
    irq_set(irq, 0);
}

void irq_pulse(IRQ irq)
{
    irq_set(irq, 1);
    irq_set(irq, 0);
}

typedef struct Splitter {
    IRQ *outs;
    int n;
} Splitter;

static void splitter_handler(void *opaque, int n, int level)
{
    Splitter *s = opaque;
    for (int i = 0; i < s->n; i++) {
        irq_set(s->outs[i], level);
    }
}

IRQ irq_splitter_new(IRQ const *outs, int n)
{
    Splitter *s = xzalloc(sizeof(*s));
    s->n = n > 0 ? n : 0;
    s->outs = xzalloc(sizeof(*s->outs) * (s->n ? s->n : 1));
    if (s->n) {
        memcpy(s->outs, outs, sizeof(*s->outs) * s->n);
    }
    return irq_new(splitter_handler, s, 0);
}

void irq_splitter_free(IRQ splitter)
{
    if (splitter) {
        Splitter *s = splitter->opaque;
        free(s->outs);
        free(s);
        irq_free(splitter);
    }
}
