/* Direct Linux boot (Documentation/arch/x86/boot.rst, the 32-bit boot protocol): the
 * protected-mode kernel at 1 MiB, the zero page (struct boot_params) with the setup header
 * copied from the bzImage, the command line, the e820 map, the ACPI RSDP address and the
 * initrd at the top of low RAM; CPU 0 enters code32_start in flat 32-bit protected mode
 * with ESI pointing at the zero page and __BOOT_CS/__BOOT_DS (0x10/0x18) in a GDT. Works
 * for i386 and x86-64 bzImages alike (both have the 32-bit entry). Needs protocol 2.06+. */
#include <stdlib.h>
#include <string.h>
#include "hw/i386/pc.h"
#include "hw/loader.h"
#include "util/cutils.h"

#define ZERO_PAGE 0x7000
#define CMDLINE_ADDR 0x20000
#define KERNEL_ADDR 0x100000
#define INITRD_MAX (1u << 30)

static uint32_t rd32(const uint8_t *p) { return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24); }
static uint16_t rd16(const uint8_t *p) { return p[0] | (p[1] << 8); }

static void wr(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        p[i] = v >> (8 * i);
    }
}

bool pc_linux_probe(const uint8_t *k, size_t len)
{
    return len > 0x264 && !memcmp(k + 0x202, "HdrS", 4);
}

static void linux_fill_e820(PCBoot *b, uint8_t *zp)
{
    zp[0x1e8] = b->nr_e820;
    for (int i = 0; i < b->nr_e820; i++) {
        uint8_t *e = zp + 0x2d0 + 20 * i;
        wr(e, b->e820[i].addr, 8);
        wr(e + 8, b->e820[i].len, 8);
        wr(e + 16, b->e820[i].type, 4);
    }
}

/* The initrd at the top of RAM below the ACPI area and the kernel's limit. */
static int linux_load_initrd(PCBoot *b, uint8_t *zp, const char *initrd, uint32_t low,
                             Error **errp)
{
    uint32_t max = rd32(zp + 0x22c) ? rd32(zp + 0x22c) : 0x37ffffff;
    uint64_t top = MIN((uint64_t)max + 1, b->acpi_base);
    size_t len;
    uint8_t *data = load_file(initrd, INITRD_MAX, &len, errp);
    uint64_t addr;
    int ret;

    if (!data) {
        return -1;
    }
    addr = (top - len) & ~0xfffull;
    if (len > top || addr < low) {
        error_setg(errp, "-initrd %s: %zu bytes do not fit between the kernel and 0x%llx "
                   "(give more memory with -m)", initrd, len, (unsigned long long)top);
        free(data);
        return -1;
    }
    ret = pc_boot_add_blob(b, addr, data, len, errp);
    free(data);
    wr(zp + 0x218, addr, 4);
    wr(zp + 0x21c, len, 4);
    return ret;
}

static int linux_cmdline(PCBoot *b, uint8_t *zp, const char *append, Error **errp)
{
    const char *cmd = append ? append : "";
    uint32_t max = rd32(zp + 0x238);
    size_t len = strlen(cmd);

    if (len > max || len >= 0x10000) {
        error_setg(errp, "-append: the command line has %zu bytes, the kernel takes at most %u",
                   len, MIN(max, 0xffffu));
        return -1;
    }
    wr(zp + 0x228, CMDLINE_ADDR, 4);
    return pc_boot_add_blob(b, CMDLINE_ADDR, cmd, len + 1, errp);
}

int pc_linux_load(PCBoot *b, const char *path, const uint8_t *k, size_t len, const char *initrd,
                  const char *append, Error **errp)
{
    uint16_t version = rd16(k + 0x206);
    size_t setup = ((k[0x1f1] ? k[0x1f1] : 4) + 1) * 512;
    size_t hdr_end = 0x202 + k[0x201];
    uint32_t init_size = version >= 0x20a ? rd32(k + 0x260) : 0;
    uint8_t *zp;
    int ret;

    if (version < 0x206 || !(k[0x211] & 1)) {
        error_setg(errp, "-kernel %s: Linux boot protocol %d.%02d%s is too old (need 2.06 and a "
                   "bzImage)", path, version >> 8, version & 0xff,
                   (k[0x211] & 1) ? "" : " (zImage)");
        return -1;
    }
    if (setup >= len || hdr_end > 0x290) {
        error_setg(errp, "-kernel %s: truncated or damaged Linux kernel", path);
        return -1;
    }
    if (KERNEL_ADDR + MAX(len - setup, (size_t)init_size) > b->acpi_base) {
        error_setg(errp, "-kernel %s: the kernel needs %u MiB of RAM, give more with -m", path,
                   (unsigned)((KERNEL_ADDR + MAX(len - setup, (size_t)init_size)) >> 20) + 1);
        return -1;
    }
    zp = xzalloc(4096);
    memcpy(zp + 0x1f1, k + 0x1f1, hdr_end - 0x1f1);
    zp[0x210] = 0xff;                               /* type_of_loader: undefined */
    zp[0x211] &= ~0x20;                             /* not QUIET */
    wr(zp + 0x002, MIN((b->ram_below_4g >> 10) - 1024, 0xfc00), 2);   /* ext_mem_k */
    wr(zp + 0x1e0, (b->ram_below_4g >> 10) - 1024, 4);                /* alt_mem_k */
    wr(zp + 0x070, b->rsdp, 8);                     /* acpi_rsdp_addr */
    linux_fill_e820(b, zp);
    ret = pc_boot_add_blob(b, KERNEL_ADDR, k + setup, len - setup, errp);
    if (!ret) {
        ret = linux_cmdline(b, zp, append, errp);
    }
    if (!ret && initrd) {
        ret = linux_load_initrd(b, zp, initrd, KERNEL_ADDR + MAX(len - setup, (size_t)init_size),
                                errp);
    }
    if (!ret) {
        ret = pc_boot_add_gdt(b, errp);
    }
    if (!ret) {
        ret = pc_boot_add_blob(b, ZERO_PAGE, zp, 4096, errp);
    }
    free(zp);
    b->eip = KERNEL_ADDR;
    b->esi = ZERO_PAGE;
    return ret;
}
