/* Unit tests of the HPET on the manual virtual clock: capabilities, main counter, one-shot
 * and periodic comparators (Linux's value-set sequence), level mode with the status
 * register, legacy replacement routing, 32-bit mode, random register writes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include "hw/timer/hpet.h"
#include "pc-test-util.h"

#define HPET HPET_BASE
#define TN(n, reg) (HPET + 0x100 + 0x20 * (n) + (reg))

static HPETState *hpet;

static int setup(void **state)
{
    pc_test_env_init(0);
    /* IOAPIC pins are recorder lines 0-23, legacy IRQ 0 and 8 are lines 40 and 48 */
    hpet = hpet_create(pc_env.lines, pc_env.lines[40], pc_env.lines[48], NULL);
    return hpet ? 0 : -1;
}

static int teardown(void **state)
{
    pc_test_env_fini();
    return 0;
}

static void test_caps_and_counter(void **state)
{
    assert_int_equal(mmio_read(HPET, 4), 0x8086a201);
    assert_int_equal(mmio_read(HPET + 4, 4), 10000000);
    assert_int_equal(mmio_read(HPET + 0xf0, 8), 0);
    mmio_write(HPET + 0xf0, 8, 1000);       /* writable while halted */
    mmio_write(HPET + 0x10, 4, 1);
    pc_test_clock_advance(5000);
    assert_int_equal(mmio_read(HPET + 0xf0, 8), 1500);
    mmio_write(HPET + 0x10, 4, 0);
    pc_test_clock_advance(5000);
    assert_int_equal(mmio_read(HPET + 0xf4, 4), 0);
    assert_int_equal(mmio_read(HPET + 0xf0, 4), 1500);
    assert_int_equal(mmio_read(TN(0, 4), 4), 0x00ff0104);   /* route capability */
}

static void test_one_shot(void **state)
{
    mmio_write(TN(0, 0), 8, (2 << 9) | 4);  /* pin 2, edge, enabled */
    mmio_write(TN(0, 8), 8, 100);
    mmio_write(HPET + 0x10, 4, 1);
    pc_test_clock_advance(990);
    assert_int_equal(pc_env.raises[2], 0);
    pc_test_clock_advance(20);
    assert_int_equal(pc_env.raises[2], 1);
    pc_test_clock_advance(100000);
    assert_int_equal(pc_env.raises[2], 1);
}

static void test_periodic(void **state)
{
    mmio_write(HPET + 0x10, 4, 1);
    mmio_write(TN(1, 0), 8, (8 << 9) | 4 | 8 | 0x40);  /* pin 8, periodic, value set */
    mmio_write(TN(1, 8), 8, mmio_read(HPET + 0xf0, 8) + 100);
    mmio_write(TN(1, 8), 8, 100);           /* period */
    pc_test_clock_advance(10 * 1000 + 5);
    assert_int_equal(pc_env.raises[8], 10);
}

static void test_level_mode(void **state)
{
    mmio_write(HPET + 0x10, 4, 1);
    mmio_write(TN(2, 0), 8, (16 << 9) | 4 | 2);        /* pin 16, level */
    mmio_write(TN(2, 8), 8, 50);
    pc_test_clock_advance(600);
    assert_int_equal(pc_env.level[16], 1);
    assert_int_equal(mmio_read(HPET + 0x20, 4), 4);
    mmio_write(HPET + 0x20, 4, 4);
    assert_int_equal(pc_env.level[16], 0);
    mmio_write(TN(2, 0), 8, (5 << 9) | 4);  /* pin 5 is not in the capability: kept 16 */
    assert_int_equal((mmio_read(TN(2, 0), 4) >> 9) & 0x1f, 16);
}

static void test_legacy(void **state)
{
    mmio_write(HPET + 0x10, 4, 3);          /* enable, legacy replacement */
    mmio_write(TN(0, 0), 8, 4 | 8 | 0x40);
    mmio_write(TN(0, 8), 8, 1000);
    mmio_write(TN(0, 8), 8, 1000);
    mmio_write(TN(1, 0), 8, 4);
    mmio_write(TN(1, 8), 8, 500);
    pc_test_clock_advance(100 * 1000);
    assert_int_equal(pc_env.raises[40], 10);
    assert_int_equal(pc_env.raises[48], 1);
    assert_int_equal(pc_env.raises[2], 0);
}

static void test_32bit_mode(void **state)
{
    mmio_write(HPET + 0xf0, 8, 0xfffffff0ull);
    mmio_write(TN(0, 0), 8, (2 << 9) | 4 | 0x100);
    mmio_write(TN(0, 8), 8, 0x10);          /* after the 32-bit wrap */
    mmio_write(HPET + 0x10, 4, 1);
    pc_test_clock_advance(310);
    assert_int_equal(pc_env.raises[2], 0);
    pc_test_clock_advance(20);
    assert_int_equal(pc_env.raises[2], 1);
}

/* Linux's 32-bit periodic set-up; the callback then runs 10.5 periods late (a loaded
 * host): the next interrupts still come every period, not after a 2^32-tick wrap. */
static void test_32bit_periodic_late(void **state)
{
    mmio_write(HPET + 0x10, 4, 1);
    mmio_write(TN(0, 0), 8, (2 << 9) | 4 | 8 | 0x40 | 0x100);
    mmio_write(TN(0, 8), 4, mmio_read(HPET + 0xf0, 4) + 100);
    mmio_write(TN(0, 8), 4, 100);
    pc_test_clock_advance(1005);
    assert_int_equal(pc_env.raises[2], 1);
    pc_test_clock_set(pc_test_clock_now() + 10500);
    assert_int_equal(pc_env.raises[2], 2);  /* the late one; missed periods are skipped */
    pc_test_clock_advance(5 * 1000);
    assert_int_equal(pc_env.raises[2], 7);
}

/* Linux's periodic timer 0 with its interrupt then disabled (the LAPIC timers took over):
 * no host timer stays armed for it, yet the comparator has moved on by every period when
 * read, and re-enabled it interrupts at the next one. */
static void test_disabled_periodic_parks(void **state)
{
    mmio_write(HPET + 0x10, 4, 1);
    mmio_write(TN(0, 0), 8, (2 << 9) | 4 | 8 | 0x40);
    mmio_write(TN(0, 8), 8, mmio_read(HPET + 0xf0, 8) + 100);
    mmio_write(TN(0, 8), 8, 100);
    pc_test_clock_advance(1005);            /* counter 100: the first match */
    assert_int_equal(pc_env.raises[2], 1);
    mmio_write(TN(0, 0), 8, (2 << 9) | 8);  /* interrupt disabled */
    assert_false(timer_pending(hpet->timers[0].timer));
    pc_test_clock_advance(10500);           /* counter 1150: matches at 200 .. 1100 */
    assert_false(timer_pending(hpet->timers[0].timer));
    assert_int_equal(pc_env.raises[2], 1);
    assert_int_equal(mmio_read(TN(0, 8), 8), 1200);
    pc_test_clock_advance(1000);            /* counter 1250: the match at 1200 */
    mmio_write(TN(0, 0), 8, (2 << 9) | 4 | 8);
    assert_int_equal(mmio_read(TN(0, 8), 8), 1300);
    pc_test_clock_advance(505);
    assert_int_equal(pc_env.raises[2], 2);
}

/* The same in 32-bit mode across the counter's 32-bit wrap: 8 matches while parked. */
static void test_disabled_periodic_parks_32bit(void **state)
{
    mmio_write(HPET + 0xf0, 8, 0xfffffe00ull);
    mmio_write(HPET + 0x10, 4, 1);
    mmio_write(TN(0, 0), 8, (2 << 9) | 8 | 0x40 | 0x100);
    mmio_write(TN(0, 8), 4, 0xfffffe64);
    mmio_write(TN(0, 8), 4, 256);
    assert_false(timer_pending(hpet->timers[0].timer));
    pc_test_clock_advance(20000);           /* counter 0x1000005d0 */
    assert_int_equal(mmio_read(TN(0, 8), 4), 0x664);
    assert_int_equal(pc_env.raises[2], 0);
}

/* The counter written back while halted passes no comparator: a parked periodic one keeps
 * its value (the guest-written counter is not taken for matches since parking). */
static void test_parked_counter_written(void **state)
{
    mmio_write(HPET + 0x10, 4, 1);
    mmio_write(TN(0, 0), 8, (2 << 9) | 8 | 0x40);   /* periodic, interrupt disabled */
    mmio_write(TN(0, 8), 8, 100);
    mmio_write(TN(0, 8), 8, 100);
    pc_test_clock_advance(1505);            /* counter 150: the match at 100 */
    assert_int_equal(mmio_read(TN(0, 8), 8), 200);
    mmio_write(HPET + 0x10, 4, 0);
    mmio_write(HPET + 0xf0, 8, 0);
    assert_int_equal(mmio_read(TN(0, 8), 8), 200);
    mmio_write(HPET + 0x10, 4, 1);
    pc_test_clock_advance(1005);            /* counter 100 */
    assert_int_equal(mmio_read(TN(0, 8), 8), 200);
    pc_test_clock_advance(1000);            /* counter 200: the match at 200 */
    assert_int_equal(mmio_read(TN(0, 8), 8), 300);
}

static void test_random_writes(void **state)
{
    srand(1588);
    for (int i = 0; i < 20000; i++) {
        hwaddr off = (rand() % 0x80) * 8;
        mmio_write(HPET + off, (rand() & 1) ? 8 : 4, ((uint64_t)rand() << 32) | rand());
        mmio_read(HPET + (rand() % 0x80) * 8, 8);
        pc_test_clock_set(pc_test_clock_now() + rand() % 10000);
    }
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_caps_and_counter), T(test_one_shot), T(test_periodic), T(test_level_mode),
        T(test_legacy), T(test_32bit_mode), T(test_32bit_periodic_late), T(test_disabled_periodic_parks),
        T(test_disabled_periodic_parks_32bit), T(test_parked_counter_written),
        T(test_random_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
