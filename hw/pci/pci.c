/* PCI local bus core (PCI Local Bus Specification 3.0, chapter 6): type 0 configuration
 * header with per-bit write and write-1-to-clear masks, BAR sizing and mapping (I/O,
 * 32-bit and 64-bit memory, expansion ROM) into the host's windows as the command register
 * enables decoding, INTx routed through the host bridge with INTx disable and the
 * interrupt status bit, configuration mechanism #1 decoding, "info pci". */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hw/loader.h"
#include "hw/pci/pci.h"
#include "util/cutils.h"

#define MAX_PCI_BUSES 8

static PCIBus *pci_buses[MAX_PCI_BUSES];

PCIBus *pci_bus_new(DeviceState *host, const char *name, MemoryRegion *mem, MemoryRegion *io)
{
    PCIBus *bus = xzalloc(sizeof(*bus));

    bus->qbus = qbus_create(BUS_TYPE_PCI, name, host);
    bus->mem = mem;
    bus->io = io;
    bus->qbus->mem_root = mem;
    bus->qbus->io_root = io;
    for (int i = 0; i < MAX_PCI_BUSES; i++) {
        if (!pci_buses[i]) {
            pci_buses[i] = bus;
            break;
        }
    }
    return bus;
}

void pci_bus_free(PCIBus *bus)
{
    for (int i = 0; i < MAX_PCI_BUSES; i++) {
        if (pci_buses[i] == bus) {
            pci_buses[i] = NULL;
        }
    }
    free(bus);
}

PCIBus *pci_bus_of(BusState *qbus)
{
    for (int i = 0; qbus && i < MAX_PCI_BUSES; i++) {
        if (pci_buses[i] && pci_buses[i]->qbus == qbus) {
            return pci_buses[i];
        }
    }
    return NULL;
}

void pci_bus_set_irqs(PCIBus *bus, PCIMapIrqFn *map, PCISetIrqFn *set, void *opaque, int n)
{
    bus->map_irq = map;
    bus->set_irq = set;
    bus->irq_opaque = opaque;
    bus->nr_irqs = MIN(n, (int)ARRAY_SIZE(bus->irq_count));
}

/* ---- BARs ------------------------------------------------------------------------------ */

static unsigned bar_offset(int n)
{
    return n == PCI_ROM_SLOT ? PCI_ROM_ADDRESS : PCI_BASE_ADDRESS_0 + 4 * n;
}

void pci_register_bar(PCIDevice *d, int n, uint8_t type, MemoryRegion *mr)
{
    PCIIORegion *r = &d->regions[n];
    unsigned off = bar_offset(n);
    uint64_t mask = ~(mr->size - 1);

    r->size = mr->size;
    r->type = type;
    r->mr = mr;
    r->addr = PCI_BAR_UNMAPPED;
    if (n == PCI_ROM_SLOT) {
        pci_set_long(d->config + off, 0);
        pci_set_long(d->wmask + off, (uint32_t)mask | 1);
        return;
    }
    pci_set_long(d->config + off, type);
    if (type & PCI_BAR_IO) {
        pci_set_long(d->wmask + off, (uint32_t)mask & ~3u);
    } else {
        pci_set_long(d->wmask + off, (uint32_t)mask & ~0xfu);
        if (type & PCI_BAR_MEM64) {
            pci_set_long(d->wmask + off + 4, mask >> 32);
        }
    }
}

/* The address region n decodes now, or PCI_BAR_UNMAPPED. */
static uint64_t pci_bar_address(PCIDevice *d, int n)
{
    PCIIORegion *r = &d->regions[n];
    uint16_t cmd = pci_get_word(d->config + PCI_COMMAND);
    uint32_t lo = pci_get_long(d->config + bar_offset(n));
    uint64_t addr, last, limit;

    if (r->type & PCI_BAR_IO) {
        if (!(cmd & PCI_COMMAND_IO)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = lo & ~3u & ~(r->size - 1);
        limit = 0xffff;
    } else {
        if (!(cmd & PCI_COMMAND_MEMORY) || (n == PCI_ROM_SLOT && !(lo & 1))) {
            return PCI_BAR_UNMAPPED;
        }
        addr = (lo & ~0xfu) & ~(r->size - 1);
        limit = UINT32_MAX;
        if (n != PCI_ROM_SLOT && (r->type & PCI_BAR_MEM64)) {
            addr |= (uint64_t)pci_get_long(d->config + bar_offset(n) + 4) << 32;
            limit = UINT64_MAX - 1;
        }
    }
    last = addr + r->size - 1;
    if (addr == 0 || last < addr || last > limit) {
        return PCI_BAR_UNMAPPED;
    }
    return addr;
}

static void pci_update_mappings(PCIDevice *d)
{
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIIORegion *r = &d->regions[n];
        MemoryRegion *window = (r->type & PCI_BAR_IO) ? d->bus->io : d->bus->mem;
        uint64_t addr;

        if (!r->size || !window) {
            continue;
        }
        addr = pci_bar_address(d, n);
        if (addr == r->addr) {
            continue;
        }
        if (r->addr != PCI_BAR_UNMAPPED) {
            memory_region_del_subregion(window, r->mr);
        }
        if (addr != PCI_BAR_UNMAPPED) {
            memory_region_add_subregion(window, addr, r->mr, 1);
        }
        r->addr = addr;
    }
}

/* ---- interrupts ---------------------------------------------------------------------------- */

static void pci_update_irq(PCIDevice *d)
{
    int pin = d->config[PCI_INTERRUPT_PIN] - 1;
    bool disabled = pci_get_word(d->config + PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE;
    uint8_t asserted = d->irq_level && !disabled;
    PCIBus *bus = d->bus;
    int line;

    d->config[PCI_STATUS] = (d->config[PCI_STATUS] & ~PCI_STATUS_INTERRUPT) |
                            (d->irq_level ? PCI_STATUS_INTERRUPT : 0);
    if (asserted == d->irq_asserted || pin < 0 || pin > 3 || !bus->map_irq) {
        return;
    }
    d->irq_asserted = asserted;
    line = bus->map_irq(d, pin);
    if (line < 0 || line >= bus->nr_irqs) {
        return;
    }
    bus->irq_count[line] += asserted ? 1 : -1;
    bus->set_irq(bus->irq_opaque, line, bus->irq_count[line] != 0);
}

void pci_set_irq(PCIDevice *d, int level)
{
    d->irq_level = level != 0;
    pci_update_irq(d);
}

/* ---- configuration space --------------------------------------------------------------------- */

uint32_t pci_default_read_config(PCIDevice *d, uint32_t addr, unsigned len)
{
    uint32_t val = 0;

    for (unsigned i = 0; i < len && addr + i < PCI_CONFIG_SIZE; i++) {
        val |= (uint32_t)d->config[addr + i] << (8 * i);
    }
    return val;
}

static bool ranges_overlap(uint32_t a, unsigned alen, uint32_t b, unsigned blen)
{
    return a < b + blen && b < a + alen;
}

void pci_default_write_config(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len)
{
    for (unsigned i = 0; i < len && addr + i < PCI_CONFIG_SIZE; i++) {
        uint8_t a = addr + i, b = val >> (8 * i);
        d->config[a] = (d->config[a] & ~d->wmask[a]) | (b & d->wmask[a]);
        d->config[a] &= ~(b & d->w1cmask[a]);
    }
    if (ranges_overlap(addr, len, PCI_COMMAND, 2) ||
        ranges_overlap(addr, len, PCI_BASE_ADDRESS_0, 24) ||
        ranges_overlap(addr, len, PCI_ROM_ADDRESS, 4)) {
        pci_update_mappings(d);
    }
    if (ranges_overlap(addr, len, PCI_COMMAND, 2)) {
        pci_update_irq(d);
    }
}

uint32_t pci_config_read(PCIDevice *d, uint32_t addr, unsigned len)
{
    if (addr >= PCI_CONFIG_SIZE || len > PCI_CONFIG_SIZE - addr) {
        return UINT32_MAX;
    }
    return d->config_read ? d->config_read(d, addr, len) : pci_default_read_config(d, addr, len);
}

void pci_config_write(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len)
{
    if (addr >= PCI_CONFIG_SIZE || len > PCI_CONFIG_SIZE - addr) {
        return;
    }
    if (d->config_write) {
        d->config_write(d, addr, val, len);
    } else {
        pci_default_write_config(d, addr, val, len);
    }
}

static PCIDevice *pci_find(PCIBus *bus, uint32_t cf8)
{
    if (!(cf8 & 0x80000000u) || ((cf8 >> 16) & 0xff) != 0) {
        return NULL;                /* disabled, or a bus behind a bridge: none here */
    }
    return bus->devices[(cf8 >> 8) & 0xff];
}

uint32_t pci_bus_config_read(PCIBus *bus, uint32_t cf8, unsigned offset, unsigned len)
{
    PCIDevice *d = pci_find(bus, cf8);
    uint32_t ones = len == 4 ? UINT32_MAX : (1u << (8 * len)) - 1;

    if (!d) {
        return ones;
    }
    return pci_config_read(d, (cf8 & 0xfc) | (offset & 3), len) & ones;
}

void pci_bus_config_write(PCIBus *bus, uint32_t cf8, unsigned offset, uint32_t val,
                          unsigned len)
{
    PCIDevice *d = pci_find(bus, cf8);

    if (d) {
        pci_config_write(d, (cf8 & 0xfc) | (offset & 3), val, len);
    }
}

/* ---- device life ------------------------------------------------------------------------------ */

static int pci_claim_devfn(PCIDevice *d, Error **errp)
{
    PCIBus *bus = d->bus;

    if (d->devfn < 0) {
        for (int devfn = 0; devfn < 256; devfn += 8) {
            if (!bus->devices[devfn]) {
                d->devfn = devfn;
                break;
            }
        }
        if (d->devfn < 0) {
            error_setg(errp, "no free PCI slot on %s", bus->qbus->name);
            return -1;
        }
    } else if (d->devfn > 255 || bus->devices[d->devfn]) {
        error_setg(errp, "PCI slot %d function %d on %s is %s", (d->devfn >> 3) & 0x1f,
                   d->devfn & 7, bus->qbus->name, d->devfn > 255 ? "invalid" : "in use");
        return -1;
    }
    bus->devices[d->devfn] = d;
    return 0;
}

int pci_device_init(PCIDevice *d, uint16_t vendor, uint16_t device, uint8_t revision,
                    uint16_t class_id, Error **errp)
{
    d->bus = pci_bus_of(d->parent_obj.parent_bus);
    if (!d->bus) {
        error_setg(errp, "not on a PCI bus");
        return -1;
    }
    if (pci_claim_devfn(d, errp) < 0) {
        return -1;
    }
    pci_set_word(d->config + PCI_VENDOR_ID, vendor);
    pci_set_word(d->config + PCI_DEVICE_ID, device);
    d->config[PCI_REVISION_ID] = revision;
    pci_set_word(d->config + PCI_CLASS_DEVICE, class_id);
    pci_set_word(d->config + PCI_SUBSYSTEM_VENDOR_ID, 0x1af4);
    pci_set_word(d->config + PCI_SUBSYSTEM_ID, 0x1100);
    pci_set_word(d->wmask + PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
                 PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
    d->w1cmask[PCI_STATUS + 1] = 0xf9;  /* parity, aborts, SERR */
    d->wmask[0x0c] = 0xff;              /* cache line size */
    d->wmask[0x0d] = 0xff;              /* latency timer */
    d->wmask[PCI_INTERRUPT_LINE] = 0xff;
    if ((d->devfn & 7) && d->bus->devices[d->devfn & ~7]) {
        d->bus->devices[d->devfn & ~7]->config[PCI_HEADER_TYPE] |= PCI_HEADER_TYPE_MULTI;
    }
    return 0;
}

void pci_device_exit(PCIDevice *d)
{
    if (!d->bus) {
        return;
    }
    pci_set_word(d->config + PCI_COMMAND, 0);
    pci_update_mappings(d);
    if (d->irq_asserted) {
        pci_set_irq(d, 0);
    }
    if (d->bus->devices[d->devfn] == d) {
        d->bus->devices[d->devfn] = NULL;
    }
    if (d->has_rom) {
        memory_region_destroy(&d->rom);
    }
}

void pci_device_reset_common(PCIDevice *d)
{
    pci_set_irq(d, 0);
    pci_set_word(d->config + PCI_COMMAND, 0);
    pci_set_word(d->config + PCI_STATUS, pci_get_word(d->config + PCI_STATUS) & ~0xf900);
    d->config[PCI_INTERRUPT_LINE] = 0;
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        if (d->regions[n].size) {
            unsigned off = bar_offset(n);
            pci_set_long(d->config + off, n == PCI_ROM_SLOT ? 0 : d->regions[n].type);
            if (n != PCI_ROM_SLOT && (d->regions[n].type & PCI_BAR_MEM64)) {
                pci_set_long(d->config + off + 4, 0);
            }
        }
    }
    pci_update_mappings(d);
}

int pci_load_romfile(PCIDevice *d, Error **errp)
{
    uint64_t size = 2048;
    size_t len;
    char *path;
    uint8_t *data;

    if (!d->romfile || !*d->romfile) {
        return 0;
    }
    path = firmware_find(d->romfile);
    data = load_file(path ? path : d->romfile, 16 << 20, &len, errp);
    free(path);
    if (!data) {
        return -1;
    }
    while (size < len) {
        size <<= 1;
    }
    memory_region_init_rom(&d->rom, "pci-rom", size);
    memcpy(memory_region_get_ram_ptr(&d->rom), data, len);
    free(data);
    d->has_rom = true;
    pci_register_bar(d, PCI_ROM_SLOT, 0, &d->rom);
    return 0;
}

PCIDevice *pci_create_simple(BusState *bus, const char *type, int devfn, Error **errp)
{
    DeviceState *dev = device_create(type, bus, errp);

    if (!dev) {
        return NULL;
    }
    DEVICE_CAST(PCIDevice, dev)->devfn = devfn;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return DEVICE_CAST(PCIDevice, dev);
}

/* ---- info pci ----------------------------------------------------------------------------------- */

static const char *pci_class_name(uint16_t class_id)
{
    static const struct { uint16_t id; const char *name; } names[] = {
        { 0x0101, "IDE controller" }, { 0x0200, "Ethernet controller" },
        { 0x0300, "VGA controller" }, { 0x0600, "Host bridge" }, { 0x0601, "ISA bridge" },
        { 0x0680, "Bridge" }, { 0x0c03, "USB controller" }, { 0x0100, "SCSI controller" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (names[i].id == class_id) {
            return names[i].name;
        }
    }
    return NULL;
}

static void pci_print_bars(PCIDevice *d, FILE *out)
{
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIIORegion *r = &d->regions[n];
        uint64_t addr = r->addr;
        if (!r->size) {
            continue;
        }
        if (n == PCI_ROM_SLOT) {
            fprintf(out, "      ROM:");
        } else {
            fprintf(out, "      BAR%d:", n);
        }
        if (r->type & PCI_BAR_IO) {
            fprintf(out, " I/O at 0x%04" PRIx64 " [0x%04" PRIx64 "].\n",
                    addr == PCI_BAR_UNMAPPED ? (uint64_t)-1 & 0xffff : addr,
                    addr == PCI_BAR_UNMAPPED ? 0xfffe : addr + r->size - 1);
        } else {
            fprintf(out, " %d bit%s memory at 0x%08" PRIx64 " [0x%08" PRIx64 "].\n",
                    (r->type & PCI_BAR_MEM64) ? 64 : 32,
                    (r->type & PCI_BAR_PREFETCH) ? " prefetchable" : "",
                    addr == PCI_BAR_UNMAPPED ? (uint64_t)-1 : addr,
                    addr == PCI_BAR_UNMAPPED ? (uint64_t)-2 : addr + r->size - 1);
        }
    }
}

void pci_print_info(PCIBus *bus, FILE *out)
{
    for (int devfn = 0; devfn < 256; devfn++) {
        PCIDevice *d = bus->devices[devfn];
        uint16_t class_id;
        const char *name;
        if (!d) {
            continue;
        }
        class_id = pci_get_word(d->config + PCI_CLASS_DEVICE);
        name = pci_class_name(class_id);
        fprintf(out, "  Bus %2d, device %3d, function %d:\n", 0, devfn >> 3, devfn & 7);
        if (name) {
            fprintf(out, "    %s: ", name);
        } else {
            fprintf(out, "    Class %04x: ", class_id);
        }
        fprintf(out, "PCI device %04x:%04x\n", pci_get_word(d->config + PCI_VENDOR_ID),
                pci_get_word(d->config + PCI_DEVICE_ID));
        fprintf(out, "      PCI subsystem %04x:%04x\n",
                pci_get_word(d->config + PCI_SUBSYSTEM_VENDOR_ID),
                pci_get_word(d->config + PCI_SUBSYSTEM_ID));
        if (d->config[PCI_INTERRUPT_PIN]) {
            fprintf(out, "      IRQ %d, pin %c\n", d->config[PCI_INTERRUPT_LINE],
                    'A' + d->config[PCI_INTERRUPT_PIN] - 1);
        }
        pci_print_bars(d, out);
        fprintf(out, "      id \"%s\"\n", d->parent_obj.id ? d->parent_obj.id : "");
    }
}
