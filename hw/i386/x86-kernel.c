/* Bare-metal kernels for the x86-test machine (-kernel FILE): an ELF32 or ELF64 image for
 * EM_386 / EM_X86_64 (System V ABI, ELF header and program header layouts) whose PT_LOAD
 * segments are copied to their physical addresses (p_paddr) with the bss zeroed, or any
 * other file as a flat binary at 1 MiB. Every offset and size is checked against the
 * file, and every segment must land in RAM or ROM. */
#include <stdlib.h>
#include <string.h>
#include "hw/i386/x86-kernel.h"
#include "hw/loader.h"
#include "util/cutils.h"

#define MAX_KERNEL_SIZE (256u << 20)

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

typedef struct ElfInfo {
    bool is64;
    uint64_t entry, phoff;
    unsigned phentsize, phnum;
} ElfInfo;

static bool parse_header(const uint8_t *b, size_t len, ElfInfo *e)
{
    if (len < 52 || memcmp(b, "\177ELF", 4) != 0 || b[5] != 1) {
        return false;
    }
    e->is64 = b[4] == 2;
    unsigned machine = (unsigned)rd(b + 18, 2);
    if ((b[4] != 1 && b[4] != 2) || (machine != 3 && machine != 62) || (e->is64 && len < 64)) {
        return false;
    }
    e->entry = e->is64 ? rd(b + 24, 8) : rd(b + 24, 4);
    e->phoff = e->is64 ? rd(b + 32, 8) : rd(b + 28, 4);
    e->phentsize = (unsigned)rd(b + (e->is64 ? 54 : 42), 2);
    e->phnum = (unsigned)rd(b + (e->is64 ? 56 : 44), 2);
    return true;
}

static int load_segment(AddressSpace *as, const uint8_t *b, size_t len, const uint8_t *ph,
                        bool is64, Error **errp)
{
    uint64_t off = is64 ? rd(ph + 8, 8) : rd(ph + 4, 4);
    uint64_t paddr = is64 ? rd(ph + 24, 8) : rd(ph + 12, 4);
    uint64_t filesz = is64 ? rd(ph + 32, 8) : rd(ph + 16, 4);
    uint64_t memsz = is64 ? rd(ph + 40, 8) : rd(ph + 20, 4);
    if (off > len || filesz > len - off || filesz > memsz || memsz > MAX_KERNEL_SIZE) {
        error_setg(errp, "segment at file offset %#llx does not fit the file",
                   (unsigned long long)off);
        return -1;
    }
    uint8_t *data = xzalloc(memsz ? memsz : 1);
    memcpy(data, b + off, filesz);
    int ret = address_space_write_rom(as, paddr, data, memsz);
    free(data);
    if (ret < 0) {
        error_setg(errp, "segment at %#llx..%#llx is not in RAM", (unsigned long long)paddr,
                   (unsigned long long)(paddr + memsz));
    }
    return ret;
}

static int load_elf(AddressSpace *as, const uint8_t *b, size_t len, const ElfInfo *e,
                    Error **errp)
{
    unsigned want = e->is64 ? 56 : 32;
    if (e->phentsize < want || e->phoff > len || e->phnum > (len - e->phoff) / e->phentsize) {
        error_setg(errp, "program headers outside the file");
        return -1;
    }
    for (unsigned i = 0; i < e->phnum; i++) {
        const uint8_t *ph = b + e->phoff + (uint64_t)i * e->phentsize;
        if (rd(ph, 4) == 1 && load_segment(as, b, len, ph, e->is64, errp) < 0) {
            return -1;
        }
    }
    return 0;
}

int x86_load_kernel(AddressSpace *as, const char *path, uint64_t *entry, Error **errp)
{
    size_t len = 0;
    uint8_t *b = load_file(path, MAX_KERNEL_SIZE, &len, errp);
    ElfInfo e;
    int ret;
    if (!b) {
        return -1;
    }
    if (parse_header(b, len, &e)) {
        ret = load_elf(as, b, len, &e, errp);
        *entry = e.entry;
        if (ret == 0 && e.entry > 0xffffffffu) {
            error_setg(errp, "entry point %#llx is above 4 GiB (the CPU starts in 32-bit mode)",
                       (unsigned long long)e.entry);
            ret = -1;
        }
    } else {
        ret = address_space_write_rom(as, X86_FLAT_KERNEL_ADDR, b, len);
        *entry = X86_FLAT_KERNEL_ADDR;
        if (ret < 0) {
            error_setg(errp, "%zu bytes at 1 MiB do not fit in RAM", len);
        }
    }
    free(b);
    if (ret < 0) {
        error_prepend(errp, "-kernel %s: ", path);
    }
    return ret;
}
