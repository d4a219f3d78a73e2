/* Unit tests of the 16550A UART: transmit to a file chardev in batches, THRE interrupt
 * rules, receive with and without the FIFO (trigger level, character timeout, overrun),
 * line status and break, loopback and modem status, divisor latch, random writes, and
 * polling that leaves the interrupt line alone. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hw/char/serial.h"
#include "pc-test-util.h"

#define COM1 0x3f8
static SerialState *uart;
static char out_path[256];

static int setup(void **state)
{
    Error *err = NULL;
    char spec[300];
    Chardev *chr;

    pc_test_env_init(0);
    snprintf(out_path, sizeof(out_path), "%s/mimic-serial-%d.out",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    snprintf(spec, sizeof(spec), "file,id=ser0,path=%s", out_path);
    chr = chardev_new_from_spec(spec, &err);
    assert_non_null(chr);
    uart = isa_serial_create(pc_env.isa, 0, chr, pc_env.lines[4], &err);
    return uart ? 0 : -1;
}

static int teardown(void **state)
{
    Chardev *chr = uart->chr;
    pc_test_env_fini();
    chardev_delete(chr);
    unlink(out_path);
    return 0;
}

static void deliver(const char *bytes)
{
    uart->fe.read(uart->fe.opaque, (const uint8_t *)bytes, strlen(bytes));
}

static void test_transmit(void **state)
{
    char buf[64] = "";
    FILE *f;

    for (const char *p = "hello\n"; *p; p++) {
        assert_int_equal(inb(COM1 + 5) & 0x60, 0x60);
        outb(COM1, *p);
    }
    serial_flush(uart);
    f = fopen(out_path, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof(buf), f));
    fclose(f);
    assert_string_equal(buf, "hello\n");
}

static void test_thre_interrupt(void **state)
{
    outb(COM1 + 2, 0x01);                   /* FIFO on */
    assert_int_equal(inb(COM1 + 2), 0xc1);
    outb(COM1 + 1, 0x02);                   /* enabling THRI with THR empty interrupts */
    assert_int_equal(pc_env.level[4], 1);
    assert_int_equal(inb(COM1 + 2), 0xc2);
    assert_int_equal(pc_env.level[4], 0);   /* reading IIR cleared it */
    assert_int_equal(inb(COM1 + 2), 0xc1);
    outb(COM1, 'x');
    assert_int_equal(pc_env.level[4], 1);   /* sent: empty again */
    outb(COM1 + 1, 0x00);
    assert_int_equal(pc_env.level[4], 0);
}

static void test_receive_no_fifo(void **state)
{
    outb(COM1 + 1, 0x01);
    assert_int_equal(uart->fe.can_read(uart), 1);
    deliver("a");
    assert_int_equal(uart->fe.can_read(uart), 0);
    assert_int_equal(pc_env.level[4], 1);
    assert_int_equal(inb(COM1 + 2), 0x04);
    assert_int_equal(inb(COM1 + 5) & 0x01, 0x01);
    assert_int_equal(inb(COM1), 'a');
    assert_int_equal(pc_env.level[4], 0);
    assert_int_equal(inb(COM1 + 5) & 0x01, 0);
}

static void test_fifo_trigger_and_timeout(void **state)
{
    outb(COM1 + 2, 0x47);                   /* FIFO, clear, trigger 4 */
    outb(COM1 + 1, 0x01);
    assert_int_equal(uart->fe.can_read(uart), 16);
    deliver("abc");
    assert_int_equal(pc_env.level[4], 0);
    pc_test_clock_advance(4 * 10 * NS_PER_SEC / 9600 * 12 / 12 + 100000);
    assert_int_equal(pc_env.level[4], 1);
    assert_int_equal(inb(COM1 + 2), 0xcc);  /* character timeout */
    assert_int_equal(inb(COM1), 'a');
    assert_int_equal(pc_env.level[4], 0);
    deliver("de");
    assert_int_equal(inb(COM1 + 2), 0xc4);  /* 4 bytes: trigger level */
    for (const char *p = "bcde"; *p; p++) {
        assert_int_equal(inb(COM1), *p);
    }
    assert_int_equal(inb(COM1 + 5) & 0x01, 0);
}

static void test_overrun_and_break(void **state)
{
    outb(COM1 + 1, 0x05);                   /* RDI, RLSI */
    deliver("xy");                          /* no FIFO: y overruns */
    assert_int_equal(inb(COM1 + 2), 0x06);
    assert_int_equal(inb(COM1 + 5) & 0x03, 0x03);
    assert_int_equal(inb(COM1 + 5) & 0x02, 0);  /* OE cleared by the read */
    assert_int_equal(inb(COM1), 'x');
    uart->fe.event(uart, CHR_EVENT_BREAK);
    assert_int_equal(inb(COM1 + 2), 0x06);
    assert_int_equal(inb(COM1 + 5) & 0x11, 0x11);
    assert_int_equal(inb(COM1), 0);
}

static void test_loopback_and_modem(void **state)
{
    inb(COM1 + 6);
    assert_int_equal(inb(COM1 + 6), 0xb0);  /* CTS, DSR, DCD */
    outb(COM1 + 4, 0x1a);                   /* loop, OUT2, RTS (Linux's probe) */
    assert_int_equal(inb(COM1 + 6) & 0xf0, 0x90);
    outb(COM1 + 4, 0x1f);
    assert_int_equal(inb(COM1 + 6) & 0xf0, 0xf0);
    outb(COM1, 0x5a);
    assert_int_equal(inb(COM1 + 5) & 0x01, 0x01);
    assert_int_equal(inb(COM1), 0x5a);
    outb(COM1 + 4, 0x0b);
    outb(COM1 + 1, 0x08);                   /* modem status interrupt on a line change */
    assert_int_equal(pc_env.level[4], 1);
    assert_int_equal(inb(COM1 + 2), 0x00);
    inb(COM1 + 6);
    assert_int_equal(pc_env.level[4], 0);
}

static void test_divisor_and_scratch(void **state)
{
    outb(COM1 + 3, 0x83);
    outb(COM1, 0x01);
    outb(COM1 + 1, 0x00);
    assert_int_equal(inb(COM1), 0x01);
    assert_int_equal(inb(COM1 + 1), 0x00);
    outb(COM1 + 3, 0x03);
    assert_int_equal(uart->divider, 1);
    outb(COM1 + 7, 0xa5);
    assert_int_equal(inb(COM1 + 7), 0xa5);
    assert_int_equal(inb(COM1 + 3), 0x03);
}

static void test_random_writes(void **state)
{
    srand(16550);
    for (int i = 0; i < 20000; i++) {
        outb(COM1 + rand() % 8, rand());
        if (rand() % 4 == 0 && uart->fe.can_read(uart) > 0) {
            deliver("z");
        }
        inb(COM1 + rand() % 8);
        pc_test_clock_set(pc_test_clock_now() + rand() % 1000000);
        /* the line follows IIR's "interrupt pending" (bit 0 clear) after every step */
        assert_int_equal(pc_env.level[4], !(uart->iir & 1));
    }
    outb(COM1 + 4, 0);
    serial_flush(uart);
}

/* Polling LSR and IIR while an interrupt stays pending (or none is) leaves the line
 * alone: the level is driven on transitions only. */
static void test_polling_keeps_line(void **state)
{
    int calls;

    for (int i = 0; i < 100; i++) {
        inb(COM1 + 5);
    }
    calls = pc_env.calls[4];
    for (int i = 0; i < 100; i++) {
        inb(COM1 + 5);
    }
    assert_int_equal(pc_env.calls[4], calls);
    outb(COM1 + 3, 0x03);
    deliver("a");                           /* no FIFO: data ready at once */
    outb(COM1 + 1, 0x01);                   /* RDI on: the line rises once */
    assert_int_equal(pc_env.level[4], 1);
    calls = pc_env.calls[4];
    for (int i = 0; i < 100; i++) {
        assert_int_equal(inb(COM1 + 5) & 0x01, 0x01);
        assert_int_equal(inb(COM1 + 2) & 0x0f, 0x04);
    }
    assert_int_equal(pc_env.calls[4], calls);
    assert_int_equal(pc_env.level[4], 1);
    assert_int_equal(inb(COM1), 'a');       /* reading RBR drops it */
    assert_int_equal(pc_env.level[4], 0);
    assert_int_equal(pc_env.calls[4], calls + 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_transmit), T(test_thre_interrupt), T(test_receive_no_fifo),
        T(test_fifo_trigger_and_timeout), T(test_overrun_and_break),
        T(test_loopback_and_modem), T(test_divisor_and_scratch), T(test_random_writes),
        T(test_polling_keeps_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
