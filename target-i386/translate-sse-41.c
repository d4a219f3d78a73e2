/* SSE4.1/SSE4.2 instructions with general-register, flag or implicit operands (SDM 2:
 * PTEST, PEXTRB/W/D/Q, EXTRACTPS, PINSRB/D/Q, INSERTPS, PCMPESTRI/M, PCMPISTRI/M): operand
 * plumbing inline or around the vec-int-sse41.c / vec-str.c helpers. */
#include "target-i386/translate-sse.h"

/* PTEST: ZF = (a AND b) == 0, CF = (NOT a AND b) == 0; the other flags cleared. */
void x86_sse_emit_ptest(DisasContext *s, const SseOp *o)
{
    intptr_t b = x86_gen_vec_load_rm(s, 16, true), a = x86_vec_ofs(s->reg);
    TCGv_i64 and = tcg_temp_new_i64(), andn = tcg_temp_new_i64();
    TCGv_i64 va = tcg_temp_new_i64(), vb = tcg_temp_new_i64(), t = tcg_temp_new_i64();

    tcg_gen_movi_i64(and, 0);
    tcg_gen_movi_i64(andn, 0);
    for (int i = 0; i < 16; i += 8) {
        tcg_gen_ld_i64(va, tcg_env, a + i);
        tcg_gen_ld_i64(vb, tcg_env, b + i);
        tcg_gen_and_i64(t, va, vb);
        tcg_gen_or_i64(and, and, t);
        tcg_gen_andc_i64(t, vb, va);
        tcg_gen_or_i64(andn, andn, t);
    }
    tcg_gen_setcondi_i64(TCG_COND_EQ, and, and, 0);
    tcg_gen_setcondi_i64(TCG_COND_EQ, andn, andn, 0);
    tcg_gen_shli_i64(and, and, 6);
    tcg_gen_or_i64(x86_cpu_cc_src, and, andn);
    x86_set_cc_op(s, CC_OP_EFLAGS);
}

/* PEXTRB / PEXTRW / PEXTRD / PEXTRQ / EXTRACTPS r/m, xmm, imm8 (arg: 0 b, 1 w, 2 d/q,
 * 3 extractps). A register destination gets the zero-extended element (32 or, with
 * REX.W for PEXTRQ/EXTRACTPS, 64 bits). */
void x86_sse_emit_pextr(DisasContext *s, const SseOp *o)
{
    int size = o->arg == 3 ? MO_32 : o->arg == 2 ? (s->rex_w ? MO_64 : MO_32) : o->arg;
    int nelem = 16 >> size;
    intptr_t src = x86_vec_ofs(s->reg) + (s->imm & (nelem - 1)) * (1 << size);
    TCGv_i64 v = tcg_temp_new_i64();

    switch (size) {
    case MO_8: tcg_gen_ld8u_i64(v, tcg_env, src); break;
    case MO_16: tcg_gen_ld16u_i64(v, tcg_env, src); break;
    case MO_32: tcg_gen_ld32u_i64(v, tcg_env, src); break;
    default: tcg_gen_ld_i64(v, tcg_env, src); break;
    }
    if (s->mod == 3) {
        x86_gen_op_mov_reg_canon(s, s->code64 && s->rex_w ? MO_64 : MO_32, s->rm, v);
    } else {
        x86_gen_st(s, size, v, x86_gen_lea_modrm(s));
    }
}

/* PINSRB / PINSRD / PINSRQ xmm, r/m, imm8 (arg: 0 b, 2 d/q) */
void x86_sse_emit_pinsr(DisasContext *s, const SseOp *o)
{
    int size = o->arg == 2 ? (s->rex_w ? MO_64 : MO_32) : MO_8;
    int nelem = 16 >> size;
    intptr_t dst = x86_vec_ofs(s->reg) + (s->imm & (nelem - 1)) * (1 << size);
    /* (a register source is r32/r64: never AH..BH) */
    TCGv_i64 v = x86_gen_ld_rm(s, s->mod == 3 && size == MO_8 ? MO_32 : size, NULL);

    switch (size) {
    case MO_8: tcg_gen_st8_i64(v, tcg_env, dst); break;
    case MO_32: tcg_gen_st32_i64(v, tcg_env, dst); break;
    default: tcg_gen_st_i64(v, tcg_env, dst); break;
    }
}

/* INSERTPS: a memory source is one float (element 0: imm[7:6] is ignored). */
void x86_sse_emit_insertps(DisasContext *s, const SseOp *o)
{
    intptr_t b = x86_gen_vec_load_rm(s, 4, false), d = x86_vec_ofs(s->reg);
    unsigned imm = s->mod == 3 ? (unsigned)s->imm : (unsigned)s->imm & 0x3f;
    x86_gen_vec_call(s, &x86_info_vec_insertps, d, d, b, X86_VDESC(16, imm));
}

/* PCMPESTRM / PCMPESTRI / PCMPISTRM / PCMPISTRI (arg bit 0: index, bit 1: implicit) */
void x86_sse_emit_pcmpstr(DisasContext *s, const SseOp *o)
{
    intptr_t b = x86_gen_vec_load_rm(s, 16, false);
    uint32_t desc = (uint32_t)(s->imm & 0xff) << 8 | (o->arg & 2 ? 0 : X86_PCMPSTR_EXPLICIT) |
                    (o->arg & 1 ? 0 : X86_PCMPSTR_MASK) | (s->rex_w ? X86_PCMPSTR_W64 : 0);
    TCGv_i64 r = tcg_temp_new_i64();

    x86_gen_helper(&x86_info_pcmpstr, tcgv_temp(r), 6, tcgv_temp(tcg_env),
                   tcgv_temp(x86_gen_env_ptr(x86_vec_ofs(s->reg))),
                   tcgv_temp(x86_gen_env_ptr(b)), tcgv_temp(tcg_constant_i32(desc)),
                   tcgv_temp(x86_cpu_regs[R_EAX]), tcgv_temp(x86_cpu_regs[R_EDX]));
    if (o->arg & 1) {
        TCGv_i64 idx = tcg_temp_new_i64();
        tcg_gen_shri_i64(idx, r, 32);
        x86_gen_op_mov_reg_canon(s, MO_32, R_ECX, idx);
    }
    tcg_gen_ext32u_i64(x86_cpu_cc_src, r);
    x86_set_cc_op(s, CC_OP_EFLAGS);
}
