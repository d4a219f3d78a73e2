/* VEX instructions of the AVX set of the SSE differential tester: every row of Mimic's
 * table of VEX forms of SSE operations (translate-avx-sse.c) and the forms with general-
 * register, flag, m64 or implicit operands (the list below), in C4 or C5 encodings,
 * VEX.128 and VEX.256 where the instruction has both, register and [rsi + disp8] memory
 * operands, random imm8 and VEX.W where it is ignored. One case in 12 breaks a rule (VEX.L
 * = 1 for a VEX.128-only form, VEX.vvvv != 1111b where it is reserved): the host's #UD is
 * then the expected result. */
#include <stdio.h>
#include <string.h>
#include "target-i386/avx.h"
#include "tests/difftest/sse/sse-difftest.h"

/* One form: operand rules. */
enum {
    F_IMM = 1 << 0,     /* imm8 */
    F_NOV = 1 << 1,     /* VEX.vvvv reserved (1111b) */
    F_L0 = 1 << 2,      /* VEX.128 only */
    F_LIG = 1 << 3,     /* VEX.L ignored */
    F_MEM = 1 << 4,     /* memory operand only */
    F_REG = 1 << 5,     /* register operand only */
    F_W0 = 1 << 6,      /* VEX.W0 only */
    F_EXT2 = 1 << 7,    /* ModRM.reg = 2 (VLDMXCSR) */
    F_EXT3 = 1 << 8,    /* ModRM.reg = 3 (VSTMXCSR) */
    F_NOL1 = 1 << 9,    /* no VEX.L = 1 probe: the host may have the 256-bit form (VAES,
                         * VPCLMULQDQ) that Mimic does not offer */
};

typedef struct AvxForm {
    const char *name;
    uint8_t map, pp, op;
    uint16_t f;
} AvxForm;

static const AvxForm extra[] = {
    { "vucomiss", 1, 0, 0x2e, F_NOV | F_LIG }, { "vcomiss", 1, 0, 0x2f, F_NOV | F_LIG },
    { "vucomisd", 1, 1, 0x2e, F_NOV | F_LIG }, { "vcomisd", 1, 1, 0x2f, F_NOV | F_LIG },
    { "vcvtsi2ss", 1, 2, 0x2a, F_LIG }, { "vcvtsi2sd", 1, 3, 0x2a, F_LIG },
    { "vcvtss2si", 1, 2, 0x2d, F_NOV | F_LIG }, { "vcvttss2si", 1, 2, 0x2c, F_NOV | F_LIG },
    { "vcvtsd2si", 1, 3, 0x2d, F_NOV | F_LIG }, { "vcvttsd2si", 1, 3, 0x2c, F_NOV | F_LIG },
    { "vmovlps/hlps", 1, 0, 0x12, F_L0 }, { "vmovlpd", 1, 1, 0x12, F_L0 | F_MEM },
    { "vmovhps/lhps", 1, 0, 0x16, F_L0 }, { "vmovhpd", 1, 1, 0x16, F_L0 | F_MEM },
    { "vmovlps st", 1, 0, 0x13, F_L0 | F_MEM | F_NOV },
    { "vmovlpd st", 1, 1, 0x13, F_L0 | F_MEM | F_NOV },
    { "vmovhps st", 1, 0, 0x17, F_L0 | F_MEM | F_NOV },
    { "vmovhpd st", 1, 1, 0x17, F_L0 | F_MEM | F_NOV },
    { "vinsertps", 3, 1, 0x21, F_L0 | F_IMM },
    { "vpcmpestrm", 3, 1, 0x60, F_L0 | F_IMM | F_NOV },
    { "vpcmpestri", 3, 1, 0x61, F_L0 | F_IMM | F_NOV },
    { "vpcmpistrm", 3, 1, 0x62, F_L0 | F_IMM | F_NOV },
    { "vpcmpistri", 3, 1, 0x63, F_L0 | F_IMM | F_NOV },
    { "vldmxcsr", 1, 0, 0xae, F_L0 | F_MEM | F_NOV | F_EXT2 },
    { "vstmxcsr", 1, 0, 0xae, F_L0 | F_MEM | F_NOV | F_EXT3 },
    { "vmaskmovdqu", 1, 1, 0xf7, F_L0 | F_REG | F_NOV },
    { "vmovntdqa", 2, 1, 0x2a, F_MEM | F_NOV },
};
#define NB_EXTRA (sizeof(extra) / sizeof(extra[0]))

/* The rules of a row of translate-avx-sse.c. */
static AvxForm row_form(const AvxSseOp *o)
{
    unsigned f = o->flags;
    AvxForm r = { o->fn->name, o->map, o->pp, o->op, 0 };
    r.f = ((f & AVXS_IMM) ? F_IMM : 0) | ((f & AVXS_UNARY) ? F_NOV : 0) |
          ((f & AVXS_L0) ? F_L0 : 0) | ((f & (AVXS_S4 | AVXS_S8)) ? F_LIG : 0) |
          ((f & AVXS_IS4) ? F_W0 : 0) | ((f & (AVXS_AES | AVXS_PCLMUL)) ? F_NOL1 : 0);
    return r;
}

/* C5 when it can express the fields, else (or sometimes anyway) C4. */
static void emit_vex(SdCase *c, const AvxForm *fm, unsigned reg, unsigned v, unsigned rm,
                     unsigned l, unsigned w)
{
    unsigned r = reg >> 3, b = rm >> 3;
    uint8_t tail = (uint8_t)((~v & 15) << 3 | l << 2 | fm->pp);
    if (fm->map == 1 && !b && !w && sd_rnd(3)) {
        sd_emit(c, 0xc5);
        sd_emit(c, (uint8_t)(!r << 7 | tail));
        return;
    }
    sd_emit(c, 0xc4);
    sd_emit(c, (uint8_t)(!r << 7 | 1 << 6 | !b << 5 | fm->map));
    sd_emit(c, (uint8_t)(w << 7 | tail));
}

static void gen_form(SdCase *c, const AvxForm *fm)
{
    bool mem = !(fm->f & F_REG) && ((fm->f & F_MEM) || sd_rnd(3) == 0);
    bool bad = sd_rnd(12) == 0;
    unsigned reg = sd_pick_reg(), rm = mem ? 6 : sd_pick_reg();
    unsigned v = (fm->f & F_NOV) ? 0 : sd_pick_reg();
    unsigned l = (fm->f & F_L0) ? 0 : sd_rnd(2), w = (fm->f & F_W0) ? 0 : sd_rnd(2);

    if (bad && (fm->f & F_L0) && !(fm->f & F_NOL1)) {
        l = 1;
    } else if (bad && (fm->f & F_NOV)) {
        v = 1 + sd_rnd(15);
    }
    if (fm->f & (F_EXT2 | F_EXT3)) {
        reg = (fm->f & F_EXT2) ? 2 : 3;
    }
    if (fm->f & F_EXT2) {
        /* a valid MXCSR value mostly (reserved bits: #GP) */
        int8_t d = sd_disp(4);
        uint32_t val = 0x1f80 | (sd_rnd(4) << 13) | (sd_rnd(2) ? 0x40 : 0) |
                       (sd_rnd(2) ? 0x8000 : 0) | (sd_rnd(8) ? 0 : 0x10000);
        memcpy(c->init.data + 128 + d, &val, 4);
        emit_vex(c, fm, reg, v, rm, l, w);
        sd_emit(c, fm->op);
        sd_emit(c, (uint8_t)(0x40 | reg << 3 | 6));
        sd_emit(c, (uint8_t)d);
        snprintf(c->text, sizeof(c->text), "%s L%u", fm->name, l);
        return;
    }
    emit_vex(c, fm, reg, v, rm, l, w);
    sd_emit(c, fm->op);
    sd_emit(c, (uint8_t)((mem ? 0x40 : 0xc0) | (reg & 7) << 3 | (rm & 7)));
    if (mem) {
        sd_emit(c, (uint8_t)sd_disp(32));
    }
    if (fm->f & F_IMM) {
        sd_emit(c, (uint8_t)(sd_rnd(4) == 0 ? sd_rnd(32) : sd_rand()));
    }
    snprintf(c->text, sizeof(c->text), "%s L%u W%u v%u%s%s", fm->name, l, w, v,
             mem ? " mem" : "", bad ? " (invalid?)" : "");
}

void sd_gen_avx_insn(SdCase *c)
{
    unsigned n = sd_rnd(x86_avx_sse_nb_ops + (unsigned)NB_EXTRA);
    if (n < x86_avx_sse_nb_ops) {
        AvxForm fm = row_form(&x86_avx_sse_ops[n]);
        if (strstr(fm.name, "_dpp")) {
            /* DPPS/DPPD: the flags reported with #XM when exceptions are unmasked are
             * not modelled (docs/limitations.md) */
            c->init.mxcsr |= 0x1f80;
        }
        gen_form(c, &fm);
    } else {
        gen_form(c, &extra[n - x86_avx_sse_nb_ops]);
    }
}
