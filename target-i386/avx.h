/* AVX/AVX2 operations that have no SSE form (Intel SDM vol. 2 entries VPERMILPS/PD,
 * VPERMD/PS/Q/PD, VPBLENDD, VPSLLV/VPSRLV/VPSRAV, VTESTPS/PD; masked moves and gathers):
 * helpers on the vector
 * registers in the vector-layer shape
 *     void helper(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b, uint32_t desc)
 * (desc = length in bytes 16 or 32 | imm8 << 8; d may alias a or b; bytes of d beyond
 * the length are not written). avx-helper.c; the emitters are in translate-avx.c. */
#ifndef TARGET_I386_AVX_H
#define TARGET_I386_AVX_H

#include <stdint.h>
#include "target-i386/cpu.h"
#include "tcg/tcg.h"

#define AVX_DESC(len, imm) ((uint32_t)(len) | ((uint32_t)((imm) & 0xff) << 8))

#define X86_AVX_OPS(X)                                                                  \
    X(vpermilps_var) X(vpermilpd_var) X(vpermilps_imm) X(vpermilpd_imm) X(vpermd)       \
    X(vpermq) X(vpblendd) X(vpsllvd) X(vpsllvq) X(vpsrlvd) X(vpsrlvq) X(vpsravd)
#define X(n) extern const TCGHelperInfo x86_info_avx_##n;
X86_AVX_OPS(X)
#undef X

/* VTESTPS/VTESTPD/VPTEST (desc imm: element bytes 4, 8; 1 for VPTEST): ZF and CF in
 * EFLAGS positions. */
extern const TCGHelperInfo x86_info_avx_vtest;
/* VMOVMSKPS/PD, VPMOVMSKB (desc imm: element bytes 4, 8 or 1): the mask. */
extern const TCGHelperInfo x86_info_avx_movmsk;

/* avx-mem-helper.c: (env, offset in the segment, desc built by translate-avx.c)
 * VMASKMOV/VPMASKMOV loads and stores, and the gathers. */
extern const TCGHelperInfo x86_info_avx_maskmov, x86_info_avx_gather;

#endif
