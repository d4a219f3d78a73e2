/* Private state of the x86-64 host back end: register allocator, relocations and the
 * out-of-line slow paths of one TB being generated. See docs/tcg.md "x86-64 back end". */
#ifndef TCG_X86_64_BACKEND_X86_H
#define TCG_X86_64_BACKEND_X86_H

#include "tcg/tcg.h"
#include "tcg/tcg-internal.h"
#include "tcg/x86_64/seq-x86.h"

/* Where a temp's value is, during code generation. */
typedef struct X86TempLoc {
    int8_t reg;         /* host register holding the value, or -1 */
    bool in_mem;        /* the temp's memory slot holds the current value */
    bool listed;        /* an EBB temp in X86Gen.ebb_in_mem */
    int8_t pending;     /* a global whose value is a constant not stored yet: its index
                         * in X86Gen.pending, else -1 */
} X86TempLoc;

/* A rel32 displacement to fill with the offset of a label. */
typedef struct X86Reloc {
    uint32_t at;
    uint32_t label;
} X86Reloc;

/* Globals whose register copy is newer than memory at a guest access: its TLB-miss path
 * stores them before calling C (which may raise a guest fault), the hit path does not
 * (at most one per host register). Also the globals and TB temps a conditional branch
 * stores on its taken edge only. Pending constants (X86_MAX_PENDING at most, with the
 * pending copies) have reg X86_NOREG and their value in imm. */
#define X86_MAX_PENDING 4
typedef struct X86DirtyGlobals {
    uint8_t n;
    int8_t reg[16 + X86_MAX_PENDING];
    int32_t imm[16 + X86_MAX_PENDING];
    int8_t base[16 + X86_MAX_PENDING];     /* env, or rsp for a TB temp's frame slot */
    uint8_t size[16 + X86_MAX_PENDING];
    int32_t disp[16 + X86_MAX_PENDING];
} X86DirtyGlobals;

/* A global set to a constant or to a copy of a temp held in a register, whose store waits
 * for the next sync point, branch edge or guest-access miss, or for that register to
 * change (docs/tcg.md "Register allocation"): a later write in the block makes the
 * store unnecessary (x86 cc_op, cc_src, cc_src2 in every copy of a loop). */
typedef struct X86Pending {
    int16_t temp;
    int8_t reg;         /* the copied temp's register, or X86_NOREG: */
    int32_t val;        /* the constant, stored sign-extended for an i64 global */
} X86Pending;

/* The taken edge of a conditional branch with values to store first: the branch jumps
 * to an out-of-line stub that stores them and jumps to the label. */
typedef struct X86EdgeStub {
    uint32_t jump;      /* rel32 of the branch */
    uint32_t label;
    X86DirtyGlobals dirty;
} X86EdgeStub;

/* The out-of-line part of a guest load, store or atomic operation. */

typedef struct X86SlowPath {
    bool is_store;      /* compare with addr_write (stores and atomics) */
    bool is_atomic;     /* calls hooks->atomic(env, addr, val_reg, cmp_reg, oi, ra) */
    X86Reg val_reg, cmp_reg;    /* atomics: operands (cmp_reg X86_NOREG: 0) */
    uint32_t oi;                /* atomics: tcg_atomic_oi() */
    bool addr64;        /* guest address is an i64 temp */
    bool data64;        /* the op is the _i64 form */
    MemOp mop;
    unsigned mmu_idx;
    X86Reg addr_reg, data_reg;
    uint32_t jumps[2];  /* rel32 displacements of the branches to the slow path */
    uint32_t done;      /* where the slow path returns */
    uint16_t save_mask; /* caller-saved registers holding live values */
    X86DirtyGlobals dirty;  /* stored first on the slow path (loads and stores) */
    bool reuse_invalidate;  /* the miss path marks the reuse slots invalid */
    bool reuse_check;       /* a load checked against the reuse slots: */
    uint32_t reuse_jump;    /* rel32 of its jump to the full lookup (out of line) */
    uint32_t reuse_access;  /* where that lookup returns: the access through the slots */
    bool entry_update;      /* the lookup saves its TLB entry in the entry slot */
    bool entry_invalidate;  /* the miss path points the entry slot at a dead entry */
    bool entry_check;       /* checked against the entry slot (reuse_jump/access too) */
} X86SlowPath;

/* reg_temp[] values besides a temp index. */
#define X86_REG_FREE (-1)
#define X86_REG_OP_SCRATCH (-2)   /* holds a constant or copy for the current op only */

/* What a label knows of the registers on its incoming branches (labels-x86.c). */
typedef struct X86LabelRegs {
    uint8_t state;
    int16_t reg_temp[16];
} X86LabelRegs;

typedef struct X86Gen {
    TCGContext *s;
    X86Asm a;
    const uint8_t *code_rx;         /* where a.buf will run */
    X86Features feat;
    int16_t *ebb_in_mem;            /* EBB temps whose slot holds their value (nb_temps) */
    int nb_ebb_in_mem;
    int16_t reg_temp[16];
    X86Pending pending[X86_MAX_PENDING];
    int nb_pending;
    uint16_t locked;                /* registers the current op must not lose */
    uint16_t scratch_regs;          /* includes every X86_REG_OP_SCRATCH register (set
                                     * with it), so that the op's end frees only them */
    X86Reloc *relocs;
    int nb_relocs, cap_relocs;
    X86SlowPath *slow;
    int nb_slow, cap_slow;
    X86EdgeStub *edges;
    int nb_edges, cap_edges;
    bool unsupported;               /* an op could not be generated */
    X86LabelRegs *label_regs;       /* per label of the TB */
    bool unreachable;               /* the previous op never falls through */
    const TCGOp *next_op;           /* the op after the current one, or NULL */
    const TCGOp *cur_op;            /* the op being generated */
    bool op_emitted;                /* its code is out (its outputs are being set) */
    int zext_temp;                  /* temp this op leaves zero-extended from 32 bits
                                     * for the ext32u that follows it, or -1 */
    int zext_prev;                  /* zext_temp of the previous op */
    bool reuse_live;                /* the reuse slots were written (verified page or
                                     * invalid) on every path since the last reset */
    int reuse_key;                  /* the global the slots' load addresses derive from */
    unsigned reuse_mmu;             /* and their MMU index */
    bool entry_live;                /* the same for the entry slot (stores, loads from */
    int entry_key;                  /* 64-bit addresses): written on every path, the */
    unsigned entry_mmu;             /* global and MMU index of its accesses */
    int32_t fused_ld_disp;          /* >= 0: the previous op was a 32-bit load from env +
                                     * this offset, left to the brcond on 0 after it */
    X86TempLoc loc[TCG_MAX_TEMPS];  /* last: only the TB's temps are initialised (by
                                     * x86_ra_begin_tb), the rest is not even zeroed */
} X86Gen;

/* The generator state and its arrays live in the context's work memory (tcg_scratch),
 * kept across TBs: no malloc and free per TB. */
enum {
    X86_SCRATCH_GEN = TCG_SCRATCH_BACKEND0,     /* the X86Gen */
    X86_SCRATCH_EBB = TCG_SCRATCH_BACKEND1,     /* ebb_in_mem */
    X86_SCRATCH_RELOCS = TCG_SCRATCH_BACKEND2,
    X86_SCRATCH_SLOW = TCG_SCRATCH_BACKEND3,
    X86_SCRATCH_EDGES = TCG_SCRATCH_BACKEND4,
    X86_SCRATCH_LABELS = TCG_SCRATCH_BACKEND5,  /* label_regs */
    X86_SCRATCH_SEEN = TCG_SCRATCH_BACKEND6,    /* x86_labels_begin's labels seen */
};

/* Per-context options (TCGContext.backend_data, created by context_init; without it the
 * back end uses the host's detected features). */
typedef struct X86BackendOptions {
    X86Features feat;       /* tests turn features off to exercise the fallbacks */
} X86BackendOptions;

#define X86_REG_BIT(r) (1u << (r))
/* Registers the allocator hands out; rsp, the env register and the scratch pair never. */
#define X86_ALLOCATABLE_MASK 0xf3cfu
/* SysV caller-saved registers among them. */
#define X86_CALLER_SAVED_MASK 0x03c7u

/* Register allocator (regalloc.c). */
void x86_ra_begin_tb(X86Gen *g);
void x86_ra_temp_store(X86Gen *g, TCGTemp *t);
X86Reg x86_ra_alloc(X86Gen *g, uint16_t avoid);
int x86_ra_free_count(const X86Gen *g);
X86Reg x86_ra_in_reg(X86Gen *g, TCGTemp *t, uint16_t avoid);
void x86_ra_in_fixed(X86Gen *g, TCGTemp *t, X86Reg r);
void x86_ra_evict_reg(X86Gen *g, X86Reg r);
void x86_ra_free_reg(X86Gen *g, X86Reg r);
void x86_ra_reserve(X86Gen *g, X86Reg r);
void x86_ra_set_output(X86Gen *g, TCGTemp *t, X86Reg r);
void x86_ra_release_dead(X86Gen *g, TCGTemp *t);
void x86_ra_release_op_scratch(X86Gen *g);
void x86_ra_sync_globals(X86Gen *g, bool also_tb_temps);
void x86_ra_drop_globals(X86Gen *g);
void x86_ra_note_dirty_globals(X86Gen *g, X86DirtyGlobals *d, bool also_tb_temps);
void x86_emit_dirty_stores(X86Asm *a, const X86DirtyGlobals *d);
void x86_ra_bb_end(X86Gen *g);
void x86_ra_branch_fallthrough(X86Gen *g);
void x86_ra_evict_caller_saved(X86Gen *g, const int *dead, int ndead);
void x86_ra_discard(X86Gen *g, TCGTemp *t);
void x86_ra_temp_slot(const TCGTemp *t, X86Reg *base, int32_t *disp);
void x86_ra_set_output_in_memory(X86Gen *g, TCGTemp *t);
bool x86_ra_set_pending(X86Gen *g, TCGTemp *t, const TCGTemp *src);
void x86_ra_reg_changes(X86Gen *g, int r);
void x86_ra_load_value(X86Gen *g, TCGTemp *t, X86Reg r);
bool x86_temp_is_const(const TCGTemp *t);
bool x86_temp_fits_imm32(const TCGTemp *t, bool w64);

/* Register state across labels (labels-x86.c). */
void x86_labels_begin(X86Gen *g);
void x86_labels_end(X86Gen *g);
/* At a branch to label, with globals and TB temps synced. */
void x86_label_note_branch(X86Gen *g, unsigned label);
/* At set_label: keeps the registers every edge agrees on, drops the rest. */
void x86_label_enter(X86Gen *g, unsigned label);
/* The jcc of a conditional branch, storing dirty globals and TB temps on the taken edge
 * (in a stub emitted by x86_gen_edge_stubs after the TB's code). */
void x86_emit_cond_branch(X86Gen *g, X86Cond cc, unsigned label);
void x86_gen_edge_stubs(X86Gen *g);
/* A rel32 at `at` to fill with the label's offset (backend.c). */
void x86_add_reloc(X86Gen *g, size_t at, unsigned label);

/* Guest memory accesses (ldst.c). */
void x86_gen_qemu_ld(X86Gen *g, const TCGOp *op);
void x86_gen_qemu_st(X86Gen *g, const TCGOp *op);
void x86_gen_slow_paths(X86Gen *g);
void x86_reuse_note_op(X86Gen *g, const TCGOp *op);
X86SlowPath *x86_new_slow_path(X86Gen *g);
/* The inline soft-TLB probe: on a hit the host address is scratch0 + the returned index
 * register (X86_NOREG: scratch0 alone, always so with fold); misses jump to sp's slow
 * path. With force_slow every access takes the slow path. */
X86Reg x86_emit_tlb_lookup(X86Gen *g, X86SlowPath *sp, X86Reg ra, bool force_slow, bool fold);
/* Outputs, syncs and dead inputs of a guest memory op, then the op's scratch. */
void x86_finish_mem_op(X86Gen *g, const TCGOp *op, const X86Reg *out);
/* Caller-saved registers that hold values (except except), for a slow path to save. */
uint16_t x86_live_caller_saved(const X86Gen *g, X86Reg except);
void x86_save_regs(X86Gen *g, uint16_t mask, bool restore);

/* Guest atomics (atomic-x86.c). */
void x86_gen_atomic(X86Gen *g, const TCGOp *op);
void x86_gen_atomic_cmpxchg128(X86Gen *g, const TCGOp *op);
void x86_emit_atomic_slow_path(X86Gen *g, const X86SlowPath *sp, const TCGRuntimeHooks *hooks);

/* Code shared by all TBs (shared-x86.c), generated on first use. */
typedef struct X86Shared {
    const uint8_t *prologue;        /* uintptr_t entry(void *env, const void *tb) */
    const uint8_t *epilogue;        /* TB exits jump here with the exit value in rax */
    const uint8_t *thunk_ld[16];    /* load slow path, result in register r */
    const uint8_t *thunk_st;        /* store slow path */
} X86Shared;
const X86Shared *x86_shared(void);
/* Can a rel32 jump or call at the current position (or anywhere later in this TB)
 * reach target? */
bool x86_can_reach(const X86Gen *g, const void *target);
/* The out-of-line stub of a missed load or store, calling the shared thunk. */
void x86_emit_ldst_stub(X86Gen *g, const X86SlowPath *sp);

/* Helpers shared by the op emitters. */
void x86_gen_call_abs(X86Gen *g, const void *func);

#endif
