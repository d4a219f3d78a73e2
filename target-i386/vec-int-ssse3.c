/* SSE3 and SSSE3 integer and data-movement operations (SDM 2: MOVSLDUP, MOVSHDUP,
 * MOVDDUP, PSHUFB, PHADD/PHSUB W/D/SW, PMADDUBSW, PMULHRSW, PSIGN B/W/D, PABS B/W/D,
 * PALIGNR): MMX and XMM forms from one lane-generic loop (vec-int.h). */
#include <stdlib.h>
#include "target-i386/vec-int.h"

/* ---- SSE3 duplicating moves (unary: b) ---- */
static void do_movsldup(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                        unsigned imm)
{
    for (unsigned i = 0; i < len / 4; i += 2) {
        r->l[i] = r->l[i + 1] = b->l[i];
    }
}
VEC_WRAP(movsldup);

static void do_movshdup(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                        unsigned imm)
{
    for (unsigned i = 0; i < len / 4; i += 2) {
        r->l[i] = r->l[i + 1] = b->l[i + 1];
    }
}
VEC_WRAP(movshdup);

static void do_movddup(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                       unsigned imm)
{
    for (unsigned i = 0; i < len / 8; i += 2) {
        r->q[i] = r->q[i + 1] = b->q[i];
    }
}
VEC_WRAP(movddup);

/* ---- horizontal add/subtract: per lane, a's pairs then b's pairs ---- */
#define HORIZ(name, F, EXPR)                                                            \
    static void do_##name(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,    \
                          unsigned imm)                                                 \
    {                                                                                   \
        unsigned lane = x86_lane(len), n = lane / sizeof(a->F[0]);                      \
        for (unsigned l = 0; l < len / lane; l++) {                                     \
            for (unsigned i = 0; i < n / 2; i++) {                                      \
                const X86Vec *s_[2] = { a, b };                                         \
                for (int h = 0; h < 2; h++) {                                           \
                    __typeof__(a->F[0]) A = s_[h]->F[l * n + 2 * i];                    \
                    __typeof__(a->F[0]) B = s_[h]->F[l * n + 2 * i + 1];                \
                    r->F[l * n + h * n / 2 + i] = (EXPR);                               \
                }                                                                       \
            }                                                                           \
        }                                                                               \
    }                                                                                   \
    BOTH_WRAP(name)

HORIZ(phaddw, w, (uint16_t)(A + B));
HORIZ(phaddd, l, A + B);
HORIZ(phaddsw, sw, sat_s16(A + B));
HORIZ(phsubw, w, (uint16_t)(A - B));
HORIZ(phsubd, l, A - B);
HORIZ(phsubsw, sw, sat_s16(A - B));

/* ---- element-wise ---- */
static void do_pmaddubsw(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                         unsigned imm)
{
    for (unsigned i = 0; i < len / 2; i++) {
        r->sw[i] = sat_s16(a->b[2 * i] * b->sb[2 * i] + a->b[2 * i + 1] * b->sb[2 * i + 1]);
    }
}
BOTH_WRAP(pmaddubsw);

VEC_ELEMS(pmulhrsw, sw, (int16_t)((((A * B) >> 14) + 1) >> 1)) BOTH_WRAP(pmulhrsw);
VEC_ELEMS(psignb, sb, B < 0 ? (int8_t)-A : B ? A : 0) BOTH_WRAP(psignb);
VEC_ELEMS(psignw, sw, B < 0 ? (int16_t)-A : B ? A : 0) BOTH_WRAP(psignw);
VEC_ELEMS(psignd, sl, B < 0 ? (int32_t)(0u - (uint32_t)A) : B ? A : 0) BOTH_WRAP(psignd);
VEC_ELEMS(pabsb, b, (uint8_t)abs((int8_t)B)) BOTH_WRAP(pabsb);
VEC_ELEMS(pabsw, w, (uint16_t)abs((int16_t)B)) BOTH_WRAP(pabsw);
VEC_ELEMS(pabsd, l, (int32_t)B < 0 ? 0u - B : B) BOTH_WRAP(pabsd);

/* PSHUFB: per lane, byte i = a's byte (b[i] mod lane), or 0 when b[i] bit 7 is set. */
static void do_pshufb(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                      unsigned imm)
{
    unsigned lane = x86_lane(len);
    for (unsigned i = 0; i < len; i++) {
        unsigned base = i & ~(lane - 1);
        r->b[i] = (b->b[i] & 0x80) ? 0 : a->b[base + (b->b[i] & (lane - 1))];
    }
}
BOTH_WRAP(pshufb);

/* PALIGNR: per lane, the pair a:b (a high) shifted right by imm bytes. */
static void do_palignr(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                       unsigned imm)
{
    unsigned lane = x86_lane(len);
    for (unsigned i = 0; i < len; i++) {
        unsigned base = i & ~(lane - 1), k = (i - base) + imm;
        r->b[i] = k < lane ? b->b[base + k] : k < 2 * lane ? a->b[base + k - lane] : 0;
    }
}
BOTH_WRAP(palignr);
