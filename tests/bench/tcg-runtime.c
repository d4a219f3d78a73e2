/* Translator runtime figures on the toy guest of tests/unit/test-tcg-runtime.c (included
 * here, its main renamed): guest instructions per second of a chained ALU loop and of a
 * load/store loop, and the cost of translating many small TBs, per back end; then the
 * runtime's hot paths on the native back end (issue 7): indirect jump through
 * lookup_and_goto_ptr, TLB refill from the victim TLB and from the page walk, page and
 * full TLB flush, a store to a code page outside any TB, translation per instruction. */
#define main test_tcg_runtime_main
#include "tests/unit/test-tcg-runtime.c"
#undef main
#include <stdio.h>
#include "tcg/x86_64.h"
#include "accel/tcg/internal.h"

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of n (at most 9) runs of the program at pc, in seconds of clock id. */
static double median_run(uint32_t pc, int n, clockid_t id)
{
    double t[9];
    n = n < 1 ? 1 : n > 9 ? 9 : n;
    for (int i = 0; i < n; i++) {
        double t0 = clock_s(id);
        run(pc);
        t[i] = clock_s(id) - t0;
    }
    qsort(t, (size_t)n, sizeof(t[0]), cmp_double);
    return t[n / 2];
}

/* Median of three runs of the program at pc: seconds. */
static double time_run(uint32_t pc)
{
    return median_run(pc, 3, CLOCK_MONOTONIC);
}

static void bench_backend(const char *name, uint32_t iters_hi)
{
    void *st = (void *)name;
    const uint32_t alu[] = {
        INSN(OP_LI, 1, 0, 0), INSN(OP_LI, 2, 0, 0), INSN(OP_LUI, 2, 0, iters_hi),
        INSN(OP_ADD, 1, 2, 0), INSN(OP_ADDI, 2, 0, -1), INSN(OP_BNZ, 2, 0, -3),
        INSN(OP_HALT, 0, 0, 0),
    };
    const uint32_t mem[] = {
        INSN(OP_LI, 3, 0, 0x8000), INSN(OP_LI, 2, 0, 0), INSN(OP_LUI, 2, 0, iters_hi),
        INSN(OP_ST, 2, 3, 0), INSN(OP_LD, 1, 3, 0), INSN(OP_ADDI, 2, 0, -1),
        INSN(OP_BNZ, 2, 0, -4), INSN(OP_HALT, 0, 0, 0),
    };
    enum { PAIRS = 3000 };
    static uint32_t many[2 * PAIRS + 1];
    double iters = (double)iters_hi * 65536.0;
    TCGRuntimeStats s0, s1;

    setup(&st);
    vcpu_init();
    load(0x1000, alu, 7);
    load(0x2000, mem, 8);
    double t_alu = time_run(0x1000);
    double t_mem = time_run(0x2000);
    for (int i = 0; i < PAIRS; i++) {
        many[2 * i] = INSN(OP_ADDI, 1, 0, 1);
        many[2 * i + 1] = INSN(OP_B, 0, 0, 0);
    }
    many[2 * PAIRS] = INSN(OP_HALT, 0, 0, 0);
    load(0x4000, many, 2 * PAIRS + 1);
    stats(&s0);
    double t0 = now_s();
    run(0x4000);
    double t_many = now_s() - t0;
    stats(&s1);
    uint64_t n = s1.translations - s0.translations;
    printf("%-7s alu loop %8.1f M guest insns/s   ld/st loop %8.1f M guest insns/s\n"
           "        %llu new TBs in %.1f ms: %.1f us per TB all included "
           "(translation alone %.1f us)\n",
           name, 3.0 * iters / t_alu / 1e6, 4.0 * iters / t_mem / 1e6,
           (unsigned long long)n, t_many * 1e3, t_many * 1e6 / (double)n,
           (double)(s1.translate_ns - s0.translate_ns) / 1e3 / (double)n);
    teardown(&st);
}

#include "tests/bench/tcg-runtime-paths.c"

/* "tcg-runtime" prints every figure; "tcg-runtime tlb" runs only the TLB-miss loops,
 * briefly, for callgrind. */
int main(int argc, char **argv)
{
    const TCGBackend *volatile native = &tcg_backend_x86_64;   /* links the back end */
    (void)native;
    if (argc > 1 && strcmp(argv[1], "tlb") == 0) {
        bench_tlb_only();
        return 0;
    }
    bench_backend("native", 0x100);  /* 16 M iterations */
    bench_backend("interp", 0x10);   /* 1 M iterations */
    bench_paths();
    return 0;
}
