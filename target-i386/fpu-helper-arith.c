/* x87 helpers: the status word's exception flags and ES, pending-exception delivery
 * (#MF, or FERR# with CR0.NE = 0), and the instructions that run on the host's x87
 * (fpu-host.h) with the guest's operands, tags, control word and condition codes: all
 * the computational ones, the register moves, FCMOVcc and FCOMI, so that results, stack
 * faults (C1, IE+SF, the masked and unmasked responses) and flags are the host's.
 * Intel SDM vol. 1 8.1-8.5 and the instruction entries of vol. 2. */
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
 * the registers of d->wmask receive the outputs (or become empty when the host left them
 * so after a stack fault), popped registers become empty. */
static void commit(X86CPU *x, const X87Desc *d, const int *phys, const X87Io *io)
{
    int top = (io->sw >> 11) & 7, moved = (top - ((io->sw0 >> 11) & 7)) & 7;
    int delta = moved >= 4 ? moved - 8 : moved;
    int count = d->nin - delta;

    for (int k = 0; k < count && k < 3; k++) {
        int slot = k + delta;
        unsigned bit = slot < 0 ? X87_W_NEW : 1u << slot;
        int p = slot < 0 ? (int)((x->fpstt - 1) & 7) : phys[slot];
        if (!(d->wmask & bit)) {
            continue;
        }
        if (io->empty && ((io->env_out[2] >> (2 * ((top + k) & 7))) & 3) == 3) {
            x->fptags[p] = 1;
        } else {
            x->fpregs[p] = io->out[k];
            x->fptags[p] = 0;
        }
    }
    for (int s = 0; s < delta && s < 2; s++) {
        x->fptags[phys[s]] = 1;
    }
    x->fpstt = (x->fpstt + delta) & 7;
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* The FRSTOR image of the run: operands in ST(0), ST(1) (physical R0, R1), R7 valid for
 * a push onto a full register. */
static void build_image(X86CPU *x, const X87Desc *d, const int *phys, X87Io *io)
{
    unsigned ftw = 0xffff;

    memset(io->img, 0, 28);
    io->empty = 0;
    for (int k = 0; k < d->nin; k++) {
        memcpy(io->img + 28 + 10 * k, &x->fpregs[phys[k]], 10);
        if (x->fptags[phys[k]]) {
            io->empty = 1;
        } else {
            ftw &= ~(3u << (2 * k));
        }
    }
    if (d->push && !x->fptags[(x->fpstt - 1) & 7]) {
        ftw &= ~(3u << 14);
    }
    put16(io->img, x->fpuc);
    put16(io->img + 4, x->fpus & FSW_CC);
    put16(io->img + 8, ftw);
    io->sw0 = 0;
}

/* Can d take the fast run: every exception masked, no stack fault? */
static bool fast_ok(const X86CPU *x, const X87Desc *d, const int *phys)
{
    if (!d->fast || (x->fpuc & FSW_EXC) != FSW_EXC) {
        return false;
    }
    for (int k = 0; k < d->nin; k++) {
        if (x->fptags[phys[k]]) {
            return false;
        }
    }
    return !d->push || x->fptags[(x->fpstt - 1) & 7];
}

/* The fast run (fpu-host.h); returns the condition codes it took from the host. */
static unsigned run_fast(X86CPU *x, const X87Desc *d, const int *phys, X87Io *io)
{
    for (int k = 0; k < d->nin; k++) {
        io->in[k] = x->fpregs[phys[k]];
    }
    io->cw = x->fpuc;
    io->nflags = ~x->fpus & (FSW_EXC | FSW_SF);
    io->empty = 0;
    d->fast(io);
    return d->fastcc;
}

void x87_run(X86CPU *x, const X87Desc *d, int i, X87Io *io, unsigned ah, bool *stored)
{
    int phys[2] = { x87_phys(x, 0), x87_phys(x, i) };
    unsigned cc = FSW_CC;

    io->ah = (uint8_t)ah;
    io->hcw = X87_HOST_FCW;
    if (fast_ok(x, d, phys)) {
        cc = run_fast(x, d, phys, io);
    } else {
        build_image(x, d, phys, io);
        d->fn(io);
    }
    x->fpus = (x->fpus & ~cc) | (io->sw & cc);
    x87_raise_flags(x, io->sw & (FSW_EXC | FSW_SF));
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
    x87_run(x, d, 0, &io, X87_AH_UNTOUCHED, &stored);
    if ((d->msize & X87_M_STORE) && stored) {
        store_operand(x, a, size, &io, ra);
    }
}

/* ---- register forms done here (moves of 80-bit values, stack management) ---- */

static void incdec_stp(X86CPU *x, int delta)
{
    x->fpstt = (x->fpstt + delta) & 7;
    x->fpus &= ~FSW_C1;
}

static void run_reg(X86CPU *x, const X87Desc *d, int i)
{
    X87Io io;
    bool stored;

    x87_run(x, d, i, &io, X87_AH_UNTOUCHED, &stored);
}

/* D9 C0..FF */
static void d9_reg(X86CPU *x, unsigned m)
{
    int i = m & 7;

    switch ((m >> 3) & 7) {
    case 0: run_reg(x, &x87_moves[0], i); return;   /* FLD ST(i) */
    case 1: run_reg(x, &x87_moves[1], i); return;   /* FXCH */
    case 2: return;                                 /* FNOP */
    case 3: run_reg(x, &x87_moves[3], i); return;   /* FSTP1 (reserved alias) */
    }
    if (m == 0xf6 || m == 0xf7) {
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
    case 0: {                                       /* FFREE, FFREEP */
        int p = x87_phys(x, i);
        run_reg(x, &x87_moves[op == 7 ? 5 : 4], i);
        x->fptags[p] = 1;
        return;
    }
    case 1: run_reg(x, &x87_moves[1], i); return;                   /* FXCH aliases */
    case 2: run_reg(x, &x87_moves[op == 7 ? 3 : 2], i); return;     /* FST, FSTP8 */
    case 3: run_reg(x, &x87_moves[3], i); return;                   /* FSTP, FSTP9 */
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
 * eflags): ZF PF CF from the comparison, OF SF AF cleared; unchanged if the host's
 * instruction did not write them (an unmasked invalid-operation exception on CPUs that
 * stop there, or an unmasked stack fault). */
static uint64_t helper_fpu_fcomi(void *env, uint32_t insn, uint64_t eflags)
{
    X86CPU *x = x86_cpu(env);
    X86_GETPC(ra);
    unsigned op = (insn >> 8) & 7, m = insn & 0xff;
    const X87Desc *d = &x87_comi[(op == 7) * 2 + ((m & 0xf8) == 0xf0)];
    X87Io io;
    bool stored;

    x87_check_pending(x, ra);
    x87_run(x, d, m & 7, &io, X87_AH_UNTOUCHED, &stored);
    if (io.ah & X87_AH_UNTOUCHED) {
        return eflags;      /* the flags were not written */
    }
    eflags &= ~(uint64_t)(X86_EFLAGS_OF | X86_EFLAGS_SF | X86_EFLAGS_AF | X86_EFLAGS_ZF |
                          X86_EFLAGS_PF | X86_EFLAGS_CF);
    return eflags | (io.ah & (X86_EFLAGS_ZF | X86_EFLAGS_PF | X86_EFLAGS_CF));
}
X86_HELPER_INFO(fpu_fcomi, TCG_CALL_NO_WG, TCG_TYPE_I64, 3, TCG_TYPE_PTR, TCG_TYPE_I32,
                TCG_TYPE_I64);

/* FCMOVcc ST(0), ST(i) (insn as for fpu_reg), with the guest's arithmetic flags. */
static void helper_fpu_fcmov(void *env, uint32_t insn, uint64_t eflags)
{
    X86CPU *x = x86_cpu(env);
    X86_GETPC(ra);
    unsigned op = (insn >> 8) & 7, m = insn & 0xff;
    X87Io io;
    bool stored;

    x87_check_pending(x, ra);
    x87_run(x, &x87_fcmov[(op & 1) * 4 + ((m >> 3) & 3)], m & 7, &io,
            (unsigned)eflags & (X86_EFLAGS_ZF | X86_EFLAGS_PF | X86_EFLAGS_CF), &stored);
}
X86_HELPER_INFO(fpu_fcmov, TCG_CALL_NO_WG, TCG_TYPE_VOID, 3, TCG_TYPE_PTR, TCG_TYPE_I32,
                TCG_TYPE_I64);

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
