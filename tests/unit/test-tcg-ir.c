/* Unit tests for the IR core (tcg/tcg.c, tcg/tcg-op.c, tcg/dump.c): temps, constants,
 * op emission and the "-d op" dump format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "tcg/tcg.h"
#include "util/log.h"

typedef struct TestCPU {
    uint32_t regs[4];
    uint64_t pc;
} TestCPU;

static TCGContext ctx;

static int setup(void **state)
{
    tcg_context_init(&ctx, 2, TCG_TYPE_I32);
    tcg_context_set_current(&ctx);
    tcg_global_mem_new_i32(offsetof(TestCPU, regs[0]), "r0");
    tcg_global_mem_new_i32(offsetof(TestCPU, regs[1]), "r1");
    tcg_global_mem_new_i64(offsetof(TestCPU, pc), "pc");
    return 0;
}

static int teardown(void **state)
{
    tcg_context_destroy(&ctx);
    return 0;
}

static void test_constants_interned(void **state)
{
    tcg_func_start(&ctx);
    TCGv_i32 a = tcg_constant_i32(5);
    TCGv_i32 b = tcg_constant_i32(5);
    TCGv_i64 c = tcg_constant_i64(5);
    assert_ptr_equal(a, b);
    assert_ptr_not_equal((void *)a, (void *)c);
    assert_int_equal(tcgv_i32_temp(a)->kind, TEMP_CONST);
    assert_int_equal(tcgv_i64_temp(c)->type, TCG_TYPE_I64);
}

static void test_temp_reuse(void **state)
{
    tcg_func_start(&ctx);
    TCGv_i32 a = tcg_temp_new_i32();
    tcg_temp_free_i32(a);
    TCGv_i32 b = tcg_temp_new_i32();
    assert_ptr_equal(a, b);
    TCGv_i32 c = tcg_temp_new_tb_i32();
    assert_ptr_not_equal(b, c);
    assert_int_equal(tcgv_i32_temp(c)->kind, TEMP_TB);
}

static void test_env_handle(void **state)
{
    TCGTemp *env = tcgv_ptr_temp(tcg_env);
    assert_int_equal(env->index, 0);
    assert_int_equal(env->kind, TEMP_FIXED);
    assert_true((uintptr_t)tcg_env != 0);
}

static void test_dump_format(void **state)
{
    tcg_func_start(&ctx);
    TCGv_i32 r0 = temp_tcgv_i32(&ctx.temps[1]);
    TCGv_i32 r1 = temp_tcgv_i32(&ctx.temps[2]);
    TCGv_i32 t = tcg_temp_new_i32();
    TCGLabel *l = gen_new_label();
    tcg_gen_insn_start(0x1000, 3, 0);
    tcg_gen_addi_i32(t, r0, 5);
    tcg_gen_brcondi_i32(TCG_COND_LTU, t, 16, l);
    tcg_gen_qemu_ld_i32(r1, tcgv_temp(t), 1, MO_LESW | MO_ALIGN);
    gen_set_label(l);
    tcg_gen_exit_tb(0);
    char buf[256];
    assert_int_equal(ctx.nb_ops, 6);
    assert_string_equal(tcg_format_op(&ctx, &ctx.ops[0], buf, sizeof(buf)),
                        " ---- 0000000000001000 0000000000000003");
    assert_string_equal(tcg_format_op(&ctx, &ctx.ops[1], buf, sizeof(buf)),
                        "add_i32 tmp0,r0,$0x5");
    assert_string_equal(tcg_format_op(&ctx, &ctx.ops[2], buf, sizeof(buf)),
                        "brcond_i32 tmp0,$0x10,ltu,$L0");
    assert_string_equal(tcg_format_op(&ctx, &ctx.ops[3], buf, sizeof(buf)),
                        "qemu_ld_i32 r1,tmp0,lesw+al2,mmu1");
    assert_string_equal(tcg_format_op(&ctx, &ctx.ops[4], buf, sizeof(buf)),
                        "set_label $L0");
    assert_string_equal(tcg_format_op(&ctx, &ctx.ops[5], buf, sizeof(buf)),
                        "exit_tb $0x0");
}

static void test_cond_tables(void **state)
{
    for (int c = 0; c < TCG_COND_COUNT; c++) {
        static const uint64_t v[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff,
                                      0x8000000000000000ull, ~0ull };
        for (unsigned i = 0; i < 7; i++) {
            for (unsigned j = 0; j < 7; j++) {
                for (int ty = 0; ty < 2; ty++) {
                    bool r = tcg_cond_eval(ty, c, v[i], v[j]);
                    assert_int_equal(tcg_cond_eval(ty, tcg_invert_cond(c), v[i], v[j]), !r);
                    assert_int_equal(tcg_cond_eval(ty, tcg_swap_cond(c), v[j], v[i]), r);
                }
            }
        }
    }
}

static void test_memop_extend(void **state)
{
    assert_int_equal(memop_extend(MO_LESW, 0x8001), 0xffffffffffff8001ull);
    assert_int_equal(memop_extend(MO_BEUW, 0x1234), 0x3412);
    assert_int_equal(memop_extend(MO_BESL, 0x00000080), 0xffffffff80000000ull);
    assert_int_equal(memop_extend(MO_UB, 0x1ff), 0xff);
    assert_int_equal(memop_extend(MO_BEUQ, 0x0102030405060708ull), 0x0807060504030201ull);
    assert_int_equal(memop_alignment(MO_LEUL | MO_ALIGN), 4);
    assert_int_equal(memop_alignment(MO_LEUQ | MO_ALIGN_4), 4);
    assert_int_equal(memop_alignment(MO_LEUQ), 1);
}

/* Running out of temps or labels marks the TB as overflowed instead of crashing. */
static void test_limits_overflow(void **state)
{
    tcg_func_start(&ctx);
    assert_false(tcg_op_buf_full());
    for (int i = 0; i < TCG_MAX_TEMPS + 10; i++) {
        tcg_temp_new_i32();
    }
    assert_true(ctx.overflow);
    assert_true(tcg_op_buf_full());
    tcg_func_start(&ctx);
    assert_false(ctx.overflow);
    for (int i = 0; i < TCG_MAX_LABELS + 3; i++) {
        gen_new_label();
    }
    assert_true(ctx.overflow);
    static uint8_t buf[256] __attribute__((aligned(16)));
    tcg_gen_exit_tb(0);
    assert_int_equal(tcg_gen_code(&ctx, tcg_backend_find("interp"), buf, buf, sizeof(buf)),
                     TCG_GEN_TOO_BIG);
    tcg_func_start(&ctx);
}

/* A TB's constants are not the next TB's: after tcg_func_start a constant is a new temp
 * of this TB (the hash keeps no slot of the previous TB's constants), also after a TB
 * that overflowed its temps (its last temp was handed out again). */
static void test_constants_per_tb(void **state)
{
    for (int overflow = 0; overflow < 2; overflow++) {
        tcg_func_start(&ctx);
        TCGTemp *seven = tcgv_i32_temp(tcg_constant_i32(7));
        tcg_constant_i64(0x123456789ull);
        for (int i = 0; overflow && i < TCG_MAX_TEMPS; i++) {
            tcg_constant_i32(1000 + (uint32_t)i);
        }
        if (overflow) {
            tcg_temp_new_i32();     /* the last temp, a constant, becomes an EBB temp */
        }
        assert_int_equal(ctx.overflow, overflow);
        tcg_func_start(&ctx);
        assert_int_equal(ctx.nb_temps, ctx.nb_globals);
        for (int i = 0; i < TCG_CONST_HASH_SIZE; i++) {
            assert_int_equal(ctx.const_hash[i], 0);     /* no slot left over */
        }
        TCGTemp *t = tcgv_i32_temp(tcg_temp_new_i32());
        assert_ptr_equal(t, seven);             /* the old constant's slot, now a temp */
        TCGTemp *c = tcgv_i32_temp(tcg_constant_i32(7));
        assert_int_equal(c->kind, TEMP_CONST);
        assert_int_equal(c->index, ctx.nb_globals + 1);
        assert_int_equal(ctx.nb_temps, ctx.nb_globals + 2);
        assert_ptr_equal(tcgv_i32_temp(tcg_constant_i32(7)), c);
        TCGTemp *d = tcgv_i64_temp(tcg_constant_i64(0x123456789ull));
        assert_int_equal(d->index, ctx.nb_globals + 2);
        assert_int_equal(d->val, 0x123456789ull);
    }
    tcg_func_start(&ctx);
}

/* tcg_gen_code's result is the code and the insn-start map after it: with room for
 * both exactly (less than the map's largest possible size) it succeeds with the same
 * bytes, with a byte less it asks for a flush (-1). */
static void gen_three_insns(void)
{
    tcg_func_start(&ctx);
    for (int i = 0; i < 3; i++) {
        tcg_gen_insn_start(0x1000 + 4 * (uint64_t)i, (uint64_t)i, 0);
        tcg_gen_movi_i32(temp_tcgv_i32(&ctx.temps[1]), (uint32_t)i);
    }
    tcg_gen_exit_tb(0);
}

static void test_gen_code_map_room(void **state)
{
    static uint8_t big[4096] __attribute__((aligned(16))), exact[4096] __attribute__((aligned(16)));
    const TCGBackend *be = tcg_backend_find("interp");
    gen_three_insns();
    long n = tcg_gen_code(&ctx, be, big, big, sizeof(big));
    uint32_t code = ctx.insn_map_off;
    assert_true(n > (long)code);
    assert_true((size_t)n < code + 1 + 3 * (5 + 10 * 2));   /* the map is sized first */
    gen_three_insns();
    assert_int_equal(tcg_gen_code(&ctx, be, exact, exact, (size_t)n), n);
    assert_int_equal(ctx.insn_map_off, code);
    assert_memory_equal(exact + code, big + code, (size_t)n - code);
    uint64_t data[TCG_MAX_INSN_START_WORDS];
    assert_true(tcg_insn_map_get(exact + code, 3, 2, data));
    assert_int_equal(data[0], 0x1008);
    assert_int_equal(data[1], 2);
    gen_three_insns();
    assert_int_equal(tcg_gen_code(&ctx, be, exact, exact, (size_t)n - 1), -1);
    tcg_func_start(&ctx);
}

static void test_insn_start_param(void **state)
{
    tcg_func_start(&ctx);
    assert_null(tcg_last_insn_start());
    tcg_gen_insn_start(0x100, 1, 0);
    tcg_gen_insn_start(0x104, 2, 0);
    tcg_gen_movi_i32(temp_tcgv_i32(&ctx.temps[1]), 3);
    TCGOp *op = tcg_last_insn_start();
    assert_non_null(op);
    assert_int_equal(op->args[0], 0x104);
    tcg_set_insn_start_param(op, 1, 0x55);
    assert_int_equal(ctx.ops[1].args[1], 0x55);
    assert_int_equal(ctx.ops[0].args[1], 1);
}

static void helper_none(void) {}
static const TCGHelperInfo info_h = {
    .name = "h", .func = (void *)helper_none, .flags = TCG_CALL_NO_WG,
    .ret_type = TCG_TYPE_I32, .nb_args = 2, .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32 },
};

/* -d op and -d op_opt go to the log through tcg_gen_code. */
static void test_log_dumps(void **state)
{
    char path[] = "/tmp/mimic-tcg-log-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(log_set_file(path), 0);
    unsigned old_mask = log_mask;
    log_mask |= LOG_OP | LOG_OP_OPT;
    tcg_func_start(&ctx);
    TCGv_i32 r0 = temp_tcgv_i32(&ctx.temps[1]);
    TCGv_i32 t = tcg_temp_new_i32();
    tcg_gen_insn_start(0x2000, 0, 0);
    TCGTemp *args[2] = { tcgv_ptr_temp(tcg_env), tcgv_i32_temp(r0) };
    tcg_gen_callN(&info_h, tcgv_i32_temp(t), args);
    tcg_gen_mov_i32(r0, t);
    tcg_gen_exit_tb(0);
    static uint8_t buf[4096] __attribute__((aligned(16)));
    assert_true(tcg_gen_code(&ctx, tcg_backend_find("interp"), buf, buf, sizeof(buf)) > 0);
    log_mask = old_mask;
    log_flush();
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char text[8192];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = 0;
    fclose(f);
    unlink(path);
    assert_non_null(strstr(text, "OP:\n ---- 0000000000002000 0000000000000000\n"));
    assert_non_null(strstr(text, " call h,$0x2,$1,tmp0,env,r0\n"));
    assert_non_null(strstr(text, "OP after optimization and liveness analysis:\n"));
    assert_non_null(strstr(text, " mov_i32 r0,tmp0"));
}

/* The compact insn-start map finds the same instruction and words as the plain tables,
 * for every host offset, with PCs going forwards and backwards and large words. */
static void test_insn_map_roundtrip(void **state)
{
    static TCGContext s;
    static uint8_t map[TCG_MAX_INSNS * 40];
    uint64_t rng = 0x9e3779b97f4a7c15ull, data[TCG_MAX_INSN_START_WORDS];
    for (int words = 1; words <= TCG_MAX_INSN_START_WORDS; words++) {
        s.nb_insn_start_words = words;
        s.nb_insns = 300;
        uint32_t end = 0;
        for (int i = 0; i < s.nb_insns; i++) {
            rng = rng * 6364136223846793005ull + 1442695040888963407ull;
            end += (uint32_t)(rng >> 60);                 /* 0..15 bytes, empty ones too */
            s.gen_insn_end_off[i] = end;
            s.gen_insn_data[i][0] = 0xffffffff80001000ull + 4 * i - (i % 7 == 3 ? 64 : 0);
            s.gen_insn_data[i][1] = rng >> (i % 64);
            s.gen_insn_data[i][2] = (uint64_t)-(int64_t)i;
        }
        size_t n = tcg_insn_map_encode(&s, NULL);
        assert_true(n <= sizeof(map));
        assert_true(n <= 1 + (size_t)s.nb_insns * (5 + 10 * (size_t)words));  /* the bound
                                                                 * tcg_gen_code relies on */
        assert_int_equal(tcg_insn_map_encode(&s, map), n);
        assert_true(n < (size_t)s.nb_insns * (4 + 8 * (size_t)words) / 2);
        uintptr_t tb = 0x10000;
        for (uintptr_t ra = tb; ra <= tb + end + 2; ra++) {
            int want = tcg_search_insn(s.gen_insn_end_off, s.nb_insns, tb, ra);
            int got = tcg_insn_map_find(map, s.nb_insns, tb, ra, data);
            assert_int_equal(got, want);
            for (int w = 0; got >= 0 && w < words; w++) {
                assert_int_equal(data[w], s.gen_insn_data[got][w]);
            }
        }
        assert_true(tcg_insn_map_get(map, s.nb_insns, 0, data));
        assert_int_equal(data[0], s.gen_insn_data[0][0]);
        assert_false(tcg_insn_map_get(map, s.nb_insns, s.nb_insns, data));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constants_interned),
        cmocka_unit_test(test_temp_reuse),
        cmocka_unit_test(test_env_handle),
        cmocka_unit_test(test_dump_format),
        cmocka_unit_test(test_cond_tables),
        cmocka_unit_test(test_memop_extend),
        cmocka_unit_test(test_limits_overflow),
        cmocka_unit_test(test_constants_per_tb),
        cmocka_unit_test(test_gen_code_map_room),
        cmocka_unit_test(test_insn_start_param),
        cmocka_unit_test(test_log_dumps),
        cmocka_unit_test(test_insn_map_roundtrip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
