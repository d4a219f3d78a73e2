/* Monitor commands shared by HMP and QMP (stop, cont, quit, reset, powerdown), the
 * version numbers, and the registries of "info" providers and the disassembler hook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config-host.h"
#include "monitor/monitor-internal.h"
#include "util/cutils.h"

int monitor_cmd_stop(const MonitorSystem *sys, Error **errp)
{
    if (sys->runstate_get() == RUN_STATE_RUNNING) {
        sys->vm_stop(RUN_STATE_PAUSED);
    }
    return 0;
}

/* As QEMU: a VM that shut down (under -no-shutdown), panicked or hit an internal error
 * must be reset before it can run again. */
static bool runstate_needs_reset(RunState state)
{
    return state == RUN_STATE_SHUTDOWN || state == RUN_STATE_GUEST_PANICKED ||
           state == RUN_STATE_INTERNAL_ERROR;
}

int monitor_cmd_cont(const MonitorSystem *sys, Error **errp)
{
    RunState state = sys->runstate_get();
    if (runstate_needs_reset(state)) {
        error_setg(errp, "Resetting the Virtual Machine is required (state: %s)",
                   sys->runstate_name(state));
        return -1;
    }
    if (state != RUN_STATE_RUNNING) {
        sys->vm_start();
    }
    return 0;
}

void monitor_cmd_quit(const MonitorSystem *sys)
{
    sys->shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

void monitor_cmd_system_reset(const MonitorSystem *sys)
{
    sys->reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
}

void monitor_cmd_system_powerdown(const MonitorSystem *sys)
{
    sys->powerdown_request();
}

void monitor_version(int *major, int *minor, int *micro)
{
    *major = *minor = *micro = 0;
    if (sscanf(MIMIC_VERSION, "%d.%d.%d", major, minor, micro) < 1) {
        *major = 0;
    }
}

/* ---- registries ---- */

static MonitorInfoEntry *info_entries;
static int nr_info_entries;
static MonitorDisasFn *disassembler;

void monitor_register_info(const char *name, const char *help, MonitorInfoFn *fn)
{
    for (int i = 0; i < nr_info_entries; i++) {
        if (!strcmp(info_entries[i].name, name)) {
            info_entries[i].help = help;
            info_entries[i].fn = fn;
            return;
        }
    }
    info_entries = xrealloc(info_entries, (size_t)(nr_info_entries + 1) * sizeof(*info_entries));
    info_entries[nr_info_entries++] = (MonitorInfoEntry){ .name = name, .help = help, .fn = fn };
}

const MonitorInfoEntry *monitor_info_find(const char *name)
{
    for (int i = 0; i < nr_info_entries; i++) {
        if (!strcmp(info_entries[i].name, name)) {
            return &info_entries[i];
        }
    }
    return NULL;
}

static MonitorCommandEntry *command_entries;
static int nr_command_entries;

void monitor_register_command(const char *name, const char *args_help, const char *help,
                              MonitorCommandFn *fn)
{
    MonitorCommandEntry e = { name, args_help, help, fn };

    for (int i = 0; i < nr_command_entries; i++) {
        if (!strcmp(command_entries[i].name, name)) {
            command_entries[i] = e;
            return;
        }
    }
    command_entries = xrealloc(command_entries,
                               (size_t)(nr_command_entries + 1) * sizeof(*command_entries));
    command_entries[nr_command_entries++] = e;
}

MonitorCommandFn *monitor_command_handler(const char *name)
{
    const MonitorCommandEntry *e = monitor_command_find(name);

    return e ? e->fn : NULL;
}

const MonitorCommandEntry *monitor_command_find(const char *name)
{
    for (int i = 0; i < nr_command_entries; i++) {
        if (!strcmp(command_entries[i].name, name)) {
            return &command_entries[i];
        }
    }
    return NULL;
}

const MonitorCommandEntry *monitor_command_at(int index)
{
    return index >= 0 && index < nr_command_entries ? &command_entries[index] : NULL;
}

int monitor_info_count(void)
{
    return nr_info_entries;
}

const MonitorInfoEntry *monitor_info_at(int index)
{
    return index >= 0 && index < nr_info_entries ? &info_entries[index] : NULL;
}

void monitor_set_disassembler(MonitorDisasFn *fn)
{
    disassembler = fn;
}

MonitorDisasFn *monitor_get_disassembler(void)
{
    return disassembler;
}
