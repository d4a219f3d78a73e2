/* The translator runtime (accel/tcg/) as seen by guest targets: the hooks a target
 * provides (TCGTargetOps), translation blocks, the soft MMU and the CPU-loop exits.
 * Life of a TB, lock rules and limitations: docs/tcg.md (runtime sections). */
#ifndef ACCEL_TCG_H
#define ACCEL_TCG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "system/cpu.h"
#include "tcg/code-buffer.h"
#include "tcg/tcg.h"
#include "tcg/tlb.h"

/* Values of CPUState.exception_index at or above EXCP_INTERRUPT are the runtime's own
 * reasons to leave the CPU loop; smaller ones are guest exceptions given to
 * TCGTargetOps.do_interrupt. */
enum {
    EXCP_INTERRUPT = 0x10000,   /* exit request: leave the loop (nothing to deliver) */
    EXCP_HLT,                   /* the CPU halted (HLT, WFI): cpu->halted is set */
    EXCP_DEBUG,                 /* single step done */
    EXCP_HALTED,                /* the CPU was halted on entry and has no work */
};

/* Access types of tlb_fill and the soft MMU. */
typedef enum MMUAccessType {
    MMU_DATA_LOAD = 0,
    MMU_DATA_STORE = 1,
    MMU_INST_FETCH = 2,
} MMUAccessType;

/* Page protection given to tlb_set_page. */
enum {
    PAGE_READ = 1,
    PAGE_WRITE = 2,
    PAGE_EXEC = 4,
    PAGE_RWX = 7,
};

/* TranslationBlock.cflags */
enum {
    CF_COUNT_MASK = 0x1ff,      /* maximum guest instructions (0 = the default limit) */
    CF_SINGLE_STEP = 1u << 12,  /* debugger single step: one instruction, never chained */
    CF_NOCACHE = 1u << 13,      /* run once, never found again (re-execution after SMC) */
    CF_EXCLUSIVE = 1u << 14,    /* one instruction run with every other vCPU stopped */
};

/* Exit values of translated code (exit_tb): 0 = "look the next TB up from the CPU
 * state"; (uintptr_t)tb | n with n = 0/1 = "left through goto_tb slot n of tb" (the
 * runtime chains the slot); tb | TB_EXIT_REQUESTED = the entry check saw the exit flag
 * (the TB did not run). TranslationBlock structures are 8-byte aligned. */
enum {
    TB_EXIT_IDX0 = 0,
    TB_EXIT_IDX1 = 1,
    TB_EXIT_REQUESTED = 2,
    TB_EXIT_MASK = 3,
};

/* One translation block. The target reads pc, cs_base, flags, cflags and max_insns in
 * translate() and must set size (guest bytes covered, from pc) and icount. Everything
 * after the marked line belongs to the runtime. A TB lives in the code buffer, in front
 * of its host code and followed by its insn-start map: one allocation, freed by a flush. */
typedef struct TranslationBlock {
    /* The first 64 bytes (a TB starts on a cache line, accel/tcg/tb-region.c) hold what
     * the jump-cache probe and the hash-table walk read: key, validity, chain links and
     * the code pointer, so a lookup touches one line per TB. */
    uint64_t pc;                /* guest virtual PC of the first instruction */
    uint64_t cs_base;           /* target-defined (x86: CS base) */
    uint32_t flags;             /* target-defined translation state (mode bits) */
    uint32_t cflags;            /* CF_* */
    uint64_t phys_pc;           /* runtime-private: guest physical address of pc */
    _Atomic(struct TranslationBlock *) hash_next[2];   /* hash chains (accel/tcg/tb-hash.c) */
    const uint8_t *tc_ptr;      /* host code (rx view) */
    int nb_pages;               /* runtime-private, like the fields after the next block */
    bool invalid;               /* dropped from the cache: never entered or chained again */

    uint32_t size;              /* set by translate: guest code bytes [pc, pc + size) */
    uint32_t icount;            /* set by translate: guest instructions */
    /* Set by translate (all optional, 0 by default): the instruction whose state an exit
     * at the entry check leaves (TCGTargetOps.gen_entry_exit), the goto_tb slots after which the loop must run
     * the next TB before taking interrupts (bit n: slot n left state that the next TB's
     * first instruction recomputes, ARM's NZCV), and page offsets [extra_lo, extra_hi) of
     * the TB's first page whose writes invalidate it too (code it assumed things about). */
    uint8_t entry_check_insn;
    uint8_t dead_exit_slots;
    uint16_t extra_lo, extra_hi;

    /* ---- runtime-private ---- */
    uintptr_t page_host[2];     /* host addresses of the RAM pages holding the code (0: none) */
    uint64_t page_seq[2];       /* write count of each page when translation read it */
    bool page_busy[2];          /* translation in progress registered on the page */
    uint32_t tc_size;
    uint32_t jmp_insn_offset[2], jmp_reset_offset[2];
    bool has_jmp[2];
    struct TranslationBlock *jmp_dest[2];   /* TB that slot n is chained to, or NULL */
    uintptr_t jmp_list_head;    /* first (tb | n) slot chained to this TB, 0: none */
    uintptr_t jmp_list_next[2]; /* the next slot chained to the same TB as slot n */
    int nb_insns;               /* insn-start map: compact, after the code (tcg_insn_map_*) */
    const uint8_t *insn_map;
} __attribute__((aligned(8))) TranslationBlock;

/* Widens tb's invalidation span [extra_lo, extra_hi) to cover the page offsets [lo, hi)
 * of its first page (code the TB assumed things about). */
static inline void tb_extend_span(TranslationBlock *tb, unsigned lo, unsigned hi)
{
    if (tb->extra_hi > tb->extra_lo) {
        lo = lo < tb->extra_lo ? lo : tb->extra_lo;
        hi = hi > tb->extra_hi ? hi : tb->extra_hi;
    }
    tb->extra_lo = (uint16_t)lo;
    tb->extra_hi = (uint16_t)hi;
}

/* Goto_tb slot n of tb leaves state that the successor's first instruction, len bytes at
 * page offset dest_ofs of tb's first page, recomputes (ARM's NZCV, x86's lazy flags): the
 * successor's bytes join tb's invalidation span and the slot joins dead_exit_slots. */
static inline void tb_mark_dead_exit(TranslationBlock *tb, int n, unsigned dest_ofs, int len)
{
    tb_extend_span(tb, dest_ofs, dest_ofs + (unsigned)len);
    tb->dead_exit_slots |= (uint8_t)(1u << n);
}
/* Whether a chained exit of tb, the TB being translated (tcg_ctx's ops so far), may leave
 * state dead for its successor to recompute: not from single-step, run-once, exclusive
 * or count-limited TBs, nor while a debugger breakpoint is set anywhere (the successor
 * may then stop before its first instruction), nor after a helper call or atomic (which
 * may remap or rewrite the successor); after a guest store only when stores_ok (a store
 * that rewrites the successor invalidates tb, which then stops after it). */
bool tb_may_drop_state_at_exit(const TranslationBlock *tb, bool stores_ok);

/* The hooks of a guest target, pointed to by CPUClass.tcg_ops. All run on the vCPU's
 * thread, without the big lock. */
typedef struct TCGTargetOps {
    /* insn_start words per instruction (1..3; word 0 is the guest PC) and the guest
     * virtual address type (TCG_TYPE_I32 or TCG_TYPE_I64). */
    int insn_start_words;
    TCGType addr_type;
    /* Creates the IR globals in the current context (tcg_ctx), once per context. */
    void (*translate_init)(void);
    /* The TB lookup key from the CPU state: virtual PC, cs_base, mode flags (x86: CS
     * base, CPL/CS.D/SS.B/...; ARM: Thumb bit, IT state, privilege). */
    void (*get_tb_cpu_state)(CPUState *cpu, uint64_t *pc, uint64_t *cs_base, uint32_t *flags);
    /* Emits the IR of one TB starting at tb->pc (at most max_insns instructions; stop
     * when tcg_op_buf_full()), fetching code with translator_ld*(); sets tb->size and
     * tb->icount. Ends with goto_tb/exit_tb (tcg_rt_gen_chain_exit) or
     * lookup_and_goto_ptr. Use goto_tb only for destinations on a page the TB already
     * covers (a mapping change of another page does not invalidate the chain). */
    void (*translate)(CPUState *cpu, TranslationBlock *tb, int max_insns);
    /* Optional: emits the IR that runs when the TB's entry check sees an exit request,
     * before the TB returns to the loop; sets tb->entry_check_insn to the index of the
     * instruction whose insn_start words then describe the state (the instructions
     * before it must have been redone by that IR: ARM redoes a first instruction that
     * sets the flags a previous TB left to it). */
    void (*gen_entry_exit)(CPUState *cpu, TranslationBlock *tb);
    /* Restores the guest PC and lazily kept state from the insn_start words of the
     * instruction that faulted (data[0] = PC). Also called with the words of a TB's
     * first instruction when that TB was entered (maybe through a chained jump, which
     * skips the previous TB's PC update) but left at once for an exit request: words
     * that describe "unknown at translation time" state (x86 CC_OP_DYNAMIC) must leave
     * that state alone. */
    void (*restore_state_to_opc)(CPUState *cpu, const TranslationBlock *tb, const uint64_t *data);
    /* Page walk for vaddr: on success calls tlb_set_page() and returns true. On a guest
     * fault: returns false if probe, else sets cpu->exception_index (and the fault
     * registers) and calls cpu_loop_exit_restore(cpu, retaddr) (does not return). */
    bool (*tlb_fill)(CPUState *cpu, uint64_t vaddr, int size, MMUAccessType access_type,
                     int mmu_idx, bool probe, uintptr_t retaddr);
    /* Optional: an access violated its MemOp alignment (raise and do not return);
     * NULL: misaligned accesses are performed. */
    void (*do_unaligned_access)(CPUState *cpu, uint64_t vaddr, MMUAccessType access_type,
                                int mmu_idx, uintptr_t retaddr);
    /* Optional, for "-d in_asm": the util/disas.h DisasArch of the TB's code (x86: 16/32/64
     * from its flags; ARM: ARM or Thumb), or -1 to print nothing. */
    int (*disas_arch)(const TranslationBlock *tb);
    /* Optional, for "-d cpu,fpu": prints the FPU/vector registers after dump_state. */
    void (*dump_fpu)(CPUState *cpu, FILE *out);
    /* Optional: the MMU index for instruction fetch in the current state (NULL: 0). */
    int (*code_mmu_index)(CPUState *cpu);
    /* Takes a pending interrupt if the CPU accepts it now (interrupt_request bits):
     * either delivers it (changes PC etc.) and returns true, or sets
     * cpu->exception_index and returns true; false if masked. */
    bool (*cpu_exec_interrupt)(CPUState *cpu, unsigned interrupt_request);
    /* Delivers the pending guest exception cpu->exception_index (< EXCP_INTERRUPT). */
    void (*do_interrupt)(CPUState *cpu);
    /* Optional: the instruction that touched the CPU's own watchpoints (slots: bit i =
     * slot i of tcg_cpu_watch_set) has completed; the guest state is after it. Sets
     * cpu->exception_index for the guest's debug trap (delivered next). */
    void (*cpu_watch_hit)(CPUState *cpu, unsigned slots);
} TCGTargetOps;

/* ---- CPU-loop exits (call from helpers, tlb_fill, hooks) ------------------------- */

/* Unwinds to the CPU loop (siglongjmp). The guest state must be exact already. */
void cpu_loop_exit(CPUState *cpu) __attribute__((noreturn));
/* Restores the guest state of the instruction at host position retaddr (a helper's
 * TCG_GETPC() or the soft MMU's retaddr; 0 = not from translated code), then unwinds. */
void cpu_loop_exit_restore(CPUState *cpu, uintptr_t retaddr) __attribute__((noreturn));
/* Sets exception_index, restores from retaddr and unwinds (helpers raising a fault). */
void cpu_raise_exception(CPUState *cpu, int excp, uintptr_t retaddr) __attribute__((noreturn));
/* Restores guest state for host position retaddr; false if retaddr is not in a TB. */
bool cpu_restore_state(CPUState *cpu, uintptr_t retaddr);
/* Exclusive step, for an instruction that atomics cannot express: restores the state of
 * the instruction at retaddr (a helper's TCG_GETPC()) and unwinds; the CPU loop then
 * stops every other vCPU (they leave translated code and wait), translates that one
 * instruction again in a TB whose cflags have CF_EXCLUSIVE, runs it, and lets the others
 * go. Under CF_EXCLUSIVE the front end emits the plain (non-atomic) sequence; calling
 * this from such a TB is a front-end bug (abort). */
void cpu_loop_exit_atomic(CPUState *cpu, uintptr_t retaddr) __attribute__((noreturn));
/* HLT / WFI: marks the CPU halted with the PC already pointing after the instruction
 * and leaves the loop; the vCPU thread sleeps until cpu_has_work(). */
void cpu_halt_and_exit(CPUState *cpu) __attribute__((noreturn));

/* ---- code fetch for translate() -------------------------------------------------- */

/* Reads guest code at vaddr through the instruction TLB and records the pages the TB
 * covers (at most 2: end the TB at a page boundary except for an instruction that
 * straddles it). A fetch fault is raised with the TB's start as PC when it happens in
 * the TB's first instruction; in a later instruction (one straddling into an unmapped
 * page) the runtime instead translates the TB again ending before that instruction.
 * So: emit each instruction's insn_start BEFORE fetching its bytes. Values are
 * assembled little-endian (big-endian code: swap). */
uint8_t translator_ldub(CPUState *cpu, TranslationBlock *tb, uint64_t vaddr);
uint16_t translator_lduw(CPUState *cpu, TranslationBlock *tb, uint64_t vaddr);
uint32_t translator_ldl(CPUState *cpu, TranslationBlock *tb, uint64_t vaddr);
uint64_t translator_ldq(CPUState *cpu, TranslationBlock *tb, uint64_t vaddr);

/* ---- IR emitted for the runtime ------------------------------------------------- */

/* After goto_tb n and the ops that set the guest PC: exit_tb(tb | n). */
void tcg_rt_gen_chain_exit(const TranslationBlock *tb, unsigned n);
/* An indirect (or cross-page) jump of TB tb, after the ops that set the guest PC: jumps
 * to the TB of key (pc, cs_base, flags) when this vCPU's jump cache holds it (an inline
 * probe, no call), else like lookup_and_goto_ptr. The key must be exactly what
 * get_tb_cpu_state would return at this point. pc, cs_base and flags may be ordinary
 * temps (no label or branch may come between their computation and this call). */
void tcg_rt_gen_jump_dyn(const TranslationBlock *tb, TCGv_i64 pc, TCGv_i64 cs_base,
                         TCGv_i32 flags);
/* "This instruction needs an exclusive step": a call to cpu_loop_exit_atomic for the
 * current instruction (emit after its insn_start, when !(tb->cflags & CF_EXCLUSIVE);
 * end the TB after it). */
void tcg_rt_gen_exit_atomic(void);

/* ---- soft MMU ---------------------------------------------------------------------- */

/* Installs a translation: the page of vaddr maps to guest physical paddr with prot
 * (PAGE_*) in mmu_idx; size >= 4096 (a large page: flushing any page inside it flushes
 * the entries of that large page). Called by tlb_fill. */
void tlb_set_page(CPUState *cpu, uint64_t vaddr, hwaddr paddr, int prot, int mmu_idx,
                  uint64_t size);
void tlb_flush(CPUState *cpu);
void tlb_flush_page(CPUState *cpu, uint64_t vaddr);
/* Flushes the MMU indexes whose bit is set in idxmap. */
void tlb_flush_by_mmuidx(CPUState *cpu, uint16_t idxmap);
void tlb_flush_page_by_mmuidx(CPUState *cpu, uint64_t vaddr, uint16_t idxmap);

/* Flushes the TLBs of every vCPU (x86 TLB shootdown, ARM broadcast TLBI): the caller's
 * (src, may be NULL) at once; each other vCPU gets the same request (page and MMU
 * indexes; a queue of 16 pages per vCPU, beyond which it flushes those indexes whole)
 * and does it before it enters its next TB: asynchronous. */
void tlb_flush_all_cpus(CPUState *src);
void tlb_flush_page_all_cpus(CPUState *src, uint64_t vaddr);
void tlb_flush_by_mmuidx_all_cpus(CPUState *src, uint16_t idxmap);
void tlb_flush_page_by_mmuidx_all_cpus(CPUState *src, uint64_t vaddr, uint16_t idxmap);
/* Synchronous variants (ARM TLBI ...IS): called from a helper of src (the vCPU running on
 * this thread), they flush src at once and make it leave translated code at its next TB
 * entry; before it enters another TB, the other vCPUs are stopped (out of translated
 * code), flushed and let go. So src runs no instruction of a later TB before every vCPU
 * has flushed: END THE TB after the instruction that calls them. From any other thread
 * (or src not running) they are the asynchronous ones. */
void tlb_flush_all_cpus_synced(CPUState *src);
void tlb_flush_page_all_cpus_synced(CPUState *src, uint64_t vaddr);
void tlb_flush_by_mmuidx_all_cpus_synced(CPUState *src, uint16_t idxmap);
void tlb_flush_page_by_mmuidx_all_cpus_synced(CPUState *src, uint64_t vaddr, uint16_t idxmap);

/* Guest accesses from helpers (x86 string instructions, ARM ldm/stm helpers...), with
 * the helper's TCG_GETPC() as retaddr: same semantics as qemu_ld/qemu_st. */
uint64_t cpu_ld_mmu(CPUState *cpu, uint64_t vaddr, MemOp mop, int mmu_idx, uintptr_t retaddr);
void cpu_st_mmu(CPUState *cpu, uint64_t vaddr, uint64_t val, MemOp mop, int mmu_idx,
                uintptr_t retaddr);
/* Makes [addr, addr + size) accessible for access_type in mmu_idx before a helper
 * touches it (x86 string ops, FXSAVE, ARM LDM/STM), so that the instruction faults before
 * any side effect: fills the TLB through the page walk and, on a guest fault, raises it
 * precisely (tlb_fill with retaddr = the helper's TCG_GETPC(); does not return). Every
 * page of the range is probed in address order. Returns the host address of addr when
 * the range is inside one page of plain RAM for this access (for a store, the TBs
 * translated from those bytes are invalidated first, so the caller may write through
 * the pointer; a store into the running TB redoes the instruction alone); NULL for MMIO,
 * a store to ROM, or a range crossing a page: then use cpu_ld_mmu/cpu_st_mmu, which no
 * longer fault. size 0 checks only the page of addr. */
void *probe_access(CPUState *cpu, uint64_t addr, unsigned size, MMUAccessType access_type,
                   int mmu_idx, uintptr_t retaddr);
/* Host address of a RAM page for a probe (no fault: NULL if not mapped, not RAM, or
 * writes need the slow path). */
void *tlb_probe_host(CPUState *cpu, uint64_t vaddr, MMUAccessType access_type, int mmu_idx);

/* ---- the runtime as a whole (accelerator, tests) ------------------------------------ */

/* The "tcg" accelerator (also registered by name). */
const AccelOps *tcg_accel_ops_get(void);
/* Configures the translation cache: code buffer size in bytes and back end (NULL =
 * default). Drops every TB. Call before vcpu_init or with all vCPUs stopped. */
int tcg_runtime_configure(size_t code_size, const TCGBackend *be, Error **errp);
/* Per-vCPU set-up and tear-down (the accelerator's vcpu_init / vcpu_destroy). */
int tcg_vcpu_init(CPUState *cpu, Error **errp);
void tcg_vcpu_destroy(CPUState *cpu);
/* Runs the CPU until an exit reason: returns EXCP_INTERRUPT (exit request), EXCP_HLT,
 * EXCP_DEBUG or EXCP_HALTED. */
int tcg_cpu_exec(CPUState *cpu);
/* Makes a CPU running translated code return to its loop soon (any thread). */
void tcg_cpu_kick(CPUState *cpu);
/* Debugger single-step: each TB is one instruction and tcg_cpu_exec returns EXCP_DEBUG
 * after it. */
void tcg_cpu_set_single_step(CPUState *cpu, bool on);
/* Drops every TB (all vCPUs must be outside translated code, or only the caller's). */
void tb_flush(void);
/* Invalidates the TBs whose code lies in guest RAM host range [host, host + len). */
void tb_invalidate_host_range(const void *host, size_t len);

/* ---- debugger support (accel/tcg/debug.c; docs/gdbstub.md) --------------------------- */

/* Breakpoints and watchpoints of the debugger, for every vCPU. Change them only while
 * every vCPU is stopped. 0, or -1 (table full, no such point, bad range). */
enum { TCG_WP_READ = 1, TCG_WP_WRITE = 2, TCG_WP_ACCESS = 3 };
int tcg_breakpoint_insert(uint64_t pc);
int tcg_breakpoint_remove(uint64_t pc);
int tcg_watchpoint_insert(uint64_t addr, uint64_t len, int flags);
int tcg_watchpoint_remove(uint64_t addr, uint64_t len, int flags);
void tcg_debug_remove_all(void);
/* For the front end's TB loop, right after an instruction's insn_start: if the debugger
 * has a breakpoint at pc, emits the debug exit (the CPU stops before that instruction)
 * and returns true: end the TB there, counting one byte at pc in tb->size. */
bool tcg_rt_gen_breakpoint(CPUState *cpu, TranslationBlock *tb, uint64_t pc);
/* Is any debugger breakpoint set? */
bool tcg_breakpoints_any(void);

/* The guest CPU's own watchpoints (x86 DR0-3 data breakpoints), per vCPU, slot 0-3;
 * len 0 or flags 0 turns the slot off. Call on the vCPU's own thread (it flushes that
 * TLB). A hit is reported after the instruction completes, through
 * TCGTargetOps.cpu_watch_hit. */
void tcg_cpu_watch_set(CPUState *cpu, int slot, uint64_t addr, uint64_t len, int flags);
/* The slots the instruction running again alone has touched so far (0 otherwise): a
 * helper that loops over iterations (x86 REP strings) stops after the one that hit, so
 * the trap comes after that iteration. */
unsigned tcg_cpu_watch_pending(CPUState *cpu);

/* Why a vCPU left with EXCP_DEBUG and stopped the VM (valid until it resumes). */
enum { TCG_STOP_STEP = 0, TCG_STOP_BREAKPOINT = 1, TCG_STOP_WATCHPOINT = 2 };
typedef struct TCGDebugStop {
    int kind;
    uint64_t addr;              /* watchpoint: its address */
    int flags;                  /* watchpoint: TCG_WP_* */
} TCGDebugStop;
/* False if the vCPU did not stop for the debugger. */
bool tcg_cpu_debug_stop(CPUState *cpu, TCGDebugStop *out);
/* Forgets why the vCPU stopped, before the debugger resumes the VM (with every vCPU
 * stopped): a vCPU that does not get to run before the next stop (held, or slower than
 * the one hitting a breakpoint) must not report its old stop again. */
void tcg_cpu_clear_debug_stop(CPUState *cpu);

typedef struct TCGRuntimeStats {
    uint64_t tbs, tbs_total, code_used, code_size, flushes, translations, hash_buckets;
    uint64_t translate_ns;
    uint64_t jc_lookups, jc_hits, jc_misses, ht_lookups, ht_hits;
    uint64_t chained, unchained, invalidations, tlb_fills, tlb_flushes, slow_loads,
             slow_stores, mmio_accesses, exits_requested, exclusive_steps,
             tlb_flush_requests, tlb_page_flushes;
} TCGRuntimeStats;
void tcg_runtime_get_stats(TCGRuntimeStats *st);
/* "info jit" (per-vCPU counters summed). */
void tcg_runtime_print_info(FILE *out);

#endif
