/* Guest loads and stores in the x86-64 back end: the soft-TLB hit path inline
 * (include/tcg/tlb.h layout), the miss path out of line at the end of the TB calling
 * TCGRuntimeHooks.load/store (include/tcg/tcg.h). */
#include <stddef.h>
#include "tcg/tlb.h"
#include "tcg/x86_64/backend-x86.h"
#include "util/cutils.h"

X86SlowPath *x86_new_slow_path(X86Gen *g)
{
    if (g->nb_slow == g->cap_slow) {
        g->cap_slow = g->cap_slow ? 2 * g->cap_slow : 32;
        g->slow = xrealloc(g->slow, sizeof(*g->slow) * (size_t)g->cap_slow);
    }
    X86SlowPath *sp = &g->slow[g->nb_slow++];
    *sp = (X86SlowPath){ .jumps = { UINT32_MAX, UINT32_MAX } };
    return sp;
}

/* Fast path (QEMU's instruction count for 64-bit guests, one less with BMI2), the TLB of
 * mmu_idx found at fixed offsets from env (include/tcg/tlb.h):
 *   mov  r10, addr ; shr r10, 7                         ; page * 32
 *     (BMI2: rorx r10, addr, 7: the 7 low bits rotate to bits 25+ (57+ for a 64-bit
 *     address), above any TLB mask, which the and clears)
 *   and  r10, [env + mask(mmu_idx)] ; add r10, [env + table(mmu_idx)]   ; the entry
 *   lea  r11, [addr + size - align] ; and r11, PAGE_MASK | (align - 1)
 *   cmp  r11, [r10 + addr_read/addr_write] ; jne slow  ; miss, flags, crossing, misaligned
 *   mov  r10, [r10 + addend]                           ; access at [r10 + addr]
 * Returns the index register of the access ([r10 + index]): addr itself, r11 holding
 * the zero-extended 32-bit address, or X86_NOREG when r10 holds the whole host address
 * (fold: for atomics and byte swaps through r11). */
_Static_assert(TLB_DYN_MAX_BITS + TLB_ENTRY_BITS <= 32 - (TLB_PAGE_BITS - TLB_ENTRY_BITS),
               "rorx: the rotated low bits of the address must stay above the TLB mask");

X86Reg x86_emit_tlb_lookup(X86Gen *g, X86SlowPath *sp, X86Reg ra, bool force_slow, bool fold)
{
    X86Asm *a = &g->a;
    bool w64 = sp->addr64;
    unsigned size = memop_size(sp->mop);
    unsigned align = memop_alignment(sp->mop);
    int32_t cross = size > align ? (int32_t)(size - align) : 0;
    size_t tag_ofs = sp->is_store ? offsetof(CPUTLBEntry, addr_write)
                                  : offsetof(CPUTLBEntry, addr_read);

    if (sp->mmu_idx >= TLB_NB_MMU_MODES || force_slow) {
        sp->jumps[0] = (uint32_t)x86_jmp32(a, 0);
        return X86_NOREG;
    }
    if (g->feat.bmi2) {
        x86_rorx(a, w64, X86_SCRATCH0, ra, TLB_PAGE_BITS - TLB_ENTRY_BITS);
    } else {
        x86_mov_rr(a, w64, X86_SCRATCH0, ra);   /* 32-bit: zero-extends */
        x86_shift_ri(a, X86_SHR, true, X86_SCRATCH0, TLB_PAGE_BITS - TLB_ENTRY_BITS);
    }
    x86_alu_rm(a, X86_AND, true, X86_SCRATCH0, X86_ENV_REG,
               (int32_t)TLB_MASK_OFFSET(sp->mmu_idx));
    x86_alu_rm(a, X86_ADD, true, X86_SCRATCH0, X86_ENV_REG,
               (int32_t)TLB_TABLE_OFFSET(sp->mmu_idx));
    if (cross) {
        x86_lea(a, w64, X86_SCRATCH1, ra, X86_NOREG, 0, cross);
    } else {
        x86_mov_rr(a, w64, X86_SCRATCH1, ra);
    }
    x86_alu_ri(a, X86_AND, w64, X86_SCRATCH1, (int32_t)(TLB_PAGE_MASK | (align - 1)));
    x86_alu_rm(a, X86_CMP, true, X86_SCRATCH1, X86_SCRATCH0, (int32_t)tag_ofs);
    sp->jumps[1] = (uint32_t)x86_jcc32(a, X86_CC_NE, 0);
    x86_load(a, 8, false, X86_SCRATCH0, X86_SCRATCH0, offsetof(CPUTLBEntry, addend));
    X86Reg index = ra;
    if (!w64) {
        x86_mov_rr(a, false, X86_SCRATCH1, ra);     /* zero-extends the 32-bit address */
        index = X86_SCRATCH1;
    }
    if (fold) {
        x86_alu_rr(a, X86_ADD, true, X86_SCRATCH0, index);
        index = X86_NOREG;
    }
    return index;
}

/* ro = [r10 + index] with the size, sign and byte order of mop (movbe when the host
 * has it). */
static void emit_host_load(X86Gen *g, MemOp mop, bool w64, X86Reg ro, X86Reg index)
{
    X86Asm *a = &g->a;
    unsigned size = memop_size(mop);
    bool sign = (mop & MO_SIGN) != 0, be = (mop & MO_BE) != 0 && size > 1;
    if (!be) {
        x86_load_idx(a, size, sign && size < 8, ro, X86_SCRATCH0, index, 0, 0);
        if (sign && !w64 && size < 4) {
            x86_mov_rr(a, false, ro, ro);
        }
        return;
    }
    if (g->feat.movbe) {
        x86_movbe_load(a, size, ro, X86_SCRATCH0, index, 0);
    } else {
        x86_load_idx(a, size, false, ro, X86_SCRATCH0, index, 0, 0);
        if (size == 2) {
            x86_rol16_8(a, ro);
        } else {
            x86_bswap(a, size == 8, ro);
        }
    }
    if (size == 2) {
        x86_ext_rr(a, 2, sign, w64, ro, ro);
    } else if (size == 4 && sign && w64) {
        x86_ext_rr(a, 4, true, true, ro, ro);
    }
}

/* Byte-swapping stores without movbe go through r11: the address is folded into r10. */
static bool store_needs_r11(const X86Gen *g, MemOp mop)
{
    return (mop & MO_BE) && memop_size(mop) > 1 && !g->feat.movbe;
}

/* [r10 + index] = rv with the size and byte order of mop. */
static void emit_host_store(X86Gen *g, MemOp mop, X86Reg rv, X86Reg index)
{
    X86Asm *a = &g->a;
    unsigned size = memop_size(mop);
    bool be = (mop & MO_BE) != 0 && size > 1;
    if (!be) {
        x86_store_idx(a, size, rv, X86_SCRATCH0, index, 0, 0);
    } else if (g->feat.movbe) {
        x86_movbe_store(a, size, rv, X86_SCRATCH0, index, 0);
    } else {
        x86_mov_rr(a, true, X86_SCRATCH1, rv);
        if (size == 2) {
            x86_rol16_8(a, X86_SCRATCH1);
        } else {
            x86_bswap(a, size == 8, X86_SCRATCH1);
        }
        x86_store(a, size, X86_SCRATCH1, X86_SCRATCH0, 0);
    }
}

uint16_t x86_live_caller_saved(const X86Gen *g, X86Reg except)
{
    uint16_t mask = 0;
    for (int r = 0; r < 16; r++) {
        if ((X86_CALLER_SAVED_MASK & X86_REG_BIT(r)) && g->reg_temp[r] != X86_REG_FREE &&
            r != (int)except) {
            mask |= (uint16_t)X86_REG_BIT(r);
        }
    }
    return mask;
}

void x86_finish_mem_op(X86Gen *g, const TCGOp *op, const X86Reg *out)
{
    TCGTemp *t;
    for (int k = 0; k < op->nb_oargs; k++) {
        t = &g->s->temps[op->args[k]];
        x86_ra_set_output(g, t, out[k]);
        if (NEED_SYNC_ARG(op->life, k)) {
            x86_ra_temp_store(g, t);
        }
        if (IS_DEAD_ARG(op->life, k)) {
            x86_ra_release_dead(g, t);
        }
    }
    for (int j = op->nb_oargs; j < op->nb_oargs + op->nb_iargs; j++) {
        t = &g->s->temps[op->args[j]];
        if (IS_DEAD_ARG(op->life, j) && (op->nb_oargs == 0 || t != &g->s->temps[op->args[0]])) {
            x86_ra_release_dead(g, t);
        }
    }
    x86_ra_release_op_scratch(g);
}

void x86_gen_qemu_ld(X86Gen *g, const TCGOp *op)
{
    TCGTemp *addr = &g->s->temps[op->args[1]];
    X86SlowPath *sp;
    X86Reg ra, ro;
    ra = x86_ra_in_reg(g, addr, 0);
    ro = x86_ra_alloc(g, 0);
    g->reg_temp[ro] = X86_REG_OP_SCRATCH;
    sp = x86_new_slow_path(g);
    sp->addr64 = addr->type == TCG_TYPE_I64;
    sp->data64 = (tcg_op_defs[op->opc].flags & TCG_OPF_64BIT) != 0;
    sp->mop = (MemOp)op->args[2];
    sp->mmu_idx = (unsigned)op->args[3];
    sp->addr_reg = ra;
    sp->data_reg = ro;
    x86_ra_note_dirty_globals(g, &sp->dirty);
    X86Reg index = x86_emit_tlb_lookup(g, sp, ra, false, false);
    if (sp->jumps[1] != UINT32_MAX) {
        emit_host_load(g, sp->mop, sp->data64, ro, index);
    }
    sp->done = (uint32_t)g->a.pos;
    sp->save_mask = x86_live_caller_saved(g, ro);
    x86_finish_mem_op(g, op, &ro);
}

void x86_gen_qemu_st(X86Gen *g, const TCGOp *op)
{
    TCGTemp *val = &g->s->temps[op->args[0]], *addr = &g->s->temps[op->args[1]];
    X86SlowPath *sp;
    X86Reg ra, rv;
    rv = x86_ra_in_reg(g, val, 0);
    ra = x86_ra_in_reg(g, addr, 0);
    sp = x86_new_slow_path(g);
    sp->is_store = true;
    sp->addr64 = addr->type == TCG_TYPE_I64;
    sp->data64 = (tcg_op_defs[op->opc].flags & TCG_OPF_64BIT) != 0;
    sp->mop = (MemOp)op->args[2];
    sp->mmu_idx = (unsigned)op->args[3];
    sp->addr_reg = ra;
    sp->data_reg = rv;
    x86_ra_note_dirty_globals(g, &sp->dirty);
    X86Reg index = x86_emit_tlb_lookup(g, sp, ra, false, store_needs_r11(g, sp->mop));
    if (sp->jumps[1] != UINT32_MAX) {
        emit_host_store(g, sp->mop, rv, index);
    }
    sp->done = (uint32_t)g->a.pos;
    sp->save_mask = x86_live_caller_saved(g, X86_NOREG);
    x86_finish_mem_op(g, op, NULL);
}

static void patch_to_here(X86Gen *g, uint32_t at)
{
    if (at != UINT32_MAX) {
        x86_patch32(&g->a, at, (uint32_t)(g->a.pos - (at + 4)));
    }
}

void x86_save_regs(X86Gen *g, uint16_t mask, bool restore)
{
    for (int r = 0; r < 16; r++) {
        if (mask & X86_REG_BIT(r)) {
            if (restore) {
                x86_load(&g->a, 8, false, r, X86_RSP, X86_FRAME_REG_SAVE + 8 * r);
            } else {
                x86_store(&g->a, 8, r, X86_RSP, X86_FRAME_REG_SAVE + 8 * r);
            }
        }
    }
}

/* One slow path: save the live caller-saved registers, call the hook with
 * (env, addr, [val,] mop, mmu_idx, retaddr = the fast path's end), restore, jump back. */
static void emit_slow_path(X86Gen *g, const X86SlowPath *sp, const TCGRuntimeHooks *hooks)
{
    X86Asm *a = &g->a;
    patch_to_here(g, sp->jumps[0]);
    patch_to_here(g, sp->jumps[1]);
    if (sp->is_atomic) {
        x86_emit_atomic_slow_path(g, sp, hooks);
        return;
    }
    x86_emit_dirty_stores(a, &sp->dirty);
    x86_save_regs(g, sp->save_mask, false);
    if (sp->is_store) {
        /* addr and value may sit in each other's argument register: go through r10/r11 */
        x86_mov_rr(a, sp->addr64, X86_SCRATCH0, sp->addr_reg);
        x86_mov_rr(a, true, X86_SCRATCH1, sp->data_reg);
        x86_mov_rr(a, true, X86_RSI, X86_SCRATCH0);
        x86_mov_rr(a, true, X86_RDX, X86_SCRATCH1);
        x86_mov_ri(a, X86_RCX, sp->mop);
        x86_mov_ri(a, X86_R8, sp->mmu_idx);
        x86_lea_rip(a, X86_R9, (int32_t)((int64_t)sp->done - (int64_t)(a->pos + 7)));
    } else {
        x86_mov_rr(a, sp->addr64, X86_RSI, sp->addr_reg);
        x86_mov_ri(a, X86_RDX, sp->mop);
        x86_mov_ri(a, X86_RCX, sp->mmu_idx);
        x86_lea_rip(a, X86_R8, (int32_t)((int64_t)sp->done - (int64_t)(a->pos + 7)));
    }
    x86_mov_rr(a, true, X86_RDI, X86_ENV_REG);
    x86_gen_call_abs(g, sp->is_store ? (const void *)hooks->store : (const void *)hooks->load);
    if (!sp->is_store) {
        x86_mov_rr(a, sp->data64, sp->data_reg, X86_RAX);
    }
    x86_save_regs(g, sp->save_mask, true);
    x86_jmp32(a, (int32_t)((int64_t)sp->done - (int64_t)(a->pos + 5)));
}

void x86_gen_slow_paths(X86Gen *g)
{
    const TCGRuntimeHooks *hooks = tcg_runtime_hooks();
    if (g->nb_slow && (!hooks || !hooks->load || !hooks->store)) {
        g->unsupported = true;      /* guest memory access without a runtime */
        return;
    }
    const X86Shared *sh = x86_shared();
    for (int i = 0; i < g->nb_slow; i++) {
        X86SlowPath *sp = &g->slow[i];
        if (!sp->is_atomic && x86_can_reach(g, sh->thunk_st)) {
            patch_to_here(g, sp->jumps[0]);
            patch_to_here(g, sp->jumps[1]);
            x86_emit_dirty_stores(&g->a, &sp->dirty);
            x86_emit_ldst_stub(g, sp);
        } else {
            emit_slow_path(g, sp, hooks);
        }
    }
}
