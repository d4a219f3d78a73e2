/* High Precision Event Timer (IA-PC HPET specification 1.0a) at 0xfed00000: a 64-bit main
 * counter at 100 MHz and three comparators with legacy replacement routing. */
#ifndef HW_TIMER_HPET_H
#define HW_TIMER_HPET_H

#include <stdint.h>
#include "hw/irq.h"
#include "hw/qdev.h"
#include "system/timer.h"

#define TYPE_HPET "hpet"
#define HPET_BASE 0xfed00000ull
#define HPET_NUM_TIMERS 3
#define HPET_PERIOD_FS 10000000ull  /* 10 ns */

struct HPETState;

typedef struct HPETTimer {
    struct HPETState *hpet;
    int index;
    uint64_t config, cmp, period;
    Timer *timer;
    uint8_t level;              /* output level (level-triggered mode) */
    /* Interrupts disabled: no host timer. A periodic comparator still moves on at each
     * match; the matches since parked_counter are counted on its next access. */
    bool parked;
    uint64_t parked_counter;
} HPETTimer;

typedef struct HPETState {
    DeviceState parent_obj;
    MemoryRegion mmio;
    uint64_t config, isr;
    uint64_t counter_offset;    /* counter value at enable_time (or the value while stopped) */
    int64_t enable_time;
    HPETTimer timers[HPET_NUM_TIMERS];
    IRQ *ioapic;                /* 24 IOAPIC pins, set by the board */
    IRQ legacy[2];              /* ISA IRQ 0 and 8 in legacy replacement mode */
} HPETState;

HPETState *hpet_create(IRQ *ioapic_pins, IRQ irq0, IRQ irq8, Error **errp);
uint64_t hpet_counter(HPETState *s);

#endif
