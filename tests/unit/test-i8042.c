/* Unit tests of the i8042 with PS/2 keyboard and mouse and of port 0x92: self test,
 * command byte, keyboard and mouse command replies with IRQ 1/12, scancodes of sendkey in
 * set 1 (translated) and set 2, aux loopback (0xD3) as Linux probes it, A20 through the
 * output port and port 0x92, resets through 0xFE, 0xD1 and port 0x92, random writes, and
 * keys and mouse motion from the display's input layer (set 2, disabled keyboard, motion
 * packets split at 255, the IntelliMouse wheel). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "hw/i386/port92.h"
#include "hw/input/i8042.h"
#include "pc-test-util.h"
#include "system/runstate.h"
#include "ui/input.h"

static KBDState *kbd;
static Port92State *p92;
static int resets;

static void on_event(void *opaque, RunEvent event, ShutdownCause cause)
{
    if (event == RUN_EVENT_RESET && cause == SHUTDOWN_CAUSE_GUEST_RESET) {
        resets++;
    }
}

static int setup(void **state)
{
    pc_test_env_init(0);
    kbd = i8042_create(pc_env.isa, pc_env.lines[1], pc_env.lines[12], pc_env.lines[20], NULL);
    p92 = port92_create(pc_env.isa, pc_env.lines[21], NULL);
    runstate_add_listener(on_event, NULL);
    resets = 0;
    return kbd && p92 ? 0 : -1;
}

static int teardown(void **state)
{
    runstate_remove_listener(on_event, NULL);
    pc_test_env_fini();
    return 0;
}

static int read_byte(void)
{
    if (!(inb(0x64) & 1)) {
        return -1;
    }
    return inb(0x60);
}

static void test_self_test_and_mode(void **state)
{
    outb(0x64, 0xaa);
    assert_int_equal(inb(0x64) & 0x05, 0x05);       /* OBF, SYS */
    assert_int_equal(read_byte(), 0x55);
    outb(0x64, 0x20);
    assert_int_equal(read_byte(), 0x03);
    outb(0x64, 0x60);
    outb(0x60, 0x45);                               /* translate, SYS, kbd int */
    outb(0x64, 0x20);
    assert_int_equal(read_byte(), 0x45);
    assert_int_equal(read_byte(), -1);
    outb(0x64, 0xab);
    assert_int_equal(read_byte(), 0x00);
}

static void test_keyboard_commands(void **state)
{
    outb(0x60, 0xff);                               /* reset */
    assert_int_equal(pc_env.level[1], 1);
    assert_int_equal(read_byte(), 0xfa);
    assert_int_equal(read_byte(), 0xaa);
    assert_int_equal(pc_env.level[1], 0);
    outb(0x60, 0xf2);
    assert_int_equal(read_byte(), 0xfa);
    assert_int_equal(read_byte(), 0xab);
    assert_int_equal(read_byte(), 0x83);
    outb(0x60, 0xed);
    outb(0x60, 0x07);
    assert_int_equal(read_byte(), 0xfa);
    assert_int_equal(read_byte(), 0xfa);
    assert_int_equal(kbd->kbd.leds, 7);
    outb(0x60, 0x12);                               /* unknown: resend */
    assert_int_equal(read_byte(), 0xfe);
}

static void test_sendkey_scancodes(void **state)
{
    Error *err = NULL;

    assert_int_equal(i8042_send_keys(kbd, "ctrl-alt-delete", NULL), 0);
    /* not translated: set 2 */
    static const int set2[] = { 0x14, 0x11, 0xe0, 0x71, 0xe0, 0xf0, 0x71, 0xf0, 0x11,
                                0xf0, 0x14 };
    for (size_t i = 0; i < sizeof(set2) / sizeof(set2[0]); i++) {
        assert_int_equal(read_byte(), set2[i]);
    }
    outb(0x64, 0x60);
    outb(0x60, 0x41);                               /* translation on */
    i8042_send_keys(kbd, "a", NULL);
    assert_int_equal(read_byte(), 0x1e);
    assert_int_equal(read_byte(), 0x9e);
    assert_int_equal(i8042_send_keys(kbd, "ctrl-frob", &err), -1);
    assert_string_equal(error_get_message(err), "invalid parameter: frob");
    error_free(err);
}

/* The display's input layer reaches the PS/2 keyboard and mouse. */
static void test_input_layer(void **state)
{
    input_key(input_qnum_from_name("up"), true);            /* set 2: E0 75 */
    assert_int_equal(read_byte(), 0xe0);
    assert_int_equal(read_byte(), 0x75);
    input_key(input_qnum_from_name("up"), false);
    assert_int_equal(read_byte(), 0xe0);
    assert_int_equal(read_byte(), 0xf0);
    assert_int_equal(read_byte(), 0x75);
    outb(0x60, 0xf5);                                       /* keyboard disabled */
    assert_int_equal(read_byte(), 0xfa);
    input_key(input_qnum_from_name("a"), true);
    assert_int_equal(read_byte(), -1);
    outb(0x60, 0xf4);
    assert_int_equal(read_byte(), 0xfa);
    /* mouse: no packets before the guest enables reporting */
    outb(0x64, 0xa8);
    input_pointer_rel(5, 3, 0, INPUT_BUTTON_LEFT);
    assert_int_equal(read_byte(), -1);
    outb(0x64, 0xd4);
    outb(0x60, 0xf4);
    assert_int_equal(read_byte(), 0xfa);
    input_pointer_rel(5, 3, 0, INPUT_BUTTON_LEFT);         /* host y down = PS/2 y -3 */
    assert_int_equal(read_byte(), 0x29);
    assert_int_equal(read_byte(), 0x05);
    assert_int_equal(read_byte(), 0xfd);
    input_pointer_rel(-300, 0, 0, 0);                       /* split into two packets */
    assert_int_equal(read_byte(), 0x18);
    assert_int_equal(read_byte(), 0x01);
    assert_int_equal(read_byte(), 0x00);
    assert_int_equal(read_byte(), 0x18);
    assert_int_equal(read_byte(), 0xd3);
    assert_int_equal(read_byte(), 0x00);
    /* the IntelliMouse wheel: rates 200, 100, 80 then id 3 and 4-byte packets */
    for (int i = 0; i < 3; i++) {
        outb(0x64, 0xd4);
        outb(0x60, 0xf3);
        outb(0x64, 0xd4);
        outb(0x60, (int[]){ 200, 100, 80 }[i]);
        assert_int_equal(read_byte(), 0xfa);
        assert_int_equal(read_byte(), 0xfa);
    }
    outb(0x64, 0xd4);
    outb(0x60, 0xf2);
    assert_int_equal(read_byte(), 0xfa);
    assert_int_equal(read_byte(), 0x03);
    input_pointer_rel(0, 0, -1, 0);
    assert_int_equal(read_byte(), 0x08);
    assert_int_equal(read_byte(), 0x00);
    assert_int_equal(read_byte(), 0x00);
    assert_int_equal(read_byte(), 0x0f);
}

static void test_mouse_and_aux_loopback(void **state)
{
    outb(0x64, 0xa8);
    outb(0x64, 0xd3);                               /* Linux's aux loopback probe */
    outb(0x60, 0x5a);
    assert_int_equal(inb(0x64) & 0x21, 0x21);
    assert_int_equal(pc_env.level[12], 1);
    assert_int_equal(read_byte(), 0x5a);
    assert_int_equal(pc_env.level[12], 0);
    outb(0x64, 0xd4);
    outb(0x60, 0xff);                               /* mouse reset */
    assert_int_equal(read_byte(), 0xfa);
    assert_int_equal(read_byte(), 0xaa);
    assert_int_equal(read_byte(), 0x00);
    outb(0x64, 0xd4);
    outb(0x60, 0xf3);
    outb(0x64, 0xd4);
    outb(0x60, 200);
    outb(0x64, 0xd4);
    outb(0x60, 0xe9);                               /* status */
    assert_int_equal(read_byte(), 0xfa);
    assert_int_equal(read_byte(), 0xfa);
    assert_int_equal(read_byte(), 0xfa);
    assert_int_equal(read_byte(), 0x00);
    assert_int_equal(read_byte(), 2);
    assert_int_equal(read_byte(), 200);
}

/* Linux's atkbd probe: GETID answers ACK, 0xAB, 0x41 (translated 0x83) at once; each byte
 * read must leave IRQ 1 low for a moment so that the next one is a new (edge) interrupt. */
static void test_each_byte_is_an_edge(void **state)
{
    outb(0x64, 0x60);
    outb(0x60, 0x47);                       /* interrupts on, translation */
    outb(0x60, 0xf2);
    assert_int_equal(pc_env.raises[1], 1);
    assert_int_equal(read_byte(), 0xfa);
    assert_int_equal(pc_env.raises[1], 2);
    assert_int_equal(read_byte(), 0xab);
    assert_int_equal(pc_env.raises[1], 3);
    assert_int_equal(read_byte(), 0x41);
    assert_int_equal(pc_env.level[1], 0);
}

static void test_a20_and_resets(void **state)
{
    assert_int_equal(pc_env.level[20], 1);          /* A20 on after reset */
    outb(0x64, 0xd1);
    outb(0x60, 0xdd);                               /* A20 off, keep reset high */
    assert_int_equal(pc_env.level[20], 0);
    outb(0x64, 0xd0);
    assert_int_equal(read_byte() & 0x03, 0x01);
    outb(0x64, 0xdf);
    assert_int_equal(pc_env.level[20], 1);
    outb(0x92, 0x02);
    assert_int_equal(pc_env.level[21], 1);
    assert_int_equal(inb(0x92), 0x02);
    runstate_process_requests();
    assert_int_equal(resets, 0);
    outb(0x64, 0xfe);                               /* pulse reset */
    runstate_process_requests();
    assert_int_equal(resets, 1);
    outb(0x92, 0x03);                               /* fast reset */
    runstate_process_requests();
    assert_int_equal(resets, 2);
}

static void test_random_writes(void **state)
{
    srand(8042);
    for (int i = 0; i < 20000; i++) {
        uint8_t cmd = rand();
        if (cmd >= 0xf0 || cmd == 0xd1) {
            continue;                               /* resets: tested above */
        }
        outb((rand() & 1) ? 0x64 : 0x60, cmd);
        inb((rand() & 1) ? 0x64 : 0x60);
        if (rand() % 50 == 0) {
            i8042_send_keys(kbd, "shift-a", NULL);
        }
    }
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_self_test_and_mode), T(test_keyboard_commands), T(test_sendkey_scancodes),
        T(test_input_layer),
        T(test_mouse_and_aux_loopback), T(test_a20_and_resets), T(test_each_byte_is_an_edge),
        T(test_random_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
