/* Liveness analysis: a backward pass over the op list that records which temp arguments
 * die at each op and which global writes must reach memory, and removes ops whose results
 * nothing reads, including writes to globals overwritten before any sync point (this is
 * what makes unread lazy condition-code computations vanish). Rules: docs/tcg.md. */
#include <stdlib.h>
#include "tcg/tcg.h"
#include "util/cutils.h"

/* Per-temp state while walking backwards (kept in TCGTemp.state). */
enum {
    TS_DEAD = 1,    /* the current value is not read by any later op */
    TS_MEM = 2,     /* the memory slot must hold the current value (a sync is due) */
};

/* TB temps that no op reads (kept in TCGTemp.state_ptr as a flag): their writes are
 * dead even across block ends. */
static void *const TB_TEMP_UNREAD = (void *)1;

static void mark_unread_tb_temps(TCGContext *s)
{
    for (int i = 0; i < s->nb_temps; i++) {
        s->temps[i].state_ptr = s->temps[i].kind == TEMP_TB ? TB_TEMP_UNREAD : NULL;
    }
    for (int i = 0; i < s->nb_ops; i++) {
        const TCGOp *op = &s->ops[i];
        for (int a = op->nb_oargs; a < op->nb_oargs + op->nb_iargs; a++) {
            s->temps[op->args[a]].state_ptr = NULL;
        }
    }
}

static bool is_memory_backed(const TCGTemp *t)
{
    return t->kind == TEMP_GLOBAL || t->kind == TEMP_TB;
}

/* The state at a block end: globals must be in memory (and are reloaded from there),
 * TB temps too unless the TB is left for good; everything else is dead. */
static void la_block_end(TCGContext *s, bool tb_exit)
{
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        bool tb_live = t->kind == TEMP_TB && !tb_exit && t->state_ptr != TB_TEMP_UNREAD;
        if (t->kind == TEMP_GLOBAL || tb_live) {
            t->state = TS_DEAD | TS_MEM;
        } else {
            t->state = TS_DEAD;
        }
    }
}

/* What liveness knows of each label while walking backwards: for labels already passed
 * (forward branches to them come later in the walk), which globals and TB temps are
 * read after the label before being written. */
typedef struct LaLabels {
    uint8_t *live;      /* bit per temp, per label */
    size_t stride;      /* bytes per label */
    bool *seen;
} LaLabels;

static bool label_live(const LaLabels *ll, unsigned label, int temp)
{
    if (!ll->seen[label]) {
        return true;    /* a backward branch: not known yet, so assume read */
    }
    return (ll->live[label * ll->stride + (unsigned)temp / 8] >> (temp % 8)) & 1;
}

static bool is_kept_in_memory(const TCGTemp *t)
{
    return t->kind == TEMP_GLOBAL || (t->kind == TEMP_TB && t->state_ptr != TB_TEMP_UNREAD);
}

/* At a label: globals and TB temps are synced (the other edges read memory) but keep
 * their deadness from after the label, which is recorded for the branches to it. */
static void la_label(TCGContext *s, LaLabels *ll, unsigned label)
{
    ll->seen[label] = true;
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        if (is_kept_in_memory(t)) {
            t->state = (t->state & TS_DEAD) | TS_MEM;
            if (!(t->state & TS_DEAD)) {
                ll->live[label * ll->stride + (unsigned)i / 8] |= (uint8_t)(1u << (i % 8));
            }
        } else {
            t->state = TS_DEAD;
        }
    }
}

/* At a branch (conditional: the fall-through continues): synced, and dead only if dead
 * after the label and, for a conditional branch, on the fall-through too. */
static void la_branch(TCGContext *s, LaLabels *ll, unsigned label, bool cond)
{
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        if (is_kept_in_memory(t)) {
            bool dead = !label_live(ll, label, i) && (!cond || (t->state & TS_DEAD));
            t->state = TS_MEM | (dead ? TS_DEAD : 0);
        } else {
            t->state = TS_DEAD;
        }
    }
}

/* Before a sync point: every global must be in memory; if clobber, the op may change
 * globals in memory so register copies before it are not reused after it. */
static void la_global_sync(TCGContext *s, bool clobber)
{
    for (int i = 1; i < s->nb_globals; i++) {
        TCGTemp *t = &s->temps[i];
        t->state = clobber ? (TS_DEAD | TS_MEM) : (t->state | TS_MEM);
    }
}

static bool op_removable(TCGContext *s, const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    if (def->flags & (TCG_OPF_SIDE_EFFECTS | TCG_OPF_BB_END)) {
        return false;
    }
    if (op->opc == INDEX_op_call) {
        if (!(tcg_call_info(op)->flags & TCG_CALL_NO_SIDE_EFFECTS)) {
            return false;
        }
    } else if (op->nb_oargs == 0) {
        return false;   /* insn_start, nop... */
    }
    for (int i = 0; i < op->nb_oargs; i++) {
        if (s->temps[op->args[i]].state != TS_DEAD) {
            return false;
        }
    }
    return true;
}

/* The sync effect an op has on globals just before it executes. */
static void la_op_sync(TCGContext *s, LaLabels *ll, const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    if (op->opc == INDEX_op_set_label) {
        la_label(s, ll, (unsigned)op->args[0]);
    } else if (op->opc == INDEX_op_br) {
        la_branch(s, ll, (unsigned)op->args[0], false);
    } else if (def->flags & TCG_OPF_COND_BRANCH) {
        la_branch(s, ll, (unsigned)op->args[3], true);
    } else if (def->flags & TCG_OPF_BB_END) {
        bool tb_exit = op->opc == INDEX_op_exit_tb || op->opc == INDEX_op_lookup_and_goto_ptr ||
                       op->opc == INDEX_op_goto_ptr;
        la_block_end(s, tb_exit);
    } else if (op->opc == INDEX_op_call) {
        unsigned flags = tcg_call_info(op)->flags;
        if (!(flags & TCG_CALL_NO_WRITE_GLOBALS)) {
            la_global_sync(s, true);
        } else if (!(flags & TCG_CALL_NO_READ_GLOBALS)) {
            la_global_sync(s, false);
        }
    } else if (def->flags & TCG_OPF_CAN_FAULT) {
        la_global_sync(s, false);
    }
}

static void la_op(TCGContext *s, LaLabels *ll, TCGOp *op)
{
    TCGLifeData life = 0;
    int nt = op->nb_oargs + op->nb_iargs;

    if (op->opc == INDEX_op_discard) {
        s->temps[op->args[0]].state = TS_DEAD;
        op->opc = INDEX_op_nop;
        return;
    }
    if (op_removable(s, op)) {
        op->opc = INDEX_op_nop;
        return;
    }
    for (int i = 0; i < op->nb_oargs; i++) {
        TCGTemp *t = &s->temps[op->args[i]];
        if (t->state & TS_DEAD) {
            life |= DEAD_ARG(i);
        }
        if ((t->state & TS_MEM) && is_memory_backed(t)) {
            life |= SYNC_ARG(i);
        }
        t->state = TS_DEAD;
    }
    la_op_sync(s, ll, op);
    for (int i = op->nb_oargs; i < nt; i++) {
        TCGTemp *t = &s->temps[op->args[i]];
        if ((t->state & TS_DEAD) && t->kind != TEMP_FIXED) {
            life |= DEAD_ARG(i);
        }
        t->state &= ~TS_DEAD;
    }
    op->life = life;
}

void tcg_liveness(TCGContext *s)
{
    LaLabels ll = { .stride = (size_t)(s->nb_temps + 7) / 8 };
    ll.live = xzalloc(ll.stride * (size_t)(s->nb_labels + 1));
    ll.seen = xzalloc(sizeof(bool) * (size_t)(s->nb_labels + 1));
    mark_unread_tb_temps(s);
    la_block_end(s, true);
    for (int i = s->nb_ops - 1; i >= 0; i--) {
        la_op(s, &ll, &s->ops[i]);
    }
    free(ll.live);
    free(ll.seen);
    tcg_compact_ops(s);
}
