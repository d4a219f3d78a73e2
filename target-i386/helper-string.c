/* REP string helpers (Intel SDM vol. 2 REP/REPE/REPNE with MOVS, STOS, LODS, CMPS, SCAS):
 * iterations run here with the registers updated after each one, so a fault (raised by
 * cpu_ld_mmu/cpu_st_mmu with this helper's return address) restarts the instruction
 * where it stopped. MOVS/STOS runs (forward or backward) that stay inside one RAM page of
 * the source and the destination use host memmove/memset on pages the soft TLB maps
 * writable without the slow path (tlb_probe_host; code pages take the slow path, so
 * self-modifying copies are seen); CMPS, SCAS and LODS read the elements after the first
 * of a page from host memory the same way (rep_load). A call does at most a bounded
 * amount of work and returns 0 ("not finished": the translated code re-enters the
 * instruction, so interrupts are taken between chunks), 1 when the instruction is done.
 * A data breakpoint (the translator's guest watchpoints) ends the call after the iteration
 * that touched it, so its #DB trap comes after that iteration (SDM 3A 17.3.1.2 "repeated
 * string instructions"). */
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

/* Elements from address a to the end of its page (forward) or down to its start
 * (backward, DF = 1); 0 when the element at a crosses the page end. */
static uint64_t run_in_page(uint64_t a, int size, bool back)
{
    uint64_t ofs = a & 4095;
    if (ofs + (uint64_t)size > 4096) {
        return 0;
    }
    return back ? ofs / (uint64_t)size + 1 : (4096 - ofs) / (uint64_t)size;
}

/* Would the run of n elements from offset off (down to off - span when backward) wrap
 * around the address size? */
static bool run_wraps(const RepDesc *d, uint64_t off, uint64_t n, bool back)
{
    uint64_t o = off & d->amask, span = (n - 1) * (uint64_t)d->size;
    if (d->amask == ~0ull) {
        return false;
    }
    return back ? o < span : o + n * (uint64_t)d->size > d->amask;
}

/* MOVS/STOS inside one page each, forward or backward: n elements done at once, or 0.
 * Element order matters only when a copy runs toward its source (forward with the
 * destination above it, backward below it): it then replicates bytes, so it goes element
 * by element; otherwise the run is one memmove. (Linux's i386 decompressor moves the
 * compressed kernel up with STD; REP MOVSL: 1.4 million elements per boot.) */
static uint64_t rep_fast(X86CPU *x, const RepDesc *d, bool movs, uint64_t count)
{
    CPUState *cpu = &x->parent;
    bool back = rep_step(x, d) < 0;
    uint64_t dst = rep_linear(x, d, R_ES, x->regs[R_EDI]);
    uint64_t src = movs ? rep_linear(x, d, d->seg, x->regs[R_ESI]) : 0;
    uint64_t n = run_in_page(dst, d->size, back);

    n = count < n ? count : n;
    if (movs) {
        uint64_t ns = run_in_page(src, d->size, back);
        n = n < ns ? n : ns;
    }
    if (n == 0 || (dst & (d->size - 1)) || (movs && (src & (d->size - 1)))) {
        return 0;
    }
    uint64_t bytes = n * (uint64_t)d->size, span = bytes - (uint64_t)d->size;
    if (movs && (back ? src > dst && src - dst < bytes : dst > src && dst - src < bytes)) {
        return 0;   /* the copy replicates: element by element */
    }
    if (run_wraps(d, x->regs[R_EDI], n, back) ||
        (movs && run_wraps(d, x->regs[R_ESI], n, back))) {
        return 0;   /* the offset would wrap inside the run */
    }
    if (back) {
        dst -= span;        /* the run's lowest element */
        src -= span;
    }
    if (!rep_in_limit(x, d, R_ES, x->regs[R_EDI] - (back ? span : 0), n) ||
        (movs && !rep_in_limit(x, d, d->seg, x->regs[R_ESI] - (back ? span : 0), n))) {
        return 0;   /* element by element: the fault comes at the right one */
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

/* The guest page CMPS/SCAS/LODS read last, as a host pointer: the elements after the first
 * on a page are plain host loads. Only pages the soft TLB maps as RAM without watchpoints
 * (tlb_probe_host); other pages, a page not in the TLB yet and an element that crosses a
 * page go through cpu_ld_mmu, which faults, fills the TLB or reads the device. */
typedef struct RepPage {
    uint64_t page;              /* guest linear address of the page, or 1 (none) */
    const uint8_t *host;
} RepPage;

static uint64_t rep_load(X86CPU *x, const RepDesc *d, RepPage *p, uint64_t lin, uintptr_t ra)
{
    uint64_t page = lin & ~(uint64_t)4095;

    if ((lin & 4095) + (uint64_t)d->size <= 4096) {
        if (page != p->page) {
            p->host = tlb_probe_host(&x->parent, page, MMU_DATA_LOAD, d->mmu);
            p->page = p->host ? page : 1;
        }
        if (p->host) {
            uint64_t v = 0;
            memcpy(&v, p->host + (lin & 4095), (size_t)d->size);   /* little-endian host */
            return v;
        }
    }
    return cpu_ld_mmu(&x->parent, lin, (MemOp)d->ot, d->mmu, ra);
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
    RepPage src = { .page = 1 };

    for (int i = 0; i < 4096 && (x->regs[R_ECX] & d.amask); i++) {
        uint64_t v = rep_load(x, &d, &src, rep_elem(x, &d, d.seg, x->regs[R_ESI], ra), ra);
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
    RepPage src = { .page = 1 }, dst = { .page = 1 };

    for (int i = 0; i < 4096; i++) {
        if (!(x->regs[R_ECX] & d.amask)) {
            return 1;
        }
        uint64_t a = x->regs[R_EAX] & mask;
        if (cmps) {
            a = rep_load(x, &d, &src, rep_elem(x, &d, d.seg, x->regs[R_ESI], ra), ra);
        }
        uint64_t b = rep_load(x, &d, &dst, rep_elem(x, &d, R_ES, x->regs[R_EDI], ra), ra);
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
