/* Unit tests for util/cutils.c and util/keyval.c: sizes, numbers, sub-option strings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "util/cutils.h"
#include "util/keyval.h"

static void test_parse_size(void **state)
{
    uint64_t v;
    assert_int_equal(parse_size("512", 1 << 20, &v), 0);
    assert_int_equal(v, 512ULL << 20);
    assert_int_equal(parse_size("2G", 1 << 20, &v), 0);
    assert_int_equal(v, 2ULL << 30);
    assert_int_equal(parse_size("1.5k", 1, &v), 0);
    assert_int_equal(v, 1536);
    assert_int_equal(parse_size("64K", 1, &v), 0);
    assert_int_equal(v, 65536);
    assert_int_equal(parse_size("lots", 1, &v), -1);
    assert_int_equal(parse_size("12Q", 1, &v), -1);
    assert_int_equal(parse_size("-1", 1, &v), -1);
    assert_int_equal(parse_size("1.5", 1, &v), -1);
    assert_int_equal(parse_size("99999999999999999999", 1, &v), -1);
    assert_int_equal(parse_size("16E", 1, &v), -1);
}

static void test_parse_numbers(void **state)
{
    uint64_t u;
    int64_t s;
    bool b;
    assert_int_equal(parse_uint64("0x10", &u), 0);
    assert_int_equal(u, 16);
    assert_int_equal(parse_uint64("10x", &u), -1);
    assert_int_equal(parse_uint64("-3", &u), -1);
    assert_int_equal(parse_int64("-3", &s), 0);
    assert_int_equal(s, -3);
    assert_int_equal(parse_bool("on", &b), 0);
    assert_true(b);
    assert_int_equal(parse_bool("no", &b), 0);
    assert_false(b);
    assert_int_equal(parse_bool("maybe", &b), -1);
}

static void test_keyval(void **state)
{
    KeyValList kv;
    Error *err = NULL;
    assert_int_equal(keyval_parse("socket,id=mon0,path=/tmp/a,,b,server,nowait", "backend",
                                  &kv, &err), 0);
    assert_string_equal(keyval_get(&kv, "backend"), "socket");
    assert_string_equal(keyval_get(&kv, "id"), "mon0");
    assert_string_equal(keyval_get(&kv, "path"), "/tmp/a,b");
    assert_string_equal(keyval_get(&kv, "server"), "on");
    assert_string_equal(keyval_get(&kv, "wait"), "off");
    assert_int_equal(keyval_check_unused(&kv, "-chardev", &err), 0);
    keyval_free(&kv);

    assert_int_equal(keyval_parse("id=x,bogus=1", NULL, &kv, &err), 0);
    keyval_get(&kv, "id");
    assert_int_equal(keyval_check_unused(&kv, "-netdev", &err), -1);
    assert_string_equal(error_get_message(err), "-netdev: unknown parameter 'bogus'");
    error_free(err);
    err = NULL;
    keyval_free(&kv);

    assert_int_equal(keyval_parse("=1", NULL, &kv, &err), -1);
    assert_non_null(err);
    error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_parse_numbers),
        cmocka_unit_test(test_keyval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
