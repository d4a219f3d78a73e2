/* SSE/SSE2 conversions whose operands are general or MMX registers, and the ordered /
 * unordered scalar compares into EFLAGS (SDM 2 CVTSI2SS/SD, CVT(T)SS2SI, CVT(T)SD2SI,
 * CVTPI2PS/PD, CVT(T)PS2PI, CVT(T)PD2PI, COMISS/D, UCOMISS/D): operand plumbing around the
 * vec-fp-cvt.c helpers. */
#include "target-i386/translate-sse.h"

static TCGv_ptr vptr(intptr_t ofs)
{
    return x86_gen_env_ptr(ofs);
}

/* CVTSI2SS / CVTSI2SD xmm, r/m32/64 (arg 1: double) */
void x86_sse_emit_cvtsi2s(DisasContext *s, const SseOp *o)
{
    static const TCGHelperInfo *const fn[2][2] = {
        { &x86_info_cvtsil2ss, &x86_info_cvtsiq2ss },
        { &x86_info_cvtsil2sd, &x86_info_cvtsiq2sd },
    };
    int ot = s->rex_w ? MO_64 : MO_32;
    TCGv_i64 v = x86_gen_ld_rm(s, ot, NULL);
    intptr_t d = x86_vec_ofs(s->reg);

    x86_gen_helper(fn[o->arg][ot == MO_64], NULL, 4, tcgv_temp(tcg_env), tcgv_temp(vptr(d)),
                   tcgv_temp(vptr(d)), tcgv_temp(v));
}

/* CVT(T)SS2SI / CVT(T)SD2SI r32/64, xmm/m32/64 (arg bit 0: truncate, bit 1: double) */
void x86_sse_emit_cvts2si(DisasContext *s, const SseOp *o)
{
    static const TCGHelperInfo *const fn[4][2] = {
        { &x86_info_cvtss2sil, &x86_info_cvtss2siq },
        { &x86_info_cvttss2sil, &x86_info_cvttss2siq },
        { &x86_info_cvtsd2sil, &x86_info_cvtsd2siq },
        { &x86_info_cvttsd2sil, &x86_info_cvttsd2siq },
    };
    int ot = s->rex_w ? MO_64 : MO_32;
    intptr_t b = x86_gen_vec_load_rm(s, o->arg & 2 ? 8 : 4, false);
    TCGv_i64 r = tcg_temp_new_i64();

    x86_gen_helper(fn[o->arg & 3][ot == MO_64], tcgv_temp(r), 2, tcgv_temp(tcg_env),
                   tcgv_temp(vptr(b)));
    x86_gen_op_mov_reg_canon(s, ot, s->reg, r);
}

/* (U)COMISS / (U)COMISD (arg bit 0: COMIS (QNaN signals), bit 1: double) */
void x86_sse_emit_comis(DisasContext *s, const SseOp *o)
{
    static const TCGHelperInfo *const fn[4] = {
        &x86_info_ucomiss, &x86_info_comiss, &x86_info_ucomisd, &x86_info_comisd,
    };
    intptr_t b = x86_gen_vec_load_rm(s, o->arg & 2 ? 8 : 4, false);

    x86_gen_update_cc_op(s);
    x86_gen_helper(fn[o->arg & 3], tcgv_temp(x86_cpu_cc_src), 3, tcgv_temp(tcg_env),
                   tcgv_temp(vptr(x86_vec_ofs(s->reg))), tcgv_temp(vptr(b)));
    x86_set_cc_op(s, CC_OP_EFLAGS);
}

/* The MMX source of CVTPI2PS/PD: a register (the x87 unit enters MMX state) or m64. */
static TCGv_i64 mmx_source(DisasContext *s)
{
    TCGv_i64 v = x86_gen_mmx_load_rm(s);
    if (s->mod == 3) {
        x86_gen_mmx_enter(s);
    }
    return v;
}

void x86_sse_emit_cvtpi2ps(DisasContext *s, const SseOp *o)
{
    TCGv_i64 v = mmx_source(s);
    x86_gen_helper(&x86_info_cvtpi2ps, NULL, 3, tcgv_temp(tcg_env),
                   tcgv_temp(vptr(x86_vec_ofs(s->reg))), tcgv_temp(v));
}

void x86_sse_emit_cvtpi2pd(DisasContext *s, const SseOp *o)
{
    TCGv_i64 v = mmx_source(s);
    x86_gen_helper(&x86_info_cvtpi2pd, NULL, 3, tcgv_temp(tcg_env),
                   tcgv_temp(vptr(x86_vec_ofs(s->reg))), tcgv_temp(v));
}

/* CVT(T)PS2PI mm, xmm/m64 and CVT(T)PD2PI mm, xmm/m128 (arg bit 0: truncate) */
static void to_pi(DisasContext *s, const TCGHelperInfo *fn, int bytes)
{
    intptr_t b = x86_gen_vec_load_rm(s, bytes, bytes == 16);
    TCGv_i64 r = tcg_temp_new_i64();

    x86_gen_helper(fn, tcgv_temp(r), 2, tcgv_temp(tcg_env), tcgv_temp(vptr(b)));
    x86_gen_mmx_enter(s);
    x86_gen_mmx_store(s->reg, r);
}

void x86_sse_emit_cvtps2pi(DisasContext *s, const SseOp *o)
{
    to_pi(s, o->arg ? &x86_info_cvttps2pi : &x86_info_cvtps2pi, 8);
}

void x86_sse_emit_cvtpd2pi(DisasContext *s, const SseOp *o)
{
    to_pi(s, o->arg ? &x86_info_cvttpd2pi : &x86_info_cvtpd2pi, 16);
}
