/* x86 AVX: the VEX forms of SSE instructions with general-register, flag, 64-bit memory
 * or implicit operands (Intel SDM vol. 2: VCOMISS/SD, VUCOMISS/SD, VCVTSI2SS/SD,
 * VCVT(T)SS2SI, VCVT(T)SD2SI, VMOVLPS/LPD/HPS/HPD, VMOVHLPS/LHPS, VINSERTPS,
 * VPCMPESTRI/M, VPCMPISTRI/M, VLDMXCSR/VSTMXCSR, VMASKMOVDQU). Each runs the VEX checks
 * (translate-avx.h) and then the SSE emitter or helper of the same operation, with
 * VEX.vvvv as the first source where the VEX form has one; the XMM destination's bits
 * 255:128 are cleared (these forms are VEX.128 or "LIG": the length is ignored). */
#include "target-i386/translate-avx.h"
#include "target-i386/translate-sse.h"

/* Bits 255:128 of YMM reg cleared, whatever VEX.L. */
static void zero_high128(int reg)
{
    tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, x86_vec_ofs(reg) + 16);
    tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, x86_vec_ofs(reg) + 24);
}

/* VCOMISS/VUCOMISS/VCOMISD/VUCOMISD (arg as the SSE emitter's: bit 0 COMIS, bit 1 double) */
void x86_emit_avx_comis(DisasContext *s, const X86OpEntry *e)
{
    if (x86_avx_check(s, AVX_NOV)) {
        x86_sse_emit_comis(s, &(SseOp){ .arg = (uint8_t)e->arg });
    }
}

/* VCVT(T)SS2SI / VCVT(T)SD2SI r32/64 (arg: bit 0 truncate, bit 1 double) */
void x86_emit_avx_cvt2si(DisasContext *s, const X86OpEntry *e)
{
    if (x86_avx_check(s, AVX_NOV)) {
        x86_sse_emit_cvts2si(s, &(SseOp){ .arg = (uint8_t)e->arg });
    }
}

/* VCVTSI2SS / VCVTSI2SD xmm1, xmm2 (vvvv), r/m32/64 (arg: double) */
void x86_emit_avx_cvtsi2s(DisasContext *s, const X86OpEntry *e)
{
    static const TCGHelperInfo *const fn[2][2] = {
        { &x86_info_cvtsil2ss, &x86_info_cvtsiq2ss },
        { &x86_info_cvtsil2sd, &x86_info_cvtsiq2sd },
    };
    if (!x86_avx_check(s, 0)) {
        return;
    }
    int ot = s->rex_w ? MO_64 : MO_32;
    TCGv_i64 v = x86_gen_ld_rm(s, ot, NULL);
    x86_gen_helper(fn[e->arg & 1][ot == MO_64], NULL, 4, tcgv_temp(tcg_env),
                   tcgv_temp(x86_gen_env_ptr(x86_vec_ofs(s->reg))),
                   tcgv_temp(x86_gen_env_ptr(x86_vec_ofs(s->vex_v))), tcgv_temp(v));
    zero_high128(s->reg);
}

/* VMOVLPS/VMOVLPD/VMOVHLPS (0F 12) and VMOVHPS/VMOVHPD/VMOVLHPS (0F 16): one quadword
 * from m64 (or from the other half of a register source: HLPS takes its high, LHPS its
 * low one) into the low (12) or high (16) half, the other half from VEX.vvvv.
 * arg: bit 0 high half, bit 1 memory only (the PD forms). */
static void movlh_load(DisasContext *s, int arg)
{
    bool high = arg & 1;
    TCGv_i64 src = tcg_temp_new_i64(), keep = tcg_temp_new_i64();
    if (s->mod == 3) {
        tcg_gen_ld_i64(src, tcg_env, x86_vec_ofs(s->rm) + (high ? 0 : 8));
    } else {
        tcg_gen_qemu_ld_i64(src, tcgv_temp(x86_gen_lea_modrm(s)), s->mem_idx, MO_64 | MO_LE);
    }
    tcg_gen_ld_i64(keep, tcg_env, x86_vec_ofs(s->vex_v) + (high ? 0 : 8));
    tcg_gen_st_i64(src, tcg_env, x86_vec_ofs(s->reg) + (high ? 8 : 0));
    tcg_gen_st_i64(keep, tcg_env, x86_vec_ofs(s->reg) + (high ? 0 : 8));
    zero_high128(s->reg);
}

/* VMOVLPS/PD m64 (0F 13) and VMOVHPS/PD m64 (0F 17): the low or high quadword stored. */
static void movlh_store(DisasContext *s, int arg)
{
    TCGv_i64 v = tcg_temp_new_i64();
    tcg_gen_ld_i64(v, tcg_env, x86_vec_ofs(s->reg) + ((arg & 1) ? 8 : 0));
    tcg_gen_qemu_st_i64(v, tcgv_temp(x86_gen_lea_modrm(s)), s->mem_idx, MO_64 | MO_LE);
}

/* arg: bit 0 high half, bit 1 memory only, bit 2 store */
void x86_emit_avx_movlh(DisasContext *s, const X86OpEntry *e)
{
    bool store = e->arg & 4;
    unsigned need = AVX_L0 | ((e->arg & 2) || store ? AVX_MEM : 0) | (store ? AVX_NOV : 0);
    if (!x86_avx_check(s, need)) {
        return;
    }
    if (store) {
        movlh_store(s, e->arg);
    } else {
        movlh_load(s, e->arg);
    }
}

/* VINSERTPS xmm1, xmm2 (vvvv), xmm3/m32, imm8: a memory source is one float (imm[7:6]
 * ignored). */
void x86_emit_avx_insertps(DisasContext *s, const X86OpEntry *e)
{
    if (!x86_avx_check(s, AVX_L0)) {
        return;
    }
    intptr_t b = x86_gen_vec_load_rm(s, 4, false);
    unsigned imm = s->mod == 3 ? (unsigned)s->imm : (unsigned)s->imm & 0x3f;
    x86_gen_vec_call(s, &x86_info_vec_insertps, x86_vec_ofs(s->reg), x86_vec_ofs(s->vex_v),
                     b, X86_VDESC(16, imm));
    zero_high128(s->reg);
}

/* VPCMPESTRM/I, VPCMPISTRM/I (arg as the SSE emitter's: bit 0 index, bit 1 implicit);
 * VEX.W1 (64-bit mode) takes RAX/RDX as 64-bit lengths. The mask forms write XMM0. */
void x86_emit_avx_pcmpstr(DisasContext *s, const X86OpEntry *e)
{
    if (!x86_avx_check(s, AVX_L0 | AVX_NOV)) {
        return;
    }
    x86_sse_emit_pcmpstr(s, &(SseOp){ .arg = (uint8_t)e->arg });
    if (!(e->arg & 1)) {
        zero_high128(0);
    }
}

/* VEX 0F AE: /2 VLDMXCSR m32, /3 VSTMXCSR m32 (VEX.L0, vvvv 1111b, memory only). */
void x86_emit_avx_grp15(DisasContext *s, const X86OpEntry *e)
{
    int op = (s->modrm >> 3) & 7;
    if (op != 2 && op != 3) {
        x86_gen_illegal(s);
        return;
    }
    if (x86_avx_check(s, AVX_L0 | AVX_NOV | AVX_MEM)) {
        if (op == 2) {
            x86_sse_emit_ldmxcsr(s, NULL);
        } else {
            x86_sse_emit_stmxcsr(s, NULL);
        }
    }
}

/* VMASKMOVDQU xmm1, xmm2: the bytes of xmm1 selected by xmm2's sign bits stored at
 * DS:rDI (register form only). */
void x86_emit_avx_maskmovdqu(DisasContext *s, const X86OpEntry *e)
{
    if (s->mod != 3) {
        x86_gen_illegal(s);
        return;
    }
    if (x86_avx_check(s, AVX_L0 | AVX_NOV)) {
        x86_sse_emit_maskmov(s, &(SseOp){ .flags = 0 });
    }
}
