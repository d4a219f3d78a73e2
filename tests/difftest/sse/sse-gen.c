/* Case generator of the MMX/SSE differential tester: every instruction of decode-sse.c's
 * tables (each prefix column, register and [rsi + disp8] memory forms, random imm8,
 * aligned forms occasionally misaligned), sometimes after an LDMXCSR; operands biased
 * towards the FP boundaries (signed zeros, infinities, QNaN/SNaN, denormals, the largest
 * and smallest normals, values around the integer conversion limits) and integer edges. */
#include <stdio.h>
#include <string.h>
#include "target-i386/translate-sse.h"
#include "tests/difftest/sse/sse-difftest.h"

typedef struct { uint8_t map, op, col; const SseOp *o; } SdEnt;
static SdEnt ents[2048];
static int nents;

static void collect(const SseOpcode *tab, uint8_t map)
{
    for (int op = 0; op < 256; op++) {
        for (int col = 0; col < 4; col++) {
            /* (INVPCID: a system instruction, #GP at the host's CPL 3) */
            if (tab[op].col[col].emit && tab[op].col[col].emit != x86_sse_emit_invpcid &&
                nents < 2048) {
                ents[nents++] = (SdEnt){ map, (uint8_t)op, (uint8_t)col, &tab[op].col[col] };
            }
        }
    }
}

static uint64_t rng;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static unsigned rnd(unsigned n) { return (unsigned)(next() % n); }
uint64_t sd_rand(void) { return next(); }
unsigned sd_rnd(unsigned n) { return rnd(n); }

static const uint32_t f32s[] = {
    0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001, 0x7f800001, 0x7fa00000,
    0x00000001, 0x807fffff, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, 0x3f800000,
    0xbf800000, 0x4f000000, 0xcf000000, 0x5f000000, 0xdf000000, 0x3f000000, 0x3fc00000,
    0x40200000, 0xc0200000, 0x4effffff, 0x4f000001, 0x0d800000, 0x3f800001,
};
static const uint64_t f64s[] = {
    0, 0x8000000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
    0xfff8000000000001, 0x7ff0000000000001, 0x7ff4000000000000, 0x0000000000000001,
    0x800fffffffffffff, 0x0010000000000000, 0x8010000000000000, 0x7fefffffffffffff,
    0xffefffffffffffff, 0x3ff0000000000000, 0xbff0000000000000, 0x41e0000000000000,
    0xc1e0000000000000, 0x41dfffffffc00000, 0xc1e0000000200000, 0x43e0000000000000,
    0xc3e0000000000000, 0x3fe0000000000000, 0x3ff8000000000000, 0x4004000000000000,
    0xc004000000000000, 0x3ff0000000000001, 0x36a0000000000000, 0x47efffffe0000000,
    0x3810000000000000,
};
static const uint64_t ints[] = {
    0, ~0ull, 0x8000000000000000, 0x7fffffffffffffff, 0x80000000, 0x7fffffff, 0xffffffff,
    1, 0x8000800080008000, 0x7fff7fff7fff7fff, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f,
    0x00ff00ff00ff00ff, 15, 16, 31, 32, 63, 64,
};

/* bytes of a small alphabet with zeros (string compares, byte shuffles) */
static uint64_t small_bytes(void)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v |= (uint64_t)(rnd(8) == 0 ? 0 : 0x60 + rnd(4)) << (8 * i);
    }
    return v;
}

static uint64_t value64(void)
{
    switch (rnd(7)) {
    case 5: return small_bytes();
    case 6: return (uint64_t)(int64_t)((int)rnd(41) - 20);
    case 0: return f64s[rnd(sizeof(f64s) / sizeof(f64s[0]))];
    case 1: return f32s[rnd(sizeof(f32s) / sizeof(f32s[0]))] |
                   (uint64_t)f32s[rnd(sizeof(f32s) / sizeof(f32s[0]))] << 32;
    case 2: return ints[rnd(sizeof(ints) / sizeof(ints[0]))];
    case 3: return next() & 0x00000000ffffffffull & -(uint64_t)rnd(2);
    default: return next();
    }
}

unsigned sd_pick_reg(void)
{
    static const uint8_t regs[] = { 0, 1, 2, 3, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    return regs[rnd(sizeof(regs))];
}

static void gen_state(SdState *s)
{
    memset(s, 0, sizeof(*s));
    for (int i = 0; i < 16; i++) {
        uint64_t q[4] = { value64(), value64(), value64(), value64() };
        memcpy(s->ymm[i], q, 32);
        s->gpr[i] = value64();
    }
    for (int i = 0; i < 8; i++) {
        s->mm[i] = value64();
    }
    for (unsigned i = 0; i < SD_DATA_SIZE; i += 8) {
        uint64_t v = value64();
        memcpy(s->data + i, &v, 8);
    }
    s->gpr[4] = SD_STACK + 0x1000;
    s->gpr[6] = SD_DATA + 128;
    s->gpr[7] = SD_DATA + 64;
    s->rflags = next() & 0x8d5;
    s->mxcsr = 0x1f80 | (rnd(4) << 13) | (rnd(4) == 0 ? 0x40 : 0) | (rnd(4) == 0 ? 0x8000 : 0) |
               (rnd(4) == 0 ? (unsigned)next() & 0x3f : 0);
    if (rnd(3) == 0) {
        s->mxcsr = 0x1fa0 | ((unsigned)next() & 0x1f);   /* the helpers' fast path */
    }
    s->exception = -1;
}

static bool takes_imm(const SdEnt *e)
{
    return e->map == 3 || (e->map == 1 && ((e->op >= 0x70 && e->op <= 0x73) ||
                                            (e->op >= 0xc2 && e->op <= 0xc6 && e->op != 0xc3)));
}

static void emit(SdCase *c, uint8_t b)
{
    c->code[c->len++] = b;
}

void sd_emit(SdCase *c, uint8_t b)
{
    emit(c, b);
}

int8_t sd_disp(unsigned size)
{
    /* rsi = SD_DATA + 128: the operand stays inside the SD_DATA_SIZE compared bytes */
    int d = (int)rnd((SD_DATA_SIZE - size - 16) / 16 + 1) * 16 - 128;
    d += rnd(8) == 0 ? 8 : rnd(8) == 0 ? (int)rnd(16) : 0;
    return (int8_t)(d + 128 + (int)size > (int)SD_DATA_SIZE ? d - 16 : d);
}

/* AVX cases: sometimes IE, DE, ZE or PE unmasked (an unmasked one raises #XM). Overflow
 * and underflow stay masked: unmasked, hardware delivers a bias-adjusted result whose
 * PE flag and (underflow) exact tiny case the helpers, run with every exception masked,
 * do not model (docs/limitations.md). */
static void unmask_some(SdState *s)
{
    if (rnd(8) == 0) {
        s->mxcsr &= ~((unsigned)next() & X86_MXCSR_MASKS & ~0xc00u);
    }
}

/* LDMXCSR [rsi + d] with a valid value (exceptions masked) at d */
static void gen_ldmxcsr(SdCase *c)
{
    int8_t d = (int8_t)(rnd(32) * 4 - 128);
    uint32_t v = 0x1f80 | (rnd(4) << 13) | (rnd(2) ? 0x40 : 0) | (rnd(2) ? 0x8000 : 0);
    memcpy(c->init.data + 128 + d, &v, 4);
    emit(c, 0x0f), emit(c, 0xae), emit(c, 0x56), emit(c, (uint8_t)d);
}

static void gen_insn(SdCase *c, const SdEnt *e)
{
    static const uint8_t prefixes[4] = { 0, 0x66, 0xf3, 0xf2 };
    bool mem = !(e->o->flags & SSE_F_REG) && ((e->o->flags & SSE_F_MEM) || rnd(3) == 0);
    unsigned reg = sd_pick_reg(), rm = mem ? 6 : sd_pick_reg();
    uint8_t rex = 0x40 | (rnd(4) == 0 ? 8 : 0) | (reg >= 8 ? 4 : 0) | (rm >= 8 ? 1 : 0);

    if (e->col) {
        emit(c, prefixes[e->col]);
    }
    if (rex != 0x40 || rnd(4) == 0) {
        emit(c, rex);
    }
    emit(c, 0x0f);
    if (e->map == 2) {
        emit(c, 0x38);
    } else if (e->map == 3) {
        emit(c, 0x3a);
    }
    emit(c, e->op);
    if (e->map == 1 && e->op == 0x77) {
        snprintf(c->text, sizeof(c->text), "emms");
        return;         /* EMMS: no ModRM */
    }
    emit(c, (uint8_t)((mem ? 0x40 : 0xc0) | (reg & 7) << 3 | (rm & 7)));
    if (mem) {
        /* 16-aligned mostly; sometimes 8 off or anywhere (aligned forms then #GP) */
        int d = (int)rnd(15) * 16 - 128;
        d += rnd(8) == 0 ? 8 : rnd(8) == 0 ? (int)rnd(16) : 0;
        emit(c, (uint8_t)(int8_t)d);
    }
    if (takes_imm(e)) {
        emit(c, (uint8_t)(rnd(4) == 0 ? rnd(20) : next()));
    }
    snprintf(c->text, sizeof(c->text), "map %u op %02x col %u (%s)%s", e->map, e->op, e->col,
             e->o->fn ? e->o->fn->name : "inline", mem ? " mem" : "");
}

void sd_generate(SdCase *c, uint64_t seed, uint64_t n, bool avx)
{
    if (!nents) {
        collect(x86_sse_0f, 1);
        collect(x86_sse_0f38, 2);
        collect(x86_sse_0f3a, 3);
    }
    rng = (seed * 0x9e3779b97f4a7c15ull) ^ (n * 0xbf58476d1ce4e5b9ull) ^ 0x94d049bb133111ebull;
    for (int i = 0; i < 4; i++) {
        next();
    }
    memset(c, 0, sizeof(*c));
    gen_state(&c->init);
    if (rnd(16) == 0) {
        gen_ldmxcsr(c);
    }
    if (avx) {
        unmask_some(&c->init);
        sd_gen_avx_insn(c);
    } else {
        gen_insn(c, &ents[rnd((unsigned)nents)]);
    }
    if (rnd(16) == 0) {
        emit(c, 0x0f), emit(c, 0xae), emit(c, 0x5e), emit(c, 0x70);   /* STMXCSR [rsi+112] */
    }
}
