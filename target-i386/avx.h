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

/* vec-fp-vcmp.c: VCMPPS/PD/SS/SD with the predicates 0..31 (desc imm), vec.h's shape. */
extern const TCGHelperInfo x86_info_vec_vcmpps, x86_info_vec_vcmppd, x86_info_vec_vcmpss,
    x86_info_vec_vcmpsd;

/* The VEX forms of SSE vector operations (translate-avx-sse.c): one row per (map, pp,
 * opcode) with the vec.h helper and AVXS_* flags; the differential tester reads it too. */
typedef struct AvxSseOp {
    uint8_t map, pp, op;
    uint16_t flags;
    const TCGHelperInfo *fn;
} AvxSseOp;

enum {
    AVXS_UNARY = 1 << 0,    /* b only: VEX.vvvv must be 1111b */
    AVXS_INT = 1 << 1,      /* integer: VEX.256 needs AVX2 */
    AVXS_IMM = 1 << 2,      /* an imm8 follows */
    AVXS_S4 = 1 << 3,       /* scalar single: rm is 4 bytes, VEX.L ignored */
    AVXS_S8 = 1 << 4,       /* scalar double: rm is 8 bytes, VEX.L ignored */
    AVXS_C16 = 1 << 5,      /* shift by count: rm is xmm/m128 for VEX.256 too */
    AVXS_L0 = 1 << 6,       /* VEX.128 only */
    AVXS_NARROW = 1 << 7,   /* the result is 16 bytes also for VEX.256 (255:128 cleared) */
    AVXS_MEM_SHIFT = 8,     /* bits 9:8: the memory operand is the length >> n (widening) */
    AVXS_IS4 = 1 << 10,     /* imm8[7:4] names a fourth (mask) register: VBLENDV* */
    AVXS_M8 = 1 << 11,      /* VEX.128's memory operand is 8 bytes (VMOVDDUP) */
    AVXS_AES = 1 << 12,     /* needs AES-NI too */
    AVXS_PCLMUL = 1 << 13,  /* needs PCLMULQDQ too */
};
#define AVXS_MEM(n) ((n) << AVXS_MEM_SHIFT)

extern const AvxSseOp x86_avx_sse_ops[];
extern const unsigned x86_avx_sse_nb_ops;
const AvxSseOp *x86_avx_sse_find(int map, int pp, int op);

#endif
