/* SSE/SSE2 floating-point arithmetic, min/max, square root, reciprocal estimates and
 * compares, packed and scalar (SDM 2 ADDPS ... CMPSD; SDM 1 11.5 for exceptions): each is
 * the host's own instruction under the guest MXCSR (vec-fp.h). RCPPS/RSQRTPS give the
 * host CPU's estimates (their exact values differ between processor models, as on real
 * hardware). */
#include "target-i386/helper-sys.h"
#include "target-i386/vec-fp.h"

void x86_mx_raise(X86CPU *env, uint32_t fl, uintptr_t ra)
{
    uint32_t unmasked = fl & ~(env->mxcsr >> 7) & X86_MXCSR_FLAGS;
    uint32_t pre = X86_MXCSR_IE | X86_MXCSR_DE | X86_MXCSR_ZE;

    /* an unmasked pre-computation exception: no post-computation flags (SDM 1 11.5.1) */
    if (unmasked & pre) {
        fl &= pre;
    }
    env->mxcsr |= fl;
    x86_raise_exception_err(&env->parent, (env->cr[4] & X86_CR4_OSXMMEXCPT) ? EXCP13_XMM
                                                                             : EXCP06_ILLOP,
                            -1, ra);
}

/* Packed (up to 32 bytes) and scalar (the low 16 bytes) forms of one host instruction;
 * fastn, single: the fast path's elements per lane (vec-fp.h), 0 for none. */
#define FP_OP(name, insn, maxlen, fastn, single)                                        \
    HOST_OP(name, insn)                                                                 \
    static inline x86_v2di lane_##name(x86_v2di a, x86_v2di b, unsigned imm, unsigned o) \
    {                                                                                   \
        return host_##name(a, b);                                                       \
    }                                                                                   \
    FP_HELPER_FAST(name, lane_##name, maxlen, fastn, single);
#define FP_PACKED(name, insn) FP_OP(name, insn, 32, 0, false)
#define FP_SCALAR(name, insn) FP_OP(name, insn, 16, 0, false)
#define FP_FOUR(op)                                                                     \
    FP_OP(op##ps, #op "ps", 32, 4, true) FP_OP(op##pd, #op "pd", 32, 2, false)          \
    FP_OP(op##ss, #op "ss", 16, 1, true) FP_OP(op##sd, #op "sd", 16, 1, false)

FP_FOUR(add)
FP_FOUR(sub)
FP_FOUR(mul)
FP_FOUR(div)
FP_FOUR(min)
FP_FOUR(max)
FP_FOUR(sqrt)
FP_PACKED(rcpps, "rcpps")
FP_SCALAR(rcpss, "rcpss")
FP_PACKED(rsqrtps, "rsqrtps")
FP_SCALAR(rsqrtss, "rsqrtss")

/* CMPccPS/PD/SS/SD with the predicate imm 0..7 (the immediate is part of the host
 * instruction: one variant per predicate). */
#define CMP_CASE(insn, n)                                                               \
    case n:                                                                             \
        __asm__ volatile(insn " $" #n ", %1, %0" : "+x"(a) : "x"(b));                   \
        break;
#define CMP_OP(name, insn, maxlen)                                                      \
    static inline x86_v2di lane_##name(x86_v2di a, x86_v2di b, unsigned imm, unsigned o) \
    {                                                                                   \
        switch (imm & 7) {                                                              \
        CMP_CASE(insn, 0) CMP_CASE(insn, 1) CMP_CASE(insn, 2) CMP_CASE(insn, 3)         \
        CMP_CASE(insn, 4) CMP_CASE(insn, 5) CMP_CASE(insn, 6) CMP_CASE(insn, 7)         \
        }                                                                               \
        return a;                                                                       \
    }                                                                                   \
    FP_HELPER(name, lane_##name, maxlen);

CMP_OP(cmpps, "cmpps", 32)
CMP_OP(cmppd, "cmppd", 32)
CMP_OP(cmpss, "cmpss", 16)
CMP_OP(cmpsd, "cmpsd", 16)
