/* Unit tests of the pc machine without running a CPU: memory map (RAM split, SeaBIOS at
 * the top of 4 GiB and below 1 MiB, PAM), CMOS memory sizes and boot order, fw_cfg e820,
 * the PIC reaching the CPU's INTR and the acknowledge path, info pci, -bios errors. */
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

static Machine *create(uint64_t ram, const char *bios, const char *boot, Error **errp)
{
    MachineConfig c = {
        .ram_size = ram, .smp_cpus = 1, .arch = "x86_64", .bios = bios, .boot_order = boot,
    };
    return machine_create(machine_class_find("x86_64", "pc"), &c, errp);
}

static int setup(void **state)
{
    Error *err = NULL;

    if (access(SEABIOS, R_OK) != 0) {
        return 0;
    }
    machine = create(5ull << 30, NULL, "order=dc", &err);
    if (!machine) {
        fprintf(stderr, "%s\n", error_get_message(err));
        error_free(err);
    }
    return machine ? 0 : -1;
}

static int teardown(void **state)
{
    if (machine) {
        pc_machine_destroy(machine);
        machine = NULL;
    }
    return 0;
}

#define NEED_SEABIOS() do { if (!machine) { skip(); } } while (0)

static uint64_t rd(uint64_t addr, unsigned size)
{
    uint64_t v = 0;
    address_space_load(&machine->as_memory, addr, size, &v);
    return v;
}

static uint8_t cmos(uint8_t reg)
{
    uint64_t v = 0;
    address_space_store(&machine->as_io, 0x70, 1, reg);
    address_space_load(&machine->as_io, 0x71, 1, &v);
    return v;
}

static void test_memory_map(void **state)
{
    uint8_t reset_vector[16];
    FILE *f;

    NEED_SEABIOS();
    f = fopen(SEABIOS, "rb");
    fseek(f, -16, SEEK_END);
    assert_int_equal(fread(reset_vector, 1, 16, f), 16);
    fclose(f);
    assert_int_equal(rd(0xfffffff0, 1), reset_vector[0]);
    assert_int_equal(rd(0xffff0, 1), reset_vector[0]);     /* legacy alias */
    address_space_store(&machine->as_memory, 0x1000, 4, 0x12345678);
    assert_int_equal(rd(0x1000, 4), 0x12345678);
    address_space_store(&machine->as_memory, 0x100000000ull, 4, 0xcafe);   /* above 4G */
    assert_int_equal(rd(0x100000000ull, 4), 0xcafe);
    assert_int_equal(rd(0xd0000000, 4), 0xffffffff);       /* PCI hole */
    /* PAM: SeaBIOS's shadowing of 0xf0000 */
    address_space_store(&machine->as_io, 0xcf8, 4, 0x80000058);
    address_space_store(&machine->as_io, 0xcfd, 1, 0x30);
    assert_int_equal(rd(0xffff0, 1), 0);
}

static void test_cmos(void **state)
{
    NEED_SEABIOS();
    /* 5 GiB: 3 GiB below 4G, 2 GiB above */
    assert_int_equal(cmos(0x34) | (cmos(0x35) << 8), 0xbf00);
    assert_int_equal(cmos(0x5b) | (cmos(0x5c) << 8) | (cmos(0x5d) << 16), 0x8000);
    assert_int_equal(cmos(0x15) | (cmos(0x16) << 8), 640);
    assert_int_equal(cmos(0x3d), 0x23);     /* order=dc */
    assert_int_equal(cmos(0x5f), 0);
}

static void test_fw_cfg(void **state)
{
    PCMachineState *pcms = machine ? machine->board : NULL;
    const FWCfgEntry *e;

    NEED_SEABIOS();
    e = fw_cfg_find_file(pcms->fw_cfg, "etc/e820");
    assert_non_null(e);
    assert_int_equal(e->len, 40);
    assert_int_equal(e->data[8 + 3], 0xc0);            /* length 0xc0000000 */
    assert_int_equal(e->data[20 + 4], 1);              /* at 4 GiB */
    assert_int_equal(e->data[28 + 3], 0x80);           /* 2 GiB */
}

static void test_pic_to_cpu(void **state)
{
    PCMachineState *pcms = machine ? machine->board : NULL;
    CPUState *cpu;
    static const uint8_t init[] = { 0x11, 0x08, 0x04, 0x01 };

    NEED_SEABIOS();
    cpu = cpu_by_index(0);
    assert_non_null(cpu);
    for (int i = 0; i < 4; i++) {
        address_space_store(&machine->as_io, i ? 0x21 : 0x20, 1, init[i]);
    }
    address_space_store(&machine->as_io, 0x21, 1, 0x00);
    assert_false(atomic_load(&cpu->interrupt_request) & CPU_INTERRUPT_HARD);
    irq_raise(isa_get_irq(4));
    assert_true(atomic_load(&cpu->interrupt_request) & CPU_INTERRUPT_HARD);
    assert_int_equal(x86_cpu(cpu)->intc->ack(cpu), 0x0c);
    assert_false(atomic_load(&cpu->interrupt_request) & CPU_INTERRUPT_HARD);
    assert_int_equal(x86_cpu(cpu)->intc->ack(cpu), -1);
    (void)pcms;
}

/* FERR# from the x87 raises IRQ 13 (PIC input 13 -> vector 0x75 here) until port F0h. */
static void test_ferr_irq13(void **state)
{
    static const uint8_t master[] = { 0x11, 0x08, 0x04, 0x01 }, slave[] = { 0x11, 0x70, 0x02, 0x01 };
    CPUState *cpu;

    NEED_SEABIOS();
    cpu = cpu_by_index(0);
    for (int i = 0; i < 4; i++) {
        address_space_store(&machine->as_io, i ? 0x21 : 0x20, 1, master[i]);
        address_space_store(&machine->as_io, i ? 0xa1 : 0xa0, 1, slave[i]);
    }
    address_space_store(&machine->as_io, 0x21, 1, 0xfb);      /* only the cascade */
    address_space_store(&machine->as_io, 0xa1, 1, 0xdf);      /* only IRQ 13 */
    assert_non_null(x86_cpu(cpu)->intc->ferr);
    x86_cpu(cpu)->intc->ferr(cpu);
    assert_true(atomic_load(&cpu->interrupt_request) & CPU_INTERRUPT_HARD);
    assert_int_equal(x86_cpu(cpu)->intc->ack(cpu), 0x75);
    address_space_store(&machine->as_io, 0xa0, 1, 0x20);      /* EOI: still latched */
    address_space_store(&machine->as_io, 0x20, 1, 0x20);
    address_space_store(&machine->as_io, 0xf0, 1, 0);         /* clear the latch */
    assert_false(atomic_load(&cpu->interrupt_request) & CPU_INTERRUPT_HARD);
    assert_int_equal(x86_cpu(cpu)->intc->ack(cpu), -1);
    x86_cpu(cpu)->intc->ferr(cpu);                            /* the next FERR# */
    assert_int_equal(x86_cpu(cpu)->intc->ack(cpu), 0x75);
}

static void test_info_pci(void **state)
{
    PCMachineState *pcms = machine ? machine->board : NULL;
    char buf[2048] = "";
    FILE *f;

    NEED_SEABIOS();
    f = fmemopen(buf, sizeof(buf), "w");
    pci_print_info(pcms->pci_host->bus, f);
    fclose(f);
    assert_non_null(strstr(buf, "Host bridge: PCI device 8086:1237"));
    assert_non_null(strstr(buf, "device   1, function 0:\n    ISA bridge: PCI device 8086:7000"));
    assert_non_null(strstr(buf, "device   1, function 3:\n    Bridge: PCI device 8086:7113"));
}

static void test_powerdown_and_acpi(void **state)
{
    uint64_t v = 0;

    NEED_SEABIOS();
    address_space_store(&machine->as_io, 0x602, 2, 0x100);    /* PWRBTN_EN */
    machine->cls->powerdown(machine);
    address_space_load(&machine->as_io, 0x600, 2, &v);
    assert_int_equal(v & 0x100, 0x100);
    assert_non_null(fw_cfg_find_file(((PCMachineState *)machine->board)->fw_cfg,
                                     "etc/table-loader"));
    address_space_load(&machine->as_memory, 0xfed00000, 4, &v);    /* HPET */
    assert_int_equal(v, 0x8086a201);
    address_space_load(&machine->as_memory, 0xfee00030, 4, &v);    /* LAPIC version */
    assert_int_equal(v, 0x00050014);
}

static void test_bios_errors(void **state)
{
    Error *err = NULL;
    Machine *m = create(64 << 20, "/nonexistent/bios.bin", NULL, &err);

    assert_null(m);
    assert_non_null(strstr(error_get_message(err), "could not find the PC BIOS "
                                                   "'/nonexistent/bios.bin'"));
    error_free(err);
    err = NULL;
    m = create(64 << 20, "/etc/hostname", NULL, &err);  /* not a multiple of 64 KiB */
    assert_null(m);
    assert_non_null(strstr(error_get_message(err), "is not a multiple of 64 KiB"));
    error_free(err);
    qdev_destroy_all();
}

static void test_boot_order_error(void **state)
{
    Error *err = NULL;
    Machine *m;

    NEED_SEABIOS();
    pc_machine_destroy(machine);
    machine = NULL;
    m = create(64 << 20, NULL, "order=cxz", &err);
    assert_null(m);
    assert_non_null(strstr(error_get_message(err), "invalid boot device 'x'"));
    error_free(err);
    qdev_destroy_all();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    /* link target-i386/cpu.c: its constructor registers the CPU models */
    assert_non_null(x86_cpu_qemu64_class.model);
    const struct CMUnitTest tests[] = {
        T(test_memory_map), T(test_cmos), T(test_fw_cfg), T(test_pic_to_cpu), T(test_ferr_irq13), T(test_info_pci), T(test_powerdown_and_acpi),
        cmocka_unit_test(test_bios_errors), T(test_boot_order_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
