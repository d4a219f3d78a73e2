/* x86 bit and atomic-style instructions for the translator: BT/BTS/BTR/BTC (register and
 * immediate bit offsets, memory bit strings), BSF/BSR, TZCNT/LZCNT, POPCNT, XADD,
 * CMPXCHG, CMPXCHG8B/16B, ADCX/ADOX, RDRAND/RDSEED, BOUND, and the undefined-opcode
 * forms (Intel SDM vol. 2). */
#include "target-i386/cpuid.h"
#include "target-i386/helper.h"
#include "target-i386/helper-sys.h"
#include "target-i386/translate.h"

/* CF = bit, the other flags kept (ZF is defined unchanged; OF SF AF PF undefined). */
static void gen_set_cf_only(DisasContext *s, TCGv_i64 bit)
{
    x86_gen_compute_eflags(s);
    tcg_gen_andi_i64(x86_cpu_cc_src, x86_cpu_cc_src, ~(uint64_t)X86_EFLAGS_CF);
    tcg_gen_or_i64(x86_cpu_cc_src, x86_cpu_cc_src, bit);
}

/* op: 0 BT, 1 BTS, 2 BTR, 3 BTC; idx: the bit offset (a register's value or an imm). */
static void gen_bt(DisasContext *s, int op, TCGv_i64 idx, bool reg_index)
{
    int ot = s->ot, bits = ot_bits(ot);
    TCGv_i64 addr = NULL, v = tcg_temp_new_i64(), bit = tcg_temp_new_i64();
    TCGv_i64 n = tcg_temp_new_i64(), mask = tcg_temp_new_i64();

    if (s->mod == 3) {
        x86_gen_op_mov_v_reg(s, ot, v, s->rm);
    } else {
        TCGv_i64 off = x86_gen_ea_offset(s);
        if (reg_index) {
            /* a signed bit offset: the operand is (idx >> log2 bits) units further */
            TCGv_i64 d = tcg_temp_new_i64();
            x86_gen_ext(ot, d, idx, true);
            tcg_gen_sari_i64(d, d, 3 + ot);
            tcg_gen_shli_i64(d, d, ot);
            tcg_gen_add_i64(off, off, d);
        }
        addr = x86_gen_lea_seg(s, off, s->ea_seg, true);
        if (!(op && (s->prefix & PREFIX_LOCK))) {
            x86_gen_ld(s, ot, v, addr);
        }
    }
    tcg_gen_andi_i64(n, idx, bits - 1);
    if (op && addr && (s->prefix & PREFIX_LOCK)) {
        tcg_gen_shl_i64(mask, tcg_constant_i64(1), n);
        x86_gen_bt_locked(s, op, ot, v, addr, mask);
        tcg_gen_shr_i64(bit, v, n);
        tcg_gen_andi_i64(bit, bit, 1);
        gen_set_cf_only(s, bit);
        return;
    }
    tcg_gen_shr_i64(bit, v, n);
    tcg_gen_andi_i64(bit, bit, 1);
    if (op) {
        tcg_gen_shl_i64(mask, tcg_constant_i64(1), n);
        switch (op) {
        case 1: tcg_gen_or_i64(v, v, mask); break;
        case 2: tcg_gen_andc_i64(v, v, mask); break;
        default: tcg_gen_xor_i64(v, v, mask); break;
        }
        x86_gen_st_rm(s, ot, v, addr);
    }
    gen_set_cf_only(s, bit);
}

void x86_emit_bt(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 idx = tcg_temp_new_i64();
    if ((s->prefix & PREFIX_LOCK) && e->arg == 0) {
        x86_gen_illegal(s);
        return;
    }
    x86_gen_op_mov_v_reg(s, s->ot, idx, s->reg);
    gen_bt(s, e->arg, idx, true);
}

void x86_emit_bt_imm(DisasContext *s, const X86OpEntry *e)
{
    int op = (s->modrm >> 3) & 7;
    if (op < 4 || ((s->prefix & PREFIX_LOCK) && op == 4)) {
        x86_gen_illegal(s);
        return;
    }
    gen_bt(s, op - 4, tcg_constant_i64(s->imm), false);
}

/* BSF/BSR (ZF = source is zero, destination unchanged then); with F3: TZCNT/LZCNT. */
void x86_emit_bsf(DisasContext *s, const X86OpEntry *e)
{
    int ot = s->ot, bits = ot_bits(ot);
    TCGv_i64 src = x86_gen_ld_rm(s, ot, NULL), res = tcg_temp_new_i64();
    /* F3 0F BC/BD are TZCNT/LZCNT only on CPUs offering them, else BSF/BSR */
    bool cnt = (s->prefix & PREFIX_REPZ) &&
               (e->arg ? x86_has_feature(x86_cpu(s->cpu), FEAT_8000_0001_ECX, CPUID_EXT3_ABM)
                       : x86_has_feature(x86_cpu(s->cpu), FEAT_7_0_EBX, CPUID_7_0_EBX_BMI1));

    if (cnt) {
        TCGv_i64 cf = tcg_temp_new_i64();
        if (e->arg == 0) {
            tcg_gen_ctzi_i64(res, src, bits);
        } else {
            tcg_gen_clzi_i64(res, src, 64);
            tcg_gen_subi_i64(res, res, 64 - bits);
        }
        tcg_gen_setcondi_i64(TCG_COND_EQ, cf, src, 0);
        x86_gen_op_mov_reg_v(s, ot, s->reg, res);
        x86_gen_set_cc(s, CC_OP_BMI + ot, res, cf, NULL);
        return;
    }
    if (e->arg == 0) {
        tcg_gen_ctzi_i64(res, src, 0);
    } else {
        tcg_gen_clzi_i64(res, src, 0);
        tcg_gen_xori_i64(res, res, 63);
    }
    TCGv_i64 full = tcg_temp_new_i64(), old = tcg_temp_new_i64();
    tcg_gen_mov_i64(old, x86_cpu_regs[s->reg]);
    x86_gen_op_mov_reg_v(s, ot, s->reg, res);
    tcg_gen_mov_i64(full, x86_cpu_regs[s->reg]);
    tcg_gen_movcond_i64(TCG_COND_EQ, x86_cpu_regs[s->reg], src, tcg_constant_i64(0), old, full);
    x86_gen_set_cc(s, CC_OP_LOGIC + ot, src, NULL, NULL);
}

void x86_emit_popcnt(DisasContext *s, const X86OpEntry *e)
{
    if (!(s->prefix & PREFIX_REPZ)) {
        x86_gen_illegal(s);
        return;
    }
    if (!x86_need_feature(s, FEAT_1_ECX, CPUID_EXT_POPCNT)) {
        return;
    }
    TCGv_i64 src = x86_gen_ld_rm(s, s->ot, NULL), res = tcg_temp_new_i64();
    tcg_gen_ctpop_i64(res, src);
    x86_gen_op_mov_reg_v(s, s->ot, s->reg, res);
    tcg_gen_setcondi_i64(TCG_COND_EQ, x86_cpu_cc_src, src, 0);
    tcg_gen_shli_i64(x86_cpu_cc_src, x86_cpu_cc_src, 6);    /* ZF */
    x86_set_cc_op(s, CC_OP_EFLAGS);
}

void x86_emit_xadd(DisasContext *s, const X86OpEntry *e)
{
    int ot = s->ot;
    TCGv_i64 addr, src = tcg_temp_new_i64(), sum = tcg_temp_new_i64();

    x86_gen_op_mov_v_reg(s, ot, src, s->reg);
    if (s->prefix & PREFIX_LOCK) {
        TCGv_i64 old = tcg_temp_new_i64();
        x86_gen_xadd_locked(s, ot, old, x86_gen_lea_modrm(s), src);
        tcg_gen_add_i64(sum, old, src);
        x86_gen_ext(ot, sum, sum, false);
        x86_gen_op_mov_reg_canon(s, ot, s->reg, old);
        x86_gen_set_cc(s, CC_OP_ADD + ot, sum, src, NULL);
        return;
    }
    TCGv_i64 dst = x86_gen_ld_rm(s, ot, &addr);
    tcg_gen_add_i64(sum, dst, src);
    x86_gen_ext(ot, sum, sum, false);
    if (s->mod != 3) {
        x86_gen_st(s, ot, sum, addr);
    }
    x86_gen_op_mov_reg_v(s, ot, s->reg, dst);
    if (s->mod == 3) {
        x86_gen_op_mov_reg_v(s, ot, s->rm, sum);
    }
    x86_gen_set_cc(s, CC_OP_ADD + ot, sum, src, NULL);
}

/* CMPXCHG: the accumulator is written only when the comparison fails, a register
 * destination only when it succeeds (a memory destination always: a locked RMW). */
void x86_emit_cmpxchg(DisasContext *s, const X86OpEntry *e)
{
    int ot = s->ot;
    TCGv_i64 addr, acc = tcg_temp_new_i64(), src = tcg_temp_new_i64();
    TCGv_i64 diff = tcg_temp_new_i64(), old = tcg_temp_new_i64(), full = tcg_temp_new_i64();

    x86_gen_op_mov_v_reg(s, ot, acc, R_EAX);
    x86_gen_op_mov_v_reg(s, ot, src, s->reg);
    TCGv_i64 dst;
    if (s->prefix & PREFIX_LOCK) {
        dst = tcg_temp_new_i64();
        x86_gen_cmpxchg_locked(s, ot, dst, x86_gen_lea_modrm(s), acc, src);
        addr = NULL;
    } else {
        dst = x86_gen_ld_rm(s, ot, &addr);
    }
    tcg_gen_sub_i64(diff, acc, dst);
    x86_gen_ext(ot, diff, diff, false);
    if (s->mod != 3 && addr) {
        TCGv_i64 newv = tcg_temp_new_i64();
        tcg_gen_movcond_i64(TCG_COND_EQ, newv, acc, dst, src, dst);
        x86_gen_st(s, ot, newv, addr);
    }
    tcg_gen_mov_i64(old, x86_cpu_regs[R_EAX]);
    x86_gen_op_mov_reg_v(s, ot, R_EAX, dst);
    tcg_gen_mov_i64(full, x86_cpu_regs[R_EAX]);
    tcg_gen_movcond_i64(TCG_COND_EQ, x86_cpu_regs[R_EAX], acc, dst, old, full);
    if (s->mod == 3) {
        /* the whole register holding the destination (AH..BH live in RAX..RBX) */
        int full = (ot == MO_8 && s->rm >= 4 && s->rm < 8 && !(s->prefix & PREFIX_REX))
                   ? s->rm - 4 : s->rm;
        TCGv_i64 rold = tcg_temp_new_i64(), rnew = tcg_temp_new_i64();
        tcg_gen_mov_i64(rold, x86_cpu_regs[full]);
        x86_gen_op_mov_reg_v(s, ot, s->rm, src);
        tcg_gen_mov_i64(rnew, x86_cpu_regs[full]);
        tcg_gen_movcond_i64(TCG_COND_EQ, x86_cpu_regs[full], acc, dst, rnew, rold);
    }
    x86_gen_set_cc(s, CC_OP_SUB + ot, diff, dst, acc);
}

static void gen_rdrand(DisasContext *s)
{
    TCGv_i64 v = tcg_temp_new_i64();
    x86_gen_helper(&x86_info_rdrand, tcgv_temp(v), 1, tcgv_temp(tcg_env));
    x86_gen_op_mov_reg_v(s, s->dflag, s->rm, v);
    tcg_gen_movi_i64(x86_cpu_cc_src, X86_EFLAGS_CF);
    x86_set_cc_op(s, CC_OP_EFLAGS);
}

/* 0F C7: /1 CMPXCHG8B/16B, /6 RDRAND, /7 RDSEED. */
void x86_emit_grp9(DisasContext *s, const X86OpEntry *e)
{
    int op = (s->modrm >> 3) & 7;

    if (op == 1 && s->mod != 3) {
        if (!(s->dflag == MO_64 ? x86_need_feature(s, FEAT_1_ECX, CPUID_EXT_CX16)
                                : x86_need_feature(s, FEAT_1_EDX, CPUID_CX8))) {
            return;
        }
        if (s->dflag == MO_64) {
            /* CMPXCHG16B: #GP(0), not #AC, for an operand not aligned on 16 bytes */
            TCGLabel *ok = gen_new_label();
            TCGv_i64 low = tcg_temp_new_i64();
            x86_gen_update_cc_op(s);
            tcg_gen_andi_i64(low, x86_gen_lea_modrm(s), 15);
            tcg_gen_brcondi_i64(TCG_COND_EQ, low, 0, ok);
            x86_gen_exception_err(s, EXCP_GP, 0);
            gen_set_label(ok);
            s->is_jmp = DISAS_NEXT;
        }
        x86_gen_cmpxchg8b(s, x86_gen_lea_modrm(s), s->dflag == MO_64);
        return;
    }
    if (op == 4 && s->mod != 3) {
        x86_emit_xsave(s, e);       /* XSAVEC (translate-xsave.c) */
        return;
    }
    if ((op == 6 || op == 7) && s->mod == 3 && !(s->prefix & (PREFIX_LOCK | PREFIX_REPZ))) {
        if (op == 6 ? x86_need_feature(s, FEAT_1_ECX, CPUID_EXT_RDRAND)
                    : x86_need_feature(s, FEAT_7_0_EBX, CPUID_7_0_EBX_RDSEED)) {
            gen_rdrand(s);
        }
        return;
    }
    x86_gen_illegal(s);
}

void x86_emit_rdrand(DisasContext *s, const X86OpEntry *e)
{
    gen_rdrand(s);
}

/* 0F 38 F6: ADCX (66) adds with CF, ADOX (F3) with OF; no other flag changes. */
void x86_emit_adx(DisasContext *s, const X86OpEntry *e)
{
    bool adox = s->prefix & PREFIX_REPZ;
    int ot = s->dflag == MO_64 ? MO_64 : MO_32, bit = adox ? 11 : 0;
    TCGv_i64 a = tcg_temp_new_i64(), c = tcg_temp_new_i64(), res = tcg_temp_new_i64();
    TCGv_i64 cout = tcg_temp_new_i64();

    if (!(s->prefix & (PREFIX_DATA | PREFIX_REPZ)) || (s->prefix & PREFIX_REPNZ)) {
        x86_gen_illegal(s);
        return;
    }
    if (!x86_need_feature(s, FEAT_7_0_EBX, CPUID_7_0_EBX_ADX)) {
        return;
    }
    TCGv_i64 b = x86_gen_ld_rm(s, ot, NULL);
    x86_gen_op_mov_v_reg(s, ot, a, s->reg);
    x86_gen_compute_eflags(s);
    tcg_gen_extract_i64(c, x86_cpu_cc_src, bit, 1);
    if (ot == MO_64) {
        TCGv_i64 zero = tcg_constant_i64(0);
        tcg_gen_add2_i64(res, cout, a, zero, b, zero);
        tcg_gen_add2_i64(res, cout, res, cout, c, zero);
    } else {
        tcg_gen_add_i64(res, a, b);
        tcg_gen_add_i64(res, res, c);
        tcg_gen_shri_i64(cout, res, 32);
    }
    x86_gen_op_mov_reg_v(s, ot, s->reg, res);
    tcg_gen_deposit_i64(x86_cpu_cc_src, x86_cpu_cc_src, cout, bit, 1);
}

void x86_emit_bound(DisasContext *s, const X86OpEntry *e)
{
    int ot = s->dflag;
    TCGv_i64 a = x86_gen_lea_modrm(s), a2 = tcg_temp_new_i64(), idx = tcg_temp_new_i64();
    TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64(), bad = tcg_temp_new_i64();
    TCGLabel *ok = gen_new_label();

    x86_gen_ld_sign(s, ot, lo, a);
    tcg_gen_addi_i64(a2, a, 1 << ot);
    tcg_gen_ext32u_i64(a2, a2);
    x86_gen_ld_sign(s, ot, hi, a2);
    x86_gen_ext(ot, idx, x86_cpu_regs[s->reg], true);
    tcg_gen_setcond_i64(TCG_COND_LT, bad, idx, lo);
    tcg_gen_setcond_i64(TCG_COND_GT, lo, idx, hi);
    tcg_gen_or_i64(bad, bad, lo);
    x86_gen_update_cc_op(s);
    tcg_gen_brcondi_i64(TCG_COND_EQ, bad, 0, ok);
    x86_gen_exception(s, EXCP_BR);
    gen_set_label(ok);
    s->is_jmp = DISAS_NEXT;
}

/* arg: 0 UD2, 1 UD1, 2 UD0 */
void x86_emit_ud(DisasContext *s, const X86OpEntry *e)
{
    x86_gen_illegal(s);
}

/* 0F AE: fences and CLFLUSH (no-ops on this memory model: x86 host order, TLB-coherent
 * caches); RD/WR FS/GS BASE in 64-bit mode; FXSAVE/FXRSTOR in translate-fpu.c. */
void x86_emit_grp15(DisasContext *s, const X86OpEntry *e)
{
    int op = (s->modrm >> 3) & 7;

    if (s->mod == 3 && (s->prefix & PREFIX_REPZ) && s->code64 && op < 4) {
        int seg = (op & 1) ? R_GS : R_FS, ot = s->dflag == MO_64 ? MO_64 : MO_32;
        if (!(s->flags & HF_FSGSBASE)) {
            x86_gen_illegal(s);
        } else if (op < 2) {
            x86_gen_op_mov_reg_v(s, ot, s->rm, x86_cpu_seg_base[seg]);
        } else {
            TCGv_i64 v = tcg_temp_new_i64();
            x86_gen_ext(ot, v, x86_cpu_regs[s->rm], false);
            x86_gen_update_cc_op(s);
            x86_gen_helper(&x86_info_wrfsgsbase, NULL, 3, tcgv_temp(tcg_env),
                       tcgv_temp(tcg_constant_i32(seg)), tcgv_temp(v));
        }
        return;
    }
    if (s->mod != 3 && op >= 4 && op <= 6) {
        x86_emit_xsave(s, e);       /* XSAVE XRSTOR XSAVEOPT (translate-xsave.c) */
        return;
    }
    if (s->mod != 3 && op < 2 && !(s->prefix & (PREFIX_REPZ | PREFIX_REPNZ))) {
        x86_gen_fxsave(s, op);
        return;
    }
    if (s->mod == 3 && op >= 5 && !(s->prefix & (PREFIX_REPZ | PREFIX_REPNZ))) {
        tcg_gen_mb(TCG_MO_ALL | TCG_BAR_SC);
        return;
    }
    if (s->mod != 3 && op == 7 && !(s->prefix & (PREFIX_REPZ | PREFIX_REPNZ))) {
        return;     /* CLFLUSH / CLFLUSHOPT */
    }
    if (s->mod != 3 && (op == 2 || op == 3) && !(s->prefix & (PREFIX_REPZ | PREFIX_REPNZ))) {
        x86_emit_sse_mxcsr(s, op);
        return;
    }
    x86_gen_illegal(s);
}

void x86_emit_pause(DisasContext *s, const X86OpEntry *e)
{
}
