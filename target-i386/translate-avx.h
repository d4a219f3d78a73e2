/* Internal interface of the AVX translator (translate-avx*.c): the requirements an
 * instruction form checks (SDM 2 2.4 and the exception class of each instruction) and
 * the VEX.128 zeroing of bits 255:128. */
#ifndef TARGET_I386_TRANSLATE_AVX_H
#define TARGET_I386_TRANSLATE_AVX_H

#include "target-i386/translate.h"

/* Requirements of an instruction form (x86_avx_check). */
enum {
    AVX_2 = 1 << 0,         /* AVX2 (else AVX) */
    AVX_L1 = 1 << 1,        /* VEX.256 only */
    AVX_L0 = 1 << 2,        /* VEX.128 only */
    AVX_W0 = 1 << 3,        /* VEX.W0 only */
    AVX_W1 = 1 << 4,        /* VEX.W1 only */
    AVX_NOV = 1 << 5,       /* VEX.vvvv unused: must be 1111b */
    AVX_2REG = 1 << 6,      /* AVX2 for the register form (VBROADCASTSS/SD) */
    AVX_MEM = 1 << 7,       /* memory operand only */
    AVX_2L1 = 1 << 8,       /* AVX2 for VEX.256 (integer forms) */
};

/* The checks of SDM 2.4 in their order (#UD: CR4.OSXSAVE/XCR0, VEX.L/W/vvvv, CPUID;
 * #NM: CR0.TS); false when an exception was emitted. */
bool x86_avx_check(DisasContext *s, unsigned need);
/* VEX.128 destination (s->vex_l clear): bits 255:128 of register reg cleared. */
void x86_avx_zero_upper(DisasContext *s, int reg);

/* The rm operand (bytes: 4..32) as an env offset: a register, or memory loaded into
 * env->vtmp (no alignment check). */
intptr_t x86_avx_rm_vec(DisasContext *s, int bytes);

#endif
