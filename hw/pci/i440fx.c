/* Intel 82441FX PCI and memory controller (440FX datasheet 290549): configuration
 * mechanism #1 at 0xcf8 (address, dword only) and 0xcfc-0xcff (data, any size), and the
 * PAM0-6 registers (0x59-0x5f) choosing RAM or the PCI/ROM side for the 13 segments of
 * 0xc0000-0xfffff. Mode 1 (read-only) maps RAM read-write and mode 2 (write-only) maps
 * the ROM side (writes dropped): the guest-visible difference is writes to a protected BIOS.
 * The byte port 0xcf9 in the same window is the PIIX3 reset control register. */
#include <string.h>
#include "hw/pci/i440fx.h"
#include "system/runstate.h"
#include "util/log.h"

#define I440FX_PAM 0x59
#define I440FX_SMRAM 0x72
#define RCR_SYS_RST 0x02
#define RCR_RST_CPU 0x04

static void pam_segment(int seg, uint64_t *start, uint64_t *size)
{
    if (seg == 0) {
        *start = 0xf0000;
        *size = 0x10000;
    } else {
        *start = 0xc0000 + (uint64_t)(seg - 1) * 0x4000;
        *size = 0x4000;
    }
}

int i440fx_pam_mode(I440FXState *s, int seg)
{
    const uint8_t *cfg = s->parent_obj.config;
    uint8_t reg;

    if (seg == 0) {
        return (cfg[I440FX_PAM] >> 4) & 3;
    }
    reg = cfg[I440FX_PAM + 1 + (seg - 1) / 2];
    return (((seg - 1) & 1) ? reg >> 4 : reg) & 3;
}

static void i440fx_update_pam(I440FXState *s)
{
    for (int seg = 0; seg < PAM_SEGMENTS && s->pam_mapped; seg++) {
        bool ram = i440fx_pam_mode(s, seg) & 1;   /* read enable decides the view */
        memory_region_set_enabled(&s->pam_ram[seg], ram);
        memory_region_set_enabled(&s->pam_pci[seg], !ram);
    }
}

static void i440fx_write_config(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len)
{
    I440FXState *s = DEVICE_CAST(I440FXState, d);

    pci_default_write_config(d, addr, val, len);
    if (addr < I440FX_PAM + 7 && addr + len > I440FX_PAM) {
        i440fx_update_pam(s);
    }
}

static I440FXHost *host_of(PCIDevice *d)
{
    return DEVICE_CAST(I440FXHost, d->bus->qbus->parent);
}

static void i440fx_map_pam(I440FXState *s)
{
    I440FXHost *h = host_of(&s->parent_obj);

    if (!h->ram || !h->pci_mem || !h->system_memory) {
        return;
    }
    for (int seg = 0; seg < PAM_SEGMENTS; seg++) {
        uint64_t start, size;
        pam_segment(seg, &start, &size);
        memory_region_init_alias(&s->pam_ram[seg], "pam-ram", h->ram, start, size);
        memory_region_init_alias(&s->pam_pci[seg], "pam-pci", h->pci_mem, start, size);
        memory_region_set_enabled(&s->pam_ram[seg], false);
        memory_region_add_subregion(h->system_memory, start, &s->pam_ram[seg], 1);
        memory_region_add_subregion(h->system_memory, start, &s->pam_pci[seg], 1);
    }
    /* SMRAM closed (no SMM here): the legacy video range is the PCI bus's (a VGA) */
    memory_region_init_alias(&s->vga_window, "vga-window", h->pci_mem, 0xa0000, 0x20000);
    memory_region_add_subregion(h->system_memory, 0xa0000, &s->vga_window, 1);
    s->pam_mapped = true;
}

static void i440fx_reset(DeviceState *dev)
{
    I440FXState *s = DEVICE_CAST(I440FXState, dev);

    pci_device_reset_common(&s->parent_obj);
    memset(s->parent_obj.config + I440FX_PAM, 0, 7);
    s->parent_obj.config[I440FX_SMRAM] = 0x02;
    i440fx_update_pam(s);
}

static int i440fx_realize(DeviceState *dev, Error **errp)
{
    I440FXState *s = DEVICE_CAST(I440FXState, dev);
    PCIDevice *d = &s->parent_obj;

    d->config_write = i440fx_write_config;
    if (pci_device_init(d, 0x8086, 0x1237, 0x02, 0x0600, errp) < 0) {
        return -1;
    }
    memset(d->wmask + I440FX_PAM, 0xff, 7);
    d->wmask[I440FX_PAM] = 0xf0;    /* PAM0 low nibble is reserved */
    d->wmask[I440FX_SMRAM] = 0x78;
    i440fx_map_pam(s);
    i440fx_reset(dev);
    return 0;
}

static void i440fx_unrealize(DeviceState *dev)
{
    I440FXState *s = DEVICE_CAST(I440FXState, dev);
    I440FXHost *h = host_of(&s->parent_obj);

    for (int seg = 0; s->pam_mapped && seg < PAM_SEGMENTS; seg++) {
        memory_region_del_subregion(h->system_memory, &s->pam_ram[seg]);
        memory_region_del_subregion(h->system_memory, &s->pam_pci[seg]);
        memory_region_destroy(&s->pam_ram[seg]);
        memory_region_destroy(&s->pam_pci[seg]);
    }
    if (s->pam_mapped) {
        memory_region_del_subregion(h->system_memory, &s->vga_window);
        memory_region_destroy(&s->vga_window);
    }
    pci_device_exit(&s->parent_obj);
}

static const Property i440fx_props[] = {
    DEFINE_PROP_INT_RANGE("addr", PCIDevice, devfn, 0, -1, 255),
    DEFINE_PROP_END,
};

static const VMStateField i440fx_vmstate[] = {
    VMSTATE_UINT8_ARRAY(config, PCIDevice, PCI_CONFIG_SIZE),
    VMSTATE_END,
};

static int i440fx_post_load(DeviceState *dev, Error **errp)
{
    i440fx_update_pam(DEVICE_CAST(I440FXState, dev));
    return 0;
}

static const DeviceType i440fx_type = {
    .name = TYPE_I440FX,
    .bus_type = BUS_TYPE_PCI,
    .instance_size = sizeof(I440FXState),
    .description = "Intel 82441FX PCI and memory controller",
    .realize = i440fx_realize,
    .unrealize = i440fx_unrealize,
    .reset = i440fx_reset,
    .props = i440fx_props,
    .vmstate = i440fx_vmstate,
    .post_load = i440fx_post_load,
};
DEVICE_TYPE_REGISTER(i440fx_type)

/* ---- the host bridge: ports 0xcf8-0xcff -------------------------------------------------- */

static uint64_t host_conf_read(void *opaque, hwaddr offset, unsigned size)
{
    I440FXHost *h = opaque;

    if (offset >= 4) {
        return pci_bus_config_read(h->bus, h->config_address, offset - 4, size);
    }
    if (offset == 0 && size == 4) {
        return h->config_address;
    }
    if (offset == 1 && size == 1) {
        return h->rcr;
    }
    return (1ull << (8 * size)) - 1;
}

static void host_rcr_write(I440FXHost *h, uint8_t val)
{
    if (val & RCR_RST_CPU) {
        log_category_printf(LOG_CPU_RESET, "reset through the PIIX3 RCR (0xcf9=0x%02x)\n",
                            val);
        h->rcr = 0;
        system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        return;
    }
    h->rcr = val & RCR_SYS_RST;
}

static void host_conf_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    I440FXHost *h = opaque;

    if (offset >= 4) {
        pci_bus_config_write(h->bus, h->config_address, offset - 4, value, size);
    } else if (offset == 0 && size == 4) {
        h->config_address = value & 0x80fffffc;
    } else if (offset == 1 && size == 1) {
        host_rcr_write(h, value);
    }
}

static const MemoryRegionOps host_conf_ops = {
    .read = host_conf_read, .write = host_conf_write, .valid_min = 1, .valid_max = 4,
};

static int host_realize(DeviceState *dev, Error **errp)
{
    I440FXHost *h = DEVICE_CAST(I440FXHost, dev);

    if (!h->io) {
        h->io = qdev_get_io_root(dev);
    }
    if (!h->io || !h->pci_mem) {
        error_setg(errp, "the board gave no I/O space or PCI memory window");
        return -1;
    }
    h->bus = pci_bus_new(dev, "pci.0", h->pci_mem, h->io);
    memory_region_init_io(&h->conf, &host_conf_ops, h, "pci-conf", 8);
    memory_region_add_subregion(h->io, 0xcf8, &h->conf, 0);
    return 0;
}

static void host_unrealize(DeviceState *dev)
{
    I440FXHost *h = DEVICE_CAST(I440FXHost, dev);

    memory_region_del_subregion(h->io, &h->conf);
    memory_region_destroy(&h->conf);
    pci_bus_free(h->bus);
}

static void host_reset(DeviceState *dev)
{
    I440FXHost *h = DEVICE_CAST(I440FXHost, dev);
    h->config_address = 0;
    h->rcr = 0;
}

static const VMStateField host_vmstate[] = {
    VMSTATE_UINT32(config_address, I440FXHost),
    VMSTATE_UINT8(rcr, I440FXHost),
    VMSTATE_END,
};

static const DeviceType host_type = {
    .name = TYPE_I440FX_HOST,
    .instance_size = sizeof(I440FXHost),
    .description = "i440FX PCI host bridge",
    .realize = host_realize,
    .unrealize = host_unrealize,
    .reset = host_reset,
    .vmstate = host_vmstate,
};
DEVICE_TYPE_REGISTER(host_type)

I440FXHost *i440fx_create(MemoryRegion *system_memory, MemoryRegion *ram,
                          MemoryRegion *pci_mem, MemoryRegion *io, Error **errp)
{
    DeviceState *dev = device_create(TYPE_I440FX_HOST, NULL, errp);
    I440FXHost *h;

    if (!dev) {
        return NULL;
    }
    h = DEVICE_CAST(I440FXHost, dev);
    h->system_memory = system_memory;
    h->ram = ram;
    h->pci_mem = pci_mem;
    h->io = io;
    if (device_realize(dev, errp) < 0 ||
        !pci_create_simple(h->bus->qbus, TYPE_I440FX, PCI_DEVFN(0, 0), errp) ||
        !piix3_create(h->bus->qbus, PCI_DEVFN(1, 0), errp)) {
        device_destroy(dev);
        return NULL;
    }
    return h;
}
