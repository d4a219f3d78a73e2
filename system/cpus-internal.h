/* Shared between system/cpu-common.c and system/cpus.c (the vCPU threads); not public. */
#ifndef SYSTEM_CPUS_INTERNAL_H
#define SYSTEM_CPUS_INTERNAL_H

#include "system/cpu.h"

/* Wakes cpu if it waits (halted or stopped) and asks the accelerator to kick it out of
 * guest code. Any thread; takes the run-control lock. */
void cpus_kick(CPUState *cpu);
/* Ends and joins cpu's thread if it has one (cpu_destroy). */
void cpus_stop_thread(CPUState *cpu);

/* ---- the alarm of the calling vCPU thread (cpus-alarm.c; docs/threads.md) ---- */
/* Creates it for cpu (its thread): false if the host refuses (the main loop then runs
 * the CPU's timers). */
bool vcpu_alarm_create(CPUState *cpu);
void vcpu_alarm_destroy(void);
/* Before vcpu_run, with the CPU's earliest owned deadline (CLOCK_MONOTONIC ns, -1 none). */
void vcpu_alarm_before_run(int64_t at);
/* Guest code on the thread armed an owned timer: the new earliest deadline. */
void vcpu_alarm_guest_armed(int64_t at);
/* After vcpu_run returned. */
void vcpu_alarm_after_run(void);
/* Before the thread sleeps; halted: the CPU halted (not stopped). */
void vcpu_alarm_before_sleep(bool halted);

#endif
