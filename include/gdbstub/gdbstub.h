/* The GDB remote serial protocol stub (gdbstub/): what the command line, the monitor and
 * the targets see of it. Protocol: "Debugging with GDB", appendix E; docs/gdbstub.md. */
#ifndef GDBSTUB_GDBSTUB_H
#define GDBSTUB_GDBSTUB_H

#include <stdbool.h>
#include <stdint.h>
#include "system/cpu.h"
#include "util/error.h"

/* One register of a target description: name, size in bits, gdb type, register group
 * (NULL: none) and the feature it belongs to. */
typedef struct GDBRegister {
    const char *name;
    unsigned bits;
    const char *type;
    const char *group;
    const char *feature;
} GDBRegister;

/* Types (<vector>, <union>, <flags>) a feature's registers use: gdb looks types up in
 * the register's own feature. */
typedef struct GDBFeatureTypes {
    const char *feature;
    const char *xml;
} GDBFeatureTypes;

/* A target's registers as gdb numbers them, and how to read and write them. */
typedef struct GDBTargetOps {
    const char *arch;               /* CPUClass.arch this serves: "i386", "x86_64", "arm" */
    const char *architecture;       /* the XML <architecture>: "i386", "i386:x86-64", "arm" */
    const GDBRegister *regs;        /* in gdb's numbering from 0 */
    int nb_regs;
    const GDBFeatureTypes *types;   /* ended by a NULL feature; may be NULL */
    const char *extra_xml;          /* features without registers (ARM NEON), or NULL */
    /* <compatible> architectures (gdb then accepts the description whatever file it
     * loaded: an i386 layout with an ELF64 and the reverse), or NULL. */
    const char *compatible;
    /* A CPU whose register width follows its mode (x86-64: long mode or not) gives the
     * description of cpu's current mode; NULL: always this one. */
    const struct GDBTargetOps *(*for_mode)(CPUState *cpu);
    /* Writes register n of cpu in target byte order; returns its size in bytes, 0 if
     * there is no such register. */
    int (*read_register)(CPUState *cpu, int n, uint8_t *buf);
    /* Sets register n from buf (its size in bytes); returns that size, 0 if none. */
    int (*write_register)(CPUState *cpu, int n, const uint8_t *buf);
} GDBTargetOps;

/* Targets register themselves from a constructor. */
void gdb_register_target(const GDBTargetOps *ops);
const GDBTargetOps *gdb_target_find(const char *arch);
/* The target description XML of ops (owned by the caller). */
char *gdb_target_xml(const GDBTargetOps *ops);

/* Starts the stub on device: "tcp::PORT", "tcp:HOST:PORT", "unix:PATH[,server=on]",
 * "chardev:ID", or any -chardev short form; "none" stops it. The guest stops when gdb
 * attaches. -1 with *errp on a bad device. */
int gdbserver_start(const char *device, Error **errp);
/* Is a debugger connected? */
bool gdbserver_attached(void);

#endif
