/* Shared state and emitters of the A32 and T32 translators (ARM ARM DDI0406C, A8): the
 * decoders (translate-a32.c, translate-t32.c, translate-vfp.c) are tables of
 * mask/match/emitter; the emitters here implement the operations both instruction sets
 * share (data processing with flags, shifts, loads and stores, branches, exceptions). */
#ifndef TARGET_ARM_TRANSLATE_H
#define TARGET_ARM_TRANSLATE_H

#include "target-arm/internals.h"

typedef enum {
    DISAS_NEXT,         /* continue with the next instruction */
    DISAS_UPDATE,       /* state changed: store the next PC and return to the CPU loop */
    DISAS_END,          /* the instruction emitted its own TB exit */
} DisasJump;

typedef struct DisasContext {
    CPUState *cpu;
    TranslationBlock *tb;
    uint32_t pc;            /* address of the current instruction */
    uint32_t next_pc;       /* address of the next one */
    uint32_t insn;
    bool thumb;
    uint32_t condexec;      /* ITSTATE of the current instruction */
    uint32_t next_condexec; /* ITSTATE after it */
    bool it_seen;           /* the TB stores ITSTATE at its exits */
    int mode;               /* CPSR.M */
    bool priv;
    bool align;
    bool vfp_enabled;
    bool be_data;
    int mmu_idx;
    DisasJump is_jmp;
    TCGLabel *condlabel;    /* skips a conditional instruction */
    TCGv_i32 sel_var;       /* or, if set, store_reg keeps the old value unless */
    TCGv_i32 sel_var2;      /* sel_var sel_cond sel_var2 (conditional data processing) */
    TCGCond sel_cond;
    int slots_used;         /* goto_tb slots taken */
    bool pc_read;           /* the instruction read the PC (translate-ifconv.c) */
} DisasContext;

/* A decoder table entry: insn & mask == match selects fn; fn returns false for UNDEFINED. */
typedef struct ArmDecode {
    uint32_t mask, match;
    bool (*fn)(DisasContext *s, uint32_t insn);
} ArmDecode;
bool arm_decode_table(DisasContext *s, const ArmDecode *table, uint32_t insn);

/* Flag liveness across TBs (translate-flags.c). */
bool thumb_insn_is32(uint32_t hw);
int arm_flag_killer_len(CPUState *cpu, TranslationBlock *tb, uint32_t pc, bool thumb);
void arm_flags_dead_at_exit(DisasContext *s, int n, uint32_t dest);

/* If-conversion of short two-way branches (translate-ifconv.c). */
bool arm_try_ifconv(DisasContext *s, int cond, uint32_t target);
int32_t t32_bcond_offset(uint32_t insn);    /* B<c>.W (T3) */
int32_t t32_branch_offset(uint32_t insn);   /* B.W/BL/BLX (T4) */

/* IR globals (this thread's table: translate.c). */
extern __thread TCGv_i32 cpu_R[16], cpu_NF, cpu_ZF, cpu_CF, cpu_VF;

/* Registers: reading r15 gives the architectural PC value (A32 +8, T32 +4). */
TCGv_i32 load_reg(DisasContext *s, int r);
void load_reg_into(DisasContext *s, TCGv_i32 dst, int r);
/* Writes r (r15: a branch, BranchWritePC in Thumb, interworking in A32 for ALU results). */
void store_reg(DisasContext *s, int r, TCGv_i32 v);
/* LoadWritePC / BXWritePC: interworking on bit 0. */
void store_reg_bx(DisasContext *s, int r, TCGv_i32 v);
void gen_bx(DisasContext *s, TCGv_i32 v);

/* Flags. */
void gen_logic_flags(TCGv_i32 v);                   /* N, Z from v */
void gen_set_nzcv(TCGv_i32 v);                      /* NZCV from v[31:28] */
void gen_add_flags(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_sub_flags(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_adc_flags(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_sbc_flags(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_test_cond(int cond, TCGLabel *label);      /* branch if cond holds */
bool gen_cond_compare(int cond, TCGCond *c, TCGv_i32 *var, TCGv_i32 *var2);

/* Conditions from the last compare's operands (translate-cmp.c). */
void arm_cmp_reset(void);
bool arm_cmp_sources(TCGv_i32 a, TCGv_i32 b, TCGv_i32 src[2]);
void arm_cmp_record(bool ok, const TCGv_i32 src[2]);
bool arm_cmp_cond(int cond, TCGCond *c, TCGv_i32 *x, TCGv_i32 *y);

/* Shifts: v shifted by an immediate / a register; carry to CF if set_carry. */
void gen_shift_imm(TCGv_i32 v, int type, int amount, bool set_carry);
void gen_shift_reg(TCGv_i32 v, int type, TCGv_i32 amount, bool set_carry);

bool dp_needs_shifter_carry(int op, bool setflags);
/* Data processing: op = A32 opcode field (AND..MVN), rd/rn registers, operand2 in op2. */
bool gen_data_proc(DisasContext *s, int op, bool setflags, int rd, int rn, TCGv_i32 op2);

/* Loads and stores. */
void gen_ld(DisasContext *s, TCGv_i32 v, TCGv_i32 addr, MemOp mop, int mmu_idx);
void gen_st(DisasContext *s, TCGv_i32 v, TCGv_i32 addr, MemOp mop, int mmu_idx);
/* Two consecutive words (first at the word-aligned addr) as one 64-bit access. */
void gen_ld_pair(DisasContext *s, TCGv_i32 first, TCGv_i32 second, TCGv_i32 addr);
void gen_st_pair(DisasContext *s, TCGv_i32 first, TCGv_i32 second, TCGv_i32 addr);
bool gen_ldm_stm(DisasContext *s, int rn, uint32_t list, bool load, bool before, bool inc,
                 bool wback, bool user);
bool gen_ldrex(DisasContext *s, int rt, int rt2, int rn, uint32_t imm, MemOp size);
bool gen_strex(DisasContext *s, int rd, int rt, int rt2, int rn, uint32_t imm, MemOp size);
void gen_clrex(DisasContext *s);

/* Control flow and exceptions. */
void gen_goto(DisasContext *s, uint32_t dest);      /* direct branch, ends the TB */
void gen_jump_dyn(DisasContext *s, TCGv_i32 thumb); /* PC in cpu_R[15]; thumb: 0/1 */
void gen_exception_insn(DisasContext *s, int excp);  /* at this instruction */
void gen_exception_next(DisasContext *s, int excp);  /* after it (SVC, HVC, SMC) */
bool gen_undef(DisasContext *s);
void gen_update_pc_exit(DisasContext *s);           /* next PC, back to the CPU loop */
void gen_exception_return(DisasContext *s, TCGv_i32 pc);  /* CPSR = SPSR, PC = pc */
bool gen_msr(DisasContext *s, bool spsr, uint32_t mask, TCGv_i32 v);
bool gen_mrs(DisasContext *s, int rd, bool spsr);
bool gen_cps(DisasContext *s, bool imod_set, bool imod_clear, uint32_t aif, bool chmode,
             int mode);
bool gen_hint(DisasContext *s, int hint);
bool gen_barrier(DisasContext *s, int type);        /* 4 DSB, 5 DMB, 6 ISB */
bool gen_coproc(DisasContext *s, int cp, int opc1, int crn, int crm, int opc2, bool is_read,
                int rt, int rt2, bool is64);
bool gen_srs(DisasContext *s, int mode, bool before, bool inc, bool wback);
bool gen_rfe(DisasContext *s, int rn, bool before, bool inc, bool wback);

/* Multiply, divide, saturation, DSP and SIMD-in-GPR (translate-dsp.c). */
bool gen_mul(DisasContext *s, int op, bool setflags, int rd, int rn, int rm, int ra);
bool gen_mul_long(DisasContext *s, int op, bool setflags, int rdlo, int rdhi, int rn, int rm);
bool gen_div(DisasContext *s, bool is_signed, int rd, int rn, int rm);
bool gen_qarith(DisasContext *s, int op, int rd, int rn, int rm);
bool gen_halfmul(DisasContext *s, int op, int rd, int ra, int rn, int rm, bool x, bool y,
                 int rdhi);
bool gen_sat(DisasContext *s, bool is_unsigned, int rd, int sat, int rn, int sh, int shamt,
             bool half);
bool gen_extend(DisasContext *s, int op, int rd, int rn, int rm, int rot);
bool gen_parallel(DisasContext *s, int prefix, int op, int rd, int rn, int rm);
bool gen_rev(DisasContext *s, int op, int rd, int rm);
bool gen_bitfield(DisasContext *s, int op, int rd, int rn, int lsb, int width_or_msb);
bool gen_sel(DisasContext *s, int rd, int rn, int rm);
bool gen_pkh(DisasContext *s, bool tb, int rd, int rn, int rm, int shamt);
bool gen_usad(DisasContext *s, int rd, int rn, int rm, int ra);
bool gen_dualmul(DisasContext *s, int op, int rd, int ra, int rn, int rm, bool x,
                 int rdhi);
bool gen_mostmul(DisasContext *s, int op, int rd, int ra, int rn, int rm, bool round);

/* VFP and Advanced SIMD (translate-vfp.c, translate-neon.c): false = UNDEFINED. */
bool disas_vfp(DisasContext *s, uint32_t insn);
bool disas_neon_dp(DisasContext *s, uint32_t insn);
bool disas_neon_ls(DisasContext *s, uint32_t insn);

/* Decoders. */
void disas_a32(DisasContext *s, uint32_t insn);
void disas_t32(DisasContext *s, uint32_t insn, bool is32);

/* Helper calls: a TCGHelperInfo per helper, defined with DEF_HELPER in helper.c. */
#define ARM_HELPER_DECL(name) extern const TCGHelperInfo helper_info_##name
ARM_HELPER_DECL(exception);
ARM_HELPER_DECL(exception_exact);
ARM_HELPER_DECL(cpsr_read);
ARM_HELPER_DECL(cpsr_write);
ARM_HELPER_DECL(cpsr_write_eret);
ARM_HELPER_DECL(get_user_reg);
ARM_HELPER_DECL(set_user_reg);
ARM_HELPER_DECL(cp_read);
ARM_HELPER_DECL(cp_write);
ARM_HELPER_DECL(cp_read64);
ARM_HELPER_DECL(cp_write64);
ARM_HELPER_DECL(wfi);
ARM_HELPER_DECL(smc_hvc);
ARM_HELPER_DECL(srs);
ARM_HELPER_DECL(rfe);
ARM_HELPER_DECL(get_r13_banked);
ARM_HELPER_DECL(set_r13_banked);
void gen_helper(const TCGHelperInfo *info, TCGv_i32 ret, int nargs, ...);

#endif
