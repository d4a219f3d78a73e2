/* Included by tests/bench/tcg-runtime.c: the runtime's hot paths on the toy guest and the
 * native back end, each as a median of 5 and as a difference between two guest loops that
 * differ only in the path measured (issue 7 lists the targets printed beside them). The
 * toy's page walk is replaced by one that maps every virtual page onto the 64 KiB of RAM
 * (paddr = vaddr mod RAM_SIZE), so that loads can miss the TLB as often as wanted. */

/* Pages 256 MiB apart share a TLB slot at any TLB size up to 64K entries. */
#define CONFLICT_STRIDE 0x10000000u
#define DATA_PAGE 0x8000u
#define WARM_PC 0xe000u        /* code at 0x1000-0x7fff and 0x9000-0xcfff */

static bool wrap_tlb_fill(CPUState *cpu, uint64_t vaddr, int size, MMUAccessType type,
                          int mmu_idx, bool probe, uintptr_t retaddr)
{
    tlb_set_page(cpu, vaddr, vaddr & (RAM_SIZE - 1) & ~0xfffull, PAGE_RWX, mmu_idx, 4096);
    return true;
}

static TCGTargetOps wrap_ops;
static CPUClass wrap_class;

/* CPU time of this thread, in seconds: the figures below are single-threaded, and on a
 * shared machine wall time mostly measures the other processes. */
static double cpu_s(void)
{
    return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

/* Median of 5 runs from pc, in seconds of thread CPU time. */
static double median5_run(uint32_t pc)
{
    return median_run(pc, 5, CLOCK_THREAD_CPUTIME_ID);
}

/* Loads code at 0x1000 + slot * 0x1000 and returns the median run time per iteration in
 * ns (iterations = iters, counted down in r2 by the program itself). */
static double loop_ns(int slot, const uint32_t *code, size_t n, double iters)
{
    uint32_t pc = 0x1000 + (uint32_t)slot * 0x1000;
    load(pc, code, n);
    run(pc);                                /* translate, chain, fill the TLB */
    return median5_run(pc) * 1e9 / iters;
}

/* Indirect jump: "A: addi r2,-1; bnz r2,C; halt; C: jr r4 (= A)" against the same loop
 * with "b A" at C (a chained direct jump). */
static void bench_indirect(uint32_t hi, double iters)
{
    uint32_t prog[] = {
        INSN(OP_LI, 2, 0, 0), INSN(OP_LUI, 2, 0, hi), INSN(OP_LI, 4, 0, 0),
        INSN(OP_B, 0, 0, 0),
        INSN(OP_ADDI, 2, 0, -1), INSN(OP_BNZ, 2, 0, 1), INSN(OP_HALT, 0, 0, 0),
        INSN(OP_JR, 4, 0, 0),
    };
    prog[2] = INSN(OP_LI, 4, 0, 0x1010);
    double t_jr = loop_ns(0, prog, 8, iters);
    prog[2] = INSN(OP_LI, 4, 0, 0x2010);
    prog[7] = INSN(OP_B, 0, 0, -4);
    double t_b = loop_ns(1, prog, 8, iters);
    printf("  indirect jump (lookup_and_goto_ptr)   %7.2f ns   (loop %.2f ns/iter, direct %.2f; "
           "target <= 5 ns)\n", t_jr - t_b, t_jr, t_b);
}

/* Two loads per iteration: "ld [r3]; add r3,r6; ld [r3]; add r3,r7". r6 = r7 = 0: hits;
 * r6 = +S, r7 = -S: two pages in one TLB slot alternate (victim TLB); r6 = r7 = S: 16
 * pages in turn (page walk). Returns ns per iteration. */
static double tlb_loop_ns(int slot, uint32_t hi, double iters, uint32_t s6, uint32_t s7)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 2, 0, 0), INSN(OP_LUI, 2, 0, hi),
        INSN(OP_LI, 3, 0, DATA_PAGE), INSN(OP_LI, 6, 0, 0), INSN(OP_LUI, 6, 0, s6 >> 16),
        INSN(OP_LI, 7, 0, 0), INSN(OP_LUI, 7, 0, s7 >> 16), INSN(OP_B, 0, 0, 0),
        INSN(OP_LD, 1, 3, 0), INSN(OP_ADD, 3, 6, 0), INSN(OP_LD, 1, 3, 0),
        INSN(OP_ADD, 3, 7, 0), INSN(OP_ADDI, 2, 0, -1), INSN(OP_BNZ, 2, 0, -6),
        INSN(OP_HALT, 0, 0, 0),
    };
    return loop_ns(slot, prog, 15, iters);
}

static void bench_tlb_miss(uint32_t hi, double iters)
{
    double hit = tlb_loop_ns(2, hi, iters, 0, 0);
    double victim = tlb_loop_ns(3, hi, iters, CONFLICT_STRIDE, -CONFLICT_STRIDE);
    double walk = tlb_loop_ns(4, hi, iters, CONFLICT_STRIDE, CONFLICT_STRIDE);
    printf("  TLB miss, victim-TLB pattern          %7.2f ns   (2 pages in one slot; "
           "target <= 15 ns)\n", (victim - hit) / 2);
    printf("  TLB miss, page walk                   %7.2f ns   (16 pages in one slot; "
           "target <= 30 ns)\n", (walk - hit) / 2);
}

/* A store per iteration into the loop's own code page (no TB there) against a store to
 * a data page. */
static void bench_code_page_store(uint32_t hi, double iters)
{
    uint32_t prog[] = {
        INSN(OP_LI, 2, 0, 0), INSN(OP_LUI, 2, 0, hi), INSN(OP_LI, 3, 0, DATA_PAGE),
        INSN(OP_B, 0, 0, 0),
        INSN(OP_ST, 2, 3, 0), INSN(OP_ADDI, 2, 0, -1), INSN(OP_BNZ, 2, 0, -3),
        INSN(OP_HALT, 0, 0, 0),
    };
    double data = loop_ns(5, prog, 8, iters);
    prog[2] = INSN(OP_LI, 3, 0, 0x7800);     /* the second half of the loop's page */
    double code = loop_ns(6, prog, 8, iters);
    printf("  store to a code page, outside TBs     %7.2f ns   (store to a data page "
           "%.2f ns/iter)\n", code - data, data);
}

typedef void (*FlushFn)(CPUState *cpu, int i);

static void flush_page_fn(CPUState *cpu, int i)
{
    tlb_flush_page(cpu, DATA_PAGE + ((uint64_t)(i & 7) << 12));
}

static void flush_all_fn(CPUState *cpu, int i)
{
    tlb_flush(cpu);
}

/* ns per call of fn (median of 5 batches), with the TLB and jump cache warm. */
static double flush_ns(FlushFn fn, int calls)
{
    double t[5];
    for (int r = 0; r < 5; r++) {
        run(WARM_PC);
        double t0 = cpu_s();
        for (int i = 0; i < calls; i++) {
            fn(fx.cpu, i);
        }
        t[r] = cpu_s() - t0;
    }
    qsort(t, 5, sizeof(t[0]), cmp_double);
    return t[2] * 1e9 / calls;
}

/* Pages far from the toy's code, flushed with their jump-cache groups full. */
#define FULL_GROUP_PAGE 0x20000u

static void flush_page_full_fn(CPUState *cpu, int i)
{
    tlb_flush_page(cpu, FULL_GROUP_PAGE + ((uint64_t)(i & 7) << 12));
}

/* Fills every slot of the jump-cache groups of the pages flush_page_full_fn flushes (and
 * of the pages before them) with the warm TB, which starts on none of them: each flush
 * then reads all the slots of two groups and keeps them, the most a page flush does. */
static void fill_flushed_groups(void)
{
    TCGVCPU *v = tcg_vcpu(fx.cpu);
    TranslationBlock *tb = atomic_load(&v->jmp_cache[jc_index(WARM_PC)]);
    if (!tb) {
        return;
    }
    for (uint64_t page = FULL_GROUP_PAGE - 0x1000; page < FULL_GROUP_PAGE + 0x8000;
         page += 0x1000) {
        for (uint64_t off = 0; off < 0x1000; off++) {
            jc_insert(v, page + off, tb);
        }
    }
}

static void bench_flushes(void)
{
    printf("  TLB page flush                        %7.1f ns   (target <= 200 ns)\n",
           flush_ns(flush_page_fn, 20000));
    run(WARM_PC);
    fill_flushed_groups();
    printf("  TLB page flush, jump-cache groups full %6.1f ns   (every slot of two groups "
           "read)\n", flush_ns(flush_page_full_fn, 20000));
    printf("  TLB full flush                        %7.1f ns\n", flush_ns(flush_all_fn, 2000));
}

/* 400 TBs of 8 guest-like instructions (ALU, loads, stores) and a branch each: the
 * translation time (optimizer, liveness, code generation, linking) per guest instruction. */
static void bench_translate(void)
{
    enum { TBS = 400, PER = 9 };
    static uint32_t prog[TBS * PER + 1];
    TCGRuntimeStats s0, s1;

    for (int i = 0; i < TBS; i++) {
        uint32_t *p = &prog[i * PER];
        p[0] = INSN(OP_LI, 3, 0, DATA_PAGE);
        p[1] = INSN(OP_LUI, 1, 0, i);
        p[2] = INSN(OP_ADD, 1, 2, 0);
        p[3] = INSN(OP_LD, 2, 3, 4 * (i & 15));
        p[4] = INSN(OP_ADDI, 2, 0, 3);
        p[5] = INSN(OP_ST, 1, 3, 64);
        p[6] = INSN(OP_LDBE, 4, 3, 8);
        p[7] = INSN(OP_ADD, 4, 1, 0);
        p[8] = INSN(OP_B, 0, 0, 0);
    }
    prog[TBS * PER] = INSN(OP_HALT, 0, 0, 0);
    load(0x9000, prog, TBS * PER + 1);
    for (int pass = 0; pass < 2; pass++) {      /* cold code buffer, then warm */
        tb_flush();
        stats(&s0);
        double t0 = cpu_s();
        run(0x9000);
        double t = cpu_s() - t0;
        stats(&s1);
        double insns = (double)(TBS * PER);
        printf("  translation per guest instruction     %7.1f ns   (%s buffer; run of %llu "
               "new TBs, all included)\n", t * 1e9 / insns, pass ? "warm" : "cold",
               (unsigned long long)(s1.translations - s0.translations));
    }
}

/* The toy vCPU with the wrapped page walk, for the path figures. */
static void paths_setup(void **st)
{
    const uint32_t warm[] = { INSN(OP_LD, 1, 3, 0), INSN(OP_HALT, 0, 0, 0) };
    setup(st);
    wrap_ops = toy_tcg_ops;
    wrap_ops.tlb_fill = wrap_tlb_fill;
    wrap_class = toy_cpu_class;
    wrap_class.tcg_ops = &wrap_ops;
    fx.cpu->cls = &wrap_class;
    vcpu_init();
    load(WARM_PC, warm, 2);
    fx.toy->r[3] = DATA_PAGE;
}

static void bench_paths(void)
{
    void *st = (void *)"native";
    uint32_t hi = 0x40;                     /* 4 M iterations */
    double iters = (double)hi * 65536.0;

    printf("native runtime paths (median of 5, thread CPU time)\n");
    paths_setup(&st);
    bench_indirect(hi, iters);
    bench_tlb_miss(hi / 4, iters / 4);
    bench_code_page_store(hi / 4, iters / 4);
    bench_flushes();
    bench_translate();
    teardown(&st);
}

/* Only the TLB-miss loops, 64K iterations each: short enough to run under
 * valgrind --tool=callgrind, whose instruction counts do not depend on the load. */
static void bench_tlb_only(void)
{
    void *st = (void *)"native";
    printf("native TLB-miss loops only (for callgrind; times are not meaningful)\n");
    paths_setup(&st);
    bench_tlb_miss(1, 65536.0);
    teardown(&st);
}
