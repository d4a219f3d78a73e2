/* Random ARMv7-A instruction generators for the differential tester: each generator fills
 * the fields of one instruction class (A32: ARM ARM DDI0406C A5.2-A5.4; T32: A6.2-A6.3)
 * with random values inside the defined, predictable space. Registers written are r0-r12
 * (r13 is the scratch buffer's base, r14/r15 are never written); memory offsets from r13
 * stay within +-1 KiB, word-aligned where the architecture requires it. */
#include "arm-diff-gen.h"

uint32_t diff_rand(DiffRng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 11);
}

static uint32_t pick(DiffRng *r, uint32_t n)
{
    return diff_rand(r) % n;
}

static uint32_t reg(DiffRng *r)         /* r0-r12 */
{
    return pick(r, 13);
}

/* A register value biased to interesting operands happens in the state, not here. */

static uint32_t cond(DiffRng *r)
{
    return pick(r, 4) ? 0xe : pick(r, 15);
}

/* ==== A32 ================================================================================= */

/* Rd of TST/TEQ/CMP/CMN and Rn of MOV/MVN are should-be-zero fields. */
static uint32_t dp_sbz(uint32_t insn)
{
    uint32_t op = (insn >> 21) & 15;
    if (op >= 8 && op <= 11) {
        insn &= ~0xf000u;
    }
    if (op == 13 || op == 15) {
        insn &= ~0xf0000u;
    }
    return insn;
}

static uint32_t a32_dp_imm(DiffRng *r)
{
    uint32_t op = pick(r, 16), s = (op >= 8 && op <= 11) ? 1 : pick(r, 2);
    return dp_sbz(cond(r) << 28 | 1u << 25 | op << 21 | s << 20 | reg(r) << 16 | reg(r) << 12 |
                  pick(r, 4096));
}

static uint32_t a32_dp_reg(DiffRng *r)
{
    uint32_t op = pick(r, 16), s = (op >= 8 && op <= 11) ? 1 : pick(r, 2);
    return dp_sbz(cond(r) << 28 | op << 21 | s << 20 | reg(r) << 16 | reg(r) << 12 |
                  pick(r, 32) << 7 | pick(r, 4) << 5 | reg(r));
}

static uint32_t a32_dp_rsr(DiffRng *r)
{
    uint32_t op = pick(r, 16), s = (op >= 8 && op <= 11) ? 1 : pick(r, 2);
    return dp_sbz(cond(r) << 28 | op << 21 | s << 20 | reg(r) << 16 | reg(r) << 12 |
                  reg(r) << 8 | pick(r, 4) << 5 | 1u << 4 | reg(r));
}

static uint32_t a32_mul(DiffRng *r)
{
    static const uint32_t ops[] = { 0, 1, 3, 2, 4, 5, 6, 7 };
    uint32_t op = ops[pick(r, 8)], s = (op == 2 || op == 3) ? 0 : pick(r, 2);
    uint32_t hi = reg(r), lo = reg(r);
    if (op >= 2 && op != 3 && lo == hi) {
        lo = (hi + 1) % 13;
    }
    if (op == 0) {
        lo = 0;                                                 /* MUL: Ra should be zero */
    }
    return cond(r) << 28 | op << 21 | s << 20 | hi << 16 | lo << 12 | reg(r) << 8 | 0x90 | reg(r);
}

static uint32_t a32_movw_movt(DiffRng *r)
{
    return cond(r) << 28 | (pick(r, 2) ? 0x03400000u : 0x03000000u) | pick(r, 16) << 16 |
           reg(r) << 12 | pick(r, 4096);
}

static uint32_t a32_misc(DiffRng *r)
{
    uint32_t c = cond(r) << 28, d = reg(r), n = reg(r), m = reg(r), a = reg(r);
    switch (pick(r, 6)) {
    case 0: return c | 0x016f0f10 | d << 12 | m;                            /* CLZ */
    case 1: return c | 0x01000050 | pick(r, 4) << 21 | n << 16 | d << 12 | m; /* QADD.. */
    case 2: return c | 0x01000080 | d << 16 | a << 12 | m << 8 | pick(r, 4) << 5 | n; /* SMLAxy */
    case 3: {
        uint32_t smulw = pick(r, 2);
        return c | 0x01200080 | d << 16 | (smulw ? 0 : a) << 12 | m << 8 | pick(r, 2) << 6 |
               smulw << 5 | n;                                              /* SMLAW/SMULW */
    }
    case 4: if (a == d) a = (d + 1) % 13;
            return c | 0x01400080 | d << 16 | a << 12 | m << 8 | pick(r, 4) << 5 | n; /* SMLALxy */
    default: return c | 0x01600080 | d << 16 | m << 8 | pick(r, 4) << 5 | n; /* SMULxy */
    }
}

static uint32_t a32_media1(DiffRng *r)
{
    static const uint32_t pre[] = { 1, 2, 3, 5, 6, 7 }, pop[] = { 0, 1, 2, 3, 4, 7 };
    static const uint32_t ext[] = { 0, 2, 3, 4, 6, 7 };
    uint32_t c = cond(r) << 28, d = reg(r), n = reg(r), m = reg(r);
    switch (pick(r, 7)) {
    case 0: return c | 0x06000f10 | pre[pick(r, 6)] << 20 | n << 16 | d << 12 | pop[pick(r, 6)] << 5 | m;
    case 1: return c | 0x06800010 | n << 16 | d << 12 | pick(r, 32) << 7 | pick(r, 2) << 6 | m; /* PKH */
    case 2: return c | 0x06a00010 | pick(r, 2) << 22 | pick(r, 32) << 16 | d << 12 |
                   pick(r, 32) << 7 | pick(r, 2) << 6 | m;                 /* SSAT/USAT */
    case 3: return c | 0x06a00f30 | pick(r, 2) << 22 | pick(r, 16) << 16 | d << 12 | m; /* *SAT16 */
    case 4: return c | 0x06800070 | ext[pick(r, 6)] << 20 | (pick(r, 3) ? n : 15) << 16 |
                   d << 12 | pick(r, 4) << 10 | m;                          /* SXT/UXT */
    case 5: return c | 0x06800fb0 | n << 16 | d << 12 | m;                  /* SEL */
    default: {
        static const uint32_t rev[] = { 0x06bf0f30, 0x06bf0fb0, 0x06ff0f30, 0x06ff0fb0 };
        return c | rev[pick(r, 4)] | d << 12 | m;
    }
    }
}

static uint32_t a32_media2(DiffRng *r)
{
    uint32_t c = cond(r) << 28, d = reg(r), n = reg(r), m = reg(r), a = reg(r);
    uint32_t lsb = pick(r, 32), w = pick(r, 32 - lsb);
    switch (pick(r, 7)) {
    case 0: return c | 0x07800010 | d << 16 | (pick(r, 2) ? a : 15) << 12 | m << 8 | n; /* USAD8 */
    case 1: return c | 0x07000010 | d << 16 | (pick(r, 2) ? a : 15) << 12 | m << 8 |
                   pick(r, 4) << 5 | n;                                     /* SMLAD.. */
    case 2: if (a == d) a = (d + 1) % 13;
            return c | 0x07400010 | d << 16 | a << 12 | m << 8 | pick(r, 4) << 5 | n; /* SMLALD.. */
    case 3: {
        uint32_t op = pick(r, 2) ? 0 : 3;                                    /* SMMLA/SMMLS */
        return c | 0x07500010 | d << 16 | (op || pick(r, 2) ? a : 15) << 12 | m << 8 |
               op << 6 | pick(r, 2) << 5 | n;
    }
    case 4: return c | 0x0710f010 | pick(r, 2) << 21 | d << 16 | m << 8 | n; /* SDIV/UDIV */
    case 5: return c | (pick(r, 2) ? 0x07a00050u : 0x07e00050u) | w << 16 | d << 12 | lsb << 7 | n;
    default: return c | 0x07c00010 | (lsb + w) << 16 | d << 12 | lsb << 7 |
                    (pick(r, 4) ? n : 15);                                  /* BFI/BFC */
    }
}

static uint32_t a32_psr(DiffRng *r)
{
    uint32_t c = cond(r) << 28;
    if (pick(r, 2)) {
        return c | 0x010f0000 | reg(r) << 12;                               /* MRS */
    }
    uint32_t mask = (pick(r, 3) + 1) << 2;                                  /* nzcvq, g, both */
    return c | 0x0320f000 | mask << 16 | pick(r, 16) << 8 | pick(r, 256);   /* MSR imm */
}

/* Loads and stores relative to r13 (no writeback). */
static uint32_t a32_ldst(DiffRng *r)
{
    uint32_t c = cond(r) << 28, t = reg(r), u = pick(r, 2);
    switch (pick(r, 4)) {
    case 0:                                                                  /* LDR/STR(B) imm */
        return c | 0x05000000 | u << 23 | pick(r, 2) << 22 | pick(r, 2) << 20 | 13 << 16 |
               t << 12 | pick(r, 1024);
    case 1: {                                                                /* H, SB, SH */
        static const uint32_t sh[] = { 0x10b0, 0x00b0, 0x10d0, 0x10f0 };
        uint32_t k = sh[pick(r, 4)], imm = pick(r, 256);
        return c | 0x01400000 | u << 23 | (k & 0x1000) << 8 | 13 << 16 | t << 12 |
               (imm >> 4) << 8 | (k & 0xff) | (imm & 15);
    }
    case 2: {                                                                /* LDRD/STRD */
        uint32_t imm = pick(r, 64) * 4;
        t = pick(r, 6) * 2;
        return c | 0x014000d0 | u << 23 | pick(r, 2) << 5 | 13 << 16 | t << 12 |
               (imm >> 4) << 8 | (imm & 15);
    }
    default: {                                                               /* LDM/STM */
        uint32_t list = (diff_rand(r) & 0x1fff) | 1u << reg(r);
        return c | 0x08000000 | pick(r, 4) << 23 | pick(r, 2) << 20 | 13 << 16 | list;
    }
    }
}

typedef uint32_t DiffGen(DiffRng *r);

static DiffGen *const a32_gens[] = {
    a32_dp_imm, a32_dp_reg, a32_dp_rsr, a32_mul, a32_movw_movt, a32_misc, a32_media1,
    a32_media2, a32_psr, a32_ldst,
};

void diff_gen_a32(DiffRng *r, DiffSeq *seq, int n)
{
    seq->n = n;
    for (int i = 0; i < n; i++) {
        seq->insn[i] = a32_gens[pick(r, sizeof(a32_gens) / sizeof(a32_gens[0]))](r);
        seq->size[i] = 4;
    }
}

/* ==== T32 ================================================================================= */

static uint32_t lo(DiffRng *r)
{
    return pick(r, 8);
}

/* 16-bit encodings (returned in the low halfword; size 2). */
static uint32_t t16_alu(DiffRng *r)
{
    switch (pick(r, 6)) {
    case 0: return pick(r, 3) << 11 | pick(r, 32) << 6 | lo(r) << 3 | lo(r);   /* shifts */
    case 1: return 0x1800 | pick(r, 4) << 9 | lo(r) << 6 | lo(r) << 3 | lo(r); /* add/sub */
    case 2: return 0x2000 | pick(r, 4) << 11 | lo(r) << 8 | pick(r, 256);      /* imm8 */
    case 3: return 0x4000 | pick(r, 16) << 6 | lo(r) << 3 | lo(r);            /* dp */
    case 4: {                                                                 /* hi regs */
        uint32_t d = reg(r), m = reg(r), op = pick(r, 3);
        return 0x4400 | op << 8 | (d >> 3) << 7 | m << 3 | (d & 7);
    }
    default: {
        static const uint32_t ops[] = { 0xb200, 0xb240, 0xb280, 0xb2c0, 0xba00, 0xba40, 0xbac0 };
        return ops[pick(r, 7)] | lo(r) << 3 | lo(r);                           /* ext, rev */
    }
    }
}

static uint32_t t16_sp(DiffRng *r)
{
    return 0x9000 | pick(r, 2) << 11 | lo(r) << 8 | pick(r, 256);             /* [sp, #imm8*4] */
}

static uint32_t t32_modimm(DiffRng *r)
{
    static const uint32_t ops[] = { 0, 1, 2, 3, 4, 8, 10, 11, 13, 14 };
    uint32_t op = ops[pick(r, 10)], s = pick(r, 2), n = reg(r), d = reg(r);
    if (pick(r, 4) == 0 && s) {
        d = 15;                                                               /* TST.. CMP */
        if (op != 0 && op != 4 && op != 8 && op != 13) d = reg(r);
    }
    if ((op == 2 || op == 3) && pick(r, 3) == 0) n = 15;                    /* MOV / MVN */
    return 0xf0000000 | pick(r, 2) << 26 | op << 21 | s << 20 | n << 16 | pick(r, 8) << 12 |
           d << 8 | pick(r, 256);
}

static uint32_t t32_shreg(DiffRng *r)
{
    static const uint32_t ops[] = { 0, 1, 2, 3, 4, 8, 10, 11, 13, 14 };
    uint32_t op = ops[pick(r, 10)], n = ((op == 2 || op == 3) && pick(r, 3) == 0) ? 15 : reg(r);
    return 0xea000000 | op << 21 | pick(r, 2) << 20 | n << 16 | pick(r, 8) << 12 | reg(r) << 8 |
           pick(r, 4) << 6 | pick(r, 4) << 4 | reg(r);
}

static uint32_t t32_plain(DiffRng *r)
{
    uint32_t d = reg(r), n = reg(r), imm3 = pick(r, 8), imm2 = pick(r, 4);
    uint32_t lsb = imm3 << 2 | imm2, w = pick(r, 32 - lsb);
    switch (pick(r, 6)) {
    case 0: return 0xf2000000 | pick(r, 2) << 26 | (pick(r, 2) ? 0 : 10) << 20 | n << 16 |
                   imm3 << 12 | d << 8 | pick(r, 256);                        /* ADDW/SUBW */
    case 1: return 0xf2400000 | pick(r, 2) << 26 | (pick(r, 2) ? 0 : 8) << 20 | pick(r, 16) << 16 |
                   imm3 << 12 | d << 8 | pick(r, 256);                        /* MOVW/MOVT */
    case 2: return 0xf3000000 | pick(r, 2) << 23 | pick(r, 2) << 21 | n << 16 | imm3 << 12 |
                   d << 8 | imm2 << 6 | pick(r, 32);                          /* SSAT/USAT */
    case 3: return 0xf3200000 | pick(r, 2) << 23 | n << 16 | d << 8 | pick(r, 16); /* *SAT16 */
    case 4: return (pick(r, 2) ? 0xf3400000u : 0xf3c00000u) | n << 16 | imm3 << 12 | d << 8 |
                   imm2 << 6 | w;                                            /* SBFX/UBFX */
    default: return 0xf3600000 | (pick(r, 4) ? n : 15) << 16 | imm3 << 12 | d << 8 | imm2 << 6 |
                    (lsb + w);                                               /* BFI/BFC */
    }
}

static uint32_t t32_reg(DiffRng *r)
{
    static const uint32_t pop[] = { 0, 1, 2, 4, 5, 6 }, ext[] = { 0, 1, 2, 3, 4, 5 };
    uint32_t d = reg(r), n = reg(r), m = reg(r);
    switch (pick(r, 5)) {
    case 0: return 0xfa00f000 | pick(r, 4) << 21 | pick(r, 2) << 20 | n << 16 | d << 8 | m;
    case 1: return 0xfa00f080 | ext[pick(r, 6)] << 20 | (pick(r, 3) ? n : 15) << 16 | d << 8 |
                   pick(r, 4) << 4 | m;
    case 2: return 0xfa80f000 | pop[pick(r, 6)] << 20 | n << 16 | d << 8 | pick(r, 2) << 6 |
                   pick(r, 3) << 4 | m;
    case 3: {
        uint32_t op1 = pick(r, 4), op2 = op1 >= 2 ? 0 : pick(r, 4);
        if (op1 == 1 || op1 == 3) n = m;                                     /* Rm twice */
        return 0xfa80f080 | op1 << 20 | n << 16 | d << 8 | op2 << 4 | m;
    }
    default: return 0xfa00f000 | pick(r, 4) << 21 | n << 16 | d << 8 | m;
    }
}

static uint32_t t32_mul(DiffRng *r)
{
    uint32_t d = reg(r), n = reg(r), m = reg(r), a = pick(r, 3) ? reg(r) : 15;
    switch (pick(r, 9)) {
    case 0: return 0xfb000000 | n << 16 | a << 12 | d << 8 | (a == 15 ? 0 : pick(r, 2)) << 4 | m;
    case 1: return 0xfb100000 | n << 16 | a << 12 | d << 8 | pick(r, 4) << 4 | m;
    case 2: return (pick(r, 2) ? 0xfb200000u : 0xfb400000u) | n << 16 | a << 12 | d << 8 |
                   pick(r, 2) << 4 | m;                                       /* SMLAD/SMLSD */
    case 3: return 0xfb300000 | n << 16 | a << 12 | d << 8 | pick(r, 2) << 4 | m;
    case 4: return 0xfb500000 | n << 16 | a << 12 | d << 8 | pick(r, 2) << 4 | m; /* SMMLA */
    case 6: return 0xfb600000 | n << 16 | (a == 15 ? reg(r) : a) << 12 | d << 8 |
                   pick(r, 2) << 4 | m;                                       /* SMMLS */
    case 5: return 0xfb700000 | n << 16 | a << 12 | d << 8 | m;
    default: {
        static const uint32_t forms[] = { 0x000, 0x1f0, 0x200, 0x3f0, 0x400, 0x480, 0x4c0,
                                          0x5c0, 0x600, 0x660 };
        uint32_t f = forms[pick(r, 10)], hi = reg(r), l = reg(r);
        if (l == hi) l = (hi + 1) % 13;
        if (f == 0x480 || f == 0x4c0 || f == 0x5c0) f |= pick(r, f == 0x480 ? 4 : 2) << 4;
        if (f == 0x1f0 || f == 0x3f0) l = 15;
        return 0xfb800000 | (f >> 8) << 20 | n << 16 | l << 12 | hi << 8 | ((f >> 4) & 0xf) << 4 | m;
    }
    }
}

static uint32_t t32_ldst(DiffRng *r)
{
    uint32_t t = reg(r), size = pick(r, 3), load = pick(r, 2), sign = load && size < 2 && pick(r, 2);
    if (pick(r, 2)) {                                                      /* imm12 */
        return 0xf8800000 | sign << 24 | size << 21 | load << 20 | 13 << 16 | t << 12 |
               pick(r, 1024);
    }
    return 0xf8000c00 | sign << 24 | size << 21 | load << 20 | 13 << 16 | t << 12 |
           pick(r, 256);                                                    /* negative imm8 */
}

static DiffGen *const t32_gens[] = {
    t32_modimm, t32_shreg, t32_plain, t32_reg, t32_mul, t32_ldst,
};

static uint32_t t32_simd_fp(DiffRng *r);

static bool it_allowed_gen(DiffRng *r, uint32_t *insn, uint8_t *size)
{
    if (pick(r, 8) == 0) {
        *insn = t32_simd_fp(r);
        *size = 4;
        return true;
    }
    if (pick(r, 3) == 0) {
        *insn = pick(r, 4) ? t16_alu(r) : t16_sp(r);
        *size = 2;
    } else {
        *insn = t32_gens[pick(r, sizeof(t32_gens) / sizeof(t32_gens[0]))](r);
        *size = 4;
    }
    /* no writes of PC or SP: the hi-register forms above may name r13 only as a source */
    if (*size == 2 && (*insn & 0xfc00) == 0x4400 && (*insn & 0x300) != 0x100) {
        uint32_t d = ((*insn >> 4) & 8) | (*insn & 7);
        if (d == 13) {
            *insn &= ~0x87u;                                                /* d = r0 */
        }
    }
    return true;
}

void diff_gen_t32(DiffRng *r, DiffSeq *seq, int n)
{
    int i = 0;
    while (i < n) {
        uint32_t mask = 1 + pick(r, 15);
        int len = 4 - __builtin_ctz(mask);
        if (pick(r, 5) == 0 && i + 1 + len <= DIFF_MAX_INSNS) {            /* an IT block */
            seq->insn[i] = 0xbf00 | pick(r, 14) << 4 | mask;
            seq->size[i++] = 2;
            for (int k = 0; k < len; k++, i++) {
                it_allowed_gen(r, &seq->insn[i], &seq->size[i]);
            }
            continue;
        }
        it_allowed_gen(r, &seq->insn[i], &seq->size[i]);
        i++;
    }
    seq->n = i;
}

/* ==== VFP (A32 encodings) ================================================================== */

static uint32_t vregs(DiffRng *r, uint32_t sz)
{
    /* D:Vd, N:Vn, M:Vm fields at random (D16-D31 for doubles, S0-S31 for singles) */
    (void)sz;
    return pick(r, 2) << 22 | pick(r, 16) << 16 | pick(r, 16) << 12 | pick(r, 2) << 7 |
           pick(r, 2) << 5 | pick(r, 16);
}

static uint32_t vfp_arith(DiffRng *r)
{
    static const uint32_t opc1[] = { 0x000000, 0x100000, 0x200000, 0x300000, 0x800000,
                                     0x900000, 0xa00000 };
    uint32_t o = opc1[pick(r, 7)], sz = pick(r, 2), op = o == 0x800000 ? 0 : pick(r, 2);
    return cond(r) << 28 | 0x0e000a00 | o | sz << 8 | op << 6 | vregs(r, sz);
}

static uint32_t vfp_other(DiffRng *r)
{
    uint32_t c = cond(r) << 28 | 0x0eb00a40, sz = pick(r, 2), v = vregs(r, sz) & ~0xf0080u;
    switch (pick(r, 10)) {
    case 0: return (c & ~0x40u) | sz << 8 | pick(r, 16) << 16 | (v & 0x40f000u) | pick(r, 16);
    case 1: return c | sz << 8 | pick(r, 2) << 7 | v;                     /* VMOV/VABS */
    case 2: return c | 1 << 16 | sz << 8 | pick(r, 2) << 7 | v;           /* VNEG/VSQRT */
    case 3: return c | 4 << 16 | sz << 8 | pick(r, 2) << 7 | v;           /* VCMP(E) */
    case 4: return c | 5 << 16 | sz << 8 | pick(r, 2) << 7 | (v & ~0x2fu); /* VCMP #0 */
    case 5: return c | 7 << 16 | sz << 8 | 1 << 7 | v;                    /* VCVT s<->d */
    case 6: return c | 8 << 16 | sz << 8 | pick(r, 2) << 7 | v;           /* int -> float */
    case 7: return c | (12 + pick(r, 2)) << 16 | sz << 8 | pick(r, 2) << 7 | v; /* -> int */
    case 8: {                                                              /* fixed point */
        uint32_t sx = pick(r, 2), imm5 = pick(r, sx ? 32 : 16);
        return c | (10 + pick(r, 2) * 4 + pick(r, 2)) << 16 | sz << 8 | sx << 7 |
               (imm5 & 1) << 5 | imm5 >> 1 | (v & 0x40f000u);
    }
    default: return c | (2 + pick(r, 2)) << 16 | pick(r, 2) << 7 | v;     /* VCVTB/T */
    }
}

/* VMOV core <-> scalar: opc1:opc2 = 1xxx (8-bit), 0xx1 (16-bit), 0x00 (32-bit); U only
 * for scalar to core of 8/16 bits. */
static uint32_t vmov_scalar_gen(DiffRng *r, uint32_t c, uint32_t t)
{
    static const uint32_t opcs[] = { 8, 9, 10, 11, 12, 13, 14, 15, 1, 3, 5, 7, 0, 4 };
    uint32_t opc = opcs[pick(r, 14)], to_core = pick(r, 2);
    uint32_t u = to_core && (opc & 9) ? pick(r, 2) : 0;
    return c | 0x0e000b10 | u << 23 | (opc >> 2) << 21 | to_core << 20 | pick(r, 16) << 16 |
           t << 12 | pick(r, 2) << 7 | (opc & 3) << 5;
}

static uint32_t vfp_move(DiffRng *r)
{
    uint32_t c = cond(r) << 28, t = reg(r);
    switch (pick(r, 6)) {
    case 0: return c | 0x0ef1fa10;                                         /* VMRS APSR */
    case 1: return c | 0x0e000a10 | pick(r, 2) << 20 | pick(r, 16) << 16 | t << 12 |
                   pick(r, 2) << 7;                                        /* core <-> S */
    case 2: {
        uint32_t t2 = reg(r);
        if (t2 == t) t2 = (t + 1) % 13;
        return c | 0x0c400a10 | pick(r, 2) << 20 | t2 << 16 | t << 12 | pick(r, 2) << 8 |
               pick(r, 2) << 5 | pick(r, 15);                              /* two core */
    }
    case 3: return pick(r, 2) ? (c | 0x0ef10a10 | t << 12)                 /* VMRS FPSCR */
                              : vmov_scalar_gen(r, c, t);
    case 4: return c | 0x0e800b10 | pick(r, 2) << 22 | pick(r, 2) << 21 |
                   (pick(r, 16) & ~1u) << 16 | t << 12 | pick(r, 2) << 5;  /* VDUP */
    default: return c | 0x0d000a00 | pick(r, 2) << 23 | pick(r, 2) << 22 | pick(r, 2) << 20 |
                    13 << 16 | pick(r, 16) << 12 | pick(r, 2) << 8 | pick(r, 256); /* VLDR */
    }
}

void diff_gen_vfp(DiffRng *r, DiffSeq *seq, int n)
{
    static DiffGen *const gens[] = { vfp_arith, vfp_arith, vfp_other, vfp_move, a32_dp_imm };
    seq->n = n;
    for (int i = 0; i < n; i++) {
        seq->insn[i] = gens[pick(r, 5)](r);
        seq->size[i] = 4;
    }
}

/* ==== Advanced SIMD data processing (A32 encodings) ========================================== */

/* D/Q register fields: Q forms use even registers. */
static uint32_t nregs(DiffRng *r, uint32_t q)
{
    uint32_t d = pick(r, 32), n = pick(r, 32), m = pick(r, 32);
    if (q) {
        d &= ~1u;
        n &= ~1u;
        m &= ~1u;
    }
    return (d >> 4) << 22 | (d & 15) << 12 | (n >> 4) << 7 | (n & 15) << 16 | (m >> 4) << 5 |
           (m & 15);
}

static uint32_t neon_3same_gen(DiffRng *r)
{
    uint32_t q = pick(r, 2);
    return 0xf2000000 | pick(r, 2) << 24 | pick(r, 4) << 20 | pick(r, 16) << 8 | q << 6 |
           pick(r, 2) << 4 | nregs(r, q);
}

static uint32_t neon_imm_gen(DiffRng *r)
{
    uint32_t q = pick(r, 2), v = nregs(r, q) & 0x0040f000u;
    return 0xf2800010 | pick(r, 2) << 24 | pick(r, 8) << 16 | pick(r, 16) << 8 | q << 6 |
           pick(r, 2) << 5 | pick(r, 16) | v;
}

static uint32_t neon_shift_gen(DiffRng *r)
{
    uint32_t q = pick(r, 2), l = pick(r, 4) == 0, imm6 = 8 + pick(r, 56), op = pick(r, 11);
    if (pick(r, 8) == 0) {
        op = 14 + pick(r, 2);                                         /* VCVT fixed */
        imm6 = 32 + pick(r, 32);
    }
    if (op >= 8) {
        l = 0;
        if (op == 10) q = 0;
    }
    return 0xf2800010 | pick(r, 2) << 24 | imm6 << 16 | op << 8 | l << 7 | q << 6 |
           (nregs(r, q && (op < 8 || op >= 14)) & ~0xf0080u);
}

/* (Unicorn executes VQDMLAL/VQDMLSL/VQDMULL with U=1, which the ARM ARM's table A7-10
 * leaves UNDEFINED: those encodings are not generated; tests/guest/arm/neon.S checks them.) */
static uint32_t neon_3diff_gen(DiffRng *r)
{
    uint32_t op = pick(r, 15), u = (op == 9 || op == 11 || op == 13) ? 0 : pick(r, 2);
    return 0xf2800000 | u << 24 | pick(r, 3) << 20 | op << 8 | pick(r, 2) << 6 |
           (nregs(r, 0) & ~0x40u);
}

static uint32_t neon_misc_gen(DiffRng *r)
{
    uint32_t q = pick(r, 2), v = nregs(r, q) & ~0xf0080u;
    if (((v >> 12) & 15) == (v & 15) && ((v >> 22) & 1) == ((v >> 5) & 1)) {
        v ^= 2;                         /* Vd = Vm is UNPREDICTABLE for VSWP/VTRN/VUZP/VZIP */
    }
    switch (pick(r, 4)) {
    case 0: {
        /* not generated (not implemented): VCVT.F16 (A=10, B=11x00) */
        uint32_t a = pick(r, 4), b = pick(r, 16);
        if (a == 3) b |= 0x8;
        if (a == 2 && b >= 0xc) b &= 7;
        return 0xf3b00000 | pick(r, 4) << 18 | a << 16 | b << 7 | q << 6 | v;
    }
    case 1: return 0xf2b00000 | (nregs(r, q) & ~0) | pick(r, q ? 16 : 8) << 8 | q << 6;  /* VEXT */
    case 2: return 0xf3b00800 | (nregs(r, 0) & ~0x40u) | pick(r, 4) << 8 | pick(r, 2) << 6;
    default: {                                                                  /* VDUP */
        static const uint32_t imm4[] = { 1, 3, 5, 7, 9, 11, 13, 15, 2, 6, 10, 14, 4, 12 };
        return 0xf3b00c00 | imm4[pick(r, 14)] << 16 | q << 6 | v;
    }
    }
}

/* VLDn/VSTn relative to r13, without writeback or by the transfer size. */
static uint32_t neon_ldst_gen(DiffRng *r)
{
    uint32_t d = pick(r, 24), rm = pick(r, 2) ? 15 : 13;     /* lists past D31: UNPREDICTABLE */
    uint32_t base = 0xf4000000 | (d >> 4) << 22 | 13 << 16 | (d & 15) << 12 | rm;
    switch (pick(r, 3)) {
    case 0: return base | pick(r, 2) << 21 | pick(r, 11) << 8 | pick(r, 4) << 6 | pick(r, 4) << 4;
    case 1: return base | 1 << 23 | pick(r, 2) << 21 | pick(r, 3) << 10 | pick(r, 4) << 8 |
                   pick(r, 16) << 4;
    default: return base | 1 << 23 | 1 << 21 | 3 << 10 | pick(r, 4) << 8 | pick(r, 4) << 6 |
                    pick(r, 4) << 4;
    }
}

void diff_gen_neon(DiffRng *r, DiffSeq *seq, int n)
{
    static DiffGen *const gens[] = { neon_3same_gen, neon_3same_gen, neon_imm_gen,
                                     neon_shift_gen, neon_misc_gen, neon_ldst_gen,
                                     neon_3diff_gen };
    seq->n = n;
    for (int i = 0; i < n; i++) {
        seq->insn[i] = gens[pick(r, 7)](r);
        seq->size[i] = 4;
    }
}

/* T32 forms of VFP (the A32 encoding with 1110 in place of the condition) and Advanced
 * SIMD (A32 1111 001U -> T32 111U 1111; 1111 0100 -> 1111 1001). */
static uint32_t t32_simd_fp(DiffRng *r)
{
    static DiffGen *const vfp[] = { vfp_arith, vfp_other, vfp_move };
    static DiffGen *const neon[] = { neon_3same_gen, neon_imm_gen, neon_shift_gen,
                                     neon_misc_gen, neon_3diff_gen, neon_ldst_gen };
    if (pick(r, 2)) {
        uint32_t v = vfp[pick(r, 3)](r);
        return (v & 0x0fffffffu) | 0xe0000000u;
    }
    uint32_t n = neon[pick(r, 6)](r);
    if ((n >> 24) == 0xf4) {
        /* no writeback: an unaligned SP would make later VLDRs fault, which Unicorn does
         * not do (ARM ARM A3.2.1: VLDR/VSTR/VLDM/VSTM always check word alignment;
         * tests/guest/arm/vfp.S) */
        return (n & 0x00fffff0u) | 0xf900000fu;
    }
    return (n & 0x00ffffffu) | 0xef000000u | ((n >> 24) & 1) << 28;
}

/* ==== Branch diamonds (translate-ifconv.c) ================================================= */

/* Appends n random instructions (no IT block cut by the end) to seq. */
static void append_random(DiffRng *r, DiffSeq *seq, int n, bool thumb)
{
    DiffSeq tmp;
    do {
        if (thumb) {
            diff_gen_t32(r, &tmp, n);
        } else {
            diff_gen_a32(r, &tmp, n);
        }
    } while (tmp.n != n);
    for (int i = 0; i < n; i++) {
        seq->insn[seq->n] = tmp.insn[i];
        seq->size[seq->n++] = tmp.size[i];
    }
}

static uint32_t seq_offset(const DiffSeq *seq, int upto)
{
    uint32_t off = 0;
    for (int i = 0; i < upto; i++) {
        off += seq->size[i];
    }
    return off;
}

/* The branch at index at (a placeholder until now) to the instruction at index to. */
static void set_branch(DiffSeq *seq, int at, int to, uint32_t cond, bool thumb)
{
    int32_t off = (int32_t)seq_offset(seq, to) - (int32_t)seq_offset(seq, at) - (thumb ? 4 : 8);
    if (!thumb) {
        seq->insn[at] = cond << 28 | 0x0a000000 | ((uint32_t)off >> 2 & 0xffffff);
    } else if (cond == 14) {
        seq->insn[at] = 0xe000 | ((uint32_t)off >> 1 & 0x7ff);
    } else {
        seq->insn[at] = 0xd000 | cond << 8 | ((uint32_t)off >> 1 & 0xff);
    }
}

static int placeholder(DiffSeq *seq, bool thumb)
{
    seq->size[seq->n] = thumb ? 2 : 4;
    return seq->n++;
}

/* prefix; B<c> T; F: ...; B E1|E2; T: ...; B<c>|B E2|E1 (falling to E1); E1: ...; E2: ... */
static void diamond_one_conditional(DiffRng *r, DiffSeq *seq, bool thumb)
{
    append_random(r, seq, (int)pick(r, 3), thumb);
    int b0 = placeholder(seq, thumb);
    append_random(r, seq, (int)pick(r, 5), thumb);
    int bf = placeholder(seq, thumb);
    int t = seq->n;
    append_random(r, seq, (int)pick(r, 5), thumb);
    int bt = placeholder(seq, thumb);
    int e1 = seq->n;
    append_random(r, seq, 1 + (int)pick(r, 2), thumb);
    int e2 = seq->n;
    append_random(r, seq, (int)pick(r, 2), thumb);
    set_branch(seq, b0, t, pick(r, 14), thumb);
    set_branch(seq, bf, pick(r, 2) ? e1 : e2, 14, thumb);
    uint32_t ct = pick(r, 3) ? pick(r, 14) : 14;
    set_branch(seq, bt, ct == 14 && pick(r, 2) ? e1 : e2, ct, thumb);
}

/* prefix; B<c> T; F: ...; B<cf> E1 (falling to E2); E2: ...; B end; T: ...; B<ct> E2
 * (falling to E1); E1: ...: both arms conditional, often on the same condition. */
static void diamond_two_conditional(DiffRng *r, DiffSeq *seq, bool thumb)
{
    append_random(r, seq, (int)pick(r, 2), thumb);
    int b0 = placeholder(seq, thumb);
    append_random(r, seq, (int)pick(r, 5), thumb);
    int bf = placeholder(seq, thumb);
    int e2 = seq->n;
    append_random(r, seq, (int)pick(r, 2), thumb);
    int b_end = placeholder(seq, thumb);
    int t = seq->n;
    append_random(r, seq, (int)pick(r, 5), thumb);
    int bt = placeholder(seq, thumb);
    int e1 = seq->n;
    append_random(r, seq, 1 + (int)pick(r, 2), thumb);
    uint32_t cf = pick(r, 14), ct = pick(r, 2) ? cf ^ 1 : pick(r, 14);
    set_branch(seq, b0, t, pick(r, 14), thumb);
    set_branch(seq, bf, e1, cf, thumb);
    set_branch(seq, b_end, seq->n, 14, thumb);
    set_branch(seq, bt, e2, ct, thumb);
}

/* A conditional branch whose two short arms reach at most two places, each of which
 * runs to the end: the shape the translator may compute both arms of and select between
 * (or translate as plain branches when it cannot). */
void diff_gen_diamond(DiffRng *r, DiffSeq *seq, bool thumb)
{
    seq->n = 0;
    if (pick(r, 2)) {
        diamond_one_conditional(r, seq, thumb);
    } else {
        diamond_two_conditional(r, seq, thumb);
    }
}
