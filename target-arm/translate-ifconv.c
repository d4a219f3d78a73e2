/* If-conversion of short two-way branches in the ARMv7-A translator (docs/arm.md
 * "Performance"). A conditional branch B<c> (ARM ARM DDI0406C A8.8.18) whose two paths,
 * the target and the fall-through, are each a few register-only instructions ending in a
 * branch, with at most two distinct places reached between them, is translated as both
 * paths computed into temps and the registers and flags selected by the condition, then
 * one branch between the two places. Data-dependent branches of that shape (the
 * shift-subtract loop of libgcc's __udivmoddi4) are host branch mispredictions at half
 * of their executions; after conversion the loop's only host branch is its exit.
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

typedef struct IfArm {
    TCGv_i32 regs[15];          /* r0-r14 at the arm's end (temps) */
    TCGv_i32 flags[NB_FLAGS];   /* NF ZF CF VF at the arm's end */
    TCGv_i32 taken;             /* 0/1: the arm's final branch is taken (cond arms) */
    int cond;                   /* its condition, 14 = always */
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

/* Only pure computations into temps, from op index `from` on. */
static bool ops_are_pure(int from)
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
            if (arg_temp(op->args[o])->kind == TEMP_GLOBAL) {
                return false;
            }
        }
    }
    return true;
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

/* One instruction of an arm at s->pc; false if it is not a pure register operation. */
static bool translate_arm_insn(DisasContext *s, uint32_t insn, bool is32)
{
    int from = tcg_ctx->nb_ops;
    s->insn = insn;
    s->condexec = s->next_condexec = 0;
    s->condlabel = NULL;
    s->sel_var = NULL;
    if (s->thumb) {
        disas_t32(s, insn, is32);
    } else {
        disas_a32(s, insn);
    }
    return s->is_jmp == DISAS_NEXT && !s->condlabel && !s->next_condexec && ops_are_pure(from);
}

/* Translates the arm starting at pc into temps; false if it does not qualify. */
static bool translate_arm(DisasContext *s, const IfState *st, uint32_t pc, IfArm *arm)
{
    uint32_t page = (uint32_t)s->tb->pc;
    shadow_globals(st);
    arm->lo = pc;
    for (int n = 0; n <= IFCONV_MAX_INSNS; n++) {
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
        s->pc = pc;
        s->next_pc = pc + len;
        if (arm_decode_branch(s->thumb, insn, is32, pc, &arm->cond, &arm->target)) {
            arm->fall = arm->cond == 14 ? arm->target : pc + len;
            arm->hi = pc + len;
            if (arm->cond != 14) {
                TCGCond c;
                TCGv_i32 var;
                gen_cond_compare(arm->cond, &c, &var);
                arm->taken = tcg_temp_new_i32();
                tcg_gen_setcondi_i32(c, arm->taken, var, 0);
            }
            memcpy(arm->regs, cpu_R, sizeof(arm->regs));
            for (int f = 0; f < NB_FLAGS; f++) {
                arm->flags[f] = *flag_slot(f);
            }
            return true;
        }
        if (n == IFCONV_MAX_INSNS || !translate_arm_insn(s, insn, is32)) {
            return false;
        }
        pc += len;
    }
    return false;
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

/* 0/1: the arm goes to `to`. */
static TCGv_i32 arm_goes_to(const IfArm *arm, uint32_t to)
{
    if (arm->cond == 14 || arm->target == arm->fall) {
        return tcg_constant_i32(arm->target == to);
    }
    if (arm->target == to) {
        return arm->taken;
    }
    TCGv_i32 t = tcg_temp_new_i32();
    tcg_gen_xori_i32(t, arm->taken, 1);
    return t;
}

/* The condition (on the arm's flags) under which the arm goes to `to`, or -1 if it does
 * not depend on them. */
static int arm_cond_to(const IfArm *arm, uint32_t to)
{
    if (arm->cond == 14 || arm->target == arm->fall) {
        return -1;
    }
    return arm->target == to ? arm->cond : arm->cond ^ 1;
}

/* The globals take the taken arm's values where sel != 0, else the other's; then the
 * exit between the (one or two) places reached. When both arms choose with the same
 * condition, the exit tests it on the merged flags (no 0/1 values to select). */
static void merge_arms(DisasContext *s, const IfState *st, TCGv_i32 sel, const IfArm *arms,
                       const uint32_t exits[2], int nb_exits)
{
    TCGv_i32 go1 = NULL;
    int cond = arm_cond_to(&arms[0], exits[1]);
    bool same_cond = cond >= 0 && cond == arm_cond_to(&arms[1], exits[1]);
    if (nb_exits == 2 && !same_cond) {
        go1 = tcg_temp_new_i32();
        tcg_gen_movcond_i32(TCG_COND_NE, go1, sel, tcg_constant_i32(0),
                            arm_goes_to(&arms[0], exits[1]), arm_goes_to(&arms[1], exits[1]));
    }
    for (int r = 0; r < 15; r++) {
        tcg_gen_movcond_i32(TCG_COND_NE, st->glob_r[r], sel, tcg_constant_i32(0),
                            arms[0].regs[r], arms[1].regs[r]);
    }
    for (int f = 0; f < NB_FLAGS; f++) {
        tcg_gen_movcond_i32(TCG_COND_NE, st->glob_f[f], sel, tcg_constant_i32(0),
                            arms[0].flags[f], arms[1].flags[f]);
    }
    if (nb_exits == 1) {
        gen_goto(s, exits[0]);
        return;
    }
    TCGLabel *second = gen_new_label();
    if (go1) {
        tcg_gen_brcondi_i32(TCG_COND_NE, go1, 0, second);
    } else {
        gen_test_cond(cond, second);
    }
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
    if (tb->extra_hi > tb->extra_lo) {
        lo = MIN(lo, tb->extra_lo);
        hi = MAX(hi, tb->extra_hi);
    }
    tb->extra_lo = (uint16_t)lo;
    tb->extra_hi = (uint16_t)hi;
}

/* The conditional branch at s->pc (condition cond, to target) with both paths
 * if-converted; false (nothing emitted) if they do not qualify. */
bool arm_try_ifconv(DisasContext *s, int cond, uint32_t target)
{
    if (!ifconv_allowed(s, target)) {
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
    TCGv_i32 var, sel = tcg_temp_new_i32();
    gen_cond_compare(cond, &c, &var);
    tcg_gen_setcondi_i32(c, sel, var, 0);          /* before the arms: from the globals */
    IfArm arms[2];
    bool ok = translate_arm(s, &st, target, &arms[0]);
    restore_globals(&st);
    ok = ok && translate_arm(s, &st, save.next_pc, &arms[1]);
    restore_globals(&st);
    uint32_t exits[2];
    int nb_exits;
    *s = save;
    if (!ok || !arm_exits(arms, exits, &nb_exits)) {
        tcg_ctx->nb_ops = st.nb_ops;     /* the arms' ops, and what a failed one did */
        tb->extra_lo = extra_lo;
        tb->extra_hi = extra_hi;
        tb->dead_exit_slots = dead_slots;
        memcpy(tcg_ctx->tb_has_goto_tb, has_goto_tb, sizeof(has_goto_tb));
        return false;
    }
    cover_arms(s->tb, arms);
    merge_arms(s, &st, sel, arms, exits, nb_exits);
    return true;
}
