/* The monitor: a human console (HMP) and the JSON protocol (QMP), each on a chardev. */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "chardev/chardev.h"
#include "util/error.h"

typedef struct CPUState CPUState;

/* Starts an HMP monitor on chr (prompt "(mimic) ", line editing and history when the
 * chardev is a terminal). */
int monitor_init_hmp(Chardev *chr, Error **errp);
/* Starts a QMP monitor on chr: greeting, then qmp_capabilities, then commands. */
int monitor_init_qmp(Chardev *chr, bool pretty, Error **errp);

/* Runs one HMP command line for another front end (the gdbstub's "monitor ...") with
 * cpu_index as the current CPU (-1: the first); its output, malloc'd ("\r\n" line ends). */
char *monitor_hmp_capture(const char *cmdline, int cpu_index);

/* The CPU the HMP command being run is about (the monitor's "cpu N", default the
 * first); NULL outside a command. For info providers and commands registered below. */
CPUState *monitor_current_cpu(void);

/* "info NAME" providers added by other subsystems (e.g. "jit" by the translator). args is
 * the rest of the command line after the name (may be ""). A later registration of the
 * same name replaces the earlier one. Call from a constructor or at start-up. */
typedef void MonitorInfoFn(FILE *out, const char *args);
void monitor_register_info(const char *name, const char *help, MonitorInfoFn *fn);

/* HMP commands added by boards and devices ("sendkey", "nmi" from the pc machine): same
 * calling convention as info providers; args_help is shown by "help" (may be ""). */
typedef void MonitorCommandFn(FILE *out, const char *args);
void monitor_register_command(const char *name, const char *args_help, const char *help,
                              MonitorCommandFn *fn);
/* The handler registered for name, or NULL (to wrap a command another module owns). */
MonitorCommandFn *monitor_command_handler(const char *name);

/* Disassembler for "x /i": prints one instruction of code[0..len) (guest address addr)
 * to out without a newline and returns how many bytes it used, or <= 0 if it could not
 * decode. One hook; the translator's disassembler registers it. */
typedef int MonitorDisasFn(FILE *out, CPUState *cpu, uint64_t addr, const uint8_t *code,
                           size_t len);
void monitor_set_disassembler(MonitorDisasFn *fn);

#endif
