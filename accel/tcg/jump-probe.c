/* The inline jump-cache probe of indirect jumps (returns, jumps through registers,
 * cross-page jumps): IR that hashes the new PC like jc_index(), loads this vCPU's jump
 * cache slot and jumps straight to the cached TB's code when its key matches, so a hit
 * costs no call; a miss falls back to lookup_and_goto_ptr (the C lookup, docs/tcg.md
 * section 15). */
#include <stddef.h>
#include "accel/tcg/internal.h"
#include "util/log.h"

/* Stands for an empty slot: never matches (invalid), so the probe needs no NULL test. */
static const TranslationBlock jc_empty = { .pc = UINT64_MAX, .invalid = true };

/* off = jc_index(pc) * sizeof(slot), the same hash as the C lookup (internal.h). */
static TCGv_i64 gen_jc_slot_offset(TCGv_i64 pc)
{
    TCGv_i64 grp = tcg_temp_new_i64(), ofs = tcg_temp_new_i64(), t = tcg_temp_new_i64();
    tcg_gen_shri_i64(grp, pc, TLB_PAGE_BITS);                   /* page */
    tcg_gen_shri_i64(t, grp, TB_JMP_GROUP_BITS);
    tcg_gen_xor_i64(grp, grp, t);
    tcg_gen_andi_i64(grp, grp, TB_JMP_GROUPS - 1);
    tcg_gen_shli_i64(grp, grp, TB_JMP_PAGE_BITS + 3);
    tcg_gen_shri_i64(ofs, pc, TB_JMP_PAGE_BITS);
    tcg_gen_xor_i64(ofs, ofs, pc);
    tcg_gen_andi_i64(ofs, ofs, TB_JMP_PAGE_SIZE - 1);
    tcg_gen_shli_i64(ofs, ofs, 3);
    tcg_gen_or_i64(grp, grp, ofs);
    tcg_temp_free_i64(ofs);
    tcg_temp_free_i64(t);
    return grp;
}

/* The cached TB for pc's slot, or &jc_empty when the slot is empty. */
static TCGv_i64 gen_jc_load(TCGv_i64 pc)
{
    TCGv_i64 off = gen_jc_slot_offset(pc), tb = tcg_temp_new_i64();
    TCGv_ptr p = temp_tcgv_ptr(tcgv_temp(tb));
    tcg_gen_ld_ptr(p, tcg_env, offsetof(CPUState, accel_state));
    tcg_gen_add_i64(tb, tb, off);
    tcg_gen_ld_ptr(p, p, offsetof(TCGVCPU, jmp_cache));
    tcg_gen_movcond_i64(TCG_COND_EQ, tb, tb, tcg_constant_i64(0),
                        tcg_constant_i64((uintptr_t)&jc_empty), tb);
    tcg_temp_free_i64(off);
    return tb;
}

/* diff |= (the 64-bit field at tb + ofs) ^ want */
static void gen_key_diff(TCGv_i64 diff, TCGv_i64 tb, size_t ofs, TCGv_i64 want)
{
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_ld_i64(t, temp_tcgv_ptr(tcgv_temp(tb)), (intptr_t)ofs);
    tcg_gen_xor_i64(t, t, want);
    tcg_gen_or_i64(diff, diff, t);
    tcg_temp_free_i64(t);
}

_Static_assert(offsetof(TranslationBlock, cflags) == offsetof(TranslationBlock, flags) + 4,
               "the probe compares flags and cflags with one 64-bit load");

/* Nonzero unless the TB's (pc, cs_base, flags, cflags = 0) is the key and it is valid. */
static TCGv_i64 gen_key_mismatch(TCGv_i64 tb, TCGv_i64 pc, TCGv_i64 cs_base, TCGv_i32 flags)
{
    TCGv_i64 diff = tcg_temp_new_i64(), f = tcg_temp_new_i64();
    tcg_gen_ld8u_i64(diff, temp_tcgv_ptr(tcgv_temp(tb)), offsetof(TranslationBlock, invalid));
    gen_key_diff(diff, tb, offsetof(TranslationBlock, pc), pc);
    gen_key_diff(diff, tb, offsetof(TranslationBlock, cs_base), cs_base);
    tcg_gen_extu_i32_i64(f, flags);     /* cflags (the high half) must be 0 */
    gen_key_diff(diff, tb, offsetof(TranslationBlock, flags), f);
    tcg_temp_free_i64(f);
    return diff;
}

/* Host little-endian: flags is the low half of the word the probe loads. */
void tcg_rt_gen_jump_dyn(const TranslationBlock *tb, TCGv_i64 pc, TCGv_i64 cs_base,
                         TCGv_i32 flags)
{
    /* Single-step, exclusive and run-once TBs must come back to the loop after the
     * jump (tcg_lookup_tb_ptr returns NULL for them); so must every TB under -d nochain. */
    if (tb->cflags || log_enabled(LOG_NOCHAIN)) {
        tcg_gen_lookup_and_goto_ptr();
        return;
    }
    TCGLabel *miss = gen_new_label();
    TCGv_i64 cached = gen_jc_load(pc);
    TCGv_i64 diff = gen_key_mismatch(cached, pc, cs_base, flags);
    TCGv_i64 code = tcg_temp_new_tb_i64();     /* lives across the branch */
    tcg_gen_ld_i64(code, temp_tcgv_ptr(tcgv_temp(cached)), offsetof(TranslationBlock, tc_ptr));
    tcg_gen_brcondi_i64(TCG_COND_NE, diff, 0, miss);
    tcg_gen_goto_ptr(temp_tcgv_ptr(tcgv_temp(code)));
    gen_set_label(miss);
    tcg_gen_lookup_and_goto_ptr();
    tcg_temp_free_i64(diff);
    tcg_temp_free_i64(cached);
}
