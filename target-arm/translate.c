/* The ARMv7-A translator's main loop (ARM ARM DDI0406C, A2-A8): TB flags, IR globals, the
 * per-instruction loop with conditional execution (A8.3) and IT blocks (A8.8.54), register
 * access with the PC read offsets (A2.3), branches and TB exits, and exceptions raised by
 * translated code. Decoding is in translate-a32.c / translate-t32.c. */
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include "target-arm/translate.h"
#include "util/disas.h"

/* The handles are the same in every context (created in the same order); each
 * translating thread has its own copy of the table, because if-conversion
 * (translate-ifconv.c) points entries at temps while it translates an arm. */
static TCGv_i32 global_R[16], global_NF, global_ZF, global_CF, global_VF;
__thread TCGv_i32 cpu_R[16], cpu_NF, cpu_ZF, cpu_CF, cpu_VF;

/* This thread's table from the globals (at the start of each translation). */
static void arm_thread_globals(void)
{
    memcpy(cpu_R, global_R, sizeof(cpu_R));
    cpu_NF = global_NF;
    cpu_ZF = global_ZF;
    cpu_CF = global_CF;
    cpu_VF = global_VF;
}

void arm_translate_init(void)
{
    static const char *const names[16] = {
        "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12",
        "sp", "lr", "pc",
    };
    for (int i = 0; i < 16; i++) {
        global_R[i] = tcg_global_mem_new_i32(offsetof(ARMCPU, regs[i]), names[i]);
    }
    global_NF = tcg_global_mem_new_i32(offsetof(ARMCPU, NF), "NF");
    global_ZF = tcg_global_mem_new_i32(offsetof(ARMCPU, ZF), "ZF");
    global_CF = tcg_global_mem_new_i32(offsetof(ARMCPU, CF), "CF");
    global_VF = tcg_global_mem_new_i32(offsetof(ARMCPU, VF), "VF");
}

void gen_helper(const TCGHelperInfo *info, TCGv_i32 ret, int nargs, ...)
{
    TCGTemp *args[8] = { tcgv_temp(tcg_env) };
    va_list ap;

    va_start(ap, nargs);
    for (int i = 0; i < nargs && i < 7; i++) {
        args[i + 1] = tcgv_temp(va_arg(ap, TCGv_i32));
    }
    va_end(ap);
    tcg_gen_callN(info, ret ? tcgv_temp(ret) : NULL, args);
}

bool arm_decode_table(DisasContext *s, const ArmDecode *table, uint32_t insn)
{
    for (const ArmDecode *d = table; d->fn; d++) {
        if ((insn & d->mask) == d->match) {
            return d->fn(s, insn);
        }
    }
    return false;
}

/* ---- registers ------------------------------------------------------------------------ */

TCGv_i32 load_reg(DisasContext *s, int r)
{
    TCGv_i32 t = tcg_temp_new_i32();
    load_reg_into(s, t, r);
    return t;
}

void load_reg_into(DisasContext *s, TCGv_i32 dst, int r)
{
    if (r == 15) {
        s->pc_read = true;
        tcg_gen_movi_i32(dst, s->pc + (s->thumb ? 4 : 8));
    } else {
        tcg_gen_mov_i32(dst, cpu_R[r]);
    }
}

void store_reg(DisasContext *s, int r, TCGv_i32 v)
{
    if (r != 15 && s->sel_var) {
        tcg_gen_movcond_i32(s->sel_cond, cpu_R[r], s->sel_var, s->sel_var2, v, cpu_R[r]);
        return;
    }
    if (r != 15) {
        tcg_gen_mov_i32(cpu_R[r], v);
        return;
    }
    if (s->thumb) {
        tcg_gen_andi_i32(cpu_R[15], v, ~1u);
        gen_jump_dyn(s, tcg_constant_i32(1));
    } else {
        gen_bx(s, v);               /* ARMv7: ALUWritePC interworks in ARM state */
    }
}

void store_reg_bx(DisasContext *s, int r, TCGv_i32 v)
{
    if (r == 15) {
        gen_bx(s, v);
    } else {
        tcg_gen_mov_i32(cpu_R[r], v);
    }
}

/* BXWritePC: bit 0 selects Thumb; ARM targets are word aligned. */
void gen_bx(DisasContext *s, TCGv_i32 v)
{
    TCGv_i32 t = tcg_temp_new_i32(), mask = tcg_temp_new_i32();
    tcg_gen_andi_i32(t, v, 1);
    tcg_gen_st_i32(t, tcg_env, offsetof(ARMCPU, thumb));
    /* mask = thumb ? ~1 : ~3 */
    tcg_gen_shli_i32(mask, t, 1);
    tcg_gen_ori_i32(mask, mask, ~3u);
    tcg_gen_and_i32(cpu_R[15], v, mask);
    gen_jump_dyn(s, t);
}

/* ---- TB exits --------------------------------------------------------------------------- */

static void gen_store_condexec(DisasContext *s)
{
    if (s->it_seen) {
        tcg_gen_st_i32(tcg_constant_i32(s->next_condexec), tcg_env,
                       offsetof(ARMCPU, condexec));
    }
}

/* Jumps to the TB at R15 through the runtime's inline jump-cache probe. Its key is
 * arm_get_tb_cpu_state's: only the Thumb bit (thumb: 0 or 1) and ITSTATE can differ
 * from this TB's, since instructions that change mode, SCTLR.A, VFP enable or CPSR.E
 * end the TB with an exit to the loop. */
static void gen_lookup_next(DisasContext *s, TCGv_i32 thumb)
{
    uint32_t condexec = s->it_seen ? s->next_condexec : s->tb->flags >> ARM_TBF_CONDEXEC_SHIFT;
    uint32_t keep = s->tb->flags & ~(ARM_TBF_THUMB | 0xffu << ARM_TBF_CONDEXEC_SHIFT);
    TCGv_i64 pc = tcg_temp_new_i64();
    TCGv_i32 flags = tcg_temp_new_i32();
    tcg_gen_extu_i32_i64(pc, cpu_R[15]);
    tcg_gen_ori_i32(flags, thumb, keep | (condexec & 0xffu) << ARM_TBF_CONDEXEC_SHIFT);
    tcg_rt_gen_jump_dyn(s->tb, pc, tcg_constant_i64(0), flags);
}

/* A chained jump for a destination on a page the TB covers, else a lookup. */
void gen_goto(DisasContext *s, uint32_t dest)
{
    gen_store_condexec(s);
    bool same_page = ((dest ^ (uint32_t)s->tb->pc) & ~0xfffu) == 0 ||
                     ((dest ^ s->pc) & ~0xfffu) == 0;
    if (same_page && s->slots_used < 2 && !(s->tb->cflags & CF_SINGLE_STEP)) {
        int n = s->slots_used++;
        arm_flags_dead_at_exit(s, n, dest);
        tcg_gen_goto_tb(n);
        tcg_gen_movi_i32(cpu_R[15], dest);
        tcg_rt_gen_chain_exit(s->tb, n);
    } else {
        tcg_gen_movi_i32(cpu_R[15], dest);
        gen_lookup_next(s, tcg_constant_i32(s->thumb ? 1 : 0));
    }
    s->is_jmp = DISAS_END;
}

/* An indirect jump to R15 in state thumb (0 or 1, already stored in the CPU state). */
void gen_jump_dyn(DisasContext *s, TCGv_i32 thumb)
{
    gen_store_condexec(s);
    gen_lookup_next(s, thumb);
    s->is_jmp = DISAS_END;
}

void gen_update_pc_exit(DisasContext *s)
{
    s->is_jmp = DISAS_UPDATE;
}

static void gen_exit_to_loop(DisasContext *s, uint32_t pc)
{
    gen_store_condexec(s);
    tcg_gen_movi_i32(cpu_R[15], pc);
    tcg_gen_exit_tb(0);
}

/* The exception at this instruction: PC and ITSTATE come back from the insn_start words. */
void gen_exception_insn(DisasContext *s, int excp)
{
    gen_helper(&helper_info_exception, NULL, 1, tcg_constant_i32(excp));
    s->is_jmp = DISAS_END;
}

/* The exception after this instruction (SVC): the state is made exact first. */
void gen_exception_next(DisasContext *s, int excp)
{
    tcg_gen_movi_i32(cpu_R[15], s->next_pc);
    tcg_gen_st_i32(tcg_constant_i32(s->next_condexec), tcg_env, offsetof(ARMCPU, condexec));
    gen_helper(&helper_info_exception_exact, NULL, 1, tcg_constant_i32(excp));
    s->is_jmp = DISAS_END;
}

bool gen_undef(DisasContext *s)
{
    gen_exception_insn(s, ARM_EXCP_UDEF);
    return true;
}

/* ---- conditions (A8.3) ------------------------------------------------------------------- */

/* Branches to label if condition cond (0..13) holds. */
void gen_test_cond(int cond, TCGLabel *label)
{
    TCGv_i32 t, y;
    TCGLabel *skip;
    TCGCond c;

    if (arm_cmp_cond(cond, &c, &t, &y)) {
        tcg_gen_brcond_i32(c, t, y, label);
        return;
    }
    switch (cond >> 1) {
    case 0: tcg_gen_brcondi_i32((cond & 1) ? TCG_COND_NE : TCG_COND_EQ, cpu_ZF, 0, label);
        return;
    case 1: tcg_gen_brcondi_i32((cond & 1) ? TCG_COND_EQ : TCG_COND_NE, cpu_CF, 0, label);
        return;
    case 2: tcg_gen_brcondi_i32((cond & 1) ? TCG_COND_GE : TCG_COND_LT, cpu_NF, 0, label);
        return;
    case 3: tcg_gen_brcondi_i32((cond & 1) ? TCG_COND_GE : TCG_COND_LT, cpu_VF, 0, label);
        return;
    case 4:                     /* HI: C && !Z; LS: !C || Z */
        t = tcg_temp_new_i32();
        tcg_gen_neg_i32(t, cpu_CF);                 /* all ones iff C */
        tcg_gen_and_i32(t, t, cpu_ZF);              /* non-zero iff C && !Z */
        tcg_gen_brcondi_i32((cond & 1) ? TCG_COND_EQ : TCG_COND_NE, t, 0, label);
        return;
    case 5:                     /* GE: N == V */
        t = tcg_temp_new_i32();
        tcg_gen_xor_i32(t, cpu_NF, cpu_VF);
        tcg_gen_brcondi_i32((cond & 1) ? TCG_COND_LT : TCG_COND_GE, t, 0, label);
        return;
    case 6:                     /* GT: !Z && N == V; LE: Z || N != V */
        t = tcg_temp_new_i32();
        if (cond & 1) {
            tcg_gen_brcondi_i32(TCG_COND_EQ, cpu_ZF, 0, label);
            t = tcg_temp_new_i32();
            tcg_gen_xor_i32(t, cpu_NF, cpu_VF);
            tcg_gen_brcondi_i32(TCG_COND_LT, t, 0, label);
        } else {
            skip = gen_new_label();
            tcg_gen_brcondi_i32(TCG_COND_EQ, cpu_ZF, 0, skip);
            t = tcg_temp_new_i32();
            tcg_gen_xor_i32(t, cpu_NF, cpu_VF);
            tcg_gen_brcondi_i32(TCG_COND_GE, t, 0, label);
            gen_set_label(skip);
        }
        return;
    default:
        tcg_gen_br(label);
        return;
    }
}

/* Conditions EQ..LE as one comparison: *c, *var and *var2 such that cond holds iff
 * *var *c *var2 (the last compare's operands, or a flag itself or a value computed from
 * the flags and 0); false for AL. */
bool gen_cond_compare(int cond, TCGCond *c, TCGv_i32 *var, TCGv_i32 *var2)
{
    static const TCGCond holds[] = { TCG_COND_EQ, TCG_COND_NE, TCG_COND_NE, TCG_COND_EQ,
                                     TCG_COND_LT, TCG_COND_GE, TCG_COND_LT, TCG_COND_GE,
                                     TCG_COND_NE, TCG_COND_EQ, TCG_COND_GE, TCG_COND_LT,
                                     TCG_COND_GE, TCG_COND_LT };
    TCGv_i32 flag[] = { cpu_ZF, cpu_CF, cpu_NF, cpu_VF };

    if (cond >= 14) {
        return false;
    }
    if (arm_cmp_cond(cond, c, var, var2)) {
        return true;
    }
    *var2 = tcg_constant_i32(0);
    *c = holds[cond];
    if (cond < 8) {
        *var = flag[cond >> 1];
        return true;
    }
    *var = tcg_temp_new_i32();
    if (cond < 10) {                    /* HI, LS: non-zero iff C && !Z */
        tcg_gen_neg_i32(*var, cpu_CF);
        tcg_gen_and_i32(*var, *var, cpu_ZF);
        return true;
    }
    tcg_gen_xor_i32(*var, cpu_NF, cpu_VF);     /* bit 31: N != V */
    if (cond >= 12) {                   /* GT, LE: bit 31 also when Z */
        TCGv_i32 z = tcg_temp_new_i32();
        tcg_gen_setcondi_i32(TCG_COND_EQ, z, cpu_ZF, 0);
        tcg_gen_shli_i32(z, z, 31);
        tcg_gen_or_i32(*var, *var, z);
    }
    return true;
}

/* ---- the translation loop --------------------------------------------------------------- */

void arm_get_tb_cpu_state(CPUState *cpu, uint64_t *pc, uint64_t *cs_base, uint32_t *flags)
{
    ARMCPU *a = arm_cpu(cpu);
    if (atomic_load_explicit(&a->power_on_request, memory_order_relaxed)) {
        atomic_store(&a->power_on_request, false);  /* running now: CPU_ON is done */
    }
    uint32_t f = (a->thumb ? ARM_TBF_THUMB : 0) |
                 (a->condexec & 0xff) << ARM_TBF_CONDEXEC_SHIFT |
                 (a->cpsr & ARM_CPSR_M) << ARM_TBF_MODE_SHIFT;
    if (a->cp15.sctlr & ARM_SCTLR_A) {
        f |= ARM_TBF_ALIGN;
    }
    if ((a->fpexc & (1u << 30)) && ((a->cp15.cpacr >> 20) & 0xf) != 0) {
        f |= ARM_TBF_VFPEN;
    }
    if (a->cpsr & ARM_CPSR_E) {
        f |= ARM_TBF_BE_DATA;
    }
    *pc = a->regs[15];
    *cs_base = 0;
    *flags = f;
}

void arm_restore_state_to_opc(CPUState *cpu, const TranslationBlock *tb, const uint64_t *data)
{
    ARMCPU *a = arm_cpu(cpu);
    a->regs[15] = (uint32_t)data[0];
    a->condexec = (uint32_t)data[1];
}

static void disas_init(DisasContext *s, CPUState *cpu, TranslationBlock *tb)
{
    uint32_t f = tb->flags;
    *s = (DisasContext){ .cpu = cpu, .tb = tb, .pc = (uint32_t)tb->pc };
    s->thumb = f & ARM_TBF_THUMB;
    s->condexec = (f >> ARM_TBF_CONDEXEC_SHIFT) & 0xff;
    s->it_seen = s->condexec != 0;
    s->mode = (f >> ARM_TBF_MODE_SHIFT) & 0x1f;
    s->priv = s->mode != ARM_MODE_USR;
    s->align = f & ARM_TBF_ALIGN;
    s->vfp_enabled = f & ARM_TBF_VFPEN;
    s->be_data = f & ARM_TBF_BE_DATA;
    s->mmu_idx = s->priv ? ARM_MMU_IDX_KERN : ARM_MMU_IDX_USER;
}

/* ITSTATE after an instruction of an IT block (A8.8.54 ITAdvance). */
static uint32_t it_advance(uint32_t it)
{
    if ((it & 7) == 0) {
        return 0;
    }
    return (it & 0xe0) | ((it << 1) & 0x1f);
}

/* A Thumb instruction is 32-bit if its first halfword is 0b11101, 0b11110 or 0b11111. */
bool thumb_insn_is32(uint32_t hw)
{
    return (hw >> 11) >= 0x1d;
}

static void decode_one(DisasContext *s);

static void translate_one(DisasContext *s)
{
    s->condlabel = NULL;
    s->sel_var = s->sel_var2 = NULL;
    tcg_gen_insn_start(s->pc, s->condexec, 0);
    if (tcg_rt_gen_breakpoint(s->cpu, s->tb, s->pc)) {     /* debugger: stop before it */
        s->next_pc = s->pc + 2;
        s->next_condexec = s->condexec;
        s->is_jmp = DISAS_END;
        return;
    }
    decode_one(s);
}

/* The entry check's exit of a TB whose first instruction sets all of NZCV (a previous
 * TB may have left the flags to it, translate-flags.c): that instruction is done again
 * there, and the state is the one before the second instruction. */
static void arm_gen_entry_exit(CPUState *cpu, TranslationBlock *tb)
{
    DisasContext ctx, *s = &ctx;
    arm_thread_globals();
    arm_cmp_reset();
    disas_init(s, cpu, tb);
    if (tb->icount < 2 || s->condexec || !arm_flag_killer_len(cpu, tb, s->pc, s->thumb)) {
        return;
    }
    decode_one(s);
    tb->entry_check_insn = 1;
}

static void decode_one(DisasContext *s)
{
    if (!s->thumb) {
        uint32_t insn = translator_ldl(s->cpu, s->tb, s->pc);
        s->insn = insn;
        s->next_pc = s->pc + 4;
        s->next_condexec = 0;
        disas_a32(s, insn);
        return;
    }
    uint32_t insn = translator_lduw(s->cpu, s->tb, s->pc);
    bool is32 = thumb_insn_is32(insn);
    if (is32) {
        insn = insn << 16 | translator_lduw(s->cpu, s->tb, s->pc + 2);
    }
    s->insn = insn;
    s->next_pc = s->pc + (is32 ? 4 : 2);
    s->next_condexec = it_advance(s->condexec);
    if (s->condexec && !(is32 == false && (insn & 0xff00) == 0xbf00 && (insn & 0xf))) {
        /* inside an IT block: the condition is ITSTATE[7:4] */
        int cond = s->condexec >> 4;
        if (cond != 14) {
            s->condlabel = gen_new_label();
            gen_test_cond(cond ^ 1, s->condlabel);
        }
    }
    disas_t32(s, insn, is32);
}

/* After an instruction: the skipped path of a conditional one continues at next_pc. */
static void finish_insn(DisasContext *s)
{
    if (s->is_jmp == DISAS_UPDATE) {
        gen_exit_to_loop(s, s->next_pc);
        s->is_jmp = DISAS_END;
    }
    if (s->condlabel) {
        gen_set_label(s->condlabel);
        s->condlabel = NULL;
        if (s->is_jmp == DISAS_END) {
            gen_goto(s, s->next_pc);
        }
    }
}

void arm_translate(CPUState *cpu, TranslationBlock *tb, int max_insns)
{
    DisasContext ctx, *s = &ctx;
    int n = 0;

    arm_thread_globals();
    arm_cmp_reset();
    disas_init(s, cpu, tb);
    while (s->is_jmp == DISAS_NEXT) {
        translate_one(s);
        n++;
        finish_insn(s);
        s->pc = s->next_pc;
        s->condexec = s->next_condexec;
        if (s->is_jmp != DISAS_NEXT) {
            break;
        }
        /* stop at a page end (a Thumb-2 instruction may straddle it), the limit, a full
         * op buffer, or single step */
        bool page_end = (s->pc & 0xfff) == 0 || (s->thumb && (s->pc & 0xfff) == 0xffe);
        if (n >= max_insns || tcg_op_buf_full() || page_end ||
            (tb->cflags & CF_SINGLE_STEP)) {
            gen_goto(s, s->pc);
        }
    }
    tb->size = s->pc - (uint32_t)tb->pc;
    tb->icount = n;
}

static int arm_disas_arch(const TranslationBlock *tb)
{
    return (tb->flags & ARM_TBF_THUMB) ? DISAS_THUMB : DISAS_ARM;
}

static int arm_code_mmu_index(CPUState *cpu)
{
    return (arm_cpu(cpu)->cpsr & ARM_CPSR_M) == ARM_MODE_USR ? ARM_MMU_IDX_USER
                                                             : ARM_MMU_IDX_KERN;
}

const TCGTargetOps arm_tcg_ops = {
    .insn_start_words = 2,
    .addr_type = TCG_TYPE_I32,
    .translate_init = arm_translate_init,
    .get_tb_cpu_state = arm_get_tb_cpu_state,
    .translate = arm_translate,
    .gen_entry_exit = arm_gen_entry_exit,
    .restore_state_to_opc = arm_restore_state_to_opc,
    .tlb_fill = arm_tlb_fill,
    .do_unaligned_access = arm_do_unaligned_access,
    .disas_arch = arm_disas_arch,
    .code_mmu_index = arm_code_mmu_index,
    .cpu_exec_interrupt = arm_cpu_exec_interrupt,
    .do_interrupt = arm_do_interrupt,
};
