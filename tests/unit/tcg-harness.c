/* Test harness for IR programs (tests/unit/tcg-harness.h): a test CPU state, flat guest
 * memory with an MMIO window behind the runtime hooks, compile-and-run through any
 * back end, deterministic random inputs. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tcg-harness.h"
#include "tcg/tlb.h"
#include "tcg/x86_64.h"
#include "util/cutils.h"

/* One table of 2^HARNESS_TLB_BITS entries per MMU index. */
#define HARNESS_TLB_BITS 8
#define HARNESS_TLB_BYTES (sizeof(CPUTLBEntry) * TLB_NB_MMU_MODES << HARNESS_TLB_BITS)

static char reg_names[2][HARNESS_NREGS][8];

void harness_raise(HarnessEnv *env, uintptr_t retaddr)
{
    env->faults++;
    env->fault_retaddr = retaddr;
    if (!env->fault_jmp) {
        fprintf(stderr, "harness: unexpected guest fault at 0x%llx\n",
                (unsigned long long)env->last_addr);
        abort();
    }
    longjmp(*env->fault_jmp, 1);
}

static bool harness_access_ok(HarnessEnv *e, uint64_t addr, MemOp mop, uintptr_t ra)
{
    e->last_addr = addr;
    e->last_memop = mop;
    if (addr % memop_alignment(mop)) {
        harness_raise(e, ra);
    }
    return addr >= HARNESS_MMIO_BASE && addr < HARNESS_MMIO_BASE + HARNESS_MMIO_SIZE;
}

static uint64_t harness_load(void *env, uint64_t addr, MemOp mop, unsigned mmu_idx,
                             uintptr_t ra)
{
    HarnessEnv *e = env;
    unsigned size = memop_size(mop);
    e->last_mmu_idx = mmu_idx;
    if (harness_access_ok(e, addr, mop, ra)) {
        e->mmio_loads++;
        /* the device returns a pattern derived from the address */
        return memop_extend(mop, (addr * 0x9e3779b97f4a7c15ull) ^ 0xa5);
    }
    if (addr >= HARNESS_MEM_SIZE || HARNESS_MEM_SIZE - addr < size) {
        harness_raise(e, ra);
    }
    uint64_t raw = 0;
    memcpy(&raw, &e->mem[addr], size);      /* little-endian host */
    e->loads++;
    return memop_extend(mop, raw);
}

static void harness_store(void *env, uint64_t addr, uint64_t val, MemOp mop,
                          unsigned mmu_idx, uintptr_t ra)
{
    HarnessEnv *e = env;
    unsigned size = memop_size(mop);
    e->last_mmu_idx = mmu_idx;
    /* memop_extend without sign byte-swaps and truncates: the bytes in memory order */
    uint64_t raw = memop_extend(mop & (MO_SIZE | MO_BE), val);
    if (harness_access_ok(e, addr, mop, ra)) {
        e->mmio_stores++;
        e->last_mmio_val = raw;
        return;
    }
    if (addr >= HARNESS_MEM_SIZE || HARNESS_MEM_SIZE - addr < size) {
        harness_raise(e, ra);
    }
    memcpy(&e->mem[addr], &raw, size);
    e->stores++;
}

/* Atomics on test RAM with host atomics; the MMIO window and addresses outside RAM
 * fault (as do misaligned accesses with an alignment requirement). */
static void *harness_atomic_host(HarnessEnv *e, uint64_t addr, unsigned size, MemOp align,
                                 unsigned mmu_idx, uintptr_t ra)
{
    e->last_mmu_idx = mmu_idx;
    e->atomics++;
    if (harness_access_ok(e, addr, align, ra) || addr >= HARNESS_MEM_SIZE ||
        HARNESS_MEM_SIZE - addr < size) {
        harness_raise(e, ra);
    }
    return &e->mem[addr];
}

static uint64_t harness_atomic(void *env, uint64_t addr, uint64_t val, uint64_t cmp,
                               uint32_t oi, uintptr_t ra)
{
    MemOp mop = tcg_atomic_oi_mop(oi);
    void *host = harness_atomic_host(env, addr, memop_size(mop), mop,
                                     tcg_atomic_oi_mmu_idx(oi), ra);
    return tcg_atomic_host(host, tcg_atomic_oi_aop(oi), mop, val, cmp);
}

static void harness_cmpxchg128(void *env, uint64_t addr, uint64_t *io, uint32_t oi,
                               uintptr_t ra)
{
    MemOp mop = tcg_atomic_oi_mop(oi);
    MemOp align = (mop & MO_AMASK) == MO_ALIGN ? MO_ALIGN_16 : (mop & MO_AMASK);
    void *host = harness_atomic_host(env, addr, 16, align, tcg_atomic_oi_mmu_idx(oi), ra);
    if ((uintptr_t)host & 15) {
        harness_raise(env, ra);     /* the host instruction needs 16-byte alignment */
    }
    tcg_atomic_host_cmpxchg128(host, mop, io);
}

static const void *harness_lookup(void *env)
{
    HarnessEnv *e = env;
    e->lookups++;
    return e->lookup_result;
}

static const TCGRuntimeHooks harness_hooks = {
    .load = harness_load,
    .store = harness_store,
    .atomic = harness_atomic,
    .cmpxchg128 = harness_cmpxchg128,
    .lookup_tb_ptr = harness_lookup,
};

static void harness_make_globals(Harness *h)
{
    for (int i = 0; i < HARNESS_NREGS; i++) {
        snprintf(reg_names[0][i], sizeof(reg_names[0][i]), "x%d", i);
        snprintf(reg_names[1][i], sizeof(reg_names[1][i]), "w%d", i);
        h->x[i] = tcg_global_mem_new_i64(offsetof(HarnessEnv, x[i]), reg_names[0][i]);
        h->w[i] = tcg_global_mem_new_i32(offsetof(HarnessEnv, w[i]), reg_names[1][i]);
    }
    h->pc = tcg_global_mem_new_i64(offsetof(HarnessEnv, pc), "pc");
}

Harness *harness_new(void)
{
    Harness *h = xmalloc(sizeof(*h));
    memset(h, 0, sizeof(*h));
    h->ctx = xmalloc(sizeof(TCGContext));
    tcg_context_init(h->ctx, 2, TCG_TYPE_I64);
    tcg_context_set_current(h->ctx);
    harness_make_globals(h);
    Error *err = NULL;
    if (tcg_code_buffer_init(&h->code, 4u << 20, &err) < 0) {
        error_report_err(err);
        abort();
    }
    h->tlb = xmalloc(HARNESS_TLB_BYTES);
    memset(h->tlb, 0xff, HARNESS_TLB_BYTES);
    h->saved_ops = xmalloc(sizeof(TCGOp) * 16);
    h->saved_temps = xmalloc(sizeof(TCGTemp) * TCG_MAX_TEMPS);
    h->saved_labels = xmalloc(sizeof(TCGLabel) * TCG_MAX_LABELS);
    tcg_set_runtime_hooks(&harness_hooks);
    /* Referencing a back end links it into the test and registers it. */
    tcg_backend_register(&tcg_backend_x86_64);
    return h;
}

void harness_free(Harness *h)
{
    for (int i = 0; i < tcg_backend_count(); i++) {
        if (tcg_backend_get(i)->context_destroy) {
            tcg_backend_get(i)->context_destroy(h->ctx);
        }
    }
    tcg_code_buffer_destroy(&h->code);
    tcg_context_destroy(h->ctx);
    free(h->ctx);
    free(h->tlb);
    free(h->saved_ops);
    free(h->saved_temps);
    free(h->saved_labels);
    free(h);
}

void harness_begin(Harness *h)
{
    tcg_context_set_current(h->ctx);
    tcg_func_start(h->ctx);
}

void harness_save(Harness *h)
{
    TCGContext *s = h->ctx;
    h->saved_ops = xrealloc(h->saved_ops, sizeof(TCGOp) * (size_t)(s->nb_ops + 1));
    memcpy(h->saved_ops, s->ops, sizeof(TCGOp) * (size_t)s->nb_ops);
    memcpy(h->saved_temps, s->temps, sizeof(TCGTemp) * (size_t)s->nb_temps);
    memcpy(h->saved_labels, s->labels, sizeof(TCGLabel) * (size_t)s->nb_labels);
    h->saved_nb_ops = s->nb_ops;
    h->saved_nb_temps = s->nb_temps;
    h->saved_nb_labels = s->nb_labels;
}

static void harness_restore(Harness *h)
{
    TCGContext *s = h->ctx;
    tcg_context_set_current(s);
    tcg_func_start(s);
    TCGArg none[1] = { 0 };
    for (int i = 0; i < h->saved_nb_ops; i++) {
        tcg_emit_op(INDEX_op_nop, 0, none);
    }
    memcpy(s->ops, h->saved_ops, sizeof(TCGOp) * (size_t)h->saved_nb_ops);
    memcpy(s->temps, h->saved_temps, sizeof(TCGTemp) * (size_t)h->saved_nb_temps);
    memcpy(s->labels, h->saved_labels, sizeof(TCGLabel) * (size_t)h->saved_nb_labels);
    s->nb_temps = h->saved_nb_temps;
    s->nb_labels = h->saved_nb_labels;
    tcg_context_rehash(s);
}

const void *harness_compile(Harness *h, const TCGBackend *be, bool optimize)
{
    TCGContext *s = h->ctx;
    harness_restore(h);
    s->disable_opt = !optimize;
    uint8_t *rw = tcg_code_buffer_next_rw(&h->code);
    const void *rx = tcg_code_buffer_rw_to_rx(&h->code, rw);
    long n = tcg_gen_code(s, be, rw, rx, tcg_code_buffer_avail(&h->code));
    if (n <= 0) {
        return NULL;
    }
    const void *tb = tcg_code_buffer_commit(&h->code, (size_t)n);
    h->last_tb = tb;
    h->nb_insns = s->nb_insns;
    memcpy(h->insn_end_off, s->gen_insn_end_off, sizeof(h->insn_end_off));
    memcpy(h->insn_data, s->gen_insn_data, sizeof(h->insn_data));
    memcpy(h->jmp_insn_offset, s->tb_jmp_insn_offset, sizeof(h->jmp_insn_offset));
    memcpy(h->jmp_reset_offset, s->tb_jmp_reset_offset, sizeof(h->jmp_reset_offset));
    return tb;
}

void harness_flush(Harness *h)
{
    tcg_code_buffer_flush(&h->code);
}

static void harness_tlb_point(Harness *h, HarnessEnv *env)
{
    CPUTLBEntry *tables = h->tlb;
    for (int m = 0; m < TLB_NB_MMU_MODES; m++) {
        tlb_fast_set(&env->cpu, m, tables + ((size_t)m << HARNESS_TLB_BITS), HARNESS_TLB_BITS);
    }
}

void harness_env_init(Harness *h, HarnessEnv *env)
{
    memset(env, 0, sizeof(*env));
    harness_tlb_point(h, env);
    env->cpu.exception_index = -1;
}

/* Points env at the harness TLB, mapping env->mem when tlb_hit_ram is set. */
static void harness_tlb_setup(Harness *h, HarnessEnv *env)
{
    memset(h->tlb, 0xff, HARNESS_TLB_BYTES);
    harness_tlb_point(h, env);
    if (!h->tlb_hit_ram) {
        return;
    }
    for (int m = 0; m < TLB_NB_MMU_MODES; m++) {
        for (uint64_t page = 0; page < HARNESS_MEM_SIZE; page += TLB_PAGE_SIZE) {
            CPUTLBEntry *e = tlb_fast_entry(&env->cpu, m, page);
            e->addr_read = e->addr_write = e->addr_code = page;
            e->addend = (uintptr_t)env->mem;
        }
    }
}

uintptr_t harness_exec(Harness *h, const TCGBackend *be, const void *tb, HarnessEnv *env)
{
    harness_tlb_setup(h, env);
    return be->exec(env, tb);
}

void harness_chain(Harness *h, const TCGBackend *be, const void *tb, int n, const void *target)
{
    uintptr_t jmp = (uintptr_t)tb + h->jmp_insn_offset[n];
    ptrdiff_t delta = h->code.rw - h->code.rx;
    be->set_jmp_target(jmp, delta, (uintptr_t)target);
}

int harness_insn_of(Harness *h, uintptr_t retaddr)
{
    return tcg_search_insn(h->insn_end_off, h->nb_insns, (uintptr_t)h->last_tb, retaddr);
}

int harness_nb_backends(void)
{
    return tcg_backend_count();
}

const TCGBackend *harness_backend(int i)
{
    return tcg_backend_get(i);
}

void harness_rng_init(HarnessRng *r, uint64_t seed)
{
    r->s = seed ? seed : 0x2545f4914f6cdd1dull;
}

uint64_t harness_rand(HarnessRng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dull;
}

uint64_t harness_rand_interesting(HarnessRng *r)
{
    static const uint64_t special[] = {
        0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
        0xffffffff, 0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull,
        ~1ull, 31, 32, 33, 63, 64, 65,
    };
    uint64_t v = harness_rand(r);
    switch (v & 7) {
    case 0:
        return special[(v >> 8) % (sizeof(special) / sizeof(special[0]))];
    case 1:
        return (v >> 8) & 0xff;         /* small */
    case 2:
        return (uint64_t)(int64_t)(int32_t)(v >> 16);   /* sign-extended 32-bit */
    default:
        return harness_rand(r);
    }
}

unsigned harness_nb_cases(void)
{
    const char *l = getenv("MIMIC_LONG_TESTS");
    return (l && strcmp(l, "1") == 0) ? 200000 : 10000;
}
