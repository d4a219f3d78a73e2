/* Unit tests for the human monitor: line editing fed as raw terminal bytes, history,
 * completion, commands against a fake machine, and x/xp output in QEMU's format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "config-host.h"
#include "fake-monitor-system.h"
#include "monitor/hmp-internal.h"
#include "monitor/readline.h"

static HmpSession *hs;
static Capture cap;

static int setup(void **state)
{
    fake_machine_reset(state);
    capture_clear(&cap);
    hs = hmp_session_new(&fake_system, capture_write, &cap);
    return 0;
}

static int teardown(void **state)
{
    hmp_session_free(hs);
    capture_free(&cap);
    return 0;
}

static void feed(const char *bytes)
{
    hmp_session_input(hs, bytes, strlen(bytes));
}

/* Checks the line being edited and the cursor. */
static void assert_line(const char *want, size_t want_cursor)
{
    size_t cursor;
    assert_string_equal(hmp_session_current_line(hs, &cursor), want);
    assert_int_equal(cursor, want_cursor);
}

/* Runs a command line directly; returns its output (static buffer). */
static const char *run(const char *cmdline)
{
    static char text[8192];
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    hmp_session_execute(hs, cmdline, out);
    fclose(out);
    snprintf(text, sizeof(text), "%s", buf);
    free(buf);
    return text;
}

static int count_substr(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) {
        n++;
    }
    return n;
}

/* ---- line editing ---- */

static void test_cursor_movement(void **state)
{
    feed("abc");
    assert_line("abc", 3);
    feed("\033[D\033[D");           /* left, left */
    assert_line("abc", 1);
    feed("X");
    assert_line("aXbc", 2);
    feed("\001Z");                  /* Ctrl-A, insert at start */
    assert_line("ZaXbc", 1);
    feed("\005!");                  /* Ctrl-E, insert at end */
    assert_line("ZaXbc!", 6);
    feed("\033[H");                 /* Home */
    assert_line("ZaXbc!", 0);
    feed("\033[F");                 /* End */
    assert_line("ZaXbc!", 6);
    feed("\033[1~");                /* Home (vt) */
    assert_line("ZaXbc!", 0);
    feed("\033[4~");                /* End (vt) */
    assert_line("ZaXbc!", 6);
    feed("\033OH");                 /* Home (SS3) */
    assert_line("ZaXbc!", 0);
    feed("\033[C\033[C");           /* right, right */
    assert_line("ZaXbc!", 2);
    feed("\033[D\033[D\033[D");     /* left past the start stays at 0 */
    assert_line("ZaXbc!", 0);
    /* an escape sequence split across reads */
    feed("\033");
    feed("[");
    feed("F");
    assert_line("ZaXbc!", 6);
    /* the redraw put the terminal cursor back with CSI n D */
    assert_non_null(strstr(cap.buf, "\r(mimic) aXbc\033[K\033[2D"));
}

static void test_deletion(void **state)
{
    feed("hello world");
    feed("\177");                   /* DEL = backspace */
    assert_line("hello worl", 10);
    feed("\010");                   /* Ctrl-H */
    assert_line("hello wor", 9);
    feed("\001\033[3~");            /* Home, Delete */
    assert_line("ello wor", 0);
    feed("\004");                   /* Ctrl-D deletes under the cursor */
    assert_line("llo wor", 0);
    feed("\177");                   /* backspace at the start: nothing */
    assert_line("llo wor", 0);
    feed("\033[C\033[C\013");       /* right, right, Ctrl-K */
    assert_line("ll", 2);
    feed("o one two  ");
    feed("\027");                   /* Ctrl-W: word and the spaces after it */
    assert_line("llo one ", 8);
    feed("\033[D\033[D\025");       /* left, left, Ctrl-U */
    assert_line("e ", 0);
}

static void test_utf8_editing(void **state)
{
    feed("a\xc3\xa9\xe2\x82\xac");          /* a, e-acute, euro sign */
    assert_line("a\xc3\xa9\xe2\x82\xac", 6);
    feed("\033[D");                          /* left over the 3-byte euro sign */
    assert_line("a\xc3\xa9\xe2\x82\xac", 3);
    feed("\033[D");
    assert_line("a\xc3\xa9\xe2\x82\xac", 1);
    capture_clear(&cap);
    feed("x");                                /* the terminal moves back 2 characters */
    assert_line("ax\xc3\xa9\xe2\x82\xac", 2);
    assert_non_null(strstr(cap.buf, "\033[K\033[2D"));
    feed("\033[C\177");                      /* right, backspace: deletes the e-acute */
    assert_line("ax\xe2\x82\xac", 2);
    feed("\033[3~");                          /* delete: the euro sign */
    assert_line("ax", 2);
}

static void test_enter_and_crlf(void **state)
{
    feed("stop\r\n");
    assert_int_equal(fake.stops, 1);
    assert_int_equal(count_substr(cap.buf, HMP_PROMPT), 1);    /* CR LF is one Enter */
    assert_line("", 0);
    fake.state = RUN_STATE_RUNNING;
    feed("stop\n");
    assert_int_equal(fake.stops, 2);
    feed("info status\r");
    assert_non_null(strstr(cap.buf, "info status\r\nVM status: paused\r\n\r(mimic) "));
}

static void test_history(void **state)
{
    feed("info version\r");
    feed("info status\r");
    feed("info status\r");          /* repeated: stored once */
    feed("typing");
    feed("\033[A");
    assert_line("info status", 11);
    feed("\033[A");
    assert_line("info version", 12);
    feed("\033[A");                 /* oldest: stays */
    assert_line("info version", 12);
    feed("\033[B");
    assert_line("info status", 11);
    feed("\033[B");                 /* back to what was being typed */
    assert_line("typing", 6);
    feed("\033[B");
    assert_line("typing", 6);
    feed("\025\020\020");           /* Ctrl-U, Ctrl-P twice */
    assert_line("info version", 12);
    feed("\r");
    assert_non_null(strstr(run("info history"), "2: 'info version'"));
}

static void test_completion(void **state)
{
    feed("inf\t");
    assert_line("info ", 5);
    feed("ve\t");
    assert_line("info version ", 13);
    feed("\025sys\t");              /* system_reset, system_powerdown: common prefix */
    assert_line("system_", 7);
    capture_clear(&cap);
    feed("\t");                     /* nothing more in common: list them */
    assert_non_null(strstr(cap.buf, "system_reset"));
    assert_non_null(strstr(cap.buf, "system_powerdown"));
    assert_line("system_", 7);
    feed("r\t");
    assert_line("system_reset ", 13);
    feed("\025zz\t");               /* no match: unchanged */
    assert_line("zz", 2);
    feed("\025help x\t");           /* x and xp */
    assert_line("help x", 6);
}

static void test_line_limits(void **state)
{
    char big[3000];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    feed(big);
    size_t cursor;
    const char *line = hmp_session_current_line(hs, &cursor);
    assert_int_equal(strlen(line), READLINE_MAX_LINE - 1);
    feed("\r");
    assert_non_null(strstr(cap.buf, "unknown command: 'aaaa"));
    /* unknown escape sequences and stray control bytes are ignored */
    feed("\033[99Zq\033[12;5~\007\033x");
    assert_line("q", 1);
}

/* Deterministic random keys (xorshift) drawn from command words, escape sequences and
 * control keys: whatever is typed, the session survives and keeps its invariants. */
static void test_random_keys(void **state)
{
    static const char *const pieces[] = {
        "info ", "x", "xp", " /", "4", "w", "g", "c", "s", "i", "z", " 0x", "ff", "$esp",
        "+", "-", "help", "registers", "status", "cpu ", "1", "version", "\033[A", "\033[B",
        "\033[C", "\033[D", "\033[3~", "\033[1~", "\033[", "\033O", "\033", "\001", "\005",
        "\013", "\025", "\027", "\010", "\177", "\t", "\r", "\n", "\r\n", " ", "\xc3",
        "\xa9", "\xff", "\000",
    };
    uint32_t x = 2463534242u;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        const char *piece = pieces[x % (sizeof(pieces) / sizeof(pieces[0]))];
        hmp_session_input(hs, piece, piece[0] ? strlen(piece) : 1);
        size_t cursor;
        const char *line = hmp_session_current_line(hs, &cursor);
        assert_true(cursor <= strlen(line));
        assert_true(strlen(line) < READLINE_MAX_LINE);
        if (cap.len > (1u << 20)) {
            capture_clear(&cap);
        }
    }
}

/* ---- commands ---- */

static void test_info(void **state)
{
    char want[64];
    snprintf(want, sizeof(want), "%s\n", MIMIC_VERSION);
    assert_string_equal(run("info version"), want);
    assert_string_equal(run("info status"), "VM status: running\n");
    fake.state = RUN_STATE_PAUSED;
    assert_string_equal(run("info status"), "VM status: paused\n");
    fake.state = RUN_STATE_SHUTDOWN;
    assert_string_equal(run("info status"), "VM status: paused (shutdown)\n");
    assert_string_equal(run("info cpus"), "* CPU #0: pc=0x0000fff0\n"
                                          "  CPU #1: pc=0x0000fff0 (halted)\n");
    assert_string_equal(run("info registers"), "EAX=00001234 ESP=c0000100 EIP=0000fff0\n");
    assert_string_equal(run("cpu 1"), "");
    assert_string_equal(run("info registers"), "EAX=00001235 ESP=c0000100 EIP=0000fff0\n");
    assert_non_null(strstr(run("info cpus"), "* CPU #1"));
    assert_non_null(strstr(run("cpu 7"), "no CPU #7"));
    fake.dumps = 0;
    assert_non_null(strstr(run("info registers -a"), "CPU#1\n"));
    assert_int_equal(fake.dumps, 2);
    assert_non_null(strstr(run("info mtree"), "address-space: memory"));
    assert_non_null(strstr(run("info chardev"), "compat_monitor0"));
    assert_non_null(strstr(run("info qtree"), "main-system-bus"));
    assert_string_equal(run("info nosuch"),
                        "unknown info subcommand: 'nosuch' (try 'info' for the list)\n");
    assert_non_null(strstr(run("info"), "info registers  -- "));
}

static void test_info_qtree_unavailable(void **state)
{
    MonitorSystem sys = fake_system;
    sys.print_qtree = NULL;
    HmpSession *other = hmp_session_new(&sys, capture_write, &cap);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    hmp_session_execute(other, "info qtree", out);
    fclose(out);
    assert_non_null(strstr(buf, "not available"));
    free(buf);
    hmp_session_free(other);
}

static void info_jit(FILE *out, const char *args)
{
    fprintf(out, "translated blocks: 42 [%s]\n", args);
}

static void test_info_registration(void **state)
{
    assert_non_null(strstr(run("info jit"), "unknown info subcommand"));
    monitor_register_info("jit", "show translator statistics", info_jit);
    assert_string_equal(run("info jit -v"), "translated blocks: 42 [-v]\n");
    assert_non_null(strstr(run("info"), "info jit  -- show translator statistics"));
    assert_non_null(strstr(run("help info"), "info jit  -- show translator statistics"));
    feed("info j\t");
    assert_line("info jit ", 9);
}

static void test_run_control(void **state)
{
    assert_string_equal(run("stop"), "");
    assert_int_equal(fake.stops, 1);
    assert_int_equal(fake.state, RUN_STATE_PAUSED);
    assert_string_equal(run("stop"), "");       /* already stopped: nothing to do */
    assert_int_equal(fake.stops, 1);
    assert_string_equal(run("c"), "");
    assert_int_equal(fake.starts, 1);
    assert_int_equal(fake.state, RUN_STATE_RUNNING);
    fake.state = RUN_STATE_INTERNAL_ERROR;
    const char *out = run("cont");
    assert_non_null(strstr(out, "Resetting the Virtual Machine is required"));
    assert_int_equal(count_substr(out, "\n"), 1);   /* errors on one line */
    assert_int_equal(fake.starts, 1);
    run("system_reset");
    assert_int_equal(fake.resets, 1);
    assert_int_equal(fake.last_cause, SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    run("system_powerdown");
    assert_int_equal(fake.powerdowns, 1);
    run("q");
    assert_int_equal(fake.shutdowns, 1);
    assert_int_equal(fake.last_cause, SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static void test_help_and_unknown(void **state)
{
    assert_string_equal(run("foo"), "unknown command: 'foo'\n");
    assert_string_equal(run("   "), "");
    const char *out = run("help");
    assert_non_null(strstr(out, "cont|c  -- resume emulation\n"));
    assert_non_null(strstr(out, "xp /fmt addr  -- physical memory dump"));
    assert_string_equal(run("help quit"), "quit|q  -- quit the emulator\n");
    assert_string_equal(run("? stop"), "stop  -- stop emulation\n");
    assert_string_equal(run("help nope"), "unknown command: 'nope'\n");
}

static void test_session_output(void **state)
{
    feed("half a line\033[");           /* the previous client left this */
    hmp_session_open(hs);
    assert_line("", 0);
    feed("A");                          /* not the end of an escape sequence any more */
    assert_line("A", 1);
    feed("\025");
    assert_non_null(strstr(cap.buf, "monitor - type 'help' for more information\r\n\r(mimic) "));
    capture_clear(&cap);
    char *text = hmp_execute_capture(&fake_system, "info status", -1);
    assert_string_equal(text, "VM status: running\r\n");
    free(text);
}

/* ---- x / xp ---- */

static void test_xp_formats(void **state)
{
    assert_string_equal(run("xp /4wx 0x1000"),
                        "0000000000001000: 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c\n");
    assert_string_equal(run("xp /10bx 0x10"),
                        "0000000000000010: 0x10 0x11 0x12 0x13 0x14 0x15 0x16 0x17\n"
                        "0000000000000018: 0x18 0x19\n");
    assert_string_equal(run("xp /2gx 0x20"),
                        "0000000000000020: 0x2726252423222120 0x2f2e2d2c2b2a2928\n");
    fake.ram[0x100] = 0xff;
    fake.ram[0x101] = 0xff;
    fake.ram[0x102] = 0x05;
    fake.ram[0x103] = 0x00;
    assert_string_equal(run("xp /2hd 0x100"), "0000000000000100:    -1     5\n");
    assert_string_equal(run("xp /2hu 0x100"), "0000000000000100: 65535     5\n");
    assert_string_equal(run("xp /1bo 0x108"), "0000000000000108: 010\n");
    assert_string_equal(run("xp /1wd 0x100"), "0000000000000100:     393215\n");
    memcpy(fake.ram + 0x200, "Hi\n\\'\001", 6);
    assert_string_equal(run("xp /6c 0x200"),
                        "0000000000000200: 'H' 'i' '\\n' '\\\\' '\\'' '\\x01'\n");
    /* no space between command and format */
    assert_string_equal(run("xp/1wx 0x1000"), "0000000000001000: 0x03020100\n");
}

static void test_x_defaults(void **state)
{
    assert_string_equal(run("xp 0x1000"), "0000000000001000: 0x03020100\n");  /* 1wx */
    run("xp /2hd 0");
    /* format and size are remembered, the count is not */
    assert_string_equal(run("xp 0x102"), "0000000000000102:   770\n");
    assert_string_equal(run("xp /2 0x100"), "0000000000000100:   256   770\n");
}

static void test_x_virtual(void **state)
{
    assert_string_equal(run("x /2wx 0xc0001000"), "c0001000: 0x03020100 0x07060504\n");
    /* across a page boundary */
    assert_string_equal(run("x /2wx 0xc0000ffc"), "c0000ffc: 0xfffefdfc 0x03020100\n");
    /* $register and arithmetic */
    assert_string_equal(run("x /1wx $esp+0x10"), "c0000110: 0x13121110\n");
    assert_string_equal(run("x /1bx $ESP - 1"), "c00000ff: 0xff\n");
    assert_string_equal(run("x /1wx 0x1000"), "00001000: Cannot access memory\n");
}

static void test_x_errors(void **state)
{
    assert_string_equal(run("xp /4z 0"), "xp: invalid char in format: 'z'\n");
    assert_string_equal(run("xp /4wx"), "xp: address expected\n");
    assert_string_equal(run("xp /x foo"), "xp: invalid address 'foo'\n");
    assert_string_equal(run("xp /x 12 34"), "xp: junk after the address: '34'\n");
    assert_string_equal(run("x /x $nosuch"), "x: unknown register '$nosuch'\n");
    assert_non_null(strstr(run("xp /100000gx 0"), "too large"));
    assert_string_equal(run("xp /1wx 0x20000"), "0000000000020000: Cannot access memory\n");
    /* starts readable, runs off the end of RAM */
    assert_string_equal(run("xp /8wx 0xfff0"),
                        "000000000000fff0: 0xf3f2f1f0 0xf7f6f5f4 0xfbfaf9f8 0xfffefdfc\n"
                        "0000000000010000: Cannot access memory\n");
    assert_non_null(strstr(run("xp /2i 0"), "needs a disassembler"));
    /* a failing hex parse near UINT64_MAX wraps no pointer: unreadable, not a crash */
    assert_string_equal(run("xp /1bx 0xffffffffffffffff"),
                        "ffffffffffffffff: Cannot access memory\n");
}

static int fake_disas(FILE *out, CPUState *cpu, uint64_t addr, const uint8_t *code, size_t len)
{
    fprintf(out, "insn%02x", code[0]);
    return code[0] % 2 ? 1 : 2;
}

static void test_x_instructions_and_strings(void **state)
{
    monitor_set_disassembler(fake_disas);
    assert_string_equal(run("xp /3i 0x11"),
                        "0x0000000000000011:  insn11\n"
                        "0x0000000000000012:  insn12\n"
                        "0x0000000000000014:  insn14\n");
    monitor_set_disassembler(NULL);
    memcpy(fake.ram + 0x300, "boot\0\"q\"\x02", 10);
    assert_string_equal(run("xp /2s 0x300"),
                        "0000000000000300: \"boot\"\n"
                        "0000000000000305: \"\\\"q\\\"\\x02\"\n");
}

/* As QEMU: words a command does not take are an error, and the command does not run. */
static void test_extraneous_arguments(void **state)
{
    assert_string_equal(run("stop now"), "stop: extraneous characters at the end of line\n");
    assert_int_equal(fake.stops, 0);
    assert_string_equal(run("q please"), "quit: extraneous characters at the end of line\n");
    assert_int_equal(fake.shutdowns, 0);
    assert_string_equal(run("system_reset 1"),
                        "system_reset: extraneous characters at the end of line\n");
    assert_int_equal(fake.resets, 0);
    assert_string_equal(run("cpu 1 2"), "cpu: extraneous characters at the end of line\n");
    assert_string_equal(run("info status now"),
                        "info status: extraneous characters at the end of line\n");
    assert_string_equal(run("help quit stop"),
                        "help: extraneous characters at the end of line\n");
    assert_non_null(strstr(run("info registers -a"), "CPU"));
    assert_string_equal(run("info name"), "");      /* no -name: nothing, as QEMU */
}

/* A monitor on a pipe or file gets no terminal escape sequences. */
static void test_plain_output(void **state)
{
    hmp_session_set_plain(hs, true);
    capture_clear(&cap);
    feed("abc\x1b[D\x1b[Dx");          /* cursor moves and an insertion mid-line */
    assert_null(memchr(cap.buf, 0x1b, cap.len));
    hmp_session_set_plain(hs, false);
    capture_clear(&cap);
    feed("y\x1b[D");
    assert_non_null(memchr(cap.buf, 0x1b, cap.len));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_cursor_movement),
        T(test_deletion),
        T(test_utf8_editing),
        T(test_enter_and_crlf),
        T(test_history),
        T(test_completion),
        T(test_line_limits),
        T(test_random_keys),
        T(test_info),
        T(test_info_qtree_unavailable),
        T(test_info_registration),
        T(test_run_control),
        T(test_help_and_unknown),
        T(test_extraneous_arguments),
        T(test_plain_output),
        T(test_session_output),
        T(test_xp_formats),
        T(test_x_defaults),
        T(test_x_virtual),
        T(test_x_errors),
        T(test_x_instructions_and_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
