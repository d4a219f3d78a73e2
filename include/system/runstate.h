/* Run states of the virtual machine and the requests (shutdown, reset, powerdown) that
 * devices, the monitor and signals make of the main loop. */
#ifndef SYSTEM_RUNSTATE_H
#define SYSTEM_RUNSTATE_H

#include <stdbool.h>

typedef enum {
    RUN_STATE_PRELAUNCH,        /* -S: created, not started yet */
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,           /* stopped by the monitor */
    RUN_STATE_DEBUG,            /* stopped by the debugger */
    RUN_STATE_SHUTDOWN,         /* guest shut down under -no-shutdown */
    RUN_STATE_GUEST_PANICKED,
    RUN_STATE_INTERNAL_ERROR,   /* the emulator could not go on (e.g. an unknown opcode trap) */
} RunState;

typedef enum {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_UI,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,
    SHUTDOWN_CAUSE_GUEST_PANIC,
} ShutdownCause;

/* QMP's names: "running", "paused", "prelaunch", "shutdown", ... and "host-qmp-quit", ... */
const char *runstate_name(RunState state);
const char *shutdown_cause_name(ShutdownCause cause);
/* QMP's SHUTDOWN event "guest" member: the guest asked (shutdown, reset, panic). */
bool shutdown_cause_is_guest(ShutdownCause cause);
RunState runstate_get(void);
bool runstate_is_running(void);
void runstate_set(RunState state);

/* Starts or resumes the vCPUs and the virtual clock (RESUME event). */
void vm_start(void);
/* Pauses the vCPUs (waiting until they have stopped) and the virtual clock (STOP event). */
void vm_stop(RunState new_state);

/* Requests from any thread; the main loop carries them out. */
void system_shutdown_request(ShutdownCause cause);
/* From a SIGTERM/SIGINT/SIGHUP handler: a HOST_SIGNAL shutdown, remembering the signal so
 * that code blocked before the main loop runs (a server chardev waiting for its first
 * client) can give up, and the process can end by that signal as QEMU's does then. */
void system_signal_shutdown_request(int sig);
/* The termination signal received so far, or 0. */
int system_termination_signal(void);
void system_reset_request(ShutdownCause cause);
/* The same, with why (e.g. the exceptions of a triple fault): under -no-reboot the
 * process exits with a line saying it. */
void system_reset_request_reason(ShutdownCause cause, const char *why);
void system_powerdown_request(void);
/* vm_stop(state) done by the main loop: for vCPU threads (internal error, guest panic,
 * debug stop), which must not wait for themselves in vm_stop. */
void vm_stop_request(RunState state);
/* Options -no-shutdown and -no-reboot. */
void runstate_set_no_shutdown(bool on);
void runstate_set_no_reboot(bool on);

/* Called by the main loop after each iteration: carries out pending requests and returns
 * true when the process should exit (a shutdown was requested and -no-shutdown is off). */
bool runstate_process_requests(void);

/* Events for QMP and anyone else listening. */
typedef enum {
    RUN_EVENT_STOP,
    RUN_EVENT_RESUME,
    RUN_EVENT_SHUTDOWN,
    RUN_EVENT_RESET,
    RUN_EVENT_POWERDOWN,
} RunEvent;

typedef void RunEventListener(void *opaque, RunEvent event, ShutdownCause cause);
void runstate_add_listener(RunEventListener *fn, void *opaque);
void runstate_remove_listener(RunEventListener *fn, void *opaque);

#endif
