/* AVX/AVX2 vector operations without an SSE form (Intel SDM vol. 2: VPERMILPS, VPERMILPD,
 * VPERMD, VPERMPS, VPERMQ, VPERMPD, VPBLENDD, VPSLLVD/Q, VPSRLVD/Q, VPSRAVD, VTESTPS/PD).
 * Each computes into a local vector first: the destination may be a source. */
#include <string.h>
#include "target-i386/avx.h"

static unsigned desc_len(uint32_t desc)
{
    return desc & 0xff;
}

static unsigned desc_imm(uint32_t desc)
{
    return (desc >> 8) & 0xff;
}

static void put(X86Vec *d, const X86Vec *r, uint32_t desc)
{
    memcpy(d, r, desc_len(desc));
}

/* In-lane permutes: the index of element i comes from b (variable) or imm. */
static void helper_avx_vpermilps_var(X86CPU *env, X86Vec *d, const X86Vec *a,
                                     const X86Vec *b, uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < desc_len(desc) / 4; i++) {
        r.l[i] = a->l[(i & ~3u) + (b->l[i] & 3)];
    }
    put(d, &r, desc);
}

static void helper_avx_vpermilpd_var(X86CPU *env, X86Vec *d, const X86Vec *a,
                                     const X86Vec *b, uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < desc_len(desc) / 8; i++) {
        r.q[i] = a->q[(i & ~1u) + ((b->q[i] >> 1) & 1)];
    }
    put(d, &r, desc);
}

static void helper_avx_vpermilps_imm(X86CPU *env, X86Vec *d, const X86Vec *a,
                                     const X86Vec *b, uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < desc_len(desc) / 4; i++) {
        r.l[i] = b->l[(i & ~3u) + ((desc_imm(desc) >> (2 * (i & 3))) & 3)];
    }
    put(d, &r, desc);
}

static void helper_avx_vpermilpd_imm(X86CPU *env, X86Vec *d, const X86Vec *a,
                                     const X86Vec *b, uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < desc_len(desc) / 8; i++) {
        r.q[i] = b->q[(i & ~1u) + ((desc_imm(desc) >> i) & 1)];
    }
    put(d, &r, desc);
}

/* VPERMD / VPERMPS: d[i] = b[a[i] & 7] across the whole register. */
static void helper_avx_vpermd(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b,
                              uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < 8; i++) {
        r.l[i] = b->l[a->l[i] & 7];
    }
    put(d, &r, desc);
}

/* VPERMQ / VPERMPD: d[i] = b[imm[2i+1:2i]]. */
static void helper_avx_vpermq(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b,
                              uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < 4; i++) {
        r.q[i] = b->q[(desc_imm(desc) >> (2 * i)) & 3];
    }
    put(d, &r, desc);
}

static void helper_avx_vpblendd(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b,
                                uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < desc_len(desc) / 4; i++) {
        r.l[i] = ((desc_imm(desc) >> i) & 1) ? b->l[i] : a->l[i];
    }
    put(d, &r, desc);
}

/* Per-element variable shifts: counts beyond the element width give 0 (or the sign). */
static void helper_avx_vpsllvd(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b,
                               uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < desc_len(desc) / 4; i++) {
        r.l[i] = b->l[i] > 31 ? 0 : a->l[i] << b->l[i];
    }
    put(d, &r, desc);
}

static void helper_avx_vpsllvq(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b,
                               uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < desc_len(desc) / 8; i++) {
        r.q[i] = b->q[i] > 63 ? 0 : a->q[i] << b->q[i];
    }
    put(d, &r, desc);
}

static void helper_avx_vpsrlvd(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b,
                               uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < desc_len(desc) / 4; i++) {
        r.l[i] = b->l[i] > 31 ? 0 : a->l[i] >> b->l[i];
    }
    put(d, &r, desc);
}

static void helper_avx_vpsrlvq(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b,
                               uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < desc_len(desc) / 8; i++) {
        r.q[i] = b->q[i] > 63 ? 0 : a->q[i] >> b->q[i];
    }
    put(d, &r, desc);
}

static void helper_avx_vpsravd(X86CPU *env, X86Vec *d, const X86Vec *a, const X86Vec *b,
                               uint32_t desc)
{
    X86Vec r;
    for (unsigned i = 0; i < desc_len(desc) / 4; i++) {
        r.sl[i] = a->sl[i] >> (b->l[i] > 31 ? 31 : b->l[i]);
    }
    put(d, &r, desc);
}

/* VTESTPS/PD: ZF = no sign bit of a & b set, CF = no sign bit of ~a & b set; VPTEST
 * (element size 1): the same over every bit. */
static uint64_t helper_avx_vtest(const X86Vec *a, const X86Vec *b, uint32_t desc)
{
    uint64_t and = 0, andn = 0;
    unsigned esize = desc_imm(desc);
    uint64_t sign = esize == 1 ? ~0ull : esize == 4 ? 0x8000000080000000ull
                                                   : 0x8000000000000000ull;
    for (unsigned i = 0; i < desc_len(desc) / 8; i++) {
        and |= a->q[i] & b->q[i] & sign;
        andn |= ~a->q[i] & b->q[i] & sign;
    }
    return (and ? 0 : X86_EFLAGS_ZF) | (andn ? 0 : X86_EFLAGS_CF);
}

/* VMOVMSKPS/PD, VPMOVMSKB: the sign bits of the elements (desc imm: element bytes). */
static uint64_t helper_avx_movmsk(const X86Vec *v, uint32_t desc)
{
    unsigned esize = desc_imm(desc), len = desc_len(desc);
    uint64_t r = 0;
    /* the top byte of each element */
    for (unsigned byte = esize - 1, i = 0; byte < len && byte < sizeof(v->b); byte += esize, i++) {
        r |= (uint64_t)(v->b[byte] >> 7) << i;
    }
    return r;
}

#define AVX_INFO(nm)                                                                    \
    const TCGHelperInfo x86_info_avx_##nm = {                                           \
        .name = "avx_" #nm, .func = (void *)helper_avx_##nm, .flags = TCG_CALL_NO_RWG,  \
        .ret_type = TCG_TYPE_VOID, .nb_args = 5,                                        \
        .arg_types = { TCG_TYPE_PTR, TCG_TYPE_PTR, TCG_TYPE_PTR, TCG_TYPE_PTR,          \
                       TCG_TYPE_I32 },                                                  \
    };
X86_AVX_OPS(AVX_INFO)

const TCGHelperInfo x86_info_avx_vtest = {
    .name = "avx_vtest", .func = (void *)helper_avx_vtest, .flags = TCG_CALL_PURE,
    .ret_type = TCG_TYPE_I64, .nb_args = 3,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_PTR, TCG_TYPE_I32 },
};

const TCGHelperInfo x86_info_avx_movmsk = {
    .name = "avx_movmsk", .func = (void *)helper_avx_movmsk, .flags = TCG_CALL_PURE,
    .ret_type = TCG_TYPE_I64, .nb_args = 2, .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32 },
};
