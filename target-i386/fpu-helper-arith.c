/* x87 helpers: the stack (TOP, tags, overflow and underflow with their masked responses),
 * the status word's exception flags and ES, pending-exception delivery (#MF, or FERR#
 * with CR0.NE = 0), and the computational instructions, which run on the host's x87
 * (fpu-host.h) with the guest's operands and control word. Intel SDM vol. 1 8.1-8.5 and
 * the instruction entries of vol. 2. */
#include <string.h>
#include "accel/tcg.h"
#include "target-i386/fpu-internal.h"
#include "target-i386/helper-sys.h"
#include "target-i386/helper.h"

void x87_raise_flags(X86CPU *x, unsigned exc)
{
    x->fpus |= exc & (FSW_EXC | FSW_SF);
    if (x->fpus & ~x->fpuc & FSW_EXC) {
        x->fpus |= FSW_ES | FSW_B;
    }
}

bool x87_stack_fault(X86CPU *x, bool overflow)
{
    x->fpus = (x->fpus & ~FSW_C1) | (overflow ? FSW_C1 : 0);
    x87_raise_flags(x, FSW_IE | FSW_SF);
    return x->fpuc & FSW_IE;
}

void x87_push(X86CPU *x, X87Reg v)
{
    x->fpstt = (x->fpstt - 1) & 7;
    x->fpregs[x->fpstt] = v;
    x->fptags[x->fpstt] = 0;
}

void x87_pop(X86CPU *x)
{
    x->fptags[x->fpstt] = 1;
    x->fpstt = (x->fpstt + 1) & 7;
}

void x87_check_pending(X86CPU *x, uintptr_t ra)
{
    if (!(x->fpus & FSW_ES)) {
        return;
    }
    if (x->cr[0] & X86_CR0_NE) {
        x86_raise_exception_err(&x->parent, EXCP_MF, -1, ra);
    }
    if (x->intc && x->intc->ferr) {
        x->intc->ferr(&x->parent);
    }
}

/* ---- running an instruction on the host ---- */

/* Writes the host's results back: the stack moved by the host's TOP change (pops > 0),
 * the registers of d->wmask receive the outputs, popped registers become empty. */
static void commit(X86CPU *x, const X87Desc *d, const int *phys, const X87Io *io)
{
    int delta = (int)(((io->sw >> 11) - (io->sw0 >> 11)) & 7);
    int count;

    if (delta >= 4) {
        delta -= 8;
    }
    count = d->nin - delta;
    for (int k = 0; k < count && k < 3; k++) {
        int slot = k + delta;
        unsigned bit = slot < 0 ? X87_W_NEW : 1u << slot;
        int p = slot < 0 ? (int)((x->fpstt - 1) & 7) : phys[slot];
        if (d->wmask & bit) {
            x->fpregs[p] = io->out[k];
            x->fptags[p] = 0;
        }
    }
    for (int s = 0; s < delta && s < 2; s++) {
        x->fptags[phys[s]] = 1;
    }
    x->fpstt = (x->fpstt + delta) & 7;
}

/* Stack overflow on a push with IE masked: the pushed (and replaced) registers hold the
 * indefinite. */
static void overflow_response(X86CPU *x, const X87Desc *d)
{
    if (d->wmask & 1) {
        x->fpregs[x87_phys(x, 0)] = x87_indefinite();
    }
    x87_push(x, x87_indefinite());
}

void x87_run(X86CPU *x, const X87Desc *d, int i, X87Io *io, bool *stored)
{
    int phys[2] = { x87_phys(x, 0), x87_phys(x, i) };
    bool underflow = false;

    *stored = false;
    for (int k = 0; k < d->nin; k++) {
        underflow |= x->fptags[phys[k]] != 0;
    }
    if (underflow && !x87_stack_fault(x, false)) {
        return;
    }
    if (d->push && !x->fptags[(x->fpstt - 1) & 7]) {
        if (x87_stack_fault(x, true)) {
            overflow_response(x, d);
        }
        return;
    }
    for (int k = 0; k < d->nin; k++) {
        io->in[k] = underflow ? x87_indefinite() : x->fpregs[phys[k]];
    }
    io->cw = x->fpuc;
    io->hcw = X87_HOST_FCW;
    d->fn(io);
    x->fpus = (x->fpus & ~d->ccmask) | (io->sw & d->ccmask);
    if (underflow) {
        x->fpus &= ~FSW_C1;
    }
    x87_raise_flags(x, io->sw & FSW_EXC);
    commit(x, d, phys, io);
    *stored = !(io->sw & ~x->fpuc & (FSW_IE | FSW_DE | FSW_ZE | FSW_OE | FSW_UE));
}

/* ---- memory operands ---- */

static void load_operand(X86CPU *x, uint64_t a, int size, X87Io *io, uintptr_t ra)
{
    static const MemOp mops[9] = { [2] = MO_LEUW, [4] = MO_LEUL, [8] = MO_LEUQ };
    int mmu = x86_mmu_index(x->hflags);

    memset(&io->mem, 0, sizeof(io->mem));
    if (size == 10) {
        probe_access(&x->parent, a, 10, MMU_DATA_LOAD, mmu, ra);
        io->mem.mant = cpu_ld_mmu(&x->parent, a, MO_LEUQ, mmu, ra);
        io->mem.sexp = (uint16_t)cpu_ld_mmu(&x->parent, a + 8, MO_LEUW, mmu, ra);
    } else {
        io->mem.mant = cpu_ld_mmu(&x->parent, a, mops[size], mmu, ra);
    }
}

static void store_operand(X86CPU *x, uint64_t a, int size, const X87Io *io, uintptr_t ra)
{
    static const MemOp mops[9] = { [2] = MO_LEUW, [4] = MO_LEUL, [8] = MO_LEUQ };
    int mmu = x86_mmu_index(x->hflags);

    if (size == 10) {
        cpu_st_mmu(&x->parent, a, io->mem.mant, MO_LEUQ, mmu, ra);
        cpu_st_mmu(&x->parent, a + 8, io->mem.sexp, MO_LEUW, mmu, ra);
    } else {
        cpu_st_mmu(&x->parent, a, io->mem.mant, mops[size], mmu, ra);
    }
}

/* A memory form run on the host: the operand is read first, or the destination probed
 * (so that a fault leaves the FPU unchanged), then the result stored. */
static void run_mem(X86CPU *x, const X87Desc *d, uint64_t a, uintptr_t ra)
{
    int size = d->msize & X87_M_SIZE;
    X87Io io;
    bool stored;

    if (d->msize & X87_M_STORE) {
        probe_access(&x->parent, a, (unsigned)size, MMU_DATA_STORE, x86_mmu_index(x->hflags),
                     ra);
    } else {
        load_operand(x, a, size, &io, ra);
    }
    x87_run(x, d, 0, &io, &stored);
    if ((d->msize & X87_M_STORE) && stored) {
        store_operand(x, a, size, &io, ra);
    }
}

/* ---- register forms done here (moves of 80-bit values, stack management) ---- */

/* Source register i, or the indefinite after a masked underflow; false: unmasked fault. */
static bool source(X86CPU *x, int i, X87Reg *v)
{
    if (x87_empty(x, i)) {
        *v = x87_indefinite();
        return x87_stack_fault(x, false);
    }
    *v = x->fpregs[x87_phys(x, i)];
    x->fpus &= ~FSW_C1;
    return true;
}

static void fld_sti(X86CPU *x, int i)
{
    X87Reg v;

    if (!source(x, i, &v)) {
        return;
    }
    if (!x->fptags[(x->fpstt - 1) & 7]) {
        if (!x87_stack_fault(x, true)) {
            return;
        }
        v = x87_indefinite();
    }
    x87_push(x, v);
}

static void fst_sti(X86CPU *x, int i, bool pop)
{
    X87Reg v;
    int p = x87_phys(x, i);

    if (!source(x, 0, &v)) {
        return;
    }
    x->fpregs[p] = v;
    x->fptags[p] = 0;
    if (pop) {
        x87_pop(x);
    }
}

static void fxch(X86CPU *x, int i)
{
    int a = x87_phys(x, 0), b = x87_phys(x, i);
    X87Reg t;

    if (x->fptags[a] || x->fptags[b]) {
        if (!x87_stack_fault(x, false)) {
            return;
        }
        for (int k = 0; k < 2; k++) {
            int p = k ? b : a;
            if (x->fptags[p]) {
                x->fpregs[p] = x87_indefinite();
                x->fptags[p] = 0;
            }
        }
    } else {
        x->fpus &= ~FSW_C1;
    }
    t = x->fpregs[a];
    x->fpregs[a] = x->fpregs[b];
    x->fpregs[b] = t;
}

/* FXAM of an empty register: class "empty" (C3 C2 C0 = 101), C1 = sign; no fault. */
static void fxam(X86CPU *x)
{
    X87Io io;
    bool stored;

    if (x87_empty(x, 0)) {
        unsigned sign = (x->fpregs[x87_phys(x, 0)].sexp >> 15) ? FSW_C1 : 0;
        x->fpus = (x->fpus & ~FSW_CC) | FSW_C3 | FSW_C0 | sign;
        return;
    }
    x87_run(x, &x87_d9_ops[5], 0, &io, &stored);
}

static void incdec_stp(X86CPU *x, int delta)
{
    x->fpstt = (x->fpstt + delta) & 7;
    x->fpus &= ~FSW_C1;
}

static void run_reg(X86CPU *x, const X87Desc *d, int i)
{
    X87Io io;
    bool stored;

    x87_run(x, d, i, &io, &stored);
}

/* D9 C0..FF */
static void d9_reg(X86CPU *x, unsigned m)
{
    int i = m & 7;

    switch ((m >> 3) & 7) {
    case 0: fld_sti(x, i); return;
    case 1: fxch(x, i); return;
    case 2: return;                                 /* FNOP */
    case 3: fst_sti(x, i, true); return;            /* FSTP1 (reserved alias) */
    }
    if (m == 0xe5) {
        fxam(x);
    } else if (m == 0xf6 || m == 0xf7) {
        incdec_stp(x, m == 0xf6 ? -1 : 1);
    } else if (x87_d9_ops[m - 0xe0].fn) {
        run_reg(x, &x87_d9_ops[m - 0xe0], 1);
    }
}

/* DD, DF C0..DF: FFREE(P), FXCH aliases, FST(P) */
static void dd_df_reg(X86CPU *x, unsigned op, unsigned m)
{
    int i = m & 7, r = (m >> 3) & 7;

    switch (r) {
    case 0:
        x->fptags[x87_phys(x, i)] = 1;
        if (op == 7) {
            x->fpstt = (x->fpstt + 1) & 7;      /* FFREEP */
        }
        return;
    case 1: fxch(x, i); return;
    case 2: fst_sti(x, i, op == 7); return;
    case 3: fst_sti(x, i, true); return;
    case 4: case 5: run_reg(x, &x87_fucom[r - 4], i); return;
    }
}

static void db_reg(X86CPU *x, unsigned m)
{
    if (m == 0xe2) {
        x->fpus &= ~(FSW_EXC | FSW_SF | FSW_ES | FSW_B);    /* FNCLEX */
    } else if (m == 0xe3) {
        x86_fpu_init(x);                                     /* FNINIT */
    }
    /* E0 FENI, E1 FDISI, E4 FSETPM: no-ops since the 80387 */
}

static void helper_fpu_reg(void *env, uint32_t insn)
{
    X86CPU *x = x86_cpu(env);
    X86_GETPC(ra);
    unsigned op = (insn >> 8) & 7, m = insn & 0xff, r = (m >> 3) & 7;

    if (!x87_insn_control(op, m)) {
        x87_check_pending(x, ra);
    }
    switch (op) {
    case 0: case 4: case 6: run_reg(x, &x87_arith_reg[op == 0 ? 0 : op == 4 ? 1 : 2][r], m & 7);
        break;
    case 1: d9_reg(x, m); break;
    case 2: run_reg(x, &x87_fucom[2], 1); break;    /* DA E9 FUCOMPP */
    case 3: db_reg(x, m); break;
    default: dd_df_reg(x, op, m); break;
    }
}
X86_HELPER_INFO(fpu_reg, TCG_CALL_NO_WG, TCG_TYPE_VOID, 2, TCG_TYPE_PTR, TCG_TYPE_I32);

void x87_control_mem(X86CPU *x, uint32_t insn, uint64_t a, uintptr_t ra);

static void helper_fpu_mem(void *env, uint32_t insn, uint64_t a)
{
    X86CPU *x = x86_cpu(env);
    X86_GETPC(ra);
    unsigned op = (insn >> 8) & 7, r = (insn >> 3) & 7;
    const X87Desc *d = &x87_mem_ops[op][r];

    if (!d->fn) {
        x87_control_mem(x, insn, a, ra);
        return;
    }
    x87_check_pending(x, ra);
    run_mem(x, d, a, ra);
}
X86_HELPER_INFO(fpu_mem, TCG_CALL_NO_WG, TCG_TYPE_VOID, 3, TCG_TYPE_PTR, TCG_TYPE_I32,
                TCG_TYPE_I64);

/* FCOMI, FUCOMI (and the popping forms): returns the arithmetic flags (old ones in
 * eflags): ZF PF CF from the comparison, OF SF AF cleared; unchanged if an unmasked
 * invalid-operation exception stops the instruction. */
static uint64_t helper_fpu_fcomi(void *env, uint32_t insn, uint64_t eflags)
{
    X86CPU *x = x86_cpu(env);
    X86_GETPC(ra);
    unsigned op = (insn >> 8) & 7, m = insn & 0xff;
    const X87Desc *d = &x87_comi[(op == 7) * 2 + ((m & 0xf8) == 0xf0)];
    X87Io io;
    bool stored;

    x87_check_pending(x, ra);
    io.zf = io.pf = io.cf = 1;
    x87_run(x, d, m & 7, &io, &stored);
    if (!stored) {
        return eflags;
    }
    eflags &= ~(uint64_t)(X86_EFLAGS_OF | X86_EFLAGS_SF | X86_EFLAGS_AF | X86_EFLAGS_ZF |
                          X86_EFLAGS_PF | X86_EFLAGS_CF);
    return eflags | (io.zf ? X86_EFLAGS_ZF : 0) | (io.pf ? X86_EFLAGS_PF : 0) |
           (io.cf ? X86_EFLAGS_CF : 0);
}
X86_HELPER_INFO(fpu_fcomi, TCG_CALL_NO_WG, TCG_TYPE_I64, 3, TCG_TYPE_PTR, TCG_TYPE_I32,
                TCG_TYPE_I64);

/* FCMOVcc ST(0), ST(i): cond computed by the translator. */
static void helper_fpu_fcmov(void *env, uint32_t i, uint32_t cond)
{
    X86CPU *x = x86_cpu(env);
    X86_GETPC(ra);
    int p0;

    x87_check_pending(x, ra);
    p0 = x87_phys(x, 0);
    if (x87_empty(x, 0) || x87_empty(x, (int)i)) {
        if (x87_stack_fault(x, false)) {
            x->fpregs[p0] = x87_indefinite();
            x->fptags[p0] = 0;
        }
        return;
    }
    x->fpus &= ~FSW_C1;
    if (cond) {
        x->fpregs[p0] = x->fpregs[x87_phys(x, (int)i)];
    }
}
X86_HELPER_INFO(fpu_fcmov, TCG_CALL_NO_WG, TCG_TYPE_VOID, 3, TCG_TYPE_PTR, TCG_TYPE_I32,
                TCG_TYPE_I32);

static uint64_t helper_fpu_fnstsw_ax(void *env)
{
    return x87_fsw(x86_cpu(env));
}
X86_HELPER_INFO(fpu_fnstsw_ax, TCG_CALL_NO_RWG, TCG_TYPE_I64, 1, TCG_TYPE_PTR);

/* FWAIT: delivers a pending unmasked exception. */
static void helper_fpu_fwait(void *env)
{
    X86_GETPC(ra);
    x87_check_pending(x86_cpu(env), ra);
}
X86_HELPER_INFO(fpu_fwait, TCG_CALL_NO_WG, TCG_TYPE_VOID, 1, TCG_TYPE_PTR);
