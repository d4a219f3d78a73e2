/* AHCI 1.3 SATA host bus adapter (Intel ICH9 "ich9-ahci", -device ahci): six ports, each an
 * IDE channel with one unit driven through command lists and FISes in guest memory. */
#ifndef HW_IDE_AHCI_H
#define HW_IDE_AHCI_H

#include "hw/ide/ide.h"
#include "hw/pci/pci.h"

#define AHCI_PORTS 6
#define TYPE_ICH9_AHCI "ich9-ahci"

typedef struct AHCIPort {
    IDEBus bus;                 /* one unit (0) */
    struct AHCIState *hba;
    int index;
    uint32_t clb, clbu, fb, fbu, is, ie, cmd, tfd, sctl, serr, sact, ci;
    int slot;                   /* the command being run, or -1 */
    uint64_t prdt;              /* its PRD table and entry count */
    uint32_t prdtl;
    uint32_t prd_index, prd_offset;     /* where the next byte goes */
    uint32_t xfer_bytes;        /* bytes moved for the command (PRDBC) */
    uint8_t packet[16];         /* ATAPI command from the command table */
} AHCIPort;

typedef struct AHCIState {
    PCIDevice parent_obj;
    MemoryRegion abar;
    AddressSpace *as;
    uint32_t ghc, is;
    AHCIPort ports[AHCI_PORTS];
    char of_path[32];
    char bus_names[AHCI_PORTS][24];
} AHCIState;

/* Creates and realizes the controller at devfn on pci_bus, DMA to dma_as (NULL: the
 * machine's memory). */
AHCIState *ahci_create(BusState *pci_bus, int devfn, AddressSpace *dma_as, Error **errp);

#endif
