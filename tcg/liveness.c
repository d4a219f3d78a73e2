/* Liveness analysis: a backward pass over the op list that records which temp arguments
 * die at each op and which global writes must reach memory, and removes ops whose results
 * nothing reads, including writes to globals overwritten before any sync point (this is
 * what makes unread lazy condition-code computations vanish). Rules: docs/tcg.md. */
#include <assert.h>
#include <string.h>
#include "tcg/tcg.h"
#include "tcg-internal.h"

/* Per-temp state while walking backwards (kept in TCGTemp.state). */
enum {
    TS_DEAD = 1,    /* the current value is not read by any later op */
    TS_MEM = 2,     /* the memory slot must hold the current value (a sync is due) */
};

/* TB temps that no op reads (kept in TCGTemp.state_ptr as a flag): their writes are
 * dead even across block ends. */
static void *const TB_TEMP_UNREAD = (void *)1;

static bool is_memory_backed(const TCGTemp *t)
{
    return t->kind == TEMP_GLOBAL || t->kind == TEMP_TB;
}

/* The walk's state besides TCGTemp.state. Block ends, labels and branches set every temp
 * that is not kept in memory to TS_DEAD; only those an op read since the previous such
 * point can be live, and they are listed, so a block end costs O(kept + listed), not
 * O(temps). */
typedef struct LaState {
    TCGContext *s;
    uint8_t *live;      /* per label, a bit per temp: read after the label (labels passed) */
    uint8_t *need;      /* the same, or its memory slot must hold it (not discarded) */
    size_t stride;      /* bytes per label */
    bool *seen;         /* per label: passed */
    int *kept;          /* the temps kept in memory: globals, then read TB temps */
    int nb_kept;
    int nb_kept_globals;
    int *listed;        /* the other temps read since the last block end, label or branch */
    int nb_listed;
    uint8_t *where;     /* per temp: LA_KEPT, LA_LISTED or 0 */
} LaState;

enum { LA_KEPT = 1, LA_LISTED = 2 };

/* An op read temp i: it is live until the walk passes its write or a block boundary. */
static void la_note_read(LaState *la, TCGTemp *t)
{
    int i = (int)t->index;
    t->state &= ~TS_DEAD;
    if (!la->where[i]) {
        la->where[i] = LA_LISTED;
        la->listed[la->nb_listed++] = i;
    }
}

/* Every temp not kept in memory is dead before a block boundary. */
static void la_kill_listed(LaState *la)
{
    for (int k = 0; k < la->nb_listed; k++) {
        int i = la->listed[k];
        la->s->temps[i].state = TS_DEAD;
        la->where[i] = 0;
    }
    la->nb_listed = 0;
}

/* The state at a block end: globals must be in memory (and are reloaded from there),
 * TB temps too unless the TB is left for good; everything else is dead. */
static void la_block_end(LaState *la, bool tb_exit)
{
    TCGTemp *temps = la->s->temps;
    int k = 0;
    for (; k < la->nb_kept_globals; k++) {
        temps[la->kept[k]].state = TS_DEAD | TS_MEM;
    }
    intptr_t tb_state = tb_exit ? TS_DEAD : TS_DEAD | TS_MEM;
    for (; k < la->nb_kept; k++) {
        temps[la->kept[k]].state = tb_state;
    }
    la_kill_listed(la);
}

/* A label's row of a per-label bitmap (live or need): a bit per temp. A branch to a
 * label the walk has not passed (seen) is a backward one: its rows are not known yet,
 * and every kept temp counts as read after it (the callers test seen first). */
static uint8_t *label_row(const LaState *la, uint8_t *map, unsigned label)
{
    return map + label * la->stride;
}

static bool row_bit(const uint8_t *row, int temp)
{
    return (row[(unsigned)temp / 8] >> (temp % 8)) & 1;
}

static void row_set(uint8_t *row, int temp)
{
    row[(unsigned)temp / 8] |= (uint8_t)(1u << (temp % 8));
}

/* At a label: globals and TB temps are synced (the other edges read memory) but keep
 * their deadness from after the label, which is recorded for the branches to it. A
 * value neither read nor needed in memory after the label (overwritten or discarded
 * first) is not synced. */
static void la_label(LaState *la, unsigned label)
{
    uint8_t *need = label_row(la, la->need, label), *live = label_row(la, la->live, label);
    la->seen[label] = true;
    for (int k = 0; k < la->nb_kept; k++) {
        int i = la->kept[k];
        TCGTemp *t = &la->s->temps[i];
        if (t->state == TS_DEAD) {
            continue;
        }
        t->state = (t->state & TS_DEAD) | TS_MEM;
        row_set(need, i);
        if (!(t->state & TS_DEAD)) {
            row_set(live, i);
        }
    }
    la_kill_listed(la);
}

/* At an unconditional branch: synced if the label needs it, dead unless read after it. */
static void la_branch(LaState *la, unsigned label)
{
    if (!la->seen[label]) {             /* backward: live and needed */
        for (int k = 0; k < la->nb_kept; k++) {
            la->s->temps[la->kept[k]].state = TS_MEM;
        }
        la_kill_listed(la);
        return;
    }
    const uint8_t *live_row = label_row(la, la->live, label);
    const uint8_t *need_row = label_row(la, la->need, label);
    for (int k = 0; k < la->nb_kept; k++) {
        int i = la->kept[k];
        TCGTemp *t = &la->s->temps[i];
        bool live = row_bit(live_row, i);
        bool need = row_bit(need_row, i);
        t->state = need ? TS_MEM | (live ? 0 : TS_DEAD) : TS_DEAD;
    }
    la_kill_listed(la);
}

/* At a conditional branch the back end stores globals and TB temps newer than memory on
 * the taken edge only (docs/tcg.md, section 3 point 1): one that the label needs is kept
 * live up to the branch, not synced at its writer, and needs memory before the branch
 * only if the fall-through needs it there. A loop copy that writes the same guest
 * registers again after its exit test then stores them once, at the end. */
static void la_cond_branch(LaState *la, unsigned label)
{
    bool backward = !la->seen[label];   /* needed */
    const uint8_t *need_row = label_row(la, la->need, label);
    for (int k = 0; k < la->nb_kept; k++) {
        int i = la->kept[k];
        TCGTemp *t = &la->s->temps[i];
        bool need = backward || row_bit(need_row, i);
        if (need || t->state != TS_DEAD) {
            t->state = (need || !(t->state & TS_DEAD) ? 0 : TS_DEAD) | (t->state & TS_MEM);
        }
    }
    la_kill_listed(la);
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

/* Before a guest access (which may fault): every global's current value must be
 * recoverable, so none is dead, but it may stay in a register: the back end stores the
 * ones newer than memory on the access's slow path only (docs/tcg.md). */
static void la_global_live(TCGContext *s)
{
    for (int i = 1; i < s->nb_globals; i++) {
        s->temps[i].state &= ~TS_DEAD;
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
static void la_op_sync(LaState *la, const TCGOp *op)
{
    TCGContext *s = la->s;
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    if (op->opc == INDEX_op_set_label) {
        la_label(la, (unsigned)op->args[0]);
    } else if (op->opc == INDEX_op_br) {
        la_branch(la, (unsigned)op->args[0]);
    } else if (def->flags & TCG_OPF_COND_BRANCH) {
        la_cond_branch(la, (unsigned)op->args[3]);
    } else if (def->flags & TCG_OPF_BB_END) {
        if (op->opc == INDEX_op_goto_tb) {
            s->tb_has_goto_tb[op->args[0] & 1] = true;     /* (kept: side effects) */
        }
        bool tb_exit = op->opc == INDEX_op_exit_tb || op->opc == INDEX_op_lookup_and_goto_ptr ||
                       op->opc == INDEX_op_goto_ptr;
        la_block_end(la, tb_exit);
    } else if (op->opc == INDEX_op_call) {
        unsigned flags = tcg_call_info(op)->flags;
        if (!(flags & TCG_CALL_NO_WRITE_GLOBALS)) {
            la_global_sync(s, true);
        } else if (!(flags & TCG_CALL_NO_READ_GLOBALS)) {
            la_global_sync(s, false);
        }
    } else if (def->flags & TCG_OPF_CAN_FAULT) {
        la_global_live(s);
    }
}

static void la_op(LaState *la, TCGOp *op)
{
    TCGContext *s = la->s;
    TCGLifeData life = 0;
    int nt = op->nb_oargs + op->nb_iargs;

    if (op->opc == INDEX_op_discard) {
        /* kept for the back end: a value still waiting for its store (the x86-64
         * back end's pending stores, a register newer than memory) is dropped there */
        s->temps[op->args[0]].state = TS_DEAD;
        op->life = 0;
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
    la_op_sync(la, op);
    for (int i = op->nb_oargs; i < nt; i++) {
        TCGTemp *t = &s->temps[op->args[i]];
        if ((t->state & TS_DEAD) && t->kind != TEMP_FIXED) {
            life |= DEAD_ARG(i);
        }
        la_note_read(la, t);
    }
    op->life = life;
}

/* Of the TB temps listed in tb[], those some op reads are kept in memory (after the
 * globals, in index order like them). */
static void la_keep_read_tb_temps(LaState *la, const int *tb, int nb_tb)
{
    TCGContext *s = la->s;
    for (int i = 0; i < s->nb_ops; i++) {
        const TCGOp *op = &s->ops[i];
        for (int a = op->nb_oargs; a < op->nb_oargs + op->nb_iargs; a++) {
            s->temps[op->args[a]].state_ptr = NULL;
        }
    }
    for (int k = 0; k < nb_tb; k++) {
        if (s->temps[tb[k]].state_ptr != TB_TEMP_UNREAD) {
            la->where[tb[k]] = LA_KEPT;
            la->kept[la->nb_kept++] = tb[k];
        }
    }
}

/* Lists the temps kept in memory: the globals, and the TB temps that some op reads
 * (the ops are walked for them only when the TB has TB temps: most TBs have none). The
 * walk starts as at a TB exit. */
static void la_begin(LaState *la)
{
    TCGContext *s = la->s;
    int nb_tb = 0;
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        t->state = TS_DEAD;
        la->where[i] = 0;
        if (t->kind == TEMP_GLOBAL) {
            la->where[i] = LA_KEPT;
            la->kept[la->nb_kept++] = i;
        } else if (t->kind == TEMP_TB) {
            t->state_ptr = TB_TEMP_UNREAD;
            la->listed[nb_tb++] = i;            /* (the list is empty until the walk) */
        }
    }
    la->nb_kept_globals = la->nb_kept;
    if (nb_tb) {
        la_keep_read_tb_temps(la, la->listed, nb_tb);
    }
    la_block_end(la, true);
}

void tcg_liveness(TCGContext *s)
{
    size_t n = (size_t)s->nb_temps, nl = (size_t)s->nb_labels + 1;
    LaState la = { .s = s, .stride = (n + 7) / 8 };
    /* The context's work memory: the label tables (zeroed) and the temp lists (not). */
    size_t label_bytes = la.stride * nl * 2 + sizeof(bool) * nl;
    la.live = tcg_scratch(s, TCG_SCRATCH_LA_LABELS, label_bytes);
    memset(la.live, 0, label_bytes);
    la.need = la.live + la.stride * nl;
    la.seen = (bool *)(la.live + la.stride * nl * 2);
    la.kept = tcg_scratch(s, TCG_SCRATCH_LA_TEMPS, (sizeof(int) * 2 + 1) * n);
    la.listed = la.kept + n;
    la.where = (uint8_t *)(la.listed + n);
    s->tb_has_goto_tb[0] = s->tb_has_goto_tb[1] = false;
    la_begin(&la);
    for (int i = s->nb_ops - 1; i >= 0; i--) {
        la_op(&la, &s->ops[i]);
    }
    tcg_compact_ops(s);
}
