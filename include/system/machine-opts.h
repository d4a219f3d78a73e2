/* -machine/-M as QEMU parses it: every occurrence merged in order (later values win),
 * "type" as the implied first key, the generic properties here, the board's own ones
 * (MachineClass.props) handed to its init in MachineConfig.props. */
#ifndef SYSTEM_MACHINE_OPTS_H
#define SYSTEM_MACHINE_OPTS_H

#include <stdbool.h>
#include <stdio.h>
#include "system/machine.h"
#include "system/options.h"
#include "util/keyval.h"

typedef struct MachineOpts {
    KeyValList kv;              /* every -machine item, in order (freed by _free) */
    const char *type;           /* NULL: the default machine */
    const char *accel;          /* accel=a:b:c, or NULL */
    bool dump_guest_core;       /* default on */
    bool mem_merge;             /* default on */
    const char *memory_backend; /* memory-backend=ID, or NULL */
    const char *typed;          /* the last -machine argument, for error messages */
    const char *flag;           /* "M" or "machine", as typed */
} MachineOpts;

/* Merges cfg->machine_opts; reports "-machine ARG: ..." and returns -1 on a bad value. */
int machine_opts_parse(const VLConfig *cfg, MachineOpts *mo);
/* Once the class is known: applies kernel=, initrd=, append=, dtb=, firmware= to cfg
 * (the -kernel... options win), checks every remaining key is a property of cls. */
int machine_opts_check(MachineOpts *mo, const MachineClass *cls, VLConfig *cfg);
/* The generic and the board's properties (QMP qom-list-properties NAME-machine). */
void machine_opts_foreach_prop(const MachineClass *cls,
                               void (*fn)(void *opaque, const char *name, const char *help),
                               void *opaque);
/* -machine NAME,help: the generic and the board's properties. */
void machine_opts_print_help(FILE *out, const MachineClass *cls);
/* Applies dump-guest-core and mem-merge to the machine's RAM (madvise). */
void machine_opts_apply_memory(const MachineOpts *mo, Machine *machine);
void machine_opts_free(MachineOpts *mo);

#endif
