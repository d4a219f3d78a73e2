/* Parallel NOR flash, Intel/Sharp command set (CFI primary command set 0001: Intel
 * "Common Flash Interface" application note 646 and the StrataFlash datasheets; query
 * structure of JEDEC JESD68.01). One x32 device per bank: a bus cycle of any width carries
 * one command in its low byte (so probes with narrower port widths fail cleanly, as with
 * the real part), and query/identifier data sit in the low byte of each 32-bit word. Commands:
 * read array (FF), read identifier (90), read query (98), read/clear status (70/50), block
 * erase (20 D0), word program (40 or 10), buffered program (E8 n data... D0), block lock,
 * unlock and lock-down (60 01/D0/2F); suspend/resume are accepted and ignored since every
 * operation completes at once. In read-array mode the guest reads the bytes directly (ROM
 * device); other modes go through the register callbacks. Contents are not saved to a
 * file; they are erased (0xff) when first used, until then the bank is in callback mode
 * (no direct reads) so that untouched banks take no host memory. */
#include <stdlib.h>
#include <string.h>
#include "hw/block/pflash.h"
#include "util/log.h"

/* CFI query table (JESD68.01 4.3), indexed by word address. */
static void pflash_query_table(const PFlashCFI01 *f, uint8_t *t)
{
    uint32_t blocks = (uint32_t)(f->size / f->sector_size) - 1, unit = f->sector_size / 256;
    unsigned log2_size = 0;
    while ((1ull << log2_size) < f->size) {
        log2_size++;
    }
    static const uint8_t fixed[] = {
        'Q', 'R', 'Y', 0x01, 0x00, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00,     /* 0x10-0x1a */
        0x45, 0x55, 0x00, 0x00, 0x07, 0x07, 0x0a, 0x00, 0x04, 0x04, 0x04, 0x00, /* 0x1b-0x26 */
    };
    memset(t, 0, 0x40);
    memcpy(t + 0x10, fixed, sizeof(fixed));
    t[0x27] = (uint8_t)log2_size;           /* device size 2^n bytes */
    t[0x28] = 0x03;                         /* x32 interface */
    t[0x2a] = 6;                            /* write buffer 2^6 bytes */
    t[0x2c] = 1;                            /* one erase block region */
    t[0x2d] = (uint8_t)blocks;
    t[0x2e] = (uint8_t)(blocks >> 8);
    t[0x2f] = (uint8_t)unit;
    t[0x30] = (uint8_t)(unit >> 8);
    static const uint8_t pri[] = { 'P', 'R', 'I', '1', '0', 0, 0, 0, 0, 0, 0x01, 0x00, 0x50 };
    memcpy(t + 0x31, pri, sizeof(pri));     /* Intel extended query (0x31-0x3d) */
}

static uint32_t pflash_sector(const PFlashCFI01 *f, hwaddr off)
{
    return (uint32_t)(off / f->sector_size);
}

static void pflash_set_mode(PFlashCFI01 *f, uint8_t mode)
{
    f->read_mode = mode;
    memory_region_rom_device_set_romd(&f->mem,
                                      mode == PFLASH_READ_ARRAY && !f->pending && f->erased);
}

uint8_t *pflash_cfi01_storage(PFlashCFI01 *f)
{
    if (!f->erased) {
        memset(f->storage, 0xff, f->size);
        f->erased = true;
        pflash_set_mode(f, f->read_mode);   /* read-array mode: direct reads from now */
    }
    return f->storage;
}

/* The 32-bit word at the aligned offset off as the current read mode shows it. */
static uint32_t pflash_read_word(PFlashCFI01 *f, hwaddr off)
{
    uint8_t table[0x40];
    uint32_t word = (uint32_t)(off / PFLASH_WIDTH);

    switch (f->read_mode) {
    case PFLASH_READ_ARRAY:
        return (uint32_t)f->storage[off] | (uint32_t)f->storage[off + 1] << 8 |
               (uint32_t)f->storage[off + 2] << 16 | (uint32_t)f->storage[off + 3] << 24;
    case PFLASH_READ_ID:
        switch ((off % f->sector_size) / PFLASH_WIDTH) {
        case 0: return 0x89;                /* Intel */
        case 1: return 0x18;                /* 128 Mbit StrataFlash device code */
        case 2: return f->locked[pflash_sector(f, off)];
        default: return 0;
        }
    case PFLASH_READ_QUERY:
        pflash_query_table(f, table);
        return word < sizeof(table) ? table[word] : 0;
    default:
        return f->status;
    }
}

/* Narrower reads see their bytes of the word (little-endian lanes). */
static uint64_t pflash_read(void *opaque, hwaddr off, unsigned size)
{
    pflash_cfi01_storage(opaque);
    uint32_t word = pflash_read_word(opaque, off & ~(hwaddr)(PFLASH_WIDTH - 1));
    word >>= 8 * (off & (PFLASH_WIDTH - 1));
    return size >= 4 ? word : word & ((1u << (8 * size)) - 1);
}

static void pflash_program(PFlashCFI01 *f, hwaddr off, uint32_t value, unsigned size)
{
    if (f->locked[pflash_sector(f, off)]) {
        f->status |= PFLASH_SR_PROGRAM_ERR | PFLASH_SR_LOCKED;
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        f->storage[off + i] &= (uint8_t)(value >> (8 * i));    /* bits only go 1 -> 0 */
    }
    memory_notify_ram_write(&f->mem, off, size);
}

static void pflash_erase(PFlashCFI01 *f, hwaddr off)
{
    uint32_t sector = pflash_sector(f, off);
    if (f->locked[sector]) {
        f->status |= PFLASH_SR_ERASE_ERR | PFLASH_SR_LOCKED;
        return;
    }
    memset(f->storage + (uint64_t)sector * f->sector_size, 0xff, f->sector_size);
    memory_notify_ram_write(&f->mem, (uint64_t)sector * f->sector_size, f->sector_size);
}

/* The second and later cycles of E8: word count, data words, then D0. */
static void pflash_buffer_cycle(PFlashCFI01 *f, hwaddr off, uint32_t value)
{
    if (f->buf_words == 0) {
        f->buf_words = (value & 0xff) + 1;
        if (f->buf_words > PFLASH_BUFFER_BYTES / PFLASH_WIDTH) {
            f->status |= PFLASH_SR_PROGRAM_ERR | PFLASH_SR_ERASE_ERR;
            f->pending = 0;
        }
        return;
    }
    if (f->buf_count < f->buf_words) {
        f->buf_offset[f->buf_count] = (uint32_t)off;
        f->buf_data[f->buf_count++] = value;
        return;
    }
    f->pending = 0;
    if ((value & 0xff) != 0xd0) {
        f->status |= PFLASH_SR_PROGRAM_ERR | PFLASH_SR_ERASE_ERR;   /* sequence error */
        return;
    }
    for (uint32_t i = 0; i < f->buf_count; i++) {
        pflash_program(f, f->buf_offset[i], f->buf_data[i], PFLASH_WIDTH);
    }
}

/* The cycle after a setup command (20, 40/10, 60, E8). */
static void pflash_second_cycle(PFlashCFI01 *f, hwaddr off, uint32_t value, unsigned size)
{
    uint8_t cmd = (uint8_t)value, setup = f->pending;
    if (setup == 0xe8) {
        pflash_buffer_cycle(f, off, value);
        return;
    }
    f->pending = 0;
    if (setup == 0x40 || setup == 0x10) {
        pflash_program(f, off, value, size);
    } else if (setup == 0x20 && cmd == 0xd0) {
        pflash_erase(f, off);
    } else if (setup == 0x60 && (cmd == 0x01 || cmd == 0x2f || cmd == 0xd0)) {
        f->locked[pflash_sector(f, off)] = cmd != 0xd0;
    } else {
        f->status |= PFLASH_SR_PROGRAM_ERR | PFLASH_SR_ERASE_ERR;   /* sequence error */
    }
}

static void pflash_command(PFlashCFI01 *f, uint8_t cmd)
{
    switch (cmd) {
    case 0xff: pflash_set_mode(f, PFLASH_READ_ARRAY); break;
    case 0x90: pflash_set_mode(f, PFLASH_READ_ID); break;
    case 0x98: pflash_set_mode(f, PFLASH_READ_QUERY); break;
    case 0x70: pflash_set_mode(f, PFLASH_READ_STATUS); break;
    case 0x50: f->status = PFLASH_SR_READY; break;
    case 0x20: case 0x40: case 0x10: case 0x60: case 0xe8:
        f->pending = cmd;
        f->buf_words = f->buf_count = 0;
        pflash_set_mode(f, PFLASH_READ_STATUS);
        break;
    case 0xb0: case 0xd0: break;            /* suspend/resume: nothing is in progress */
    default:
        log_category_printf(LOG_GUEST_ERROR, "pflash: unknown command 0x%02x\n", cmd);
        break;
    }
}

static void pflash_write(void *opaque, hwaddr off, uint64_t value, unsigned size)
{
    PFlashCFI01 *f = opaque;
    pflash_cfi01_storage(f);
    if (f->pending) {
        pflash_second_cycle(f, off, (uint32_t)value, size);
        pflash_set_mode(f, PFLASH_READ_STATUS);
    } else {
        pflash_command(f, (uint8_t)value);
    }
}

static const MemoryRegionOps pflash_ops = {
    .read = pflash_read, .write = pflash_write,
    .valid_min = 1, .valid_max = 4, .impl_min = 1, .impl_max = 4,
};

static int pflash_realize(DeviceState *dev, Error **errp)
{
    PFlashCFI01 *f = DEVICE_CAST(PFlashCFI01, dev);
    if (!f->sector_size || (f->sector_size & (f->sector_size - 1)) || f->size % f->sector_size ||
        f->size / f->sector_size > PFLASH_MAX_SECTORS || f->size / f->sector_size == 0) {
        error_setg(errp, "size %llu is not 1 to %u sectors of %u bytes",
                   (unsigned long long)f->size, PFLASH_MAX_SECTORS, f->sector_size);
        return -1;
    }
    memory_region_init_rom_device(&f->mem, &pflash_ops, f, "pflash", f->size);
    f->storage = memory_region_get_ram_ptr(&f->mem);
    f->erased = false;                      /* pflash_cfi01_storage() erases it */
    pflash_set_mode(f, PFLASH_READ_ARRAY);
    MemoryRegion *root = qdev_get_mem_root(dev);
    if (f->has_base && root) {
        memory_region_add_subregion(root, f->base, &f->mem, 0);
    }
    return 0;
}

static void pflash_unrealize(DeviceState *dev)
{
    PFlashCFI01 *f = DEVICE_CAST(PFlashCFI01, dev);
    memory_region_destroy(&f->mem);
    f->storage = NULL;
}

static void pflash_reset(DeviceState *dev)
{
    PFlashCFI01 *f = DEVICE_CAST(PFlashCFI01, dev);
    f->pending = 0;
    f->status = PFLASH_SR_READY;
    memset(f->locked, 0, sizeof(f->locked));
    pflash_set_mode(f, PFLASH_READ_ARRAY);
}

static const Property pflash_props[] = {
    DEFINE_PROP_SIZE_RANGE("size", PFlashCFI01, size, 64u << 20, 4096, 1ull << 30),
    DEFINE_PROP_UINT32("sector-size", PFlashCFI01, sector_size, 256u << 10),
    DEFINE_PROP_UINT64("addr", PFlashCFI01, base, 0),
    DEFINE_PROP_BOOL("has-addr", PFlashCFI01, has_base, false),
    DEFINE_PROP_END,
};

const DeviceType pflash_cfi01_device_type = {
    .name = "cfi.pflash01",
    .instance_size = sizeof(PFlashCFI01),
    .description = "CFI parallel NOR flash, Intel command set (x32)",
    .realize = pflash_realize,
    .unrealize = pflash_unrealize,
    .reset = pflash_reset,
    .props = pflash_props,
};
DEVICE_TYPE_REGISTER(pflash_cfi01_device_type)
