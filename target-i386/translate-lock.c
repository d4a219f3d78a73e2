/* LOCK-prefixed read-modify-write instructions (and XCHG with memory, always locked) on
 * the engine's atomic IR ops (docs/tcg.md "Atomics"): ADD/ADC/SUB/SBB/AND/OR/XOR, INC/DEC,
 * NOT, NEG (compare-and-swap loop), XADD, CMPXCHG, CMPXCHG8B/16B, BTS/BTR/BTC. The flags
 * are computed from the old memory value the atomic op returns (Intel SDM vol. 3A 8.1.2). */
#include "target-i386/translate.h"

enum { OP_ADD, OP_OR, OP_ADC, OP_SBB, OP_AND, OP_SUB, OP_XOR, OP_CMP };

static MemOp lock_mop(DisasContext *s, int ot)
{
    return (MemOp)(ot | MO_LE | s->align);
}

/* ALU op with a memory destination at addr; b canonical. */
void x86_gen_alu_locked(DisasContext *s, int op, int ot, TCGv_i64 addr, TCGv_i64 b)
{
    TCGv_i64 old = tcg_temp_new_i64(), val = tcg_temp_new_i64(), res = tcg_temp_new_i64();
    TCGv_i64 cf = NULL;
    MemOp mop = lock_mop(s, ot);
    TCGTemp *a = tcgv_temp(addr);

    if (op == OP_ADC || op == OP_SBB) {
        cf = tcg_temp_new_i64();
        x86_gen_compute_cf(s, cf);
    }
    switch (op) {
    case OP_OR: tcg_gen_atomic_fetch_or_i64(old, a, b, s->mem_idx, mop); break;
    case OP_AND: tcg_gen_atomic_fetch_and_i64(old, a, b, s->mem_idx, mop); break;
    case OP_XOR: tcg_gen_atomic_fetch_xor_i64(old, a, b, s->mem_idx, mop); break;
    case OP_ADD: tcg_gen_atomic_fetch_add_i64(old, a, b, s->mem_idx, mop); break;
    case OP_ADC:
        tcg_gen_add_i64(val, b, cf);
        tcg_gen_atomic_fetch_add_i64(old, a, val, s->mem_idx, mop);
        break;
    default:    /* SUB, SBB: add the negated operand */
        tcg_gen_neg_i64(val, b);
        if (cf) {
            tcg_gen_sub_i64(val, val, cf);
        }
        tcg_gen_atomic_fetch_add_i64(old, a, val, s->mem_idx, mop);
        break;
    }
    x86_gen_alu_result(op, ot, res, old, b, cf);
    x86_gen_alu_flags(s, op, ot, res, old, b, cf);
}

void x86_gen_incdec_locked(DisasContext *s, int ot, TCGv_i64 addr, bool dec)
{
    TCGv_i64 old = tcg_temp_new_i64(), res = tcg_temp_new_i64(), cf = tcg_temp_new_i64();

    x86_gen_compute_cf(s, cf);
    tcg_gen_atomic_fetch_add_i64(old, tcgv_temp(addr), tcg_constant_i64(dec ? -1 : 1),
                                 s->mem_idx, lock_mop(s, ot));
    tcg_gen_addi_i64(res, old, dec ? -1 : 1);
    x86_gen_ext(ot, res, res, false);
    x86_gen_set_cc(s, (dec ? CC_OP_DEC : CC_OP_INC) + ot, res, cf, NULL);
}

void x86_gen_not_locked(DisasContext *s, int ot, TCGv_i64 addr)
{
    TCGv_i64 old = tcg_temp_new_i64();
    tcg_gen_atomic_fetch_xor_i64(old, tcgv_temp(addr), tcg_constant_i64(ot_mask(ot)),
                                 s->mem_idx, lock_mop(s, ot));
}

/* NEG: load, compute, compare-and-swap until nobody changed the value in between. */
void x86_gen_neg_locked(DisasContext *s, int ot, TCGv_i64 addr)
{
    TCGv_i64 a = tcg_temp_new_tb_i64(), old = tcg_temp_new_tb_i64();
    TCGLabel *retry = gen_new_label();
    MemOp mop = lock_mop(s, ot);

    x86_gen_update_cc_op(s);
    tcg_gen_mov_i64(a, addr);
    x86_gen_ld(s, ot, old, a);
    gen_set_label(retry);
    TCGv_i64 neg = tcg_temp_new_i64(), seen = tcg_temp_new_i64();
    tcg_gen_neg_i64(neg, old);
    tcg_gen_atomic_cmpxchg_i64(seen, tcgv_temp(a), old, neg, s->mem_idx, mop);
    TCGv_i64 expect = tcg_temp_new_i64();
    tcg_gen_mov_i64(expect, old);
    tcg_gen_mov_i64(old, seen);
    tcg_gen_brcond_i64(TCG_COND_NE, seen, expect, retry);
    TCGv_i64 res = tcg_temp_new_i64();
    tcg_gen_neg_i64(res, old);
    x86_gen_ext(ot, res, res, false);
    x86_gen_set_cc(s, CC_OP_SUB + ot, res, old, tcg_constant_i64(0));
}

/* XCHG r, m: returns the old memory value. */
void x86_gen_xchg_mem(DisasContext *s, int ot, TCGv_i64 old, TCGv_i64 addr, TCGv_i64 val)
{
    tcg_gen_atomic_xchg_i64(old, tcgv_temp(addr), val, s->mem_idx, lock_mop(s, ot));
}

/* XADD m, r: the old memory value into ret. */
void x86_gen_xadd_locked(DisasContext *s, int ot, TCGv_i64 ret, TCGv_i64 addr, TCGv_i64 val)
{
    tcg_gen_atomic_fetch_add_i64(ret, tcgv_temp(addr), val, s->mem_idx, lock_mop(s, ot));
}

/* CMPXCHG m, r: the old memory value into old (stored new only if it equalled acc). */
void x86_gen_cmpxchg_locked(DisasContext *s, int ot, TCGv_i64 old, TCGv_i64 addr,
                            TCGv_i64 acc, TCGv_i64 src)
{
    tcg_gen_atomic_cmpxchg_i64(old, tcgv_temp(addr), acc, src, s->mem_idx, lock_mop(s, ot));
}

/* BTS/BTR/BTC (op 1/2/3) on memory: the old value of the operand unit into old. */
void x86_gen_bt_locked(DisasContext *s, int op, int ot, TCGv_i64 old, TCGv_i64 addr,
                       TCGv_i64 mask)
{
    TCGv_i64 inv = tcg_temp_new_i64();
    TCGTemp *a = tcgv_temp(addr);
    MemOp mop = lock_mop(s, ot);

    switch (op) {
    case 1: tcg_gen_atomic_fetch_or_i64(old, a, mask, s->mem_idx, mop); break;
    case 2:
        tcg_gen_not_i64(inv, mask);
        tcg_gen_atomic_fetch_and_i64(old, a, inv, s->mem_idx, mop);
        break;
    default: tcg_gen_atomic_fetch_xor_i64(old, a, mask, s->mem_idx, mop); break;
    }
}

/* CMPXCHG8B (EDX:EAX vs m64, ECX:EBX stored) and CMPXCHG16B (RDX:RAX, RCX:RBX; #GP unless
 * 16-byte aligned), always atomic; ZF = equal; the accumulator pair gets the old value. */
void x86_gen_cmpxchg8b(DisasContext *s, TCGv_i64 addr, bool wide)
{
    TCGv_i64 cmp = tcg_temp_new_i64(), newv = tcg_temp_new_i64(), old = tcg_temp_new_i64();
    TCGv_i64 z = tcg_temp_new_i64(), oldhi = tcg_temp_new_i64(), t = tcg_temp_new_i64();

    TCGv_i64 flags = tcg_temp_new_i64();
    x86_gen_compute_eflags_to(s, flags);
    if (wide) {
        TCGv_i64 eq2 = tcg_temp_new_i64();
        tcg_gen_atomic_cmpxchg128(old, oldhi, tcgv_temp(addr), x86_cpu_regs[R_EAX],
                                  x86_cpu_regs[R_EDX], x86_cpu_regs[R_EBX],
                                  x86_cpu_regs[R_ECX], s->mem_idx,
                                  (MemOp)(MO_64 | MO_LE | MO_ALIGN));
        tcg_gen_setcond_i64(TCG_COND_EQ, z, old, x86_cpu_regs[R_EAX]);
        tcg_gen_setcond_i64(TCG_COND_EQ, eq2, oldhi, x86_cpu_regs[R_EDX]);
        tcg_gen_and_i64(z, z, eq2);
        tcg_gen_mov_i64(x86_cpu_regs[R_EAX], old);
        tcg_gen_mov_i64(x86_cpu_regs[R_EDX], oldhi);
    } else {
        tcg_gen_deposit_i64(cmp, x86_cpu_regs[R_EAX], x86_cpu_regs[R_EDX], 32, 32);
        tcg_gen_deposit_i64(newv, x86_cpu_regs[R_EBX], x86_cpu_regs[R_ECX], 32, 32);
        tcg_gen_atomic_cmpxchg_i64(old, tcgv_temp(addr), cmp, newv, s->mem_idx,
                                   (MemOp)(MO_64 | MO_LE | s->align));
        tcg_gen_setcond_i64(TCG_COND_EQ, z, old, cmp);
        /* EDX:EAX = the old value only when it differed (32-bit writes: zero-extend) */
        tcg_gen_ext32u_i64(t, old);
        tcg_gen_movcond_i64(TCG_COND_EQ, x86_cpu_regs[R_EAX], z, tcg_constant_i64(0), t,
                            x86_cpu_regs[R_EAX]);
        tcg_gen_shri_i64(t, old, 32);
        tcg_gen_movcond_i64(TCG_COND_EQ, x86_cpu_regs[R_EDX], z, tcg_constant_i64(0), t,
                            x86_cpu_regs[R_EDX]);
    }
    tcg_gen_andi_i64(flags, flags, ~(uint64_t)X86_EFLAGS_ZF);
    tcg_gen_shli_i64(z, z, 6);
    tcg_gen_or_i64(x86_cpu_cc_src, flags, z);
    x86_set_cc_op(s, CC_OP_EFLAGS);
}
