/* The common CPU object: what the main loop, the monitor and the debugger see of a vCPU,
 * whatever the target and whatever the accelerator. Targets embed CPUState at the start
 * of their own CPU struct (X86CPU, ARMCPU) and fill a CPUClass. */
#ifndef SYSTEM_CPU_H
#define SYSTEM_CPU_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "system/memory.h"
#include "system/timer.h"
#include "util/error.h"

typedef struct CPUState CPUState;
typedef struct Machine Machine;
typedef struct AccelOps AccelOps;

/* Bits of CPUState.interrupt_request. */
enum {
    CPU_INTERRUPT_HARD = 1u << 0,   /* maskable interrupt line (x86 INTR, ARM IRQ) */
    CPU_INTERRUPT_FIQ = 1u << 1,    /* ARM FIQ */
    CPU_INTERRUPT_NMI = 1u << 2,
    CPU_INTERRUPT_INIT = 1u << 3,   /* x86 INIT IPI */
    CPU_INTERRUPT_SIPI = 1u << 4,   /* x86 startup IPI */
    CPU_INTERRUPT_SMI = 1u << 5,
    CPU_INTERRUPT_EXITTB = 1u << 6, /* leave translated code to re-check state */
};

/* A named register for the monitor ("info registers", "p $eax") and the debugger. */
typedef struct CPURegisterInfo {
    const char *name;
    unsigned bits;
} CPURegisterInfo;

typedef struct CPUClass {
    const char *arch;                       /* "i386", "x86_64", "arm" */
    const char *model;                      /* -cpu name: "qemu32", "qemu64", "cortex-a15" */
    const char *description;
    size_t instance_size;                   /* of the target's CPU struct */
    void (*init)(CPUState *cpu);            /* once, after allocation */
    void (*finalize)(CPUState *cpu);        /* before cpu_destroy frees it; may be NULL */
    void (*reset)(CPUState *cpu);           /* architectural reset values */
    void (*dump_state)(CPUState *cpu, FILE *out);
    const CPURegisterInfo *registers;       /* NULL-name terminated */
    int (*get_register)(CPUState *cpu, int index, uint64_t *value);
    int (*set_register)(CPUState *cpu, int index, uint64_t value);
    bool (*has_work)(CPUState *cpu);        /* a halted CPU has a pending interrupt to take */
    uint64_t (*get_pc)(CPUState *cpu);
    /* Guest-virtual to guest-physical for the monitor's "x" and the debugger; -1: unmapped. */
    int (*get_phys_addr)(CPUState *cpu, uint64_t vaddr, hwaddr *paddr);
    /* -cpu NAME,OPTIONS: applies OPTIONS to a new CPU (before its reset); NULL: the model
     * takes none. */
    int (*parse_options)(CPUState *cpu, const char *options, Error **errp);
    /* Target hooks for the accelerators; filled by target code when it exists. */
    const void *tcg_ops;
    const void *kvm_ops;
} CPUClass;

/* The soft TLB of one MMU index as translated code sees it (include/tcg/tlb.h). */
typedef struct CPUTLBDescFast {
    uintptr_t mask;                 /* (entries - 1) << TLB_ENTRY_BITS */
    void *table;                    /* CPUTLBEntry[entries] */
} CPUTLBDescFast;
#define CPU_TLB_NB_MMU_MODES 8

struct CPUState {
    /* Read by translated code at fixed small offsets from the CPU state (keep first):
     * the exit request checked at every TB entry, then the soft TLB per MMU index. */
    atomic_int tcg_exit_flag;
    CPUTLBDescFast tlb_fast[CPU_TLB_NB_MMU_MODES];
    const CPUClass *cls;
    Machine *machine;
    int index;                      /* 0-based; "CPU #index" */
    AddressSpace *as;               /* what the CPU's loads and stores reach */
    AddressSpace *io_as;            /* x86 port I/O, else NULL */

    /* thread and run control, guarded by the big lock unless atomic */
    pthread_t thread;
    atomic_uint halt_seq;           /* bumped to wake the thread from its sleep (cpus.c) */
    bool halt_sleeping;             /* the thread sleeps on halt_seq (run-control lock) */
    bool thread_created;
    bool stop;                      /* asked to pause */
    bool stopped;                   /* has paused */
    bool debug_hold;                /* stays stopped while the others run (gdb's vCont) */
    bool halted;                    /* HLT / WFI: waiting for an interrupt */
    bool unplugged;                 /* thread should exit */
    atomic_uint interrupt_request;
    atomic_int exit_request;        /* leave the accelerator's run loop soon */
    TimerOwner timer_owner;         /* its timers (LAPIC), run by its thread (cpus.c) */
    int exception_index;            /* pending guest exception, -1 none */

    void *accel_state;              /* the accelerator's per-vCPU data (TCG TLB, KVM run) */
    CPUState *next;
};

/* Registry of CPU models, filled by each target with cpu_class_register() from a
 * constructor. */
void cpu_class_register(const CPUClass *cls);
const CPUClass *cpu_class_find(const char *arch, const char *model);
void cpu_class_print_list(FILE *out, const char *arch);
/* Every model the binary of arch offers, in registration order. */
void cpu_class_foreach(const char *arch, void (*fn)(const CPUClass *cls, void *opaque),
                       void *opaque);
/* Host thread id of a CPU's vCPU thread, 0 before it runs (QMP query-cpus-fast). */
int cpus_thread_id(CPUState *cpu);
/* The binary's default model: the first one registered with exactly this arch (each
 * target registers its default first). */
const CPUClass *cpu_class_default(const char *arch);

/* Creates a CPU of cls (not yet running). */
CPUState *cpu_create(const CPUClass *cls, Machine *machine, int index, Error **errp);
void cpu_destroy(CPUState *cpu);
void cpu_reset(CPUState *cpu);

/* Interrupt lines: set or clear bits of interrupt_request and wake/kick the vCPU. */
void cpu_interrupt(CPUState *cpu, unsigned mask);
void cpu_reset_interrupt(CPUState *cpu, unsigned mask);
/* Makes the vCPU leave the accelerator's run loop soon (any thread). */
void cpu_exit(CPUState *cpu);
/* Would a halted CPU wake up: cls->has_work, or by default any pending interrupt line. */
bool cpu_has_work(CPUState *cpu);

/* Looks a register up by name (case-insensitive); -1 if there is none. */
int cpu_register_index(CPUState *cpu, const char *name);
/* Reads / writes a register by name; -1 if there is no such register. */
int cpu_get_register_by_name(CPUState *cpu, const char *name, uint64_t *value);
int cpu_set_register_by_name(CPUState *cpu, const char *name, uint64_t value);

/* The list of all CPUs of the machine. */
CPUState *cpu_first(void);
CPUState *cpu_next(CPUState *cpu);
CPUState *cpu_by_index(int index);

/* vCPU threads (system/cpus.c): one per CPU, running accel->vcpu_run while the VM runs. */
int cpus_start_threads(const AccelOps *accel, Error **errp);
void cpus_pause_all(void);       /* returns when every vCPU has stopped */
void cpus_resume_all(void);
void cpus_stop_threads(void);     /* at exit */
bool cpu_is_stopped(CPUState *cpu);
/* Keeps cpu stopped when the VM runs (the debugger resuming some vCPUs only). */
void cpus_set_debug_hold(CPUState *cpu, bool hold);
/* The CPU the calling thread runs, or NULL on the main thread. */
CPUState *current_cpu(void);

/* Accelerators: tcg and kvm register themselves; -accel NAME picks one. */
struct AccelOps {
    const char *name;
    const char *description;
    /* Is it usable on this host? If not, sets *errp to a one-line reason. */
    bool (*available)(Error **errp);
    /* Machine-wide set-up with the -accel sub-options (e.g. "tb-size=64"); the list is
     * a KeyValList (util/keyval.h); mark what you use. */
    int (*init)(Machine *machine, void *keyval_list, Error **errp);
    /* Per-vCPU set-up, called on the vCPU's own thread before it first runs. */
    int (*vcpu_init)(CPUState *cpu, Error **errp);
    /* Runs guest code on the calling vCPU thread until cpu->exit_request is set, the CPU
     * halts or it stops; called without the big lock held. */
    void (*vcpu_run)(CPUState *cpu);
    /* Interrupts a running vCPU from another thread so that it looks at its requests. */
    void (*vcpu_kick)(CPUState *cpu);
    void (*vcpu_destroy)(CPUState *cpu);
    /* Copies register state between the accelerator and the common state if it keeps
     * its own copy (KVM); NULL for TCG. */
    void (*sync_to_common)(CPUState *cpu);
    void (*sync_from_common)(CPUState *cpu);
    /* "info jit" and similar; may be NULL. */
    void (*print_info)(FILE *out);
};

void accel_register(const AccelOps *ops);
const AccelOps *accel_find(const char *name);
/* Every accelerator built in (QMP lists them as "NAME-accel" types). */
void accel_foreach(void (*fn)(const AccelOps *ops, void *opaque), void *opaque);
void accel_print_list(FILE *out);
const AccelOps *accel_current(void);

#endif
