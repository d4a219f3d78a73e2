/* Liveness analysis: a backward pass over the op list that records which temp arguments
 * die at each op and which global writes must reach memory, and removes ops whose results
 * nothing reads, including writes to globals overwritten before any sync point (this is
 * what makes unread lazy condition-code computations vanish). Rules: docs/tcg.md. */
#include "tcg/tcg.h"

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

/* At a conditional branch: the target reads globals and TB temps from memory, so they
 * must be synced; on the fall-through their values (in memory and in any register copy)
 * stay usable, so they are dead only if the fall-through does not read them. EBB temps
 * die here. */
static void la_cond_branch(TCGContext *s)
{
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        bool tb_live = t->kind == TEMP_TB && t->state_ptr != TB_TEMP_UNREAD;
        if (t->kind == TEMP_GLOBAL || tb_live) {
            t->state = (t->state & TS_DEAD) | TS_MEM;
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
static void la_op_sync(TCGContext *s, const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    if (def->flags & TCG_OPF_COND_BRANCH) {
        la_cond_branch(s);
    } else if (def->flags & TCG_OPF_BB_END) {
        bool tb_exit = op->opc == INDEX_op_exit_tb || op->opc == INDEX_op_lookup_and_goto_ptr;
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

static void la_op(TCGContext *s, TCGOp *op)
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
    la_op_sync(s, op);
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
    mark_unread_tb_temps(s);
    la_block_end(s, true);
    for (int i = s->nb_ops - 1; i >= 0; i--) {
        la_op(s, &s->ops[i]);
    }
    tcg_compact_ops(s);
}
