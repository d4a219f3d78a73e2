/* Direct Linux boot for 32-bit ARM boards (Documentation/arch/arm/booting.rst): recognises a
 * zImage (magic 0x016f2818 at offset 0x24), a U-Boot legacy uImage (include/image.h of
 * U-Boot: 64-byte big-endian header, CRC32 of header and data, ARM kernel, uncompressed or
 * gzip) and otherwise takes the file as a raw Image; refuses ELF files and AArch64 Images.
 * Placement follows QEMU's ARM boards: zImage at RAM + 0x10000, Image at RAM + 0x8000,
 * uImage at its load address, initrd at RAM + min(RAM / 2, 128 MiB) (above the kernel), the
 * device tree after the initrd on a 4 KiB boundary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "config-host.h"
#include "hw/arm/boot.h"
#include "hw/loader.h"
#include "util/cutils.h"
#ifdef CONFIG_FDT
#include <libfdt.h>
#endif

#define ZIMAGE_MAGIC 0x016f2818u
#define UIMAGE_MAGIC 0x27051956u
#define UIMAGE_HEADER_SIZE 64
#define IH_ARCH_ARM 2
#define IH_TYPE_KERNEL 2
#define IH_COMP_NONE 0
#define IH_COMP_GZIP 1

static uint32_t le32_at(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32_at(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int arm_boot_read_file(const char *option, const char *path, size_t max, uint8_t **data,
                       size_t *size, Error **errp)
{
    *data = load_file(path, max, size, errp);
    if (*data && *size == 0) {
        free(*data);
        *data = NULL;
        error_setg(errp, "'%s' is empty", path);
    }
    if (!*data) {
        error_prepend(errp, "%s: ", option);
        return -1;
    }
    return 0;
}

static bool range_in_ram(const ArmBootInfo *b, hwaddr addr, uint64_t size)
{
    return addr >= b->ram_base && size <= b->ram_size &&
           addr - b->ram_base <= b->ram_size - size;
}

/* ---- uImage ----------------------------------------------------------------------------- */

static int uimage_gunzip(const uint8_t *in, size_t in_size, size_t max, uint8_t **out,
                         size_t *out_size)
{
    z_stream z = { 0 };
    size_t cap = in_size * 4 < max ? in_size * 4 : max;
    int ret = Z_OK;
    uint8_t *buf = xmalloc(cap ? cap : 1);

    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        free(buf);
        return -1;
    }
    z.next_in = (uint8_t *)in;
    z.avail_in = (uInt)in_size;
    do {
        if (z.total_out == cap) {
            if (cap == max) {
                break;                      /* larger than RAM */
            }
            cap = cap * 2 < max ? cap * 2 : max;
            buf = xrealloc(buf, cap);
        }
        z.next_out = buf + z.total_out;
        z.avail_out = (uInt)(cap - z.total_out);
        ret = inflate(&z, Z_NO_FLUSH);
    } while (ret == Z_OK);
    *out_size = z.total_out;
    inflateEnd(&z);
    if (ret != Z_STREAM_END) {
        free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

static int uimage_check_header(const uint8_t *h, size_t file_size, const char *path,
                               Error **errp)
{
    uint8_t copy[UIMAGE_HEADER_SIZE];
    memcpy(copy, h, sizeof(copy));
    memset(copy + 4, 0, 4);
    if (crc32(0, copy, sizeof(copy)) != be32_at(h + 4)) {
        error_setg(errp, "-kernel %s: uImage header checksum mismatch", path);
    } else if (h[29] != IH_ARCH_ARM) {
        error_setg(errp, "-kernel %s: uImage is for architecture %u, not ARM (2)", path, h[29]);
    } else if (h[30] != IH_TYPE_KERNEL) {
        error_setg(errp, "-kernel %s: uImage type %u is not a kernel (2)", path, h[30]);
    } else if (h[31] != IH_COMP_NONE && h[31] != IH_COMP_GZIP) {
        error_setg(errp, "-kernel %s: uImage compression %u is not supported (none, gzip)",
                   path, h[31]);
    } else if (be32_at(h + 12) > file_size - UIMAGE_HEADER_SIZE) {
        error_setg(errp, "-kernel %s: uImage data (%u bytes) runs past the end of the file",
                   path, be32_at(h + 12));
    } else if (crc32(0, h + UIMAGE_HEADER_SIZE, be32_at(h + 12)) != be32_at(h + 24)) {
        error_setg(errp, "-kernel %s: uImage data checksum mismatch", path);
    } else {
        return 0;
    }
    return -1;
}

static int load_uimage(ArmBootInfo *b, uint8_t *file, size_t size, const char *path,
                       Error **errp)
{
    if (uimage_check_header(file, size, path, errp) < 0) {
        return -1;
    }
    uint32_t data_size = be32_at(file + 12);
    b->kernel.addr = be32_at(file + 16);
    b->entry = be32_at(file + 20);
    if (file[31] == IH_COMP_GZIP) {
        if (uimage_gunzip(file + UIMAGE_HEADER_SIZE, data_size, b->ram_size,
                          &b->kernel.data, &b->kernel.size) < 0) {
            error_setg(errp, "-kernel %s: uImage gzip data is corrupt or larger than RAM",
                       path);
            return -1;
        }
    } else {
        b->kernel.size = data_size;
        b->kernel.data = xmalloc(data_size ? data_size : 1);
        memcpy(b->kernel.data, file + UIMAGE_HEADER_SIZE, data_size);
    }
    b->kind = ARM_KERNEL_UIMAGE;
    return 0;
}

/* ---- kernels ------------------------------------------------------------------------------ */

static int classify_kernel(ArmBootInfo *b, uint8_t *file, size_t size, const char *path,
                           Error **errp)
{
    if (size >= 4 && !memcmp(file, "\177ELF", 4)) {
        error_setg(errp, "-kernel %s: ELF kernels are not supported (use a zImage, Image or "
                   "uImage)", path);
        return -1;
    }
    if (size >= UIMAGE_HEADER_SIZE && be32_at(file) == UIMAGE_MAGIC) {
        return load_uimage(b, file, size, path, errp);
    }
    if (size >= 0x40 && le32_at(file + 0x38) == 0x644d5241) {       /* "ARM\x64" */
        error_setg(errp, "-kernel %s: an AArch64 Image cannot run on this 32-bit CPU", path);
        return -1;
    }
    b->kernel.data = file;
    b->kernel.size = size;
    if (size >= 0x30 && le32_at(file + 0x24) == ZIMAGE_MAGIC) {
        b->kind = ARM_KERNEL_ZIMAGE;
        b->kernel.addr = b->ram_base + ARM_ZIMAGE_OFFSET;
    } else {
        b->kind = ARM_KERNEL_IMAGE;
        b->kernel.addr = b->ram_base + ARM_IMAGE_OFFSET;
    }
    b->entry = (uint32_t)b->kernel.addr;
    return 1;                               /* file is now b->kernel.data */
}

int arm_boot_load_kernel(ArmBootInfo *b, const char *path, Error **errp)
{
    uint8_t *file;
    size_t size;

    if (arm_boot_read_file("-kernel", path, 256u << 20, &file, &size, errp) < 0) {
        return -1;
    }
    int rc = classify_kernel(b, file, size, path, errp);
    if (rc != 1) {
        free(file);
    }
    if (rc < 0) {
        return -1;
    }
    if (!range_in_ram(b, b->kernel.addr, b->kernel.size)) {
        error_setg(errp, "-kernel %s: %zu bytes at 0x%llx do not fit in RAM "
                   "(0x%llx-0x%llx)", path, b->kernel.size,
                   (unsigned long long)b->kernel.addr, (unsigned long long)b->ram_base,
                   (unsigned long long)(b->ram_base + b->ram_size - 1));
        return -1;
    }
    return 0;
}

int arm_boot_load_initrd(ArmBootInfo *b, const char *path, Error **errp)
{
    return arm_boot_read_file("-initrd", path, b->ram_size, &b->initrd.data, &b->initrd.size,
                              errp);
}

/* ---- placement and loading ---------------------------------------------------------------- */

int arm_boot_place(ArmBootInfo *b, size_t dtb_size, Error **errp)
{
    if (b->kind == ARM_KERNEL_NONE) {
        b->dtb_addr = b->ram_base;          /* firmware finds it at the start of RAM */
        if (!range_in_ram(b, b->dtb_addr, dtb_size)) {
            error_setg(errp, "the device tree (%zu bytes) does not fit in RAM", dtb_size);
            return -1;
        }
        return 0;
    }
    uint64_t offset = b->ram_size / 2 < ARM_INITRD_MAX_OFFSET ? b->ram_size / 2
                                                               : ARM_INITRD_MAX_OFFSET;
    hwaddr kernel_end = b->kernel.addr + b->kernel.size;
    hwaddr start = b->ram_base + offset;
    if (start < kernel_end) {
        start = (kernel_end + 0xfff) & ~(hwaddr)0xfff;
    }
    b->initrd.addr = start;
    b->dtb_addr = (start + b->initrd.size + 0xfff) & ~(hwaddr)0xfff;
    if (!range_in_ram(b, b->initrd.addr, b->initrd.size) ||
        !range_in_ram(b, b->dtb_addr, dtb_size)) {
        error_setg(errp, "kernel (%zu bytes), initrd (%zu bytes) and device tree (%zu "
                   "bytes) do not fit in %llu MiB of RAM", b->kernel.size, b->initrd.size,
                   dtb_size, (unsigned long long)(b->ram_size >> 20));
        return -1;
    }
    return 0;
}

int arm_boot_write(const ArmBootInfo *b, AddressSpace *as, const void *dtb, size_t dtb_size)
{
    if (b->kernel.data &&
        address_space_write_rom(as, b->kernel.addr, b->kernel.data, b->kernel.size) < 0) {
        return -1;
    }
    if (b->initrd.data &&
        address_space_write_rom(as, b->initrd.addr, b->initrd.data, b->initrd.size) < 0) {
        return -1;
    }
    if (dtb && address_space_write_rom(as, b->dtb_addr, dtb, dtb_size) < 0) {
        return -1;
    }
    return 0;
}

void arm_boot_free(ArmBootInfo *b)
{
    free(b->kernel.data);
    free(b->initrd.data);
    b->kernel = (ArmBootBlob){ 0 };
    b->initrd = (ArmBootBlob){ 0 };
}

void *arm_boot_load_dtb(const char *path, Error **errp)
{
#ifdef CONFIG_FDT
    uint8_t *file;
    size_t size;
    if (arm_boot_read_file("-dtb", path, ARM_MAX_DTB_SIZE, &file, &size, errp) < 0) {
        return NULL;
    }
    int err = size < sizeof(struct fdt_header) ? -FDT_ERR_TRUNCATED : fdt_check_header(file);
    if (!err && fdt_totalsize(file) > size) {
        err = -FDT_ERR_TRUNCATED;
    }
    void *fdt = err ? NULL : xmalloc(ARM_MAX_DTB_SIZE);
    if (!err) {
        err = fdt_open_into(file, fdt, ARM_MAX_DTB_SIZE);
    }
    free(file);
    if (err) {
        free(fdt);
        error_setg(errp, "-dtb %s: not a valid flattened device tree (%s)", path,
                   fdt_strerror(err));
        return NULL;
    }
    return fdt;
#else
    error_setg(errp, "-dtb %s: this build has no device tree support (libfdt-dev)", path);
    return NULL;
#endif
}
