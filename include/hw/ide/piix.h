/* The PIIX3 IDE function (PCI 00:01.1 on the pc machine): two legacy channels and their bus
 * master DMA engines. */
#ifndef HW_IDE_PIIX_H
#define HW_IDE_PIIX_H

#include "hw/ide/bmdma.h"
#include "hw/pci/pci.h"

#define TYPE_PIIX3_IDE "piix3-ide"

typedef struct PIIXIDEState {
    PCIDevice parent_obj;
    IDEBus bus[2];
    BMDMAState bmdma[2];
    MemoryRegion cmd_io[2], ctrl_io[2], bm_io;
    AddressSpace *dma_as;       /* NULL: the current machine's memory */
    char of_path[32];           /* "/pci@i0cf8/ide@1,1" for bootindex */
} PIIXIDEState;

/* Creates and realizes the function at devfn on pci_bus; DMA goes to dma_as. */
PIIXIDEState *piix3_ide_create(BusState *pci_bus, int devfn, AddressSpace *dma_as,
                               Error **errp);
/* Attaches the if=ide drives (-hda..-hdd, -cdrom, -drive if=ide,index=|bus=,unit=): index
 * 2 * bus + unit, media=cdrom as an ATAPI drive. */
int ide_attach_if_drives(IDEBus buses[2], Error **errp);

#endif
