/* Machines: a board that builds CPUs, memory map, devices and firmware from the command
 * line's settings. Each board registers a MachineClass; -M NAME picks one. */
#ifndef SYSTEM_MACHINE_H
#define SYSTEM_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "system/cpu.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/keyval.h"

typedef struct MachineClass MachineClass;

/* What the command line asked for, handed to the board's init. */
typedef struct MachineConfig {
    uint64_t ram_size;          /* -m, bytes */
    int smp_cpus;               /* -smp */
    const char *cpu_model;      /* -cpu, or NULL for the board's default */
    const char *bios;           /* -bios */
    const char *kernel;         /* -kernel */
    const char *initrd;         /* -initrd */
    const char *append;         /* -append */
    const char *dtb;            /* -dtb */
    const char *boot_order;     /* -boot order=... */
    const char *rtc;            /* -rtc base=...,clock=... */
    const char *arch;           /* the binary's architecture: "i386", "x86_64", "arm" */
    const char *machine_opts;   /* "-M NAME,opts": the text after the first comma of the
                                 * last -M, or NULL; prefer props (all -M merged) */
    void *ram_host;             /* -machine memory-backend=: RAM memory to use, or NULL */
    KeyValList *props;          /* -machine items; the board reads its own (MachineClass.props)
                                 * with keyval_get(). NULL in tests. */
} MachineConfig;

struct Machine {
    const MachineClass *cls;
    MachineConfig config;
    MemoryRegion *system_memory;    /* root of guest physical memory */
    MemoryRegion *io_memory;        /* root of x86 port I/O (64 KiB), or NULL */
    AddressSpace as_memory;
    AddressSpace as_io;
    MemoryRegion *ram;              /* config.ram_size of RAM, mapped at 0 before the board's
                                     * init; a board with another layout unmaps it and maps
                                     * it (or aliases of it) where it wants */
    CPUState *cpus;                 /* list */
    int nr_cpus;
    void *board;                    /* the board's own state */
};

struct MachineClass {
    const char *name;               /* -M name */
    const char *description;
    const char *arch;               /* binaries that offer it: "i386" (also x86_64), "arm";
                                     * NULL: every binary */
    bool is_default;
    uint64_t default_ram_size;
    uint64_t max_ram_size;
    int max_cpus;
    const char *default_cpu_model;  /* NULL: no CPU unless -cpu is given (the board's
                                     * init may still add its own) */
    /* max_ram_size 0: no limit; max_cpus 0: 1 */
    bool no_serial;                 /* no serial port: -nographic gives stdio to the monitor */
    const char *const *drive_interfaces;  /* -drive if= values the board attaches (NULL-
                                           * terminated); if=none works on every board */
    const char *const *props;       /* its -machine properties (NULL-terminated), read by
                                     * init from config.props; others are refused */
    int (*init)(Machine *machine, Error **errp);
    void (*reset)(Machine *machine);         /* after devices reset */
    void (*powerdown)(Machine *machine);     /* ACPI power button; NULL: none */
    void (*destroy)(Machine *machine);       /* frees machine->board (also after a failed
                                              * init); called before the CPUs go */
};

void machine_class_register(const MachineClass *cls);
const MachineClass *machine_class_find(const char *arch, const char *name);
const MachineClass *machine_class_default(const char *arch);
void machine_class_print_list(FILE *out, const char *arch);
/* Every machine class offered by the binary of arch, in registration order. */
void machine_class_foreach(const char *arch, void (*fn)(const MachineClass *cls, void *opaque),
                           void *opaque);

/* Creates the machine: memory roots, then the board's init. */
Machine *machine_create(const MachineClass *cls, const MachineConfig *config, Error **errp);
/* Tears a machine down: CPUs (and their threads), address spaces, RAM, memory roots.
 * The board's own state (machine->board) is the board's to free. */
void machine_destroy(Machine *machine);
/* Creates one more CPU (index nr_cpus) for boards that make their own CPUs. */
CPUState *machine_add_cpu(Machine *machine, const CPUClass *cpu_cls, Error **errp);
/* Resets every device and CPU (system_reset). */
void machine_reset(Machine *machine);
/* -M none (system/machine-none.c), for every binary. */
extern const MachineClass machine_none_class;

/* The one machine of this process (registries aside, the only global). */
Machine *current_machine(void);

#endif
