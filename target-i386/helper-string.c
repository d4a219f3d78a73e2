/* REP string helpers (Intel SDM vol. 2 REP/REPE/REPNE with MOVS, STOS, LODS, CMPS, SCAS):
 * iterations run here with the registers updated after each one, so a fault (raised by
 * cpu_ld_mmu/cpu_st_mmu with this helper's return address) restarts the instruction
 * where it stopped. Forward MOVS/STOS runs that stay inside one RAM page of the source
 * and the destination use host memmove/memset on pages the soft TLB maps writable
 * without the slow path (tlb_probe_host; code pages take the slow path, so self-modifying
 * copies are seen). A call does at most a bounded amount of work and returns 0 ("not
 * finished": the translated code re-enters the instruction, so interrupts are taken
 * between chunks), 1 when the instruction is done. A data breakpoint (the translator's
 * guest watchpoints) ends the call after the iteration that touched it, so its #DB trap
 * comes after that iteration (SDM 3A 17.3.1.2 "repeated string instructions"). */
#include <string.h>
#include "target-i386/cc.h"
#include "accel/tcg.h"
#include "target-i386/helper.h"
#include "target-i386/helper-sys.h"

#define REP_BUDGET_BYTES 65536

/* The call descriptor built by translate-string.c. */
typedef struct RepDesc {
    int ot, size, seg, mmu;
    uint64_t amask;
    bool addseg, code64, repnz;
} RepDesc;

static RepDesc rep_decode(uint32_t d)
{
    static const uint64_t amasks[4] = { 0, 0xffff, 0xffffffffu, ~0ull };
    return (RepDesc){ .ot = d & 3, .size = 1 << (d & 3), .amask = amasks[(d >> 2) & 3],
                      .seg = (d >> 4) & 7, .addseg = d & (1u << 8), .code64 = d & (1u << 9),
                      .repnz = d & (1u << 10), .mmu = (d >> 12) & 7 };
}

static uint64_t rep_linear(X86CPU *x, const RepDesc *d, int seg, uint64_t off)
{
    uint64_t a = off & d->amask;
    bool base = seg == R_FS || seg == R_GS || (!d->code64 && (seg == R_CS || d->addseg));
    if (base) {
        a += x->segs[seg].base;
    }
    return d->code64 ? a : (uint32_t)a;
}

/* Under HF_SEGLIM: do n elements from offset off of seg stay inside its limit? */
static bool rep_in_limit(X86CPU *x, const RepDesc *d, int seg, uint64_t off, uint64_t n)
{
    return !(x->hflags & HF_SEGLIM) ||
           x86_seg_access_ok(x, seg, off & d->amask, (unsigned)(n * d->size));
}

/* The linear address of one element at offset off of seg: #GP(0) (#SS(0) for SS) if it
 * leaves the segment's limit (SDM 3A 5.3). */
static uint64_t rep_elem(X86CPU *x, const RepDesc *d, int seg, uint64_t off, uintptr_t ra)
{
    if (!rep_in_limit(x, d, seg, off, 1)) {
        x86_raise_exception_err(&x->parent, seg == R_SS ? EXCP0C_STACK : EXCP0D_GPF, 0, ra);
    }
    return rep_linear(x, d, seg, off);
}

static void set_reg(X86CPU *x, int r, uint64_t v, uint64_t mask)
{
    /* a 32-bit address-size update zero-extends like any 32-bit register write */
    x->regs[r] = mask == 0xffffffffu ? (uint32_t)v : (x->regs[r] & ~mask) | (v & mask);
}

static int64_t rep_step(X86CPU *x, const RepDesc *d)
{
    return (x->eflags & X86_EFLAGS_DF) ? -d->size : d->size;
}

static void rep_advance(X86CPU *x, const RepDesc *d, int r, int64_t delta)
{
    set_reg(x, r, x->regs[r] + delta, d->amask);
}

/* Elements from address a (forward) to the end of its page. */
static uint64_t to_page_end(uint64_t a, int size)
{
    return (4096 - (a & 4095)) / size;
}

/* Forward MOVS/STOS inside one page each: n elements done at once, or 0. */
static uint64_t rep_fast(X86CPU *x, const RepDesc *d, bool movs, uint64_t count)
{
    CPUState *cpu = &x->parent;
    uint64_t dst = rep_linear(x, d, R_ES, x->regs[R_EDI]);
    uint64_t n = count < to_page_end(dst, d->size) ? count : to_page_end(dst, d->size);
    uint64_t src = movs ? rep_linear(x, d, d->seg, x->regs[R_ESI]) : 0;

    if (rep_step(x, d) < 0 || n == 0 || (dst & (d->size - 1))) {
        return 0;
    }
    if (!rep_in_limit(x, d, R_ES, x->regs[R_EDI], n) ||
        (movs && !rep_in_limit(x, d, d->seg, x->regs[R_ESI], n))) {
        return 0;   /* element by element: the fault comes at the right one */
    }
    if (movs) {
        uint64_t ns = to_page_end(src, d->size);
        n = n < ns ? n : ns;
        /* overlapping forward copies replicate bytes: element by element only */
        if (n == 0 || (dst > src && dst - src < n * d->size) || (src & (d->size - 1))) {
            return 0;
        }
    }
    if ((d->amask != ~0ull) && ((x->regs[R_EDI] & d->amask) + n * d->size > d->amask ||
        (movs && (x->regs[R_ESI] & d->amask) + n * d->size > d->amask))) {
        return 0;   /* the offset would wrap inside the run */
    }
    uint8_t *hd = tlb_probe_host(cpu, dst, MMU_DATA_STORE, d->mmu);
    if (!hd) {
        return 0;
    }
    if (movs) {
        uint8_t *hs = tlb_probe_host(cpu, src, MMU_DATA_LOAD, d->mmu);
        if (!hs) {
            return 0;
        }
        memmove(hd, hs, n * d->size);
    } else if (d->size == 1) {
        memset(hd, (int)(x->regs[R_EAX] & 0xff), n);
    } else {
        for (uint64_t i = 0; i < n; i++) {
            memcpy(hd + i * d->size, &x->regs[R_EAX], d->size);   /* little-endian host */
        }
    }
    return n;
}

/* MOVS (movs) or STOS: one element through the soft MMU. */
static void rep_one_slow(X86CPU *x, const RepDesc *d, bool movs, uintptr_t ra)
{
    CPUState *cpu = &x->parent;
    uint64_t v = x->regs[R_EAX];
    if (movs) {
        v = cpu_ld_mmu(cpu, rep_elem(x, d, d->seg, x->regs[R_ESI], ra), (MemOp)d->ot, d->mmu, ra);
    }
    cpu_st_mmu(cpu, rep_elem(x, d, R_ES, x->regs[R_EDI], ra), v, (MemOp)d->ot, d->mmu, ra);
}

static uint32_t rep_move_store(void *env, uint32_t desc, bool movs, uintptr_t ra)
{
    X86CPU *x = x86_cpu(env);
    RepDesc d = rep_decode(desc);
    int64_t step = rep_step(x, &d);
    uint64_t budget = REP_BUDGET_BYTES;

    while (x->regs[R_ECX] & d.amask) {
        if (budget < (uint64_t)d.size) {
            return 0;
        }
        uint64_t count = x->regs[R_ECX] & d.amask;
        uint64_t n = rep_fast(x, &d, movs, count < budget / d.size ? count : budget / d.size);
        if (n == 0) {
            rep_one_slow(x, &d, movs, ra);
            n = 1;
        }
        if (movs) {
            rep_advance(x, &d, R_ESI, step * (int64_t)n);
        }
        rep_advance(x, &d, R_EDI, step * (int64_t)n);
        set_reg(x, R_ECX, count - n, d.amask);
        budget -= n * d.size;
        if (tcg_cpu_watch_pending(&x->parent)) {
            break;
        }
    }
    return (x->regs[R_ECX] & d.amask) == 0;
}

static uint32_t helper_rep_movs(void *env, uint32_t desc)
{
    X86_GETPC(ra);
    return rep_move_store(env, desc, true, ra);
}

static uint32_t helper_rep_stos(void *env, uint32_t desc)
{
    X86_GETPC(ra);
    return rep_move_store(env, desc, false, ra);
}

static uint32_t helper_rep_lods(void *env, uint32_t desc)
{
    X86_GETPC(ra);
    X86CPU *x = x86_cpu(env);
    RepDesc d = rep_decode(desc);

    for (int i = 0; i < 4096 && (x->regs[R_ECX] & d.amask); i++) {
        uint64_t v = cpu_ld_mmu(env, rep_elem(x, &d, d.seg, x->regs[R_ESI], ra), (MemOp)d.ot,
                                d.mmu, ra);
        set_reg(x, R_EAX, v, d.ot == MO_32 ? 0xffffffffu : d.ot == MO_64 ? ~0ull
                                                         : (1ull << (8 << d.ot)) - 1);
        rep_advance(x, &d, R_ESI, rep_step(x, &d));
        set_reg(x, R_ECX, x->regs[R_ECX] - 1, d.amask);
        if (tcg_cpu_watch_pending(env)) {
            break;
        }
    }
    return (x->regs[R_ECX] & d.amask) == 0;
}

/* CMPS (cmps) or SCAS: compare until the count ends or the REPE/REPNE condition fails;
 * the flags of the last comparison are recorded as a SUB. */
static uint32_t rep_compare(void *env, uint32_t desc, bool cmps, uintptr_t ra)
{
    X86CPU *x = x86_cpu(env);
    RepDesc d = rep_decode(desc);
    uint64_t mask = d.ot == MO_64 ? ~0ull : (1ull << (8 << d.ot)) - 1;
    int64_t step = rep_step(x, &d);

    for (int i = 0; i < 4096; i++) {
        if (!(x->regs[R_ECX] & d.amask)) {
            return 1;
        }
        uint64_t a = x->regs[R_EAX] & mask;
        if (cmps) {
            a = cpu_ld_mmu(env, rep_elem(x, &d, d.seg, x->regs[R_ESI], ra), (MemOp)d.ot, d.mmu,
                           ra);
        }
        uint64_t b = cpu_ld_mmu(env, rep_elem(x, &d, R_ES, x->regs[R_EDI], ra), (MemOp)d.ot,
                                d.mmu, ra);
        if (cmps) {
            rep_advance(x, &d, R_ESI, step);
        }
        rep_advance(x, &d, R_EDI, step);
        set_reg(x, R_ECX, x->regs[R_ECX] - 1, d.amask);
        x->cc_op = CC_OP_SUB + d.ot;
        x->cc_dst = (a - b) & mask;
        x->cc_src = b;
        x->cc_src2 = a;
        if ((a == b) == d.repnz) {
            return 1;
        }
        if (tcg_cpu_watch_pending(env)) {
            break;
        }
    }
    return (x->regs[R_ECX] & d.amask) == 0;
}

static uint32_t helper_rep_cmps(void *env, uint32_t desc)
{
    X86_GETPC(ra);
    return rep_compare(env, desc, true, ra);
}

static uint32_t helper_rep_scas(void *env, uint32_t desc)
{
    X86_GETPC(ra);
    return rep_compare(env, desc, false, ra);
}

#define REP_INFO(n) X86_HELPER_INFO(n, 0, TCG_TYPE_I32, 2, TCG_TYPE_PTR, TCG_TYPE_I32)
REP_INFO(rep_movs); REP_INFO(rep_stos); REP_INFO(rep_lods); REP_INFO(rep_cmps);
REP_INFO(rep_scas);
