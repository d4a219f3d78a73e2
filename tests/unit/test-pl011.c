/* Unit tests for the PL011 UART (hw/char/pl011.c) on a file chardev: transmission, flags,
 * the receive FIFO with trigger levels and overrun, interrupt mask/status/clear, flow
 * control towards the chardev (can_read), break, loopback and the PrimeCell ID. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "chardev/chardev-internal.h"
#include "hw/char/pl011.h"
#include "system/main-loop.h"
#include "util/cutils.h"

typedef struct Fixture {
    PL011State *uart;
    Chardev *chr;
    char path[64];
    int irq_level;
    IRQ irq;
} Fixture;

static Fixture fix;

static void record_irq(void *opaque, int n, int level)
{
    ((Fixture *)opaque)->irq_level = level;
}

static int setup(void **state)
{
    Error *err = NULL;
    char *spec;

    main_loop_init();
    strcpy(fix.path, "/tmp/mimic-pl011-XXXXXX");
    int fd = mkstemp(fix.path);
    assert_true(fd >= 0);
    close(fd);
    spec = xasprintf("file,id=uart0,path=%s", fix.path);
    fix.chr = chardev_new_from_spec(spec, &err);
    free(spec);
    assert_non_null(fix.chr);
    DeviceState *dev = device_create(pl011_device_type.name, NULL, &err);
    assert_non_null(dev);
    fix.uart = DEVICE_CAST(PL011State, dev);
    fix.uart->chr = fix.chr;
    fix.irq = irq_new(record_irq, &fix, 0);
    fix.uart->irq = fix.irq;
    assert_int_equal(device_realize(dev, &err), 0);
    device_reset(dev);
    *state = &fix;
    return 0;
}

static int teardown(void **state)
{
    device_destroy(DEVICE(fix.uart));
    chardev_delete(fix.chr);
    irq_free(fix.irq);
    unlink(fix.path);
    qdev_destroy_all();
    return 0;
}

static uint32_t rd(hwaddr off)
{
    uint64_t v;
    assert_int_equal(memory_region_dispatch_read(&fix.uart->iomem, off, 4, &v), MEMTX_OK);
    return (uint32_t)v;
}

static void wr(hwaddr off, uint32_t v)
{
    assert_int_equal(memory_region_dispatch_write(&fix.uart->iomem, off, 4, v), MEMTX_OK);
}

static void feed(const char *s)
{
    chardev_be_read(fix.chr, (const uint8_t *)s, (int)strlen(s));
}

static void test_transmit(void **state)
{
    char buf[16] = { 0 };
    wr(PL011_DR, 'o');
    wr(PL011_DR, 'k');
    FILE *f = fopen(fix.path, "r");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, sizeof(buf) - 1, f), 2);
    fclose(f);
    assert_string_equal(buf, "ok");
    assert_int_equal(rd(PL011_FR), PL011_FR_TXFE | PL011_FR_RXFE);
    assert_true(rd(PL011_RIS) & PL011_INT_TX);
    assert_int_equal(fix.irq_level, 0);            /* masked */
    wr(PL011_IMSC, PL011_INT_TX);
    assert_int_equal(fix.irq_level, 1);
    assert_int_equal(rd(PL011_MIS), PL011_INT_TX);
    wr(PL011_ICR, PL011_INT_TX);
    assert_int_equal(fix.irq_level, 0);
}

static void test_receive_without_fifo(void **state)
{
    wr(PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
    assert_int_equal(fix.chr->fe->can_read(fix.uart), 1);     /* FEN clear: 1 entry */
    feed("a");
    assert_int_equal(fix.irq_level, 1);
    assert_int_equal(rd(PL011_FR) & (PL011_FR_RXFE | PL011_FR_RXFF), PL011_FR_RXFF);
    assert_int_equal(fix.chr->fe->can_read(fix.uart), 0);
    feed("b");                                     /* overrun: lost */
    assert_true(rd(PL011_RIS) & PL011_INT_OE);
    assert_int_equal(rd(PL011_DR), 'a');
    assert_int_equal(rd(PL011_RSR), 0x8);          /* overrun stays until UARTECR is written */
    wr(PL011_RSR, 0);
    assert_int_equal(rd(PL011_RSR), 0);
    assert_int_equal(fix.irq_level, 0);
    assert_int_equal(rd(PL011_FR) & PL011_FR_RXFE, PL011_FR_RXFE);
}

static void test_fifo_trigger_level(void **state)
{
    wr(PL011_LCR_H, PL011_LCR_FEN | 0x60);          /* FIFO on, 8 bits */
    wr(PL011_IFLS, 2 << 3);                         /* RX at 1/2 = 8 entries */
    wr(PL011_IMSC, PL011_INT_RX);
    assert_int_equal(fix.chr->fe->can_read(fix.uart), PL011_FIFO_DEPTH);
    feed("1234567");
    assert_int_equal(fix.irq_level, 0);
    assert_true(rd(PL011_RIS) & PL011_INT_RT);      /* timeout status while data waits */
    feed("8");
    assert_int_equal(fix.irq_level, 1);
    assert_int_equal(rd(PL011_DR), '1');
    assert_int_equal(fix.irq_level, 0);             /* 7 left: below the trigger */
    feed("9abcdefghi");                             /* 17 > 16: 'i' overruns */
    assert_int_equal(rd(PL011_FR) & PL011_FR_RXFF, PL011_FR_RXFF);
    assert_true(rd(PL011_RIS) & PL011_INT_OE);
    char got[17] = { 0 };
    for (int i = 0; i < 16; i++) {
        got[i] = (char)rd(PL011_DR);
    }
    assert_string_equal(got, "23456789abcdefgh");
    assert_false(rd(PL011_RIS) & (PL011_INT_RX | PL011_INT_RT));
    assert_int_equal(rd(PL011_DR), 0);             /* empty */
}

static void test_break_and_loopback(void **state)
{
    wr(PL011_IMSC, PL011_INT_BE);
    chardev_be_event(fix.chr, CHR_EVENT_BREAK);
    assert_int_equal(fix.irq_level, 1);
    assert_int_equal(rd(PL011_DR), 0x400);
    assert_int_equal(rd(PL011_RSR), 0x4);
    wr(PL011_RSR, 0);
    assert_int_equal(rd(PL011_RSR), 0);
    wr(PL011_ICR, 0x7ff);
    assert_int_equal(fix.irq_level, 0);
    wr(PL011_CR, 0x301 | PL011_CR_LBE);
    wr(PL011_DR, 'L');
    assert_int_equal(rd(PL011_DR), 'L');
    FILE *f = fopen(fix.path, "r");
    assert_int_equal(fgetc(f), EOF);                /* nothing went out */
    fclose(f);
}

static void test_registers_and_id(void **state)
{
    assert_int_equal(rd(PL011_CR), 0x300);
    assert_int_equal(rd(PL011_IFLS), 0x12);
    wr(PL011_IBRD, 0x12345);
    assert_int_equal(rd(PL011_IBRD), 0x2345);
    wr(PL011_FBRD, 0xff);
    assert_int_equal(rd(PL011_FBRD), 0x3f);
    static const uint8_t id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
    for (int i = 0; i < 8; i++) {
        assert_int_equal(rd(PL011_ID + 4 * i), id[i]);
    }
    assert_int_equal(rd(0x800), 0);                 /* reserved */
    /* a byte read of UARTFR goes through the 4-byte register */
    uint64_t v;
    memory_region_dispatch_read(&fix.uart->iomem, PL011_FR, 1, &v);
    assert_int_equal(v, PL011_FR_TXFE | PL011_FR_RXFE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_transmit),
        T(test_receive_without_fifo),
        T(test_fifo_trigger_level),
        T(test_break_and_loopback),
        T(test_registers_and_id),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
