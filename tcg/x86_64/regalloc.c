/* Register allocator of the x86-64 back end: temps live in host registers or in their
 * memory slots (globals: the CPU state at env + offset; other temps: a frame slot). */
#include <assert.h>
#include "tcg/x86_64/backend-x86.h"

/* Allocation order: callee-saved first (they survive helper calls), rax/rcx/rdx last
 * (division, shifts and double-width multiplies want them). */
static const X86Reg alloc_order[] = {
    X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15, X86_RSI, X86_RDI, X86_R8, X86_R9,
    X86_RAX, X86_RDX, X86_RCX,
};

bool x86_temp_is_const(const TCGTemp *t)
{
    return t->kind == TEMP_CONST;
}

bool x86_temp_fits_imm32(const TCGTemp *t, bool w64)
{
    return t->kind == TEMP_CONST && (!w64 || x86_fits_i32((int64_t)t->val));
}

static bool temp_has_slot(const TCGTemp *t)
{
    return t->kind == TEMP_GLOBAL || t->kind == TEMP_TB || t->kind == TEMP_EBB;
}

void x86_ra_temp_slot(const TCGTemp *t, X86Reg *base, int32_t *disp)
{
    if (t->kind == TEMP_GLOBAL) {
        *base = X86_ENV_REG;
        *disp = (int32_t)t->mem_offset;
    } else {
        *base = X86_RSP;
        *disp = X86_FRAME_SPILL + 8 * t->index;
    }
}

static unsigned temp_size(const TCGTemp *t)
{
    return t->type == TCG_TYPE_I32 ? 4 : 8;
}

void x86_ra_begin_tb(X86Gen *g)
{
    TCGContext *s = g->s;
    for (int r = 0; r < 16; r++) {
        g->reg_temp[r] = X86_REG_FREE;
    }
    g->locked = 0;
    g->scratch_regs = 0;
    g->nb_ebb_in_mem = 0;
    g->nb_pending = 0;
    g->cur_op = NULL;
    g->op_emitted = false;
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        g->loc[i].reg = -1;
        g->loc[i].pending = -1;
        g->loc[i].in_mem = t->kind == TEMP_GLOBAL;
        g->loc[i].listed = false;
        if (t->kind == TEMP_FIXED) {
            g->loc[i].reg = X86_ENV_REG;
        }
    }
}

/* t's memory slot holds its value. EBB temps so marked are listed (once) so that a block
 * end clears only them, not every temp of the TB. */
static void mark_in_mem(X86Gen *g, const TCGTemp *t)
{
    X86TempLoc *l = &g->loc[t->index];
    l->in_mem = true;
    if (t->kind == TEMP_EBB && !l->listed) {
        l->listed = true;
        g->ebb_in_mem[g->nb_ebb_in_mem++] = (int16_t)t->index;
    }
}

/* Block end: no EBB temp's slot holds a value any more. */
static void forget_ebb_slots(X86Gen *g)
{
    for (int i = 0; i < g->nb_ebb_in_mem; i++) {
        X86TempLoc *l = &g->loc[g->ebb_in_mem[i]];
        l->in_mem = false;
        l->listed = false;
    }
    g->nb_ebb_in_mem = 0;
}

/* Inserts t into idx[0..n), kept in ascending order (at most 16 entries). */
static void insert_sorted(int16_t *idx, int n, int t)
{
    int j = n;
    for (; j > 0 && idx[j - 1] > t; j--) {
        idx[j] = idx[j - 1];
    }
    idx[j] = (int16_t)t;
}

/* The temps held in registers (each register's owner, if it is a temp), in ascending
 * index order: syncs store them in the order of a walk over all temps, so the code does
 * not depend on which register a temp happens to be in. Returns their number. */
static int temps_in_regs(const X86Gen *g, int16_t *idx)
{
    int n = 0;
    for (int r = 0; r < 16; r++) {
        int t = g->reg_temp[r];
        if (t < 0 || g->loc[t].reg != r) {
            continue;
        }
        insert_sorted(idx, n++, t);
    }
    return n;
}

/* The same for the globals (and TB temps if also_tb_temps) whose register copy is newer
 * than memory: filtered before the sort, which made temps_in_regs ~2,400 host
 * instructions per TB at guest accesses and branches. */
static int dirty_in_regs(const X86Gen *g, int16_t *idx, bool also_tb_temps)
{
    int n = 0;
    for (int r = 0; r < 16; r++) {
        int t = g->reg_temp[r];
        if (t < 0 || g->loc[t].reg != r || g->loc[t].in_mem) {
            continue;
        }
        TCGTempKind k = (TCGTempKind)g->s->temps[t].kind;
        if (k != TEMP_GLOBAL && !(also_tb_temps && k == TEMP_TB)) {
            continue;
        }
        insert_sorted(idx, n++, t);
    }
    return n;
}

/* ---- pending stores: a global's constant or copy whose store waits for a sync ------- */

/* Forgets t's pending store (t was written again, or its value was stored). */
static void pending_drop(X86Gen *g, const TCGTemp *t)
{
    int k = g->loc[t->index].pending;
    if (k < 0) {
        return;
    }
    g->loc[t->index].pending = -1;
    g->pending[k] = g->pending[--g->nb_pending];
    if (k < g->nb_pending) {
        g->loc[g->pending[k].temp].pending = (int8_t)k;
    }
}

/* Stores t's pending value now: mov [env + slot], imm32 (or the source's register). */
static void pending_store(X86Gen *g, const TCGTemp *t)
{
    int k = g->loc[t->index].pending;
    X86Reg base;
    int32_t disp;
    if (k < 0) {
        return;
    }
    x86_ra_temp_slot(t, &base, &disp);
    if (g->pending[k].reg == X86_NOREG) {
        x86_store_imm(&g->a, temp_size(t), g->pending[k].val, base, disp);
    } else {
        x86_store(&g->a, temp_size(t), (X86Reg)g->pending[k].reg, base, disp);
    }
    pending_drop(g, t);
    g->loc[t->index].in_mem = true;
}

static void pending_store_all(X86Gen *g)
{
    while (g->nb_pending) {
        pending_store(g, &g->s->temps[g->pending[0].temp]);
    }
}

/* Whether the ops from the end of the current op's code write t before anything could
 * see its value: a read, a branch or label, a call, an access that may fault (its miss
 * path stores globals), a block end (at most 16 ops ahead). A pending value of t is
 * then never needed: a loop copy's cc_src2 copied from the register that the next
 * copy's load replaces. */
static bool overwritten_unseen(const X86Gen *g, const TCGTemp *t)
{
    const TCGOp *end = g->s->ops + g->s->nb_ops;
    const TCGOp *o = g->op_emitted ? g->cur_op + 1 : g->cur_op;
    for (int n = 0; o < end && n < 16; o++, n++) {
        unsigned flags = tcg_op_defs[o->opc].flags;
        for (int i = o->nb_oargs; i < o->nb_oargs + o->nb_iargs; i++) {
            if (o->args[i] == (TCGArg)t->index) {
                return false;
            }
        }
        if (o->opc == INDEX_op_call || o->opc == INDEX_op_set_label ||
            (flags & (TCG_OPF_BB_END | TCG_OPF_BRANCH | TCG_OPF_CAN_FAULT |
                      TCG_OPF_SIDE_EFFECTS | TCG_OPF_CALL_CLOBBER))) {
            return false;
        }
        for (int i = 0; i < o->nb_oargs; i++) {
            if (o->args[i] == (TCGArg)t->index) {
                return true;
            }
        }
    }
    return false;
}

/* Register r is about to stop holding its temp's current value (freed, given to an
 * output, moved): the globals copied from it are stored first, unless they are written
 * again before anything could see them. */
void x86_ra_reg_changes(X86Gen *g, int r)
{
    for (int k = 0; k < g->nb_pending; k++) {
        if (g->pending[k].reg == r) {
            const TCGTemp *t = &g->s->temps[g->pending[k].temp];
            if (g->cur_op && overwritten_unseen(g, t)) {
                pending_drop(g, t);
            } else {
                pending_store(g, t);
            }
            k = -1;     /* the list was reordered */
        }
    }
}

/* Whether a pending copy reads register r. */
static bool pending_uses_reg(const X86Gen *g, int r)
{
    for (int k = 0; k < g->nb_pending; k++) {
        if (g->pending[k].reg == r) {
            return true;
        }
    }
    return false;
}

/* The value of register from moved to register to. */
static void pending_move(X86Gen *g, int from, int to)
{
    for (int k = 0; k < g->nb_pending; k++) {
        if (g->pending[k].reg == from) {
            g->pending[k].reg = (int8_t)to;
        }
    }
}

/* r no longer belongs to its temp: free, or an op scratch while this op uses it. */
static void reg_disown(X86Gen *g, int r)
{
    x86_ra_reg_changes(g, r);
    g->reg_temp[r] = (g->locked & X86_REG_BIT(r)) ? X86_REG_OP_SCRATCH : X86_REG_FREE;
    g->scratch_regs |= (uint16_t)X86_REG_BIT(r);
}

/* The global t now holds src's value: a constant that fits an imm32 (sign-extended if
 * i64) or a temp in a register that stays live. t is in no register and not in memory
 * yet; the store waits for a sync, an edge, a miss, or a change of src's register.
 * False when the list is full or src does not qualify: the caller stores it now. */
bool x86_ra_set_pending(X86Gen *g, TCGTemp *t, const TCGTemp *src)
{
    X86TempLoc *l = &g->loc[t->index];
    bool w64 = t->type == TCG_TYPE_I64;
    int reg = src->kind == TEMP_CONST ? X86_NOREG : g->loc[src->index].reg;
    if (t->kind != TEMP_GLOBAL || (src->kind == TEMP_CONST && !x86_temp_fits_imm32(src, w64)) ||
        (src->kind != TEMP_CONST && (reg < 0 || src->kind == TEMP_FIXED))) {
        return false;
    }
    if (l->pending < 0 && g->nb_pending == X86_MAX_PENDING) {
        return false;
    }
    if (l->reg >= 0) {
        reg_disown(g, l->reg);
        l->reg = -1;
    }
    if (l->pending < 0) {
        l->pending = (int8_t)g->nb_pending++;
        g->pending[l->pending].temp = (int16_t)t->index;
    }
    g->pending[l->pending].reg = (int8_t)reg;
    g->pending[l->pending].val = (int32_t)src->val;
    l->in_mem = false;
    return true;
}

void x86_ra_temp_store(X86Gen *g, TCGTemp *t)
{
    X86TempLoc *l = &g->loc[t->index];
    X86Reg base;
    int32_t disp;
    if (l->in_mem || l->reg < 0 || !temp_has_slot(t)) {
        return;
    }
    x86_ra_temp_slot(t, &base, &disp);
    x86_store(&g->a, temp_size(t), l->reg, base, disp);
    mark_in_mem(g, t);
}

/* Empties r for a fixed-register operand or clobber of the current op and locks it. */
void x86_ra_reserve(X86Gen *g, X86Reg r)
{
    x86_ra_evict_reg(g, r);
    g->reg_temp[r] = X86_REG_OP_SCRATCH;
    g->scratch_regs |= (uint16_t)X86_REG_BIT(r);
    g->locked |= (uint16_t)X86_REG_BIT(r);
}

void x86_ra_free_reg(X86Gen *g, X86Reg r)
{
    int idx = g->reg_temp[r];
    if (g->nb_pending) {
        x86_ra_reg_changes(g, r);
    }
    if (idx >= 0) {
        g->loc[idx].reg = -1;
    }
    g->reg_temp[r] = X86_REG_FREE;
    g->locked &= (uint16_t)~X86_REG_BIT(r);
}

/* Spills the temp in r (if its value is not in memory yet) and frees r. */
void x86_ra_evict_reg(X86Gen *g, X86Reg r)
{
    int idx = g->reg_temp[r];
    if (idx >= 0) {
        x86_ra_temp_store(g, &g->s->temps[idx]);
    }
    x86_ra_free_reg(g, r);
}

/* How many allocatable registers are free and unlocked. */
int x86_ra_free_count(const X86Gen *g)
{
    int n = 0;
    for (size_t i = 0; i < sizeof(alloc_order) / sizeof(alloc_order[0]); i++) {
        X86Reg r = alloc_order[i];
        n += !(g->locked & X86_REG_BIT(r)) && g->reg_temp[r] == X86_REG_FREE;
    }
    return n;
}

/* Eviction preference: a global whose memory slot is current (nothing to store), then
 * a global (one store to its slot, which a later sync would make anyway), then a temp
 * (a spill now and a reload later). */
static int victim_rank(const X86Gen *g, int idx)
{
    if (g->s->temps[idx].kind != TEMP_GLOBAL) {
        return 2;
    }
    return g->loc[idx].in_mem ? 0 : 1;
}

/* How many ops from the current one the allocator looks at for the next reads. */
#define VICTIM_LOOKAHEAD 32

/* For each register in cand (holding a temp): in how many ops from the current one (0:
 * the current op) its temp is read next; VICTIM_LOOKAHEAD when not within that window,
 * nor before the temp is written again, a call or the end of the flow. */
static void next_reads(const X86Gen *g, uint16_t cand, int *dist)
{
    const TCGOp *end = g->s->ops + g->s->nb_ops;
    const TCGOp *o = g->cur_op;
    uint16_t open = cand;
    for (unsigned m = cand; m; m &= m - 1) {
        dist[__builtin_ctz(m)] = VICTIM_LOOKAHEAD;
    }
    for (int k = 0; o && o < end && k < VICTIM_LOOKAHEAD && open; o++, k++) {
        unsigned flags = tcg_op_defs[o->opc].flags;
        for (int i = o->nb_oargs; i < o->nb_oargs + o->nb_iargs; i++) {
            int r = g->loc[o->args[i]].reg;
            if (r >= 0 && (open & X86_REG_BIT(r)) && g->reg_temp[r] == (int)o->args[i]) {
                dist[r] = k;
                open &= (uint16_t)~X86_REG_BIT(r);
            }
        }
        if (o->opc == INDEX_op_call || o->opc == INDEX_op_br || (flags & TCG_OPF_BB_EXIT)) {
            break;
        }
        for (int i = 0; i < o->nb_oargs; i++) {
            int r = g->loc[o->args[i]].reg;
            if (r >= 0 && g->reg_temp[r] == (int)o->args[i]) {
                open &= (uint16_t)~X86_REG_BIT(r);
            }
        }
    }
}

/* The register to empty when none is free (outside no): among the globals in
 * registers, the one read last (or not at all) in the next ops, the cheaper one first
 * on a tie (victim_rank); else the other temp (TB or EBB) read last. Evicting the
 * clean global first in allocation order took the guest registers that the next
 * instructions read (ARM's base registers, reloaded at each conditional instruction). */
static int pick_victim(const X86Gen *g, uint16_t no)
{
    int dist[16];
    uint16_t cand = 0;
    int best = -1, best_key = -1;
    for (size_t i = 0; i < sizeof(alloc_order) / sizeof(alloc_order[0]); i++) {
        X86Reg r = alloc_order[i];
        if (!(no & X86_REG_BIT(r)) && g->reg_temp[r] >= 0) {
            cand |= (uint16_t)X86_REG_BIT(r);
        }
    }
    if (!cand) {
        return -1;
    }
    next_reads(g, cand, dist);
    for (size_t i = 0; i < sizeof(alloc_order) / sizeof(alloc_order[0]); i++) {
        X86Reg r = alloc_order[i];
        int rank, key;
        if (!(cand & X86_REG_BIT(r))) {
            continue;
        }
        rank = victim_rank(g, g->reg_temp[r]);
        key = (rank == 2 ? 0 : 4 * (VICTIM_LOOKAHEAD + 1)) + 4 * dist[r] + (2 - rank);
        if (key > best_key) {
            best = r;
            best_key = key;
        }
    }
    return best;
}

/* A free allocatable register outside avoid and the locked set; spills a victim when
 * none is free. The register comes back locked. */
X86Reg x86_ra_alloc(X86Gen *g, uint16_t avoid)
{
    uint16_t no = avoid | g->locked;
    int r;
    for (size_t i = 0; i < sizeof(alloc_order) / sizeof(alloc_order[0]); i++) {
        X86Reg f = alloc_order[i];
        if (!(no & X86_REG_BIT(f)) && g->reg_temp[f] == X86_REG_FREE) {
            g->locked |= (uint16_t)X86_REG_BIT(f);
            return f;
        }
    }
    r = pick_victim(g, no);
    if (r >= 0) {
        x86_ra_evict_reg(g, (X86Reg)r);
        g->locked |= (uint16_t)X86_REG_BIT(r);
        return (X86Reg)r;
    }
    /* Every register is locked by this op: cannot happen with <= 7 operands. */
    g->unsupported = true;
    return X86_RAX;
}

/* Puts t's value in r (a copy: r is not given to t). A pending constant is stored
 * first: a read that is the global's last use frees its register without a store
 * (x86_ra_release_dead), so the value must be in memory already. */
void x86_ra_load_value(X86Gen *g, TCGTemp *t, X86Reg r)
{
    X86TempLoc *l = &g->loc[t->index];
    X86Reg base;
    int32_t disp;
    if (l->pending >= 0) {
        X86Pending p = g->pending[l->pending];
        pending_store(g, t);
        if (p.reg != X86_NOREG) {
            x86_mov_rr(&g->a, true, r, (X86Reg)p.reg);
        } else {
            x86_mov_ri(&g->a, r, t->type == TCG_TYPE_I32 ? (uint32_t)p.val
                                                         : (uint64_t)(int64_t)p.val);
        }
    } else if (t->kind == TEMP_CONST) {
        x86_mov_ri(&g->a, r, t->type == TCG_TYPE_I32 ? (uint32_t)t->val : t->val);
    } else if (l->reg >= 0) {
        x86_mov_rr(&g->a, true, r, l->reg);
    } else if (l->in_mem) {
        x86_ra_temp_slot(t, &base, &disp);
        x86_load(&g->a, temp_size(t), false, r, base, disp);
    } else {
        /* Read of a temp that was never written: its value is undefined; use 0. */
        x86_mov_ri(&g->a, r, 0);
    }
}

/* Puts t's value in a register outside avoid, and locks it. Constants go to a
 * scratch register owned by the current op. */
X86Reg x86_ra_in_reg(X86Gen *g, TCGTemp *t, uint16_t avoid)
{
    X86TempLoc *l = &g->loc[t->index];
    X86Reg r;
    if (l->reg >= 0 && !(avoid & X86_REG_BIT(l->reg))) {
        g->locked |= (uint16_t)X86_REG_BIT(l->reg);
        return l->reg;
    }
    r = x86_ra_alloc(g, avoid);
    x86_ra_load_value(g, t, r);
    if (t->kind == TEMP_CONST || t->kind == TEMP_FIXED) {
        g->reg_temp[r] = X86_REG_OP_SCRATCH;
        g->scratch_regs |= (uint16_t)X86_REG_BIT(r);
        return r;
    }
    if (l->reg >= 0) {
        /* Moved out of an avoided register: a copy another operand of this op uses
         * stays until the op ends, else the old register becomes free. */
        reg_disown(g, l->reg);
    }
    l->reg = (int8_t)r;
    g->reg_temp[r] = (int16_t)t->index;
    return r;
}

/* Puts t's value in exactly r (for fixed-register operands), locked. */
void x86_ra_in_fixed(X86Gen *g, TCGTemp *t, X86Reg r)
{
    X86TempLoc *l = &g->loc[t->index];
    if (l->reg == r) {
        g->locked |= (uint16_t)X86_REG_BIT(r);
        return;
    }
    if (g->reg_temp[r] != X86_REG_FREE) {
        x86_ra_evict_reg(g, r);
    }
    x86_ra_load_value(g, t, r);
    g->locked |= (uint16_t)X86_REG_BIT(r);
    if (t->kind == TEMP_CONST || t->kind == TEMP_FIXED) {
        g->reg_temp[r] = X86_REG_OP_SCRATCH;
        g->scratch_regs |= (uint16_t)X86_REG_BIT(r);
        return;
    }
    /* The temp moves to r; its old register stays as an op scratch copy if another
     * operand of this op uses it, else it is freed. */
    if (l->reg >= 0) {
        reg_disown(g, l->reg);
    }
    l->reg = (int8_t)r;
    g->reg_temp[r] = (int16_t)t->index;
}

/* Records that t's new value is in r (r was allocated for this output). */
void x86_ra_set_output(X86Gen *g, TCGTemp *t, X86Reg r)
{
    X86TempLoc *l = &g->loc[t->index];
    if (l->reg >= 0 && l->reg != r) {
        reg_disown(g, l->reg);
    }
    assert(!pending_uses_reg(g, r));    /* r's old value was given up before the op */
    l->reg = (int8_t)r;
    l->in_mem = false;
    g->reg_temp[r] = (int16_t)t->index;
    pending_drop(g, t);
}

/* An input or output that liveness marked dead after this op. A dead global needs no
 * store either: every write whose value must reach memory (a sync point, a block end or
 * a label before the next write) carries NEED_SYNC and was stored when it was made. */
void x86_ra_release_dead(X86Gen *g, TCGTemp *t)
{
    X86TempLoc *l = &g->loc[t->index];
    if (t->kind == TEMP_CONST || t->kind == TEMP_FIXED || l->reg < 0) {
        return;
    }
    reg_disown(g, l->reg);
    l->reg = -1;
}

/* End of an op: scratch registers are freed and every lock dropped. */
void x86_ra_release_op_scratch(X86Gen *g)
{
    for (unsigned m = g->scratch_regs; m; m &= m - 1) {
        int r = __builtin_ctz(m);
        if (g->reg_temp[r] == X86_REG_OP_SCRATCH) {
            g->reg_temp[r] = X86_REG_FREE;
        }
    }
    g->scratch_regs = 0;
    g->locked = 0;
}

/* Stores every global (and TB temp) whose register copy is newer than memory (only a
 * temp in a register can be newer). */
void x86_ra_sync_globals(X86Gen *g, bool also_tb_temps)
{
    int16_t idx[16];
    int n = dirty_in_regs(g, idx, also_tb_temps);
    for (int i = 0; i < n; i++) {
        x86_ra_temp_store(g, &g->s->temps[idx[i]]);
    }
    pending_store_all(g);
}

/* Records the globals whose register copy is newer than memory (a guest access's miss
 * path stores them: the hit path cannot fault, so memory need not be current there).
 * All of them, however many: storing them inline when more than 3 were dirty (to keep
 * stubs short) stored guest registers and flag fields before almost every access of
 * the i386 kernel's multiprecision loops (docs/tcg.md, section 3 point 3). */
void x86_ra_note_dirty_globals(X86Gen *g, X86DirtyGlobals *d, bool also_tb_temps)
{
    int16_t idx[16];
    int n = dirty_in_regs(g, idx, also_tb_temps);
    d->n = 0;
    for (int i = 0; i < n; i++) {
        const TCGTemp *t = &g->s->temps[idx[i]];
        const X86TempLoc *l = &g->loc[idx[i]];
        X86Reg base;
        x86_ra_temp_slot(t, &base, &d->disp[d->n]);
        d->reg[d->n] = l->reg;
        d->base[d->n] = (int8_t)base;
        d->size[d->n] = (uint8_t)temp_size(t);
        d->n++;
    }
    for (int k = 0; k < g->nb_pending; k++) {
        const TCGTemp *t = &g->s->temps[g->pending[k].temp];
        X86Reg base;
        x86_ra_temp_slot(t, &base, &d->disp[d->n]);
        d->reg[d->n] = g->pending[k].reg;
        d->imm[d->n] = g->pending[k].val;
        d->base[d->n] = (int8_t)base;
        d->size[d->n] = (uint8_t)temp_size(t);
        d->n++;
    }
}

/* mov [env + slot], reg (or [rsp + slot]) for each noted value. */
void x86_emit_dirty_stores(X86Asm *a, const X86DirtyGlobals *d)
{
    for (int i = 0; i < d->n; i++) {
        if (d->reg[i] == X86_NOREG) {
            x86_store_imm(a, d->size[i], d->imm[i], (X86Reg)d->base[i], d->disp[i]);
        } else {
            x86_store(a, d->size[i], (X86Reg)d->reg[i], (X86Reg)d->base[i], d->disp[i]);
        }
    }
}

/* Syncs and forgets the register copies of globals (a helper may write them). */
void x86_ra_drop_globals(X86Gen *g)
{
    int16_t idx[16];
    int n = temps_in_regs(g, idx);
    for (int i = 0; i < n; i++) {
        TCGTemp *t = &g->s->temps[idx[i]];
        if (t->kind == TEMP_GLOBAL) {
            x86_ra_temp_store(g, t);
            x86_ra_free_reg(g, g->loc[idx[i]].reg);
        }
    }
    pending_store_all(g);
}

/* At a label (and after unconditional jumps): globals and TB temps are in memory,
 * EBB temps are dead, no register holds anything. */
void x86_ra_bb_end(X86Gen *g)
{
    x86_ra_sync_globals(g, true);
    for (int r = 0; r < 16; r++) {      /* a free register is left as it is */
        if (r != X86_ENV_REG &&
            (g->reg_temp[r] != X86_REG_FREE || (g->locked & X86_REG_BIT(r)))) {
            x86_ra_free_reg(g, r);
        }
    }
    forget_ebb_slots(g);
}

/* On the fall-through of a conditional branch: globals and TB temps keep their
 * registers, dirty or not (the taken edge stored the dirty ones: the branch target
 * starts from memory, see x86_ra_bb_end). EBB temps are dead. */
void x86_ra_branch_fallthrough(X86Gen *g)
{
    for (int r = 0; r < 16; r++) {
        int idx = g->reg_temp[r];
        if (r != X86_ENV_REG && (idx < 0 || g->s->temps[idx].kind == TEMP_EBB)) {
            x86_ra_free_reg(g, r);
        }
    }
    g->locked = 0;
    forget_ebb_slots(g);
}

/* Before a call: values in caller-saved registers move to memory. */
static int free_callee_saved(const X86Gen *g)
{
    static const X86Reg callee[] = { X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15 };
    for (size_t i = 0; i < sizeof(callee) / sizeof(callee[0]); i++) {
        X86Reg r = callee[i];
        if (g->reg_temp[r] == X86_REG_FREE && !(g->locked & X86_REG_BIT(r))) {
            return r;
        }
    }
    return -1;
}

static bool in_list(int idx, const int *list, int n)
{
    for (int i = 0; i < n; i++) {
        if (list[i] == idx) {
            return true;
        }
    }
    return false;
}

/* Before a call: values in caller-saved registers move to free callee-saved ones (a
 * register move) or else to memory. The ndead temps in dead[] (call inputs not used
 * after the call) are not worth a register: they go to memory, from where the argument
 * set-up reads them. */
void x86_ra_evict_caller_saved(X86Gen *g, const int *dead, int ndead)
{
    for (int r = 0; r < 16; r++) {
        int idx = g->reg_temp[r];
        int c;
        if (!(X86_CALLER_SAVED_MASK & X86_REG_BIT(r)) || idx < 0 ||
            in_list(idx, dead, ndead) || (c = free_callee_saved(g)) < 0) {
            if (X86_CALLER_SAVED_MASK & X86_REG_BIT(r)) {
                x86_ra_evict_reg(g, r);
            }
            continue;
        }
        x86_mov_rr(&g->a, true, c, r);
        pending_move(g, r, c);
        g->reg_temp[c] = (int16_t)idx;
        g->loc[idx].reg = (int8_t)c;
        g->reg_temp[r] = X86_REG_FREE;
    }
}

/* t (a global or TB temp) was just stored to its slot by the op itself. */
void x86_ra_set_output_in_memory(X86Gen *g, TCGTemp *t)
{
    X86TempLoc *l = &g->loc[t->index];
    if (l->reg >= 0) {
        reg_disown(g, l->reg);
        l->reg = -1;
    }
    pending_drop(g, t);
    mark_in_mem(g, t);
}

void x86_ra_discard(X86Gen *g, TCGTemp *t)
{
    X86TempLoc *l = &g->loc[t->index];
    pending_drop(g, t);
    if (l->reg >= 0) {
        reg_disown(g, l->reg);
        l->reg = -1;
    }
    l->in_mem = t->kind == TEMP_GLOBAL;
}
