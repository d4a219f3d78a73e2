/* x86 translator: the TB loop, TB flags and key, IR globals, TB exits (chained direct
 * jumps, indirect jumps, single-step and interrupt-shadow ends), exceptions. The decoder
 * is decode.c; the instruction emitters are translate-*.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include "target-i386/helper.h"
#include "target-i386/helper-sys.h"
#include "util/cutils.h"
#include "util/log.h"
#include "util/perfmap.h"
#include "target-i386/translate.h"
#include "util/disas.h"

TCGv_i64 x86_cpu_regs[16];
TCGv_i64 x86_cpu_cc_dst, x86_cpu_cc_src, x86_cpu_cc_src2;
TCGv_i32 x86_cpu_cc_op;
TCGv_i64 x86_cpu_seg_base[X86_NR_SEGS];
TCGv_i64 x86_cpu_rip;

static void x86_translate_init(void)
{
    static const char *const reg_names[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp",
        "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
    static const char *const seg_names[X86_NR_SEGS] = { "es_base", "cs_base", "ss_base",
        "ds_base", "fs_base", "gs_base" };

    for (int i = 0; i < 16; i++) {
        x86_cpu_regs[i] = tcg_global_mem_new_i64(offsetof(X86CPU, regs[i]), reg_names[i]);
    }
    for (int i = 0; i < X86_NR_SEGS; i++) {
        x86_cpu_seg_base[i] = tcg_global_mem_new_i64(offsetof(X86CPU, segs[i].base), seg_names[i]);
    }
    x86_cpu_rip = tcg_global_mem_new_i64(offsetof(X86CPU, rip), "rip");
    x86_cpu_cc_dst = tcg_global_mem_new_i64(offsetof(X86CPU, cc_dst), "cc_dst");
    x86_cpu_cc_src = tcg_global_mem_new_i64(offsetof(X86CPU, cc_src), "cc_src");
    x86_cpu_cc_src2 = tcg_global_mem_new_i64(offsetof(X86CPU, cc_src2), "cc_src2");
    x86_cpu_cc_op = tcg_global_mem_new_i32(offsetof(X86CPU, cc_op), "cc_op");
}

/* ---- TB key ------------------------------------------------------------------------------
 * The system side keeps x->hflags current (x86_update_hflags after every state change;
 * translated code calls it after POPF, the only inline change of an input), so the key is
 * read, not recomputed: x86_get_tb_cpu_state's recomputation cost 9% of a CPU-bound guest
 * (every RET and cross-page jump looks a TB up). Built with -DX86_CHECK_HFLAGS, every
 * lookup compares with a recomputation instead (used to validate the system guest tests). */
static void x86_tb_cpu_state(CPUState *cpu, uint64_t *pc, uint64_t *cs_base, uint32_t *flags)
{
    X86CPU *x = x86_cpu(cpu);
#ifdef X86_CHECK_HFLAGS
    uint32_t kept = x->hflags;
    x86_update_hflags(x);
    if (kept != x->hflags) {
        fprintf(stderr, "x86: stale hflags %#x, now %#x\n", kept, x->hflags);
        abort();
    }
#endif
    *flags = x->hflags;
    *cs_base = x->segs[R_CS].base;
    *pc = *cs_base + x->rip;
    if (!(x->hflags & HF_CS64)) {
        *pc = (uint32_t)*pc;
    }
}

static void x86_restore_state_to_opc(CPUState *cpu, const TranslationBlock *tb,
                                     const uint64_t *data)
{
    X86CPU *x = x86_cpu(cpu);
    x->rip = data[0] - tb->cs_base;
    if (!(tb->flags & HF_CS64)) {
        x->rip = (uint32_t)x->rip;
    }
    if (data[1] != CC_OP_DYNAMIC) {
        x->cc_op = (uint32_t)data[1];
    }
    x->insn_mem = (uint8_t)data[2];
}

static int x86_disas_arch(const TranslationBlock *tb)
{
    if (tb->flags & HF_CS64) {
        return DISAS_X86_64;
    }
    return (tb->flags & HF_CS32) ? DISAS_X86_32 : DISAS_X86_16;
}

/* ---- helpers and exceptions ------------------------------------------------------------- */

void x86_gen_helper(const TCGHelperInfo *info, TCGTemp *ret, int nargs, ...)
{
    TCGTemp *args[8];
    va_list ap;

    va_start(ap, nargs);
    for (int i = 0; i < nargs && i < 8; i++) {
        args[i] = va_arg(ap, TCGTemp *);
    }
    va_end(ap);
    tcg_gen_callN(info, ret, args);
}

void x86_gen_exception_err(DisasContext *s, int vector, int err)
{
    x86_gen_helper(&x86_info_raise_exception, NULL, 3, tcgv_temp(tcg_env),
               tcgv_temp(tcg_constant_i32(vector)), tcgv_temp(tcg_constant_i32(err)));
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_NORETURN;
}

void x86_gen_exception(DisasContext *s, int vector)
{
    x86_gen_exception_err(s, vector, -1);
}

bool x86_need_feature(DisasContext *s, int word, uint32_t bit)
{
    if (x86_has_feature(x86_cpu(s->cpu), word, bit)) {
        return true;
    }
    x86_gen_illegal(s);
    return false;
}

void x86_gen_illegal(DisasContext *s)
{
    x86_gen_exception(s, EXCP_UD);
}

/* ---- TB exits ---------------------------------------------------------------------------- */

void x86_gen_set_eip(DisasContext *s, uint64_t eip)
{
    tcg_gen_movi_i64(x86_cpu_rip, eip);
}

/* After a single-stepped instruction or the one in an interrupt shadow: back to the loop
 * (which then takes the debug trap or looks at pending interrupts again). */
static void gen_eob_special(DisasContext *s)
{
    if (s->flags & HF_INHIBIT_IRQ) {
        x86_gen_helper(&x86_info_reset_inhibit_irq, NULL, 1, tcgv_temp(tcg_env));
    }
    if (s->flags & HF_TF) {
        TCGv_i64 eip = tcg_temp_new_i64();
        tcg_gen_mov_i64(eip, x86_cpu_rip);
        x86_gen_helper(&x86_info_debug_trap, NULL, 2, tcgv_temp(tcg_env), tcgv_temp(eip));
    }
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_NORETURN;
}

static bool same_page(uint64_t a, uint64_t b)
{
    return ((a ^ b) & ~0xfffull) == 0;
}

/* Jumps to the TB at CS.base + RIP through the runtime's inline jump-cache probe, with
 * x86_tb_cpu_state's key: hflags are read from the CPU state (always current), CS is
 * the TB's (far transfers end the TB with an exit to the loop). */
static void gen_lookup_next(DisasContext *s)
{
    TCGv_i64 pc = tcg_temp_new_i64();
    TCGv_i32 flags = tcg_temp_new_i32();
    tcg_gen_add_i64(pc, x86_cpu_seg_base[R_CS], x86_cpu_rip);
    if (!s->code64) {
        tcg_gen_ext32u_i64(pc, pc);
    }
    tcg_gen_ld_i32(flags, tcg_env, offsetof(X86CPU, hflags));
    tcg_rt_gen_jump_dyn(s->tb, pc, x86_cpu_seg_base[R_CS], flags);
}

uint64_t x86_linear_pc(DisasContext *s, uint64_t eip)
{
    uint64_t dest = s->cs_base + eip;
    return s->code64 ? dest : (uint32_t)dest;
}

void x86_gen_jmp_eip(DisasContext *s, uint64_t eip, int n)
{
    uint64_t dest = x86_linear_pc(s, eip);

    x86_gen_update_cc_op(s);
    x86_gen_drop_sub_dst(s);
    if (s->flags & (HF_TF | HF_INHIBIT_IRQ)) {
        x86_gen_set_eip(s, eip);
        gen_eob_special(s);
    } else if (same_page(dest, s->tb->pc) || same_page(dest, s->pc)) {
        x86_flags_dead_at_exit(s, n, dest);
        tcg_gen_goto_tb(n);
        x86_gen_set_eip(s, eip);
        tcg_rt_gen_chain_exit(s->tb, n);
    } else {
        x86_gen_set_eip(s, eip);
        gen_lookup_next(s);
    }
    s->is_jmp = DISAS_NORETURN;
}

void x86_gen_jmp_dyn(DisasContext *s, TCGv_i64 eip)
{
    tcg_gen_mov_i64(x86_cpu_rip, eip);
    x86_gen_update_cc_op(s);
    x86_gen_drop_sub_dst(s);
    if (s->flags & (HF_TF | HF_INHIBIT_IRQ)) {
        gen_eob_special(s);
    } else {
        gen_lookup_next(s);
    }
    s->is_jmp = DISAS_NORETURN;
}

void x86_gen_jmp_dyn_guess(DisasContext *s, TCGv_i64 eip, uint64_t guess)
{
    uint64_t dest = s->cs_base + guess;

    if (!s->code64) {
        dest = (uint32_t)dest;
    }
    if ((s->flags & (HF_TF | HF_INHIBIT_IRQ)) ||
        !(same_page(dest, s->tb->pc) || same_page(dest, s->pc))) {
        x86_gen_jmp_dyn(s, eip);
        return;
    }
    TCGLabel *miss = gen_new_label();
    tcg_gen_mov_i64(x86_cpu_rip, eip);
    x86_gen_update_cc_op(s);
    x86_gen_drop_sub_dst(s);
    tcg_gen_brcondi_i64(TCG_COND_NE, x86_cpu_rip, (int64_t)guess, miss);
    x86_flags_dead_at_exit(s, 0, dest);
    tcg_gen_goto_tb(0);
    tcg_rt_gen_chain_exit(s->tb, 0);
    gen_set_label(miss);
    gen_lookup_next(s);
    s->is_jmp = DISAS_NORETURN;
}

/* Ends the TB after an instruction that changed the translation state or may have
 * unmasked interrupts: the loop looks everything up again. */
static void gen_eob_state(DisasContext *s)
{
    x86_gen_update_cc_op(s);
    x86_gen_set_eip(s, s_next_eip(s));
    if (s->flags & (HF_TF | HF_INHIBIT_IRQ)) {
        gen_eob_special(s);
    } else {
        tcg_gen_exit_tb(0);
    }
    s->is_jmp = DISAS_NORETURN;
}

static uint64_t mask_eip(DisasContext *s, uint64_t eip)
{
    return s->code64 ? eip : (uint32_t)eip;
}

/* ---- loops of one block ------------------------------------------------------------------ */

#define LOOP_COPIES 4           /* copies of a loop body in one TB, the first included */
#define LOOP_MAX_INSNS 64       /* guest instructions of all the copies */

/* The copies after the first run without the TB-entry check, with the guest registers
 * still in host registers (the back end keeps them on the fall-through of a brcond) and
 * without the chained jump: see x86_emit_jcc. A copy is translated from the same state
 * as the first (cc_op dynamic), so it is the same code; each needs as many ops and temps
 * as the first, which must leave the limits far away. */
bool x86_loop_may_unroll(DisasContext *s, uint64_t target)
{
    TCGContext *c = tcg_ctx;
    int done = s->loop_copies + 1;
    int body = s->num_insns / done;
    uint64_t dest = s->cs_base + target;

    if (!s->code64) {
        dest = (uint32_t)dest;
    }
    if (dest != s->tb->pc || done >= LOOP_COPIES || s->nb_follows ||
        (s->flags & (HF_TF | HF_INHIBIT_IRQ | HF_BPT))) {
        return false;
    }
    return s->num_insns + body <= s->max_insns && s->num_insns + body <= LOOP_MAX_INSNS &&
           c->nb_ops + c->nb_ops / done < TCG_OP_BUF_SOFT_LIMIT / 2 &&
           c->nb_temps + c->nb_temps / done < TCG_MAX_TEMPS / 2 &&
           c->nb_labels + c->nb_labels / done < TCG_MAX_LABELS / 2;
}

/* A TB that ended before the last copy of its loop (never expected: copies are the same
 * code) still needs the copies' exit. */
static void gen_loop_exit_late(DisasContext *s)
{
    gen_set_label(s->loop_exit);
    s->loop_exit = NULL;
    x86_gen_set_eip(s, s->loop_exit_eip);
    gen_lookup_next(s);
}

/* ---- direct transfers followed ------------------------------------------------------------ */

#define MAX_FOLLOWS 4           /* direct CALL/JMPs followed in one TB */
#define FOLLOW_MARGIN 16        /* no followed run starts this close to the page's end */

static void follow_cover(DisasContext *s, uint64_t start, uint64_t end)
{
    unsigned lo = (unsigned)(start & 0xfff), hi = (unsigned)(((end - 1) & 0xfff) + 1);
    s->cover_lo = MIN(s->cover_lo, lo);
    s->cover_hi = MAX(s->cover_hi, hi);
}

/* A direct CALL or JMP whose target is on the TB's first page continues the TB there:
 * the guest registers stay in host registers and the callee's first block costs no TB
 * entry. Not while TBs are logged (-d in_asm, op, out_asm, exec, cpu, nochain) or mapped
 * for perf (-perfmap): a function's code then starts a TB of its own as before, so logs,
 * -dfilter ranges and perf symbols name it. The bytes of every run are in the TB's
 * invalidation span (tb->size for the first run, extra_lo/hi for the others, as the ARM
 * if-conversion does); a run never starts in the last 16 bytes of the page and the TB ends
 * before an instruction there, so that no instruction of a later run reaches the next
 * page. */
bool x86_follow_direct(DisasContext *s, uint64_t eip)
{
    TranslationBlock *tb = s->tb;
    TCGContext *c = tcg_ctx;
    uint64_t dest = s->cs_base + eip;

    if (!s->code64) {
        dest = (uint32_t)dest;
    }
    if (s->nb_follows >= MAX_FOLLOWS || s->loop_copies || s->loop_exit ||
        (s->flags & (HF_TF | HF_INHIBIT_IRQ | HF_BPT | HF_SEGLIM)) ||
        (tb->cflags & (CF_SINGLE_STEP | CF_NOCACHE | CF_EXCLUSIVE)) ||
        (tb->cflags & CF_COUNT_MASK) != 0 || tcg_breakpoints_any() ||
        (log_mask & (LOG_TB_FILTERED | LOG_NOCHAIN)) || perfmap_on ||
        !same_page(dest, tb->pc) || !same_page(s->next_pc - 1, tb->pc) ||
        (dest & 0xfff) > 0x1000 - FOLLOW_MARGIN || s->num_insns + 16 > s->max_insns ||
        c->nb_ops > TCG_OP_BUF_SOFT_LIMIT / 4 || c->nb_temps > TCG_MAX_TEMPS / 4 ||
        c->nb_labels > TCG_MAX_LABELS / 4) {
        return false;
    }
    if (s->nb_follows++ == 0) {
        s->first_end = s->next_pc;
        s->cover_lo = 0x1000;
        s->cover_hi = 0;
    } else {
        follow_cover(s, s->run_start, s->next_pc);
    }
    s->run_start = dest;
    s->next_pc = dest;
    return true;
}

/* ---- the TB loop ------------------------------------------------------------------------- */

static void disas_init(DisasContext *s, CPUState *cpu, TranslationBlock *tb)
{
    *s = (DisasContext){
        .cpu = cpu, .tb = tb, .flags = tb->flags, .cs_base = tb->cs_base, .pc = tb->pc,
        .cc_op = CC_OP_DYNAMIC, .cc_op_guess = (int)x86_cpu(cpu)->cc_op,
        .code64 = (tb->flags & HF_CS64) != 0,
        .mem_idx = x86_mmu_index(tb->flags), .is_jmp = DISAS_NEXT,
        .align = (tb->flags & HF_AC) ? MO_ALIGN : 0, .sp_known = true,
    };
}

static void x86_translate(CPUState *cpu, TranslationBlock *tb, int max_insns)
{
    DisasContext s;

    disas_init(&s, cpu, tb);
    if (tb->flags & (HF_TF | HF_INHIBIT_IRQ)) {
        max_insns = 1;
    }
    s.max_insns = max_insns;
    for (;;) {
        tcg_gen_insn_start(s.pc, (uint64_t)s.cc_op, 0);
        s.insn_mem = 0;
        s.lim_addr = NULL;
        s.num_insns++;
        if (tcg_rt_gen_breakpoint(cpu, tb, s.pc)) {    /* debugger: stop before it */
            s.pc++;
            break;
        }
        if (tb->flags & HF_BPT) {           /* DR0-3 instruction breakpoints */
            x86_gen_helper(&x86_info_check_bpt, NULL, 2, tcgv_temp(tcg_env),
                           tcgv_temp(tcg_constant_i64((int64_t)(s.pc - s.cs_base))));
        }
        s.next_pc = s.pc;
        x86_translate_one(&s);
        if (s.is_jmp == DISAS_EOB_NEXT) {
            gen_eob_state(&s);
        }
        s.pc = s.next_pc;
        if (s.is_jmp != DISAS_NEXT) {
            break;
        }
        if (s.num_insns >= max_insns || tcg_op_buf_full() || !same_page(s.pc, tb->pc) ||
            (s.nb_follows && (s.pc & 0xfff) > 0x1000 - FOLLOW_MARGIN)) {
            x86_gen_jmp_eip(&s, mask_eip(&s, s.pc - s.cs_base), 0);
            break;
        }
    }
    if (s.loop_exit) {
        gen_loop_exit_late(&s);
    }
    if (s.nb_follows) {
        follow_cover(&s, s.run_start, s.pc);
        tb->size = (uint32_t)(s.first_end - tb->pc);
        tb_extend_span(tb, s.cover_lo, s.cover_hi);
    } else {
        tb->size = (uint32_t)(s.pc - tb->pc);
    }
    tb->icount = (uint32_t)s.num_insns;
}

/* The entry check's exit of a TB whose first instruction kills the flags (a previous TB
 * may have left them to it, translate-cc-tb.c): that instruction is done again there,
 * and the state is the one before the second instruction. */
static void x86_gen_entry_exit(CPUState *cpu, TranslationBlock *tb)
{
    DisasContext s;

    if (tb->icount < 2 || !x86_flag_killer_len(cpu, tb, tb->pc, tb->flags)) {
        return;
    }
    disas_init(&s, cpu, tb);
    s.next_pc = s.pc;
    x86_translate_one(&s);
    tb->entry_check_insn = 1;
}

const TCGTargetOps x86_tcg_ops = {
    .insn_start_words = 3,
    .addr_type = TCG_TYPE_I64,
    .translate_init = x86_translate_init,
    .get_tb_cpu_state = x86_tb_cpu_state,
    .code_mmu_index = x86_cpu_code_mmu_index,
    .do_unaligned_access = x86_cpu_do_unaligned_access,
    .translate = x86_translate,
    .restore_state_to_opc = x86_restore_state_to_opc,
    .gen_entry_exit = x86_gen_entry_exit,
    .disas_arch = x86_disas_arch,
    .dump_fpu = x86_cpu_dump_fpu,
    .tlb_fill = x86_cpu_tlb_fill,
    .cpu_exec_interrupt = x86_cpu_exec_interrupt,
    .do_interrupt = x86_cpu_do_interrupt,
    .cpu_watch_hit = x86_cpu_watch_hit,
};

/* A strong reference for programs that link the target as an archive (x86_tcg_ops is
 * declared weak for cpu.c, which does not pull this file in by itself). */
const TCGTargetOps *x86_translator_ops(void)
{
    return &x86_tcg_ops;
}
