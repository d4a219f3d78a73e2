/* Intel 440FX PCI host bridge (PMC "i440FX" at 00.0 with the PAM registers of the legacy BIOS
 * area) behind configuration ports 0xcf8/0xcfc, and the PIIX3 PCI-to-ISA bridge at 01.0
 * (PIRQ routing to ISA IRQs, the reset control register at 0xcf9, the ISA bus). */
#ifndef HW_PCI_I440FX_H
#define HW_PCI_I440FX_H

#include "hw/pci/pci.h"

#define TYPE_I440FX_HOST "i440FX-pcihost"
#define TYPE_I440FX "i440FX"
#define TYPE_PIIX3 "PIIX3"
#define PAM_SEGMENTS 13

typedef struct I440FXHost {
    DeviceState parent_obj;
    MemoryRegion conf;          /* 0xcf8-0xcff */
    uint32_t config_address;
    uint8_t rcr;                /* PIIX3 reset control register (0xcf9) */
    PCIBus *bus;
    /* set by the board before realize */
    MemoryRegion *system_memory, *ram, *pci_mem, *io;
} I440FXHost;

typedef struct I440FXState {
    PCIDevice parent_obj;
    MemoryRegion pam_ram[PAM_SEGMENTS], pam_pci[PAM_SEGMENTS];
    MemoryRegion vga_window;    /* 0xa0000-0xbffff goes to PCI (legacy VGA), over RAM */
    bool pam_mapped;
} I440FXState;

typedef struct PIIX3State {
    PCIDevice parent_obj;
    uint8_t pirq_level[4];      /* PIRQA-D as the PCI devices drive them */
    uint16_t isa_driven;        /* ISA IRQs currently raised by PCI */
} PIIX3State;

/* Creates the host bridge, i440FX at 00.0 and PIIX3 at 01.0 (with its ISA bus "isa.0").
 * ram is the guest RAM region the PAM segments alias; pci_mem is the PCI memory window
 * container (the board maps it under system_memory). */
I440FXHost *i440fx_create(MemoryRegion *system_memory, MemoryRegion *ram,
                          MemoryRegion *pci_mem, MemoryRegion *io, Error **errp);
/* The PIIX3 function 0 at devfn on bus (i440fx_create makes it). */
PCIDevice *piix3_create(BusState *bus, int devfn, Error **errp);
/* Mode (0-3) of PAM segment seg: 0 PCI/ROM, 1 read-only RAM, 2 write-only, 3 RAM. */
int i440fx_pam_mode(I440FXState *s, int seg);

#endif
