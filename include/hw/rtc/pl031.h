/* ARM PrimeCell Real Time Clock PL031 (ARM DDI 0224). */
#ifndef HW_RTC_PL031_H
#define HW_RTC_PL031_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/irq.h"
#include "hw/qdev.h"
#include "system/memory.h"
#include "system/timer.h"

#define PL031_MMIO_SIZE 0x1000

typedef struct PL031State {
    DeviceState parent_obj;
    MemoryRegion iomem;
    Timer *alarm;
    uint64_t base;                  /* mapped at base in the memory root when has_base */
    bool has_base;
    IRQ irq;                        /* RTCINTR */
    /* counter = tick_offset + whole seconds of CLK_VIRTUAL */
    int64_t tick_offset;
    uint32_t mr, lr, cr, imsc, ris;
} PL031State;

enum {
    PL031_DR = 0x00, PL031_MR = 0x04, PL031_LR = 0x08, PL031_CR = 0x0c, PL031_IMSC = 0x10,
    PL031_RIS = 0x14, PL031_MIS = 0x18, PL031_ICR = 0x1c, PL031_ID = 0xfe0,
};

uint32_t pl031_counter(PL031State *s);

/* The type record (also keeps the object linked into programs that only create the
 * device by name). */
extern const DeviceType pl031_device_type;

#endif
