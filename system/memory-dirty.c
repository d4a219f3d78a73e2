/* Dirty log of RAM regions for displays (QEMU's DIRTY_MEMORY_VGA idea, our own code): one
 * byte per 4 KiB page, set by writers (the soft MMU's slow path for translated stores,
 * the RAM write hook for everything else), read and cleared by the display's refresh,
 * which then asks the translator to send stores to those pages through its slow path. */
#include <stdlib.h>
#include <string.h>
#include "system/memory.h"
#include "util/cutils.h"

static MemoryLogRearmHook *log_rearm_hook;

void memory_set_log_rearm_hook(MemoryLogRearmHook *hook)
{
    log_rearm_hook = hook;
}

static uint64_t log_pages(const MemoryRegion *mr)
{
    return (mr->size + (1u << MEMORY_LOG_PAGE_BITS) - 1) >> MEMORY_LOG_PAGE_BITS;
}

void memory_region_set_log(MemoryRegion *mr, bool on)
{
    if (on && !mr->dirty_log && mr->host) {
        mr->dirty_log = xmalloc(log_pages(mr));
        memset(mr->dirty_log, 1, log_pages(mr));
    } else if (!on) {
        free(mr->dirty_log);
        mr->dirty_log = NULL;
    }
}

void memory_region_set_dirty(MemoryRegion *mr, hwaddr offset, uint64_t len)
{
    if (!mr->dirty_log || !len || offset >= mr->size) {
        return;
    }
    len = MIN(len, mr->size - offset);
    uint64_t last = (offset + len - 1) >> MEMORY_LOG_PAGE_BITS;
    for (uint64_t p = offset >> MEMORY_LOG_PAGE_BITS; p <= last; p++) {
        __atomic_store_n(&mr->dirty_log[p], 1, __ATOMIC_RELEASE);
    }
}

bool memory_region_sync_dirty(MemoryRegion *mr, uint8_t *pages)
{
    bool any = false;

    if (!mr->dirty_log) {
        return false;
    }
    for (uint64_t p = 0; p < log_pages(mr); p++) {
        if (__atomic_load_n(&mr->dirty_log[p], __ATOMIC_RELAXED) &&
            __atomic_exchange_n(&mr->dirty_log[p], 0, __ATOMIC_ACQ_REL)) {
            pages[p] = 1;
            any = true;
        }
    }
    if (any && log_rearm_hook) {
        log_rearm_hook((uintptr_t)mr->host, (uintptr_t)mr->host + mr->size);
    }
    return any;
}
