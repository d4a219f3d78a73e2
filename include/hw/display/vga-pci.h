/* The standard VGA on PCI ("VGA", QEMU's -vga std): see hw/display/vga-pci.c. */
#ifndef HW_DISPLAY_VGA_PCI_H
#define HW_DISPLAY_VGA_PCI_H

#include "hw/display/vga.h"
#include "hw/pci/pci.h"

#define TYPE_PCI_VGA "VGA"

typedef struct PCIVGAState {
    PCIDevice parent_obj;
    VGAState vga;
    MemoryRegion vram, mmio, ports, vbe_ports, window;
    uint32_t vgamem_mb;
} PCIVGAState;

/* Creates and realizes a VGA on the PCI bus at devfn (-1: the first free slot). */
PCIVGAState *vga_pci_create(BusState *pci_bus, int devfn, Error **errp);

#endif
