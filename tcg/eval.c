/* Reference semantics of the IR's computational ops (docs/tcg.md "IR reference"): used by
 * the optimizer for constant folding and by the interpreter. Never traps: the results
 * the IR leaves undefined (division by zero, INT_MIN / -1) are given fixed values. */
#include "tcg/tcg.h"

static uint64_t trunc_w(bool is64, uint64_t v)
{
    return is64 ? v : (uint32_t)v;
}

static int64_t sext_w(bool is64, uint64_t v)
{
    return is64 ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
}

static uint64_t sar64(int64_t v, unsigned s)
{
    /* arithmetic shift without relying on implementation-defined >> of negatives */
    return v < 0 ? ~(~(uint64_t)v >> s) : (uint64_t)v >> s;
}

static uint64_t field_mask(unsigned len)
{
    return len >= 64 ? ~0ull : (1ull << len) - 1;
}

bool tcg_op_is_undefined(TCGOpcode opc, const uint64_t *in)
{
    switch (opc) {
    case INDEX_op_div_i32: case INDEX_op_rem_i32:
        return (uint32_t)in[1] == 0 || ((uint32_t)in[0] == 0x80000000u && (uint32_t)in[1] == ~0u);
    case INDEX_op_div_i64: case INDEX_op_rem_i64:
        return in[1] == 0 || (in[0] == 1ull << 63 && in[1] == ~0ull);
    case INDEX_op_divu_i32: case INDEX_op_remu_i32:
        return (uint32_t)in[1] == 0;
    case INDEX_op_divu_i64: case INDEX_op_remu_i64:
        return in[1] == 0;
    default:
        return false;
    }
}

static uint64_t eval_div(TCGOpcode opc, bool is64, uint64_t a, uint64_t b)
{
    int64_t sa = sext_w(is64, a), sb = sext_w(is64, b);
    switch (opc) {
    case INDEX_op_div_i32: case INDEX_op_div_i64:
        if (sb == 0) {
            return 0;
        }
        return sb == -1 ? 0 - (uint64_t)sa : (uint64_t)(sa / sb);
    case INDEX_op_rem_i32: case INDEX_op_rem_i64:
        return (sb == 0 || sb == -1) ? 0 : (uint64_t)(sa % sb);
    case INDEX_op_divu_i32: case INDEX_op_divu_i64:
        return b == 0 ? 0 : a / b;
    default: /* remu */
        return b == 0 ? 0 : a % b;
    }
}

static uint64_t eval_shift(TCGOpcode opc, bool is64, uint64_t a, uint64_t b)
{
    unsigned w = is64 ? 64 : 32;
    unsigned s = (unsigned)b & (w - 1);
    switch (opc) {
    case INDEX_op_shl_i32: case INDEX_op_shl_i64:
        return a << s;
    case INDEX_op_shr_i32: case INDEX_op_shr_i64:
        return a >> s;
    case INDEX_op_sar_i32: case INDEX_op_sar_i64:
        return sar64(sext_w(is64, a), s);
    case INDEX_op_rotl_i32: case INDEX_op_rotl_i64:
        return s ? (a << s) | (a >> (w - s)) : a;
    default: /* rotr */
        return s ? (a >> s) | (a << (w - s)) : a;
    }
}

/* Unary ops and the type conversions. Returns false if opc is not one of them. */
static bool eval_unary(TCGOpcode opc, bool is64, uint64_t a, uint64_t *r)
{
    switch (opc) {
    case INDEX_op_mov_i32: case INDEX_op_mov_i64: *r = a; break;
    case INDEX_op_neg_i32: case INDEX_op_neg_i64: *r = 0 - a; break;
    case INDEX_op_not_i32: case INDEX_op_not_i64: *r = ~a; break;
    case INDEX_op_ext8s_i32: case INDEX_op_ext8s_i64: *r = (uint64_t)(int64_t)(int8_t)a; break;
    case INDEX_op_ext8u_i32: case INDEX_op_ext8u_i64: *r = (uint8_t)a; break;
    case INDEX_op_ext16s_i32: case INDEX_op_ext16s_i64: *r = (uint64_t)(int64_t)(int16_t)a; break;
    case INDEX_op_ext16u_i32: case INDEX_op_ext16u_i64: *r = (uint16_t)a; break;
    case INDEX_op_ext32s_i64: *r = (uint64_t)(int64_t)(int32_t)a; break;
    case INDEX_op_ext32u_i64: *r = (uint32_t)a; break;
    case INDEX_op_bswap16_i32: case INDEX_op_bswap16_i64: *r = __builtin_bswap16((uint16_t)a); break;
    case INDEX_op_bswap32_i32: case INDEX_op_bswap32_i64: *r = __builtin_bswap32((uint32_t)a); break;
    case INDEX_op_bswap64_i64: *r = __builtin_bswap64(a); break;
    case INDEX_op_ctpop_i32: case INDEX_op_ctpop_i64: *r = (uint64_t)__builtin_popcountll(a); break;
    case INDEX_op_extrl_i64_i32: *r = (uint32_t)a; return true;
    case INDEX_op_extrh_i64_i32: *r = a >> 32; return true;
    case INDEX_op_extu_i32_i64: *r = (uint32_t)a; return true;
    case INDEX_op_ext_i32_i64: *r = (uint64_t)(int64_t)(int32_t)a; return true;
    default:
        return false;
    }
    *r = trunc_w(is64, *r);
    return true;
}

/* Binary ops. Returns false if opc is not one of them. */
static bool eval_binary(TCGOpcode opc, bool is64, uint64_t a, uint64_t b, uint64_t *r)
{
    unsigned w = is64 ? 64 : 32;
    switch (opc) {
    case INDEX_op_add_i32: case INDEX_op_add_i64: *r = a + b; break;
    case INDEX_op_sub_i32: case INDEX_op_sub_i64: *r = a - b; break;
    case INDEX_op_mul_i32: case INDEX_op_mul_i64: *r = a * b; break;
    case INDEX_op_and_i32: case INDEX_op_and_i64: *r = a & b; break;
    case INDEX_op_or_i32: case INDEX_op_or_i64: *r = a | b; break;
    case INDEX_op_xor_i32: case INDEX_op_xor_i64: *r = a ^ b; break;
    case INDEX_op_andc_i32: case INDEX_op_andc_i64: *r = a & ~b; break;
    case INDEX_op_orc_i32: case INDEX_op_orc_i64: *r = a | ~b; break;
    case INDEX_op_eqv_i32: case INDEX_op_eqv_i64: *r = ~(a ^ b); break;
    case INDEX_op_nand_i32: case INDEX_op_nand_i64: *r = ~(a & b); break;
    case INDEX_op_nor_i32: case INDEX_op_nor_i64: *r = ~(a | b); break;
    case INDEX_op_div_i32: case INDEX_op_div_i64: case INDEX_op_rem_i32:
    case INDEX_op_rem_i64: case INDEX_op_divu_i32: case INDEX_op_divu_i64:
    case INDEX_op_remu_i32: case INDEX_op_remu_i64:
        *r = eval_div(opc, is64, a, b);
        break;
    case INDEX_op_shl_i32: case INDEX_op_shl_i64: case INDEX_op_shr_i32:
    case INDEX_op_shr_i64: case INDEX_op_sar_i32: case INDEX_op_sar_i64:
    case INDEX_op_rotl_i32: case INDEX_op_rotl_i64: case INDEX_op_rotr_i32:
    case INDEX_op_rotr_i64:
        *r = eval_shift(opc, is64, a, b);
        break;
    case INDEX_op_clz_i32: case INDEX_op_clz_i64:
        *r = a ? (uint64_t)(__builtin_clzll(a) - (64 - (int)w)) : b;
        break;
    case INDEX_op_ctz_i32: case INDEX_op_ctz_i64:
        *r = a ? (uint64_t)__builtin_ctzll(a) : b;
        break;
    default:
        return false;
    }
    *r = trunc_w(is64, *r);
    return true;
}

/* Ops with constant arguments besides the inputs (conditions, bit fields). */
static bool eval_with_consts(TCGOpcode opc, bool is64, const uint64_t *in, const TCGArg *c,
                             uint64_t *r)
{
    TCGType type = is64 ? TCG_TYPE_I64 : TCG_TYPE_I32;
    switch (opc) {
    case INDEX_op_setcond_i32: case INDEX_op_setcond_i64:
        *r = tcg_cond_eval(type, c[0], in[0], in[1]);
        break;
    case INDEX_op_negsetcond_i32: case INDEX_op_negsetcond_i64:
        *r = tcg_cond_eval(type, c[0], in[0], in[1]) ? ~0ull : 0;
        break;
    case INDEX_op_movcond_i32: case INDEX_op_movcond_i64:
        *r = tcg_cond_eval(type, c[0], in[0], in[1]) ? in[2] : in[3];
        break;
    case INDEX_op_deposit_i32: case INDEX_op_deposit_i64: {
        uint64_t mask = field_mask(c[1]) << c[0];
        *r = (in[0] & ~mask) | ((in[1] << c[0]) & mask);
        break;
    }
    case INDEX_op_extract_i32: case INDEX_op_extract_i64:
        *r = (in[0] >> c[0]) & field_mask(c[1]);
        break;
    case INDEX_op_sextract_i32: case INDEX_op_sextract_i64: {
        uint64_t f = (in[0] >> c[0]) & field_mask(c[1]);
        uint64_t sign = 1ull << (c[1] - 1);
        *r = (f ^ sign) - sign;
        break;
    }
    default:
        return false;
    }
    *r = trunc_w(is64, *r);
    return true;
}

/* Double-word ops: two outputs (low, high). */
static bool eval_double(TCGOpcode opc, const uint64_t *in, uint64_t *out)
{
    typedef unsigned __int128 u128;
    typedef __int128 s128;
    u128 r;
    switch (opc) {
    case INDEX_op_add2_i32: case INDEX_op_sub2_i32: {
        uint64_t a = (uint32_t)in[0] | in[1] << 32, b = (uint32_t)in[2] | in[3] << 32;
        uint64_t s = opc == INDEX_op_add2_i32 ? a + b : a - b;
        out[0] = (uint32_t)s;
        out[1] = s >> 32;
        return true;
    }
    case INDEX_op_mulu2_i32:
        r = (uint64_t)(uint32_t)in[0] * (uint32_t)in[1];
        out[0] = (uint32_t)r;
        out[1] = (uint32_t)(r >> 32);
        return true;
    case INDEX_op_muls2_i32: {
        uint64_t p = (uint64_t)((int64_t)(int32_t)in[0] * (int32_t)in[1]);
        out[0] = (uint32_t)p;
        out[1] = p >> 32;
        return true;
    }
    case INDEX_op_add2_i64:
        r = ((u128)in[1] << 64 | in[0]) + ((u128)in[3] << 64 | in[2]);
        break;
    case INDEX_op_sub2_i64:
        r = ((u128)in[1] << 64 | in[0]) - ((u128)in[3] << 64 | in[2]);
        break;
    case INDEX_op_mulu2_i64:
        r = (u128)in[0] * in[1];
        break;
    case INDEX_op_muls2_i64:
        r = (u128)((s128)(int64_t)in[0] * (int64_t)in[1]);
        break;
    default:
        return false;
    }
    out[0] = (uint64_t)r;
    out[1] = (uint64_t)(r >> 64);
    return true;
}

int tcg_eval_op(TCGOpcode opc, const uint64_t *in, const TCGArg *cargs, uint64_t *out)
{
    if ((unsigned)opc >= NB_OPS) {
        return -1;
    }
    bool is64 = (tcg_op_defs[opc].flags & TCG_OPF_64BIT) != 0;
    if (eval_unary(opc, is64, in[0], &out[0])) {
        return 1;
    }
    if (eval_binary(opc, is64, in[0], in[1], &out[0])) {
        return 1;
    }
    if (eval_with_consts(opc, is64, in, cargs, &out[0])) {
        return 1;
    }
    if (eval_double(opc, in, out)) {
        return 2;
    }
    return -1;
}
