/* Shared between system/cpu-common.c and system/cpus.c (the vCPU threads); not public. */
#ifndef SYSTEM_CPUS_INTERNAL_H
#define SYSTEM_CPUS_INTERNAL_H

#include "system/cpu.h"

/* Wakes cpu if it waits (halted or stopped) and asks the accelerator to kick it out of
 * guest code. Any thread; takes the run-control lock. */
void cpus_kick(CPUState *cpu);
/* Ends and joins cpu's thread if it has one (cpu_destroy). */
void cpus_stop_thread(CPUState *cpu);

#endif
