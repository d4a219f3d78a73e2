/* x86 shifts and rotates for the translator: group 2 (ROL ROR RCL RCR SHL SHR SAL SAR) by
 * 1, imm8 or CL, and SHLD/SHRD (Intel SDM vol. 2). The count is masked to 5 bits (6 with
 * 64-bit operands); a zero count changes nothing, flags included: with a CL count the
 * operation is branched around at run time and cc_op becomes dynamic after it. */
#include "target-i386/helper.h"
#include "target-i386/translate.h"

enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR };

static unsigned count_mask(int ot)
{
    return ot == MO_64 ? 63 : 31;
}

/* The count in CL, masked. */
static TCGv_i64 gen_cl_count(int ot)
{
    TCGv_i64 c = tcg_temp_new_i64();
    tcg_gen_andi_i64(c, x86_cpu_regs[R_ECX], count_mask(ot));
    return c;
}

/* A count of 0 in CL changes nothing, flags included: branch around the operation (whose
 * temps must be made after this point); gen_end_skip joins, cc_op being dynamic after. */
/* A memory operand is read and written back even for a count of 0 (the write faults on a
 * read-only page as on hardware). */
static void gen_touch_rm(DisasContext *s, int ot)
{
    if (s->mod != 3) {
        TCGv_i64 addr;
        TCGv_i64 v = x86_gen_ld_rm(s, ot, &addr);
        x86_gen_st(s, ot, v, addr);
    }
}

static TCGLabel *gen_skip_zero_cl(DisasContext *s, int ot)
{
    TCGLabel *skip = gen_new_label();
    gen_touch_rm(s, ot);
    x86_gen_update_cc_op(s);
    tcg_gen_brcondi_i64(TCG_COND_EQ, gen_cl_count(ot), 0, skip);
    return skip;
}

static void gen_end_skip(DisasContext *s, TCGLabel *skip)
{
    x86_gen_update_cc_op(s);
    gen_set_label(skip);
    x86_set_cc_op(s, CC_OP_DYNAMIC);
}

/* SHL/SHR/SAR of canonical v by count (1..mask, a temp): stores the result (at addr, or
 * the rm register), then records the flags (after the store, which may fault). */
static void gen_shift_body(DisasContext *s, int op, int ot, TCGv_i64 v, TCGv_i64 count,
                           TCGv_i64 res, TCGv_i64 addr)
{
    TCGv_i64 c1 = tcg_temp_new_i64(), last = tcg_temp_new_i64();

    tcg_gen_subi_i64(c1, count, 1);
    if (op == SH_SHL || op == SH_SAL) {
        tcg_gen_shl_i64(last, v, c1);
        tcg_gen_shl_i64(res, v, count);
        x86_gen_ext(ot, last, last, false);
        x86_gen_ext(ot, res, res, false);
        x86_gen_st_rm_canon(s, ot, res, addr);
        x86_gen_set_cc(s, CC_OP_SHL + ot, res, last, NULL);
        return;
    }
    if (op == SH_SAR) {
        x86_gen_ext(ot, v, v, true);
        tcg_gen_sar_i64(last, v, c1);
        tcg_gen_sar_i64(res, v, count);
        x86_gen_ext(ot, last, last, false);
        x86_gen_ext(ot, res, res, false);
    } else {
        tcg_gen_shr_i64(last, v, c1);
        tcg_gen_shr_i64(res, v, count);
    }
    x86_gen_st_rm_canon(s, ot, res, addr);
    x86_gen_set_cc(s, CC_OP_SAR + ot, res, last, NULL);
}

/* ROL/ROR of canonical v by count (masked, not zero): stores the result, then CF and OF. */
static void gen_rotate_body(DisasContext *s, int op, int ot, TCGv_i64 v, TCGv_i64 count,
                            TCGv_i64 res, TCGv_i64 addr)
{
    int bits = ot_bits(ot);
    TCGv_i64 r = tcg_temp_new_i64(), t = tcg_temp_new_i64(), f = tcg_temp_new_i64();
    TCGv_i64 cf = tcg_temp_new_i64(), of = tcg_temp_new_i64();

    tcg_gen_andi_i64(r, count, bits - 1);
    if (op == SH_ROR) {
        tcg_gen_neg_i64(r, r);
        tcg_gen_andi_i64(r, r, bits - 1);
    }
    /* rotate left by r within bits: (v << r) | (v >> (bits - r)) */
    tcg_gen_shl_i64(res, v, r);
    tcg_gen_movi_i64(t, bits);
    tcg_gen_sub_i64(t, t, r);
    tcg_gen_shr_i64(t, v, t);
    if (ot == MO_64) {
        tcg_gen_rotl_i64(res, v, r);
    } else {
        tcg_gen_or_i64(res, res, t);
        x86_gen_ext(ot, res, res, false);
    }
    if (op == SH_ROL) {
        tcg_gen_andi_i64(cf, res, 1);
        tcg_gen_shri_i64(of, res, bits - 1);
        tcg_gen_xor_i64(of, of, cf);
    } else {
        tcg_gen_shri_i64(cf, res, bits - 1);
        tcg_gen_shri_i64(of, res, bits - 2);
        tcg_gen_xor_i64(of, of, cf);
    }
    tcg_gen_andi_i64(of, of, 1);
    x86_gen_st_rm_canon(s, ot, res, addr);
    x86_gen_compute_eflags_to(s, f);
    tcg_gen_andi_i64(f, f, ~(uint64_t)(X86_EFLAGS_CF | X86_EFLAGS_OF));
    tcg_gen_or_i64(f, f, cf);
    tcg_gen_shli_i64(of, of, 11);
    tcg_gen_or_i64(f, f, of);
    tcg_gen_mov_i64(x86_cpu_cc_src, f);
    x86_set_cc_op(s, CC_OP_EFLAGS);
}

/* RCL/RCR through the helper (count may be 0: the helper leaves everything). */
static void gen_rcx(DisasContext *s, int op, int ot, TCGv_i64 count)
{
    TCGv_i64 addr, res = tcg_temp_new_i64();

    TCGv_i64 v = x86_gen_ld_rm(s, ot, &addr);
    if (addr) {
        /* the helper changes the flags: make sure the final store cannot fault */
        x86_gen_st(s, ot, v, addr);
    }
    x86_gen_compute_eflags(s);
    x86_gen_helper(op == SH_RCL ? &x86_info_rcl : &x86_info_rcr, tcgv_temp(res), 4,
               tcgv_temp(tcg_env), tcgv_temp(v), tcgv_temp(count),
               tcgv_temp(tcg_constant_i32(ot)));
    x86_gen_st_rm_canon(s, ot, res, addr);
}

/* The operation on the rm operand by a count known not to be zero. */
static void gen_shift_rm(DisasContext *s, int op, int ot, TCGv_i64 count)
{
    TCGv_i64 addr, res = tcg_temp_new_i64();
    TCGv_i64 v = x86_gen_ld_rm(s, ot, &addr);

    if (op == SH_ROL || op == SH_ROR) {
        gen_rotate_body(s, op, ot, v, count, res, addr);
    } else {
        gen_shift_body(s, op, ot, v, count, res, addr);
    }
}

void x86_emit_shift(DisasContext *s, const X86OpEntry *e)
{
    int op = (s->modrm >> 3) & 7, ot = s->ot;

    if (ot == MO_32 && s->mod == 3) {
        /* a 32-bit register operand is written (zero-extended) even for a count of 0 */
        tcg_gen_ext32u_i64(x86_cpu_regs[s->rm], x86_cpu_regs[s->rm]);
    }
    if (e->arg != 2) {
        unsigned c = (e->arg == 1 ? 1 : (unsigned)s->imm) & count_mask(ot);
        if (op == SH_RCL || op == SH_RCR) {
            gen_rcx(s, op, ot, tcg_constant_i64(c));
        } else if (c) {
            gen_shift_rm(s, op, ot, tcg_constant_i64(c));
        } else {
            gen_touch_rm(s, ot);
        }
        return;
    }
    if (op == SH_RCL || op == SH_RCR) {
        gen_rcx(s, op, ot, gen_cl_count(ot));
        return;
    }
    TCGLabel *skip = gen_skip_zero_cl(s, ot);
    gen_shift_rm(s, op, ot, gen_cl_count(ot));
    gen_end_skip(s, skip);
}

/* ---- SHLD / SHRD -------------------------------------------------------------------------- */

/* dst = dst shifted by count (1..mask) with bits of src shifted in. */
static void gen_shxd_body(DisasContext *s, bool right, int ot, TCGv_i64 count)
{
    TCGv_i64 addr, src = tcg_temp_new_i64(), res = tcg_temp_new_i64();
    TCGv_i64 c1 = tcg_temp_new_i64(), last = tcg_temp_new_i64();
    TCGv_i64 dst = x86_gen_ld_rm(s, ot, &addr);

    x86_gen_op_mov_v_reg(s, ot, src, s->reg);
    tcg_gen_subi_i64(c1, count, 1);
    if (ot == MO_64) {
        TCGv_i64 t = tcg_temp_new_i64(), rc = tcg_temp_new_i64();
        tcg_gen_movi_i64(rc, 64);
        tcg_gen_sub_i64(rc, rc, count);
        right ? tcg_gen_shr_i64(res, dst, count) : tcg_gen_shl_i64(res, dst, count);
        right ? tcg_gen_shl_i64(t, src, rc) : tcg_gen_shr_i64(t, src, rc);
        tcg_gen_or_i64(res, res, t);
    } else {
        /* both in one 64-bit value: dst above src (left) or src above dst (right) */
        int bits = ot_bits(ot);
        TCGv_i64 comb = tcg_temp_new_i64();
        if (right) {
            tcg_gen_deposit_i64(comb, dst, src, bits, bits);
            tcg_gen_shr_i64(res, comb, count);
        } else {
            tcg_gen_deposit_i64(comb, src, dst, bits, bits);
            tcg_gen_shl_i64(res, comb, count);
            tcg_gen_shri_i64(res, res, bits);
        }
        x86_gen_ext(ot, res, res, false);
    }
    right ? tcg_gen_shr_i64(last, dst, c1) : tcg_gen_shl_i64(last, dst, c1);
    x86_gen_ext(ot, last, last, false);
    x86_gen_st_rm_canon(s, ot, res, addr);
    x86_gen_set_cc(s, (right ? CC_OP_SAR : CC_OP_SHL) + ot, res, last, NULL);
}

void x86_emit_shld(DisasContext *s, const X86OpEntry *e)
{
    bool right = e->arg >= 2, by_cl = e->arg & 1;
    int ot = s->ot;

    if (ot == MO_32 && s->mod == 3) {
        tcg_gen_ext32u_i64(x86_cpu_regs[s->rm], x86_cpu_regs[s->rm]);
    }
    if (!by_cl) {
        unsigned c = (unsigned)s->imm & count_mask(ot);
        if (c) {
            gen_shxd_body(s, right, ot, tcg_constant_i64(c));
        } else {
            gen_touch_rm(s, ot);
        }
        return;
    }
    TCGLabel *skip = gen_skip_zero_cl(s, ot);
    gen_shxd_body(s, right, ot, gen_cl_count(ot));
    gen_end_skip(s, skip);
}
