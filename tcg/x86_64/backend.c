/* x86-64 host back end: turns the optimized IR of one TB into host code (SysV AMD64
 * ABI, Intel SDM encodings through emit-x86.c). Contract: include/tcg/tcg.h; design and
 * limitations: docs/tcg.md "x86-64 back end". */
#include <inttypes.h>
#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "tcg/code-buffer.h"
#include "tcg/x86_64.h"
#include "tcg/x86_64/backend-x86.h"
#include "util/cutils.h"
#include "util/error.h"
#include "util/disas.h"
#include "util/log.h"

/* ---- operand helpers ------------------------------------------------------------- */

static TCGTemp *op_temp(const X86Gen *g, const TCGOp *op, int i)
{
    return &g->s->temps[op->args[i]];
}

static bool op_w64(const TCGOp *op)
{
    return (tcg_op_defs[op->opc].flags & TCG_OPF_64BIT) != 0;
}

static X86Reg in_reg(X86Gen *g, const TCGOp *op, int i)
{
    return x86_ra_in_reg(g, op_temp(g, op, i), 0);
}

/* Whether a two-address op may write its result over input arg in (held in rin): its
 * value is not needed afterwards. */
static bool input_reusable(X86Gen *g, const TCGOp *op, int out, int in, X86Reg rin)
{
    TCGTemp *o = op_temp(g, op, out), *i = op_temp(g, op, in);
    return i->kind != TEMP_CONST && i->kind != TEMP_FIXED && g->loc[i->index].reg == rin &&
           (o == i || IS_DEAD_ARG(op->life, in));
}

/* The output register of a two-address op whose first source is input arg in: the
 * source's own register when its value is not needed afterwards, else a copy. */
static X86Reg out_alias(X86Gen *g, const TCGOp *op, int out, int in, X86Reg rin)
{
    TCGTemp *o = op_temp(g, op, out), *i = op_temp(g, op, in);
    X86Reg r;
    if (input_reusable(g, op, out, in, rin)) {
        x86_ra_reg_changes(g, rin);         /* globals copied from it are stored first */
        if (o != i) {
            g->loc[i->index].reg = -1;      /* dead: no spill (x86_ra_release_dead) */
        }
        g->reg_temp[rin] = X86_REG_OP_SCRATCH;
        g->scratch_regs |= (uint16_t)X86_REG_BIT(rin);
        return rin;
    }
    r = x86_ra_alloc(g, 0);
    x86_mov_rr(&g->a, true, r, rin);
    g->reg_temp[r] = X86_REG_OP_SCRATCH;
    g->scratch_regs |= (uint16_t)X86_REG_BIT(r);
    return r;
}

static X86Reg out_new(X86Gen *g, uint16_t avoid)
{
    X86Reg r = x86_ra_alloc(g, avoid);
    g->reg_temp[r] = X86_REG_OP_SCRATCH;
    g->scratch_regs |= (uint16_t)X86_REG_BIT(r);
    return r;
}

/* Outputs take their registers, are written back if liveness asks, then dead inputs
 * release theirs and the op's scratch registers are freed. */
static void finish_op(X86Gen *g, const TCGOp *op, const X86Reg *outs)
{
    g->op_emitted = true;
    for (int k = 0; k < op->nb_oargs; k++) {
        TCGTemp *t = op_temp(g, op, k);
        x86_ra_set_output(g, t, outs[k]);
        if (NEED_SYNC_ARG(op->life, k)) {
            x86_ra_temp_store(g, t);
        }
    }
    for (int k = 0; k < op->nb_oargs; k++) {
        if (IS_DEAD_ARG(op->life, k)) {
            x86_ra_release_dead(g, op_temp(g, op, k));
        }
    }
    for (int j = op->nb_oargs; j < op->nb_oargs + op->nb_iargs; j++) {
        TCGTemp *t = op_temp(g, op, j);
        bool is_output = false;
        for (int k = 0; k < op->nb_oargs; k++) {
            is_output |= op_temp(g, op, k) == t;
        }
        if (IS_DEAD_ARG(op->life, j) && !is_output) {
            x86_ra_release_dead(g, t);
        }
    }
    x86_ra_release_op_scratch(g);
}

static void finish_no_output(X86Gen *g, const TCGOp *op)
{
    finish_op(g, op, NULL);
}

/* ---- conditions ------------------------------------------------------------------ */

static X86Cond x86_cond(TCGCond c)
{
    static const X86Cond map[TCG_COND_COUNT] = {
        [TCG_COND_EQ] = X86_CC_E, [TCG_COND_NE] = X86_CC_NE,
        [TCG_COND_LT] = X86_CC_L, [TCG_COND_GE] = X86_CC_GE,
        [TCG_COND_LE] = X86_CC_LE, [TCG_COND_GT] = X86_CC_G,
        [TCG_COND_LTU] = X86_CC_B, [TCG_COND_GEU] = X86_CC_AE,
        [TCG_COND_LEU] = X86_CC_BE, [TCG_COND_GTU] = X86_CC_A,
        [TCG_COND_TSTEQ] = X86_CC_E, [TCG_COND_TSTNE] = X86_CC_NE,
    };
    return map[c];
}

/* Sets the flags for "a cond b" (cmp, or test for the TST conditions); b is a register
 * or, when rb < 0, the constant temp tb. */
static void emit_compare(X86Gen *g, TCGCond c, bool w64, X86Reg ra, X86Reg rb, TCGTemp *tb)
{
    bool tst = c == TCG_COND_TSTEQ || c == TCG_COND_TSTNE;
    if (rb >= 0) {
        if (tst) {
            x86_test_rr(&g->a, w64, ra, rb);
        } else {
            x86_alu_rr(&g->a, X86_CMP, w64, ra, rb);
        }
    } else if (tb->val == 0 || (!w64 && (uint32_t)tb->val == 0)) {
        if (tst) {
            x86_alu_rr(&g->a, X86_XOR, false, X86_SCRATCH0, X86_SCRATCH0);  /* ZF=1 */
        } else {
            x86_test_rr(&g->a, w64, ra, ra);
        }
    } else if (tst) {
        x86_test_ri(&g->a, w64, ra, (int32_t)tb->val);
    } else {
        x86_alu_ri(&g->a, X86_CMP, w64, ra, (int32_t)tb->val);
    }
}

/* Loads the two compared operands: a in a register, b as imm32 when it fits. */
static void load_compare(X86Gen *g, const TCGOp *op, int ia, bool w64, X86Reg *ra, X86Reg *rb)
{
    TCGTemp *b = op_temp(g, op, ia + 1);
    *ra = in_reg(g, op, ia);
    *rb = x86_temp_fits_imm32(b, w64) ? X86_NOREG : in_reg(g, op, ia + 1);
}

/* ---- labels -------------------------------------------------------------------- */

void x86_add_reloc(X86Gen *g, size_t at, unsigned label)
{
    if (g->nb_relocs == g->cap_relocs) {
        g->cap_relocs = g->cap_relocs ? 2 * g->cap_relocs : 64;
        g->relocs = tcg_scratch_grow(g->s, X86_SCRATCH_RELOCS,
                                     sizeof(*g->relocs) * (size_t)g->cap_relocs);
    }
    g->relocs[g->nb_relocs++] = (X86Reloc){ .at = (uint32_t)at, .label = label };
}

static void resolve_relocs(X86Gen *g)
{
    for (int i = 0; i < g->nb_relocs; i++) {
        TCGLabel *l = &g->s->labels[g->relocs[i].label];
        if (!l->has_value) {
            g->unsupported = true;      /* branch to a label never set */
            return;
        }
        int64_t rel = (int64_t)l->value_offset - (int64_t)(g->relocs[i].at + 4);
        x86_patch32(&g->a, g->relocs[i].at, (uint32_t)(int32_t)rel);
    }
}

static void emit_jmp_label(X86Gen *g, unsigned label)
{
    x86_add_reloc(g, x86_jmp32(&g->a, 0), label);
}

/* ---- arithmetic and logic ------------------------------------------------------ */

/* A 64-bit op whose result, an EBB temp, only feeds the ext32u_i64 right after it (the
 * x86 front end's 32-bit operations): its low half is all that is used, so the host's
 * 32-bit form, which zero-extends, does both and the ext32u becomes a rename. */
static bool feeds_only_ext32u(X86Gen *g, const TCGOp *op)
{
    const TCGOp *next = g->next_op;
    TCGTemp *o = op_temp(g, op, 0);
    return op_w64(op) && next && next->opc == INDEX_op_ext32u_i64 &&
           next->args[1] == op->args[0] && IS_DEAD_ARG(next->life, 1) &&
           o->kind == TEMP_EBB && !NEED_SYNC_ARG(op->life, 0);
}

static bool alu_commutes(X86Alu alu)
{
    return alu == X86_ADD || alu == X86_AND || alu == X86_OR || alu == X86_XOR;
}

/* add, or sub of a constant, whose first source stays live: lea ro, [ra + rb/imm]
 * instead of a copy and the op (32-bit when narrow: lea zero-extends too). */
static bool gen_alu_lea(X86Gen *g, const TCGOp *op, X86Alu alu, X86Reg ra, X86Reg rb,
                        bool narrow)
{
    bool w64 = op_w64(op);
    int64_t disp = 0;
    if (input_reusable(g, op, 0, 1, ra) || (alu != X86_ADD && alu != X86_SUB) ||
        (alu == X86_SUB && rb != X86_NOREG) || x86_temp_is_const(op_temp(g, op, 1))) {
        return false;
    }
    if (rb == X86_NOREG) {
        disp = (int32_t)op_temp(g, op, 2)->val;
        disp = alu == X86_SUB ? -disp : disp;
        if (!x86_fits_i32(disp)) {
            return false;
        }
    }
    X86Reg ro = out_new(g, 0);
    x86_lea(&g->a, w64 && !narrow, ro, ra, rb, 0, (int32_t)disp);
    finish_op(g, op, &ro);
    if (narrow) {
        g->zext_temp = (int)op->args[0];
    }
    return true;
}

/* add/sub/and/or/xor: out = in0 op in1, in1 as imm32 when it fits (a constant first
 * operand of a commutative op goes second). */
static void gen_alu(X86Gen *g, const TCGOp *op, X86Alu alu)
{
    bool w64 = op_w64(op);
    int ia = 1, ib = 2;
    if (alu_commutes(alu) && x86_temp_is_const(op_temp(g, op, 1)) &&
        !x86_temp_is_const(op_temp(g, op, 2))) {
        ia = 2, ib = 1;
    }
    TCGTemp *b = op_temp(g, op, ib);
    X86Reg ra = in_reg(g, op, ia);
    X86Reg rb = x86_temp_fits_imm32(b, w64) ? X86_NOREG : in_reg(g, op, ib);
    bool narrow = feeds_only_ext32u(g, op);
    if (gen_alu_lea(g, op, alu, ra, rb, narrow)) {
        return;
    }
    X86Reg ro = out_alias(g, op, 0, ia, ra);
    if (rb == X86_NOREG) {
        x86_alu_ri(&g->a, alu, w64 && !narrow, ro, (int32_t)b->val);
    } else {
        x86_alu_rr(&g->a, alu, w64 && !narrow, ro, rb);
    }
    finish_op(g, op, &ro);
    if (narrow) {
        g->zext_temp = (int)op->args[0];
    }
}

/* andc, orc, eqv, nand, nor: through scratch0 = ~b or a final not. */
static void gen_logic_not(X86Gen *g, const TCGOp *op, X86Alu alu, bool invert_b)
{
    bool w64 = op_w64(op);
    X86Reg ra = in_reg(g, op, 1), rb = in_reg(g, op, 2);
    X86Reg ro = out_alias(g, op, 0, 1, ra);
    if (invert_b) {
        x86_mov_rr(&g->a, w64, X86_SCRATCH0, rb);
        x86_unary(&g->a, X86_NOT, w64, X86_SCRATCH0);
        x86_alu_rr(&g->a, alu, w64, ro, X86_SCRATCH0);
    } else {
        x86_alu_rr(&g->a, alu, w64, ro, rb);
        x86_unary(&g->a, X86_NOT, w64, ro);
    }
    finish_op(g, op, &ro);
}

/* mul (32-bit imul when only the low half is used: x86 IMUL r32 is a 64-bit multiply of
 * sign-extended operands for the flags, then ext32u). */
static void gen_mul(X86Gen *g, const TCGOp *op)
{
    bool narrow = feeds_only_ext32u(g, op);
    bool w64 = op_w64(op) && !narrow;
    TCGTemp *b = op_temp(g, op, 2);
    X86Reg ra = in_reg(g, op, 1), ro;
    if (x86_temp_fits_imm32(b, op_w64(op))) {
        ro = out_new(g, 0);
        x86_imul_rri(&g->a, w64, ro, ra, (int32_t)b->val);
    } else {
        X86Reg rb = in_reg(g, op, 2);
        ro = out_alias(g, op, 0, 1, ra);
        x86_imul_rr(&g->a, w64, ro, rb);
    }
    finish_op(g, op, &ro);
    if (narrow) {
        g->zext_temp = (int)op->args[0];
    }
}

static void gen_unary(X86Gen *g, const TCGOp *op, X86Unary u)
{
    X86Reg ra = in_reg(g, op, 1);
    X86Reg ro = out_alias(g, op, 0, 1, ra);
    x86_unary(&g->a, u, op_w64(op), ro);
    finish_op(g, op, &ro);
}

/* Shifts and rotates: count as imm8 (masked to the width, as the IR defines) or in cl. */
static void gen_shift(X86Gen *g, const TCGOp *op, X86Shift sh)
{
    bool w64 = op_w64(op);
    TCGTemp *b = op_temp(g, op, 2);
    X86Reg ra, ro;
    if (x86_temp_is_const(b)) {
        uint8_t n = (uint8_t)(b->val & (w64 ? 63 : 31));
        /* a left shift whose low half is all that is used: the 32-bit form */
        bool narrow = sh == X86_SHL && n >= 1 && n < 32 && feeds_only_ext32u(g, op);
        ra = in_reg(g, op, 1);
        ro = out_alias(g, op, 0, 1, ra);
        if (n) {
            x86_shift_ri(&g->a, sh, w64 && !narrow, ro, n);
        } else if (!w64) {
            x86_mov_rr(&g->a, false, ro, ro);
        }
        if (narrow) {
            finish_op(g, op, &ro);
            g->zext_temp = (int)op->args[0];
            return;
        }
    } else {
        x86_ra_reserve(g, X86_RCX);
        x86_ra_in_fixed(g, b, X86_RCX);
        ra = x86_ra_in_reg(g, op_temp(g, op, 1), X86_REG_BIT(X86_RCX));
        ro = out_alias(g, op, 0, 1, ra);
        x86_shift_cl(&g->a, sh, w64, ro);
    }
    finish_op(g, op, &ro);
}

/* Copies t's value into r without giving r to t (r is about to be clobbered). */
static void copy_to(X86Gen *g, TCGTemp *t, X86Reg r)
{
    x86_ra_load_value(g, t, r);
}

/* div/divu/rem/remu through rdx:rax (the IR leaves x / 0 and INT_MIN / -1 undefined:
 * the host traps on them, as docs/tcg.md allows). */
static void gen_div(X86Gen *g, const TCGOp *op, bool sign, bool rem)
{
    bool w64 = op_w64(op);
    X86Reg rb, ro;
    x86_ra_reserve(g, X86_RAX);
    x86_ra_reserve(g, X86_RDX);
    rb = x86_ra_in_reg(g, op_temp(g, op, 2), X86_REG_BIT(X86_RAX) | X86_REG_BIT(X86_RDX));
    copy_to(g, op_temp(g, op, 1), X86_RAX);     /* rax is clobbered: a copy, not a home */
    if (sign) {
        x86_cdq(&g->a, w64);
    } else {
        x86_alu_rr(&g->a, X86_XOR, false, X86_RDX, X86_RDX);
    }
    x86_unary(&g->a, sign ? X86_IDIV : X86_DIV, w64, rb);
    ro = rem ? X86_RDX : X86_RAX;
    finish_op(g, op, &ro);
}

/* mulu2/muls2: rdx:rax = rax * b. */
static void gen_mul2(X86Gen *g, const TCGOp *op, bool sign)
{
    bool w64 = op_w64(op);
    X86Reg rb, outs[2] = { X86_RAX, X86_RDX };
    x86_ra_reserve(g, X86_RAX);
    x86_ra_reserve(g, X86_RDX);
    rb = x86_ra_in_reg(g, op_temp(g, op, 3), X86_REG_BIT(X86_RAX) | X86_REG_BIT(X86_RDX));
    copy_to(g, op_temp(g, op, 2), X86_RAX);
    x86_unary(&g->a, sign ? X86_IMUL1 : X86_MUL, w64, rb);
    finish_op(g, op, outs);
}

/* add2/sub2: low half with add/sub, high half with adc/sbb, into fresh registers. */
static void gen_addsub2(X86Gen *g, const TCGOp *op, bool sub)
{
    bool w64 = op_w64(op);
    X86Reg al = in_reg(g, op, 2), ah = in_reg(g, op, 3);
    X86Reg bl = in_reg(g, op, 4), bh = in_reg(g, op, 5);
    X86Reg outs[2];
    outs[0] = out_new(g, 0);
    outs[1] = out_new(g, 0);
    x86_mov_rr(&g->a, w64, outs[0], al);
    x86_mov_rr(&g->a, w64, outs[1], ah);
    x86_alu_rr(&g->a, sub ? X86_SUB : X86_ADD, w64, outs[0], bl);
    x86_alu_rr(&g->a, sub ? X86_SBB : X86_ADC, w64, outs[1], bh);
    finish_op(g, op, outs);
}

/* One-input ops computed into a fresh register by a sequence. */
static void gen_ext(X86Gen *g, const TCGOp *op, unsigned size, bool sign, bool w64)
{
    X86Reg ra = in_reg(g, op, 1), ro = out_new(g, 0);
    x86_ext_rr(&g->a, size, sign, w64, ro, ra);
    finish_op(g, op, &ro);
}

/* ext32u_i64 of what the previous op left zero-extended (feeds_only_ext32u): the output
 * takes the dead input's register, no instruction. */
static void gen_ext32u(X86Gen *g, const TCGOp *op)
{
    if (g->zext_prev != (int)op->args[1]) {
        gen_ext(g, op, 4, false, true);
        return;
    }
    X86Reg ra = in_reg(g, op, 1);
    X86Reg ro = out_alias(g, op, 0, 1, ra);
    if (ro != ra) {
        x86_ext_rr(&g->a, 4, false, true, ro, ra);
    }
    finish_op(g, op, &ro);
}

static void gen_extrh(X86Gen *g, const TCGOp *op)
{
    X86Reg ra = in_reg(g, op, 1), ro = out_new(g, 0);
    x86_mov_rr(&g->a, true, ro, ra);
    x86_shift_ri(&g->a, X86_SHR, true, ro, 32);
    finish_op(g, op, &ro);
}

static void gen_bswap(X86Gen *g, const TCGOp *op, unsigned bits)
{
    bool w64 = op_w64(op);
    X86Reg ra = in_reg(g, op, 1), ro = out_new(g, 0);
    if (bits == 16) {
        x86_seq_bswap16(&g->a, w64, ro, ra, false);
    } else if (bits == 32) {
        x86_seq_bswap32(&g->a, w64, ro, ra, false);
    } else {
        x86_seq_bswap64(&g->a, ro, ra);
    }
    finish_op(g, op, &ro);
}

static void gen_count_zeros(X86Gen *g, const TCGOp *op, bool leading)
{
    bool w64 = op_w64(op);
    TCGTemp *z = op_temp(g, op, 2);
    X86Reg ra = in_reg(g, op, 1), ro = out_new(g, 0);
    bool native = leading ? g->feat.lzcnt : g->feat.tzcnt;
    if (x86_temp_is_const(z)) {
        uint64_t zv = w64 ? z->val : (uint32_t)z->val;
        if (leading) {
            x86_seq_clz(&g->a, w64, native, ro, ra, zv);
        } else {
            x86_seq_ctz(&g->a, w64, native, ro, ra, zv);
        }
    } else {
        X86Reg rz = in_reg(g, op, 2);
        if (leading) {
            x86_seq_clz_reg(&g->a, w64, native, ro, ra, rz);
        } else {
            x86_seq_ctz_reg(&g->a, w64, native, ro, ra, rz);
        }
    }
    finish_op(g, op, &ro);
}

static void gen_ctpop(X86Gen *g, const TCGOp *op)
{
    X86Reg ra = in_reg(g, op, 1), ro = out_new(g, 0);
    x86_seq_ctpop(&g->a, op_w64(op), g->feat.popcnt, ro, ra);
    finish_op(g, op, &ro);
}

static void gen_deposit(X86Gen *g, const TCGOp *op)
{
    unsigned pos = (unsigned)op->args[3], len = (unsigned)op->args[4];
    if (pos == 0 && (len == 8 || len == 16)) {
        /* the low byte or word: one partial-register move into a copy of a */
        X86Reg ra = in_reg(g, op, 1), rb = in_reg(g, op, 2);
        X86Reg ro = out_alias(g, op, 0, 1, ra);
        x86_mov_rr_partial(&g->a, len / 8, ro, rb);
        finish_op(g, op, &ro);
        return;
    }
    X86Reg ra = in_reg(g, op, 1), rb = in_reg(g, op, 2), ro = out_new(g, 0);
    x86_seq_deposit(&g->a, op_w64(op), ro, ra, rb, (unsigned)op->args[3],
                    (unsigned)op->args[4]);
    finish_op(g, op, &ro);
}

static void gen_extract(X86Gen *g, const TCGOp *op, bool sign)
{
    X86Reg ra = in_reg(g, op, 1), ro = out_new(g, 0);
    x86_seq_extract(&g->a, op_w64(op), sign, ro, ra, (unsigned)op->args[2],
                    (unsigned)op->args[3]);
    finish_op(g, op, &ro);
}

/* setcond/negsetcond: cmp; setcc; movzx (then neg). */
static void gen_setcond(X86Gen *g, const TCGOp *op, bool negate)
{
    bool w64 = op_w64(op);
    TCGCond c = (TCGCond)op->args[3];
    X86Reg ra, rb, ro;
    if (c == TCG_COND_ALWAYS || c == TCG_COND_NEVER) {
        ro = out_new(g, 0);
        x86_seq_movi(&g->a, w64, ro, c == TCG_COND_NEVER ? 0 : negate ? ~0ull : 1);
        finish_op(g, op, &ro);
        return;
    }
    load_compare(g, op, 1, w64, &ra, &rb);
    ro = out_new(g, 0);
    emit_compare(g, c, w64, ra, rb, op_temp(g, op, 2));
    x86_setcc(&g->a, x86_cond(c), ro);
    x86_ext_rr(&g->a, 1, false, false, ro, ro);
    if (negate) {
        x86_unary(&g->a, X86_NEG, w64, ro);
    }
    finish_op(g, op, &ro);
}

/* movcond d, c1, c2, v1, v2: cmp c1, c2; mov d, v2; cmovcc d, v1. */
static void gen_movcond(X86Gen *g, const TCGOp *op)
{
    bool w64 = op_w64(op);
    TCGCond c = (TCGCond)op->args[5];
    X86Reg ra, rb, r1, r2, ro;
    if (c == TCG_COND_ALWAYS || c == TCG_COND_NEVER) {
        r1 = in_reg(g, op, c == TCG_COND_ALWAYS ? 3 : 4);
        ro = out_new(g, 0);
        x86_mov_rr(&g->a, w64, ro, r1);
        finish_op(g, op, &ro);
        return;
    }
    load_compare(g, op, 1, w64, &ra, &rb);
    r1 = in_reg(g, op, 3);
    r2 = in_reg(g, op, 4);
    ro = out_new(g, 0);
    emit_compare(g, c, w64, ra, rb, op_temp(g, op, 2));
    x86_mov_rr(&g->a, w64, ro, r2);
    x86_cmovcc(&g->a, x86_cond(c), w64, ro, r1);
    finish_op(g, op, &ro);
}

/* ---- moves, host memory ---------------------------------------------------------- */

/* mov to a global or TB temp that must be synced and is not read again (typically a
 * lazy condition-code field), or to a global from a constant or a temp that stays live
 * (the optimizer forwards the source to later readers, so a register copy would only
 * wait for a sync): a single store, no register. A global given a constant that fits
 * an imm32, or a live source held in a register, is not even stored yet: the store
 * waits for the next sync point, conditional branch edge or guest-access miss (or for
 * the source's register to change), and is dropped if the block writes the global
 * again first (x86 cc_op, cc_src and cc_src2 in each copy of a loop). A global given a
 * dying source takes its register instead, and is stored at the next sync or on a
 * guest access's miss. A global given a live source already in a register that the
 * block reads again gets a register copy when registers are free: the read needs no
 * reload. */
/* Whether an op after op, before the basic block ends or a call, reads t before
 * anything writes it (looking at most X86_MOV_LOOKAHEAD ops ahead). */
#define X86_MOV_LOOKAHEAD 64
static bool read_again_in_block(const X86Gen *g, const TCGOp *op, const TCGTemp *t)
{
    const TCGOp *end = g->s->ops + g->s->nb_ops;
    int n = 0;
    for (const TCGOp *o = op + 1; o < end && n < X86_MOV_LOOKAHEAD; o++, n++) {
        unsigned flags = tcg_op_defs[o->opc].flags;
        if (o->opc == INDEX_op_call) {
            return false;
        }
        for (int i = o->nb_oargs + o->nb_iargs - 1; i >= 0; i--) {     /* inputs first */
            if (o->args[i] == (TCGArg)t->index) {
                return i >= o->nb_oargs;
            }
        }
        if (flags & TCG_OPF_BB_END) {
            return false;
        }
    }
    return false;
}

/* Whether the global t, written by op, is discarded on the fall-through of the next
 * brcond and not read before: x86 flag liveness drops cc_src and cc_src2 on one exit of
 * a Jcc (target-i386/translate-cc-tb.c), so a copy that is kept pending (not stored at
 * the mov) is stored on the taken edge only. Other ops between are fine unless they may
 * need t in memory (a call, a label, a block end). */
static bool dropped_after_branch(const X86Gen *g, const TCGOp *op, const TCGTemp *t)
{
    const TCGOp *end = g->s->ops + g->s->nb_ops;
    bool branched = false;
    int n = 0;
    for (const TCGOp *o = op + 1; o < end && n < X86_MOV_LOOKAHEAD; o++, n++) {
        unsigned flags = tcg_op_defs[o->opc].flags;
        if (o->opc == INDEX_op_discard) {
            if (branched && o->args[0] == (TCGArg)t->index) {
                return true;
            }
            continue;
        }
        if (flags & TCG_OPF_NOT_PRESENT) {
            continue;       /* nop, insn_start */
        }
        if (branched || o->opc == INDEX_op_call || o->opc == INDEX_op_set_label) {
            return false;
        }
        for (int i = 0; i < o->nb_oargs + o->nb_iargs; i++) {
            if (o->args[i] == (TCGArg)t->index) {
                return false;
            }
        }
        branched = o->opc == INDEX_op_brcond_i32 || o->opc == INDEX_op_brcond_i64;
        if (!branched && (flags & TCG_OPF_BB_END)) {
            return false;
        }
    }
    return false;
}

#define X86_MOV_COPY_FREE 2      /* free registers needed for a register copy */
static bool gen_mov_to_memory(X86Gen *g, const TCGOp *op)
{
    bool w64 = op_w64(op);
    TCGTemp *dst = op_temp(g, op, 0), *src = op_temp(g, op, 1);
    unsigned size = w64 ? 8 : 4;
    X86Reg base;
    int32_t disp;
    bool synced_dead = IS_DEAD_ARG(op->life, 0) && NEED_SYNC_ARG(op->life, 0) &&
                       (dst->kind == TEMP_GLOBAL || dst->kind == TEMP_TB);
    bool copy = dst->kind == TEMP_GLOBAL &&
                (src->kind == TEMP_CONST ? x86_temp_fits_imm32(src, w64)
                                         : !IS_DEAD_ARG(op->life, 1));
    if (dst == src || !(synced_dead || copy)) {
        return false;
    }
    if (!synced_dead && src->kind != TEMP_CONST && g->loc[src->index].reg >= 0 &&
        x86_ra_free_count(g) >= X86_MOV_COPY_FREE && read_again_in_block(g, op, dst)) {
        return false;   /* a register copy while registers are free */
    }
    if (copy && src->kind != TEMP_CONST && src->kind != TEMP_FIXED &&
        g->loc[src->index].reg < 0 && dropped_after_branch(g, op, dst)) {
        in_reg(g, op, 1);   /* the load the store needs anyway; the store waits */
    }
    if ((src->kind == TEMP_CONST || !IS_DEAD_ARG(op->life, 1)) && x86_ra_set_pending(g, dst, src)) {
        x86_ra_release_op_scratch(g);
        return true;    /* stored at the next sync, edge or miss, unless written first */
    }
    x86_ra_temp_slot(dst, &base, &disp);
    if (x86_temp_fits_imm32(src, w64)) {
        x86_store_imm(&g->a, size, (int32_t)src->val, base, disp);
    } else {
        x86_store(&g->a, size, in_reg(g, op, 1), base, disp);
    }
    x86_ra_set_output_in_memory(g, dst);
    if (IS_DEAD_ARG(op->life, 1)) {
        x86_ra_release_dead(g, src);
    }
    x86_ra_release_op_scratch(g);
    return true;
}

static void gen_mov(X86Gen *g, const TCGOp *op)
{
    bool w64 = op_w64(op);
    TCGTemp *src = op_temp(g, op, 1);
    X86Reg ro;
    if (gen_mov_to_memory(g, op)) {
        return;
    }
    if (x86_temp_is_const(src)) {
        ro = out_new(g, 0);
        x86_seq_movi(&g->a, w64, ro, src->val);
    } else {
        X86Reg ra = in_reg(g, op, 1);
        ro = out_alias(g, op, 0, 1, ra);
    }
    finish_op(g, op, &ro);
}

/* Base register and 32-bit displacement of a host access at base temp + offset. */
static X86Reg host_addr(X86Gen *g, const TCGOp *op, int base_arg, int32_t *disp)
{
    intptr_t ofs = (intptr_t)op->args[op->nb_oargs + op->nb_iargs];
    X86Reg rb = in_reg(g, op, base_arg);
    if (ofs != (int32_t)ofs) {
        x86_mov_ri(&g->a, X86_SCRATCH0, (uint64_t)ofs);
        x86_alu_rr(&g->a, X86_ADD, true, X86_SCRATCH0, rb);
        *disp = 0;
        return X86_SCRATCH0;
    }
    *disp = (int32_t)ofs;
    return rb;
}

/* An i32 load from env whose only reader is the brcond on 0 right after it (the TB-entry
 * check of the exit request): the brcond compares the memory word itself. */
static bool ld_fuses_with_brcond(X86Gen *g, const TCGOp *op)
{
    const TCGOp *n = g->next_op;
    intptr_t ofs = (intptr_t)op->args[2];
    if (!n || n->opc != INDEX_op_brcond_i32 || n->args[0] != op->args[0] ||
        !IS_DEAD_ARG(n->life, 0) || op_temp(g, op, 1)->kind != TEMP_FIXED ||
        ofs < 0 || ofs != (int32_t)ofs) {
        return false;
    }
    TCGTemp *b = op_temp(g, n, 1);
    TCGCond c = (TCGCond)n->args[2];
    return b->kind == TEMP_CONST && (uint32_t)b->val == 0 &&
           (c == TCG_COND_EQ || c == TCG_COND_NE) && op_temp(g, op, 0)->kind == TEMP_EBB;
}

static void gen_host_ld(X86Gen *g, const TCGOp *op, unsigned size, bool sign)
{
    int32_t disp;
    X86Reg base = host_addr(g, op, 1, &disp);
    X86Reg ro = out_new(g, 0);
    x86_load(&g->a, size, sign, ro, base, disp);
    if (sign && !op_w64(op) && size < 4) {
        x86_mov_rr(&g->a, false, ro, ro);   /* i32 result: keep it 32 bits wide */
    }
    finish_op(g, op, &ro);
}

static void gen_host_st(X86Gen *g, const TCGOp *op, unsigned size)
{
    int32_t disp;
    TCGTemp *v = op_temp(g, op, 0);
    X86Reg base = host_addr(g, op, 1, &disp);
    if (x86_temp_fits_imm32(v, size == 8)) {
        x86_store_imm(&g->a, size, (int32_t)v->val, base, disp);
    } else {
        x86_store(&g->a, size, in_reg(g, op, 0), base, disp);
    }
    finish_no_output(g, op);
}

/* ---- control flow ------------------------------------------------------------------ */

static void gen_brcond(X86Gen *g, const TCGOp *op)
{
    bool w64 = op_w64(op);
    TCGCond c = (TCGCond)op->args[2];
    unsigned label = (unsigned)op->args[3];
    X86Reg ra, rb;
    if (c == TCG_COND_NEVER || c == TCG_COND_ALWAYS) {
        x86_ra_sync_globals(g, true);
        if (c == TCG_COND_ALWAYS) {
            x86_label_note_branch(g, label);
        }
        x86_ra_bb_end(g);
        if (c == TCG_COND_ALWAYS) {
            emit_jmp_label(g, label);
        }
        x86_ra_release_op_scratch(g);
        return;
    }
    if (g->fused_ld_disp >= 0) {        /* cmp dword [env + disp], 0 */
        x86_label_note_branch(g, label);
        x86_alu_mi(&g->a, X86_CMP, false, X86_ENV_REG, g->fused_ld_disp, 0);
    } else {
        load_compare(g, op, 0, w64, &ra, &rb);
        x86_label_note_branch(g, label);
        emit_compare(g, c, w64, ra, rb, op_temp(g, op, 1));
    }
    x86_emit_cond_branch(g, x86_cond(c), label);   /* dirty values: stored on the edge */
    x86_ra_release_op_scratch(g);
    x86_ra_branch_fallthrough(g);
}

static void gen_label_here(X86Gen *g, const TCGOp *op)
{
    TCGLabel *l = &g->s->labels[op->args[0]];
    x86_label_enter(g, (unsigned)op->args[0]);
    l->has_value = true;
    l->value_offset = g->a.pos;
}

/* Leaves the TB with rax = val: a jump to the shared epilogue (inline if too far). */
static void gen_epilogue(X86Gen *g)
{
    const uint8_t *epilogue = x86_shared()->epilogue;
    if (x86_can_reach(g, epilogue)) {
        x86_jmp32(&g->a, (int32_t)(epilogue - (g->code_rx + g->a.pos + 5)));
    } else {
        x86_emit_epilogue(&g->a);
    }
}

static void gen_exit(X86Gen *g, uint64_t val)
{
    x86_mov_ri(&g->a, X86_RAX, val);
    gen_epilogue(g);
}

/* goto_tb n: a jmp rel32 whose displacement is 4-byte aligned, so that chaining can
 * patch it with one atomic store; unchained it jumps to the next instruction. */
static void gen_goto_tb(X86Gen *g, const TCGOp *op)
{
    unsigned n = (unsigned)op->args[0] & 1;
    uintptr_t disp_at;
    x86_ra_bb_end(g);
    disp_at = (uintptr_t)g->code_rx + g->a.pos + 1;
    x86_nop(&g->a, (unsigned)((4 - (disp_at & 3)) & 3));
    g->s->tb_jmp_insn_offset[n] = (uint32_t)x86_jmp32(&g->a, 0);
    g->s->tb_jmp_reset_offset[n] = (uint32_t)g->a.pos;
}

/* Calls func: rel32 when the code can reach it, else through scratch0. */
void x86_gen_call_abs(X86Gen *g, const void *func)
{
    const uint8_t *next = g->code_rx + g->a.pos + 5;
    int64_t rel = (const uint8_t *)func - next;
    if (x86_fits_i32(rel)) {
        x86_call32(&g->a, (int32_t)rel);
    } else {
        x86_movabs(&g->a, X86_SCRATCH0, (uint64_t)(uintptr_t)func);
        x86_call_r(&g->a, X86_SCRATCH0);
    }
}

static void gen_lookup_and_goto_ptr(X86Gen *g)
{
    const TCGRuntimeHooks *hooks = tcg_runtime_hooks();
    x86_ra_bb_end(g);
    if (!hooks || !hooks->lookup_tb_ptr) {
        gen_exit(g, 0);
        return;
    }
    /* rax = lookup(env); if rax: jmp rax; else return 0 */
    x86_mov_rr(&g->a, true, X86_RDI, X86_ENV_REG);
    x86_gen_call_abs(g, (const void *)hooks->lookup_tb_ptr);
    x86_test_rr(&g->a, true, X86_RAX, X86_RAX);
    x86_jcc8(&g->a, X86_CC_E, 2);
    x86_jmp_r(&g->a, X86_RAX);                      /* 2 bytes */
    gen_epilogue(g);                                /* rax is 0 here */
}

/* goto_ptr: the address (a TB's code, from the runtime's inline jump-cache probe) in a
 * register, globals synced, then jmp reg. */
static void gen_goto_ptr(X86Gen *g, const TCGOp *op)
{
    X86Reg r = x86_ra_in_reg(g, op_temp(g, op, 0), 0);
    x86_ra_sync_globals(g, true);
    x86_jmp_r(&g->a, r);
    x86_ra_release_op_scratch(g);
    x86_ra_bb_end(g);
}

static const X86Reg call_arg_regs[6] = { X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8, X86_R9 };

/* call: globals synced/dropped per the helper's flags, caller-saved registers emptied,
 * arguments in rdi..r9 then the stack, result in rax. */
static void gen_call(X86Gen *g, const TCGOp *op)
{
    const TCGHelperInfo *info = tcg_call_info(op);
    int nout = op->nb_oargs, nin = op->nb_iargs;
    X86Reg out = X86_RAX;
    if (!(info->flags & TCG_CALL_NO_WRITE_GLOBALS)) {
        x86_ra_drop_globals(g);
    } else if (!(info->flags & TCG_CALL_NO_READ_GLOBALS)) {
        x86_ra_sync_globals(g, false);
    }
    int dead[TCG_MAX_OP_ARGS], ndead = 0;
    for (int i = 0; i < nin; i++) {
        if (IS_DEAD_ARG(op->life, nout + i)) {
            dead[ndead++] = (int)op->args[nout + i];
        }
    }
    x86_ra_evict_caller_saved(g, dead, ndead);
    for (int i = 6; i < nin; i++) {
        copy_to(g, op_temp(g, op, nout + i), X86_SCRATCH0);
        x86_store(&g->a, 8, X86_SCRATCH0, X86_RSP, 8 * (i - 6));
    }
    for (int i = 0; i < nin && i < 6; i++) {
        copy_to(g, op_temp(g, op, nout + i), call_arg_regs[i]);
    }
    x86_gen_call_abs(g, info->func);
    for (int r = 0; r < 16; r++) {
        if (X86_CALLER_SAVED_MASK & X86_REG_BIT(r)) {
            x86_ra_free_reg(g, r);
        }
    }
    if (nout) {
        g->reg_temp[X86_RAX] = X86_REG_OP_SCRATCH;
        g->scratch_regs |= (uint16_t)X86_REG_BIT(X86_RAX);
        g->locked |= X86_REG_BIT(X86_RAX);
        finish_op(g, op, &out);
    } else {
        finish_no_output(g, op);
    }
}

static void gen_mb(X86Gen *g, const TCGOp *op)
{
    /* x86 is TSO: only a store followed by a load can be reordered. */
    if (op->args[0] & (TCG_MO_ST_LD | TCG_BAR_SC)) {
        x86_mfence(&g->a);
    }
}

static void gen_insn_start(X86Gen *g, const TCGOp *op)
{
    TCGContext *s = g->s;
    if (s->nb_insns > 0) {
        s->gen_insn_end_off[s->nb_insns - 1] = (uint32_t)g->a.pos;
    }
    if (s->nb_insns >= TCG_MAX_INSNS) {
        g->unsupported = true;
        return;
    }
    for (int w = 0; w < TCG_MAX_INSN_START_WORDS; w++) {
        s->gen_insn_data[s->nb_insns][w] = op->args[w];
    }
    s->nb_insns++;
}

/* ---- dispatch ------------------------------------------------------------------------ */

#define CASE2(name) case INDEX_op_##name##_i32: case INDEX_op_##name##_i64

static void gen_op_arith(X86Gen *g, const TCGOp *op)
{
    switch (op->opc) {
    CASE2(add): gen_alu(g, op, X86_ADD); break;
    CASE2(sub): gen_alu(g, op, X86_SUB); break;
    CASE2(and): gen_alu(g, op, X86_AND); break;
    CASE2(or): gen_alu(g, op, X86_OR); break;
    CASE2(xor): gen_alu(g, op, X86_XOR); break;
    CASE2(andc): gen_logic_not(g, op, X86_AND, true); break;
    CASE2(orc): gen_logic_not(g, op, X86_OR, true); break;
    CASE2(eqv): gen_logic_not(g, op, X86_XOR, false); break;
    CASE2(nand): gen_logic_not(g, op, X86_AND, false); break;
    CASE2(nor): gen_logic_not(g, op, X86_OR, false); break;
    CASE2(mul): gen_mul(g, op); break;
    CASE2(div): gen_div(g, op, true, false); break;
    CASE2(divu): gen_div(g, op, false, false); break;
    CASE2(rem): gen_div(g, op, true, true); break;
    CASE2(remu): gen_div(g, op, false, true); break;
    CASE2(shl): gen_shift(g, op, X86_SHL); break;
    CASE2(shr): gen_shift(g, op, X86_SHR); break;
    CASE2(sar): gen_shift(g, op, X86_SAR); break;
    CASE2(rotl): gen_shift(g, op, X86_ROL); break;
    CASE2(rotr): gen_shift(g, op, X86_ROR); break;
    CASE2(neg): gen_unary(g, op, X86_NEG); break;
    CASE2(not): gen_unary(g, op, X86_NOT); break;
    CASE2(clz): gen_count_zeros(g, op, true); break;
    CASE2(ctz): gen_count_zeros(g, op, false); break;
    CASE2(ctpop): gen_ctpop(g, op); break;
    CASE2(add2): gen_addsub2(g, op, false); break;
    CASE2(sub2): gen_addsub2(g, op, true); break;
    CASE2(mulu2): gen_mul2(g, op, false); break;
    CASE2(muls2): gen_mul2(g, op, true); break;
    default: g->unsupported = true; break;
    }
}

static void gen_op_move(X86Gen *g, const TCGOp *op)
{
    bool w64 = op_w64(op);
    switch (op->opc) {
    CASE2(mov): gen_mov(g, op); break;
    CASE2(ext8s): gen_ext(g, op, 1, true, w64); break;
    CASE2(ext8u): gen_ext(g, op, 1, false, w64); break;
    CASE2(ext16s): gen_ext(g, op, 2, true, w64); break;
    CASE2(ext16u): gen_ext(g, op, 2, false, w64); break;
    case INDEX_op_ext32s_i64: case INDEX_op_ext_i32_i64: gen_ext(g, op, 4, true, true); break;
    case INDEX_op_ext32u_i64: gen_ext32u(g, op); break;
    case INDEX_op_extu_i32_i64: case INDEX_op_extrl_i64_i32: gen_ext(g, op, 4, false, true); break;
    case INDEX_op_extrh_i64_i32: gen_extrh(g, op); break;
    CASE2(bswap16): gen_bswap(g, op, 16); break;
    CASE2(bswap32): gen_bswap(g, op, 32); break;
    case INDEX_op_bswap64_i64: gen_bswap(g, op, 64); break;
    CASE2(deposit): gen_deposit(g, op); break;
    CASE2(extract): gen_extract(g, op, false); break;
    CASE2(sextract): gen_extract(g, op, true); break;
    CASE2(setcond): gen_setcond(g, op, false); break;
    CASE2(negsetcond): gen_setcond(g, op, true); break;
    CASE2(movcond): gen_movcond(g, op); break;
    CASE2(ld8u): gen_host_ld(g, op, 1, false); break;
    CASE2(ld8s): gen_host_ld(g, op, 1, true); break;
    CASE2(ld16u): gen_host_ld(g, op, 2, false); break;
    CASE2(ld16s): gen_host_ld(g, op, 2, true); break;
    case INDEX_op_ld_i32:
        if (ld_fuses_with_brcond(g, op)) {
            g->fused_ld_disp = (int32_t)op->args[2];
            break;
        }
        gen_host_ld(g, op, 4, false);
        break;
    case INDEX_op_ld32u_i64: gen_host_ld(g, op, 4, false); break;
    case INDEX_op_ld32s_i64: gen_host_ld(g, op, 4, true); break;
    case INDEX_op_ld_i64: gen_host_ld(g, op, 8, false); break;
    CASE2(st8): gen_host_st(g, op, 1); break;
    CASE2(st16): gen_host_st(g, op, 2); break;
    case INDEX_op_st32_i64: case INDEX_op_st_i32: gen_host_st(g, op, 4); break;
    case INDEX_op_st_i64: gen_host_st(g, op, 8); break;
    default: gen_op_arith(g, op); break;
    }
}

static void gen_op(X86Gen *g, const TCGOp *op)
{
    switch (op->opc) {
    case INDEX_op_nop: break;
    case INDEX_op_discard: x86_ra_discard(g, op_temp(g, op, 0)); break;
    case INDEX_op_insn_start: gen_insn_start(g, op); break;
    case INDEX_op_set_label: gen_label_here(g, op); break;
    case INDEX_op_br:
        x86_ra_sync_globals(g, true);
        x86_label_note_branch(g, (unsigned)op->args[0]);
        x86_ra_bb_end(g);
        emit_jmp_label(g, (unsigned)op->args[0]);
        break;
    case INDEX_op_mb: gen_mb(g, op); break;
    case INDEX_op_call: gen_call(g, op); break;
    case INDEX_op_goto_tb: gen_goto_tb(g, op); break;
    case INDEX_op_exit_tb:
        x86_ra_bb_end(g);
        gen_exit(g, op->args[0]);
        break;
    case INDEX_op_lookup_and_goto_ptr: gen_lookup_and_goto_ptr(g); break;
    case INDEX_op_goto_ptr: gen_goto_ptr(g, op); break;
    CASE2(brcond): gen_brcond(g, op); break;
    CASE2(qemu_ld): x86_gen_qemu_ld(g, op); break;
    CASE2(qemu_st): x86_gen_qemu_st(g, op); break;
    CASE2(atomic_cmpxchg): CASE2(atomic_rmw): x86_gen_atomic(g, op); break;
    case INDEX_op_atomic_cmpxchg128: x86_gen_atomic_cmpxchg128(g, op); break;
    default: gen_op_move(g, op); break;
    }
}

static bool op_ends_flow(const TCGOp *op)
{
    return op->opc == INDEX_op_exit_tb || op->opc == INDEX_op_br ||
           op->opc == INDEX_op_lookup_and_goto_ptr || op->opc == INDEX_op_goto_ptr;
}

/* ---- the TCGBackend interface ------------------------------------------------------ */

static int x86_context_init(TCGContext *s)
{
    X86BackendOptions *opt = xzalloc(sizeof(*opt));
    x86_detect_features(&opt->feat);
    s->backend_data = opt;
    return 0;
}

static void x86_context_destroy(TCGContext *s)
{
    free(s->backend_data);
    s->backend_data = NULL;
}

/* The host's features, detected once (a registry-like constant after start-up). */
static X86Features host_features;
static pthread_once_t host_features_once = PTHREAD_ONCE_INIT;

static void host_features_detect(void)
{
    x86_detect_features(&host_features);
}

static void x86_disas(FILE *out, const void *code, size_t size)
{
    disas_print(out, DISAS_X86_64, code, size, (uint64_t)(uintptr_t)code);
}

static void log_out_asm(const X86Gen *g, size_t size)
{
    FILE *f = log_file();
    fprintf(f, "OUT: [size=%zu]\n", size);
    /* Disassemble from the RW copy but show RX addresses. */
    disas_print(f, DISAS_X86_64, g->a.buf, size, (uint64_t)(uintptr_t)g->code_rx);
    fputc('\n', f);
}

/* Generates the TB; the generator state is reset for each TB (x86_gen_code). */
static long gen_tb(X86Gen *g, TCGContext *s)
{
    s->nb_insns = 0;
    for (int i = 0; i < s->nb_labels; i++) {
        s->labels[i].has_value = false;
    }
    x86_ra_begin_tb(g);
    g->reuse_live = false;
    g->entry_live = false;
    g->zext_temp = -1;
    g->fused_ld_disp = -1;
    x86_labels_begin(g);
    for (int i = 0; i < s->nb_ops && !g->unsupported; i++) {
        g->next_op = i + 1 < s->nb_ops ? &s->ops[i + 1] : NULL;
        g->cur_op = &s->ops[i];
        g->op_emitted = false;
        g->zext_prev = g->zext_temp;
        g->zext_temp = -1;
        int32_t fused = g->fused_ld_disp;
        x86_reuse_note_op(g, &s->ops[i]);
        gen_op(g, &s->ops[i]);
        if (fused >= 0) {
            g->fused_ld_disp = -1;      /* the brcond used it */
        }
        if (!(tcg_op_defs[s->ops[i].opc].flags & TCG_OPF_NOT_PRESENT)) {
            g->unreachable = op_ends_flow(&s->ops[i]);      /* insn_start keeps it */
        }
    }
    x86_labels_end(g);
    if (s->nb_ops == 0 || !op_ends_flow(&s->ops[s->nb_ops - 1])) {
        x86_ra_bb_end(g);           /* falling off the end: return 0 to the CPU loop */
        gen_exit(g, 0);
    }
    if (s->nb_insns > 0) {
        s->gen_insn_end_off[s->nb_insns - 1] = (uint32_t)g->a.pos;
    }
    x86_gen_slow_paths(g);
    x86_gen_edge_stubs(g);
    resolve_relocs(g);
    if (g->unsupported) {
        return -2;
    }
    if (g->a.overflow) {
        return -1;
    }
    if (log_enabled(LOG_OUT_ASM)) {
        log_out_asm(g, g->a.pos);
    }
    return (long)g->a.pos;
}

static long x86_gen_code(TCGContext *s, void *buf_rw, const void *buf_rx, size_t size)
{
    const X86BackendOptions *opt = s->backend_data;
    X86Gen *g = tcg_scratch(s, X86_SCRATCH_GEN, sizeof(*g));
    memset(g, 0, offsetof(X86Gen, loc));
    long ret;
    g->s = s;
    g->code_rx = buf_rx;
    x86_asm_init(&g->a, buf_rw, size);
    if (opt) {
        g->feat = opt->feat;
    } else {
        pthread_once(&host_features_once, host_features_detect);
        g->feat = host_features;
    }
    g->ebb_in_mem = tcg_scratch(s, X86_SCRATCH_EBB,
                                sizeof(*g->ebb_in_mem) * (size_t)s->nb_temps);
    /* The arrays of earlier TBs, reused (their counts start at 0). */
    g->relocs = s->scratch[X86_SCRATCH_RELOCS];
    g->cap_relocs = (int)(s->scratch_size[X86_SCRATCH_RELOCS] / sizeof(*g->relocs));
    g->slow = s->scratch[X86_SCRATCH_SLOW];
    g->cap_slow = (int)(s->scratch_size[X86_SCRATCH_SLOW] / sizeof(*g->slow));
    g->edges = s->scratch[X86_SCRATCH_EDGES];
    g->cap_edges = (int)(s->scratch_size[X86_SCRATCH_EDGES] / sizeof(*g->edges));
    ret = gen_tb(g, s);
    return ret;
}

static uintptr_t x86_exec(void *env, const void *tb_rx)
{
    uintptr_t (*entry)(void *, const void *);
    entry = (uintptr_t (*)(void *, const void *))x86_shared()->prologue;
    return entry(env, tb_rx);
}

/* jmp_rx is the goto_tb jump's 4-byte aligned rel32 displacement. */
static void x86_set_jmp_target(uintptr_t jmp_rx, ptrdiff_t rw_delta, uintptr_t target_rx)
{
    int32_t rel = (int32_t)((intptr_t)target_rx - (intptr_t)(jmp_rx + 4));
    _Atomic int32_t *slot = (_Atomic int32_t *)(jmp_rx + (uintptr_t)rw_delta);
    atomic_store_explicit(slot, rel, memory_order_release);
}

const TCGBackend tcg_backend_x86_64 = {
    .name = "x86_64",
    .context_init = x86_context_init,
    .context_destroy = x86_context_destroy,
    .gen_code = x86_gen_code,
    .exec = x86_exec,
    .set_jmp_target = x86_set_jmp_target,
    .disas = x86_disas,
};

static void __attribute__((constructor)) x86_64_backend_register(void)
{
    tcg_backend_register(&tcg_backend_x86_64);
}
