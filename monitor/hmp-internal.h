/* Pieces of the human monitor shared between its files: the x/xp memory dump. */
#ifndef MONITOR_HMP_INTERNAL_H
#define MONITOR_HMP_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>
#include "monitor/monitor-internal.h"

/* Format and unit size that x/xp remember between commands, as QEMU's do. */
typedef struct HmpMemoryDefaults {
    char format;        /* x d u o c i s */
    unsigned size;      /* 1, 2, 4 or 8 */
} HmpMemoryDefaults;

/* Largest x/xp dump, in bytes (a typo in the count must not flood the terminal). */
#define HMP_MEMORY_DUMP_MAX 65536

/* "x /fmt addr" (physical false: addr is virtual for cpu) or "xp /fmt addr": args is
 * what follows the command name. Output as QEMU prints it. */
int hmp_memory_dump(const MonitorSystem *sys, CPUState *cpu, HmpMemoryDefaults *defaults,
                    const char *args, bool physical, FILE *out, Error **errp);

#endif
