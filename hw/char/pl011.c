/* ARM PrimeCell UART PL011 (ARM DDI 0183, r1p0) on a chardev. Transmission is immediate:
 * the TX FIFO is always empty (UARTFR.TXFE), and UARTRIS.TXRIS is set by each write to
 * UARTDR until the guest clears it. Received bytes go to a 16-entry FIFO (1 entry while
 * UARTLCR_H.FEN is clear); RXRIS follows the UARTIFLS trigger level, and the receive
 * timeout (RTRIS) is modelled as already elapsed while the FIFO holds data. Overrun and
 * break set their status bits. UARTCR.LBE loops transmitted bytes back to the receiver.
 * Baud rate, word format and the enable bits are stored, not emulated (as in QEMU). */
#include "hw/char/pl011.h"
#include "util/log.h"

static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static int pl011_depth(const PL011State *s)
{
    return (s->lcr_h & PL011_LCR_FEN) ? PL011_FIFO_DEPTH : 1;
}

/* RX trigger level from UARTIFLS.RXIFLSEL: 1/8, 1/4, 1/2, 3/4, 7/8 full. */
static int pl011_rx_trigger(const PL011State *s)
{
    static const int eighths[8] = { 1, 2, 4, 6, 7, 4, 4, 4 };
    if (!(s->lcr_h & PL011_LCR_FEN)) {
        return 1;
    }
    return PL011_FIFO_DEPTH * eighths[(s->ifls >> 3) & 7] / 8;
}

static void pl011_update(PL011State *s)
{
    irq_set(s->irq, (s->ris & s->imsc) != 0);
}

static void pl011_update_rx_status(PL011State *s)
{
    s->ris &= ~(PL011_INT_RX | PL011_INT_RT);
    if (s->rx_count >= pl011_rx_trigger(s)) {
        s->ris |= PL011_INT_RX;
    }
    if (s->rx_count > 0) {
        s->ris |= PL011_INT_RT;
    }
}

/* One received character with its error bits (UARTDR bits 11:8). */
static void pl011_receive(PL011State *s, uint16_t value)
{
    if (s->rx_count >= pl011_depth(s)) {
        s->rsr |= 1u << 3;          /* overrun: the character is lost */
        s->ris |= PL011_INT_OE;
    } else {
        s->rx_fifo[(s->rx_head + s->rx_count) % PL011_FIFO_DEPTH] = value;
        s->rx_count++;
        if (value & 0x400) {
            s->ris |= PL011_INT_BE;
        }
    }
    pl011_update_rx_status(s);
    pl011_update(s);
}

static uint32_t pl011_read_dr(PL011State *s)
{
    if (s->rx_count == 0) {
        return 0;
    }
    uint16_t value = s->rx_fifo[s->rx_head];
    s->rx_head = (s->rx_head + 1) % PL011_FIFO_DEPTH;
    s->rx_count--;
    s->rsr = (s->rsr & 0x8) | ((value >> 8) & 0x7);     /* overrun stays until UARTECR */
    pl011_update_rx_status(s);
    pl011_update(s);
    if (s->attached) {
        chardev_accept_input(&s->fe);
    }
    return value;
}

static void pl011_write_dr(PL011State *s, uint8_t byte)
{
    if (s->cr & PL011_CR_LBE) {
        pl011_receive(s, byte);
    } else if (s->attached) {
        chardev_write(&s->fe, &byte, 1);
    }
    s->ris |= PL011_INT_TX;
    pl011_update(s);
}

static uint32_t pl011_flags(const PL011State *s)
{
    uint32_t fr = PL011_FR_TXFE;
    if (s->rx_count == 0) {
        fr |= PL011_FR_RXFE;
    }
    if (s->rx_count >= pl011_depth(s)) {
        fr |= PL011_FR_RXFF;
    }
    return fr;
}

static uint64_t pl011_read(void *opaque, hwaddr off, unsigned size)
{
    PL011State *s = opaque;
    switch (off) {
    case PL011_DR: return pl011_read_dr(s);
    case PL011_RSR: return s->rsr;
    case PL011_FR: return pl011_flags(s);
    case PL011_ILPR: return s->ilpr;
    case PL011_IBRD: return s->ibrd;
    case PL011_FBRD: return s->fbrd;
    case PL011_LCR_H: return s->lcr_h;
    case PL011_CR: return s->cr;
    case PL011_IFLS: return s->ifls;
    case PL011_IMSC: return s->imsc;
    case PL011_RIS: return s->ris;
    case PL011_MIS: return s->ris & s->imsc;
    case PL011_DMACR: return s->dmacr;
    default:
        if (off >= PL011_ID && off < PL011_ID + 0x20) {
            return pl011_id[(off - PL011_ID) / 4];
        }
        log_category_printf(LOG_GUEST_ERROR, "pl011: read of bad offset 0x%x\n", (unsigned)off);
        return 0;
    }
}

static void pl011_write_lcr_h(PL011State *s, uint32_t value)
{
    if ((s->lcr_h ^ value) & PL011_LCR_FEN) {
        s->rx_count = 0;            /* the FIFO changes depth: flushed */
        s->rx_head = 0;
    }
    s->lcr_h = value & 0xff;
    pl011_update_rx_status(s);
}

static void pl011_write(void *opaque, hwaddr off, uint64_t value64, unsigned size)
{
    PL011State *s = opaque;
    uint32_t value = (uint32_t)value64;
    switch (off) {
    case PL011_DR: pl011_write_dr(s, (uint8_t)value); return;
    case PL011_RSR: s->rsr = 0; return;
    case PL011_ILPR: s->ilpr = value & 0xff; return;
    case PL011_IBRD: s->ibrd = value & 0xffff; return;
    case PL011_FBRD: s->fbrd = value & 0x3f; return;
    case PL011_LCR_H: pl011_write_lcr_h(s, value); break;
    case PL011_CR: s->cr = value & 0xff87; return;
    case PL011_IFLS: s->ifls = value & 0x3f; pl011_update_rx_status(s); break;
    case PL011_IMSC: s->imsc = value & 0x7ff; break;
    case PL011_ICR: s->ris &= ~value; break;
    case PL011_DMACR:
        if (value & 3) {
            log_category_printf(LOG_UNIMP, "pl011: DMA is not modelled\n");
        }
        s->dmacr = value & 7;
        return;
    default:
        log_category_printf(LOG_GUEST_ERROR, "pl011: write to bad offset 0x%x\n",
                            (unsigned)off);
        return;
    }
    pl011_update(s);
}

static const MemoryRegionOps pl011_ops = {
    .read = pl011_read, .write = pl011_write,
    .valid_min = 1, .valid_max = 4, .impl_min = 4, .impl_max = 4,
};

/* ---- chardev side ----------------------------------------------------------------------- */

static int pl011_can_read(void *opaque)
{
    PL011State *s = opaque;
    return pl011_depth(s) - s->rx_count;
}

static void pl011_chr_read(void *opaque, const uint8_t *buf, int len)
{
    for (int i = 0; i < len; i++) {
        pl011_receive(opaque, buf[i]);
    }
}

static void pl011_chr_event(void *opaque, ChardevEvent event)
{
    if (event == CHR_EVENT_BREAK) {
        pl011_receive(opaque, 0x400);
    }
}

/* ---- the device ----------------------------------------------------------------------------- */

static int pl011_realize(DeviceState *dev, Error **errp)
{
    PL011State *s = DEVICE_CAST(PL011State, dev);

    if (s->chr && chardev_attach(&s->fe, s->chr, pl011_can_read, pl011_chr_read,
                                 pl011_chr_event, s, errp) < 0) {
        return -1;
    }
    s->attached = s->chr != NULL;
    memory_region_init_io(&s->iomem, &pl011_ops, s, "pl011", PL011_MMIO_SIZE);
    MemoryRegion *root = qdev_get_mem_root(dev);
    if (s->has_base && root) {
        memory_region_add_subregion(root, s->base, &s->iomem, 0);
    }
    return 0;
}

static void pl011_unrealize(DeviceState *dev)
{
    PL011State *s = DEVICE_CAST(PL011State, dev);
    if (s->attached) {
        chardev_detach(&s->fe);
        s->attached = false;
    }
    if (s->iomem.parent) {
        memory_region_del_subregion(s->iomem.parent, &s->iomem);
    }
    memory_region_destroy(&s->iomem);
}

static void pl011_reset(DeviceState *dev)
{
    PL011State *s = DEVICE_CAST(PL011State, dev);
    s->rx_head = s->rx_count = 0;
    s->rsr = s->lcr_h = s->imsc = s->ris = s->dmacr = 0;
    s->ilpr = s->ibrd = s->fbrd = 0;
    s->cr = 0x300;                  /* TXE | RXE */
    s->ifls = 0x12;                 /* both trigger levels at 1/2 */
    pl011_update(s);
}

static const Property pl011_props[] = {
    DEFINE_PROP_CHARDEV("chardev", PL011State, chr),
    DEFINE_PROP_UINT64("addr", PL011State, base, 0),
    DEFINE_PROP_BOOL("has-addr", PL011State, has_base, false),
    DEFINE_PROP_END,
};

const DeviceType pl011_device_type = {
    .name = "pl011",
    .instance_size = sizeof(PL011State),
    .description = "ARM PrimeCell PL011 UART",
    .realize = pl011_realize,
    .unrealize = pl011_unrealize,
    .reset = pl011_reset,
    .props = pl011_props,
};
DEVICE_TYPE_REGISTER(pl011_device_type)
