/* Integer vector shifts, packs, unpacks and shuffles of MMX and SSE2 (SDM 2 PSRL/PSRA/
 * PSLL by register and immediate, PSRLDQ/PSLLDQ, PACKSS/PACKUS, PUNPCK*, PSHUF*, SHUFPS/PD,
 * UNPCK*PS/PD): per 128-bit lane where the SDM's 256-bit forms are. Shift counts by
 * register are the whole low quadword of the source; immediate shifts and shuffles read
 * the source b only (vec.h). */
#include "target-i386/vec-int.h"

/* ---- shifts ---- */
#define SHIFT_OPS(name, F, bits, EXPR)                                                  \
    static void do_##name(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,    \
                          unsigned imm)                                                 \
    {                                                                                   \
        uint64_t n = b->q[0];                                                           \
        for (unsigned i = 0; i < len / sizeof(r->F[0]); i++) {                          \
            __typeof__(a->F[0]) v = a->F[i];                                            \
            r->F[i] = (EXPR);                                                           \
        }                                                                               \
    }                                                                                   \
    BOTH_WRAP(name);                                                                    \
    static void do_##name##i(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len, \
                             unsigned imm)                                              \
    {                                                                                   \
        uint64_t n = imm;                                                               \
        for (unsigned i = 0; i < len / sizeof(r->F[0]); i++) {                          \
            __typeof__(a->F[0]) v = b->F[i];                                            \
            r->F[i] = (EXPR);                                                           \
        }                                                                               \
    }                                                                                   \
    BOTH_WRAP(name##i)

SHIFT_OPS(psrlw, w, 16, n > 15 ? 0 : v >> n);
SHIFT_OPS(psrld, l, 32, n > 31 ? 0 : v >> n);
SHIFT_OPS(psrlq, q, 64, n > 63 ? 0 : v >> n);
SHIFT_OPS(psllw, w, 16, n > 15 ? 0 : (uint16_t)(v << n));
SHIFT_OPS(pslld, l, 32, n > 31 ? 0 : v << n);
SHIFT_OPS(psllq, q, 64, n > 63 ? 0 : v << n);
SHIFT_OPS(psraw, sw, 16, v >> (n > 15 ? 15 : n));
SHIFT_OPS(psrad, sl, 32, v >> (n > 31 ? 31 : n));

/* PSRLDQ / PSLLDQ: byte shifts of each 128-bit lane of b by imm (more than 15: zero). */
static void do_psrldqi(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                       unsigned imm)
{
    for (unsigned l = 0; l < len; l += 16) {
        for (unsigned i = 0; i < 16; i++) {
            r->b[l + i] = i + imm < 16 ? b->b[l + i + imm] : 0;
        }
    }
}
VEC_WRAP(psrldqi);

static void do_pslldqi(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                       unsigned imm)
{
    for (unsigned l = 0; l < len; l += 16) {
        for (unsigned i = 0; i < 16; i++) {
            r->b[l + i] = i >= imm ? b->b[l + i - imm] : 0;
        }
    }
}
VEC_WRAP(pslldqi);

/* ---- packs: per lane, a's elements saturated, then b's ---- */
#define PACK_OP(name, SF, DF, SAT)                                                      \
    static void do_##name(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,    \
                          unsigned imm)                                                 \
    {                                                                                   \
        unsigned lane = x86_lane(len), n = lane / sizeof(a->SF[0]);                     \
        for (unsigned l = 0; l < len / lane; l++) {                                     \
            for (unsigned i = 0; i < n; i++) {                                          \
                r->DF[l * 2 * n + i] = SAT(a->SF[l * n + i]);                           \
                r->DF[l * 2 * n + n + i] = SAT(b->SF[l * n + i]);                       \
            }                                                                           \
        }                                                                               \
    }                                                                                   \
    BOTH_WRAP(name)

PACK_OP(packsswb, sw, sb, sat_s8);
PACK_OP(packuswb, sw, b, sat_u8);
PACK_OP(packssdw, sl, sw, sat_s16);

/* ---- unpacks: per lane, interleave the low (or high) halves of a and b ---- */
#define UNPACK_OP(name, F, HIGH)                                                        \
    static void do_##name(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,    \
                          unsigned imm)                                                 \
    {                                                                                   \
        unsigned lane = x86_lane(len), n = lane / sizeof(a->F[0]);                      \
        for (unsigned l = 0; l < len / lane; l++) {                                     \
            unsigned src = l * n + ((HIGH) ? n / 2 : 0);                                \
            for (unsigned i = 0; i < n / 2; i++) {                                      \
                r->F[l * n + 2 * i] = a->F[src + i];                                    \
                r->F[l * n + 2 * i + 1] = b->F[src + i];                                \
            }                                                                           \
        }                                                                               \
    }

UNPACK_OP(punpcklbw, b, 0) BOTH_WRAP(punpcklbw);
UNPACK_OP(punpcklwd, w, 0) BOTH_WRAP(punpcklwd);
UNPACK_OP(punpckldq, l, 0) BOTH_WRAP(punpckldq);
UNPACK_OP(punpckhbw, b, 1) BOTH_WRAP(punpckhbw);
UNPACK_OP(punpckhwd, w, 1) BOTH_WRAP(punpckhwd);
UNPACK_OP(punpckhdq, l, 1) BOTH_WRAP(punpckhdq);
UNPACK_OP(punpcklqdq, q, 0) VEC_WRAP(punpcklqdq);
UNPACK_OP(punpckhqdq, q, 1) VEC_WRAP(punpckhqdq);
UNPACK_OP(unpcklps, l, 0) VEC_WRAP(unpcklps);
UNPACK_OP(unpckhps, l, 1) VEC_WRAP(unpckhps);
UNPACK_OP(unpcklpd, q, 0) VEC_WRAP(unpcklpd);
UNPACK_OP(unpckhpd, q, 1) VEC_WRAP(unpckhpd);

/* ---- shuffles ---- */
/* PSHUFW (MMX) / PSHUFD: element i (of each lane) = b's element imm[2i+1:2i]. */
static void do_pshufw(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                      unsigned imm)
{
    for (unsigned i = 0; i < 4; i++) {
        r->w[i] = b->w[(imm >> (2 * i)) & 3];
    }
}
MMX_WRAP(pshufw);


static void do_pshufd(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                      unsigned imm)
{
    for (unsigned l = 0; l < len / 4; l += 4) {
        for (unsigned i = 0; i < 4; i++) {
            r->l[l + i] = b->l[l + ((imm >> (2 * i)) & 3)];
        }
    }
}
VEC_WRAP(pshufd);

/* PSHUFHW / PSHUFLW: the high (low) four words of each lane shuffled, the rest copied. */
static void pshuf_half(X86Vec *r, const X86Vec *b, unsigned len, unsigned imm, unsigned half)
{
    for (unsigned l = 0; l < len / 2; l += 8) {
        r->q[l / 4] = b->q[l / 4];
        r->q[l / 4 + 1] = b->q[l / 4 + 1];
        for (unsigned i = 0; i < 4; i++) {
            r->w[l + half + i] = b->w[l + half + ((imm >> (2 * i)) & 3)];
        }
    }
}

static void do_pshufhw(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                       unsigned imm)
{
    pshuf_half(r, b, len, imm, 4);
}
VEC_WRAP(pshufhw);

static void do_pshuflw(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                       unsigned imm)
{
    pshuf_half(r, b, len, imm, 0);
}
VEC_WRAP(pshuflw);

/* SHUFPS: per lane, two elements of a then two of b, chosen by imm. */
static void do_shufps(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                      unsigned imm)
{
    for (unsigned l = 0; l < len / 4; l += 4) {
        r->l[l] = a->l[l + (imm & 3)];
        r->l[l + 1] = a->l[l + ((imm >> 2) & 3)];
        r->l[l + 2] = b->l[l + ((imm >> 4) & 3)];
        r->l[l + 3] = b->l[l + ((imm >> 6) & 3)];
    }
}
VEC_WRAP(shufps);

/* SHUFPD: per lane, one element of a and one of b (imm bits 2l, 2l+1). */
static void do_shufpd(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                      unsigned imm)
{
    for (unsigned l = 0; l < len / 8; l += 2) {
        r->q[l] = a->q[l + ((imm >> l) & 1)];
        r->q[l + 1] = b->q[l + ((imm >> (l + 1)) & 1)];
    }
}
VEC_WRAP(shufpd);
