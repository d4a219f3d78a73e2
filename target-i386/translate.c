/* x86 translator: the TB loop, TB flags and key, IR globals, TB exits (chained direct
 * jumps, indirect jumps, single-step and interrupt-shadow ends), exceptions. The decoder
 * is decode.c; the instruction emitters are translate-*.c. */
#include <stdarg.h>
#include <stddef.h>
#include "target-i386/helper.h"
#include "target-i386/helper-sys.h"
#include "target-i386/translate.h"
#include "util/disas.h"

TCGv_i64 cpu_regs[16];
TCGv_i64 cpu_cc_dst, cpu_cc_src, cpu_cc_src2;
TCGv_i32 cpu_cc_op;
TCGv_i64 cpu_seg_base[X86_NR_SEGS];
TCGv_i64 cpu_rip;

static void x86_translate_init(void)
{
    static const char *const reg_names[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp",
        "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
    static const char *const seg_names[X86_NR_SEGS] = { "es_base", "cs_base", "ss_base",
        "ds_base", "fs_base", "gs_base" };

    for (int i = 0; i < 16; i++) {
        cpu_regs[i] = tcg_global_mem_new_i64(offsetof(X86CPU, regs[i]), reg_names[i]);
    }
    for (int i = 0; i < X86_NR_SEGS; i++) {
        cpu_seg_base[i] = tcg_global_mem_new_i64(offsetof(X86CPU, segs[i].base), seg_names[i]);
    }
    cpu_rip = tcg_global_mem_new_i64(offsetof(X86CPU, rip), "rip");
    cpu_cc_dst = tcg_global_mem_new_i64(offsetof(X86CPU, cc_dst), "cc_dst");
    cpu_cc_src = tcg_global_mem_new_i64(offsetof(X86CPU, cc_src), "cc_src");
    cpu_cc_src2 = tcg_global_mem_new_i64(offsetof(X86CPU, cc_src2), "cc_src2");
    cpu_cc_op = tcg_global_mem_new_i32(offsetof(X86CPU, cc_op), "cc_op");
}

/* ---- TB flags and key ------------------------------------------------------------------ */

static uint32_t x86_segment_flags(const X86CPU *x)
{
    uint32_t f = 0;
    if (x->segs[R_CS].flags & X86_SEG_DB) {
        f |= HF_CS32;
    }
    if (x->segs[R_SS].flags & X86_SEG_DB) {
        f |= HF_SS32;
    }
    if (x->segs[R_DS].base | x->segs[R_ES].base | x->segs[R_SS].base) {
        f |= HF_ADDSEG;
    }
    return f;
}

uint32_t x86_tb_flags(const X86CPU *x)
{
    uint32_t f = (uint32_t)x86_cpu_cpl(x) & HF_CPL_MASK;
    bool pe = x->cr[0] & X86_CR0_PE;
    bool vm = pe && (x->eflags & X86_EFLAGS_VM);

    if (x->efer & X86_EFER_LMA) {
        f |= HF_LMA;
    }
    if (x86_cpu_in_64bit_code(x)) {
        f |= HF_CS64 | HF_CS32 | HF_SS32;
    } else if (pe && !vm) {
        f |= x86_segment_flags(x);
    } else {
        f |= HF_ADDSEG;
    }
    f |= (pe ? HF_PE : 0) | (vm ? HF_VM : 0);
    f |= (x->eflags & X86_EFLAGS_TF) ? HF_TF : 0;
    f |= x->inhibit_irq ? HF_INHIBIT : 0;
    f |= (uint32_t)(x->eflags & (3u << 12)) >> 12 << HF_IOPL_SHIFT;
    return f;
}

static void x86_get_tb_cpu_state(CPUState *cpu, uint64_t *pc, uint64_t *cs_base,
                                 uint32_t *flags)
{
    X86CPU *x = x86_cpu(cpu);
    *flags = x86_tb_flags(x);
    *cs_base = x->segs[R_CS].base;
    *pc = *cs_base + x->rip;
    if (!(*flags & HF_CS64)) {
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
}

static int x86_disas_arch(const TranslationBlock *tb)
{
    if (tb->flags & HF_CS64) {
        return DISAS_X86_64;
    }
    return (tb->flags & HF_CS32) ? DISAS_X86_32 : DISAS_X86_16;
}

/* ---- helpers and exceptions ------------------------------------------------------------- */

void gen_helper(const TCGHelperInfo *info, TCGTemp *ret, int nargs, ...)
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

void gen_exception_err(DisasContext *s, int vector, int err)
{
    gen_helper(&x86_info_raise_exception, NULL, 3, tcgv_temp(tcg_env),
               tcgv_temp(tcg_constant_i32(vector)), tcgv_temp(tcg_constant_i32(err)));
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_NORETURN;
}

void gen_exception(DisasContext *s, int vector)
{
    gen_exception_err(s, vector, -1);
}

void gen_illegal(DisasContext *s)
{
    gen_exception(s, EXCP_UD);
}

/* ---- TB exits ---------------------------------------------------------------------------- */

void gen_set_eip(DisasContext *s, uint64_t eip)
{
    tcg_gen_movi_i64(cpu_rip, eip);
}

/* After a single-stepped instruction or the one in an interrupt shadow: back to the loop
 * (which then takes the debug trap or looks at pending interrupts again). */
static void gen_eob_special(DisasContext *s)
{
    if (s->flags & HF_INHIBIT) {
        tcg_gen_st8_i32(tcg_constant_i32(0), tcg_env, offsetof(X86CPU, inhibit_irq));
    }
    if (s->flags & HF_TF) {
        gen_helper(&x86_info_debug_trap, NULL, 1, tcgv_temp(tcg_env));
    }
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_NORETURN;
}

static bool same_page(uint64_t a, uint64_t b)
{
    return ((a ^ b) & ~0xfffull) == 0;
}

void gen_jmp_eip(DisasContext *s, uint64_t eip, int n)
{
    uint64_t dest = s->cs_base + eip;

    if (!s->code64) {
        dest = (uint32_t)dest;
    }
    gen_update_cc_op(s);
    if (s->flags & (HF_TF | HF_INHIBIT)) {
        gen_set_eip(s, eip);
        gen_eob_special(s);
    } else if (same_page(dest, s->tb->pc) || same_page(dest, s->pc)) {
        tcg_gen_goto_tb(n);
        gen_set_eip(s, eip);
        tcg_rt_gen_chain_exit(s->tb, n);
    } else {
        gen_set_eip(s, eip);
        tcg_gen_lookup_and_goto_ptr();
    }
    s->is_jmp = DISAS_NORETURN;
}

void gen_jmp_dyn(DisasContext *s, TCGv_i64 eip)
{
    tcg_gen_mov_i64(cpu_rip, eip);
    gen_update_cc_op(s);
    if (s->flags & (HF_TF | HF_INHIBIT)) {
        gen_eob_special(s);
    } else {
        tcg_gen_lookup_and_goto_ptr();
    }
    s->is_jmp = DISAS_NORETURN;
}

/* Ends the TB after an instruction that changed the translation state or may have
 * unmasked interrupts: the loop looks everything up again. */
static void gen_eob_state(DisasContext *s)
{
    gen_update_cc_op(s);
    gen_set_eip(s, s_next_eip(s));
    if (s->flags & (HF_TF | HF_INHIBIT)) {
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

/* ---- the TB loop ------------------------------------------------------------------------- */

static void x86_translate(CPUState *cpu, TranslationBlock *tb, int max_insns)
{
    DisasContext s = {
        .cpu = cpu, .tb = tb, .flags = tb->flags, .cs_base = tb->cs_base, .pc = tb->pc,
        .cc_op = CC_OP_DYNAMIC, .code64 = (tb->flags & HF_CS64) != 0,
        .mem_idx = x86_mmu_index(tb->flags), .is_jmp = DISAS_NEXT,
    };

    if (tb->flags & (HF_TF | HF_INHIBIT)) {
        max_insns = 1;
    }
    for (;;) {
        tcg_gen_insn_start(s.pc, (uint64_t)s.cc_op, 0);
        s.num_insns++;
        s.next_pc = s.pc;
        x86_translate_one(&s);
        if (s.is_jmp == DISAS_EOB_NEXT) {
            gen_eob_state(&s);
        }
        s.pc = s.next_pc;
        if (s.is_jmp != DISAS_NEXT) {
            break;
        }
        if (s.num_insns >= max_insns || tcg_op_buf_full() || !same_page(s.pc, tb->pc)) {
            gen_jmp_eip(&s, mask_eip(&s, s.pc - s.cs_base), 0);
            break;
        }
    }
    tb->size = (uint32_t)(s.pc - tb->pc);
    tb->icount = (uint32_t)s.num_insns;
}

const TCGTargetOps x86_tcg_ops = {
    .insn_start_words = 2,
    .addr_type = TCG_TYPE_I64,
    .translate_init = x86_translate_init,
    .get_tb_cpu_state = x86_get_tb_cpu_state,
    .translate = x86_translate,
    .restore_state_to_opc = x86_restore_state_to_opc,
    .disas_arch = x86_disas_arch,
    .tlb_fill = x86_cpu_tlb_fill,
    .cpu_exec_interrupt = x86_cpu_exec_interrupt,
    .do_interrupt = x86_cpu_do_interrupt,
};
