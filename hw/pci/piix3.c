/* Intel 82371SB PIIX3 function 0, the PCI-to-ISA bridge (datasheet 290550): PIRQ route
 * control registers 0x60-0x63 steering PIRQA-D to ISA IRQs (level, shared), the PCI INTx
 * swizzle of the PC (pin + slot - 1), and the ISA bus "isa.0" the board's legacy devices
 * sit on. The edge/level control registers live with the i8259 pair. */
#include "hw/isa/isa.h"
#include "hw/pci/i440fx.h"

#define PIIX_PIRQC 0x60
#define PIRQ_DISABLED 0x80

/* The PC wiring of INTx pins to PIRQ lines (the same SeaBIOS and ACPI _PRT assume). */
static int piix3_map_irq(PCIDevice *d, int pin)
{
    return (pin + ((d->devfn >> 3) & 0x1f) - 1) & 3;
}

static uint16_t piix3_wanted_isa(PIIX3State *s)
{
    uint16_t mask = 0;

    for (int i = 0; i < 4; i++) {
        uint8_t route = s->parent_obj.config[PIIX_PIRQC + i];
        if (s->pirq_level[i] && !(route & PIRQ_DISABLED) && (route & 0x0f) < ISA_NUM_IRQS) {
            mask |= 1u << (route & 0x0f);
        }
    }
    return mask;
}

static void piix3_update_isa(PIIX3State *s)
{
    uint16_t wanted = piix3_wanted_isa(s);
    uint16_t changed = wanted ^ s->isa_driven;

    s->isa_driven = wanted;
    for (int n = 0; n < ISA_NUM_IRQS; n++) {
        if (changed & (1u << n)) {
            irq_set(isa_get_irq(n), (wanted >> n) & 1);
        }
    }
}

static void piix3_set_irq(void *opaque, int pirq, int level)
{
    PIIX3State *s = opaque;

    s->pirq_level[pirq] = level != 0;
    piix3_update_isa(s);
}

static void piix3_write_config(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len)
{
    pci_default_write_config(d, addr, val, len);
    if (addr < PIIX_PIRQC + 4 && addr + len > PIIX_PIRQC) {
        piix3_update_isa(DEVICE_CAST(PIIX3State, d));
    }
}

static void piix3_reset(DeviceState *dev)
{
    PIIX3State *s = DEVICE_CAST(PIIX3State, dev);
    uint8_t *cfg = s->parent_obj.config;

    pci_device_reset_common(&s->parent_obj);
    pci_set_word(cfg + PCI_COMMAND, 0x0007);
    for (int i = 0; i < 4; i++) {
        cfg[PIIX_PIRQC + i] = PIRQ_DISABLED;
    }
    piix3_update_isa(s);
}

static void piix3_instance_init(DeviceState *dev)
{
    BusState *isa = qbus_create(BUS_TYPE_ISA, "isa.0", dev);
    (void)isa;
}

static int piix3_realize(DeviceState *dev, Error **errp)
{
    PIIX3State *s = DEVICE_CAST(PIIX3State, dev);
    PCIDevice *d = &s->parent_obj;

    d->config_write = piix3_write_config;
    if (pci_device_init(d, 0x8086, 0x7000, 0x00, 0x0601, errp) < 0) {
        return -1;
    }
    d->config[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_MULTI;
    for (int i = 0; i < 4; i++) {
        d->wmask[PIIX_PIRQC + i] = 0x8f;
    }
    pci_bus_set_irqs(d->bus, piix3_map_irq, piix3_set_irq, s, 4);
    piix3_reset(dev);
    return 0;
}

static void piix3_unrealize(DeviceState *dev)
{
    PIIX3State *s = DEVICE_CAST(PIIX3State, dev);

    pci_bus_set_irqs(s->parent_obj.bus, NULL, NULL, NULL, 0);
    pci_device_exit(&s->parent_obj);
}

static int piix3_post_load(DeviceState *dev, Error **errp)
{
    PIIX3State *s = DEVICE_CAST(PIIX3State, dev);

    s->isa_driven = 0;
    piix3_update_isa(s);
    return 0;
}

static const Property piix3_props[] = {
    DEFINE_PROP_INT_RANGE("addr", PCIDevice, devfn, 8, -1, 255),
    DEFINE_PROP_END,
};

static const VMStateField piix3_vmstate[] = {
    VMSTATE_UINT8_ARRAY(config, PCIDevice, PCI_CONFIG_SIZE),
    VMSTATE_UINT8_ARRAY(pirq_level, PIIX3State, 4),
    VMSTATE_END,
};

static const DeviceType piix3_type = {
    .name = TYPE_PIIX3,
    .bus_type = BUS_TYPE_PCI,
    .instance_size = sizeof(PIIX3State),
    .description = "PIIX3 PCI-to-ISA bridge",
    .instance_init = piix3_instance_init,
    .realize = piix3_realize,
    .unrealize = piix3_unrealize,
    .reset = piix3_reset,
    .props = piix3_props,
    .vmstate = piix3_vmstate,
    .post_load = piix3_post_load,
};
DEVICE_TYPE_REGISTER(piix3_type)

PCIDevice *piix3_create(BusState *bus, int devfn, Error **errp)
{
    return pci_create_simple(bus, TYPE_PIIX3, devfn, errp);
}
