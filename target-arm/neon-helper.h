/* Advanced SIMD helpers (neon-helper.c, neon-ldst.c) called by translate-vfp.c. */
#ifndef TARGET_ARM_NEON_HELPER_H
#define TARGET_ARM_NEON_HELPER_H

#include <stdbool.h>
#include "tcg/tcg.h"

/* helper_neon_dp(env, insn) -> 0 if the encoding is UNDEFINED (nothing changed). */
extern const TCGHelperInfo helper_info_neon_dp;
bool arm_neon_dp_known(uint32_t insn);
/* helper_neon_ldst(env, insn, mmu_idx | big_endian << 4) -> 0 if UNDEFINED (before any
 * access), 1 when done; writes the base register back. */
extern const TCGHelperInfo helper_info_neon_ldst;

#endif
