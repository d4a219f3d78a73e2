/* Unit tests of direct boot on the pc machine without running a CPU: a Linux bzImage
 * (zero page, command line, initrd, e820, ACPI RSDP, entry state), Multiboot 1 from ELF32
 * and from the a.out kludge, Multiboot 2 from ELF64 (modules with arguments, memory map,
 * ACPI tags), the ACPI tables laid out in RAM (checksums, RSDP -> XSDT -> FADT -> DSDT),
 * and the one-line refusals of other files and unmet requirements. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hw/i386/pc.h"
#include "target-i386/cpu.h"

#define SEABIOS "/usr/share/seabios/bios-256k.bin"

static Machine *machine;
static char dir[256];

static const char *tmpfile_with(const char *name, const void *data, size_t len)
{
    static char path[8][512];
    static int next;
    char *p = path[next++ % 8];
    FILE *f;

    snprintf(p, 512, "%s/%s", dir, name);
    f = fopen(p, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    return p;
}

static Machine *boot(const char *kernel, const char *initrd, const char *append, Error **errp)
{
    MachineConfig c = { .ram_size = 256 << 20, .smp_cpus = 2, .arch = "x86_64",
                        .kernel = kernel, .initrd = initrd, .append = append };
    return machine_create(machine_class_find("x86_64", "pc"), &c, errp);
}

static int setup(void **state)
{
    snprintf(dir, sizeof(dir), "%s/mimic-boot-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];

    if (machine) {
        pc_machine_destroy(machine);
        machine = NULL;
    }
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

#define NEED_SEABIOS() do { if (access(SEABIOS, R_OK)) { skip(); } } while (0)

static uint64_t rd(uint64_t addr, unsigned size)
{
    uint64_t v = 0;
    address_space_load(&machine->as_memory, addr, size, &v);
    return v;
}

static void rd_buf(uint64_t addr, void *buf, size_t len)
{
    address_space_read(&machine->as_memory, addr, buf, len);
}

static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = v >> (8 * i); }
static void put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put64(uint8_t *p, uint64_t v) { put32(p, v); put32(p + 4, v >> 32); }

/* ---- Linux ---------------------------------------------------------------------------- */

static size_t make_bzimage(uint8_t *k, uint16_t version, uint8_t loadflags)
{
    memset(k, 0, 8192);
    k[0x1f1] = 1;                           /* one setup sector after the boot sector */
    put16(k + 0x1fe, 0xaa55);
    k[0x201] = 0x66;                        /* header ends at 0x268 */
    memcpy(k + 0x202, "HdrS", 4);
    put16(k + 0x206, version);
    k[0x211] = loadflags;
    put32(k + 0x214, 0x100000);
    put32(k + 0x22c, 0x7fffffff);
    put32(k + 0x238, 255);                  /* cmdline_size */
    put32(k + 0x260, 0x10000);              /* init_size */
    for (int i = 1024; i < 8192; i++) {
        k[i] = i * 7;                        /* the protected-mode "kernel" */
    }
    return 8192;
}

static bool checksum_ok(uint64_t addr, uint32_t len)
{
    uint8_t buf[16384], sum = 0;

    assert_true(len <= sizeof(buf));
    rd_buf(addr, buf, len);
    for (uint32_t i = 0; i < len; i++) {
        sum += buf[i];
    }
    return sum == 0;
}

static void test_linux(void **state)
{
    static uint8_t k[8192];
    uint8_t initrd[10000], zp[4096], got[64];
    Error *err = NULL;
    X86CPU *x;

    NEED_SEABIOS();
    make_bzimage(k, 0x020f, 0x01);
    memset(initrd, 0x5a, sizeof(initrd));
    machine = boot(tmpfile_with("bzImage", k, sizeof(k)), tmpfile_with("initrd", initrd,
                   sizeof(initrd)), "console=ttyS0 quiet", &err);
    if (!machine) {
        fail_msg("%s", error_get_message(err));
    }
    assert_int_equal(rd(0x100000 + 10, 1), (uint8_t)((1024 + 10) * 7));
    rd_buf(0x7000, zp, sizeof(zp));
    assert_memory_equal(zp + 0x202, "HdrS", 4);
    assert_int_equal(zp[0x210], 0xff);
    uint32_t cmd = zp[0x228] | (zp[0x229] << 8) | (zp[0x22a] << 16);
    rd_buf(cmd, got, 20);
    assert_string_equal((char *)got, "console=ttyS0 quiet");
    uint32_t rdimg = zp[0x218] | (zp[0x219] << 8) | (zp[0x21a] << 16) | ((uint32_t)zp[0x21b] << 24);
    assert_int_equal(zp[0x21c] | (zp[0x21d] << 8), sizeof(initrd));
    assert_int_equal(rdimg & 0xfff, 0);
    assert_int_equal(rd(rdimg + 9999, 1), 0x5a);
    assert_true(zp[0x1e8] >= 4);            /* e820 entries */
    assert_int_equal(zp[0x2d0 + 16], 1);    /* first: RAM */
    /* ACPI: RSDP -> XSDT -> FADT -> DSDT, all checksummed */
    uint64_t rsdp = zp[0x70] | (zp[0x71] << 8) | ((uint64_t)zp[0x72] << 16) | ((uint64_t)zp[0x73] << 24);
    rd_buf(rsdp, got, 8);
    assert_memory_equal(got, "RSD PTR ", 8);
    assert_true(checksum_ok(rsdp, 20) && checksum_ok(rsdp, 36));
    uint64_t xsdt = rd(rsdp + 24, 8);
    assert_int_equal(rd(xsdt, 4), 0x54445358);          /* "XSDT" */
    assert_true(checksum_ok(xsdt, rd(xsdt + 4, 4)));
    uint64_t fadt = rd(xsdt + 36, 8);
    assert_int_equal(rd(fadt, 4), 0x50434146);          /* "FACP" */
    assert_true(checksum_ok(fadt, rd(fadt + 4, 4)));
    assert_int_equal(rd(fadt + 46, 2), 9);
    uint64_t dsdt = rd(fadt + 40, 4);
    assert_int_equal(rd(dsdt, 4), 0x54445344);          /* "DSDT" */
    assert_true(checksum_ok(dsdt, rd(dsdt + 4, 4)));
    uint64_t madt = rd(xsdt + 44, 8);
    assert_int_equal(rd(madt, 4), 0x43495041);          /* "APIC" */
    assert_true(checksum_ok(madt, rd(madt + 4, 4)));
    /* CPU 0 at the 32-bit entry */
    x = x86_cpu(cpu_by_index(0));
    assert_int_equal(x->rip, 0x100000);
    assert_int_equal(x->regs[R_ESI], 0x7000);
    assert_int_equal(x->segs[R_CS].selector, 0x10);
    assert_int_equal(x->segs[R_DS].selector, 0x18);
    assert_true(x->cr[0] & X86_CR0_PE);
    assert_int_equal(rd(x->gdtr.base + 0x10, 8), 0x00cf9a000000ffffull);
    assert_true(x86_cpu(cpu_by_index(1))->wait_for_sipi);
}

static void test_linux_errors(void **state)
{
    static uint8_t k[8192];
    Error *err = NULL;

    NEED_SEABIOS();
    make_bzimage(k, 0x0204, 0x01);
    assert_null(boot(tmpfile_with("old", k, sizeof(k)), NULL, NULL, &err));
    assert_non_null(strstr(error_get_message(err), "boot protocol 2.04 is too old"));
    error_free(err);
    err = NULL;
    make_bzimage(k, 0x020f, 0x01);
    assert_null(boot(tmpfile_with("k", k, sizeof(k)), "/nonexistent/initrd", NULL, &err));
    assert_non_null(strstr(error_get_message(err), "/nonexistent/initrd"));
    error_free(err);
    err = NULL;
    char longcmd[400];
    memset(longcmd, 'x', sizeof(longcmd) - 1);
    longcmd[399] = 0;
    assert_null(boot(tmpfile_with("k", k, sizeof(k)), NULL, longcmd, &err));
    assert_non_null(strstr(error_get_message(err), "the kernel takes at most 255"));
    error_free(err);
}

static void test_other_files(void **state)
{
    Error *err = NULL;
    uint8_t elf[64] = { 0x7f, 'E', 'L', 'F', 2, 1 };

    NEED_SEABIOS();
    assert_null(boot(tmpfile_with("text", "hello world\n", 12), NULL, NULL, &err));
    assert_non_null(strstr(error_get_message(err),
                           "text: not a Linux bzImage, a Multiboot kernel or an ELF file"));
    error_free(err);
    err = NULL;
    assert_null(boot(tmpfile_with("elf", elf, sizeof(elf)), NULL, NULL, &err));
    assert_non_null(strstr(error_get_message(err), "an ELF64 file without a Multiboot header"));
    error_free(err);
    err = NULL;
    assert_null(boot(tmpfile_with("gz", "\x1f\x8b\x08\x00", 4), NULL, NULL, &err));
    assert_non_null(strstr(error_get_message(err), "gzip-compressed"));
    error_free(err);
}

/* ---- Multiboot ----------------------------------------------------------------------------- */

/* An ELF (32 or 64) with one PT_LOAD of the file's bytes 0x1000.. at paddr, entry at paddr+entry_off. */
static size_t make_elf(uint8_t *f, bool is64, uint64_t paddr, uint32_t entry_off, size_t body)
{
    memset(f, 0, 0x1000);
    memcpy(f, "\x7f" "ELF", 4);
    f[4] = is64 ? 2 : 1;
    f[5] = 1;
    f[6] = 1;
    if (is64) {
        put16(f + 16, 2); put16(f + 18, 62); put64(f + 24, paddr + entry_off);
        put64(f + 32, 64); put16(f + 54, 56); put16(f + 56, 1);
        uint8_t *ph = f + 64;
        put32(ph, 1); put64(ph + 8, 0x1000); put64(ph + 16, paddr); put64(ph + 24, paddr);
        put64(ph + 32, body); put64(ph + 40, body + 0x2000);
    } else {
        put16(f + 16, 2); put16(f + 18, 3); put32(f + 24, paddr + entry_off);
        put32(f + 28, 52); put16(f + 42, 32); put16(f + 44, 1);
        uint8_t *ph = f + 52;
        put32(ph, 1); put32(ph + 4, 0x1000); put32(ph + 8, paddr); put32(ph + 12, paddr);
        put32(ph + 16, body); put32(ph + 20, body + 0x2000);
    }
    return 0x1000 + body;
}

static void mb1_header(uint8_t *h, uint32_t flags)
{
    put32(h, 0x1badb002);
    put32(h + 4, flags);
    put32(h + 8, -(0x1badb002 + flags));
}

static void test_multiboot1_elf32(void **state)
{
    static uint8_t f[0x2000];
    char initrd[600], name[64];
    Error *err = NULL;
    X86CPU *x;

    NEED_SEABIOS();
    size_t len = make_elf(f, false, 0x200000, 0x40, 0x1000);
    mb1_header(f + 0x1000, 0x3);
    const char *modA = tmpfile_with("modA", "AAAA", 4);
    const char *modB = tmpfile_with("modB", "BBBBBBBB", 8);
    snprintf(initrd, sizeof(initrd), "%s arg1 arg2,%s", modA, modB);
    const char *kernel = tmpfile_with("mb1", f, len);
    machine = boot(kernel, initrd, "verbose", &err);
    if (!machine) {
        fail_msg("%s", error_get_message(err));
    }
    x = x86_cpu(cpu_by_index(0));
    assert_int_equal(x->rip, 0x200040);
    assert_int_equal(x->regs[R_EAX], 0x2badb002);
    uint64_t mbi = x->regs[R_EBX];
    assert_int_equal(rd(mbi, 4) & 0x24d, 0x24d);    /* mem, cmdline, mods, mmap, name */
    assert_int_equal(rd(mbi + 4, 4), 640);
    assert_int_equal(rd(mbi + 20, 4), 2);           /* mods_count */
    uint64_t mods = rd(mbi + 24, 4);
    uint32_t a_start = rd(mods, 4);
    assert_int_equal(a_start & 0xfff, 0);
    assert_true(a_start >= 0x200000 + 0x3000);      /* after the kernel's BSS */
    assert_int_equal(rd(mods + 4, 4) - a_start, 4);
    assert_int_equal(rd(a_start, 4), 0x41414141);
    rd_buf(rd(mods + 8, 4), name, sizeof(name));
    assert_non_null(strstr(name, "modA arg1 arg2"));
    assert_int_equal(rd(rd(mods + 16, 4), 4), 0x42424242);
    rd_buf(rd(mbi + 16, 4), name, sizeof(name));
    assert_non_null(strstr(name, "mb1 verbose"));
    rd_buf(rd(mbi + 64, 4), name, 6);
    assert_string_equal(name, "Mimic");
    assert_int_equal(rd(mbi + 44, 4) % 24, 0);
    assert_int_equal(rd(rd(mbi + 48, 4), 4), 20);   /* mmap entry size field */
    assert_int_equal(rd(0x200000 + 0x1000 + 0x100, 1), 0);  /* BSS zeroed */
}

static void test_multiboot1_kludge_and_errors(void **state)
{
    static uint8_t f[0x3000];
    Error *err = NULL;

    NEED_SEABIOS();
    memset(f, 0x90, sizeof(f));
    mb1_header(f + 0x40, 0x10002);
    put32(f + 0x40 + 12, 0x300040);                 /* header_addr */
    put32(f + 0x40 + 16, 0x300000);                 /* load_addr */
    put32(f + 0x40 + 20, 0);                        /* to the end of the file */
    put32(f + 0x40 + 24, 0x308000);                 /* bss_end */
    put32(f + 0x40 + 28, 0x300100);                 /* entry */
    machine = boot(tmpfile_with("kludge", f, sizeof(f)), NULL, NULL, &err);
    if (!machine) {
        fail_msg("%s", error_get_message(err));
    }
    assert_int_equal(x86_cpu(cpu_by_index(0))->rip, 0x300100);
    assert_int_equal(rd(0x300000 + 0x2fff, 1), 0x90);
    pc_machine_destroy(machine);
    machine = NULL;
    mb1_header(f + 0x40, 0x4);                      /* video mode required */
    assert_null(boot(tmpfile_with("video", f, sizeof(f)), NULL, NULL, &err));
    assert_non_null(strstr(error_get_message(err), "no framebuffer"));
    error_free(err);
}

static void test_multiboot2_elf64(void **state)
{
    static uint8_t f[0x2000];
    Error *err = NULL;
    X86CPU *x;

    NEED_SEABIOS();
    size_t len = make_elf(f, true, 0x400000, 0x80, 0x1000);
    uint8_t *h = f + 0x1000;
    put32(h, 0xe85250d6);
    put32(h + 4, 0);
    put32(h + 8, 16 + 16 + 8);
    put32(h + 12, -(0xe85250d6 + 0 + 40));
    put16(h + 16, 1); put16(h + 18, 0); put32(h + 20, 12); put32(h + 24, 6);   /* mmap, required */
    put16(h + 32, 0); put32(h + 36, 8);
    const char *mod = tmpfile_with("m", "MODULE", 6);
    machine = boot(tmpfile_with("mb2", f, len), mod, "a=1", &err);
    if (!machine) {
        fail_msg("%s", error_get_message(err));
    }
    x = x86_cpu(cpu_by_index(0));
    assert_int_equal(x->rip, 0x400080);
    assert_int_equal(x->regs[R_EAX], 0x36d76289);
    uint64_t mbi = x->regs[R_EBX];
    assert_int_equal(mbi & 7, 0);
    uint32_t total = rd(mbi, 4), seen = 0;
    bool end = false;
    for (uint32_t off = 8; off < total; off = (off + rd(mbi + off + 4, 4) + 7) & ~7u) {
        uint32_t type = rd(mbi + off, 4);
        seen |= 1u << type;
        if (type == 3) {
            assert_int_equal(rd(rd(mbi + off + 8, 4), 4), 0x55444f4d);  /* "MODU" */
        }
        if (type == 15) {
            assert_int_equal(rd(mbi + off + 8, 4), 0x20445352);        /* "RSD " */
        }
        if (type == 0) {
            end = true;
            break;
        }
    }
    assert_true(end);
    assert_int_equal(seen & 0xc05f, 0xc05f);        /* 0,1,2,3,4,6,14,15 */
}

static void test_multiboot2_required_framebuffer(void **state)
{
    static uint8_t f[0x2000];
    Error *err = NULL;

    NEED_SEABIOS();
    size_t len = make_elf(f, false, 0x400000, 0, 0x1000);
    uint8_t *h = f + 0x1000;
    put32(h, 0xe85250d6);
    put32(h + 8, 16 + 24);
    put32(h + 12, -(0xe85250d6 + 40));
    put16(h + 16, 5); put16(h + 18, 0); put32(h + 20, 20);   /* framebuffer, required */
    put16(h + 40 - 8, 0); put32(h + 40 - 4, 8);
    assert_null(boot(tmpfile_with("fb", f, len), NULL, NULL, &err));
    assert_non_null(strstr(error_get_message(err), "requires a framebuffer"));
    error_free(err);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    assert_non_null(x86_cpu_qemu64_class.model);
    const struct CMUnitTest tests[] = {
        T(test_linux), T(test_linux_errors), T(test_other_files), T(test_multiboot1_elf32),
        T(test_multiboot1_kludge_and_errors), T(test_multiboot2_elf64),
        T(test_multiboot2_required_framebuffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
