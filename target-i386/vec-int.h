/* Building blocks of the integer vector helpers (vec-int*.c): the element loops, the
 * saturations, and the wrappers that turn one lane-generic operation
 *     static void do_NAME(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
 *                         unsigned imm)
 * into the XMM/YMM helper (vec.h shape, len 16 or 32) and the MMX helper (len 8).
 * Operations defined per 128-bit lane use x86_lane(len): 16, or 8 for MMX. */
#ifndef TARGET_I386_VEC_INT_H
#define TARGET_I386_VEC_INT_H

#include <string.h>
#include "target-i386/vec.h"

static inline unsigned x86_lane(unsigned len) { return len < 16 ? len : 16; }

static inline int8_t sat_s8(int v) { return v > 127 ? 127 : v < -128 ? -128 : (int8_t)v; }
static inline uint8_t sat_u8(int v) { return v > 255 ? 255 : v < 0 ? 0 : (uint8_t)v; }
static inline int16_t sat_s16(int v)
{
    return v > 32767 ? 32767 : v < -32768 ? -32768 : (int16_t)v;
}
static inline uint16_t sat_u16(int v) { return v > 65535 ? 65535 : v < 0 ? 0 : (uint16_t)v; }

/* r.F[i] = EXPR for every element (A, B: a->F[i], b->F[i]; I: the index). */
#define VEC_ELEMS(name, F, EXPR)                                                        \
    static void do_##name(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,    \
                          unsigned imm)                                                 \
    {                                                                                   \
        (void)imm;                                                                      \
        for (unsigned I = 0; I < len / sizeof(r->F[0]); I++) {                          \
            __typeof__(a->F[0]) A = a->F[I], B = b->F[I];                               \
            (void)A; (void)B;                                                           \
            r->F[I] = (EXPR);                                                           \
        }                                                                               \
    }

#define VEC_WRAP(name)                                                                  \
    static void helper_vec_##name(X86CPU *env, X86Vec *d, const X86Vec *a,              \
                                  const X86Vec *b, uint32_t desc)                       \
    {                                                                                   \
        X86Vec r;                                                                       \
        unsigned len = x86_vdesc_len(desc);                                             \
        (void)env;                                                                      \
        do_##name(&r, a, b, len, x86_vdesc_imm(desc));                                  \
        memcpy(d, &r, len);                                                             \
    }                                                                                   \
    X86_VEC_INFO(name, TCG_CALL_NO_RWG)

#define MMX_WRAP(name)                                                                  \
    static uint64_t helper_mmx_##name(uint64_t a, uint64_t b, uint32_t imm)             \
    {                                                                                   \
        X86Vec va, vb, r;                                                               \
        va.q[0] = a;                                                                    \
        vb.q[0] = b;                                                                    \
        do_##name(&r, &va, &vb, 8, imm);                                                \
        return r.q[0];                                                                  \
    }                                                                                   \
    X86_MMX_INFO(name)

#define BOTH_WRAP(name) VEC_WRAP(name); MMX_WRAP(name)

#endif
