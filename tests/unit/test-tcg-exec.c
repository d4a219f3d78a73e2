/* IR programs beyond single ops, through every registered back end: branches and loops,
 * helper calls, guest loads and stores (hit, fault, MMIO, byte order, alignment), host
 * ld/st on env, chained TBs (goto_tb patching), lookup_and_goto_ptr, and precise guest
 * PC recovery from the insn-start map after a fault raised in a helper or a load. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tcg-harness.h"
#include "util/disas.h"

static Harness *h;
static HarnessEnv env;

#define FOR_EACH_BACKEND(be) \
    for (int be##_i = 0; be##_i < harness_nb_backends(); be##_i++) \
        for (const TCGBackend *be = harness_backend(be##_i); be; be = NULL)

static const void *compile(const TCGBackend *be, bool opt)
{
    harness_flush(h);
    const void *tb = harness_compile(h, be, opt);
    assert_non_null(tb);
    return tb;
}

/* w0 = sum of 1..w1, with a backward branch and a TB temp. */
static void test_loop(void **state)
{
    harness_begin(h);
    TCGv_i32 acc = tcg_temp_new_tb_i32(), i = tcg_temp_new_tb_i32();
    TCGLabel *top = gen_new_label(), *done = gen_new_label();
    tcg_gen_insn_start(0x100, 0, 0);
    tcg_gen_movi_i32(acc, 0);
    tcg_gen_mov_i32(i, h->w[1]);
    gen_set_label(top);
    tcg_gen_brcondi_i32(TCG_COND_EQ, i, 0, done);
    tcg_gen_add_i32(acc, acc, i);
    tcg_gen_subi_i32(i, i, 1);
    tcg_gen_br(top);
    gen_set_label(done);
    tcg_gen_mov_i32(h->w[0], acc);
    tcg_gen_exit_tb(1);
    harness_save(h);
    FOR_EACH_BACKEND(be) {
        for (int opt = 0; opt < 2; opt++) {
            const void *tb = compile(be, opt);
            for (uint32_t n = 0; n < 300; n += 7) {
                harness_env_init(h, &env);
                env.w[1] = n;
                assert_int_equal(harness_exec(h, be, tb, &env), 1);
                assert_int_equal(env.w[0], n * (n + 1) / 2);
            }
        }
    }
}

/* Every condition of brcond on i32 and i64, taken and not taken. */
static void test_brcond_all_conditions(void **state)
{
    HarnessRng r;
    harness_rng_init(&r, 5);
    for (int is64 = 0; is64 < 2; is64++) {
        for (int c = 0; c < TCG_COND_COUNT; c++) {
            harness_begin(h);
            TCGLabel *l = gen_new_label();
            tcg_gen_insn_start(0x200, 0, 0);
            if (is64) {
                tcg_gen_brcond_i64(c, h->x[1], h->x[2], l);
            } else {
                tcg_gen_brcond_i32(c, h->w[1], h->w[2], l);
            }
            tcg_gen_exit_tb(10);
            gen_set_label(l);
            tcg_gen_exit_tb(20);
            harness_save(h);
            FOR_EACH_BACKEND(be) {
                const void *tb = compile(be, true);
                for (int n = 0; n < 500; n++) {
                    uint64_t a = harness_rand_interesting(&r), b = harness_rand_interesting(&r);
                    if (n % 5 == 0) {
                        b = a;
                    }
                    harness_env_init(h, &env);
                    env.x[1] = a, env.x[2] = b, env.w[1] = a, env.w[2] = b;
                    bool want = tcg_cond_eval(is64, c, a, b);
                    assert_int_equal(harness_exec(h, be, tb, &env), want ? 20 : 10);
                }
            }
        }
    }
}

/* ---- helpers ---------------------------------------------------------------------- */

static uint64_t helper_mix7(uint64_t a, uint64_t b, uint64_t c, uint32_t d, uint64_t e,
                            uint64_t f, uint64_t g)
{
    return a * 1 + b * 3 + c * 5 + d * 7ull + e * 11 + f * 13 + g * 17;
}

static const TCGHelperInfo info_mix7 = {
    .name = "mix7", .func = (void *)helper_mix7, .flags = TCG_CALL_PURE,
    .ret_type = TCG_TYPE_I64, .nb_args = 7,
    .arg_types = { TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I32, TCG_TYPE_I64,
                   TCG_TYPE_I64, TCG_TYPE_I64 },
};

/* Reads a global from the CPU state and writes another: needs globals synced. */
static uint32_t helper_swap_w(void *envp, uint32_t add)
{
    HarnessEnv *e = envp;
    uint32_t old = e->w[2];
    e->w[2] = e->w[3] + add;
    return old;
}

static const TCGHelperInfo info_swap_w = {
    .name = "swap_w", .func = (void *)helper_swap_w, .flags = 0,
    .ret_type = TCG_TYPE_I32, .nb_args = 2, .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32 },
};

static void test_helper_calls(void **state)
{
    harness_begin(h);
    tcg_gen_insn_start(0x300, 0, 0);
    TCGTemp *args[7];
    for (int i = 0; i < 7; i++) {
        args[i] = i == 3 ? tcgv_i32_temp(h->w[4]) : tcgv_i64_temp(h->x[1 + i]);
    }
    tcg_gen_callN(&info_mix7, tcgv_i64_temp(h->x[0]), args);
    /* w3 is written just before the call: the helper must see it in memory */
    tcg_gen_addi_i32(h->w[3], h->w[5], 100);
    TCGTemp *args2[2] = { tcgv_ptr_temp(tcg_env), tcgv_i32_temp(tcg_constant_i32(9)) };
    TCGv_i32 old = tcg_temp_new_i32();
    tcg_gen_callN(&info_swap_w, tcgv_i32_temp(old), args2);
    /* w2 was written by the helper: must be reloaded */
    tcg_gen_add_i32(h->w[0], old, h->w[2]);
    tcg_gen_exit_tb(3);
    harness_save(h);
    FOR_EACH_BACKEND(be) {
        for (int opt = 0; opt < 2; opt++) {
            const void *tb = compile(be, opt);
            harness_env_init(h, &env);
            for (int i = 1; i <= 7; i++) {
                env.x[i] = 0x1000000000ull * i + i;
            }
            env.w[4] = 0xfffffff0;
            env.w[2] = 1000;
            env.w[5] = 5;
            assert_int_equal(harness_exec(h, be, tb, &env), 3);
            assert_int_equal(env.x[0], helper_mix7(env.x[1], env.x[2], env.x[3], 0xfffffff0,
                                                   env.x[5], env.x[6], env.x[7]));
            assert_int_equal(env.w[3], 105);
            assert_int_equal(env.w[2], 105 + 9);
            assert_int_equal(env.w[0], 1000 + 105 + 9);
        }
    }
}

/* ---- guest memory ----------------------------------------------------------------- */

static const MemOp memops[] = {
    MO_UB, MO_SB, MO_LEUW, MO_LESW, MO_LEUL, MO_LESL, MO_LEUQ,
    MO_BEUW, MO_BESW, MO_BEUL, MO_BESL, MO_BEUQ,
};

/* A load of every size/sign/order into both widths, then a store back in the same form. */
static void test_guest_load_store(void **state)
{
    for (size_t m = 0; m < sizeof(memops) / sizeof(memops[0]); m++) {
        for (int is64 = 0; is64 < 2; is64++) {
            MemOp mop = memops[m];
            if (!is64 && (mop & MO_SIZE) == MO_64) {
                continue;
            }
            harness_begin(h);
            tcg_gen_insn_start(0x400, 0, 0);
            if (is64) {
                tcg_gen_qemu_ld_i64(h->x[0], tcgv_temp(h->x[1]), 2, mop);
                tcg_gen_qemu_st_i64(h->x[0], tcgv_temp(h->x[2]), 3, mop);
            } else {
                tcg_gen_qemu_ld_i32(h->w[0], tcgv_temp(h->x[1]), 2, mop);
                tcg_gen_qemu_st_i32(h->w[0], tcgv_temp(h->x[2]), 3, mop);
            }
            tcg_gen_exit_tb(0);
            harness_save(h);
            FOR_EACH_BACKEND(be) {
                const void *tb = compile(be, true);
                harness_env_init(h, &env);
                static const uint8_t bytes[8] = { 0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8 };
                memcpy(&env.mem[0x123], bytes, 8);
                env.x[1] = 0x123;
                env.x[2] = 0x456;
                harness_exec(h, be, tb, &env);
                uint64_t raw;
                memcpy(&raw, bytes, 8);
                uint64_t want = memop_extend(mop, raw);
                uint64_t got = is64 ? env.x[0] : env.w[0];
                assert_int_equal(got, is64 ? want : (uint32_t)want);
                assert_memory_equal(&env.mem[0x456], bytes, memop_size(mop));
                assert_int_equal(env.mem[0x456 + memop_size(mop)], 0);
                assert_int_equal(env.last_mmu_idx, 3);
                assert_int_equal(env.loads, 1);
                assert_int_equal(env.stores, 1);
            }
        }
    }
}

/* With guest RAM in the soft TLB: a native back end's inline hit path must give the
 * same values as the hooks, for every size, sign and byte order; MMIO still misses. */
static void test_tlb_hit_path(void **state)
{
    h->tlb_hit_ram = true;
    for (size_t m = 0; m < sizeof(memops) / sizeof(memops[0]); m++) {
        MemOp mop = memops[m];
        harness_begin(h);
        tcg_gen_insn_start(0x450, 0, 0);
        tcg_gen_qemu_ld_i64(h->x[0], tcgv_temp(h->x[1]), 0, mop);
        tcg_gen_qemu_st_i64(h->x[0], tcgv_temp(h->x[2]), 1, mop);
        tcg_gen_qemu_ld_i64(h->x[3], tcgv_temp(h->x[4]), 1, mop);   /* MMIO */
        tcg_gen_exit_tb(0);
        harness_save(h);
        FOR_EACH_BACKEND(be) {
            const void *tb = compile(be, true);
            harness_env_init(h, &env);
            static const uint8_t bytes[8] = { 0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8 };
            memcpy(&env.mem[0x2238], bytes, 8);
            env.x[1] = 0x2238;
            env.x[2] = 0x3340;
            env.x[4] = HARNESS_MMIO_BASE + 8;
            harness_exec(h, be, tb, &env);
            uint64_t raw;
            memcpy(&raw, bytes, 8);
            assert_int_equal(env.x[0], memop_extend(mop, raw));
            assert_memory_equal(&env.mem[0x3340], bytes, memop_size(mop));
            assert_int_equal(env.mmio_loads, 1);
            assert_int_equal(env.x[3],
                             memop_extend(mop, ((HARNESS_MMIO_BASE + 8) * 0x9e3779b97f4a7c15ull) ^ 0xa5));
            if (m == 0) {
                print_message("%s: %u of 2 RAM accesses through the hooks with a TLB hit\n",
                              be->name, env.loads + env.stores);
            }
        }
    }
    h->tlb_hit_ram = false;
}

/* Three guest instructions; the second faults (a load out of range, a misaligned load, or
 * a helper raising an exception). The fault's host position must map back to insn 1, and
 * globals written by insn 0 must be in memory when the fault happens. */
static void helper_raise(void *envp)
{
    harness_raise(envp, TCG_GETPC());
}

static const TCGHelperInfo info_raise = {
    .name = "raise", .func = (void *)helper_raise, .flags = TCG_CALL_NO_WG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 1, .arg_types = { TCG_TYPE_PTR },
};

static void build_faulting_tb(int kind)
{
    harness_begin(h);
    tcg_gen_insn_start(0x1000, 7, 0);
    tcg_gen_addi_i64(h->x[5], h->x[5], 1);
    tcg_gen_insn_start(0x1004, 8, 0);
    tcg_gen_addi_i64(h->x[6], h->x[5], 10);
    if (kind == 0) {
        tcg_gen_qemu_ld_i32(h->w[0], tcgv_temp(h->x[1]), 0, MO_LEUL);
    } else if (kind == 1) {
        tcg_gen_qemu_ld_i32(h->w[0], tcgv_temp(h->x[2]), 0, MO_LEUL | MO_ALIGN);
    } else {
        TCGTemp *a[1] = { tcgv_ptr_temp(tcg_env) };
        tcg_gen_callN(&info_raise, NULL, a);
    }
    tcg_gen_insn_start(0x1008, 9, 0);
    tcg_gen_movi_i64(h->x[6], 0);
    tcg_gen_exit_tb(0);
    harness_save(h);
}

/* Runs tb expecting a guest fault; returns after the unwind. */
static void run_expecting_fault(const TCGBackend *be, const void *tb, int kind)
{
    jmp_buf jb;
    env.fault_jmp = &jb;
    if (setjmp(jb) == 0) {
        harness_exec(h, be, tb, &env);
        fail_msg("kind %d on %s: no fault", kind, be->name);
    }
    tcg_clear_retaddr();
    env.fault_jmp = NULL;
}

static void test_fault_recovers_insn(void **state)
{
    for (int kind = 0; kind < 3; kind++) {
        build_faulting_tb(kind);
        FOR_EACH_BACKEND(be) {
            for (int opt = 0; opt < 2; opt++) {
                const void *tb = compile(be, opt);
                harness_env_init(h, &env);
                env.x[1] = HARNESS_MEM_SIZE + 0x100;     /* out of range */
                env.x[2] = 0x102;                        /* misaligned for 4 */
                env.x[5] = 41;
                run_expecting_fault(be, tb, kind);
                assert_int_equal(env.faults, 1);
                int insn = harness_insn_of(h, env.fault_retaddr);
                assert_int_equal(insn, 1);
                assert_int_equal(h->insn_data[insn][0], 0x1004);
                assert_int_equal(h->insn_data[insn][1], 8);
                assert_int_equal(env.x[5], 42);         /* synced before the fault */
                assert_int_equal(env.x[6], 52);
            }
        }
    }
}

static void test_mmio_access(void **state)
{
    harness_begin(h);
    tcg_gen_insn_start(0x500, 0, 0);
    tcg_gen_qemu_ld_i64(h->x[0], tcgv_temp(h->x[1]), 1, MO_LEUQ);
    tcg_gen_qemu_st_i32(h->w[2], tcgv_temp(h->x[1]), 1, MO_BEUL);
    tcg_gen_exit_tb(0);
    harness_save(h);
    FOR_EACH_BACKEND(be) {
        const void *tb = compile(be, true);
        harness_env_init(h, &env);
        env.x[1] = HARNESS_MMIO_BASE + 0x40;
        env.w[2] = 0x11223344;
        harness_exec(h, be, tb, &env);
        assert_int_equal(env.mmio_loads, 1);
        assert_int_equal(env.mmio_stores, 1);
        assert_int_equal(env.loads + env.stores, 0);
        assert_int_equal(env.x[0], ((HARNESS_MMIO_BASE + 0x40) * 0x9e3779b97f4a7c15ull) ^ 0xa5);
        assert_int_equal(env.last_mmio_val, 0x44332211);
    }
}

/* Host loads and stores relative to env (the way front ends reach rarely used state). */
static void test_host_ld_st(void **state)
{
    size_t base = offsetof(HarnessEnv, scratch);
    harness_begin(h);
    tcg_gen_insn_start(0x600, 0, 0);
    tcg_gen_ld8s_i32(h->w[0], tcg_env, base + 0);
    tcg_gen_ld16u_i64(h->x[0], tcg_env, base + 2);
    tcg_gen_ld32s_i64(h->x[1], tcg_env, base + 4);
    tcg_gen_ld_i64(h->x[2], tcg_env, base + 8);
    tcg_gen_st16_i32(h->w[1], tcg_env, base + 16);
    tcg_gen_st32_i64(h->x[3], tcg_env, base + 20);
    tcg_gen_st_i64(h->x[3], tcg_env, base + 24);
    TCGv_ptr p = tcg_temp_new_ptr();
    tcg_gen_addi_ptr(p, tcg_env, base + 32);
    tcg_gen_st8_i32(h->w[1], p, 1);
    tcg_gen_exit_tb(0);
    harness_save(h);
    FOR_EACH_BACKEND(be) {
        const void *tb = compile(be, true);
        harness_env_init(h, &env);
        static const uint8_t init[16] = { 0x80, 0, 0x34, 0x92, 0xfe, 0xff, 0xff, 0xff,
                                          1, 2, 3, 4, 5, 6, 7, 8 };
        memcpy(env.scratch, init, 16);
        env.w[1] = 0xabcdef12;
        env.x[3] = 0x0102030405060708ull;
        harness_exec(h, be, tb, &env);
        assert_int_equal(env.w[0], 0xffffff80);
        assert_int_equal(env.x[0], 0x9234);
        assert_int_equal(env.x[1], 0xfffffffffffffffeull);
        assert_int_equal(env.x[2], 0x0807060504030201ull);
        assert_int_equal(env.scratch[16] | env.scratch[17] << 8, 0xef12);
        assert_int_equal(env.scratch[18], 0);
        uint32_t v32;
        uint64_t v64;
        memcpy(&v32, &env.scratch[20], 4);
        memcpy(&v64, &env.scratch[24], 8);
        assert_int_equal(v32, 0x05060708);
        assert_int_equal(v64, 0x0102030405060708ull);
        assert_int_equal(env.scratch[33], 0x12);
    }
}

/* TB a: x0 += 1; goto_tb 0; exit_tb(0x10). TB b: x0 *= 3; exit_tb(0x20). */
static void test_goto_tb_chaining(void **state)
{
    FOR_EACH_BACKEND(be) {
        harness_flush(h);
        harness_begin(h);
        tcg_gen_insn_start(0x700, 0, 0);
        tcg_gen_addi_i64(h->x[0], h->x[0], 1);
        tcg_gen_goto_tb(0);
        tcg_gen_movi_i64(h->pc, 0x800);
        tcg_gen_exit_tb(0x10);
        harness_save(h);
        const void *a = harness_compile(h, be, true);
        uint32_t a_jmp = h->jmp_insn_offset[0], a_reset = h->jmp_reset_offset[0];
        harness_begin(h);
        tcg_gen_insn_start(0x800, 0, 0);
        tcg_gen_muli_i64(h->x[0], h->x[0], 3);
        tcg_gen_exit_tb(0x20);
        harness_save(h);
        const void *b = harness_compile(h, be, true);
        assert_non_null(a);
        assert_non_null(b);
        ptrdiff_t delta = h->code.rw - h->code.rx;

        harness_env_init(h, &env);
        env.x[0] = 4;
        assert_int_equal(harness_exec(h, be, a, &env), 0x10);   /* unchained */
        assert_int_equal(env.x[0], 5);
        assert_int_equal(env.pc, 0x800);

        be->set_jmp_target((uintptr_t)a + a_jmp, delta, (uintptr_t)b);
        harness_env_init(h, &env);
        env.x[0] = 4;
        assert_int_equal(harness_exec(h, be, a, &env), 0x20);   /* chained into b */
        assert_int_equal(env.x[0], 15);

        be->set_jmp_target((uintptr_t)a + a_jmp, delta, (uintptr_t)a + a_reset);
        harness_env_init(h, &env);
        env.x[0] = 4;
        assert_int_equal(harness_exec(h, be, a, &env), 0x10);   /* unchained again */
        assert_int_equal(env.x[0], 5);
    }
}

static void test_lookup_and_goto_ptr(void **state)
{
    FOR_EACH_BACKEND(be) {
        harness_flush(h);
        harness_begin(h);
        tcg_gen_insn_start(0x900, 0, 0);
        tcg_gen_movi_i32(h->w[0], 7);
        tcg_gen_exit_tb(0x44);
        harness_save(h);
        const void *target = harness_compile(h, be, true);
        harness_begin(h);
        tcg_gen_insn_start(0xa00, 0, 0);
        tcg_gen_movi_i64(h->pc, 0x900);
        tcg_gen_lookup_and_goto_ptr();
        harness_save(h);
        const void *tb = harness_compile(h, be, true);
        harness_env_init(h, &env);
        env.lookup_result = target;
        assert_int_equal(harness_exec(h, be, tb, &env), 0x44);
        assert_int_equal(env.w[0], 7);
        assert_int_equal(env.pc, 0x900);
        assert_int_equal(env.lookups, 1);
        harness_env_init(h, &env);
        env.lookup_result = NULL;
        assert_int_equal(harness_exec(h, be, tb, &env), 0);
        assert_int_equal(env.w[0], 0);
    }
}

/* Convenience generators built from several ops. */
static void test_concat_extr(void **state)
{
    harness_begin(h);
    tcg_gen_insn_start(0xb00, 0, 0);
    tcg_gen_concat_i32_i64(h->x[0], h->w[1], h->w[2]);
    tcg_gen_extr_i64_i32(h->w[3], h->w[4], h->x[5]);
    TCGv_ptr p = tcg_temp_new_ptr();
    tcg_gen_ld_ptr(p, tcg_env, offsetof(HarnessEnv, x[6]));
    tcg_gen_st_ptr(p, tcg_env, offsetof(HarnessEnv, x[7]));
    tcg_gen_exit_tb(0);
    harness_save(h);
    FOR_EACH_BACKEND(be) {
        for (int opt = 0; opt < 2; opt++) {
            const void *tb = compile(be, opt);
            harness_env_init(h, &env);
            env.w[1] = 0x89abcdef;
            env.w[2] = 0x01234567;
            env.x[5] = 0xfedcba9876543210ull;
            env.x[6] = 0x5555aaaa5555aaaaull;
            harness_exec(h, be, tb, &env);
            assert_int_equal(env.x[0], 0x0123456789abcdefull);
            assert_int_equal(env.w[3], 0x76543210);
            assert_int_equal(env.w[4], 0xfedcba98);
            assert_int_equal(env.x[7], 0x5555aaaa5555aaaaull);
        }
    }
}

/* The insn-start map: one entry per guest instruction, end offsets increasing. */
static void test_insn_map(void **state)
{
    harness_begin(h);
    for (int i = 0; i < 20; i++) {
        tcg_gen_insn_start(0x2000 + 4 * i, i, 0);
        tcg_gen_addi_i32(h->w[i % 4], h->w[(i + 1) % 4], i);
    }
    tcg_gen_exit_tb(0);
    harness_save(h);
    FOR_EACH_BACKEND(be) {
        compile(be, true);
        assert_int_equal(h->nb_insns, 20);
        for (int i = 0; i < 20; i++) {
            assert_int_equal(h->insn_data[i][0], 0x2000 + 4 * i);
            assert_int_equal(h->insn_data[i][1], i);
            if (i) {
                assert_true(h->insn_end_off[i] >= h->insn_end_off[i - 1]);
            }
        }
        assert_int_equal(harness_insn_of(h, (uintptr_t)h->last_tb), -1);
    }
}

static int setup(void **state)
{
    h = harness_new();
    for (int i = 0; i < harness_nb_backends(); i++) {
        print_message("back end: %s\n", harness_backend(i)->name);
    }
    return 0;
}

/* Loads of global x1 ([rbp + its offset]) in the native code of tb. */
static int count_global_loads(const TCGBackend *be, const void *tb, size_t ofs)
{
    char *text = NULL, pattern[64];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    be->disas(f, tb, 256);
    fclose(f);
    snprintf(pattern, sizeof(pattern), ", qword ptr [rbp + 0x%zx]", ofs);
    int loads = 0;
    for (const char *p = text; (p = strstr(p, pattern)) != NULL; p++) {
        loads++;
    }
    free(text);
    return loads;
}

/* Globals stay in host registers across the fall-through of a conditional branch: x1 is
 * loaded from the CPU state once although three branches separate its uses (the stores
 * before each branch remain, since the branch target reads memory). Results match on
 * both paths of every branch. */
static void test_globals_kept_across_brcond(void **state)
{
    harness_begin(h);
    tcg_gen_insn_start(0x800, 0, 0);
    TCGLabel *out = gen_new_label();
    for (int i = 0; i < 3; i++) {
        tcg_gen_addi_i64(h->x[1], h->x[1], 1);
        tcg_gen_brcondi_i64(TCG_COND_EQ, h->x[2], (uint64_t)i, out);
    }
    tcg_gen_addi_i64(h->x[1], h->x[1], 100);
    gen_set_label(out);
    tcg_gen_exit_tb(0);
    harness_save(h);
    FOR_EACH_BACKEND(be) {
        const void *tb = compile(be, true);
        for (uint64_t x2 = 0; x2 < 4; x2++) {
            harness_env_init(h, &env);
            env.x[1] = 5;
            env.x[2] = x2;
            harness_exec(h, be, tb, &env);
            assert_int_equal(env.x[1], x2 < 3 ? 5 + x2 + 1 : 5 + 3 + 100);
        }
        if (be->disas && disas_available()) {
            assert_int_equal(count_global_loads(be, tb, offsetof(HarnessEnv, x[1])), 1);
        }
    }
}

/* A diamond: x1 is updated on both arms, in the same register, so after the join it is
 * not loaded again (two loads, one per arm, instead of three). */
static void test_globals_kept_across_labels(void **state)
{
    harness_begin(h);
    tcg_gen_insn_start(0x900, 0, 0);
    TCGLabel *other = gen_new_label(), *join = gen_new_label();
    tcg_gen_brcondi_i64(TCG_COND_EQ, h->x[2], 0, other);
    tcg_gen_addi_i64(h->x[1], h->x[1], 1);
    tcg_gen_br(join);
    gen_set_label(other);
    tcg_gen_addi_i64(h->x[1], h->x[1], 2);
    gen_set_label(join);
    tcg_gen_muli_i64(h->x[3], h->x[1], 10);
    tcg_gen_exit_tb(0);
    harness_save(h);
    FOR_EACH_BACKEND(be) {
        const void *tb = compile(be, true);
        for (uint64_t x2 = 0; x2 < 2; x2++) {
            harness_env_init(h, &env);
            env.x[1] = 5;
            env.x[2] = x2;
            harness_exec(h, be, tb, &env);
            assert_int_equal(env.x[1], x2 ? 6 : 7);
            assert_int_equal(env.x[3], x2 ? 60 : 70);
        }
        if (be->disas && disas_available()) {
            assert_int_equal(count_global_loads(be, tb, offsetof(HarnessEnv, x[1])), 2);
        }
    }
}

static int teardown(void **state)
{
    harness_free(h);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loop),
        cmocka_unit_test(test_brcond_all_conditions),
        cmocka_unit_test(test_helper_calls),
        cmocka_unit_test(test_guest_load_store),
        cmocka_unit_test(test_fault_recovers_insn),
        cmocka_unit_test(test_mmio_access),
        cmocka_unit_test(test_tlb_hit_path),
        cmocka_unit_test(test_host_ld_st),
        cmocka_unit_test(test_goto_tb_chaining),
        cmocka_unit_test(test_lookup_and_goto_ptr),
        cmocka_unit_test(test_insn_map),
        cmocka_unit_test(test_concat_extr),
        cmocka_unit_test(test_globals_kept_across_brcond),
        cmocka_unit_test(test_globals_kept_across_labels),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
