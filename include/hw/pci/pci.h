/* PCI local bus (PCI 3.0): configuration space with write masks, BARs (I/O, 32- and 64-bit
 * memory, expansion ROM) mapped into the host bridge's windows when the guest enables
 * decoding, INTx pins routed by the host, "info pci". Devices embed PCIDevice first and
 * call pci_device_init() from their realize. */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "hw/irq.h"
#include "hw/qdev.h"
#include "system/memory.h"

#define PCI_CONFIG_SIZE 256
#define PCI_NUM_REGIONS 7           /* 6 BARs and the expansion ROM */
#define PCI_ROM_SLOT 6
#define PCI_DEVFN(slot, fn) ((((slot) & 0x1f) << 3) | ((fn) & 7))

/* Configuration header offsets. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS 0x06
#define PCI_STATUS_INTERRUPT 0x08
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_CLASS_DEVICE 0x0a
#define PCI_HEADER_TYPE 0x0e
#define PCI_HEADER_TYPE_MULTI 0x80
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_ROM_ADDRESS 0x30
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_BAR_IO 0x01
#define PCI_BAR_MEM64 0x04
#define PCI_BAR_PREFETCH 0x08
#define PCI_BAR_UNMAPPED UINT64_MAX

typedef struct PCIBus PCIBus;
typedef struct PCIDevice PCIDevice;

typedef struct PCIIORegion {
    uint64_t size;              /* 0: unused */
    uint8_t type;               /* PCI_BAR_IO, or memory flags (MEM64, PREFETCH) */
    MemoryRegion *mr;
    uint64_t addr;              /* where it is mapped, or PCI_BAR_UNMAPPED */
} PCIIORegion;

struct PCIDevice {
    DeviceState parent_obj;
    uint8_t config[PCI_CONFIG_SIZE];
    uint8_t wmask[PCI_CONFIG_SIZE];     /* bits the guest may write */
    uint8_t w1cmask[PCI_CONFIG_SIZE];   /* bits cleared by writing 1 */
    PCIIORegion regions[PCI_NUM_REGIONS];
    PCIBus *bus;
    int32_t devfn;              /* property "addr" (slot.fn); -1: first free slot */
    uint8_t irq_level;          /* level of INTx as the device drives it */
    uint8_t irq_asserted;       /* ... and as the host sees it (INTx disable applied) */
    /* device hooks, set by the device before pci_device_init (NULL: defaults) */
    uint32_t (*config_read)(PCIDevice *d, uint32_t addr, unsigned len);
    void (*config_write)(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len);
    /* expansion ROM */
    char *romfile;
    MemoryRegion rom;
    bool has_rom;
};

/* Host-specific routing of a device's INTx pin (0 = INTA) to one of the host's lines. */
typedef int PCIMapIrqFn(PCIDevice *d, int pin);
typedef void PCISetIrqFn(void *opaque, int line, int level);

struct PCIBus {
    BusState *qbus;
    PCIDevice *devices[256];
    MemoryRegion *mem;          /* the memory window BARs map into */
    MemoryRegion *io;           /* the I/O window */
    PCIMapIrqFn *map_irq;
    PCISetIrqFn *set_irq;
    void *irq_opaque;
    int nr_irqs;
    int irq_count[8];           /* devices asserting each host line */
};

/* A bus provided by host (a bridge device), windows mem and io. */
PCIBus *pci_bus_new(DeviceState *host, const char *name, MemoryRegion *mem, MemoryRegion *io);
void pci_bus_free(PCIBus *bus);
void pci_bus_set_irqs(PCIBus *bus, PCIMapIrqFn *map, PCISetIrqFn *set, void *opaque, int n);
/* The PCIBus of a qdev bus, or NULL. */
PCIBus *pci_bus_of(BusState *qbus);

/* From a PCI device's realize: joins the bus (the device's parent bus) at devfn, sets the
 * IDs and class. -1 with *errp when the slot is taken or there is no PCI bus. */
int pci_device_init(PCIDevice *d, uint16_t vendor, uint16_t device, uint8_t revision,
                    uint16_t class_id, Error **errp);
/* Creates and realizes a PCI device of type at devfn on bus; NULL with *errp. */
PCIDevice *pci_create_simple(BusState *bus, const char *type, int devfn, Error **errp);
/* From unrealize: unmaps the BARs and leaves the bus. */
void pci_device_exit(PCIDevice *d);
/* Declares BAR n (0..5, or PCI_ROM_SLOT) of size (a power of two) backed by mr. */
void pci_register_bar(PCIDevice *d, int n, uint8_t type, MemoryRegion *mr);
/* Loads d->romfile (if set) as the expansion ROM BAR; -1 with *errp if unreadable. */
int pci_load_romfile(PCIDevice *d, Error **errp);
/* Drives INTx (the pin from PCI_INTERRUPT_PIN). */
void pci_set_irq(PCIDevice *d, int level);
/* Resets the common header (command, BARs, interrupt line) of d; devices call it from
 * their reset. */
void pci_device_reset_common(PCIDevice *d);

/* Configuration access as the host bridge sees it (default rules plus device hooks). */
uint32_t pci_config_read(PCIDevice *d, uint32_t addr, unsigned len);
void pci_config_write(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len);
/* The default behaviour, for hooks that add to it. */
uint32_t pci_default_read_config(PCIDevice *d, uint32_t addr, unsigned len);
void pci_default_write_config(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len);

/* Configuration mechanism #1 (ports 0xcf8/0xcfc) decoding on bus 0. */
uint32_t pci_bus_config_read(PCIBus *bus, uint32_t cf8, unsigned offset, unsigned len);
void pci_bus_config_write(PCIBus *bus, uint32_t cf8, unsigned offset, uint32_t val,
                          unsigned len);

/* Little-endian config space helpers. */
static inline void pci_set_word(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static inline void pci_set_long(uint8_t *p, uint32_t v)
{
    p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}
static inline uint16_t pci_get_word(const uint8_t *p) { return p[0] | (p[1] << 8); }
static inline uint32_t pci_get_long(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* "info pci" in QEMU's layout. */
void pci_print_info(PCIBus *bus, FILE *out);

#endif
