/* Register state across labels in the x86-64 back end (docs/tcg.md "Register
 * allocation"): globals and TB temps are in memory at every branch and label, and a
 * register that holds the same global on every edge into a label still holds it after
 * the label. Each forward branch leaves a snapshot of its register map with the label;
 * the label keeps the registers on which all snapshots (and the fall-through, if the
 * label can be reached by falling into it) agree. The fall-through first moves or loads
 * into the snapshot's registers the temps read soon after the label. Labels with a
 * backward branch to them start with nothing in registers (their later predecessors
 * are not known yet).
 * A conditional branch stores the globals and TB temps newer than memory on its taken
 * edge only: it jumps to an out-of-line stub after the TB's code that stores them and
 * jumps to the label, and the fall-through keeps them dirty in their registers. */
#include <stdlib.h>
#include <string.h>
#include "tcg/x86_64/backend-x86.h"
#include "util/cutils.h"

enum { LABEL_NO_PRED, LABEL_SNAPSHOT, LABEL_BACKWARD };

static bool is_branch_to(const TCGOp *op, unsigned *label)
{
    if (op->opc == INDEX_op_br) {
        *label = (unsigned)op->args[0];
        return true;
    }
    if (op->opc == INDEX_op_brcond_i32 || op->opc == INDEX_op_brcond_i64) {
        *label = (unsigned)op->args[3];
        return true;
    }
    return false;
}

void x86_labels_begin(X86Gen *g)
{
    TCGContext *s = g->s;
    size_t n = (size_t)(s->nb_labels + 1);
    bool *seen = tcg_scratch(s, X86_SCRATCH_SEEN, sizeof(bool) * n);
    memset(seen, 0, sizeof(bool) * n);
    g->label_regs = tcg_scratch(s, X86_SCRATCH_LABELS, sizeof(X86LabelRegs) * n);
    memset(g->label_regs, 0, sizeof(X86LabelRegs) * n);
    g->unreachable = false;
    for (int i = 0; i < s->nb_ops; i++) {
        const TCGOp *op = &s->ops[i];
        unsigned l;
        if (op->opc == INDEX_op_set_label) {
            seen[op->args[0]] = true;
        } else if (is_branch_to(op, &l) && seen[l]) {
            g->label_regs[l].state = LABEL_BACKWARD;
        }
    }
}

void x86_labels_end(X86Gen *g)
{
    g->label_regs = NULL;
}

/* The temp a register holds if it is a global or TB temp (synced here), else free. */
static int16_t kept_temp(const X86Gen *g, int r)
{
    int idx = g->reg_temp[r];
    if (idx < 0) {
        return X86_REG_FREE;
    }
    TCGTempKind k = (TCGTempKind)g->s->temps[idx].kind;
    return k == TEMP_GLOBAL || k == TEMP_TB ? (int16_t)idx : X86_REG_FREE;
}

void x86_label_note_branch(X86Gen *g, unsigned label)
{
    X86LabelRegs *l = &g->label_regs[label];
    if (l->state == LABEL_BACKWARD) {
        return;
    }
    for (int r = 0; r < 16; r++) {
        int16_t t = kept_temp(g, r);
        if (l->state == LABEL_NO_PRED) {
            l->reg_temp[r] = t;
        } else if (l->reg_temp[r] != t) {
            l->reg_temp[r] = X86_REG_FREE;
        }
    }
    l->state = LABEL_SNAPSHOT;
}

/* How many ops after a label are searched for the reads that make a copy worth placing. */
#define LABEL_LOOKAHEAD 64

/* Which of the n temps in want[] the ops after the current one (a set_label) read before
 * writing them, within LABEL_LOOKAHEAD ops and before the flow leaves the fall-through
 * path (br, exit, goto_tb) or a call (which may drop globals): bit i for want[i]. Later
 * labels and conditional branches do not stop the search (their fall-through keeps the
 * registers too). */
static unsigned read_after_label(const X86Gen *g, const int16_t *want, int n)
{
    const TCGOp *end = g->s->ops + g->s->nb_ops;
    unsigned all = (1u << n) - 1, decided = 0, read = 0;
    const TCGOp *o = g->cur_op + 1;
    for (int k = 0; o < end && k < LABEL_LOOKAHEAD && decided != all; o++, k++) {
        unsigned flags = tcg_op_defs[o->opc].flags;
        for (int i = o->nb_oargs; i < o->nb_oargs + o->nb_iargs; i++) {
            for (int w = 0; w < n; w++) {
                if (o->args[i] == (TCGArg)want[w] && !(decided & (1u << w))) {
                    read |= 1u << w;
                    decided |= 1u << w;
                }
            }
        }
        if (o->opc == INDEX_op_call || o->opc == INDEX_op_br || (flags & TCG_OPF_BB_EXIT)) {
            break;
        }
        for (int i = 0; i < o->nb_oargs; i++) {
            for (int w = 0; w < n; w++) {
                if (o->args[i] == (TCGArg)want[w]) {
                    decided |= 1u << w;
                }
            }
        }
    }
    return read;
}

/* Temp t (synced) into register r, whose own temp (synced or dead) loses it:
 * mov r, reg of t; or mov r, [slot of t]. */
static void place_in_reg(X86Gen *g, int t, int r)
{
    TCGTemp *ts = &g->s->temps[t];
    int from = g->loc[t].reg;
    x86_ra_free_reg(g, (X86Reg)r);
    if (from >= 0) {
        x86_mov_rr(&g->a, true, (X86Reg)r, (X86Reg)from);
        x86_ra_free_reg(g, (X86Reg)from);
    } else {
        X86Reg base;
        int32_t disp;
        x86_ra_temp_slot(ts, &base, &disp);
        x86_load(&g->a, ts->type == TCG_TYPE_I32 ? 4 : 8, false, (X86Reg)r, base, disp);
    }
    g->reg_temp[r] = (int16_t)t;
    g->loc[t].reg = (int8_t)r;
    g->loc[t].in_mem = true;
}

/* At the end of the path that falls into a label whose branches left a snapshot (with
 * globals and TB temps synced): the temps that the snapshot has in registers and the
 * fall-through has elsewhere are put into the snapshot's registers when the code after
 * the label reads them soon, so that the label keeps them: a register move, or one load
 * on this path instead of one after the label on every path. ARM conditional execution
 * (a short forward branch around each conditional instruction) kept reloading the
 * guest registers that the skipped instruction's code had displaced. */
static void agree_with_branches(X86Gen *g, const X86LabelRegs *l)
{
    int16_t want[16];
    int8_t to[16];
    int n = 0;
    for (int r = 0; r < 16; r++) {
        int16_t t = l->reg_temp[r];
        if (t >= 0 && kept_temp(g, r) != t && (g->loc[t].reg >= 0 || g->loc[t].in_mem)) {
            want[n] = t;
            to[n++] = (int8_t)r;
        }
    }
    if (n == 0) {
        return;
    }
    unsigned read = read_after_label(g, want, n);
    for (int i = 0; i < n; i++) {
        /* an earlier placement may have taken the register of want[i]: then it loads */
        if ((read & (1u << i)) && (g->loc[want[i]].reg >= 0 || g->loc[want[i]].in_mem)) {
            place_in_reg(g, want[i], to[i]);
        }
    }
}

void x86_label_enter(X86Gen *g, unsigned label)
{
    const X86LabelRegs *l = &g->label_regs[label];
    int16_t keep[16];
    x86_ra_sync_globals(g, true);
    if (l->state == LABEL_SNAPSHOT && !g->unreachable) {
        agree_with_branches(g, l);
    }
    for (int r = 0; r < 16; r++) {
        bool agree = l->state == LABEL_SNAPSHOT && l->reg_temp[r] >= 0 &&
                     (g->unreachable || kept_temp(g, r) == l->reg_temp[r]);
        keep[r] = agree ? l->reg_temp[r] : X86_REG_FREE;
    }
    x86_ra_bb_end(g);
    for (int r = 0; r < 16; r++) {
        if (keep[r] >= 0) {
            g->reg_temp[r] = keep[r];
            g->loc[keep[r]].reg = (int8_t)r;
            g->loc[keep[r]].in_mem = true;
        }
    }
    g->unreachable = false;
}

/* The jcc rel32 of a conditional branch to label, at the current position (after its
 * compare): straight to the label when nothing is dirty, else to an edge stub. */
void x86_emit_cond_branch(X86Gen *g, X86Cond cc, unsigned label)
{
    X86DirtyGlobals d;
    x86_ra_note_dirty_globals(g, &d, true);
    if (d.n == 0) {
        x86_add_reloc(g, x86_jcc32(&g->a, cc, 0), label);
        return;
    }
    if (g->nb_edges == g->cap_edges) {
        g->cap_edges = g->cap_edges ? 2 * g->cap_edges : 16;
        g->edges = tcg_scratch_grow(g->s, X86_SCRATCH_EDGES,
                                    sizeof(*g->edges) * (size_t)g->cap_edges);
    }
    g->edges[g->nb_edges++] = (X86EdgeStub){
        .jump = (uint32_t)x86_jcc32(&g->a, cc, 0), .label = label, .dirty = d };
}

/* The edge stubs, after the TB's code: mov [slot], reg ...; jmp label. */
void x86_gen_edge_stubs(X86Gen *g)
{
    for (int i = 0; i < g->nb_edges; i++) {
        const X86EdgeStub *e = &g->edges[i];
        x86_patch32(&g->a, e->jump, (uint32_t)(g->a.pos - (e->jump + 4)));
        x86_emit_dirty_stores(&g->a, &e->dirty);
        x86_add_reloc(g, x86_jmp32(&g->a, 0), e->label);
    }
}
