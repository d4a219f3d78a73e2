/* If-conversion of short two-way branches in the ARMv7-A translator (docs/arm.md
 * "Performance"). A conditional branch B<c> (ARM ARM DDI0406C A8.8.18) whose two paths,
 * the target and the fall-through, are each a few register-only instructions ending in a
 * branch, with at most two distinct places reached between them, is translated as both
 * paths computed into temps and the registers and flags selected by the condition, then
 * one branch between the two places. Data-dependent branches of that shape (the
 * shift-subtract loop of libgcc's __udivmoddi4) are host branch mispredictions at half
 * of their executions; after conversion the loop's only host branch is its exit.
 * Instructions that end both paths alike (same encoding, no PC read) are done once,
 * after the selection, on the selected state: an instruction is a function of the state.
 * Exactness: an arm is kept only if every op it emitted is a pure computation into
 * temps (no guest or CPU-state access, helper, branch, division, or write of a global;
 * otherwise the ops are dropped and the branch is translated as before), so running
 * both arms has no effect but the selected values; the arms' bytes are in the TB's
 * invalidation span (extra_lo/hi); no debugger breakpoint, single step or IT block. */
#include "target-arm/translate.h"
#include <string.h>
#include "util/cutils.h"

#define IFCONV_MAX_INSNS 8      /* instructions per arm before its branch */
#define NB_FLAGS 4

typedef struct IfInsn {
    uint32_t pc, insn, len;
    bool is32;
} IfInsn;

typedef struct IfArm {
    IfInsn insns[IFCONV_MAX_INSNS];     /* before its branch */
    int n;
    TCGv_i32 regs[15];          /* r0-r14 at the arm's end (temps) */
    TCGv_i32 flags[NB_FLAGS];   /* NF ZF CF VF at the arm's end */
    int cond;                   /* its branch's condition, 14 = always */
    uint32_t target, fall;      /* where it goes if taken / not taken */
    uint32_t lo, hi;            /* guest bytes it covers */
} IfArm;

typedef struct IfState {
    TCGv_i32 glob_r[15], glob_f[NB_FLAGS];      /* the IR globals */
    int nb_ops;                 /* op count before the arms: the rollback point */
} IfState;

static TCGv_i32 *flag_slot(int i)
{
    TCGv_i32 *slots[NB_FLAGS] = { &cpu_NF, &cpu_ZF, &cpu_CF, &cpu_VF };
    return slots[i];
}

static bool same_page(uint32_t a, uint32_t b)
{
    return ((a ^ b) & ~0xfffu) == 0;
}

/* A branch ending an arm: its condition (14 for B), target; false if not a plain B. */
static bool arm_decode_branch(bool thumb, uint32_t insn, bool is32, uint32_t pc, int *cond,
                              uint32_t *target)
{
    if (!thumb) {
        *cond = (int)(insn >> 28);
        *target = pc + 8 + (uint32_t)((int32_t)(insn << 8) >> 6);
        return (insn & 0x0f000000) == 0x0a000000 && *cond < 15;
    }
    if (!is32) {
        if ((insn & 0xf000) == 0xd000 && ((insn >> 8) & 0xf) < 14) {
            *cond = (int)((insn >> 8) & 0xf);
            *target = pc + 4 + (uint32_t)((int32_t)(insn << 24) >> 23);
            return true;
        }
        *cond = 14;
        *target = pc + 4 + (uint32_t)((int32_t)(insn << 21) >> 20);
        return (insn & 0xf800) == 0xe000;
    }
    if ((insn & 0xf800d000) == 0xf0008000 && ((insn >> 22) & 0xf) < 14) {
        *cond = (int)((insn >> 22) & 0xf);
        *target = pc + 4 + (uint32_t)t32_bcond_offset(insn);
        return true;
    }
    *cond = 14;
    *target = pc + 4 + (uint32_t)t32_branch_offset(insn);
    return (insn & 0xf800d000) == 0xf0009000;
}

static bool is_reg_global(const IfState *st, TCGTemp *t);

/* Only pure computations into temps (and, if st, into the globals r0-r14), from op
 * index `from` on. */
static bool ops_are_pure(int from, const IfState *st)
{
    const int forbidden = TCG_OPF_BB_END | TCG_OPF_BB_EXIT | TCG_OPF_BRANCH |
                          TCG_OPF_SIDE_EFFECTS | TCG_OPF_CAN_FAULT | TCG_OPF_CALL_CLOBBER |
                          TCG_OPF_VAR_ARGS | TCG_OPF_NOT_PRESENT;
    for (int i = from; i < tcg_ctx->nb_ops; i++) {
        const TCGOp *op = &tcg_ctx->ops[i];
        switch (op->opc) {
        case INDEX_op_div_i32: case INDEX_op_divu_i32: case INDEX_op_rem_i32:
        case INDEX_op_remu_i32: case INDEX_op_div_i64: case INDEX_op_divu_i64:
        case INDEX_op_rem_i64: case INDEX_op_remu_i64:
            return false;                       /* may trap the host on any input */
        default:
            break;
        }
        if (tcg_op_defs[op->opc].flags & forbidden) {
            return false;
        }
        for (int o = 0; o < op->nb_oargs; o++) {
            TCGTemp *t = arg_temp(op->args[o]);
            if (t->kind == TEMP_GLOBAL && !(st && is_reg_global(st, t))) {
                return false;
            }
        }
    }
    return true;
}

static bool is_reg_global(const IfState *st, TCGTemp *t)
{
    for (int r = 0; r < 15; r++) {
        if (tcgv_temp(st->glob_r[r]) == t) {
            return true;
        }
    }
    return false;
}

/* The registers and flags as temps holding the globals' values (copies: free). */
static void shadow_globals(const IfState *st)
{
    for (int r = 0; r < 15; r++) {
        cpu_R[r] = tcg_temp_new_i32();
        tcg_gen_mov_i32(cpu_R[r], st->glob_r[r]);
    }
    for (int f = 0; f < NB_FLAGS; f++) {
        *flag_slot(f) = tcg_temp_new_i32();
        tcg_gen_mov_i32(*flag_slot(f), st->glob_f[f]);
    }
}

static void restore_globals(const IfState *st)
{
    for (int r = 0; r < 15; r++) {
        cpu_R[r] = st->glob_r[r];
    }
    for (int f = 0; f < NB_FLAGS; f++) {
        *flag_slot(f) = st->glob_f[f];
    }
}

/* One instruction of an arm; false if it is not a pure register operation (st: it may
 * write the globals r0-r14, and must not read the PC, which differs between the arms). */
static bool translate_arm_insn(DisasContext *s, const IfInsn *in, const IfState *st)
{
    int from = tcg_ctx->nb_ops;
    uint32_t insn = in->insn;
    bool is32 = in->is32;
    s->pc = in->pc;
    s->next_pc = in->pc + in->len;
    s->pc_read = false;
    s->insn = insn;
    s->condexec = s->next_condexec = 0;
    s->condlabel = NULL;
    s->sel_var = NULL;
    if (s->thumb) {
        disas_t32(s, insn, is32);
    } else {
        disas_a32(s, insn);
    }
    return s->is_jmp == DISAS_NEXT && !s->condlabel && !s->next_condexec &&
           !(st && s->pc_read) && ops_are_pure(from, st);
}

/* The instructions of the arm starting at pc up to its branch; false if there is no
 * plain branch within IFCONV_MAX_INSNS instructions on the TB's first page. */
static bool scan_arm(DisasContext *s, uint32_t pc, IfArm *arm)
{
    uint32_t page = (uint32_t)s->tb->pc;
    arm->lo = pc;
    for (arm->n = 0; arm->n <= IFCONV_MAX_INSNS; pc += arm->insns[arm->n++].len) {
        uint32_t insn = s->thumb ? translator_lduw(s->cpu, s->tb, pc)
                                 : translator_ldl(s->cpu, s->tb, pc);
        bool is32 = s->thumb && thumb_insn_is32(insn);
        uint32_t len = (!s->thumb || is32) ? 4 : 2;
        if (!same_page(pc, page) || !same_page(pc + len - 1, page) || (!s->thumb && (pc & 3))) {
            return false;
        }
        if (is32) {
            insn = insn << 16 | translator_lduw(s->cpu, s->tb, pc + 2);
        }
        if (arm_decode_branch(s->thumb, insn, is32, pc, &arm->cond, &arm->target)) {
            arm->fall = arm->cond == 14 ? arm->target : pc + len;
            arm->hi = pc + len;
            return true;
        }
        if (arm->n == IFCONV_MAX_INSNS) {
            return false;
        }
        arm->insns[arm->n] = (IfInsn){ .pc = pc, .insn = insn, .len = len, .is32 = is32 };
    }
    return false;
}

/* The number of instructions both arms end with (before their branches). */
static int common_tail(const IfArm *arms)
{
    int k = 0;
    while (k < arms[0].n && k < arms[1].n) {
        const IfInsn *a = &arms[0].insns[arms[0].n - 1 - k];
        const IfInsn *b = &arms[1].insns[arms[1].n - 1 - k];
        if (a->insn != b->insn || a->is32 != b->is32) {
            break;
        }
        k++;
    }
    return k;
}

/* Translates the first n instructions of the arm into temps; false if one is not pure. */
static bool translate_arm(DisasContext *s, const IfState *st, IfArm *arm, int n)
{
    shadow_globals(st);
    for (int i = 0; i < n; i++) {
        if (!translate_arm_insn(s, &arm->insns[i], NULL)) {
            return false;
        }
    }
    memcpy(arm->regs, cpu_R, sizeof(arm->regs));
    for (int f = 0; f < NB_FLAGS; f++) {
        arm->flags[f] = *flag_slot(f);
    }
    return true;
}

/* The places the two arms reach: at most two, exits[0] and exits[1]. */
static bool arm_exits(const IfArm *arms, uint32_t exits[2], int *nb)
{
    uint32_t cand[4] = { arms[0].target, arms[0].fall, arms[1].target, arms[1].fall };
    *nb = 0;
    for (int i = 0; i < 4; i++) {
        if (*nb > 0 && cand[i] == exits[0]) {
            continue;
        }
        if (*nb > 1 && cand[i] == exits[1]) {
            continue;
        }
        if (*nb == 2) {
            return false;
        }
        exits[(*nb)++] = cand[i];
    }
    return true;
}

/* The condition under which the arm goes to `to` (evaluated on the flags at its branch),
 * or -1 if it goes there whatever they are (*always: whether it does). */
static int arm_cond_to(const IfArm *arm, uint32_t to, bool *always)
{
    *always = arm->target == to;
    if (arm->cond == 14 || arm->target == arm->fall) {
        return -1;
    }
    return arm->target == to ? arm->cond : arm->cond ^ 1;
}

/* 0/1: the arm goes to `to`, from the flags now in cpu_NF..cpu_VF. */
static TCGv_i32 arm_goes_to(const IfArm *arm, uint32_t to)
{
    bool always;
    int cond = arm_cond_to(arm, to, &always);
    if (cond < 0) {
        return tcg_constant_i32(always);
    }
    TCGCond c;
    TCGv_i32 var, var2, t = tcg_temp_new_i32();
    gen_cond_compare(cond, &c, &var, &var2);
    tcg_gen_setcond_i32(c, t, var, var2);
    return t;
}

/* The test that sends the merged state to exits[1]: *c applied to *var and *var2. When
 * both arms choose with the same condition, that condition on the flags (no 0/1
 * values). */
static void exit_test(const IfArm *arms, TCGv_i32 sel, uint32_t to, TCGCond *c, TCGv_i32 *var,
                      TCGv_i32 *var2)
{
    bool always0, always1;
    int cond = arm_cond_to(&arms[0], to, &always0);
    if (cond >= 0 && cond == arm_cond_to(&arms[1], to, &always1)) {
        gen_cond_compare(cond, c, var, var2);
        return;
    }
    *var2 = tcg_constant_i32(0);
    *c = TCG_COND_NE;
    *var = tcg_temp_new_i32();
    tcg_gen_movcond_i32(TCG_COND_NE, *var, sel, tcg_constant_i32(0), arm_goes_to(&arms[0], to),
                        arm_goes_to(&arms[1], to));
}

/* The registers take the taken arm's values where sel != 0, else the other's; the
 * flags too, in temps that cpu_NF..cpu_VF name until the globals get them at the end
 * (the exit test reads the temps: the globals are dead when both exits lead to
 * instructions that set all of them). */
static void merge_arms(const IfState *st, TCGv_i32 sel, const IfArm *arms)
{
    for (int r = 0; r < 15; r++) {
        tcg_gen_movcond_i32(TCG_COND_NE, st->glob_r[r], sel, tcg_constant_i32(0),
                            arms[0].regs[r], arms[1].regs[r]);
    }
    for (int f = 0; f < NB_FLAGS; f++) {
        *flag_slot(f) = tcg_temp_new_i32();
        tcg_gen_movcond_i32(TCG_COND_NE, *flag_slot(f), sel, tcg_constant_i32(0),
                            arms[0].flags[f], arms[1].flags[f]);
    }
}

/* The instructions both arms end with, once, on the merged state; false if one is not
 * pure or reads the PC. */
static bool translate_tail(DisasContext *s, const IfState *st, const IfArm *arm, int k)
{
    for (int i = arm->n - k; i < arm->n; i++) {
        if (!translate_arm_insn(s, &arm->insns[i], st)) {
            return false;
        }
    }
    return true;
}

/* The flags to the globals, then the exit between the (one or two) places reached. */
static void gen_exits(DisasContext *s, const IfState *st, TCGv_i32 sel, const IfArm *arms,
                      const uint32_t exits[2], int nb_exits)
{
    TCGCond c = TCG_COND_NEVER;
    TCGv_i32 var = NULL, var2 = NULL;
    if (nb_exits == 2) {
        exit_test(arms, sel, exits[1], &c, &var, &var2);
    }
    for (int f = 0; f < NB_FLAGS; f++) {
        tcg_gen_mov_i32(st->glob_f[f], *flag_slot(f));
    }
    restore_globals(st);
    if (nb_exits == 1) {
        gen_goto(s, exits[0]);
        return;
    }
    TCGLabel *second = gen_new_label();
    tcg_gen_brcond_i32(c, var, var2, second);
    gen_goto(s, exits[0]);
    gen_set_label(second);
    gen_goto(s, exits[1]);
}

static bool ifconv_allowed(const DisasContext *s, uint32_t target)
{
    const TranslationBlock *tb = s->tb;
    return !(tb->cflags & (CF_SINGLE_STEP | CF_NOCACHE | CF_EXCLUSIVE)) &&
           (tb->cflags & CF_COUNT_MASK) != 1 && !tcg_breakpoints_any() &&
           !s->condexec && !s->next_condexec && s->slots_used == 0 &&
           same_page(target, (uint32_t)tb->pc) && same_page(s->next_pc, (uint32_t)tb->pc);
}

/* The TB's invalidation span covers the arms' bytes. */
static void cover_arms(TranslationBlock *tb, const IfArm *arms)
{
    uint32_t lo = MIN(arms[0].lo, arms[1].lo) & 0xfff;
    uint32_t hi = ((MAX(arms[0].hi, arms[1].hi) - 1) & 0xfff) + 1;
    tb_extend_span(tb, lo, hi);
}

/* Both arms (scanned) translated and merged, the common tail after; false if one of
 * them is not pure (the caller rolls back). */
static bool translate_both(DisasContext *s, const IfState *st, TCGv_i32 sel, IfArm *arms)
{
    int k = common_tail(arms);
    bool ok = translate_arm(s, st, &arms[0], arms[0].n - k);
    restore_globals(st);
    ok = ok && translate_arm(s, st, &arms[1], arms[1].n - k);
    restore_globals(st);
    if (!ok) {
        return false;
    }
    merge_arms(st, sel, arms);
    ok = translate_tail(s, st, &arms[0], k);
    if (!ok) {
        restore_globals(st);
    }
    return ok;
}

/* The conditional branch at s->pc (condition cond, to target) with both paths
 * if-converted; false (nothing emitted) if they do not qualify. */
bool arm_try_ifconv(DisasContext *s, int cond, uint32_t target)
{
    IfArm arms[2];
    uint32_t exits[2];
    int nb_exits;
    if (!ifconv_allowed(s, target) || !scan_arm(s, target, &arms[0]) ||
        !scan_arm(s, s->next_pc, &arms[1]) || !arm_exits(arms, exits, &nb_exits)) {
        return false;
    }
    IfState st = { .nb_ops = tcg_ctx->nb_ops };
    memcpy(st.glob_r, cpu_R, sizeof(st.glob_r));
    for (int f = 0; f < NB_FLAGS; f++) {
        st.glob_f[f] = *flag_slot(f);
    }
    DisasContext save = *s;
    TranslationBlock *tb = s->tb;
    uint16_t extra_lo = tb->extra_lo, extra_hi = tb->extra_hi;
    uint8_t dead_slots = tb->dead_exit_slots;
    bool has_goto_tb[2] = { tcg_ctx->tb_has_goto_tb[0], tcg_ctx->tb_has_goto_tb[1] };
    TCGCond c;
    TCGv_i32 var, var2, sel = tcg_temp_new_i32();
    gen_cond_compare(cond, &c, &var, &var2);
    tcg_gen_setcond_i32(c, sel, var, var2);        /* before the arms: from the globals */
    arm_cmp_reset();            /* the arms' compares write temps; the exits, the globals */
    bool ok = translate_both(s, &st, sel, arms);
    arm_cmp_reset();
    *s = save;
    if (!ok) {
        tcg_ctx->nb_ops = st.nb_ops;     /* the arms' ops, and what a failed one did */
        tb->extra_lo = extra_lo;
        tb->extra_hi = extra_hi;
        tb->dead_exit_slots = dead_slots;
        memcpy(tcg_ctx->tb_has_goto_tb, has_goto_tb, sizeof(has_goto_tb));
        return false;
    }
    cover_arms(tb, arms);
    gen_exits(s, &st, sel, arms, exits, nb_exits);
    return true;
}
