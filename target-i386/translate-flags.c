/* x86 flag instructions for the translator: CMC/CLC/STC/CLD/STD, LAHF/SAHF, PUSHF/POPF
 * (with the CPL/IOPL rules of which bits POPF may change), CLI/STI (IOPL-sensitive; STI
 * opens the one-instruction interrupt shadow), SALC, and the BCD adjustments
 * DAA/DAS/AAA/AAS/AAM/AAD through helpers (Intel SDM vol. 2, vol. 1 3.4.3). */
#include <stddef.h>
#include "target-i386/cpuid.h"
#include "target-i386/helper.h"
#include "target-i386/helper-sys.h"
#include "target-i386/translate.h"

#define EFLAGS_IF 0x200u
#define EFLAGS_IOPL 0x3000u
#define EFLAGS_NT 0x4000u
#define EFLAGS_RF 0x10000u
#define EFLAGS_AC 0x40000u
#define EFLAGS_ID 0x200000u

static int iopl(DisasContext *s)
{
    return (s->flags & HF_IOPL_MASK) >> HF_IOPL_SHIFT;
}

/* IOPL-sensitive instructions in protected or virtual-8086 mode: #GP(0) when CPL > IOPL
 * (virtual-8086: IOPL < 3; VME is not modelled). */
static bool iopl_fault(DisasContext *s)
{
    if (!(s->flags & HF_PE)) {
        return false;
    }
    return (s->flags & HF_VM) ? iopl(s) != 3 : (int)(s->flags & HF_CPL_MASK) > iopl(s);
}

static void gen_eflags_field(TCGv_i64 d)
{
    tcg_gen_ld_i64(d, tcg_env, offsetof(X86CPU, eflags));
}

static void gen_set_eflags_field(TCGv_i64 v)
{
    tcg_gen_st_i64(v, tcg_env, offsetof(X86CPU, eflags));
}

/* arg: 0 CMC, 1 CLC, 2 STC, 3 CLD, 4 STD */
void x86_emit_flagop(DisasContext *s, const X86OpEntry *e)
{
    if (e->arg >= 3) {
        TCGv_i64 f = tcg_temp_new_i64();
        gen_eflags_field(f);
        if (e->arg == 3) {
            tcg_gen_andi_i64(f, f, ~(uint64_t)X86_EFLAGS_DF);
        } else {
            tcg_gen_ori_i64(f, f, X86_EFLAGS_DF);
        }
        gen_set_eflags_field(f);
        return;
    }
    x86_gen_compute_eflags(s);
    switch (e->arg) {
    case 0: tcg_gen_xori_i64(x86_cpu_cc_src, x86_cpu_cc_src, X86_EFLAGS_CF); break;
    case 1: tcg_gen_andi_i64(x86_cpu_cc_src, x86_cpu_cc_src, ~(uint64_t)X86_EFLAGS_CF); break;
    default: tcg_gen_ori_i64(x86_cpu_cc_src, x86_cpu_cc_src, X86_EFLAGS_CF); break;
    }
}

/* LAHF/SAHF in 64-bit mode need CPUID.80000001H:ECX.LAHF-SAHF. */
static bool lahf_ok(DisasContext *s)
{
    return !s->code64 || x86_need_feature(s, FEAT_8000_0001_ECX, CPUID_EXT3_LAHF_LM);
}

void x86_emit_lahf(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 f = tcg_temp_new_i64();

    if (!lahf_ok(s)) {
        return;
    }
    x86_gen_compute_eflags_to(s, f);
    tcg_gen_andi_i64(f, f, X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF |
                           X86_EFLAGS_CF);
    tcg_gen_ori_i64(f, f, X86_EFLAGS_FIXED);
    tcg_gen_deposit_i64(x86_cpu_regs[R_EAX], x86_cpu_regs[R_EAX], f, 8, 8);
}

void x86_emit_sahf(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 ah = tcg_temp_new_i64();

    if (!lahf_ok(s)) {
        return;
    }
    x86_gen_compute_eflags(s);
    tcg_gen_extract_i64(ah, x86_cpu_regs[R_EAX], 8, 8);
    tcg_gen_andi_i64(ah, ah, X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF |
                             X86_EFLAGS_CF);
    tcg_gen_andi_i64(x86_cpu_cc_src, x86_cpu_cc_src, X86_EFLAGS_OF);
    tcg_gen_or_i64(x86_cpu_cc_src, x86_cpu_cc_src, ah);
}

void x86_emit_pushf(DisasContext *s, const X86OpEntry *e)
{
    int ot = x86_gen_push_ot(s, s->dflag);
    TCGv_i64 f = tcg_temp_new_i64(), a = tcg_temp_new_i64();

    if ((s->flags & HF_VM) && iopl(s) != 3) {
        x86_gen_exception_err(s, EXCP_GP, 0);
        return;
    }
    gen_eflags_field(f);
    tcg_gen_andi_i64(f, f, ~(uint64_t)(X86_EFLAGS_ARITH | X86_EFLAGS_VM | EFLAGS_RF));
    x86_gen_compute_eflags_to(s, a);
    tcg_gen_or_i64(f, f, a);
    tcg_gen_ori_i64(f, f, X86_EFLAGS_FIXED);
    x86_gen_push(s, ot, f);
}

/* The EFLAGS bits POPF may change at this CPL/IOPL (SDM POPF, table 4-15). */
static uint64_t popf_mask(DisasContext *s, int ot)
{
    uint64_t m = X86_EFLAGS_ARITH | X86_EFLAGS_TF | X86_EFLAGS_DF | EFLAGS_NT | EFLAGS_AC |
                 EFLAGS_ID;
    int cpl = s->flags & HF_CPL_MASK;

    if (!(s->flags & HF_PE) || cpl == 0) {
        m |= EFLAGS_IOPL;
    }
    if (!(s->flags & HF_PE) || cpl <= iopl(s)) {
        m |= EFLAGS_IF;
    }
    return ot == MO_16 ? (m & 0xffff) : m;
}

void x86_emit_popf(DisasContext *s, const X86OpEntry *e)
{
    int ot = x86_gen_push_ot(s, s->dflag);
    uint64_t mask = popf_mask(s, ot);
    TCGv_i64 f = tcg_temp_new_i64();

    if ((s->flags & HF_VM) && iopl(s) != 3) {
        x86_gen_exception_err(s, EXCP_GP, 0);
        return;
    }
    TCGv_i64 v = x86_gen_pop_peek(s, ot);
    x86_gen_pop_update(s, ot);
    gen_eflags_field(f);
    tcg_gen_andi_i64(f, f, ~(mask | EFLAGS_RF));
    tcg_gen_andi_i64(v, v, mask);
    tcg_gen_or_i64(f, f, v);
    gen_set_eflags_field(f);
    tcg_gen_andi_i64(x86_cpu_cc_src, v, X86_EFLAGS_ARITH);
    x86_set_cc_op(s, CC_OP_EFLAGS);
    x86_gen_helper(&x86_info_update_hflags, NULL, 1, tcgv_temp(tcg_env));
    s->is_jmp = DISAS_EOB_NEXT;     /* TF, IF, IOPL may have changed */
}

void x86_emit_cli_sti(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 f = tcg_temp_new_i64();

    if (iopl_fault(s)) {
        x86_gen_exception_err(s, EXCP_GP, 0);
        return;
    }
    if (e->arg) {
        /* STI: IF and the one-instruction interrupt shadow */
        x86_gen_update_cc_op(s);
        x86_gen_helper(&x86_info_sti, NULL, 1, tcgv_temp(tcg_env));
        s->is_jmp = DISAS_EOB_NEXT;
    } else {
        gen_eflags_field(f);
        tcg_gen_andi_i64(f, f, ~(uint64_t)EFLAGS_IF);
        gen_set_eflags_field(f);
    }
}

void x86_emit_salc(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 c = tcg_temp_new_i64();
    x86_gen_compute_cf(s, c);
    tcg_gen_neg_i64(c, c);
    x86_gen_op_mov_reg_v(s, MO_8, R_EAX, c);
}

/* arg: 0 DAA, 1 DAS, 2 AAA, 3 AAS, 4 AAM imm8, 5 AAD imm8 */
void x86_emit_bcd(DisasContext *s, const X86OpEntry *e)
{
    static const TCGHelperInfo *const helpers[6] = { &x86_info_daa, &x86_info_das,
        &x86_info_aaa, &x86_info_aas, &x86_info_aam, &x86_info_aad };

    if (e->arg == 4 && s->imm == 0) {
        x86_gen_exception(s, EXCP_DE);
        return;
    }
    x86_gen_compute_eflags(s);
    x86_gen_helper(helpers[e->arg], NULL, 2, tcgv_temp(tcg_env),
               tcgv_temp(tcg_constant_i32((uint32_t)s->imm)));
}
