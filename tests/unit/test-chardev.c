/* Unit tests for chardev/: the mux escape state machine, the file, pipe, null and unix
 * socket backends (server and client), flow control, and -chardev / short-form parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>
#include "chardev/chardev-internal.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "util/cutils.h"

/* What the run state code tells its listeners. */
static int shutdown_events;
static ShutdownCause last_shutdown_cause;

static void count_shutdowns(void *opaque, RunEvent event, ShutdownCause cause)
{
    if (event == RUN_EVENT_SHUTDOWN) {
        shutdown_events++;
        last_shutdown_cause = cause;
    }
}

static void expect_spec_error(const char *spec, const char *needle);

/* --- a recording front end ------------------------------------------------------------ */

typedef struct TestFe {
    CharFrontend fe;
    uint8_t data[256];
    int len;
    int room;               /* what can_read answers; -1: unlimited */
    ChardevEvent events[32];
    int nevents;
} TestFe;

static int fe_can_read(void *opaque)
{
    TestFe *t = opaque;

    return t->room < 0 ? 256 : t->room;
}

static void fe_read(void *opaque, const uint8_t *buf, int len)
{
    TestFe *t = opaque;

    assert_true(bql_locked());     /* front-end callbacks run under the big lock */
    assert_true(t->len + len <= (int)sizeof(t->data));
    memcpy(t->data + t->len, buf, (size_t)len);
    t->len += len;
    if (t->room > 0) {
        t->room -= len;
    }
}

static void fe_event(void *opaque, ChardevEvent event)
{
    TestFe *t = opaque;

    assert_true(t->nevents < 32);
    t->events[t->nevents++] = event;
}

static void fe_attach(TestFe *t, Chardev *chr)
{
    memset(t, 0, sizeof(*t));
    t->room = -1;
    assert_int_equal(chardev_attach(&t->fe, chr, fe_can_read, fe_read, fe_event, t, NULL), 0);
}

static bool fe_has_event(const TestFe *t, ChardevEvent ev)
{
    for (int i = 0; i < t->nevents; i++) {
        if (t->events[i] == ev) {
            return true;
        }
    }
    return false;
}

/* --- temp dir ------------------------------------------------------------------------- */

static char tmpdir[64];

static int setup_tmpdir(void **state)
{
    strcpy(tmpdir, "/tmp/mimic-chardev-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    main_loop_init();
    return 0;
}

static int teardown_tmpdir(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    int rc = system(cmd);

    free(cmd);
    return rc == 0 ? 0 : -1;
}

static char *tmp_path(const char *name)
{
    return xasprintf("%s/%s", tmpdir, name);
}

static char *read_file_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = xzalloc(8192);

    assert_non_null(f);
    size_t n = fread(buf, 1, 8191, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static Chardev *new_chardev(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static Chardev *new_chardev(const char *fmt, ...)
{
    va_list ap;
    char *spec;
    Error *err = NULL;
    Chardev *chr;

    va_start(ap, fmt);
    assert_true(vasprintf(&spec, fmt, ap) >= 0);
    va_end(ap);
    chr = chardev_new_from_spec(spec, &err);
    if (!chr) {
        fail_msg("'%s': %s", spec, error_get_message(err));
    }
    free(spec);
    return chr;
}

/* --- mux ---------------------------------------------------------------------------- */

typedef struct MuxFixture {
    Chardev *mux;
    Chardev *base;
    char *out_path;
    char *base_id;
    TestFe a, b;
} MuxFixture;

static void mux_setup(MuxFixture *m, const char *id)
{
    char *base_id = xasprintf("%s-base", id);

    m->base_id = base_id;
    m->out_path = tmp_path(id);
    m->mux = new_chardev("file,id=%s,path=%s,mux=on", id, m->out_path);
    assert_true(chardev_is_mux(m->mux));
    m->base = chardev_find(base_id);
    assert_non_null(m->base);
    fe_attach(&m->a, m->mux);
    fe_attach(&m->b, m->mux);
}

static void mux_teardown(MuxFixture *m)
{
    chardev_detach(&m->a.fe);
    chardev_detach(&m->b.fe);
    chardev_delete(m->mux);
    assert_null(chardev_find(m->base_id));   /* the base goes with its mux */
    free(m->base_id);
    free(m->out_path);
}

static void mux_type(MuxFixture *m, const char *bytes)
{
    chardev_be_read(m->base, (const uint8_t *)bytes, (int)strlen(bytes));
}

static void test_mux_attach_order_and_focus(void **state)
{
    MuxFixture m;

    mux_setup(&m, "mux1");
    assert_int_equal(m.a.fe.mux_index, 0);
    assert_int_equal(m.b.fe.mux_index, 1);
    /* The first front end takes the focus; each gets its focus event, then OPENED. */
    assert_int_equal(m.a.nevents, 2);
    assert_int_equal(m.a.events[0], CHR_EVENT_MUX_IN);
    assert_int_equal(m.a.events[1], CHR_EVENT_OPENED);
    assert_int_equal(m.b.nevents, 2);
    assert_int_equal(m.b.events[0], CHR_EVENT_MUX_OUT);
    assert_int_equal(m.b.events[1], CHR_EVENT_OPENED);
    mux_type(&m, "ab");
    assert_int_equal(m.a.len, 2);
    assert_memory_equal(m.a.data, "ab", 2);
    assert_int_equal(m.b.len, 0);
    mux_teardown(&m);
}

static void test_mux_ctrl_a_c_switches_focus(void **state)
{
    MuxFixture m;

    mux_setup(&m, "mux2");
    m.a.nevents = m.b.nevents = 0;
    mux_type(&m, "\x01" "c");
    assert_int_equal(m.a.nevents, 1);
    assert_int_equal(m.a.events[0], CHR_EVENT_MUX_OUT);
    assert_int_equal(m.b.nevents, 1);
    assert_int_equal(m.b.events[0], CHR_EVENT_MUX_IN);
    mux_type(&m, "xy");
    assert_int_equal(m.a.len, 0);
    assert_int_equal(m.b.len, 2);
    assert_memory_equal(m.b.data, "xy", 2);
    /* The escape may arrive split over two reads. */
    mux_type(&m, "\x01");
    mux_type(&m, "c");
    assert_int_equal(m.a.events[1], CHR_EVENT_MUX_IN);
    assert_int_equal(m.b.events[1], CHR_EVENT_MUX_OUT);
    mux_type(&m, "q");
    assert_int_equal(m.a.len, 1);
    assert_int_equal(m.a.data[0], 'q');
    /* chardev_mux_focus does the same from code. */
    chardev_mux_focus(&m.b.fe);
    assert_int_equal(m.b.events[2], CHR_EVENT_MUX_IN);
    mux_teardown(&m);
}

static void test_mux_literal_ctrl_a_and_unknown_escape(void **state)
{
    MuxFixture m;

    mux_setup(&m, "mux3");
    mux_type(&m, "1\x01\x01" "2");
    assert_int_equal(m.a.len, 3);
    assert_memory_equal(m.a.data, "1\x01" "2", 3);
    mux_type(&m, "\x01z3");         /* unknown escape: dropped, next byte passes */
    assert_int_equal(m.a.len, 4);
    assert_int_equal(m.a.data[3], '3');
    assert_int_equal(m.b.len, 0);
    mux_teardown(&m);
}

static void test_mux_ctrl_a_x_requests_shutdown(void **state)
{
    MuxFixture m;
    char *out;

    mux_setup(&m, "mux4");
    runstate_add_listener(count_shutdowns, NULL);
    shutdown_events = 0;
    assert_false(runstate_process_requests());
    mux_type(&m, "\x01x");
    /* The request is carried out by the main loop's caller, as in vl. */
    assert_true(runstate_process_requests());
    assert_int_equal(shutdown_events, 1);
    assert_int_equal(last_shutdown_cause, SHUTDOWN_CAUSE_HOST_UI);
    runstate_remove_listener(count_shutdowns, NULL);
    assert_int_equal(m.a.len, 0);
    out = read_file_text(m.out_path);
    assert_non_null(strstr(out, "mimic: terminated"));
    free(out);
    mux_teardown(&m);
}

static void test_mux_ctrl_a_h_prints_help(void **state)
{
    MuxFixture m;
    char *out;

    mux_setup(&m, "mux5");
    mux_type(&m, "\x01h");
    out = read_file_text(m.out_path);
    assert_non_null(strstr(out, "C-a h    print this help"));
    assert_non_null(strstr(out, "C-a x    exit emulator"));
    assert_non_null(strstr(out, "C-a c    switch between console and monitor"));
    assert_non_null(strstr(out, "C-a C-a  sends C-a"));
    assert_non_null(strstr(out, "not supported"));
    free(out);
    assert_int_equal(m.a.len, 0);
    mux_teardown(&m);
}

static void test_mux_break_and_output_from_all(void **state)
{
    MuxFixture m;
    char *out;

    mux_setup(&m, "mux6");
    m.a.nevents = m.b.nevents = 0;
    mux_type(&m, "\x01" "b");
    assert_int_equal(m.a.nevents, 1);
    assert_int_equal(m.a.events[0], CHR_EVENT_BREAK);
    assert_int_equal(m.b.nevents, 0);
    /* Both front ends write, whoever has the focus. */
    assert_int_equal(chardev_write(&m.a.fe, "serial;", 7), 7);
    assert_int_equal(chardev_printf(&m.b.fe, "mon%d;", 1), 5);
    out = read_file_text(m.out_path);
    assert_string_equal(out, "serial;mon1;");
    free(out);
    mux_teardown(&m);
}

static void test_mux_timestamps(void **state)
{
    MuxFixture m;
    char *out;

    mux_setup(&m, "mux7");
    mux_type(&m, "\x01t");
    chardev_write(&m.a.fe, "one\ntwo", 7);
    mux_type(&m, "\x01t");
    chardev_write(&m.a.fe, "\nthree", 6);
    out = read_file_text(m.out_path);
    assert_int_equal(strncmp(out, "[00:00:00.", 10), 0);
    assert_non_null(strstr(out, "] one\n[00:00:0"));
    assert_non_null(strstr(out, "] two\nthree"));
    free(out);
    mux_teardown(&m);
}

static void test_mux_flow_control_buffers_input(void **state)
{
    MuxFixture m;

    mux_setup(&m, "mux8");
    m.a.room = 0;
    assert_true(chardev_be_can_read(m.base) > 0);   /* the mux buffers a little */
    mux_type(&m, "hello");
    assert_int_equal(m.a.len, 0);
    m.a.room = 3;
    chardev_accept_input(&m.a.fe);
    assert_int_equal(m.a.len, 3);
    m.a.room = -1;
    chardev_accept_input(&m.a.fe);
    assert_int_equal(m.a.len, 5);
    assert_memory_equal(m.a.data, "hello", 5);
    mux_teardown(&m);
}

static void test_mux_detach_moves_focus(void **state)
{
    MuxFixture m;

    mux_setup(&m, "mux9");
    chardev_detach(&m.a.fe);
    assert_int_equal(m.b.fe.mux_index, 0);
    assert_true(fe_has_event(&m.b, CHR_EVENT_MUX_IN));
    mux_type(&m, "z");
    assert_int_equal(m.b.len, 1);
    mux_teardown(&m);
}

/* --- file, null, pipe ------------------------------------------------------------------ */

static void test_file_backend(void **state)
{
    char *path = tmp_path("file.out");
    TestFe t;
    Chardev *chr;
    char *out;

    chr = new_chardev("file,id=f1,path=%s", path);
    fe_attach(&t, chr);
    assert_true(fe_has_event(&t, CHR_EVENT_OPENED));
    assert_int_equal(chardev_write(&t.fe, "abc", 3), 3);
    chardev_detach(&t.fe);
    chardev_delete(chr);
    chr = new_chardev("file,id=f1,path=%s,append=on", path);
    fe_attach(&t, chr);
    chardev_printf(&t.fe, "%s", "def");
    chardev_detach(&t.fe);
    chardev_delete(chr);
    out = read_file_text(path);
    assert_string_equal(out, "abcdef");
    free(out);
    chr = new_chardev("file,id=f1,path=%s", path);   /* no append: truncates */
    chardev_delete(chr);
    out = read_file_text(path);
    assert_string_equal(out, "");
    free(out);
    free(path);
}

static void test_null_backend(void **state)
{
    TestFe t, t2;
    Error *err = NULL;
    Chardev *chr = new_chardev("null,id=n1");

    fe_attach(&t, chr);
    assert_int_equal(chardev_write(&t.fe, "xyz", 3), 3);
    assert_false(chardev_is_mux(chr));
    /* A non-mux backend takes one front end. */
    assert_int_equal(chardev_attach(&t2.fe, chr, fe_can_read, fe_read, fe_event, &t2, &err), -1);
    assert_non_null(strstr(error_get_message(err), "'n1'"));
    error_free(err);
    chardev_detach(&t.fe);
    assert_int_equal(chardev_write(&t.fe, "xyz", 3), -1);
    chardev_delete(chr);
}

static void run_loop_until(const int *counter, int target)
{
    for (int i = 0; i < 1000 && *counter < target; i++) {
        main_loop_wait(-1);
    }
    assert_true(*counter >= target);
}

/* A signal landing while chardev_write_fd_all waits in poll() for a slow reader (a vCPU
 * thread's timer alarm, SIGRTMIN, does that) is not a stalled reader: nothing is dropped. */
typedef struct SlowWrite {
    int fd;
    const uint8_t *buf;
    int len;
    int done;
    atomic_int finished;
} SlowWrite;

static void ignore_signal(int sig)
{
    (void)sig;
}

static void *slow_write(void *opaque)
{
    SlowWrite *w = opaque;

    w->done = chardev_write_fd_all(w->fd, w->buf, w->len, 5000);
    atomic_store(&w->finished, 1);
    return NULL;
}

static void test_fd_write_survives_signal(void **state)
{
    enum { LEN = 256 * 1024 };
    static uint8_t out[LEN], in[LEN];
    struct sigaction sa = { .sa_handler = ignore_signal, .sa_flags = SA_RESTART }, old;
    SlowWrite w = { .len = LEN, .buf = out, .done = -1 };
    pthread_t th;
    int fds[2], got = 0;

    (void)state;
    for (int i = 0; i < LEN; i++) {
        out[i] = (uint8_t)(i * 7 + i / 256);
    }
    assert_int_equal(pipe(fds), 0);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    w.fd = fds[1];
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGUSR2, &sa, &old), 0);
    assert_int_equal(pthread_create(&th, NULL, slow_write, &w), 0);
    usleep(100 * 1000);                 /* the pipe is full: the writer is in poll() */
    for (int i = 0; i < 5 && !atomic_load(&w.finished); i++) {
        pthread_kill(th, SIGUSR2);
        usleep(20 * 1000);
    }
    for (int spins = 0; got < LEN && spins < 10000; spins++) {
        bool was_finished = atomic_load(&w.finished);
        ssize_t n = read(fds[0], in + got, (size_t)(LEN - got));
        if (n > 0) {
            got += (int)n;
        } else if (was_finished) {
            break;                      /* the writer gave up and the pipe is empty */
        } else {
            usleep(1000);
        }
    }
    pthread_join(th, NULL);
    sigaction(SIGUSR2, &old, NULL);
    close(fds[0]);
    close(fds[1]);
    assert_int_equal(w.done, LEN);
    assert_int_equal(got, LEN);
    assert_memory_equal(in, out, LEN);
}

static void test_pipe_backend(void **state)
{
    char *base = tmp_path("pipe");
    char *in = xasprintf("%s.in", base), *out = xasprintf("%s.out", base);
    char buf[16] = { 0 };
    TestFe t;
    Chardev *chr;
    int fd_in, fd_out;

    assert_int_equal(mkfifo(in, 0600), 0);
    assert_int_equal(mkfifo(out, 0600), 0);
    fd_in = open(in, O_RDWR);
    fd_out = open(out, O_RDWR | O_NONBLOCK);
    chr = new_chardev("pipe,id=p1,path=%s", base);
    fe_attach(&t, chr);
    assert_int_equal(chardev_write(&t.fe, "to-host", 7), 7);
    assert_int_equal(read(fd_out, buf, sizeof(buf)), 7);
    assert_memory_equal(buf, "to-host", 7);
    assert_int_equal(write(fd_in, "to-guest", 8), 8);
    run_loop_until(&t.len, 8);
    assert_memory_equal(t.data, "to-guest", 8);
    /* Flow control: with no room the bytes stay in the pipe until accept_input. */
    t.room = 0;
    assert_int_equal(write(fd_in, "later", 5), 5);
    main_loop_wait(0);
    main_loop_wait(0);
    assert_int_equal(t.len, 8);
    t.room = -1;
    chardev_accept_input(&t.fe);
    run_loop_until(&t.len, 13);
    assert_memory_equal(t.data + 8, "later", 5);
    chardev_detach(&t.fe);
    chardev_delete(chr);
    close(fd_in);
    close(fd_out);
    free(in);
    free(out);
    free(base);
}

/* --- unix sockets ------------------------------------------------------------------------ */

static int unix_connect(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    strcpy(sa.sun_path, path);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

static int unix_listen(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    strcpy(sa.sun_path, path);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(fd, 4), 0);
    return fd;
}

static int count_events(const TestFe *t, ChardevEvent ev)
{
    int n = 0;

    for (int i = 0; i < t->nevents; i++) {
        n += t->events[i] == ev;
    }
    return n;
}

static char *info_line(const char *id)
{
    char *text = NULL, *line, *end;
    size_t size;
    FILE *f = open_memstream(&text, &size);
    char *prefix = xasprintf("%s: ", id);

    chardev_print_info(f);
    fclose(f);
    line = strstr(text, prefix);
    assert_non_null(line);
    end = strchr(line, '\n');
    line = strndup(line, (size_t)(end - line));
    free(text);
    free(prefix);
    return line;
}

static void wait_for_event(TestFe *t, ChardevEvent ev, int count)
{
    for (int i = 0; i < 1000 && count_events(t, ev) < count; i++) {
        main_loop_wait(-1);
    }
    assert_int_equal(count_events(t, ev), count);
}

static void test_unix_socket_server(void **state)
{
    char *path = tmp_path("srv.sock");
    char *expect, *line, buf[8];
    TestFe t;
    Chardev *chr;
    int client;

    chr = new_chardev("socket,id=s1,path=%s,server=on,wait=off", path);
    fe_attach(&t, chr);
    assert_int_equal(t.nevents, 0);
    line = info_line("s1");
    expect = xasprintf("s1: filename=disconnected:unix:%s,server=on", path);
    assert_string_equal(line, expect);
    free(line);
    free(expect);
    /* Written while nobody is connected: dropped, still "written". */
    assert_int_equal(chardev_write(&t.fe, "lost", 4), 4);

    client = unix_connect(path);
    wait_for_event(&t, CHR_EVENT_OPENED, 1);
    line = info_line("s1");
    expect = xasprintf("s1: filename=unix:%s,server=on", path);
    assert_string_equal(line, expect);
    free(line);
    free(expect);
    assert_int_equal(write(client, "ping", 4), 4);
    run_loop_until(&t.len, 4);
    assert_memory_equal(t.data, "ping", 4);
    assert_int_equal(chardev_write(&t.fe, "pong", 4), 4);
    assert_int_equal(read(client, buf, sizeof(buf)), 4);
    assert_memory_equal(buf, "pong", 4);

    close(client);
    wait_for_event(&t, CHR_EVENT_CLOSED, 1);
    client = unix_connect(path);
    wait_for_event(&t, CHR_EVENT_OPENED, 2);
    assert_int_equal(chardev_write(&t.fe, "again", 5), 5);
    assert_int_equal(read(client, buf, sizeof(buf)), 5);
    close(client);
    wait_for_event(&t, CHR_EVENT_CLOSED, 2);

    chardev_detach(&t.fe);
    chardev_delete(chr);
    assert_int_equal(access(path, F_OK), -1);   /* the socket file is removed */
    free(path);
}

static void test_unix_socket_server_one_client_at_a_time(void **state)
{
    char *path = tmp_path("one.sock");
    char buf[8];
    TestFe t;
    Chardev *chr = new_chardev("socket,id=s2,path=%s,server=on,wait=off", path);
    int first, second;

    fe_attach(&t, chr);
    first = unix_connect(path);
    wait_for_event(&t, CHR_EVENT_OPENED, 1);
    second = unix_connect(path);        /* waits in the backlog */
    assert_int_equal(write(second, "2", 1), 1);
    main_loop_wait(0);
    assert_int_equal(t.len, 0);
    assert_int_equal(count_events(&t, CHR_EVENT_OPENED), 1);
    assert_int_equal(chardev_write(&t.fe, "A", 1), 1);
    assert_int_equal(read(first, buf, sizeof(buf)), 1);
    close(first);
    wait_for_event(&t, CHR_EVENT_CLOSED, 1);
    wait_for_event(&t, CHR_EVENT_OPENED, 2);
    run_loop_until(&t.len, 1);
    assert_int_equal(t.data[0], '2');
    assert_int_equal(chardev_write(&t.fe, "B", 1), 1);
    assert_int_equal(read(second, buf, sizeof(buf)), 1);
    assert_int_equal(buf[0], 'B');
    close(second);
    wait_for_event(&t, CHR_EVENT_CLOSED, 2);
    chardev_detach(&t.fe);
    chardev_delete(chr);
    free(path);
}

static void test_unix_socket_client_reconnects(void **state)
{
    char *path = tmp_path("cli.sock");
    char buf[8];
    TestFe t;
    Chardev *chr;
    int listener, conn;

    listener = unix_listen(path);
    chr = new_chardev("socket,id=c1,path=%s,reconnect-ms=5", path);
    conn = accept(listener, NULL, NULL);
    assert_true(conn >= 0);
    fe_attach(&t, chr);
    assert_int_equal(count_events(&t, CHR_EVENT_OPENED), 1);   /* already connected */
    assert_int_equal(chardev_write(&t.fe, "hi", 2), 2);
    assert_int_equal(read(conn, buf, sizeof(buf)), 2);
    assert_int_equal(write(conn, "yo", 2), 2);
    run_loop_until(&t.len, 2);
    assert_memory_equal(t.data, "yo", 2);

    close(conn);
    wait_for_event(&t, CHR_EVENT_CLOSED, 1);
    wait_for_event(&t, CHR_EVENT_OPENED, 2);    /* reconnect timer */
    conn = accept(listener, NULL, NULL);
    assert_true(conn >= 0);
    assert_int_equal(chardev_write(&t.fe, "back", 4), 4);
    assert_int_equal(read(conn, buf, sizeof(buf)), 4);
    assert_memory_equal(buf, "back", 4);

    chardev_detach(&t.fe);
    chardev_delete(chr);
    close(conn);
    close(listener);
    free(path);
}

static void test_unix_socket_client_without_server_fails(void **state)
{
    char *path = tmp_path("nobody.sock");
    char *spec = xasprintf("socket,id=c2,path=%s", path);
    Error *err = NULL;

    assert_null(chardev_new_from_spec(spec, &err));
    assert_non_null(err);
    assert_non_null(strstr(error_get_message(err), path));
    error_free(err);
    assert_null(chardev_find("c2"));
    free(spec);
    free(path);
}

/* --- stdio on a terminal ------------------------------------------------------------------ */

typedef enum { LEAVE_BY_EXIT, LEAVE_BY_SIGTERM, LEAVE_BY_SIGHUP, LEAVE_BY_ABORT } StdioExit;

/* In a child whose stdin is the pty slave: open stdio, report, then leave as told. */
static void stdio_child(int slave, int ready_fd, int go_fd, StdioExit how, const char *spec)
{
    char c;

    if (dup2(slave, STDIN_FILENO) < 0 || !chardev_new_from_spec(spec, NULL)) {
        _exit(3);
    }
    if (write(ready_fd, "r", 1) != 1 || read(go_fd, &c, 1) != 1) {
        _exit(4);
    }
    switch (how) {
    case LEAVE_BY_EXIT:
        exit(0);
    case LEAVE_BY_SIGTERM:
        raise(SIGTERM);
        break;
    case LEAVE_BY_SIGHUP:
        raise(SIGHUP);
        break;
    case LEAVE_BY_ABORT:
        abort();
    }
    _exit(5);
}

/* Checks raw mode while the child runs and the original modes after it has gone. */
static int run_stdio_child(StdioExit how, const char *spec, tcflag_t *raw_lflag)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY), slave, ready[2], go[2], status;
    struct termios tio;
    char c;
    pid_t pid;

    assert_true(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
    slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    assert_int_equal(tcgetattr(slave, &tio), 0);
    assert_true((tio.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        stdio_child(slave, ready[1], go[0], how, spec);
    }
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(tcgetattr(slave, &tio), 0);
    *raw_lflag = tio.c_lflag;
    assert_int_equal(write(go[1], "g", 1), 1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(tcgetattr(slave, &tio), 0);
    /* Restored, whatever the way out. */
    assert_true((tio.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
    close(slave);
    close(master);
    return status;
}

static void test_stdio_raw_mode_restored_on_every_exit(void **state)
{
    tcflag_t lflag;
    int status;

    status = run_stdio_child(LEAVE_BY_EXIT, "stdio,id=tty0", &lflag);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(lflag & (ICANON | ECHO), 0);
    assert_true(lflag & ISIG);          /* signal=on by default: Ctrl-C still works */

    status = run_stdio_child(LEAVE_BY_SIGTERM, "stdio,id=tty0", &lflag);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);

    status = run_stdio_child(LEAVE_BY_SIGHUP, "stdio,id=tty0,signal=off", &lflag);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP);
    assert_int_equal(lflag & ISIG, 0);

    status = run_stdio_child(LEAVE_BY_ABORT, "stdio,id=tty0", &lflag);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

/* Ctrl-Z: cooked while stopped, raw again after SIGCONT, cooked after exit. */
static void test_stdio_job_control(void **state)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY), slave, ready[2], go[2], status;
    struct termios tio;
    char c;
    pid_t pid;

    assert_true(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
    slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);      /* a group with a parent outside it: SIGTSTP really stops */
        if (dup2(slave, STDIN_FILENO) < 0 || !chardev_new_from_spec("stdio,id=tty0", NULL)) {
            _exit(3);
        }
        raise(SIGTSTP);
        if (write(ready[1], "c", 1) != 1 || read(go[0], &c, 1) != 1) {
            _exit(4);
        }
        exit(0);
    }
    assert_int_equal(waitpid(pid, &status, WUNTRACED), pid);
    assert_true(WIFSTOPPED(status));
    assert_int_equal(tcgetattr(slave, &tio), 0);
    assert_true(tio.c_lflag & ICANON);
    assert_int_equal(kill(pid, SIGCONT), 0);
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(tcgetattr(slave, &tio), 0);
    assert_false(tio.c_lflag & ICANON);
    assert_int_equal(write(go[1], "g", 1), 1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(tcgetattr(slave, &tio), 0);
    assert_true(tio.c_lflag & ICANON);
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
    close(slave);
    close(master);
}

/* --- pty -------------------------------------------------------------------------------- */

static void test_pty_backend(void **state)
{
    TestFe t;
    Chardev *chr = new_chardev("pty,id=pty0");
    char *line = info_line("pty0");
    const char *slave_path = line + strlen("pty0: filename=pty:");
    char buf[8];
    int slave;

    assert_int_equal(strncmp(line, "pty0: filename=pty:/dev/pts/", 28), 0);
    fe_attach(&t, chr);
    assert_int_equal(t.nevents, 0);            /* nobody has the slave open yet */
    slave = open(slave_path, O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    wait_for_event(&t, CHR_EVENT_OPENED, 1);   /* first check is immediate */
    assert_int_equal(write(slave, "in", 2), 2);
    run_loop_until(&t.len, 2);
    assert_memory_equal(t.data, "in", 2);
    assert_int_equal(chardev_write(&t.fe, "out\n", 4), 4);
    assert_int_equal(read(slave, buf, sizeof(buf)), 4);
    assert_memory_equal(buf, "out\n", 4);     /* raw: no CR added */
    close(slave);
    wait_for_event(&t, CHR_EVENT_CLOSED, 1);
    assert_int_equal(chardev_write(&t.fe, "dropped", 7), 7);
    chardev_detach(&t.fe);
    chardev_delete(chr);
    free(line);
}

/* A host terminal device: a pty slave stands in for /dev/ttyS0. */
static void test_serial_backend(void **state)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    Error *err = NULL;
    char buf[8];
    TestFe t;
    Chardev *chr;
    char *file;

    assert_true(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
    chr = chardev_new_from_short(ptsname(master), "ser0", &err);
    if (!chr) {
        fail_msg("%s", error_get_message(err));
    }
    fe_attach(&t, chr);
    assert_true(fe_has_event(&t, CHR_EVENT_OPENED));
    assert_int_equal(write(master, "rx", 2), 2);
    run_loop_until(&t.len, 2);
    assert_memory_equal(t.data, "rx", 2);
    assert_int_equal(chardev_write(&t.fe, "tx\n", 3), 3);
    assert_int_equal(read(master, buf, sizeof(buf)), 3);
    assert_memory_equal(buf, "tx\n", 3);     /* raw: no CR added */
    chardev_detach(&t.fe);
    chardev_delete(chr);
    close(master);
    /* A file that is not a terminal is refused, naming it. */
    file = tmp_path("not-a-tty");
    close(open(file, O_CREAT | O_WRONLY, 0600));
    char *spec = xasprintf("serial,id=ser1,path=%s", file);
    expect_spec_error(spec, file);
    free(spec);
    free(file);
}

/* --- socket server with wait=on, and TCP ---------------------------------------------------- */

static void *connect_when_listening(void *opaque)
{
    const char *path = opaque;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    strcpy(sa.sun_path, path);
    /* Retry until the chardev listens; the outcome, not the timing, is what is tested. */
    for (int i = 0; i < 5000; i++) {
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            return (void *)(intptr_t)fd;
        }
        usleep(1000);
    }
    close(fd);
    return (void *)(intptr_t)-1;
}

static void test_unix_socket_server_wait_blocks_until_client(void **state)
{
    char *path = tmp_path("wait.sock");
    pthread_t th;
    void *ret;
    TestFe t;
    Chardev *chr;
    char buf[4];
    int client;

    assert_int_equal(pthread_create(&th, NULL, connect_when_listening, path), 0);
    chr = new_chardev("socket,id=w1,path=%s,server=on", path);   /* wait=on by default */
    pthread_join(th, &ret);
    client = (int)(intptr_t)ret;
    assert_true(client >= 0);
    fe_attach(&t, chr);
    assert_int_equal(count_events(&t, CHR_EVENT_OPENED), 1);   /* connected before attach */
    assert_int_equal(chardev_write(&t.fe, "hey", 3), 3);
    assert_int_equal(read(client, buf, sizeof(buf)), 3);
    close(client);
    wait_for_event(&t, CHR_EVENT_CLOSED, 1);
    chardev_detach(&t.fe);
    chardev_delete(chr);
    free(path);
}

static void test_tcp_socket_server_on_free_port(void **state)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    TestFe t;
    Chardev *chr = new_chardev("socket,id=t1,host=127.0.0.1,port=0,server=on,wait=off,nodelay");
    char *line = info_line("t1"), *peer_line;
    const char *prefix = "t1: filename=disconnected:tcp:127.0.0.1:";
    char buf[8];
    int client;

    assert_int_equal(strncmp(line, prefix, strlen(prefix)), 0);
    sa.sin_port = htons((uint16_t)atoi(line + strlen(prefix)));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fe_attach(&t, chr);
    client = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(client, (struct sockaddr *)&sa, sizeof(sa)), 0);
    wait_for_event(&t, CHR_EVENT_OPENED, 1);
    peer_line = info_line("t1");
    assert_non_null(strstr(peer_line, ",server=on <-> 127.0.0.1:"));
    assert_int_equal(write(client, "tcp", 3), 3);
    run_loop_until(&t.len, 3);
    assert_int_equal(chardev_write(&t.fe, "pct", 3), 3);
    assert_int_equal(read(client, buf, sizeof(buf)), 3);
    assert_memory_equal(buf, "pct", 3);
    close(client);
    wait_for_event(&t, CHR_EVENT_CLOSED, 1);
    chardev_detach(&t.fe);
    chardev_delete(chr);
    free(line);
    free(peer_line);
}

/* --- parsing ------------------------------------------------------------------------------ */

static void expect_spec_error(const char *spec, const char *needle)
{
    Error *err = NULL;

    assert_null(chardev_new_from_spec(spec, &err));
    assert_non_null(err);
    if (!strstr(error_get_message(err), needle)) {
        fail_msg("'%s' gave '%s', which does not name '%s'", spec, error_get_message(err),
                 needle);
    }
    error_free(err);
}

static void expect_short_error(const char *spec, const char *needle)
{
    Error *err = NULL;

    assert_null(chardev_new_from_short(spec, "shortid", &err));
    assert_non_null(err);
    if (!strstr(error_get_message(err), needle)) {
        fail_msg("'%s' gave '%s', which does not name '%s'", spec, error_get_message(err),
                 needle);
    }
    error_free(err);
    assert_null(chardev_find("shortid"));
}

static void test_spec_errors_name_the_value(void **state)
{
    Chardev *chr = new_chardev("null,id=dup");

    expect_spec_error("frob,id=x", "'frob'");
    expect_spec_error("null", "'id'");
    expect_spec_error("null,id=9bad", "'9bad'");
    expect_spec_error("null,id=dup", "'dup'");
    expect_spec_error("null,id=x,colour=blue", "'colour'");
    expect_spec_error("file,id=x", "'path'");
    expect_spec_error("socket,id=x,port=abc", "'abc'");
    expect_spec_error("socket,id=x,port=70000", "'70000'");
    expect_spec_error("socket,id=x,path=/tmp/x,server=maybe", "'maybe'");
    expect_spec_error("socket,id=x,path=/tmp/x,reconnect=soon", "'soon'");
    expect_spec_error("socket,id=x,host=localhost", "port");
    expect_spec_error("stdio,id=x,signal=perhaps", "'perhaps'");
    expect_spec_error("null,id=x,mux=sometimes", "'sometimes'");
    expect_spec_error("file,id=x,path=/nonexistent-dir/f", "/nonexistent-dir/f");
    assert_null(chardev_find("x"));
    chardev_delete(chr);
}

static void test_short_form_errors_name_the_value(void **state)
{
    Error *err = NULL;

    expect_short_error("frob", "'frob'");
    expect_short_error("tcp:nohostport", "tcp:nohostport");
    expect_short_error("tcp:host:", "tcp:host:");
    expect_short_error("file:", "'file:'");
    expect_short_error("unix:", "'unix:'");
    expect_short_error("chardev:ghost", "'ghost'");
    expect_short_error("mon:none", "mon:none");
    expect_short_error("tcp::99999,server=on,wait=off", "'99999'");
    assert_null(chardev_new_from_short("none", "shortid", &err));
    assert_null(err);
}

static void test_backend_list(void **state)
{
    char *text = NULL;
    size_t size;
    FILE *f = open_memstream(&text, &size);

    chardev_print_backends(f);
    fclose(f);
    assert_int_equal(strncmp(text, "Available chardev backend types:\n", 33), 0);
    assert_non_null(strstr(text, "  socket\n"));
    assert_non_null(strstr(text, "  stdio\n"));
    assert_null(strstr(text, "mux"));   /* mux=on is an option, not a backend */
    free(text);
}

static void test_short_forms(void **state)
{
    char *path = tmp_path("short,file"), *spec, *line, *sock;
    Error *err = NULL;
    Chardev *chr, *tcp;
    TestFe t;

    chr = chardev_new_from_short("null", "serial0", &err);
    assert_non_null(chr);
    assert_string_equal(chardev_id(chr), "serial0");
    assert_ptr_equal(chardev_new_from_short("chardev:serial0", "other", &err), chr);
    line = info_line("serial0");
    assert_string_equal(line, "serial0: filename=null");
    free(line);
    chardev_delete(chr);

    /* A comma in a file name survives. */
    spec = xasprintf("file:%s", path);
    chr = chardev_new_from_short(spec, "serial1", &err);
    assert_non_null(chr);
    fe_attach(&t, chr);
    chardev_write(&t.fe, "ok", 2);
    chardev_detach(&t.fe);
    chardev_delete(chr);
    assert_int_equal(access(path, F_OK), 0);
    free(spec);

    chr = chardev_new_from_short("mon:null", "compat_monitor0", &err);
    assert_non_null(chr);
    assert_true(chardev_is_mux(chr));
    assert_non_null(chardev_find("compat_monitor0-base"));
    line = info_line("compat_monitor0");
    assert_string_equal(line, "compat_monitor0: filename=mux");
    free(line);
    chardev_delete(chr);
    assert_null(chardev_find("compat_monitor0-base"));

    /* tcp with port 0: the kernel picks a free port, info shows it. */
    tcp = chardev_new_from_short("tcp:127.0.0.1:0,server=on,wait=off,nodelay", "tcp0", &err);
    if (!tcp) {
        fail_msg("%s", error_get_message(err));
    }
    line = info_line("tcp0");
    assert_int_equal(strncmp(line, "tcp0: filename=disconnected:tcp:127.0.0.1:", 42), 0);
    assert_true(atoi(line + 42) > 0);
    assert_non_null(strstr(line, ",server=on"));
    free(line);
    chardev_delete(tcp);

    sock = tmp_path("short.sock");
    spec = xasprintf("unix:%s,server=on,nowait", sock);
    chr = chardev_new_from_short(spec, "qmp0", &err);
    assert_non_null(chr);
    assert_int_equal(access(sock, F_OK), 0);
    chardev_delete(chr);
    free(spec);
    free(sock);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mux_attach_order_and_focus),
        cmocka_unit_test(test_mux_ctrl_a_c_switches_focus),
        cmocka_unit_test(test_mux_literal_ctrl_a_and_unknown_escape),
        cmocka_unit_test(test_mux_ctrl_a_x_requests_shutdown),
        cmocka_unit_test(test_mux_ctrl_a_h_prints_help),
        cmocka_unit_test(test_mux_break_and_output_from_all),
        cmocka_unit_test(test_mux_timestamps),
        cmocka_unit_test(test_mux_flow_control_buffers_input),
        cmocka_unit_test(test_mux_detach_moves_focus),
        cmocka_unit_test(test_file_backend),
        cmocka_unit_test(test_null_backend),
        cmocka_unit_test(test_pipe_backend),
        cmocka_unit_test(test_unix_socket_server),
        cmocka_unit_test(test_unix_socket_server_one_client_at_a_time),
        cmocka_unit_test(test_unix_socket_client_reconnects),
        cmocka_unit_test(test_unix_socket_client_without_server_fails),
        cmocka_unit_test(test_stdio_raw_mode_restored_on_every_exit),
        cmocka_unit_test(test_stdio_job_control),
        cmocka_unit_test(test_pty_backend),
        cmocka_unit_test(test_serial_backend),
        cmocka_unit_test(test_unix_socket_server_wait_blocks_until_client),
        cmocka_unit_test(test_tcp_socket_server_on_free_port),
        cmocka_unit_test(test_spec_errors_name_the_value),
        cmocka_unit_test(test_short_form_errors_name_the_value),
        cmocka_unit_test(test_short_forms),
        cmocka_unit_test(test_backend_list),
        cmocka_unit_test(test_fd_write_survives_signal),
    };
    return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
