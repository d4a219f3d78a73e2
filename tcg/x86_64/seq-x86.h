/* Multi-instruction x86-64 sequences used by the back end for IR ops that have no single
 * host instruction (count-leading-zeros fallbacks, deposit, double-word arithmetic...).
 * Operands are host registers; SCRATCH0/1 (r10, r11) are never allocated to temps. */
#ifndef TCG_X86_64_SEQ_X86_H
#define TCG_X86_64_SEQ_X86_H

#include "tcg/x86_64/emit-x86.h"

#define X86_SCRATCH0 X86_R10
#define X86_SCRATCH1 X86_R11
#define X86_ENV_REG X86_RBP   /* the CPU-state pointer while generated code runs */

/* Frame of generated code, addressed from rsp: outgoing stack arguments of helper
 * calls at [rsp, +128), a save area of one slot per host register used by the slow
 * paths of guest loads and stores at [rsp + 128, +128), then one spill slot per temp. */
#define X86_FRAME_CALL_ARGS 128
/* The last three words of the outgoing-argument area (a helper has at most one stack
 * argument) hold the TLB entry of the last store (or 64-bit-address load) verified, and
 * the page and host page address of the last 32-bit-address load verified against the
 * TLB, for the accesses after them (ldst.c, "TLB check reuse"). */
#define X86_FRAME_REUSE_ENTRY (X86_FRAME_CALL_ARGS - 24)
#define X86_FRAME_REUSE_PAGE (X86_FRAME_CALL_ARGS - 16)
#define X86_FRAME_REUSE_HOST (X86_FRAME_CALL_ARGS - 8)
#define X86_FRAME_REG_SAVE X86_FRAME_CALL_ARGS
#define X86_FRAME_SPILL (X86_FRAME_REG_SAVE + 16 * 8)
#define X86_FRAME_SPILL_SLOTS 1024
#define X86_FRAME_SIZE (X86_FRAME_SPILL + 8 * X86_FRAME_SPILL_SLOTS + 8)

/* The epilogue inlined at every exit of a TB: drops the frame, restores the
 * callee-saved registers and returns rax to the caller of the prologue. */
void x86_emit_epilogue(X86Asm *a);

/* Entry trampoline: uintptr_t entry(void *env, const void *tb_code). Saves the SysV
 * callee-saved registers, sets up the frame (16-byte aligned at calls), loads env into
 * X86_ENV_REG and jumps to tb_code. Returns the offset of the epilogue, which generated
 * code jumps to with the TB's exit value in rax. */
size_t x86_emit_prologue(X86Asm *a);

/* dst = number of leading/trailing zeros of src, or zero_val if src == 0. dst must not
 * be a scratch register; src may equal dst. use_native selects lzcnt/tzcnt/popcnt. */
void x86_seq_clz(X86Asm *a, bool w64, bool use_lzcnt, X86Reg dst, X86Reg src,
                 uint64_t zero_val);
void x86_seq_clz_reg(X86Asm *a, bool w64, bool use_lzcnt, X86Reg dst, X86Reg src,
                     X86Reg zero_val);
void x86_seq_ctz(X86Asm *a, bool w64, bool use_tzcnt, X86Reg dst, X86Reg src,
                 uint64_t zero_val);
void x86_seq_ctz_reg(X86Asm *a, bool w64, bool use_tzcnt, X86Reg dst, X86Reg src,
                     X86Reg zero_val);
void x86_seq_ctpop(X86Asm *a, bool w64, bool use_popcnt, X86Reg dst, X86Reg src);

/* dst = byte-swapped src (dst may equal src). For 16 bits the upper bits of the result
 * are zero, or the sign of the swapped halfword with sign_ext. */
void x86_seq_bswap16(X86Asm *a, bool w64, X86Reg dst, X86Reg src, bool sign_ext);
void x86_seq_bswap32(X86Asm *a, bool w64, X86Reg dst, X86Reg src, bool sign_ext);
void x86_seq_bswap64(X86Asm *a, X86Reg dst, X86Reg src);

/* dst = base with bits [pos, pos+len) replaced by the low len bits of val. */
void x86_seq_deposit(X86Asm *a, bool w64, X86Reg dst, X86Reg base, X86Reg val,
                     unsigned pos, unsigned len);
/* dst = bits [pos, pos+len) of src, zero- or sign-extended. */
void x86_seq_extract(X86Asm *a, bool w64, bool sign, X86Reg dst, X86Reg src,
                     unsigned pos, unsigned len);
/* Loads a constant into r without touching the flags. */
void x86_seq_movi(X86Asm *a, bool w64, X86Reg r, uint64_t v);
/* Zero-extends (w64 false) or keeps a value: mov r32,r32 when needed. */
void x86_seq_mov(X86Asm *a, bool w64, X86Reg dst, X86Reg src);

#endif
