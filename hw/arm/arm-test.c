/* -M arm-test: a minimal machine for the ARM CPU's guest tests (tests/guest/arm), not for
 * users. RAM at 0 (-m, default 64 MiB) holding the raw -kernel image, which starts at 0 in
 * SVC mode (ARM state, or Thumb if the image's first word is the marker 0x54485542 "BUHT":
 * then the entry is 4 | 1). A result device at 0x0a000000: a 32-bit write to +0 prints
 * "ARM-TEST EXIT <value>" and powers off, a write to +4 prints one character to stdout.
 * The CPU's physical generic timer output is wired straight to its IRQ input, the virtual
 * timer's to FIQ (no interrupt controller). Neither semihosting nor other devices. */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include "system/machine.h"
#include "system/runstate.h"
#include "target-arm/cpu.h"
#include "util/cutils.h"

#define ARM_TEST_DEV_BASE 0x0a000000u
#define ARM_TEST_THUMB_MARK 0x54485542u

typedef struct ArmTestBoard {
    MemoryRegion dev;
    uint32_t entry;
    IRQ timer_irq[2];
} ArmTestBoard;

static uint64_t arm_test_dev_read(void *opaque, hwaddr offset, unsigned size)
{
    return 0;
}

static void arm_test_dev_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    if (offset == 0) {
        printf("ARM-TEST EXIT %u\n", (unsigned)value);
        fflush(stdout);
        system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    } else if (offset == 4) {
        putchar((int)(value & 0xff));
        fflush(stdout);
    }
}

static const MemoryRegionOps arm_test_dev_ops = {
    .read = arm_test_dev_read, .write = arm_test_dev_write, .valid_min = 1, .valid_max = 4,
};

static int arm_test_load(Machine *machine, ArmTestBoard *b, Error **errp)
{
    const char *path = machine->config.kernel;
    if (!path) {
        error_setg(errp, "-M arm-test needs -kernel (a raw binary loaded at 0)");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        error_setg_errno(errp, errno, "-kernel %s", path);
        return -1;
    }
    size_t cap = machine->config.ram_size, n;
    uint8_t *buf = xzalloc(cap ? cap : 1);
    n = fread(buf, 1, cap, f);
    bool too_big = !feof(f) && fgetc(f) != EOF;
    fclose(f);
    if (too_big) {
        free(buf);
        error_setg(errp, "-kernel %s: larger than RAM", path);
        return -1;
    }
    uint8_t *ram = memory_region_get_ram_ptr(machine->ram);
    memcpy(ram, buf, n);
    uint32_t first = n >= 4 ? (uint32_t)buf[0] | buf[1] << 8 | buf[2] << 16 | (uint32_t)buf[3] << 24 : 0;
    b->entry = first == ARM_TEST_THUMB_MARK ? 5 : 0;
    free(buf);
    return 0;
}

static void arm_test_reset(Machine *machine)
{
    ArmTestBoard *b = machine->board;
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        if (cpu->machine == machine) {
            arm_cpu_set_entry(arm_cpu(cpu), b->entry, 0, 0, 0);
        }
    }
}

static int arm_test_init(Machine *machine, Error **errp)
{
    ArmTestBoard *b = xzalloc(sizeof(*b));
    machine->board = b;
    if (!machine->ram) {
        error_setg(errp, "-M arm-test needs RAM");
        return -1;
    }
    if (arm_test_load(machine, b, errp) < 0) {
        return -1;
    }
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        if (cpu->machine == machine) {
            ARMCPU *a = arm_cpu(cpu);
            b->timer_irq[0] = irq_new(arm_cpu_irq_handler, a, ARM_IRQ_LINE);
            b->timer_irq[1] = irq_new(arm_cpu_irq_handler, a, ARM_FIQ_LINE);
            a->gt_timer_out[ARM_GT_PHYS] = b->timer_irq[0];
            a->gt_timer_out[ARM_GT_VIRT] = b->timer_irq[1];
        }
    }
    memory_region_init_io(&b->dev, &arm_test_dev_ops, b, "arm-test-result", 0x1000);
    memory_region_add_subregion(machine->system_memory, ARM_TEST_DEV_BASE, &b->dev, 0);
    arm_test_reset(machine);
    return 0;
}

static const MachineClass arm_test_machine = {
    .name = "arm-test",
    .description = "ARM CPU test machine (RAM + a result device; tests only)",
    .arch = "arm",
    .default_ram_size = 64 << 20,
    .max_ram_size = 1ull << 30,
    .max_cpus = 1,
    .default_cpu_model = "cortex-a15",
    .no_serial = true,
    .init = arm_test_init,
    .reset = arm_test_reset,
};

static void __attribute__((constructor)) arm_test_register(void)
{
    machine_class_register(&arm_test_machine);
}
