/* Unit tests of the PIIX4 power management function: PM block at 0x600 from reset, PM
 * timer on the virtual clock, power button and timer overflow raising SCI (IRQ 9), S5
 * soft-off becoming a guest shutdown, ACPI enable through the APM port, relocating and
 * disabling the PM block through PCI configuration, SMM marked as already set up. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include "hw/acpi/piix4-pm.h"
#include "hw/isa/isa.h"
#include "hw/pci/i440fx.h"
#include "pc-test-util.h"
#include "system/runstate.h"

static MemoryRegion pci_mem;
static PIIX4PMState *pm;
static int shutdowns;

static void on_event(void *opaque, RunEvent event, ShutdownCause cause)
{
    if (event == RUN_EVENT_SHUTDOWN && cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN) {
        shutdowns++;
    }
}

static int setup(void **state)
{
    I440FXHost *host;

    pc_test_env_init(2 << 20);
    memory_region_init_container(&pci_mem, "pci", UINT64_MAX);
    isa_bus_set_irqs(pc_env.lines);
    host = i440fx_create(&pc_env.mem, &pc_env.ram, &pci_mem, &pc_env.io, NULL);
    pm = host ? piix4_pm_create(host->bus->qbus, PCI_DEVFN(1, 3), pc_env.lines[9], NULL) : NULL;
    runstate_add_listener(on_event, NULL);
    shutdowns = 0;
    return pm ? 0 : -1;
}

static int teardown(void **state)
{
    runstate_remove_listener(on_event, NULL);
    qdev_destroy_all();
    memory_region_destroy(&pci_mem);
    isa_bus_set_irqs(NULL);
    pc_test_env_fini();
    return 0;
}

static void cfg_write(int reg, unsigned size, uint32_t val)
{
    pci_cfg_out(PCI_DEVFN(1, 3), reg, size, val);
}

static uint32_t cfg_read(int reg, unsigned size)
{
    return pci_cfg_in(PCI_DEVFN(1, 3), reg, size);
}

static void test_ids_and_config(void **state)
{
    assert_int_equal(cfg_read(0, 4), 0x71138086);
    assert_int_equal(cfg_read(0x40, 4), 0x601);
    assert_int_equal(cfg_read(0x3c, 1), 9);
    assert_int_equal(cfg_read(0x5b, 1), 0x02);
}

static void test_pm_timer(void **state)
{
    pc_test_clock_set(NS_PER_SEC);
    assert_int_equal(io_in(0x608, 4), 3579545);
    pc_test_clock_set(10 * NS_PER_SEC);
    assert_int_equal(io_in(0x608, 4), (3579545ull * 10) & 0xffffff);
}

static void test_power_button_sci(void **state)
{
    piix4_pm_power_button(pm);
    assert_int_equal(pc_env.level[9], 0);   /* not enabled */
    assert_int_equal(io_in(0x600, 2) & 0x100, 0x100);
    io_out(0x602, 2, 0x100);
    assert_int_equal(pc_env.level[9], 1);
    io_out(0x600, 2, 0x100);               /* write 1 to clear */
    assert_int_equal(pc_env.level[9], 0);
    assert_int_equal(io_in(0x600, 2) & 0x100, 0);
}

static void test_timer_overflow_sci(void **state)
{
    io_out(0x602, 2, 0x001);
    pc_test_clock_advance(2 * NS_PER_SEC);
    assert_int_equal(pc_env.level[9], 0);
    pc_test_clock_advance(NS_PER_SEC / 2);  /* bit 23 toggles at 2.34 s */
    assert_int_equal(pc_env.level[9], 1);
    assert_int_equal(io_in(0x600, 4) & 0x00010001, 0x00010001);   /* STS and EN in one read */
}

static void test_s5_and_apm(void **state)
{
    outb(0xb2, 0xf1);
    assert_int_equal(io_in(0x604, 2) & 1, 1);
    outb(0xb2, 0xf0);
    assert_int_equal(io_in(0x604, 2) & 1, 0);
    io_out(0x604, 2, (1 << 10) | 0x2000);  /* S1: not modelled, ignored */
    runstate_process_requests();
    assert_int_equal(shutdowns, 0);
    io_out(0x604, 2, 0x2000);              /* SLP_TYP 0 + SLP_EN: soft off */
    runstate_process_requests();
    assert_int_equal(shutdowns, 1);
}

static void test_relocate(void **state)
{
    cfg_write(0x40, 4, 0xc001);
    assert_int_equal(io_in(0x608, 4), 0xffffffff);
    pc_test_clock_set(NS_PER_SEC);
    assert_int_equal(io_in(0xc008, 4), 3579545);
    cfg_write(0x80, 1, 0);                  /* PMIOSE off */
    assert_int_equal(io_in(0xc008, 4), 0xffffffff);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ids_and_config), T(test_pm_timer), T(test_power_button_sci),
        T(test_timer_overflow_sci), T(test_s5_and_apm), T(test_relocate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
