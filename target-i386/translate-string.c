/* x86 string instructions for the translator: MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS
 * (Intel SDM vol. 2; vol. 1 7.3.9). One iteration without REP is inline. With REP the
 * memory forms call a helper that runs iterations (whole runs inside one RAM page with
 * host memcpy/memset when possible) and returns whether the instruction is finished;
 * if not (a bounded chunk was done) the TB jumps back to the instruction itself, so the
 * CPU loop sees interrupts between chunks. Registers are updated as iterations complete,
 * so a fault restarts the instruction where it stopped. REP INS/OUTS run one iteration
 * per pass; under HF_BPT each INS/OUTS iteration checks the DR0-3 I/O breakpoints (a trap
 * after it: EIP the instruction again while iterations remain, SDM 3A 17.3.1.2). */
#include <stddef.h>
#include "target-i386/helper.h"
#include "target-i386/helper-sys.h"
#include "target-i386/translate.h"

enum { STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS, STR_5, STR_INS, STR_OUTS };

/* +size or -size by EFLAGS.DF. */
static TCGv_i64 gen_step(int ot)
{
    TCGv_i64 d = tcg_temp_new_i64();
    /* DF lives in the eflags field (only the six arithmetic flags are lazy) */
    tcg_gen_ld_i64(d, tcg_env, offsetof(X86CPU, eflags));
    tcg_gen_extract_i64(d, d, 10, 1);
    tcg_gen_shli_i64(d, d, ot + 1);
    tcg_gen_neg_i64(d, d);
    tcg_gen_addi_i64(d, d, 1 << ot);
    return d;
}

static TCGv_i64 gen_src_addr(DisasContext *s)
{
    return x86_gen_lea_seg(s, x86_cpu_regs[R_ESI], R_DS, true);
}

static TCGv_i64 gen_dst_addr(DisasContext *s)
{
    return x86_gen_lea_seg(s, x86_cpu_regs[R_EDI], R_ES, false);
}

static void gen_advance(DisasContext *s, int reg, TCGv_i64 step)
{
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_add_i64(t, x86_cpu_regs[reg], step);
    x86_gen_op_mov_reg_v(s, s->aflag, reg, t);
}

static void gen_io_port(TCGv_i32 port)
{
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_ext16u_i64(t, x86_cpu_regs[R_EDX]);
    tcg_gen_extrl_i64_i32(port, t);
}

/* One iteration, inline. */
static void gen_string_once(DisasContext *s, int op)
{
    int ot = s->ot;
    TCGv_i64 a = tcg_temp_new_i64(), b = tcg_temp_new_i64(), step = gen_step(ot);
    TCGv_i32 port = tcg_temp_new_i32(), v32 = tcg_temp_new_i32();

    if (op == STR_INS || op == STR_OUTS) {
        gen_io_port(port);
        x86_gen_helper(&x86_info_check_io, NULL, 3, tcgv_temp(tcg_env), tcgv_temp(port),
                   tcgv_temp(tcg_constant_i32(ot)));
    }
    switch (op) {
    case STR_MOVS:
        x86_gen_ld(s, ot, a, gen_src_addr(s));
        x86_gen_st(s, ot, a, gen_dst_addr(s));
        break;
    case STR_STOS:
        x86_gen_op_mov_v_reg(s, ot, a, R_EAX);
        x86_gen_st(s, ot, a, gen_dst_addr(s));
        break;
    case STR_LODS:
        x86_gen_ld(s, ot, a, gen_src_addr(s));
        x86_gen_op_mov_reg_v(s, ot, R_EAX, a);
        break;
    case STR_CMPS: case STR_SCAS:
        if (op == STR_CMPS) {
            x86_gen_ld(s, ot, a, gen_src_addr(s));
        } else {
            x86_gen_op_mov_v_reg(s, ot, a, R_EAX);
        }
        x86_gen_ld(s, ot, b, gen_dst_addr(s));
        break;
    case STR_INS:
        gen_io_port(port);
        x86_gen_helper(&x86_info_in, tcgv_temp(v32), 3, tcgv_temp(tcg_env), tcgv_temp(port),
                   tcgv_temp(tcg_constant_i32(ot)));
        tcg_gen_extu_i32_i64(a, v32);
        x86_gen_st(s, ot, a, gen_dst_addr(s));
        break;
    default:
        x86_gen_ld(s, ot, a, gen_src_addr(s));
        gen_io_port(port);
        tcg_gen_extrl_i64_i32(v32, a);
        x86_gen_helper(&x86_info_out, NULL, 4, tcgv_temp(tcg_env), tcgv_temp(port), tcgv_temp(v32),
                   tcgv_temp(tcg_constant_i32(ot)));
        break;
    }
    if (op == STR_MOVS || op == STR_LODS || op == STR_CMPS || op == STR_OUTS) {
        gen_advance(s, R_ESI, step);
    }
    if (op != STR_LODS && op != STR_OUTS) {
        gen_advance(s, R_EDI, step);
    }
    if (op == STR_CMPS || op == STR_SCAS) {
        TCGv_i64 d = tcg_temp_new_i64();
        tcg_gen_sub_i64(d, a, b);
        x86_gen_ext(ot, d, d, false);
        x86_gen_set_cc(s, CC_OP_SUB + ot, d, b, a);
    }
}

/* DR0-3 I/O breakpoints after an INS/OUTS iteration; eip: where the trap returns. */
static void gen_io_bpt(DisasContext *s, TCGv_i64 eip)
{
    if (!(s->flags & HF_BPT)) {
        return;
    }
    TCGv_i32 port = tcg_temp_new_i32();
    gen_io_port(port);
    x86_gen_helper(&x86_info_check_io_bpt, NULL, 4, tcgv_temp(tcg_env), tcgv_temp(port),
                   tcgv_temp(tcg_constant_i32(s->ot)), tcgv_temp(eip));
}

/* Descriptor of a REP helper call: see helper-int.c (rep_desc_*). */
static uint32_t rep_desc(DisasContext *s, int src_seg)
{
    bool addseg = !s->code64 && (s->flags & HF_ADDSEG);
    return (uint32_t)s->ot | (uint32_t)s->aflag << 2 | (uint32_t)src_seg << 4 |
           (addseg ? 1u << 8 : 0) | (s->code64 ? 1u << 9 : 0) |
           ((s->prefix & PREFIX_REPNZ) ? 1u << 10 : 0) | (uint32_t)s->mem_idx << 12;
}

static void gen_rep_helper(DisasContext *s, int op)
{
    static const TCGHelperInfo *const helpers[5] = { &x86_info_rep_movs, &x86_info_rep_cmps,
        &x86_info_rep_stos, &x86_info_rep_lods, &x86_info_rep_scas };
    TCGv_i32 done = tcg_temp_new_i32();
    TCGLabel *again = gen_new_label();
    int src_seg = s->override >= 0 ? s->override : R_DS;

    if (op == STR_CMPS || op == STR_SCAS) {
        x86_gen_cc_exact(s);    /* the helper records each iteration's flags */
    } else {
        x86_gen_update_cc_op(s);
    }
    x86_gen_helper(helpers[op], tcgv_temp(done), 2, tcgv_temp(tcg_env),
               tcgv_temp(tcg_constant_i32(rep_desc(s, src_seg))));
    if (op == STR_CMPS || op == STR_SCAS) {
        x86_set_cc_op(s, CC_OP_DYNAMIC);
    }
    tcg_gen_brcondi_i32(TCG_COND_EQ, done, 0, again);
    x86_gen_jmp_eip(s, s_next_eip(s), 1);
    gen_set_label(again);
    x86_gen_jmp_eip(s, s_cur_eip(s), 0);
}

/* REP INS/OUTS: one iteration per pass through the instruction. */
static void gen_rep_io(DisasContext *s, int op)
{
    TCGLabel *done = gen_new_label();
    TCGv_i64 c = tcg_temp_new_i64();

    x86_gen_update_cc_op(s);
    x86_gen_ext(s->aflag, c, x86_cpu_regs[R_ECX], false);
    tcg_gen_brcondi_i64(TCG_COND_EQ, c, 0, done);
    gen_string_once(s, op);
    tcg_gen_subi_i64(c, x86_cpu_regs[R_ECX], 1);
    x86_gen_op_mov_reg_v(s, s->aflag, R_ECX, c);
    if (s->flags & HF_BPT) {
        TCGv_i64 eip = tcg_temp_new_i64();
        x86_gen_ext(s->aflag, c, c, false);
        tcg_gen_movcond_i64(TCG_COND_EQ, eip, c, tcg_constant_i64(0),
                            tcg_constant_i64((int64_t)s_next_eip(s)),
                            tcg_constant_i64((int64_t)s_cur_eip(s)));
        gen_io_bpt(s, eip);
    }
    x86_gen_jmp_eip(s, s_cur_eip(s), 0);
    gen_set_label(done);
    x86_gen_jmp_eip(s, s_next_eip(s), 1);
}

void x86_emit_string(DisasContext *s, const X86OpEntry *e)
{
    int op = e->arg;
    bool rep = s->prefix & (PREFIX_REPZ | PREFIX_REPNZ);

    if (s->ot == MO_64 && op >= STR_INS) {
        s->ot = MO_32;
    }
    if (!rep) {
        gen_string_once(s, op);
        if (op >= STR_INS) {
            gen_io_bpt(s, tcg_constant_i64((int64_t)s_next_eip(s)));
        }
    } else if (op >= STR_INS) {
        gen_rep_io(s, op);
    } else {
        gen_rep_helper(s, op);
    }
}
