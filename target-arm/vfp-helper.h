/* VFP arithmetic helpers (vfp-helper.c) called by translate-vfp.c. */
#ifndef TARGET_ARM_VFP_HELPER_H
#define TARGET_ARM_VFP_HELPER_H

#include <stdbool.h>
#include <stdint.h>
#include "tcg/tcg.h"

/* Operations of helper_info_vfp_op_s/_d (n, m, d operands). */
enum {
    VFP_ADD, VFP_SUB, VFP_MUL, VFP_DIV, VFP_SQRT, VFP_MLA, VFP_MLS, VFP_NMLA, VFP_NMLS,
    VFP_NMUL, VFP_FMA, VFP_FMS, VFP_FNMA, VFP_FNMS,
};

/* helper_info_vfp_cvt codes. */
enum {
    VFP_CVT_TO_INT = 0, VFP_CVT_FROM_INT = 1, VFP_CVT_TO_FIXED = 2, VFP_CVT_FROM_FIXED = 3,
    VFP_CVT_S_TO_D = 4, VFP_CVT_D_TO_S = 5, VFP_CVT_KIND = 7,
    VFP_CVT_DOUBLE = 1 << 3,        /* the float operand/result is double */
    VFP_CVT_SIGNED = 1 << 4,
    VFP_CVT_RZ = 1 << 5,            /* round towards zero (VCVT), else FPSCR mode (VCVTR) */
    VFP_CVT_HALF = 1 << 6,          /* 16-bit fixed point */
    VFP_CVT_FRAC_SHIFT = 8,
};

typedef struct ARMCPU ARMCPU;
/* For Advanced SIMD: one operation / comparison under the current FPSCR. */
uint64_t arm_vfp_op(ARMCPU *a, bool dp, int op, uint64_t n, uint64_t m, uint64_t d);
uint64_t arm_vfp_cvt(ARMCPU *a, uint64_t v, uint32_t code);
uint32_t arm_vfp_compare(ARMCPU *a, bool dp, uint64_t x, uint64_t y, bool signal_qnan);

extern const TCGHelperInfo helper_info_vfp_op_s, helper_info_vfp_op_d, helper_info_vfp_cmp_s,
    helper_info_vfp_cmp_d, helper_info_vfp_cvt, helper_info_vfp_half;

#endif
