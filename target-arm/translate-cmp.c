/* Conditions from the last compare (docs/arm.md "Performance"). After an unconditional
 * SUBS/CMP/RSBS of two registers or a register and a constant, the conditions EQ..CC and
 * HI..LE (ARM ARM DDI0406C A8.3) are one comparison of the two operands, as long as
 * neither they nor the flags were written since: HI (C && !Z) is a >u b, GE (N == V) is
 * a >=s b, GT is a >s b. The decompressor's and the kernel's conditional code tests HI/LS
 * and GT/LE of a CMP up to ten times per block; from the flags each test was two or three
 * ops and a reload of the flags, now it is one compare of the registers, and the flags
 * themselves are often dead (liveness deletes them when nothing else reads them).
 * Exactness comes from the IR, not from the decoders: the operands must be read from
 * globals or constants by the instruction itself (a mov into the operand temp), and at
 * each use the ops emitted since the compare are scanned: any write of the flags or of
 * the operands' globals, any helper call, or a flag or register table that points at
 * temps (if-conversion) makes the test fall back to the flags. A compare that is itself
 * conditional (a branch before it in its instruction) is not recorded. Every branch in
 * a TB goes forward from after its instruction, so ops after the compare are on every
 * path from it to the use. */
#include "target-arm/translate.h"

typedef struct ArmCmp {
    bool valid;
    TCGv_i32 a, b;              /* globals (r0-r14) or constants: the operands */
    TCGv_i32 flags[4];          /* the flag handles then (NF ZF CF VF) */
    int scanned;                /* ops before this index are checked */
} ArmCmp;

static __thread ArmCmp last_cmp;

void arm_cmp_reset(void)
{
    last_cmp.valid = false;
}

static bool writes(const TCGOp *op, TCGTemp *t)
{
    for (int o = 0; o < op->nb_oargs; o++) {
        if (arg_temp(op->args[o]) == t) {
            return true;
        }
    }
    return false;
}

/* The first op of the current instruction, or -1 if the instruction branched (its
 * compare is conditional) or called a helper before this point. */
static int insn_first_op(void)
{
    for (int i = tcg_ctx->nb_ops - 1; i >= 0; i--) {
        const TCGOp *op = &tcg_ctx->ops[i];
        if (op->opc == INDEX_op_insn_start) {
            return i;
        }
        if (tcg_op_defs[op->opc].flags & (TCG_OPF_BB_END | TCG_OPF_CALL_CLOBBER)) {
            return -1;
        }
    }
    return -1;
}

/* The global or constant that temp x was copied from in this instruction (ops from
 * `first` on) and that is unchanged since; NULL if none. */
static TCGv_i32 operand_source(TCGv_i32 x, int first)
{
    TCGTemp *t = tcgv_i32_temp(x);
    if (t->kind == TEMP_CONST) {
        return x;
    }
    for (int i = tcg_ctx->nb_ops - 1; i > first; i--) {
        const TCGOp *op = &tcg_ctx->ops[i];
        if (!writes(op, t) || (op->opc == INDEX_op_mov_i32 && arg_temp(op->args[1]) == t)) {
            continue;                   /* (LSL #0 is a move to itself) */
        }
        if (op->opc != INDEX_op_mov_i32) {
            return NULL;
        }
        TCGTemp *src = arg_temp(op->args[1]);
        if (src->kind != TEMP_GLOBAL && src->kind != TEMP_CONST) {
            return NULL;
        }
        for (int j = i + 1; j < tcg_ctx->nb_ops; j++) {
            if (writes(&tcg_ctx->ops[j], src)) {
                return NULL;
            }
        }
        return temp_tcgv_i32(src);
    }
    return NULL;
}

/* Called by gen_sub_flags before it emits a - b: the sources to record (false: none). */
bool arm_cmp_sources(TCGv_i32 a, TCGv_i32 b, TCGv_i32 src[2])
{
    int first = insn_first_op();
    if (first < 0) {
        return false;
    }
    src[0] = operand_source(a, first);
    src[1] = src[0] ? operand_source(b, first) : NULL;
    return src[0] && src[1];
}

/* Called after the flags of a - b are emitted (ok: arm_cmp_sources succeeded). */
void arm_cmp_record(bool ok, const TCGv_i32 src[2])
{
    last_cmp.valid = ok;
    if (!ok) {
        return;
    }
    last_cmp.a = src[0];
    last_cmp.b = src[1];
    last_cmp.flags[0] = cpu_NF;
    last_cmp.flags[1] = cpu_ZF;
    last_cmp.flags[2] = cpu_CF;
    last_cmp.flags[3] = cpu_VF;
    last_cmp.scanned = tcg_ctx->nb_ops;
}

static bool still_valid(void)
{
    ArmCmp *c = &last_cmp;
    TCGv_i32 now[4] = { cpu_NF, cpu_ZF, cpu_CF, cpu_VF };
    if (!c->valid || c->scanned > tcg_ctx->nb_ops) {
        return c->valid = false;
    }
    for (int f = 0; f < 4; f++) {
        if (now[f] != c->flags[f]) {
            return false;               /* an if-converted arm: its flags are temps */
        }
    }
    TCGTemp *watch[6] = { tcgv_i32_temp(c->a), tcgv_i32_temp(c->b) };
    for (int f = 0; f < 4; f++) {
        watch[2 + f] = tcgv_i32_temp(c->flags[f]);
    }
    for (; c->scanned < tcg_ctx->nb_ops; c->scanned++) {
        const TCGOp *op = &tcg_ctx->ops[c->scanned];
        if (op->opc == INDEX_op_call) {
            return c->valid = false;
        }
        for (int w = 0; w < 6; w++) {
            if (writes(op, watch[w])) {
                return c->valid = false;
            }
        }
    }
    return true;
}

/* Condition cond (0..13) as *x *c *y on the last compare's operands; false if it must
 * be computed from the flags (no valid compare, or MI/PL/VS/VC). */
bool arm_cmp_cond(int cond, TCGCond *c, TCGv_i32 *x, TCGv_i32 *y)
{
    static const TCGCond from_cmp[14] = {
        TCG_COND_EQ, TCG_COND_NE, TCG_COND_GEU, TCG_COND_LTU,
        TCG_COND_NEVER, TCG_COND_NEVER, TCG_COND_NEVER, TCG_COND_NEVER,
        TCG_COND_GTU, TCG_COND_LEU, TCG_COND_GE, TCG_COND_LT, TCG_COND_GT, TCG_COND_LE,
    };
    if (cond >= 14 || from_cmp[cond] == TCG_COND_NEVER || !still_valid()) {
        return false;
    }
    *c = from_cmp[cond];
    *x = last_cmp.a;
    *y = last_cmp.b;
    if (tcgv_i32_temp(*x)->kind == TEMP_CONST) {      /* RSBS rd, rn, #imm: constant last */
        *c = tcg_swap_cond(*c);
        *x = last_cmp.b;
        *y = last_cmp.a;
    }
    return true;
}
