/* x86-64 instruction encoder for the translator's host back end (Intel SDM vol. 2:
 * REX prefixes, ModRM/SIB, immediate forms). Writes into a bounded byte buffer. */
#ifndef TCG_X86_64_EMIT_X86_H
#define TCG_X86_64_EMIT_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum X86Reg {
    X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
    X86_NOREG = -1,
} X86Reg;

/* Condition codes as encoded in jcc/setcc/cmovcc. */
typedef enum X86Cond {
    X86_CC_O, X86_CC_NO, X86_CC_B, X86_CC_AE, X86_CC_E, X86_CC_NE, X86_CC_BE, X86_CC_A,
    X86_CC_S, X86_CC_NS, X86_CC_P, X86_CC_NP, X86_CC_L, X86_CC_GE, X86_CC_LE, X86_CC_G,
} X86Cond;

/* Group-1 arithmetic, in encoding order. */
typedef enum X86Alu {
    X86_ADD, X86_OR, X86_ADC, X86_SBB, X86_AND, X86_SUB, X86_XOR, X86_CMP,
} X86Alu;

/* Group-2 shifts and rotates (ModRM reg field). */
typedef enum X86Shift {
    X86_ROL = 0, X86_ROR = 1, X86_SHL = 4, X86_SHR = 5, X86_SAR = 7,
} X86Shift;

/* Group-3 unary ops on r/m (ModRM reg field). */
typedef enum X86Unary {
    X86_NOT = 2, X86_NEG = 3, X86_MUL = 4, X86_IMUL1 = 5, X86_DIV = 6, X86_IDIV = 7,
} X86Unary;

/* Host CPU features that change code generation (filled by x86_detect_features). */
typedef struct X86Features {
    bool lzcnt, tzcnt, popcnt, movbe, bmi2;
} X86Features;

void x86_detect_features(X86Features *f);

typedef struct X86Asm {
    uint8_t *buf;       /* where bytes are written (RW view) */
    size_t size;
    size_t pos;
    bool overflow;      /* a write went past size: the output is unusable */
} X86Asm;

void x86_asm_init(X86Asm *a, uint8_t *buf, size_t size);
void x86_emit8(X86Asm *a, uint8_t v);
void x86_emit32(X86Asm *a, uint32_t v);
void x86_emit64(X86Asm *a, uint64_t v);
void x86_patch32(X86Asm *a, size_t at, uint32_t v);
static inline bool x86_fits_i8(int64_t v) { return v == (int8_t)v; }
static inline bool x86_fits_i32(int64_t v) { return v == (int32_t)v; }

/* In every function: w64 true for 64-bit operand size (REX.W), false for 32-bit
 * (32-bit results are zero-extended to 64 by the CPU). Memory operands are
 * [base + disp] or, with the _idx forms, [base + index * (1 << shift) + disp]. */

/* mov */
void x86_mov_rr(X86Asm *a, bool w64, X86Reg dst, X86Reg src);
/* mov of the low byte (size 1) or word (size 2): the other bits of dst are kept. */
void x86_mov_rr_partial(X86Asm *a, unsigned size, X86Reg dst, X86Reg src);
void x86_mov_ri(X86Asm *a, X86Reg dst, uint64_t imm);  /* shortest form for the value */
void x86_movabs(X86Asm *a, X86Reg dst, uint64_t imm);   /* always the 10-byte form */
/* Loads of size 1/2/4/8 bytes, zero- or sign-extended to w64 (8-byte: w64 ignored). */
void x86_load(X86Asm *a, unsigned size, bool sign, X86Reg dst, X86Reg base, int32_t disp);
void x86_load_idx(X86Asm *a, unsigned size, bool sign, X86Reg dst, X86Reg base,
                  X86Reg index, unsigned shift, int32_t disp);
void x86_store(X86Asm *a, unsigned size, X86Reg src, X86Reg base, int32_t disp);
void x86_store_idx(X86Asm *a, unsigned size, X86Reg src, X86Reg base, X86Reg index,
                   unsigned shift, int32_t disp);
void x86_store_imm(X86Asm *a, unsigned size, int32_t imm, X86Reg base, int32_t disp);
/* movbe (byte-swapping load and store) of 2/4/8 bytes. */
void x86_movbe_load(X86Asm *a, unsigned size, X86Reg dst, X86Reg base, X86Reg index,
                    int32_t disp);
void x86_movbe_store(X86Asm *a, unsigned size, X86Reg src, X86Reg base, X86Reg index,
                     int32_t disp);
/* movzx/movsx from the low 1/2 bytes of a register, movsxd from 4 (sign) or mov32 (zero). */
/* Atomic read-modify-write of size bytes at [base] with register src (its low size
 * bytes): lock cmpxchg (compares with al/ax/eax/rax), lock xadd, xchg (implicitly
 * locked). */
void x86_lock_cmpxchg(X86Asm *a, unsigned size, X86Reg src, X86Reg base);
void x86_lock_xadd(X86Asm *a, unsigned size, X86Reg src, X86Reg base);
void x86_xchg_mem(X86Asm *a, unsigned size, X86Reg src, X86Reg base);
void x86_ext_rr(X86Asm *a, unsigned size, bool sign, bool w64, X86Reg dst, X86Reg src);
void x86_lea(X86Asm *a, bool w64, X86Reg dst, X86Reg base, X86Reg index, unsigned shift,
             int32_t disp);
/* lea dst, [rip + disp]: disp counts from the end of this 7-byte instruction. */
void x86_lea_rip(X86Asm *a, X86Reg dst, int32_t disp);

/* arithmetic */
void x86_alu_rr(X86Asm *a, X86Alu op, bool w64, X86Reg dst, X86Reg src);
void x86_alu_ri(X86Asm *a, X86Alu op, bool w64, X86Reg dst, int32_t imm);
void x86_alu_rm(X86Asm *a, X86Alu op, bool w64, X86Reg dst, X86Reg base, int32_t disp);
void x86_alu_mr(X86Asm *a, X86Alu op, bool w64, X86Reg base, int32_t disp, X86Reg src);
void x86_alu_mi(X86Asm *a, X86Alu op, bool w64, X86Reg base, int32_t disp, int32_t imm);
void x86_test_rr(X86Asm *a, bool w64, X86Reg r1, X86Reg r2);
void x86_test_ri(X86Asm *a, bool w64, X86Reg r, int32_t imm);
void x86_unary(X86Asm *a, X86Unary op, bool w64, X86Reg r);
void x86_imul_rr(X86Asm *a, bool w64, X86Reg dst, X86Reg src);
void x86_imul_rri(X86Asm *a, bool w64, X86Reg dst, X86Reg src, int32_t imm);
void x86_cdq(X86Asm *a, bool w64);   /* cdq / cqo: sign-extend eax/rax into edx/rdx */
void x86_shift_cl(X86Asm *a, X86Shift op, bool w64, X86Reg r);
void x86_shift_ri(X86Asm *a, X86Shift op, bool w64, X86Reg r, uint8_t count);
void x86_rol16_8(X86Asm *a, X86Reg r);   /* rol r16, 8: swaps the two low bytes */
void x86_bswap(X86Asm *a, bool w64, X86Reg r);
void x86_lzcnt(X86Asm *a, bool w64, X86Reg dst, X86Reg src);
void x86_rorx(X86Asm *a, bool w64, X86Reg dst, X86Reg src, uint8_t n);
void x86_tzcnt(X86Asm *a, bool w64, X86Reg dst, X86Reg src);
void x86_popcnt(X86Asm *a, bool w64, X86Reg dst, X86Reg src);
void x86_bsr(X86Asm *a, bool w64, X86Reg dst, X86Reg src);
void x86_bsf(X86Asm *a, bool w64, X86Reg dst, X86Reg src);
void x86_setcc(X86Asm *a, X86Cond cc, X86Reg r);   /* writes the low byte of r */
void x86_cmovcc(X86Asm *a, X86Cond cc, bool w64, X86Reg dst, X86Reg src);

/* control flow; the _rel forms return the offset of their 32-bit displacement. */
void x86_jcc8(X86Asm *a, X86Cond cc, int8_t rel);
size_t x86_jcc32(X86Asm *a, X86Cond cc, int32_t rel);
size_t x86_jmp32(X86Asm *a, int32_t rel);
void x86_jmp8(X86Asm *a, int8_t rel);
size_t x86_call32(X86Asm *a, int32_t rel);
void x86_jmp_r(X86Asm *a, X86Reg r);
void x86_call_r(X86Asm *a, X86Reg r);
void x86_jmp_m(X86Asm *a, X86Reg base, int32_t disp);
void x86_call_m(X86Asm *a, X86Reg base, int32_t disp);
void x86_push(X86Asm *a, X86Reg r);
void x86_pop(X86Asm *a, X86Reg r);
void x86_ret(X86Asm *a);
void x86_mfence(X86Asm *a);
void x86_nop(X86Asm *a, unsigned len);   /* len bytes of multi-byte nops (any length) */
void x86_ud2(X86Asm *a);

static inline X86Cond x86_cond_invert(X86Cond cc) { return (X86Cond)(cc ^ 1); }

#endif
