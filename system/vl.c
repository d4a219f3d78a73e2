/* Start-up of mimic-system-*: reads the command line (system/options.c), answers the
 * informational requests (-help, -M help, ...), builds chardevs, machine, devices and
 * monitors, then runs the main loop until a shutdown request. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config-host.h"
#include "chardev/chardev.h"
#include "hw/qdev.h"
#include "monitor/monitor.h"
#include "system/binary-info.h"
#include "system/cpu.h"
#include "system/daemon.h"
#include "system/drive.h"
#include "system/machine.h"
#include "system/main-loop.h"
#include "system/options.h"
#include "system/runstate.h"
#include "system/vl.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include "util/log.h"

/* Chardevs of the serial ports, in order; boards take them with vl_serial_chardev(). */
static Chardev *serial_chardevs[VL_MAX_LIST];
static int nr_serial_chardevs;

Chardev *vl_serial_chardev(int index)
{
    return index >= 0 && index < nr_serial_chardevs ? serial_chardevs[index] : NULL;
}

static void print_version(void)
{
    printf("%s version %s\n", binary_info.name, MIMIC_VERSION);
    printf("Copyright (c) 2026 The Mimic developers (MIT license)\n");
}

/* Answers -help, -version and the "help" lists; returns 1 if one was answered. */
static int answer_information_requests(const VLConfig *cfg)
{
    if (cfg->want_help) {
        vl_print_help(stdout);
    } else if (cfg->want_version) {
        print_version();
    } else if (cfg->list_machines) {
        machine_class_print_list(stdout, binary_info.arch);
    } else if (cfg->list_cpus) {
        cpu_class_print_list(stdout, binary_info.arch);
    } else if (cfg->list_devices) {
        device_type_print_list(stdout);
    } else if (cfg->device_help) {
        char *name = xstrdup(cfg->device_help);
        name[strcspn(name, ",")] = '\0';
        int rc = device_type_print_properties(stdout, name);
        if (rc < 0) {
            error_report("-device %s: unknown device type (try -device help)", name);
        }
        free(name);
        return rc < 0 ? -1 : 1;
    } else if (cfg->list_log) {
        log_print_categories(stdout);
    } else if (cfg->list_accels) {
        accel_print_list(stdout);
    } else {
        return 0;
    }
    return 1;
}

/* Options whose subsystems have not landed yet are refused plainly, not ignored. */
static int refuse_unavailable_options(const VLConfig *cfg)
{
    static const char *const later = "is not available in this version of Mimic";
    if (cfg->gdb) {
        error_report("-gdb %s: the debugger stub %s", cfg->gdb, later);
    } else if (cfg->vnc) {
        error_report("-vnc %s: the VNC server %s", cfg->vnc, later);
    } else if (cfg->loadvm) {
        error_report("-loadvm %s: snapshots of the machine state %s", cfg->loadvm, later);
    } else if (cfg->incoming) {
        error_report("-incoming %s: migration %s", cfg->incoming, later);
    } else if (cfg->netdevs.count) {
        error_report("-netdev %s: networking %s", cfg->netdevs.items[0], later);
    } else if (cfg->nics.count) {
        error_report("-nic %s: networking %s", cfg->nics.items[0], later);
    } else if (cfg->display && strncmp(cfg->display, "none", 4)) {
        error_report("-display %s: this display %s; use -display none or -nographic",
                     cfg->display, later);
    } else {
        return 0;
    }
    return -1;
}

static int setup_logging(const VLConfig *cfg)
{
    if (cfg->log_items && log_parse_categories(cfg->log_items, &log_mask) < 0) {
        return -1;
    }
    if (cfg->log_file && log_set_file(cfg->log_file) < 0) {
        return -1;
    }
    return 0;
}

static const MachineClass *select_machine(const VLConfig *cfg)
{
    const MachineClass *cls;
    if (!cfg->machine) {
        cls = machine_class_default(binary_info.arch);
        if (!cls) {
            error_report("no default machine for %s (try -M help)", binary_info.arch);
        }
        return cls;
    }
    char *name = xstrdup(cfg->machine);
    name[strcspn(name, ",")] = '\0';
    cls = machine_class_find(binary_info.arch, name);
    if (!cls) {
        error_report("-M %s: unknown machine type (try -M help)", name);
    }
    free(name);
    return cls;
}

/* The accelerator: -accel NAME[,opts], default tcg. */
static int select_accel(const VLConfig *cfg, Machine *machine, const AccelOps **out)
{
    KeyValList kv;
    Error *err = NULL;
    const char *spec = cfg->accel ? cfg->accel : "tcg";
    const AccelOps *ops;

    *out = NULL;
    if (keyval_parse(spec, "accel", &kv, &err) < 0) {
        error_report("-accel %s: %s", spec, error_get_message(err));
        error_free(err);
        return -1;
    }
    const char *name = keyval_get(&kv, "accel");
    ops = accel_find(name);
    if (!ops) {
        /* Built without the default accelerator: the CPUs stay stopped. */
        if (!cfg->accel_given) {
            keyval_free(&kv);
            return 0;
        }
        error_report("-accel %s: unknown or unavailable accelerator (try -accel help)", name);
        keyval_free(&kv);
        return -1;
    }
    if (ops->available && !ops->available(&err)) {
        error_prepend(&err, "-accel %s: ", name);
        error_report_err(err);
        keyval_free(&kv);
        return -1;
    }
    if (ops->init && ops->init(machine, &kv, &err) < 0) {
        error_prepend(&err, "-accel %s: ", name);
        error_report_err(err);
        keyval_free(&kv);
        return -1;
    }
    if (keyval_check_unused(&kv, "-accel", &err) < 0) {
        error_report_err(err);
        keyval_free(&kv);
        return -1;
    }
    keyval_free(&kv);
    *out = ops;
    return 0;
}

static int create_chardevs(const VLConfig *cfg)
{
    Error *err = NULL;
    for (int i = 0; i < cfg->chardevs.count; i++) {
        if (!chardev_new_from_spec(cfg->chardevs.items[i], &err)) {
            error_prepend(&err, "-chardev %s: ", cfg->chardevs.items[i]);
            error_report_err(err);
            return -1;
        }
    }
    return 0;
}

/* A chardev from a -serial/-monitor/-qmp short form; "mon:" also puts an HMP monitor on
 * it. Returns 0 with *chr NULL for "none". */
static int open_short_chardev(const char *opt, const char *spec, const char *id, Chardev **chr)
{
    Error *err = NULL;
    *chr = NULL;
    if (!strcmp(spec, "none")) {
        return 0;
    }
    *chr = chardev_new_from_short(spec, id, &err);
    if (!*chr) {
        error_prepend(&err, "-%s %s: ", opt, spec);
        error_report_err(err);
        return -1;
    }
    if (!strncmp(spec, "mon:", 4) && monitor_init_hmp(*chr, &err) < 0) {
        error_prepend(&err, "-%s %s: ", opt, spec);
        error_report_err(err);
        return -1;
    }
    return 0;
}

/* QEMU's defaults: with -nographic, the first serial port and the monitor share the
 * terminal through a mux unless either was given explicitly. */
static void apply_default_consoles(VLConfig *cfg, const MachineClass *cls)
{
    bool default_serial = !cfg->serial_given && !cls->no_serial;
    bool default_monitor = !cfg->monitor_given && cfg->qmps.count == 0;

    if (!cfg->nographic) {
        return;
    }
    if (default_serial && default_monitor) {
        cfg->serials.items[cfg->serials.count++] = "mon:stdio";
    } else {
        if (default_serial) {
            cfg->serials.items[cfg->serials.count++] = "stdio";
        }
        if (default_monitor) {
            cfg->monitors.items[cfg->monitors.count++] = "stdio";
        }
    }
}

static int create_consoles(const VLConfig *cfg)
{
    Error *err = NULL;
    Chardev *chr;
    char id[32];

    for (int i = 0; i < cfg->serials.count; i++) {
        snprintf(id, sizeof(id), "serial%d", i);
        if (open_short_chardev("serial", cfg->serials.items[i], id, &chr) < 0) {
            return -1;
        }
        serial_chardevs[nr_serial_chardevs++] = chr;
    }
    for (int i = 0; i < cfg->monitors.count; i++) {
        const char *spec = cfg->monitors.items[i];
        snprintf(id, sizeof(id), "compat_monitor%d", i);
        if (!strncmp(spec, "mon:", 4)) {
            spec += 4;
        }
        if (open_short_chardev("monitor", spec, id, &chr) < 0) {
            return -1;
        }
        if (chr && monitor_init_hmp(chr, &err) < 0) {
            error_prepend(&err, "-monitor %s: ", spec);
            error_report_err(err);
            return -1;
        }
    }
    for (int i = 0; i < cfg->qmps.count; i++) {
        snprintf(id, sizeof(id), "compat_qmp%d", i);
        if (open_short_chardev("qmp", cfg->qmps.items[i], id, &chr) < 0) {
            return -1;
        }
        if (chr && monitor_init_qmp(chr, false, &err) < 0) {
            error_prepend(&err, "-qmp %s: ", cfg->qmps.items[i]);
            error_report_err(err);
            return -1;
        }
    }
    return 0;
}

static Machine *create_machine(const VLConfig *cfg, const MachineClass *cls)
{
    Error *err = NULL;
    MachineConfig mc = {
        .ram_size = cfg->ram_size ? cfg->ram_size : cls->default_ram_size,
        .smp_cpus = cfg->smp_cpus ? cfg->smp_cpus : 1,
        .cpu_model = cfg->cpu_model,
        .bios = cfg->bios,
        .kernel = cfg->kernel,
        .initrd = cfg->initrd,
        .append = cfg->append,
        .dtb = cfg->dtb,
        .boot_order = cfg->boot,
        .rtc = cfg->rtc,
        .arch = binary_info.arch,
        .machine_opts = cfg->machine && strchr(cfg->machine, ',') ?
                        strchr(cfg->machine, ',') + 1 : NULL,
    };
    Machine *machine = machine_create(cls, &mc, &err);
    if (!machine) {
        error_report_err(err);
    }
    return machine;
}

/* Opens every -drive (and -hda/-cdrom) before the board's init, which takes them by
 * interface and index; if=none drives wait for a -device ...,drive=ID. */
static int create_drives(const VLConfig *cfg, const MachineClass *cls)
{
    Error *err = NULL;
    for (int i = 0; i < cfg->drives.count; i++) {
        if (!drive_new(cfg->drives.items[i], cfg->snapshot, cls->drive_interfaces, &err)) {
            error_prepend(&err, "-drive %s: ", cfg->drives.items[i]);
            error_report_err(err);
            return -1;
        }
    }
    return 0;
}

static int create_devices(const VLConfig *cfg)
{
    Error *err = NULL;
    for (int i = 0; i < cfg->devices.count; i++) {
        if (!device_create_from_spec(cfg->devices.items[i], &err)) {
            error_prepend(&err, "-device %s: ", cfg->devices.items[i]);
            error_report_err(err);
            return -1;
        }
    }
    return 0;
}

static void handle_termination_signal(int sig)
{
    system_signal_shutdown_request(sig);
}

static void install_signal_handlers(void)
{
    struct sigaction sa = { .sa_handler = handle_termination_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int start_up(VLConfig *cfg, Machine **machine_out)
{
    const MachineClass *cls;
    const AccelOps *accel;
    Error *err = NULL;
    Machine *machine;

    if (setup_logging(cfg) < 0 || refuse_unavailable_options(cfg) < 0) {
        return -1;
    }
    cls = select_machine(cfg);
    if (!cls) {
        return -1;
    }
    if (cfg->daemonize && cfg->nographic) {
        error_report("-daemonize: cannot be used with -nographic (the terminal goes away)");
        return -1;
    }
    /* Fork before any thread exists; the parent waits for daemon_ready(). */
    if (cfg->daemonize && daemon_start(&err) < 0) {
        error_report_err(err);
        return -1;
    }
    if (cfg->pidfile && pidfile_create(cfg->pidfile, &err) < 0) {
        error_prepend(&err, "cannot create PID file: ");
        error_report_err(err);
        return -1;
    }
    main_loop_init();
    install_signal_handlers();
    runstate_set_no_reboot(cfg->no_reboot);
    runstate_set_no_shutdown(cfg->no_shutdown);
    apply_default_consoles(cfg, cls);
    if (create_chardevs(cfg) < 0 || create_consoles(cfg) < 0) {
        return -1;
    }
    if (create_drives(cfg, cls) < 0) {
        return -1;
    }
    machine = create_machine(cfg, cls);
    if (!machine) {
        return -1;
    }
    *machine_out = machine;
    if (create_devices(cfg) < 0 || select_accel(cfg, machine, &accel) < 0) {
        return -1;
    }
    if (accel && cpus_start_threads(accel, &err) < 0) {
        error_report_err(err);
        return -1;
    }
    daemon_ready(log_enabled(~0u) && !cfg->log_file);
    return 0;
}

/* A signal that interrupted start-up (a server chardev waiting for its first client) ends
 * the process the way the signal's default action would, as it does QEMU at that point. */
static void exit_by_pending_signal(void)
{
    int sig = system_termination_signal();

    if (sig) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

int vl_main(int argc, char **argv)
{
    VLConfig cfg;
    Machine *machine = NULL;
    int rc;

    error_set_progname(binary_info.name);
    if (vl_parse_args(argc, argv, &cfg) < 0) {
        vl_config_free(&cfg);
        return 1;
    }
    rc = answer_information_requests(&cfg);
    if (rc != 0) {
        vl_config_free(&cfg);
        return rc < 0 ? 1 : 0;
    }
    if (start_up(&cfg, &machine) < 0) {
        drive_close_all();
        chardev_cleanup_all();
        pidfile_remove();
        vl_config_free(&cfg);
        exit_by_pending_signal();
        return 1;
    }
    if (cfg.start_paused) {
        runstate_set(RUN_STATE_PRELAUNCH);
    } else {
        vm_start();
    }
    while (!runstate_process_requests()) {
        main_loop_wait(-1);
    }
    cpus_stop_threads();
    drive_close_all();
    chardev_cleanup_all();
    pidfile_remove();
    log_flush();
    vl_config_free(&cfg);
    return 0;
}
