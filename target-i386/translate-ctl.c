/* x86 control transfer for the translator: Jcc, JMP, CALL, RET (near, relative and
 * indirect), LOOP/LOOPE/LOOPNE, JCXZ, group 5, INT n/INT3/INTO/INT1, HLT, and the far
 * forms (JMP/CALL ptr and m16:xx, RETF, IRET) which call the system helpers (Intel SDM
 * vol. 2; vol. 1 6.3-6.4). */
#include "target-i386/helper.h"
#include "target-i386/helper-sys.h"
#include "system/memory.h"
#include "target-i386/translate.h"

static uint64_t mask_target(DisasContext *s, uint64_t eip)
{
    if (s->code64) {
        return eip;
    }
    return s->dflag == MO_16 ? (eip & 0xffff) : (uint32_t)eip;
}

static uint64_t rel_target(DisasContext *s)
{
    return mask_target(s, s_next_eip(s) + (uint64_t)s->imm);
}

/* A Jcc back to the start of its own TB (a loop of one block) may translate the body once
 * more after it (x86_loop_may_unroll): the inverted condition leaves for the fall-through
 * through an exit shared by all the copies, placed at the last copy's fall-through; the
 * next copy starts as the TB did, with cc_op dynamic (stored here). */
static void gen_loop_next_copy(DisasContext *s)
{
    if (!s->loop_exit) {
        s->loop_exit = gen_new_label();
        s->loop_exit_eip = mask_target(s, s_next_eip(s));
    }
    x86_gen_jcc_exit(s, (s->opcode & 0xf) ^ 1, s->loop_exit);
    x86_set_cc_op(s, CC_OP_DYNAMIC);
    s->loop_copies++;
    s->next_pc = s->tb->pc;
}

/* The cc_op field is written by each exit (x86_gen_jmp_eip), not before the branch: an
 * exit whose successor overwrites the flags writes none (translate-cc-tb.c). When only
 * the taken exit does, the branch is inverted so that it is the fall-through: liveness
 * then wants the flag fields the other exit needs in memory on the branch's taken edge
 * only (docs/tcg.md), not before the branch for both (the x86-64 back end still writes
 * a pending copy store, such as CMP's cc_src = register, before the branch). The
 * copies' exits to loop_exit wrote the same cc_op (they are the same code). */
void x86_emit_jcc(DisasContext *s, const X86OpEntry *e)
{
    uint64_t target = rel_target(s), next = mask_target(s, s_next_eip(s));

    if (x86_loop_may_unroll(s, target)) {
        x86_gen_update_cc_op(s);
        gen_loop_next_copy(s);
        return;
    }
    bool dirty = s->cc_op_dirty;
    bool swap = !s->loop_exit && x86_exit_drops_flags(s, x86_linear_pc(s, target)) &&
                !x86_exit_drops_flags(s, x86_linear_pc(s, next));
    TCGLabel *taken = gen_new_label();
    x86_gen_jcc_exit(s, (s->opcode & 0xf) ^ swap, taken);
    if (s->loop_exit) {
        gen_set_label(s->loop_exit);
        s->loop_exit = NULL;
    }
    x86_gen_jmp_eip(s, swap ? target : next, 1);
    gen_set_label(taken);
    s->cc_op_dirty = dirty;
    x86_gen_jmp_eip(s, swap ? next : target, 0);
}

void x86_emit_jmp(DisasContext *s, const X86OpEntry *e)
{
    if (!x86_follow_direct(s, rel_target(s))) {
        x86_gen_jmp_eip(s, rel_target(s), 0);
    }
}

void x86_emit_call(DisasContext *s, const X86OpEntry *e)
{
    int ot = x86_gen_push_ot(s, s->dflag);
    uint64_t ret = s_next_eip(s) & ot_mask(ot), target = rel_target(s);
    x86_gen_push(s, ot, tcg_constant_i64(ret));
    if (!x86_follow_direct(s, target)) {
        x86_gen_jmp_eip(s, target, 0);
    } else if (s->nb_calls < 4) {
        s->call_sp[s->nb_calls] = s->sp_known ? s->sp_delta : INT64_MIN;
        s->call_ret[s->nb_calls++] = ret;
    }
}

/* The return address a RET will pop, read when it is translated: the TB is translated
 * when first run, from the CPU state at its start, so ESP + sp_delta (what PUSH, POP and
 * ADD/SUB ESP did since then) is where it is. Read without faulting and only from RAM;
 * false when unknown. Only a guess: the RET compares it with what it pops. */
static bool predict_ret(DisasContext *s, int ot, uint64_t *guess)
{
    X86CPU *x = x86_cpu(s->cpu);
    unsigned size = 1u << ot;
    uint64_t lin = x->regs[R_ESP] + (uint64_t)s->sp_delta;
    hwaddr pa;
    uint8_t buf[8] = { 0 };

    if (!s->sp_known || ot < MO_32 || x86_stack_ot(s) < MO_32 || !x->parent.as) {
        return false;
    }
    /* pushed by a CALL followed in this TB: not in memory yet */
    for (int i = s->nb_calls - 1; i >= 0; i--) {
        if (s->call_sp[i] == s->sp_delta) {
            *guess = s->call_ret[i];
            return true;
        }
    }
    if (!s->code64) {
        lin = (uint32_t)((uint32_t)lin + x->segs[R_SS].base);
    }
    if ((lin & 0xfff) + size > 0x1000 || x86_cpu_debug_phys_addr(x, lin, &pa) != 0 ||
        !dma_range_valid(x->parent.as, pa, size, false) ||
        dma_read(x->parent.as, pa, buf, size) != 0) {
        return false;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)buf[i] << (8 * i);
    }
    *guess = v;
    return true;
}

/* RET: a chained jump to the predicted return address (predict_ret) when the popped one
 * equals it, else the jump-cache probe (about 35 host instructions). */
void x86_emit_ret(DisasContext *s, const X86OpEntry *e)
{
    int ot = x86_gen_push_ot(s, s->dflag);
    uint64_t guess;
    bool have_guess = predict_ret(s, ot, &guess);
    TCGv_i64 v = x86_gen_pop_peek(s, ot);
    x86_gen_sp_add(s, (1 << ot) + (e->arg ? s->imm : 0));
    if (have_guess) {
        x86_gen_jmp_dyn_guess(s, v, guess);
    } else {
        x86_gen_jmp_dyn(s, v);
    }
}

/* The count register of LOOP/JCXZ is CX, ECX or RCX by address size. */
static TCGv_i64 gen_count(DisasContext *s)
{
    TCGv_i64 t = tcg_temp_new_i64();
    x86_gen_ext(s->aflag, t, x86_cpu_regs[R_ECX], false);
    return t;
}

void x86_emit_loop(DisasContext *s, const X86OpEntry *e)
{
    TCGLabel *not_taken = gen_new_label();
    TCGv_i64 t = tcg_temp_new_i64();

    x86_gen_update_cc_op(s);
    tcg_gen_subi_i64(t, x86_cpu_regs[R_ECX], 1);
    x86_gen_op_mov_reg_v(s, s->aflag, R_ECX, t);
    tcg_gen_brcondi_i64(TCG_COND_EQ, gen_count(s), 0, not_taken);
    if (e->arg < 2) {
        /* LOOPNE stops when ZF = 1, LOOPE when ZF = 0 */
        x86_gen_jcc_label(s, e->arg == 0 ? 4 : 5, not_taken);
    }
    x86_gen_jmp_eip(s, rel_target(s), 0);
    gen_set_label(not_taken);
    x86_gen_jmp_eip(s, mask_target(s, s_next_eip(s)), 1);
}

void x86_emit_jcxz(DisasContext *s, const X86OpEntry *e)
{
    TCGLabel *not_taken = gen_new_label();

    x86_gen_update_cc_op(s);
    tcg_gen_brcondi_i64(TCG_COND_NE, gen_count(s), 0, not_taken);
    x86_gen_jmp_eip(s, rel_target(s), 0);
    gen_set_label(not_taken);
    x86_gen_jmp_eip(s, mask_target(s, s_next_eip(s)), 1);
}

/* ---- far transfers (system helpers) ------------------------------------------------------- */

/* After a helper that loaded CS:EIP (and maybe the whole mode): back to the loop. */
static void gen_eob_after_helper(DisasContext *s)
{
    x86_set_cc_op(s, CC_OP_DYNAMIC);
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_NORETURN;
}

static void gen_far_jmp(DisasContext *s, TCGv_i64 sel, TCGv_i64 off)
{
    TCGv_i32 sel32 = tcg_temp_new_i32();
    tcg_gen_extrl_i64_i32(sel32, sel);
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_ljmp, NULL, 4, tcgv_temp(tcg_env), tcgv_temp(sel32), tcgv_temp(off),
               tcgv_temp(tcg_constant_i64(s_next_eip(s))));
    gen_eob_after_helper(s);
}

static void gen_far_call(DisasContext *s, TCGv_i64 sel, TCGv_i64 off, int ot)
{
    TCGv_i32 sel32 = tcg_temp_new_i32();
    tcg_gen_extrl_i64_i32(sel32, sel);
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_lcall, NULL, 5, tcgv_temp(tcg_env), tcgv_temp(sel32), tcgv_temp(off),
               tcgv_temp(tcg_constant_i32(ot)), tcgv_temp(tcg_constant_i64(s_next_eip(s))));
    gen_eob_after_helper(s);
}

void x86_emit_far_jmp(DisasContext *s, const X86OpEntry *e)
{
    gen_far_jmp(s, tcg_constant_i64(s->imm2), tcg_constant_i64(s->imm));
}

void x86_emit_far_call(DisasContext *s, const X86OpEntry *e)
{
    gen_far_call(s, tcg_constant_i64(s->imm2), tcg_constant_i64(s->imm), s->dflag);
}

void x86_emit_far_ret(DisasContext *s, const X86OpEntry *e)
{
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_lret, NULL, 3, tcgv_temp(tcg_env), tcgv_temp(tcg_constant_i32(s->dflag)),
               tcgv_temp(tcg_constant_i32(e->arg ? (uint32_t)s->imm : 0)));
    gen_eob_after_helper(s);
}

void x86_emit_iret(DisasContext *s, const X86OpEntry *e)
{
    if ((s->flags & HF_VM) && ((s->flags & HF_IOPL_MASK) >> HF_IOPL_SHIFT) != 3) {
        x86_gen_exception_err(s, EXCP_GP, 0);
        return;
    }
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_iret, NULL, 3, tcgv_temp(tcg_env), tcgv_temp(tcg_constant_i32(s->dflag)),
               tcgv_temp(tcg_constant_i64(s_next_eip(s))));
    gen_eob_after_helper(s);
}

/* Loads selector:offset from memory (m16:16, m16:32, m16:64) at the ModRM address. */
static void gen_ld_farptr(DisasContext *s, int ot, TCGv_i64 sel, TCGv_i64 off)
{
    TCGv_i64 a = x86_gen_lea_modrm(s), a2 = tcg_temp_new_i64();
    x86_gen_ld(s, ot, off, a);
    tcg_gen_addi_i64(a2, a, 1 << ot);
    if (!s->code64) {
        tcg_gen_ext32u_i64(a2, a2);
    }
    x86_gen_ld(s, MO_16, sel, a2);
}

/* FE/FF: INC, DEC; FF only: CALL, CALLF, JMP, JMPF, PUSH. */
void x86_emit_grp45(DisasContext *s, const X86OpEntry *e)
{
    int op = (s->modrm >> 3) & 7;
    int near_ot = s->code64 ? MO_64 : s->dflag;

    if (op < 2) {
        X86OpEntry inc = { x86_emit_inc_dec, 0, 0, (uint8_t)op };
        x86_emit_inc_dec(s, &inc);
        return;
    }
    if (s->ot == MO_8 || op == 7 || (s->prefix & PREFIX_LOCK) ||
        ((op == 3 || op == 5) && s->mod == 3)) {
        x86_gen_illegal(s);
        return;
    }
    if (op == 3 || op == 5) {
        TCGv_i64 sel = tcg_temp_new_i64(), off = tcg_temp_new_i64();
        gen_ld_farptr(s, s->dflag, sel, off);
        op == 3 ? gen_far_call(s, sel, off, s->dflag) : gen_far_jmp(s, sel, off);
        return;
    }
    if (op == 6) {
        int ot = s->code64 ? (s->dflag == MO_16 ? MO_16 : MO_64) : s->dflag;
        x86_gen_push(s, ot, x86_gen_ld_rm(s, ot, NULL));
        return;
    }
    TCGv_i64 v = x86_gen_ld_rm(s, near_ot, NULL);
    if (op == 2) {
        x86_gen_push(s, near_ot, tcg_constant_i64(s_next_eip(s) & ot_mask(near_ot)));
    }
    x86_gen_jmp_dyn(s, v);
}

/* ---- software interrupts, HLT ---------------------------------------------------------------- */

static void gen_int_sw(DisasContext *s, int vector)
{
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_int_sw, NULL, 3, tcgv_temp(tcg_env), tcgv_temp(tcg_constant_i32(vector)),
               tcgv_temp(tcg_constant_i64(s_next_eip(s))));
}

void x86_emit_int(DisasContext *s, const X86OpEntry *e)
{
    if (e->arg == 0 && (s->flags & HF_VM) &&
        ((s->flags & HF_IOPL_MASK) >> HF_IOPL_SHIFT) != 3) {
        x86_gen_exception_err(s, EXCP_GP, 0);
        return;
    }
    gen_int_sw(s, e->arg ? EXCP_DB : (int)s->imm);
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_NORETURN;
}

void x86_emit_int3(DisasContext *s, const X86OpEntry *e)
{
    gen_int_sw(s, EXCP_BP);
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_NORETURN;
}

void x86_emit_into(DisasContext *s, const X86OpEntry *e)
{
    TCGLabel *skip = gen_new_label();
    x86_gen_update_cc_op(s);
    x86_gen_jcc_label(s, 1, skip);      /* JNO */
    gen_int_sw(s, EXCP_OF);
    gen_set_label(skip);
}

void x86_emit_hlt(DisasContext *s, const X86OpEntry *e)
{
    if (s->flags & HF_CPL_MASK) {
        x86_gen_exception_err(s, EXCP_GP, 0);
        return;
    }
    x86_gen_update_cc_op(s);
    x86_gen_set_eip(s, s_next_eip(s));
    x86_gen_helper(&x86_info_hlt, NULL, 1, tcgv_temp(tcg_env));
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_NORETURN;
}
