/* VFPv3/VFPv4 arithmetic (ARM ARM DDI0406C A2.7, B6.1.40 FPSCR; pseudocode of A2.7.x and
 * "FPProcessNaNs", "FPRound"): host IEEE-754 arithmetic under the FPSCR rounding mode, with
 * ARM's rules layered on top: NaN propagation (signalling NaNs first, operands in order,
 * quietened), the positive default NaN for invalid operations and in DN mode, flush-to-zero
 * of inputs (IDC) and outputs (UFC) in FZ mode, saturating float-to-integer conversions,
 * and the cumulative exception bits of the FPSCR. ARM detects tininess before rounding (the
 * host after): results that round to the smallest normal are checked again in extended
 * precision. Limitation: half precision ignores FPSCR.AHP (docs/limitations.md). */
#include <fenv.h>
#include <math.h>
#include <string.h>
#include "target-arm/internals.h"
#include "target-arm/vfp-helper.h"

#define FPSCR_IOC 1u
#define FPSCR_DZC 2u
#define FPSCR_OFC 4u
#define FPSCR_UFC 8u
#define FPSCR_IXC 16u
#define FPSCR_IDC 128u
#define FPSCR_FZ (1u << 24)
#define FPSCR_DN (1u << 25)

void arm_vfp_reset(ARMCPU *a)
{
    memset(a->vfp_d, 0, sizeof(a->vfp_d));
    a->fpscr = 0;
    a->fpexc = 0;
}

/* ---- formats -------------------------------------------------------------------------------- */

typedef struct FpFmt {
    int bits, mant;                 /* total and fraction bits */
} FpFmt;

static const FpFmt F32 = { 32, 23 }, F64 = { 64, 52 };

static uint64_t exp_mask(FpFmt f)
{
    return ((1ull << (f.bits - f.mant - 1)) - 1) << f.mant;
}

static uint64_t frac_mask(FpFmt f)
{
    return (1ull << f.mant) - 1;
}

static uint64_t sign_bit(FpFmt f)
{
    return 1ull << (f.bits - 1);
}

static bool is_nan(FpFmt f, uint64_t v)
{
    return (v & exp_mask(f)) == exp_mask(f) && (v & frac_mask(f));
}

static bool is_snan(FpFmt f, uint64_t v)
{
    return is_nan(f, v) && !(v & (1ull << (f.mant - 1)));
}

static bool is_denormal(FpFmt f, uint64_t v)
{
    return !(v & exp_mask(f)) && (v & frac_mask(f));
}

static uint64_t default_nan(FpFmt f)
{
    return exp_mask(f) | 1ull << (f.mant - 1);
}

static uint64_t quiet(FpFmt f, uint64_t v)
{
    return v | 1ull << (f.mant - 1);
}

/* FPProcessNaNs: the first signalling NaN, else the first quiet NaN, quietened. Returns
 * true with *res if any operand is a NaN. */
static bool process_nans(ARMCPU *a, FpFmt f, const uint64_t *ops, int n, uint64_t *res)
{
    int pick = -1;
    for (int i = 0; i < n && pick < 0; i++) {
        if (is_snan(f, ops[i])) {
            pick = i;
        }
    }
    if (pick >= 0) {
        a->fpscr |= FPSCR_IOC;
    }
    for (int i = 0; i < n && pick < 0; i++) {
        if (is_nan(f, ops[i])) {
            pick = i;
        }
    }
    if (pick < 0) {
        return false;
    }
    *res = (a->fpscr & FPSCR_DN) ? default_nan(f) : quiet(f, ops[pick]);
    return true;
}

static uint64_t flush_in(ARMCPU *a, FpFmt f, uint64_t v)
{
    if ((a->fpscr & FPSCR_FZ) && is_denormal(f, v)) {
        a->fpscr |= FPSCR_IDC;
        return v & sign_bit(f);
    }
    return v;
}

/* ---- host arithmetic under the FPSCR rounding mode -------------------------------------------- */

static int host_round(uint32_t fpscr)
{
    static const int modes[4] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
    return modes[(fpscr >> 22) & 3];
}

static void fp_begin(ARMCPU *a)
{
    fesetround(host_round(a->fpscr));
    feclearexcept(FE_ALL_EXCEPT);
}

/* Collects the host's exception flags; the result r (format f) gets the default NaN for
 * an invalid operation and, in FZ mode, a tiny result is flushed to a signed zero with
 * only UFC raised. */
static uint64_t fp_end_flags(ARMCPU *a, FpFmt f, uint64_t r, bool may_flush)
{
    int ex = fetestexcept(FE_ALL_EXCEPT);
    fesetround(FE_TONEAREST);
    if (is_nan(f, r)) {
        r = default_nan(f);         /* generated NaNs are the positive default NaN */
    }
    if (may_flush && (a->fpscr & FPSCR_FZ) &&
        (is_denormal(f, r) || (ex & FE_UNDERFLOW))) {
        r &= sign_bit(f);
        a->fpscr |= FPSCR_UFC;
        ex &= ~(FE_INEXACT | FE_UNDERFLOW);
    }
    a->fpscr |= (ex & FE_INVALID ? FPSCR_IOC : 0) | (ex & FE_DIVBYZERO ? FPSCR_DZC : 0) |
                (ex & FE_OVERFLOW ? FPSCR_OFC : 0) | (ex & FE_UNDERFLOW ? FPSCR_UFC : 0) |
                (ex & FE_INEXACT ? FPSCR_IXC : 0);
    return r;
}

static uint64_t fp_end(ARMCPU *a, FpFmt f, uint64_t r)
{
    return fp_end_flags(a, f, r, true);
}

static float f32(uint64_t v)
{
    float x;
    uint32_t w = (uint32_t)v;
    memcpy(&x, &w, 4);
    return x;
}

static uint64_t bits32(float x)
{
    uint32_t w;
    memcpy(&w, &x, 4);
    return w;
}

static double f64(uint64_t v)
{
    double x;
    memcpy(&x, &v, 8);
    return x;
}

static uint64_t bits64(double x)
{
    uint64_t w;
    memcpy(&w, &x, 8);
    return w;
}

/* One host operation on already flushed, non-NaN operands. */
static uint64_t host_op(FpFmt f, int op, uint64_t x, uint64_t y, uint64_t z)
{
    if (f.bits == 32) {
        volatile float a = f32(x), b = f32(y), c = f32(z), r;
        switch (op) {
        case VFP_ADD: r = a + b; break;
        case VFP_SUB: r = a - b; break;
        case VFP_MUL: r = a * b; break;
        case VFP_DIV: r = a / b; break;
        case VFP_SQRT: r = sqrtf(a); break;
        default: r = fmaf(a, b, c); break;
        }
        return bits32(r);
    }
    volatile double a = f64(x), b = f64(y), c = f64(z), r;
    switch (op) {
    case VFP_ADD: r = a + b; break;
    case VFP_SUB: r = a - b; break;
    case VFP_MUL: r = a * b; break;
    case VFP_DIV: r = a / b; break;
    case VFP_SQRT: r = sqrt(a); break;
    default: r = fma(a, b, c); break;
    }
    return bits64(r);
}

/* ARM detects tininess before rounding, the host after: a result that rounded to the
 * smallest normal may have been tiny. The same operation rounded towards zero is below the
 * smallest normal exactly when the unrounded result is. */
static bool tiny_before_rounding(FpFmt f, int op, uint64_t x, uint64_t y, uint64_t z)
{
    fexcept_t saved;
    int mode = fegetround();

    if (op == VFP_SQRT) {
        return false;                       /* a square root is never tiny */
    }
    fegetexceptflag(&saved, FE_ALL_EXCEPT);
    fesetround(FE_TOWARDZERO);
    uint64_t t = host_op(f, op, x, y, z);
    fesetround(mode);
    fesetexceptflag(&saved, FE_ALL_EXCEPT);
    return (t & ~sign_bit(f)) < 1ull << f.mant;
}

/* The host result r of op; fixes the underflow cases where the tininess rules differ. */
static uint64_t finish(ARMCPU *a, FpFmt f, uint64_t r, int op, uint64_t x, uint64_t y,
                       uint64_t z)
{
    uint64_t min_normal = 1ull << f.mant;
    if ((r & ~sign_bit(f)) == min_normal && fetestexcept(FE_INEXACT) &&
        tiny_before_rounding(f, op, x, y, z)) {
        if (a->fpscr & FPSCR_FZ) {
            r &= sign_bit(f);
            fesetround(FE_TONEAREST);
            a->fpscr |= FPSCR_UFC;
            int ex = fetestexcept(FE_ALL_EXCEPT) & ~(FE_INEXACT | FE_UNDERFLOW);
            a->fpscr |= (ex & FE_INVALID ? FPSCR_IOC : 0) | (ex & FE_DIVBYZERO ? FPSCR_DZC : 0) |
                        (ex & FE_OVERFLOW ? FPSCR_OFC : 0);
            return r;
        }
        feraiseexcept(FE_UNDERFLOW);
    }
    return fp_end(a, f, r);
}

/* FPAdd/FPSub/FPMul/FPDiv/FPSqrt with ARM's NaN and flush rules. */
static uint64_t arith(ARMCPU *a, FpFmt f, int op, uint64_t x, uint64_t y)
{
    uint64_t ops[2] = { flush_in(a, f, x), op == VFP_SQRT ? 0 : flush_in(a, f, y) }, r;
    if (process_nans(a, f, ops, op == VFP_SQRT ? 1 : 2, &r)) {
        return r;
    }
    fp_begin(a);
    r = host_op(f, op, ops[0], ops[1], 0);
    return finish(a, f, r, op, ops[0], ops[1], 0);
}

static bool is_inf(FpFmt f, uint64_t v)
{
    return (v & ~sign_bit(f)) == exp_mask(f);
}

static bool is_zero(FpFmt f, uint64_t v)
{
    return (v & ~sign_bit(f)) == 0;
}

/* FPMulAdd (fused): addend + x * y with one rounding; NaN order addend, x, y, and
 * (inf * 0) + qNaN is invalid. */
static uint64_t fused(ARMCPU *a, FpFmt f, uint64_t addend, uint64_t x, uint64_t y)
{
    uint64_t ops[3] = { flush_in(a, f, addend), flush_in(a, f, x), flush_in(a, f, y) }, r;
    bool inf_zero = (is_inf(f, ops[1]) && is_zero(f, ops[2])) ||
                    (is_zero(f, ops[1]) && is_inf(f, ops[2]));
    if (is_nan(f, ops[0]) && !is_snan(f, ops[0]) && inf_zero) {
        a->fpscr |= FPSCR_IOC;
        return default_nan(f);
    }
    if (process_nans(a, f, ops, 3, &r)) {
        return r;
    }
    fp_begin(a);
    r = host_op(f, VFP_FMA, ops[1], ops[2], ops[0]);
    return finish(a, f, r, VFP_FMA, ops[1], ops[2], ops[0]);
}

/* op: VFP_* (see vfp-helper.h); d is the accumulator for the multiply-accumulate forms. */
static uint64_t vfp_op3(ARMCPU *a, FpFmt f, int op, uint64_t n, uint64_t m, uint64_t d)
{
    uint64_t s = sign_bit(f), p;
    switch (op) {
    case VFP_MLA: p = arith(a, f, VFP_MUL, n, m); return arith(a, f, VFP_ADD, d, p);
    case VFP_MLS: p = arith(a, f, VFP_MUL, n, m); return arith(a, f, VFP_ADD, d, p ^ s);
    case VFP_NMLA: p = arith(a, f, VFP_MUL, n, m); return arith(a, f, VFP_ADD, d ^ s, p ^ s);
    case VFP_NMLS: p = arith(a, f, VFP_MUL, n, m); return arith(a, f, VFP_ADD, d ^ s, p);
    case VFP_NMUL: return arith(a, f, VFP_MUL, n, m) ^ s;
    case VFP_FMA: return fused(a, f, d, n, m);
    case VFP_FMS: return fused(a, f, d, n ^ s, m);
    case VFP_FNMA: return fused(a, f, d ^ s, n ^ s, m);
    case VFP_FNMS: return fused(a, f, d ^ s, n, m);
    default: return arith(a, f, op, n, m);
    }
}

uint64_t arm_vfp_op(ARMCPU *a, bool dp, int op, uint64_t n, uint64_t m, uint64_t d)
{
    return vfp_op3(a, dp ? F64 : F32, op, n, m, d);
}

static uint32_t helper_vfp_op_s(void *env, uint32_t n, uint32_t m, uint32_t d, uint32_t op)
{
    return (uint32_t)vfp_op3(env, F32, (int)op, n, m, d);
}

static uint64_t helper_vfp_op_d(void *env, uint64_t n, uint64_t m, uint64_t d, uint32_t op)
{
    return vfp_op3(env, F64, (int)op, n, m, d);
}

/* ---- compare ----------------------------------------------------------------------------------- */

/* FPCompare: NZCV = 0110 equal, 1000 less, 0010 greater, 0011 unordered. */
static uint32_t compare(ARMCPU *a, FpFmt f, uint64_t x, uint64_t y, bool signal_qnan)
{
    x = flush_in(a, f, x);
    y = flush_in(a, f, y);
    if (is_nan(f, x) || is_nan(f, y)) {
        if (signal_qnan || is_snan(f, x) || is_snan(f, y)) {
            a->fpscr |= FPSCR_IOC;
        }
        return 0x3;
    }
    double dx = f.bits == 32 ? f32(x) : f64(x), dy = f.bits == 32 ? f32(y) : f64(y);
    return dx == dy ? 0x6 : dx < dy ? 0x8 : 0x2;
}

uint32_t arm_vfp_compare(ARMCPU *a, bool dp, uint64_t x, uint64_t y, bool signal_qnan)
{
    return compare(a, dp ? F64 : F32, x, y, signal_qnan);
}

static void helper_vfp_cmp_s(void *env, uint32_t x, uint32_t y, uint32_t e)
{
    ARMCPU *a = env;
    uint32_t nzcv = compare(a, F32, x, y, e);
    a->fpscr = (a->fpscr & 0x0fffffff) | nzcv << 28;
}

static void helper_vfp_cmp_d(void *env, uint64_t x, uint64_t y, uint32_t e)
{
    ARMCPU *a = env;
    uint32_t nzcv = compare(a, F64, x, y, e);
    a->fpscr = (a->fpscr & 0x0fffffff) | nzcv << 28;
}

/* ---- conversions ---------------------------------------------------------------------------------- */

/* Float to 32-bit integer: round_zero (VCVT) or the FPSCR mode (VCVTR); NaN gives 0,
 * out-of-range values saturate; both raise IOC. frac_bits > 0: fixed point. */
static uint32_t to_int(ARMCPU *a, FpFmt f, uint64_t v, bool is_signed, bool round_zero,
                       int frac_bits, int size)
{
    v = flush_in(a, f, v);
    if (is_nan(f, v)) {
        a->fpscr |= FPSCR_IOC;
        return 0;
    }
    long double x = f.bits == 32 ? (long double)f32(v) : (long double)f64(v);
    x = ldexpl(x, frac_bits);
    fesetround(round_zero ? FE_TOWARDZERO : host_round(a->fpscr));
    long double r = nearbyintl(x);
    fesetround(FE_TONEAREST);
    long double lo = is_signed ? -ldexpl(1, size - 1) : 0;
    long double hi = is_signed ? ldexpl(1, size - 1) - 1 : ldexpl(1, size) - 1;
    if (r < lo || r > hi) {
        a->fpscr |= FPSCR_IOC;
        r = r < lo ? lo : hi;
    } else if (r != x) {
        a->fpscr |= FPSCR_IXC;
    }
    return is_signed ? (uint32_t)(int32_t)(int64_t)r : (uint32_t)(uint64_t)r;
}

/* 32-bit (or 16-bit fixed) integer to float, rounded by the FPSCR mode. */
static uint64_t from_int(ARMCPU *a, FpFmt f, uint32_t v, bool is_signed, int frac_bits,
                         bool round_nearest)
{
    long double x = is_signed ? (long double)(int32_t)v : (long double)v;
    x = ldexpl(x, -frac_bits);
    if (round_nearest) {
        fesetround(FE_TONEAREST);
        feclearexcept(FE_ALL_EXCEPT);
    } else {
        fp_begin(a);
    }
    uint64_t r;
    if (f.bits == 32) {
        volatile float y = (float)x;
        r = bits32(y);
    } else {
        volatile double y = (double)x;
        r = bits64(y);
    }
    return fp_end(a, f, r);
}

/* VCVT between single and double precision. */
static uint64_t convert_precision(ARMCPU *a, FpFmt from, FpFmt to, uint64_t v)
{
    v = flush_in(a, from, v);
    if (is_nan(from, v)) {
        if (is_snan(from, v)) {
            a->fpscr |= FPSCR_IOC;
        }
        if (a->fpscr & FPSCR_DN) {
            return default_nan(to);
        }
        uint64_t frac = (v & frac_mask(from));
        frac = to.mant > from.mant ? frac << (to.mant - from.mant) : frac >> (from.mant - to.mant);
        return (v & sign_bit(from) ? sign_bit(to) : 0) | exp_mask(to) | frac |
               1ull << (to.mant - 1);
    }
    fp_begin(a);
    uint64_t r;
    if (to.bits == 64) {
        volatile double y = (double)f32(v);
        r = bits64(y);
    } else {
        volatile float y = (float)f64(v);
        r = bits32(y);
    }
    return fp_end(a, to, r);
}

/* code: VFP_CVT_* | flags (vfp-helper.h). */
static uint64_t helper_vfp_cvt(void *env, uint64_t v, uint32_t code)
{
    ARMCPU *a = env;
    FpFmt f = (code & VFP_CVT_DOUBLE) ? F64 : F32;
    bool is_signed = code & VFP_CVT_SIGNED;
    int frac = (code >> VFP_CVT_FRAC_SHIFT) & 0x3f, size = (code & VFP_CVT_HALF) ? 16 : 32;
    switch (code & VFP_CVT_KIND) {
    case VFP_CVT_TO_INT:
        return to_int(a, f, v, is_signed, code & VFP_CVT_RZ, 0, 32);
    case VFP_CVT_TO_FIXED: {
        uint32_t r = to_int(a, f, v, is_signed, true, frac, size);
        return size == 16 ? (is_signed ? (uint32_t)(int32_t)(int16_t)r : r & 0xffff) : r;
    }
    case VFP_CVT_FROM_INT:
        return from_int(a, f, (uint32_t)v, is_signed, 0, false);
    case VFP_CVT_FROM_FIXED: {
        uint32_t x = (uint32_t)v;
        if (size == 16) {
            x = is_signed ? (uint32_t)(int32_t)(int16_t)x : x & 0xffff;
        }
        return from_int(a, f, x, is_signed, frac, false);
    }
    case VFP_CVT_S_TO_D:
        return convert_precision(a, F32, F64, v);
    default:
        return convert_precision(a, F64, F32, v);
    }
}

uint64_t arm_vfp_cvt(ARMCPU *a, uint64_t v, uint32_t code)
{
    return helper_vfp_cvt(a, v, code);
}

/* Half precision (IEEE; AHP is not implemented): VCVTB/VCVTT. */
static uint32_t half_to_single(ARMCPU *a, uint32_t h)
{
    uint32_t sign = (h & 0x8000) << 16, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
    if (exp == 0x1f) {
        if (!frac) {
            return sign | 0x7f800000;
        }
        if (!(frac & 0x200)) {
            a->fpscr |= FPSCR_IOC;
        }
        return (a->fpscr & FPSCR_DN) ? 0x7fc00000 : sign | 0x7fc00000 | frac << 13;
    }
    if (exp == 0) {
        if (!frac) {
            return sign;
        }
        float x = ldexpf((float)frac, -24);
        return sign | (uint32_t)bits32(x);
    }
    return sign | (exp + 112) << 23 | frac << 13;
}

static uint32_t single_to_half(ARMCPU *a, uint32_t s)
{
    uint64_t v = flush_in(a, F32, s);
    uint32_t sign = (uint32_t)(v >> 16) & 0x8000;
    if (is_nan(F32, v)) {
        if (is_snan(F32, v)) {
            a->fpscr |= FPSCR_IOC;
        }
        return (a->fpscr & FPSCR_DN) ? 0x7e00 : sign | 0x7e00 | ((uint32_t)v >> 13 & 0x3ff);
    }
    fp_begin(a);
    float xs = f32(v), x = fabsf(xs);
    /* round to 11 significant bits with the host in the current mode (sign-aware) */
    int e;
    frexpf(x, &e);
    int shift = e < -13 ? -24 : e - 11;          /* ulp exponent of the half result */
    volatile float scaled = ldexpf(xs, -shift);
    volatile float rounded = nearbyintf(scaled);
    float r = fabsf(ldexpf(rounded, shift));
    uint32_t h;
    if (x == INFINITY) {
        h = 0x7c00;
    } else if (r > 65504.0f) {
        /* overflow: infinity, or the largest finite value when rounding towards zero or
         * away from this sign */
        int mode = (a->fpscr >> 22) & 3;
        bool to_inf = mode == 0 || (mode == 1 && !sign) || (mode == 2 && sign);
        h = to_inf ? 0x7c00 : 0x7bff;
        feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    } else if (r < ldexpf(1, -14)) {
        h = (uint32_t)ldexpf(r, 24);
        if (rounded != scaled) {
            feraiseexcept(FE_UNDERFLOW | FE_INEXACT);
        }
    } else {
        int re;
        float m = frexpf(r, &re);
        h = (uint32_t)(re + 14) << 10 | ((uint32_t)ldexpf(m, 11) & 0x3ff);
        if (rounded != scaled) {
            feraiseexcept(FE_INEXACT);
        }
    }
    fp_end_flags(a, F32, 0, false);     /* FZ does not apply to half precision */
    return sign | h;
}

static uint32_t helper_vfp_half(void *env, uint32_t v, uint32_t to_half)
{
    return to_half ? single_to_half(env, v) : half_to_single(env, v);
}

/* ---- helper table ------------------------------------------------------------------------------- */

const TCGHelperInfo helper_info_vfp_op_s = {
    .name = "vfp_op_s", .func = (void *)helper_vfp_op_s, .flags = TCG_CALL_NO_RWG,
    .ret_type = TCG_TYPE_I32, .nb_args = 5,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32, TCG_TYPE_I32, TCG_TYPE_I32, TCG_TYPE_I32 },
};
const TCGHelperInfo helper_info_vfp_op_d = {
    .name = "vfp_op_d", .func = (void *)helper_vfp_op_d, .flags = TCG_CALL_NO_RWG,
    .ret_type = TCG_TYPE_I64, .nb_args = 5,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I32 },
};
const TCGHelperInfo helper_info_vfp_cmp_s = {
    .name = "vfp_cmp_s", .func = (void *)helper_vfp_cmp_s, .flags = TCG_CALL_NO_RWG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 4,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32, TCG_TYPE_I32, TCG_TYPE_I32 },
};
const TCGHelperInfo helper_info_vfp_cmp_d = {
    .name = "vfp_cmp_d", .func = (void *)helper_vfp_cmp_d, .flags = TCG_CALL_NO_RWG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 4,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I32 },
};
const TCGHelperInfo helper_info_vfp_cvt = {
    .name = "vfp_cvt", .func = (void *)helper_vfp_cvt, .flags = TCG_CALL_NO_RWG,
    .ret_type = TCG_TYPE_I64, .nb_args = 3,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I64, TCG_TYPE_I32 },
};
const TCGHelperInfo helper_info_vfp_half = {
    .name = "vfp_half", .func = (void *)helper_vfp_half, .flags = TCG_CALL_NO_RWG,
    .ret_type = TCG_TYPE_I32, .nb_args = 3,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32, TCG_TYPE_I32 },
};
