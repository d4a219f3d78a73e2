/* Shared by the I/O (fw_cfg.c) and MMIO (fw_cfg-mem.c) flavours of fw_cfg. */
#ifndef HW_NVRAM_FW_CFG_INTERNAL_H
#define HW_NVRAM_FW_CFG_INTERNAL_H

#include "hw/nvram/fw_cfg.h"

void fw_cfg_rebuild_dir(FWCfgState *s);
/* Signature, ID (DMA bit) and file directory: the first step of both realizes. */
void fw_cfg_common_realize(FWCfgState *s);
void fw_cfg_select(FWCfgState *s, uint16_t key);
/* The next byte of the selected item (0 past its end). */
uint8_t fw_cfg_read_byte(FWCfgState *s);
/* The 8-byte big-endian DMA address register. */
extern const MemoryRegionOps fw_cfg_dma_ops;
void fw_cfg_unrealize(DeviceState *dev);
void fw_cfg_reset(DeviceState *dev);

#endif
