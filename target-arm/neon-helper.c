/* Advanced SIMD (NEON) data processing of ARMv7-A (ARM ARM DDI0406C A7.4), executed by one
 * helper per instruction that decodes the A32-form encoding (T32 is converted) with
 * tables of short per-operation functions over 8/16/32/64-bit lanes of D/Q registers:
 * three registers of the same length (integer, logical, saturating, shifts by register,
 * comparisons, min/max, absolute difference, multiply-accumulate, pairwise, doubling
 * multiply high, floating point with the "standard FPSCR value": DN and FZ, round to
 * nearest), one register with a modified immediate, two registers with a shift amount,
 * two registers miscellaneous, VEXT, VTBL/VTBX and VDUP (scalar). Saturation sets QC.
 * Loads and stores (VLDn/VSTn) are in neon-ldst.c. Returns false for UNDEFINED. */
#include <math.h>
#include <string.h>
#include "target-arm/internals.h"
#include "target-arm/neon-helper.h"
#include "target-arm/vfp-helper.h"

#define FPSCR_QC (1u << 27)
#define BITS(x, hi, lo) ((int)(((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1)))
#define BIT(x, n) ((int)(((x) >> (n)) & 1))

/* ---- registers and lanes ------------------------------------------------------------------- */

typedef struct NeonVec {
    uint8_t b[16];
} NeonVec;

/* Register numbers: D:Vd, N:Vn, M:Vm (D registers; a Q register is an even pair). */
static int nreg(uint32_t insn, int lo, int xbit)
{
    return BIT(insn, xbit) << 4 | BITS(insn, lo + 3, lo);
}
#define ND nreg(insn, 12, 22)
#define NN nreg(insn, 16, 7)
#define NM nreg(insn, 0, 5)

static void vec_read(ARMCPU *a, int reg, int nbytes, NeonVec *v)
{
    memcpy(v->b, &a->vfp_d[reg], nbytes);
}

static void vec_write(ARMCPU *a, int reg, int nbytes, const NeonVec *v)
{
    memcpy(&a->vfp_d[reg], v->b, nbytes);
}

static uint64_t lane(const NeonVec *v, int esize, int i)
{
    uint64_t x = 0;
    memcpy(&x, v->b + i * esize, esize);
    return x;
}

static void set_lane(NeonVec *v, int esize, int i, uint64_t x)
{
    memcpy(v->b + i * esize, &x, esize);
}

static int64_t sext(uint64_t x, int bits)
{
    return bits >= 64 ? (int64_t)x : (int64_t)(x << (64 - bits)) >> (64 - bits);
}

static uint64_t mask_bits(int bits)
{
    return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

/* Saturate a signed/unsigned wide value to bits; sets QC when it had to. */
static uint64_t sat(ARMCPU *a, __int128 x, int bits, bool is_unsigned)
{
    __int128 lo = is_unsigned ? 0 : -((__int128)1 << (bits - 1));
    __int128 hi = is_unsigned ? ((__int128)1 << bits) - 1 : ((__int128)1 << (bits - 1)) - 1;
    if (x < lo || x > hi) {
        a->fpscr |= FPSCR_QC;
        x = x < lo ? lo : hi;
    }
    return (uint64_t)x & mask_bits(bits);
}

/* ---- three registers of the same length ---------------------------------------------------------- */

typedef struct LaneOp {
    ARMCPU *a;
    int bits;
    bool u;
} LaneOp;

static __int128 val(const LaneOp *o, uint64_t x)
{
    return o->u ? (__int128)(x & mask_bits(o->bits)) : (__int128)sext(x, o->bits);
}

/* Shift by a signed register amount (bottom byte), with optional rounding/saturation. */
static uint64_t shift_reg(const LaneOp *o, uint64_t x, uint64_t sh, bool round, bool saturate)
{
    int n = (int8_t)sh;
    __int128 v = val(o, x);
    if (n >= 0) {
        if (n >= o->bits) {             /* every bit shifted out (v << 64 overflows) */
            if (!saturate) {
                return 0;
            }
            return sat(o->a, v == 0 ? 0 : v < 0 ? -((__int128)1 << 100) : (__int128)1 << 100,
                       o->bits, o->u);
        }
        __int128 r = v * ((__int128)1 << n);
        if (saturate) {
            return sat(o->a, r, o->bits, o->u);
        }
        return (uint64_t)r & mask_bits(o->bits);
    }
    n = -n;
    if (n > o->bits) {
        n = o->bits + 1;
    }
    __int128 r = round ? (v + ((__int128)1 << (n - 1))) >> n : v >> n;
    return saturate ? sat(o->a, r, o->bits, o->u) : (uint64_t)r & mask_bits(o->bits);
}

/* A lane of the integer three-same operations; op = A:B (bits 11:8, 4). */
static uint64_t int3(const LaneOp *o, int op, uint64_t x, uint64_t y, uint64_t d)
{
    __int128 a = val(o, x), b = val(o, y);
    uint64_t m = mask_bits(o->bits);
    switch (op) {
    case 0x00: return (uint64_t)((a + b) >> 1) & m;                 /* VHADD */
    case 0x01: return sat(o->a, a + b, o->bits, o->u);               /* VQADD */
    case 0x02: return (uint64_t)((a + b + 1) >> 1) & m;             /* VRHADD */
    case 0x04: return (uint64_t)((a - b) >> 1) & m;                 /* VHSUB */
    case 0x05: return sat(o->a, a - b, o->bits, o->u);               /* VQSUB */
    case 0x06: return a > b ? m : 0;                                /* VCGT */
    case 0x07: return a >= b ? m : 0;                               /* VCGE */
    case 0x08: return shift_reg(o, x, y, false, false);             /* VSHL: Vm shifted by Vn */
    case 0x09: return shift_reg(o, x, y, false, true);              /* VQSHL */
    case 0x0a: return shift_reg(o, x, y, true, false);              /* VRSHL */
    case 0x0b: return shift_reg(o, x, y, true, true);               /* VQRSHL */
    case 0x0c: return (uint64_t)(a > b ? a : b) & m;                /* VMAX */
    case 0x0d: return (uint64_t)(a < b ? a : b) & m;                /* VMIN */
    case 0x0e: return (uint64_t)(a > b ? a - b : b - a) & m;        /* VABD */
    case 0x0f: return (d + (uint64_t)(a > b ? a - b : b - a)) & m;  /* VABA */
    default: return 0;
    }
}

/* VADD/VSUB, VTST/VCEQ, VMLA/VMLS, VMUL (integer; polynomial for U=1 bytes). */
static uint64_t int3_arith(const LaneOp *o, int op, uint64_t x, uint64_t y, uint64_t d)
{
    uint64_t m = mask_bits(o->bits);
    switch (op) {
    case 0x10: return (o->u ? x - y : x + y) & m;
    case 0x11: return o->u ? (((x ^ y) & m) ? 0 : m) : ((x & y & m) ? m : 0);
    case 0x12: return (o->u ? d - x * y : d + x * y) & m;
    default:
        if (o->u) {                                                  /* VMUL.P8 */
            uint64_t r = 0;
            for (int i = 0; i < 8; i++) {
                if ((y >> i) & 1) r ^= x << i;
            }
            return r & m;
        }
        return (x * y) & m;
    }
}

/* VQDMULH / VQRDMULH: saturating doubling multiply returning the high half. */
static uint64_t qdmulh(const LaneOp *o, uint64_t x, uint64_t y, bool round)
{
    __int128 p = (__int128)sext(x, o->bits) * sext(y, o->bits) * 2;
    if (round) {
        p += (__int128)1 << (o->bits - 1);
    }
    return sat(o->a, p >> o->bits, o->bits, false);
}

static bool neon_3same_int(ARMCPU *a, uint32_t insn, int op, int esize, int bytes)
{
    LaneOp o = { a, esize * 8, BIT(insn, 24) };
    NeonVec n, m, d, r;
    int lanes = bytes / esize;
    bool pairwise = op == 0x14 || op == 0x15 || op == 0x17;

    vec_read(a, NN, bytes, &n);
    vec_read(a, NM, bytes, &m);
    vec_read(a, ND, bytes, &d);
    static const uint32_t ok64 = 1u << 0x01 | 1u << 0x05 | 1u << 0x08 | 1u << 0x09 |
                                 1u << 0x0a | 1u << 0x0b | 1u << 0x10;
    if ((op == 0x17 && o.u) || (op == 0x16 && (esize == 1 || esize == 8)) ||
        (pairwise && bytes == 16) || (op == 0x13 && o.u && esize != 1) ||
        (esize == 8 && !((ok64 >> op) & 1))) {
        return false;
    }
    for (int i = 0; i < lanes; i++) {
        uint64_t x = lane(&n, esize, i), y = lane(&m, esize, i), dv = lane(&d, esize, i), res;
        if (pairwise) {                         /* VPMAX/VPMIN/VPADD on D registers */
            const NeonVec *src = i < lanes / 2 ? &n : &m;
            int k = (i % (lanes / 2)) * 2;
            x = lane(src, esize, k);
            y = lane(src, esize, k + 1);
            res = op == 0x17 ? x + y : int3(&o, op == 0x14 ? 0x0c : 0x0d, x, y, 0);
        } else if (op >= 0x08 && op <= 0x0b) {
            res = int3(&o, op, y, x, 0);        /* shifts: Vm is the value, Vn the amount */
        } else if (op < 0x10) {
            res = int3(&o, op, x, y, dv);
        } else if (op == 0x16) {
            res = qdmulh(&o, x, y, o.u);
        } else {
            res = int3_arith(&o, op, x, y, dv);
        }
        set_lane(&r, esize, i, res & mask_bits(o.bits));
    }
    vec_write(a, ND, bytes, &r);
    return true;
}

/* VAND VBIC VORR VORN (U=0) / VEOR VBSL VBIT VBIF (U=1), by the size field. */
static bool neon_logic(ARMCPU *a, uint32_t insn, int bytes)
{
    NeonVec n, m, d;
    int op = BITS(insn, 21, 20) | BIT(insn, 24) << 2;
    vec_read(a, NN, bytes, &n);
    vec_read(a, NM, bytes, &m);
    vec_read(a, ND, bytes, &d);
    for (int i = 0; i < bytes; i++) {
        uint8_t x = n.b[i], y = m.b[i], z = d.b[i];
        static const int dummy = 0;
        (void)dummy;
        switch (op) {
        case 0: z = x & y; break;
        case 1: z = x & ~y; break;
        case 2: z = x | y; break;
        case 3: z = x | ~y; break;
        case 4: z = x ^ y; break;
        case 5: z = (x & z) | (y & ~z); break;             /* VBSL */
        case 6: z = (x & y) | (z & ~y); break;             /* VBIT */
        default: z = (z & y) | (x & ~y); break;            /* VBIF */
        }
        d.b[i] = z;
    }
    vec_write(a, ND, bytes, &d);
    return true;
}

/* ---- floating point with the standard FPSCR value --------------------------------------------- */

static uint32_t std_fpscr_op(ARMCPU *a, int op, uint32_t x, uint32_t y, uint32_t d)
{
    uint32_t saved = a->fpscr;
    a->fpscr = (1u << 25) | (1u << 24);             /* DN, FZ, round to nearest */
    uint32_t r = (uint32_t)arm_vfp_op(a, false, op, x, y, d);
    a->fpscr = saved | (a->fpscr & 0x9f);
    return r;
}

static uint32_t std_fpscr_cmp(ARMCPU *a, uint32_t x, uint32_t y, bool signal)
{
    uint32_t saved = a->fpscr;
    a->fpscr = (1u << 25) | (1u << 24);
    uint32_t nzcv = arm_vfp_compare(a, false, x, y, signal);
    a->fpscr = saved | (a->fpscr & 0x9f);
    return nzcv;
}

static uint32_t fabs32(uint32_t x)
{
    return x & 0x7fffffffu;
}

/* VMAX/VMIN.F32: NaN operands give the default NaN (standard FPSCR value). */
static uint32_t std_flush(ARMCPU *a, uint32_t x);

static uint32_t fminmax(ARMCPU *a, uint32_t x, uint32_t y, bool is_max)
{
    x = std_flush(a, x);
    y = std_flush(a, y);
    uint32_t nzcv = std_fpscr_cmp(a, x, y, false);
    if (nzcv == 0x3) {
        return std_fpscr_op(a, VFP_ADD, x, y, 0);   /* NaN processing */
    }
    if (nzcv == 0x6) {                              /* equal: +0/-0 ordering */
        bool both_zero = !fabs32(x) && !fabs32(y);
        if (both_zero) {
            return is_max ? (x & y) : (x | y);
        }
        return x;
    }
    bool gt = nzcv == 0x2;
    return (gt == is_max) ? x : y;
}

static uint32_t std_flush(ARMCPU *a, uint32_t x)
{
    if (!(x & 0x7f800000) && (x & 0x007fffff)) {
        a->fpscr |= 0x80;                           /* IDC */
        return x & 0x80000000u;
    }
    return x;
}

/* VRECPS (2 - x*y) and VRSQRTS ((3 - x*y) / 2), each step rounded (ARMv7), infinity times
 * zero giving 2 (1.5). */
static uint32_t recip_step(ARMCPU *a, uint32_t x, uint32_t y, bool rsqrt)
{
    x = std_flush(a, x);
    y = std_flush(a, y);
    bool xinf = fabs32(x) == 0x7f800000, yinf = fabs32(y) == 0x7f800000;
    if ((xinf && !fabs32(y)) || (yinf && !fabs32(x))) {
        return rsqrt ? 0x3fc00000u : 0x40000000u;
    }
    uint32_t p = std_fpscr_op(a, VFP_MUL, x, y, 0);
    uint32_t r = std_fpscr_op(a, VFP_SUB, rsqrt ? 0x40400000u : 0x40000000u, p, 0);
    return rsqrt ? std_fpscr_op(a, VFP_DIV, r, 0x40000000u, 0) : r;
}

static uint32_t float3(ARMCPU *a, int op, bool u, bool sz_bit, uint32_t x, uint32_t y,
                       uint32_t d)
{
    switch (op) {
    case 0x19: return std_fpscr_op(a, sz_bit ? VFP_FMS : VFP_FMA, x, y, d);
    case 0x1a:                                      /* VADD/VSUB; VABD (U=1, sz=1) */
        if (u) {
            return std_fpscr_op(a, VFP_SUB, x, y, 0) & 0x7fffffffu;
        }
        return std_fpscr_op(a, sz_bit ? VFP_SUB : VFP_ADD, x, y, 0);
    case 0x1b:
        if (u) {
            return std_fpscr_op(a, VFP_MUL, x, y, 0);
        } else {
            uint32_t p = std_fpscr_op(a, VFP_MUL, x, y, 0);
            return std_fpscr_op(a, VFP_ADD, d, sz_bit ? p ^ 0x80000000u : p, 0);
        }
    case 0x1c: {                                    /* VCEQ (U0 sz0), VCGE (U1 sz0), VCGT (U1 sz1) */
        uint32_t nzcv = std_fpscr_cmp(a, x, y, u);
        bool r = !u ? nzcv == 0x6 : sz_bit ? nzcv == 0x2 : (nzcv == 0x6 || nzcv == 0x2);
        return r ? ~0u : 0;
    }
    case 0x1d: {                                    /* VACGE / VACGT */
        uint32_t nzcv = std_fpscr_cmp(a, fabs32(x), fabs32(y), true);
        bool r = sz_bit ? nzcv == 0x2 : (nzcv == 0x6 || nzcv == 0x2);
        return r ? ~0u : 0;
    }
    case 0x1e: return fminmax(a, x, y, !sz_bit);
    default: return recip_step(a, x, y, sz_bit);
    }
}

static bool neon_3same_float(ARMCPU *a, uint32_t insn, int op, int bytes)
{
    bool u = BIT(insn, 24), szb = BIT(insn, 21);
    NeonVec n, m, d, r;
    int lanes = bytes / 4;
    if (BIT(insn, 20) || op == 0x18 || (op == 0x19 && u) || (op == 0x1d && !u) || (op == 0x1f && u) ||
        (op == 0x1c && !u && szb)) {
        return false;
    }
    bool pairwise = (op == 0x1a && u && !szb) || (op == 0x1e && u);
    if (pairwise && bytes == 16) {
        return false;
    }
    vec_read(a, NN, bytes, &n);
    vec_read(a, NM, bytes, &m);
    vec_read(a, ND, bytes, &d);
    for (int i = 0; i < lanes; i++) {
        uint32_t x = (uint32_t)lane(&n, 4, i), y = (uint32_t)lane(&m, 4, i);
        uint32_t dv = (uint32_t)lane(&d, 4, i), res;
        if (pairwise) {
            const NeonVec *src = i < lanes / 2 ? &n : &m;
            int k = (i % (lanes / 2)) * 2;
            x = (uint32_t)lane(src, 4, k);
            y = (uint32_t)lane(src, 4, k + 1);
            res = op == 0x1a ? std_fpscr_op(a, VFP_ADD, x, y, 0) : fminmax(a, x, y, !szb);
        } else {
            res = float3(a, op, u, szb, x, y, dv);
        }
        set_lane(&r, 4, i, res);
    }
    vec_write(a, ND, bytes, &r);
    return true;
}

static bool neon_3same(ARMCPU *a, uint32_t insn)
{
    int op = BITS(insn, 11, 8) << 1 | BIT(insn, 4), esize = 1 << BITS(insn, 21, 20);
    int bytes = BIT(insn, 6) ? 16 : 8;
    if (bytes == 16 && ((ND | NN | NM) & 1)) {
        return false;
    }
    if (op == 0x03) {
        return neon_logic(a, insn, bytes);
    }
    if (op >= 0x18) {
        return neon_3same_float(a, insn, op, bytes);
    }
    /* A = 1010..1011: VPMAX/VPMIN (0x14, 0x15), VQDMULH/VQRDMULH (0x16), VPADD (0x17) */
    return neon_3same_int(a, insn, op, esize, bytes);
}

/* ---- one register and a modified immediate (A7.4.6) ---------------------------------------------- */

static uint64_t adv_simd_expand_imm(int op, int cmode, uint32_t imm8, bool *ok)
{
    uint64_t i = imm8;
    *ok = true;
    switch (cmode >> 1) {
    case 0: return i * 0x0000000100000001ull;
    case 1: return (i << 8) * 0x0000000100000001ull;
    case 2: return (i << 16) * 0x0000000100000001ull;
    case 3: return (i << 24) * 0x0000000100000001ull;
    case 4: return i * 0x0001000100010001ull;
    case 5: return (i << 8) * 0x0001000100010001ull;
    case 6:
        return ((cmode & 1) ? (i << 16 | 0xffff) : (i << 8 | 0xff)) * 0x0000000100000001ull;
    default:
        if (!(cmode & 1) && !op) {
            return i * 0x0101010101010101ull;
        }
        if (!(cmode & 1) && op) {
            uint64_t r = 0;
            for (int b = 0; b < 8; b++) {
                r |= ((i >> b) & 1) ? 0xffull << (8 * b) : 0;
            }
            return r;
        }
        if ((cmode & 1) && !op) {
            uint64_t f = (i & 0x80) << 24 | ((i & 0x40) ? 0x3e000000u : 0x40000000u) |
                         (i & 0x3f) << 19;
            return f * 0x0000000100000001ull;
        }
        *ok = false;
        return 0;
    }
}

static bool neon_1reg_imm(ARMCPU *a, uint32_t insn)
{
    int cmode = BITS(insn, 11, 8), op = BIT(insn, 5), bytes = BIT(insn, 6) ? 16 : 8;
    uint32_t imm8 = BIT(insn, 24) << 7 | BITS(insn, 18, 16) << 4 | BITS(insn, 3, 0);
    bool ok;
    uint64_t imm = adv_simd_expand_imm(op, cmode, imm8, &ok);
    if (!ok || (bytes == 16 && (ND & 1))) {
        return false;
    }
    for (int r = 0; r < bytes / 8; r++) {
        uint64_t *d = &a->vfp_d[ND + r];
        bool orr_bic = (cmode & 1) && cmode < 12;
        if (!orr_bic) {
            *d = op && cmode != 14 ? ~imm : imm;            /* VMOV / VMVN */
        } else if (op) {
            *d &= ~imm;                                     /* VBIC */
        } else {
            *d |= imm;                                      /* VORR */
        }
    }
    return true;
}

/* VCVT between F32 and 32-bit fixed point (op bit 8: to fixed, round towards zero; else
 * to float, round to nearest), standard FPSCR value. */
static bool neon_cvt_fixed(ARMCPU *a, uint32_t insn, int frac, int bytes)
{
    NeonVec m, r;
    uint32_t saved = a->fpscr;
    uint32_t code = (BIT(insn, 8) ? VFP_CVT_TO_FIXED : VFP_CVT_FROM_FIXED) |
                    (BIT(insn, 24) ? 0 : VFP_CVT_SIGNED) | (uint32_t)frac << VFP_CVT_FRAC_SHIFT;
    vec_read(a, NM, bytes, &m);
    a->fpscr = (1u << 25) | (1u << 24);
    for (int i = 0; i < bytes / 4; i++) {
        set_lane(&r, 4, i, (uint32_t)arm_vfp_cvt(a, (uint32_t)lane(&m, 4, i), code));
    }
    a->fpscr = saved | (a->fpscr & 0x9f);
    vec_write(a, ND, bytes, &r);
    return true;
}

/* ---- two registers and a shift amount (A7.4.4) ---------------------------------------------------- */

static bool neon_shift_imm(ARMCPU *a, uint32_t insn)
{
    int imm6 = BITS(insn, 21, 16), l = BIT(insn, 7), op = BITS(insn, 11, 8);
    bool u = BIT(insn, 24), q = BIT(insn, 6);
    int esize = l ? 8 : imm6 >= 32 ? 4 : imm6 >= 16 ? 2 : 1, bits = esize * 8;
    int bytes = q ? 16 : 8;
    NeonVec m, d, r;

    if (op >= 14 && !l && imm6 >= 32 && !(q && ((ND | NM) & 1))) {
        return neon_cvt_fixed(a, insn, 64 - imm6, bytes);
    }
    if (op >= 8 || (q && ((ND | NM) & 1))) {
        return false;                               /* narrowing and long forms elsewhere */
    }
    int left = (l ? imm6 : imm6 - bits), right = bits * 2 - (l ? imm6 + 64 : imm6);
    if (l) {
        right = 64 - imm6;
    }
    LaneOp o = { a, bits, u };
    vec_read(a, NM, bytes, &m);
    vec_read(a, ND, bytes, &d);
    for (int i = 0; i < bytes / esize; i++) {
        uint64_t x = lane(&m, esize, i), dv = lane(&d, esize, i), res;
        __int128 v = val(&o, x);
        switch (op) {
        case 0: case 1: case 2: case 3: {          /* VSHR VSRA VRSHR VRSRA */
            __int128 t = (op & 2) ? (v + ((__int128)1 << (right - 1))) >> right : v >> right;
            res = ((op & 1) ? dv + (uint64_t)t : (uint64_t)t);
            break;
        }
        case 4:                                     /* VSRI (U=1) */
            if (!u) return false;
            res = right >= bits ? dv : ((x & mask_bits(bits)) >> right) |
                                       (dv & ~(mask_bits(bits) >> right));
            break;
        case 5:                                     /* VSHL (U=0) / VSLI (U=1) */
            res = u ? (x << left) | (dv & mask_bits(left)) : x << left;
            break;
        case 6:                                     /* VQSHLU (U=1) */
            if (!u) return false;
            o.u = false;
            res = sat(a, (__int128)sext(x, bits) * ((__int128)1 << left), bits, true);
            o.u = u;
            break;
        default:                                    /* VQSHL */
            res = sat(a, v * ((__int128)1 << left), bits, u);
            break;
        }
        set_lane(&r, esize, i, res & mask_bits(bits));
    }
    vec_write(a, ND, bytes, &r);
    return true;
}

/* ---- two registers miscellaneous (A7.4.5), VEXT, VTBL, VDUP ----------------------------------------- */

static uint64_t popcount_lane(uint64_t x, int bits)
{
    return (uint64_t)__builtin_popcountll(x & mask_bits(bits));
}

static uint64_t clz_lane(uint64_t x, int bits)
{
    int n = 0;
    for (int i = bits - 1; i >= 0 && !((x >> i) & 1); i--) {
        n++;
    }
    return (uint64_t)n;
}

static uint64_t cls_lane(uint64_t x, int bits)
{
    uint64_t s = (x >> (bits - 1)) & 1;
    int n = 0;
    for (int i = bits - 2; i >= 0 && ((x >> i) & 1) == s; i--) {
        n++;
    }
    return (uint64_t)n;
}

/* The lane-wise two-register operations; B = bits 10:6 with A = bits 17:16. */
static bool misc_lane(ARMCPU *a, int ab, int bits, uint64_t x, uint64_t *res)
{
    LaneOp o = { a, bits, false };
    __int128 v = val(&o, x);
    uint64_t m = mask_bits(bits);
    switch (ab) {
    case 0x0a: *res = popcount_lane(x, bits) & m; return bits == 8;      /* VCNT */
    case 0x0b: *res = ~x & m; return bits == 8;                          /* VMVN */
    case 0x08: *res = cls_lane(x, bits); return bits < 64;               /* VCLS */
    case 0x09: *res = clz_lane(x, bits); return bits < 64;               /* VCLZ */
    case 0x0e: *res = sat(a, v < 0 ? -v : v, bits, false); return true;  /* VQABS */
    case 0x0f: *res = sat(a, -v, bits, false); return true;              /* VQNEG */
    case 0x10: *res = v > 0 ? m : 0; return true;                        /* VCGT #0 */
    case 0x11: *res = v >= 0 ? m : 0; return true;                       /* VCGE #0 */
    case 0x12: *res = v == 0 ? m : 0; return true;                       /* VCEQ #0 */
    case 0x13: *res = v <= 0 ? m : 0; return true;                       /* VCLE #0 */
    case 0x14: *res = v < 0 ? m : 0; return true;                        /* VCLT #0 */
    case 0x16: *res = (uint64_t)(v < 0 ? -v : v) & m; return true;       /* VABS */
    case 0x17: *res = (uint64_t)(-v) & m; return true;                   /* VNEG */
    default: return false;
    }
}

static bool misc_float_lane(ARMCPU *a, int ab, uint32_t x, uint32_t *res)
{
    switch (ab) {
    case 0x1e: *res = x & 0x7fffffffu; return true;                     /* VABS.F32 */
    case 0x1f: *res = x ^ 0x80000000u; return true;                     /* VNEG.F32 */
    case 0x15: return false;
    default: {                          /* compare with zero (VCGE, VCLE, VCLT signal QNaNs) */
        bool signal = ab != 0x1a;
        uint32_t c = std_fpscr_cmp(a, x, 0, signal);
        bool r = ab == 0x18 ? c == 0x2 : ab == 0x19 ? (c == 0x2 || c == 0x6) :
                 ab == 0x1a ? c == 0x6 : ab == 0x1b ? (c == 0x8 || c == 0x6) : c == 0x8;
        *res = r ? ~0u : 0;
        return ab <= 0x1c;
    }
    }
}

/* VTRN (0x21), VUZP (0x22), VZIP (0x23) on Vd and Vm. */
static bool neon_permute(ARMCPU *a, uint32_t insn, int ab, int esize, int bytes,
                         const NeonVec *mv)
{
    NeonVec d, m = *mv, rd, rm;
    int n = bytes / esize;
    if (esize == 8 || (ab != 0x21 && bytes == 8 && esize == 4)) {
        return false;
    }
    vec_read(a, ND, bytes, &d);
    for (int i = 0; i < n; i++) {
        if (ab == 0x21) {                           /* transpose pairs */
            int base = i & ~1;
            set_lane(&rd, esize, i, (i & 1) ? lane(&m, esize, base) : lane(&d, esize, i));
            set_lane(&rm, esize, i, (i & 1) ? lane(&m, esize, i) : lane(&d, esize, base + 1));
        } else if (ab == 0x22) {                    /* de-interleave */
            uint64_t x = i < n / 2 ? lane(&d, esize, 2 * i) : lane(&m, esize, 2 * i - n);
            uint64_t y = i < n / 2 ? lane(&d, esize, 2 * i + 1) : lane(&m, esize, 2 * i + 1 - n);
            set_lane(&rd, esize, i, x);
            set_lane(&rm, esize, i, y);
        } else {                                    /* interleave */
            int k = i / 2;
            set_lane(&rd, esize, i, (i & 1) ? lane(&m, esize, k) : lane(&d, esize, k));
            set_lane(&rm, esize, i, (i & 1) ? lane(&m, esize, n / 2 + k) : lane(&d, esize, n / 2 + k));
        }
    }
    vec_write(a, ND, bytes, &rd);
    vec_write(a, NM, bytes, &rm);
    return true;
}

/* VMOVN (B bits 7:6 = 00), VQMOVUN (01), VQMOVN (10 signed, 11 unsigned). */
static bool neon_movn(ARMCPU *a, uint32_t insn, int size, const NeonVec *m)
{
    int op = BITS(insn, 7, 6), esize = 1 << size, bits = esize * 8;
    NeonVec r;
    if (size == 3 || (NM & 1)) {
        return false;
    }
    for (int i = 0; i < 8 / esize; i++) {
        uint64_t x = lane(m, 2 * esize, i), res;
        __int128 sv = sext(x, 2 * bits), uv = x & mask_bits(2 * bits);
        switch (op) {
        case 0: res = x; break;
        case 1: res = sat(a, sv, bits, true); break;
        case 2: res = sat(a, sv, bits, false); break;
        default: res = sat(a, uv, bits, true); break;
        }
        set_lane(&r, esize, i, res & mask_bits(bits));
    }
    vec_write(a, ND, 8, &r);
    return true;
}

/* op (bits 8:7): VCVT.F32.S32 (0), .F32.U32 (1), .S32.F32 (2), .U32.F32 (3): round
 * towards zero to integer, round to nearest to float (standard FPSCR value). */
static bool neon_cvt(ARMCPU *a, uint32_t insn, int op, int bytes, const NeonVec *m)
{
    NeonVec r;
    uint32_t saved = a->fpscr;
    a->fpscr = (1u << 25) | (1u << 24);
    for (int i = 0; i < bytes / 4; i++) {
        uint32_t x = (uint32_t)lane(m, 4, i);
        uint32_t code = (op >= 2 ? VFP_CVT_TO_INT | VFP_CVT_RZ : VFP_CVT_FROM_INT) |
                        ((op & 1) ? 0 : VFP_CVT_SIGNED);
        set_lane(&r, 4, i, (uint32_t)arm_vfp_cvt(a, x, code));
    }
    a->fpscr = saved | (a->fpscr & 0x9f);
    vec_write(a, ND, bytes, &r);
    return true;
}

/* ---- reciprocal and reciprocal square root estimates (A2.7.x RecipEstimate) -------------- */

static double recip_estimate(double a)              /* 0.5 <= a < 1 */
{
    int q = (int)(a * 512.0);
    double r = 1.0 / (((double)q + 0.5) / 512.0);
    int s = (int)(256.0 * r + 0.5);
    return s / 256.0;
}

static double rsqrt_estimate(double a)              /* 0.25 <= a < 1 */
{
    double r;
    if (a < 0.5) {
        int q = (int)(a * 512.0);
        r = 1.0 / sqrt(((double)q + 0.5) / 512.0);
    } else {
        int q = (int)(a * 256.0);
        r = 1.0 / sqrt(((double)q + 0.5) / 256.0);
    }
    int s = (int)(256.0 * r + 0.5);
    return s / 256.0;
}

static uint64_t dbits(double x)
{
    uint64_t v;
    memcpy(&v, &x, 8);
    return v;
}

static double dfrom(uint64_t v)
{
    double x;
    memcpy(&x, &v, 8);
    return x;
}

static uint32_t urecpe(uint32_t x, bool rsqrt)
{
    if (rsqrt ? !(x >> 30) : !(x >> 31)) {
        return 0xffffffffu;
    }
    uint64_t frac;
    double e;
    if (!rsqrt || (x >> 31)) {
        frac = (uint64_t)(x & 0x7fffffff) << 21;
        e = rsqrt ? rsqrt_estimate(dfrom(0x3fe0000000000000ull | frac))
                  : recip_estimate(dfrom(0x3fe0000000000000ull | frac));
    } else {
        frac = (uint64_t)(x & 0x3fffffff) << 22;
        e = rsqrt_estimate(dfrom(0x3fd0000000000000ull | frac));
    }
    return 0x80000000u | (uint32_t)((dbits(e) >> 21) & 0x7fffffff);
}

static uint32_t frecpe(ARMCPU *a, uint32_t x, bool rsqrt)
{
    uint32_t sign = x & 0x80000000u, exp = (x >> 23) & 0xff;
    x = std_flush(a, x);
    if ((x & 0x7fffffff) > 0x7f800000) {
        return std_fpscr_op(a, VFP_ADD, x, x, 0);       /* NaN processing */
    }
    if (!(x & 0x7fffffff)) {
        a->fpscr |= 2;                                  /* DZC */
        return sign | 0x7f800000u;
    }
    if (rsqrt && sign) {
        a->fpscr |= 1;                                  /* IOC */
        return 0x7fc00000u;
    }
    if ((x & 0x7fffffff) == 0x7f800000) {
        return rsqrt ? 0 : sign;
    }
    uint64_t frac = (uint64_t)(x & 0x7fffff) << 29;
    if (!rsqrt) {
        if (exp >= 253) {
            a->fpscr |= 8;                              /* UFC: flushed */
            return sign;
        }
        double e = recip_estimate(dfrom(0x3fe0000000000000ull | frac));
        return sign | (253 - exp) << 23 | (uint32_t)((dbits(e) >> 29) & 0x7fffff);
    }
    /* an even exponent scales the operand to [0.5, 1), an odd one to [0.25, 0.5) */
    double op = dfrom(((exp & 1) ? 0x3fd0000000000000ull : 0x3fe0000000000000ull) | frac);
    double e = rsqrt_estimate(op);
    return ((380 - exp) / 2) << 23 | (uint32_t)((dbits(e) >> 29) & 0x7fffff);
}

/* VRECPE (ab 0x38 U32, 0x3a F32), VRSQRTE (0x39, 0x3b). */
static bool neon_estimate(ARMCPU *a, int ab, int size, int bytes, const NeonVec *m,
                          NeonVec *r)
{
    if (size != 2) {
        return false;
    }
    for (int i = 0; i < bytes / 4; i++) {
        uint32_t x = (uint32_t)lane(m, 4, i);
        set_lane(r, 4, i, (ab & 2) ? frecpe(a, x, ab & 1) : urecpe(x, ab & 1));
    }
    return true;
}

/* VREV16/32/64: reverse elements of esize within containers of cbytes. */
static void rev_lanes(const NeonVec *m, NeonVec *r, int bytes, int esize, int cbytes)
{
    for (int c = 0; c < bytes; c += cbytes) {
        for (int e = 0; e < cbytes / esize; e++) {
            memcpy(r->b + c + e * esize, m->b + c + cbytes - (e + 1) * esize, esize);
        }
    }
}

static bool neon_2misc(ARMCPU *a, uint32_t insn)
{
    int size = BITS(insn, 19, 18), esize = 1 << size, bits = esize * 8;
    int ab = BITS(insn, 17, 16) << 5 | BITS(insn, 10, 6), bytes = BIT(insn, 6) ? 16 : 8;
    NeonVec m, r;
    ab >>= 1;                                       /* drop Q: A:B[4:1] */
    if (bytes == 16 && ((ND | NM) & 1)) {
        return false;
    }
    vec_read(a, NM, bytes, &m);
    if (ab <= 2) {                                  /* VREV64 / VREV32 / VREV16 */
        int cbytes = 8 >> ab;
        if (esize >= cbytes) {
            return false;
        }
        rev_lanes(&m, &r, bytes, esize, cbytes);
        vec_write(a, ND, bytes, &r);
        return true;
    }
    if ((ab & 0x3e) == 0x04 || (ab & 0x3e) == 0x0c) {   /* VPADDL (0x04/5), VPADAL (0x0c/d) */
        if (size == 3) {
            return false;
        }
        bool u = ab & 1, acc = ab >= 0x0c;
        NeonVec d;
        vec_read(a, ND, bytes, &d);
        for (int i = 0; i < bytes / (2 * esize); i++) {
            uint64_t x = lane(&m, esize, 2 * i), y = lane(&m, esize, 2 * i + 1);
            uint64_t sum = u ? (x + y) : (uint64_t)(sext(x, bits) + sext(y, bits));
            if (acc) {
                sum += lane(&d, 2 * esize, i);
            }
            set_lane(&r, 2 * esize, i, sum & mask_bits(2 * bits));
        }
        vec_write(a, ND, bytes, &r);
        return true;
    }
    if (ab >= 0x21 && ab <= 0x23) {                 /* VTRN, VUZP, VZIP */
        return neon_permute(a, insn, ab, esize, bytes, &m);
    }
    if (ab >= 0x24 && ab <= 0x25) {                 /* VMOVN, VQMOVUN, VQMOVN */
        vec_read(a, NM & ~1, 16, &m);               /* the source is a Q register */
        return neon_movn(a, insn, size, &m);
    }
    if (ab == 0x26 && !BIT(insn, 6)) {              /* VSHLL by the element size */
        if (size == 3 || (ND & 1)) {
            return false;
        }
        for (int i = 0; i < 8 / esize; i++) {
            set_lane(&r, 2 * esize, i, lane(&m, esize, i) << bits);
        }
        vec_write(a, ND, 16, &r);
        return true;
    }
    if (ab >= 0x38 && ab <= 0x3b) {
        if (!neon_estimate(a, ab, size, bytes, &m, &r)) {
            return false;
        }
        vec_write(a, ND, bytes, &r);
        return true;
    }
    if (ab >= 0x3c && size == 2) {                  /* VCVT between F32 and S32/U32 */
        return neon_cvt(a, insn, ab & 3, bytes, &m);
    }
    if (ab == 0x20) {                               /* VSWP */
        NeonVec d;
        vec_read(a, ND, bytes, &d);
        vec_write(a, ND, bytes, &m);
        vec_write(a, NM, bytes, &d);
        return size == 0;
    }
    for (int i = 0; i < bytes / esize; i++) {
        uint64_t x = lane(&m, esize, i), res;
        if (ab >= 0x18 && ab <= 0x1f) {
            uint32_t fr;
            if (size != 2 || !misc_float_lane(a, ab, (uint32_t)x, &fr)) {
                return false;
            }
            res = fr;
        } else if (!misc_lane(a, ab, bits, x, &res) || size == 3) {
            return false;
        }
        set_lane(&r, esize, i, res);
    }
    vec_write(a, ND, bytes, &r);
    return true;
}

static bool neon_vext(ARMCPU *a, uint32_t insn)
{
    int bytes = BIT(insn, 6) ? 16 : 8, imm4 = BITS(insn, 11, 8);
    NeonVec n, m, r;
    uint8_t both[32];
    if ((bytes == 8 && imm4 >= 8) || (bytes == 16 && ((ND | NN | NM) & 1))) {
        return false;
    }
    vec_read(a, NN, bytes, &n);
    vec_read(a, NM, bytes, &m);
    memcpy(both, n.b, bytes);
    memcpy(both + bytes, m.b, bytes);
    memcpy(r.b, both + imm4, bytes);
    vec_write(a, ND, bytes, &r);
    return true;
}

static bool neon_vtbl(ARMCPU *a, uint32_t insn)
{
    int len = BITS(insn, 9, 8) + 1, n = NN;
    bool tbx = BIT(insn, 6);
    NeonVec m, d;
    uint8_t table[32];
    if (n + len > 32) {
        return false;
    }
    memcpy(table, &a->vfp_d[n], 8 * len);
    vec_read(a, NM, 8, &m);
    vec_read(a, ND, 8, &d);
    for (int i = 0; i < 8; i++) {
        int idx = m.b[i];
        d.b[i] = idx < 8 * len ? table[idx] : tbx ? d.b[i] : 0;
    }
    vec_write(a, ND, 8, &d);
    return true;
}

static bool neon_vdup_scalar(ARMCPU *a, uint32_t insn)
{
    int imm4 = BITS(insn, 19, 16), bytes = BIT(insn, 6) ? 16 : 8;
    int esize = (imm4 & 1) ? 1 : (imm4 & 2) ? 2 : (imm4 & 4) ? 4 : 0;
    NeonVec m, r;
    if (!esize || (bytes == 16 && (ND & 1))) {
        return false;
    }
    int index = imm4 >> (esize == 1 ? 1 : esize == 2 ? 2 : 3);
    vec_read(a, NM, 8, &m);
    uint64_t x = lane(&m, esize, index);
    for (int i = 0; i < bytes / esize; i++) {
        set_lane(&r, esize, i, x);
    }
    vec_write(a, ND, bytes, &r);
    return true;
}

/* ---- three registers of different lengths (A7.4.2) and two registers and a scalar ----------------- */

/* Long/wide/narrow lane operation; op = A (bits 11:8). x, y are the (already widened where
 * needed) operands, d the wide accumulator. */
static uint64_t diff_lane(ARMCPU *a, int op, bool u, int bits, uint64_t x, uint64_t y,
                          uint64_t d)
{
    LaneOp o = { a, bits, u };
    __int128 vx = val(&o, x), vy = val(&o, y);
    int wb = 2 * bits;
    switch (op) {
    case 0: case 1: return (uint64_t)(vx + vy);                     /* VADDL / VADDW */
    case 2: case 3: return (uint64_t)(vx - vy);                     /* VSUBL / VSUBW */
    case 5: return d + (uint64_t)(vx > vy ? vx - vy : vy - vx);     /* VABAL */
    case 7: return (uint64_t)(vx > vy ? vx - vy : vy - vx);         /* VABDL */
    case 8: return d + (uint64_t)(vx * vy);                         /* VMLAL */
    case 10: return d - (uint64_t)(vx * vy);                        /* VMLSL */
    case 9: case 11: case 13: {                                     /* VQDMLAL/VQDMLSL/VQDMULL */
        uint64_t p = sat(a, (__int128)sext(x, bits) * sext(y, bits) * 2, wb, false);
        if (op == 13) {
            return p;
        }
        __int128 acc = sext(d, wb), pv = sext(p, wb);
        return sat(a, op == 9 ? acc + pv : acc - pv, wb, false);
    }
    default: return (uint64_t)(vx * vy);                            /* VMULL */
    }
}

static uint64_t pmull8(uint64_t x, uint64_t y)
{
    uint64_t r = 0;
    for (int i = 0; i < 8; i++) {
        if ((y >> i) & 1) r ^= x << i;
    }
    return r & 0xffff;
}

static bool neon_3diff(ARMCPU *a, uint32_t insn)
{
    int op = BITS(insn, 11, 8), size = BITS(insn, 21, 20), esize = 1 << size, bits = esize * 8;
    bool u = BIT(insn, 24);
    NeonVec n, m, d, r;
    bool wide_n = op == 1 || op == 3, narrow = op == 4 || op == 6;
    if ((op == 9 || op == 11 || op == 13) && (u || size == 0)) {
        return false;
    }
    if (op == 15 || (op == 14 && u) || (op == 14 && size != 0)) {
        return false;
    }
    if ((!narrow && (ND & 1)) || (wide_n && (NN & 1)) || (narrow && ((NN | NM) & 1))) {
        return false;
    }
    vec_read(a, NN, wide_n || narrow ? 16 : 8, &n);
    vec_read(a, NM, narrow ? 16 : 8, &m);
    vec_read(a, ND, narrow ? 8 : 16, &d);
    for (int i = 0; i < 8 / esize; i++) {
        if (narrow) {                                   /* VADDHN/VRADDHN/VSUBHN/VRSUBHN */
            uint64_t x = lane(&n, 2 * esize, i), y = lane(&m, 2 * esize, i);
            uint64_t v = op == 4 ? x + y : x - y;
            if (u) {
                v += 1ull << (bits - 1);
            }
            set_lane(&r, esize, i, (v >> bits) & mask_bits(bits));
            continue;
        }
        uint64_t x = wide_n ? lane(&n, 2 * esize, i) : lane(&n, esize, i);
        uint64_t y = lane(&m, esize, i), dv = lane(&d, 2 * esize, i), res;
        if (op == 14) {
            res = pmull8(x, y);
        } else if (wide_n) {
            LaneOp o = { a, bits, u };
            __int128 vy = val(&o, y);
            res = op == 1 ? x + (uint64_t)vy : x - (uint64_t)vy;
        } else {
            res = diff_lane(a, op, u, bits, x, y, dv);
        }
        set_lane(&r, 2 * esize, i, res & mask_bits(2 * bits));
    }
    vec_write(a, ND, narrow ? 8 : 16, &r);
    return true;
}

/* Two registers and a scalar: op = A (bits 11:8). */
static bool neon_scalar(ARMCPU *a, uint32_t insn)
{
    int op = BITS(insn, 11, 8), size = BITS(insn, 21, 20), esize = 1 << size, bits = esize * 8;
    bool q = BIT(insn, 24), fl = op == 1 || op == 5 || op == 9;
    bool longop = op == 2 || op == 3 || op == 6 || op == 7 || op == 10 || op == 11;
    int bytes = (q && !longop) ? 16 : 8;
    int vm = size == 1 ? BITS(insn, 2, 0) : BITS(insn, 3, 0);
    int index = size == 1 ? (BIT(insn, 5) << 1 | BIT(insn, 3)) : BIT(insn, 5);
    NeonVec n, m, d, r;
    if (size == 0 || size == 3 || (fl && size != 2) || ((op == 3 || op == 7 || op == 11) && q) ||
        (longop && (ND & 1)) || (bytes == 16 && ((ND | NN) & 1)) || op == 14 || op == 15) {
        return false;
    }
    vec_read(a, vm, 8, &m);
    uint64_t y = lane(&m, esize, index);
    vec_read(a, NN, bytes, &n);
    vec_read(a, ND, longop ? 16 : bytes, &d);
    for (int i = 0; i < bytes / esize; i++) {
        uint64_t x = lane(&n, esize, i), res;
        if (fl) {
            uint32_t dv = (uint32_t)lane(&d, 4, i);
            uint32_t p = std_fpscr_op(a, VFP_MUL, (uint32_t)x, (uint32_t)y, 0);
            res = op == 9 ? p : std_fpscr_op(a, VFP_ADD, dv, op == 1 ? p : p ^ 0x80000000u, 0);
        } else if (longop) {
            static const int lop[12] = { [2] = 8, [3] = 9, [6] = 10, [7] = 11, [10] = 12,
                                         [11] = 13 };
            res = diff_lane(a, lop[op], q, bits, x, y, lane(&d, 2 * esize, i));
            set_lane(&r, 2 * esize, i, res & mask_bits(2 * bits));
            continue;
        } else if (op == 12 || op == 13) {
            LaneOp o = { a, bits, false };
            res = qdmulh(&o, x, y, op == 13);
        } else {
            uint64_t dv = lane(&d, esize, i);
            res = op == 0 ? dv + x * y : op == 4 ? dv - x * y : x * y;  /* VMLA VMLS VMUL */
        }
        set_lane(&r, esize, i, res & mask_bits(bits));
    }
    vec_write(a, ND, longop ? 16 : bytes, &r);
    return true;
}

/* Shifts by immediate that narrow (op 8, 9) or lengthen (op 10), A7.4.4. */
static bool neon_shift_narrow_long(ARMCPU *a, uint32_t insn)
{
    int imm6 = BITS(insn, 21, 16), op = BITS(insn, 11, 8);
    bool u = BIT(insn, 24), b6 = BIT(insn, 6), round = BIT(insn, 6);
    int esize = imm6 >= 32 ? 4 : imm6 >= 16 ? 2 : 1, bits = esize * 8;
    NeonVec m, r;
    if (op == 10) {                                     /* VSHLL / VMOVL */
        int sh = imm6 - bits;
        if (b6 || (ND & 1)) {
            return false;
        }
        vec_read(a, NM, 8, &m);
        for (int i = 0; i < 8 / esize; i++) {
            LaneOp o = { a, bits, u };
            uint64_t v = (uint64_t)(val(&o, lane(&m, esize, i)) * ((__int128)1 << sh));
            set_lane(&r, 2 * esize, i, v & mask_bits(2 * bits));
        }
        vec_write(a, ND, 16, &r);
        return true;
    }
    int wb = 2 * bits, sh = 2 * bits - imm6 % (2 * bits == 64 ? 64 : 2 * bits);
    sh = imm6 >= 32 ? 64 - imm6 : imm6 >= 16 ? 32 - imm6 : 16 - imm6;   /* of the wide lanes */
    if (NM & 1) {
        return false;
    }
    vec_read(a, NM, 16, &m);
    for (int i = 0; i < 8 / esize; i++) {
        uint64_t x = lane(&m, 2 * esize, i);
        bool src_u = (op == 8 && !u) ? true : (op == 9 ? u : false);
        LaneOp o = { a, wb, src_u };
        __int128 v = val(&o, x);
        v = round ? (v + ((__int128)1 << (sh - 1))) >> sh : v >> sh;
        uint64_t res;
        if (op == 8 && !u) {
            res = (uint64_t)v;                          /* VSHRN / VRSHRN */
        } else if (op == 8) {
            res = sat(a, v, bits, true);                /* VQSHRUN / VQRSHRUN (signed in) */
        } else {
            res = sat(a, v, bits, u);                   /* VQSHRN / VQRSHRN */
        }
        set_lane(&r, esize, i, res & mask_bits(bits));
    }
    vec_write(a, ND, 8, &r);
    return true;
}

/* ---- dispatch --------------------------------------------------------------------------------------- */

typedef struct NeonDecode {
    uint32_t mask, match;
    bool (*fn)(ARMCPU *a, uint32_t insn);
} NeonDecode;

static const NeonDecode neon_table[] = {
    { 0xfe800000, 0xf2000000, neon_3same },
    { 0xfeb80090, 0xf2800010, neon_1reg_imm },
    { 0xfe800e90, 0xf2800810, neon_shift_narrow_long },     /* op 8, 9 (bit 6: round) */
    { 0xfe800fd0, 0xf2800a10, neon_shift_narrow_long },     /* op 10: VSHLL, VMOVL */
    { 0xfe800010, 0xf2800010, neon_shift_imm },
    { 0xffb00010, 0xf2b00000, neon_vext },
    { 0xffb00810, 0xf3b00000, neon_2misc },
    { 0xffb00c10, 0xf3b00800, neon_vtbl },
    { 0xffb00f90, 0xf3b00c00, neon_vdup_scalar },
    { 0xfe800050, 0xf2800000, neon_3diff },
    { 0xfe800050, 0xf2800040, neon_scalar },
    { 0, 0, NULL },
};

static uint32_t helper_neon_dp(void *env, uint32_t insn)
{
    for (const NeonDecode *d = neon_table; d->fn; d++) {
        if ((insn & d->mask) == d->match) {
            return d->fn(env, insn);
        }
    }
    return 0;
}

/* Is this encoding one helper_neon_dp handles (UNDEFINED otherwise, decided at
 * translation time for the forms whose fields alone make them UNDEFINED)? */
bool arm_neon_dp_known(uint32_t insn)
{
    for (const NeonDecode *d = neon_table; d->fn; d++) {
        if ((insn & d->mask) == d->match) {
            return true;
        }
    }
    return false;
}

const TCGHelperInfo helper_info_neon_dp = {
    .name = "neon_dp", .func = (void *)helper_neon_dp, .flags = TCG_CALL_NO_RWG,
    .ret_type = TCG_TYPE_I32, .nb_args = 2, .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32 },
};
