/* The emulator's command line: QEMU's option spelling parsed into a VLConfig. */
#ifndef SYSTEM_OPTIONS_H
#define SYSTEM_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "util/error.h"

#define VL_MAX_LIST 32

/* A repeatable option's values, in command-line order. */
typedef struct VLList {
    const char *items[VL_MAX_LIST];
    int count;
} VLList;

typedef struct VLConfig {
    /* machine */
    const char *machine;        /* -M name[,props]; NULL: the default board */
    const char *cpu_model;
    uint64_t ram_size;          /* 0: the board's default */
    int smp_cpus;
    const char *accel;          /* -accel spec; NULL: tcg */
    bool accel_given;
    const char *name;
    /* firmware and boot */
    const char *bios, *kernel, *initrd, *append, *dtb, *boot;
    const char *rtc;            /* -rtc spec (checked) */
    /* block */
    VLList drives;              /* -drive specs (owned copies; -hdX/-cdrom in -drive form) */
    bool snapshot;
    /* devices, chardevs, net */
    VLList devices, chardevs, netdevs, nics;
    VLList serials, monitors, qmps;
    bool serial_given, monitor_given;
    /* display */
    bool nographic;
    const char *display;
    const char *vnc;
    /* debugging and run control */
    bool start_paused;          /* -S */
    const char *gdb;            /* -gdb dev, or "tcp::1234" for -s */
    const char *log_items, *log_file;
    bool no_reboot, no_shutdown;
    const char *loadvm, *incoming;
    bool daemonize;
    const char *pidfile;
    /* informational requests handled before start-up */
    bool want_help, want_version;
    bool list_machines, list_cpus, list_devices, list_log, list_accels;
    const char *device_help;    /* -device NAME,help */
} VLConfig;

/* Parses argv into cfg. On a bad option or value reports one line naming the option and the
 * value and returns -1. */
int vl_parse_args(int argc, char **argv, VLConfig *cfg);
/* Frees what vl_parse_args allocated (the drive specs). */
void vl_config_free(VLConfig *cfg);
void vl_print_help(FILE *out);

#endif
