/* Micro-benchmark of the x86-64 back end (tcg/x86_64/): for each IR op, host instructions
 * and code bytes generated per op, back-end translation time per op, and run time per op
 * of a TB of 64 such ops executed in a loop. Figures, not a pass/fail test. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <capstone/capstone.h>
#include "system/cpu.h"
#include "tcg/code-buffer.h"
#include "tcg/tcg.h"
#include "tcg/tlb.h"
#include "tcg/x86_64.h"

#define OPS_PER_TB 64
#define NREGS 8

typedef struct BenchEnv {
    CPUState cpu;
    uint64_t x[NREGS];
} BenchEnv;

typedef struct BenchRuntime {
    CPUTLBEntry tlb[TLB_NB_MMU_MODES][256];
} BenchRuntime;

static TCGContext ctx;
static TCGCodeBuffer cb;
static BenchEnv env;
static BenchRuntime runtime;
static uint8_t guest_page[4096] __attribute__((aligned(4096)));
static TCGv_i64 gx[NREGS];
static TCGv_i32 gw[NREGS];

static uint64_t bench_load(void *e, uint64_t a, MemOp m, unsigned i, uintptr_t r)
{
    return 0;
}

static void bench_store(void *e, uint64_t a, uint64_t v, MemOp m, unsigned i, uintptr_t r)
{
}

static uint64_t helper_nop(uint64_t a, uint64_t b)
{
    return a ^ b;
}

static const TCGHelperInfo info_nop = {
    .name = "nop", .func = (void *)helper_nop, .flags = TCG_CALL_NO_RWG,
    .ret_type = TCG_TYPE_I64, .nb_args = 2, .arg_types = { TCG_TYPE_I64, TCG_TYPE_I64 },
};

static const TCGRuntimeHooks hooks = { .load = bench_load, .store = bench_store };

typedef void (*EmitFn)(int k);

/* Destinations never include x7 (the guest address and the divisor). */
#define D(k) gx[(k) % (NREGS - 1)]
#define X(k) gx[(k) % NREGS]
#define W(k) gw[(k) % NREGS]

static void e_add(int k) { tcg_gen_add_i64(D(k), X(k + 1), X(k + 2)); }
static void e_addi(int k) { tcg_gen_addi_i64(D(k), X(k + 1), 0x1234); }
static void e_add32(int k) { tcg_gen_add_i32(gw[k % (NREGS - 1)], W(k + 1), W(k + 2)); }
static void e_mul(int k) { tcg_gen_mul_i64(D(k), X(k + 1), X(k + 2)); }
static void e_xor(int k) { tcg_gen_xor_i64(D(k), X(k + 1), X(k + 2)); }
static void e_andc(int k) { tcg_gen_andc_i64(D(k), X(k + 1), X(k + 2)); }
static void e_shli(int k) { tcg_gen_shli_i64(D(k), X(k + 1), 3); }
static void e_shl(int k) { tcg_gen_shl_i64(D(k), X(k + 1), X(k + 2)); }
static void e_divu(int k) { tcg_gen_divu_i64(D(k), X(k + 1), X(7)); }
static void e_setcond(int k) { tcg_gen_setcond_i64(TCG_COND_LTU, D(k), X(k + 1), X(k + 2)); }
static void e_movcond(int k)
{
    tcg_gen_movcond_i64(TCG_COND_EQ, D(k), X(k + 1), X(k + 2), X(k + 3), X(k + 4));
}
static void e_deposit(int k) { tcg_gen_deposit_i64(D(k), X(k + 1), X(k + 2), 8, 12); }
static void e_extract(int k) { tcg_gen_extract_i64(D(k), X(k + 1), 5, 7); }
static void e_ext8s(int k) { tcg_gen_ext8s_i64(D(k), X(k + 1)); }
static void e_bswap32(int k) { tcg_gen_bswap32_i64(D(k), X(k + 1)); }
static void e_clz(int k) { tcg_gen_clzi_i64(D(k), X(k + 1), 64); }
static void e_ctpop(int k) { tcg_gen_ctpop_i64(D(k), X(k + 1)); }
static void e_add2(int k)
{
    tcg_gen_add2_i64(D(k), D(k + 1), X(k + 2), X(k + 3), X(k + 4), X(k + 5));
}
static void e_mulu2(int k) { tcg_gen_mulu2_i64(D(k), D(k + 1), X(k + 2), X(k + 3)); }
static void e_ld(int k)
{
    tcg_gen_qemu_ld_i64(D(k), tcgv_temp(X(7)), 0, MO_LEUQ);
}
static void e_ld_be(int k)
{
    tcg_gen_qemu_ld_i64(D(k), tcgv_temp(X(7)), 0, MO_BEUL);
}
static void e_st(int k)
{
    tcg_gen_qemu_st_i64(D(k), tcgv_temp(X(7)), 0, MO_LEUQ);
}
static void e_call(int k)
{
    TCGTemp *args[2] = { tcgv_temp(X(k + 1)), tcgv_temp(X(k + 2)) };
    tcg_gen_callN(&info_nop, tcgv_temp(D(k)), args);
}

static const struct {
    const char *name;
    EmitFn emit;
} ops[] = {
    { "add_i64", e_add }, { "add_i64 imm", e_addi }, { "add_i32", e_add32 },
    { "mul_i64", e_mul }, { "xor_i64", e_xor }, { "andc_i64", e_andc },
    { "shl_i64 imm", e_shli }, { "shl_i64 var", e_shl }, { "divu_i64", e_divu },
    { "setcond_i64", e_setcond }, { "movcond_i64", e_movcond },
    { "deposit_i64", e_deposit }, { "extract_i64", e_extract },
    { "ext8s_i64", e_ext8s }, { "bswap32_i64", e_bswap32 }, { "clz_i64", e_clz },
    { "ctpop_i64", e_ctpop }, { "add2_i64", e_add2 }, { "mulu2_i64", e_mulu2 },
    { "qemu_ld_i64 le64", e_ld }, { "qemu_ld_i64 be32", e_ld_be },
    { "qemu_st_i64 le64", e_st }, { "call (2 args)", e_call },
};

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void build(EmitFn emit, int n)
{
    tcg_func_start(&ctx);
    for (int k = 0; k < n; k++) {
        emit(k);
    }
    tcg_gen_exit_tb(0);
}

/* Compiles the current op list; returns its size and sets *tb. */
static long compile(const void **tb)
{
    tcg_liveness(&ctx);
    if (tcg_code_buffer_avail(&cb) < (64 << 10)) {
        tcg_code_buffer_flush(&cb);
    }
    uint8_t *rw = tcg_code_buffer_next_rw(&cb);
    long n = tcg_backend_x86_64.gen_code(&ctx, rw, tcg_code_buffer_rw_to_rx(&cb, rw),
                                         tcg_code_buffer_avail(&cb));
    if (n <= 0) {
        fprintf(stderr, "gen_code failed: %ld\n", n);
        exit(1);
    }
    *tb = tcg_code_buffer_commit(&cb, (size_t)n);
    return n;
}

static size_t count_insns(csh cs, const void *code, size_t size)
{
    cs_insn *insn;
    size_t n = cs_disasm(cs, code, size, 0, 0, &insn);
    if (n) {
        cs_free(insn, n);
    }
    return n;
}

/* Host instructions of a guest load's soft-TLB hit path: from the first instruction
 * that writes the scratch register r10 to the access through it (compares excluded). */
static int hit_path_insns(csh cs)
{
    const void *tb;
    cs_insn *insn;
    int start = -1, end = -1;
    build(e_ld, 1);
    long size = compile(&tb);
    size_t n = cs_disasm(cs, tb, (size_t)size, 0, 0, &insn);
    for (size_t i = 0; i < n && end < 0; i++) {
        const char *ops = insn[i].op_str;
        if (start < 0 && strncmp(ops, "r10, ", 5) == 0) {
            start = (int)i;
        } else if (start >= 0 && strcmp(insn[i].mnemonic, "cmp") != 0 &&
                   (strstr(ops, "ptr [r10]") || strstr(ops, "ptr [r10 + r"))) {
            end = (int)i;
        }
    }
    if (n) {
        cs_free(insn, n);
    }
    return start >= 0 && end >= 0 ? end - start + 1 : -1;
}

static double time_translation(EmitFn emit, int n, int reps)
{
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        const void *tb;
        build(emit, n);
        tcg_liveness(&ctx);
        double t0 = now_ns();
        uint8_t *rw = tcg_code_buffer_next_rw(&cb);
        if (tcg_code_buffer_avail(&cb) < (64 << 10)) {
            tcg_code_buffer_flush(&cb);
            rw = tcg_code_buffer_next_rw(&cb);
        }
        long len = tcg_backend_x86_64.gen_code(&ctx, rw, tcg_code_buffer_rw_to_rx(&cb, rw),
                                               tcg_code_buffer_avail(&cb));
        double t1 = now_ns();
        tb = tcg_code_buffer_commit(&cb, (size_t)len);
        (void)tb;
        best = t1 - t0 < best ? t1 - t0 : best;
    }
    return best;
}

static double time_run(const void *tb, int iters)
{
    double best = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now_ns();
        for (int i = 0; i < iters; i++) {
            for (int k = 0; k < NREGS - 1; k++) {
                env.x[k] = (uint64_t)k * 0x9e3779b97f4a7c15ull + 1;
            }
            env.x[7] = 0x1008;      /* guest address, and divisor of divu */
            tcg_backend_x86_64.exec(&env, tb);
        }
        double t = now_ns() - t0;
        best = t < best ? t : best;
    }
    return best / iters;
}

static void setup(void)
{
    tcg_context_init(&ctx, 1, TCG_TYPE_I64);
    tcg_context_set_current(&ctx);
    for (int k = 0; k < NREGS; k++) {
        char *name = malloc(8);
        snprintf(name, 8, "x%d", k);
        gx[k] = tcg_global_mem_new_i64(offsetof(BenchEnv, x) + 8 * k, name);
        gw[k] = tcg_global_mem_new_i32(offsetof(BenchEnv, x) + 8 * k, name);
    }
    tcg_backend_x86_64.context_init(&ctx);
    tcg_set_runtime_hooks(&hooks);
    if (tcg_code_buffer_init(&cb, 16 << 20, NULL) < 0) {
        exit(1);
    }
    /* guest page 0x1000 maps to guest_page in MMU index 0; x7 holds its address */
    memset(&runtime.tlb, 0xff, sizeof(runtime.tlb));
    for (int m = 0; m < TLB_NB_MMU_MODES; m++) {
        tlb_fast_set(&env.cpu, m, runtime.tlb[m], 8);
    }
    CPUTLBEntry *e = tlb_fast_entry(&env.cpu, 0, 0x1000);
    e->addr_read = e->addr_write = 0x1000;
    e->addend = (uintptr_t)guest_page - 0x1000;
    env.x[7] = 0x1008;
}

int main(void)
{
    csh cs;
    const void *tb0, *tbn;
    int iters = getenv("MIMIC_LONG_TESTS") ? 200000 : 20000;
    setup();
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
        return 1;
    }
    build(e_add, 0);
    long size0 = compile(&tb0);
    size_t insns0 = count_insns(cs, tb0, (size_t)size0);
    double run0 = time_run(tb0, iters);
    double gen0 = time_translation(e_add, 0, 50);
    printf("x86-64 back end, TBs of %d ops on 8 i64 globals (figures per op; the TB's\n"
           "global loads/stores and exit are subtracted using an empty TB)\n\n", OPS_PER_TB);
    printf("%-20s %10s %10s %12s %10s\n", "op", "host insn", "code B", "translate ns",
           "run ns");
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        build(ops[i].emit, OPS_PER_TB);
        long size = compile(&tbn);
        size_t insns = count_insns(cs, tbn, (size_t)size);
        double run = time_run(tbn, iters);
        double gen = time_translation(ops[i].emit, OPS_PER_TB, 50);
        printf("%-20s %10.2f %10.2f %12.1f %10.2f\n", ops[i].name,
               (double)(insns - insns0) / OPS_PER_TB, (double)(size - size0) / OPS_PER_TB,
               (gen - gen0) / OPS_PER_TB, (run - run0) / OPS_PER_TB);
    }
    printf("\n(host insn and code bytes include out-of-line slow paths of guest accesses;\n"
           " run time of guest accesses is the soft-TLB hit path)\n");
    printf("guest load hit path: %d host instructions (TLB lookup + the access)\n",
           hit_path_insns(cs));
    cs_close(&cs);
    return 0;
}
