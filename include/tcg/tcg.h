/* The translator's intermediate representation (IR): temporaries, ops, the translation
 * context, the middle end and the back-end contract. Reference: docs/tcg.md. */
#ifndef TCG_TCG_H
#define TCG_TCG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ------------------------------------------------------------------------------------
 * Limits. The host is 64-bit (pointers are i64 values in the IR).
 * ---------------------------------------------------------------------------------- */
#define TCG_MAX_TEMPS 1024          /* globals + per-TB temps + constants, per context */
#define TCG_MAX_LABELS 512          /* per TB */
#define TCG_MAX_INSNS 512           /* insn_start ops per TB */
#define TCG_MAX_INSN_START_WORDS 3  /* per-target words carried by insn_start */
#define TCG_MAX_HELPER_ARGS 7       /* a helper takes at most 7 arguments (env included) */
#define TCG_MAX_OP_ARGS 16
#define TCG_OP_BUF_SOFT_LIMIT 8000  /* front ends end the TB when tcg_op_buf_full() */
#define TCG_CONST_HASH_SIZE 2048    /* > TCG_MAX_TEMPS: never full */

/* ------------------------------------------------------------------------------------
 * Types and temporaries
 * ---------------------------------------------------------------------------------- */
typedef enum TCGType {
    TCG_TYPE_I32 = 0,
    TCG_TYPE_I64 = 1,
    TCG_TYPE_PTR = TCG_TYPE_I64,    /* host pointers (env, helper pointers) */
    TCG_TYPE_VOID = 2,              /* only as a helper's return type */
} TCGType;

typedef enum TCGTempKind {
    TEMP_EBB,       /* ordinary temp: its value dies at the end of its basic block */
    TEMP_TB,        /* TB-local temp: keeps its value across labels and branches */
    TEMP_GLOBAL,    /* lives at mem_base + mem_offset (a field of the CPU state) */
    TEMP_FIXED,     /* the CPU-state pointer env: always in a fixed host register */
    TEMP_CONST,     /* read-only constant, interned per (type, value) */
} TCGTempKind;

typedef struct TCGTemp {
    uint8_t type;           /* TCGType */
    uint8_t kind;           /* TCGTempKind */
    uint8_t allocated;      /* in use (EBB/TB temps can be freed and reused) */
    uint8_t indirect;       /* reserved: global whose base is not env (unsupported) */
    uint16_t index;         /* position in TCGContext.temps */
    uint16_t next_free;     /* EBB/TB temps on a free list: next one's index + 1;
                             * CONST: its slot in const_hash + 1 */
    uint16_t mem_base;      /* GLOBAL: index of the base temp (always env today) */
    intptr_t mem_offset;    /* GLOBAL: byte offset from the base */
    uint64_t val;           /* CONST: the value (an i32 constant is zero-extended) */
    const char *name;       /* GLOBAL/FIXED: for dumps ("eax", "r0", "cc_op") */
    /* Scratch for passes and back ends, meaning defined by whoever runs; reset per pass. */
    intptr_t state;
    void *state_ptr;
} TCGTemp;

/* Typed handles. A handle is the byte offset of its TCGTemp inside TCGContext, so the same
 * handle names the same temp in every context (globals created in the same order in each
 * context get equal handles): front ends may keep global handles in static tables. */
typedef struct TCGv_i32_d *TCGv_i32;
typedef struct TCGv_i64_d *TCGv_i64;
typedef struct TCGv_ptr_d *TCGv_ptr;

/* ------------------------------------------------------------------------------------
 * Conditions, memory operations, barriers
 * ---------------------------------------------------------------------------------- */
typedef enum TCGCond {
    TCG_COND_NEVER = 0,
    TCG_COND_ALWAYS = 1,
    TCG_COND_EQ = 2,
    TCG_COND_NE = 3,
    TCG_COND_LT = 4,    /* signed */
    TCG_COND_GE = 5,
    TCG_COND_LE = 6,
    TCG_COND_GT = 7,
    TCG_COND_LTU = 8,   /* unsigned */
    TCG_COND_GEU = 9,
    TCG_COND_LEU = 10,
    TCG_COND_GTU = 11,
    TCG_COND_TSTEQ = 12, /* (a & b) == 0 */
    TCG_COND_TSTNE = 13, /* (a & b) != 0 */
    TCG_COND_COUNT
} TCGCond;

TCGCond tcg_invert_cond(TCGCond c);     /* !(a c b) */
TCGCond tcg_swap_cond(TCGCond c);       /* (b c' a) == (a c b) */
const char *tcg_cond_name(TCGCond c);
/* Evaluates a condition on values of the given type (the reference semantics). */
bool tcg_cond_eval(TCGType type, TCGCond c, uint64_t a, uint64_t b);

/* A guest memory access: size, sign, byte order (absolute, not host-relative), and the
 * alignment the guest requires (a misaligned access raises the guest's alignment fault in
 * the runtime; MO_UNALN accesses may cross pages). MO_64 | MO_ALIGN_4 is a pair of words
 * (ARM's LDM/STM): the slow path makes it two word accesses, the lower address first. */
typedef enum MemOp {
    MO_8 = 0, MO_16 = 1, MO_32 = 2, MO_64 = 3,
    MO_SIZE = 3,
    MO_SIGN = 1 << 2,       /* sign-extend the loaded value to the op's type */
    MO_LE = 0,
    MO_BE = 1 << 3,
    MO_ASHIFT = 4,
    MO_AMASK = 7 << 4,
    MO_UNALN = 0 << 4,      /* no alignment requirement */
    MO_ALIGN_2 = 1 << 4,
    MO_ALIGN_4 = 2 << 4,
    MO_ALIGN_8 = 3 << 4,
    MO_ALIGN_16 = 4 << 4,
    MO_ALIGN = 7 << 4,      /* natural alignment: the access size */

    MO_UB = MO_8, MO_SB = MO_8 | MO_SIGN,
    MO_LEUW = MO_16 | MO_LE, MO_LESW = MO_16 | MO_SIGN | MO_LE,
    MO_LEUL = MO_32 | MO_LE, MO_LESL = MO_32 | MO_SIGN | MO_LE,
    MO_LEUQ = MO_64 | MO_LE,
    MO_BEUW = MO_16 | MO_BE, MO_BESW = MO_16 | MO_SIGN | MO_BE,
    MO_BEUL = MO_32 | MO_BE, MO_BESL = MO_32 | MO_SIGN | MO_BE,
    MO_BEUQ = MO_64 | MO_BE,
} MemOp;

static inline unsigned memop_size(MemOp mop) { return 1u << (mop & MO_SIZE); }
/* Alignment in bytes the access requires (1 = none). Inline: the runtime's TLB refill
 * path asks on every miss. */
static inline unsigned memop_alignment(MemOp mop)
{
    unsigned a = (mop & MO_AMASK) >> MO_ASHIFT;
    return a == 7 ? memop_size(mop) : 1u << a;
}
/* Applies the size, sign and byte order of mop to raw little-endian-assembled bytes:
 * the reference used by the interpreter's callers and tests. */
uint64_t memop_extend_slow(MemOp mop, uint64_t raw);
/* The same; inline for little-endian accesses (every miss of a guest load ends here). */
static inline uint64_t memop_extend(MemOp mop, uint64_t raw)
{
    unsigned bits = 8 * memop_size(mop);
    if (mop & MO_BE) {
        return memop_extend_slow(mop, raw);
    }
    if (bits < 64) {
        uint64_t sign = (mop & MO_SIGN) ? 1ull << (bits - 1) : 0;
        raw &= (1ull << bits) - 1;
        raw = (raw ^ sign) - sign;
    }
    return raw;
}

/* Memory barrier kinds (argument of mb): which earlier accesses are ordered before which
 * later ones. */
enum {
    TCG_MO_LD_LD = 1, TCG_MO_ST_LD = 2, TCG_MO_LD_ST = 4, TCG_MO_ST_ST = 8,
    TCG_MO_ALL = 15,
    TCG_BAR_SC = 16,    /* sequentially consistent (full fence) */
};

/* Atomic read-modify-write on guest memory (op atomic_rmw; docs/tcg.md "Atomics"). The
 * memory operand has the MemOp's size; val's low bits of that size are used; the result
 * (old value, or new value with TCG_ATOMIC_RET_NEW) is zero- or sign-extended per MO_SIGN.
 * min/max compare size-bit values, signed for SMIN/SMAX, unsigned for UMIN/UMAX. */
typedef enum TCGAtomicOp {
    TCG_ATOMIC_XCHG = 0,
    TCG_ATOMIC_ADD, TCG_ATOMIC_AND, TCG_ATOMIC_OR, TCG_ATOMIC_XOR,
    TCG_ATOMIC_SMIN, TCG_ATOMIC_SMAX, TCG_ATOMIC_UMIN, TCG_ATOMIC_UMAX,
    TCG_ATOMIC_CMPXCHG,         /* the atomic_cmpxchg op, as seen by the runtime hook */
    TCG_ATOMIC_NB_OPS,
    TCG_ATOMIC_KIND = 0x0f,     /* mask of the kind above */
    TCG_ATOMIC_RET_NEW = 0x10,  /* flag: return the new value instead of the old one */
} TCGAtomicOp;

/* The packed "operation info" argument of the atomic runtime hooks. */
static inline uint32_t tcg_atomic_oi(unsigned aop, MemOp mop, unsigned mmu_idx)
{
    return (uint32_t)aop << 16 | (mmu_idx & 0xff) << 8 | ((unsigned)mop & 0xff);
}
static inline unsigned tcg_atomic_oi_aop(uint32_t oi) { return oi >> 16; }
static inline unsigned tcg_atomic_oi_mmu_idx(uint32_t oi) { return (oi >> 8) & 0xff; }
static inline MemOp tcg_atomic_oi_mop(uint32_t oi) { return (MemOp)(oi & 0xff); }
const char *tcg_atomic_name(unsigned aop);      /* "add", "xchg"... (kind only) */

/* Reference semantics shared by the runtime and the interpreter: the new memory value
 * (size-bit, zero-extended) that aop (a kind, not CMPXCHG) stores given the old one. */
uint64_t tcg_atomic_new_value(unsigned aop, MemOp mop, uint64_t old, uint64_t val);
/* Performs aop (CMPXCHG included: val = new value, cmp = compare value) atomically on
 * host memory holding the guest bytes (byte order per mop; host atomics, so any
 * alignment within the host's atomicity rules), and returns the op's result. */
uint64_t tcg_atomic_host(void *host, unsigned aop, MemOp mop, uint64_t val, uint64_t cmp);
/* 128-bit compare-and-swap on 16-byte aligned host memory (byte order per mop): io[0..1]
 * = compare value (low, high), io[2..3] = new value; io[0..1] receive the old value. */
void tcg_atomic_host_cmpxchg128(void *host, MemOp mop, uint64_t *io);

/* ------------------------------------------------------------------------------------
 * Helpers: C functions called from translated code
 * ---------------------------------------------------------------------------------- */
enum {
    /* The helper does not read guest globals from the CPU state. With
     * TCG_CALL_NO_WRITE_GLOBALS too, globals need not be synced to memory before the
     * call. A helper that may raise a guest exception (unwind to the CPU loop) READS
     * globals: never give it this flag. */
    TCG_CALL_NO_READ_GLOBALS = 1 << 0,
    /* The helper does not write guest globals: cached copies stay valid after the call. */
    TCG_CALL_NO_WRITE_GLOBALS = 1 << 1,
    /* No effect besides its return value: removed when the result is unused. */
    TCG_CALL_NO_SIDE_EFFECTS = 1 << 2,
    TCG_CALL_NO_RWG = TCG_CALL_NO_READ_GLOBALS | TCG_CALL_NO_WRITE_GLOBALS,
    TCG_CALL_NO_WG = TCG_CALL_NO_WRITE_GLOBALS,
    TCG_CALL_PURE = TCG_CALL_NO_RWG | TCG_CALL_NO_SIDE_EFFECTS,
};

/* Describes one helper. Arguments and result are integer-class values: uint32_t/int32_t
 * for I32, uint64_t/int64_t/pointers for I64 (no floats, no structs by value). Define
 * one static const TCGHelperInfo per helper; it must outlive every TB that calls it. */
typedef struct TCGHelperInfo {
    const char *name;
    void *func;
    unsigned flags;             /* TCG_CALL_* */
    uint8_t ret_type;           /* TCG_TYPE_VOID, TCG_TYPE_I32 or TCG_TYPE_I64 */
    uint8_t nb_args;
    uint8_t arg_types[TCG_MAX_HELPER_ARGS];   /* TCG_TYPE_I32 / TCG_TYPE_I64 */
} TCGHelperInfo;

/* The generic helper signature every back end calls through: on 64-bit hosts with the
 * SysV or AAPCS64 ABI, integer-class arguments in registers make this call equivalent to
 * calling the helper's real prototype (an I32 result is read from the low 32 bits). */
typedef uint64_t (*TCGHelperFunc)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                                  uint64_t, uint64_t);

/* ------------------------------------------------------------------------------------
 * Ops
 * DEF(name, outputs, inputs, constant args, flags). Args of an op are, in order: the
 * output temps, the input temps, the constant args. Semantics: docs/tcg.md "IR reference".
 * ---------------------------------------------------------------------------------- */
enum {
    TCG_OPF_BB_END = 1 << 0,        /* ends a basic block: EBB temps die, globals saved */
    TCG_OPF_BB_EXIT = 1 << 1,       /* leaves the TB */
    TCG_OPF_BRANCH = 1 << 2,        /* has a label argument (br, brcond) */
    TCG_OPF_COND_BRANCH = 1 << 3,   /* the branch may fall through */
    TCG_OPF_SIDE_EFFECTS = 1 << 4,  /* never removed even if its outputs are dead */
    TCG_OPF_CAN_FAULT = 1 << 5,     /* may raise a guest exception: globals recoverable */
    TCG_OPF_CALL_CLOBBER = 1 << 6,  /* calls C code: caller-saved host registers clobbered */
    TCG_OPF_64BIT = 1 << 7,         /* operates on i64 values */
    TCG_OPF_NOT_PRESENT = 1 << 8,   /* no host code (nop, discard, insn_start...) */
    TCG_OPF_VAR_ARGS = 1 << 9,      /* argument counts stored in the op (call) */
};

#define TCG_BINOPS(DEF, T, F) \
    DEF(add_##T, 1, 2, 0, F) DEF(sub_##T, 1, 2, 0, F) DEF(mul_##T, 1, 2, 0, F) \
    DEF(div_##T, 1, 2, 0, F) DEF(divu_##T, 1, 2, 0, F) \
    DEF(rem_##T, 1, 2, 0, F) DEF(remu_##T, 1, 2, 0, F) \
    DEF(and_##T, 1, 2, 0, F) DEF(or_##T, 1, 2, 0, F) DEF(xor_##T, 1, 2, 0, F) \
    DEF(andc_##T, 1, 2, 0, F) DEF(orc_##T, 1, 2, 0, F) DEF(eqv_##T, 1, 2, 0, F) \
    DEF(nand_##T, 1, 2, 0, F) DEF(nor_##T, 1, 2, 0, F) \
    DEF(shl_##T, 1, 2, 0, F) DEF(shr_##T, 1, 2, 0, F) DEF(sar_##T, 1, 2, 0, F) \
    DEF(rotl_##T, 1, 2, 0, F) DEF(rotr_##T, 1, 2, 0, F) \
    DEF(clz_##T, 1, 2, 0, F) DEF(ctz_##T, 1, 2, 0, F)

#define TCG_UNOPS(DEF, T, F) \
    DEF(mov_##T, 1, 1, 0, F) DEF(neg_##T, 1, 1, 0, F) DEF(not_##T, 1, 1, 0, F) \
    DEF(ext8s_##T, 1, 1, 0, F) DEF(ext8u_##T, 1, 1, 0, F) \
    DEF(ext16s_##T, 1, 1, 0, F) DEF(ext16u_##T, 1, 1, 0, F) \
    DEF(bswap16_##T, 1, 1, 0, F) DEF(bswap32_##T, 1, 1, 0, F) DEF(ctpop_##T, 1, 1, 0, F)

#define TCG_TYPED_OPS(DEF, T, F) \
    TCG_UNOPS(DEF, T, F) TCG_BINOPS(DEF, T, F) \
    DEF(setcond_##T, 1, 2, 1, F) DEF(negsetcond_##T, 1, 2, 1, F) \
    DEF(movcond_##T, 1, 4, 1, F) \
    DEF(brcond_##T, 0, 2, 2, (F) | TCG_OPF_BB_END | TCG_OPF_BRANCH | TCG_OPF_COND_BRANCH) \
    DEF(deposit_##T, 1, 2, 2, F) DEF(extract_##T, 1, 1, 2, F) \
    DEF(sextract_##T, 1, 1, 2, F) \
    DEF(add2_##T, 2, 4, 0, F) DEF(sub2_##T, 2, 4, 0, F) \
    DEF(mulu2_##T, 2, 2, 0, F) DEF(muls2_##T, 2, 2, 0, F) \
    DEF(ld8u_##T, 1, 1, 1, F) DEF(ld8s_##T, 1, 1, 1, F) \
    DEF(ld16u_##T, 1, 1, 1, F) DEF(ld16s_##T, 1, 1, 1, F) DEF(ld_##T, 1, 1, 1, F) \
    DEF(st8_##T, 0, 2, 1, (F) | TCG_OPF_SIDE_EFFECTS) \
    DEF(st16_##T, 0, 2, 1, (F) | TCG_OPF_SIDE_EFFECTS) \
    DEF(st_##T, 0, 2, 1, (F) | TCG_OPF_SIDE_EFFECTS) \
    DEF(qemu_ld_##T, 1, 1, 2, (F) | TCG_OPF_CALL_CLOBBER | TCG_OPF_SIDE_EFFECTS | \
        TCG_OPF_CAN_FAULT) \
    DEF(qemu_st_##T, 0, 2, 2, (F) | TCG_OPF_CALL_CLOBBER | TCG_OPF_SIDE_EFFECTS | \
        TCG_OPF_CAN_FAULT) \
    DEF(atomic_cmpxchg_##T, 1, 3, 2, (F) | TCG_OPF_ATOMIC) \
    DEF(atomic_rmw_##T, 1, 2, 3, (F) | TCG_OPF_ATOMIC)

/* Guest atomics: like a guest store (may fault, calls C code on the slow path). */
#define TCG_OPF_ATOMIC (TCG_OPF_CALL_CLOBBER | TCG_OPF_SIDE_EFFECTS | TCG_OPF_CAN_FAULT)

#define TCG_OPCODE_LIST(DEF) \
    DEF(nop, 0, 0, 0, TCG_OPF_NOT_PRESENT) \
    DEF(discard, 1, 0, 0, TCG_OPF_NOT_PRESENT) \
    DEF(insn_start, 0, 0, TCG_MAX_INSN_START_WORDS, TCG_OPF_NOT_PRESENT) \
    DEF(set_label, 0, 0, 1, TCG_OPF_BB_END) \
    DEF(br, 0, 0, 1, TCG_OPF_BB_END | TCG_OPF_BRANCH) \
    DEF(mb, 0, 0, 1, TCG_OPF_SIDE_EFFECTS) \
    DEF(call, 0, 0, 2, TCG_OPF_CALL_CLOBBER | TCG_OPF_VAR_ARGS) \
    DEF(goto_tb, 0, 0, 1, TCG_OPF_BB_END | TCG_OPF_BB_EXIT | TCG_OPF_SIDE_EFFECTS) \
    DEF(exit_tb, 0, 0, 1, TCG_OPF_BB_END | TCG_OPF_BB_EXIT | TCG_OPF_SIDE_EFFECTS) \
    DEF(lookup_and_goto_ptr, 0, 0, 0, TCG_OPF_BB_END | TCG_OPF_BB_EXIT | \
        TCG_OPF_SIDE_EFFECTS | TCG_OPF_CALL_CLOBBER) \
    DEF(goto_ptr, 0, 1, 0, TCG_OPF_BB_END | TCG_OPF_BB_EXIT | TCG_OPF_SIDE_EFFECTS | \
        TCG_OPF_64BIT) \
    TCG_TYPED_OPS(DEF, i32, 0) \
    TCG_TYPED_OPS(DEF, i64, TCG_OPF_64BIT) \
    DEF(ext32s_i64, 1, 1, 0, TCG_OPF_64BIT) DEF(ext32u_i64, 1, 1, 0, TCG_OPF_64BIT) \
    DEF(bswap64_i64, 1, 1, 0, TCG_OPF_64BIT) \
    DEF(ld32u_i64, 1, 1, 1, TCG_OPF_64BIT) DEF(ld32s_i64, 1, 1, 1, TCG_OPF_64BIT) \
    DEF(st32_i64, 0, 2, 1, TCG_OPF_64BIT | TCG_OPF_SIDE_EFFECTS) \
    DEF(extrl_i64_i32, 1, 1, 0, 0) DEF(extrh_i64_i32, 1, 1, 0, 0) \
    DEF(extu_i32_i64, 1, 1, 0, TCG_OPF_64BIT) DEF(ext_i32_i64, 1, 1, 0, TCG_OPF_64BIT) \
    DEF(atomic_cmpxchg128, 2, 5, 2, TCG_OPF_64BIT | TCG_OPF_ATOMIC)

typedef enum TCGOpcode {
#define TCG_DEF_ENUM(name, oargs, iargs, cargs, flags) INDEX_op_##name,
    TCG_OPCODE_LIST(TCG_DEF_ENUM)
#undef TCG_DEF_ENUM
    NB_OPS
} TCGOpcode;

typedef struct TCGOpDef {
    const char *name;
    uint8_t nb_oargs, nb_iargs, nb_cargs;
    uint16_t flags;
} TCGOpDef;

extern const TCGOpDef tcg_op_defs[NB_OPS];

/* An argument: a temp index (for temp args), a label id, a constant, a pointer. */
typedef uint64_t TCGArg;

/* Liveness results stored in TCGOp.life by tcg_liveness():
 *  - DEAD_ARG(i): temp argument i (outputs and inputs counted together, outputs first)
 *    is not used after this op; for an output it means the value is never read (a
 *    global output is then still written back if SYNC_ARG is set).
 *  - SYNC_ARG(i): output i is a global (or TB temp) whose new value must be stored to its
 *    memory slot after this op (a back end that caches globals in registers must write it
 *    back; it may keep the register copy unless DEAD_ARG is set too). */
typedef uint32_t TCGLifeData;
#define DEAD_ARG(i) (1u << (i))
#define SYNC_ARG(i) (1u << (16 + (i)))
#define IS_DEAD_ARG(life, i) (((life) & DEAD_ARG(i)) != 0)
#define NEED_SYNC_ARG(life, i) (((life) & SYNC_ARG(i)) != 0)

typedef struct TCGOp {
    uint16_t opc;           /* TCGOpcode */
    uint8_t nb_oargs;       /* copied from tcg_op_defs except for call */
    uint8_t nb_iargs;
    uint8_t nb_cargs;
    TCGLifeData life;
    TCGArg args[TCG_MAX_OP_ARGS];
} TCGOp;

/* A call op's args: [outputs (0 or 1)] [inputs (nb_args)] [TCGHelperInfo *] [flags]. */
static inline const TCGHelperInfo *tcg_call_info(const TCGOp *op)
{
    return (const TCGHelperInfo *)(uintptr_t)op->args[op->nb_oargs + op->nb_iargs];
}

typedef struct TCGLabel {
    uint16_t id;
    bool present;           /* set_label emitted */
    bool has_value;         /* back end: value_offset is known */
    uint16_t refs;          /* branches to it (optimizer bookkeeping) */
    size_t value_offset;    /* back end: host code offset of the label */
    void *reloc;            /* back end: pending relocations */
} TCGLabel;

/* ------------------------------------------------------------------------------------
 * The translation context: one per translating thread. It holds the globals (created
 * once by the front end) and, per TB, the op list, temps and labels, then the back end's
 * output tables.
 * ---------------------------------------------------------------------------------- */
typedef struct TCGContext {
    int nb_globals;                 /* env + globals; persist across TBs */
    int nb_temps;
    int nb_insn_start_words;        /* set by the front end: 1..TCG_MAX_INSN_START_WORDS */
    TCGType addr_type;              /* guest virtual address type (I32 or I64) */
    TCGTemp temps[TCG_MAX_TEMPS];   /* temps[0] is env; never at offset 0 (handles) */
    uint16_t const_hash[TCG_CONST_HASH_SIZE];   /* interned constants: index + 1 */
    uint16_t free_head[2][2];       /* freed temps by [kind EBB/TB][type]: index + 1 */

    TCGOp *ops;
    int nb_ops;
    int ops_cap;
    TCGLabel labels[TCG_MAX_LABELS];
    int nb_labels;
    bool overflow;                  /* a limit was hit: the TB must be abandoned/shortened */
    bool disable_opt;               /* skip tcg_optimize (tests, debugging) */

    /* Filled by the back end while generating code (offsets from the TB's code start). */
    int nb_insns;
    uint32_t gen_insn_end_off[TCG_MAX_INSNS];
    uint64_t gen_insn_data[TCG_MAX_INSNS][TCG_MAX_INSN_START_WORDS];
    uint32_t tb_jmp_insn_offset[2];     /* goto_tb n: the patchable jump slot */
    uint32_t tb_jmp_reset_offset[2];    /* goto_tb n: where the unchained jump goes */
    bool tb_has_goto_tb[2];             /* goto_tb n is in the optimized op list (set by
                                         * tcg_liveness, before the back end runs) */
    uint32_t insn_map_off;              /* tcg_gen_code: where the compact insn-start map
                                         * follows the code (tcg_insn_map_*) */

    /* Statistics for "info jit" and benchmarks (cumulative). */
    uint64_t stat_tbs, stat_ops_in, stat_ops_out, stat_code_bytes;

    void *backend_data;             /* the back end's per-context state */

    /* Work memory of the optimizer and liveness passes, kept across TBs and grown on
     * demand (tcg_scratch in tcg/tcg-internal.h): a malloc and a free per pass and TB
     * were ~1,200 of the ~98,000 host instructions of an i386 Linux boot's TB; the
     * back end's state and arrays, malloc'ed per TB, ~2,000 of ~97,500 on SeaBIOS. */
    void *scratch[10];
    size_t scratch_size[10];
    uint32_t opt_clock;             /* the optimizer's reset clock, run on across TBs */
} TCGContext;

/* The context the tcg_gen_* functions append to: thread-local, set by the runtime on each
 * translating thread (tcg_context_set_current). */
extern __thread TCGContext *tcg_ctx;

static inline TCGTemp *tcgv_i32_temp(TCGv_i32 v) { return (TCGTemp *)((char *)tcg_ctx + (uintptr_t)v); }
static inline TCGTemp *tcgv_i64_temp(TCGv_i64 v) { return (TCGTemp *)((char *)tcg_ctx + (uintptr_t)v); }
static inline TCGTemp *tcgv_ptr_temp(TCGv_ptr v) { return (TCGTemp *)((char *)tcg_ctx + (uintptr_t)v); }
static inline uintptr_t tcg_temp_handle(TCGTemp *t) { return (uintptr_t)((char *)t - (char *)tcg_ctx); }
static inline TCGv_i32 temp_tcgv_i32(TCGTemp *t) { return (TCGv_i32)tcg_temp_handle(t); }
static inline TCGv_i64 temp_tcgv_i64(TCGTemp *t) { return (TCGv_i64)tcg_temp_handle(t); }
static inline TCGv_ptr temp_tcgv_ptr(TCGTemp *t) { return (TCGv_ptr)tcg_temp_handle(t); }
#define tcgv_temp(v) _Generic((v), TCGv_i32: tcgv_i32_temp, TCGv_i64: tcgv_i64_temp, \
                              TCGv_ptr: tcgv_ptr_temp)(v)
static inline TCGTemp *arg_temp(TCGArg a) { return &tcg_ctx->temps[a]; }
static inline TCGArg temp_arg(TCGTemp *t) { return t->index; }
static inline TCGLabel *arg_label(TCGArg a) { return &tcg_ctx->labels[a]; }

/* The CPU-state pointer (the fixed temp 0 of every context). */
#define tcg_env ((TCGv_ptr)offsetof(TCGContext, temps))

/* Context life cycle. tcg_context_init creates env; the front end then creates its
 * globals (same order in every context). tcg_func_start begins a TB: drops the previous
 * TB's ops, temps, labels. */
void tcg_context_init(TCGContext *s, int nb_insn_start_words, TCGType addr_type);
void tcg_context_destroy(TCGContext *s);
void tcg_context_set_current(TCGContext *s);
void tcg_func_start(TCGContext *s);
/* Rebuilds the constant table and free lists after s->temps was restored by copying
 * (tests that snapshot a program). */
void tcg_context_rehash(TCGContext *s);
/* True when the TB should end now (op buffer, temps or labels close to their limit). */
bool tcg_op_buf_full(void);

/* Temps */
TCGv_i32 tcg_global_mem_new_i32(intptr_t offset, const char *name);
TCGv_i64 tcg_global_mem_new_i64(intptr_t offset, const char *name);
TCGv_i32 tcg_temp_new_i32(void);        /* EBB temp */
TCGv_i64 tcg_temp_new_i64(void);
TCGv_ptr tcg_temp_new_ptr(void);
TCGv_i32 tcg_temp_new_tb_i32(void);     /* TB-local temp */
TCGv_i64 tcg_temp_new_tb_i64(void);
void tcg_temp_free_i32(TCGv_i32 v);     /* optional: lets the slot be reused */
void tcg_temp_free_i64(TCGv_i64 v);
void tcg_temp_free_ptr(TCGv_ptr v);
TCGv_i32 tcg_constant_i32(uint32_t val);    /* read-only, never freed */
TCGv_i64 tcg_constant_i64(uint64_t val);
TCGv_ptr tcg_constant_ptr(uintptr_t val);
TCGv_i32 tcg_const_i32(uint32_t val);       /* a new writable EBB temp holding val */
TCGv_i64 tcg_const_i64(uint64_t val);
TCGTemp *tcg_temp_new_internal(TCGType type, TCGTempKind kind);
TCGTemp *tcg_constant_internal(TCGType type, uint64_t val);
TCGTemp *tcg_global_mem_new_internal(TCGType type, intptr_t offset, const char *name);
void tcg_temp_free_internal(TCGTemp *t);

/* Labels */
TCGLabel *gen_new_label(void);
void gen_set_label(TCGLabel *l);
void tcg_gen_br(TCGLabel *l);

/* Raw op emission (used by the tcg_gen_* functions and by tests). */
TCGOp *tcg_emit_op(TCGOpcode opc, int nargs, const TCGArg *args);
void tcg_gen_op1(TCGOpcode opc, TCGArg a1);
void tcg_gen_op2(TCGOpcode opc, TCGArg a1, TCGArg a2);
void tcg_gen_op3(TCGOpcode opc, TCGArg a1, TCGArg a2, TCGArg a3);
void tcg_gen_op4(TCGOpcode opc, TCGArg a1, TCGArg a2, TCGArg a3, TCGArg a4);
void tcg_gen_op5(TCGOpcode opc, TCGArg a1, TCGArg a2, TCGArg a3, TCGArg a4, TCGArg a5);
void tcg_gen_op6(TCGOpcode opc, TCGArg a1, TCGArg a2, TCGArg a3, TCGArg a4, TCGArg a5,
                 TCGArg a6);

/* ------------------------------------------------------------------------------------
 * Op generation API for front ends. dst first, then sources; "i" forms take an immediate.
 * The same list exists for _i32 (uint32_t immediates) and _i64 (uint64_t immediates).
 * ---------------------------------------------------------------------------------- */
#define TCG_GEN_DECLS(T, TV, IMM) \
    void tcg_gen_mov_##T(TV d, TV a); \
    void tcg_gen_movi_##T(TV d, IMM v); \
    void tcg_gen_neg_##T(TV d, TV a); \
    void tcg_gen_not_##T(TV d, TV a); \
    void tcg_gen_add_##T(TV d, TV a, TV b); \
    void tcg_gen_sub_##T(TV d, TV a, TV b); \
    void tcg_gen_mul_##T(TV d, TV a, TV b); \
    void tcg_gen_div_##T(TV d, TV a, TV b); \
    void tcg_gen_divu_##T(TV d, TV a, TV b); \
    void tcg_gen_rem_##T(TV d, TV a, TV b); \
    void tcg_gen_remu_##T(TV d, TV a, TV b); \
    void tcg_gen_and_##T(TV d, TV a, TV b); \
    void tcg_gen_or_##T(TV d, TV a, TV b); \
    void tcg_gen_xor_##T(TV d, TV a, TV b); \
    void tcg_gen_andc_##T(TV d, TV a, TV b); \
    void tcg_gen_orc_##T(TV d, TV a, TV b); \
    void tcg_gen_eqv_##T(TV d, TV a, TV b); \
    void tcg_gen_nand_##T(TV d, TV a, TV b); \
    void tcg_gen_nor_##T(TV d, TV a, TV b); \
    void tcg_gen_shl_##T(TV d, TV a, TV b); \
    void tcg_gen_shr_##T(TV d, TV a, TV b); \
    void tcg_gen_sar_##T(TV d, TV a, TV b); \
    void tcg_gen_rotl_##T(TV d, TV a, TV b); \
    void tcg_gen_rotr_##T(TV d, TV a, TV b); \
    void tcg_gen_addi_##T(TV d, TV a, IMM b); \
    void tcg_gen_subi_##T(TV d, TV a, IMM b); \
    void tcg_gen_muli_##T(TV d, TV a, IMM b); \
    void tcg_gen_andi_##T(TV d, TV a, IMM b); \
    void tcg_gen_ori_##T(TV d, TV a, IMM b); \
    void tcg_gen_xori_##T(TV d, TV a, IMM b); \
    void tcg_gen_shli_##T(TV d, TV a, unsigned b); \
    void tcg_gen_shri_##T(TV d, TV a, unsigned b); \
    void tcg_gen_sari_##T(TV d, TV a, unsigned b); \
    void tcg_gen_rotli_##T(TV d, TV a, unsigned b); \
    void tcg_gen_rotri_##T(TV d, TV a, unsigned b); \
    void tcg_gen_ext8s_##T(TV d, TV a); \
    void tcg_gen_ext8u_##T(TV d, TV a); \
    void tcg_gen_ext16s_##T(TV d, TV a); \
    void tcg_gen_ext16u_##T(TV d, TV a); \
    void tcg_gen_bswap16_##T(TV d, TV a); \
    void tcg_gen_bswap32_##T(TV d, TV a); \
    void tcg_gen_clz_##T(TV d, TV a, TV zero_val); \
    void tcg_gen_ctz_##T(TV d, TV a, TV zero_val); \
    void tcg_gen_clzi_##T(TV d, TV a, IMM zero_val); \
    void tcg_gen_ctzi_##T(TV d, TV a, IMM zero_val); \
    void tcg_gen_ctpop_##T(TV d, TV a); \
    void tcg_gen_setcond_##T(TCGCond c, TV d, TV a, TV b); \
    void tcg_gen_setcondi_##T(TCGCond c, TV d, TV a, IMM b); \
    void tcg_gen_negsetcond_##T(TCGCond c, TV d, TV a, TV b); \
    void tcg_gen_movcond_##T(TCGCond c, TV d, TV c1, TV c2, TV v1, TV v2); \
    void tcg_gen_brcond_##T(TCGCond c, TV a, TV b, TCGLabel *l); \
    void tcg_gen_brcondi_##T(TCGCond c, TV a, IMM b, TCGLabel *l); \
    void tcg_gen_deposit_##T(TV d, TV a, TV b, unsigned pos, unsigned len); \
    void tcg_gen_extract_##T(TV d, TV a, unsigned pos, unsigned len); \
    void tcg_gen_sextract_##T(TV d, TV a, unsigned pos, unsigned len); \
    void tcg_gen_add2_##T(TV rl, TV rh, TV al, TV ah, TV bl, TV bh); \
    void tcg_gen_sub2_##T(TV rl, TV rh, TV al, TV ah, TV bl, TV bh); \
    void tcg_gen_mulu2_##T(TV rl, TV rh, TV a, TV b); \
    void tcg_gen_muls2_##T(TV rl, TV rh, TV a, TV b); \
    void tcg_gen_ld8u_##T(TV d, TCGv_ptr base, intptr_t ofs); \
    void tcg_gen_ld8s_##T(TV d, TCGv_ptr base, intptr_t ofs); \
    void tcg_gen_ld16u_##T(TV d, TCGv_ptr base, intptr_t ofs); \
    void tcg_gen_ld16s_##T(TV d, TCGv_ptr base, intptr_t ofs); \
    void tcg_gen_ld_##T(TV d, TCGv_ptr base, intptr_t ofs); \
    void tcg_gen_st8_##T(TV v, TCGv_ptr base, intptr_t ofs); \
    void tcg_gen_st16_##T(TV v, TCGv_ptr base, intptr_t ofs); \
    void tcg_gen_st_##T(TV v, TCGv_ptr base, intptr_t ofs); \
    void tcg_gen_qemu_ld_##T(TV v, TCGTemp *addr, unsigned mmu_idx, MemOp mop); \
    void tcg_gen_qemu_st_##T(TV v, TCGTemp *addr, unsigned mmu_idx, MemOp mop); \
    void tcg_gen_discard_##T(TV v); \
    TCG_GEN_ATOMIC_DECLS(T, TV)

/* Atomic read-modify-write on guest memory (same address and MemOp rules as qemu_ld/st;
 * the access needs write permission and faults like a store). cmpxchg: if the memory
 * value equals cmpv's low size bits, store newv; oldv = the memory value before.
 * fetch_OP returns the old value, OP_fetch the new one. */
#define TCG_GEN_ATOMIC_DECLS(T, TV) \
    void tcg_gen_atomic_cmpxchg_##T(TV oldv, TCGTemp *addr, TV cmpv, TV newv, \
                                    unsigned mmu_idx, MemOp mop); \
    void tcg_gen_atomic_rmw_##T(TCGAtomicOp aop, TV ret, TCGTemp *addr, TV val, \
                                unsigned mmu_idx, MemOp mop); \
    void tcg_gen_atomic_xchg_##T(TV ret, TCGTemp *addr, TV val, unsigned mmu_idx, MemOp mop); \
    TCG_GEN_ATOMIC_FETCH(T, TV, add) TCG_GEN_ATOMIC_FETCH(T, TV, and) \
    TCG_GEN_ATOMIC_FETCH(T, TV, or) TCG_GEN_ATOMIC_FETCH(T, TV, xor) \
    TCG_GEN_ATOMIC_FETCH(T, TV, smin) TCG_GEN_ATOMIC_FETCH(T, TV, smax) \
    TCG_GEN_ATOMIC_FETCH(T, TV, umin) TCG_GEN_ATOMIC_FETCH(T, TV, umax)
#define TCG_GEN_ATOMIC_FETCH(T, TV, OP) \
    void tcg_gen_atomic_fetch_##OP##_##T(TV ret, TCGTemp *addr, TV val, unsigned mmu_idx, \
                                         MemOp mop); \
    void tcg_gen_atomic_##OP##_fetch_##T(TV ret, TCGTemp *addr, TV val, unsigned mmu_idx, \
                                         MemOp mop);

TCG_GEN_DECLS(i32, TCGv_i32, uint32_t)
TCG_GEN_DECLS(i64, TCGv_i64, uint64_t)

void tcg_gen_ext32s_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_ext32u_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_bswap64_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_ld32u_i64(TCGv_i64 d, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld32s_i64(TCGv_i64 d, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st32_i64(TCGv_i64 v, TCGv_ptr base, intptr_t ofs);
void tcg_gen_extrl_i64_i32(TCGv_i32 d, TCGv_i64 a);
void tcg_gen_extrh_i64_i32(TCGv_i32 d, TCGv_i64 a);
void tcg_gen_extu_i32_i64(TCGv_i64 d, TCGv_i32 a);
void tcg_gen_ext_i32_i64(TCGv_i64 d, TCGv_i32 a);
/* 128-bit compare-and-swap (x86 CMPXCHG16B, ARM CASP): mop is MO_64 | byte order |
 * alignment (the 16-byte access's; MO_ALIGN means 16). (oldhi:oldlo) receives the
 * memory value; (newhi:newlo) is stored if it equals (cmphi:cmplo). */
void tcg_gen_atomic_cmpxchg128(TCGv_i64 oldlo, TCGv_i64 oldhi, TCGTemp *addr,
                               TCGv_i64 cmplo, TCGv_i64 cmphi, TCGv_i64 newlo,
                               TCGv_i64 newhi, unsigned mmu_idx, MemOp mop);
/* d = hi:lo; and the reverse split. */
void tcg_gen_concat_i32_i64(TCGv_i64 d, TCGv_i32 lo, TCGv_i32 hi);
void tcg_gen_extr_i64_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i64 a);
/* Pointer arithmetic (pointers are i64). */
void tcg_gen_mov_ptr(TCGv_ptr d, TCGv_ptr a);
void tcg_gen_ld_ptr(TCGv_ptr d, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st_ptr(TCGv_ptr v, TCGv_ptr base, intptr_t ofs);
void tcg_gen_addi_ptr(TCGv_ptr d, TCGv_ptr a, intptr_t imm);

/* Control */
void tcg_gen_insn_start(uint64_t w0, uint64_t w1, uint64_t w2);
/* The last insn_start emitted (NULL if none), and a way to change one of its words once
 * the instruction is decoded (e.g. ARM's exception syndrome). */
TCGOp *tcg_last_insn_start(void);
void tcg_set_insn_start_param(TCGOp *op, int word, uint64_t value);
void tcg_gen_mb(unsigned bar);
void tcg_gen_goto_tb(unsigned n);           /* n = 0 or 1; at most once each per TB */
void tcg_gen_exit_tb(uintptr_t val);        /* returns val to the runtime */
void tcg_gen_lookup_and_goto_ptr(void);
/* Jumps to the host code of a TB (its tc_ptr: the runtime's inline jump-cache probe),
 * leaving the TB like lookup_and_goto_ptr (globals synced). */
void tcg_gen_goto_ptr(TCGv_ptr code);
/* Calls info->func with args (info->nb_args temps, types as declared); ret is NULL for a
 * void helper, else a temp of info->ret_type. */
void tcg_gen_callN(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp **args);

/* ------------------------------------------------------------------------------------
 * Middle end
 * ---------------------------------------------------------------------------------- */
void tcg_optimize(TCGContext *s);
/* Fills TCGOp.life and removes ops whose results are never used (including writes to
 * globals overwritten before any sync point). */
void tcg_liveness(TCGContext *s);
/* Reference semantics of the computational ops (no loads, stores, calls, branches):
 * computes the outputs of opc from input values in[] (at least 6 entries; i32 values
 * zero-extended) and its constant args; returns the number of outputs (1 or 2), or -1
 * if opc is not computational. Results left undefined by the IR get fixed values. */
int tcg_eval_op(TCGOpcode opc, const uint64_t *in, const TCGArg *cargs, uint64_t *out);
/* True if the IR leaves the result undefined for these inputs (div/rem by zero,
 * INT_MIN / -1). */
bool tcg_op_is_undefined(TCGOpcode opc, const uint64_t *in);
/* Inserts a new op right after position pos; returns it (args zeroed). */
TCGOp *tcg_op_insert_after(TCGContext *s, int pos, TCGOpcode opc);
/* Removes nop ops from the list. */
void tcg_compact_ops(TCGContext *s);
/* Prints the op list, one op per line ("-d op" format). */
void tcg_dump_ops(TCGContext *s, FILE *out, bool with_life);
/* Formats one op into buf; returns buf. */
char *tcg_format_op(TCGContext *s, const TCGOp *op, char *buf, size_t size);
const char *tcg_temp_name(TCGContext *s, const TCGTemp *t, char *buf, size_t size);

/* ------------------------------------------------------------------------------------
 * Back ends
 * ---------------------------------------------------------------------------------- */
/* Run-time services the back ends call: provided by accel/tcg (the soft MMU and the TB
 * lookup), or by a test harness. All take env, the CPU-state pointer. retaddr is the
 * host code position of the access (see TCG_GETPC) so that a fault can be unwound to the
 * exact guest instruction. */
typedef struct TCGRuntimeHooks {
    /* Guest load: returns the value sized, byte-ordered and sign/zero-extended per mop
     * (to 64 bits); checks alignment; may raise a guest exception (does not return). */
    uint64_t (*load)(void *env, uint64_t addr, MemOp mop, unsigned mmu_idx, uintptr_t retaddr);
    void (*store)(void *env, uint64_t addr, uint64_t val, MemOp mop, unsigned mmu_idx,
                  uintptr_t retaddr);
    /* Atomic read-modify-write (atomic_rmw, atomic_cmpxchg): oi = tcg_atomic_oi(aop,
     * mop, mmu_idx); cmp is used by TCG_ATOMIC_CMPXCHG only (val is then the new value).
     * Returns the op's result; faults like a store. */
    uint64_t (*atomic)(void *env, uint64_t addr, uint64_t val, uint64_t cmp, uint32_t oi,
                       uintptr_t retaddr);
    /* atomic_cmpxchg128: io as tcg_atomic_host_cmpxchg128; oi's aop is CMPXCHG. */
    void (*cmpxchg128)(void *env, uint64_t addr, uint64_t *io, uint32_t oi,
                       uintptr_t retaddr);
    /* For lookup_and_goto_ptr: host code (rx) of the TB for the current CPU state, or
     * NULL to return to the CPU loop (exit value 0). */
    const void *(*lookup_tb_ptr)(void *env);
} TCGRuntimeHooks;

/* Registry of the hooks (set once before the first TB runs). Read inline: every slow
 * path of a guest load or store goes through it. */
void tcg_set_runtime_hooks(const TCGRuntimeHooks *hooks);
extern const TCGRuntimeHooks *tcg_runtime_hooks_current;
static inline const TCGRuntimeHooks *tcg_runtime_hooks(void)
{
    return tcg_runtime_hooks_current;
}

/* The interpreter sets this (thread-local) to its current code position while it calls a
 * helper or a hook; native code leaves it 0. Helpers read their unwind position with
 * TCG_GETPC() (only in the helper called directly from translated code). After unwinding
 * out of translated code (siglongjmp), the runtime clears it with tcg_clear_retaddr(). */
extern __thread uintptr_t tcg_interp_retaddr;
#define TCG_GETPC() (tcg_interp_retaddr ? tcg_interp_retaddr \
                                        : (uintptr_t)__builtin_return_address(0))
static inline void tcg_clear_retaddr(void) { tcg_interp_retaddr = 0; }

typedef struct TCGBackend {
    const char *name;                   /* "x86_64", "interp" */
    /* Optional per-context set-up / tear-down (s->backend_data). */
    int (*context_init)(TCGContext *s);
    void (*context_destroy)(TCGContext *s);
    /* Generates code for the optimized op list of s into buf_rw (size bytes), which will
     * execute at buf_rx. Fills s->gen_insn_end_off/gen_insn_data/nb_insns and the
     * tb_jmp_* tables. Returns the code size, -1 if the buffer is too small (the runtime
     * flushes the cache and retries), -2 if an op cannot be generated. */
    long (*gen_code)(TCGContext *s, void *buf_rw, const void *buf_rx, size_t size);
    /* Runs translated code starting at tb_rx with env; returns the value of the exit_tb
     * that ended execution (0 from an unsuccessful lookup_and_goto_ptr). */
    uintptr_t (*exec)(void *env, const void *tb_rx);
    /* Patches jump slot jmp_rx (= TB start + tb_jmp_insn_offset[n]) to continue at
     * target_rx; the slot is writable at jmp_rx + rw_delta. Atomic w.r.t. running code. */
    void (*set_jmp_target)(uintptr_t jmp_rx, ptrdiff_t rw_delta, uintptr_t target_rx);
    /* Optional: disassembles host code for "-d out_asm". */
    void (*disas)(FILE *out, const void *code, size_t size);
} TCGBackend;

/* The interpreter is always present; other back ends register from a constructor
 * (registering twice is harmless). */
extern const TCGBackend tcg_backend_interp;
void tcg_backend_register(const TCGBackend *be);
/* NULL name: the default (x86_64 if registered, else interp). NULL if not found. */
const TCGBackend *tcg_backend_find(const char *name);
int tcg_backend_count(void);
const TCGBackend *tcg_backend_get(int i);   /* 0 <= i < tcg_backend_count() */
void tcg_backend_print_list(FILE *out);

/* The whole middle end and back end on the current TB: dump (LOG_OP), optimize,
 * liveness, dump (LOG_OP_OPT), then be->gen_code. Returns gen_code's result, or
 * TCG_GEN_TOO_BIG without generating anything if the TB went past a limit (s->overflow):
 * translate it again with fewer guest instructions. */
#define TCG_GEN_TOO_BIG (-3)
long tcg_gen_code(TCGContext *s, const TCGBackend *be, void *buf_rw, const void *buf_rx,
                  size_t size);

/* Guest position of a host code position inside a TB: the index of the guest instruction
 * whose code contains host offset (retaddr - tb_rx - 1), from the tables a back end
 * filled; -1 if outside. (The runtime keeps its own encoded copy per TB and applies the
 * same rule: the first i with offset < end_off[i].) */
int tcg_search_insn(const uint32_t *end_off, int nb_insns, uintptr_t tb_rx, uintptr_t retaddr);

/* The compact insn-start map (tcg/insn-map.c) that tcg_gen_code writes right after a TB's
 * code, at s->insn_map_off (its result counts code and map): encode (buf NULL: just the
 * size), find the instruction of a host position with the same rule as tcg_search_insn
 * (its words in data[TCG_MAX_INSN_START_WORDS]; -1 if outside), or get instruction i. */
size_t tcg_insn_map_encode(const TCGContext *s, uint8_t *buf);
int tcg_insn_map_find(const uint8_t *map, int nb_insns, uintptr_t tb_rx, uintptr_t retaddr,
                      uint64_t *data);
bool tcg_insn_map_get(const uint8_t *map, int nb_insns, int index, uint64_t *data);

#endif
