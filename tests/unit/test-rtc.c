/* Unit tests of the MC146818 RTC on the manual virtual clock (-rtc clock=vm): time from
 * -rtc base=DATE in BCD, binary and 12-hour formats, setting the time under SET, the UIP
 * window, periodic, alarm and update-ended interrupts with register C, CMOS RAM, option
 * errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "hw/rtc/mc146818.h"
#include "pc-test-util.h"

static RTCState *rtc;

static uint8_t cmos_read(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static void cmos_write(uint8_t reg, uint8_t val)
{
    outb(0x70, reg);
    outb(0x71, val);
}

static int setup(void **state)
{
    pc_test_env_init(0);
    rtc = mc146818_create(pc_env.isa, pc_env.lines[8], "2006-06-17T16:01:21", "vm", NULL);
    return rtc ? 0 : -1;
}

static int teardown(void **state)
{
    pc_test_env_fini();
    return 0;
}

static void test_base_date_bcd(void **state)
{
    assert_int_equal(cmos_read(0), 0x21);
    assert_int_equal(cmos_read(2), 0x01);
    assert_int_equal(cmos_read(4), 0x16);
    assert_int_equal(cmos_read(6), 0x07);   /* Saturday */
    assert_int_equal(cmos_read(7), 0x17);
    assert_int_equal(cmos_read(8), 0x06);
    assert_int_equal(cmos_read(9), 0x06);
    assert_int_equal(cmos_read(0x32), 0x20);
    pc_test_clock_advance(2 * NS_PER_SEC);
    assert_int_equal(cmos_read(0), 0x23);
    assert_int_equal(cmos_read(0x0d), 0x80);
}

static void test_binary_and_12h(void **state)
{
    cmos_write(0x0b, 0x04);                 /* binary, 12-hour */
    assert_int_equal(cmos_read(0), 21);
    assert_int_equal(cmos_read(4), 0x80 | 4);
    cmos_write(0x0b, 0x00);                 /* BCD, 12-hour */
    assert_int_equal(cmos_read(4), 0x84);
}

static void test_set_time(void **state)
{
    cmos_write(0x0b, 0x82);                 /* SET, 24h, BCD */
    cmos_write(0, 0x00); cmos_write(2, 0x30); cmos_write(4, 0x10);
    cmos_write(7, 0x01); cmos_write(8, 0x01); cmos_write(9, 0x20); cmos_write(0x32, 0x20);
    pc_test_clock_advance(5 * NS_PER_SEC);  /* stopped while SET */
    assert_int_equal(cmos_read(0), 0x00);
    cmos_write(0x0b, 0x02);
    pc_test_clock_advance(61 * NS_PER_SEC);
    assert_int_equal(cmos_read(0), 0x01);
    assert_int_equal(cmos_read(2), 0x31);
    assert_int_equal(cmos_read(9), 0x20);
    assert_int_equal(rtc_guest_time(rtc), 1577874661);  /* 2020-01-01T10:31:01Z */
}

static void test_uip_window(void **state)
{
    int64_t base = pc_test_clock_now();

    pc_test_clock_set(base + NS_PER_SEC / 2);
    assert_int_equal(cmos_read(0x0a) & 0x80, 0);
    pc_test_clock_set(base + NS_PER_SEC - 100000);
    assert_int_equal(cmos_read(0x0a), 0x80 | 0x26);
}

static void test_periodic(void **state)
{
    cmos_write(0x0a, 0x2f);                 /* 2 Hz */
    cmos_write(0x0b, 0x42);                 /* PIE */
    pc_test_clock_advance(NS_PER_SEC / 2 + 1000);
    assert_int_equal(pc_env.level[8], 1);
    assert_int_equal(cmos_read(0x0c) & 0xc0, 0xc0);
    assert_int_equal(pc_env.level[8], 0);
    assert_int_equal(cmos_read(0x0c) & 0x40, 0);
    pc_test_clock_advance(NS_PER_SEC * 10);
    assert_int_equal(pc_env.raises[8], 2);  /* level until read: one more edge */
    cmos_write(0x0a, 0x26);                 /* 1024 Hz */
    for (int i = 0; i < 1024; i++) {
        cmos_read(0x0c);
        pc_test_clock_advance(NS_PER_SEC / 1024);
    }
    assert_in_range(pc_env.raises[8], 2 + 1023, 2 + 1025);
}

static void test_alarm(void **state)
{
    cmos_write(1, 0x24);                    /* 16:01:24, any hour and minute */
    cmos_write(3, 0xff);
    cmos_write(5, 0xff);
    cmos_write(0x0b, 0x22);                 /* AIE */
    pc_test_clock_advance(2 * NS_PER_SEC + NS_PER_SEC / 2);
    assert_int_equal(pc_env.level[8], 0);
    pc_test_clock_advance(NS_PER_SEC);
    assert_int_equal(pc_env.level[8], 1);
    assert_int_equal(cmos_read(0x0c) & 0xa0, 0xa0);
    pc_test_clock_advance(60 * NS_PER_SEC);  /* next minute at :24 */
    assert_int_equal(pc_env.raises[8], 2);
}

static void test_update_interrupt(void **state)
{
    cmos_write(0x0b, 0x12);                 /* UIE */
    for (int i = 0; i < 5; i++) {
        pc_test_clock_advance(NS_PER_SEC);
        assert_int_equal(cmos_read(0x0c) & 0x90, 0x90);
    }
    assert_int_equal(pc_env.raises[8], 5);
}

static void test_cmos_ram(void **state)
{
    rtc_set_memory(rtc, 0x34, 0x5a);
    assert_int_equal(cmos_read(0x34), 0x5a);
    outb(0x70, 0x80 | 0x35);                /* NMI-disable bit is not part of the index */
    outb(0x71, 0x42);
    assert_int_equal(rtc_get_memory(rtc, 0x35), 0x42);
    cmos_write(0x0c, 0xff);
    assert_int_equal(cmos_read(0x0c), 0);
}

static void test_bad_options(void **state)
{
    Error *err = NULL;

    assert_int_equal(mc146818_check_options("2006-13-45", NULL, &err), -1);
    assert_non_null(strstr(error_get_message(err), "-rtc base=2006-13-45"));
    error_free(err);
    err = NULL;
    assert_int_equal(mc146818_check_options("localtime", "frob", &err), -1);
    assert_non_null(strstr(error_get_message(err), "-rtc clock=frob"));
    error_free(err);
    assert_int_equal(mc146818_check_options("2006-06-17", "host", NULL), 0);
}

static void test_rtc_option(void **state)
{
    char *base = NULL, *clock = NULL;
    Error *err = NULL;

    assert_int_equal(mc146818_parse_rtc_option("2006-06-17T16:01:21,clock=vm,driftfix=slew",
                                               &base, &clock, NULL), 0);
    assert_string_equal(base, "2006-06-17T16:01:21");
    assert_string_equal(clock, "vm");
    free(base);
    free(clock);
    assert_int_equal(mc146818_parse_rtc_option("base=utc,frob=1", NULL, NULL, &err), -1);
    assert_non_null(strstr(error_get_message(err), "frob"));
    error_free(err);
}

static void test_random_writes(void **state)
{
    srand(146818);
    for (int i = 0; i < 20000; i++) {
        outb(0x70 + (rand() & 1), rand());
        inb(0x70 + (rand() & 1));
        pc_test_clock_set(pc_test_clock_now() + rand() % 10000000);
    }
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_base_date_bcd), T(test_binary_and_12h), T(test_set_time), T(test_uip_window),
        T(test_periodic), T(test_alarm), T(test_update_interrupt), T(test_cmos_ram),
        T(test_bad_options), T(test_rtc_option), T(test_random_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
