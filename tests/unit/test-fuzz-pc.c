/* Random guest accesses to every device of the pc machine, without a CPU: port I/O over
 * the whole 64 KiB space (biased towards the ports devices decode), the MMIO windows of
 * the IOAPIC, HPET and LAPIC, and the BARs of every PCI function, which the test first
 * assigns and enables as firmware would (an AHCI controller and disks on it and on the
 * PIIX3 IDE are added). Timers run in between, so devices act on what
 * they were told (DMA from wild addresses, IRQs, resets requested). The emulator must
 * neither crash nor trip the sanitizers (make check SANITIZE=1): a guest can write any
 * value anywhere. The seed is printed; MIMIC_FUZZ_SEED and MIMIC_FUZZ_ROUNDS repeat or
 * lengthen a run. */
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
#include "hw/display/vga-pci.h"
#include "hw/ide/ahci.h"
#include "system/timer.h"
#include "target-i386/cpu.h"
#include "fuzz-util.h"

#define SEABIOS "/usr/share/seabios/bios-256k.bin"
#define IO_BAR_BASE 0xc000u
#define MEM_BAR_BASE 0xe0000000u

static Fuzzer fz;

static uint32_t pci_cfg_read(Machine *m, int devfn, int reg)
{
    uint64_t v = 0;
    address_space_store(&m->as_io, 0xcf8, 4, 0x80000000u | (devfn << 8) | (reg & 0xfc));
    address_space_load(&m->as_io, 0xcfc, 4, &v);
    return (uint32_t)v;
}

static void pci_cfg_write(Machine *m, int devfn, int reg, uint32_t v)
{
    address_space_store(&m->as_io, 0xcf8, 4, 0x80000000u | (devfn << 8) | (reg & 0xfc));
    address_space_store(&m->as_io, 0xcfc, 4, v);
}

/* Sizes and places one BAR as firmware does; returns how many BAR slots it used. */
static int assign_bar(Machine *m, int devfn, int bar, uint64_t *io_next, uint64_t *mem_next)
{
    int reg = 0x10 + 4 * bar;
    uint32_t old = pci_cfg_read(m, devfn, reg);
    pci_cfg_write(m, devfn, reg, 0xffffffffu);
    uint32_t mask = pci_cfg_read(m, devfn, reg);
    pci_cfg_write(m, devfn, reg, old);
    if (!mask) {
        return 1;
    }
    bool io = mask & 1;
    uint64_t size = io ? (uint32_t)(~(mask & ~3u) + 1) & 0xffff : (uint32_t)(~(mask & ~15u) + 1);
    if (!size) {
        return 1;
    }
    uint64_t *next = io ? io_next : mem_next;
    uint64_t addr = (*next + size - 1) & ~(size - 1);
    *next = addr + size;
    pci_cfg_write(m, devfn, reg, (uint32_t)addr | (mask & (io ? 1 : 15)));
    fuzz_add_range(&fz, addr, size > 0x10000 ? 0x10000 : size, io);
    return !io && ((mask >> 1) & 3) == 2 ? 2 : 1;     /* a 64-bit BAR takes two */
}

/* Enumerates bus 0, places the BARs, enables I/O, memory and bus mastering. */
static void assign_pci(Machine *m)
{
    uint64_t io_next = IO_BAR_BASE, mem_next = MEM_BAR_BASE;
    for (int devfn = 0; devfn < 256; devfn++) {
        uint32_t id = pci_cfg_read(m, devfn, 0);
        if (id == 0xffffffffu || !id) {
            continue;
        }
        int header = (pci_cfg_read(m, devfn, 0x0c) >> 16) & 0x7f;
        for (int bar = 0; header == 0 && bar < 6;) {
            bar += assign_bar(m, devfn, bar, &io_next, &mem_next);
        }
        pci_cfg_write(m, devfn, 0x04, pci_cfg_read(m, devfn, 0x04) | 7);
    }
}

static void add_fixed_ranges(void)
{
    static const uint16_t ports[] = {
        0x20, 0x40, 0x60, 0x70, 0x80, 0x92, 0xa0, 0xb2, 0x170, 0x1f0, 0x376, 0x3b0, 0x3c0,
        0x3d0, 0x3f0, 0x2f8, 0x3f8, 0x402, 0x4d0, 0x510, 0x600, 0x700, 0xcf8, 0xcf9, 0xe9,
        0x00, 0xc0, 0xd0,               /* ISA DMA */
    };
    for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
        fuzz_add_range(&fz, ports[i], 0x10, true);
    }
    fuzz_add_range(&fz, 0xfec00000, 0x100, false);     /* IOAPIC */
    fuzz_add_range(&fz, 0xfed00000, 0x400, false);     /* HPET */
    fuzz_add_range(&fz, 0xfee00000, 0x1000, false);    /* LAPIC */
    fuzz_add_range(&fz, 0xa0000, 0x20000, false);      /* legacy VGA window */
}

/* A scratch disk image (unlinked at once) for the disk controllers to work on. */
static BlockDriverState *scratch_disk(uint64_t size)
{
    char path[] = "/tmp/test-fuzz-pc-XXXXXX";
    int fd = mkstemp(path);
    BlockOpenOptions o = { .format = "raw" };
    BlockDriverState *bs;

    assert_true(fd >= 0 && ftruncate(fd, size) == 0);
    close(fd);
    bs = block_open(path, &o, NULL);
    unlink(path);
    assert_non_null(bs);
    return bs;
}

/* Disks and CD drives on the PIIX3 IDE and on an AHCI controller (created here: the
 * board has one only with -device ahci), so that commands reach the data paths. */
static void add_disks(Machine *m, BlockDriverState *bs[4])
{
    PCMachineState *pcms = m->board;
    AHCIState *ahci = ahci_create(pcms->pci_host->bus->qbus, PCI_DEVFN(5, 0), &m->as_memory,
                                  NULL);

    assert_non_null(ahci);
    for (int i = 0; i < 4; i++) {
        bs[i] = scratch_disk(i & 1 ? 8 << 20 : 4 << 20);
    }
    assert_int_equal(ide_attach(&pcms->ide->bus[0], 0, IDE_HD, bs[0], false, NULL), 0);
    assert_int_equal(ide_attach(&pcms->ide->bus[1], 0, IDE_CD, bs[1], true, NULL), 0);
    assert_int_equal(ide_attach(&ahci->ports[0].bus, 0, IDE_HD, bs[2], false, NULL), 0);
    assert_int_equal(ide_attach(&ahci->ports[1].bus, 0, IDE_CD, bs[3], true, NULL), 0);
}

static void test_fuzz_pc(void **state)
{
    BlockDriverState *disks[4];

    if (access(SEABIOS, R_OK) != 0) {
        skip();
    }
    MachineConfig c = { .ram_size = 64 << 20, .smp_cpus = 1, .arch = "x86_64" };
    Error *err = NULL;
    Machine *m = machine_create(machine_class_find("x86_64", "pc"), &c, &err);
    if (!m) {
        fail_msg("%s", error_get_message(err));
    }
    fuzz_init(&fz, "test-fuzz-pc", &m->as_memory, &m->as_io);
    fz.wild_base = 0xc0000000u;
    fz.wild_size = 0x40000000u;
    add_fixed_ranges();
    add_disks(m, disks);
    /* the VGA exists only with -vga std (vl.c): created here so its registers, VBE
     * and framebuffer BARs are fuzzed too */
    assert_non_null(vga_pci_create(((PCMachineState *)m->board)->pci_host->bus->qbus,
                                   PCI_DEVFN(2, 0), NULL));
    int fixed = fz.nr_ranges;
    assign_pci(m);
    fprintf(stderr, "test-fuzz-pc: %d ranges, %d of them PCI BARs\n", fz.nr_ranges,
            fz.nr_ranges - fixed);
    int64_t now = 0;
    uint64_t rounds = fuzz_rounds(200);
    for (uint64_t round = 0; round < rounds; round++) {
        for (int i = 0; i < 500; i++) {
            fuzz_one_access(&fz);
        }
        now += 1000000;                         /* 1 ms of guest time per round */
        clock_virtual_set_for_test(now);
        timers_run_expired();
    }
    pc_machine_destroy(m);
    qdev_destroy_all();
    for (int i = 0; i < 4; i++) {
        block_close(disks[i]);
    }
}

int main(void)
{
    /* link target-i386/cpu.c: its constructor registers the CPU models */
    assert_non_null(x86_cpu_qemu64_class.model);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz_pc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
