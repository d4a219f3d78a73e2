/* Unit tests of the runtime's front-end API and SMP paths on the toy guest of
 * test-tcg-runtime.c (included, its main renamed), on both back ends: probe_access
 * (precise faults before any byte is written, RAM/MMIO, stores into the running TB),
 * the exclusive step (two vCPU threads add to one word with a non-atomic instruction
 * run exclusively: no update is lost), per-page TLB and jump-cache flushes, large pages,
 * and flushes sent to other vCPUs with their arguments, queued or synchronous. The page
 * walk is the toy's plus two 2 MiB large pages and one page whose mapping a test moves. */
#ifndef TCG_SMP_MAIN
#define TCG_SMP_MAIN main       /* test-tcg-stress.c includes this file under another name */
#endif
int test_tcg_runtime_main(void);
#define main test_tcg_runtime_main
#include "tests/unit/test-tcg-runtime.c"
#undef main

/* Opcodes of this file (toy_extra_insn). */
enum {
    OP_PROBE = 0x20,    /* mem8[r[rs] .. + imm) = r[rd] & 0xff, probed first (a helper) */
    OP_EXCL = 0x21,     /* mem32[r[rs]] += r[rd], needing an exclusive step */
};

static atomic_uint probe_null;      /* probe_access returned NULL (fallback path) */

/* The probe helper: like an x86 "rep stosb" that checks the whole range first. */
static void helper_probe_fill(void *env, uint32_t addr, uint32_t len, uint32_t val)
{
    CPUState *cpu = env;
    uintptr_t ra = TCG_GETPC();
    uint8_t *p = probe_access(cpu, addr, len, MMU_DATA_STORE, 0, ra);
    if (p) {
        memset(p, (int)(val & 0xff), len);
        return;
    }
    atomic_fetch_add(&probe_null, 1);
    for (uint32_t i = 0; i < len; i++) {
        cpu_st_mmu(cpu, addr + i, val & 0xff, MO_8, 0, ra);
    }
}

static const TCGHelperInfo info_probe_fill = {
    .name = "probe_fill", .func = (void *)helper_probe_fill, .flags = TCG_CALL_NO_WG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 4,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32, TCG_TYPE_I32, TCG_TYPE_I32 },
};

/* Between the load and the store of OP_EXCL: waits 2 us, so that another vCPU running
 * the same instruction at the same time would certainly lose an update. */
static void helper_excl_window(void *env)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 2000);
}

static const TCGHelperInfo info_excl_window = {
    .name = "excl_window", .func = (void *)helper_excl_window,
    .flags = TCG_CALL_NO_READ_GLOBALS | TCG_CALL_NO_WRITE_GLOBALS,
    .ret_type = TCG_TYPE_VOID, .nb_args = 1, .arg_types = { TCG_TYPE_PTR },
};

static void gen_excl_add(TranslationBlock *tb, unsigned rd, unsigned rs)
{
    if (!(tb->cflags & CF_EXCLUSIVE)) {
        tcg_rt_gen_exit_atomic();
        tcg_gen_exit_tb(0);
        return;
    }
    TCGv_i32 t = tcg_temp_new_i32();
    TCGTemp *args[] = { tcgv_temp(tcg_env) };
    tcg_gen_qemu_ld_i32(t, tcgv_temp(toy_r[rs]), 0, MO_LEUL);
    tcg_gen_callN(&info_excl_window, NULL, args);
    tcg_gen_add_i32(t, t, toy_r[rd]);
    tcg_gen_qemu_st_i32(t, tcgv_temp(toy_r[rs]), 0, MO_LEUL);
    tcg_temp_free_i32(t);
}

static int smp_extra_insn(TranslationBlock *tb, uint32_t pc, uint32_t insn)
{
    unsigned op = insn >> 24, rd = (insn >> 20) & 7, rs = (insn >> 16) & 7;
    TCGv_i32 len = tcg_constant_i32(insn & 0xffff);

    switch (op) {
    case OP_PROBE: {
        TCGTemp *args[] = { tcgv_temp(tcg_env), tcgv_temp(toy_r[rs]), tcgv_temp(len),
                            tcgv_temp(toy_r[rd]) };
        tcg_gen_callN(&info_probe_fill, NULL, args);
        return 0;
    }
    case OP_EXCL:
        gen_excl_add(tb, rd, rs);
        return !(tb->cflags & CF_EXCLUSIVE);
    default:
        return -1;
    }
}

#define LARGE1 0x400000u         /* [LARGE1, +2 MiB) and [LARGE2, +2 MiB): large pages */
#define LARGE2 0x800000u         /* onto RAM offset vaddr mod 2 MiB */
#define LARGE_SIZE 0x200000u
#define REMAP_PAGE 0xc00000u     /* maps to the RAM page remap_target */

static atomic_uint remap_target;

static bool smp_tlb_fill(CPUState *cpu, uint64_t vaddr, int size, MMUAccessType type,
                         int mmu_idx, bool probe, uintptr_t retaddr)
{
    uint64_t large = vaddr & ~(uint64_t)(LARGE_SIZE - 1);
    if ((vaddr & ~0xfffull) == REMAP_PAGE) {
        tlb_set_page(cpu, vaddr, atomic_load(&remap_target), PAGE_RWX, mmu_idx, 4096);
        return true;
    }
    if (large == LARGE1 || large == LARGE2) {
        tlb_set_page(cpu, vaddr, 0, PAGE_RWX, mmu_idx, LARGE_SIZE);
        return true;
    }
    return toy_tlb_fill(cpu, vaddr, size, type, mmu_idx, probe, retaddr);
}

static TCGTargetOps smp_ops;
static CPUClass smp_class;

static int smp_setup(void **state)
{
    toy_extra_insn = smp_extra_insn;
    atomic_store(&probe_null, 0);
    smp_ops = toy_tcg_ops;
    smp_ops.tlb_fill = smp_tlb_fill;
    smp_class = toy_cpu_class;
    smp_class.tcg_ops = &smp_ops;
    int r = setup(state);
    fx.cpu->cls = &smp_class;
    return r;
}

static int smp_teardown(void **state)
{
    toy_extra_insn = NULL;
    return teardown(state);
}

/* ---- probe_access ------------------------------------------------------------------ */

/* Within one RAM page: the helper writes through the host pointer. */
static void test_probe_ram(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x8010), INSN(OP_LI, 1, 0, 0x5a),
        INSN(OP_PROBE, 1, 3, 8), INSN(OP_HALT, 0, 0, 0),
    };
    vcpu_init();
    load(0x1000, prog, 4);
    run(0x1000);
    assert_int_equal(ram32(0x8010), 0x5a5a5a5a);
    assert_int_equal(ram32(0x8014), 0x5a5a5a5a);
    assert_int_equal(ram32(0x8018), 0);
    assert_int_equal(atomic_load(&probe_null), 0);
}

/* A range whose second page faults: the fault is raised with the instruction's PC and
 * its page, before any byte of the first page is written. */
static void test_probe_fault(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x8ffc), INSN(OP_LI, 1, 0, 0x77),
        INSN(OP_PROBE, 1, 3, 8),        /* 0x1008: 0x8ffc..0x9003 */
        INSN(OP_LI, 0, 0, 99), INSN(OP_HALT, 0, 0, 0),
    };
    vcpu_init();
    load_vectors();
    load(0x1000, prog, 5);
    fx.toy->fault_page = 0x9000;
    run(0x1000);
    assert_int_equal(fx.toy->last_excp, TOY_EXCP_PAGE);
    assert_int_equal(fx.toy->excp_pc, 0x1008);
    assert_int_equal(fx.toy->lazy, 2);
    assert_int_equal(fx.toy->fault_addr, 0x9000);
    assert_int_equal(ram32(0x8ffc), 0);
    assert_int_not_equal(fx.toy->r[0], 99);
}

/* MMIO: NULL, and the helper's byte stores reach the device. */
static void test_probe_mmio(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x10), INSN(OP_LUI, 3, 0, MMIO_BASE >> 16),
        INSN(OP_LI, 1, 0, 0x33), INSN(OP_PROBE, 1, 3, 4), INSN(OP_HALT, 0, 0, 0),
    };
    vcpu_init();
    load(0x1000, prog, 5);
    run(0x1000);
    assert_int_equal(atomic_load(&probe_null), 1);
    assert_int_equal(fx.counter.writes, 4);
    assert_int_equal(fx.counter.last_write, 0x33);
    assert_int_equal(fx.counter.last_offset, 0x13);
}

/* A probed store over a later instruction of the running TB: the TB is dropped and the
 * instruction redone alone, so the rewritten instruction is what runs next. 0x01010101
 * is "li r0, 0x101". */
static void test_probe_into_running_tb(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x100c), INSN(OP_LI, 1, 0, 0x01),
        INSN(OP_PROBE, 1, 3, 4),        /* 0x1008: rewrites 0x100c */
        INSN(OP_LI, 0, 0, 5),           /* 0x100c */
        INSN(OP_HALT, 0, 0, 0),
    };
    TCGRuntimeStats st;

    vcpu_init();
    load(0x1000, prog, 5);
    run(0x1000);
    stats(&st);
    assert_int_equal(fx.toy->r[0], 0x101);
    assert_true(st.invalidations >= 1);
}

/* ---- exclusive step ------------------------------------------------------------------ */

enum { EXCL_ITERS = 5000, COUNTER_ADDR = 0x8100 };

static bool two_done(void)
{
    return device_writes() >= 2;
}

/* Starts fx.cpu at pc and a second vCPU at pc2 on their threads and waits until both stored to
 * the device; returns the second CPU (destroyed by the caller). */
static CPUState *run_two_vcpus(uint32_t pc, uint32_t pc2)
{
    Error *err = NULL;
    CPUState *other = cpu_create(&smp_class, NULL, 1, &err);
    assert_non_null(other);
    other->as = &fx.as;
    fx.toy->pc = pc;
    ((ToyCPU *)other)->pc = pc2;
    fx.cpu->halted = other->halted = false;
    assert_int_equal(cpus_start_threads(tcg_accel_ops_get(), &err), 0);
    cpus_resume_all();
    wait_until(two_done, "both vCPUs to finish");
    cpus_stop_threads();
    return other;
}

/* Each vCPU adds 1 to one word EXCL_ITERS times with an instruction that is a plain
 * load/add/store but runs as an exclusive step: the total is exact. */
static void test_exclusive_step(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, COUNTER_ADDR), INSN(OP_LI, 1, 0, 1),
        INSN(OP_LI, 2, 0, EXCL_ITERS),
        INSN(OP_EXCL, 1, 3, 0),         /* 0x100c */
        INSN(OP_ADDI, 2, 0, -1), INSN(OP_BNZ, 2, 0, -3),
        INSN(OP_LI, 5, 0, 0), INSN(OP_LUI, 5, 0, MMIO_BASE >> 16),
        INSN(OP_ST, 1, 5, 0), INSN(OP_HALT, 0, 0, 0),
    };
    TCGRuntimeStats st;

    load(0x1000, prog, 10);
    CPUState *other = run_two_vcpus(0x1000, 0x1000);
    stats(&st);
    assert_int_equal(ram32(COUNTER_ADDR), 2 * EXCL_ITERS);
    assert_int_equal(st.exclusive_steps, 2 * EXCL_ITERS);
    cpu_destroy(other);
}

/* ---- TB cache ---------------------------------------------------------------------- */

/* 3000 TBs: the lock-free hash table grows from 1024 buckets, and the TBs are still
 * found (a second run translates nothing). */
static void test_hash_resize(void **state)
{
    enum { PAIRS = 3000 };
    static uint32_t prog[2 * PAIRS + 1];
    TCGRuntimeStats st;
    Error *err = NULL;

    assert_int_equal(tcg_runtime_configure(8 << 20, tcg_backend_find(
        strcmp(fx.backend, "native") ? fx.backend : "x86_64"), &err), 0);
    for (int i = 0; i < PAIRS; i++) {
        prog[2 * i] = INSN(OP_ADDI, 1, 0, 1);
        prog[2 * i + 1] = INSN(OP_B, 0, 0, 0);
    }
    prog[2 * PAIRS] = INSN(OP_HALT, 0, 0, 0);
    vcpu_init();
    load(0x2000, prog, 2 * PAIRS + 1);
    stats(&st);
    uint64_t flushes = st.flushes;
    run(0x2000);
    stats(&st);
    uint64_t translations = st.translations;
    assert_true(st.hash_buckets >= 2048);
    assert_int_equal(st.flushes, flushes);      /* all 3000 TBs stayed */
    uint64_t ht_hits = st.ht_hits;
    fx.toy->r[1] = 0;
    tcg_cpu_set_single_step(fx.cpu, false);     /* clears the jump cache */
    run(0x2000);
    stats(&st);
    assert_int_equal(fx.toy->r[1], PAIRS);
    assert_int_equal(st.translations, translations);
    assert_true(st.ht_hits > ht_hits);          /* (the rest is chained) */
}

/* ---- TLB flushes ------------------------------------------------------------------- */

static uint64_t fills_now(void)
{
    TCGRuntimeStats st;
    stats(&st);
    return st.tlb_fills;
}

/* A page flush drops that page only: the code page's entry and its TB in the jump cache
 * stay (no refill, no hash lookup). */
static void test_page_flush_precise(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x8000), INSN(OP_LD, 1, 3, 0), INSN(OP_LD, 1, 3, 0x1000),
        INSN(OP_HALT, 0, 0, 0),
    };
    TCGRuntimeStats st;

    vcpu_init();
    load(0x1000, prog, 4);
    run(0x1000);
    uint64_t fills = fills_now();
    stats(&st);
    uint64_t ht = st.ht_lookups;
    tlb_flush_page(fx.cpu, 0x9abc);
    run(0x1000);
    stats(&st);
    assert_int_equal(st.tlb_fills, fills + 1);      /* 0x9000 only */
    assert_int_equal(st.ht_lookups, ht);            /* the TB came from the jump cache */
    tlb_flush_page(fx.cpu, 0x1000);
    run(0x1000);
    stats(&st);
    assert_int_equal(st.tlb_fills, fills + 2);      /* and now the code page */
    assert_int_equal(st.ht_lookups, ht + 1);
}

/* invlpg inside a 2 MiB page drops that large page's 4 KiB pieces, not the other large
 * page's nor the 4 KiB code page's. */
static void test_large_page_flush(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x8000), INSN(OP_LUI, 3, 0, LARGE1 >> 16),
        INSN(OP_LI, 4, 0, 0x3000), INSN(OP_LUI, 4, 0, LARGE2 >> 16),   /* TLB slot 3 */
        INSN(OP_LD, 1, 3, 0), INSN(OP_LD, 1, 3, 0x1000), INSN(OP_LD, 1, 4, 0),
        INSN(OP_HALT, 0, 0, 0),
    };
    vcpu_init();
    load(0x1000, prog, 8);
    run(0x1000);
    uint64_t fills = fills_now();
    run(0x1000);
    assert_int_equal(fills_now(), fills);
    tlb_flush_page(fx.cpu, LARGE1 + 0x123456);     /* a page not in the TLB itself */
    run(0x1000);
    assert_int_equal(fills_now(), fills + 2);
    tlb_flush_page_by_mmuidx(fx.cpu, LARGE2, 1u << 1);  /* another MMU index */
    run(0x1000);
    assert_int_equal(fills_now(), fills + 2);
    tlb_flush_page(fx.cpu, LARGE2 + LARGE_SIZE - 1);
    run(0x1000);
    assert_int_equal(fills_now(), fills + 3);
}

/* Flushes asked for by another vCPU carry their page and MMU indexes; more than the
 * queue holds become a flush of the indexes. */
static void test_flush_requests(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x8000), INSN(OP_LD, 2, 3, 0), INSN(OP_HALT, 0, 0, 0),
    };
    Error *err = NULL;
    TCGRuntimeStats st;

    vcpu_init();
    CPUState *other = cpu_create(&smp_class, NULL, 1, &err);
    assert_non_null(other);
    other->as = &fx.as;
    assert_int_equal(tcg_vcpu_init(other, &err), 0);
    load(0x1000, prog, 3);
    run(0x1000);
    uint64_t fills = fills_now();
    tlb_flush_page_all_cpus(other, 0x8000);
    run(0x1000);
    assert_int_equal(fills_now(), fills + 1);           /* the data page only */
    tlb_flush_page_by_mmuidx_all_cpus(other, 0x8000, 1u << 2);
    tlb_flush_by_mmuidx_all_cpus(other, 1u << 1);
    run(0x1000);
    assert_int_equal(fills_now(), fills + 1);           /* other MMU indexes */
    for (int i = 0; i < 20; i++) {
        tlb_flush_page_all_cpus(other, 0x20000000u + 0x1000u * (unsigned)i);
    }
    run(0x1000);
    assert_int_equal(fills_now(), fills + 3);           /* overflowed: index 0 whole */
    stats(&st);
    assert_true(st.tlb_flush_requests >= 19);
    tcg_vcpu_destroy(other);
    cpu_destroy(other);
}

/* Synchronous broadcast flush: vCPU 0 moves REMAP_PAGE between two RAM pages, flushes
 * every TLB synchronously (ending the TB), then, in the next instruction, writes 0xdead
 * into the page it left. vCPU 1 reads
 * REMAP_PAGE in a loop of 20 us TBs and checks (OP_CHECK) that it never sees 0xdead: it
 * would, with a stale TLB entry, if vCPU 0 went on before vCPU 1 had flushed (as it does
 * with the asynchronous flush). */
enum { REMAP_A = 0xa000, REMAP_B = 0xb000, REMAP_DONE = 0x8200, REMAPS = 300,
       REMAP_STARTED = 0x8300 };

static uint32_t remap_old;      /* the page left by the last remap (vCPU 0 only) */

/* 0x22 "remap": moves REMAP_PAGE and flushes every TLB synchronously (ends the TB). */
static void helper_remap(void *env)
{
    uint32_t old = atomic_load(&remap_target), new = old == REMAP_A ? REMAP_B : REMAP_A;
    uint32_t good = 0x600d;
    uint8_t *ram = memory_region_get_ram_ptr(&fx.ram);

    __atomic_store_n((uint32_t *)(ram + new + 0x10), good, __ATOMIC_RELAXED);
    atomic_store(&remap_target, new);
    remap_old = old;
    tlb_flush_page_all_cpus_synced(env, REMAP_PAGE);
}

/* 0x24 "poison": the next instruction writes 0xdead into the page left. */
static void helper_poison(void *env)
{
    uint8_t *ram = memory_region_get_ram_ptr(&fx.ram);
    __atomic_store_n((uint32_t *)(ram + remap_old + 0x10), 0xdeadu, __ATOMIC_RELAXED);
}

static const TCGHelperInfo info_remap = {
    .name = "remap", .func = (void *)helper_remap, .flags = TCG_CALL_NO_WG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 1, .arg_types = { TCG_TYPE_PTR },
};
static const TCGHelperInfo info_poison = {
    .name = "poison", .func = (void *)helper_poison, .flags = TCG_CALL_NO_WG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 1, .arg_types = { TCG_TYPE_PTR },
};

static int remap_extra_insn(TranslationBlock *tb, uint32_t pc, uint32_t insn)
{
    TCGTemp *args[] = { tcgv_temp(tcg_env) };
    switch (insn >> 24) {
    case 0x22:
        tcg_gen_callN(&info_remap, NULL, args);
        tcg_gen_movi_i32(toy_pc, pc + 4);
        tcg_gen_exit_tb(0);
        return 1;
    case 0x24:
        tcg_gen_callN(&info_poison, NULL, args);
        return 0;
    case 0x25:                  /* "wait 2 us" */
        tcg_gen_callN(&info_excl_window, NULL, args);
        return 0;
    default:
        return smp_extra_insn(tb, pc, insn);
    }
}

static void test_synced_flush(void **state)
{
    uint32_t remapper[] = {
        INSN(OP_LI, 3, 0, REMAP_STARTED), INSN(OP_LD, 4, 3, 0),      /* 0x1000 */
        INSN(OP_BNZ, 4, 0, 1), INSN(OP_B, 0, 0, -3),    /* wait for vCPU 1 */
        INSN(OP_LI, 2, 0, REMAPS), INSN(0x22, 0, 0, 0),             /* 0x1010 */
        INSN(0x24, 0, 0, 0), INSN(OP_ADDI, 2, 0, -1), INSN(OP_BNZ, 2, 0, -4),
        INSN(OP_LI, 3, 0, REMAP_DONE), INSN(OP_LI, 1, 0, 1), INSN(OP_ST, 1, 3, 0),
        INSN(OP_LI, 5, 0, 0), INSN(OP_LUI, 5, 0, MMIO_BASE >> 16),
        INSN(OP_ST, 1, 5, 0), INSN(OP_HALT, 0, 0, 0),
    };
    enum { READS = 10 };
    static uint32_t reader[5 + 3 * READS + 7];
    uint32_t *p = reader;
    *p++ = INSN(OP_LI, 3, 0, 0);                                   /* 0x2000 */
    *p++ = INSN(OP_LUI, 3, 0, REMAP_PAGE >> 16);
    *p++ = INSN(OP_LI, 4, 0, REMAP_DONE);
    *p++ = INSN(OP_LI, 2, 0, REMAP_STARTED);
    *p++ = INSN(OP_ST, 4, 2, 0);                                    /* "started" */
    for (int i = 0; i < READS; i++) {                               /* loop: */
        *p++ = INSN(OP_LD, 1, 3, 0x10);
        *p++ = INSN(OP_CHECK, 1, 0, 0);
        *p++ = INSN(0x25, 0, 0, 0);     /* a long TB: stale entries would be used */
    }
    *p++ = INSN(OP_LD, 2, 4, 0);
    *p = INSN(OP_BNZ, 2, 0, 1);
    p[1] = INSN(OP_B, 0, 0, (int)(reader + 5 - (p + 2)));
    p += 2;
    *p++ = INSN(OP_LI, 5, 0, 0);
    *p++ = INSN(OP_LUI, 5, 0, MMIO_BASE >> 16);
    *p++ = INSN(OP_ST, 1, 5, 0);
    *p++ = INSN(OP_HALT, 0, 0, 0);
    uint32_t good = 0x600d;

    toy_extra_insn = remap_extra_insn;
    atomic_store(&remap_target, REMAP_A);
    memcpy(memory_region_get_ram_ptr(&fx.ram) + REMAP_A + 0x10, &good, 4);
    memcpy(memory_region_get_ram_ptr(&fx.ram) + REMAP_B + 0x10, &good, 4);
    const uint32_t vector[] = {     /* an exception ends vCPU 1 at once, seen by the test */
        INSN(OP_LI, 5, 0, 0), INSN(OP_LUI, 5, 0, MMIO_BASE >> 16), INSN(OP_ST, 1, 5, 0),
        INSN(OP_HALT, 0, 0, 0),
    };
    load(TOY_EXCP_VECTOR, vector, 4);
    load(0x1000, remapper, 16);
    load(0x2000, reader, (size_t)(p - reader));
    CPUState *other = run_two_vcpus(0x1000, 0x2000);
    assert_int_not_equal(((ToyCPU *)other)->last_excp, TOY_EXCP_CHECK);
    assert_int_equal(((ToyCPU *)other)->pc, 0x2000 + 4 * (uint32_t)(p - reader));
    assert_int_equal(fx.toy->r[2], 0);
    cpu_destroy(other);
}

#define BOTH_SMP(fn) \
    cmocka_unit_test_prestate_setup_teardown(fn, smp_setup, smp_teardown, (void *)"interp"), \
    cmocka_unit_test_prestate_setup_teardown(fn, smp_setup, smp_teardown, (void *)"native")

int TCG_SMP_MAIN(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_SMP(test_probe_ram),
        BOTH_SMP(test_probe_fault),
        BOTH_SMP(test_probe_mmio),
        BOTH_SMP(test_probe_into_running_tb),
        BOTH_SMP(test_exclusive_step),
        BOTH_SMP(test_hash_resize),
        BOTH_SMP(test_page_flush_precise),
        BOTH_SMP(test_large_page_flush),
        BOTH_SMP(test_flush_requests),
        BOTH_SMP(test_synced_flush),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
