/* Unit tests of the local APICs and the IOAPIC with two CPU objects that never run: fixed
 * delivery, acknowledge, TPR/PPR, EOI, IPIs (fixed, INIT, SIPI, NMI, shorthands, logical
 * destinations), the timer in one-shot, periodic and TSC-deadline modes, ExtINT from the
 * PIC, illegal vectors, hardware disable; IOAPIC edge/level pins with remote IRR and EOI
 * broadcast, masking, random register writes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hw/intc/apic.h"
#include "hw/intc/ioapic.h"
#include "pc-test-util.h"
#include "target-i386/cpu.h"

#define APIC 0xfee00000ull
#define IOAPIC 0xfec00000ull

static CPUState *cpu[2];
static APICState *lapic[2];
static IOAPICState *ioapic;
static int pic_acks;

static int fake_pic_ack(void *opaque)
{
    pic_acks++;
    return 0x08;
}

static int setup(void **state)
{
    pc_test_env_init(1 << 20);
    for (int i = 0; i < 2; i++) {
        cpu[i] = cpu_create(&x86_cpu_qemu64_class, NULL, i, NULL);
        lapic[i] = apic_create(cpu[i], NULL);
        atomic_store(&cpu[i]->interrupt_request, 0);
    }
    apic_mmio_init(&pc_env.mem);
    apic_set_mmio_default_cpu(0);
    apic_set_pic_ack(fake_pic_ack, NULL, NULL);
    ioapic = ioapic_create(NULL, NULL);
    pic_acks = 0;
    return lapic[1] && ioapic ? 0 : -1;
}

static int teardown(void **state)
{
    qdev_destroy_all();
    apic_mmio_fini(&pc_env.mem);
    apic_set_pic_ack(NULL, NULL, NULL);
    for (int i = 0; i < 2; i++) {
        cpu_destroy(cpu[i]);
    }
    pc_test_env_fini();
    return 0;
}

static uint32_t apic_rd(int cpu_index, unsigned reg)
{
    apic_set_mmio_default_cpu(cpu_index);
    return mmio_read(APIC + reg, 4);
}

static void apic_wr(int cpu_index, unsigned reg, uint32_t val)
{
    apic_set_mmio_default_cpu(cpu_index);
    mmio_write(APIC + reg, 4, val);
}

static bool intr(int i)
{
    return atomic_load(&cpu[i]->interrupt_request) & CPU_INTERRUPT_HARD;
}

static unsigned pending(int i)
{
    return atomic_load(&cpu[i]->interrupt_request);
}

static void enable_both(void)
{
    apic_wr(0, 0xf0, 0x1ff);
    apic_wr(1, 0xf0, 0x1ff);
}

static void test_id_version(void **state)
{
    assert_int_equal(apic_rd(0, 0x20), 0);
    assert_int_equal(apic_rd(1, 0x20), 1u << 24);
    assert_int_equal(apic_rd(0, 0x30), 0x00050014);
    assert_int_equal(apic_rd(0, 0xe0), 0xffffffff);  /* DFR flat */
    assert_int_equal(apic_rd(0, 0x350), 0x700);      /* BSP LINT0: ExtINT */
    assert_int_equal(apic_rd(1, 0x350), 0x10000);
}

static void test_fixed_ack_eoi(void **state)
{
    enable_both();
    apic_bus_deliver(0, false, APIC_DM_FIXED, 0x30, false);
    assert_true(intr(0));
    assert_false(intr(1));
    assert_int_equal(apic_rd(0, 0x200 + 0x10 * 1), 1u << 16);  /* IRR bit 0x30 */
    assert_int_equal(apic_ack(lapic[0]), 0x30);
    assert_false(intr(0));
    assert_int_equal(apic_rd(0, 0x100 + 0x10 * 1), 1u << 16);  /* ISR */
    assert_int_equal(apic_rd(0, 0xa0), 0x30);                  /* PPR */
    apic_bus_deliver(0, false, APIC_DM_FIXED, 0x25, false);     /* same class: waits */
    assert_false(intr(0));
    apic_wr(0, 0xb0, 0);                                        /* EOI */
    assert_true(intr(0));
    assert_int_equal(apic_ack(lapic[0]), 0x25);
    apic_wr(0, 0xb0, 0);
    assert_int_equal(apic_ack(lapic[0]), -1);
}

static void test_tpr(void **state)
{
    enable_both();
    apic_wr(0, 0x80, 0x40);
    apic_bus_deliver(0, false, APIC_DM_FIXED, 0x35, false);
    assert_false(intr(0));
    assert_int_equal(apic_ack(lapic[0]), -1);
    apic_set_tpr_cr8(lapic[0], 2);
    assert_int_equal(apic_rd(0, 0x80), 0x20);
    assert_int_equal(apic_get_tpr_cr8(lapic[0]), 2);
    assert_true(intr(0));
    assert_int_equal(apic_ack(lapic[0]), 0x35);
}

static void test_ipis(void **state)
{
    enable_both();
    apic_wr(0, 0x310, 1u << 24);
    apic_wr(0, 0x300, 0x4041);                  /* fixed 0x41 to APIC 1 */
    assert_true(intr(1));
    assert_int_equal(apic_ack(lapic[1]), 0x41);
    apic_wr(0, 0x300, 0x4500);                  /* INIT */
    assert_true(pending(1) & CPU_INTERRUPT_INIT);
    apic_wr(0, 0x300, 0x4608);                  /* SIPI vector 8 */
    assert_true(pending(1) & CPU_INTERRUPT_SIPI);
    assert_int_equal(x86_cpu(cpu[1])->sipi_vector, 8);
    apic_wr(0, 0x300, 0xc4400);                 /* NMI to all but self */
    assert_true(pending(1) & CPU_INTERRUPT_NMI);
    assert_false(pending(0) & CPU_INTERRUPT_NMI);
    apic_wr(0, 0x300, 0x44050);                 /* fixed 0x50 to self */
    assert_int_equal(apic_ack(lapic[0]), 0x50);
    assert_int_equal(apic_rd(0, 0x300) & (1u << 12), 0);   /* idle */
}

static void test_logical(void **state)
{
    enable_both();
    apic_wr(0, 0xd0, 0x01000000);
    apic_wr(1, 0xd0, 0x02000000);
    apic_bus_deliver(0x02, true, APIC_DM_FIXED, 0x60, false);
    assert_false(intr(0));
    assert_true(intr(1));
    apic_wr(0, 0xe0, 0x0fffffff);               /* cluster model */
    apic_wr(0, 0xd0, 0x11000000);               /* cluster 1, bit 0 */
    apic_bus_deliver(0x11, true, APIC_DM_FIXED, 0x61, false);
    assert_true(intr(0));
    apic_bus_deliver(0x0f, true, APIC_DM_LOWPRI, 0x70, false);  /* one CPU only */
    apic_bus_deliver(0xff, false, APIC_DM_FIXED, 0x71, false);  /* broadcast */
    assert_int_equal(apic_rd(1, 0x230), 0x30001);  /* IRR word 3: 0x60, 0x70, 0x71 */
}

static void test_timer_oneshot_periodic(void **state)
{
    enable_both();
    apic_wr(0, 0x3e0, 0xb);                     /* divide by 1 */
    apic_wr(0, 0x320, 0x20);                    /* one-shot, vector 0x20 */
    apic_wr(0, 0x380, 1000);
    pc_test_clock_advance(500);
    assert_int_equal(apic_rd(0, 0x390), 500);
    assert_false(intr(0));
    pc_test_clock_advance(600);
    assert_true(intr(0));
    assert_int_equal(apic_rd(0, 0x390), 0);
    assert_int_equal(apic_ack(lapic[0]), 0x20);
    apic_wr(0, 0xb0, 0);
    apic_wr(0, 0x3e0, 0x3);                     /* divide by 16 */
    apic_wr(0, 0x320, 0x20021);                 /* periodic, vector 0x21 */
    apic_wr(0, 0x380, 100);                     /* 1600 ns */
    for (int i = 0; i < 10; i++) {
        pc_test_clock_advance(1600);
        assert_int_equal(apic_ack(lapic[0]), 0x21);
        apic_wr(0, 0xb0, 0);
    }
    apic_wr(0, 0x320, 0x30021);                 /* masked: keeps counting, no IRQ */
    pc_test_clock_advance(16000);
    assert_false(intr(0));
}

static void test_timer_tsc_deadline(void **state)
{
    enable_both();
    apic_wr(0, 0x320, 0x40022);                 /* TSC-deadline, vector 0x22 */
    apic_set_tsc_deadline(lapic[0], 123456, pc_test_clock_now() + 5000);
    assert_int_equal(apic_get_tsc_deadline(lapic[0]), 123456);
    pc_test_clock_advance(4999);
    assert_false(intr(0));
    pc_test_clock_advance(2);
    assert_int_equal(apic_ack(lapic[0]), 0x22);
    assert_int_equal(apic_get_tsc_deadline(lapic[0]), 0);   /* cleared on expiry */
    apic_wr(0, 0x380, 10);                      /* initial count ignored in this mode */
    pc_test_clock_advance(100000);
    assert_int_equal(apic_ack(lapic[0]), -1);
}

static void test_extint_and_disable(void **state)
{
    apic_set_pic_intr(lapic[0], true);
    assert_true(intr(0));
    assert_int_equal(apic_ack(lapic[0]), 0x08);
    assert_int_equal(pic_acks, 1);
    apic_wr(0, 0x350, 0x10700);                 /* LINT0 masked */
    assert_false(intr(0));
    apic_base_changed(lapic[0], APIC_DEFAULT_ADDRESS);  /* hardware disable */
    assert_true(intr(0));                       /* the PIC goes straight through */
    assert_int_equal(apic_rd(0, 0x20), 0xffffffff);
    apic_set_pic_intr(lapic[0], false);
    assert_false(intr(0));
}

static void test_illegal_vector(void **state)
{
    enable_both();
    apic_bus_deliver(0, false, APIC_DM_FIXED, 0x05, false);
    assert_false(intr(0));
    assert_int_equal(apic_rd(0, 0x280), 0x40);
    apic_wr(0, 0x280, 0);
    assert_int_equal(apic_rd(0, 0x280), 0);
}

static uint32_t ioapic_rd(uint8_t index)
{
    mmio_write(IOAPIC, 4, index);
    return mmio_read(IOAPIC + 0x10, 4);
}

static void ioapic_wr(uint8_t index, uint32_t val)
{
    mmio_write(IOAPIC, 4, index);
    mmio_write(IOAPIC + 0x10, 4, val);
}

static void test_ioapic_edge_level(void **state)
{
    enable_both();
    assert_int_equal(ioapic_rd(1), 0x00170020);
    ioapic_wr(0x10 + 2 * 4, 0x34);              /* pin 4: edge, vector 0x34, dest 0 */
    ioapic_wr(0x11 + 2 * 4, 0);
    irq_raise(ioapic->in[4]);
    assert_int_equal(apic_ack(lapic[0]), 0x34);
    apic_wr(0, 0xb0, 0);
    irq_raise(ioapic->in[4]);                   /* still high: no new edge */
    assert_int_equal(apic_ack(lapic[0]), -1);
    ioapic_wr(0x10 + 2 * 9, 0x8039);            /* pin 9: level, vector 0x39 */
    ioapic_wr(0x11 + 2 * 9, 1u << 24);          /* to APIC 1 */
    irq_raise(ioapic->in[9]);
    assert_int_equal(ioapic_rd(0x10 + 2 * 9) & (1u << 14), 1u << 14);
    assert_int_equal(apic_ack(lapic[1]), 0x39);
    apic_wr(1, 0xb0, 0);                        /* EOI: still high, so again */
    assert_int_equal(apic_ack(lapic[1]), 0x39);
    irq_lower(ioapic->in[9]);
    apic_wr(1, 0xb0, 0);
    assert_int_equal(ioapic_rd(0x10 + 2 * 9) & (1u << 14), 0);
    assert_int_equal(apic_ack(lapic[1]), -1);
}

static void test_ioapic_mask(void **state)
{
    enable_both();
    ioapic_wr(0x10 + 2 * 11, 0x18041);          /* masked, level */
    irq_raise(ioapic->in[11]);
    assert_false(intr(0));
    ioapic_wr(0x10 + 2 * 11, 0x08041);          /* unmask while high */
    assert_int_equal(apic_ack(lapic[0]), 0x41);
}

static void test_random_writes(void **state)
{
    srand(82093);
    enable_both();
    for (int i = 0; i < 20000; i++) {
        if (rand() & 1) {
            ioapic_wr(rand() % 0x40, rand());
        } else {
            unsigned reg = (rand() % 0x40) << 4;
            if (reg != 0x300) {                 /* IPIs would INIT the CPUs: fine, but */
                apic_wr(rand() & 1, reg, rand());
            }
        }
        irq_set(ioapic->in[rand() % 24], rand() & 1);
        apic_ack(lapic[rand() & 1]);
        pc_test_clock_set(pc_test_clock_now() + rand() % 1000);
    }
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_id_version), T(test_fixed_ack_eoi), T(test_tpr), T(test_ipis), T(test_logical),
        T(test_timer_oneshot_periodic), T(test_timer_tsc_deadline), T(test_extint_and_disable),
        T(test_illegal_vector), T(test_ioapic_edge_level), T(test_ioapic_mask),
        T(test_random_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
