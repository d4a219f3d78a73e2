/* Inside the monitor: what it needs of the machine (MonitorSystem, so that tests can run
 * the command logic against fakes), the HMP and QMP sessions and their byte-level entry
 * points. The chardev glue in monitor.c connects sessions to chardevs. */
#ifndef MONITOR_MONITOR_INTERNAL_H
#define MONITOR_MONITOR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "monitor/monitor.h"
#include "system/cpu.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/json.h"

/* The machine as the monitor sees it. monitor_system_default() binds the real one. */
/* What QMP's inventory commands list (callbacks; the whole struct or any hook may be NULL,
 * as in the unit tests' fake machine). */
typedef struct MonitorMachineInfo {
    const char *name;
    const char *description;
    int max_cpus;
    bool is_default;
    const char *default_cpu;        /* model name, or NULL */
} MonitorMachineInfo;

typedef void MonitorMachineFn(void *opaque, const MonitorMachineInfo *machine);
typedef void MonitorNameFn(void *opaque, const char *name, const char *description);
typedef void MonitorPropFn(void *opaque, const char *name, const char *type);
typedef void MonitorChardevFn(void *opaque, const char *label, const char *filename, bool open);

typedef struct MonitorInventory {
    const char *(*target_arch)(void);       /* QEMU's SysEmuTarget: "x86_64", "i386", "arm" */
    const char *(*guest_name)(void);        /* -name, or NULL */
    const char *(*guest_uuid)(void);        /* -uuid, or NULL */
    const char *(*accel_name)(void);        /* "tcg", "kvm", or NULL */
    bool (*kvm_present)(void);
    const char *(*machine_type)(void);      /* the running machine's name */
    void (*foreach_machine)(MonitorMachineFn *fn, void *opaque);
    void (*foreach_cpu_model)(MonitorNameFn *fn, void *opaque);
    void (*foreach_device_type)(MonitorNameFn *fn, void *opaque);
    void (*foreach_accel)(MonitorNameFn *fn, void *opaque);     /* "tcg", "kvm" */
    /* -object types: name and properties "name:type ..." */
    void (*foreach_object_type)(MonitorNameFn *fn, void *opaque);
    /* -machine properties of machine type name (generic and the board's); -1 if unknown */
    int (*foreach_machine_prop)(const char *name, MonitorPropFn *fn, void *opaque);
    /* -1 if no device type is called type */
    int (*foreach_device_prop)(const char *type, MonitorPropFn *fn, void *opaque);
    void (*foreach_chardev)(MonitorChardevFn *fn, void *opaque);
    int (*cpu_thread_id)(CPUState *cpu);    /* host thread id of the vCPU, or 0 */
} MonitorInventory;

typedef struct MonitorSystem {
    RunState (*runstate_get)(void);
    const char *(*runstate_name)(RunState state);
    const char *(*shutdown_cause_name)(ShutdownCause cause);
    void (*vm_start)(void);
    void (*vm_stop)(RunState state);
    void (*shutdown_request)(ShutdownCause cause);
    void (*reset_request)(ShutdownCause cause);
    void (*powerdown_request)(void);
    CPUState *(*cpu_first)(void);
    CPUState *(*cpu_next)(CPUState *cpu);
    /* Guest physical memory: 0, or -1 if part of the range is not accessible. */
    int (*read_phys)(uint64_t addr, void *buf, size_t len);
    void (*print_mtree)(FILE *out);
    void (*print_qtree)(FILE *out);     /* NULL: not available yet */
    void (*print_chardev)(FILE *out);
    int (*word_bits)(void);             /* guest virtual address width: 32 or 64 */
    const MonitorInventory *inventory;  /* for QMP's query commands; NULL: lists are empty */
} MonitorSystem;

const MonitorSystem *monitor_system_default(void);

/* Where a session's output goes (the chardev, or a test's buffer). */
typedef void MonitorWriteFn(void *opaque, const char *buf, size_t len);

/* Commands shared by HMP and QMP; each returns 0 or -1 with *errp set. */
int monitor_cmd_stop(const MonitorSystem *sys, Error **errp);
int monitor_cmd_cont(const MonitorSystem *sys, Error **errp);
void monitor_cmd_quit(const MonitorSystem *sys);
void monitor_cmd_system_reset(const MonitorSystem *sys);
void monitor_cmd_system_powerdown(const MonitorSystem *sys);
/* Parses MIMIC_VERSION "major.minor.micro". */
void monitor_version(int *major, int *minor, int *micro);

/* ---- HMP ---- */
typedef struct HmpSession HmpSession;

#define HMP_PROMPT "(mimic) "

HmpSession *hmp_session_new(const MonitorSystem *sys, MonitorWriteFn *write, void *opaque);
void hmp_session_free(HmpSession *hs);
/* Raw bytes from the terminal: line editing, then commands. */
void hmp_session_input(HmpSession *hs, const char *buf, size_t len);
/* Banner and prompt (a client connected). */
void hmp_session_open(HmpSession *hs);
/* Prompt and current line again (the mux gave us the focus back). */
void hmp_session_redraw(HmpSession *hs);
/* Runs one command line, printing its output (and errors, one line each) to out. */
void hmp_session_execute(HmpSession *hs, const char *cmdline, FILE *out);
/* The line editor, for tests. */
const char *hmp_session_current_line(HmpSession *hs, size_t *cursor);
/* Runs a command line in a fresh session and returns its output (malloc'd), with
 * "\r\n" line ends as QEMU's human-monitor-command gives. */
/* Runs one command line for QMP's human-monitor-command; cpu_index -1: the first CPU. */
char *hmp_execute_capture(const MonitorSystem *sys, const char *cmdline, int cpu_index);
bool hmp_cpu_exists(const MonitorSystem *sys, int index);
/* No terminal escape sequences (the chardev is a pipe, file or socket, not a terminal). */
void hmp_session_set_plain(HmpSession *hs, bool plain);

/* ---- QMP ---- */
typedef struct QmpSession QmpSession;

#define QMP_MAX_INPUT_SIZE (1u << 20)
#define QMP_MAX_INPUT_DEPTH 64

QmpSession *qmp_session_new(const MonitorSystem *sys, bool pretty, MonitorWriteFn *write,
                            void *opaque);
void qmp_session_free(QmpSession *qs);
/* A client connected: drop partial input, send the greeting, expect qmp_capabilities. */
void qmp_session_open(QmpSession *qs);
/* Raw bytes in any chunking. */
void qmp_session_input(QmpSession *qs, const char *buf, size_t len);
/* Sends a run-state event (only once capabilities are negotiated). */
void qmp_session_event(QmpSession *qs, RunEvent event, ShutdownCause cause);
/* Executes one parsed request (NULL err) and returns the response to send, or NULL if
 * none; for tests that bypass the streamer. */
JsonValue *qmp_session_dispatch(QmpSession *qs, JsonValue *request);

/* Registry of "info" providers and the disassembler hook (monitor/hmp-info.c). */
typedef struct MonitorInfoEntry {
    const char *name;
    const char *help;
    MonitorInfoFn *fn;
} MonitorInfoEntry;
const MonitorInfoEntry *monitor_info_find(const char *name);
int monitor_info_count(void);
const MonitorInfoEntry *monitor_info_at(int index);
MonitorDisasFn *monitor_get_disassembler(void);
typedef struct MonitorCommandEntry {
    const char *name, *args_help, *help;
    MonitorCommandFn *fn;
} MonitorCommandEntry;
/* Registered commands: by name, or the index-th (NULL past the end). */
const MonitorCommandEntry *monitor_command_find(const char *name);
const MonitorCommandEntry *monitor_command_at(int index);

#endif
