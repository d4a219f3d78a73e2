/* Internal interface of the x86 translator (target-i386/translate*.c, decode.c): the
 * decoder state of one instruction, operand access, lazy flags, control flow. Encodings
 * and semantics: Intel SDM vol. 2 (chapter 2 for prefixes, ModRM, SIB, REX). */
#ifndef TARGET_I386_TRANSLATE_H
#define TARGET_I386_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>
#include "accel/tcg.h"
#include "target-i386/cc.h"
#include "target-i386/cpu.h"

/* Prefix bits of DisasContext.prefix. */
enum {
    PREFIX_REPZ = 1, PREFIX_REPNZ = 2, PREFIX_LOCK = 4, PREFIX_DATA = 8, PREFIX_ADR = 16,
    PREFIX_REX = 32,
};

/* How a TB continues after an instruction. */
enum {
    DISAS_NEXT,         /* go on with the next instruction */
    DISAS_EOB_NEXT,     /* end the TB; the next instruction starts a new one (state changed) */
    DISAS_NORETURN,     /* the instruction emitted the TB's exit itself */
};

typedef struct DisasContext DisasContext;
typedef struct X86OpEntry X86OpEntry;
typedef void (*X86Emit)(DisasContext *s, const X86OpEntry *e);

/* One opcode of a decode table. */
struct X86OpEntry {
    X86Emit emit;
    uint16_t flags;     /* X86_F_* */
    uint8_t imm;        /* X86_IMM_* */
    uint8_t arg;        /* emitter-specific (ALU op, condition, size...) */
};

enum {
    X86_F_MODRM = 1 << 0,   /* a ModRM byte follows */
    X86_F_BYTE = 1 << 1,    /* 8-bit operand size */
    X86_F_D64 = 1 << 2,     /* operand size 64 by default in 64-bit mode (push, jmp...) */
    X86_F_F64 = 1 << 3,     /* operand size always 64 in 64-bit mode (near branches) */
    X86_F_I64 = 1 << 4,     /* invalid in 64-bit mode (#UD) */
    X86_F_LOCK = 1 << 5,    /* LOCK allowed (with a memory destination) */
    X86_F_REG = 1 << 6,     /* ModRM must be a register form (else #UD) */
    X86_F_MEM = 1 << 7,     /* ModRM must be a memory form (else #UD) */
    X86_F_O64 = 1 << 8,     /* only valid in 64-bit mode */
};

/* Immediate kinds, fetched by the decoder after ModRM/SIB/displacement. */
enum {
    X86_IMM_NONE,
    X86_IMM_B,          /* 8 bits, sign-extended */
    X86_IMM_UB,         /* 8 bits, zero-extended */
    X86_IMM_W,          /* 16 bits, zero-extended */
    X86_IMM_Z,          /* 16 or 32 bits by operand size, sign-extended to 64 */
    X86_IMM_V,          /* 16, 32 or 64 bits by operand size (MOV r, imm) */
    X86_IMM_GRP3,       /* TEST in group 3: Z (or B when 8-bit) only for /0 and /1 */
    X86_IMM_ENTER,      /* ENTER: imm16 then imm8 (imm2) */
    X86_IMM_FAR,        /* ptr16:16/32: offset by operand size (imm), selector (imm2) */
    X86_IMM_MOFFS,      /* address-size offset (MOV AL, moffs) */
    X86_IMM_WB,         /* RET imm16 / 8-bit  helpers: imm16 zero-extended */
};

struct DisasContext {
    CPUState *cpu;
    TranslationBlock *tb;
    uint32_t flags;         /* TB flags (tb-flags.h) */
    uint64_t cs_base;
    uint64_t pc;            /* linear address of the instruction being translated */
    uint64_t next_pc;       /* next byte to fetch */
    int cc_op;              /* known cc_op, or CC_OP_DYNAMIC */
    int cc_op_guess;        /* the cc_op field when the TB was translated (x86_gen_entry_cf) */
    bool cc_op_dirty;       /* the cc_op field does not hold cc_op yet */
    bool cc_exact;          /* this instruction keeps the cc_op field exact (x86_gen_cc_exact) */
    int mem_idx;
    int align;              /* MO_ALIGN when alignment checking (#AC) is on, else 0 */
    bool code64;
    int is_jmp;             /* DISAS_* */
    int num_insns;
    int max_insns;          /* the TB's instruction limit */
    /* a loop of one block (x86_emit_jcc): copies of its body translated before this one,
     * their shared exit to the fall-through (NULL once placed) and its EIP */
    int loop_copies;
    TCGLabel *loop_exit;
    uint64_t loop_exit_eip;
    /* RET prediction (x86_emit_ret): ESP's change since the TB's start while only PUSH,
     * POP, CALL, RET and ADD/SUB through x86_gen_sp_add moved it; sp_known is false after
     * any other write of ESP. A wrong value only costs a mispredicted compare. */
    bool sp_known;
    int64_t sp_delta;
    /* direct CALL/JMP followed inside the TB's first page (x86_follow_direct): how many,
     * the end of the TB's first run of bytes (its size), the start of the current run, the
     * page offsets [cover_lo, cover_hi) of the later runs (the TB's invalidation span),
     * and the return addresses the followed CALLs pushed, with ESP's delta after each */
    int nb_follows;
    uint64_t first_end, run_start;
    unsigned cover_lo, cover_hi;
    int nb_calls;
    int64_t call_sp[4];
    uint64_t call_ret[4];

    /* the instruction being decoded */
    unsigned prefix;
    int rex_w, rex_r, rex_x, rex_b;
    int override;           /* segment override, -1: none */
    int dflag;              /* operand size MO_16 / MO_32 / MO_64 */
    int aflag;              /* address size */
    int ot;                 /* the instruction's operand size (MO_8 for byte forms) */
    unsigned opcode;        /* 0x00-0xff, 0x100 + byte after 0F, 0x200/0x300 for 0F38/0F3A */
    int modrm, mod, reg, rm;    /* reg and rm include REX.R / REX.B */
    int ea_base, ea_index, ea_scale;  /* -1: none; ea_base -2: RIP-relative */
    int64_t disp;
    int ea_seg;             /* default segment of the memory operand */
    unsigned insn_mem;      /* X86_MEM_* kinds recorded in insn_start word 2 */
    /* HF_SEGLIM: the last linear address computed, its offset and segment, so that the
     * load or store through it checks the limit with its size (translate-operand.c) */
    TCGv_i64 lim_addr, lim_off;
    int lim_seg;
    int64_t imm, imm2;
    bool vex;               /* a VEX prefix (decode-vex.c) */
    int vex_l, vex_v;       /* VEX.L (256-bit), VEX.vvvv (not inverted) */
    int vex_w;              /* VEX.W as an opcode bit (rex_w: as the GPR operand size) */
    int vex_pp;             /* VEX.pp: 0 none, 1 66, 2 F3, 3 F2 */
};

/* ---- globals (translate.c) ------------------------------------------------------------- */
extern TCGv_i64 x86_cpu_regs[16];
extern TCGv_i64 x86_cpu_cc_dst, x86_cpu_cc_src, x86_cpu_cc_src2;
extern TCGv_i32 x86_cpu_cc_op;
extern TCGv_i64 x86_cpu_seg_base[X86_NR_SEGS];
extern TCGv_i64 x86_cpu_rip;

/* Whether a Jcc to target (an EIP) may translate its TB's body once more after it: the
 * target is the TB's start and the copies stay within the TB's limits (translate.c). */
bool x86_loop_may_unroll(DisasContext *s, uint64_t target);

/* The TCGTargetOps of the x86 front end (a strong reference to this file). */
const TCGTargetOps *x86_translator_ops(void);

/* ---- fetching (decode.c) ------------------------------------------------------------------ */
uint8_t x86_ldub_code(DisasContext *s);
uint16_t x86_lduw_code(DisasContext *s);
uint32_t x86_ldl_code(DisasContext *s);
uint64_t x86_ldq_code(DisasContext *s);
/* Decodes and emits one instruction at s->pc. */
void x86_translate_one(DisasContext *s);
/* After C4/C5 (b): decodes a VEX prefix and its opcode; NULL when b is LES/LDS. */
const X86OpEntry *x86_decode_vex(DisasContext *s, int b);

/* ---- operands (translate-operand.c) ---------------------------------------------------------- */
static inline int ot_bits(int ot) { return 8 << ot; }
static inline uint64_t ot_mask(int ot) { return ot == 3 ? ~0ull : (1ull << ot_bits(ot)) - 1; }
/* Zero- (or sign-) extends v to the size ot in place. */
void x86_gen_ext(int ot, TCGv_i64 d, TCGv_i64 v, bool sign);
/* Register reg of size ot (AH..BH for 4..7 of size 8 without REX), zero-extended. */
void x86_gen_op_mov_v_reg(DisasContext *s, int ot, TCGv_i64 d, int reg);
/* Writes the low ot bits of v to register reg (32-bit writes zero the upper half). */
void x86_gen_op_mov_reg_v(DisasContext *s, int ot, int reg, TCGv_i64 v);
/* The same for a v already zero-extended from ot bits (results, loaded values): 32- and
 * 64-bit writes are then plain moves. */
void x86_gen_op_mov_reg_canon(DisasContext *s, int ot, int reg, TCGv_i64 v);
/* The linear address of the ModRM memory operand (segment added, wrapped). */
TCGv_i64 x86_gen_lea_modrm(DisasContext *s);
/* The effective address (offset in the segment) of the ModRM operand, not wrapped. */
TCGv_i64 x86_gen_ea_offset(DisasContext *s);
/* Linear address of offset off (aflag-wrapped) in segment seg (override applies if
 * use_override). */
/* Records that the instruction accesses memory through seg (X86_MEM_*, 64-bit mode). */
void x86_mark_mem(DisasContext *s, int seg);
/* Under HF_SEGLIM: the access through linear address a (offset off in seg) checks the
 * segment limit (x86_gen_ld/st). */
void x86_note_seg_addr(DisasContext *s, TCGv_i64 a, TCGv_i64 off, int seg);
TCGv_i64 x86_gen_lea_seg(DisasContext *s, TCGv_i64 off, int seg, bool use_override);
void x86_gen_ld(DisasContext *s, int ot, TCGv_i64 d, TCGv_i64 addr);
void x86_gen_ld_sign(DisasContext *s, int ot, TCGv_i64 d, TCGv_i64 addr);
void x86_gen_st(DisasContext *s, int ot, TCGv_i64 v, TCGv_i64 addr);
/* The rm operand: value (a new temp) and, for memory, its address (*addr, else NULL). */
TCGv_i64 x86_gen_ld_rm(DisasContext *s, int ot, TCGv_i64 *addr);
/* Writes the rm operand (addr from x86_gen_ld_rm, or NULL for a register). */
void x86_gen_st_rm(DisasContext *s, int ot, TCGv_i64 v, TCGv_i64 addr);
/* The same for a v already zero-extended from ot bits. */
void x86_gen_st_rm_canon(DisasContext *s, int ot, TCGv_i64 v, TCGv_i64 addr);
/* Stack: size of pushes (by dflag), stack-pointer width. */
int x86_gen_push_ot(DisasContext *s, int ot);
void x86_gen_push(DisasContext *s, int ot, TCGv_i64 v);
/* Loads the top of the stack without popping; x86_gen_pop_update pops it. */
TCGv_i64 x86_gen_pop_peek(DisasContext *s, int ot);
void x86_gen_pop_update(DisasContext *s, int ot);
/* Adds delta to the stack pointer with the stack's width. */
void x86_gen_sp_add(DisasContext *s, int64_t delta);
/* Stack-relative linear address of SP + off. */
TCGv_i64 x86_gen_stack_addr(DisasContext *s, int64_t off);
int x86_stack_ot(DisasContext *s);

/* ---- lazy flags (translate-cc.c) --------------------------------------------------------------- */
void x86_set_cc_op(DisasContext *s, int op);
/* CF (0/1) in a new TB temp for an instruction that reads it while the cc_op is dynamic
 * (nothing in the TB has set the flags yet), else NULL; may emit a branch and labels, so
 * call it before the instruction creates ordinary temps. */
TCGv_i64 x86_gen_entry_cf(DisasContext *s);
void x86_gen_update_cc_op(DisasContext *s);
/* For an instruction that changes the flag state before something that may fault: keeps
 * the cc_op field exact for the rest of it (faults then leave the flag state as is). */
void x86_gen_cc_exact(DisasContext *s);
/* The six arithmetic flags into d (EFLAGS positions). */
void x86_gen_compute_eflags_to(DisasContext *s, TCGv_i64 d);
/* Materialises the flags: cc_src = flags, cc_op = EFLAGS. */
void x86_gen_compute_eflags(DisasContext *s);
/* CF as 0/1 into d. */
void x86_gen_compute_cf(DisasContext *s, TCGv_i64 d);
/* Condition b (0..15, the low nibble of Jcc) as 0/1 into d. */
void x86_gen_setcc(DisasContext *s, int b, TCGv_i64 d);
/* Branch to l if condition b holds. */
void x86_gen_jcc_label(DisasContext *s, int b, TCGLabel *l);
void x86_gen_jcc_exit(DisasContext *s, int b, TCGLabel *l);
void x86_gen_drop_sub_dst(DisasContext *s);
/* Flag liveness across TBs (translate-cc-tb.c): the length of the instruction at the
 * linear address pc if it sets all six flags without reading any or faulting (a TB of
 * those hflags starting there redoes it at its entry check's exit), else 0; and the
 * drop of the flag state before goto_tb slot n to dest when dest starts with one. */
int x86_flag_killer_len(CPUState *cpu, TranslationBlock *tb, uint64_t pc, uint32_t flags);
void x86_flags_dead_at_exit(DisasContext *s, int n, uint64_t dest);
/* Would a chained exit to the linear address dest, emitted now, drop the flags? */
bool x86_exit_drops_flags(DisasContext *s, uint64_t dest);
/* The linear address of a jump to eip. */
uint64_t x86_linear_pc(DisasContext *s, uint64_t eip);
/* Records an operation with result dst and operand src (src2 for SUB/ADC/SBB). */
void x86_gen_set_cc(DisasContext *s, int op, TCGv_i64 dst, TCGv_i64 src, TCGv_i64 src2);

/* ---- ALU pieces (translate-alu.c) and the atomic forms (translate-lock.c) ------------------- */
/* res = a op b (+/- cf for ADC/SBB), canonical; op 0-7 = ADD OR ADC SBB AND SUB XOR CMP. */
void x86_gen_alu_result(int op, int ot, TCGv_i64 res, TCGv_i64 a, TCGv_i64 b, TCGv_i64 cf);
void x86_gen_alu_flags(DisasContext *s, int op, int ot, TCGv_i64 res, TCGv_i64 a, TCGv_i64 b,
                       TCGv_i64 cf);
void x86_gen_alu_locked(DisasContext *s, int op, int ot, TCGv_i64 addr, TCGv_i64 b);
void x86_gen_incdec_locked(DisasContext *s, int ot, TCGv_i64 addr, bool dec);
void x86_gen_not_locked(DisasContext *s, int ot, TCGv_i64 addr);
void x86_gen_neg_locked(DisasContext *s, int ot, TCGv_i64 addr);
void x86_gen_xchg_mem(DisasContext *s, int ot, TCGv_i64 old, TCGv_i64 addr, TCGv_i64 val);
void x86_gen_xadd_locked(DisasContext *s, int ot, TCGv_i64 ret, TCGv_i64 addr, TCGv_i64 val);
void x86_gen_cmpxchg_locked(DisasContext *s, int ot, TCGv_i64 old, TCGv_i64 addr,
                            TCGv_i64 acc, TCGv_i64 src);
void x86_gen_bt_locked(DisasContext *s, int op, int ot, TCGv_i64 old, TCGv_i64 addr,
                       TCGv_i64 mask);
void x86_gen_cmpxchg8b(DisasContext *s, TCGv_i64 addr, bool wide);

/* ---- control flow (translate.c) --------------------------------------------------------------- */
/* EIP of the next instruction / of the current one. */
static inline uint64_t s_next_eip(DisasContext *s) { return s->next_pc - s->cs_base; }
static inline uint64_t s_cur_eip(DisasContext *s) { return s->pc - s->cs_base; }
/* Jumps to eip (masked to the operand size), chained when possible; ends the TB. */
void x86_gen_jmp_eip(DisasContext *s, uint64_t eip, int n);
/* Whether the direct CALL/JMP being translated may continue the TB at eip (the same
 * page, room left, no single step or breakpoints); if so the next instruction fetched is
 * there (translate.c). */
bool x86_follow_direct(DisasContext *s, uint64_t eip);
/* Jumps to the EIP in the temp (indirect); ends the TB. */
void x86_gen_jmp_dyn(DisasContext *s, TCGv_i64 eip);
/* The same with a predicted target (RET): a chained jump when eip equals guess (on the
 * TB's page or the current instruction's), the jump-cache probe otherwise. */
void x86_gen_jmp_dyn_guess(DisasContext *s, TCGv_i64 eip, uint64_t guess);
/* Stores EIP = eip (e.g. before a helper that may need it). */
void x86_gen_set_eip(DisasContext *s, uint64_t eip);
/* Raises exception vector at the current instruction (ends the TB). */
void x86_gen_exception(DisasContext *s, int vector);
void x86_gen_exception_err(DisasContext *s, int vector, int err);
void x86_gen_illegal(DisasContext *s);
/* Does the CPU model offer CPUID feature bit (word FEAT_*)? If not, emits #UD and returns
 * false. */
bool x86_need_feature(DisasContext *s, int word, uint32_t bit);
/* Calls a helper: info, result (or NULL), then the arguments (env first when wanted). */
void x86_gen_helper(const TCGHelperInfo *info, TCGTemp *ret, int nargs, ...);

/* LDMXCSR / STMXCSR (0F AE /2 /3, from x86_emit_grp15; translate-sse.c) */
void x86_emit_sse_mxcsr(DisasContext *s, int op);

/* Exception vectors the translator raises. */
enum { EXCP_DE = 0, EXCP_DB = 1, EXCP_BP = 3, EXCP_OF = 4, EXCP_BR = 5, EXCP_UD = 6,
       EXCP_NM = 7, EXCP_GP = 13, EXCP_PF = 14 };

/* ---- emitters (translate-*.c), referenced from the decode tables --------------------------------- */
#define X86_EMITTERS(X) \
    X(alu) X(alu_imm) X(alu_acc_imm) X(inc_dec) X(inc_dec_reg) X(grp3) X(grp45) \
    X(shift) X(shld) X(mov) X(mov_imm_rm) X(mov_reg_imm) X(mov_moffs) X(movzx) X(movsxd) \
    X(lea) X(xchg) X(xchg_acc) X(test) X(test_acc) X(cbw) X(cwd) X(imul3) X(imul2) \
    X(push_reg) X(pop_reg) X(push_imm) X(pop_rm) X(pusha) X(popa) X(enter) X(leave) \
    X(jcc) X(jmp) X(call) X(ret) X(loop) X(jcxz) X(setcc) X(cmov) X(nop) X(flagop) \
    X(lahf) X(sahf) X(pushf) X(popf) X(bcd) X(xlat) X(bt) X(bt_imm) X(bsf) X(bswap) \
    X(xadd) X(cmpxchg) X(grp9) X(string) X(salc) X(bound) X(popcnt) X(movbe) \
    X(crc32) X(adx) X(hlt) X(in_out) X(int) X(into) X(int3) X(cpuid) \
    X(sys_grp6) X(sys_grp7) X(mov_cr) X(mov_dr) X(msr) X(rdtsc) X(seg_push) X(seg_pop) \
    X(mov_seg) X(lseg) X(far_jmp) X(far_call) X(far_ret) X(iret) X(cli_sti) X(sysenter) \
    X(syscall) X(clts) X(invd) X(ud) X(arpl) X(lar_lsl) X(fpu_escape) X(grp15) X(nop_modrm) \
    X(rdrand) X(pause) \
    X(andn) X(bls) X(bzhi) X(pdep_pext) X(mulx) X(bextr) X(shiftx) X(rorx) \
    X(xsave) X(fwait) X(sse) X(avx_zero) X(avx_mov) X(avx_bcast) X(avx_lane) X(avx_op) \
    X(avx_vtest) X(avx_maskmov) X(avx_gather) X(avx_sse) X(avx_shift_imm) X(avx_movmsk) \
    X(avx_movd) X(avx_movq) X(avx_movs) X(avx_pinsr) X(avx_pextr) X(avx_comis) \
    X(avx_cvt2si) X(avx_cvtsi2s) X(avx_movlh) X(avx_insertps) X(avx_pcmpstr) X(avx_grp15) \
    X(avx_maskmovdqu)
/* 0F AE /0 FXSAVE, /1 FXRSTOR (translate-fpu.c), called from group 15. */
void x86_gen_fxsave(DisasContext *s, int op);
#define X(name) void x86_emit_##name(DisasContext *s, const X86OpEntry *e);
X86_EMITTERS(X)
#undef X

#endif
