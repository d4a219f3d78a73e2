/* Unit tests for util/json.c: parsing valid and malformed text, escapes and surrogate
 * pairs, limits, serialization round trips and the streaming splitter. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "util/cutils.h"
#include "util/json.h"

static JsonValue *parse(const char *text)
{
    Error *err = NULL;
    JsonValue *v = json_parse(text, strlen(text), NULL, &err);
    if (err) {
        error_free(err);
    }
    return v;
}

/* Parses text, expecting failure; returns the error message (static copy). */
static const char *parse_fails(const char *text, size_t len, const JsonLimits *limits)
{
    static char msg[256];
    Error *err = NULL;
    JsonValue *v = json_parse(text, len, limits, &err);
    assert_null(v);
    assert_non_null(err);
    snprintf(msg, sizeof(msg), "%s", error_get_message(err));
    error_free(err);
    return msg;
}

static void test_scalars(void **state)
{
    JsonValue *v = parse(" 42 ");
    assert_int_equal(json_type(v), JSON_INT);
    assert_int_equal(json_get_int(v), 42);
    json_free(v);

    v = parse("-9223372036854775808");
    assert_int_equal(json_type(v), JSON_INT);
    assert_true(json_get_int(v) == INT64_MIN);
    json_free(v);

    v = parse("9223372036854775808");   /* beyond int64: a double */
    assert_int_equal(json_type(v), JSON_DOUBLE);
    assert_true(json_get_number(v) > 9.2e18);
    json_free(v);

    v = parse("-1.5e3");
    assert_int_equal(json_type(v), JSON_DOUBLE);
    assert_true(json_get_number(v) == -1500.0);
    json_free(v);

    v = parse("true");
    assert_int_equal(json_type(v), JSON_BOOL);
    assert_true(json_get_bool(v));
    json_free(v);
    v = parse("false");
    assert_false(json_get_bool(v));
    json_free(v);
    v = parse("null");
    assert_int_equal(json_type(v), JSON_NULL);
    json_free(v);
}

static void test_containers(void **state)
{
    JsonValue *v = parse("{\"execute\": \"query-status\", \"arguments\": {\"a\": [1, 2, "
                         "{\"b\": null}]}, \"id\": 7}");
    assert_non_null(v);
    assert_int_equal(json_object_size(v), 3);
    assert_string_equal(json_get_string(json_object_get(v, "execute")), "query-status");
    assert_string_equal(json_object_key_at(v, 2), "id");
    JsonValue *a = json_object_get(json_object_get(v, "arguments"), "a");
    assert_int_equal(json_array_size(a), 3);
    assert_int_equal(json_get_int(json_array_get(a, 1)), 2);
    assert_int_equal(json_type(json_object_get(json_array_get(a, 2), "b")), JSON_NULL);
    assert_null(json_array_get(a, 3));
    assert_null(json_object_get(v, "missing"));
    json_free(v);

    v = parse("[]");
    assert_int_equal(json_array_size(v), 0);
    json_free(v);
    v = parse("{ }");
    assert_int_equal(json_object_size(v), 0);
    json_free(v);
}

static void test_escapes(void **state)
{
    JsonValue *v = parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"");
    assert_string_equal(json_get_string(v), "a\"b\\c/d\b\f\n\r\t");
    json_free(v);

    v = parse("\"\\u00e9\\u20AC\"");            /* é € */
    assert_string_equal(json_get_string(v), "\xc3\xa9\xe2\x82\xac");
    json_free(v);

    v = parse("\"\\ud83d\\ude00\"");            /* U+1F600 via a surrogate pair */
    assert_string_equal(json_get_string(v), "\xf0\x9f\x98\x80");
    json_free(v);

    v = parse("\"\"");                          /* empty string */
    assert_string_equal(json_get_string(v), "");
    json_free(v);

    v = parse("\"h\xc3\xa9llo\"");              /* raw UTF-8 passes through */
    assert_string_equal(json_get_string(v), "h\xc3\xa9llo");
    json_free(v);
}

static void test_malformed(void **state)
{
    static const char *bad[] = {
        "", "   ", "{", "}", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\": }", "{a: 1}",
        "{\"a\": 1,}", "\"unterminated", "tru", "nul", "01", "1.", "1e", "-", "+1",
        ".5", "0x10", "[1] x", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"",
        "\"\\ud83d\"", "\"\\ud83d\\u0041\"", "\"\\ude00\"", "\"\\u0000\"",
        "\"tab\there\"", "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xe2\x82\"",
        "{\"a\": 1, \"a\": 2}", "NaN", "Infinity", "'single'",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *msg = parse_fails(bad[i], strlen(bad[i]), NULL);
        assert_non_null(strstr(msg, "JSON parse error"));
    }
    /* an embedded NUL byte is malformed, not a terminator */
    parse_fails("[1,\0 2]", 7, NULL);
    const char *msg = parse_fails("{\"a\": 1, \"a\": 2}", 16, NULL);
    assert_non_null(strstr(msg, "duplicate key 'a'"));
    msg = parse_fails("[1, ?]", 6, NULL);
    assert_non_null(strstr(msg, "offset 4"));
}

static char *repeat(const char *open, size_t n, const char *close)
{
    size_t lo = strlen(open), lc = strlen(close);
    char *s = malloc(n * (lo + lc) + 1);
    char *p = s;
    for (size_t i = 0; i < n; i++, p += lo) {
        memcpy(p, open, lo);
    }
    for (size_t i = 0; i < n; i++, p += lc) {
        memcpy(p, close, lc);
    }
    *p = '\0';
    return s;
}

static void test_limits(void **state)
{
    JsonLimits lim = { .max_depth = 8, .max_size = 64 };
    char *ok = repeat("[", 8, "]");
    JsonValue *v = json_parse(ok, strlen(ok), &lim, NULL);
    assert_non_null(v);
    json_free(v);
    free(ok);

    char *deep = repeat("[", 9, "]");
    assert_non_null(strstr(parse_fails(deep, strlen(deep), &lim), "nesting deeper than 8"));
    free(deep);

    /* far deeper than the default limit: refused, no stack exhaustion */
    char *hostile = repeat("{\"a\":", 100000, "}");
    parse_fails(hostile, strlen(hostile), NULL);
    free(hostile);

    char big[100];
    memset(big, ' ', sizeof(big));
    big[0] = '1';
    assert_non_null(strstr(parse_fails(big, sizeof(big), &lim), "exceeds the limit"));
}

static void test_serialize(void **state)
{
    JsonValue *o = json_new_object();
    json_object_set(o, "s", json_new_string("q\"b\\n\n\x01\x7f\xc3\xa9\xff"));
    json_object_set(o, "i", json_new_int(-5));
    json_object_set(o, "d", json_new_double(2.0));
    JsonValue *a = json_new_array();
    json_array_append(a, json_new_bool(true));
    json_array_append(a, json_new_null());
    json_object_set(o, "a", a);
    json_object_set(o, "i", json_new_int(6));  /* replaces, keeps position */
    char *s = json_to_string(o, false);
    assert_string_equal(s, "{\"s\": \"q\\\"b\\\\n\\n\\u0001\\u007f\xc3\xa9\\ufffd\", "
                           "\"i\": 6, \"d\": 2.0, \"a\": [true, null]}");
    /* what we write, we read back */
    JsonValue *back = parse(s);
    assert_non_null(back);
    assert_int_equal(json_get_int(json_object_get(back, "i")), 6);
    assert_int_equal(json_type(json_object_get(back, "d")), JSON_DOUBLE);
    assert_string_equal(json_get_string(json_object_get(back, "s")),
                        "q\"b\\n\n\x01\x7f\xc3\xa9\xef\xbf\xbd");
    char *s2 = json_to_string(back, false);
    JsonValue *again = parse(s2);
    char *s3 = json_to_string(again, false);
    assert_string_equal(s2, s3);
    json_free(again);
    free(s2);
    free(s3);
    json_free(back);
    free(s);

    s = json_to_string(o, true);
    assert_non_null(strstr(s, "{\n    \"s\": "));
    assert_non_null(strstr(s, "\"a\": [\n        true,\n        null\n    ]\n}"));
    free(s);

    JsonValue *c = json_copy(o);
    json_free(o);
    assert_int_equal(json_get_int(json_object_get(c, "i")), 6);
    json_free(c);
}

/* ---- streamer ---- */

typedef struct Collected {
    char *items[32];
    int n, errors;
} Collected;

static void collect(void *opaque, JsonValue *val, Error *err)
{
    Collected *c = opaque;
    if (err) {
        c->errors++;
        c->items[c->n++] = strdup("ERROR");
        error_free(err);
    } else {
        c->items[c->n++] = json_to_string(val, false);
        json_free(val);
    }
}

static void collected_free(Collected *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->items[i]);
    }
}

static void test_streamer_chunks(void **state)
{
    const char *text = "{\"execute\": \"a\\\"}\", \"arguments\": {\"x\": [1, {\"y\": 2}]}}\n"
                       "  [3]\"str]\" 12 true{\"b\":1}";
    /* every chunk size gives the same values */
    for (size_t chunk = 1; chunk <= strlen(text); chunk++) {
        Collected c = { 0 };
        JsonStreamer js;
        json_streamer_init(&js, NULL, collect, &c);
        for (size_t i = 0; i < strlen(text); i += chunk) {
            json_streamer_feed(&js, text + i, MIN(chunk, strlen(text) - i));
        }
        json_streamer_feed(&js, "\n", 1);
        assert_int_equal(c.errors, 0);
        assert_int_equal(c.n, 6);
        assert_string_equal(c.items[0], "{\"execute\": \"a\\\"}\", \"arguments\": "
                                        "{\"x\": [1, {\"y\": 2}]}}");
        assert_string_equal(c.items[1], "[3]");
        assert_string_equal(c.items[2], "\"str]\"");
        assert_string_equal(c.items[3], "12");
        assert_string_equal(c.items[4], "true");
        assert_string_equal(c.items[5], "{\"b\": 1}");
        collected_free(&c);
        json_streamer_destroy(&js);
    }
}

static void test_streamer_errors(void **state)
{
    Collected c = { 0 };
    JsonStreamer js;
    JsonLimits lim = { .max_depth = 4, .max_size = 32 };
    json_streamer_init(&js, &lim, collect, &c);
    const char *input =
        "{\"a\": }\n"                   /* malformed */
        "]\n"                           /* stray closer */
        "[[[[[[1]]]]]]\n"               /* too deep: one error, then resync */
        "[\"0123456789012345678901234567890123456789\"]\n"  /* too large */
        "garbage\n"
        "{\"ok\": 1}\n";
    json_streamer_feed(&js, input, strlen(input));
    assert_int_equal(c.n, 6);
    assert_int_equal(c.errors, 5);
    assert_string_equal(c.items[5], "{\"ok\": 1}");
    collected_free(&c);

    /* a reset drops a partial value */
    memset(&c, 0, sizeof(c));
    json_streamer_feed(&js, "{\"half\": ", 9);
    json_streamer_reset(&js);
    json_streamer_feed(&js, "[2]", 3);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.items[0], "[2]");
    collected_free(&c);
    json_streamer_destroy(&js);
}

static void test_quote_string(void **state)
{
    char *q = json_quote_string("a\"b\\c\n\x01\xff");
    assert_string_equal(q, "\"a\\\"b\\\\c\\n\\u0001\\ufffd\"");
    free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote_string),
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_containers),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_serialize),
        cmocka_unit_test(test_streamer_chunks),
        cmocka_unit_test(test_streamer_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
