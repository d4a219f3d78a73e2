/* Unit tests for the PL031 RTC (hw/rtc/pl031.c): the counter starts at host UTC time and
 * follows the virtual clock (frozen while it is stopped), RTCLR loads it, a match raises the
 * masked interrupt (at once when RTCMR equals the counter, else from the timer), RTCICR
 * clears it, and the PrimeCell ID. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <time.h>
#include "hw/rtc/pl031.h"
#include "system/main-loop.h"

static PL031State *rtc;
static IRQ irq;
static int irq_level;

static void record_irq(void *opaque, int n, int level)
{
    irq_level = level;
}

static int setup(void **state)
{
    Error *err = NULL;
    main_loop_init();
    DeviceState *dev = device_create(pl031_device_type.name, NULL, &err);
    assert_non_null(dev);
    rtc = DEVICE_CAST(PL031State, dev);
    irq = irq_new(record_irq, NULL, 0);
    rtc->irq = irq;
    irq_level = 0;
    assert_int_equal(device_realize(dev, &err), 0);
    device_reset(dev);
    return 0;
}

static int teardown(void **state)
{
    device_destroy(DEVICE(rtc));
    irq_free(irq);
    qdev_destroy_all();
    return 0;
}

static uint32_t rd(hwaddr off)
{
    uint64_t v;
    assert_int_equal(memory_region_dispatch_read(&rtc->iomem, off, 4, &v), MEMTX_OK);
    return (uint32_t)v;
}

static void wr(hwaddr off, uint32_t v)
{
    assert_int_equal(memory_region_dispatch_write(&rtc->iomem, off, 4, v), MEMTX_OK);
}

static void test_starts_at_host_time(void **state)
{
    int64_t host = (int64_t)time(NULL);
    int64_t dr = rd(PL031_DR);
    assert_true(dr >= host - 2 && dr <= host + 2);
    assert_int_equal(rd(PL031_CR), 1);
    static const uint8_t id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
    for (int i = 0; i < 8; i++) {
        assert_int_equal(rd(PL031_ID + 4 * i), id[i]);
    }
}

static void test_load_and_frozen_clock(void **state)
{
    clock_virtual_stop();
    wr(PL031_LR, 1000);
    assert_int_equal(rd(PL031_LR), 1000);
    assert_int_equal(rd(PL031_DR), 1000);
    struct timespec ts = { 1, 100 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    assert_int_equal(rd(PL031_DR), 1000);          /* the guest was stopped */
    clock_virtual_start();
    nanosleep(&ts, NULL);
    uint32_t dr = rd(PL031_DR);
    assert_true(dr == 1001 || dr == 1002);
}

static void test_match_now_and_clear(void **state)
{
    wr(PL031_IMSC, 1);
    wr(PL031_LR, 500);
    wr(PL031_MR, rd(PL031_DR));
    assert_int_equal(rd(PL031_RIS), 1);
    assert_int_equal(irq_level, 1);
    assert_int_equal(rd(PL031_MIS), 1);
    wr(PL031_ICR, 1);
    assert_int_equal(irq_level, 0);
    assert_int_equal(rd(PL031_RIS), 0);
    /* masked: status without the line */
    wr(PL031_IMSC, 0);
    wr(PL031_MR, rd(PL031_DR));
    assert_int_equal(rd(PL031_RIS), 1);
    assert_int_equal(irq_level, 0);
    assert_int_equal(rd(PL031_MIS), 0);
}

static void test_match_from_timer(void **state)
{
    clock_virtual_start();
    wr(PL031_IMSC, 1);
    wr(PL031_MR, rd(PL031_DR) + 1);
    assert_int_equal(irq_level, 0);
    assert_true(timer_pending(rtc->alarm));
    int64_t deadline = clock_get_ns(CLK_REALTIME) + 3 * NS_PER_SEC;
    while (!irq_level && clock_get_ns(CLK_REALTIME) < deadline) {
        main_loop_wait(100 * NS_PER_MS);
    }
    assert_int_equal(irq_level, 1);
    assert_int_equal(rd(PL031_DR), rd(PL031_MR));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_starts_at_host_time),
        T(test_load_and_frozen_clock),
        T(test_match_now_and_clear),
        T(test_match_from_timer),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
