/* ARM PrimeCell UART PL011 (ARM DDI 0183, revision r1p0: 16-entry FIFOs) on a chardev. */
#ifndef HW_CHAR_PL011_H
#define HW_CHAR_PL011_H

#include <stdbool.h>
#include <stdint.h>
#include "chardev/chardev.h"
#include "hw/irq.h"
#include "hw/qdev.h"
#include "system/memory.h"

#define PL011_FIFO_DEPTH 16
#define PL011_MMIO_SIZE 0x1000

typedef struct PL011State {
    DeviceState parent_obj;
    MemoryRegion iomem;
    /* properties and wiring */
    Chardev *chr;
    uint64_t base;                  /* mapped at base in the memory root when has_base */
    bool has_base;
    IRQ irq;                        /* UARTINTR, the combined interrupt */
    CharFrontend fe;
    bool attached;
    /* registers */
    uint16_t rx_fifo[PL011_FIFO_DEPTH];     /* data byte plus error bits 11:8 */
    int rx_head, rx_count;
    uint32_t rsr, lcr_h, cr, ifls, imsc, ris, dmacr, ilpr, ibrd, fbrd;
} PL011State;

enum {
    PL011_DR = 0x00, PL011_RSR = 0x04, PL011_FR = 0x18, PL011_ILPR = 0x20, PL011_IBRD = 0x24,
    PL011_FBRD = 0x28, PL011_LCR_H = 0x2c, PL011_CR = 0x30, PL011_IFLS = 0x34,
    PL011_IMSC = 0x38, PL011_RIS = 0x3c, PL011_MIS = 0x40, PL011_ICR = 0x44,
    PL011_DMACR = 0x48, PL011_ID = 0xfe0,
};
/* UARTFR bits */
#define PL011_FR_BUSY (1u << 3)
#define PL011_FR_RXFE (1u << 4)
#define PL011_FR_TXFF (1u << 5)
#define PL011_FR_RXFF (1u << 6)
#define PL011_FR_TXFE (1u << 7)
/* interrupt bits (RIS, MIS, IMSC, ICR) */
#define PL011_INT_RX (1u << 4)
#define PL011_INT_TX (1u << 5)
#define PL011_INT_RT (1u << 6)
#define PL011_INT_BE (1u << 9)
#define PL011_INT_OE (1u << 10)
#define PL011_LCR_FEN (1u << 4)
#define PL011_CR_LBE (1u << 7)

/* The type record (also keeps the object linked into programs that only create the
 * device by name). */
extern const DeviceType pl011_device_type;

#endif
