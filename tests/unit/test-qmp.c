/* Unit tests for QMP: greeting, negotiation, commands against a fake machine, events, and
 * malformed, hostile and arbitrarily chunked input, each answered with an error object. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "config-host.h"
#include "fake-monitor-system.h"
#include "util/cutils.h"

static QmpSession *qs;
static Capture cap;
static size_t consumed;     /* bytes of cap already returned by next_message */

static int setup(void **state)
{
    fake_machine_reset(state);
    capture_clear(&cap);
    consumed = 0;
    qs = qmp_session_new(&fake_system, false, capture_write, &cap);
    return 0;
}

static int teardown(void **state)
{
    qmp_session_free(qs);
    capture_free(&cap);
    return 0;
}

static void feed(const char *text)
{
    qmp_session_input(qs, text, strlen(text));
}

/* The next message the session sent (one per "\r\n"-terminated line), parsed; NULL if
 * there is none. */
static JsonValue *next_message(void)
{
    if (consumed >= cap.len) {
        return NULL;
    }
    char *start = cap.buf + consumed;
    char *end = strstr(start, "\r\n");
    assert_non_null(end);
    consumed += (size_t)(end - start) + 2;
    Error *err = NULL;
    JsonValue *v = json_parse(start, (size_t)(end - start), NULL, &err);
    if (!v) {
        fail_msg("session sent invalid JSON: %s", error_get_message(err));
    }
    return v;
}

static char *next_message_text(void)
{
    JsonValue *v = next_message();
    assert_non_null(v);
    char *s = json_to_string(v, false);
    json_free(v);
    return s;
}

static void expect_message(const char *want)
{
    char *s = next_message_text();
    assert_string_equal(s, want);
    free(s);
}

static void expect_no_message(void)
{
    assert_int_equal(consumed, cap.len);
}

/* Expects an error response of class cls whose desc contains desc_part. */
static void expect_error(const char *cls, const char *desc_part)
{
    JsonValue *v = next_message();
    assert_non_null(v);
    JsonValue *err = json_object_get(v, "error");
    if (!err) {
        char *s = json_to_string(v, false);
        fail_msg("expected an error, got %s", s);
    }
    assert_string_equal(json_get_string(json_object_get(err, "class")), cls);
    const char *desc = json_get_string(json_object_get(err, "desc"));
    assert_non_null(desc);
    if (!strstr(desc, desc_part)) {
        fail_msg("desc '%s' lacks '%s'", desc, desc_part);
    }
    json_free(v);
}

static void negotiate(void)
{
    qmp_session_open(qs);
    json_free(next_message());
    feed("{\"execute\": \"qmp_capabilities\"}");
    expect_message("{\"return\": {}}");
}

static void test_greeting(void **state)
{
    int major = -1, minor = -1, micro = -1;
    qmp_session_open(qs);
    assert_true(cap.len > 2 && !strcmp(cap.buf + cap.len - 2, "\r\n"));
    JsonValue *g = next_message();
    JsonValue *qmp = json_object_get(g, "QMP");
    JsonValue *version = json_object_get(qmp, "version");
    JsonValue *qemu = json_object_get(version, "qemu");
    assert_int_equal(json_type(json_object_get(qemu, "major")), JSON_INT);
    /* "qemu" is the QEMU release whose QMP Mimic speaks; Mimic's version is the package */
    assert_int_equal(json_get_int(json_object_get(qemu, "major")), 7);
    assert_int_equal(json_get_int(json_object_get(qemu, "minor")), 2);
    assert_int_equal(json_get_int(json_object_get(qemu, "micro")), 0);
    sscanf(MIMIC_VERSION, "%d.%d.%d", &major, &minor, &micro);
    char package[64];
    snprintf(package, sizeof(package), "mimic %d.%d.%d", major, minor, micro);
    assert_string_equal(json_get_string(json_object_get(version, "package")), package);
    JsonValue *caps = json_object_get(qmp, "capabilities");
    assert_int_equal(json_type(caps), JSON_ARRAY);
    assert_int_equal(json_array_size(caps), 0);
    json_free(g);
}

static void test_negotiation(void **state)
{
    qmp_session_open(qs);
    json_free(next_message());
    feed("{\"execute\": \"query-status\"}");
    expect_error("CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'");
    feed("{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}");
    expect_error("GenericError", "Capability 'oob'");
    feed("{\"execute\": \"qmp_capabilities\", \"id\": 1}");
    expect_message("{\"return\": {}, \"id\": 1}");
    feed("{\"execute\": \"qmp_capabilities\"}");
    expect_error("CommandNotFound", "already complete");
    feed("{\"execute\": \"query-status\"}");
    expect_message("{\"return\": {\"status\": \"running\", \"singlestep\": false, "
                   "\"running\": true}}");
    /* a new client starts over, and partial input of the old one is dropped */
    feed("{\"execute\": \"query-st");
    qmp_session_open(qs);
    json_free(next_message());
    feed("{\"execute\": \"query-status\"}");
    expect_error("CommandNotFound", "Expecting capabilities negotiation");
    expect_no_message();
}

static void test_commands(void **state)
{
    negotiate();
    feed("{\"execute\": \"stop\"}");
    expect_message("{\"return\": {}}");
    assert_int_equal(fake.stops, 1);
    feed("{\"execute\": \"query-status\", \"id\": \"abc\"}");
    expect_message("{\"return\": {\"status\": \"paused\", \"singlestep\": false, "
                   "\"running\": false}, \"id\": \"abc\"}");
    feed("{\"execute\": \"cont\", \"id\": {\"any\": [\"json\"]}}");
    expect_message("{\"return\": {}, \"id\": {\"any\": [\"json\"]}}");
    assert_int_equal(fake.starts, 1);
    fake.state = RUN_STATE_INTERNAL_ERROR;
    feed("{\"execute\": \"cont\"}");
    expect_error("GenericError", "Resetting the Virtual Machine is required");
    feed("{\"execute\": \"system_reset\"}");
    expect_message("{\"return\": {}}");
    assert_int_equal(fake.resets, 1);
    assert_int_equal(fake.last_cause, SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    feed("{\"execute\": \"system_powerdown\"}");
    expect_message("{\"return\": {}}");
    assert_int_equal(fake.powerdowns, 1);
    feed("{\"execute\": \"quit\"}");
    expect_message("{\"return\": {}}");
    assert_int_equal(fake.shutdowns, 1);
    assert_int_equal(fake.last_cause, SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static void test_query_version_and_commands(void **state)
{
    negotiate();
    feed("{\"execute\": \"query-version\"}");
    JsonValue *v = next_message();
    JsonValue *ret = json_object_get(v, "return");
    assert_non_null(json_object_get(json_object_get(ret, "qemu"), "major"));
    assert_non_null(json_get_string(json_object_get(ret, "package")));
    json_free(v);

    feed("{\"execute\": \"query-commands\"}");
    v = next_message();
    ret = json_object_get(v, "return");
    bool seen_hmc = false, seen_caps = false;
    for (size_t i = 0; i < json_array_size(ret); i++) {
        const char *name = json_get_string(json_object_get(json_array_get(ret, i), "name"));
        seen_hmc |= !strcmp(name, "human-monitor-command");
        seen_caps |= !strcmp(name, "qmp_capabilities");
    }
    assert_true(seen_hmc && seen_caps);
    assert_true(json_array_size(ret) >= 10);
    json_free(v);
}

static void test_human_monitor_command(void **state)
{
    char want[128];
    negotiate();
    feed("{\"execute\": \"human-monitor-command\", "
         "\"arguments\": {\"command-line\": \"info version\"}}");
    snprintf(want, sizeof(want), "{\"return\": \"%s\\r\\n\"}", MIMIC_VERSION);
    expect_message(want);
    feed("{\"execute\": \"human-monitor-command\", "
         "\"arguments\": {\"command-line\": \"xp /2bx 0x41\"}}");
    expect_message("{\"return\": \"0000000000000041: 0x41 0x42\\r\\n\"}");
    feed("{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"stop\"}}");
    expect_message("{\"return\": \"\"}");
    assert_int_equal(fake.stops, 1);
    feed("{\"execute\": \"human-monitor-command\"}");
    expect_error("GenericError", "Parameter 'command-line' is missing");
    feed("{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": 5}}");
    expect_error("GenericError", "expected: string");
    feed("{\"execute\": \"human-monitor-command\", "
         "\"arguments\": {\"command-line\": \"bogus\"}}");
    expect_message("{\"return\": \"unknown command: 'bogus'\\r\\n\"}");
}

static void test_events(void **state)
{
    qmp_session_open(qs);
    json_free(next_message());
    qmp_session_event(qs, RUN_EVENT_STOP, SHUTDOWN_CAUSE_NONE);
    expect_no_message();        /* no events before negotiation */
    feed("{\"execute\": \"qmp_capabilities\"}");
    json_free(next_message());

    qmp_session_event(qs, RUN_EVENT_STOP, SHUTDOWN_CAUSE_NONE);
    JsonValue *ev = next_message();
    assert_string_equal(json_get_string(json_object_get(ev, "event")), "STOP");
    JsonValue *ts = json_object_get(ev, "timestamp");
    assert_int_equal(json_type(json_object_get(ts, "seconds")), JSON_INT);
    int64_t us = json_get_int(json_object_get(ts, "microseconds"));
    assert_true(us >= 0 && us < 1000000);
    assert_null(json_object_get(ev, "data"));
    json_free(ev);

    qmp_session_event(qs, RUN_EVENT_SHUTDOWN, SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    ev = next_message();
    assert_string_equal(json_get_string(json_object_get(ev, "event")), "SHUTDOWN");
    JsonValue *data = json_object_get(ev, "data");
    assert_int_equal(json_type(json_object_get(data, "guest")), JSON_BOOL);
    assert_false(json_get_bool(json_object_get(data, "guest")));
    assert_string_equal(json_get_string(json_object_get(data, "reason")), "host-qmp-quit");
    json_free(ev);

    qmp_session_event(qs, RUN_EVENT_RESET, SHUTDOWN_CAUSE_GUEST_RESET);
    ev = next_message();
    assert_string_equal(json_get_string(json_object_get(ev, "event")), "RESET");
    data = json_object_get(ev, "data");
    assert_true(json_get_bool(json_object_get(data, "guest")));
    assert_string_equal(json_get_string(json_object_get(data, "reason")), "guest-reset");
    json_free(ev);

    qmp_session_event(qs, RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE);
    qmp_session_event(qs, RUN_EVENT_POWERDOWN, SHUTDOWN_CAUSE_NONE);
    char *s = next_message_text();
    assert_non_null(strstr(s, "\"event\": \"RESUME\""));
    free(s);
    s = next_message_text();
    assert_non_null(strstr(s, "\"event\": \"POWERDOWN\""));
    free(s);
}

static void test_malformed_input(void **state)
{
    static const struct {
        const char *input;
        const char *cls;
        const char *desc;
    } cases[] = {
        { "{\"execute\": }", "GenericError", "JSON parse error" },
        { "[1, 2]", "GenericError", "must be a JSON object" },
        { "\"just a string\"", "GenericError", "must be a JSON object" },
        { "42 ", "GenericError", "must be a JSON object" },
        { "null ", "GenericError", "must be a JSON object" },
        { "{\"arguments\": {}}", "GenericError", "lacks member 'execute'" },
        { "{\"execute\": 42}", "GenericError", "'execute' must be a string" },
        { "{\"execute\": \"stop\", \"arguments\": [1]}", "GenericError",
          "'arguments' must be an object" },
        { "{\"execute\": \"stop\", \"bogus\": 1}", "GenericError", "'bogus' is unexpected" },
        { "{\"execute\": \"stop\", \"arguments\": {\"force\": true}}", "GenericError",
          "Parameter 'force' is unexpected" },
        { "{\"execute\": \"no-such-command\"}", "CommandNotFound",
          "The command no-such-command has not been found" },
        { "}", "GenericError", "JSON parse error" },
        { "garbage ", "GenericError", "JSON parse error" },
        { "{\"execute\": \"stop\\u0000\"}", "GenericError", "JSON parse error" },
        { "{\"execute\": \"\xff\"}", "GenericError", "JSON parse error" },
        { "{\"a\": 1, \"a\": 2}", "GenericError", "duplicate key" },
    };
    negotiate();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        feed(cases[i].input);
        expect_error(cases[i].cls, cases[i].desc);
        expect_no_message();
    }
    /* the id is echoed in errors too */
    feed("{\"execute\": \"nope\", \"id\": \"x1\"}");
    char *s = next_message_text();
    assert_non_null(strstr(s, "\"id\": \"x1\""));
    free(s);
    /* and the session still works */
    feed("{\"execute\": \"query-status\"}");
    s = next_message_text();
    assert_non_null(strstr(s, "\"return\""));
    free(s);
    assert_int_equal(fake.stops, 0);
}

static char *repeat_char(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_hostile_input(void **state)
{
    negotiate();
    /* 5000 levels of nesting: one error, then back in sync */
    char *open = repeat_char('[', 5000), *close = repeat_char(']', 5000);
    feed(open);
    feed(close);
    expect_error("GenericError", "nesting");
    expect_no_message();
    free(open);
    free(close);

    /* a string beyond the 1 MiB input limit */
    char *big = repeat_char('a', QMP_MAX_INPUT_SIZE + 100);
    feed("{\"execute\": \"");
    feed(big);
    feed("\"}");
    expect_error("GenericError", "longer than");
    expect_no_message();
    free(big);

    feed("{\"execute\": \"query-status\"}");
    char *s = next_message_text();
    assert_non_null(strstr(s, "\"status\": \"running\""));
    free(s);
}

static void test_chunked_input(void **state)
{
    const char *text = "{\"execute\": \"query-status\", \"id\": \"a}\"}\r\n"
                       "{ \"execute\" :\n\"stop\" }"
                       "{\"execute\": \"human-monitor-command\", \"arguments\": "
                       "{\"command-line\": \"info status\"}, \"id\": [\"]\"]}\n";
    negotiate();
    for (size_t chunk = 1; chunk < 40; chunk += 3) {
        fake.state = RUN_STATE_RUNNING;
        for (size_t i = 0; i < strlen(text); i += chunk) {
            size_t n = MIN(chunk, strlen(text) - i);
            qmp_session_input(qs, text + i, n);
        }
        expect_message("{\"return\": {\"status\": \"running\", \"singlestep\": false, "
                       "\"running\": true}, \"id\": \"a}\"}");
        expect_message("{\"return\": {}}");
        expect_message("{\"return\": \"VM status: paused\\r\\n\", \"id\": [\"]\"]}");
        expect_no_message();
    }
}

/* Deterministic random bytes (xorshift): whatever arrives, the session answers with JSON
 * and keeps going. */
static void test_random_input(void **state)
{
    uint32_t x = 12345;
    char buf[512];
    static const char alphabet[] = "{}[]\":,\\ \n0123456789.-eEtrufalsn\x01\xff\xc3\xa9u";
    negotiate();
    for (int round = 0; round < 400; round++) {
        for (size_t i = 0; i < sizeof(buf); i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            buf[i] = alphabet[x % (sizeof(alphabet) - 1)];
        }
        qmp_session_input(qs, buf, sizeof(buf));
        JsonValue *v;
        while ((v = next_message())) {      /* every reply is valid JSON */
            assert_int_equal(json_type(v), JSON_OBJECT);
            json_free(v);
        }
    }
    qmp_session_open(qs);
    json_free(next_message());
    feed("{\"execute\": \"qmp_capabilities\"}");
    expect_message("{\"return\": {}}");
}

static void test_pretty(void **state)
{
    QmpSession *pretty = qmp_session_new(&fake_system, true, capture_write, &cap);
    qmp_session_open(pretty);
    assert_non_null(strstr(cap.buf, "{\r\n    \"QMP\": {\r\n        \"version\": {"));
    Error *err = NULL;
    JsonValue *v = json_parse(cap.buf, cap.len, NULL, &err);
    assert_non_null(v);
    json_free(v);
    qmp_session_free(pretty);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_greeting),
        T(test_negotiation),
        T(test_commands),
        T(test_query_version_and_commands),
        T(test_human_monitor_command),
        T(test_events),
        T(test_malformed_input),
        T(test_hostile_input),
        T(test_chunked_input),
        T(test_random_input),
        T(test_pretty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
