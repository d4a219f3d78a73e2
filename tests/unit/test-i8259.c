/* Unit tests of the i8259 pair: initialisation as the BIOS does it, priorities, cascade,
 * EOI modes, masking, edge/level (ELCR), poll and auto-EOI, spurious vectors, and random
 * register writes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hw/intc/i8259.h"
#include "pc-test-util.h"

static PICState *pic;

static int setup(void **state)
{
    pc_test_env_init(0);
    pic = i8259_create(pc_env.isa, pc_env.lines[0], NULL);
    return pic ? 0 : -1;
}

static int teardown(void **state)
{
    pc_test_env_fini();
    return 0;
}

static void bios_init(uint8_t auto_eoi)
{
    outb(0x20, 0x11); outb(0x21, 0x08); outb(0x21, 0x04); outb(0x21, 0x01 | auto_eoi);
    outb(0xa0, 0x11); outb(0xa1, 0x70); outb(0xa1, 0x02); outb(0xa1, 0x01 | auto_eoi);
    outb(0x21, 0x00);
    outb(0xa1, 0x00);
}

static void test_irq_ack_eoi(void **state)
{
    bios_init(0);
    assert_int_equal(pc_env.level[0], 0);
    irq_raise(pic->in[1]);
    assert_int_equal(pc_env.level[0], 1);
    assert_int_equal(i8259_ack(pic), 0x09);
    assert_int_equal(pc_env.level[0], 0);
    outb(0x20, 0x0b);                       /* read ISR */
    assert_int_equal(inb(0x20), 0x02);
    outb(0x20, 0x20);                       /* non-specific EOI */
    assert_int_equal(inb(0x20), 0x00);
    outb(0x20, 0x0a);                       /* read IRR: edge consumed */
    assert_int_equal(inb(0x20), 0x00);
}

static void test_priority_and_nesting(void **state)
{
    bios_init(0);
    irq_raise(pic->in[3]);
    irq_raise(pic->in[1]);
    assert_int_equal(i8259_ack(pic), 0x09);
    assert_int_equal(pc_env.level[0], 0);   /* IRQ 3 waits: lower priority than 1 */
    outb(0x20, 0x20);
    assert_int_equal(pc_env.level[0], 1);
    assert_int_equal(i8259_ack(pic), 0x0b);
    irq_raise(pic->in[0]);                  /* higher priority nests */
    assert_int_equal(pc_env.level[0], 1);
    assert_int_equal(i8259_ack(pic), 0x08);
    outb(0x20, 0x60);                       /* specific EOI 0 */
    outb(0x20, 0x63);                       /* specific EOI 3 */
    outb(0x20, 0x0b);
    assert_int_equal(inb(0x20), 0);
}

static void test_cascade(void **state)
{
    bios_init(0);
    irq_raise(pic->in[10]);
    assert_int_equal(pc_env.level[0], 1);
    assert_int_equal(i8259_ack(pic), 0x72);
    outb(0x20, 0x0b);
    outb(0xa0, 0x0b);
    assert_int_equal(inb(0x20), 0x04);
    assert_int_equal(inb(0xa0), 0x04);
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    assert_int_equal(inb(0x20), 0);
    assert_int_equal(inb(0xa0), 0);
}

static void test_spurious(void **state)
{
    bios_init(0);
    assert_int_equal(i8259_ack(pic), 0x0f);
    irq_raise(pic->in[12]);
    irq_lower(pic->in[12]);
    outb(0xa1, 0x10);                       /* masked before the INTA: spurious IRQ 7 */
    assert_int_equal(i8259_ack(pic), 0x0f);
}

static void test_mask(void **state)
{
    bios_init(0);
    outb(0x21, 0x02);
    assert_int_equal(inb(0x21), 0x02);
    irq_raise(pic->in[1]);
    assert_int_equal(pc_env.level[0], 0);
    outb(0x21, 0x00);
    assert_int_equal(pc_env.level[0], 1);
}

static void test_level_and_edge(void **state)
{
    bios_init(0);
    outb(0x4d1, 0xff);
    assert_int_equal(inb(0x4d1), 0xde);
    outb(0x4d0, 0xff);
    assert_int_equal(inb(0x4d0), 0xf8);
    irq_raise(pic->in[9]);                  /* level */
    assert_int_equal(i8259_ack(pic), 0x71);
    outb(0xa0, 0x20); outb(0x20, 0x20);
    assert_int_equal(pc_env.level[0], 1);   /* still asserted: delivered again */
    irq_lower(pic->in[9]);
    assert_int_equal(pc_env.level[0], 0);
    outb(0x4d0, 0x00);
    irq_raise(pic->in[4]);                  /* edge */
    assert_int_equal(i8259_ack(pic), 0x0c);
    outb(0x20, 0x20);
    assert_int_equal(pc_env.level[0], 0);
    irq_lower(pic->in[4]);
    irq_raise(pic->in[4]);
    assert_int_equal(pc_env.level[0], 1);
}

static void test_poll_and_auto_eoi(void **state)
{
    bios_init(0x02);
    irq_raise(pic->in[5]);
    assert_int_equal(i8259_ack(pic), 0x0d);
    outb(0x20, 0x0b);
    assert_int_equal(inb(0x20), 0);         /* auto-EOI: nothing in service */
    irq_lower(pic->in[5]);
    irq_raise(pic->in[6]);
    outb(0x20, 0x0c);                       /* poll */
    assert_int_equal(inb(0x20), 0x86);
    outb(0x20, 0x0c);
    assert_int_equal(inb(0x20), 0x00);
}

static void test_rotation(void **state)
{
    bios_init(0);
    outb(0x20, 0xc4);                       /* set priority: IRQ 5 highest */
    irq_raise(pic->in[1]);
    irq_raise(pic->in[6]);
    assert_int_equal(i8259_ack(pic), 0x0e);
    outb(0x20, 0xa0);                       /* rotate on non-specific EOI */
    assert_int_equal(i8259_ack(pic), 0x09);
}

static void test_random_writes(void **state)
{
    static const uint16_t ports[] = { 0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1 };

    srand(8259);
    for (int i = 0; i < 20000; i++) {
        outb(ports[rand() % 6], rand());
        irq_set(pic->in[rand() % 16], rand() & 1);
        if (pc_env.level[0]) {
            int v = i8259_ack(pic);
            assert_true(v >= 0 && v < 256);
        }
        inb(ports[rand() % 6]);
    }
}

static void test_info(void **state)
{
    char buf[512] = "";
    FILE *f = fmemopen(buf, sizeof(buf), "w");

    bios_init(0);
    irq_raise(pic->in[3]);
    i8259_print_info(pic, f);
    i8259_print_irq_counts(pic, f);
    fclose(f);
    assert_non_null(strstr(buf, "pic0: irr=08 imr=00 isr=00 hprio=0 irq_base=08"));
    assert_non_null(strstr(buf, "pic1: irr=00 imr=00 isr=00 hprio=0 irq_base=70"));
    assert_non_null(strstr(buf, " 3: 1\n"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_irq_ack_eoi), T(test_priority_and_nesting), T(test_cascade),
        T(test_spurious), T(test_mask), T(test_level_and_edge), T(test_poll_and_auto_eoi),
        T(test_rotation), T(test_random_writes), T(test_info),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
