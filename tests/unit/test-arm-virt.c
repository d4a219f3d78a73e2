/* Unit tests for -M virt (hw/arm/virt*.c): the generated device tree read back with libfdt
 * (and checked by dtc when installed), the memory map seen through the machine's address
 * space, the boot registers of CPU 0 and the powered-off secondaries, PSCI calls through the
 * CPU's HVC hook, -dtb and -bios, and the errors for bad options. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config-host.h"
#include "hw/arm/virt.h"
#include "system/binary-info.h"
#include "target-arm/cpu.h"
#include "util/cutils.h"
#include "block-test-util.h"
#ifdef CONFIG_FDT
#include <libfdt.h>
#endif

const BinaryInfo binary_info = { .name = "test-arm-virt", .arch = "arm", .word_bits = 32 };

static char *kernel_path, *initrd_path;

static int setup(void **state)
{
    block_test_tmpdir_create("mimic-virt");
    uint8_t image[256];
    memset(image, 0xe3, sizeof(image));         /* a raw Image: loaded at RAM + 0x8000 */
    kernel_path = block_test_write_file("Image", image, sizeof(image));
    initrd_path = block_test_write_file("initrd", "070701-initrd", 13);
    return 0;
}

static int teardown(void **state)
{
    free(kernel_path);
    free(initrd_path);
    return block_test_tmpdir_remove(0);
}

static Machine *make_virt(MachineConfig c, Error **errp)
{
    c.arch = "arm";
    c.ram_size = c.ram_size ? c.ram_size : 128u << 20;
    c.smp_cpus = c.smp_cpus ? c.smp_cpus : 1;
    return machine_create(&virt_machine_class, &c, errp);
}

static Machine *make_linux_virt(int cpus)
{
    MachineConfig c = { .smp_cpus = cpus, .kernel = kernel_path, .initrd = initrd_path,
                        .append = "console=ttyAMA0 rdinit=/bin/sh" };
    Error *err = NULL;
    Machine *m = make_virt(c, &err);
    if (!m) {
        fail_msg("%s", error_get_message(err));
    }
    return m;
}

static void destroy(Machine *m)
{
    machine_destroy(m);
    qdev_destroy_all();
}

static uint32_t reg(CPUState *cpu, const char *name)
{
    uint64_t v = 0;
    assert_int_equal(cpu_get_register_by_name(cpu, name, &v), 0);
    return (uint32_t)v;
}

#ifdef CONFIG_FDT
static const uint32_t *prop_cells(const void *fdt, const char *path, const char *name, int n)
{
    int node = fdt_path_offset(fdt, path), len = 0;
    assert_true(node >= 0);
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
    assert_non_null(p);
    assert_int_equal(len, n * 4);
    static uint32_t cells[16];
    for (int i = 0; i < n; i++) {
        cells[i] = fdt32_to_cpu(p[i]);
    }
    return cells;
}

static const char *prop_str(const void *fdt, const char *path, const char *name)
{
    int node = fdt_path_offset(fdt, path);
    assert_true(node >= 0);
    const char *s = fdt_getprop(fdt, node, name, NULL);
    assert_non_null(s);
    return s;
}

static void test_fdt_describes_the_board(void **state)
{
    Machine *m = make_linux_virt(2);
    VirtBoard *vb = m->board;
    void *fdt = vb->fdt;

    assert_int_equal(fdt_check_header(fdt), 0);
    assert_int_equal(fdt_totalsize(fdt), vb->fdt_size);
    assert_string_equal(prop_str(fdt, "/", "compatible"), "linux,dummy-virt");
    const uint32_t *mem = prop_cells(fdt, "/memory@40000000", "reg", 4);
    assert_int_equal(mem[1], 0x40000000);
    assert_int_equal(mem[3], 128u << 20);
    for (int c = 0; c < 2; c++) {
        char path[32];
        snprintf(path, sizeof(path), "/cpus/cpu@%d", c);
        assert_int_equal(prop_cells(fdt, path, "reg", 1)[0], c);
        assert_string_equal(prop_str(fdt, path, "enable-method"), "psci");
        assert_string_equal(prop_str(fdt, path, "compatible"), "arm,cortex-a15");
    }
    assert_true(fdt_path_offset(fdt, "/cpus/cpu@2") < 0);
    const uint32_t *gic = prop_cells(fdt, "/intc@8000000", "reg", 8);
    assert_int_equal(gic[1], 0x08000000);
    assert_int_equal(gic[5], 0x08010000);
    uint32_t phandle = prop_cells(fdt, "/intc@8000000", "phandle", 1)[0];
    assert_int_equal(prop_cells(fdt, "/", "interrupt-parent", 1)[0], phandle);
    const uint32_t *timer = prop_cells(fdt, "/timer", "interrupts", 12);
    assert_int_equal(timer[0], 1);                  /* PPI */
    assert_int_equal(timer[1], 13);
    assert_int_equal(timer[2], 0x304);              /* CPUs 0-1, level high */
    assert_int_equal(timer[4], 14);
    assert_int_equal(timer[7], 11);
    assert_int_equal(timer[10], 10);
    const uint32_t *uart = prop_cells(fdt, "/pl011@9000000", "interrupts", 3);
    assert_int_equal(uart[0], 0);
    assert_int_equal(uart[1], 1);
    assert_int_equal(prop_cells(fdt, "/pl031@9010000", "interrupts", 3)[1], 2);
    assert_string_equal(prop_str(fdt, "/psci", "method"), "hvc");
    assert_string_equal(prop_str(fdt, "/psci", "compatible"), "arm,psci-1.0");
    assert_int_equal(prop_cells(fdt, "/psci", "cpu_on", 1)[0], 0x84000003);
    assert_string_equal(prop_str(fdt, "/chosen", "bootargs"), "console=ttyAMA0 rdinit=/bin/sh");
    assert_string_equal(prop_str(fdt, "/chosen", "stdout-path"), "/pl011@9000000");
    assert_int_equal(prop_cells(fdt, "/chosen", "linux,initrd-start", 1)[0],
                     vb->boot.initrd.addr);
    assert_int_equal(prop_cells(fdt, "/chosen", "linux,initrd-end", 1)[0],
                     vb->boot.initrd.addr + 13);
    assert_int_equal(prop_cells(fdt, "/flash@0", "bank-width", 1)[0], 4);
    assert_string_equal(prop_str(fdt, "/fw-cfg@9020000", "compatible"), "qemu,fw-cfg-mmio");
    assert_int_equal(prop_cells(fdt, "/fw-cfg@9020000", "reg", 4)[3], 0x18);
    /* 32 virtio-mmio transports (edge-triggered SPIs 16..47) listed from the lowest
     * address, as QEMU's; no PCIe */
    const uint32_t *v0 = prop_cells(fdt, "/virtio_mmio@a000000", "interrupts", 3);
    assert_int_equal(v0[1], 16);
    assert_int_equal(v0[2], 1);
    assert_int_equal(prop_cells(fdt, "/virtio_mmio@a003e00", "interrupts", 3)[1], 47);
    assert_int_equal(prop_cells(fdt, "/virtio_mmio@a003e00", "reg", 4)[1], 0x0a003e00);
    assert_string_equal(prop_str(fdt, "/virtio_mmio@a000200", "compatible"), "virtio,mmio");
    assert_true(fdt_path_offset(fdt, "/virtio_mmio@a004000") < 0);
    assert_true(fdt_path_offset(fdt, "/virtio_mmio@a000000") <
                fdt_path_offset(fdt, "/virtio_mmio@a000200"));
    assert_true(fdt_path_offset(fdt, "/pcie@10000000") < 0);

    if (system("command -v dtc >/dev/null 2>&1") == 0) {
        char *path = block_test_write_file("virt.dtb", fdt, vb->fdt_size);
        char *cmd = xasprintf("dtc -q -I dtb -O dts -o /dev/null '%s'", path);
        assert_int_equal(system(cmd), 0);
        free(cmd);
        free(path);
    }
    destroy(m);
}

static void test_dtb_override(void **state)
{
    uint8_t tree[1024];
    assert_int_equal(fdt_create_empty_tree(tree, sizeof(tree)), 0);
    assert_int_equal(fdt_setprop_string(tree, 0, "model", "user tree"), 0);
    char *path = block_test_write_file("user.dtb", tree, fdt_totalsize(tree));
    MachineConfig c = { .kernel = kernel_path, .dtb = path, .append = "quiet" };
    Machine *m = make_virt(c, NULL);
    assert_non_null(m);
    VirtBoard *vb = m->board;
    assert_string_equal(prop_str(vb->fdt, "/", "model"), "user tree");
    assert_string_equal(prop_str(vb->fdt, "/chosen", "bootargs"), "quiet");
    assert_true(fdt_path_offset(vb->fdt, "/pl011@9000000") < 0);
    destroy(m);
    free(path);
}
#endif

static void test_boot_registers_and_memory(void **state)
{
    Machine *m = make_linux_virt(2);
    VirtBoard *vb = m->board;
    CPUState *cpu0 = cpu_by_index(0), *cpu1 = cpu_by_index(1);
    uint64_t v;

    assert_int_equal(reg(cpu0, "r0"), 0);
    assert_int_equal(reg(cpu0, "r1"), 0xffffffff);
    assert_int_equal(reg(cpu0, "r2"), vb->boot.dtb_addr);
    assert_int_equal(reg(cpu0, "pc"), 0x40008000);
    assert_int_equal(reg(cpu0, "cpsr") & 0x1ff, 0x1d3);     /* SVC, A/I/F masked, ARM */
    assert_true(arm_cpu(cpu1)->powered_off);
    assert_true(cpu1->halted);
    assert_false(arm_cpu(cpu0)->powered_off);
    /* kernel, initrd and device tree in RAM */
    address_space_load(&m->as_memory, 0x40008000, 4, &v);
    assert_int_equal(v, 0xe3e3e3e3);
    uint8_t buf[13];
    address_space_read(&m->as_memory, vb->boot.initrd.addr, buf, 13);
    assert_memory_equal(buf, "070701-initrd", 13);
    address_space_load(&m->as_memory, vb->boot.dtb_addr, 4, &v);
    assert_int_equal(v, 0xedfe0dd0);                /* 0xd00dfeed big-endian */
    /* devices at QEMU's addresses */
    address_space_load(&m->as_memory, 0x09000fe0, 4, &v);
    assert_int_equal(v, 0x11);                      /* PL011 */
    address_space_load(&m->as_memory, 0x09010fe0, 4, &v);
    assert_int_equal(v, 0x31);                      /* PL031 */
    address_space_load(&m->as_memory, 0x08000004, 4, &v);
    assert_int_equal(v, (288 / 32 - 1) | (1 << 5)); /* GICD_TYPER: 288 IRQs, 2 CPUs */
    address_space_load(&m->as_memory, 0x08010000 + GICC_IIDR, 4, &v);
    assert_int_equal(v, 0x0202043b);
    /* fw_cfg: big-endian selector, data in stream order, DMA signature "QEMU CFG" */
    address_space_store(&m->as_memory, 0x09020008, 2, 0x0000);            /* signature */
    uint8_t sig[4];
    address_space_read(&m->as_memory, 0x09020000, sig, 4);
    assert_memory_equal(sig, "QEMU", 4);
    address_space_store(&m->as_memory, 0x09020008, 2, 0x0500);            /* NB_CPUS, BE */
    address_space_load(&m->as_memory, 0x09020000, 2, &v);
    assert_int_equal(v, 2);                         /* bytes 02 00 in stream order */
    address_space_read(&m->as_memory, 0x09020010, sig, 4);
    assert_memory_equal(sig, "QEMU", 4);
    /* flash: erased, and a plain store is a (here unknown) command, not data */
    address_space_store(&m->as_memory, 0x100, 4, 0x12345678);
    address_space_load(&m->as_memory, 0x100, 4, &v);
    assert_int_equal(v, 0xffffffff);
    address_space_store(&m->as_memory, 0x04000000 + 0x55 * 4, 4, 0x98);   /* CFI query */
    address_space_load(&m->as_memory, 0x04000000 + 0x10 * 4, 4, &v);
    assert_int_equal(v, 'Q');
    address_space_store(&m->as_memory, 0x04000000, 4, 0xff);
    /* RAM ends at 1 GiB + 128 MiB */
    assert_int_equal(address_space_load(&m->as_memory, 0x48000000, 4, &v), MEMTX_DECODE_ERROR);
    /* system_reset reloads and re-enters */
    address_space_store(&m->as_memory, 0x40008000, 4, 0);
    cpu_set_register_by_name(cpu0, "pc", 0x1234);
    machine_reset(m);
    address_space_load(&m->as_memory, 0x40008000, 4, &v);
    assert_int_equal(v, 0xe3e3e3e3);
    assert_int_equal(reg(cpu0, "pc"), 0x40008000);
    assert_true(arm_cpu(cpu1)->powered_off);
    destroy(m);
}

/* The GIC's CPU outputs and the timer outputs reach the CPU. */
static void test_interrupt_wiring(void **state)
{
    Machine *m = make_linux_virt(2);
    VirtBoard *vb = m->board;
    CPUState *cpu1 = cpu_by_index(1);
    AddressSpace *as = &m->as_memory;

    address_space_store(as, 0x08000000 + GICD_CTLR, 4, 1);
    arm_gic_cpu_write(vb->gic, 1, GICC_CTLR, 1);
    arm_gic_cpu_write(vb->gic, 1, GICC_PMR, 0xf0);
    arm_gic_dist_write(vb->gic, 1, GICD_ISENABLER, 1u << 27, 4);     /* virtual timer */
    assert_non_null(arm_cpu(cpu1)->gt_timer_out[ARM_GT_VIRT]);
    irq_raise(arm_cpu(cpu1)->gt_timer_out[ARM_GT_VIRT]);
    assert_true(atomic_load(&cpu1->interrupt_request) & CPU_INTERRUPT_HARD);
    assert_int_equal(arm_gic_cpu_read(vb->gic, 1, GICC_IAR), 27);
    assert_false(atomic_load(&cpu1->interrupt_request) & CPU_INTERRUPT_HARD);
    irq_lower(arm_cpu(cpu1)->gt_timer_out[ARM_GT_VIRT]);
    arm_gic_cpu_write(vb->gic, 1, GICC_EOIR, 27);
    /* the UART's line is SPI 1 (ID 33) */
    arm_gic_dist_write(vb->gic, 0, GICD_ISENABLER + 4, 1u << 1, 4);
    arm_gic_dist_write(vb->gic, 0, GICD_ITARGETSR + 33, 2, 1);
    address_space_store(as, 0x09000000 + PL011_IMSC, 4, PL011_INT_TX);
    address_space_store(as, 0x09000000 + PL011_DR, 4, 'x');
    assert_true(atomic_load(&cpu1->interrupt_request) & CPU_INTERRUPT_HARD);
    /* the virtio-mmio transports answer (version 2) with no device behind them */
    uint64_t v;
    address_space_load(as, 0x0a000000, 4, &v);
    assert_int_equal(v, 0x74726976);
    address_space_load(as, 0x0a003e04, 4, &v);
    assert_int_equal(v, 2);
    address_space_load(as, 0x0a003e08, 4, &v);
    assert_int_equal(v, 0);
    destroy(m);
}

static int32_t psci(CPUState *cpu, uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
    ARMCPU *a = arm_cpu(cpu);
    a->regs[0] = fn;
    a->regs[1] = a1;
    a->regs[2] = a2;
    a->regs[3] = a3;
    assert_non_null(a->smc_hvc_hook);
    assert_true(a->smc_hvc_hook(a, false, a->smc_hvc_opaque));
    return (int32_t)a->regs[0];
}

static void test_psci(void **state)
{
    Machine *m = make_linux_virt(2);
    CPUState *cpu0 = cpu_by_index(0), *cpu1 = cpu_by_index(1);

    assert_int_equal(psci(cpu0, PSCI_VERSION, 0, 0, 0), 0x10000);
    assert_int_equal(psci(cpu0, PSCI_FEATURES, PSCI_CPU_ON, 0, 0), 0);
    assert_int_equal(psci(cpu0, PSCI_FEATURES, 0x80000000, 0, 0), PSCI_RET_NOT_SUPPORTED);
    assert_int_equal(psci(cpu0, 0x84000012, 0, 0, 0), PSCI_RET_NOT_SUPPORTED);
    assert_int_equal(psci(cpu0, PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
    assert_int_equal(psci(cpu0, PSCI_AFFINITY_INFO, 1, 0, 0), 1);           /* off */
    assert_int_equal(psci(cpu0, PSCI_AFFINITY_INFO, 0, 0, 0), 0);           /* on */
    assert_int_equal(psci(cpu0, PSCI_AFFINITY_INFO, 1, 1, 0), PSCI_RET_INVALID_PARAMS);
    assert_int_equal(psci(cpu0, PSCI_CPU_ON, 7, 0x40001000, 0), PSCI_RET_INVALID_PARAMS);
    assert_int_equal(psci(cpu0, PSCI_CPU_ON, 1, 0x40001001, 0x1234), PSCI_RET_SUCCESS);
    assert_false(arm_cpu(cpu1)->powered_off);
    assert_false(cpu1->halted);
    assert_int_equal(reg(cpu1, "r0"), 0x1234);
    assert_int_equal(reg(cpu1, "pc"), 0x40001000);
    assert_true(reg(cpu1, "cpsr") & ARM_CPSR_T);    /* entry bit 0: Thumb */
    assert_int_equal(reg(cpu1, "cpsr") & 0x1f, ARM_MODE_SVC);
    assert_int_equal(psci(cpu0, PSCI_AFFINITY_INFO, 1, 0, 0), 0);
    assert_int_equal(psci(cpu0, PSCI_CPU_ON, 1, 0x40001000, 0), PSCI_RET_ALREADY_ON);
    assert_int_equal(psci(cpu0, PSCI_CPU_ON, 0x80000001, 0x40001000, 0), PSCI_RET_ALREADY_ON);
    /* CPU_OFF from outside a vCPU thread only marks the CPU off */
    assert_int_equal(psci(cpu1, PSCI_CPU_OFF, 0, 0, 0), PSCI_RET_SUCCESS);
    assert_true(arm_cpu(cpu1)->powered_off);
    destroy(m);
}

static void expect_error(MachineConfig c, const char *message)
{
    Error *err = NULL;
    Machine *m = make_virt(c, &err);
    assert_null(m);
    assert_non_null(err);
    if (!strstr(error_get_message(err), message)) {
        fail_msg("'%s' does not say '%s'", error_get_message(err), message);
    }
    error_free(err);
    qdev_destroy_all();
}

static void test_bad_options(void **state)
{
    expect_error((MachineConfig){ .machine_opts = "frob=1" }, "frob");
    expect_error((MachineConfig){ .kernel = "/nonexistent" }, "-kernel: could not open '/nonexistent'");
    expect_error((MachineConfig){ .initrd = initrd_path }, "-initrd: needs -kernel");
    expect_error((MachineConfig){ .kernel = kernel_path, .bios = kernel_path },
                 "cannot be combined with -bios");
    expect_error((MachineConfig){ .kernel = kernel_path, .dtb = initrd_path },
                 "not a valid flattened device tree");
    expect_error((MachineConfig){ .smp_cpus = 9 }, "-smp 9");
    expect_error((MachineConfig){ .bios = block_test_tmpdir() }, "not a regular file");
}

static void test_bios_in_flash(void **state)
{
    char *bios = block_test_write_file("u-boot.bin", "\x00\x00\xa0\xe1 firmware", 13);
    MachineConfig c = { .bios = bios };
    Machine *m = make_virt(c, NULL);
    assert_non_null(m);
    VirtBoard *vb = m->board;
    uint8_t buf[13];
    address_space_read(&m->as_memory, 0, buf, 13);
    assert_memory_equal(buf, "\x00\x00\xa0\xe1 firmware", 13);
    assert_int_equal(vb->boot.dtb_addr, 0x40000000);           /* firmware finds it there */
    uint64_t v;
    address_space_load(&m->as_memory, 0x40000000, 4, &v);
    assert_int_equal(v, 0xedfe0dd0);
    assert_int_equal(reg(cpu_by_index(0), "pc"), 0);
    destroy(m);
    free(bios);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#ifdef CONFIG_FDT
        cmocka_unit_test(test_fdt_describes_the_board),
        cmocka_unit_test(test_dtb_override),
#endif
        cmocka_unit_test(test_boot_registers_and_memory),
        cmocka_unit_test(test_interrupt_wiring),
        cmocka_unit_test(test_psci),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_bios_in_flash),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
