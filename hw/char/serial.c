/* National Semiconductor PC16550D UART (datasheet, June 1995) as ISA COM ports: divisor
 * latch, line and modem control, 16-byte receive FIFO with trigger levels and the
 * character timeout, transmit through a host-side buffer (the transmitter is always
 * ready), interrupt identification priorities (line status, data, timeout, THR empty, modem
 * status), loopback, break from the chardev. Output reaches the chardev in batches from
 * the main loop, so a guest writing THR costs no host syscall. */
#include <stdlib.h>
#include <string.h>
#include "hw/char/serial.h"
#include "hw/isa/isa.h"

enum { UART_RBR, UART_IER, UART_IIR, UART_LCR, UART_MCR, UART_LSR, UART_MSR, UART_SCR };
#define IER_RDI 0x01
#define IER_THRI 0x02
#define IER_RLSI 0x04
#define IER_MSI 0x08
#define IIR_NO_INT 0x01
#define IIR_MSI 0x00
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_RLSI 0x06
#define IIR_CTI 0x0c
#define IIR_FIFO 0xc0
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define LCR_DLAB 0x80
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_BI 0x10
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define LSR_ERRORS 0x1e
#define MSR_DELTAS 0x0f
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80
#define UART_CLOCK 1843200

static const uint8_t rx_trigger[4] = { 1, 4, 8, 14 };

static bool fifo_enabled(const SerialState *s)
{
    return s->fcr & FCR_ENABLE;
}

static unsigned rx_capacity(const SerialState *s)
{
    return fifo_enabled(s) ? UART_FIFO_SIZE : 1;
}

static void fifo_push(SerialFifo *f, uint8_t byte)
{
    f->data[(f->head + f->count) % UART_FIFO_SIZE] = byte;
    f->count++;
}

static uint8_t fifo_pop(SerialFifo *f)
{
    uint8_t byte = f->data[f->head];

    f->head = (f->head + 1) % UART_FIFO_SIZE;
    f->count--;
    return byte;
}

/* The highest-priority pending source (IIR bits 3..0). */
static uint8_t serial_pending(const SerialState *s)
{
    bool rx_ready = fifo_enabled(s) ? s->rx.count >= rx_trigger[s->fcr >> 6]
                                    : (s->lsr & LSR_DR) != 0;

    if ((s->ier & IER_RLSI) && (s->lsr & LSR_ERRORS)) {
        return IIR_RLSI;
    }
    if ((s->ier & IER_RDI) && rx_ready) {
        return IIR_RDI;
    }
    if ((s->ier & IER_RDI) && s->timeout_ipending) {
        return IIR_CTI;
    }
    if ((s->ier & IER_THRI) && s->thr_ipending) {
        return IIR_THRI;
    }
    if ((s->ier & IER_MSI) && (s->msr & MSR_DELTAS)) {
        return IIR_MSI;
    }
    return IIR_NO_INT;
}

/* The line changes only on a transition, as the wire does: a guest polling LSR or IIR
 * reaches this on every read, and an unchanged level must not travel through the PIC,
 * IOAPIC and CPU interrupt paths each time (nor re-trigger an edge-mode IOAPIC pin). */
static void serial_update_irq(SerialState *s)
{
    uint8_t id = serial_pending(s);
    int8_t level = id != IIR_NO_INT;

    s->iir = id | (fifo_enabled(s) ? IIR_FIFO : 0);
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set(s->irq, level);
    }
}

/* Four character times at the current rate (10 bits a character). */
static int64_t char_timeout_ns(const SerialState *s)
{
    uint32_t div = s->divider ? s->divider : 1;
    return (int64_t)4 * 10 * NS_PER_SEC * 16 * div / UART_CLOCK;
}

static void serial_arm_timeout(SerialState *s)
{
    s->timeout_ipending = 0;
    if (fifo_enabled(s) && s->rx.count) {
        timer_mod(s->timeout_timer, clock_get_ns(CLK_VIRTUAL) + char_timeout_ns(s));
    } else {
        timer_del(s->timeout_timer);
    }
}

static void serial_timeout_cb(void *opaque)
{
    SerialState *s = opaque;

    if (s->rx.count) {
        s->timeout_ipending = 1;
        serial_update_irq(s);
    }
}

static void serial_receive_byte(SerialState *s, uint8_t byte)
{
    if (s->rx.count >= rx_capacity(s)) {
        s->lsr |= LSR_OE;
        return;
    }
    fifo_push(&s->rx, byte);
    s->lsr |= LSR_DR;
    serial_arm_timeout(s);
}

void serial_flush(SerialState *s)
{
    if (s->txlen) {
        chardev_write(&s->fe, s->txbuf, s->txlen);
        s->txlen = 0;
    }
}

/* Live UARTs, so that output still buffered reaches the chardev when a device such as
 * isa-debug-exit ends the process. */
#define SERIAL_MAX_LIVE 8
static SerialState *live_uarts[SERIAL_MAX_LIVE];

static void serial_flush_all_at_exit(void)
{
    for (int i = 0; i < SERIAL_MAX_LIVE; i++) {
        if (live_uarts[i]) {
            serial_flush(live_uarts[i]);
        }
    }
}

static void serial_track(SerialState *s, bool live)
{
    static bool registered;

    if (!registered) {
        atexit(serial_flush_all_at_exit);
        registered = true;
    }
    for (int i = 0; i < SERIAL_MAX_LIVE; i++) {
        if (live ? !live_uarts[i] : live_uarts[i] == s) {
            live_uarts[i] = live ? s : NULL;
            return;
        }
    }
}

static void serial_flush_cb(void *opaque)
{
    serial_flush(opaque);
}

static void serial_transmit(SerialState *s, uint8_t byte)
{
    if (s->mcr & MCR_LOOP) {
        serial_receive_byte(s, byte);
    } else if (s->fe.chr) {
        if (s->txlen == UART_TXBUF_SIZE) {
            serial_flush(s);
        }
        if (!s->txlen) {
            timer_mod(s->flush_timer, clock_get_ns(CLK_REALTIME) + NS_PER_MS);
        }
        s->txbuf[s->txlen++] = byte;
    }
    s->thr_ipending = 1;            /* the transmitter is ready again at once */
    s->lsr |= LSR_THRE | LSR_TEMT;
}

static uint8_t serial_read_rbr(SerialState *s)
{
    uint8_t byte = 0;

    if (s->rx.count) {
        byte = fifo_pop(&s->rx);
    }
    if (!s->rx.count) {
        s->lsr &= ~(LSR_DR | LSR_BI);
    }
    serial_arm_timeout(s);
    serial_update_irq(s);
    chardev_accept_input(&s->fe);
    return byte;
}

/* Modem status: from MCR in loopback, else the lines a PC's null-modem cable shows. */
static void serial_update_msr(SerialState *s)
{
    uint8_t lines;

    if (s->mcr & MCR_LOOP) {
        lines = ((s->mcr & MCR_RTS) ? MSR_CTS : 0) | ((s->mcr & MCR_DTR) ? MSR_DSR : 0) |
                ((s->mcr & MCR_OUT1) ? MSR_RI : 0) | ((s->mcr & MCR_OUT2) ? MSR_DCD : 0);
    } else {
        lines = MSR_CTS | MSR_DSR | MSR_DCD;
    }
    uint8_t changed = (s->msr ^ lines) & 0xf0;
    s->msr = (s->msr & MSR_DELTAS) | lines;
    s->msr |= (changed >> 4) & 0x0b;                    /* dCTS, dDSR, dDCD */
    if ((changed & MSR_RI) && !(lines & MSR_RI)) {
        s->msr |= 0x04;                                 /* trailing edge of RI */
    }
}

static uint64_t serial_read(void *opaque, hwaddr offset, unsigned size)
{
    SerialState *s = opaque;
    uint8_t val;

    switch (offset) {
    case UART_RBR:
        return (s->lcr & LCR_DLAB) ? (s->divider & 0xff) : serial_read_rbr(s);
    case UART_IER:
        return (s->lcr & LCR_DLAB) ? (s->divider >> 8) : s->ier;
    case UART_IIR:
        val = s->iir;
        if ((val & 0x0f) == IIR_THRI) {
            s->thr_ipending = 0;    /* reading IIR with THRE as the source clears it */
            serial_update_irq(s);
        }
        return val;
    case UART_LCR:
        return s->lcr;
    case UART_MCR:
        return s->mcr;
    case UART_LSR:
        val = s->lsr;
        s->lsr &= ~(LSR_OE | LSR_BI | 0x0c);
        serial_update_irq(s);
        return val;
    case UART_MSR:
        val = s->msr;
        s->msr &= ~MSR_DELTAS;
        serial_update_irq(s);
        return val;
    default:
        return s->scr;
    }
}

static void serial_write_fcr(SerialState *s, uint8_t val)
{
    if ((val ^ s->fcr) & FCR_ENABLE) {
        s->rx.count = 0;            /* enabling or disabling resets both FIFOs */
        s->lsr &= ~LSR_DR;
    }
    if (val & FCR_CLEAR_RX) {
        s->rx.count = 0;
        s->lsr &= ~LSR_DR;
    }
    s->fcr = val & 0xc9;
    serial_arm_timeout(s);
    chardev_accept_input(&s->fe);
}

static void serial_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    SerialState *s = opaque;
    uint8_t val = value;

    switch (offset) {
    case UART_RBR:
        if (s->lcr & LCR_DLAB) {
            s->divider = (s->divider & 0xff00) | val;
        } else {
            s->thr_ipending = 0;
            serial_transmit(s, val);
        }
        break;
    case UART_IER:
        if (s->lcr & LCR_DLAB) {
            s->divider = (s->divider & 0x00ff) | (val << 8);
            break;
        }
        if ((val & IER_THRI) && !(s->ier & IER_THRI) && (s->lsr & LSR_THRE)) {
            s->thr_ipending = 1;    /* enabling THRE with an empty THR interrupts */
        }
        s->ier = val & 0x0f;
        break;
    case UART_IIR:
        serial_write_fcr(s, val);
        break;
    case UART_LCR:
        s->lcr = val;
        break;
    case UART_MCR:
        s->mcr = val & 0x1f;
        serial_update_msr(s);
        break;
    case UART_LSR:
    case UART_MSR:
        break;                      /* read-only (factory test registers) */
    default:
        s->scr = val;
        break;
    }
    serial_update_irq(s);
}

static const MemoryRegionOps serial_ops = {
    .read = serial_read, .write = serial_write, .valid_min = 1, .valid_max = 1,
};

static int serial_can_read(void *opaque)
{
    SerialState *s = opaque;

    if (s->mcr & MCR_LOOP) {
        return 0;
    }
    return rx_capacity(s) - s->rx.count;
}

static void serial_chr_read(void *opaque, const uint8_t *buf, int len)
{
    SerialState *s = opaque;

    for (int i = 0; i < len; i++) {
        serial_receive_byte(s, buf[i]);
    }
    serial_update_irq(s);
}

static void serial_chr_event(void *opaque, ChardevEvent event)
{
    SerialState *s = opaque;

    if (event == CHR_EVENT_BREAK) {
        serial_receive_byte(s, 0);
        s->lsr |= LSR_BI;
        serial_update_irq(s);
    }
}

static void serial_reset(DeviceState *dev)
{
    SerialState *s = DEVICE_CAST(SerialState, dev);

    s->divider = 12;                /* 9600 baud */
    s->ier = s->lcr = s->mcr = s->scr = s->fcr = 0;
    s->lsr = LSR_THRE | LSR_TEMT;
    s->msr = 0;
    s->rx.count = s->rx.head = 0;
    s->thr_ipending = s->timeout_ipending = 0;
    serial_update_msr(s);
    s->msr &= ~MSR_DELTAS;
    timer_del(s->timeout_timer);
    s->irq_level = -1;
    serial_update_irq(s);
}

static const uint16_t com_ports[4] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
static const uint8_t com_irqs[4] = { 4, 3, 4, 3 };

static int serial_realize(DeviceState *dev, Error **errp)
{
    SerialState *s = DEVICE_CAST(SerialState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    if (!io) {
        error_setg(errp, "no port I/O space on this machine");
        return -1;
    }
    if (s->index >= 4) {
        error_setg(errp, "index %d: only COM1-COM4 (index 0-3) exist", s->index);
        return -1;
    }
    if (s->index >= 0 && !s->iobase) {
        s->iobase = com_ports[s->index];
        s->isairq = s->isairq ? s->isairq : com_irqs[s->index];
    }
    if (!s->iobase) {
        error_setg(errp, "give iobase= or index=");
        return -1;
    }
    if (s->chr && chardev_attach(&s->fe, s->chr, serial_can_read, serial_chr_read,
                                 serial_chr_event, s, errp) < 0) {
        return -1;
    }
    if (!s->irq) {
        s->irq = isa_get_irq(s->isairq);
    }
    s->flush_timer = timer_new(CLK_REALTIME, serial_flush_cb, s);
    s->timeout_timer = timer_new(CLK_VIRTUAL, serial_timeout_cb, s);
    memory_region_init_io(&s->io, &serial_ops, s, "serial", 8);
    memory_region_add_subregion(io, s->iobase, &s->io, 0);
    serial_track(s, true);
    serial_reset(dev);
    return 0;
}

static void serial_unrealize(DeviceState *dev)
{
    SerialState *s = DEVICE_CAST(SerialState, dev);

    serial_track(s, false);
    serial_flush(s);
    if (s->fe.chr) {
        chardev_detach(&s->fe);
    }
    timer_free(s->flush_timer);
    timer_free(s->timeout_timer);
    memory_region_del_subregion(qdev_get_io_root(dev), &s->io);
    memory_region_destroy(&s->io);
}

SerialState *isa_serial_create(BusState *bus, int index, Chardev *chr, IRQ irq, Error **errp)
{
    DeviceState *dev = device_create(TYPE_ISA_SERIAL, bus, errp);
    SerialState *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(SerialState, dev);
    s->index = index;
    s->chr = chr;
    s->irq = irq;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}

static int serial_post_load(DeviceState *dev, Error **errp)
{
    SerialState *s = DEVICE_CAST(SerialState, dev);

    if (s->rx.head >= UART_FIFO_SIZE || s->rx.count > UART_FIFO_SIZE) {
        error_setg(errp, "isa-serial: receive FIFO state out of range");
        return -1;
    }
    s->irq_level = -1;
    serial_update_irq(s);
    return 0;
}

static const Property serial_props[] = {
    DEFINE_PROP_UINT32_RANGE("iobase", SerialState, iobase, 0, 0, 0xfff8),
    DEFINE_PROP_UINT8_RANGE("irq", SerialState, isairq, 0, 0, 15),
    DEFINE_PROP_INT_RANGE("index", SerialState, index, -1, -1, 3),
    DEFINE_PROP_CHARDEV("chardev", SerialState, chr),
    DEFINE_PROP_END,
};

static const VMStateField serial_vmstate[] = {
    VMSTATE_UINT16(divider, SerialState),
    VMSTATE_UINT8(ier, SerialState),
    VMSTATE_UINT8(lcr, SerialState),
    VMSTATE_UINT8(mcr, SerialState),
    VMSTATE_UINT8(lsr, SerialState),
    VMSTATE_UINT8(msr, SerialState),
    VMSTATE_UINT8(scr, SerialState),
    VMSTATE_UINT8(fcr, SerialState),
    VMSTATE_UINT8(thr_ipending, SerialState),
    VMSTATE_BUFFER(rx, SerialState),
    VMSTATE_END,
};

static const DeviceType serial_type = {
    .name = TYPE_ISA_SERIAL,
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(SerialState),
    .description = "16550A UART (COM1-COM4)",
    .user_creatable = true,
    .realize = serial_realize,
    .unrealize = serial_unrealize,
    .reset = serial_reset,
    .props = serial_props,
    .vmstate = serial_vmstate,
    .post_load = serial_post_load,
};
DEVICE_TYPE_REGISTER(serial_type)
