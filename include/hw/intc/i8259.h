/* The PC's pair of Intel 8259A programmable interrupt controllers (master at 0x20, slave at
 * 0xa0 cascaded on master input 2) with the PIIX edge/level control registers (0x4d0). */
#ifndef HW_INTC_I8259_H
#define HW_INTC_I8259_H

#include <stdint.h>
#include <stdio.h>
#include "hw/irq.h"
#include "hw/qdev.h"

#define TYPE_I8259 "i8259"

typedef struct PICChip {
    uint8_t irr, imr, isr;
    uint8_t last_irr;           /* input levels, for edge detection */
    uint8_t elcr, elcr_mask;    /* 1: level-triggered input */
    uint8_t priority_add;       /* lowest-priority rotation */
    uint8_t irq_base;
    uint8_t read_reg_select;    /* OCW3: 0 IRR, 1 ISR */
    uint8_t poll, special_mask, init_state, auto_eoi, rotate_on_auto_eoi;
    uint8_t special_fully_nested, init4, single_mode;
} PICChip;

typedef struct PICState {
    DeviceState parent_obj;
    MemoryRegion io[2], elcr_io;
    PICChip chip[2];            /* 0 master, 1 slave */
    IRQ *in;                    /* 16 inputs: 0-7 master, 8-15 slave */
    IRQ intr;                   /* output to the CPU (or LAPIC LINT0) */
    uint64_t irq_count[16];     /* "info irq" */
} PICState;

/* Creates and realizes the pair on the ISA bus (or bus). */
PICState *i8259_create(BusState *bus, IRQ intr, Error **errp);
/* INTA cycle: the vector of the highest-priority request (moved to ISR), or the spurious
 * vector (IRQ 7 of the chip) when nothing is pending. */
int i8259_ack(PICState *s);
/* Is the output asserted (a request the CPU could take)? */
bool i8259_output(const PICState *s);
void i8259_print_info(PICState *s, FILE *out);
void i8259_print_irq_counts(PICState *s, FILE *out);

#endif
