/* SSE4.1 / SSE4.2 integer operations (SDM 2: PMIN/PMAX SB/SD/UW/UD, PMULLD, PMULDQ,
 * PCMPEQQ, PCMPGTQ, PACKUSDW, PMOVSX/PMOVZX, PHMINPOSUW, MPSADBW, PBLENDW, BLENDPS/PD,
 * PBLENDVB, BLENDVPS/PD, INSERTPS) in the vec.h shape. BLENDV*: the mask register's number
 * is the imm of desc (0 for the legacy forms: XMM0 implicitly). */
#include <stdlib.h>
#include "target-i386/vec-int.h"

VEC_ELEMS(pminsb, sb, A < B ? A : B) VEC_WRAP(pminsb);
VEC_ELEMS(pmaxsb, sb, A > B ? A : B) VEC_WRAP(pmaxsb);
VEC_ELEMS(pminsd, sl, A < B ? A : B) VEC_WRAP(pminsd);
VEC_ELEMS(pmaxsd, sl, A > B ? A : B) VEC_WRAP(pmaxsd);
VEC_ELEMS(pminuw, w, A < B ? A : B) VEC_WRAP(pminuw);
VEC_ELEMS(pmaxuw, w, A > B ? A : B) VEC_WRAP(pmaxuw);
VEC_ELEMS(pminud, l, A < B ? A : B) VEC_WRAP(pminud);
VEC_ELEMS(pmaxud, l, A > B ? A : B) VEC_WRAP(pmaxud);
VEC_ELEMS(pmulld, l, A * B) VEC_WRAP(pmulld);
VEC_ELEMS(pmuldq, q, (uint64_t)((int64_t)(int32_t)A * (int32_t)B)) VEC_WRAP(pmuldq);
VEC_ELEMS(pcmpeqq, q, A == B ? ~0ull : 0) VEC_WRAP(pcmpeqq);
VEC_ELEMS(pcmpgtq, sq, A > B ? -1 : 0) VEC_WRAP(pcmpgtq);

static void do_packusdw(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                        unsigned imm)
{
    for (unsigned l = 0; l < len / 4; l += 4) {
        for (unsigned i = 0; i < 4; i++) {
            r->w[2 * l + i] = sat_u16(a->sl[l + i]);
            r->w[2 * l + 4 + i] = sat_u16(b->sl[l + i]);
        }
    }
}
VEC_WRAP(packusdw);

/* PMOVSX / PMOVZX: the low elements of b widened (unary). */
#define PMOV(name, SF, DF)                                                              \
    static void do_##name(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,    \
                          unsigned imm)                                                 \
    {                                                                                   \
        for (unsigned i = 0; i < len / sizeof(r->DF[0]); i++) {                         \
            r->DF[i] = b->SF[i];                                                        \
        }                                                                               \
    }                                                                                   \
    VEC_WRAP(name)

PMOV(pmovsxbw, sb, sw); PMOV(pmovsxbd, sb, sl); PMOV(pmovsxbq, sb, sq);
PMOV(pmovsxwd, sw, sl); PMOV(pmovsxwq, sw, sq); PMOV(pmovsxdq, sl, sq);
PMOV(pmovzxbw, b, w); PMOV(pmovzxbd, b, l); PMOV(pmovzxbq, b, q);
PMOV(pmovzxwd, w, l); PMOV(pmovzxwq, w, q); PMOV(pmovzxdq, l, q);

/* PHMINPOSUW: the smallest word of b and its (lowest) index; the rest zero. */
static void do_phminposuw(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                          unsigned imm)
{
    unsigned best = 0;
    for (unsigned i = 1; i < 8; i++) {
        if (b->w[i] < b->w[best]) {
            best = i;
        }
    }
    memset(r, 0, 16);
    r->w[0] = b->w[best];
    r->w[1] = (uint16_t)best;
}
VEC_WRAP(phminposuw);

/* MPSADBW: per lane, eight sums of absolute differences of a 4-byte block of b (imm[1:0],
 * lane 1: imm[4:3]) against sliding 4-byte windows of a (from imm[2], lane 1: imm[5]). */
static void do_mpsadbw(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                       unsigned imm)
{
    for (unsigned l = 0; l < len / 16; l++) {
        unsigned bits = l ? imm >> 3 : imm;
        unsigned boff = l * 16 + (bits & 3) * 4, aoff = l * 16 + ((bits >> 2) & 1) * 4;
        for (unsigned i = 0; i < 8; i++) {
            unsigned sum = 0;
            for (unsigned j = 0; j < 4; j++) {
                sum += (unsigned)abs(a->b[aoff + i + j] - b->b[boff + j]);
            }
            r->w[l * 8 + i] = (uint16_t)sum;
        }
    }
}
VEC_WRAP(mpsadbw);

/* Immediate blends: element i from b when imm bit (i mod 8) is set. */
#define BLENDI(name, F, nbits)                                                          \
    static void do_##name(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,    \
                          unsigned imm)                                                 \
    {                                                                                   \
        for (unsigned i = 0; i < len / sizeof(r->F[0]); i++) {                          \
            r->F[i] = (imm >> (i % (nbits))) & 1 ? b->F[i] : a->F[i];                   \
        }                                                                               \
    }                                                                                   \
    VEC_WRAP(name)

BLENDI(pblendw, w, 8);
BLENDI(blendps, l, 8);
BLENDI(blendpd, q, 4);

/* Variable blends: element i from b when the top bit of the mask register's element is
 * set (mask register: env->vec[imm]). */
#define BLENDV(name, F, SF)                                                             \
    static void helper_vec_##name(X86CPU *env, X86Vec *d, const X86Vec *a,              \
                                  const X86Vec *b, uint32_t desc)                       \
    {                                                                                   \
        const X86Vec *m = &env->vec[x86_vdesc_imm(desc) & 15];                          \
        unsigned len = x86_vdesc_len(desc);                                             \
        X86Vec r;                                                                       \
        for (unsigned i = 0; i < len / sizeof(r.F[0]); i++) {                           \
            r.F[i] = m->SF[i] < 0 ? b->F[i] : a->F[i];                                  \
        }                                                                               \
        memcpy(d, &r, len);                                                             \
    }                                                                                   \
    X86_VEC_INFO(name, TCG_CALL_NO_RWG)

BLENDV(pblendvb, b, sb);
BLENDV(blendvps, l, sl);
BLENDV(blendvpd, q, sq);

/* INSERTPS: a with element imm[5:4] replaced by b's element imm[7:6], then the elements
 * of imm[3:0] zeroed. */
static void do_insertps(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                        unsigned imm)
{
    memcpy(r, a, 16);
    r->l[(imm >> 4) & 3] = b->l[(imm >> 6) & 3];
    for (unsigned i = 0; i < 4; i++) {
        if (imm & (1u << i)) {
            r->l[i] = 0;
        }
    }
}
VEC_WRAP(insertps);
