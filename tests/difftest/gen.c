/* Instruction-sequence generator of the x86 differential tester: a table of instruction
 * templates (opcode, operand form, immediate, operand sizes, flags read / written / left
 * undefined), encoded with random registers, memory operands ([base+disp], SIB,
 * RIP-relative; 16-bit forms in 16-bit mode), prefixes (66, REX, REX.W, mandatory F2/F3),
 * immediates biased to boundary values, and set-up instructions where an operand must stay
 * in range (shift counts, REP counts). Flags left undefined by one instruction are never
 * read by a later one, and are masked at the end. Deterministic for (seed, n, mode). */
#include <stdio.h>
#include <string.h>
#include "target-i386/avx.h"
#include "tests/difftest/difftest.h"

enum { CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800, ARITH = 0x8d5 };
enum { FM_NONE, FM_RM, FM_GRP, FM_OPREG };
enum { S8 = 1, S16 = 2, S32 = 4, S64 = 8, SV = S16 | S32 | S64, S3264 = S32 | S64 };
enum { M_REG = 1, M_MEM = 2, M_ANY = 3 };
enum { MD16 = 1, MD32 = 2, MD64 = 4, MDALL = 7, MDLEG = 3 };
enum { IMM_Z = -1, IMM_V = -2 };
enum { SU_NONE, SU_CL, SU_CL16, SU_CX, SU_JCC8, SU_JCC32, SU_PAIR };

typedef struct Tmpl {
    const char *name;
    uint8_t pfx;                /* mandatory prefix (66/F2/F3) or 0 */
    uint8_t op[3], oplen;
    uint8_t form, ext, mem;
    int8_t imm;                 /* bytes, or IMM_Z / IMM_V */
    uint8_t sizes, modes, setup;
    uint16_t reads, writes, undef;
    uint8_t second[4], second_len;  /* SU_PAIR: a fixed instruction after this one */
    bool reg_wide;              /* the reg operand is not 8-bit although the size is */
    uint8_t vex_map;            /* VEX-encoded (1 0F, 2 0F38, 3 0F3A; pfx gives pp), or 0 */
    bool vex_v;                 /* VEX.vvvv names a register (else 1111b) */
    bool vec;                   /* AVX: vector registers, VEX.L from lmask, VEX.W = wbit */
    uint8_t lmask, wbit;        /* allowed VEX.L (bit 0: L0, bit 1: L1) */
} Tmpl;

#define MAX_TMPL 1024
static Tmpl tmpl[MAX_TMPL];
static int ntmpl;

static Tmpl *add(const char *name, const uint8_t *op, int oplen, int form, int ext, int mem,
                 int imm, int sizes, int modes, int reads, int writes, int undef)
{
    Tmpl *t = &tmpl[ntmpl++];
    *t = (Tmpl){ .name = name, .oplen = (uint8_t)oplen, .form = (uint8_t)form,
                 .ext = (uint8_t)ext, .mem = (uint8_t)mem, .imm = (int8_t)imm,
                 .sizes = (uint8_t)sizes, .modes = (uint8_t)modes, .reads = (uint16_t)reads,
                 .writes = (uint16_t)writes, .undef = (uint16_t)undef };
    memcpy(t->op, op, (size_t)oplen);
    return t;
}

#define OP1(a) (const uint8_t[]){ a }, 1
#define OP2(a, b) (const uint8_t[]){ a, b }, 2
#define OP3(a, b, c) (const uint8_t[]){ a, b, c }, 3

/* Flags read by condition code cc (Jcc/SETcc/CMOVcc low nibble). */
static int cond_reads(int cc)
{
    static const int r[8] = { OF, CF, ZF, CF | ZF, SF, PF, SF | OF, SF | OF | ZF };
    return r[cc >> 1];
}

static void add_alu(void)
{
    static const char *names[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
    for (int op = 0; op < 8; op++) {
        int reads = (op == 2 || op == 3) ? CF : 0;
        int undef = (op == 1 || op == 4 || op == 6) ? AF : 0;
        uint8_t b = (uint8_t)(op * 8);
        add(names[op], OP1(b), FM_RM, 0, M_ANY, 0, S8, MDALL, reads, ARITH, undef);
        add(names[op], OP1(b + 1), FM_RM, 0, M_ANY, 0, SV, MDALL, reads, ARITH, undef);
        add(names[op], OP1(b + 2), FM_RM, 0, M_ANY, 0, S8, MDALL, reads, ARITH, undef);
        add(names[op], OP1(b + 3), FM_RM, 0, M_ANY, 0, SV, MDALL, reads, ARITH, undef);
        add(names[op], OP1(b + 4), FM_NONE, 0, 0, 1, S8, MDALL, reads, ARITH, undef);
        add(names[op], OP1(b + 5), FM_NONE, 0, 0, IMM_Z, SV, MDALL, reads, ARITH, undef);
        add(names[op], OP1(0x80), FM_GRP, op, M_ANY, 1, S8, MDALL, reads, ARITH, undef);
        add(names[op], OP1(0x81), FM_GRP, op, M_ANY, IMM_Z, SV, MDALL, reads, ARITH, undef);
        add(names[op], OP1(0x83), FM_GRP, op, M_ANY, 1, SV, MDALL, reads, ARITH, undef);
    }
}

static void add_grp3_incdec(void)
{
    for (int w = 0; w < 2; w++) {
        int sz = w ? SV : S8;
        uint8_t f6 = (uint8_t)(0xf6 + w), fe = (uint8_t)(0xfe + w);
        add("test", OP1(0x84 + w), FM_RM, 0, M_ANY, 0, sz, MDALL, 0, ARITH, AF);
        add("test", OP1(0xa8 + w), FM_NONE, 0, 0, w ? IMM_Z : 1, sz, MDALL, 0, ARITH, AF);
        add("test", OP1(f6), FM_GRP, 0, M_ANY, w ? IMM_Z : 1, sz, MDALL, 0, ARITH, AF);
        add("not", OP1(f6), FM_GRP, 2, M_ANY, 0, sz, MDALL, 0, 0, 0);
        add("neg", OP1(f6), FM_GRP, 3, M_ANY, 0, sz, MDALL, 0, ARITH, 0);
        add("mul", OP1(f6), FM_GRP, 4, M_ANY, 0, sz, MDALL, 0, ARITH, SF | ZF | AF | PF);
        add("imul", OP1(f6), FM_GRP, 5, M_ANY, 0, sz, MDALL, 0, ARITH, SF | ZF | AF | PF);
        add("div", OP1(f6), FM_GRP, 6, M_ANY, 0, sz, MDALL, 0, ARITH, ARITH);
        add("idiv", OP1(f6), FM_GRP, 7, M_ANY, 0, sz, MDALL, 0, ARITH, ARITH);
        add("inc", OP1(fe), FM_GRP, 0, M_ANY, 0, sz, MDALL, 0, ARITH & ~CF, 0);
        add("dec", OP1(fe), FM_GRP, 1, M_ANY, 0, sz, MDALL, 0, ARITH & ~CF, 0);
    }
    add("imul", OP2(0x0f, 0xaf), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, ARITH, SF | ZF | AF | PF);
    add("imul", OP1(0x69), FM_RM, 0, M_ANY, IMM_Z, SV, MDALL, 0, ARITH, SF | ZF | AF | PF);
    add("imul", OP1(0x6b), FM_RM, 0, M_ANY, 1, SV, MDALL, 0, ARITH, SF | ZF | AF | PF);
}

static void add_shifts(void)
{
    static const char *names[8] = { "rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar" };
    for (int e = 0; e < 8; e++) {
        int reads = (e == 2 || e == 3) ? CF : 0;
        int writes = e < 4 ? (CF | OF) : ARITH, undef = e < 4 ? OF : (OF | AF);
        for (int w = 0; w < 2; w++) {
            /* 8/16-bit shifts by >= the width leave CF undefined */
            int sz = w ? SV : S8, u = undef | (e >= 4 ? CF : 0);
            add(names[e], OP1(0xc0 + w), FM_GRP, e, M_ANY, 1, sz, MDALL, reads, writes, u);
            add(names[e], OP1(0xd0 + w), FM_GRP, e, M_ANY, 0, sz, MDALL, reads, writes,
                undef & ~OF);
            add(names[e], OP1(0xd2 + w), FM_GRP, e, M_ANY, 0, sz, MDALL, reads, writes, u)
                ->setup = SU_CL;
        }
    }
    add("shld", OP2(0x0f, 0xa4), FM_RM, 0, M_ANY, 1, SV, MDALL, 0, ARITH, OF | AF | CF);
    add("shld", OP2(0x0f, 0xa5), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, ARITH, OF | AF | CF)
        ->setup = SU_CL16;
    add("shrd", OP2(0x0f, 0xac), FM_RM, 0, M_ANY, 1, SV, MDALL, 0, ARITH, OF | AF | CF);
    add("shrd", OP2(0x0f, 0xad), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, ARITH, OF | AF | CF)
        ->setup = SU_CL16;
}

static void add_bits(void)
{
    static const uint8_t bt[4] = { 0xa3, 0xab, 0xb3, 0xbb };
    for (int i = 0; i < 4; i++) {
        add("bt*", OP2(0x0f, bt[i]), FM_RM, 0, M_REG, 0, SV, MDALL, 0, ARITH,
            ARITH & ~CF);
        add("bt* imm", OP2(0x0f, 0xba), FM_GRP, 4 + i, M_ANY, 1, SV, MDALL, 0, ARITH,
            ARITH & ~CF);
    }
    add("bsf", OP2(0x0f, 0xbc), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, ARITH, ARITH & ~ZF);
    add("bsr", OP2(0x0f, 0xbd), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, ARITH, ARITH & ~ZF);
    /* the newer extensions are checked on the host only (Unicorn's model lacks them) */
    add("tzcnt", OP2(0x0f, 0xbc), FM_RM, 0, M_ANY, 0, SV, MD64, 0, ARITH, OF | SF | AF | PF)
        ->pfx = 0xf3;
    add("lzcnt", OP2(0x0f, 0xbd), FM_RM, 0, M_ANY, 0, SV, MD64, 0, ARITH, OF | SF | AF | PF)
        ->pfx = 0xf3;
    add("popcnt", OP2(0x0f, 0xb8), FM_RM, 0, M_ANY, 0, SV, MD64, 0, ARITH, 0)->pfx = 0xf3;
    add("bswap", OP2(0x0f, 0xc8), FM_OPREG, 0, 0, 0, S3264, MDALL, 0, 0, 0);
    add("xadd", OP2(0x0f, 0xc0), FM_RM, 0, M_ANY, 0, S8, MDALL, 0, ARITH, 0);
    add("xadd", OP2(0x0f, 0xc1), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, ARITH, 0);
    add("cmpxchg", OP2(0x0f, 0xb0), FM_RM, 0, M_ANY, 0, S8, MDALL, 0, ARITH, 0);
    add("cmpxchg", OP2(0x0f, 0xb1), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, ARITH, 0);
    add("cmpxchg8b", OP2(0x0f, 0xc7), FM_GRP, 1, M_MEM, 0, S3264, MDALL, 0, ZF, 0);
    Tmpl *crc8 = add("crc32", OP3(0x0f, 0x38, 0xf0), FM_RM, 0, M_ANY, 0, S8, MD64, 0, 0, 0);
    crc8->pfx = 0xf2;
    crc8->reg_wide = true;
    add("crc32", OP3(0x0f, 0x38, 0xf1), FM_RM, 0, M_ANY, 0, SV, MD64, 0, 0, 0)->pfx = 0xf2;
    add("movbe", OP3(0x0f, 0x38, 0xf0), FM_RM, 0, M_MEM, 0, SV, MD64, 0, 0, 0);
    add("movbe", OP3(0x0f, 0x38, 0xf1), FM_RM, 0, M_MEM, 0, SV, MD64, 0, 0, 0);
    add("adcx", OP3(0x0f, 0x38, 0xf6), FM_RM, 0, M_ANY, 0, S3264, MD64, CF, CF, 0)
        ->pfx = 0x66;
    add("adox", OP3(0x0f, 0x38, 0xf6), FM_RM, 0, M_ANY, 0, S3264, MD64, OF, OF, 0)
        ->pfx = 0xf3;
}

static void add_moves(void)
{
    for (int cc = 0; cc < 16; cc++) {
        add("cmovcc", OP2(0x0f, 0x40 + cc), FM_RM, 0, M_ANY, 0, SV, MDALL, cond_reads(cc), 0, 0);
        add("setcc", OP2(0x0f, 0x90 + cc), FM_GRP, 0, M_ANY, 0, S8, MDALL, cond_reads(cc), 0, 0);
        add("jcc8", OP1(0x70 + cc), FM_NONE, 0, 0, 0, S32, MDALL, cond_reads(cc),
            ARITH & ~CF, 0)->setup = SU_JCC8;
        add("jcc32", OP2(0x0f, 0x80 + cc), FM_NONE, 0, 0, 0, S32, MD32 | MD64,
            cond_reads(cc), ARITH & ~CF, 0)->setup = SU_JCC32;
    }
    add("mov", OP1(0x88), FM_RM, 0, M_ANY, 0, S8, MDALL, 0, 0, 0);
    add("mov", OP1(0x89), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, 0, 0);
    add("mov", OP1(0x8a), FM_RM, 0, M_ANY, 0, S8, MDALL, 0, 0, 0);
    add("mov", OP1(0x8b), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, 0, 0);
    add("mov", OP1(0xc6), FM_GRP, 0, M_ANY, 1, S8, MDALL, 0, 0, 0);
    add("mov", OP1(0xc7), FM_GRP, 0, M_ANY, IMM_Z, SV, MDALL, 0, 0, 0);
    add("mov", OP1(0xb0), FM_OPREG, 0, 0, 1, S8, MDALL, 0, 0, 0);
    add("mov", OP1(0xb8), FM_OPREG, 0, 0, IMM_V, SV, MDALL, 0, 0, 0);
    add("movzx", OP2(0x0f, 0xb6), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, 0, 0);
    add("movzx", OP2(0x0f, 0xb7), FM_RM, 0, M_ANY, 0, S3264, MDALL, 0, 0, 0);
    add("movsx", OP2(0x0f, 0xbe), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, 0, 0);
    add("movsx", OP2(0x0f, 0xbf), FM_RM, 0, M_ANY, 0, S3264, MDALL, 0, 0, 0);
    add("movsxd", OP1(0x63), FM_RM, 0, M_ANY, 0, S3264, MD64, 0, 0, 0);
    add("lea", OP1(0x8d), FM_RM, 0, M_MEM, 0, SV, MDALL, 0, 0, 0);
    add("xchg", OP1(0x86), FM_RM, 0, M_ANY, 0, S8, MDALL, 0, 0, 0);
    add("xchg", OP1(0x87), FM_RM, 0, M_ANY, 0, SV, MDALL, 0, 0, 0);
    add("xchg", OP1(0x90), FM_OPREG, 0, 0, 0, SV, MDALL, 0, 0, 0);
    add("cbw", OP1(0x98), FM_NONE, 0, 0, 0, SV, MDALL, 0, 0, 0);
    add("cwd", OP1(0x99), FM_NONE, 0, 0, 0, SV, MDALL, 0, 0, 0);
    add("lahf", OP1(0x9f), FM_NONE, 0, 0, 0, S32, MDALL, ARITH & ~OF, 0, 0);
    add("sahf", OP1(0x9e), FM_NONE, 0, 0, 0, S32, MDALL, 0, ARITH & ~OF, 0);
    add("cmc", OP1(0xf5), FM_NONE, 0, 0, 0, S32, MDALL, CF, CF, 0);
    add("clc", OP1(0xf8), FM_NONE, 0, 0, 0, S32, MDALL, 0, CF, 0);
    add("stc", OP1(0xf9), FM_NONE, 0, 0, 0, S32, MDALL, 0, CF, 0);
    add("cld", OP1(0xfc), FM_NONE, 0, 0, 0, S32, MDALL, 0, 0, 0);
    add("std", OP1(0xfd), FM_NONE, 0, 0, 0, S32, MDALL, 0, 0, 0);
    add("xlat", OP1(0xd7), FM_NONE, 0, 0, 0, S32, MDALL, 0, 0, 0);
    add("nop", OP2(0x0f, 0x1f), FM_GRP, 0, M_ANY, 0, SV, MDALL, 0, 0, 0);
}

static void add_stack_string(void)
{
    static const uint8_t str[5] = { 0xa4, 0xa6, 0xaa, 0xac, 0xae };
    add("push", OP1(0x50), FM_OPREG, 0, 0, 0, S16 | S64, MD64, 0, 0, 0);
    add("pop", OP1(0x58), FM_OPREG, 0, 0, 0, S16 | S64, MD64, 0, 0, 0);
    add("push", OP1(0x50), FM_OPREG, 0, 0, 0, S16 | S32, MDLEG, 0, 0, 0);
    add("pop", OP1(0x58), FM_OPREG, 0, 0, 0, S16 | S32, MDLEG, 0, 0, 0);
    add("push", OP1(0x68), FM_NONE, 0, 0, IMM_Z, S32, MDALL, 0, 0, 0);
    add("push", OP1(0x6a), FM_NONE, 0, 0, 1, S32, MDALL, 0, 0, 0);
    add("push", OP1(0xff), FM_GRP, 6, M_MEM, 0, S32, MDLEG, 0, 0, 0);
    add("pop", OP1(0x8f), FM_GRP, 0, M_MEM, 0, S32, MDLEG, 0, 0, 0);
    for (int i = 0; i < 5; i++) {
        int w = i == 1 || i == 4 ? ARITH : 0;
        for (int k = 0; k < 2; k++) {
            int sz = k ? (SV) : S8;
            add("string", OP1(str[i] + k), FM_NONE, 0, 0, 0, sz, MDALL, 0, w, 0);
            add("rep string", OP1(str[i] + k), FM_NONE, 0, 0, 0, sz, MDALL, 0, w, 0)
                ->setup = SU_CX;
            if (w) {
                Tmpl *t = add("repne string", OP1(str[i] + k), FM_NONE, 0, 0, 0, sz, MDALL,
                              0, w, 0);
                t->setup = SU_CX;
                t->pfx = 0xf2;
            } else {
                add("rep string", OP1(str[i] + k), FM_NONE, 0, 0, 0, sz, MDALL, 0, 0, 0)
                    ->setup = SU_CX;
            }
        }
    }
    add("loop", OP1(0xe2), FM_NONE, 0, 0, 0, S32, MDALL, 0, ARITH & ~CF, 0)->setup = SU_JCC8;
    add("loope", OP1(0xe1), FM_NONE, 0, 0, 0, S32, MDALL, ZF, ARITH & ~CF, 0)->setup = SU_JCC8;
    add("loopne", OP1(0xe0), FM_NONE, 0, 0, 0, S32, MDALL, ZF, ARITH & ~CF, 0)->setup = SU_JCC8;
    add("jcxz", OP1(0xe3), FM_NONE, 0, 0, 0, S32, MDALL, 0, ARITH & ~CF, 0)->setup = SU_JCC8;
}

/* Encodings outside 64-bit mode only (checked against Unicorn). */
static void add_legacy(void)
{
    add("daa", OP1(0x27), FM_NONE, 0, 0, 0, S32, MDLEG, AF | CF, ARITH, OF);
    add("das", OP1(0x2f), FM_NONE, 0, 0, 0, S32, MDLEG, AF | CF, ARITH, OF);
    add("aaa", OP1(0x37), FM_NONE, 0, 0, 0, S32, MDLEG, AF, ARITH, OF | SF | ZF | PF);
    add("aas", OP1(0x3f), FM_NONE, 0, 0, 0, S32, MDLEG, AF, ARITH, OF | SF | ZF | PF);
    add("aam", OP1(0xd4), FM_NONE, 0, 0, 1, S32, MDLEG, 0, ARITH, OF | AF | CF);
    add("aad", OP1(0xd5), FM_NONE, 0, 0, 1, S32, MDLEG, 0, ARITH, OF | AF | CF);
    add("inc", OP1(0x40), FM_OPREG, 0, 0, 0, S16 | S32, MDLEG, 0, ARITH & ~CF, 0);
    add("dec", OP1(0x48), FM_OPREG, 0, 0, 0, S16 | S32, MDLEG, 0, ARITH & ~CF, 0);
    add("salc", OP1(0xd6), FM_NONE, 0, 0, 0, S32, MDLEG, CF, 0, 0);
    add("pusha", OP1(0x60), FM_NONE, 0, 0, 0, S16 | S32, MDLEG, 0, 0, 0);
    Tmpl *t = add("pusha+popa", OP1(0x60), FM_NONE, 0, 0, 0, S16 | S32, MDLEG, 0, 0, 0);
    t->setup = SU_PAIR;
    t->second[0] = 0x61;
    t->second_len = 1;
    add("push es", OP1(0x06), FM_NONE, 0, 0, 0, S16 | S32, MD16, 0, 0, 0);
    add("push cs", OP1(0x0e), FM_NONE, 0, 0, 0, S16 | S32, MD16, 0, 0, 0);
    add("push ss", OP1(0x16), FM_NONE, 0, 0, 0, S16 | S32, MD16, 0, 0, 0);
    add("push ds", OP1(0x1e), FM_NONE, 0, 0, 0, S16 | S32, MD16, 0, 0, 0);
    t = add("push ds+pop es", OP1(0x1e), FM_NONE, 0, 0, 0, S16, MD16, 0, 0, 0);
    t->setup = SU_PAIR;
    t->second[0] = 0x07;
    t->second_len = 1;
}

/* The VEX-encoded BMI1/BMI2 forms (64-bit mode: checked against the host). */
static void add_bmi(void)
{
    static const struct { const char *name; uint8_t map, pp, op, ext, v; uint16_t fl, un; }
    b[] = {
        { "andn", 2, 0, 0xf2, 0, 1, ARITH, AF | PF }, { "blsr", 2, 0, 0xf3, 1, 1, ARITH, AF | PF },
        { "blsmsk", 2, 0, 0xf3, 2, 1, ARITH, AF | PF }, { "blsi", 2, 0, 0xf3, 3, 1, ARITH, AF | PF },
        { "bzhi", 2, 0, 0xf5, 0, 1, ARITH, AF | PF }, { "pext", 2, 0xf3, 0xf5, 0, 1, 0, 0 },
        { "pdep", 2, 0xf2, 0xf5, 0, 1, 0, 0 }, { "mulx", 2, 0xf2, 0xf6, 0, 1, 0, 0 },
        { "bextr", 2, 0, 0xf7, 0, 1, ARITH, AF | SF | PF }, { "shlx", 2, 0x66, 0xf7, 0, 1, 0, 0 },
        { "sarx", 2, 0xf3, 0xf7, 0, 1, 0, 0 }, { "shrx", 2, 0xf2, 0xf7, 0, 1, 0, 0 },
        { "rorx", 3, 0xf2, 0xf0, 0, 0, 0, 0 },
    };
    if (!__builtin_cpu_supports("bmi") || !__builtin_cpu_supports("bmi2")) {
        printf("the host lacks BMI1/BMI2: the BMI set is skipped\n");
        return;
    }
    for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
        bool grp = b[i].ext != 0;
        Tmpl *t = add(b[i].name, OP1(b[i].op), grp ? FM_GRP : FM_RM, b[i].ext, M_ANY,
                      b[i].map == 3 ? 1 : 0, S3264, MD64, 0, b[i].fl, b[i].un);
        t->pfx = b[i].pp;
        t->vex_map = b[i].map;
        t->vex_v = b[i].v;
    }
}

/* AVX/AVX2 without an SSE form (64-bit mode, host oracle). Results reach the compared
 * data block through the case's prologue and epilogue (dt_generate). */
static void add_avx(void)
{
    static const struct { const char *name; uint8_t map, pp, op, v, l, w, imm; uint16_t fl; }
    a[] = {
        { "vmovups", 1, 0, 0x10, 0, 3, 0, 0, 0 }, { "vmovupd st", 1, 0x66, 0x11, 0, 3, 0, 0, 0 },
        { "vmovaps", 1, 0, 0x28, 0, 3, 0, 0, 0 }, { "vmovapd st", 1, 0x66, 0x29, 0, 3, 0, 0, 0 },
        { "vmovdqu", 1, 0xf3, 0x6f, 0, 3, 0, 0, 0 }, { "vmovdqa st", 1, 0x66, 0x7f, 0, 3, 0, 0, 0 },
        { "vbroadcastss", 2, 0x66, 0x18, 0, 3, 0, 0, 0 }, { "vbroadcastsd", 2, 0x66, 0x19, 0, 2, 0, 0, 0 },
        { "vpbroadcastb", 2, 0x66, 0x78, 0, 3, 0, 0, 0 }, { "vpbroadcastw", 2, 0x66, 0x79, 0, 3, 0, 0, 0 },
        { "vpbroadcastd", 2, 0x66, 0x58, 0, 3, 0, 0, 0 }, { "vpbroadcastq", 2, 0x66, 0x59, 0, 3, 0, 0, 0 },
        { "vinsertf128", 3, 0x66, 0x18, 1, 2, 0, 1, 0 }, { "vinserti128", 3, 0x66, 0x38, 1, 2, 0, 1, 0 },
        { "vextractf128", 3, 0x66, 0x19, 0, 2, 0, 1, 0 }, { "vextracti128", 3, 0x66, 0x39, 0, 2, 0, 1, 0 },
        { "vperm2f128", 3, 0x66, 0x06, 1, 2, 0, 1, 0 }, { "vperm2i128", 3, 0x66, 0x46, 1, 2, 0, 1, 0 },
        { "vpermilps", 2, 0x66, 0x0c, 1, 3, 0, 0, 0 }, { "vpermilpd", 2, 0x66, 0x0d, 1, 3, 0, 0, 0 },
        { "vpermilps i", 3, 0x66, 0x04, 0, 3, 0, 1, 0 }, { "vpermilpd i", 3, 0x66, 0x05, 0, 3, 0, 1, 0 },
        { "vpermd", 2, 0x66, 0x36, 1, 2, 0, 0, 0 }, { "vpermps", 2, 0x66, 0x16, 1, 2, 0, 0, 0 },
        { "vpermq", 3, 0x66, 0x00, 0, 2, 1, 1, 0 }, { "vpermpd", 3, 0x66, 0x01, 0, 2, 1, 1, 0 },
        { "vpblendd", 3, 0x66, 0x02, 1, 3, 0, 1, 0 }, { "vpsllvd", 2, 0x66, 0x47, 1, 3, 0, 0, 0 },
        { "vpsllvq", 2, 0x66, 0x47, 1, 3, 1, 0, 0 }, { "vpsrlvd", 2, 0x66, 0x45, 1, 3, 0, 0, 0 },
        { "vpsrlvq", 2, 0x66, 0x45, 1, 3, 1, 0, 0 }, { "vpsravd", 2, 0x66, 0x46, 1, 3, 0, 0, 0 },
        { "vtestps", 2, 0x66, 0x0e, 0, 3, 0, 0, ARITH }, { "vtestpd", 2, 0x66, 0x0f, 0, 3, 0, 0, ARITH },
        { "vzeroupper", 1, 0, 0x77, 0, 1, 0, 0, 0 }, { "vzeroall", 1, 0, 0x77, 0, 2, 0, 0, 0 },
        { "vmaskmovps", 2, 0x66, 0x2c, 1, 3, 0, 0, 0 }, { "vmaskmovpd", 2, 0x66, 0x2d, 1, 3, 0, 0, 0 },
        { "vmaskmovps st", 2, 0x66, 0x2e, 1, 3, 0, 0, 0 },
        { "vmaskmovpd st", 2, 0x66, 0x2f, 1, 3, 0, 0, 0 },
        { "vpmaskmovd", 2, 0x66, 0x8c, 1, 3, 0, 0, 0 }, { "vpmaskmovq", 2, 0x66, 0x8c, 1, 3, 1, 0, 0 },
        { "vpmaskmovd st", 2, 0x66, 0x8e, 1, 3, 0, 0, 0 },
        { "vpmaskmovq st", 2, 0x66, 0x8e, 1, 3, 1, 0, 0 },
        { "vptest", 2, 0x66, 0x17, 0, 3, 0, 0, ARITH },
        { "vmovmskps", 1, 0, 0x50, 0, 3, 0, 0, 0 }, { "vmovmskpd", 1, 0x66, 0x50, 0, 3, 0, 0, 0 },
        { "vpmovmskb", 1, 0x66, 0xd7, 0, 3, 0, 0, 0 },
        { "vmovd", 1, 0x66, 0x6e, 0, 1, 0, 0, 0 }, { "vmovq gpr", 1, 0x66, 0x6e, 0, 1, 1, 0, 0 },
        { "vmovd st", 1, 0x66, 0x7e, 0, 1, 0, 0, 0 }, { "vmovq gpr st", 1, 0x66, 0x7e, 0, 1, 1, 0, 0 },
        { "vmovq", 1, 0xf3, 0x7e, 0, 1, 0, 0, 0 }, { "vmovq st", 1, 0x66, 0xd6, 0, 1, 0, 0, 0 },
        { "vmovss", 1, 0xf3, 0x10, 1, 3, 0, 0, 0 }, { "vmovsd", 1, 0xf2, 0x10, 1, 3, 0, 0, 0 },
        { "vmovss st", 1, 0xf3, 0x11, 1, 3, 0, 0, 0 }, { "vmovsd st", 1, 0xf2, 0x11, 1, 3, 0, 0, 0 },
        { "vmovntps", 1, 0, 0x2b, 0, 3, 0, 0, 0 }, { "vmovntpd", 1, 0x66, 0x2b, 0, 3, 0, 0, 0 },
        { "vmovntdq", 1, 0x66, 0xe7, 0, 3, 0, 0, 0 }, { "vlddqu", 1, 0xf2, 0xf0, 0, 3, 0, 0, 0 },
        { "vpinsrb", 3, 0x66, 0x20, 1, 1, 0, 1, 0 }, { "vpinsrw", 1, 0x66, 0xc4, 1, 1, 0, 1, 0 },
        { "vpinsrd", 3, 0x66, 0x22, 1, 1, 0, 1, 0 }, { "vpinsrq", 3, 0x66, 0x22, 1, 1, 1, 1, 0 },
        { "vpextrb", 3, 0x66, 0x14, 0, 1, 0, 1, 0 }, { "vpextrw", 3, 0x66, 0x15, 0, 1, 0, 1, 0 },
        { "vpextrw c5", 1, 0x66, 0xc5, 0, 1, 0, 1, 0 }, { "vpextrd", 3, 0x66, 0x16, 0, 1, 0, 1, 0 },
        { "vpextrq", 3, 0x66, 0x16, 0, 1, 1, 1, 0 }, { "vextractps", 3, 0x66, 0x17, 0, 1, 0, 1, 0 },
    };
    if (!__builtin_cpu_supports("avx2")) {
        printf("the host lacks AVX2: the AVX set is skipped\n");
        return;
    }
    for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
        bool none = a[i].op == 0x77;
        bool maskmov = strstr(a[i].name, "maskmov") || strstr(a[i].name, "movnt") ||
                       strstr(a[i].name, "lddqu");
        bool reg_only = strstr(a[i].name, "movmsk") || strstr(a[i].name, " c5");
        Tmpl *t = add(a[i].name, OP1(a[i].op), none ? FM_NONE : FM_RM, 0,
                      maskmov ? M_MEM : reg_only ? M_REG : M_ANY, a[i].imm,
                      S32, MD64, 0, a[i].fl, 0);
        t->pfx = a[i].pp;
        t->vex_map = a[i].map;
        t->vex_v = a[i].v;
        t->vec = true;
        t->lmask = a[i].l;
        t->wbit = a[i].w;
    }
}

/* VPSRLW/VPSRAW/VPSLLW, D, Q and VPSRLDQ/VPSLLDQ by imm8 (VEX.vvvv is the destination). */
static void add_avx_shift_imm(void)
{
    static const struct { uint8_t op, ext; } g[] = {
        { 0x71, 2 }, { 0x71, 4 }, { 0x71, 6 }, { 0x72, 2 }, { 0x72, 4 }, { 0x72, 6 },
        { 0x73, 2 }, { 0x73, 3 }, { 0x73, 6 }, { 0x73, 7 },
    };
    if (!__builtin_cpu_supports("avx2")) {
        return;
    }
    for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
        Tmpl *t = add("vpshift imm", OP1(g[i].op), FM_GRP, g[i].ext, M_REG, 1, S32, MD64, 0,
                      0, 0);
        t->pfx = 0x66;
        t->vex_map = 1;
        t->vex_v = true;
        t->vec = true;
        t->lmask = 3;
    }
}

/* The VEX forms of SSE operations: one template per row of Mimic's own table. */
static void add_avx_sse(void)
{
    static const uint8_t pfx[4] = { 0, 0x66, 0xf3, 0xf2 };
    if (!__builtin_cpu_supports("avx2")) {
        return;
    }
    for (unsigned i = 0; i < x86_avx_sse_nb_ops; i++) {
        const AvxSseOp *o = &x86_avx_sse_ops[i];
        Tmpl *t = add(o->fn->name, OP1(o->op), FM_RM, 0, M_ANY, (o->flags & AVXS_IMM) ? 1 : 0,
                      S32, MD64, 0, 0, 0);
        t->pfx = pfx[o->pp];
        t->vex_map = o->map;
        t->vex_v = !(o->flags & AVXS_UNARY);
        t->vec = true;
        t->lmask = (o->flags & (AVXS_S4 | AVXS_S8 | AVXS_L0)) ? 1 : 3;
    }
}

static void init_templates(void)
{
    if (ntmpl) {
        return;
    }
    add_alu();
    add_grp3_incdec();
    add_shifts();
    add_bits();
    add_moves();
    add_stack_string();
    add_legacy();
    add_bmi();
    add_avx();
    add_avx_sse();
    add_avx_shift_imm();
}

/* ---- random numbers (splitmix64) ----------------------------------------------------------- */

typedef struct Gen {
    uint64_t s;
    DTCase *c;
    int mode;
    uint32_t undef;     /* flags undefined at this point of the sequence */
    bool avx;           /* an AVX case: only vector templates, YMM prologue/epilogue */
} Gen;

static uint64_t rnd(Gen *g)
{
    uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned rndn(Gen *g, unsigned n)
{
    return (unsigned)(rnd(g) % n);
}

/* A value biased to boundaries: 0, 1, -1, sign bits, small, or random. */
static uint64_t rnd_value(Gen *g)
{
    static const uint64_t special[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
        0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffull, 0x8000000000000000ull,
        ~0ull, 0x100000000ull, 31, 32, 63, 64 };
    switch (rndn(g, 4)) {
    case 0: return special[rndn(g, sizeof(special) / sizeof(special[0]))];
    case 1: return rndn(g, 64) - 32;
    default: return rnd(g);
    }
}

static void emit(Gen *g, uint8_t b)
{
    if (g->c->len < sizeof(g->c->code)) {
        g->c->code[g->c->len++] = b;
    }
}

static void emit_n(Gen *g, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) {
        emit(g, (uint8_t)(v >> (8 * i)));
    }
}

/* ---- encoding ------------------------------------------------------------------------------ */

/* Registers a generated instruction may write: not the base (rbx), stack, string
 * pointers. Byte registers: without REX 0-2 and AH CH DH; with REX 0-2, BPL, R8B-R15B. */
static int pick_reg(Gen *g, bool byte, bool rex)
{
    static const int full[12] = { 0, 1, 2, 5, 8, 9, 10, 11, 12, 13, 14, 15 };
    static const int byte_norex[6] = { 0, 1, 2, 4, 5, 6 };
    static const int legacy[4] = { 0, 1, 2, 5 };
    if (byte && !rex) {
        return byte_norex[rndn(g, 6)];
    }
    if (g->mode != 64) {
        return legacy[rndn(g, 4)];
    }
    return full[rndn(g, 12)];
}

typedef struct Enc {
    int size;       /* S8..S64 */
    bool rex;
    int rex_bits;   /* W R X B */
    int reg, rm;    /* register numbers (rm < 0: memory) */
    int mem_kind;
    int32_t disp;
} Enc;

static int pick_size(Gen *g, int sizes)
{
    int opts[4], n = 0;
    for (int s = S8; s <= S64; s <<= 1) {
        if ((sizes & s) && !(s == S64 && g->mode != 64)) {
            opts[n++] = s;
        }
    }
    return n ? opts[rndn(g, (unsigned)n)] : S32;
}

/* The VEX prefix (two bytes when it can be, three otherwise) replacing 66/F2/F3 and REX. */
static void emit_vex(Gen *g, const Tmpl *t, const Enc *e)
{
    int pp = t->pfx == 0x66 ? 1 : t->pfx == 0xf3 ? 2 : t->pfx == 0xf2 ? 3 : 0;
    int v = t->vex_v ? pick_reg(g, false, true) : 0;
    int rxb = (~e->rex_bits & 7) << 5, w = (e->rex_bits & 8) << 4;
    int l = 0;
    if (t->vec) {
        w = t->wbit << 7;
        l = t->lmask == 3 ? (int)rndn(g, 2) : t->lmask >> 1;
    }
    int tail = (~v & 15) << 3 | l << 2 | pp;
    if (t->vex_map == 1 && (rxb & 0x60) == 0x60 && !w && rndn(g, 2)) {
        emit(g, 0xc5);
        emit(g, (uint8_t)((rxb & 0x80) | tail));
        return;
    }
    emit(g, 0xc4);
    emit(g, (uint8_t)(rxb | t->vex_map));
    emit(g, (uint8_t)(w | tail));
}

static void emit_prefixes(Gen *g, const Tmpl *t, const Enc *e)
{
    if (t->vex_map) {
        emit_vex(g, t, e);
        return;
    }
    bool wide16 = g->mode == 16 ? e->size == S32 : e->size == S16;
    if (wide16 && t->pfx != 0x66) {
        emit(g, 0x66);
    }
    if (t->pfx) {
        emit(g, t->pfx);
    }
    if (g->mode == 64 && (e->rex || e->rex_bits)) {
        emit(g, (uint8_t)(0x40 | e->rex_bits));
    }
}

/* ModRM (+SIB, displacement) for reg and the rm operand. RIP-relative displacements are
 * patched once the instruction's end is known (*rip_patch = offset of the disp32). */
static void emit_modrm(Gen *g, const Enc *e, int *rip_patch)
{
    int reg = e->reg & 7;
    if (e->rm >= 0) {
        emit(g, (uint8_t)(0xc0 | reg << 3 | (e->rm & 7)));
        return;
    }
    if (g->mode == 16) {
        /* [bx+si+d8] [bx+di+d8] [si+d8] [di+d8] [bx+d8] */
        static const int rm16[5] = { 0, 1, 4, 5, 7 };
        emit(g, (uint8_t)(0x40 | reg << 3 | rm16[e->mem_kind % 5]));
        emit(g, (uint8_t)e->disp);
        return;
    }
    switch (e->mem_kind) {
    case 0:     /* [rbx + disp8] */
        emit(g, (uint8_t)(0x40 | reg << 3 | 3));
        emit(g, (uint8_t)e->disp);
        break;
    case 1:     /* [rbx + disp32] */
        emit(g, (uint8_t)(0x80 | reg << 3 | 3));
        emit_n(g, (uint32_t)e->disp, 4);
        break;
    case 2:     /* SIB, no index: [rbx + disp8] */
        emit(g, (uint8_t)(0x44 | reg << 3));
        emit(g, (uint8_t)(rndn(g, 4) << 6 | 4 << 3 | 3));
        emit(g, (uint8_t)e->disp);
        break;
    default:    /* [rip + disp32] (64-bit) or [disp32] absolute */
        emit(g, (uint8_t)(reg << 3 | 5));
        *rip_patch = (int)g->c->len;
        emit_n(g, 0, 4);
        break;
    }
}

static int imm_bytes(Gen *g, const Tmpl *t, int size)
{
    if (t->imm == IMM_Z) {
        return size == S16 ? 2 : 4;
    }
    if (t->imm == IMM_V) {
        return size == S16 ? 2 : size == S64 ? 8 : 4;
    }
    return t->imm;
}

static void choose_operands(Gen *g, const Tmpl *t, Enc *e)
{
    bool byte = e->size == S8;
    e->rex = g->mode == 64 && (e->size == S64 || (byte ? rndn(g, 2) : rndn(g, 4) == 0));
    e->reg = t->form == FM_GRP ? t->ext : pick_reg(g, byte && !t->reg_wide, e->rex);
    e->rm = pick_reg(g, byte, e->rex);
    if (t->form == FM_OPREG) {
        e->rm = pick_reg(g, byte, e->rex);
    }
    bool mem = t->mem == M_MEM || (t->mem == M_ANY && rndn(g, 3) == 0);
    if ((t->form == FM_RM || t->form == FM_GRP) && mem) {
        e->rm = -1;
        e->mem_kind = (int)rndn(g, g->mode == 64 ? 4 : g->mode == 16 ? 5 : 3);
        e->disp = (int32_t)rndn(g, 192) - 96;
        if (g->mode != 16 && rndn(g, 16) == 0) {
            /* [rbx + disp32] on the read-only page (stores fault) or an unmapped one */
            /* (read-only pages only against the host: Unicorn skips the write of a
             * failing CMPXCHG8B that hardware performs) */
            bool ro = g->mode == 64 && rndn(g, 3) != 0;
            e->mem_kind = 1;
            e->disp = (int32_t)((ro ? DT_RO : DT_UNMAPPED) - (DT_DATA + 0x1000) +
                                rndn(g, 0xf00));
        }
    }
    if (e->size == S64 && !t->vec) {
        e->rex_bits |= 8;
    }
    if (e->reg >= 8) {
        e->rex_bits |= 4;
    }
    if (e->rm >= 8) {
        e->rex_bits |= 1;
    }
}

/* Set-up before the instruction: mov ecx, value (CL shift counts, REP counts). */
static void emit_mov_ecx(Gen *g, uint32_t v)
{
    if (g->mode == 16) {
        emit(g, 0x66);
    }
    emit(g, 0xb9);
    emit_n(g, v, 4);
}

static void emit_setup(Gen *g, const Tmpl *t, const Enc *e)
{
    switch (t->setup) {
    case SU_CL: emit_mov_ecx(g, (uint32_t)rndn(g, 80)); break;
    case SU_CL16: emit_mov_ecx(g, (uint32_t)rndn(g, e->size == S16 ? 17 : 64)); break;
    case SU_CX: emit_mov_ecx(g, (uint32_t)rndn(g, 12)); break;
    default: break;
    }
}

/* Read-modify-write forms that accept LOCK with a memory destination. */
static bool lockable(const Tmpl *t)
{
    uint8_t b = t->op[0];
    if (t->vex_map) {
        return false;
    }
    if (t->oplen == 1) {
        if (b < 0x40 && (b & 7) <= 1 && (b & 0x38) != 0x38) {
            return true;                        /* ALU Eb,Gb / Ev,Gv except CMP */
        }
        if ((b == 0x80 || b == 0x81 || b == 0x83) && t->ext != 7) {
            return true;
        }
        if ((b == 0xf6 || b == 0xf7) && (t->ext == 2 || t->ext == 3)) {
            return true;
        }
        return ((b == 0xfe || b == 0xff) && t->ext < 2) || b == 0x86 || b == 0x87;
    }
    b = t->op[1];
    if (t->oplen == 2 && t->op[0] == 0x0f) {
        return b == 0xc0 || b == 0xc1 || b == 0xb0 || b == 0xb1 || b == 0xc7 ||
               (b == 0xba && t->ext >= 5);
    }
    return false;
}

static void emit_one(Gen *g, const Tmpl *t)
{
    Enc e = { .size = pick_size(g, t->sizes) };
    int rip_patch = -1;

    choose_operands(g, t, &e);
    emit_setup(g, t, &e);
    if (t->setup == SU_CX && rndn(g, 2) && t->pfx != 0xf2) {
        emit(g, 0xf3);      /* REP / REPE */
    }
    /* LOCK NEG only against the host: Unicorn's flags for it are those of the old value */
    bool neg = (t->op[0] == 0xf6 || t->op[0] == 0xf7) && t->ext == 3;
    if (e.rm < 0 && lockable(t) && rndn(g, 2) && (g->mode == 64 || !neg)) {
        emit(g, 0xf0);      /* LOCK */
    }
    emit_prefixes(g, t, &e);
    for (int i = 0; i < t->oplen; i++) {
        uint8_t b = t->op[i];
        if (i == t->oplen - 1 && t->form == FM_OPREG) {
            b = (uint8_t)(b | (e.rm & 7));
        }
        emit(g, b);
    }
    if (t->form == FM_RM || t->form == FM_GRP) {
        emit_modrm(g, &e, &rip_patch);
    }
    int ib = imm_bytes(g, t, e.size);
    uint64_t imm = rnd_value(g);
    if (t->op[0] == 0xd4 || t->op[0] == 0xd5) {
        imm = 1 + rndn(g, 255);     /* AAM 0 is #DE: tested in the guest tests */
    }
    if ((t->op[0] == 0x0f && (t->op[1] == 0xa4 || t->op[1] == 0xac)) && e.size == S16) {
        imm = rndn(g, 17);
    }
    emit_n(g, imm, ib);
    if (rip_patch >= 0) {
        uint32_t target = DT_DATA + 0x1000 + (uint32_t)e.disp;
        uint32_t v = g->mode == 64 ? target - (uint32_t)(DT_CODE + g->c->len) : target;
        memcpy(&g->c->code[rip_patch], &v, 4);
    }
    if (t->setup == SU_JCC8 || t->setup == SU_JCC32) {
        emit_n(g, 2, t->setup == SU_JCC8 ? 1 : 4);
        emit(g, 0xff);      /* inc eAX, skipped when the branch is taken */
        emit(g, 0xc0);
    }
    if (t->setup == SU_PAIR) {
        if (g->mode == 16 ? e.size == S32 : e.size == S16) {
            emit(g, 0x66);  /* the second instruction has the same operand size */
        }
        for (int i = 0; i < t->second_len; i++) {
            emit(g, t->second[i]);
        }
    }
    size_t tl = strlen(g->c->text);
    snprintf(g->c->text + tl, sizeof(g->c->text) - tl, "%s%s/%d", tl ? "; " : "", t->name,
             8 << (e.size == S8 ? 0 : e.size == S16 ? 1 : e.size == S32 ? 2 : 3));
}

/* Flags written only sometimes (count 0, branch taken, REP with RCX 0) cannot make an
 * earlier undefined flag defined again. */
static bool maybe_writes(const Tmpl *t)
{
    bool shift = t->op[0] == 0xc0 || t->op[0] == 0xc1 || t->op[0] == 0xd2 || t->op[0] == 0xd3 ||
                 (t->op[0] == 0x0f && (t->op[1] == 0xa4 || t->op[1] == 0xa5 || t->op[1] == 0xac ||
                                       t->op[1] == 0xad));
    return shift || t->setup != SU_NONE;
}

static bool usable(const Gen *g, const Tmpl *t)
{
    int mbit = g->mode == 16 ? MD16 : g->mode == 32 ? MD32 : MD64;
    if (!(t->modes & mbit) || (t->reads & g->undef)) {
        return false;
    }
    if (g->mode == 16 && t->sizes == S64) {
        return false;
    }
    return t->vec == g->avx;
}

/* ---- the initial state --------------------------------------------------------------------- */

static void init_state(Gen *g)
{
    DTState *s = &g->c->init;
    memset(s, 0, sizeof(*s));
    for (int i = 0; i < 16; i++) {
        s->regs[i] = rnd_value(g);
    }
    if (g->mode != 64) {
        for (int i = 0; i < 16; i++) {
            s->regs[i] = i < 8 ? (uint32_t)s->regs[i] : 0;
        }
    }
    if (g->mode == 16) {
        /* DS = ES = DT_DATA >> 4 (set by the runners): offsets inside the data block */
        s->regs[3] = 0x1000;
        s->regs[6] = 0x400 + rndn(g, 256);
        s->regs[7] = 0xc00 + rndn(g, 256);
        s->regs[4] = 0x1000;
    } else {
        s->regs[3] = DT_DATA + 0x1000;
        s->regs[6] = DT_DATA + 0x400 + rndn(g, 256);
        s->regs[7] = DT_DATA + 0xc00 + rndn(g, 256);
        s->regs[4] = DT_STACK + 0x1000 - 8 * rndn(g, 4);
    }
    s->rip = g->mode == 16 ? DT16_CODE : DT_CODE;     /* CS base 0 */
    s->rflags = 0x2 | (rnd(g) & DT_ARITH) | (rndn(g, 4) == 0 ? DT_DF : 0);
    s->exception = -1;
    for (size_t i = 0; i < DT_DATA_SIZE; i += 8) {
        uint64_t v = rnd_value(g);
        memcpy(&s->data[i], &v, 8);
    }
    for (size_t i = 0; i < DT_STACK_SIZE; i += 8) {
        uint64_t v = rnd(g);
        memcpy(&s->stack[i], &v, 8);
    }
}

/* VMOVDQU ymm(reg), [rbx + disp32] (or the store): the AVX cases' prologue/epilogue. */
static void emit_ymm_move(Gen *g, int reg, int32_t disp, bool store)
{
    emit(g, 0xc4);
    emit(g, (uint8_t)((reg < 8 ? 0x80 : 0) | 0x61));
    emit(g, 0x7e);                  /* W0, vvvv 1111, L1, pp F3 */
    emit(g, store ? 0x7f : 0x6f);
    emit(g, (uint8_t)(0x80 | (reg & 7) << 3 | 3));
    emit_n(g, (uint32_t)disp, 4);
}

static bool have_avx_templates(void)
{
    for (int i = 0; i < ntmpl; i++) {
        if (tmpl[i].vec) {
            return true;
        }
    }
    return false;
}

void dt_generate(DTCase *c, uint64_t seed, uint64_t n, int mode)
{
    Gen g = { .s = seed, .c = c, .mode = mode };
    g.s = rnd(&g) ^ n;
    g.s = rnd(&g) + (uint64_t)mode;
    init_templates();
    memset(c, 0, sizeof(*c));
    c->mode = mode;
    init_state(&g);
    int count = 1 + (int)rndn(&g, 6);
    g.avx = mode == 64 && have_avx_templates() && rndn(&g, 4) == 0;
    for (int r = 0; g.avx && r < 16; r++) {
        emit_ymm_move(&g, r, -0x1000 + 32 * r, false);     /* YMMr = data[32r] */
    }
    for (int i = 0; i < count; i++) {
        const Tmpl *t;
        int tries = 0;
        do {
            t = &tmpl[rndn(&g, (unsigned)ntmpl)];
        } while (!usable(&g, t) && ++tries < 1000);
        if (tries >= 1000) {
            break;
        }
        if (c->nb_insns < 16) {
            c->insn_off[c->nb_insns] = (uint16_t)c->len;
            c->undef_before[c->nb_insns++] = g.undef;
        }
        emit_one(&g, t);
        g.undef = (g.undef & ~(maybe_writes(t) ? 0 : t->writes)) | t->undef;
    }
    for (int r = 0; g.avx && r < 16; r++) {
        emit_ymm_move(&g, r, 0x800 + 32 * r, true);        /* data[0x1800 + 32r] = YMMr */
    }
    c->undef_flags = g.undef;
}

uint32_t dt_undef_at(const DTCase *c, uint64_t rip)
{
    uint64_t base = c->mode == 16 ? DT16_CODE : DT_CODE;
    for (int i = c->nb_insns - 1; i >= 0; i--) {
        if (rip >= base + c->insn_off[i]) {
            return c->undef_before[i];
        }
    }
    return c->nb_insns ? c->undef_before[0] : c->undef_flags;
}
