/* Register state across labels in the x86-64 back end (docs/tcg.md "Register
 * allocation"): globals and TB temps are in memory at every branch and label, and a
 * register that holds the same global on every edge into a label still holds it after
 * the label. Each forward branch leaves a snapshot of its register map with the label;
 * the label keeps the registers on which all snapshots (and the fall-through, if the
 * label can be reached by falling into it) agree. Labels with a backward branch to them
 * start with nothing in registers (their later predecessors are not known yet).
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

void x86_label_enter(X86Gen *g, unsigned label)
{
    const X86LabelRegs *l = &g->label_regs[label];
    int16_t keep[16];
    x86_ra_sync_globals(g, true);
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
