/* The VNC server's monitor side (ui/vnc.c, ui/vnc-monitor.c). */
#ifndef UI_VNC_H
#define UI_VNC_H

#include "util/error.h"

/* set_password vnc PASS / change vnc password PASS: -1 with *errp without a server
 * started with password=on. */
int vnc_set_password(const char *password, Error **errp);
/* At start-up (after every device registered its commands): "change vnc password". */
void vnc_monitor_init(void);

#endif
