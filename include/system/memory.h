/* Guest physical memory: a tree of regions (RAM, ROM, MMIO, alias, container) with
 * priorities, flattened into a sorted dispatch map per address space. x86 port I/O is an
 * address space of its own. Devices reach guest memory for DMA only through the
 * address_space_* and dma_* functions, which refuse ranges outside guest RAM. */
#ifndef SYSTEM_MEMORY_H
#define SYSTEM_MEMORY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef uint64_t hwaddr;
typedef struct MemoryRegion MemoryRegion;
typedef struct AddressSpace AddressSpace;

typedef enum {
    MEMTX_OK = 0,
    MEMTX_ERROR = 1,        /* device reported an error */
    MEMTX_DECODE_ERROR = 2, /* nothing is mapped there */
} MemTxResult;

typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, hwaddr offset, unsigned size);
    void (*write)(void *opaque, hwaddr offset, uint64_t value, unsigned size);
    /* Access sizes (bytes, powers of two) the guest may use; others are rejected like an
     * unassigned access. 0 means 1 and 8. */
    unsigned valid_min, valid_max;
    bool valid_unaligned;
    /* Sizes the callbacks implement; the core splits wider and merges narrower accesses.
     * 0 means the same as valid_*. */
    unsigned impl_min, impl_max;
    bool big_endian;        /* register byte order of the device; default little */
    /* The callbacks take unaligned accesses whole (ISA ports such as Bochs VBE's 16-bit
     * data port at 0x1cf): with valid_unaligned, no splitting into aligned chunks. */
    bool impl_unaligned;
} MemoryRegionOps;

typedef enum {
    MR_CONTAINER, MR_RAM, MR_ROM, MR_IO, MR_ALIAS,
} MemoryRegionKind;

struct MemoryRegion {
    MemoryRegionKind kind;
    char *name;
    uint64_t size;
    /* placement in the parent */
    MemoryRegion *parent;
    hwaddr addr;
    int priority;
    bool enabled;
    /* RAM / ROM */
    uint8_t *host;          /* backing memory */
    bool host_owned;        /* allocated by the core, freed by memory_region_destroy */
    bool readonly;          /* ROM: guest writes are ignored (logged under guest_errors) */
    bool rom_device;        /* memory_region_init_rom_device: kind flips MR_ROM <-> MR_IO */
    uint8_t *dirty_log;     /* memory_region_set_log: one byte per 4 KiB page, 1 = written */
    /* MMIO */
    const MemoryRegionOps *ops;
    void *opaque;
    /* alias */
    MemoryRegion *alias;
    hwaddr alias_offset;
    /* container children, ordered by priority (highest first) then insertion */
    MemoryRegion **children;
    int nr_children;
};

/* Initialisers. RAM is zeroed host memory (mmap); a ROM is RAM the guest cannot write. */
void memory_region_init_container(MemoryRegion *mr, const char *name, uint64_t size);
void memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size);
void memory_region_init_rom(MemoryRegion *mr, const char *name, uint64_t size);
void memory_region_init_ram_ptr(MemoryRegion *mr, const char *name, uint64_t size, void *host);
void memory_region_init_io(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size);
void memory_region_init_alias(MemoryRegion *mr, const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size);
/* A ROM device (flash): host memory that the guest reads directly while in "romd" mode,
 * with guest writes going to ops->write; out of romd mode every access goes to ops. Starts
 * in romd mode. The device reaches its bytes with memory_region_get_ram_ptr(). */
void memory_region_init_rom_device(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                                   const char *name, uint64_t size);
void memory_region_rom_device_set_romd(MemoryRegion *mr, bool romd);
void memory_region_destroy(MemoryRegion *mr);

/* Maps child at offset in a container. Higher priority wins where regions overlap; at
 * equal priority the later one wins. Every change re-flattens the affected address spaces. */
void memory_region_add_subregion(MemoryRegion *parent, hwaddr offset, MemoryRegion *child,
                                 int priority);
void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *child);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
void memory_region_set_address(MemoryRegion *mr, hwaddr addr);
void memory_region_set_readonly(MemoryRegion *mr, bool readonly);
uint8_t *memory_region_get_ram_ptr(MemoryRegion *mr);

/* One entry of the flattened map: [start, start+size) maps to region mr at offset. */
typedef struct FlatRange {
    hwaddr start;
    uint64_t size;
    MemoryRegion *mr;       /* a RAM, ROM or IO region; never a container or alias */
    hwaddr offset;          /* offset into mr of start */
} FlatRange;

typedef struct FlatView {
    FlatRange *ranges;      /* sorted by start, non-overlapping */
    int nr;
} FlatView;

struct AddressSpace {
    char *name;
    MemoryRegion *root;
    FlatView *view;
    /* Bumped on every re-flatten: soft TLBs drop cached translations when it changes. */
    uint64_t generation;
};

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name);
void address_space_destroy(AddressSpace *as);

/* Looks up addr; returns the flat range holding it or NULL (unassigned). */
const FlatRange *address_space_lookup(AddressSpace *as, hwaddr addr);

/* Accesses of any length and alignment, split across regions as needed. Unassigned bytes
 * read as 0xff and writes to them are dropped; both log under guest_errors and return
 * MEMTX_DECODE_ERROR. */
MemTxResult address_space_read(AddressSpace *as, hwaddr addr, void *buf, uint64_t len);
MemTxResult address_space_write(AddressSpace *as, hwaddr addr, const void *buf, uint64_t len);
/* One access of size 1, 2, 4 or 8 bytes; value in host order (little-endian guest view). */
MemTxResult address_space_load(AddressSpace *as, hwaddr addr, unsigned size, uint64_t *value);
MemTxResult address_space_store(AddressSpace *as, hwaddr addr, unsigned size, uint64_t value);

/* One access of size 1, 2, 4 or 8 to offset of a RAM, ROM or IO region (the soft MMU's
 * slow path once it has a FlatRange). IO accesses obey the region's declared sizes. */
MemTxResult memory_region_dispatch_read(MemoryRegion *mr, hwaddr offset, unsigned size,
                                        uint64_t *value);
MemTxResult memory_region_dispatch_write(MemoryRegion *mr, hwaddr offset, unsigned size,
                                         uint64_t value);
/* Firmware and kernel loaders: writes RAM and ROM alike (nothing else); -1 if any of the
 * range is neither, in which case nothing is written. */
int address_space_write_rom(AddressSpace *as, hwaddr addr, const void *buf, uint64_t len);

/* DMA for devices: the whole range must be RAM (writes: writable RAM), or nothing is
 * transferred, the attempt is logged under guest_errors and -1 is returned. */
int dma_read(AddressSpace *as, hwaddr addr, void *buf, uint64_t len);
/* Whether dma_read (dma_write if is_write) of the range would succeed; logs nothing. */
bool dma_range_valid(AddressSpace *as, hwaddr addr, uint64_t len, bool is_write);
int dma_write(AddressSpace *as, hwaddr addr, const void *buf, uint64_t len);
/* Host pointer for a range lying entirely inside one RAM region, or NULL. */
void *dma_map(AddressSpace *as, hwaddr addr, uint64_t len, bool is_write);

/* Hook called after guest RAM is written by anything but translated code's fast path
 * (address_space_write, dma_*): the translator uses it to drop translations of that code.
 * One hook; NULL to clear. */
typedef void RamWriteHook(MemoryRegion *ram, hwaddr offset, uint64_t len);
void memory_set_ram_write_hook(RamWriteHook *hook);
/* Called by code that writes RAM through a host pointer (dma_map users). */
void memory_notify_ram_write(MemoryRegion *ram, hwaddr offset, uint64_t len);

/* Dirty log of a RAM region (system/memory-dirty.c), for displays: which 4 KiB pages were
 * written since the last memory_region_sync_dirty. Translated code's stores to a clean
 * page take the soft MMU's slow path once, which marks the page (the TLB keeps the page
 * "not dirty" until then); every other write to RAM (address_space_write, dma_*,
 * memory_notify_ram_write) marks it as well. Starts all dirty. */
#define MEMORY_LOG_PAGE_BITS 12
void memory_region_set_log(MemoryRegion *mr, bool on);
/* Marks [offset, offset + len) written (clamped to the region). */
void memory_region_set_dirty(MemoryRegion *mr, hwaddr offset, uint64_t len);
/* ORs the log into pages[] (one byte per page, 1 = written), clears it, and makes the next
 * store to each cleared page log again. Returns whether any page was written. */
bool memory_region_sync_dirty(MemoryRegion *mr, uint8_t *pages);
/* Set by the translator: stores through host RAM pages [start, end) must take its slow
 * path again (their TLB entries get the "not dirty" flag back). */
typedef void MemoryLogRearmHook(uintptr_t start, uintptr_t end);
void memory_set_log_rearm_hook(MemoryLogRearmHook *hook);

/* "info mtree": the region tree and each address space's flat view. */
void memory_print_tree(FILE *out, AddressSpace *const *spaces, int nr_spaces);
/* The same for every address space that exists, in creation order. */
void memory_print_all(FILE *out);

#endif
