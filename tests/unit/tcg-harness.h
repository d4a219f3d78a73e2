/* Test harness for IR programs: builds a translation context with test globals, compiles
 * the current op list with any back end and runs it against a test CPU state whose guest
 * memory is a flat array (plus an MMIO window), so that back ends can be compared op by
 * op against each other and against C reference computations. See docs/tcg.md. */
#ifndef TESTS_UNIT_TCG_HARNESS_H
#define TESTS_UNIT_TCG_HARNESS_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include "system/cpu.h"
#include "tcg/code-buffer.h"
#include "tcg/tcg.h"

#define HARNESS_NREGS 16
#define HARNESS_MEM_SIZE 65536
#define HARNESS_MMIO_BASE 0x10000000ull      /* [base, base + 4096): a logging device */
#define HARNESS_MMIO_SIZE 4096

/* The CPU state seen by test programs (env). It starts with a CPUState so that back ends
 * that find the soft TLB through env->tlb_fast work; the harness's TLB is all invalid
 * (every guest access takes the slow path into the harness hooks) unless
 * Harness.tlb_hit_ram is set. */
typedef struct HarnessEnv {
    CPUState cpu;
    uint64_t x[HARNESS_NREGS];      /* i64 globals "x0".."x15" */
    uint32_t w[HARNESS_NREGS];      /* i32 globals "w0".."w15" */
    uint64_t pc;                    /* i64 global "pc" */
    uint8_t scratch[256];           /* free area for the host ld/st ops */
    /* guest memory at guest addresses [0, size), 16-byte aligned for cmpxchg128 */
    uint8_t mem[HARNESS_MEM_SIZE] __attribute__((aligned(16)));
    /* counters and records of the hooks */
    unsigned loads, stores, mmio_loads, mmio_stores, faults, lookups, atomics;
    uint64_t last_addr, last_mmio_val;
    unsigned last_mmu_idx;
    MemOp last_memop;
    uintptr_t fault_retaddr;        /* retaddr given to the faulting hook or helper */
    jmp_buf *fault_jmp;             /* where a guest fault unwinds to (NULL: test fails) */
    const void *lookup_result;      /* what lookup_and_goto_ptr finds */
} HarnessEnv;

typedef struct Harness {
    TCGContext *ctx;
    TCGCodeBuffer code;
    TCGv_i64 x[HARNESS_NREGS];
    TCGv_i32 w[HARNESS_NREGS];
    TCGv_i64 pc;
    void *tlb;                      /* the tables env->cpu.tlb_fast points to */
    /* When set, harness_exec maps guest RAM [0, HARNESS_MEM_SIZE) in the TLB for every
     * MMU index (so a native back end's inline fast path hits; the hooks then see only
     * misses such as MMIO, faults and page-crossing accesses); else the TLB is all
     * invalid and every access reaches the hooks. */
    bool tlb_hit_ram;
    /* snapshot of the program being tested (harness_save) */
    TCGOp *saved_ops;
    int saved_nb_ops, saved_nb_temps, saved_nb_labels;
    TCGTemp *saved_temps;
    TCGLabel *saved_labels;
    /* tables of the last compilation */
    const void *last_tb;
    int nb_insns;
    uint32_t insn_end_off[TCG_MAX_INSNS];
    uint64_t insn_data[TCG_MAX_INSNS][TCG_MAX_INSN_START_WORDS];
    uint32_t jmp_insn_offset[2], jmp_reset_offset[2];
} Harness;

Harness *harness_new(void);
void harness_free(Harness *h);
/* Starts a new program (tcg_func_start on the harness context). */
void harness_begin(Harness *h);
/* Snapshots the op list built since harness_begin so it can be compiled many times. */
void harness_save(Harness *h);
/* Restores the snapshot and compiles it with be (optimized or not) after the code already
 * in the buffer; returns the TB's start (rx) or NULL on failure. */
const void *harness_compile(Harness *h, const TCGBackend *be, bool optimize);
/* Empties the code buffer. */
void harness_flush(Harness *h);
/* Prepares env (zeroed, CPU state pointing to the invalid TLB). */
void harness_env_init(Harness *h, HarnessEnv *env);
uintptr_t harness_exec(Harness *h, const TCGBackend *be, const void *tb, HarnessEnv *env);
/* Patches goto_tb slot n of tb (compiled last) to jump to target. */
void harness_chain(Harness *h, const TCGBackend *be, const void *tb, int n, const void *target);
/* Guest instruction index (insn_start order) of a host position in the last compiled TB. */
int harness_insn_of(Harness *h, uintptr_t retaddr);

/* Back ends to compare: every registered one (interp first). */
int harness_nb_backends(void);
const TCGBackend *harness_backend(int i);

/* Deterministic random numbers (xorshift64*), biased towards boundary values. */
typedef struct HarnessRng {
    uint64_t s;
} HarnessRng;
void harness_rng_init(HarnessRng *r, uint64_t seed);
uint64_t harness_rand(HarnessRng *r);
/* A random value with boundary values (0, 1, -1, sign bits, small shifts) in 1 of 4. */
uint64_t harness_rand_interesting(HarnessRng *r);
/* Number of random cases per op: 10000, or 200000 with MIMIC_LONG_TESTS=1. */
unsigned harness_nb_cases(void);

/* Raises a guest fault from a helper: unwinds to env->fault_jmp, recording retaddr. */
void harness_raise(HarnessEnv *env, uintptr_t retaddr) __attribute__((noreturn));

#endif
