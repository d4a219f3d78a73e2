/* The emulator's command line and start-up sequence (system/vl.c). */
#ifndef SYSTEM_VL_H
#define SYSTEM_VL_H

int vl_main(int argc, char **argv);

#include "chardev/chardev.h"

/* The chardev of serial port index (-serial, in order), or NULL; boards call this. */
Chardev *vl_serial_chardev(int index);
/* -name guest= and -uuid as given (NULL if not), for the monitor and the boards. */
const char *vl_guest_name(void);
const char *vl_guest_uuid(void);
/* The accelerator in use ("tcg", "kvm"), NULL before start-up or without one. */
const char *vl_accel_name(void);
/* -vga: "std" or "none" (-nodefaults: none), NULL before start-up. */
const char *vl_vga_interface(void);

#endif
