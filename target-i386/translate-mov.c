/* x86 data movement for the translator: MOV in its forms, MOVZX/MOVSX/MOVSXD, LEA, XCHG,
 * CBW/CWDE/CDQE, CWD/CDQ/CQO, XLAT, CMOVcc, SETcc, BSWAP, MOVBE, and the stack: PUSH, POP,
 * PUSHA/POPA, ENTER, LEAVE (Intel SDM vol. 2). */
#include "target-i386/cpuid.h"
#include "target-i386/helper.h"
#include "target-i386/translate.h"

void x86_emit_mov(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 v = tcg_temp_new_i64();

    if (e->arg) {
        x86_gen_op_mov_reg_canon(s, s->ot, s->reg, x86_gen_ld_rm(s, s->ot, NULL));
    } else {
        x86_gen_op_mov_v_reg(s, s->ot, v, s->reg);
        if (s->ot == MO_32 && !(s->flags & HF_LMA)) {
            x86_gen_st_rm_canon(s, s->ot, v, NULL);     /* v is zero-extended already */
        } else {
            x86_gen_st_rm(s, s->ot, v, NULL);
        }
    }
}

void x86_emit_mov_imm_rm(DisasContext *s, const X86OpEntry *e)
{
    if (((s->modrm >> 3) & 7) != 0) {
        x86_gen_illegal(s);
        return;
    }
    x86_gen_st_rm(s, s->ot, tcg_constant_i64(s->imm & ot_mask(s->ot)), NULL);
}

void x86_emit_mov_reg_imm(DisasContext *s, const X86OpEntry *e)
{
    int reg = (s->opcode & 7) | (s->rex_b << 3);
    x86_gen_op_mov_reg_canon(s, s->ot, reg, tcg_constant_i64(s->imm & ot_mask(s->ot)));
}

void x86_emit_mov_moffs(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 a = x86_gen_lea_seg(s, tcg_constant_i64(s->imm), R_DS, true);
    TCGv_i64 v = tcg_temp_new_i64();

    if (e->arg == 0) {
        x86_gen_ld(s, s->ot, v, a);
        x86_gen_op_mov_reg_v(s, s->ot, R_EAX, v);
    } else {
        x86_gen_op_mov_v_reg(s, s->ot, v, R_EAX);
        x86_gen_st(s, s->ot, v, a);
    }
}

/* arg: 0 movzx b, 1 movzx w, 2 movsx b, 3 movsx w */
void x86_emit_movzx(DisasContext *s, const X86OpEntry *e)
{
    int sot = (e->arg & 1) ? MO_16 : MO_8;
    TCGv_i64 v = x86_gen_ld_rm(s, sot, NULL);

    if (e->arg & 2) {
        x86_gen_ext(sot, v, v, true);
    }
    x86_gen_op_mov_reg_v(s, s->dflag, s->reg, v);
}

/* 63: ARPL outside 64-bit mode, MOVSXD in it. */
void x86_emit_movsxd(DisasContext *s, const X86OpEntry *e)
{
    if (!s->code64) {
        x86_emit_arpl(s, e);
        return;
    }
    TCGv_i64 v = x86_gen_ld_rm(s, MO_32, NULL);
    if (s->dflag == MO_64) {
        tcg_gen_ext32s_i64(v, v);
    }
    x86_gen_op_mov_reg_v(s, s->dflag, s->reg, v);
}

void x86_emit_lea(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 ea = x86_gen_ea_offset(s);
    x86_gen_ext(s->aflag, ea, ea, false);
    x86_gen_op_mov_reg_v(s, s->dflag, s->reg, ea);
}

/* XCHG with a memory operand is locked whether or not LOCK is given. */
void x86_emit_xchg(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 r = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, s->ot, r, s->reg);
    if (s->mod != 3) {
        TCGv_i64 old = tcg_temp_new_i64();
        x86_gen_xchg_mem(s, s->ot, old, x86_gen_lea_modrm(s), r);
        x86_gen_op_mov_reg_canon(s, s->ot, s->reg, old);
        return;
    }
    TCGv_i64 m = x86_gen_ld_rm(s, s->ot, NULL);
    x86_gen_st_rm(s, s->ot, r, NULL);
    x86_gen_op_mov_reg_v(s, s->ot, s->reg, m);
}

/* 90-97: XCHG with the accumulator; 90 is NOP (F3 90: PAUSE), unless REX.B. */
void x86_emit_xchg_acc(DisasContext *s, const X86OpEntry *e)
{
    int reg = (s->opcode & 7) | (s->rex_b << 3);
    if (reg == R_EAX) {
        return;
    }
    TCGv_i64 a = tcg_temp_new_i64(), b = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, s->ot, a, R_EAX);
    x86_gen_op_mov_v_reg(s, s->ot, b, reg);
    x86_gen_op_mov_reg_v(s, s->ot, R_EAX, b);
    x86_gen_op_mov_reg_v(s, s->ot, reg, a);
}

void x86_emit_cbw(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 v = tcg_temp_new_i64();
    x86_gen_ext(s->dflag - 1, v, x86_cpu_regs[R_EAX], true);
    x86_gen_op_mov_reg_v(s, s->dflag, R_EAX, v);
}

void x86_emit_cwd(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 v = tcg_temp_new_i64();
    x86_gen_ext(s->dflag, v, x86_cpu_regs[R_EAX], true);
    tcg_gen_sari_i64(v, v, 63);
    x86_gen_op_mov_reg_v(s, s->dflag, R_EDX, v);
}

void x86_emit_xlat(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 off = tcg_temp_new_i64(), v = tcg_temp_new_i64();
    tcg_gen_ext8u_i64(off, x86_cpu_regs[R_EAX]);
    tcg_gen_add_i64(off, off, x86_cpu_regs[R_EBX]);
    x86_gen_ld(s, MO_8, v, x86_gen_lea_seg(s, off, R_DS, true));
    x86_gen_op_mov_reg_v(s, MO_8, R_EAX, v);
}

void x86_emit_cmov(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 v = x86_gen_ld_rm(s, s->ot, NULL), cur = tcg_temp_new_i64(), c = tcg_temp_new_i64();

    x86_gen_op_mov_v_reg(s, s->ot, cur, s->reg);
    x86_gen_setcc(s, s->opcode & 0xf, c);
    tcg_gen_movcond_i64(TCG_COND_NE, v, c, tcg_constant_i64(0), v, cur);
    /* a 32-bit CMOV writes (zero-extends) the destination even when false */
    x86_gen_op_mov_reg_v(s, s->ot, s->reg, v);
}

void x86_emit_setcc(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 c = tcg_temp_new_i64();
    x86_gen_setcc(s, s->opcode & 0xf, c);
    x86_gen_st_rm(s, MO_8, c, NULL);
}

void x86_emit_bswap(DisasContext *s, const X86OpEntry *e)
{
    int reg = (s->opcode & 7) | (s->rex_b << 3);
    TCGv_i64 v = tcg_temp_new_i64();

    if (s->dflag == MO_64) {
        tcg_gen_bswap64_i64(x86_cpu_regs[reg], x86_cpu_regs[reg]);
    } else if (s->dflag == MO_32) {
        tcg_gen_bswap32_i64(x86_cpu_regs[reg], x86_cpu_regs[reg]);
    } else {
        /* BSWAP of a 16-bit register is undefined; hardware gives 0 */
        tcg_gen_movi_i64(v, 0);
        x86_gen_op_mov_reg_v(s, MO_16, reg, v);
    }
}

/* 0F 38 F0/F1: MOVBE (no prefix or 66); with F2: CRC32. */
void x86_emit_movbe(DisasContext *s, const X86OpEntry *e)
{
    if (s->prefix & PREFIX_REPNZ) {
        if (x86_need_feature(s, FEAT_1_ECX, CPUID_EXT_SSE42)) {
            x86_emit_crc32(s, e);
        }
        return;
    }
    if (!x86_need_feature(s, FEAT_1_ECX, CPUID_EXT_MOVBE)) {
        return;
    }
    if (s->mod == 3) {
        x86_gen_illegal(s);
        return;
    }
    TCGv_i64 a = x86_gen_lea_modrm(s), v = tcg_temp_new_i64();
    MemOp mop = (MemOp)(s->dflag | MO_BE);
    if (e->arg == 0) {
        tcg_gen_qemu_ld_i64(v, tcgv_temp(a), s->mem_idx, mop);
        x86_gen_op_mov_reg_v(s, s->dflag, s->reg, v);
    } else {
        x86_gen_op_mov_v_reg(s, s->dflag, v, s->reg);
        tcg_gen_qemu_st_i64(v, tcgv_temp(a), s->mem_idx, mop);
    }
}

void x86_emit_crc32(DisasContext *s, const X86OpEntry *e)
{
    int sot = e->arg == 0 ? MO_8 : s->dflag;
    TCGv_i64 v = x86_gen_ld_rm(s, sot, NULL), acc = tcg_temp_new_i64();

    x86_gen_op_mov_v_reg(s, MO_32, acc, s->reg);
    x86_gen_helper(&x86_info_crc32, tcgv_temp(acc), 3, tcgv_temp(acc), tcgv_temp(v),
               tcgv_temp(tcg_constant_i32(ot_bits(sot))));
    x86_gen_op_mov_reg_v(s, MO_32, s->reg, acc);
}

void x86_emit_nop(DisasContext *s, const X86OpEntry *e)
{
}

void x86_emit_nop_modrm(DisasContext *s, const X86OpEntry *e)
{
}

/* ---- the stack ----------------------------------------------------------------------------------- */

void x86_emit_push_reg(DisasContext *s, const X86OpEntry *e)
{
    int reg = (s->opcode & 7) | (s->rex_b << 3), ot = x86_gen_push_ot(s, s->dflag);
    TCGv_i64 v = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, ot, v, reg);
    x86_gen_push(s, ot, v);
}

void x86_emit_pop_reg(DisasContext *s, const X86OpEntry *e)
{
    int reg = (s->opcode & 7) | (s->rex_b << 3), ot = x86_gen_push_ot(s, s->dflag);
    TCGv_i64 v = x86_gen_pop_peek(s, ot);
    x86_gen_pop_update(s, ot);
    x86_gen_op_mov_reg_canon(s, ot, reg, v);
}

void x86_emit_push_imm(DisasContext *s, const X86OpEntry *e)
{
    int ot = x86_gen_push_ot(s, s->dflag);
    x86_gen_push(s, ot, tcg_constant_i64(s->imm & ot_mask(ot)));
}

/* POP r/m: ESP is incremented before the address is computed (SDM POP). */
void x86_emit_pop_rm(DisasContext *s, const X86OpEntry *e)
{
    int ot = x86_gen_push_ot(s, s->dflag);
    if (((s->modrm >> 3) & 7) != 0) {
        x86_gen_illegal(s);
        return;
    }
    TCGv_i64 v = x86_gen_pop_peek(s, ot);
    if (s->mod == 3) {
        x86_gen_pop_update(s, ot);
        x86_gen_op_mov_reg_v(s, ot, s->rm, v);
        return;
    }
    TCGv_i64 old_sp = tcg_temp_new_i64();
    tcg_gen_mov_i64(old_sp, x86_cpu_regs[R_ESP]);
    x86_gen_pop_update(s, ot);
    TCGv_i64 a = x86_gen_lea_modrm(s);
    tcg_gen_mov_i64(x86_cpu_regs[R_ESP], old_sp);
    x86_gen_st(s, ot, v, a);
    x86_gen_pop_update(s, ot);
}

void x86_emit_pusha(DisasContext *s, const X86OpEntry *e)
{
    int ot = s->dflag, size = 1 << ot;
    TCGv_i64 v = tcg_temp_new_i64();

    for (int i = 0; i < 8; i++) {
        x86_gen_op_mov_v_reg(s, ot, v, i);
        x86_gen_st(s, ot, v, x86_gen_stack_addr(s, -(i + 1) * size));
    }
    x86_gen_sp_add(s, -8 * size);
}

void x86_emit_popa(DisasContext *s, const X86OpEntry *e)
{
    int ot = s->dflag, size = 1 << ot;
    TCGv_i64 vals[8];

    for (int i = 0; i < 8; i++) {
        vals[i] = tcg_temp_new_i64();
        if (i != R_ESP) {
            x86_gen_ld(s, ot, vals[i], x86_gen_stack_addr(s, (7 - i) * size));
        }
    }
    for (int i = 0; i < 8; i++) {
        if (i != R_ESP) {
            x86_gen_op_mov_reg_v(s, ot, i, vals[i]);
        }
    }
    x86_gen_sp_add(s, 8 * size);
}

void x86_emit_enter(DisasContext *s, const X86OpEntry *e)
{
    int ot = x86_gen_push_ot(s, s->dflag), size = 1 << ot, sot = x86_stack_ot(s);
    int level = s->imm2 & 31;
    TCGv_i64 frame = tcg_temp_new_i64(), v = tcg_temp_new_i64();

    /* push rBP; frame = rSP; copy level-1 frame pointers; push frame */
    x86_gen_op_mov_v_reg(s, ot, v, R_EBP);
    x86_gen_st(s, ot, v, x86_gen_stack_addr(s, -size));
    tcg_gen_subi_i64(frame, x86_cpu_regs[R_ESP], size);
    x86_gen_ext(sot, frame, frame, false);
    for (int i = 1; i < level; i++) {
        TCGv_i64 off = tcg_temp_new_i64();
        tcg_gen_subi_i64(off, x86_cpu_regs[R_EBP], i * size);
        x86_gen_ld(s, ot, v, x86_gen_lea_seg(s, off, R_SS, false));
        x86_gen_st(s, ot, v, x86_gen_stack_addr(s, -(i + 1) * size));
    }
    if (level) {
        x86_gen_st(s, ot, frame, x86_gen_stack_addr(s, -(level + 1) * size));
    }
    x86_gen_op_mov_reg_v(s, ot, R_EBP, frame);
    x86_gen_sp_add(s, -(int64_t)size * (1 + level) - s->imm);
}

void x86_emit_leave(DisasContext *s, const X86OpEntry *e)
{
    int ot = x86_gen_push_ot(s, s->dflag);
    TCGv_i64 sp = tcg_temp_new_i64(), v = tcg_temp_new_i64();
    TCGv_i64 a = tcg_temp_new_i64();

    x86_mark_mem(s, R_SS);
    x86_gen_ext(x86_stack_ot(s), sp, x86_cpu_regs[R_EBP], false);
    tcg_gen_mov_i64(a, sp);
    x86_note_seg_addr(s, a, sp, R_SS);
    if (s->flags & HF_ADDSEG && !s->code64) {
        tcg_gen_add_i64(a, a, x86_cpu_seg_base[R_SS]);
        tcg_gen_ext32u_i64(a, a);
    }
    x86_gen_ld(s, ot, v, a);
    tcg_gen_addi_i64(sp, sp, 1 << ot);
    x86_gen_op_mov_reg_v(s, x86_stack_ot(s), R_ESP, sp);
    x86_gen_op_mov_reg_v(s, ot, R_EBP, v);
}
