/* -boot order=,once=,menu=,splash-time=,reboot-timeout=,strict= (QEMU's spelling) parsed for
 * the boards, and the boot-order list ("bootorder") devices with bootindex= add to. */
#ifndef SYSTEM_BOOT_OPTIONS_H
#define SYSTEM_BOOT_OPTIONS_H

#include <stdbool.h>
#include "util/error.h"

#define BOOT_ORDER_MAX 8

typedef struct BootOptions {
    char order[BOOT_ORDER_MAX + 1];     /* drive letters: a/b floppy, c disk, d CD, n net */
    char once[BOOT_ORDER_MAX + 1];      /* for the first boot only; "" if not given */
    bool menu;
    int splash_time;                    /* ms; -1 if not given */
    int reboot_timeout;                 /* ms; -1 if not given */
    bool strict;
} BootOptions;

/* Parses spec (NULL: defaults, order "cad"); a bare "cdn" is order=cdn. */
int boot_options_parse(const char *spec, BootOptions *b, Error **errp);

/* One bootable device with its bootindex= and its OpenFirmware path as SeaBIOS matches it
 * (e.g. "/pci@i0cf8/ide@1,1/drive@1/disk@0"). Devices call it from realize. */
void boot_device_add(int bootindex, const char *of_path);
/* The "bootorder" file: paths sorted by bootindex, one per line; NULL if none. Caller
 * frees. */
char *boot_device_list(void);
void boot_device_clear(void);
/* The board hears of every boot_device_add (devices come after the board's init) to
 * rewrite its firmware's list; NULL stops it. */
typedef void BootDeviceListener(void *opaque);
void boot_device_set_listener(BootDeviceListener *fn, void *opaque);

#endif
