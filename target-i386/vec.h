/* The vector operation layer of the x86 MMX/SSE/AVX translator (SDM 1 chapters 9-12 and
 * 14, SDM 2 instruction pages): one helper per operation, shared by the legacy SSE
 * encodings (two operands, 16 bytes) and the VEX forms (three operands, 16 or 32 bytes).
 *
 * Every vector helper has the same shape:
 *     void helper_vec_NAME(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b,
 *                          uint32_t desc)
 * d = a OP b over x86_vdesc_len(desc) bytes (16 or 32); the bytes of d beyond the length
 * are not touched (legacy SSE keeps YMM bits 255:128; a VEX.128 caller zeroes them
 * itself). d may be a or b. Operations defined per 128-bit lane (unpack, pack, shuffles,
 * byte shifts, PALIGNR, PSHUFB, horizontal ops) repeat per lane as AVX2 defines them.
 * Scalar operations compute element 0 from a[0] and b[0] and copy the other elements of
 * the first 16 bytes from a (VEX: "bits 127:32/64 from src1"). Unary operations read b
 * only. x86_vdesc_imm(desc) is the instruction's imm8 where it has one. Sources in memory
 * are loaded into env->vtmp first. FP helpers compute with the host's SSE unit under the
 * guest's MXCSR (rounding, DAZ, FTZ), accumulate its flags into env->mxcsr and raise #XM
 * (or #UD without CR4.OSXMMEXCPT) on an unmasked exception, leaving d unchanged.
 *
 * MMX forms of the integer operations take and return the 64-bit register values:
 *     uint64_t helper_mmx_NAME(uint64_t a, uint64_t b, uint32_t imm)   (pure) */
#ifndef TARGET_I386_VEC_H
#define TARGET_I386_VEC_H

#include <stdint.h>
#include "target-i386/cpu.h"
#include "tcg/tcg.h"

#define X86_VDESC(len, imm) ((uint32_t)(len) | ((uint32_t)((imm) & 0xff) << 8))
static inline unsigned x86_vdesc_len(uint32_t desc) { return desc & 0xff; }
static inline unsigned x86_vdesc_imm(uint32_t desc) { return (desc >> 8) & 0xff; }

/* MXCSR (SDM 1 10.2.3) */
#define X86_MXCSR_IE 0x0001u
#define X86_MXCSR_DE 0x0002u
#define X86_MXCSR_ZE 0x0004u
#define X86_MXCSR_OE 0x0008u
#define X86_MXCSR_UE 0x0010u
#define X86_MXCSR_PE 0x0020u
#define X86_MXCSR_FLAGS 0x003fu
#define X86_MXCSR_DAZ 0x0040u
#define X86_MXCSR_MASKS 0x1f80u
#define X86_MXCSR_RC 0x6000u
#define X86_MXCSR_FZ 0x8000u

typedef void X86VecFn(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b,
                      uint32_t desc);

/* Integer operations (vec-int*.c): helper_vec_NAME and helper_mmx_NAME (MMX where the
 * instruction has an MMX form). */
#define X86_VEC_INT_OPS(X)                                                              \
    X(paddb) X(paddw) X(paddd) X(paddq) X(psubb) X(psubw) X(psubd) X(psubq)             \
    X(paddsb) X(paddsw) X(paddusb) X(paddusw) X(psubsb) X(psubsw) X(psubusb) X(psubusw) \
    X(pmullw) X(pmulhw) X(pmulhuw) X(pmuludq) X(pmaddwd) X(psadbw) X(pavgb) X(pavgw)    \
    X(pminub) X(pmaxub) X(pminsw) X(pmaxsw) X(pcmpeqb) X(pcmpeqw) X(pcmpeqd)            \
    X(pcmpgtb) X(pcmpgtw) X(pcmpgtd) X(psrlw) X(psrld) X(psrlq) X(psraw) X(psrad)       \
    X(psllw) X(pslld) X(psllq) X(psrlwi) X(psrldi) X(psrlqi) X(psrawi) X(psradi)        \
    X(psllwi) X(pslldi) X(psllqi) X(packsswb) X(packuswb) X(packssdw)                   \
    X(punpcklbw) X(punpcklwd) X(punpckldq) X(punpckhbw) X(punpckhwd) X(punpckhdq)       \
    X(pand) X(pandn) X(por) X(pxor)                                                     \
    X(phaddw) X(phaddd) X(phaddsw) X(phsubw) X(phsubd) X(phsubsw) X(pmaddubsw)          \
    X(pmulhrsw) X(psignb) X(psignw) X(psignd) X(pabsb) X(pabsw) X(pabsd) X(pshufb)      \
    X(palignr)
/* Integer operations with no MMX form: helper_vec_NAME only. */
#define X86_VEC_XMM_OPS(X)                                                              \
    X(punpcklqdq) X(punpckhqdq) X(pshufd) X(pshufhw) X(pshuflw) X(psrldqi) X(pslldqi)   \
    X(shufps) X(shufpd) X(unpcklps) X(unpckhps) X(unpcklpd) X(unpckhpd)                 \
    X(movsldup) X(movshdup) X(movddup) X(pminsb) X(pmaxsb) X(pminsd) X(pmaxsd)          \
    X(pminuw) X(pmaxuw) X(pminud) X(pmaxud) X(pmulld) X(pmuldq) X(pcmpeqq) X(pcmpgtq)   \
    X(packusdw) X(pmovsxbw) X(pmovsxbd) X(pmovsxbq) X(pmovsxwd) X(pmovsxwq) X(pmovsxdq) \
    X(pmovzxbw) X(pmovzxbd) X(pmovzxbq) X(pmovzxwd) X(pmovzxwq) X(pmovzxdq)             \
    X(phminposuw) X(mpsadbw) X(pblendw) X(blendps) X(blendpd) X(pblendvb) X(blendvps)   \
    X(blendvpd) X(insertps) X(aesenc) X(aesenclast) X(aesdec) X(aesdeclast) X(aesimc)   \
    X(aeskeygenassist) X(pclmulqdq)

/* FP operations (vec-fp*.c): helper_vec_NAME. */
#define X86_VEC_FP_OPS(X)                                                               \
    X(addps) X(addpd) X(addss) X(addsd) X(subps) X(subpd) X(subss) X(subsd)             \
    X(mulps) X(mulpd) X(mulss) X(mulsd) X(divps) X(divpd) X(divss) X(divsd)             \
    X(minps) X(minpd) X(minss) X(minsd) X(maxps) X(maxpd) X(maxss) X(maxsd)             \
    X(sqrtps) X(sqrtpd) X(sqrtss) X(sqrtsd) X(rcpps) X(rcpss) X(rsqrtps) X(rsqrtss)     \
    X(cmpps) X(cmppd) X(cmpss) X(cmpsd)                                                 \
    X(cvtps2pd) X(cvtpd2ps) X(cvtss2sd) X(cvtsd2ss) X(cvtdq2ps) X(cvtps2dq)             \
    X(cvttps2dq) X(cvtdq2pd) X(cvtpd2dq) X(cvttpd2dq)                                   \
    X(addsubps) X(addsubpd) X(haddps) X(haddpd) X(hsubps) X(hsubpd)                     \
    X(roundps) X(roundpd) X(roundss) X(roundsd) X(dpps) X(dppd)

#define X(n) extern const TCGHelperInfo x86_info_vec_##n;
X86_VEC_INT_OPS(X)
X86_VEC_XMM_OPS(X)
X86_VEC_FP_OPS(X)
#undef X
#define X(n) extern const TCGHelperInfo x86_info_mmx_##n;
X86_VEC_INT_OPS(X)
#undef X
extern const TCGHelperInfo x86_info_mmx_pshufw;

/* Scalar arithmetic on values (vec-fp-scalar.c): the low 32/64 bits of the result of the
 * SS/SD instruction on element 0 of a and b (the other bits of the returned value are
 * not meaningful for SS):
 *   uint64_t helper_sv_NAME(X86CPU *env, uint64_t a, uint64_t b)   (SQRT: of b) */
#define X86_VEC_SCALAR_OPS(X)                                                           \
    X(addss) X(addsd) X(subss) X(subsd) X(mulss) X(mulsd) X(divss) X(divsd) X(minss)    \
    X(minsd) X(maxss) X(maxsd) X(sqrtss) X(sqrtsd)
#define X(n) extern const TCGHelperInfo x86_info_sv_##n;
X86_VEC_SCALAR_OPS(X)
#undef X

/* BLENDVPS/PD, PBLENDVB: the mask register's number is the desc imm (legacy: 0, XMM0).
 * PCMPxSTRx (vec-str.c):
 *   uint64_t helper_pcmpstr(X86CPU *env, const X86Vec *a, const X86Vec *b, uint32_t desc,
 *                           uint64_t rax, uint64_t rdx)
 *   desc = imm8 << 8 | X86_PCMPSTR_*; returns EFLAGS (CF ZF SF OF) | index << 32; the mask
 *   forms write XMM0's low 16 bytes. */
#define X86_PCMPSTR_EXPLICIT 0x10000u
#define X86_PCMPSTR_MASK 0x20000u
#define X86_PCMPSTR_W64 0x40000u
extern const TCGHelperInfo x86_info_pcmpstr;

/* Scalar FP <-> integer and comparisons into EFLAGS (vec-fp-cvt.c):
 *   uint64_t helper_cvt{,t}s{s,d}2si{l,q}(X86CPU *env, const X86Vec *b)  integer result
 *   void helper_cvtsi{l,q}2s{s,d}(X86CPU *env, X86Vec *d, const X86Vec *a, uint64_t v)
 *   uint64_t helper_{u,}comis{s,d}(X86CPU *env, const X86Vec *a, const X86Vec *b)
 *       ZF PF CF in EFLAGS positions
 *   MMX: uint64_t helper_cvt{,t}ps2pi(env, const X86Vec *b), cvt{,t}pd2pi(env, b);
 *        void helper_cvtpi2ps(env, X86Vec *d, uint64_t v), cvtpi2pd(env, d, v)
 *   void helper_ldmxcsr(X86CPU *env, uint32_t v)   #GP(0) on reserved bits */
#define X86_VEC_CVT_OPS(X)                                                              \
    X(cvtss2sil) X(cvtss2siq) X(cvttss2sil) X(cvttss2siq) X(cvtsd2sil) X(cvtsd2siq)     \
    X(cvttsd2sil) X(cvttsd2siq) X(cvtsil2ss) X(cvtsiq2ss) X(cvtsil2sd) X(cvtsiq2sd)     \
    X(comiss) X(ucomiss) X(comisd) X(ucomisd) X(cvtps2pi) X(cvttps2pi) X(cvtpd2pi)      \
    X(cvttpd2pi) X(cvtpi2ps) X(cvtpi2pd) X(ldmxcsr)
#define X(n) extern const TCGHelperInfo x86_info_##n;
X86_VEC_CVT_OPS(X)
#undef X

/* Helper-info constructors for the shapes above. */
#define X86_VEC_INFO(nm, fl)                                                          \
    const TCGHelperInfo x86_info_vec_##nm = {                                         \
        .name = "vec_" #nm, .func = (void *)helper_vec_##nm, .flags = (fl),         \
        .ret_type = TCG_TYPE_VOID, .nb_args = 5,                                        \
        .arg_types = { TCG_TYPE_PTR, TCG_TYPE_PTR, TCG_TYPE_PTR, TCG_TYPE_PTR,          \
                       TCG_TYPE_I32 },                                                  \
    }
#define X86_MMX_INFO(nm)                                                              \
    const TCGHelperInfo x86_info_mmx_##nm = {                                         \
        .name = "mmx_" #nm, .func = (void *)helper_mmx_##nm, .flags = TCG_CALL_PURE, \
        .ret_type = TCG_TYPE_I64, .nb_args = 3,                                         \
        .arg_types = { TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I32 },                      \
    }

#endif
