/* x86 VEX prefix decoder (Intel SDM vol. 2, 2.3 "Intel AVX and VEX"): the two-byte (C5)
 * and three-byte (C4) prefixes, their LES/LDS aliasing outside 64-bit mode (ModRM.mod !=
 * 3 there is LES/LDS; VEX is not recognised in real and virtual-8086 mode), the fields
 * R X B W vvvv L pp m-mmmm, the #UD of a VEX prefix after 66/F2/F3/LOCK/REX, and the
 * VEX opcode table (map, pp, opcode): the general-purpose BMI1/BMI2 forms (translate-bmi.c)
 * and the AVX/AVX2 instructions without an SSE form (translate-avx.c); every other VEX
 * opcode is #UD. */
#include "target-i386/avx.h"
#include "target-i386/translate.h"

#define E(fn, fl, im, a) { x86_emit_##fn, (fl), X86_IMM_##im, (a) }
#define M X86_F_MODRM

/* One VEX opcode: map (1 0F, 2 0F38, 3 0F3A), pp (0 none, 1 66, 2 F3, 3 F2), opcode. */
typedef struct VexOp {
    uint8_t map, pp, op;
    X86OpEntry e;
} VexOp;

static const VexOp vex_ops[] = {
    { 2, 0, 0xf2, E(andn, M, NONE, 0) },
    { 2, 0, 0xf3, E(bls, M, NONE, 0) },         /* group 17: /1 BLSR /2 BLSMSK /3 BLSI */
    { 2, 0, 0xf5, E(bzhi, M, NONE, 0) },
    { 2, 2, 0xf5, E(pdep_pext, M, NONE, 1) },   /* PEXT */
    { 2, 3, 0xf5, E(pdep_pext, M, NONE, 0) },   /* PDEP */
    { 2, 3, 0xf6, E(mulx, M, NONE, 0) },
    { 2, 0, 0xf7, E(bextr, M, NONE, 0) },
    { 2, 1, 0xf7, E(shiftx, M, NONE, 0) },      /* SHLX */
    { 2, 2, 0xf7, E(shiftx, M, NONE, 2) },      /* SARX */
    { 2, 3, 0xf7, E(shiftx, M, NONE, 1) },      /* SHRX */
    { 3, 3, 0xf0, E(rorx, M, UB, 0) },
    /* AVX/AVX2 forms without an SSE counterpart (translate-avx.c) */
    { 1, 0, 0x77, E(avx_zero, 0, NONE, 0) },
    { 1, 0, 0x10, E(avx_mov, M, NONE, 0) }, { 1, 1, 0x10, E(avx_mov, M, NONE, 0) },
    { 1, 0, 0x11, E(avx_mov, M, NONE, 2) }, { 1, 1, 0x11, E(avx_mov, M, NONE, 2) },
    { 1, 0, 0x28, E(avx_mov, M, NONE, 1) }, { 1, 1, 0x28, E(avx_mov, M, NONE, 1) },
    { 1, 0, 0x29, E(avx_mov, M, NONE, 3) }, { 1, 1, 0x29, E(avx_mov, M, NONE, 3) },
    { 1, 2, 0x6f, E(avx_mov, M, NONE, 0) }, { 1, 1, 0x6f, E(avx_mov, M, NONE, 1) },
    { 1, 2, 0x7f, E(avx_mov, M, NONE, 2) }, { 1, 1, 0x7f, E(avx_mov, M, NONE, 3) },
    { 1, 0, 0x2b, E(avx_mov, M, NONE, 4 | 3) }, { 1, 1, 0x2b, E(avx_mov, M, NONE, 4 | 3) },
    { 1, 1, 0xe7, E(avx_mov, M, NONE, 4 | 3) }, { 1, 3, 0xf0, E(avx_mov, M, NONE, 4 | 0) },
    { 2, 1, 0x18, E(avx_bcast, M, NONE, 2) }, { 2, 1, 0x19, E(avx_bcast, M, NONE, 3) },
    { 2, 1, 0x1a, E(avx_bcast, M, NONE, 4) }, { 2, 1, 0x58, E(avx_bcast, M, NONE, 8 | 2) },
    { 2, 1, 0x59, E(avx_bcast, M, NONE, 8 | 3) }, { 2, 1, 0x78, E(avx_bcast, M, NONE, 8 | 0) },
    { 2, 1, 0x79, E(avx_bcast, M, NONE, 8 | 1) }, { 2, 1, 0x5a, E(avx_bcast, M, NONE, 8 | 4) },
    { 3, 1, 0x18, E(avx_lane, M, UB, 0) }, { 3, 1, 0x38, E(avx_lane, M, UB, 4 | 0) },
    { 3, 1, 0x19, E(avx_lane, M, UB, 1) }, { 3, 1, 0x39, E(avx_lane, M, UB, 4 | 1) },
    { 3, 1, 0x06, E(avx_lane, M, UB, 2) }, { 3, 1, 0x46, E(avx_lane, M, UB, 4 | 2) },
    { 2, 1, 0x0c, E(avx_op, M, NONE, 0) }, { 2, 1, 0x0d, E(avx_op, M, NONE, 1) },
    { 3, 1, 0x04, E(avx_op, M, UB, 2) }, { 3, 1, 0x05, E(avx_op, M, UB, 3) },
    { 2, 1, 0x36, E(avx_op, M, NONE, 4) }, { 2, 1, 0x16, E(avx_op, M, NONE, 4) },
    { 3, 1, 0x00, E(avx_op, M, UB, 5) }, { 3, 1, 0x01, E(avx_op, M, UB, 5) },
    { 3, 1, 0x02, E(avx_op, M, UB, 6) }, { 2, 1, 0x47, E(avx_op, M, NONE, 7) },
    { 2, 1, 0x45, E(avx_op, M, NONE, 8) }, { 2, 1, 0x46, E(avx_op, M, NONE, 9) },
    { 2, 1, 0x0e, E(avx_vtest, M, NONE, 4) }, { 2, 1, 0x0f, E(avx_vtest, M, NONE, 8) },
    { 2, 1, 0x2c, E(avx_maskmov, M, NONE, 4) }, { 2, 1, 0x2d, E(avx_maskmov, M, NONE, 8) },
    { 2, 1, 0x2e, E(avx_maskmov, M, NONE, 0x14) }, { 2, 1, 0x2f, E(avx_maskmov, M, NONE, 0x18) },
    { 2, 1, 0x8c, E(avx_maskmov, M, NONE, 0x20) }, { 2, 1, 0x8e, E(avx_maskmov, M, NONE, 0x30) },
    { 2, 1, 0x17, E(avx_vtest, M, NONE, 1) },
    { 1, 1, 0x71, E(avx_shift_imm, M, UB, 0) }, { 1, 1, 0x72, E(avx_shift_imm, M, UB, 1) },
    { 1, 1, 0x73, E(avx_shift_imm, M, UB, 2) },
    { 1, 0, 0x50, E(avx_movmsk, M, NONE, 4) }, { 1, 1, 0x50, E(avx_movmsk, M, NONE, 8) },
    { 1, 1, 0xd7, E(avx_movmsk, M, NONE, 1) },
    { 1, 1, 0x6e, E(avx_movd, M, NONE, 0) }, { 1, 1, 0x7e, E(avx_movd, M, NONE, 1) },
    { 1, 2, 0x7e, E(avx_movq, M, NONE, 0) }, { 1, 1, 0xd6, E(avx_movq, M, NONE, 1) },
    { 1, 2, 0x10, E(avx_movs, M, NONE, 4) }, { 1, 3, 0x10, E(avx_movs, M, NONE, 8) },
    { 1, 2, 0x11, E(avx_movs, M, NONE, 0x14) }, { 1, 3, 0x11, E(avx_movs, M, NONE, 0x18) },
    { 3, 1, 0x20, E(avx_pinsr, M, UB, 1) }, { 1, 1, 0xc4, E(avx_pinsr, M, UB, 2) },
    { 3, 1, 0x22, E(avx_pinsr, M, UB, 0) },
    { 3, 1, 0x14, E(avx_pextr, M, UB, 1) }, { 3, 1, 0x15, E(avx_pextr, M, UB, 2) },
    { 1, 1, 0xc5, E(avx_pextr, M, UB, 0x12) }, { 3, 1, 0x16, E(avx_pextr, M, UB, 0) },
    { 3, 1, 0x17, E(avx_pextr, M, UB, 4) },
    { 2, 1, 0x90, E(avx_gather, M, NONE, 0) }, { 2, 1, 0x91, E(avx_gather, M, NONE, 1) },
    { 2, 1, 0x92, E(avx_gather, M, NONE, 0) }, { 2, 1, 0x93, E(avx_gather, M, NONE, 1) },
    { 2, 1, 0x2a, E(avx_mov, M, NONE, 8 | 4 | 1) },     /* VMOVNTDQA */
    /* SSE forms with GPR, flag, m64 or implicit operands (translate-avx-legacy.c) */
    { 1, 0, 0x2e, E(avx_comis, M, NONE, 0) }, { 1, 0, 0x2f, E(avx_comis, M, NONE, 1) },
    { 1, 1, 0x2e, E(avx_comis, M, NONE, 2) }, { 1, 1, 0x2f, E(avx_comis, M, NONE, 3) },
    { 1, 2, 0x2a, E(avx_cvtsi2s, M, NONE, 0) }, { 1, 3, 0x2a, E(avx_cvtsi2s, M, NONE, 1) },
    { 1, 2, 0x2d, E(avx_cvt2si, M, NONE, 0) }, { 1, 2, 0x2c, E(avx_cvt2si, M, NONE, 1) },
    { 1, 3, 0x2d, E(avx_cvt2si, M, NONE, 2) }, { 1, 3, 0x2c, E(avx_cvt2si, M, NONE, 3) },
    { 1, 0, 0x12, E(avx_movlh, M, NONE, 0) }, { 1, 1, 0x12, E(avx_movlh, M, NONE, 2) },
    { 1, 0, 0x16, E(avx_movlh, M, NONE, 1) }, { 1, 1, 0x16, E(avx_movlh, M, NONE, 3) },
    { 1, 0, 0x13, E(avx_movlh, M, NONE, 4) }, { 1, 1, 0x13, E(avx_movlh, M, NONE, 4) },
    { 1, 0, 0x17, E(avx_movlh, M, NONE, 5) }, { 1, 1, 0x17, E(avx_movlh, M, NONE, 5) },
    { 3, 1, 0x21, E(avx_insertps, M, UB, 0) },
    { 3, 1, 0x60, E(avx_pcmpstr, M, UB, 0) }, { 3, 1, 0x61, E(avx_pcmpstr, M, UB, 1) },
    { 3, 1, 0x62, E(avx_pcmpstr, M, UB, 2) }, { 3, 1, 0x63, E(avx_pcmpstr, M, UB, 3) },
    { 1, 0, 0xae, E(avx_grp15, M, NONE, 0) }, { 1, 1, 0xf7, E(avx_maskmovdqu, M, NONE, 0) },
};

#undef E
#undef M

/* An entry without emitter: the decoder raises #UD for it. */
static const X86OpEntry vex_invalid;
/* The VEX forms of SSE operations (translate-avx-sse.c's rows), without / with imm8. */
static const X86OpEntry vex_sse = { x86_emit_avx_sse, X86_F_MODRM, X86_IMM_NONE, 0 };
static const X86OpEntry vex_sse_ib = { x86_emit_avx_sse, X86_F_MODRM, X86_IMM_UB, 0 };

static const X86OpEntry *vex_lookup(int map, int pp, int op)
{
    for (size_t i = 0; i < sizeof(vex_ops) / sizeof(vex_ops[0]); i++) {
        const VexOp *v = &vex_ops[i];
        if (v->map == map && v->pp == pp && v->op == op) {
            return &v->e;
        }
    }
    const AvxSseOp *o = x86_avx_sse_find(map, pp, op);
    if (o) {
        return (o->flags & AVXS_IMM) ? &vex_sse_ib : &vex_sse;
    }
    return &vex_invalid;
}

/* Is C4/C5 at this point a VEX prefix (rather than LES/LDS)? */
static bool vex_present(DisasContext *s)
{
    if (!(s->flags & HF_PE) || (s->flags & HF_VM)) {
        return false;
    }
    if (s->code64) {
        return true;
    }
    return (translator_ldub(s->cpu, s->tb, s->next_pc) >> 6) == 3;
}

const X86OpEntry *x86_decode_vex(DisasContext *s, int b)
{
    if (!vex_present(s)) {
        return NULL;
    }
    int b1 = x86_ldub_code(s), map = 1, b2 = b1;
    s->vex_w = 0;
    if (b == 0xc4) {
        s->rex_x = !(b1 & 0x40);
        s->rex_b = !(b1 & 0x20);
        map = b1 & 0x1f;
        b2 = x86_ldub_code(s);
        s->rex_w = s->vex_w = b2 >> 7;
    }
    s->rex_r = !(b1 & 0x80);
    s->vex_v = (~b2 >> 3) & 0xf;
    s->vex_l = (b2 >> 2) & 1;
    int pp = s->vex_pp = b2 & 3;
    if (!s->code64) {
        /* R and X are 1 here (else LES/LDS); B, W as an operand size (vex_w keeps it as
         * an opcode bit), vvvv bit 3 are ignored */
        s->rex_b = s->rex_w = 0;
        s->vex_v &= 7;
    }
    s->vex = true;
    int op = x86_ldub_code(s);
    s->opcode = (unsigned)(map << 8 | op);
    if (s->prefix & (PREFIX_DATA | PREFIX_REPZ | PREFIX_REPNZ | PREFIX_LOCK | PREFIX_REX)) {
        return &vex_invalid;
    }
    return vex_lookup(map, pp, op);
}
