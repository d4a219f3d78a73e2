/* Multiboot 1 (spec 0.6.96) and Multiboot 2 (spec 2.0) loading for -kernel, from ELF32,
 * ELF64 (by physical addresses; QEMU refuses these) or the a.out address kludge: modules
 * from -initrd "file args,file2" page-aligned after the kernel, the boot information
 * (memory sizes and map, command line "kernel append", modules, boot loader name; MB2 adds
 * the ACPI RSDP tags), EAX = the boot magic, EBX = the information, flat 32-bit protected
 * mode. There is no framebuffer: a kernel that requires one (MB1 flag 2, a non-optional
 * MB2 framebuffer tag) is refused, as the specifications ask. */
#include <stdlib.h>
#include <string.h>
#include "hw/i386/pc.h"
#include "hw/loader.h"
#include "util/cutils.h"

#define MB1_MAGIC 0x1badb002u
#define MB1_BOOT_MAGIC 0x2badb002u
#define MB2_MAGIC 0xe85250d6u
#define MB2_BOOT_MAGIC 0x36d76289u
#define INFO_ADDR 0x10000u
#define INFO_MAX 0x80000u
#define MODULE_MAX (1u << 30)
#define LOADER_NAME "Mimic"

static uint32_t rd32(const uint8_t *p) { return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24); }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | ((uint64_t)rd32(p + 4) << 32); }
static uint16_t rd16(const uint8_t *p) { return p[0] | (p[1] << 8); }

/* Offset of the Multiboot header of version 1 or 2, or -1. */
static long mb_find(const uint8_t *k, size_t len, int version)
{
    size_t limit = MIN(len, version == 2 ? 32768u : 8192u);

    for (size_t off = 0; off + 16 <= limit; off += version == 2 ? 8 : 4) {
        uint32_t magic = rd32(k + off);
        if (version == 1 && magic == MB1_MAGIC &&
            (uint32_t)(magic + rd32(k + off + 4) + rd32(k + off + 8)) == 0) {
            return off;
        }
        if (version == 2 && magic == MB2_MAGIC &&
            (uint32_t)(magic + rd32(k + off + 4) + rd32(k + off + 8) + rd32(k + off + 12)) == 0) {
            return off;
        }
    }
    return -1;
}

int pc_multiboot_probe(const uint8_t *k, size_t len)
{
    return mb_find(k, len, 2) >= 0 ? 2 : mb_find(k, len, 1) >= 0 ? 1 : 0;
}

/* ---- the kernel image ------------------------------------------------------------------- */

typedef struct MBImage {
    uint64_t entry;
    uint64_t end;               /* first byte after everything loaded */
    bool have_kludge, have_entry;
    uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
} MBImage;

static int mb_load_zeros(PCBoot *b, uint64_t addr, uint64_t len, Error **errp)
{
    uint8_t *zero;
    int ret;

    if (!len) {
        return 0;
    }
    if (len > b->ram_below_4g) {
        error_setg(errp, "a %llu-byte BSS does not fit in RAM", (unsigned long long)len);
        return -1;
    }
    zero = xzalloc(len);
    ret = pc_boot_add_blob(b, addr, zero, len, errp);
    free(zero);
    return ret;
}

static int mb_load_kludge(PCBoot *b, MBImage *img, const uint8_t *k, size_t len, long hdr,
                          Error **errp)
{
    uint64_t file_off = hdr - (uint64_t)(img->header_addr - img->load_addr);
    uint64_t load_len, end;

    if (img->header_addr < img->load_addr || img->header_addr - img->load_addr > (uint64_t)hdr) {
        error_setg(errp, "Multiboot address fields are inconsistent (header_addr < load_addr)");
        return -1;
    }
    load_len = img->load_end_addr ? (uint64_t)img->load_end_addr - img->load_addr
                                  : len - file_off;
    if (img->load_end_addr && img->load_end_addr < img->load_addr) {
        error_setg(errp, "Multiboot load_end_addr is below load_addr");
        return -1;
    }
    if (file_off + load_len > len) {
        error_setg(errp, "Multiboot load_end_addr is past the end of the file");
        return -1;
    }
    end = img->load_addr + load_len;
    if (pc_boot_add_blob(b, img->load_addr, k + file_off, load_len, errp) < 0) {
        return -1;
    }
    if (img->bss_end_addr > end && mb_load_zeros(b, end, img->bss_end_addr - end, errp) < 0) {
        return -1;
    }
    img->end = MAX(end, (uint64_t)img->bss_end_addr);
    img->entry = img->entry_addr;
    return 0;
}

/* One PT_LOAD program header: offset, physical address, file and memory sizes. */
static int mb_load_segment(PCBoot *b, MBImage *img, const uint8_t *k, size_t len, uint64_t off,
                           uint64_t paddr, uint64_t filesz, uint64_t memsz, Error **errp)
{
    if (off > len || filesz > len - off || filesz > memsz) {
        error_setg(errp, "ELF program header points outside the file");
        return -1;
    }
    if (paddr >= (1ull << 32) || memsz > (1ull << 32) - paddr) {
        error_setg(errp, "ELF segment at 0x%llx is not below 4 GiB", (unsigned long long)paddr);
        return -1;
    }
    if (pc_boot_add_blob(b, paddr, k + off, filesz, errp) < 0 ||
        mb_load_zeros(b, paddr + filesz, memsz - filesz, errp) < 0) {
        return -1;
    }
    img->end = MAX(img->end, paddr + memsz);
    return 0;
}

static int mb_load_elf(PCBoot *b, MBImage *img, const uint8_t *k, size_t len, Error **errp)
{
    bool is64 = len > 4 && k[4] == 2;
    uint64_t phoff = is64 ? rd64(k + 32) : rd32(k + 28);
    unsigned phentsize = rd16(k + (is64 ? 54 : 42)), phnum = rd16(k + (is64 ? 56 : 44));

    if (len < 64 || memcmp(k, "\x7f" "ELF", 4) || k[5] != 1) {
        error_setg(errp, "the Multiboot kernel is neither ELF (little-endian) nor has address "
                   "fields");
        return -1;
    }
    if (phoff > len || (uint64_t)phentsize * phnum > len - phoff ||
        phentsize < (is64 ? 56u : 32u)) {
        error_setg(errp, "ELF program headers are outside the file");
        return -1;
    }
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = k + phoff + (uint64_t)i * phentsize;
        if (rd32(ph) != 1) {
            continue;                               /* PT_LOAD only */
        }
        int ret = is64 ? mb_load_segment(b, img, k, len, rd64(ph + 8), rd64(ph + 24),
                                         rd64(ph + 32), rd64(ph + 40), errp)
                       : mb_load_segment(b, img, k, len, rd32(ph + 4), rd32(ph + 12),
                                         rd32(ph + 16), rd32(ph + 20), errp);
        if (ret < 0) {
            return -1;
        }
    }
    img->entry = is64 ? rd64(k + 24) : rd32(k + 24);
    if (img->entry >= (1ull << 32)) {
        error_setg(errp, "ELF entry point 0x%llx is not below 4 GiB",
                   (unsigned long long)img->entry);
        return -1;
    }
    return 0;
}

/* ---- the boot information ------------------------------------------------------------------- */

typedef struct Info {
    uint8_t *buf;               /* INFO_MAX bytes, placed at INFO_ADDR */
    uint32_t len;
} Info;

static uint32_t info_alloc(Info *in, uint32_t n, uint32_t align, Error **errp)
{
    uint32_t at = ROUND_UP(in->len, align);

    if (at + n > INFO_MAX) {
        error_setg(errp, "the Multiboot information is larger than %u KiB", INFO_MAX >> 10);
        return 0;
    }
    in->len = at + n;
    return at;
}

static void wr(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        p[i] = v >> (8 * i);
    }
}

static uint32_t info_string(Info *in, const char *s, Error **errp)
{
    uint32_t n = strlen(s) + 1, at = info_alloc(in, n, 1, errp);

    if (at) {
        memcpy(in->buf + at, s, n);
    }
    return at;
}

typedef struct MBModule {
    uint32_t start, end;
    char *string;
} MBModule;

/* -initrd "file args,file2": each module page-aligned after the kernel. */
static int mb_load_modules(PCBoot *b, const char *spec, uint64_t *next, MBModule *mods,
                           int *nr, Error **errp)
{
    char *copy = xstrdup(spec), *save = NULL;

    *nr = 0;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char file[4096];
        size_t len;
        uint8_t *data;
        sscanf(item, "%4095s", file);
        if (*nr == 16 || !(data = load_file(file, MODULE_MAX, &len, errp))) {
            if (*nr == 16) {
                error_setg(errp, "-initrd: at most 16 Multiboot modules");
            }
            free(copy);
            return -1;
        }
        *next = ROUND_UP(*next, 4096);
        mods[*nr] = (MBModule){ *next, *next + len, xstrdup(item) };
        int ret = pc_boot_add_blob(b, *next, data, len, errp);
        free(data);
        *next += len;
        (*nr)++;
        if (ret < 0) {
            free(copy);
            return -1;
        }
    }
    free(copy);
    return 0;
}

static uint64_t mem_upper_kb(PCBoot *b)
{
    for (int i = 0; i < b->nr_e820; i++) {
        if (b->e820[i].addr == 0x100000) {
            return b->e820[i].len >> 10;
        }
    }
    return 0;
}

static int mb1_info(PCBoot *b, Info *in, const char *cmdline, MBModule *mods, int nr,
                    Error **errp)
{
    uint32_t mi = info_alloc(in, 116, 4, errp), cmd, name, mmap, modtab;
    uint8_t *p;

    if (!mi || !(cmd = info_string(in, cmdline, errp)) ||
        !(name = info_string(in, LOADER_NAME, errp)) ||
        !(mmap = info_alloc(in, 24 * b->nr_e820, 4, errp)) ||
        !(modtab = info_alloc(in, 16 * nr + 1, 4, errp))) {
        return -1;
    }
    p = in->buf + mi;
    wr(p, 1 | 4 | 8 | 64 | 512, 4);                 /* mem, cmdline, mods, mmap, name */
    wr(p + 4, 640, 4);
    wr(p + 8, mem_upper_kb(b), 4);
    wr(p + 16, INFO_ADDR + cmd, 4);
    wr(p + 20, nr, 4);
    wr(p + 24, INFO_ADDR + modtab, 4);
    wr(p + 44, 24 * b->nr_e820, 4);
    wr(p + 48, INFO_ADDR + mmap, 4);
    wr(p + 64, INFO_ADDR + name, 4);
    for (int i = 0; i < b->nr_e820; i++) {
        uint8_t *e = in->buf + mmap + 24 * i;
        wr(e, 20, 4);
        wr(e + 4, b->e820[i].addr, 8);
        wr(e + 12, b->e820[i].len, 8);
        wr(e + 20, b->e820[i].type, 4);
    }
    for (int i = 0; i < nr; i++) {
        uint32_t s = info_string(in, mods[i].string, errp);
        if (!s) {
            return -1;
        }
        wr(in->buf + modtab + 16 * i, mods[i].start, 4);
        wr(in->buf + modtab + 16 * i + 4, mods[i].end, 4);
        wr(in->buf + modtab + 16 * i + 8, INFO_ADDR + s, 4);
    }
    b->eax = MB1_BOOT_MAGIC;
    b->ebx = INFO_ADDR + mi;
    return 0;
}

/* An MB2 tag of size bytes (header included), 8-aligned; returns its offset or 0. */
static uint32_t mb2_tag(Info *in, uint32_t type, uint32_t size, Error **errp)
{
    uint32_t at = info_alloc(in, size, 8, errp);

    if (at) {
        wr(in->buf + at, type, 4);
        wr(in->buf + at + 4, size, 4);
    }
    return at;
}

static int mb2_string_tag(Info *in, uint32_t type, const char *s, Error **errp)
{
    uint32_t n = strlen(s) + 1, at = mb2_tag(in, type, 8 + n, errp);

    if (at) {
        memcpy(in->buf + at + 8, s, n);
    }
    return at ? 0 : -1;
}

static int mb2_info(PCBoot *b, Info *in, const char *cmdline, MBModule *mods, int nr,
                    Error **errp)
{
    uint32_t start = info_alloc(in, 8, 8, errp), at;

    if (!start || mb2_string_tag(in, 1, cmdline, errp) || mb2_string_tag(in, 2, LOADER_NAME, errp)) {
        return -1;
    }
    for (int i = 0; i < nr; i++) {
        uint32_t n = strlen(mods[i].string) + 1;
        if (!(at = mb2_tag(in, 3, 16 + n, errp))) {
            return -1;
        }
        wr(in->buf + at + 8, mods[i].start, 4);
        wr(in->buf + at + 12, mods[i].end, 4);
        memcpy(in->buf + at + 16, mods[i].string, n);
    }
    if (!(at = mb2_tag(in, 4, 16, errp))) {
        return -1;
    }
    wr(in->buf + at + 8, 640, 4);
    wr(in->buf + at + 12, mem_upper_kb(b), 4);
    if (!(at = mb2_tag(in, 6, 16 + 24 * b->nr_e820, errp))) {
        return -1;
    }
    wr(in->buf + at + 8, 24, 4);
    for (int i = 0; i < b->nr_e820; i++) {
        uint8_t *e = in->buf + at + 16 + 24 * i;
        wr(e, b->e820[i].addr, 8);
        wr(e + 8, b->e820[i].len, 8);
        wr(e + 16, b->e820[i].type, 4);
    }
    if (b->rsdp) {
        if (!(at = mb2_tag(in, 14, 8 + 20, errp))) {
            return -1;
        }
        memcpy(in->buf + at + 8, b->rsdp_bytes, 20);
        if (!(at = mb2_tag(in, 15, 8 + 36, errp))) {
            return -1;
        }
        memcpy(in->buf + at + 8, b->rsdp_bytes, 36);
    }
    if (!mb2_tag(in, 0, 8, errp)) {
        return -1;
    }
    wr(in->buf + start, in->len - start, 4);
    b->eax = MB2_BOOT_MAGIC;
    b->ebx = INFO_ADDR + start;
    return 0;
}

/* ---- headers ------------------------------------------------------------------------------ */

static int mb1_header(MBImage *img, const uint8_t *h, Error **errp)
{
    uint32_t flags = rd32(h + 4);

    if (flags & 4) {
        error_setg(errp, "the Multiboot kernel requires video mode information; this machine "
                   "has no framebuffer");
        return -1;
    }
    if (flags & 0xfff8) {
        error_setg(errp, "the Multiboot kernel requires features this loader lacks (flags "
                   "0x%x)", flags & 0xffff);
        return -1;
    }
    if (flags & 0x10000) {
        img->have_kludge = true;
        img->header_addr = rd32(h + 12);
        img->load_addr = rd32(h + 16);
        img->load_end_addr = rd32(h + 20);
        img->bss_end_addr = rd32(h + 24);
        img->entry_addr = rd32(h + 28);
    }
    return 0;
}

static bool mb2_provides(uint32_t type)
{
    return type == 1 || type == 2 || type == 3 || type == 4 || type == 6 || type == 14 ||
           type == 15;
}

static int mb2_tag_check(MBImage *img, const uint8_t *t, uint32_t size, Error **errp)
{
    uint16_t type = rd16(t), optional = rd16(t + 2) & 1;

    switch (type) {
    case 1:
        for (uint32_t o = 8; o + 4 <= size; o += 4) {
            if (!optional && !mb2_provides(rd32(t + o))) {
                error_setg(errp, "the Multiboot2 kernel requires information tag %u, which "
                           "this loader does not provide", rd32(t + o));
                return -1;
            }
        }
        return 0;
    case 2:
        img->have_kludge = size >= 24;
        img->header_addr = rd32(t + 8);
        img->load_addr = rd32(t + 12);
        img->load_end_addr = rd32(t + 16);
        img->bss_end_addr = rd32(t + 20);
        return 0;
    case 3:
        img->have_entry = size >= 12;
        img->entry_addr = rd32(t + 8);
        return 0;
    case 5:
        if (!optional) {
            error_setg(errp, "the Multiboot2 kernel requires a framebuffer; this machine has "
                       "none");
            return -1;
        }
        return 0;
    case 4: case 6: case 7: case 8: case 9: case 10:
        return 0;                   /* console flags, alignment, EFI, relocation: not needed */
    default:
        if (!optional) {
            error_setg(errp, "the Multiboot2 kernel requires header tag %u, unknown here", type);
            return -1;
        }
        return 0;
    }
}

static int mb2_header(MBImage *img, const uint8_t *h, size_t avail, Error **errp)
{
    uint32_t hlen = rd32(h + 8);

    if (rd32(h + 4) != 0) {
        error_setg(errp, "the Multiboot2 header is for architecture %u, not i386", rd32(h + 4));
        return -1;
    }
    if (hlen < 16 || hlen > avail) {
        error_setg(errp, "the Multiboot2 header length %u is out of the file", hlen);
        return -1;
    }
    for (uint32_t off = 16; off + 8 <= hlen;) {
        uint32_t size = rd32(h + off + 4);
        if (rd16(h + off) == 0) {
            break;
        }
        if (size < 8 || size > hlen - off || mb2_tag_check(img, h + off, size, errp) < 0) {
            if (size < 8 || size > hlen - off) {
                error_setg(errp, "a Multiboot2 header tag runs out of the header");
            }
            return -1;
        }
        off += ROUND_UP(size, 8);
    }
    return 0;
}

int pc_multiboot_load(PCBoot *b, int version, const char *path, const uint8_t *k, size_t len,
                      const char *initrd, const char *append, Error **errp)
{
    long hdr = mb_find(k, len, version);
    MBImage img = { 0 };
    MBModule mods[16];
    int nr = 0, ret;
    Info in = { xzalloc(INFO_MAX), 8 };
    char *cmdline = xasprintf("%s%s%s", path, append ? " " : "", append ? append : "");

    ret = version == 2 ? mb2_header(&img, k + hdr, len - hdr, errp) : mb1_header(&img, k + hdr, errp);
    if (!ret) {
        ret = img.have_kludge ? mb_load_kludge(b, &img, k, len, hdr, errp)
                              : mb_load_elf(b, &img, k, len, errp);
    }
    if (!ret && img.have_entry) {
        img.entry = img.entry_addr;
    }
    uint64_t next = img.end;
    if (!ret && initrd) {
        ret = mb_load_modules(b, initrd, &next, mods, &nr, errp);
    }
    if (!ret) {
        ret = version == 2 ? mb2_info(b, &in, cmdline, mods, nr, errp)
                           : mb1_info(b, &in, cmdline, mods, nr, errp);
    }
    if (!ret) {
        ret = pc_boot_add_blob(b, INFO_ADDR, in.buf, in.len, errp);
    }
    if (!ret) {
        ret = pc_boot_add_gdt(b, errp);
    }
    if (ret < 0) {
        error_prepend(errp, "-kernel %s: ", path);
    }
    for (int i = 0; i < nr; i++) {
        free(mods[i].string);
    }
    free(in.buf);
    free(cmdline);
    b->eip = img.entry;
    return ret;
}
