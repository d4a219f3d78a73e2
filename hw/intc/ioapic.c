/* Intel 82093AA I/O APIC (datasheet 290566) with the version 0x20 EOI register: IOREGSEL
 * and IOWIN, ID, version (24 entries), redirection table with vector, delivery mode,
 * destination mode and destination, trigger mode, mask and remote IRR. Edge inputs are
 * latched on the rising edge; a level input is delivered again after the LAPIC's EOI
 * broadcast clears remote IRR while the line is still high. Inputs are taken as asserted
 * when high (polarity is not modelled, as the board wires active-high lines). */
#include <inttypes.h>
#include "hw/intc/apic.h"
#include "hw/intc/ioapic.h"

#define RTE_MASKED (1ull << 16)
#define RTE_LEVEL (1ull << 15)
#define RTE_REMOTE_IRR (1ull << 14)
#define RTE_DELIVS (1ull << 12)
#define RTE_LOGICAL (1ull << 11)
#define RTE_RO_BITS (RTE_REMOTE_IRR | RTE_DELIVS)

static void ioapic_service(IOAPICState *s)
{
    for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
        uint64_t e = s->redirtbl[pin];
        if (!(s->irr & (1u << pin)) || (e & RTE_MASKED)) {
            continue;
        }
        if (e & RTE_LEVEL) {
            if (e & RTE_REMOTE_IRR) {
                continue;
            }
            s->redirtbl[pin] |= RTE_REMOTE_IRR;
        } else {
            s->irr &= ~(1u << pin);
        }
        apic_bus_deliver(e >> 56, e & RTE_LOGICAL, (e >> 8) & 7, e & 0xff, e & RTE_LEVEL);
    }
}

static void ioapic_set_irq(void *opaque, int pin, int level)
{
    IOAPICState *s = opaque;
    uint32_t mask = 1u << pin;
    bool was = s->levels & mask;

    if (level && !was) {
        s->irq_count[pin]++;
    }
    s->levels = level ? (s->levels | mask) : (s->levels & ~mask);
    if (s->redirtbl[pin] & RTE_LEVEL) {
        s->irr = level ? (s->irr | mask) : (s->irr & ~mask);
    } else if (level && !was) {
        s->irr |= mask;
    }
    ioapic_service(s);
}

void ioapic_eoi_broadcast(void *opaque, uint8_t vector)
{
    IOAPICState *s = opaque;

    for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
        uint64_t e = s->redirtbl[pin];
        if ((e & RTE_LEVEL) && (e & 0xff) == vector && (e & RTE_REMOTE_IRR)) {
            s->redirtbl[pin] &= ~RTE_REMOTE_IRR;
        }
    }
    ioapic_service(s);
}

static uint32_t ioapic_read_window(IOAPICState *s)
{
    unsigned index = s->ioregsel;

    switch (index) {
    case 0x00: return (uint32_t)s->id << 24;
    case 0x01: return ((IOAPIC_NUM_PINS - 1) << 16) | 0x20;
    case 0x02: return (uint32_t)s->id << 24;    /* arbitration ID */
    default:
        if (index >= 0x10 && index < 0x10 + 2 * IOAPIC_NUM_PINS) {
            uint64_t e = s->redirtbl[(index - 0x10) / 2];
            return (index & 1) ? e >> 32 : (uint32_t)e;
        }
        return UINT32_MAX;
    }
}

static void ioapic_write_entry(IOAPICState *s, unsigned pin, bool high, uint32_t val)
{
    uint64_t e = s->redirtbl[pin];

    if (high) {
        e = (e & 0xffffffffull) | ((uint64_t)val << 32);
    } else {
        e = (e & 0xffffffff00000000ull) | (val & ~RTE_RO_BITS) | (e & RTE_RO_BITS);
    }
    if (!(e & RTE_LEVEL)) {
        e &= ~RTE_REMOTE_IRR;
    }
    s->redirtbl[pin] = e;
    /* a level line still high is pending again under its new programming */
    if ((e & RTE_LEVEL) && (s->levels & (1u << pin))) {
        s->irr |= 1u << pin;
    }
    ioapic_service(s);
}

static void ioapic_write_window(IOAPICState *s, uint32_t val)
{
    unsigned index = s->ioregsel;

    if (index == 0x00) {
        s->id = (val >> 24) & 0x0f;
    } else if (index >= 0x10 && index < 0x10 + 2 * IOAPIC_NUM_PINS) {
        ioapic_write_entry(s, (index - 0x10) / 2, index & 1, val);
    }
}

static uint64_t ioapic_mmio_read(void *opaque, hwaddr offset, unsigned size)
{
    IOAPICState *s = opaque;

    switch (offset) {
    case 0x00: return s->ioregsel;
    case 0x10: return ioapic_read_window(s);
    default: return 0;
    }
}

static void ioapic_mmio_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    IOAPICState *s = opaque;

    switch (offset) {
    case 0x00: s->ioregsel = value; break;
    case 0x10: ioapic_write_window(s, value); break;
    case 0x40: ioapic_eoi_broadcast(s, value & 0xff); break;
    default: break;
    }
}

static const MemoryRegionOps ioapic_ops = {
    .read = ioapic_mmio_read, .write = ioapic_mmio_write,
    .valid_min = 1, .valid_max = 4, .impl_min = 4, .impl_max = 4,
};

static void ioapic_reset(DeviceState *dev)
{
    IOAPICState *s = DEVICE_CAST(IOAPICState, dev);

    s->id = 0;
    s->ioregsel = 0;
    s->irr = 0;
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        s->redirtbl[i] = RTE_MASKED;
    }
}

static int ioapic_realize(DeviceState *dev, Error **errp)
{
    IOAPICState *s = DEVICE_CAST(IOAPICState, dev);
    MemoryRegion *mem = qdev_get_mem_root(dev);

    if (!mem) {
        error_setg(errp, "no memory space on this machine");
        return -1;
    }
    s->in = irq_new_array(ioapic_set_irq, s, IOAPIC_NUM_PINS);
    memory_region_init_io(&s->mmio, &ioapic_ops, s, "ioapic", 0x1000);
    memory_region_add_subregion(mem, IOAPIC_DEFAULT_ADDRESS, &s->mmio, 0);
    apic_set_eoi_listener(ioapic_eoi_broadcast, s);
    ioapic_reset(dev);
    return 0;
}

static void ioapic_unrealize(DeviceState *dev)
{
    IOAPICState *s = DEVICE_CAST(IOAPICState, dev);

    apic_set_eoi_listener(NULL, NULL);
    memory_region_del_subregion(qdev_get_mem_root(dev), &s->mmio);
    memory_region_destroy(&s->mmio);
    irq_free_array(s->in, IOAPIC_NUM_PINS);
}

IOAPICState *ioapic_create(BusState *bus, Error **errp)
{
    DeviceState *dev = device_create(TYPE_IOAPIC, bus, errp);

    if (!dev) {
        return NULL;
    }
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return DEVICE_CAST(IOAPICState, dev);
}

void ioapic_print_info(IOAPICState *s, FILE *out)
{
    fprintf(out, "ioapic0: ver=0x20 id=0x%02x sel=0x%02x (redir[%u])\n", s->id, s->ioregsel,
            s->ioregsel >= 0x10 ? (s->ioregsel - 0x10) / 2 : 0);
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        uint64_t e = s->redirtbl[i];
        fprintf(out, "  pin %-2d 0x%016" PRIx64 " dest=%" PRIu64 " vec=%-3" PRIu64 " %s %s%s\n",
                i, e, e >> 56, e & 0xff, (e & RTE_LEVEL) ? "level" : "edge ",
                (e & RTE_MASKED) ? "masked" : "", (e & RTE_REMOTE_IRR) ? " remote-irr" : "");
    }
    fprintf(out, "  IRR 0x%06x\n", s->irr);
}

void ioapic_print_irq_counts(IOAPICState *s, FILE *out)
{
    fprintf(out, "IRQ statistics for ioapic:\n");
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        if (s->irq_count[i]) {
            fprintf(out, "%2d: %" PRIu64 "\n", i, s->irq_count[i]);
        }
    }
}

static const VMStateField ioapic_vmstate[] = {
    VMSTATE_UINT8(id, IOAPICState),
    VMSTATE_UINT8(ioregsel, IOAPICState),
    VMSTATE_UINT32(irr, IOAPICState),
    VMSTATE_UINT32(levels, IOAPICState),
    VMSTATE_UINT64_ARRAY(redirtbl, IOAPICState, IOAPIC_NUM_PINS),
    VMSTATE_END,
};

static const DeviceType ioapic_type = {
    .name = TYPE_IOAPIC,
    .instance_size = sizeof(IOAPICState),
    .description = "82093AA I/O APIC",
    .realize = ioapic_realize,
    .unrealize = ioapic_unrealize,
    .reset = ioapic_reset,
    .vmstate = ioapic_vmstate,
};
DEVICE_TYPE_REGISTER(ioapic_type)
