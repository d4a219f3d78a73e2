/* virtio over PCI (VIRTIO 1.2, "Virtio Over PCI Bus"): the modern interface (vendor
 * capabilities pointing at common, notify, ISR and device configuration structures in a
 * 32-bit memory BAR, plus the PCI configuration access capability) and, for transitional
 * devices, the legacy I/O BAR 0. INTx only (no MSI-X). A virtio-*-pci device type is a
 * struct with a VirtIOPCIProxy first and its model after it. docs/virtio.md */
#ifndef HW_VIRTIO_VIRTIO_PCI_H
#define HW_VIRTIO_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/pci/pci.h"
#include "hw/virtio/virtio.h"

#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_MODERN_BAR 4
#define VIRTIO_PCI_LEGACY_BAR 0
#define VIRTIO_PCI_MODERN_SIZE 0x4000          /* common, ISR, device, notify: 4 KiB each */

typedef struct VirtIOPCIProxy {
    PCIDevice pci;
    VirtIODevice *vdev;
    bool disable_legacy;                    /* property "disable-legacy" */
    bool transitional;                      /* legacy I/O BAR and a 0x10xx device ID */
    MemoryRegion modern_bar;
    MemoryRegion legacy_bar;
    uint32_t device_features_sel;
    uint32_t driver_features_sel;
    uint16_t queue_sel;
    uint8_t pci_cfg_cap;                    /* offset of VIRTIO_PCI_CAP_PCI_CFG */
} VirtIOPCIProxy;

/* From the device type's realize, once vdev is initialized: PCI IDs (transitional, when
 * legacy_device_id is not 0 and p->disable_legacy is false: that ID (0x1001 for a block
 * device) with revision 0 and the legacy I/O BAR; else 0x1040 + the virtio device ID with
 * revision 1; the subsystem ID is the virtio device ID), class_id, capabilities, BARs. */
int virtio_pci_realize(VirtIOPCIProxy *p, VirtIODevice *vdev, uint16_t class_id,
                       uint16_t legacy_device_id, Error **errp);
void virtio_pci_unrealize(VirtIOPCIProxy *p);
/* From the device type's reset: PCI header and the virtio device. */
void virtio_pci_reset(VirtIOPCIProxy *p);

#endif
