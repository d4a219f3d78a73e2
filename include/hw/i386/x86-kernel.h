/* Loading a bare-metal test kernel for the x86-test machine: an ELF32/ELF64 x86 image
 * (PT_LOAD segments at their physical addresses) or a flat binary at 1 MiB. */
#ifndef HW_I386_X86_KERNEL_H
#define HW_I386_X86_KERNEL_H

#include <stdint.h>
#include "system/memory.h"
#include "util/error.h"

#define X86_FLAT_KERNEL_ADDR 0x100000u

/* Loads path into as; *entry is the ELF entry point or X86_FLAT_KERNEL_ADDR. */
int x86_load_kernel(AddressSpace *as, const char *path, uint64_t *entry, Error **errp);

#endif
