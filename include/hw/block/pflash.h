/* Parallel NOR flash with the Intel/Sharp command set (CFI command set 0001, JEDEC JESD68.01
 * query structure): one x32 device per bank. */
#ifndef HW_BLOCK_PFLASH_H
#define HW_BLOCK_PFLASH_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/qdev.h"
#include "system/memory.h"

#define PFLASH_WIDTH 4                  /* bytes per bus cycle */
#define PFLASH_BUFFER_BYTES 64          /* write buffer */
#define PFLASH_MAX_SECTORS 4096

typedef struct PFlashCFI01 {
    DeviceState parent_obj;
    MemoryRegion mem;                   /* a ROM device: read directly in read-array mode */
    /* properties */
    uint64_t size;
    uint32_t sector_size;
    uint64_t base;                      /* mapped there when has_base */
    bool has_base;
    /* state */
    uint8_t *storage;                   /* through pflash_cfi01_storage() */
    bool erased;                        /* storage written (0xff) at its first use */
    uint8_t read_mode;                  /* PFLASH_READ_* */
    uint8_t pending;                    /* first cycle of a two-cycle command, or 0 */
    uint8_t status;                     /* status register */
    uint32_t buf_words, buf_count;      /* buffered program: words announced / received */
    uint32_t buf_offset[PFLASH_BUFFER_BYTES / PFLASH_WIDTH];
    uint32_t buf_data[PFLASH_BUFFER_BYTES / PFLASH_WIDTH];
    uint8_t locked[PFLASH_MAX_SECTORS];
} PFlashCFI01;

enum { PFLASH_READ_ARRAY, PFLASH_READ_ID, PFLASH_READ_QUERY, PFLASH_READ_STATUS };
#define PFLASH_SR_READY 0x80
#define PFLASH_SR_ERASE_ERR 0x20
#define PFLASH_SR_PROGRAM_ERR 0x10
#define PFLASH_SR_LOCKED 0x02

extern const DeviceType pflash_cfi01_device_type;
/* The flash contents, erased (0xff) on the first call: a bank nobody reads or writes costs
 * no host memory (the virt board's two 64 MiB banks with -kernel). */
uint8_t *pflash_cfi01_storage(PFlashCFI01 *f);

#endif
