/* VCMPPS/PD/SS/SD with the 32 predicates of the VEX encoding (SDM 2 CMPPS, table 3-1
 * "Comparison Predicate for CMPPD and CMPPS Instructions"), on hosts with SSE only: the
 * result of predicate p is built from the legacy predicates 0..7 (operands swapped for
 * GE/GT/NGE/NGT, two compares combined for EQ_UQ and NEQ_OQ, constants for FALSE and
 * TRUE); the predicates 16..31 give the results of p - 16 with the opposite signalling.
 * The flags depend only on the operands and on whether the predicate signals on a QNaN:
 * they are those of a legacy quiet (EQ_OQ) or signalling (LT_OS) compare of the same
 * elements, run after the results with the host flags cleared (vec-fp.h). */
#include "target-i386/avx.h"
#include "target-i386/helper-sys.h"
#include "target-i386/vec-fp.h"

#define HC_CASE(insn, n)                                                                \
    case n:                                                                             \
        __asm__ volatile(insn " $" #n ", %1, %0" : "+x"(a) : "x"(b));                   \
        break;
/* host_cmp_INSN(a, b, p): the legacy instruction with predicate p (0..7) */
#define HOST_CMP(insn)                                                                  \
    static inline x86_v2di host_cmp_##insn(x86_v2di a, x86_v2di b, unsigned p)          \
    {                                                                                   \
        switch (p & 7) {                                                                \
        HC_CASE(#insn, 0) HC_CASE(#insn, 1) HC_CASE(#insn, 2) HC_CASE(#insn, 3)         \
        HC_CASE(#insn, 4) HC_CASE(#insn, 5) HC_CASE(#insn, 6) HC_CASE(#insn, 7)         \
        }                                                                               \
        return a;                                                                       \
    }
HOST_CMP(cmpps)
HOST_CMP(cmppd)
HOST_CMP(cmpss)
HOST_CMP(cmpsd)

static x86_v2di packed(x86_v2di a, x86_v2di b, unsigned p, bool dbl)
{
    return dbl ? host_cmp_cmppd(a, b, p) : host_cmp_cmpps(a, b, p);
}

/* The element masks of predicate p (0..15) on one lane, every element compared. */
static x86_v2di lane_result(x86_v2di a, x86_v2di b, unsigned p, bool dbl)
{
    static const x86_v2di zero, ones = { -1, -1 };
    switch (p) {
    case 8: return packed(a, b, 0, dbl) | packed(a, b, 3, dbl);    /* EQ_UQ */
    case 9: return packed(b, a, 6, dbl);                           /* NGE_US = NLE(b, a) */
    case 10: return packed(b, a, 5, dbl);                          /* NGT_US = NLT(b, a) */
    case 11: return zero;                                          /* FALSE_OQ */
    case 12: return packed(a, b, 4, dbl) & packed(a, b, 7, dbl);   /* NEQ_OQ */
    case 13: return packed(b, a, 2, dbl);                          /* GE_OS = LE(b, a) */
    case 14: return packed(b, a, 1, dbl);                          /* GT_OS = LT(b, a) */
    case 15: return ones;                                          /* TRUE_UQ */
    default: return packed(a, b, p, dbl);
    }
}

/* Does predicate imm (0..31) signal on a QNaN operand? */
static bool signalling(unsigned imm)
{
    static const uint16_t sig = (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 9) |
                                (1u << 10) | (1u << 13) | (1u << 14);
    return ((sig >> (imm & 15)) & 1) ^ ((imm >> 4) & 1);
}

/* The flags of one lane: the elements compared by a legacy quiet or signalling compare. */
static void lane_flags(x86_v2di a, x86_v2di b, bool sig, bool dbl, bool scalar)
{
    unsigned p = sig ? 1 : 0;
    if (scalar) {
        (void)(dbl ? host_cmp_cmpsd(a, b, p) : host_cmp_cmpss(a, b, p));
    } else {
        (void)packed(a, b, p, dbl);
    }
}

/* d = a CMP b over len bytes (scalar: element 0 from the compare, the rest of the low
 * 16 bytes from a). */
static void vcmp(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b, uint32_t desc,
                 bool dbl, bool scalar, uintptr_t ra)
{
    unsigned len = scalar ? 16 : x86_vdesc_len(desc), imm = x86_vdesc_imm(desc) & 31;
    X86Vec r;

    mx_begin(env);
    for (unsigned o = 0; o < len; o += 16) {
        vstore(&r, o, lane_result(vload(a, o), vload(b, o), imm & 15, dbl));
    }
    /* the results' flags are discarded: the flags are those of the predicate's kind */
    host_ldmxcsr(host_stmxcsr() & ~X86_MXCSR_FLAGS);
    for (unsigned o = 0; o < len; o += 16) {
        lane_flags(vload(a, o), vload(b, o), signalling(imm), dbl, scalar);
    }
    mx_end(env, ra);
    if (scalar) {
        unsigned esize = dbl ? 8 : 4;
        memcpy(r.b + esize, a->b + esize, 16 - esize);
    }
    memcpy(d, &r, len);
}

#define VCMP(name, dbl, scalar)                                                         \
    static void helper_vec_##name(X86CPU *env, X86Vec *d, const X86Vec *a,              \
                                  const X86Vec *b, uint32_t desc)                       \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        vcmp(env, d, a, b, desc, dbl, scalar, ra);                                      \
    }                                                                                   \
    X86_VEC_INFO(name, TCG_CALL_NO_WG);
VCMP(vcmpps, false, false)
VCMP(vcmppd, true, false)
VCMP(vcmpss, false, true)
VCMP(vcmpsd, true, true)
