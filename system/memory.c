/* Guest physical memory regions (RAM, ROM, MMIO, alias, container) and their flattening
 * into a sorted, non-overlapping map per address space (the model of docs/memory.md). */
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "system/memory-internal.h"
#include "util/cutils.h"
#include "util/error.h"
#include "util/log.h"

/* Addresses are computed in signed 128 bits: a region ending at 2^64 is exact and an
 * alias whose offset exceeds its address gives a negative base without wrapping. */
typedef __int128 i128;

/* Registry of live address spaces. */
static AddressSpace **address_spaces;
static int nr_address_spaces;

static void memory_region_changed(MemoryRegion *mr);

/* --- initialisers --------------------------------------------------------------- */

static void region_init(MemoryRegion *mr, MemoryRegionKind kind, const char *name,
                        uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->kind = kind;
    mr->name = xstrdup(name ? name : "anonymous");
    mr->size = size;
    mr->enabled = true;
}

void memory_region_init_container(MemoryRegion *mr, const char *name, uint64_t size)
{
    region_init(mr, MR_CONTAINER, name, size);
}

static uint8_t *ram_alloc(const char *name, uint64_t size)
{
    void *p;
    if (size == 0) {
        return NULL;
    }
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
             -1, 0);
    if (p == MAP_FAILED) {
        error_report("cannot allocate %" PRIu64 " bytes of guest memory for '%s': %m",
                     size, name);
        exit(1);
    }
    return p;
}

void memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size)
{
    region_init(mr, MR_RAM, name, size);
    mr->host = ram_alloc(mr->name, size);
    mr->host_owned = true;
}

void memory_region_init_rom(MemoryRegion *mr, const char *name, uint64_t size)
{
    memory_region_init_ram(mr, name, size);
    mr->kind = MR_ROM;
    mr->readonly = true;
}

void memory_region_init_rom_device(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                                   const char *name, uint64_t size)
{
    memory_region_init_rom(mr, name, size);
    mr->ops = ops;
    mr->opaque = opaque;
    mr->rom_device = true;
}

void memory_region_rom_device_set_romd(MemoryRegion *mr, bool romd)
{
    MemoryRegionKind kind = romd ? MR_ROM : MR_IO;
    if (mr->rom_device && mr->kind != kind) {
        mr->kind = kind;
        memory_region_changed(mr);
    }
}

void memory_region_init_ram_ptr(MemoryRegion *mr, const char *name, uint64_t size, void *host)
{
    region_init(mr, MR_RAM, name, size);
    mr->host = host;
}

void memory_region_init_io(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size)
{
    region_init(mr, MR_IO, name, size);
    mr->ops = ops;
    mr->opaque = opaque;
}

void memory_region_init_alias(MemoryRegion *mr, const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size)
{
    region_init(mr, MR_ALIAS, name, size);
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_destroy(MemoryRegion *mr)
{
    if (mr->parent) {
        memory_region_del_subregion(mr->parent, mr);
    }
    for (int i = 0; i < mr->nr_children; i++) {
        mr->children[i]->parent = NULL;
    }
    free(mr->children);
    if (mr->host_owned && mr->host) {
        munmap(mr->host, mr->size);
    }
    free(mr->name);
    free(mr->dirty_log);
    memset(mr, 0, sizeof(*mr));
}

/* --- the tree ---------------------------------------------------------------------- */

/* Children are kept in the order in which they win: higher priority first and, at equal
 * priority, the one added later first. */
static void children_insert(MemoryRegion *parent, MemoryRegion *child)
{
    int pos = 0;
    while (pos < parent->nr_children && parent->children[pos]->priority > child->priority) {
        pos++;
    }
    parent->children = xrealloc(parent->children,
                                sizeof(*parent->children) * (parent->nr_children + 1));
    memmove(&parent->children[pos + 1], &parent->children[pos],
            sizeof(*parent->children) * (parent->nr_children - pos));
    parent->children[pos] = child;
    parent->nr_children++;
}

void memory_region_add_subregion(MemoryRegion *parent, hwaddr offset, MemoryRegion *child,
                                 int priority)
{
    assert(parent->kind == MR_CONTAINER);
    assert(!child->parent);
    child->parent = parent;
    child->addr = offset;
    child->priority = priority;
    children_insert(parent, child);
    memory_region_changed(parent);
}

void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *child)
{
    for (int i = 0; i < parent->nr_children; i++) {
        if (parent->children[i] == child) {
            memmove(&parent->children[i], &parent->children[i + 1],
                    sizeof(*parent->children) * (parent->nr_children - i - 1));
            parent->nr_children--;
            child->parent = NULL;
            memory_region_changed(parent);
            return;
        }
    }
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled != enabled) {
        mr->enabled = enabled;
        memory_region_changed(mr);
    }
}

void memory_region_set_address(MemoryRegion *mr, hwaddr addr)
{
    if (mr->addr != addr) {
        mr->addr = addr;
        memory_region_changed(mr);
    }
}

void memory_region_set_readonly(MemoryRegion *mr, bool readonly)
{
    if (mr->readonly != readonly) {
        mr->readonly = readonly;
        memory_region_changed(mr);
    }
}

uint8_t *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    return (mr->kind == MR_RAM || mr->kind == MR_ROM || mr->rom_device) ? mr->host : NULL;
}

const char *memory_region_kind_name(const MemoryRegion *mr)
{
    switch (mr->kind) {
    case MR_CONTAINER: return "container";
    case MR_RAM: return mr->readonly ? "rom" : "ram";
    case MR_ROM: return "rom";
    case MR_IO: return "i/o";
    case MR_ALIAS: return "alias";
    }
    return "?";
}

/* --- flattening -------------------------------------------------------------------- */

static void flat_insert_at(FlatView *view, int *cap, int pos, const FlatRange *fr)
{
    if (view->nr == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        view->ranges = xrealloc(view->ranges, sizeof(FlatRange) * *cap);
    }
    memmove(&view->ranges[pos + 1], &view->ranges[pos], sizeof(FlatRange) * (view->nr - pos));
    view->ranges[pos] = *fr;
    view->nr++;
}

/* Maps the parts of [start, end) that no earlier (winning) region covers to mr, where
 * guest address base is offset 0 of mr. */
static void flat_fill_gaps(FlatView *view, int *cap, i128 start, i128 end,
                           MemoryRegion *mr, i128 base)
{
    int i = 0;
    while (start < end) {
        i128 gap_end = end;
        while (i < view->nr && (i128)view->ranges[i].start + view->ranges[i].size <= start) {
            i++;
        }
        if (i < view->nr && view->ranges[i].start <= start) {
            start = (i128)view->ranges[i].start + view->ranges[i].size;
            continue;
        }
        if (i < view->nr && view->ranges[i].start < gap_end) {
            gap_end = view->ranges[i].start;
        }
        /* a FlatRange's size is 64 bits: a full 2^64 span loses its last byte */
        if (gap_end - start > UINT64_MAX) {
            gap_end = start + UINT64_MAX;
        }
        FlatRange fr = {
            .start = (hwaddr)start, .size = (uint64_t)(gap_end - start),
            .mr = mr, .offset = (hwaddr)(start - base),
        };
        flat_insert_at(view, cap, i, &fr);
        i++;
        start = gap_end;
    }
}

/* A size of UINT64_MAX stands for the whole 2^64 space (as for the system container). */
static i128 region_size(const MemoryRegion *mr)
{
    return mr->size == UINT64_MAX ? (i128)1 << 64 : (i128)mr->size;
}

/* Renders mr, whose offset 0 sits at guest address base, clipped to [clip_start, clip_end). */
static void flat_render(FlatView *view, int *cap, MemoryRegion *mr, i128 base,
                        i128 clip_start, i128 clip_end, int depth)
{
    i128 start = MAX(base, clip_start);
    i128 end = MIN(base + region_size(mr), clip_end);

    if (!mr->enabled || start >= end) {
        return;
    }
    if (depth > MEMORY_MAX_DEPTH) {
        error_report("memory: region '%s' nests or aliases too deep; ignored", mr->name);
        return;
    }
    switch (mr->kind) {
    case MR_CONTAINER:
        for (int i = 0; i < mr->nr_children; i++) {
            MemoryRegion *child = mr->children[i];
            flat_render(view, cap, child, base + child->addr, start, end, depth + 1);
        }
        break;
    case MR_ALIAS:
        if (mr->alias) {
            flat_render(view, cap, mr->alias, base - mr->alias_offset, start, end, depth + 1);
        }
        break;
    case MR_RAM:
    case MR_ROM:
    case MR_IO:
        flat_fill_gaps(view, cap, start, end, mr, base);
        break;
    }
}

/* Joins neighbours that continue the same region at consecutive offsets. */
static void flat_simplify(FlatView *view)
{
    int out = 0;
    for (int i = 0; i < view->nr; i++) {
        FlatRange *prev = out ? &view->ranges[out - 1] : NULL;
        FlatRange *cur = &view->ranges[i];
        if (prev && prev->mr == cur->mr && (i128)prev->start + prev->size == cur->start &&
            prev->offset + prev->size == cur->offset &&
            (i128)prev->size + cur->size <= UINT64_MAX) {
            prev->size += cur->size;
        } else {
            view->ranges[out++] = *cur;
        }
    }
    view->nr = out;
}

static FlatView *flat_view_build(MemoryRegion *root)
{
    FlatView *view = xzalloc(sizeof(*view));
    int cap = 0;
    if (root) {
        /* the root sits at address 0 whatever its own addr says */
        flat_render(view, &cap, root, 0, 0, (i128)1 << 64, 0);
    }
    flat_simplify(view);
    return view;
}

static void flat_view_free(FlatView *view)
{
    if (view) {
        free(view->ranges);
        free(view);
    }
}

/* Replaces the view. The caller holds the big lock; readers holding the lock or checking
 * the generation never see the old one after this returns. */
static void address_space_update(AddressSpace *as)
{
    FlatView *old = as->view;
    as->view = flat_view_build(as->root);
    as->generation++;
    flat_view_free(old);
}

static bool region_reaches(const MemoryRegion *from, const MemoryRegion *target, int depth)
{
    if (from == target) {
        return true;
    }
    if (!from || depth > MEMORY_MAX_DEPTH) {
        return false;
    }
    if (from->kind == MR_ALIAS) {
        return region_reaches(from->alias, target, depth + 1);
    }
    for (int i = 0; i < from->nr_children; i++) {
        if (region_reaches(from->children[i], target, depth + 1)) {
            return true;
        }
    }
    return false;
}

static void memory_region_changed(MemoryRegion *mr)
{
    for (int i = 0; i < nr_address_spaces; i++) {
        AddressSpace *as = address_spaces[i];
        if (region_reaches(as->root, mr, 0)) {
            address_space_update(as);
        }
    }
}

/* --- address spaces ---------------------------------------------------------------- */

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name)
{
    memset(as, 0, sizeof(*as));
    as->name = xstrdup(name ? name : "anonymous");
    as->root = root;
    address_spaces = xrealloc(address_spaces, sizeof(*address_spaces) * (nr_address_spaces + 1));
    address_spaces[nr_address_spaces++] = as;
    address_space_update(as);
}

void address_space_destroy(AddressSpace *as)
{
    for (int i = 0; i < nr_address_spaces; i++) {
        if (address_spaces[i] == as) {
            memmove(&address_spaces[i], &address_spaces[i + 1],
                    sizeof(*address_spaces) * (nr_address_spaces - i - 1));
            nr_address_spaces--;
            break;
        }
    }
    if (nr_address_spaces == 0) {
        free(address_spaces);
        address_spaces = NULL;
    }
    flat_view_free(as->view);
    free(as->name);
    memset(as, 0, sizeof(*as));
}

int memory_address_space_count(void)
{
    return nr_address_spaces;
}

AddressSpace *memory_address_space_get(int index)
{
    return index >= 0 && index < nr_address_spaces ? address_spaces[index] : NULL;
}

const FlatRange *address_space_lookup(AddressSpace *as, hwaddr addr)
{
    const FlatView *view = as->view;
    int lo = 0, hi = view ? view->nr - 1 : -1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        const FlatRange *fr = &view->ranges[mid];
        if (addr < fr->start) {
            hi = mid - 1;
        } else if (addr - fr->start >= fr->size) {
            lo = mid + 1;
        } else {
            return fr;
        }
    }
    return NULL;
}
