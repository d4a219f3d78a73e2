/* SSE/SSE2 conversions (SDM 2 CVT*: packed and scalar, FP <-> FP, FP <-> integer, with
 * truncation, the MMX forms), COMISS/UCOMISS/COMISD/UCOMISD and LDMXCSR: the host's own
 * instructions under the guest MXCSR (vec-fp.h), so out-of-range conversions give the
 * integer indefinite value and raise IE as on hardware. The MMX forms are done on XMM
 * registers of the host (the host's x87/MMX state is never touched). */
#include "target-i386/fpu.h"
#include "target-i386/helper-sys.h"
#include "target-i386/vec-fp.h"

/* PRE: the operation certainly raises nothing new (or only PE, already set: see
 * vec-fp.h's fast path) if POST holds after it; it then skips the MXCSR work. */
#define CVT_HELPER_FAST(name, PRE, BODY, POST)                                          \
    static void helper_vec_##name(X86CPU *env, X86Vec *d, const X86Vec *a,              \
                                  const X86Vec *b, uint32_t desc)                       \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        unsigned len = x86_vdesc_len(desc);                                             \
        X86Vec r;                                                                       \
        memset(&r, 0, sizeof(r));                                                       \
        if (PRE) {                                                                      \
            BODY;                                                                       \
            if (POST) {                                                                 \
                memcpy(d, &r, len);                                                     \
                return;                                                                 \
            }                                                                           \
            len = x86_vdesc_len(desc);                                                  \
        }                                                                               \
        mx_begin(env);                                                                  \
        BODY;                                                                           \
        mx_end(env, ra);                                                                \
        memcpy(d, &r, len);                                                             \
    }                                                                                   \
    X86_VEC_INFO(name, TCG_CALL_NO_WG)
#define CVT_HELPER(name, BODY) CVT_HELPER_FAST(name, false, BODY, true)

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
/* (single to double is exact: only a NaN or a denormal can raise) */
CVT_HELPER_FAST(cvtss2sd, f32_in_ok(b->l[0]), vstore(&r, 0, SCALAR2("cvtss2sd")); len = 16,
                true);
CVT_HELPER_FAST(cvtsd2ss, mx_fast(env) && f64_in_ok(b->q[0]),
                vstore(&r, 0, SCALAR2("cvtsd2ss")); len = 16, f32_out_ok(r.l[0]));

/* ---- scalar FP -> integer (into a general register) ---- */
/* Fast: a normal (or zero) source well inside the range converts raising at most PE. */
static inline bool to_int_fast(const X86CPU *env, const X86Vec *b, bool single, bool q)
{
    unsigned lim = q ? 62 : 30;
    if (!mx_fast(env)) {
        return false;
    }
    if (single) {
        return f32_in_ok(b->l[0]) && ((b->l[0] >> 23) & 0xff) < 127 + lim;
    }
    return f64_in_ok(b->q[0]) && ((b->q[0] >> 52) & 0x7ff) < 1023 + lim;
}

#define TO_INT(name, insn, T, single)                                                   \
    static uint64_t helper_##name(X86CPU *env, const X86Vec *b)                         \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        T v;                                                                            \
        if (to_int_fast(env, b, (single), sizeof(T) == 8)) {                            \
            __asm__ volatile(insn " %1, %0" : "=r"(v) : "x"(vload(b, 0)));              \
            return (uint64_t)v;                                                         \
        }                                                                               \
        mx_begin(env);                                                                  \
        __asm__ volatile(insn " %1, %0" : "=r"(v) : "x"(vload(b, 0)));                  \
        mx_end(env, ra);                                                                \
        return (uint64_t)v;                                                             \
    }                                                                                   \
    X86_HELPER_INFO(name, TCG_CALL_NO_WG, TCG_TYPE_I64, 2, TCG_TYPE_PTR, TCG_TYPE_PTR)

TO_INT(cvtss2sil, "cvtss2si", uint32_t, true);
TO_INT(cvtss2siq, "cvtss2si", uint64_t, true);
TO_INT(cvttss2sil, "cvttss2si", uint32_t, true);
TO_INT(cvttss2siq, "cvttss2si", uint64_t, true);
TO_INT(cvtsd2sil, "cvtsd2si", uint32_t, false);
TO_INT(cvtsd2siq, "cvtsd2si", uint64_t, false);
TO_INT(cvttsd2sil, "cvttsd2si", uint32_t, false);
TO_INT(cvttsd2siq, "cvttsd2si", uint64_t, false);

/* ---- integer -> scalar FP: element 0 converted from v, the rest from a ---- */
/* exact: every value of T converts exactly (int32 to double): no flags, no rounding */
#define FROM_INT(name, insn, T, exact)                                                  \
    static void helper_##name(X86CPU *env, X86Vec *d, const X86Vec *a, uint64_t v)      \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        x86_v2di r = vload(a, 0);                                                       \
        if ((exact) || mx_fast(env)) {                                                  \
            __asm__ volatile(insn " %1, %0" : "+x"(r) : "r"((T)v));                     \
            vstore(d, 0, r);                                                            \
            return;                                                                     \
        }                                                                               \
        mx_begin(env);                                                                  \
        __asm__ volatile(insn " %1, %0" : "+x"(r) : "r"((T)v));                         \
        mx_end(env, ra);                                                                \
        vstore(d, 0, r);                                                                \
    }                                                                                   \
    X86_HELPER_INFO(name, TCG_CALL_NO_WG, TCG_TYPE_VOID, 4, TCG_TYPE_PTR, TCG_TYPE_PTR, \
                    TCG_TYPE_PTR, TCG_TYPE_I64)

FROM_INT(cvtsil2ss, "cvtsi2ssl", int32_t, false);
FROM_INT(cvtsiq2ss, "cvtsi2ssq", int64_t, false);
FROM_INT(cvtsil2sd, "cvtsi2sdl", int32_t, true);
FROM_INT(cvtsiq2sd, "cvtsi2sdq", int64_t, false);

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
/* (no NaN and no denormal among the operands: nothing can be raised) */
#define COMI(name, insn, single)                                                        \
    static uint64_t helper_##name(X86CPU *env, const X86Vec *a, const X86Vec *b)        \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        bool zf, pf, cf;                                                                \
        bool quiet = single ? f32_in_ok(a->l[0]) && f32_in_ok(b->l[0])                  \
                            : f64_in_ok(a->q[0]) && f64_in_ok(b->q[0]);                 \
        if (!quiet) {                                                                   \
            mx_begin(env);                                                              \
        }                                                                               \
        __asm__ volatile(insn " %3, %4"                                                 \
                         : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf)                        \
                         : "x"(vload(b, 0)), "x"(vload(a, 0)));                         \
        if (!quiet) {                                                                   \
            mx_end(env, ra);                                                            \
        }                                                                               \
        return (zf ? 0x40 : 0) | (pf ? 0x04 : 0) | (cf ? 0x01 : 0);                     \
    }                                                                                   \
    X86_HELPER_INFO(name, TCG_CALL_NO_WG, TCG_TYPE_I64, 3, TCG_TYPE_PTR, TCG_TYPE_PTR,  \
                    TCG_TYPE_PTR)

COMI(comiss, "comiss", true);
COMI(ucomiss, "ucomiss", true);
COMI(comisd, "comisd", false);
COMI(ucomisd, "ucomisd", false);

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
