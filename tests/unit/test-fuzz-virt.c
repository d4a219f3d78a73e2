/* Random guest accesses to every device of the ARM virt board, without a CPU: the two
 * flash banks (CFI command sequences with any value), the GIC distributor and CPU
 * interface, PL011, PL031, fw_cfg (including its DMA register, so DMA from wild
 * addresses) and the virtio-mmio window, with timers running in between. The emulator must
 * neither crash nor trip the sanitizers (make check SANITIZE=1). The seed is printed;
 * MIMIC_FUZZ_SEED and MIMIC_FUZZ_ROUNDS repeat or lengthen a run. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include "hw/arm/virt.h"
#include "system/binary-info.h"
#include "system/timer.h"
#include "target-arm/cpu.h"
#include "fuzz-util.h"

const BinaryInfo binary_info = { .name = "test-fuzz-virt", .arch = "arm", .word_bits = 32 };

static void test_fuzz_virt(void **state)
{
    MachineConfig c = { .arch = "arm", .ram_size = 64u << 20, .smp_cpus = 2 };
    Error *err = NULL;
    Machine *m = machine_create(&virt_machine_class, &c, &err);
    if (!m) {
        fail_msg("%s", error_get_message(err));
    }
    Fuzzer fz;
    fuzz_init(&fz, "test-fuzz-virt", &m->as_memory, NULL);
    fz.wild_size = VIRT_RAM_BASE;                /* below RAM: devices and holes */
    fuzz_add_range(&fz, VIRT_FLASH_BASE, 2 * VIRT_FLASH_BANK_SIZE, false);
    fuzz_add_range(&fz, VIRT_GIC_DIST_BASE, 0x1000, false);
    fuzz_add_range(&fz, VIRT_GIC_DIST_BASE, 0x1000, false);     /* twice: many registers */
    fuzz_add_range(&fz, VIRT_GIC_CPU_BASE, 0x2000, false);
    fuzz_add_range(&fz, VIRT_UART_BASE, 0x1000, false);
    fuzz_add_range(&fz, VIRT_RTC_BASE, 0x1000, false);
    fuzz_add_range(&fz, VIRT_FW_CFG_BASE, 0x18, false);
    fuzz_add_range(&fz, VIRT_FW_CFG_BASE, 0x18, false);
    fuzz_add_range(&fz, 0x0a000000u, 0x4000, false);            /* virtio-mmio transports */
    int64_t now = 0;
    uint64_t rounds = fuzz_rounds(200);
    for (uint64_t round = 0; round < rounds; round++) {
        for (int i = 0; i < 500; i++) {
            fuzz_one_access(&fz);
        }
        now += 1000000;
        clock_virtual_set_for_test(now);
        timers_run_expired();
    }
    machine_destroy(m);
    qdev_destroy_all();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz_virt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
