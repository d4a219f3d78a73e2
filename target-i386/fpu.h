/* The x87 floating-point unit: interface between the translator (translate-fpu.c), the
 * helpers (fpu-helper-*.c) and the XSAVE code of the SIMD work. State layout: X86CPU's
 * "x87, MMX, SSE, AVX" block (cpu.h). Intel SDM vol. 1 chapter 8, vol. 2 (the D8-DF
 * escapes, FXSAVE/FXRSTOR), vol. 3A 2.5 (CR0.EM/MP/TS/NE). */
#ifndef TARGET_I386_FPU_H
#define TARGET_I386_FPU_H

#include <stdbool.h>
#include <stdint.h>
#include "target-i386/cpu.h"
#include "tcg/tcg.h"

/* FSW bits (TOP, bits 13..11, lives in X86CPU.fpstt). */
enum {
    FSW_IE = 1 << 0, FSW_DE = 1 << 1, FSW_ZE = 1 << 2, FSW_OE = 1 << 3, FSW_UE = 1 << 4,
    FSW_PE = 1 << 5, FSW_SF = 1 << 6, FSW_ES = 1 << 7, FSW_C0 = 1 << 8, FSW_C1 = 1 << 9,
    FSW_C2 = 1 << 10, FSW_C3 = 1 << 14, FSW_B = 1 << 15,
    FSW_EXC = 0x3f,                             /* the six exception flags */
    FSW_CC = FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3,
};

/* MXCSR bits FXRSTOR accepts (DAZ included); FXSAVE stores it as MXCSR_MASK. */
#define X86_MXCSR_MASK 0xffffu

/* Exception vector of an unmasked x87 exception with CR0.NE = 1. */
#define EXCP_MF 16

/* An FCW as loaded (FLDCW, FLDENV, FRSTOR, FXRSTOR): reserved bits 15..13 and 7 read 0,
 * bit 6 reads 1 (as hardware stores it). */
static inline uint16_t x87_fcw(uint32_t v)
{
    return (uint16_t)((v & 0x1f3f) | 0x40);
}

/* The FSW as the guest reads it (TOP merged in). */
static inline uint16_t x87_fsw(const X86CPU *x)
{
    return (uint16_t)((x->fpus & ~0x3800u) | ((x->fpstt & 7) << 11));
}

/* The legacy x87 part (bytes 0..159: FCW..ST7) of an FXSAVE / XSAVE area, in the 64-bit
 * layout (FIP/FDP as 64-bit offsets, REX.W forms) or the 32-bit one (offset + selector).
 * Neither touches MXCSR or the XMM registers (bytes 24..31 and 160.. are left alone). */
void x86_fxsave_x87(X86CPU *x, uint8_t area[512], bool w64);
void x86_fxrstor_x87(X86CPU *x, const uint8_t area[512], bool w64);

/* FNINIT's state (also FSAVE's after the store). */
void x86_fpu_init(X86CPU *x);

/* Does D8-DF with this ModRM byte name an instruction? (translation time) */
bool x87_insn_valid(unsigned op, unsigned modrm);
/* Is it a control instruction (no pending-exception check, FIP/FOP kept)? */
bool x87_insn_control(unsigned op, unsigned modrm);

/* Pending unmasked exception at a waiting instruction: #MF with CR0.NE = 1, else FERR#
 * through the interrupt controller's hook (the instruction then goes on, as on a PC
 * where IRQ 13 is taken at the next instruction boundary). */
void x87_check_pending(X86CPU *x, uintptr_t ra);

/* Helpers called by translated code. insn = (opcode & 7) << 8 | ModRM byte (memory
 * forms: mod and rm cleared) | X87_INSN_* flags. */
enum {
    X87_INSN_OP32 = 1 << 16,    /* 32-bit operand size (FSTENV/FSAVE formats) */
};
#define X87_HELPERS(X) X(fpu_reg) X(fpu_mem) X(fpu_fcomi) X(fpu_fcmov) X(fpu_fnstsw_ax) \
    X(fpu_fwait) X(fpu_fxsave) X(fpu_fxrstor)
#define X(n) extern const TCGHelperInfo x86_info_##n;
X87_HELPERS(X)
#undef X

#endif
