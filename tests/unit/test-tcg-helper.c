/* The one-line helper declarations of include/tcg/helper.h: helpers of 0 to 7 arguments
 * with every type word, declared by DEF_HELPER, called through the generated
 * gen_helper_* on every back end; the generated TCGHelperInfo (name, flags, types) as
 * the dump shows it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "tcg-harness.h"

#define TCG_HELPER_ENV HarnessEnv
#include "tcg/helper.h"

DEF_HELPER(tick, 0, void)
DEF_HELPER(count, TCG_CALL_NO_RWG, i32)
DEF_HELPER(neg32, TCG_CALL_PURE, s32, s32)
DEF_HELPER(env_sum, TCG_CALL_NO_WG, i64, env, i32)
DEF_HELPER(mix3, 0, i64, i64, i32, i64)
DEF_HELPER(addr_of, TCG_CALL_PURE, ptr, ptr, i64)
DEF_HELPER_FLAGS_7(mix7, TCG_CALL_PURE, i64, i64, i64, i64, i64, i64, i64, s64)
DEF_HELPER(set_x9, 0, void, env, i64, i32, i32)

static unsigned ticks;

void helper_tick(void) { ticks++; }
uint32_t helper_count(void) { return ticks * 10; }
int32_t helper_neg32(int32_t a) { return -a; }
uint64_t helper_env_sum(HarnessEnv *env, uint32_t i) { return env->x[i & 15] + env->x[1]; }
uint64_t helper_mix3(uint64_t a, uint32_t b, uint64_t c) { return a * 3 + b - c; }
void *helper_addr_of(void *p, uint64_t ofs) { return (char *)p + ofs; }

uint64_t helper_mix7(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f,
                     int64_t g)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + (uint64_t)(7 * g);
}

void helper_set_x9(HarnessEnv *env, uint64_t v, uint32_t a, uint32_t b)
{
    env->x[9] = v + a + b;
}

static Harness *h;
static HarnessEnv env;

static void build(void)
{
    harness_begin(h);
    tcg_gen_insn_start(0x700, 0, 0);
    gen_helper_tick();
    gen_helper_tick();
    gen_helper_count(h->w[0]);
    gen_helper_neg32(h->w[1], h->w[2]);
    gen_helper_env_sum(h->x[3], tcg_env, tcg_constant_i32(2));
    gen_helper_mix3(h->x[4], h->x[1], h->w[2], h->x[2]);
    TCGv_ptr p = tcg_temp_new_ptr();
    gen_helper_addr_of(p, tcg_env, tcg_constant_i64(offsetof(HarnessEnv, scratch)));
    tcg_gen_st_i64(h->x[1], p, 8);
    gen_helper_mix7(h->x[5], h->x[1], h->x[2], h->x[1], h->x[2], h->x[1], h->x[2],
                    tcg_constant_i64((uint64_t)-1));
    gen_helper_set_x9(tcg_env, h->x[1], h->w[2], tcg_constant_i32(5));
    tcg_gen_exit_tb(0);
    harness_save(h);
}

static void test_helpers_run(void **state)
{
    build();
    for (int i = 0; i < harness_nb_backends(); i++) {
        const TCGBackend *be = harness_backend(i);
        for (int opt = 0; opt < 2; opt++) {
            harness_flush(h);
            const void *tb = harness_compile(h, be, opt);
            assert_non_null(tb);
            harness_env_init(h, &env);
            ticks = 0;
            env.x[1] = 1000;
            env.x[2] = 7;
            env.w[2] = 0xfffffffe;          /* -2 */
            harness_exec(h, be, tb, &env);
            assert_int_equal(ticks, 2);
            assert_int_equal(env.w[0], 20);
            assert_int_equal(env.w[1], 2);
            assert_int_equal(env.x[3], 7 + 1000);
            assert_int_equal(env.x[4], 3000 + 0xfffffffeull - 7);
            uint64_t stored;
            memcpy(&stored, &env.scratch[8], 8);
            assert_int_equal(stored, 1000);
            assert_int_equal(env.x[5], 1000 + 14 + 3000 + 28 + 5000 + 42 - 7);
            assert_int_equal(env.x[9], 1000 + 0xfffffffeull + 5);
        }
    }
}

/* The generated info: name, flags and argument types, as the dump prints them. */
static void test_helper_info(void **state)
{
    char buf[256];
    build();
    const TCGOp *call = NULL;
    int seen = 0;
    for (int i = 0; i < h->ctx->nb_ops; i++) {
        if (h->ctx->ops[i].opc == INDEX_op_call && ++seen == 5) {
            call = &h->ctx->ops[i];
        }
    }
    assert_non_null(call);
    const TCGHelperInfo *info = tcg_call_info(call);
    assert_string_equal(info->name, "env_sum");
    assert_int_equal(info->flags, TCG_CALL_NO_WG);
    assert_int_equal(info->ret_type, TCG_TYPE_I64);
    assert_int_equal(info->nb_args, 2);
    assert_int_equal(info->arg_types[0], TCG_TYPE_PTR);
    assert_int_equal(info->arg_types[1], TCG_TYPE_I32);
    assert_ptr_equal(info->func, (void *)helper_env_sum);
    tcg_format_op(h->ctx, call, buf, sizeof(buf));
    assert_string_equal(buf, "call env_sum,$0x2,$1,x3,env,$0x2");
}

static int setup(void **state)
{
    h = harness_new();
    return 0;
}

static int teardown(void **state)
{
    harness_free(h);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_helpers_run),
        cmocka_unit_test(test_helper_info),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
