/* The monitor: a human console (HMP) and the JSON protocol (QMP), each on a chardev. */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include <stdbool.h>
#include "chardev/chardev.h"
#include "util/error.h"

/* Starts an HMP monitor on chr (prompt "(mimic) ", line editing and history when the
 * chardev is a terminal). */
int monitor_init_hmp(Chardev *chr, Error **errp);
/* Starts a QMP monitor on chr: greeting, then qmp_capabilities, then commands. */
int monitor_init_qmp(Chardev *chr, bool pretty, Error **errp);

#endif
