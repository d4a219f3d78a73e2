/* The monitor's VNC commands, as QEMU's: "set_password vnc PASSWORD [keep]" and
 * "change vnc password PASSWORD" (HMP; "change" for other devices goes on to the block
 * layer's handler), QMP set_password and change-vnc-password (monitor/qmp-cmds-display.c). */
#include <stdlib.h>
#include <string.h>
#include "monitor/monitor.h"
#include "ui/display.h"
#include "ui/vnc.h"
#include "util/cutils.h"

static MonitorCommandFn *change_next;

static void report_password(FILE *out, const char *password)
{
    Error *err = NULL;

    if (vnc_set_password(password, &err) < 0) {
        fprintf(out, "%s\n", error_get_message(err));
        error_free(err);
    }
}

static void cmd_set_password(FILE *out, const char *args)
{
    char protocol[16], password[64];

    if (sscanf(args, " %15s %63s", protocol, password) != 2) {
        fprintf(out, "set_password: usage: set_password vnc PASSWORD\n");
    } else if (strcmp(protocol, "vnc")) {
        fprintf(out, "Invalid parameter 'protocol': only vnc is supported\n");
    } else {
        report_password(out, password);
    }
}

static void cmd_change(FILE *out, const char *args)
{
    char device[16], what[16], password[64];
    int n = sscanf(args, " %15s %15s %63s", device, what, password);

    if (n >= 1 && !strcmp(device, "vnc")) {
        if (n == 3 && !strcmp(what, "password")) {
            report_password(out, password);
        } else {
            fprintf(out, "change vnc: usage: change vnc password PASSWORD\n");
        }
    } else if (change_next) {
        change_next(out, args);
    } else {
        fprintf(out, "Device '%s' not found\n", n >= 1 ? device : "");
    }
}

void vnc_monitor_init(void)
{
    MonitorCommandFn *cur = monitor_command_handler("change");

    if (cur != cmd_change) {
        change_next = cur;
        monitor_register_command("change", "device filename|vnc password PASSWORD",
                                 "change a removable medium, or the VNC password", cmd_change);
    }
}

static void __attribute__((constructor)) vnc_monitor_register(void)
{
    monitor_register_command("set_password", "vnc password", "set the VNC password",
                             cmd_set_password);
}
