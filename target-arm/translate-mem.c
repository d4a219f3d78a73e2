/* Memory emitters of the ARMv7-A translator (ARM ARM DDI0406C): single loads and stores with
 * the data endianness of CPSR.E and SCTLR.A alignment checks (A3.2), LDM/STM including the
 * User-bank (^) forms and exception return (B9.3.5-B9.3.6), and the exclusive monitors for
 * LDREX/STREX/CLREX (A3.4; STREX is an atomic compare-and-swap). */
#include <stddef.h>
#include "target-arm/translate.h"

static MemOp finish_mop(DisasContext *s, MemOp mop)
{
    mop |= s->be_data ? MO_BE : MO_LE;
    if (s->align && (mop & MO_AMASK) == 0 && (mop & MO_SIZE) != MO_8) {
        mop |= MO_ALIGN;
    }
    return mop;
}

void gen_ld(DisasContext *s, TCGv_i32 v, TCGv_i32 addr, MemOp mop, int mmu_idx)
{
    tcg_gen_qemu_ld_i32(v, tcgv_temp(addr), mmu_idx, finish_mop(s, mop));
}

void gen_st(DisasContext *s, TCGv_i32 v, TCGv_i32 addr, MemOp mop, int mmu_idx)
{
    tcg_gen_qemu_st_i32(v, tcgv_temp(addr), mmu_idx, finish_mop(s, mop));
}

/* Two consecutive words at a word-aligned addr as one 64-bit access (LDM/STM, LDRD/STRD):
 * first is the word at addr. A page-crossing or device access is split by the slow path
 * (a fault reports the address of the word on the faulting page, as the two accesses
 * would), MMIO gets two 32-bit accesses in address order. */
void gen_ld_pair(DisasContext *s, TCGv_i32 first, TCGv_i32 second, TCGv_i32 addr)
{
    TCGv_i64 w = tcg_temp_new_i64();
    tcg_gen_qemu_ld_i64(w, tcgv_temp(addr), s->mmu_idx, finish_mop(s, MO_64 | MO_ALIGN_4));
    if (s->be_data) {
        tcg_gen_extr_i64_i32(second, first, w);
    } else {
        tcg_gen_extr_i64_i32(first, second, w);
    }
}

void gen_st_pair(DisasContext *s, TCGv_i32 first, TCGv_i32 second, TCGv_i32 addr)
{
    TCGv_i64 w = tcg_temp_new_i64();
    if (s->be_data) {
        tcg_gen_concat_i32_i64(w, second, first);
    } else {
        tcg_gen_concat_i32_i64(w, first, second);
    }
    tcg_gen_qemu_st_i64(w, tcgv_temp(addr), s->mmu_idx, finish_mop(s, MO_64 | MO_ALIGN_4));
}

/* ---- LDM / STM ---------------------------------------------------------------------------- */

static void ldm_store_user(int r, TCGv_i32 v)
{
    gen_helper(&helper_info_set_user_reg, NULL, 2, tcg_constant_i32(r), v);
}

static TCGv_i32 stm_load_user(DisasContext *s, int r)
{
    TCGv_i32 v = tcg_temp_new_i32();
    if (r == 15) {
        load_reg_into(s, v, 15);
    } else {
        gen_helper(&helper_info_get_user_reg, v, 1, tcg_constant_i32(r));
    }
    return v;
}

/* user: the ^ forms (User bank registers, or with PC loaded: exception return). */
bool gen_ldm_stm(DisasContext *s, int rn, uint32_t list, bool load, bool before, bool inc,
                 bool wback, bool user)
{
    int n = __builtin_popcount(list);
    TCGv_i32 vals[16] = { 0 };
    TCGv_i32 addr = tcg_temp_new_i32();
    bool eret = user && load && (list & 0x8000);

    if (n == 0 || (user && !s->priv)) {
        return false;
    }
    load_reg_into(s, addr, rn);
    uint32_t start = inc ? (before ? 4 : 0) : (before ? -4u * n : -4u * n + 4);
    tcg_gen_addi_i32(addr, addr, start);
    int regs[16], m = 0;
    for (int r = 0; r < 16; r++) {
        if (list & (1u << r)) {
            regs[m++] = r;
        }
    }
    for (int i = 0; i < m; i++) {
        int r = regs[i];
        bool pair = !user && i + 1 < m;             /* the ^ forms go word by word */
        if (load) {
            vals[r] = tcg_temp_new_i32();
            if (pair) {
                vals[regs[i + 1]] = tcg_temp_new_i32();
                gen_ld_pair(s, vals[r], vals[regs[i + 1]], addr);
            } else {
                gen_ld(s, vals[r], addr, MO_32 | MO_ALIGN_4, s->mmu_idx);
            }
        } else if (pair) {
            gen_st_pair(s, load_reg(s, r), load_reg(s, regs[i + 1]), addr);
        } else {
            TCGv_i32 v = (user && !eret) ? stm_load_user(s, r) : load_reg(s, r);
            gen_st(s, v, addr, MO_32 | MO_ALIGN_4, s->mmu_idx);
        }
        tcg_gen_addi_i32(addr, addr, pair ? 8 : 4);
        i += pair;
    }
    if (wback && !(load && (list & (1u << rn)))) {
        TCGv_i32 base = load_reg(s, rn);
        tcg_gen_addi_i32(base, base, inc ? 4u * n : -4u * n);
        tcg_gen_mov_i32(cpu_R[rn], base);
    }
    for (int r = 0; r < 15 && load; r++) {
        if (!vals[r]) {
            continue;
        }
        if (user && !eret) {
            ldm_store_user(r, vals[r]);
        } else {
            tcg_gen_mov_i32(cpu_R[r], vals[r]);
        }
    }
    if (load && (list & 0x8000)) {
        if (eret) {
            gen_exception_return(s, vals[15]);
        } else {
            gen_bx(s, vals[15]);
        }
    }
    return true;
}

/* ---- exclusive monitor -------------------------------------------------------------------- */

bool gen_ldrex(DisasContext *s, int rt, int rt2, int rn, uint32_t imm, MemOp size)
{
    TCGv_i32 addr = load_reg(s, rn);
    TCGv_i32 v = tcg_temp_new_i32();

    tcg_gen_addi_i32(addr, addr, imm);
    if (size == MO_64) {
        TCGv_i32 v2 = tcg_temp_new_i32(), a2 = tcg_temp_new_i32();
        gen_ld(s, v, addr, MO_32 | MO_ALIGN_8, s->mmu_idx);
        tcg_gen_addi_i32(a2, addr, 4);
        gen_ld(s, v2, a2, MO_32, s->mmu_idx);
        TCGv_i64 both = tcg_temp_new_i64();
        tcg_gen_concat_i32_i64(both, v, v2);
        tcg_gen_st_i64(both, tcg_env, offsetof(ARMCPU, excl_val));
        tcg_gen_mov_i32(cpu_R[rt], v);
        tcg_gen_mov_i32(cpu_R[rt2], v2);
    } else {
        gen_ld(s, v, addr, size | MO_ALIGN, s->mmu_idx);
        TCGv_i64 w = tcg_temp_new_i64();
        tcg_gen_extu_i32_i64(w, v);
        tcg_gen_st_i64(w, tcg_env, offsetof(ARMCPU, excl_val));
        tcg_gen_mov_i32(cpu_R[rt], v);
    }
    tcg_gen_st_i32(addr, tcg_env, offsetof(ARMCPU, excl_addr));
    tcg_gen_st_i32(tcg_constant_i32(size), tcg_env, offsetof(ARMCPU, excl_size));
    return true;
}

/* The store-exclusive: the local monitor must hold this address and size, then an atomic
 * compare-and-swap with the value LDREX saw stores the new one, so a store by another vCPU
 * since the LDREX fails it (A3.4.5: the global monitor). The monitor is cleared either way. */
static TCGv_i32 strex_addr(int rn, uint32_t imm)
{
    TCGv_i32 addr = tcg_temp_new_i32();
    tcg_gen_addi_i32(addr, cpu_R[rn], imm);
    return addr;
}

static void strex_swap(DisasContext *s, int rd, int rt, int rt2, int rn, uint32_t imm,
                       MemOp size)
{
    MemOp order = s->be_data ? MO_BE : MO_LE;
    TCGv_i32 addr = strex_addr(rn, imm);
    if (size == MO_64) {
        TCGv_i64 cmp = tcg_temp_new_i64(), val = tcg_temp_new_i64(), old = tcg_temp_new_i64();
        tcg_gen_ld_i64(cmp, tcg_env, offsetof(ARMCPU, excl_val));
        tcg_gen_concat_i32_i64(val, cpu_R[rt], cpu_R[rt2]);
        if (s->be_data) {                       /* Rt is at the lower address */
            tcg_gen_rotli_i64(cmp, cmp, 32);
            tcg_gen_rotli_i64(val, val, 32);
        }
        tcg_gen_atomic_cmpxchg_i64(old, tcgv_temp(addr), cmp, val, s->mmu_idx,
                                   MO_64 | order | MO_ALIGN_8);
        tcg_gen_setcond_i64(TCG_COND_NE, old, old, cmp);
        tcg_gen_extrl_i64_i32(cpu_R[rd], old);
        return;
    }
    TCGv_i32 cmp = tcg_temp_new_i32(), old = tcg_temp_new_i32();
    tcg_gen_ld_i32(cmp, tcg_env, offsetof(ARMCPU, excl_val));
    tcg_gen_atomic_cmpxchg_i32(old, tcgv_temp(addr), cmp, cpu_R[rt], s->mmu_idx,
                               size | order | MO_ALIGN);
    tcg_gen_setcond_i32(TCG_COND_NE, cpu_R[rd], old, cmp);
}

bool gen_strex(DisasContext *s, int rd, int rt, int rt2, int rn, uint32_t imm, MemOp size)
{
    TCGLabel *fail = gen_new_label(), *done = gen_new_label();
    TCGv_i32 t = tcg_temp_new_i32();

    tcg_gen_ld_i32(t, tcg_env, offsetof(ARMCPU, excl_addr));
    tcg_gen_brcond_i32(TCG_COND_NE, t, strex_addr(rn, imm), fail);
    t = tcg_temp_new_i32();
    tcg_gen_ld_i32(t, tcg_env, offsetof(ARMCPU, excl_size));
    tcg_gen_brcondi_i32(TCG_COND_NE, t, size, fail);
    strex_swap(s, rd, rt, rt2, rn, imm, size);
    tcg_gen_br(done);
    gen_set_label(fail);
    tcg_gen_movi_i32(cpu_R[rd], 1);
    gen_set_label(done);
    gen_clrex(s);
    return true;
}

void gen_clrex(DisasContext *s)
{
    tcg_gen_st_i32(tcg_constant_i32(~0u), tcg_env, offsetof(ARMCPU, excl_addr));
}
