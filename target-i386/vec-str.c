/* SSE4.2 packed string compares PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM (SDM 2 4.1
 * "Imm8 control byte operation for PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM"): source
 * format, aggregation (equal any, ranges, equal each, equal ordered), polarity, output
 * selection; explicit lengths from rAX/rDX (absolute value, saturated) or implicit (the
 * first zero element). a = xmm1 (str1), b = xmm2/m128 (str2).
 *   uint64_t helper_pcmpstr(X86CPU *env, const X86Vec *a, const X86Vec *b, uint32_t desc,
 *                           uint64_t rax, uint64_t rdx)
 * desc: imm8 << 8 | X86_PCMPSTR_EXPLICIT | X86_PCMPSTR_MASK (output to env->vec[0]) |
 * X86_PCMPSTR_W64 (REX.W: 64-bit lengths, else 32-bit). Returns EFLAGS bits (CF ZF SF OF)
 * | index << 32. */
#include <string.h>
#include "target-i386/vec.h"

static int elem(const X86Vec *v, int i, unsigned fmt)
{
    switch (fmt) {
    case 0: return v->b[i];
    case 1: return v->w[i];
    case 2: return v->sb[i];
    default: return v->sw[i];
    }
}

static int implicit_len(const X86Vec *v, int n, unsigned fmt)
{
    for (int i = 0; i < n; i++) {
        if (elem(v, i, fmt) == 0) {
            return i;
        }
    }
    return n;
}

static int explicit_len(uint64_t v, bool w64, int n)
{
    int64_t s = w64 ? (int64_t)v : (int32_t)v;
    uint64_t m = s < 0 ? 0 - (uint64_t)s : (uint64_t)s;
    return m > (uint64_t)n ? n : (int)m;
}

/* IntRes1 of the aggregation. */
static unsigned aggregate(const X86Vec *a, const X86Vec *b, unsigned imm, int n, int la,
                          int lb)
{
    unsigned fmt = imm & 3, res = 0;
    for (int j = 0; j < n; j++) {
        bool r = false;
        switch ((imm >> 2) & 3) {
        case 0:     /* equal any */
            for (int i = 0; i < la && j < lb && !r; i++) {
                r = elem(a, i, fmt) == elem(b, j, fmt);
            }
            break;
        case 1:     /* ranges */
            for (int i = 0; i + 1 < la && j < lb && !r; i += 2) {
                r = elem(a, i, fmt) <= elem(b, j, fmt) && elem(b, j, fmt) <= elem(a, i + 1, fmt);
            }
            break;
        case 2:     /* equal each */
            r = (j >= la && j >= lb) ||
                (j < la && j < lb && elem(a, j, fmt) == elem(b, j, fmt));
            break;
        default:    /* equal ordered */
            r = true;
            for (int k = 0; k < la && k < n - j && r; k++) {
                r = j + k < lb && elem(a, k, fmt) == elem(b, j + k, fmt);
            }
            break;
        }
        res |= (unsigned)r << j;
    }
    return res;
}

static void mask_output(X86CPU *env, unsigned res, unsigned imm, int n)
{
    X86Vec *d = &env->vec[0];
    memset(d->b, 0, 16);
    if (!(imm & 0x40)) {
        d->w[0] = (uint16_t)res;
        return;
    }
    for (int i = 0; i < n; i++) {
        if (n == 16) {
            d->b[i] = (res >> i) & 1 ? 0xff : 0;
        } else {
            d->w[i] = (res >> i) & 1 ? 0xffff : 0;
        }
    }
}

static uint64_t helper_pcmpstr(X86CPU *env, const X86Vec *a, const X86Vec *b, uint32_t desc,
                               uint64_t rax, uint64_t rdx)
{
    unsigned imm = desc >> 8 & 0xff, fmt = imm & 3;
    int n = (fmt & 1) ? 8 : 16, la, lb;
    bool expl = desc & X86_PCMPSTR_EXPLICIT, w64 = desc & X86_PCMPSTR_W64;

    la = expl ? explicit_len(rax, w64, n) : implicit_len(a, n, fmt);
    lb = expl ? explicit_len(rdx, w64, n) : implicit_len(b, n, fmt);
    unsigned res = aggregate(a, b, imm, n, la, lb), all = (1u << n) - 1;
    switch ((imm >> 4) & 3) {
    case 1: res ^= all; break;
    case 3: res ^= (1u << lb) - 1; break;
    default: break;
    }
    uint64_t flags = (res ? 0x001 : 0) | (lb < n ? 0x040 : 0) | (la < n ? 0x080 : 0) |
                     ((res & 1) ? 0x800 : 0);
    uint64_t index = n;
    if (res) {
        index = (imm & 0x40) ? 31 - (unsigned)__builtin_clz(res) : (unsigned)__builtin_ctz(res);
    }
    if (desc & X86_PCMPSTR_MASK) {
        mask_output(env, res, imm, n);
    }
    return flags | index << 32;
}

const TCGHelperInfo x86_info_pcmpstr = {
    .name = "pcmpstr", .func = (void *)helper_pcmpstr, .flags = TCG_CALL_NO_RWG,
    .ret_type = TCG_TYPE_I64, .nb_args = 6,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_PTR, TCG_TYPE_PTR, TCG_TYPE_I32, TCG_TYPE_I64,
                   TCG_TYPE_I64 },
};
