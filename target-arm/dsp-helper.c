/* DSP and SIMD-in-GPR arithmetic (ARM ARM DDI0406C A2.2.1 saturation, A4.4.3 parallel
 * addition and subtraction, A8.8.116-A8.8.260 per instruction): saturating add/subtract with
 * the sticky Q flag, SSAT/USAT and their 16-bit forms, the 16-bit pair extends, the six
 * prefixes (S, Q, SH, U, UQ, UH) of ADD16/ASX/SAX/SUB16/ADD8/SUB8 with GE, SEL, RBIT,
 * USAD8. Each helper takes (env, a, b, code). */
#include "target-arm/internals.h"
#include "target-arm/dsp-helper.h"

#define DEF_DSP(hname, hflags)                                                   \
    const TCGHelperInfo helper_info_##hname = {                                 \
        .name = #hname, .func = (void *)helper_##hname, .flags = (hflags),      \
        .ret_type = TCG_TYPE_I32, .nb_args = 4,                                 \
        .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32, TCG_TYPE_I32, TCG_TYPE_I32 }, \
    }

static int32_t sat_s32(ARMCPU *a, int64_t v)
{
    if (v > INT32_MAX) {
        a->QF = 1;
        return INT32_MAX;
    }
    if (v < INT32_MIN) {
        a->QF = 1;
        return INT32_MIN;
    }
    return (int32_t)v;
}

/* op 0 QADD (m + n), 1 QSUB (m - n), 2 QDADD (m + sat(2n)), 3 QDSUB (m - sat(2n)). */
static uint32_t helper_qarith(void *env, uint32_t m, uint32_t n, uint32_t op)
{
    ARMCPU *a = env;
    int64_t nn = (int32_t)n;
    if (op & 2) {
        nn = sat_s32(a, 2 * nn);
    }
    return (uint32_t)sat_s32(a, (op & 1) ? (int64_t)(int32_t)m - nn : (int64_t)(int32_t)m + nn);
}
DEF_DSP(qarith, TCG_CALL_NO_RWG);

/* a + b, setting Q on signed overflow (the result wraps). */
static uint32_t helper_add_setq(void *env, uint32_t x, uint32_t y, uint32_t unused)
{
    uint32_t r = x + y;
    if (((r ^ x) & ~(x ^ y)) >> 31) {
        ((ARMCPU *)env)->QF = 1;
    }
    return r;
}
DEF_DSP(add_setq, TCG_CALL_NO_RWG);

/* The sum (op 0) or difference (op 1) of the two products of SMUAD/SMUSD. */
static uint32_t helper_dual_setq(void *env, uint32_t p1, uint32_t p2, uint32_t op)
{
    if (op & 1) {
        return p1 - p2;             /* cannot overflow */
    }
    return helper_add_setq(env, p1, p2, 0);
}
DEF_DSP(dual_setq, TCG_CALL_NO_RWG);

static int32_t ssat(ARMCPU *a, int32_t v, int bits)
{
    int32_t max = (int32_t)((1u << (bits - 1)) - 1), min = -max - 1;
    if (v > max) { a->QF = 1; return max; }
    if (v < min) { a->QF = 1; return min; }
    return v;
}

static uint32_t usat(ARMCPU *a, int32_t v, int bits)
{
    int64_t max = ((int64_t)1 << bits) - 1;
    if (v < 0) { a->QF = 1; return 0; }
    if (v > max) { a->QF = 1; return (uint32_t)max; }
    return (uint32_t)v;
}

/* code: sat_imm (bits 0-4), unsigned (0x20), 16-bit halves (0x40). SSAT: sat_imm + 1 bits;
 * USAT: sat_imm bits. */
static uint32_t helper_sat(void *env, uint32_t v, uint32_t unused, uint32_t code)
{
    ARMCPU *a = env;
    int n = code & 0x1f;
    bool is_u = code & 0x20;
    if (code & 0x40) {
        int32_t lo = (int16_t)v, hi = (int16_t)(v >> 16);
        uint32_t rl = is_u ? usat(a, lo, n) : (uint32_t)ssat(a, lo, n + 1);
        uint32_t rh = is_u ? usat(a, hi, n) : (uint32_t)ssat(a, hi, n + 1);
        return (rl & 0xffff) | rh << 16;
    }
    return is_u ? usat(a, (int32_t)v, n) : (uint32_t)ssat(a, (int32_t)v, n + 1);
}
DEF_DSP(sat, TCG_CALL_NO_RWG);

/* SXTAB16 (code 0) / UXTAB16 (1): bytes 0 and 2 extended, added to the halves of n. */
static uint32_t helper_extend16(void *env, uint32_t v, uint32_t n, uint32_t code)
{
    uint32_t b0 = v & 0xff, b2 = (v >> 16) & 0xff;
    if (code == 0) {
        b0 = (uint32_t)(int32_t)(int8_t)b0;
        b2 = (uint32_t)(int32_t)(int8_t)b2;
    }
    uint32_t lo = (n + b0) & 0xffff, hi = ((n >> 16) + b2) & 0xffff;
    return lo | hi << 16;
}
DEF_DSP(extend16, TCG_CALL_PURE);

enum { P_S = 1, P_Q = 2, P_SH = 3, P_U = 5, P_UQ = 6, P_UH = 7 };

/* One lane: x op y (add if !sub) of width bits; GE bits for S/U; saturated or halved. */
static uint32_t lane(int prefix, int bits, uint32_t x, uint32_t y, bool sub, bool *ge)
{
    bool is_signed = prefix < 4;
    int32_t sx = bits == 8 ? (int8_t)x : (int16_t)x, sy = bits == 8 ? (int8_t)y : (int16_t)y;
    int32_t ux = (int32_t)(x & ((1u << bits) - 1)), uy = (int32_t)(y & ((1u << bits) - 1));
    int32_t r = is_signed ? (sub ? sx - sy : sx + sy) : (sub ? ux - uy : ux + uy);
    int32_t smax = (1 << (bits - 1)) - 1, smin = -smax - 1, umax = (1 << bits) - 1;

    switch (prefix) {
    case P_S: *ge = r >= 0; break;
    case P_U: *ge = sub ? r >= 0 : r > umax; break;
    case P_Q: r = r > smax ? smax : r < smin ? smin : r; break;
    case P_UQ: r = r > umax ? umax : r < 0 ? 0 : r; break;
    case P_SH: case P_UH: r >>= 1; break;
    }
    return (uint32_t)r & ((1u << bits) - 1);
}

/* code = prefix << 3 | op (0 ADD16, 1 ASX, 2 SAX, 3 SUB16, 4 ADD8, 7 SUB8). */
static uint32_t helper_parallel(void *env, uint32_t n, uint32_t m, uint32_t code)
{
    ARMCPU *a = env;
    int prefix = code >> 3, op = code & 7;
    bool ge[4] = { false };
    uint32_t r = 0;

    if (op >= 4) {
        for (int i = 0; i < 4; i++) {
            r |= lane(prefix, 8, n >> (8 * i), m >> (8 * i), op == 7, &ge[i]) << (8 * i);
        }
    } else {
        uint32_t nl = n & 0xffff, nh = n >> 16, ml = m & 0xffff, mh = m >> 16;
        /* ASX: lo = nl - mh, hi = nh + ml; SAX: lo = nl + mh, hi = nh - ml */
        uint32_t lo_y = (op == 1 || op == 2) ? mh : ml, hi_y = (op == 1 || op == 2) ? ml : mh;
        bool lo_sub = op == 1 || op == 3, hi_sub = op == 2 || op == 3;
        r = lane(prefix, 16, nl, lo_y, lo_sub, &ge[0]) |
            lane(prefix, 16, nh, hi_y, hi_sub, &ge[2]) << 16;
        ge[1] = ge[0];
        ge[3] = ge[2];
    }
    if (prefix == P_S || prefix == P_U) {
        a->GE = ge[0] | ge[1] << 1 | ge[2] << 2 | ge[3] << 3;
    }
    return r;
}
DEF_DSP(parallel, TCG_CALL_NO_RWG);

static uint32_t helper_rbit(void *env, uint32_t v, uint32_t unused, uint32_t code)
{
    uint32_t r = 0;
    for (int i = 0; i < 32; i++) {
        r |= ((v >> i) & 1) << (31 - i);
    }
    return r;
}
DEF_DSP(rbit, TCG_CALL_PURE);

static uint32_t helper_sel(void *env, uint32_t n, uint32_t m, uint32_t unused)
{
    uint32_t ge = ((ARMCPU *)env)->GE, r = 0;
    for (int i = 0; i < 4; i++) {
        r |= (((ge >> i) & 1) ? n : m) & (0xffu << (8 * i));
    }
    return r;
}
DEF_DSP(sel, TCG_CALL_NO_RWG | TCG_CALL_NO_SIDE_EFFECTS);

static uint32_t helper_usad8(void *env, uint32_t n, uint32_t m, uint32_t unused)
{
    uint32_t sum = 0;
    for (int i = 0; i < 4; i++) {
        int d = (int)((n >> (8 * i)) & 0xff) - (int)((m >> (8 * i)) & 0xff);
        sum += (uint32_t)(d < 0 ? -d : d);
    }
    return sum;
}
DEF_DSP(usad8, TCG_CALL_PURE);
