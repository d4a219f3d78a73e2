/* Guest memory access dispatch: RAM/ROM copies, MMIO callbacks with declared access sizes
 * (split, merged, read-modify-write, byte order), unassigned accesses and checked DMA. */
#include <inttypes.h>
#include <string.h>
#include "system/memory-internal.h"
#include "util/cutils.h"
#include "util/log.h"

static RamWriteHook *ram_write_hook;

void memory_set_ram_write_hook(RamWriteHook *hook)
{
    ram_write_hook = hook;
}

void memory_call_ram_write_hook(MemoryRegion *ram, hwaddr offset, uint64_t len)
{
    memory_region_set_dirty(ram, offset, len);
    if (ram_write_hook && len) {
        ram_write_hook(ram, offset, len);
    }
}

void memory_notify_ram_write(MemoryRegion *ram, hwaddr offset, uint64_t len)
{
    memory_call_ram_write_hook(ram, offset, len);
}

/* --- byte order ---------------------------------------------------------------------- */

static uint64_t bytes_to_value(const uint8_t *bytes, unsigned size, bool big_endian)
{
    uint64_t value = 0;
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = 8 * (big_endian ? size - 1 - i : i);
        value |= (uint64_t)bytes[i] << shift;
    }
    return value;
}

static void value_to_bytes(uint64_t value, uint8_t *bytes, unsigned size, bool big_endian)
{
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = 8 * (big_endian ? size - 1 - i : i);
        bytes[i] = (uint8_t)(value >> shift);
    }
}

static uint64_t all_ones(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * size)) - 1;
}

static bool is_ram(const MemoryRegion *mr)
{
    return mr->kind == MR_RAM || mr->kind == MR_ROM;
}

static bool is_writable_ram(const MemoryRegion *mr)
{
    return mr->kind == MR_RAM && !mr->readonly;
}

/* --- MMIO ---------------------------------------------------------------------------- */

static unsigned valid_min(const MemoryRegionOps *ops)
{
    return ops->valid_min ? ops->valid_min : 1;
}

static unsigned valid_max(const MemoryRegionOps *ops)
{
    return ops->valid_max ? ops->valid_max : 8;
}

static unsigned impl_min(const MemoryRegionOps *ops)
{
    return ops->impl_min ? ops->impl_min : valid_min(ops);
}

static unsigned impl_max(const MemoryRegionOps *ops)
{
    return ops->impl_max ? ops->impl_max : valid_max(ops);
}

static bool io_access_valid(const MemoryRegion *mr, hwaddr offset, unsigned size)
{
    const MemoryRegionOps *ops = mr->ops;
    if (!ops || size < valid_min(ops) || size > valid_max(ops) || (size & (size - 1))) {
        return false;
    }
    if (!ops->valid_unaligned && (offset & (size - 1))) {
        return false;
    }
    return offset < mr->size && size <= mr->size - offset;
}

static void io_log_invalid(const MemoryRegion *mr, const char *what, hwaddr offset,
                           unsigned size)
{
    const MemoryRegionOps *ops = mr->ops;
    log_category_printf(LOG_GUEST_ERROR,
                        "memory: invalid %u-byte %s at offset 0x%" PRIx64 " of '%s' "
                        "(accepts %u to %u bytes%s)\n", size, what, offset, mr->name,
                        ops ? valid_min(ops) : 0, ops ? valid_max(ops) : 0,
                        ops && ops->valid_unaligned ? "" : ", aligned");
}

/* The size the callbacks see for a guest access of size bytes. */
static unsigned io_impl_size(const MemoryRegionOps *ops, unsigned size)
{
    return MAX(impl_min(ops), MIN(size, impl_max(ops)));
}

static uint64_t io_call_read(const MemoryRegion *mr, hwaddr offset, unsigned size)
{
    return mr->ops->read ? mr->ops->read(mr->opaque, offset, size) : 0;
}

/* Reads the impl-sized aligned chunks covering [offset, offset+size) into bytes, laid out
 * as guest memory (device byte order applied). Returns the address of bytes[0]. */
static hwaddr io_read_chunks(const MemoryRegion *mr, hwaddr offset, unsigned size,
                             unsigned chunk, uint8_t *bytes)
{
    hwaddr first = offset & ~(hwaddr)(chunk - 1);
    for (hwaddr c = first; c < offset + size; c += chunk) {
        uint64_t v = c < mr->size ? io_call_read(mr, c, chunk) : all_ones(chunk);
        value_to_bytes(v, bytes + (c - first), chunk, mr->ops->big_endian);
    }
    return first;
}

static MemTxResult io_read(MemoryRegion *mr, hwaddr offset, unsigned size, uint64_t *value)
{
    uint8_t bytes[32];
    unsigned chunk;
    hwaddr first;

    if (!io_access_valid(mr, offset, size)) {
        io_log_invalid(mr, "read", offset, size);
        *value = all_ones(size);
        return MEMTX_DECODE_ERROR;
    }
    chunk = io_impl_size(mr->ops, size);
    if (mr->ops->impl_unaligned && chunk == size) {
        *value = io_call_read(mr, offset, size);
        return MEMTX_OK;
    }
    first = io_read_chunks(mr, offset, size, chunk, bytes);
    *value = bytes_to_value(bytes + (offset - first), size, false);
    log_category_printf(LOG_IOPORT, "io: read %s[0x%" PRIx64 "] size %u -> 0x%" PRIx64 "\n",
                        mr->name, offset, size, *value);
    return MEMTX_OK;
}

static MemTxResult io_write(MemoryRegion *mr, hwaddr offset, unsigned size, uint64_t value)
{
    const MemoryRegionOps *ops = mr->ops;
    uint8_t bytes[8];
    unsigned chunk;

    if (!io_access_valid(mr, offset, size)) {
        io_log_invalid(mr, "write", offset, size);
        return MEMTX_DECODE_ERROR;
    }
    log_category_printf(LOG_IOPORT, "io: write %s[0x%" PRIx64 "] size %u <- 0x%" PRIx64 "\n",
                        mr->name, offset, size, value);
    value_to_bytes(value, bytes, size, false);
    chunk = io_impl_size(ops, size);
    if (ops->impl_unaligned && chunk == size) {
        if (ops->write) {
            ops->write(mr->opaque, offset, value, size);
        }
        return MEMTX_OK;
    }
    for (hwaddr c = offset & ~(hwaddr)(chunk - 1); c < offset + size && c < mr->size;
         c += chunk) {
        uint8_t cur[8];
        bool whole = c >= offset && c + chunk <= offset + size;
        /* a write narrower than the implemented size: read-modify-write */
        value_to_bytes(whole ? 0 : io_call_read(mr, c, chunk), cur, chunk, ops->big_endian);
        for (unsigned i = 0; i < chunk; i++) {
            if (c + i >= offset && c + i < offset + size) {
                cur[i] = bytes[c + i - offset];
            }
        }
        if (ops->write) {
            ops->write(mr->opaque, c, bytes_to_value(cur, chunk, ops->big_endian), chunk);
        }
    }
    return MEMTX_OK;
}

/* --- one access to one region ------------------------------------------------------- */

static void log_rom_write(const MemoryRegion *mr, hwaddr offset, uint64_t len)
{
    log_category_printf(LOG_GUEST_ERROR,
                        "memory: write of %" PRIu64 " bytes to read-only '%s' at offset 0x%"
                        PRIx64 " ignored\n", len, mr->name, offset);
}

MemTxResult memory_region_dispatch_read(MemoryRegion *mr, hwaddr offset, unsigned size,
                                        uint64_t *value)
{
    if (mr->kind == MR_IO) {
        return io_read(mr, offset, size, value);
    }
    if (is_ram(mr) && offset < mr->size && size <= mr->size - offset && size <= 8) {
        *value = bytes_to_value(mr->host + offset, size, false);
        return MEMTX_OK;
    }
    *value = all_ones(size);
    return MEMTX_DECODE_ERROR;
}

MemTxResult memory_region_dispatch_write(MemoryRegion *mr, hwaddr offset, unsigned size,
                                         uint64_t value)
{
    if (mr->kind == MR_IO) {
        return io_write(mr, offset, size, value);
    }
    if (!is_ram(mr) || offset >= mr->size || size > mr->size - offset || size > 8) {
        return MEMTX_DECODE_ERROR;
    }
    if (mr->rom_device) {
        return io_write(mr, offset, size, value);   /* a command to the flash */
    }
    if (!is_writable_ram(mr)) {
        log_rom_write(mr, offset, size);
        return MEMTX_OK;
    }
    value_to_bytes(value, mr->host + offset, size, false);
    memory_call_ram_write_hook(mr, offset, size);
    return MEMTX_OK;
}

/* --- ranges of any length ------------------------------------------------------------ */

/* The largest access the device accepts at offset that fits in len bytes. */
static unsigned io_chunk_size(const MemoryRegion *mr, hwaddr offset, uint64_t len)
{
    unsigned size = 8;
    while (size > 1 && (size > valid_max(mr->ops) || size > len ||
                        (offset & (size - 1)))) {
        size >>= 1;
    }
    return size;
}

static MemTxResult io_read_range(MemoryRegion *mr, hwaddr offset, uint8_t *buf, uint64_t len)
{
    MemTxResult result = MEMTX_OK;
    while (len) {
        unsigned size = io_chunk_size(mr, offset, len);
        uint64_t value;
        MemTxResult r = io_read(mr, offset, size, &value);
        value_to_bytes(value, buf, size, false);
        result = result ? result : r;
        offset += size, buf += size, len -= size;
    }
    return result;
}

static MemTxResult io_write_range(MemoryRegion *mr, hwaddr offset, const uint8_t *buf,
                                  uint64_t len)
{
    MemTxResult result = MEMTX_OK;
    while (len) {
        unsigned size = io_chunk_size(mr, offset, len);
        MemTxResult r = io_write(mr, offset, size, bytes_to_value(buf, size, false));
        result = result ? result : r;
        offset += size, buf += size, len -= size;
    }
    return result;
}

/* Bytes from addr to the end of fr (at least 1: fr holds addr). */
static uint64_t range_left(const FlatRange *fr, hwaddr addr)
{
    return fr->size - (addr - fr->start);
}

/* Bytes from addr (unassigned) up to the next mapped range, capped to len. */
static uint64_t hole_left(AddressSpace *as, hwaddr addr, uint64_t len)
{
    const FlatView *view = as->view;
    int lo = 0, hi = view ? view->nr : 0;
    while (lo < hi) {           /* first range starting above addr */
        int mid = lo + (hi - lo) / 2;
        if (view->ranges[mid].start > addr) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return view && lo < view->nr ? MIN(len, view->ranges[lo].start - addr) : len;
}

static void log_unassigned(AddressSpace *as, const char *what, hwaddr addr, uint64_t len)
{
    log_category_printf(LOG_GUEST_ERROR,
                        "memory: unassigned %s of %" PRIu64 " bytes at 0x%" PRIx64 " in '%s'\n",
                        what, len, addr, as->name);
}

MemTxResult address_space_read(AddressSpace *as, hwaddr addr, void *buf, uint64_t len)
{
    uint8_t *p = buf;
    MemTxResult result = MEMTX_OK, r;
    while (len) {
        const FlatRange *fr = address_space_lookup(as, addr);
        uint64_t n = fr ? MIN(len, range_left(fr, addr)) : hole_left(as, addr, len);
        if (!fr) {
            log_unassigned(as, "read", addr, n);
            memset(p, 0xff, n);
            r = MEMTX_DECODE_ERROR;
        } else if (fr->mr->kind == MR_IO) {
            r = io_read_range(fr->mr, fr->offset + (addr - fr->start), p, n);
        } else {
            memcpy(p, fr->mr->host + fr->offset + (addr - fr->start), n);
            r = MEMTX_OK;
        }
        result = result ? result : r;
        addr += n, p += n, len -= n;
    }
    return result;
}

static MemTxResult flat_range_write(const FlatRange *fr, hwaddr addr, const uint8_t *buf,
                                    uint64_t n)
{
    hwaddr offset = fr->offset + (addr - fr->start);
    if (fr->mr->kind == MR_IO || fr->mr->rom_device) {
        return io_write_range(fr->mr, offset, buf, n);
    }
    if (!is_writable_ram(fr->mr)) {
        log_rom_write(fr->mr, offset, n);
        return MEMTX_OK;
    }
    memcpy(fr->mr->host + offset, buf, n);
    memory_call_ram_write_hook(fr->mr, offset, n);
    return MEMTX_OK;
}

MemTxResult address_space_write(AddressSpace *as, hwaddr addr, const void *buf, uint64_t len)
{
    const uint8_t *p = buf;
    MemTxResult result = MEMTX_OK, r;
    while (len) {
        const FlatRange *fr = address_space_lookup(as, addr);
        uint64_t n = fr ? MIN(len, range_left(fr, addr)) : hole_left(as, addr, len);
        if (fr) {
            r = flat_range_write(fr, addr, p, n);
        } else {
            log_unassigned(as, "write", addr, n);
            r = MEMTX_DECODE_ERROR;
        }
        result = result ? result : r;
        addr += n, p += n, len -= n;
    }
    return result;
}

static bool access_size_ok(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

MemTxResult address_space_load(AddressSpace *as, hwaddr addr, unsigned size, uint64_t *value)
{
    const FlatRange *fr = address_space_lookup(as, addr);
    uint8_t bytes[8];
    MemTxResult r;

    if (!access_size_ok(size)) {
        *value = 0;
        return MEMTX_ERROR;
    }
    if (fr && range_left(fr, addr) >= size) {
        return memory_region_dispatch_read(fr->mr, fr->offset + (addr - fr->start), size, value);
    }
    /* unassigned, or straddling two ranges: byte by byte */
    r = address_space_read(as, addr, bytes, size);
    *value = bytes_to_value(bytes, size, false);
    return r;
}

MemTxResult address_space_store(AddressSpace *as, hwaddr addr, unsigned size, uint64_t value)
{
    const FlatRange *fr = address_space_lookup(as, addr);
    uint8_t bytes[8];

    if (!access_size_ok(size)) {
        return MEMTX_ERROR;
    }
    if (fr && range_left(fr, addr) >= size) {
        return memory_region_dispatch_write(fr->mr, fr->offset + (addr - fr->start), size, value);
    }
    value_to_bytes(value, bytes, size, false);
    return address_space_write(as, addr, bytes, size);
}

/* --- DMA ------------------------------------------------------------------------------ */

/* True if all of [addr, addr+len) is RAM or ROM (writable RAM if for_write). */
static bool range_is_ram(AddressSpace *as, hwaddr addr, uint64_t len, bool for_write)
{
    if (len && addr + (len - 1) < addr) {
        return false;   /* wraps past the top of the address space */
    }
    while (len) {
        const FlatRange *fr = address_space_lookup(as, addr);
        uint64_t n;
        if (!fr || !is_ram(fr->mr) || (for_write && !is_writable_ram(fr->mr))) {
            return false;
        }
        n = MIN(len, range_left(fr, addr));
        addr += n, len -= n;
    }
    return true;
}

static void log_dma_refused(AddressSpace *as, const char *what, hwaddr addr, uint64_t len)
{
    log_category_printf(LOG_GUEST_ERROR,
                        "memory: DMA %s of %" PRIu64 " bytes at 0x%" PRIx64 " in '%s' "
                        "refused: not wholly inside guest %sRAM\n",
                        what, len, addr, as->name, strcmp(what, "read") ? "writable " : "");
}

bool dma_range_valid(AddressSpace *as, hwaddr addr, uint64_t len, bool is_write)
{
    return range_is_ram(as, addr, len, is_write);
}

int dma_read(AddressSpace *as, hwaddr addr, void *buf, uint64_t len)
{
    if (!range_is_ram(as, addr, len, false)) {
        log_dma_refused(as, "read", addr, len);
        return -1;
    }
    address_space_read(as, addr, buf, len);
    return 0;
}

int dma_write(AddressSpace *as, hwaddr addr, const void *buf, uint64_t len)
{
    if (!range_is_ram(as, addr, len, true)) {
        log_dma_refused(as, "write", addr, len);
        return -1;
    }
    address_space_write(as, addr, buf, len);
    return 0;
}

void *dma_map(AddressSpace *as, hwaddr addr, uint64_t len, bool is_write)
{
    const FlatRange *fr = address_space_lookup(as, addr);
    if (!fr || len == 0 || range_left(fr, addr) < len || !is_ram(fr->mr) ||
        (is_write && !is_writable_ram(fr->mr))) {
        log_dma_refused(as, is_write ? "map for write" : "map for read", addr, len);
        return NULL;
    }
    return fr->mr->host + fr->offset + (addr - fr->start);
}

int address_space_write_rom(AddressSpace *as, hwaddr addr, const void *buf, uint64_t len)
{
    const uint8_t *p = buf;
    if (!range_is_ram(as, addr, len, false)) {
        return -1;      /* the loader reports it, naming its file */
    }
    while (len) {
        const FlatRange *fr = address_space_lookup(as, addr);
        hwaddr offset = fr->offset + (addr - fr->start);
        uint64_t n = MIN(len, range_left(fr, addr));
        memcpy(fr->mr->host + offset, p, n);
        memory_call_ram_write_hook(fr->mr, offset, n);
        addr += n, p += n, len -= n;
    }
    return 0;
}
