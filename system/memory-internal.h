/* Private interface between the memory region tree (memory.c), access dispatch
 * (memory-dispatch.c) and "info mtree" (memory-print.c). Not for devices. */
#ifndef SYSTEM_MEMORY_INTERNAL_H
#define SYSTEM_MEMORY_INTERNAL_H

#include "system/memory.h"

/* Aliases of aliases are followed at most this deep (a cycle is a board bug). */
#define MEMORY_MAX_DEPTH 32

/* Registry of address spaces, re-flattened when a region reachable from their root
 * changes. */
int memory_address_space_count(void);
AddressSpace *memory_address_space_get(int index);

const char *memory_region_kind_name(const MemoryRegion *mr);
/* Calls the RAM write hook, if any. */
void memory_call_ram_write_hook(MemoryRegion *ram, hwaddr offset, uint64_t len);

#endif
