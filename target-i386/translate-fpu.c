/* x87 instructions in the translator: the escapes D8-DF (Intel SDM vol. 2 appendix A.4),
 * FWAIT, and FXSAVE/FXRSTOR (0F AE /0 /1). Checks done at translation time: #NM from
 * CR0.EM/TS (FWAIT: MP and TS), valid encodings, CPUID (FCMOV/FCOMI need CMOV, FISTTP
 * SSE3, FXSAVE FXSR). The last instruction and operand pointers and the opcode are
 * recorded inline; the instruction itself is one helper call (fpu-helper-*.c). */
#include <stddef.h>
#include "target-i386/cpuid.h"
#include "target-i386/fpu.h"
#include "target-i386/translate.h"

#define ENV tcgv_temp(tcg_env)
#define C32(v) tcgv_temp(tcg_constant_i32(v))

/* ---- encodings ---- */

bool x87_insn_valid(unsigned op, unsigned m)
{
    unsigned r = (m >> 3) & 7;

    if (m < 0xc0) {
        return !((op == 1 && r == 1) || (op == 3 && (r == 4 || r == 6)) || (op == 5 && r == 5));
    }
    switch (op) {
    case 1:
        if (r == 2) {
            return m == 0xd0;
        }
        return m < 0xe0 || !(m == 0xe2 || m == 0xe3 || m == 0xe6 || m == 0xe7 || m == 0xef);
    case 2: return m < 0xe0 || m == 0xe9;
    case 3: return m < 0xe5 || (m >= 0xe8 && m < 0xf8);
    case 5: return m < 0xf0;
    case 6: return r != 3 || m == 0xd9;
    case 7: return m < 0xe1 || (m >= 0xe8 && m < 0xf8);
    default: return true;
    }
}

/* Control instructions: they leave FIP/FDP/FOP alone. */
bool x87_insn_control(unsigned op, unsigned m)
{
    if (m < 0xc0) {
        unsigned r = (m >> 3) & 7;
        return (op == 1 && r >= 4) || (op == 5 && r >= 4);
    }
    return (op == 3 && m >= 0xe0 && m <= 0xe4) || (op == 7 && m == 0xe0);
}

/* Instructions that need a CPUID bit besides FPU: FCMOVcc, F(U)COMI(P) need CMOV;
 * FISTTP needs SSE3. */
static bool x87_feature_ok(DisasContext *s, unsigned op, unsigned m)
{
    if (m >= 0xc0) {
        bool cmov = ((op == 2 || op == 3) && m < 0xe0) ||
                    ((op == 3 || op == 7) && m >= 0xe8 && m < 0xf8);
        return !cmov || x86_need_feature(s, FEAT_1_EDX, CPUID_CMOV);
    }
    if (((m >> 3) & 7) == 1 && (op == 3 || op == 5 || op == 7)) {
        return x86_need_feature(s, FEAT_1_ECX, CPUID_EXT_SSE3);
    }
    return true;
}

/* ---- the last-instruction pointers ---- */

static void gen_store_sel(int seg, size_t off)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_ld16u_i64(t, tcg_env, offsetof(X86CPU, segs[seg].selector));
    tcg_gen_st16_i64(t, tcg_env, (intptr_t)off);
}

static void gen_last_insn(DisasContext *s, unsigned op)
{
    tcg_gen_st_i64(tcg_constant_i64(s_cur_eip(s)), tcg_env, offsetof(X86CPU, fpip));
    tcg_gen_st16_i64(tcg_constant_i64((op << 8 | s->modrm) & 0x7ff), tcg_env,
                     offsetof(X86CPU, fpop));
    gen_store_sel(R_CS, offsetof(X86CPU, fpcs));
}

/* The linear address of the memory operand; records FDP/FDS for non-control ones. */
static TCGv_i64 gen_operand_addr(DisasContext *s, bool control)
{
    TCGv_i64 ea = x86_gen_ea_offset(s);

    x86_gen_ext(s->aflag, ea, ea, false);
    if (!control) {
        tcg_gen_st_i64(ea, tcg_env, offsetof(X86CPU, fpdp));
        gen_store_sel(s->override >= 0 ? s->override : s->ea_seg, offsetof(X86CPU, fpds));
    }
    return x86_gen_lea_seg(s, ea, s->ea_seg, true);
}

/* ---- register forms with flags ---- */

/* FCMOVcc: DA C0-DF (B E BE U), DB C0-DF (the negations), on the guest's flags. */
static void gen_fcmov(DisasContext *s, unsigned op)
{
    TCGv_i64 f = tcg_temp_new_i64();

    x86_gen_compute_eflags_to(s, f);
    x86_gen_helper(&x86_info_fpu_fcmov, NULL, 3, ENV, C32(op << 8 | s->modrm), tcgv_temp(f));
}

/* F(U)COMI(P): ZF PF CF from the comparison. */
static void gen_fcomi(DisasContext *s, unsigned op)
{
    x86_gen_cc_exact(s);
    x86_gen_compute_eflags(s);
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_fpu_fcomi, tcgv_temp(x86_cpu_cc_src), 3, ENV,
                   C32(op << 8 | s->modrm), tcgv_temp(x86_cpu_cc_src));
}

static void gen_reg_form(DisasContext *s, unsigned op)
{
    unsigned m = s->modrm;

    if ((op == 2 || op == 3) && m < 0xe0) {
        gen_fcmov(s, op);
    } else if ((op == 3 || op == 7) && m >= 0xe8 && m < 0xf8) {
        gen_fcomi(s, op);
    } else if (op == 7 && m == 0xe0) {
        TCGv_i64 v = tcg_temp_new_i64();
        x86_gen_helper(&x86_info_fpu_fnstsw_ax, tcgv_temp(v), 1, ENV);
        x86_gen_op_mov_reg_v(s, MO_16, R_EAX, v);
    } else {
        x86_gen_helper(&x86_info_fpu_reg, NULL, 2, ENV, C32(op << 8 | m));
    }
}

void x86_emit_fpu_escape(DisasContext *s, const X86OpEntry *e)
{
    unsigned op = s->opcode & 7;
    unsigned m = s->mod == 3 ? (unsigned)s->modrm : (unsigned)s->modrm & 0x38;
    bool control = x87_insn_control(op, m);

    if (s->flags & (HF_EM | HF_TS)) {
        x86_gen_exception(s, EXCP_NM);
        return;
    }
    if (!x87_insn_valid(op, m)) {
        x86_gen_illegal(s);
        return;
    }
    if (!x87_feature_ok(s, op, m)) {
        return;
    }
    x86_gen_update_cc_op(s);
    if (!control) {
        gen_last_insn(s, op);
    }
    if (s->mod == 3) {
        gen_reg_form(s, op);
        return;
    }
    TCGv_i64 addr = gen_operand_addr(s, control);
    unsigned insn = op << 8 | m | (s->dflag != MO_16 ? X87_INSN_OP32 : 0);
    x86_gen_helper(&x86_info_fpu_mem, NULL, 3, ENV, C32(insn), tcgv_temp(addr));
}

/* 9B FWAIT: #NM with CR0.MP and TS; delivers a pending unmasked exception. */
void x86_emit_fwait(DisasContext *s, const X86OpEntry *e)
{
    if ((s->flags & (HF_MP | HF_TS)) == (HF_MP | HF_TS)) {
        x86_gen_exception(s, EXCP_NM);
        return;
    }
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_fpu_fwait, NULL, 1, ENV);
}

/* 0F AE /0 FXSAVE, /1 FXRSTOR (REX.W: the 64-bit layout). */
void x86_gen_fxsave(DisasContext *s, int op)
{
    TCGv_i64 addr;

    if (!x86_need_feature(s, FEAT_1_EDX, CPUID_FXSR)) {
        return;
    }
    if (s->flags & (HF_EM | HF_TS)) {
        x86_gen_exception(s, EXCP_NM);
        return;
    }
    addr = x86_gen_lea_modrm(s);
    x86_gen_update_cc_op(s);
    x86_gen_helper(op ? &x86_info_fpu_fxrstor : &x86_info_fpu_fxsave, NULL, 3, ENV,
                   C32(s->rex_w), tcgv_temp(addr));
}
