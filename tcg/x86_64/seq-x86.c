/* Multi-instruction x86-64 sequences for the back end (SysV AMD64 ABI for the
 * prologue; Intel SDM for lzcnt/tzcnt/popcnt and their bsr/bsf fallbacks). */
#include "tcg/x86_64/seq-x86.h"

static const X86Reg callee_saved[] = { X86_RBP, X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15 };
#define NUM_CALLEE_SAVED (sizeof(callee_saved) / sizeof(callee_saved[0]))

/* On entry rsp = 8 mod 16 (return address); six pushes keep it 8 mod 16, and the frame
 * size is 8 mod 16, so rsp is 16-byte aligned inside generated code, as calls need. */
_Static_assert(X86_FRAME_SIZE % 16 == 8, "frame keeps rsp 16-byte aligned");

size_t x86_emit_prologue(X86Asm *a)
{
    size_t epilogue;
    for (size_t i = 0; i < NUM_CALLEE_SAVED; i++) {
        x86_push(a, callee_saved[i]);
    }
    x86_alu_ri(a, X86_SUB, true, X86_RSP, X86_FRAME_SIZE);
    x86_mov_rr(a, true, X86_ENV_REG, X86_RDI);
    x86_jmp_r(a, X86_RSI);
    epilogue = a->pos;
    x86_emit_epilogue(a);
    return epilogue;
}

void x86_emit_epilogue(X86Asm *a)
{
    x86_alu_ri(a, X86_ADD, true, X86_RSP, X86_FRAME_SIZE);
    for (size_t i = NUM_CALLEE_SAVED; i-- > 0;) {
        x86_pop(a, callee_saved[i]);
    }
    x86_ret(a);
}

void x86_seq_movi(X86Asm *a, bool w64, X86Reg r, uint64_t v)
{
    x86_mov_ri(a, r, w64 ? v : (uint32_t)v);
}

void x86_seq_mov(X86Asm *a, bool w64, X86Reg dst, X86Reg src)
{
    if (dst != src) {
        x86_mov_rr(a, w64, dst, src);
    }
}

/* lzcnt sets CF when src is 0 (result = width); bsr sets ZF and leaves dst undefined,
 * and gives the index of the top bit, so clz = bsr ^ (width - 1). */
void x86_seq_clz_reg(X86Asm *a, bool w64, bool use_lzcnt, X86Reg dst, X86Reg src,
                     X86Reg zero_val)
{
    unsigned top = w64 ? 63 : 31;
    if (use_lzcnt) {
        x86_seq_mov(a, w64, X86_SCRATCH1, zero_val);
        x86_lzcnt(a, w64, dst, src);
        x86_cmovcc(a, X86_CC_B, w64, dst, X86_SCRATCH1);
        return;
    }
    x86_seq_mov(a, w64, X86_SCRATCH1, zero_val);
    x86_alu_ri(a, X86_XOR, w64, X86_SCRATCH1, (int32_t)top);   /* pre-undo the final xor */
    x86_bsr(a, w64, dst, src);
    x86_cmovcc(a, X86_CC_E, w64, dst, X86_SCRATCH1);
    x86_alu_ri(a, X86_XOR, w64, dst, (int32_t)top);
}

void x86_seq_clz(X86Asm *a, bool w64, bool use_lzcnt, X86Reg dst, X86Reg src,
                 uint64_t zero_val)
{
    if (use_lzcnt && zero_val == (w64 ? 64u : 32u)) {
        x86_lzcnt(a, w64, dst, src);
        return;
    }
    x86_seq_movi(a, w64, X86_SCRATCH0, zero_val);
    x86_seq_clz_reg(a, w64, use_lzcnt, dst, src, X86_SCRATCH0);
}

/* tzcnt sets CF when src is 0; bsf sets ZF. Both give the index of the lowest bit. */
void x86_seq_ctz_reg(X86Asm *a, bool w64, bool use_tzcnt, X86Reg dst, X86Reg src,
                     X86Reg zero_val)
{
    x86_seq_mov(a, w64, X86_SCRATCH1, zero_val);
    if (use_tzcnt) {
        x86_tzcnt(a, w64, dst, src);
        x86_cmovcc(a, X86_CC_B, w64, dst, X86_SCRATCH1);
    } else {
        x86_bsf(a, w64, dst, src);
        x86_cmovcc(a, X86_CC_E, w64, dst, X86_SCRATCH1);
    }
}

void x86_seq_ctz(X86Asm *a, bool w64, bool use_tzcnt, X86Reg dst, X86Reg src,
                 uint64_t zero_val)
{
    if (use_tzcnt && zero_val == (w64 ? 64u : 32u)) {
        x86_tzcnt(a, w64, dst, src);
        return;
    }
    x86_seq_movi(a, w64, X86_SCRATCH0, zero_val);
    x86_seq_ctz_reg(a, w64, use_tzcnt, dst, src, X86_SCRATCH0);
}

/* Without popcnt: the classic SWAR reduction (pairs, nibbles, bytes, then a multiply
 * that sums the bytes into the top byte). */
void x86_seq_ctpop(X86Asm *a, bool w64, bool use_popcnt, X86Reg dst, X86Reg src)
{
    const X86Reg t = X86_SCRATCH0, m = X86_SCRATCH1;
    if (use_popcnt) {
        x86_popcnt(a, w64, dst, src);
        return;
    }
    x86_seq_mov(a, w64, dst, src);
    /* dst -= (dst >> 1) & 0x55.. */
    x86_seq_mov(a, w64, t, dst);
    x86_shift_ri(a, X86_SHR, w64, t, 1);
    x86_seq_movi(a, w64, m, 0x5555555555555555ull);
    x86_alu_rr(a, X86_AND, w64, t, m);
    x86_alu_rr(a, X86_SUB, w64, dst, t);
    /* dst = (dst & 0x33..) + ((dst >> 2) & 0x33..) */
    x86_seq_movi(a, w64, m, 0x3333333333333333ull);
    x86_seq_mov(a, w64, t, dst);
    x86_shift_ri(a, X86_SHR, w64, t, 2);
    x86_alu_rr(a, X86_AND, w64, t, m);
    x86_alu_rr(a, X86_AND, w64, dst, m);
    x86_alu_rr(a, X86_ADD, w64, dst, t);
    /* dst = (dst + (dst >> 4)) & 0x0f.. */
    x86_seq_mov(a, w64, t, dst);
    x86_shift_ri(a, X86_SHR, w64, t, 4);
    x86_alu_rr(a, X86_ADD, w64, dst, t);
    x86_seq_movi(a, w64, m, 0x0f0f0f0f0f0f0f0full);
    x86_alu_rr(a, X86_AND, w64, dst, m);
    /* dst = (dst * 0x01..) >> (width - 8) */
    x86_seq_movi(a, w64, m, 0x0101010101010101ull);
    x86_imul_rr(a, w64, dst, m);
    x86_shift_ri(a, X86_SHR, w64, dst, w64 ? 56 : 24);
}

void x86_seq_bswap16(X86Asm *a, bool w64, X86Reg dst, X86Reg src, bool sign_ext)
{
    x86_seq_mov(a, w64, dst, src);
    x86_rol16_8(a, dst);
    x86_ext_rr(a, 2, sign_ext, w64, dst, dst);
}

void x86_seq_bswap32(X86Asm *a, bool w64, X86Reg dst, X86Reg src, bool sign_ext)
{
    x86_seq_mov(a, w64, dst, src);
    x86_bswap(a, false, dst);   /* also zero-extends */
    if (sign_ext && w64) {
        x86_ext_rr(a, 4, true, true, dst, dst);
    }
}

void x86_seq_bswap64(X86Asm *a, X86Reg dst, X86Reg src)
{
    x86_seq_mov(a, true, dst, src);
    x86_bswap(a, true, dst);
}

static uint64_t low_mask(unsigned len)
{
    return len >= 64 ? ~0ull : (1ull << len) - 1;
}

/* and r, imm for any mask: imm32 form when it sign-extends correctly, else via scratch. */
static void and_mask(X86Asm *a, bool w64, X86Reg r, uint64_t mask, X86Reg scratch)
{
    uint64_t v = w64 ? mask : (uint32_t)mask;
    if (!w64 || x86_fits_i32((int64_t)v)) {
        x86_alu_ri(a, X86_AND, w64, r, (int32_t)v);
    } else if (v == 0xffffffffull) {
        x86_mov_rr(a, false, r, r);
    } else {
        x86_seq_movi(a, true, scratch, v);
        x86_alu_rr(a, X86_AND, true, r, scratch);
    }
}

void x86_seq_deposit(X86Asm *a, bool w64, X86Reg dst, X86Reg base, X86Reg val,
                     unsigned pos, unsigned len)
{
    unsigned width = w64 ? 64 : 32;
    uint64_t field = low_mask(len) << pos;
    if (len >= width) {
        x86_seq_mov(a, w64, dst, val);
        return;
    }
    /* scratch1 = (val << pos) & field: a field at the top needs no mask after the shift */
    x86_seq_mov(a, w64, X86_SCRATCH1, val);
    if (pos) {
        x86_shift_ri(a, X86_SHL, w64, X86_SCRATCH1, (uint8_t)pos);
    }
    if (pos + len < width) {
        and_mask(a, w64, X86_SCRATCH1, field, X86_SCRATCH0);
    }
    /* dst = (base & ~field) | scratch1: keeping the low 32 bits is one 32-bit move */
    if (w64 && pos == 32 && len == 32) {
        x86_mov_rr(a, false, dst, base);
    } else {
        x86_seq_mov(a, w64, dst, base);
        and_mask(a, w64, dst, ~field, X86_SCRATCH0);
    }
    x86_alu_rr(a, X86_OR, w64, dst, X86_SCRATCH1);
}

void x86_seq_extract(X86Asm *a, bool w64, bool sign, X86Reg dst, X86Reg src,
                     unsigned pos, unsigned len)
{
    unsigned width = w64 ? 64 : 32;
    x86_seq_mov(a, w64, dst, src);
    if (pos == 0 && (len == 8 || len == 16 || (len == 32 && w64))) {
        x86_ext_rr(a, len / 8, sign, w64, dst, dst);
        return;
    }
    if (pos + len < width) {
        x86_shift_ri(a, X86_SHL, w64, dst, (uint8_t)(width - pos - len));
    }
    if (len < width) {
        x86_shift_ri(a, sign ? X86_SAR : X86_SHR, w64, dst, (uint8_t)(width - len));
    }
}
