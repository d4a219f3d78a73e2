/* The x87 set of the x86 differential tester (64-bit mode, the host's x87 as the
 * reference): each case loads a random FPU state with FRSTOR (FCW with every rounding and
 * precision mode and sometimes unmasked exceptions, TOP, tags, condition codes, registers
 * biased to boundaries: signed zeros, infinities, quiet/signalling NaNs, the indefinite,
 * denormals, pseudo-denormals, unnormals, pseudo-NaNs, extremes, integers and halves),
 * runs 1-5 x87 instructions on register and memory operands (floats, doubles, integers,
 * BCD with the same bias), then stores the whole state with FNSAVE. The data block
 * (stored operands and the FNSAVE image), RAX (FNSTSW AX), the flags (FCOMI) and the
 * exception (#MF with CR0.NE) are compared. The FNSAVE image's FCS and FDS are cleared by
 * the sequence itself (the host's 64-bit selectors are not the test machine's). */
#include <stdio.h>
#include <string.h>
#include "tests/difftest/difftest.h"

#define IMAGE_IN 0x000          /* FRSTOR image (32-bit protected format, 108 bytes) */
#define IMAGE_OUT 0x080         /* FNSAVE image */
#define SLOTS 0x100             /* 16 memory operand slots of 16 bytes */
#define RBX_OFF 0x1000          /* RBX = DT_DATA + RBX_OFF */

typedef struct XGen {
    uint64_t s;
    DTCase *c;
} XGen;

static uint64_t xrnd(XGen *g)
{
    uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned xrndn(XGen *g, unsigned n)
{
    return (unsigned)(xrnd(g) % n);
}

static void put(XGen *g, unsigned off, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) {
        g->c->init.data[off + (unsigned)i] = (uint8_t)(v >> (8 * i));
    }
}

/* ---- operand values biased to boundaries ---- */

/* An 80-bit value: *mant, returns sign and exponent. */
static uint16_t f80(XGen *g, uint64_t *mant)
{
    uint16_t sign = xrndn(g, 2) ? 0x8000 : 0;
    uint64_t r = xrnd(g), j = 1ull << 63;
    unsigned k = xrndn(g, 64);

    switch (xrndn(g, 18)) {
    case 0: *mant = 0; return sign;                                   /* zero */
    case 1: *mant = j; return sign | 0x7fff;                          /* infinity */
    case 2: *mant = j | 1ull << 62 | (r >> 2 >> xrndn(g, 62)); return sign | 0x7fff;
    case 3: *mant = j | ((r >> 2) | 1) >> xrndn(g, 61); return sign | 0x7fff;  /* SNaN */
    case 4: *mant = 3ull << 62; return 0xffff;                        /* indefinite */
    case 5: *mant = (r >> 1 >> xrndn(g, 63)) | 1; return sign;        /* denormal */
    case 6: *mant = j | (r >> 1 >> xrndn(g, 63)); return sign;        /* pseudo-denormal */
    case 7: *mant = r >> 1 >> xrndn(g, 63); return sign | (uint16_t)(1 + xrndn(g, 0x7ffe));
    case 8: *mant = r >> 1; return sign | 0x7fff;                     /* pseudo-NaN/inf */
    case 9: *mant = xrndn(g, 2) ? ~0ull : j; return sign | (xrndn(g, 2) ? 0x7ffe : 1);
    case 10: *mant = j | (r >> 1 >> xrndn(g, 64)); return sign | (uint16_t)(0x3fff - 70 + xrndn(g, 140));
    case 11: *mant = j | (r >> 1); return sign | (uint16_t)(0x3fbf + xrndn(g, 128));
    case 12: *mant = j | (r >> 1 >> k << k); return sign | (uint16_t)(0x3fff + 63 - k);  /* integer */
    case 13: k = xrndn(g, 40); *mant = j | ((r >> 1 >> (62 - k)) << (62 - k)); return sign | (uint16_t)(0x3fff + k);
    case 14: *mant = j | (r >> 1 >> xrndn(g, 64)); return sign | (uint16_t)(0x3fff + 14 + xrndn(g, 52));
    default: *mant = j | (r >> 1); return sign | (uint16_t)(1 + xrndn(g, 0x7ffe));
    }
}

/* A float (bits 32) or double (bits 64) pattern. */
static uint64_t fbits(XGen *g, int bits)
{
    int eb = bits == 32 ? 8 : 11, mb = bits - 1 - eb;
    uint64_t sign = (uint64_t)xrndn(g, 2) << (bits - 1), emax = (1ull << eb) - 1;
    uint64_t mmask = (1ull << mb) - 1, r = xrnd(g) & mmask;
    uint64_t e;

    switch (xrndn(g, 12)) {
    case 0: return sign;
    case 1: return sign | emax << mb;
    case 2: return sign | emax << mb | 1ull << (mb - 1) | (r >> xrndn(g, (unsigned)mb));
    case 3: return sign | emax << mb | ((r >> 1 >> xrndn(g, (unsigned)mb)) | 1);
    case 4: return sign | ((r >> xrndn(g, (unsigned)mb)) | 1);                 /* denormal */
    case 5: return sign | (xrndn(g, 2) ? (emax - 1) << mb | mmask : 1ull << mb);
    case 6: /* integers and halves */
        e = xrndn(g, (unsigned)mb);
        return sign | ((emax >> 1) + e) << mb | (r >> (mb - (int)e) << (mb - (int)e));
    default: e = 1 + xrndn(g, (unsigned)emax - 1); return sign | e << mb | r;
    }
}

static uint64_t ibits(XGen *g, int bits)
{
    uint64_t m = bits == 64 ? ~0ull : (1ull << bits) - 1, r = xrnd(g);

    switch (xrndn(g, 6)) {
    case 0: return 0;
    case 1: return (xrndn(g, 2) ? 1 : ~0ull) & m;
    case 2: return (1ull << (bits - 1)) + xrndn(g, 3) - 1;
    case 3: return r >> xrndn(g, 64) & m;
    default: return r & m;
    }
}

static void put_bcd(XGen *g, unsigned off)
{
    int ndig = 1 + (int)xrndn(g, 18);
    for (int i = 0; i < 9; i++) {
        unsigned lo = 2 * i < ndig ? xrndn(g, 10) : 0, hi = 2 * i + 1 < ndig ? xrndn(g, 10) : 0;
        put(g, off + (unsigned)i, hi << 4 | lo, 1);
    }
    put(g, off + 9, xrndn(g, 2) ? 0x80 : 0, 1);
}

/* ---- instructions ---- */

enum { K_NONE, K_F32, K_F64, K_F80, K_I16, K_I32, K_I64, K_BCD, K_CW };
enum { FX_FIXED, FX_STI, FX_MEM };

typedef struct XInsn {
    const char *name;
    uint8_t op, modrm;          /* modrm: the fixed byte, or C0+8r base, or reg << 3 */
    uint8_t form, kind;
} XInsn;

#define R(n, o, m) { n, o, m, FX_STI, K_NONE }
#define F(n, o, m) { n, o, m, FX_FIXED, K_NONE }
#define M(n, o, r, k) { n, o, (r) << 3, FX_MEM, k }

static const XInsn insns[] = {
    R("fadd st,st(i)", 0xd8, 0xc0), R("fmul st,st(i)", 0xd8, 0xc8), R("fcom", 0xd8, 0xd0),
    R("fcomp", 0xd8, 0xd8), R("fsub st,st(i)", 0xd8, 0xe0), R("fsubr st,st(i)", 0xd8, 0xe8),
    R("fdiv st,st(i)", 0xd8, 0xf0), R("fdivr st,st(i)", 0xd8, 0xf8),
    R("fadd st(i),st", 0xdc, 0xc0), R("fmul st(i),st", 0xdc, 0xc8),
    R("fsubr st(i),st", 0xdc, 0xe0), R("fsub st(i),st", 0xdc, 0xe8),
    R("fdivr st(i),st", 0xdc, 0xf0), R("fdiv st(i),st", 0xdc, 0xf8),
    R("faddp", 0xde, 0xc0), R("fmulp", 0xde, 0xc8), R("fsubrp", 0xde, 0xe0),
    R("fsubp", 0xde, 0xe8), R("fdivrp", 0xde, 0xf0), R("fdivp", 0xde, 0xf8),
    F("fcompp", 0xde, 0xd9), R("fucom", 0xdd, 0xe0), R("fucomp", 0xdd, 0xe8),
    F("fucompp", 0xda, 0xe9), R("fucomi", 0xdb, 0xe8), R("fcomi", 0xdb, 0xf0),
    R("fucomip", 0xdf, 0xe8), R("fcomip", 0xdf, 0xf0), R("fld st(i)", 0xd9, 0xc0),
    R("fxch", 0xd9, 0xc8), R("ffree", 0xdd, 0xc0), R("fst st(i)", 0xdd, 0xd0),
    R("fstp st(i)", 0xdd, 0xd8), R("fcmovb", 0xda, 0xc0), R("fcmove", 0xda, 0xc8),
    R("fcmovbe", 0xda, 0xd0), R("fcmovu", 0xda, 0xd8), R("fcmovnb", 0xdb, 0xc0),
    R("fcmovne", 0xdb, 0xc8), R("fcmovnbe", 0xdb, 0xd0), R("fcmovnu", 0xdb, 0xd8),
    F("fchs", 0xd9, 0xe0), F("fabs", 0xd9, 0xe1), F("ftst", 0xd9, 0xe4),
    F("fxam", 0xd9, 0xe5), F("fld1", 0xd9, 0xe8), F("fldl2t", 0xd9, 0xe9),
    F("fldl2e", 0xd9, 0xea), F("fldpi", 0xd9, 0xeb), F("fldlg2", 0xd9, 0xec),
    F("fldln2", 0xd9, 0xed), F("fldz", 0xd9, 0xee), F("f2xm1", 0xd9, 0xf0),
    F("fyl2x", 0xd9, 0xf1), F("fptan", 0xd9, 0xf2), F("fpatan", 0xd9, 0xf3),
    F("fxtract", 0xd9, 0xf4), F("fprem1", 0xd9, 0xf5), F("fdecstp", 0xd9, 0xf6),
    F("fincstp", 0xd9, 0xf7), F("fprem", 0xd9, 0xf8), F("fyl2xp1", 0xd9, 0xf9),
    F("fsqrt", 0xd9, 0xfa), F("fsincos", 0xd9, 0xfb), F("frndint", 0xd9, 0xfc),
    F("fscale", 0xd9, 0xfd), F("fsin", 0xd9, 0xfe), F("fcos", 0xd9, 0xff),
    F("fnop", 0xd9, 0xd0), F("fnclex", 0xdb, 0xe2), F("fnstsw ax", 0xdf, 0xe0),
    F("fwait", 0x9b, 0), F("fninit", 0xdb, 0xe3),
    M("fadd m32", 0xd8, 0, K_F32), M("fmul m32", 0xd8, 1, K_F32), M("fcom m32", 0xd8, 2, K_F32),
    M("fcomp m32", 0xd8, 3, K_F32), M("fsub m32", 0xd8, 4, K_F32), M("fsubr m32", 0xd8, 5, K_F32),
    M("fdiv m32", 0xd8, 6, K_F32), M("fdivr m32", 0xd8, 7, K_F32),
    M("fadd m64", 0xdc, 0, K_F64), M("fmul m64", 0xdc, 1, K_F64), M("fcom m64", 0xdc, 2, K_F64),
    M("fcomp m64", 0xdc, 3, K_F64), M("fsub m64", 0xdc, 4, K_F64), M("fsubr m64", 0xdc, 5, K_F64),
    M("fdiv m64", 0xdc, 6, K_F64), M("fdivr m64", 0xdc, 7, K_F64),
    M("fiadd m32", 0xda, 0, K_I32), M("fimul m32", 0xda, 1, K_I32), M("ficom m32", 0xda, 2, K_I32),
    M("ficomp m32", 0xda, 3, K_I32), M("fisub m32", 0xda, 4, K_I32), M("fisubr m32", 0xda, 5, K_I32),
    M("fidiv m32", 0xda, 6, K_I32), M("fidivr m32", 0xda, 7, K_I32),
    M("fiadd m16", 0xde, 0, K_I16), M("fimul m16", 0xde, 1, K_I16), M("ficom m16", 0xde, 2, K_I16),
    M("ficomp m16", 0xde, 3, K_I16), M("fisub m16", 0xde, 4, K_I16), M("fisubr m16", 0xde, 5, K_I16),
    M("fidiv m16", 0xde, 6, K_I16), M("fidivr m16", 0xde, 7, K_I16),
    M("fld m32", 0xd9, 0, K_F32), M("fst m32", 0xd9, 2, K_NONE), M("fstp m32", 0xd9, 3, K_NONE),
    M("fldcw", 0xd9, 5, K_CW), M("fnstcw", 0xd9, 7, K_NONE),
    M("fild m32", 0xdb, 0, K_I32), M("fisttp m32", 0xdb, 1, K_NONE), M("fist m32", 0xdb, 2, K_NONE),
    M("fistp m32", 0xdb, 3, K_NONE), M("fld m80", 0xdb, 5, K_F80), M("fstp m80", 0xdb, 7, K_NONE),
    M("fld m64", 0xdd, 0, K_F64), M("fisttp m64", 0xdd, 1, K_NONE), M("fst m64", 0xdd, 2, K_NONE),
    M("fstp m64", 0xdd, 3, K_NONE), M("fnstsw m16", 0xdd, 7, K_NONE),
    M("fild m16", 0xdf, 0, K_I16), M("fisttp m16", 0xdf, 1, K_NONE), M("fist m16", 0xdf, 2, K_NONE),
    M("fistp m16", 0xdf, 3, K_NONE), M("fbld", 0xdf, 4, K_BCD), M("fild m64", 0xdf, 5, K_I64),
    M("fbstp", 0xdf, 6, K_NONE), M("fistp m64", 0xdf, 7, K_NONE),
};
#define NB_INSNS (sizeof(insns) / sizeof(insns[0]))

static void emit(XGen *g, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) {
        g->c->code[g->c->len++] = (uint8_t)(v >> (8 * i));
    }
}

/* [rbx + disp32] addressing data offset off, ModRM reg field reg. */
static void emit_mem(XGen *g, unsigned reg, unsigned off)
{
    emit(g, 0x80 | reg << 3 | 3, 1);
    emit(g, (uint32_t)((int32_t)off - RBX_OFF), 4);
}

static void fill_operand(XGen *g, unsigned off, int kind)
{
    uint64_t m;
    uint16_t se;

    switch (kind) {
    case K_F32: put(g, off, fbits(g, 32), 4); break;
    case K_F64: put(g, off, fbits(g, 64), 8); break;
    case K_F80: se = f80(g, &m); put(g, off, m, 8); put(g, off + 8, se, 2); break;
    case K_I16: put(g, off, ibits(g, 16), 2); break;
    case K_I32: put(g, off, ibits(g, 32), 4); break;
    case K_I64: put(g, off, ibits(g, 64), 8); break;
    case K_BCD: put_bcd(g, off); break;
    case K_CW: put(g, off, (xrndn(g, 3) ? 0x3f : xrnd(g) & 0x3f) | (xrnd(g) & 0xf00), 2); break;
    }
}

static void emit_insn(XGen *g, const XInsn *x)
{
    size_t tl = strlen(g->c->text);

    emit(g, x->op, 1);
    if (x->form == FX_FIXED) {
        if (x->op != 0x9b) {
            emit(g, x->modrm, 1);
        }
    } else if (x->form == FX_STI) {
        emit(g, x->modrm | xrndn(g, 8), 1);
    } else {
        unsigned off = SLOTS + 16 * xrndn(g, 16);
        fill_operand(g, off, x->kind);
        emit_mem(g, x->modrm >> 3, off);
    }
    snprintf(g->c->text + tl, sizeof(g->c->text) - tl, "%s%s", tl ? "; " : "", x->name);
}

/* ---- the initial FPU state ---- */

static void init_image(XGen *g)
{
    uint32_t fcw = (xrndn(g, 4) ? 0x3f : xrnd(g) & 0x3f) | (xrnd(g) & 0xf00) | 0x40;
    uint32_t fsw = (xrnd(g) & 0x7f00) | (xrndn(g, 8) ? 0 : xrnd(g) & 0x7f);
    uint32_t ftw = 0;

    if (fsw & ~fcw & 0x3f) {
        fsw |= 0x8080;      /* ES and B follow the unmasked flags */
    }
    for (int p = 0; p < 8; p++) {
        ftw |= (xrndn(g, 4) ? 0u : 3u) << (2 * p);
    }
    put(g, IMAGE_IN + 0, fcw, 4);
    put(g, IMAGE_IN + 4, fsw, 4);
    put(g, IMAGE_IN + 8, ftw, 4);
    put(g, IMAGE_IN + 12, xrnd(g), 4);
    put(g, IMAGE_IN + 16, xrnd(g) & 0x07ffffff, 4);
    put(g, IMAGE_IN + 20, xrnd(g), 4);
    put(g, IMAGE_IN + 24, xrnd(g), 4);
    for (int i = 0; i < 8; i++) {
        uint64_t m;
        uint16_t se = f80(g, &m);
        put(g, IMAGE_IN + 28 + 10 * i, m, 8);
        put(g, IMAGE_IN + 36 + 10 * i, se, 2);
    }
}

static void init_regs(XGen *g)
{
    DTState *s = &g->c->init;

    for (int i = 0; i < 16; i++) {
        s->regs[i] = xrnd(g);
    }
    s->regs[3] = DT_DATA + RBX_OFF;
    s->regs[4] = DT_STACK + 0x1000;
    s->rip = DT_CODE;
    s->rflags = 0x2 | (xrnd(g) & DT_ARITH);
    s->exception = -1;
    for (size_t i = 0; i < DT_DATA_SIZE; i += 8) {
        put(g, (unsigned)i, xrnd(g), 8);
    }
}

void dt_generate_x87(DTCase *c, uint64_t seed, uint64_t n)
{
    XGen g = { .s = seed * 0x2545f4914f6cdd1dull + 87, .c = c };
    int count;

    g.s = xrnd(&g) ^ n;
    g.s = xrnd(&g);
    memset(c, 0, sizeof(*c));
    c->mode = 64;
    init_regs(&g);
    init_image(&g);
    emit(&g, 0xdd, 1);                      /* frstor [image] */
    emit_mem(&g, 4, IMAGE_IN);
    count = 1 + (int)xrndn(&g, 5);
    for (int i = 0; i < count; i++) {
        c->insn_off[c->nb_insns++] = (uint16_t)c->len;
        emit_insn(&g, &insns[xrndn(&g, NB_INSNS)]);
    }
    c->insn_off[c->nb_insns++] = (uint16_t)c->len;
    emit(&g, 0xdd, 1);                      /* fnsave [image out] */
    emit_mem(&g, 6, IMAGE_OUT);
    for (unsigned off = 16; off <= 24; off += 8) {
        emit(&g, 0xc766, 2);                /* mov word [FCS / FDS], 0 */
        emit_mem(&g, 0, IMAGE_OUT + off);
        emit(&g, 0, 2);
    }
}

/* The host lost x87 pointers of the FNSAVE image (the kernel saved and restored the FPU
 * in the middle of the case: AMD CPUs keep FIP, FOP and FDP only with an exception
 * pending, and lose them all or FDP alone)? A pointer the host stored as zero takes
 * Mimic's value, which the other cases check. */
void dt_x87_pointers_lost(DTState *ref, const DTState *got)
{
    static const struct { unsigned off, len; } fields[3] = {
        { 12, 4 }, { 18, 2 }, { 20, 4 },        /* FIP, FOP, FDP */
    };
    static const uint8_t zero[4];

    for (int i = 0; ref->exception < 0 && i < 3; i++) {
        uint8_t *p = ref->data + IMAGE_OUT + fields[i].off;
        if (!memcmp(p, zero, fields[i].len)) {
            memcpy(p, got->data + IMAGE_OUT + fields[i].off, fields[i].len);
        }
    }
}
