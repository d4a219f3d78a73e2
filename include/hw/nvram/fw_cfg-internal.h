/* Shared by the I/O (fw_cfg.c) and MMIO (fw_cfg-mem.c) flavours of fw_cfg. */
#ifndef HW_NVRAM_FW_CFG_INTERNAL_H
#define HW_NVRAM_FW_CFG_INTERNAL_H

#include "hw/nvram/fw_cfg.h"

void fw_cfg_rebuild_dir(FWCfgState *s);
/* Realize of both flavours: signature, ID (DMA bit) and file directory, then the control
 * registers (ctl_ops, ctl_size bytes at ctl_addr) and, with DMA, the DMA address register
 * at dma_addr, all in root (the port I/O or memory space). */
void fw_cfg_map(FWCfgState *s, MemoryRegion *root, const MemoryRegionOps *ctl_ops,
                const char *ctl_name, uint64_t ctl_size, uint64_t ctl_addr, uint64_t dma_addr);
void fw_cfg_select(FWCfgState *s, uint16_t key);
/* The next byte of the selected item (0 past its end). */
uint8_t fw_cfg_read_byte(FWCfgState *s);
void fw_cfg_unrealize(DeviceState *dev);
void fw_cfg_reset(DeviceState *dev);

#endif
