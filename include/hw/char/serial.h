/* NS16550A UART on the ISA bus ("isa-serial", COM1-COM4) connected to a chardev. */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include <stdint.h>
#include "chardev/chardev.h"
#include "hw/irq.h"
#include "hw/qdev.h"
#include "system/timer.h"

#define TYPE_ISA_SERIAL "isa-serial"
#define UART_FIFO_SIZE 16
#define UART_TXBUF_SIZE 4096

typedef struct SerialFifo {
    uint8_t data[UART_FIFO_SIZE];
    uint8_t head, count;
} SerialFifo;

typedef struct SerialState {
    DeviceState parent_obj;
    MemoryRegion io;
    CharFrontend fe;
    IRQ irq;
    int8_t irq_level;           /* level last driven on irq; -1: not driven since reset */
    /* registers */
    uint16_t divider;
    uint8_t rbr, ier, iir, lcr, mcr, lsr, msr, scr, fcr;
    uint8_t thr_ipending;       /* THRE interrupt latched until IIR read / THR write */
    uint8_t timeout_ipending;   /* character timeout */
    SerialFifo rx;
    /* host side: bytes waiting for the chardev, flushed from the main loop */
    uint8_t txbuf[UART_TXBUF_SIZE];
    uint32_t txlen;
    Timer *flush_timer, *timeout_timer;
    /* properties */
    uint32_t iobase;
    uint8_t isairq;
    int32_t index;              /* COM number - 1, or -1 */
    Chardev *chr;
} SerialState;

/* COMn (index 0..3) at its standard port and IRQ, on chr (may be NULL). */
SerialState *isa_serial_create(BusState *bus, int index, Chardev *chr, IRQ irq, Error **errp);
/* Hands buffered output to the chardev now (tests; the emulator flushes within 1 ms). */
void serial_flush(SerialState *s);

#endif
