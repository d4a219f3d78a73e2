/* Micro-benchmark of the IR middle end and the interpreter back end: per IR op, the time
 * to emit it (front-end API), to optimize and analyse liveness, to generate interpreter
 * bytecode, and to execute it; plus how many ops the optimizer and liveness removed, on
 * a synthetic x86-like TB (ALU op, lazy condition-code globals, memory access) and on a
 * TB of constant arithmetic. Figures, not a pass/fail test. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "system/cpu.h"
#include "tcg/tcg.h"

#define NREGS 8
#define NINSNS 200
#define REPS 200

typedef struct BenchEnv {
    CPUState cpu;
    uint32_t r[NREGS];
    uint32_t cc_dst, cc_src, cc_op;
    uint8_t mem[4096];
} BenchEnv;

static TCGContext ctx;
static TCGv_i32 gr[NREGS], cc_dst, cc_src;
static BenchEnv env;
static uint8_t code[4 << 20] __attribute__((aligned(16)));

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint64_t bench_load(void *e, uint64_t a, MemOp m, unsigned i, uintptr_t r)
{
    BenchEnv *b = e;
    uint32_t v;
    memcpy(&v, &b->mem[a & 4092], 4);
    return memop_extend(m, v);
}

static void bench_store(void *e, uint64_t a, uint64_t v, MemOp m, unsigned i, uintptr_t r)
{
    BenchEnv *b = e;
    memcpy(&b->mem[a & 4092], &v, memop_size(m));
}

static const TCGRuntimeHooks hooks = { .load = bench_load, .store = bench_store };

/* x86-like: rD = rD op rS; cc_dst = result; cc_src = rS; every 4th insn loads. */
static void gen_x86_like(void)
{
    for (int i = 0; i < NINSNS; i++) {
        TCGv_i32 d = gr[i % NREGS], s = gr[(i * 3 + 1) % NREGS];
        tcg_gen_insn_start(0x1000 + 3 * i, i & 7, 0);
        if (i % 4 == 3) {
            TCGv_i32 a = tcg_temp_new_i32();
            tcg_gen_andi_i32(a, s, 0xffc);
            tcg_gen_qemu_ld_i32(d, tcgv_temp(a), 0, MO_LEUL);
            tcg_temp_free_i32(a);
            continue;
        }
        if (i % 2) {
            tcg_gen_add_i32(d, d, s);
        } else {
            tcg_gen_xor_i32(d, d, s);
        }
        tcg_gen_mov_i32(cc_dst, d);
        tcg_gen_mov_i32(cc_src, s);
    }
}

/* Constant arithmetic the optimizer folds away. */
static void gen_constants(void)
{
    for (int i = 0; i < NINSNS; i++) {
        TCGv_i32 t = tcg_temp_new_i32();
        tcg_gen_insn_start(0x1000 + 4 * i, 0, 0);
        tcg_gen_movi_i32(t, i);
        tcg_gen_muli_i32(t, t, 3);
        tcg_gen_addi_i32(t, t, 7);
        tcg_gen_shli_i32(t, t, 1);
        tcg_gen_add_i32(gr[i % NREGS], gr[i % NREGS], t);
        tcg_temp_free_i32(t);
    }
}

static void bench(const char *name, void (*gen)(void))
{
    const TCGBackend *be = tcg_backend_find("interp");
    double t_emit = 0, t_mid = 0, t_gen = 0, t_run = 0;
    int ops_in = 0, ops_out = 0;
    long size = 0;
    for (int rep = 0; rep < REPS; rep++) {
        double t0 = now_ns();
        tcg_func_start(&ctx);
        gen();
        tcg_gen_exit_tb(0);
        double t1 = now_ns();
        ops_in = ctx.nb_ops;
        tcg_optimize(&ctx);
        tcg_liveness(&ctx);
        double t2 = now_ns();
        ops_out = ctx.nb_ops;
        size = be->gen_code(&ctx, code, code, sizeof(code));
        double t3 = now_ns();
        be->exec(&env, code);
        double t4 = now_ns();
        t_emit += t1 - t0;
        t_mid += t2 - t1;
        t_gen += t3 - t2;
        t_run += t4 - t3;
    }
    printf("%-10s ops %5d -> %5d (%4.1f%% removed)  emit %6.1f  opt+liveness %6.1f  "
           "interp-gen %6.1f  interp-run %6.1f ns/op  bytecode %5.1f bytes/op\n",
           name, ops_in, ops_out, 100.0 * (ops_in - ops_out) / ops_in,
           t_emit / REPS / ops_in, t_mid / REPS / ops_in, t_gen / REPS / ops_out,
           t_run / REPS / ops_out, (double)size / ops_out);
}

int main(void)
{
    tcg_context_init(&ctx, 2, TCG_TYPE_I32);
    tcg_context_set_current(&ctx);
    for (int i = 0; i < NREGS; i++) {
        gr[i] = tcg_global_mem_new_i32(offsetof(BenchEnv, r[i]), "r");
    }
    cc_dst = tcg_global_mem_new_i32(offsetof(BenchEnv, cc_dst), "cc_dst");
    cc_src = tcg_global_mem_new_i32(offsetof(BenchEnv, cc_src), "cc_src");
    tcg_set_runtime_hooks(&hooks);
    printf("IR middle end and interpreter (%d guest insns per TB, mean of %d TBs; "
           "times per IR op)\n", NINSNS, REPS);
    bench("x86-like", gen_x86_like);
    bench("constants", gen_constants);
    tcg_context_destroy(&ctx);
    return 0;
}
