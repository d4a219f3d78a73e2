/* Computation of the x86 arithmetic flags from the lazily recorded operation (cc.h), per
 * the flag definitions of the Intel SDM vol. 2 instruction entries (ADD, ADC, SUB, SBB,
 * AND/OR/XOR, INC, DEC, SHL/SHR/SAR, MUL/IMUL, BMI1/2). Undefined flags get fixed values
 * here (SF/ZF/PF from the result, AF 0), which guest tests and the differential tester
 * mask. */
#include "target-i386/cc.h"

static const uint64_t size_mask[4] = { 0xff, 0xffff, 0xffffffffull, ~0ull };

static uint64_t parity_flag(uint64_t v)
{
    return __builtin_parity((unsigned)(v & 0xff)) ? 0 : X86_EFLAGS_PF;
}

/* SF, ZF, PF of a result already masked to its size. */
static uint64_t szp(uint64_t dst, unsigned size)
{
    uint64_t sign = 1ull << (8 * (1u << size) - 1);
    return ((dst & sign) ? X86_EFLAGS_SF : 0) | (dst ? 0 : X86_EFLAGS_ZF) | parity_flag(dst);
}

/* OF from the sign bit of v. */
static uint64_t of_from_sign(uint64_t v, unsigned size)
{
    return (v >> (8 * (1u << size) - 1)) & 1 ? X86_EFLAGS_OF : 0;
}

static uint64_t af_of(uint64_t a, uint64_t b, uint64_t r)
{
    return (a ^ b ^ r) & X86_EFLAGS_AF;
}

static uint64_t flags_add(uint64_t dst, uint64_t src, uint64_t cin, unsigned size)
{
    uint64_t m = size_mask[size], src1 = (dst - src - cin) & m;
    bool cf = cin ? dst <= src1 : dst < src1;
    return (cf ? X86_EFLAGS_CF : 0) | szp(dst, size) | af_of(src1, src, dst) |
           of_from_sign(~(src1 ^ src) & (src1 ^ dst), size);
}

static uint64_t flags_sub(uint64_t dst, uint64_t src, uint64_t src1, uint64_t cin,
                          unsigned size)
{
    bool cf = cin ? src1 <= src : src1 < src;
    return (cf ? X86_EFLAGS_CF : 0) | szp(dst, size) | af_of(src1, src, dst) |
           of_from_sign((src1 ^ src) & (src1 ^ dst), size);
}

static uint64_t flags_incdec(uint64_t dst, uint64_t cf, int delta, unsigned size)
{
    uint64_t m = size_mask[size], sign = 1ull << (8 * (1u << size) - 1);
    uint64_t src1 = (dst - delta) & m;
    uint64_t of = delta > 0 ? dst == sign : dst == sign - 1;
    return (cf & 1) | szp(dst, size) | af_of(src1, 1, dst) | (of ? X86_EFLAGS_OF : 0);
}

static uint64_t flags_shl(uint64_t dst, uint64_t src, unsigned size)
{
    uint64_t cf = (src >> (8 * (1u << size) - 1)) & 1;
    return cf | szp(dst, size) | of_from_sign((cf << (8 * (1u << size) - 1)) ^ dst, size);
}

static uint64_t flags_sar(uint64_t dst, uint64_t src, unsigned size)
{
    return (src & 1) | szp(dst, size) | of_from_sign(src ^ dst, size);
}

uint64_t x86_cc_compute_all(uint32_t cc_op, uint64_t dst, uint64_t src, uint64_t src2)
{
    unsigned size = cc_op & 3;
    uint64_t m = size_mask[size];

    if (cc_op == CC_OP_EFLAGS) {
        return src & X86_EFLAGS_ARITH;
    }
    if ((cc_op & ~3u) == CC_OP_MUL) {
        /* src: any nonzero value (not truncated) means the product did not fit */
        return szp(dst & m, size) | (src ? X86_EFLAGS_CF | X86_EFLAGS_OF : 0);
    }
    dst &= m;
    src &= m;
    src2 &= m;
    switch (cc_op & ~3u) {
    case CC_OP_ADD: return flags_add(dst, src, 0, size);
    case CC_OP_ADC: return flags_add(dst, src, src2 & 1, size);
    case CC_OP_SUB: return flags_sub((src2 - src) & m, src, src2, 0, size);  /* not dst */
    case CC_OP_SBB: return flags_sub(dst, src, (dst + src + (src2 & 1)) & m, src2 & 1, size);
    case CC_OP_LOGIC: return szp(dst, size);
    case CC_OP_INC: return flags_incdec(dst, src, 1, size);
    case CC_OP_DEC: return flags_incdec(dst, src, -1, size);
    case CC_OP_SHL: return flags_shl(dst, src, size);
    case CC_OP_SAR: return flags_sar(dst, src, size);
    case CC_OP_BMI: return szp(dst, size) | (src & 1);
    default: return 0;
    }
}

uint64_t x86_cc_compute_c(uint32_t cc_op, uint64_t dst, uint64_t src, uint64_t src2)
{
    return x86_cc_compute_all(cc_op, dst, src, src2) & X86_EFLAGS_CF;
}
