/* The host side of the SSE floating-point helpers (vec-fp*.c): guest FP operations run as
 * the same host SSE instructions (the host is x86-64: bit-exact results and flags) under
 * the guest's MXCSR control bits with every exception masked. The host MXCSR is only
 * reloaded when it differs from what the operation needs: in the default control state
 * (0x1f80, the usual case) an operation costs two STMXCSR, no LDMXCSR. Flags: the host
 * flags before an operation are kept a subset of the guest's sticky flags, so OR-ing the
 * host flags after it into the guest's is exact; with an exception unmasked in the guest
 * the flags are cleared first, so they are the operation's own (SDM 1 11.5). */
#ifndef TARGET_I386_VEC_FP_H
#define TARGET_I386_VEC_FP_H

#include <string.h>
#include "target-i386/helper.h"
#include "target-i386/vec.h"

typedef long long x86_v2di __attribute__((vector_size(16)));

static inline uint32_t host_stmxcsr(void)
{
    uint32_t v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}

static inline void host_ldmxcsr(uint32_t v)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(v));
}

#define MX_CTRL (X86_MXCSR_RC | X86_MXCSR_FZ | X86_MXCSR_DAZ)

/* Prepares the host MXCSR for an operation of the guest state env. */
static inline void mx_begin(const X86CPU *env)
{
    uint32_t host = host_stmxcsr(), g = env->mxcsr;
    uint32_t want = (g & MX_CTRL) | X86_MXCSR_MASKS;
    uint32_t stale = host & X86_MXCSR_FLAGS & ~g;

    if ((g & X86_MXCSR_MASKS) != X86_MXCSR_MASKS) {
        stale = host & X86_MXCSR_FLAGS;
    }
    if ((host & ~X86_MXCSR_FLAGS) != want || stale) {
        host_ldmxcsr(want);
    }
}

/* After an operation: the host MXCSR back to the default control, the flags into the
 * guest's; #XM (#UD without CR4.OSXMMEXCPT) if an unmasked one was raised, in which case
 * the caller's destination must not be written (this does not return). */
void x86_mx_raise(X86CPU *env, uint32_t flags, uintptr_t ra) __attribute__((noreturn));

static inline void mx_end(X86CPU *env, uintptr_t ra)
{
    uint32_t host = host_stmxcsr(), fl = host & X86_MXCSR_FLAGS;

    if ((host & ~X86_MXCSR_FLAGS) != X86_MXCSR_MASKS) {
        host_ldmxcsr(X86_MXCSR_MASKS);
    }
    if (fl & ~(env->mxcsr >> 7)) {
        x86_mx_raise(env, fl, ra);
    }
    env->mxcsr |= fl;
}

/* ---- the flag-free fast path (as QEMU's "hardfloat") -------------------------------------
 * With the default control (round to nearest, no DAZ/FTZ, all exceptions masked) and PE
 * already set in the guest, an add/sub/mul/div/min/max/sqrt whose operands are normal or
 * zero and whose result is normal with an exponent above the smallest one raised nothing
 * but (possibly) PE: no NaN or infinity in (IE), no denormal in (DE), no infinity out
 * (OE, ZE), no tiny result (UE: tininess is detected before rounding, hence the margin).
 * The guest MXCSR is then unchanged and the host's need not be read (STMXCSR costs
 * ~5 ns on the development host: more than the operation). This relies on the host
 * MXCSR's control being the default outside the helpers (they restore it). */
static inline bool mx_fast(const X86CPU *env)
{
    return (env->mxcsr & ~(X86_MXCSR_FLAGS & ~X86_MXCSR_PE)) ==
           (X86_MXCSR_MASKS | X86_MXCSR_PE);
}

static inline bool f64_in_ok(uint64_t v)
{
    uint64_t e = (v >> 52) & 0x7ff;
    return e ? e != 0x7ff : (v << 12) == 0;
}

static inline bool f64_out_ok(uint64_t v)
{
    uint64_t e = (v >> 52) & 0x7ff;
    return e >= 2 && e != 0x7ff;
}

static inline bool f32_in_ok(uint32_t v)
{
    uint32_t e = (v >> 23) & 0xff;
    return e ? e != 0xff : (v << 9) == 0;
}

static inline bool f32_out_ok(uint32_t v)
{
    uint32_t e = (v >> 23) & 0xff;
    return e >= 2 && e != 0xff;
}

/* The fast-path check of the first n elements (floats when single, else doubles) of
 * one 16-byte lane. */
static inline bool lane_ok(x86_v2di a, x86_v2di b, x86_v2di r, unsigned n, bool single)
{
    for (unsigned i = 0; i < n; i++) {
        if (single) {
            unsigned q = i / 2, sh = (i & 1) * 32;
            uint32_t x = (uint32_t)((uint64_t)a[q] >> sh), y = (uint32_t)((uint64_t)b[q] >> sh);
            uint32_t z = (uint32_t)((uint64_t)r[q] >> sh);
            if (!(f32_in_ok(x) && f32_in_ok(y) && f32_out_ok(z))) {
                return false;
            }
        } else if (!(f64_in_ok((uint64_t)a[i]) && f64_in_ok((uint64_t)b[i]) &&
                     f64_out_ok((uint64_t)r[i]))) {
            return false;
        }
    }
    return true;
}

/* One host instruction on a 16-byte lane: r = a OP b (a is also the destination of the
 * host instruction, so scalar forms keep a's upper elements). */
#define HOST_OP(name, insn)                                                             \
    static inline x86_v2di host_##name(x86_v2di a, x86_v2di b)                          \
    {                                                                                   \
        __asm__ volatile(insn " %1, %0" : "+x"(a) : "x"(b));                            \
        return a;                                                                       \
    }

static inline x86_v2di vload(const X86Vec *v, unsigned off)
{
    x86_v2di r;
    memcpy(&r, v->b + off, 16);
    return r;
}

static inline void vstore(X86Vec *v, unsigned off, x86_v2di x)
{
    memcpy(v->b + off, &x, 16);
}

/* Helper for r = a OP b over len bytes (at most maxlen), 16 at a time. fastn > 0: the
 * operation may take the flag-free fast path, checking fastn elements per lane (floats
 * when single). */
#define FP_HELPER_FAST(name, HOSTFN, maxlen, fastn, single)                             \
    static void helper_vec_##name(X86CPU *env, X86Vec *d, const X86Vec *a,              \
                                  const X86Vec *b, uint32_t desc)                       \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        unsigned len = x86_vdesc_len(desc), imm = x86_vdesc_imm(desc);                  \
        X86Vec r;                                                                       \
        bool ok = (fastn) && mx_fast(env);                                              \
        (void)imm;                                                                      \
        len = len < (maxlen) ? len : (maxlen);                                          \
        for (unsigned o = 0; ok && o < len; o += 16) {                                  \
            x86_v2di x = vload(a, o), y = vload(b, o), z = HOSTFN(x, y, imm, o);        \
            vstore(&r, o, z);                                                           \
            ok = lane_ok(x, y, z, (fastn), (single));                                   \
        }                                                                               \
        if (!ok) {                                                                      \
            mx_begin(env);                                                              \
            for (unsigned o = 0; o < len; o += 16) {                                    \
                vstore(&r, o, HOSTFN(vload(a, o), vload(b, o), imm, o));                \
            }                                                                           \
            mx_end(env, ra);                                                            \
        }                                                                               \
        memcpy(d, &r, len);                                                             \
    }                                                                                   \
    X86_VEC_INFO(name, TCG_CALL_NO_WG)
#define FP_HELPER(name, HOSTFN, maxlen) FP_HELPER_FAST(name, HOSTFN, maxlen, 0, false)

#endif
