/* Intel 8254 programmable interval timer at ports 0x40-0x43 and the PC's port 0x61
 * (channel 2 gate, speaker data, channel 2 output, refresh toggle). Channel 0 drives IRQ 0. */
#ifndef HW_TIMER_I8254_H
#define HW_TIMER_I8254_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/irq.h"
#include "hw/qdev.h"
#include "system/timer.h"

#define TYPE_I8254 "isa-pit"
#define PIT_FREQ 1193182

typedef struct PITChannel {
    uint32_t count;             /* reload value, 1..0x10000 */
    int64_t load_time;          /* virtual ns when counting (re)started */
    int64_t gate_low_since;     /* modes 0/4: counting paused since then, or -1 */
    uint16_t latched_count;
    uint8_t count_latched;      /* rw mode the latch is read with, 0: none */
    uint8_t status_latched, status;
    uint8_t read_state, write_state, write_latch;
    uint8_t rw_mode, mode, bcd, gate;
    uint8_t counting;           /* a count has been loaded since the control word */
    uint8_t out_fixed;          /* output level while not counting */
    int64_t next_event;         /* channel 0: next IRQ time, -1 none */
} PITChannel;

typedef struct PITState {
    DeviceState parent_obj;
    MemoryRegion io, port61;
    PITChannel ch[3];
    uint8_t speaker_data;       /* port 0x61 bit 1 */
    Timer *timer;               /* channel 0 */
    IRQ irq;
    uint32_t iobase;
    uint8_t isairq;
} PITState;

/* Counter and output of a channel at virtual time now (for tests and the speaker). */
uint32_t pit_get_count(PITState *s, int ch, int64_t now);
bool pit_get_out(PITState *s, int ch, int64_t now);
/* Creates and realizes the PIT at 0x40 with its IRQ 0 line. */
PITState *i8254_create(BusState *bus, IRQ irq, Error **errp);

#endif
