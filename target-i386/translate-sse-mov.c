/* MMX/SSE data movement translated inline (SDM 2: MOVUPS/MOVAPS/MOVDQA/MOVDQU and the PD
 * forms, MOVSS/MOVSD, MOVLPS/MOVHPS/MOVLPD/MOVHPD/MOVHLPS/MOVLHPS, MOVD/MOVQ, MOVQ2DQ/
 * MOVDQ2Q, MOVNT*, the logic ops AND/ANDN/OR/XOR of PS/PD/P*, MOVMSKPS/PD, PMOVMSKB,
 * PEXTRW/PINSRW, MASKMOVQ/MASKMOVDQU, EMMS, LDMXCSR/STMXCSR; INVPCID, an integer
 * instruction of the 0F 38 map, through its MMU helper): 64-bit loads and stores on
 * the env's register fields, no helper except for LDMXCSR's reserved-bit check. */
#include "target-i386/helper-sys.h"
#include "target-i386/translate-sse.h"

static void copy64(intptr_t dofs, intptr_t sofs)
{
    TCGv_i64 v = tcg_temp_new_i64();
    tcg_gen_ld_i64(v, tcg_env, sofs);
    tcg_gen_st_i64(v, tcg_env, dofs);
}

static TCGv_i64 ld64(intptr_t ofs)
{
    TCGv_i64 v = tcg_temp_new_i64();
    tcg_gen_ld_i64(v, tcg_env, ofs);
    return v;
}

static void st64(intptr_t ofs, TCGv_i64 v)
{
    tcg_gen_st_i64(v, tcg_env, ofs);
}

static void gen_ldq(DisasContext *s, TCGv_i64 v, TCGv_i64 addr, MemOp size)
{
    tcg_gen_qemu_ld_i64(v, tcgv_temp(addr), s->mem_idx, (MemOp)(size | MO_LE));
}

static void gen_stq(DisasContext *s, TCGv_i64 v, TCGv_i64 addr, MemOp size)
{
    tcg_gen_qemu_st_i64(v, tcgv_temp(addr), s->mem_idx, (MemOp)(size | MO_LE));
}

/* 16-byte moves: arg 0 load (reg <- rm), 1 store (rm <- reg); SSE_F_ALIGN: aligned form */
static void mov128(DisasContext *s, const SseOp *o)
{
    bool aligned = o->flags & SSE_F_ALIGN;
    intptr_t r = x86_vec_ofs(s->reg);

    if (s->mod == 3) {
        intptr_t src = o->arg ? r : x86_vec_ofs(s->rm), dst = o->arg ? x86_vec_ofs(s->rm) : r;
        copy64(dst, src);
        copy64(dst + 8, src + 8);
    } else if (o->arg) {
        x86_gen_st128(s, r, x86_gen_lea_modrm(s), aligned);
    } else {
        x86_gen_ld128(s, r, x86_gen_lea_modrm(s), aligned);
    }
}

void x86_sse_emit_movu(DisasContext *s, const SseOp *o) { mov128(s, o); }
void x86_sse_emit_mova(DisasContext *s, const SseOp *o) { mov128(s, o); }
void x86_sse_emit_movnt(DisasContext *s, const SseOp *o) { mov128(s, o); }

/* MOVSS / MOVSD (arg bit 0 store, bit 1 double): a load from memory zeroes the rest of
 * the register; register to register moves only the low element. */
static void mov_scalar(DisasContext *s, const SseOp *o, MemOp size)
{
    intptr_t r = x86_vec_ofs(s->reg);
    TCGv_i64 v = tcg_temp_new_i64();

    if (s->mod == 3) {
        intptr_t src = o->arg & 1 ? r : x86_vec_ofs(s->rm);
        intptr_t dst = o->arg & 1 ? x86_vec_ofs(s->rm) : r;
        if (size == MO_64) {
            copy64(dst, src);
        } else {
            tcg_gen_ld32u_i64(v, tcg_env, src);
            tcg_gen_st32_i64(v, tcg_env, dst);
        }
    } else if (o->arg & 1) {
        tcg_gen_ld_i64(v, tcg_env, r);
        gen_stq(s, v, x86_gen_lea_modrm(s), size);
    } else {
        gen_ldq(s, v, x86_gen_lea_modrm(s), size);
        st64(r, v);
        st64(r + 8, tcg_constant_i64(0));
    }
}

void x86_sse_emit_movss(DisasContext *s, const SseOp *o) { mov_scalar(s, o, MO_32); }
void x86_sse_emit_movsd(DisasContext *s, const SseOp *o) { mov_scalar(s, o, MO_64); }

/* One quadword half (arg: 0 low, 8 high; +1 store) between an XMM register and memory. */
static void mov_half(DisasContext *s, const SseOp *o)
{
    intptr_t r = x86_vec_ofs(s->reg) + (o->arg & 8);
    TCGv_i64 v = tcg_temp_new_i64();
    TCGv_i64 addr = x86_gen_lea_modrm(s);

    if (o->arg & 1) {
        tcg_gen_ld_i64(v, tcg_env, r);
        gen_stq(s, v, addr, MO_64);
    } else {
        gen_ldq(s, v, addr, MO_64);
        st64(r, v);
    }
}

/* 0F 12 / 0F 16 without prefix: MOVLPS / MOVHPS (memory), MOVHLPS / MOVLHPS (register) */
void x86_sse_emit_movlps(DisasContext *s, const SseOp *o)
{
    if (s->mod == 3 && !(o->arg & 1)) {
        copy64(x86_vec_ofs(s->reg), x86_vec_ofs(s->rm) + 8);
    } else {
        mov_half(s, o);
    }
}

void x86_sse_emit_movhps(DisasContext *s, const SseOp *o)
{
    if (s->mod == 3 && !(o->arg & 1)) {
        copy64(x86_vec_ofs(s->reg) + 8, x86_vec_ofs(s->rm));
    } else {
        mov_half(s, o);
    }
}

void x86_sse_emit_movhlps(DisasContext *s, const SseOp *o) { x86_sse_emit_movlps(s, o); }
void x86_sse_emit_movlhps(DisasContext *s, const SseOp *o) { x86_sse_emit_movhps(s, o); }
void x86_sse_emit_movlpd(DisasContext *s, const SseOp *o) { mov_half(s, o); }
void x86_sse_emit_movhpd(DisasContext *s, const SseOp *o) { mov_half(s, o); }

/* MOVD/MOVQ to MMX/XMM from r/m32/64 (0F 6E; arg 1: XMM, upper bits zeroed). */
void x86_sse_emit_movd_to(DisasContext *s, const SseOp *o)
{
    int ot = s->rex_w ? MO_64 : MO_32;
    TCGv_i64 v = x86_gen_ld_rm(s, ot, NULL);

    if (o->arg) {
        st64(x86_vec_ofs(s->reg), v);
        st64(x86_vec_ofs(s->reg) + 8, tcg_constant_i64(0));
    } else {
        x86_gen_mmx_enter(s);
        x86_gen_mmx_store(s->reg, v);
    }
}

/* MOVD/MOVQ r/m32/64 from MMX/XMM (0F 7E; arg 1: XMM). */
void x86_sse_emit_movd_from(DisasContext *s, const SseOp *o)
{
    int ot = s->rex_w ? MO_64 : MO_32;
    TCGv_i64 v = ld64(o->arg ? x86_vec_ofs(s->reg) : x86_mmx_ofs(s->reg));

    if (!o->arg) {
        x86_gen_mmx_enter(s);
    }
    if (ot == MO_32) {
        tcg_gen_ext32u_i64(v, v);
    }
    x86_gen_st_rm_canon(s, ot, v, NULL);
}

/* MOVQ mm, mm/m64 (0F 6F, arg 0) and mm/m64, mm (0F 7F, arg 1). */
void x86_sse_emit_movq_mm(DisasContext *s, const SseOp *o)
{
    if (o->arg == 0) {
        TCGv_i64 v = x86_gen_mmx_load_rm(s);
        x86_gen_mmx_enter(s);
        x86_gen_mmx_store(s->reg, v);
        return;
    }
    TCGv_i64 v = ld64(x86_mmx_ofs(s->reg));
    if (s->mod == 3) {
        x86_gen_mmx_enter(s);
        x86_gen_mmx_store(s->rm, v);
    } else {
        gen_stq(s, v, x86_gen_lea_modrm(s), MO_64);
        x86_gen_mmx_enter(s);
    }
}

/* MOVQ xmm, xmm/m64 (F3 0F 7E): the low quadword, upper zeroed. */
void x86_sse_emit_movq_xmm(DisasContext *s, const SseOp *o)
{
    intptr_t b = x86_gen_vec_load_rm(s, 8, false);
    TCGv_i64 v = ld64(b);
    st64(x86_vec_ofs(s->reg), v);
    st64(x86_vec_ofs(s->reg) + 8, tcg_constant_i64(0));
}

/* MOVQ xmm/m64, xmm (66 0F D6): a register destination gets its upper half zeroed. */
void x86_sse_emit_movq_st(DisasContext *s, const SseOp *o)
{
    TCGv_i64 v = ld64(x86_vec_ofs(s->reg));
    if (s->mod == 3) {
        st64(x86_vec_ofs(s->rm), v);
        st64(x86_vec_ofs(s->rm) + 8, tcg_constant_i64(0));
    } else {
        gen_stq(s, v, x86_gen_lea_modrm(s), MO_64);
    }
}

/* MOVQ2DQ xmm, mm (F3 0F D6) and MOVDQ2Q mm, xmm (F2 0F D6). */
void x86_sse_emit_movq2dq(DisasContext *s, const SseOp *o)
{
    TCGv_i64 v = ld64(x86_mmx_ofs(s->rm));
    x86_gen_mmx_enter(s);
    st64(x86_vec_ofs(s->reg), v);
    st64(x86_vec_ofs(s->reg) + 8, tcg_constant_i64(0));
}

void x86_sse_emit_movdq2q(DisasContext *s, const SseOp *o)
{
    TCGv_i64 v = ld64(x86_vec_ofs(s->rm));
    x86_gen_mmx_enter(s);
    x86_gen_mmx_store(s->reg, v);
}

/* MOVNTQ m64, mm (0F E7) */
void x86_sse_emit_movntq(DisasContext *s, const SseOp *o)
{
    TCGv_i64 v = ld64(x86_mmx_ofs(s->reg));
    gen_stq(s, v, x86_gen_lea_modrm(s), MO_64);
    x86_gen_mmx_enter(s);
}

/* AND / ANDN / OR / XOR (arg 0-3) on XMM, or on MMX with SSE_F_MMX. */
static void logic64(int op, TCGv_i64 d, TCGv_i64 a, TCGv_i64 b)
{
    switch (op) {
    case 0: tcg_gen_and_i64(d, a, b); break;
    case 1: tcg_gen_andc_i64(d, b, a); break;
    case 2: tcg_gen_or_i64(d, a, b); break;
    default: tcg_gen_xor_i64(d, a, b); break;
    }
}

void x86_sse_emit_logic(DisasContext *s, const SseOp *o)
{
    if (o->flags & SSE_F_MMX) {
        TCGv_i64 b = x86_gen_mmx_load_rm(s), a = ld64(x86_mmx_ofs(s->reg));
        x86_gen_mmx_enter(s);
        logic64(o->arg, a, a, b);
        x86_gen_mmx_store(s->reg, a);
        return;
    }
    intptr_t bo = x86_gen_vec_load_rm(s, 16, true), d = x86_vec_ofs(s->reg);
    for (int i = 0; i < 16; i += 8) {
        TCGv_i64 a = ld64(d + i), b = ld64(bo + i);
        logic64(o->arg, a, a, b);
        st64(d + i, a);
    }
}

/* Sign-bit masks into a general register: MOVMSKPS (4 elements of 32 bits), MOVMSKPD
 * (2 of 64); PMOVMSKB (16 or, with SSE_F_MMX, 8 bytes) by x86_gen_byte_signs. */
static void gen_movmsk(DisasContext *s, intptr_t src, int nelem, int esize)
{
    TCGv_i64 res = tcg_temp_new_i64(), bit = tcg_temp_new_i64();
    tcg_gen_movi_i64(res, 0);
    for (int i = 0; i < nelem; i++) {
        int byte = (i + 1) * esize - 1;
        tcg_gen_ld8u_i64(bit, tcg_env, src + byte);
        tcg_gen_shri_i64(bit, bit, 7);
        if (i) {
            tcg_gen_shli_i64(bit, bit, i);
        }
        tcg_gen_or_i64(res, res, bit);
    }
    x86_gen_op_mov_reg_canon(s, s->code64 ? MO_64 : MO_32, s->reg & 15, res);
}

void x86_sse_emit_movmskps(DisasContext *s, const SseOp *o)
{
    gen_movmsk(s, x86_vec_ofs(s->rm), 4, 4);
}

void x86_sse_emit_movmskpd(DisasContext *s, const SseOp *o)
{
    gen_movmsk(s, x86_vec_ofs(s->rm), 2, 8);
}

void x86_sse_emit_pmovmskb(DisasContext *s, const SseOp *o)
{
    TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();

    if (o->flags & SSE_F_MMX) {
        x86_gen_mmx_enter(s);
        x86_gen_byte_signs(lo, ld64(x86_mmx_ofs(s->rm)));
    } else {
        x86_gen_byte_signs(lo, ld64(x86_vec_ofs(s->rm)));
        x86_gen_byte_signs(hi, ld64(x86_vec_ofs(s->rm) + 8));
        tcg_gen_shli_i64(hi, hi, 8);
        tcg_gen_or_i64(lo, lo, hi);
    }
    x86_gen_op_mov_reg_canon(s, s->code64 ? MO_64 : MO_32, s->reg, lo);
}

/* PEXTRW r32, mm/xmm, imm8 (0F C5, register forms) */
void x86_sse_emit_pextrw(DisasContext *s, const SseOp *o)
{
    bool mmx = o->flags & SSE_F_MMX;
    intptr_t src = mmx ? x86_mmx_ofs(s->rm) + (s->imm & 3) * 2
                       : x86_vec_ofs(s->rm) + (s->imm & 7) * 2;
    TCGv_i64 v = tcg_temp_new_i64();

    if (mmx) {
        x86_gen_mmx_enter(s);
    }
    tcg_gen_ld16u_i64(v, tcg_env, src);
    x86_gen_op_mov_reg_canon(s, s->code64 ? MO_64 : MO_32, s->reg, v);
}

/* PINSRW mm/xmm, r32/m16, imm8 (0F C4) */
void x86_sse_emit_pinsrw(DisasContext *s, const SseOp *o)
{
    bool mmx = o->flags & SSE_F_MMX;
    TCGv_i64 v = x86_gen_ld_rm(s, MO_16, NULL);

    if (mmx) {
        TCGv_i64 m = ld64(x86_mmx_ofs(s->reg));
        x86_gen_mmx_enter(s);
        tcg_gen_deposit_i64(m, m, v, (s->imm & 3) * 16, 16);
        x86_gen_mmx_store(s->reg, m);
    } else {
        tcg_gen_st16_i64(v, tcg_env, x86_vec_ofs(s->reg) + (s->imm & 7) * 2);
    }
}

/* MASKMOVQ / MASKMOVDQU: bytes of reg whose mask byte (rm) has bit 7 set are stored at
 * DS:rDI (segment override allowed), byte by byte (non-temporal hint ignored). */
void x86_sse_emit_maskmov(DisasContext *s, const SseOp *o)
{
    bool mmx = o->flags & SSE_F_MMX;
    int n = mmx ? 8 : 16;
    intptr_t data = mmx ? x86_mmx_ofs(s->reg) : x86_vec_ofs(s->reg);
    intptr_t mask = mmx ? x86_mmx_ofs(s->rm) : x86_vec_ofs(s->rm);
    TCGv_i64 di = tcg_temp_new_i64();

    if (mmx) {
        x86_gen_mmx_enter(s);
    }
    x86_gen_ext(s->aflag, di, x86_cpu_regs[R_EDI], false);
    TCGv_i64 base = x86_gen_lea_seg(s, di, R_DS, true);
    TCGv_i64 base_tb = tcg_temp_new_tb_i64();
    tcg_gen_mov_i64(base_tb, base);
    for (int i = 0; i < n; i++) {
        TCGv_i64 m = tcg_temp_new_i64(), b = tcg_temp_new_i64(), a = tcg_temp_new_i64();
        TCGLabel *skip = gen_new_label();
        tcg_gen_ld8u_i64(m, tcg_env, mask + i);
        tcg_gen_brcondi_i64(TCG_COND_TSTEQ, m, 0x80, skip);
        tcg_gen_ld8u_i64(b, tcg_env, data + i);
        tcg_gen_addi_i64(a, base_tb, i);
        if (!s->code64) {
            tcg_gen_ext32u_i64(a, a);
        }
        gen_stq(s, b, a, MO_8);
        gen_set_label(skip);
    }
}

/* EMMS (0F 77): every x87 tag empty. */
void x86_sse_emit_emms(DisasContext *s, const SseOp *o)
{
    tcg_gen_st_i64(tcg_constant_i64(0x0101010101010101ull), tcg_env, offsetof(X86CPU, fptags));
}

/* LDMXCSR m32 / STMXCSR m32 (0F AE /2 /3) */
void x86_sse_emit_ldmxcsr(DisasContext *s, const SseOp *o)
{
    TCGv_i64 v = tcg_temp_new_i64();
    TCGv_i32 v32 = tcg_temp_new_i32();
    gen_ldq(s, v, x86_gen_lea_modrm(s), MO_32);
    tcg_gen_extrl_i64_i32(v32, v);
    x86_gen_helper(&x86_info_ldmxcsr, NULL, 2, tcgv_temp(tcg_env), tcgv_temp(v32));
}

void x86_sse_emit_stmxcsr(DisasContext *s, const SseOp *o)
{
    TCGv_i64 v = tcg_temp_new_i64();
    tcg_gen_ld32u_i64(v, tcg_env, offsetof(X86CPU, mxcsr));
    gen_stq(s, v, x86_gen_lea_modrm(s), MO_32);
}

/* MOVNTI m32/64, r32/64 (0F C3) */
void x86_sse_emit_movnti(DisasContext *s, const SseOp *o)
{
    int ot = s->rex_w ? MO_64 : MO_32;
    TCGv_i64 v = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, ot, v, s->reg);
    x86_gen_st_rm(s, ot, v, NULL);
}

/* INVPCID r32/64, m128 (66 0F 38 82): the type register (64-bit in 64-bit mode) and the
 * descriptor's address to the MMU helper (#UD without CPUID INVPCID, #GP at CPL > 0 or
 * for a bad type/descriptor); the TB ends (translations may be flushed). */
void x86_sse_emit_invpcid(DisasContext *s, const SseOp *o)
{
    TCGv_i64 type = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, s->code64 ? MO_64 : MO_32, type, s->reg);
    TCGv_i64 addr = x86_gen_lea_modrm(s);
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_invpcid, NULL, 3, tcgv_temp(tcg_env), tcgv_temp(type),
                   tcgv_temp(addr));
    s->is_jmp = DISAS_EOB_NEXT;
}
