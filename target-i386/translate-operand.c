/* x86 operand access for the translator: registers of every size (AH..BH without REX),
 * effective addresses (16/32/64-bit, RIP-relative), segment bases with the flat-segment
 * shortcut (no base added for DS/ES/SS when the TB flags say all three are 0, nor in
 * 64-bit mode), guest loads and stores, and the stack (Intel SDM vol. 1 3.7, vol. 3A
 * 3.4). */
#include "target-i386/helper-sys.h"
#include "target-i386/translate.h"

void x86_gen_ext(int ot, TCGv_i64 d, TCGv_i64 v, bool sign)
{
    switch (ot) {
    case MO_8: sign ? tcg_gen_ext8s_i64(d, v) : tcg_gen_ext8u_i64(d, v); break;
    case MO_16: sign ? tcg_gen_ext16s_i64(d, v) : tcg_gen_ext16u_i64(d, v); break;
    case MO_32: sign ? tcg_gen_ext32s_i64(d, v) : tcg_gen_ext32u_i64(d, v); break;
    default: tcg_gen_mov_i64(d, v); break;
    }
}

static bool byte_reg_is_high(DisasContext *s, int reg)
{
    return reg >= 4 && reg < 8 && !(s->prefix & PREFIX_REX);
}

/* Outside IA-32e mode no write can set bits 63:32 of a register (32-bit writes
 * zero-extend, 8/16-bit ones keep the zero upper half), so a 32-bit read is a plain copy;
 * in compatibility mode values left by 64-bit code may remain there. */
void x86_gen_op_mov_v_reg(DisasContext *s, int ot, TCGv_i64 d, int reg)
{
    if (ot == MO_8 && byte_reg_is_high(s, reg)) {
        tcg_gen_extract_i64(d, x86_cpu_regs[reg - 4], 8, 8);
    } else if (ot == MO_32 && !(s->flags & HF_LMA)) {
        tcg_gen_mov_i64(d, x86_cpu_regs[reg]);
    } else {
        x86_gen_ext(ot, d, x86_cpu_regs[reg], false);
    }
}

void x86_gen_op_mov_reg_canon(DisasContext *s, int ot, int reg, TCGv_i64 v)
{
    if (ot >= MO_32) {
        if (reg == R_ESP) {
            s->sp_known = false;
        }
        tcg_gen_mov_i64(x86_cpu_regs[reg], v);
    } else {
        x86_gen_op_mov_reg_v(s, ot, reg, v);
    }
}

void x86_gen_op_mov_reg_v(DisasContext *s, int ot, int reg, TCGv_i64 v)
{
    if (reg == R_ESP && !(ot == MO_8 && byte_reg_is_high(s, reg))) {
        s->sp_known = false;
    }
    switch (ot) {
    case MO_8:
        if (byte_reg_is_high(s, reg)) {
            tcg_gen_deposit_i64(x86_cpu_regs[reg - 4], x86_cpu_regs[reg - 4], v, 8, 8);
        } else {
            tcg_gen_deposit_i64(x86_cpu_regs[reg], x86_cpu_regs[reg], v, 0, 8);
        }
        break;
    case MO_16:
        tcg_gen_deposit_i64(x86_cpu_regs[reg], x86_cpu_regs[reg], v, 0, 16);
        break;
    case MO_32:
        tcg_gen_ext32u_i64(x86_cpu_regs[reg], v);
        break;
    default:
        tcg_gen_mov_i64(x86_cpu_regs[reg], v);
        break;
    }
}

/* ---- addresses ---------------------------------------------------------------------------- */

TCGv_i64 x86_gen_ea_offset(DisasContext *s)
{
    TCGv_i64 ea = tcg_temp_new_i64();

    if (s->ea_base == -2) {
        tcg_gen_movi_i64(ea, s_next_eip(s) + s->disp);
        return ea;
    }
    if (s->ea_base >= 0) {
        tcg_gen_addi_i64(ea, x86_cpu_regs[s->ea_base], s->disp);
    } else {
        tcg_gen_movi_i64(ea, s->disp);
    }
    if (s->ea_index >= 0) {
        TCGv_i64 t = tcg_temp_new_i64();
        tcg_gen_shli_i64(t, x86_cpu_regs[s->ea_index], s->ea_scale);
        tcg_gen_add_i64(ea, ea, t);
    }
    return ea;
}

/* 64-bit mode: records in insn_start word 2 that the instruction accesses memory through
 * SS (X86_MEM_SS: explicitly or as a stack operation) or another segment, for the TLB
 * fill's choice between #SS(0) and #GP(0) on a non-canonical address (mmu.c). Translation
 * time only: the generated code does not change. */
void x86_mark_mem(DisasContext *s, int seg)
{
    unsigned kind = seg == R_SS ? X86_MEM_SS : X86_MEM_OTHER;
    if (s->code64 && !(s->insn_mem & kind)) {
        s->insn_mem |= kind;
        tcg_set_insn_start_param(tcg_last_insn_start(), 2, s->insn_mem);
    }
}

void x86_note_seg_addr(DisasContext *s, TCGv_i64 a, TCGv_i64 off, int seg)
{
    s->lim_addr = a;
    s->lim_off = off;
    s->lim_seg = seg;
}

/* Under HF_SEGLIM, before an access of 1 << (ot & MO_SIZE) bytes at addr: the limit check
 * of the segment the address was computed in (SDM 3A 5.3; #GP(0), #SS(0) for SS). */
static void gen_seg_check(DisasContext *s, int ot, TCGv_i64 addr)
{
    if (!(s->flags & HF_SEGLIM) || addr != s->lim_addr) {
        return;
    }
    uint32_t desc = (uint32_t)s->lim_seg | ((1u << (ot & MO_SIZE)) - 1) << 3;
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_seg_check, NULL, 3, tcgv_temp(tcg_env), tcgv_temp(s->lim_off),
                   tcgv_temp(tcg_constant_i32(desc)));
}

/* Does a memory access through segment seg add its base? */
static bool seg_has_base(DisasContext *s, int seg)
{
    if (seg == R_FS || seg == R_GS) {
        return true;
    }
    if (s->code64) {
        return false;
    }
    return seg == R_CS || (s->flags & HF_ADDSEG);
}

TCGv_i64 x86_gen_lea_seg(DisasContext *s, TCGv_i64 off, int seg, bool use_override)
{
    TCGv_i64 a = tcg_temp_new_i64();

    if (use_override && s->override >= 0) {
        seg = s->override;
    }
    x86_mark_mem(s, seg);
    x86_gen_ext(s->aflag, a, off, false);
    if (s->flags & HF_SEGLIM) {
        TCGv_i64 o = tcg_temp_new_i64();
        tcg_gen_mov_i64(o, a);
        x86_note_seg_addr(s, a, o, seg);
    }
    if (seg_has_base(s, seg)) {
        tcg_gen_add_i64(a, a, x86_cpu_seg_base[seg]);
        if (!s->code64) {
            tcg_gen_ext32u_i64(a, a);
        }
    }
    return a;
}

TCGv_i64 x86_gen_lea_modrm(DisasContext *s)
{
    int seg = s->override >= 0 ? s->override : s->ea_seg;
    /* Outside IA-32e mode a 32-bit register is zero-extended already
     * (x86_gen_op_mov_v_reg): [reg] needs no truncation when no base is added. */
    if (s->aflag == MO_32 && !(s->flags & (HF_LMA | HF_SEGLIM)) && s->ea_base >= 0 &&
        s->ea_index < 0 && s->disp == 0 && !seg_has_base(s, seg)) {
        TCGv_i64 a = tcg_temp_new_i64();
        tcg_gen_mov_i64(a, x86_cpu_regs[s->ea_base]);
        return a;
    }
    return x86_gen_lea_seg(s, x86_gen_ea_offset(s), s->ea_seg, true);
}

void x86_gen_ld(DisasContext *s, int ot, TCGv_i64 d, TCGv_i64 addr)
{
    gen_seg_check(s, ot, addr);
    tcg_gen_qemu_ld_i64(d, tcgv_temp(addr), s->mem_idx, (MemOp)(ot | MO_LE | s->align));
}

void x86_gen_ld_sign(DisasContext *s, int ot, TCGv_i64 d, TCGv_i64 addr)
{
    gen_seg_check(s, ot, addr);
    tcg_gen_qemu_ld_i64(d, tcgv_temp(addr), s->mem_idx, (MemOp)(ot | MO_LE | MO_SIGN | s->align));
}

void x86_gen_st(DisasContext *s, int ot, TCGv_i64 v, TCGv_i64 addr)
{
    gen_seg_check(s, ot, addr);
    tcg_gen_qemu_st_i64(v, tcgv_temp(addr), s->mem_idx, (MemOp)(ot | MO_LE | s->align));
}

TCGv_i64 x86_gen_ld_rm(DisasContext *s, int ot, TCGv_i64 *addr)
{
    TCGv_i64 v = tcg_temp_new_i64();

    if (s->mod == 3) {
        x86_gen_op_mov_v_reg(s, ot, v, s->rm);
        if (addr) {
            *addr = NULL;
        }
        return v;
    }
    TCGv_i64 a = x86_gen_lea_modrm(s);
    x86_gen_ld(s, ot, v, a);
    if (addr) {
        *addr = a;
    }
    return v;
}

void x86_gen_st_rm(DisasContext *s, int ot, TCGv_i64 v, TCGv_i64 addr)
{
    if (s->mod == 3) {
        x86_gen_op_mov_reg_v(s, ot, s->rm, v);
    } else {
        x86_gen_st(s, ot, v, addr ? addr : x86_gen_lea_modrm(s));
    }
}

void x86_gen_st_rm_canon(DisasContext *s, int ot, TCGv_i64 v, TCGv_i64 addr)
{
    if (s->mod == 3) {
        x86_gen_op_mov_reg_canon(s, ot, s->rm, v);
    } else {
        x86_gen_st(s, ot, v, addr ? addr : x86_gen_lea_modrm(s));
    }
}

/* ---- the stack ----------------------------------------------------------------------------- */

int x86_stack_ot(DisasContext *s)
{
    if (s->code64) {
        return MO_64;
    }
    return (s->flags & HF_SS32) ? MO_32 : MO_16;
}

/* Push/pop size: 64-bit mode pushes 64 or 16 bits, others 32 or 16. */
int x86_gen_push_ot(DisasContext *s, int ot)
{
    if (s->code64) {
        return ot == MO_16 ? MO_16 : MO_64;
    }
    return ot;
}

TCGv_i64 x86_gen_stack_addr(DisasContext *s, int64_t off)
{
    TCGv_i64 a = tcg_temp_new_i64();
    int sot = x86_stack_ot(s);

    x86_mark_mem(s, R_SS);
    tcg_gen_addi_i64(a, x86_cpu_regs[R_ESP], off);
    x86_gen_ext(sot, a, a, false);
    if (s->flags & HF_SEGLIM) {
        TCGv_i64 o = tcg_temp_new_i64();
        tcg_gen_mov_i64(o, a);
        x86_note_seg_addr(s, a, o, R_SS);
    }
    if (seg_has_base(s, R_SS)) {
        tcg_gen_add_i64(a, a, x86_cpu_seg_base[R_SS]);
        tcg_gen_ext32u_i64(a, a);
    }
    return a;
}

void x86_gen_sp_add(DisasContext *s, int64_t delta)
{
    TCGv_i64 t = tcg_temp_new_i64();
    bool known = s->sp_known;
    tcg_gen_addi_i64(t, x86_cpu_regs[R_ESP], delta);
    x86_gen_op_mov_reg_v(s, x86_stack_ot(s), R_ESP, t);
    s->sp_known = known;
    s->sp_delta += delta;
}

void x86_gen_push(DisasContext *s, int ot, TCGv_i64 v)
{
    int size = 1 << ot;
    TCGv_i64 a = x86_gen_stack_addr(s, -size);

    x86_gen_st(s, ot, v, a);
    if (seg_has_base(s, R_SS)) {
        x86_gen_sp_add(s, -size);
    } else {
        /* no SS base: the address is the new stack pointer, truncated to its size */
        bool known = s->sp_known;
        x86_gen_op_mov_reg_canon(s, x86_stack_ot(s), R_ESP, a);
        s->sp_known = known;
        s->sp_delta -= size;
    }
}

TCGv_i64 x86_gen_pop_peek(DisasContext *s, int ot)
{
    TCGv_i64 v = tcg_temp_new_i64();
    x86_gen_ld(s, ot, v, x86_gen_stack_addr(s, 0));
    return v;
}

void x86_gen_pop_update(DisasContext *s, int ot)
{
    x86_gen_sp_add(s, 1 << ot);
}
