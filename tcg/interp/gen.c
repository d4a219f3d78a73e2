/* The interpreter back end, code generation: serializes the optimized op list of a TB
 * into bytecode records (tcg/interp/bytecode.h) and fills the insn-start and goto_tb
 * tables of the back-end contract (docs/tcg.md). */
#include <stdlib.h>
#include "bytecode.h"
#include "interp.h"
#include "util/cutils.h"

typedef struct InterpGen {
    TCGContext *s;
    uint8_t *buf;
    size_t size;
    size_t pos;             /* bytes written */
    bool full;
    size_t label_off[TCG_MAX_LABELS];
    bool label_set[TCG_MAX_LABELS];
    size_t *fixup_pos;      /* word positions holding a label id to resolve */
    int nb_fixups;
} InterpGen;

static void put(InterpGen *g, uint64_t w)
{
    if (g->pos + 8 > g->size) {
        g->full = true;
        return;
    }
    memcpy(g->buf + g->pos, &w, 8);
    g->pos += 8;
}

static void put_operand(InterpGen *g, const TCGTemp *t)
{
    switch (t->kind) {
    case TEMP_FIXED:
        put(g, OPND_DESC(OPND_ENV, t->type));
        put(g, 0);
        break;
    case TEMP_GLOBAL:
        put(g, OPND_DESC(OPND_GLOBAL, t->type));
        put(g, (uint64_t)t->mem_offset);
        break;
    case TEMP_CONST:
        put(g, OPND_DESC(OPND_CONST, t->type));
        put(g, t->val);
        break;
    default:
        put(g, OPND_DESC(OPND_FRAME, t->type));
        put(g, t->index);
        break;
    }
}

static void put_label_ref(InterpGen *g, TCGArg label)
{
    g->fixup_pos[g->nb_fixups++] = g->pos;
    put(g, label);
}

static bool is_branch(TCGOpcode opc)
{
    return opc == INDEX_op_br || opc == INDEX_op_brcond_i32 || opc == INDEX_op_brcond_i64;
}

static void gen_insn_start(InterpGen *g, const TCGOp *op)
{
    TCGContext *s = g->s;
    if (s->nb_insns >= TCG_MAX_INSNS) {
        return;
    }
    if (s->nb_insns > 0) {
        s->gen_insn_end_off[s->nb_insns - 1] = (uint32_t)g->pos;
    }
    for (int w = 0; w < TCG_MAX_INSN_START_WORDS; w++) {
        s->gen_insn_data[s->nb_insns][w] = op->args[w];
    }
    s->nb_insns++;
}

/* One record: header, temp operands, constant args (labels as fixups), extras. */
static void gen_record(InterpGen *g, const TCGOp *op)
{
    int nt = op->nb_oargs + op->nb_iargs;
    unsigned extra = op->opc == INDEX_op_goto_tb ? 1 : 0;
    unsigned len = 1 + 2 * nt + op->nb_cargs + extra;
    put(g, interp_rec_header(op->opc, op->nb_oargs, op->nb_iargs, op->nb_cargs, len));
    for (int i = 0; i < nt; i++) {
        put_operand(g, &g->s->temps[op->args[i]]);
    }
    for (int i = 0; i < op->nb_cargs; i++) {
        bool label = is_branch(op->opc) && i == op->nb_cargs - 1;
        if (label) {
            put_label_ref(g, op->args[nt + i]);
        } else {
            put(g, op->args[nt + i]);
        }
    }
    if (op->opc == INDEX_op_goto_tb) {
        unsigned n = op->args[0] & 1;
        g->s->tb_jmp_insn_offset[n] = (uint32_t)g->pos;
        put(g, 0);  /* jump slot: 0 = unchained */
        g->s->tb_jmp_reset_offset[n] = (uint32_t)g->pos;
    }
}

static void gen_op(InterpGen *g, const TCGOp *op)
{
    switch (op->opc) {
    case INDEX_op_nop:
    case INDEX_op_discard:
        break;
    case INDEX_op_insn_start:
        gen_insn_start(g, op);
        break;
    case INDEX_op_set_label:
        g->label_off[op->args[0]] = g->pos;
        g->label_set[op->args[0]] = true;
        break;
    default:
        gen_record(g, op);
        break;
    }
}

/* Replaces label ids by byte offsets from the TB start; false if a label is unset. */
static bool resolve_labels(InterpGen *g)
{
    for (int i = 0; i < g->nb_fixups; i++) {
        uint64_t id = interp_word(g->buf + g->fixup_pos[i]);
        if (id >= TCG_MAX_LABELS || !g->label_set[id]) {
            return false;
        }
        uint64_t off = g->label_off[id];
        memcpy(g->buf + g->fixup_pos[i], &off, 8);
    }
    return true;
}

long interp_gen_code(TCGContext *s, void *buf_rw, const void *buf_rx, size_t size)
{
    if (((uintptr_t)buf_rw & 7) || ((uintptr_t)buf_rx & 7)) {
        return -2;  /* jump slots must be naturally aligned for atomic patching */
    }
    InterpGen *g = xmalloc(sizeof(*g));
    memset(g, 0, sizeof(*g));
    g->s = s;
    g->buf = buf_rw;
    g->size = size;
    g->fixup_pos = xmalloc(sizeof(size_t) * (size_t)(s->nb_ops + 1));
    s->nb_insns = 0;
    put(g, INTERP_MAGIC);
    put(g, (uint64_t)s->nb_temps);
    for (int i = 0; i < s->nb_ops && !g->full; i++) {
        gen_op(g, &s->ops[i]);
    }
    put(g, interp_rec_header(INDEX_op_exit_tb, 0, 0, 1, 2));   /* safety net */
    put(g, 0);
    if (s->nb_insns > 0) {
        s->gen_insn_end_off[s->nb_insns - 1] = (uint32_t)g->pos;
    }
    long ret = g->full ? -1 : resolve_labels(g) ? (long)g->pos : -2;
    free(g->fixup_pos);
    free(g);
    return ret;
}
