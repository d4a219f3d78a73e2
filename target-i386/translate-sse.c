/* MMX/SSE translation: the entry of the 0F / 0F 38 / 0F 3A vector opcodes (decode-sse.c
 * tables by mandatory prefix), the #UD/#NM checks (SDM 2 2.4 and the "SIMD Floating-Point
 * Exceptions" classes of SDM 2 table 2-18ff), MMX state entry, XMM/MMX operand access and
 * the generic emitters that call a vec.h helper. */
#include "target-i386/fpu.h"
#include "target-i386/translate-sse.h"

/* ---- checks ---------------------------------------------------------------------------- */

static const struct { uint8_t word; uint32_t bit; } sse_feats[] = {
    [SSE_FEAT_MMX] = { FEAT_1_EDX, 1u << 23 },
    [SSE_FEAT_SSE] = { FEAT_1_EDX, 1u << 25 },
    [SSE_FEAT_SSE2] = { FEAT_1_EDX, 1u << 26 },
    [SSE_FEAT_SSE3] = { FEAT_1_ECX, 1u << 0 },
    [SSE_FEAT_SSSE3] = { FEAT_1_ECX, 1u << 9 },
    [SSE_FEAT_SSE41] = { FEAT_1_ECX, 1u << 19 },
    [SSE_FEAT_SSE42] = { FEAT_1_ECX, 1u << 20 },
    [SSE_FEAT_AES] = { FEAT_1_ECX, 1u << 25 },
    [SSE_FEAT_PCLMUL] = { FEAT_1_ECX, 1u << 1 },
    [SSE_FEAT_POPCNT] = { FEAT_1_ECX, 1u << 23 },
};

bool x86_sse_check(DisasContext *s, bool mmx)
{
    if ((s->flags & HF_EM) || (!mmx && !(s->flags & HF_OSFXSR))) {
        x86_gen_illegal(s);
        return false;
    }
    if (s->flags & HF_TS) {
        x86_gen_exception(s, EXCP_NM);
        return false;
    }
    return true;
}

static const SseOp *sse_lookup(DisasContext *s)
{
    unsigned map = s->opcode >> 8;
    const SseOpcode *tab = map == 1 ? x86_sse_0f : map == 2 ? x86_sse_0f38 : x86_sse_0f3a;
    int col = (s->prefix & PREFIX_REPZ) ? 2 : (s->prefix & PREFIX_REPNZ) ? 3
              : (s->prefix & PREFIX_DATA) ? 1 : 0;
    return &tab[s->opcode & 0xff].col[col];
}

/* Entry from the decode tables (0F 10-17, 28-2F, 50-7F, C2-C6, D0-FF, 0F 38, 0F 3A). */
void x86_emit_sse(DisasContext *s, const X86OpEntry *e)
{
    const SseOp *o = sse_lookup(s);

    if (!o->emit || ((o->flags & SSE_F_REG) && s->mod != 3) ||
        ((o->flags & SSE_F_MEM) && s->mod == 3)) {
        x86_gen_illegal(s);
        return;
    }
    if (!x86_need_feature(s, sse_feats[o->feat].word, sse_feats[o->feat].bit)) {
        return;
    }
    if ((o->flags & SSE_F_INT) || x86_sse_check(s, o->flags & SSE_F_MMX)) {
        if (o->flags & SSE_F_MMX) {
            x86_gen_mmx_pending(s);
        }
        o->emit(s, o);
    }
}

/* An MMX instruction first delivers a pending unmasked x87 exception (#MF, or FERR# with
 * CR0.NE clear) as FWAIT does: the FSW.ES test inline, the x87's helper only when set. */
void x86_gen_mmx_pending(DisasContext *s)
{
    TCGv_i64 t = tcg_temp_new_i64();
    TCGLabel *none = gen_new_label();

    x86_gen_update_cc_op(s);
    tcg_gen_ld16u_i64(t, tcg_env, offsetof(X86CPU, fpus));
    tcg_gen_brcondi_i64(TCG_COND_TSTEQ, t, FSW_ES, none);
    x86_gen_helper(&x86_info_fpu_fwait, NULL, 1, tcgv_temp(tcg_env));
    gen_set_label(none);
}

/* ---- state and operands ---------------------------------------------------------------- */

void x86_gen_mmx_enter(DisasContext *s)
{
    tcg_gen_st_i32(tcg_constant_i32(0), tcg_env, offsetof(X86CPU, fpstt));
    tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, offsetof(X86CPU, fptags));
}

TCGv_ptr x86_gen_env_ptr(intptr_t ofs)
{
    TCGv_ptr p = tcg_temp_new_ptr();
    tcg_gen_addi_ptr(p, tcg_env, ofs);
    return p;
}

static TCGv_i64 addr_plus8(DisasContext *s, TCGv_i64 addr)
{
    TCGv_i64 a8 = tcg_temp_new_i64();
    tcg_gen_addi_i64(a8, addr, 8);
    if (!s->code64) {
        tcg_gen_ext32u_i64(a8, a8);
    }
    return a8;
}

void x86_gen_ld128(DisasContext *s, intptr_t ofs, TCGv_i64 addr, bool aligned)
{
    TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();
    tcg_gen_qemu_ld_i64(lo, tcgv_temp(addr), s->mem_idx,
                        (MemOp)(MO_64 | MO_LE | (aligned ? MO_ALIGN_16 : 0)));
    tcg_gen_qemu_ld_i64(hi, tcgv_temp(addr_plus8(s, addr)), s->mem_idx, MO_64 | MO_LE);
    tcg_gen_st_i64(lo, tcg_env, ofs);
    tcg_gen_st_i64(hi, tcg_env, ofs + 8);
}

void x86_gen_st128(DisasContext *s, intptr_t ofs, TCGv_i64 addr, bool aligned)
{
    TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();
    tcg_gen_ld_i64(lo, tcg_env, ofs);
    tcg_gen_ld_i64(hi, tcg_env, ofs + 8);
    tcg_gen_qemu_st_i64(lo, tcgv_temp(addr), s->mem_idx,
                        (MemOp)(MO_64 | MO_LE | (aligned ? MO_ALIGN_16 : 0)));
    tcg_gen_qemu_st_i64(hi, tcgv_temp(addr_plus8(s, addr)), s->mem_idx, MO_64 | MO_LE);
}

intptr_t x86_gen_vec_load_rm(DisasContext *s, int bytes, bool aligned)
{
    if (s->mod == 3) {
        return x86_vec_ofs(s->rm);
    }
    TCGv_i64 addr = x86_gen_lea_modrm(s);
    if (bytes == 16) {
        x86_gen_ld128(s, X86_VTMP_OFS, addr, aligned);
    } else {
        TCGv_i64 v = tcg_temp_new_i64();
        MemOp size = bytes == 2 ? MO_16 : bytes == 4 ? MO_32 : MO_64;
        tcg_gen_qemu_ld_i64(v, tcgv_temp(addr), s->mem_idx, (MemOp)(size | MO_LE));
        tcg_gen_st_i64(v, tcg_env, X86_VTMP_OFS);
    }
    return X86_VTMP_OFS;
}

TCGv_i64 x86_gen_mmx_load_rm(DisasContext *s)
{
    TCGv_i64 v = tcg_temp_new_i64();
    if (s->mod == 3) {
        tcg_gen_ld_i64(v, tcg_env, x86_mmx_ofs(s->rm));
    } else {
        tcg_gen_qemu_ld_i64(v, tcgv_temp(x86_gen_lea_modrm(s)), s->mem_idx, MO_64 | MO_LE);
    }
    return v;
}

void x86_gen_mmx_store(int n, TCGv_i64 v)
{
    tcg_gen_st_i64(v, tcg_env, x86_mmx_ofs(n));
    tcg_gen_st16_i32(tcg_constant_i32(0xffff), tcg_env,
                     offsetof(X86CPU, fpregs[n & 7].sexp));
}

void x86_gen_vec_call(DisasContext *s, const TCGHelperInfo *fn, intptr_t dofs, intptr_t aofs,
                      intptr_t bofs, uint32_t desc)
{
    x86_gen_helper(fn, NULL, 5, tcgv_temp(tcg_env), tcgv_temp(x86_gen_env_ptr(dofs)),
                   tcgv_temp(x86_gen_env_ptr(aofs)), tcgv_temp(x86_gen_env_ptr(bofs)),
                   tcgv_temp(tcg_constant_i32(desc)));
}

/* ---- generic emitters ------------------------------------------------------------------ */

static int mem_bytes(const SseOp *o)
{
    return (o->flags & SSE_F_M16) ? 2 : (o->flags & SSE_F_M32) ? 4
           : (o->flags & SSE_F_M64) ? 8 : 16;
}

void x86_sse_emit_vec(DisasContext *s, const SseOp *o)
{
    intptr_t b = x86_gen_vec_load_rm(s, mem_bytes(o), o->flags & SSE_F_ALIGN);
    intptr_t d = x86_vec_ofs(s->reg);
    x86_gen_vec_call(s, o->fn, d, d, b, X86_VDESC(16, s->imm));
}

/* Scalar FP arithmetic on values (helper_sv_*): operands loaded inline, element 0 of the
 * destination stored back (SSE_F_M32: single, else double). */
void x86_sse_emit_scalar(DisasContext *s, const SseOp *o)
{
    bool single = o->flags & SSE_F_M32;
    intptr_t d = x86_vec_ofs(s->reg);
    TCGv_i64 a = tcg_temp_new_i64(), b = tcg_temp_new_i64(), r = tcg_temp_new_i64();

    if (s->mod == 3) {
        tcg_gen_ld_i64(b, tcg_env, x86_vec_ofs(s->rm));
    } else {
        tcg_gen_qemu_ld_i64(b, tcgv_temp(x86_gen_lea_modrm(s)), s->mem_idx,
                            (MemOp)((single ? MO_32 : MO_64) | MO_LE));
    }
    tcg_gen_ld_i64(a, tcg_env, d);
    x86_gen_helper(o->fn, tcgv_temp(r), 3, tcgv_temp(tcg_env), tcgv_temp(a), tcgv_temp(b));
    if (single) {
        tcg_gen_st32_i64(r, tcg_env, d);
    } else {
        tcg_gen_st_i64(r, tcg_env, d);
    }
}

void x86_sse_emit_mmx(DisasContext *s, const SseOp *o)
{
    TCGv_i64 b, a = tcg_temp_new_i64(), r = tcg_temp_new_i64();

    if ((o->flags & SSE_F_M32) && s->mod != 3) {
        b = tcg_temp_new_i64();
        tcg_gen_qemu_ld_i64(b, tcgv_temp(x86_gen_lea_modrm(s)), s->mem_idx, MO_32 | MO_LE);
    } else {
        b = x86_gen_mmx_load_rm(s);
    }
    x86_gen_mmx_enter(s);
    tcg_gen_ld_i64(a, tcg_env, x86_mmx_ofs(s->reg));
    x86_gen_helper(o->fn, tcgv_temp(r), 3, tcgv_temp(a), tcgv_temp(b),
                   tcgv_temp(tcg_constant_i32((uint32_t)s->imm)));
    x86_gen_mmx_store(s->reg, r);
}

/* 0F 71 / 72 / 73 (ModRM.reg: 2 SRL, 4 SRA, 6 SLL; 73 /3 PSRLDQ and /7 PSLLDQ with 66). */
static const TCGHelperInfo *const shift_vec[3][8] = {
    { [2] = &x86_info_vec_psrlwi, [4] = &x86_info_vec_psrawi, [6] = &x86_info_vec_psllwi },
    { [2] = &x86_info_vec_psrldi, [4] = &x86_info_vec_psradi, [6] = &x86_info_vec_pslldi },
    { [2] = &x86_info_vec_psrlqi, [3] = &x86_info_vec_psrldqi, [6] = &x86_info_vec_psllqi,
      [7] = &x86_info_vec_pslldqi },
};
static const TCGHelperInfo *const shift_mmx[3][8] = {
    { [2] = &x86_info_mmx_psrlwi, [4] = &x86_info_mmx_psrawi, [6] = &x86_info_mmx_psllwi },
    { [2] = &x86_info_mmx_psrldi, [4] = &x86_info_mmx_psradi, [6] = &x86_info_mmx_pslldi },
    { [2] = &x86_info_mmx_psrlqi, [6] = &x86_info_mmx_psllqi },
};

void x86_sse_emit_shift_imm(DisasContext *s, const SseOp *o)
{
    int op = (s->modrm >> 3) & 7, row = o->arg - 0x71;
    bool xmm = s->prefix & PREFIX_DATA;
    const TCGHelperInfo *fn = xmm ? shift_vec[row][op] : shift_mmx[row][op];

    if (!fn) {
        x86_gen_illegal(s);
        return;
    }
    if (xmm) {
        intptr_t d = x86_vec_ofs(s->rm);
        x86_gen_vec_call(s, fn, d, d, d, X86_VDESC(16, s->imm));
        return;
    }
    TCGv_i64 v = tcg_temp_new_i64(), r = tcg_temp_new_i64();
    x86_gen_mmx_enter(s);
    tcg_gen_ld_i64(v, tcg_env, x86_mmx_ofs(s->rm));
    x86_gen_helper(fn, tcgv_temp(r), 3, tcgv_temp(v), tcgv_temp(v),
                   tcgv_temp(tcg_constant_i32((uint32_t)s->imm)));
    x86_gen_mmx_store(s->rm, r);
}

void x86_emit_sse_mxcsr(DisasContext *s, int op)
{
    static const SseOp ld = { x86_sse_emit_ldmxcsr, NULL, SSE_FEAT_SSE, 0, 0 };
    static const SseOp st = { x86_sse_emit_stmxcsr, NULL, SSE_FEAT_SSE, 0, 0 };
    const SseOp *o = op == 2 ? &ld : &st;

    if (x86_need_feature(s, sse_feats[o->feat].word, sse_feats[o->feat].bit) &&
        x86_sse_check(s, false)) {
        o->emit(s, o);
    }
}
