/* Helpers of the DSP and SIMD-in-GPR instructions (dsp-helper.c): they update the sticky Q
 * flag or the GE bits of the CPSR, which are not IR globals. */
#ifndef TARGET_ARM_DSP_HELPER_H
#define TARGET_ARM_DSP_HELPER_H

#include "tcg/tcg.h"

extern const TCGHelperInfo helper_info_qarith, helper_info_add_setq, helper_info_dual_setq,
    helper_info_sat, helper_info_extend16, helper_info_parallel, helper_info_rbit,
    helper_info_sel, helper_info_usad8;

#endif
