/* Lazy x86 condition codes: the translator records the last flag-setting operation
 * (cc_op) and its operands (cc_dst, cc_src, cc_src2) in the CPU state; OF SF ZF AF PF CF
 * are computed from them only when something reads them (Intel SDM vol. 1, 3.4.3 and
 * appendix A for which instructions set which flags). */
#ifndef TARGET_I386_CC_H
#define TARGET_I386_CC_H

#include <stdint.h>
#include "target-i386/cpu.h"

/* cc_op = kind + size (0: 8-bit, 1: 16, 2: 32, 3: 64), except CC_OP_EFLAGS.
 * Operands (all zero-extended to the operation size):
 *   ADD      dst = result, src = second operand
 *   ADC/SBB  dst = result, src = second operand, src2 = carry in
 *   SUB      dst = result, src = second operand, src2 = first operand (at TB exits dst
 *            is not stored: the C side computes src2 - src)
 *   LOGIC    dst = result (CF = OF = 0)
 *   INC/DEC  dst = result, src = CF before the instruction
 *   SHL      dst = result, src = operand shifted left by count - 1
 *   SAR      dst = result, src = operand shifted right (arith. or logical) by count - 1
 *   MUL      dst = low half of the product, src = nonzero iff CF = OF = 1 (any width)
 *   BMI      dst = result, src = CF (0/1); OF = 0 (ANDN, BLSx, BEXTR, BZHI)
 *   EFLAGS   src = the six flags, in their EFLAGS positions */
enum {
    CC_OP_EFLAGS = X86_CC_OP_EFLAGS,   /* 0, cpu.h */
    CC_OP_ADD = 4,
    CC_OP_ADC = 8,
    CC_OP_SUB = 12,
    CC_OP_SBB = 16,
    CC_OP_LOGIC = 20,
    CC_OP_INC = 24,
    CC_OP_DEC = 28,
    CC_OP_SHL = 32,
    CC_OP_SAR = 36,
    CC_OP_MUL = 40,
    CC_OP_BMI = 44,
    CC_OP_NB = 48,
    CC_OP_DYNAMIC = 255,    /* translation time only: the cc_op field holds it */
};

/* x86_cc_compute_all (the six flags) is declared in cpu.h. CF alone (0 or 1): */
uint64_t x86_cc_compute_c(uint32_t cc_op, uint64_t dst, uint64_t src, uint64_t src2);

#endif
