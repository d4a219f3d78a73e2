/* SSE/SSE2 conversions (SDM 2 CVT*: packed and scalar, FP <-> FP, FP <-> integer, with
 * truncation, the MMX forms), COMISS/UCOMISS/COMISD/UCOMISD and LDMXCSR: the host's own
 * instructions under the guest MXCSR (vec-fp.h), so out-of-range conversions give the
 * integer indefinite value and raise IE as on hardware. The MMX forms are done on XMM
 * registers of the host (the host's x87/MMX state is never touched). */
#include "target-i386/fpu.h"
#include "target-i386/helper-sys.h"
#include "target-i386/vec-fp.h"

#define CVT_HELPER(name, BODY)                                                          \
    static void helper_vec_##name(X86CPU *env, X86Vec *d, const X86Vec *a,              \
                                  const X86Vec *b, uint32_t desc)                       \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        unsigned len = x86_vdesc_len(desc);                                             \
        X86Vec r;                                                                       \
        memset(&r, 0, sizeof(r));                                                       \
        mx_begin(env);                                                                  \
        BODY;                                                                           \
        mx_end(env, ra);                                                                \
        memcpy(d, &r, len);                                                             \
    }                                                                                   \
    X86_VEC_INFO(name, TCG_CALL_NO_WG)

#define UNARY(insn, x) ({ x86_v2di v_ = (x);                                            \
                          __asm__ volatile(insn " %0, %0" : "+x"(v_));                  \
                          v_; })

/* same-width packed conversions */
CVT_HELPER(cvtdq2ps, for (unsigned o = 0; o < len; o += 16)
                         vstore(&r, o, UNARY("cvtdq2ps", vload(b, o))));
CVT_HELPER(cvtps2dq, for (unsigned o = 0; o < len; o += 16)
                         vstore(&r, o, UNARY("cvtps2dq", vload(b, o))));
CVT_HELPER(cvttps2dq, for (unsigned o = 0; o < len; o += 16)
                          vstore(&r, o, UNARY("cvttps2dq", vload(b, o))));
/* widening: the source is the low half (len / 2 bytes) of b */
CVT_HELPER(cvtps2pd, for (unsigned o = 0; o < len; o += 16)
                         vstore(&r, o, UNARY("cvtps2pd", vload(b, o / 2))));
CVT_HELPER(cvtdq2pd, for (unsigned o = 0; o < len; o += 16)
                         vstore(&r, o, UNARY("cvtdq2pd", vload(b, o / 2))));
/* narrowing: the result fills the low len / 2 bytes; d's 16 bytes are written, the
 * upper half zero (VEX.256: the caller zeroes 255:128 of the XMM destination) */
#define NARROW(insn)                                                                    \
    for (unsigned o = 0; o < len; o += 16) {                                            \
        x86_v2di v = UNARY(insn, vload(b, o));                                          \
        memcpy(r.b + o / 2, &v, 8);                                                     \
    }                                                                                   \
    len = 16
CVT_HELPER(cvtpd2ps, NARROW("cvtpd2ps"));
CVT_HELPER(cvtpd2dq, NARROW("cvtpd2dq"));
CVT_HELPER(cvttpd2dq, NARROW("cvttpd2dq"));

/* scalar FP <-> FP: element 0 from b, the rest of the low 16 bytes from a */
#define SCALAR2(insn) ({ x86_v2di v_ = vload(a, 0);                                     \
                         __asm__ volatile(insn " %1, %0" : "+x"(v_) : "x"(vload(b, 0))); \
                         v_; })
CVT_HELPER(cvtss2sd, vstore(&r, 0, SCALAR2("cvtss2sd")); len = 16);
CVT_HELPER(cvtsd2ss, vstore(&r, 0, SCALAR2("cvtsd2ss")); len = 16);

/* ---- scalar FP -> integer (into a general register) ---- */
#define TO_INT(name, insn, T)                                                           \
    static uint64_t helper_##name(X86CPU *env, const X86Vec *b)                         \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        T v;                                                                            \
        mx_begin(env);                                                                  \
        __asm__ volatile(insn " %1, %0" : "=r"(v) : "x"(vload(b, 0)));                  \
        mx_end(env, ra);                                                                \
        return (uint64_t)v;                                                             \
    }                                                                                   \
    X86_HELPER_INFO(name, TCG_CALL_NO_WG, TCG_TYPE_I64, 2, TCG_TYPE_PTR, TCG_TYPE_PTR)

TO_INT(cvtss2sil, "cvtss2si", uint32_t);
TO_INT(cvtss2siq, "cvtss2si", uint64_t);
TO_INT(cvttss2sil, "cvttss2si", uint32_t);
TO_INT(cvttss2siq, "cvttss2si", uint64_t);
TO_INT(cvtsd2sil, "cvtsd2si", uint32_t);
TO_INT(cvtsd2siq, "cvtsd2si", uint64_t);
TO_INT(cvttsd2sil, "cvttsd2si", uint32_t);
TO_INT(cvttsd2siq, "cvttsd2si", uint64_t);

/* ---- integer -> scalar FP: element 0 converted from v, the rest from a ---- */
#define FROM_INT(name, insn, T)                                                         \
    static void helper_##name(X86CPU *env, X86Vec *d, const X86Vec *a, uint64_t v)      \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        x86_v2di r = vload(a, 0);                                                       \
        mx_begin(env);                                                                  \
        __asm__ volatile(insn " %1, %0" : "+x"(r) : "r"((T)v));                         \
        mx_end(env, ra);                                                                \
        vstore(d, 0, r);                                                                \
    }                                                                                   \
    X86_HELPER_INFO(name, TCG_CALL_NO_WG, TCG_TYPE_VOID, 4, TCG_TYPE_PTR, TCG_TYPE_PTR, \
                    TCG_TYPE_PTR, TCG_TYPE_I64)

FROM_INT(cvtsil2ss, "cvtsi2ssl", int32_t);
FROM_INT(cvtsiq2ss, "cvtsi2ssq", int64_t);
FROM_INT(cvtsil2sd, "cvtsi2sdl", int32_t);
FROM_INT(cvtsiq2sd, "cvtsi2sdq", int64_t);

/* ---- MMX forms ---- */
/* CVT(T)PS2PI / CVT(T)PD2PI: two doublewords from the low two floats / the two doubles */
#define TO_PI(name, insn, high)                                                         \
    static uint64_t helper_##name(X86CPU *env, const X86Vec *b)                         \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        x86_v2di v = { (long long)b->q[0], (high) ? (long long)b->q[1] : 0 };           \
        mx_begin(env);                                                                  \
        v = UNARY(insn, v);                                                             \
        mx_end(env, ra);                                                                \
        return (uint64_t)v[0];                                                          \
    }                                                                                   \
    X86_HELPER_INFO(name, TCG_CALL_NO_WG, TCG_TYPE_I64, 2, TCG_TYPE_PTR, TCG_TYPE_PTR)

/* (the PS forms convert two floats: the upper two are zeros, which raise nothing) */
TO_PI(cvtps2pi, "cvtps2dq", 0);
TO_PI(cvttps2pi, "cvttps2dq", 0);
TO_PI(cvtpd2pi, "cvtpd2dq", 1);
TO_PI(cvttpd2pi, "cvttpd2dq", 1);

/* CVTPI2PS: the low two floats of d from v, the upper two kept; CVTPI2PD: both doubles */
static void helper_cvtpi2ps(X86CPU *env, X86Vec *d, uint64_t v)
{
    X86_GETPC(ra);
    x86_v2di x = { (long long)v, 0 };
    mx_begin(env);
    x = UNARY("cvtdq2ps", x);
    mx_end(env, ra);
    d->q[0] = (uint64_t)x[0];
}
X86_HELPER_INFO(cvtpi2ps, TCG_CALL_NO_WG, TCG_TYPE_VOID, 3, TCG_TYPE_PTR, TCG_TYPE_PTR,
                TCG_TYPE_I64);

static void helper_cvtpi2pd(X86CPU *env, X86Vec *d, uint64_t v)
{
    x86_v2di x = { (long long)v, 0 };
    vstore(d, 0, UNARY("cvtdq2pd", x));     /* exact: no MXCSR effect */
}
X86_HELPER_INFO(cvtpi2pd, TCG_CALL_NO_RWG, TCG_TYPE_VOID, 3, TCG_TYPE_PTR, TCG_TYPE_PTR,
                TCG_TYPE_I64);

/* ---- (U)COMISS / (U)COMISD: ZF PF CF (EFLAGS positions); OF SF AF cleared ---- */
#define COMI(name, insn)                                                                \
    static uint64_t helper_##name(X86CPU *env, const X86Vec *a, const X86Vec *b)        \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        bool zf, pf, cf;                                                                \
        mx_begin(env);                                                                  \
        __asm__ volatile(insn " %3, %4"                                                 \
                         : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf)                        \
                         : "x"(vload(b, 0)), "x"(vload(a, 0)));                         \
        mx_end(env, ra);                                                                \
        return (zf ? 0x40 : 0) | (pf ? 0x04 : 0) | (cf ? 0x01 : 0);                     \
    }                                                                                   \
    X86_HELPER_INFO(name, TCG_CALL_NO_WG, TCG_TYPE_I64, 3, TCG_TYPE_PTR, TCG_TYPE_PTR,  \
                    TCG_TYPE_PTR)

COMI(comiss, "comiss");
COMI(ucomiss, "ucomiss");
COMI(comisd, "comisd");
COMI(ucomisd, "ucomisd");

/* ---- LDMXCSR (SDM 2): reserved bits set -> #GP(0) ---- */
static void helper_ldmxcsr(X86CPU *env, uint32_t v)
{
    X86_GETPC(ra);
    if (v & ~X86_MXCSR_MASK) {
        x86_raise_exception_err(&env->parent, EXCP0D_GPF, 0, ra);
    }
    env->mxcsr = v;
}
X86_HELPER_INFO(ldmxcsr, TCG_CALL_NO_WG, TCG_TYPE_VOID, 2, TCG_TYPE_PTR, TCG_TYPE_I32);
