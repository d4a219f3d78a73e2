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
    const char *machine;        /* the last -M/-machine argument as typed (NULL: none) */
    VLList machine_opts;        /* every -M/-machine argument, merged in order at start-up */
    const char *machine_flag;   /* "M" or "machine": the last one as typed */
    const char *cpu_model;
    uint64_t ram_size;          /* 0: the board's default */
    int smp_cpus;
    int smp_maxcpus;            /* 0: not given */
    const char *accel;          /* last -accel spec; NULL: tcg */
    VLList accels;              /* every -accel, tried in order */
    bool accel_given;
    const char *name;           /* -name guest=NAME (or the bare first value) */
    const char *process_name;   /* -name ...,process=NAME */
    bool debug_threads;         /* -name ...,debug-threads=on */
    const char *uuid;           /* -uuid, checked */
    /* firmware and boot */
    const char *bios, *kernel, *initrd, *append, *dtb, *boot;
    const char *rtc;            /* -rtc spec (checked) */
    VLList firmware_dirs;       /* -L */
    /* block */
    VLList drives;              /* -drive specs (owned copies; -hdX/-cdrom in -drive form) */
    VLList drive_typed;         /* what the user typed for each drive ("-hda x.img"), owned */
    bool snapshot;
    /* devices, chardevs, net */
    VLList devices, chardevs, netdevs, nics;
    VLList nets;                /* -net nic|user|none (legacy) */
    VLList globals;             /* -global driver.prop=value */
    VLList objects;             /* -object TYPE,... */
    VLList serials, monitors, qmps;
    VLList mons;                /* -mon chardev=ID,mode=... */
    VLList qmp_pretty;          /* -qmp-pretty DEV */
    bool serial_given, monitor_given;
    bool nodefaults;            /* -nodefaults: no default serial, monitor or display */
    int mux_escape;             /* -echr: 0 = C-a */
    /* display */
    bool nographic;
    const char *display;
    const char *vga;            /* -vga std|none; NULL: the board's default */
    bool full_screen;           /* -full-screen */
    const char *vnc;
    const char *keyboard_layout;    /* -k */
    /* debugging and run control */
    bool start_paused;          /* -S */
    const char *gdb;            /* -gdb dev, or "tcp::1234" for -s */
    const char *log_items, *log_file;
    const char *log_filter;     /* -dfilter */
    bool perfmap;               /* -perfmap */
    bool no_reboot, no_shutdown;
    const char *panic_action;   /* -action panic=: NULL = QEMU's default (shutdown) */
    const char *loadvm, *incoming;
    bool daemonize;
    const char *pidfile;
    bool msg_timestamp;         /* -msg timestamp=on */
    bool msg_guest_name;        /* -msg guest-name=on */
    bool mem_lock;              /* -overcommit mem-lock=on */
    /* informational requests handled before start-up */
    bool want_help, want_version;
    bool list_machines, list_cpus, list_devices, list_log, list_accels;
    bool machine_help;          /* -machine NAME,help: that machine's properties */
    const char *device_help;    /* -device NAME,help */
} VLConfig;

/* Parses argv into cfg. On a bad option or value reports one line naming the option and the
 * value and returns -1. */
int vl_parse_args(int argc, char **argv, VLConfig *cfg);
/* Frees what vl_parse_args allocated (the drive specs). */
void vl_config_free(VLConfig *cfg);
void vl_print_help(FILE *out);

/* QEMU 7.2 options that Mimic refuses, for docs and tests: calls fn with the option name,
 * whether it takes an argument and the area that plans it (NULL: not planned). */
void vl_foreach_refused_option(void (*fn)(const char *name, bool has_arg, const char *planned,
                                          void *opaque), void *opaque);
/* Calls fn for every option Mimic takes (name, argument synopsis or NULL). */
void vl_foreach_option(void (*fn)(const char *name, const char *arg, void *opaque),
                       void *opaque);

#endif
