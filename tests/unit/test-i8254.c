/* Unit tests of the i8254 PIT on the manual virtual clock: periodic and one-shot IRQ 0,
 * counter latch and read-back, access modes, channel 2 gate/output through port 0x61, and
 * random register writes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include "hw/timer/i8254.h"
#include "pc-test-util.h"

static PITState *pit;

static int setup(void **state)
{
    pc_test_env_init(0);
    pit = i8254_create(pc_env.isa, pc_env.lines[0], NULL);
    return pit ? 0 : -1;
}

static int teardown(void **state)
{
    pc_test_env_fini();
    return 0;
}

/* ns for n PIT ticks, rounded up. */
static int64_t ticks(uint64_t n)
{
    return (int64_t)((n * 1000000000ull + PIT_FREQ - 1) / PIT_FREQ);
}

static void load(int ch, int mode, uint16_t count)
{
    outb(0x43, (ch << 6) | 0x30 | (mode << 1));
    outb(0x40 + ch, count & 0xff);
    outb(0x40 + ch, count >> 8);
}

static void test_rate_generator_irq(void **state)
{
    load(0, 2, 1193);                       /* ~1 ms */
    pc_test_clock_advance(ticks(1193 * 10) + 10);
    assert_int_equal(pc_env.raises[0], 10);
    pc_test_clock_advance(ticks(1193) * 90);
    assert_int_equal(pc_env.raises[0], 100);
}

static void test_square_wave_default_count(void **state)
{
    load(0, 3, 0);                          /* 65536: 18.2 Hz, the BIOS tick */
    pc_test_clock_advance(1000000000);
    assert_int_equal(pc_env.raises[0], 18);
}

static void test_one_shot(void **state)
{
    load(0, 0, 100);
    pc_test_clock_advance(ticks(99));
    assert_int_equal(pc_env.level[0], 0);
    pc_test_clock_advance(ticks(2));
    assert_int_equal(pc_env.level[0], 1);
    pc_test_clock_advance(1000000000);
    assert_int_equal(pc_env.raises[0], 1);  /* no repeat */
    load(0, 0, 100);                        /* reloading lowers the output */
    assert_int_equal(pc_env.level[0], 0);
}

static void test_latch_and_read_back(void **state)
{
    uint8_t lo, hi;

    load(0, 2, 1000);
    pc_test_clock_set(pc_test_clock_now() + ticks(250));
    outb(0x43, 0x00);                       /* latch channel 0 */
    pc_test_clock_set(pc_test_clock_now() + ticks(100));
    lo = inb(0x40);
    hi = inb(0x40);
    assert_int_equal(lo | (hi << 8), 750);
    outb(0x43, 0xe2);                       /* read-back: status of channel 0 */
    assert_int_equal(inb(0x40) & 0x3f, 0x34);
    outb(0x43, 0x10);                       /* channel 0, LSB only, mode 0 */
    outb(0x43, 0xe2);
    assert_int_equal(inb(0x40), 0x50);      /* out low, null count, LSB, mode 0 */
}

static void test_lsb_msb_modes(void **state)
{
    outb(0x43, 0x90);                       /* channel 2, LSB only, mode 0 */
    outb(0x42, 0x40);
    assert_int_equal(inb(0x42), 0x40);
    outb(0x43, 0xa0);                       /* channel 2, MSB only */
    outb(0x42, 0x12);
    assert_int_equal(inb(0x42), 0x12);
}

static void test_port61_channel2(void **state)
{
    outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off (Linux calibration) */
    load(2, 0, 11932);                      /* 10 ms */
    assert_int_equal(inb(0x61) & 0x20, 0);
    pc_test_clock_set(pc_test_clock_now() + ticks(11931));
    assert_int_equal(inb(0x61) & 0x20, 0);
    pc_test_clock_set(pc_test_clock_now() + ticks(2));
    assert_int_equal(inb(0x61) & 0x23, 0x21);
    outb(0x61, 0x02);
    assert_int_equal(inb(0x61) & 0x03, 0x02);
}

static void test_gate_pauses_mode0(void **state)
{
    outb(0x61, 0x01);
    load(2, 0, 1000);
    pc_test_clock_set(pc_test_clock_now() + ticks(400));
    outb(0x61, 0x00);                       /* gate low: count holds */
    pc_test_clock_set(pc_test_clock_now() + ticks(5000));
    outb(0x43, 0x80);
    uint8_t lo = inb(0x42);
    uint8_t hi = inb(0x42);
    assert_in_range(lo | (hi << 8), 599, 600);
    outb(0x61, 0x01);
    pc_test_clock_set(pc_test_clock_now() + ticks(601));
    assert_int_equal(inb(0x61) & 0x20, 0x20);
}

static void test_random_writes(void **state)
{
    srand(8254);
    for (int i = 0; i < 20000; i++) {
        int port = 0x40 + rand() % 4;
        outb(rand() % 3 ? port : 0x61, rand());
        inb(0x40 + rand() % 4);
        pc_test_clock_set(pc_test_clock_now() + rand() % 100000);
    }
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_rate_generator_irq), T(test_square_wave_default_count), T(test_one_shot),
        T(test_latch_and_read_back), T(test_lsb_msb_modes), T(test_port61_channel2),
        T(test_gate_pauses_mode0), T(test_random_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
