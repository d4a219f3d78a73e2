/* Op generation API used by the front ends: one function per IR op and a few
 * conveniences (immediates, pointers, control flow, helper calls). See docs/tcg.md. */
#include <assert.h>
#include <string.h>
#include "tcg/tcg.h"

#define T i32
#define TV TCGv_i32
#define IMM uint32_t
#define TTYPE TCG_TYPE_I32
#define TBITS 32
#include "tcg-op-template.h"
#undef T
#undef TV
#undef IMM
#undef TTYPE
#undef TBITS

#define T i64
#define TV TCGv_i64
#define IMM uint64_t
#define TTYPE TCG_TYPE_I64
#define TBITS 64
#include "tcg-op-template.h"
#undef T
#undef TV
#undef IMM
#undef TTYPE
#undef TBITS

#define A32(v) temp_arg(tcgv_i32_temp(v))
#define A64(v) temp_arg(tcgv_i64_temp(v))
#define APTR(v) temp_arg(tcgv_ptr_temp(v))

void tcg_gen_ext32s_i64(TCGv_i64 d, TCGv_i64 a) { tcg_gen_op2(INDEX_op_ext32s_i64, A64(d), A64(a)); }
void tcg_gen_ext32u_i64(TCGv_i64 d, TCGv_i64 a) { tcg_gen_op2(INDEX_op_ext32u_i64, A64(d), A64(a)); }
void tcg_gen_bswap64_i64(TCGv_i64 d, TCGv_i64 a) { tcg_gen_op2(INDEX_op_bswap64_i64, A64(d), A64(a)); }

void tcg_gen_ld32u_i64(TCGv_i64 d, TCGv_ptr base, intptr_t ofs)
{
    tcg_gen_op3(INDEX_op_ld32u_i64, A64(d), APTR(base), (TCGArg)ofs);
}

void tcg_gen_ld32s_i64(TCGv_i64 d, TCGv_ptr base, intptr_t ofs)
{
    tcg_gen_op3(INDEX_op_ld32s_i64, A64(d), APTR(base), (TCGArg)ofs);
}

void tcg_gen_st32_i64(TCGv_i64 v, TCGv_ptr base, intptr_t ofs)
{
    tcg_gen_op3(INDEX_op_st32_i64, A64(v), APTR(base), (TCGArg)ofs);
}

void tcg_gen_extrl_i64_i32(TCGv_i32 d, TCGv_i64 a) { tcg_gen_op2(INDEX_op_extrl_i64_i32, A32(d), A64(a)); }
void tcg_gen_extrh_i64_i32(TCGv_i32 d, TCGv_i64 a) { tcg_gen_op2(INDEX_op_extrh_i64_i32, A32(d), A64(a)); }
void tcg_gen_extu_i32_i64(TCGv_i64 d, TCGv_i32 a) { tcg_gen_op2(INDEX_op_extu_i32_i64, A64(d), A32(a)); }
void tcg_gen_ext_i32_i64(TCGv_i64 d, TCGv_i32 a) { tcg_gen_op2(INDEX_op_ext_i32_i64, A64(d), A32(a)); }

void tcg_gen_concat_i32_i64(TCGv_i64 d, TCGv_i32 lo, TCGv_i32 hi)
{
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_extu_i32_i64(t, lo);
    tcg_gen_extu_i32_i64(d, hi);
    tcg_gen_deposit_i64(d, t, d, 32, 32);
    tcg_temp_free_i64(t);
}

void tcg_gen_extr_i64_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i64 a)
{
    tcg_gen_extrl_i64_i32(lo, a);   /* lo, hi (i32) cannot alias a (i64) */
    tcg_gen_extrh_i64_i32(hi, a);
}

void tcg_gen_mov_ptr(TCGv_ptr d, TCGv_ptr a)
{
    if (d != a) {
        tcg_gen_op2(INDEX_op_mov_i64, APTR(d), APTR(a));
    }
}

void tcg_gen_st_ptr(TCGv_ptr v, TCGv_ptr base, intptr_t ofs)
{
    tcg_gen_op3(INDEX_op_st_i64, APTR(v), APTR(base), (TCGArg)ofs);
}

void tcg_gen_ld_ptr(TCGv_ptr d, TCGv_ptr base, intptr_t ofs)
{
    tcg_gen_op3(INDEX_op_ld_i64, APTR(d), APTR(base), (TCGArg)ofs);
}

void tcg_gen_addi_ptr(TCGv_ptr d, TCGv_ptr a, intptr_t imm)
{
    tcg_gen_op3(INDEX_op_add_i64, APTR(d), APTR(a),
                temp_arg(tcg_constant_internal(TCG_TYPE_PTR, (uint64_t)imm)));
}

void tcg_gen_atomic_cmpxchg128(TCGv_i64 oldlo, TCGv_i64 oldhi, TCGTemp *addr,
                               TCGv_i64 cmplo, TCGv_i64 cmphi, TCGv_i64 newlo,
                               TCGv_i64 newhi, unsigned mmu_idx, MemOp mop)
{
    TCGArg a[9] = { A64(oldlo), A64(oldhi), temp_arg(addr), A64(cmplo), A64(cmphi),
                    A64(newlo), A64(newhi), (mop & ~MO_SIZE) | MO_64, mmu_idx };
    assert(oldlo != oldhi);
    tcg_emit_op(INDEX_op_atomic_cmpxchg128, 9, a);
}

void tcg_gen_insn_start(uint64_t w0, uint64_t w1, uint64_t w2)
{
    tcg_gen_op3(INDEX_op_insn_start, w0, w1, w2);
}

TCGOp *tcg_last_insn_start(void)
{
    TCGContext *s = tcg_ctx;
    for (int i = s->nb_ops - 1; i >= 0; i--) {
        if (s->ops[i].opc == INDEX_op_insn_start) {
            return &s->ops[i];
        }
    }
    return NULL;
}

void tcg_set_insn_start_param(TCGOp *op, int word, uint64_t value)
{
    assert(op->opc == INDEX_op_insn_start && word >= 0 && word < TCG_MAX_INSN_START_WORDS);
    op->args[word] = value;
}

void tcg_gen_mb(unsigned bar) { tcg_gen_op1(INDEX_op_mb, bar); }

void tcg_gen_goto_tb(unsigned n)
{
    assert(n < 2 && !tcg_ctx->tb_has_goto_tb[n]);
    tcg_ctx->tb_has_goto_tb[n] = true;
    tcg_gen_op1(INDEX_op_goto_tb, n);
}

void tcg_gen_exit_tb(uintptr_t val) { tcg_gen_op1(INDEX_op_exit_tb, val); }

void tcg_gen_lookup_and_goto_ptr(void)
{
    TCGArg none[1] = { 0 };
    tcg_emit_op(INDEX_op_lookup_and_goto_ptr, 0, none);
}

void tcg_gen_goto_ptr(TCGv_ptr code)
{
    tcg_gen_op1(INDEX_op_goto_ptr, APTR(code));
}

void tcg_gen_callN(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp **args)
{
    TCGArg a[TCG_MAX_OP_ARGS];
    int n = 0;
    assert(info->nb_args <= TCG_MAX_HELPER_ARGS);
    assert((ret == NULL) == (info->ret_type == TCG_TYPE_VOID));
    if (ret) {
        assert(ret->type == info->ret_type);
        a[n++] = temp_arg(ret);
    }
    for (int i = 0; i < info->nb_args; i++) {
        assert(args[i]->type == info->arg_types[i]);
        a[n++] = temp_arg(args[i]);
    }
    a[n++] = (TCGArg)(uintptr_t)info;
    a[n++] = info->flags;
    TCGOp *op = tcg_emit_op(INDEX_op_call, n, a);
    op->nb_oargs = ret ? 1 : 0;
    op->nb_iargs = info->nb_args;
    op->nb_cargs = 2;
}
