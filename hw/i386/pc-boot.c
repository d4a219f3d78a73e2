/* Direct boot (-kernel) for the pc machine: no firmware runs. The loader (Linux boot
 * protocol or Multiboot) lists blobs to copy into RAM and a 32-bit flat protected-mode
 * entry for CPU 0; this file detects the kind of kernel, keeps the blobs, builds the
 * e820 map and re-applies everything at each system reset. */
#include <stdlib.h>
#include <string.h>
#include "hw/i386/pc.h"
#include "hw/loader.h"
#include "target-i386/cpu.h"
#include "util/cutils.h"

#define KERNEL_MAX (512u << 20)
#define SEG_CODE32 0x00cf9b00u      /* type 0xb, S, P, D/B, G: as x86_cpu_load_seg_cache wants */
#define SEG_DATA32 0x00cf9300u

int pc_boot_add_blob(PCBoot *b, uint64_t addr, const void *data, size_t len, Error **errp)
{
    PCBootBlob *blob;

    if (b->nr_blobs == PC_BOOT_MAX_BLOBS) {
        error_setg(errp, "too many pieces to load (at most %d)", PC_BOOT_MAX_BLOBS);
        return -1;
    }
    if (addr > b->ram_below_4g || len > b->ram_below_4g - addr) {
        error_setg(errp, "%zu bytes at 0x%llx do not fit in the %llu MiB of RAM below 4 GiB",
                   len, (unsigned long long)addr, (unsigned long long)(b->ram_below_4g >> 20));
        return -1;
    }
    for (int i = 0; i < b->nr_blobs; i++) {
        const PCBootBlob *o = &b->blobs[i];
        if (len && o->len && addr < o->addr + o->len && o->addr < addr + len) {
            error_setg(errp, "%zu bytes at 0x%llx overlap what is already loaded at 0x%llx "
                       "(%zu bytes)", len, (unsigned long long)addr, (unsigned long long)o->addr,
                       o->len);
            return -1;
        }
    }
    blob = &b->blobs[b->nr_blobs++];
    blob->addr = addr;
    blob->len = len;
    blob->data = xmalloc(len ? len : 1);
    memcpy(blob->data, data, len);
    return 0;
}

int pc_boot_add_gdt(PCBoot *b, Error **errp)
{
    static const uint64_t gdt[4] = { 0, 0, 0x00cf9a000000ffffull, 0x00cf92000000ffffull };
    uint8_t bytes[32];

    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 8; j++) {
            bytes[8 * i + j] = gdt[i] >> (8 * j);
        }
    }
    b->gdt_base = PC_BOOT_GDT;
    return pc_boot_add_blob(b, PC_BOOT_GDT, bytes, sizeof(bytes), errp);
}

static void e820_add(PCBoot *b, uint64_t addr, uint64_t len, uint32_t type)
{
    if (len && b->nr_e820 < PC_E820_MAX) {
        b->e820[b->nr_e820++] = (PCE820Entry){ addr, len, type };
    }
}

void pc_boot_build_e820(PCBoot *b)
{
    uint64_t top = b->acpi_size ? b->acpi_base : b->ram_below_4g;

    b->nr_e820 = 0;
    e820_add(b, 0, 0x9fc00, E820_RAM);
    e820_add(b, 0x9fc00, 0x400, E820_RESERVED);     /* EBDA */
    e820_add(b, 0xe0000, 0x20000, E820_RESERVED);   /* BIOS area */
    if (top > 0x100000) {
        e820_add(b, 0x100000, top - 0x100000, E820_RAM);
    }
    e820_add(b, b->acpi_base, b->acpi_size, E820_ACPI);
    e820_add(b, 1ull << 32, b->ram_above_4g, E820_RAM);
}

void pc_boot_free(PCBoot *b)
{
    for (int i = 0; i < b->nr_blobs; i++) {
        free(b->blobs[i].data);
    }
    b->nr_blobs = 0;
}

/* What a file that is no kernel we know looks like, for the error message. */
static const char *describe(const uint8_t *k, size_t len)
{
    if (len >= 4 && !memcmp(k, "\x7f" "ELF", 4)) {
        return len > 4 && k[4] == 2 ? "an ELF64 file without a Multiboot header"
                                    : "an ELF32 file without a Multiboot header";
    }
    if (len >= 2 && k[0] == 0x1f && k[1] == 0x8b) {
        return "gzip-compressed data (give the kernel itself, not a compressed file)";
    }
    if (len >= 2 && k[0] == 'M' && k[1] == 'Z') {
        return "a PE/EFI executable without a Linux boot header";
    }
    if (len >= 4 && !memcmp(k, "070701", 4)) {
        return "a cpio archive (an initrd? use -initrd)";
    }
    return "not a Linux bzImage, a Multiboot kernel or an ELF file";
}

int pc_boot_load_kernel(PCMachineState *pcms, Error **errp)
{
    const MachineConfig *c = &pcms->machine->config;
    PCBoot *b = &pcms->boot;
    size_t len;
    uint8_t *k = load_file(c->kernel, KERNEL_MAX, &len, errp);
    int mb, ret;

    if (!k) {
        return -1;
    }
    b->ram_below_4g = pcms->below_4g;
    b->ram_above_4g = pcms->above_4g;
    b->acpi_size = 0x20000;
    b->acpi_base = (pcms->below_4g - b->acpi_size) & ~0xfffull;
    pc_boot_build_e820(b);
    if (pc_acpi_install(pcms, b, errp) < 0) {
        free(k);
        return -1;
    }
    mb = pc_multiboot_probe(k, len);
    if (mb) {
        ret = pc_multiboot_load(b, mb, c->kernel, k, len, c->initrd, c->append, errp);
    } else if (pc_linux_probe(k, len)) {
        ret = pc_linux_load(b, c->kernel, k, len, c->initrd, c->append, errp);
    } else {
        error_setg(errp, "-kernel %s: %s", c->kernel, describe(k, len));
        ret = -1;
    }
    free(k);
    b->active = ret == 0;
    return ret;
}

void pc_boot_apply(PCMachineState *pcms)
{
    PCBoot *b = &pcms->boot;
    CPUState *cpu = cpu_by_index(0);
    X86CPU *x;

    if (!b->active || !cpu) {
        return;
    }
    for (int i = 0; i < b->nr_blobs; i++) {
        address_space_write_rom(&pcms->machine->as_memory, b->blobs[i].addr, b->blobs[i].data,
                                b->blobs[i].len);
    }
    x = x86_cpu(cpu);
    x->cr[0] = X86_CR0_PE | X86_CR0_ET;
    x86_cpu_load_seg_cache(x, R_CS, 0x10, 0, 0xffffffff, SEG_CODE32);
    for (int seg = 0; seg < X86_NR_SEGS; seg++) {
        if (seg != R_CS) {
            x86_cpu_load_seg_cache(x, seg, 0x18, 0, 0xffffffff, SEG_DATA32);
        }
    }
    memset(x->regs, 0, sizeof(x->regs));
    x->regs[R_EAX] = b->eax;
    x->regs[R_EBX] = b->ebx;
    x->regs[R_ESI] = b->esi;
    x->rip = b->eip;
    x->gdtr.base = b->gdt_base;
    x->gdtr.limit = b->gdt_base ? 4 * 8 - 1 : 0;
    x86_update_hflags(x);
}
