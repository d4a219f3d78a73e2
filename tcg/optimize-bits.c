/* Known bits of IR values for the optimizer (tcg/optimize.c, docs/tcg.md "Optimizer"):
 * which bits may be non-zero (z: a clear bit is known zero), which are known to be one
 * (o) and whether the value is the sign extension of its low sext bits. From them: the facts of an op's output, and the
 * zero/sign extensions and masks that cannot change their input. */
#include "tcg-internal.h"

static uint64_t low_mask(unsigned bits)
{
    return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

static uint64_t width_mask(bool is64)
{
    return is64 ? ~0ull : 0xffffffffull;
}

/* Narrowest 8/16/32-bit sign extension a value with these possibly-set bits satisfies
 * (a value that fits n - 1 bits is its own n-bit sign extension). */
static unsigned sext_of_z(uint64_t z, unsigned width)
{
    for (unsigned n = 8; n < width; n *= 2) {
        if (!(z & ~low_mask(n - 1))) {
            return n;
        }
    }
    return width;
}

TCGBits tcg_bits_const(uint64_t v, bool is64)
{
    unsigned w = is64 ? 64 : 32;
    TCGBits b = { .z = v & width_mask(is64), .o = v & width_mask(is64), .sext = (uint8_t)w };
    for (unsigned n = 8; n < w; n *= 2) {
        uint64_t s = (uint64_t)((int64_t)(v << (64 - n)) >> (64 - n)) & width_mask(is64);
        if (s == b.z) {
            b.sext = (uint8_t)n;
            break;
        }
    }
    return b;
}

/* The bits of a sign extension from n bits of a value with possibly-set bits z and
 * known-one bits o: bits n-1 and up all equal bit n-1. */
static TCGBits sext_bits(uint64_t z, uint64_t o, unsigned n, bool is64)
{
    uint64_t low = low_mask(n - 1);
    uint64_t outz = (z >> (n - 1)) & 1 ? (z & low) | ~low : z & low;
    uint64_t outo = (o >> (n - 1)) & 1 ? (o & low) | ~low : o & low;
    return (TCGBits){ .z = outz & width_mask(is64), .o = outo & width_mask(is64),
                      .sext = (uint8_t)n };
}

static TCGBits zext_bits(uint64_t z, uint64_t o, unsigned n, bool is64)
{
    uint64_t m = low_mask(n) & width_mask(is64);
    return (TCGBits){ .z = z & m, .o = o & m, .sext = 0 };
}

/* Sizes of the memory loads: bits (0 = not a narrowing load) and sign. */
static unsigned load_bits(TCGOpcode opc, const TCGArg *cargs, bool *sign)
{
    *sign = false;
    switch (opc) {
    case INDEX_op_ld8u_i32: case INDEX_op_ld8u_i64: return 8;
    case INDEX_op_ld16u_i32: case INDEX_op_ld16u_i64: return 16;
    case INDEX_op_ld32u_i64: return 32;
    case INDEX_op_ld8s_i32: case INDEX_op_ld8s_i64: *sign = true; return 8;
    case INDEX_op_ld16s_i32: case INDEX_op_ld16s_i64: *sign = true; return 16;
    case INDEX_op_ld32s_i64: *sign = true; return 32;
    case INDEX_op_qemu_ld_i32: case INDEX_op_qemu_ld_i64:
    case INDEX_op_atomic_rmw_i32: case INDEX_op_atomic_rmw_i64:
    case INDEX_op_atomic_cmpxchg_i32: case INDEX_op_atomic_cmpxchg_i64:
        *sign = (cargs[0] & MO_SIGN) != 0;
        return 8 * memop_size((MemOp)cargs[0]);
    default:
        return 0;
    }
}

static bool shift_bits(TCGOpcode opc, const TCGBits *in, const uint64_t *vb, bool is64,
                       TCGBits *out)
{
    unsigned w = is64 ? 64 : 32;
    if (!vb) {
        return false;
    }
    unsigned c = (unsigned)(*vb & (w - 1));
    uint64_t za = in[0].z & width_mask(is64), oa = in[0].o & width_mask(is64);
    uint64_t top = width_mask(is64) << (w - 1 - c);     /* the sign and the c copies */
    switch (opc) {
    case INDEX_op_shl_i32: case INDEX_op_shl_i64:
        out->z = (za << c) & width_mask(is64);
        out->o = (oa << c) & width_mask(is64);
        return true;
    case INDEX_op_shr_i32: case INDEX_op_shr_i64:
        out->z = za >> c;
        out->o = oa >> c;
        return true;
    case INDEX_op_sar_i32: case INDEX_op_sar_i64:
        out->z = ((za >> (w - 1)) & 1 ? (za >> c) | top : za >> c) & width_mask(is64);
        out->o = ((oa >> (w - 1)) & 1 ? (oa >> c) | top : oa >> c) & width_mask(is64);
        return true;
    default:
        return false;
    }
}

TCGBitsDep tcg_bits_dep(TCGOpcode opc)
{
    switch (opc) {
    case INDEX_op_and_i32: case INDEX_op_and_i64: case INDEX_op_or_i32: case INDEX_op_or_i64:
    case INDEX_op_xor_i32: case INDEX_op_xor_i64:
    case INDEX_op_shl_i32: case INDEX_op_shl_i64: case INDEX_op_shr_i32: case INDEX_op_shr_i64:
    case INDEX_op_sar_i32: case INDEX_op_sar_i64:
    case INDEX_op_ext8u_i32: case INDEX_op_ext8u_i64: case INDEX_op_ext16u_i32:
    case INDEX_op_ext16u_i64: case INDEX_op_ext32u_i64: case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32: case INDEX_op_extrh_i64_i32:
    case INDEX_op_ext8s_i32: case INDEX_op_ext8s_i64: case INDEX_op_ext16s_i32:
    case INDEX_op_ext16s_i64: case INDEX_op_ext32s_i64: case INDEX_op_ext_i32_i64:
    case INDEX_op_extract_i32: case INDEX_op_extract_i64:
    case INDEX_op_sextract_i32: case INDEX_op_sextract_i64:
    case INDEX_op_deposit_i32: case INDEX_op_deposit_i64:
        return TCG_BITS_OF_INPUTS;
    case INDEX_op_ld8u_i32: case INDEX_op_ld8u_i64: case INDEX_op_ld16u_i32:
    case INDEX_op_ld16u_i64: case INDEX_op_ld32u_i64: case INDEX_op_ld8s_i32:
    case INDEX_op_ld8s_i64: case INDEX_op_ld16s_i32: case INDEX_op_ld16s_i64:
    case INDEX_op_ld32s_i64: case INDEX_op_qemu_ld_i32: case INDEX_op_qemu_ld_i64:
    case INDEX_op_atomic_rmw_i32: case INDEX_op_atomic_rmw_i64:
    case INDEX_op_atomic_cmpxchg_i32: case INDEX_op_atomic_cmpxchg_i64:
    case INDEX_op_bswap16_i32: case INDEX_op_bswap16_i64:
    case INDEX_op_bswap32_i32: case INDEX_op_bswap32_i64:
    case INDEX_op_setcond_i32: case INDEX_op_setcond_i64:
    case INDEX_op_ctpop_i32: case INDEX_op_ctpop_i64:
        return TCG_BITS_OF_OPCODE;
    default:
        return TCG_BITS_OF_NOTHING;
    }
}

TCGBits tcg_bits_output(TCGOpcode opc, const TCGBits *in, const uint64_t *vb,
                        const TCGArg *cargs, bool is64)
{
    TCGBits out = tcg_bits_unknown(is64);
    unsigned w = is64 ? 64 : 32;
    bool sign;
    unsigned lb = load_bits(opc, cargs, &sign);
    if (lb && lb < w) {
        out = sign ? sext_bits(~0ull, 0, lb, is64) : zext_bits(~0ull, 0, lb, is64);
    } else if (shift_bits(opc, in, vb, is64, &out)) {
        /* out.z set */
    } else {
        switch (opc) {
        case INDEX_op_and_i32: case INDEX_op_and_i64:
            out.z = in[0].z & in[1].z;
            out.o = in[0].o & in[1].o;
            break;
        case INDEX_op_or_i32: case INDEX_op_or_i64:
            out.z = in[0].z | in[1].z;
            out.o = in[0].o | in[1].o;
            break;
        case INDEX_op_xor_i32: case INDEX_op_xor_i64:   /* 0 where both agree, 1 where */
            out.z = (in[0].z | in[1].z) & ~(in[0].o & in[1].o);     /* they are known to differ */
            out.o = (in[0].o & ~in[1].z) | (in[1].o & ~in[0].z);
            break;
        case INDEX_op_ext8u_i32: case INDEX_op_ext8u_i64:
            out = zext_bits(in[0].z, in[0].o, 8, is64);
            break;
        case INDEX_op_ext16u_i32: case INDEX_op_ext16u_i64:
            out = zext_bits(in[0].z, in[0].o, 16, is64);
            break;
        case INDEX_op_bswap16_i32: case INDEX_op_bswap16_i64:
            out = zext_bits(~0ull, 0, 16, is64);
            break;
        case INDEX_op_ext32u_i64: case INDEX_op_extu_i32_i64: case INDEX_op_extrl_i64_i32:
            out = zext_bits(in[0].z, in[0].o, 32, is64);
            break;
        case INDEX_op_bswap32_i32: case INDEX_op_bswap32_i64:
            out = zext_bits(~0ull, 0, 32, is64);
            break;
        case INDEX_op_extrh_i64_i32:
            out.z = in[0].z >> 32;
            out.o = in[0].o >> 32;
            break;
        case INDEX_op_ext8s_i32: case INDEX_op_ext8s_i64:
            out = sext_bits(in[0].z, in[0].o, 8, is64);
            break;
        case INDEX_op_ext16s_i32: case INDEX_op_ext16s_i64:
            out = sext_bits(in[0].z, in[0].o, 16, is64);
            break;
        case INDEX_op_ext32s_i64: case INDEX_op_ext_i32_i64:
            out = sext_bits(in[0].z, in[0].o, 32, is64);
            break;
        case INDEX_op_setcond_i32: case INDEX_op_setcond_i64: out.z = 1; break;
        case INDEX_op_ctpop_i32: case INDEX_op_ctpop_i64: out.z = 0x7f; break;
        case INDEX_op_extract_i32: case INDEX_op_extract_i64:
            out = zext_bits(in[0].z >> cargs[0], in[0].o >> cargs[0], (unsigned)cargs[1], is64);
            break;
        case INDEX_op_sextract_i32: case INDEX_op_sextract_i64:
            out = sext_bits(in[0].z >> cargs[0], in[0].o >> cargs[0], (unsigned)cargs[1], is64);
            break;
        case INDEX_op_deposit_i32: case INDEX_op_deposit_i64: {
            uint64_t m = low_mask((unsigned)cargs[1]) << cargs[0];
            out.z = (in[0].z & ~m) | ((in[1].z << cargs[0]) & m);
            out.o = (in[0].o & ~m) | ((in[1].o << cargs[0]) & m);
            break;
        }
        default:
            break;
        }
    }
    out.z &= width_mask(is64);
    out.o &= out.z;
    unsigned s = sext_of_z(out.z, w);
    if (out.sext == 0 || s < out.sext) {
        out.sext = (uint8_t)s;
    }
    return out;
}

/* Extensions, masks, ors and deposits whose input already has the result's form: returns
 * the index of the input the output equals, TCG_BITS_ZERO if it is 0, or -1. vb: the
 * constant value of input 1 when it is a constant, else NULL. */
int tcg_bits_simplify(TCGOpcode opc, const TCGBits *in, const uint64_t *vb,
                      const TCGArg *cargs, bool is64)
{
    uint64_t za = in[0].z;
    unsigned ext = 0;
    bool sign = false;
    switch (opc) {
    case INDEX_op_and_i32: case INDEX_op_and_i64:
        if (!(in[0].z & in[1].z)) {
            return TCG_BITS_ZERO;
        }
        if (!(za & ~in[1].o & width_mask(is64))) {
            return 0;       /* in1 is one wherever in0 may be: the and keeps in0 */
        }
        return !(in[1].z & ~in[0].o & width_mask(is64)) ? 1 : -1;
    case INDEX_op_or_i32: case INDEX_op_or_i64:
        if (!(in[1].z & ~in[0].o & width_mask(is64))) {
            return 0;       /* in1 sets only bits in0 already has */
        }
        return !(za & ~in[1].o & width_mask(is64)) ? 1 : -1;
    case INDEX_op_ext8u_i32: case INDEX_op_ext8u_i64: ext = 8; break;
    case INDEX_op_ext16u_i32: case INDEX_op_ext16u_i64: ext = 16; break;
    case INDEX_op_ext32u_i64: ext = 32; break;
    case INDEX_op_ext8s_i32: case INDEX_op_ext8s_i64: ext = 8; sign = true; break;
    case INDEX_op_ext16s_i32: case INDEX_op_ext16s_i64: ext = 16; sign = true; break;
    case INDEX_op_ext32s_i64: ext = 32; sign = true; break;
    case INDEX_op_extract_i32: case INDEX_op_extract_i64:
    case INDEX_op_sextract_i32: case INDEX_op_sextract_i64:
        if (cargs[0] != 0) {
            return -1;
        }
        ext = (unsigned)cargs[1];
        sign = opc == INDEX_op_sextract_i32 || opc == INDEX_op_sextract_i64;
        break;
    case INDEX_op_deposit_i32: case INDEX_op_deposit_i64:
        /* a value that fits the field, put at bit 0 into bits known zero elsewhere
         * (x86 SETcc into a cleared register: deposit(0, setcond, 0, 8)) */
        return cargs[0] == 0 && !(in[1].z & ~low_mask((unsigned)cargs[1])) &&
               !(in[0].z & ~low_mask((unsigned)cargs[1])) ? 1 : -1;
    default:
        return -1;
    }
    if (sign) {
        return in[0].sext <= ext ? 0 : -1;
    }
    return !(za & ~low_mask(ext)) ? 0 : -1;
}
