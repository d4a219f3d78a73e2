/* QEMU's firmware configuration device (docs/specs/fw_cfg.txt of QEMU): numbered items and
 * named files that firmware (SeaBIOS, EDK2, U-Boot) reads through a selector and a data
 * register, or by DMA. Board-neutral: the PC maps it at I/O 0x510, other boards at MMIO. */
#ifndef HW_NVRAM_FW_CFG_H
#define HW_NVRAM_FW_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hw/qdev.h"
#include "system/memory.h"

#define TYPE_FW_CFG_IO "fw_cfg_io"
#define TYPE_FW_CFG_MEM "fw_cfg_mem"

enum {
    FW_CFG_SIGNATURE = 0x00, FW_CFG_ID = 0x01, FW_CFG_UUID = 0x02, FW_CFG_RAM_SIZE = 0x03,
    FW_CFG_NOGRAPHIC = 0x04, FW_CFG_NB_CPUS = 0x05, FW_CFG_MACHINE_ID = 0x06,
    FW_CFG_KERNEL_ADDR = 0x07, FW_CFG_KERNEL_SIZE = 0x08, FW_CFG_KERNEL_CMDLINE = 0x09,
    FW_CFG_INITRD_ADDR = 0x0a, FW_CFG_INITRD_SIZE = 0x0b, FW_CFG_BOOT_DEVICE = 0x0c,
    FW_CFG_NUMA = 0x0d, FW_CFG_BOOT_MENU = 0x0e, FW_CFG_MAX_CPUS = 0x0f,
    FW_CFG_KERNEL_ENTRY = 0x10, FW_CFG_KERNEL_DATA = 0x11, FW_CFG_INITRD_DATA = 0x12,
    FW_CFG_CMDLINE_ADDR = 0x13, FW_CFG_CMDLINE_SIZE = 0x14, FW_CFG_CMDLINE_DATA = 0x15,
    FW_CFG_SETUP_ADDR = 0x16, FW_CFG_SETUP_SIZE = 0x17, FW_CFG_SETUP_DATA = 0x18,
    FW_CFG_FILE_DIR = 0x19, FW_CFG_FILE_FIRST = 0x20,
    FW_CFG_WRITE_CHANNEL = 0x4000, FW_CFG_ARCH_LOCAL = 0x8000,
    FW_CFG_E820_TABLE = FW_CFG_ARCH_LOCAL + 3,
};

#define FW_CFG_MAX_FILES 256
#define FW_CFG_MAX_ENTRY (FW_CFG_FILE_FIRST + FW_CFG_MAX_FILES)
#define FW_CFG_MAX_FILE_PATH 56
#define FW_CFG_DMA_SIGNATURE 0x51454d5520434647ull   /* "QEMU CFG" */

typedef struct FWCfgEntry {
    uint8_t *data;              /* owned */
    uint32_t len;
} FWCfgEntry;

typedef struct FWCfgState {
    DeviceState parent_obj;
    MemoryRegion ctl, dma;
    FWCfgEntry entries[2][FW_CFG_MAX_ENTRY];   /* [0] generic, [1] arch-local */
    char file_names[FW_CFG_MAX_FILES][FW_CFG_MAX_FILE_PATH];
    uint32_t nr_files;
    uint16_t cur_entry;
    uint32_t cur_offset;
    uint64_t dma_addr;
    AddressSpace *dma_as;       /* set by the board: where DMA descriptors and data live */
    bool dma_enabled;
    uint32_t iobase;            /* I/O version: selector at iobase, data iobase+1 */
    uint32_t dma_iobase;        /* DMA address register (0: same as iobase + 4) */
    uint64_t mmio_base;         /* MMIO version: registers at mmio_base */
} FWCfgState;

/* The PC flavour at I/O ports iobase (0x510) and the DMA register at iobase + 4. */
FWCfgState *fw_cfg_create_io(BusState *bus, uint32_t iobase, AddressSpace *dma_as,
                             bool dma, Error **errp);
/* The MMIO flavour (QEMU's ARM virt): data at base (1-8 byte reads, bytes in stream order),
 * big-endian 16-bit selector at base + 8, DMA address register at base + 16 (if dma). */
FWCfgState *fw_cfg_create_mem(BusState *bus, uint64_t base, AddressSpace *dma_as, bool dma,
                              Error **errp);
#define FW_CFG_MEM_SIZE 0x18
/* Adds an item (data is copied); replaces any earlier value. */
void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, const void *data, size_t len);
void fw_cfg_add_string(FWCfgState *s, uint16_t key, const char *value);
void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value);   /* little-endian */
void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value);
void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value);
/* Adds (or replaces) a named file (data copied); -1 if the directory is full or the name
 * is too long. */
int fw_cfg_add_file(FWCfgState *s, const char *name, const void *data, size_t len);
/* The item or file data as stored (tests, boards). */
const FWCfgEntry *fw_cfg_find_file(FWCfgState *s, const char *name);

#endif
