/* Direct boot of 32-bit ARM Linux (Documentation/arch/arm/booting.rst): loads a zImage, a raw
 * Image or a U-Boot legacy uImage, an initrd and a device tree into guest RAM and says where
 * the CPU starts (r0 = 0, r1 = ~0 for a device tree, r2 = its address). */
#ifndef HW_ARM_BOOT_H
#define HW_ARM_BOOT_H

#include <stddef.h>
#include <stdint.h>
#include "system/memory.h"
#include "util/error.h"

/* Offsets from the start of RAM, as on QEMU's ARM boards. */
#define ARM_ZIMAGE_OFFSET 0x10000           /* a zImage relocates itself */
#define ARM_IMAGE_OFFSET 0x8000             /* a raw Image runs at TEXT_OFFSET */
#define ARM_INITRD_MAX_OFFSET (128u << 20)  /* initrd at min(RAM/2, 128 MiB) */
#define ARM_MAX_DTB_SIZE (2u << 20)

typedef enum { ARM_KERNEL_NONE, ARM_KERNEL_ZIMAGE, ARM_KERNEL_IMAGE, ARM_KERNEL_UIMAGE }
    ArmKernelKind;

typedef struct ArmBootBlob {
    uint8_t *data;
    size_t size;
    hwaddr addr;                    /* guest physical load address */
} ArmBootBlob;

typedef struct ArmBootInfo {
    hwaddr ram_base;
    uint64_t ram_size;
    ArmKernelKind kind;
    ArmBootBlob kernel, initrd;
    uint32_t entry;
    hwaddr dtb_addr;                /* set by arm_boot_place */
} ArmBootInfo;

/* Reads and checks -kernel FILE; sets kind, kernel and entry. Errors name the file. */
int arm_boot_load_kernel(ArmBootInfo *b, const char *path, Error **errp);
int arm_boot_load_initrd(ArmBootInfo *b, const char *path, Error **errp);
/* Places the initrd and a device tree of dtb_size bytes after the kernel; -1 if they do
 * not fit in RAM. With no kernel (firmware boot) the device tree goes at the start of RAM. */
int arm_boot_place(ArmBootInfo *b, size_t dtb_size, Error **errp);
/* Copies kernel, initrd and device tree into guest memory. */
int arm_boot_write(const ArmBootInfo *b, AddressSpace *as, const void *dtb, size_t dtb_size);
void arm_boot_free(ArmBootInfo *b);

/* Reads a whole, non-empty file of at most max bytes (hw/loader.h); errors start with
 * "OPTION: ". */
int arm_boot_read_file(const char *option, const char *path, size_t max, uint8_t **data,
                       size_t *size, Error **errp);
/* -dtb FILE: reads it, checks the header, and reopens it with room for /chosen. */
void *arm_boot_load_dtb(const char *path, Error **errp);

#endif
