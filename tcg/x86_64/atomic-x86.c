/* Guest atomics in the x86-64 back end (ops atomic_rmw, atomic_cmpxchg,
 * atomic_cmpxchg128; semantics in docs/tcg.md "Atomics"): the soft-TLB hit path inline
 * (tag compared with addr_write) followed by a lock-prefixed host instruction (Intel SDM
 * vol. 2: LOCK, CMPXCHG, XADD, XCHG); misses, big-endian accesses and the 128-bit
 * compare-and-swap call TCGRuntimeHooks.atomic/cmpxchg128, which use host atomics. */
#include "tcg/x86_64/backend-x86.h"

static TCGTemp *arg_t(const X86Gen *g, const TCGOp *op, int i)
{
    return &g->s->temps[op->args[i]];
}

static bool is_w64(const TCGOp *op)
{
    return (tcg_op_defs[op->opc].flags & TCG_OPF_64BIT) != 0;
}

/* A register for the current op only, outside avoid. */
static X86Reg op_scratch(X86Gen *g, uint16_t avoid)
{
    X86Reg r = x86_ra_alloc(g, avoid);
    g->reg_temp[r] = X86_REG_OP_SCRATCH;
    g->scratch_regs |= (uint16_t)X86_REG_BIT(r);
    return r;
}

/* The result in ro (low size bits valid) extended per mop to the op's width. Idempotent:
 * the slow path's return joins before it. */
static void emit_result_ext(X86Gen *g, MemOp mop, bool w64, X86Reg ro)
{
    unsigned size = memop_size(mop);
    bool sign = (mop & MO_SIGN) != 0;
    if (size < 4 || (size == 4 && w64)) {
        x86_ext_rr(&g->a, size, sign, w64, ro, ro);
    }
}

static bool needs_cas_loop(unsigned kind)
{
    return kind != TCG_ATOMIC_XCHG && kind != TCG_ATOMIC_ADD;
}

/* ro = old value by xchg or lock xadd; new value on request. */
static void emit_xchg_xadd(X86Gen *g, unsigned aop, unsigned size, X86Reg ro, X86Reg rv)
{
    X86Asm *a = &g->a;
    x86_mov_rr(a, true, ro, rv);
    if ((aop & TCG_ATOMIC_KIND) == TCG_ATOMIC_XCHG) {
        x86_xchg_mem(a, size, ro, X86_SCRATCH0);
        if (aop & TCG_ATOMIC_RET_NEW) {
            x86_mov_rr(a, true, ro, rv);
        }
        return;
    }
    x86_lock_xadd(a, size, ro, X86_SCRATCH0);
    if (aop & TCG_ATOMIC_RET_NEW) {
        x86_alu_rr(a, X86_ADD, true, ro, rv);
    }
}

/* scratch1 = f(rax, rvx) for the compare-and-swap loop kinds. */
static void emit_new_value(X86Gen *g, unsigned kind, unsigned size, X86Reg rvx)
{
    static const X86Cond take_val[] = {
        [TCG_ATOMIC_SMIN] = X86_CC_G, [TCG_ATOMIC_SMAX] = X86_CC_L,
        [TCG_ATOMIC_UMIN] = X86_CC_A, [TCG_ATOMIC_UMAX] = X86_CC_B,
    };
    X86Asm *a = &g->a;
    bool w = size == 8;
    x86_mov_rr(a, true, X86_SCRATCH1, X86_RAX);
    switch (kind) {
    case TCG_ATOMIC_AND: x86_alu_rr(a, X86_AND, w, X86_SCRATCH1, rvx); break;
    case TCG_ATOMIC_OR: x86_alu_rr(a, X86_OR, w, X86_SCRATCH1, rvx); break;
    case TCG_ATOMIC_XOR: x86_alu_rr(a, X86_XOR, w, X86_SCRATCH1, rvx); break;
    default:
        x86_alu_rr(a, X86_CMP, w, X86_RAX, rvx);
        x86_cmovcc(a, take_val[kind], w, X86_SCRATCH1, rvx);
        break;
    }
}

/*   again: rax = [r10] (extended for min/max); r11 = rax op val;
 *          lock cmpxchg [r10], r11; jne again      -> rax = old, r11 = new */
static void emit_cas_loop(X86Gen *g, unsigned aop, unsigned size, X86Reg rv, X86Reg rvx)
{
    X86Asm *a = &g->a;
    unsigned kind = aop & TCG_ATOMIC_KIND;
    bool sign = kind == TCG_ATOMIC_SMIN || kind == TCG_ATOMIC_SMAX;
    if (rvx != rv) {
        x86_ext_rr(a, size, sign, false, rvx, rv);
    }
    size_t again = a->pos;
    x86_load(a, size, sign && size < 4, X86_RAX, X86_SCRATCH0, 0);
    emit_new_value(g, kind, size, rvx);
    x86_lock_cmpxchg(a, size, X86_SCRATCH1, X86_SCRATCH0);
    int64_t rel = (int64_t)again - (int64_t)(a->pos + 2);
    if (x86_fits_i8(rel)) {
        x86_jcc8(a, X86_CC_NE, (int8_t)rel);
    } else {
        x86_jcc32(a, X86_CC_NE, (int32_t)(rel - 4));
    }
    if (aop & TCG_ATOMIC_RET_NEW) {
        x86_mov_rr(a, true, X86_RAX, X86_SCRATCH1);
    }
}

static X86SlowPath *atomic_slow_path(X86Gen *g, const TCGOp *op, unsigned aop, X86Reg ra,
                                     X86Reg ro)
{
    X86SlowPath *sp = x86_new_slow_path(g);
    sp->is_store = true;
    sp->is_atomic = true;
    sp->addr64 = arg_t(g, op, 1)->type == TCG_TYPE_I64;
    sp->data64 = is_w64(op);
    sp->mop = (MemOp)op->args[op->nb_oargs + op->nb_iargs];
    sp->mmu_idx = (unsigned)op->args[op->nb_oargs + op->nb_iargs + 1];
    sp->oi = tcg_atomic_oi(aop, sp->mop, sp->mmu_idx);
    sp->addr_reg = ra;
    sp->data_reg = ro;
    sp->cmp_reg = X86_NOREG;
    return sp;
}

/* Big-endian atomics (no guest needs them inline today) always take the slow path. */
static bool force_slow(MemOp mop)
{
    return (mop & MO_BE) && memop_size(mop) > 1;
}

static void gen_rmw(X86Gen *g, const TCGOp *op)
{
    unsigned aop = (unsigned)op->args[5], kind = aop & TCG_ATOMIC_KIND;
    MemOp mop = (MemOp)op->args[3];
    unsigned size = memop_size(mop);
    bool loop = needs_cas_loop(kind);
    uint16_t avoid = loop ? X86_REG_BIT(X86_RAX) : 0;
    if (loop) {
        x86_ra_reserve(g, X86_RAX);
    }
    X86Reg ra = x86_ra_in_reg(g, arg_t(g, op, 1), avoid);
    X86Reg rv = x86_ra_in_reg(g, arg_t(g, op, 2), avoid);
    X86Reg ro = loop ? X86_RAX : op_scratch(g, 0);
    bool minmax = kind >= TCG_ATOMIC_SMIN && kind <= TCG_ATOMIC_UMAX;
    X86Reg rvx = minmax && size < 4 ? op_scratch(g, avoid) : rv;
    X86SlowPath *sp = atomic_slow_path(g, op, aop, ra, ro);
    sp->val_reg = rv;
    x86_emit_tlb_lookup(g, sp, ra, force_slow(mop), true);
    if (sp->jumps[1] != UINT32_MAX) {
        if (loop) {
            emit_cas_loop(g, aop, size, rv, rvx);
        } else {
            emit_xchg_xadd(g, aop, size, ro, rv);
        }
    }
    sp->done = (uint32_t)g->a.pos;
    emit_result_ext(g, mop, is_w64(op), ro);
    sp->save_mask = x86_live_caller_saved(g, ro);
    x86_finish_mem_op(g, op, &ro);
}

static void gen_cmpxchg(X86Gen *g, const TCGOp *op)
{
    MemOp mop = (MemOp)op->args[4];
    uint16_t avoid = X86_REG_BIT(X86_RAX);
    x86_ra_reserve(g, X86_RAX);
    X86Reg ra = x86_ra_in_reg(g, arg_t(g, op, 1), avoid);
    X86Reg rc = x86_ra_in_reg(g, arg_t(g, op, 2), avoid);
    X86Reg rn = x86_ra_in_reg(g, arg_t(g, op, 3), avoid);
    X86Reg ro = X86_RAX;
    X86SlowPath *sp = atomic_slow_path(g, op, TCG_ATOMIC_CMPXCHG, ra, ro);
    sp->val_reg = rn;
    sp->cmp_reg = rc;
    x86_emit_tlb_lookup(g, sp, ra, force_slow(mop), true);
    if (sp->jumps[1] != UINT32_MAX) {
        x86_mov_rr(&g->a, true, X86_RAX, rc);
        x86_lock_cmpxchg(&g->a, memop_size(mop), rn, X86_SCRATCH0);
    }
    sp->done = (uint32_t)g->a.pos;
    emit_result_ext(g, mop, is_w64(op), ro);
    sp->save_mask = x86_live_caller_saved(g, ro);
    x86_finish_mem_op(g, op, &ro);
}

void x86_gen_atomic(X86Gen *g, const TCGOp *op)
{
    x86_ra_sync_globals(g, false);
    if (op->opc == INDEX_op_atomic_cmpxchg_i32 || op->opc == INDEX_op_atomic_cmpxchg_i64) {
        gen_cmpxchg(g, op);
    } else {
        gen_rmw(g, op);
    }
}

/* Slow path: hooks->atomic(env, addr, val, cmp, oi, retaddr). The operands go through
 * the outgoing-argument area, so any register assignment works. */
void x86_emit_atomic_slow_path(X86Gen *g, const X86SlowPath *sp, const TCGRuntimeHooks *hooks)
{
    X86Asm *a = &g->a;
    if (!hooks || !hooks->atomic) {
        g->unsupported = true;
        return;
    }
    x86_save_regs(g, sp->save_mask, false);
    x86_store(a, 8, sp->addr_reg, X86_RSP, 0);
    x86_store(a, 8, sp->val_reg, X86_RSP, 8);
    if (sp->cmp_reg != X86_NOREG) {
        x86_store(a, 8, sp->cmp_reg, X86_RSP, 16);
    }
    x86_load(a, sp->addr64 ? 8 : 4, false, X86_RSI, X86_RSP, 0);
    x86_load(a, 8, false, X86_RDX, X86_RSP, 8);
    if (sp->cmp_reg != X86_NOREG) {
        x86_load(a, 8, false, X86_RCX, X86_RSP, 16);
    }
    x86_mov_ri(a, X86_R8, sp->oi);
    x86_lea_rip(a, X86_R9, (int32_t)((int64_t)sp->done - (int64_t)(a->pos + 7)));
    x86_mov_rr(a, true, X86_RDI, X86_ENV_REG);
    x86_gen_call_abs(g, (const void *)hooks->atomic);
    x86_mov_rr(a, true, sp->data_reg, X86_RAX);
    x86_save_regs(g, sp->save_mask, true);
    x86_jmp32(a, (int32_t)((int64_t)sp->done - (int64_t)(a->pos + 5)));
}

/* atomic_cmpxchg128: always out of line, as a call of hooks->cmpxchg128 with the four
 * input words at [rsp, +32) (which receive the old value). */
void x86_gen_atomic_cmpxchg128(X86Gen *g, const TCGOp *op)
{
    const TCGRuntimeHooks *hooks = tcg_runtime_hooks();
    X86Asm *a = &g->a;
    TCGTemp *addr = arg_t(g, op, 2);
    X86Reg outs[2];
    if (!hooks || !hooks->cmpxchg128) {
        g->unsupported = true;
        return;
    }
    x86_ra_sync_globals(g, false);
    x86_ra_evict_caller_saved(g, NULL, 0);
    for (int i = 0; i < 4; i++) {
        X86Reg r = x86_ra_in_reg(g, arg_t(g, op, 3 + i), 0);
        x86_store(a, 8, r, X86_RSP, 8 * i);
    }
    X86Reg ra = x86_ra_in_reg(g, addr, 0);
    x86_mov_rr(a, addr->type == TCG_TYPE_I64, X86_RSI, ra);
    x86_mov_rr(a, true, X86_RDX, X86_RSP);
    x86_mov_ri(a, X86_RCX, tcg_atomic_oi(TCG_ATOMIC_CMPXCHG, (MemOp)op->args[7],
                                         (unsigned)op->args[8]));
    x86_lea_rip(a, X86_R8, 0);
    x86_mov_rr(a, true, X86_RDI, X86_ENV_REG);
    x86_gen_call_abs(g, (const void *)hooks->cmpxchg128);
    for (int r = 0; r < 16; r++) {
        if (X86_CALLER_SAVED_MASK & X86_REG_BIT(r)) {
            x86_ra_free_reg(g, r);
        }
    }
    for (int k = 0; k < 2; k++) {
        outs[k] = op_scratch(g, 0);
        x86_load(a, 8, false, outs[k], X86_RSP, 8 * k);
    }
    x86_finish_mem_op(g, op, outs);
}
