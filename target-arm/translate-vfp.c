/* VFPv3-D32 / VFPv4 decoding (ARM ARM DDI0406C A7.5-A7.9): data processing (arithmetic,
 * fused multiply-add, VMOV immediate/register, VABS, VNEG, VSQRT, VCMP(E), conversions),
 * 32- and 64-bit transfers between core and extension registers, VMRS/VMSR, and
 * VLDR/VSTR/VLDM/VSTM (VPUSH/VPOP). T32 encodings arrive converted to the A32 form.
 * Arithmetic is in vfp-helper.c; register moves are inline. Advanced SIMD data processing
 * and element/structure loads and stores are one helper call each (neon-helper.c,
 * neon-ldst.c). */
#include <stddef.h>
#include "target-arm/translate.h"
#include "target-arm/neon-helper.h"
#include "target-arm/vfp-helper.h"

#define BITS(x, hi, lo) ((int)(((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1)))
#define BIT(x, n) ((int)(((x) >> (n)) & 1))

/* Register numbers: S = Vx:X, D = X:Vx. */
static int vreg(uint32_t insn, int lo, int xbit, bool dp)
{
    int v = BITS(insn, lo + 3, lo), x = BIT(insn, xbit);
    return dp ? x << 4 | v : v << 1 | x;
}
#define VD(dp) vreg(insn, 12, 22, dp)
#define VN(dp) vreg(insn, 16, 7, dp)
#define VM(dp) vreg(insn, 0, 5, dp)

static intptr_t sreg_ofs(int n)
{
    return offsetof(ARMCPU, vfp_d) + 8 * (n >> 1) + 4 * (n & 1);
}

static intptr_t dreg_ofs(int n)
{
    return offsetof(ARMCPU, vfp_d) + 8 * n;
}

/* Values of either precision travel as i64 (singles zero-extended). */
static TCGv_i64 vload(int n, bool dp)
{
    TCGv_i64 v = tcg_temp_new_i64();
    if (dp) {
        tcg_gen_ld_i64(v, tcg_env, dreg_ofs(n));
    } else {
        tcg_gen_ld32u_i64(v, tcg_env, sreg_ofs(n));
    }
    return v;
}

static void vstore(int n, bool dp, TCGv_i64 v)
{
    if (dp) {
        tcg_gen_st_i64(v, tcg_env, dreg_ofs(n));
    } else {
        tcg_gen_st32_i64(v, tcg_env, sreg_ofs(n));
    }
}

static TCGv_i32 to32(TCGv_i64 v)
{
    TCGv_i32 t = tcg_temp_new_i32();
    tcg_gen_extrl_i64_i32(t, v);
    return t;
}

static TCGv_i64 to64(TCGv_i32 v)
{
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_extu_i32_i64(t, v);
    return t;
}

/* ---- arithmetic ------------------------------------------------------------------------------ */

static TCGv_i64 gen_vfp_op(bool dp, int op, TCGv_i64 n, TCGv_i64 m, TCGv_i64 d)
{
    TCGv_i64 r = tcg_temp_new_i64();
    if (dp) {
        TCGTemp *args[5] = { tcgv_temp(tcg_env), tcgv_temp(n), tcgv_temp(m), tcgv_temp(d),
                             tcgv_temp(tcg_constant_i32(op)) };
        tcg_gen_callN(&helper_info_vfp_op_d, tcgv_temp(r), args);
    } else {
        TCGv_i32 r32 = tcg_temp_new_i32();
        TCGTemp *args[5] = { tcgv_temp(tcg_env), tcgv_temp(to32(n)), tcgv_temp(to32(m)),
                             tcgv_temp(to32(d)), tcgv_temp(tcg_constant_i32(op)) };
        tcg_gen_callN(&helper_info_vfp_op_s, tcgv_temp(r32), args);
        tcg_gen_extu_i32_i64(r, r32);
    }
    return r;
}

static TCGv_i64 gen_cvt(TCGv_i64 v, uint32_t code)
{
    TCGv_i64 r = tcg_temp_new_i64();
    TCGTemp *args[3] = { tcgv_temp(tcg_env), tcgv_temp(v), tcgv_temp(tcg_constant_i32(code)) };
    tcg_gen_callN(&helper_info_vfp_cvt, tcgv_temp(r), args);
    return r;
}

/* opc1 (bits 23, 21, 20) and bit 6 of the three-operand forms. */
static int dp3_op(uint32_t insn)
{
    static const int ops[16] = {
        [0x0] = VFP_MLA, [0x1] = VFP_MLS, [0x2] = VFP_NMLS, [0x3] = VFP_NMLA,
        [0x4] = VFP_MUL, [0x5] = VFP_NMUL, [0x6] = VFP_ADD, [0x7] = VFP_SUB,
        [0x8] = VFP_DIV, [0x9] = -1, [0xa] = VFP_FNMS, [0xb] = VFP_FNMA,
        [0xc] = VFP_FMA, [0xd] = VFP_FMS,
    };
    int opc1 = BIT(insn, 23) << 2 | BITS(insn, 21, 20);
    return ops[opc1 << 1 | BIT(insn, 6)];
}

static uint64_t vfp_expand_imm(uint32_t imm8, bool dp)
{
    uint64_t sign = imm8 >> 7, b = (imm8 >> 6) & 1, rest = imm8 & 0x3f;
    if (dp) {
        return sign << 63 | (b ? 0x3fc0000000000000ull : 0x4000000000000000ull) | rest << 48;
    }
    return sign << 31 | (b ? 0x3e000000u : 0x40000000u) | rest << 19;
}

static bool vfp_cmp(DisasContext *s, uint32_t insn, bool dp, bool with_zero)
{
    TCGv_i64 d = vload(VD(dp), dp), m = with_zero ? tcg_constant_i64(0) : vload(VM(dp), dp);
    const TCGHelperInfo *info = dp ? &helper_info_vfp_cmp_d : &helper_info_vfp_cmp_s;
    TCGTemp *args[4] = { tcgv_temp(tcg_env), NULL, NULL,
                         tcgv_temp(tcg_constant_i32(BIT(insn, 7))) };
    if (dp) {
        args[1] = tcgv_temp(d);
        args[2] = tcgv_temp(m);
    } else {
        args[1] = tcgv_temp(to32(d));
        args[2] = tcgv_temp(to32(m));
    }
    tcg_gen_callN(info, NULL, args);
    return true;
}

static bool vfp_half(DisasContext *s, uint32_t insn)
{
    bool to_half = BIT(insn, 16), top = BIT(insn, 7);
    TCGv_i32 v = to32(vload(VM(false), false)), r = tcg_temp_new_i32();
    if (BIT(insn, 8)) {
        return false;
    }
    if (to_half) {
        gen_helper(&helper_info_vfp_half, r, 2, v, tcg_constant_i32(1));
        TCGv_i32 d = to32(vload(VD(false), false));
        tcg_gen_deposit_i32(d, d, r, top ? 16 : 0, 16);
        vstore(VD(false), false, to64(d));
    } else {
        tcg_gen_extract_i32(v, v, top ? 16 : 0, 16);
        gen_helper(&helper_info_vfp_half, r, 2, v, tcg_constant_i32(0));
        vstore(VD(false), false, to64(r));
    }
    return true;
}

static bool vfp_convert(DisasContext *s, uint32_t insn, bool dp)
{
    int opc2 = BITS(insn, 19, 16);
    uint32_t code = dp ? VFP_CVT_DOUBLE : 0;
    if (opc2 == 7) {                            /* single <-> double */
        code = dp ? VFP_CVT_D_TO_S : VFP_CVT_S_TO_D;
        vstore(VD(!dp), !dp, gen_cvt(vload(VM(dp), dp), code));
        return true;
    }
    if (opc2 == 8) {                            /* integer to float */
        code |= VFP_CVT_FROM_INT | (BIT(insn, 7) ? VFP_CVT_SIGNED : 0);
        vstore(VD(dp), dp, gen_cvt(vload(VM(false), false), code));
        return true;
    }
    if (opc2 == 12 || opc2 == 13) {             /* float to integer */
        code |= VFP_CVT_TO_INT | (BIT(insn, 16) ? VFP_CVT_SIGNED : 0) |
                (BIT(insn, 7) ? VFP_CVT_RZ : 0);
        vstore(VD(false), false, gen_cvt(vload(VM(dp), dp), code));
        return true;
    }
    if ((opc2 & 0xa) == 0xa) {                  /* fixed point, in place */
        int size = BIT(insn, 7) ? 32 : 16, imm5 = BITS(insn, 3, 0) << 1 | BIT(insn, 5);
        int frac = size - imm5;
        if (frac < 0) {
            return false;
        }
        code |= (BIT(insn, 18) ? VFP_CVT_TO_FIXED : VFP_CVT_FROM_FIXED) |
                (BIT(insn, 16) ? 0 : VFP_CVT_SIGNED) | (size == 16 ? VFP_CVT_HALF : 0) |
                (uint32_t)frac << VFP_CVT_FRAC_SHIFT;
        TCGv_i64 r = gen_cvt(vload(VD(dp), dp), code);
        if (BIT(insn, 18) && dp && !BIT(insn, 16)) {
            tcg_gen_ext32s_i64(r, r);           /* signed: sign-extended to 64 bits */
        }
        vstore(VD(dp), dp, r);
        return true;
    }
    return false;
}

static bool vfp_dp_other(DisasContext *s, uint32_t insn, bool dp)
{
    int opc2 = BITS(insn, 19, 16), opc3 = BITS(insn, 7, 6);
    uint64_t sign = dp ? 1ull << 63 : 1ull << 31;
    TCGv_i64 v;

    if (!(opc3 & 1)) {                          /* VMOV immediate */
        uint32_t imm8 = BITS(insn, 19, 16) << 4 | BITS(insn, 3, 0);
        vstore(VD(dp), dp, tcg_constant_i64(vfp_expand_imm(imm8, dp)));
        return true;
    }
    switch (opc2) {
    case 0: case 1:
        v = vload(VM(dp), dp);
        if (opc2 == 0 && opc3 == 3) {
            tcg_gen_andi_i64(v, v, ~sign);      /* VABS */
        } else if (opc2 == 1 && opc3 == 1) {
            tcg_gen_xori_i64(v, v, sign);       /* VNEG */
        } else if (opc2 == 1) {
            v = gen_vfp_op(dp, VFP_SQRT, v, v, v);
        }
        vstore(VD(dp), dp, v);
        return true;
    case 2: case 3:
        return vfp_half(s, insn);
    case 4: case 5:
        return vfp_cmp(s, insn, dp, opc2 == 5);
    default:
        return vfp_convert(s, insn, dp);
    }
}

static bool vfp_dp(DisasContext *s, uint32_t insn)
{
    bool dp = BIT(insn, 8);
    int opc1 = BIT(insn, 23) << 2 | BITS(insn, 21, 20);
    if (opc1 == 7) {
        return vfp_dp_other(s, insn, dp);
    }
    int op = dp3_op(insn);
    if (op < 0) {
        return false;
    }
    TCGv_i64 n = vload(VN(dp), dp), m = vload(VM(dp), dp), d = vload(VD(dp), dp);
    vstore(VD(dp), dp, gen_vfp_op(dp, op, n, m, d));
    return true;
}

/* ---- transfers ---------------------------------------------------------------------------------- */

static bool vmov_core_single(DisasContext *s, uint32_t insn)
{
    int rt = BITS(insn, 15, 12), sn = VN(false);
    if (rt == 15 || rt == 13) {
        return false;
    }
    if (BIT(insn, 20)) {
        tcg_gen_ld_i32(cpu_R[rt], tcg_env, sreg_ofs(sn));
    } else {
        tcg_gen_st_i32(cpu_R[rt], tcg_env, sreg_ofs(sn));
    }
    return true;
}

/* VMOV between a core register and a scalar Dn[x] of 8, 16 or 32 bits (A8.8.341-342). */
static bool vmov_core_scalar(DisasContext *s, uint32_t insn)
{
    int rt = BITS(insn, 15, 12), dn = VN(true), opc = BITS(insn, 22, 21) << 2 | BITS(insn, 6, 5);
    bool to_core = BIT(insn, 20), u = BIT(insn, 23);
    int size, index;
    if (opc & 8) {
        size = 0, index = opc & 7;
    } else if (opc & 1) {
        size = 1, index = opc >> 1;
    } else if (!(opc & 2)) {
        size = 2, index = opc >> 2;
    } else {
        return false;
    }
    if (rt == 15 || rt == 13 || (!to_core && u) || (size == 2 && u)) {
        return false;
    }
    intptr_t ofs = dreg_ofs(dn) + (index << size);
    if (to_core) {
        TCGv_i32 v = tcg_temp_new_i32();
        if (size == 2) {
            tcg_gen_ld_i32(v, tcg_env, ofs);
        } else if (size == 1 && u) {
            tcg_gen_ld16u_i32(v, tcg_env, ofs);
        } else if (size == 1) {
            tcg_gen_ld16s_i32(v, tcg_env, ofs);
        } else if (u) {
            tcg_gen_ld8u_i32(v, tcg_env, ofs);
        } else {
            tcg_gen_ld8s_i32(v, tcg_env, ofs);
        }
        tcg_gen_mov_i32(cpu_R[rt], v);
    } else if (size == 2) {
        tcg_gen_st_i32(cpu_R[rt], tcg_env, ofs);
    } else if (size == 1) {
        tcg_gen_st16_i32(cpu_R[rt], tcg_env, ofs);
    } else {
        tcg_gen_st8_i32(cpu_R[rt], tcg_env, ofs);
    }
    return true;
}

/* VDUP (ARM core register): every lane of Dd (or Qd) = Rt's low 8/16/32 bits. */
static bool vdup_core(DisasContext *s, uint32_t insn)
{
    int rt = BITS(insn, 15, 12), d = VN(true), be = BIT(insn, 22) << 1 | BIT(insn, 5);
    bool q = BIT(insn, 21);
    if (rt == 15 || rt == 13 || be == 3 || (q && (d & 1))) {
        return false;
    }
    TCGv_i32 v = tcg_temp_new_i32();
    if (be == 2) {
        tcg_gen_ext8u_i32(v, cpu_R[rt]);
        tcg_gen_muli_i32(v, v, 0x01010101u);
    } else if (be == 1) {
        tcg_gen_ext16u_i32(v, cpu_R[rt]);
        tcg_gen_muli_i32(v, v, 0x00010001u);
    } else {
        tcg_gen_mov_i32(v, cpu_R[rt]);
    }
    TCGv_i64 w = tcg_temp_new_i64();
    tcg_gen_concat_i32_i64(w, v, v);
    for (int r = 0; r <= (int)q; r++) {
        tcg_gen_st_i64(w, tcg_env, dreg_ofs(d + r));
    }
    return true;
}

/* VMRS/VMSR: FPSID (0), FPSCR (1), MVFR1 (6), MVFR0 (7), FPEXC (8). */
static bool vmrs_vmsr(DisasContext *s, uint32_t insn)
{
    int reg = BITS(insn, 19, 16), rt = BITS(insn, 15, 12);
    bool read = BIT(insn, 20);
    ARMCPU *a = arm_cpu(s->cpu);
    if (!s->vfp_enabled && !(s->priv && (reg == 0 || reg == 8 || reg == 6 || reg == 7))) {
        return false;
    }
    if (read) {
        TCGv_i32 v = tcg_temp_new_i32();
        switch (reg) {
        case 0: tcg_gen_movi_i32(v, a->fpsid); break;
        case 1: tcg_gen_ld_i32(v, tcg_env, offsetof(ARMCPU, fpscr)); break;
        case 6: tcg_gen_movi_i32(v, a->mvfr1); break;
        case 7: tcg_gen_movi_i32(v, a->mvfr0); break;
        case 8: tcg_gen_ld_i32(v, tcg_env, offsetof(ARMCPU, fpexc)); break;
        default: return false;
        }
        if (rt == 15) {
            if (reg != 1) {
                return false;
            }
            gen_set_nzcv(v);
        } else {
            tcg_gen_mov_i32(cpu_R[rt], v);
        }
        return true;
    }
    if (rt == 15 || rt == 13) {
        return false;
    }
    TCGv_i32 v = tcg_temp_new_i32();
    switch (reg) {
    case 0:
        return true;                            /* FPSID: writes ignored */
    case 1:
        tcg_gen_andi_i32(v, cpu_R[rt], 0xffc0009fu);    /* no trap enables, Len, Stride */
        tcg_gen_st_i32(v, tcg_env, offsetof(ARMCPU, fpscr));
        return true;
    case 8:
        tcg_gen_andi_i32(v, cpu_R[rt], 1u << 30);       /* EN */
        tcg_gen_st_i32(v, tcg_env, offsetof(ARMCPU, fpexc));
        gen_update_pc_exit(s);                  /* VFP enable is a TB flag */
        return true;
    default:
        return false;
    }
}

static bool vmov_two(DisasContext *s, uint32_t insn)
{
    int rt = BITS(insn, 15, 12), rt2 = BITS(insn, 19, 16);
    bool to_core = BIT(insn, 20), dp = BIT(insn, 8);
    int m = VM(dp);
    if (rt == 15 || rt2 == 15 || rt == 13 || rt2 == 13 || (to_core && rt == rt2) ||
        (!dp && m == 31)) {
        return false;
    }
    intptr_t lo = dp ? dreg_ofs(m) : sreg_ofs(m), hi = dp ? lo + 4 : sreg_ofs(m + 1);
    if (to_core) {
        tcg_gen_ld_i32(cpu_R[rt], tcg_env, lo);
        tcg_gen_ld_i32(cpu_R[rt2], tcg_env, hi);
    } else {
        tcg_gen_st_i32(cpu_R[rt], tcg_env, lo);
        tcg_gen_st_i32(cpu_R[rt2], tcg_env, hi);
    }
    return true;
}

/* ---- loads and stores ------------------------------------------------------------------------------ */

static void vldst_one(DisasContext *s, int reg, bool dp, bool load, TCGv_i32 addr)
{
    TCGv_i32 v = tcg_temp_new_i32();
    int words = dp ? 2 : 1;
    for (int w = 0; w < words; w++) {
        TCGv_i32 a = tcg_temp_new_i32();
        intptr_t ofs = dp ? dreg_ofs(reg) + 4 * w : sreg_ofs(reg);
        tcg_gen_addi_i32(a, addr, 4 * w);
        if (load) {
            gen_ld(s, v, a, MO_32 | MO_ALIGN_4, s->mmu_idx);
            tcg_gen_st_i32(v, tcg_env, ofs);
        } else {
            tcg_gen_ld_i32(v, tcg_env, ofs);
            gen_st(s, v, a, MO_32 | MO_ALIGN_4, s->mmu_idx);
        }
    }
}

static bool vldr_vstr(DisasContext *s, uint32_t insn)
{
    bool dp = BIT(insn, 8), load = BIT(insn, 20);
    int rn = BITS(insn, 19, 16);
    uint32_t off = BITS(insn, 7, 0) * 4;
    TCGv_i32 addr = tcg_temp_new_i32();
    if (rn == 15) {
        tcg_gen_movi_i32(addr, ((s->pc + (s->thumb ? 4 : 8)) & ~3u));
    } else {
        tcg_gen_mov_i32(addr, cpu_R[rn]);
    }
    tcg_gen_addi_i32(addr, addr, BIT(insn, 23) ? off : -off);
    vldst_one(s, VD(dp), dp, load, addr);
    return true;
}

static bool vldm_vstm(DisasContext *s, uint32_t insn)
{
    bool dp = BIT(insn, 8), load = BIT(insn, 20), p = BIT(insn, 24), u = BIT(insn, 23);
    bool w = BIT(insn, 21);
    int rn = BITS(insn, 19, 16), first = VD(dp), imm8 = BITS(insn, 7, 0);
    int count = dp ? imm8 / 2 : imm8;
    if (p == u || rn == 15 || count == 0 || first + count > 32 || (dp && count > 16) ||
        (p && !w)) {
        return false;
    }
    TCGv_i32 addr = load_reg(s, rn);
    if (!u) {
        tcg_gen_subi_i32(addr, addr, imm8 * 4);
    }
    TCGv_i32 start = tcg_temp_new_i32();
    tcg_gen_mov_i32(start, addr);
    for (int i = 0; i < count; i++) {
        TCGv_i32 a = tcg_temp_new_i32();
        tcg_gen_addi_i32(a, start, i * (dp ? 8 : 4));
        vldst_one(s, first + i, dp, load, a);
    }
    if (w) {
        TCGv_i32 base = load_reg(s, rn);
        tcg_gen_addi_i32(base, base, u ? (uint32_t)imm8 * 4 : -(uint32_t)imm8 * 4);
        tcg_gen_mov_i32(cpu_R[rn], base);
    }
    return true;
}

static bool vfp_undef(DisasContext *s, uint32_t insn)
{
    return false;
}

static const ArmDecode vfp_table[] = {
    { 0x0fe00fff, 0x0ee00a10, vmrs_vmsr },
    { 0x0fe00f7f, 0x0e000a10, vmov_core_single },
    { 0x0f900f5f, 0x0e800b10, vdup_core },
    { 0x0f000f1f, 0x0e000b10, vmov_core_scalar },
    { 0x0f000e10, 0x0e000a00, vfp_dp },
    { 0x0fe00ed0, 0x0c400a10, vmov_two },
    { 0x0f200e00, 0x0d000a00, vldr_vstr },
    { 0x0e000e00, 0x0c000a00, vldm_vstm },
    { 0x00000000, 0x00000000, vfp_undef },
    { 0, 0, NULL },
};

bool disas_vfp(DisasContext *s, uint32_t insn)
{
    bool is_vmrs = (insn & 0x0fe00fff) == 0x0ee00a10;
    if (!s->vfp_enabled && !is_vmrs) {
        return false;
    }
    return arm_decode_table(s, vfp_table, insn);
}

/* Advanced SIMD data processing: one helper call per instruction (neon-helper.c); an
 * encoding the helper finds UNDEFINED raises the exception before anything changes. */
bool disas_neon_dp(DisasContext *s, uint32_t insn)
{
    if (!s->vfp_enabled || !arm_neon_dp_known(insn)) {
        return false;
    }
    TCGv_i32 ok = tcg_temp_new_i32();
    TCGLabel *done = gen_new_label();
    gen_helper(&helper_info_neon_dp, ok, 1, tcg_constant_i32(insn));
    tcg_gen_brcondi_i32(TCG_COND_NE, ok, 0, done);
    gen_helper(&helper_info_exception, NULL, 1, tcg_constant_i32(ARM_EXCP_UDEF));
    gen_set_label(done);
    return true;
}

bool disas_neon_ls(DisasContext *s, uint32_t insn)
{
    if (!s->vfp_enabled) {
        return false;
    }
    TCGv_i32 ok = tcg_temp_new_i32();
    TCGLabel *done = gen_new_label();
    gen_helper(&helper_info_neon_ldst, ok, 2, tcg_constant_i32(insn),
               tcg_constant_i32(s->mmu_idx | (s->be_data ? 16 : 0)));
    tcg_gen_brcondi_i32(TCG_COND_NE, ok, 0, done);
    gen_helper(&helper_info_exception, NULL, 1, tcg_constant_i32(ARM_EXCP_UDEF));
    gen_set_label(done);
    return true;
}
