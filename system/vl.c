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
#include <sys/mman.h>
#include <sys/prctl.h>
#include "config-host.h"
#include "chardev/chardev.h"
#include "hw/loader.h"
#include "hw/qdev.h"
#include "monitor/monitor.h"
#include "system/binary-info.h"
#include "system/cpu.h"
#include "system/daemon.h"
#include "system/drive.h"
#include "net/net.h"
#include "system/machine-opts.h"
#include "system/objects.h"
#include "system/machine.h"
#include "system/main-loop.h"
#include "system/options.h"
#include "gdbstub/gdbstub.h"
#include "system/runstate.h"
#include "system/vl.h"
#include "ui/display.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include "util/log.h"
#include "util/perfmap.h"

/* Chardevs of the serial ports, in order; boards take them with vl_serial_chardev(). */
static Chardev *serial_chardevs[VL_MAX_LIST];
static int nr_serial_chardevs;

Chardev *vl_serial_chardev(int index)
{
    return index >= 0 && index < nr_serial_chardevs ? serial_chardevs[index] : NULL;
}

/* -vga: "std" unless -vga none or -nodefaults; the pc board asks with vl_vga_interface(). */
static const char *vga_interface;

const char *vl_vga_interface(void)
{
    return vga_interface;
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

/* The display back ends chosen by -display, -vnc, -nographic, -full-screen. */
static DisplayOptions display_opts;

static int parse_display_options(const VLConfig *cfg)
{
    Error *err = NULL;

    if (display_parse(cfg->display, cfg->vnc, cfg->nographic, cfg->full_screen,
                      &display_opts, &err) < 0) {
        error_report_err(err);
        return -1;
    }
    display_opts.name = cfg->name;
    return 0;
}

static int start_display(void)
{
    Error *err = NULL;

    if (display_init(&display_opts, &err) < 0) {
        error_report_err(err);
        return -1;
    }
    return 0;
}

static int setup_logging(const VLConfig *cfg)
{
    if (cfg->log_items && log_parse_categories(cfg->log_items, &log_mask) < 0) {
        return -1;
    }
    if (cfg->log_filter && log_parse_dfilter(cfg->log_filter) < 0) {
        return -1;
    }
    if (cfg->log_file && log_set_file(cfg->log_file) < 0) {
        return -1;
    }
    if (cfg->perfmap) {
        Error *err = NULL;
        if (perfmap_open(&err) < 0) {
            error_report_err(err);
            return -1;
        }
    }
    return 0;
}

static const MachineClass *select_machine(const MachineOpts *mo)
{
    const MachineClass *cls;
    if (!mo->type) {
        cls = machine_class_default(binary_info.arch);
        if (!cls) {
            error_report("no default machine for %s (try -M help)", binary_info.arch);
        }
        return cls;
    }
    cls = machine_class_find(binary_info.arch, mo->type);
    if (!cls) {
        error_report("-%s %s: unsupported machine type '%s' (try -M help)", mo->flag,
                     mo->typed, mo->type);
    }
    return cls;
}

/* TCG runs one host thread per vCPU: thread=multi, or single with one vCPU (the same). */
static int tcg_thread_option(KeyValList *kv, int smp_cpus, Error **errp)
{
    const char *thread = keyval_get(kv, "thread");
    if (thread && strcmp(thread, "multi") && (strcmp(thread, "single") || smp_cpus > 1)) {
        error_setg(errp, "thread=%s is not supported: Mimic runs each vCPU in its own thread "
                   "(thread=multi)", thread);
        return -1;
    }
    return 0;
}

/* Sets one accelerator up; 1 if it is not available here (the next one may be tried). */
static int try_accel(const char *spec, Machine *machine, int smp_cpus, const AccelOps **out,
                     Error **errp)
{
    KeyValList kv;
    int ret = -1;

    if (keyval_parse(spec, "accel", &kv, errp) < 0) {
        return -1;
    }
    const char *name = keyval_get(&kv, "accel");
    const AccelOps *ops = name ? accel_find(name) : NULL;
    if (!ops) {
        error_setg(errp, "invalid accelerator %s (try -accel help)", name ? name : "''");
        ret = name && (!strcmp(name, "kvm") || !strcmp(name, "tcg")) ? 1 : -1;
    } else if (ops->available && !ops->available(errp)) {
        ret = 1;
    } else if ((!strcmp(name, "tcg") && tcg_thread_option(&kv, smp_cpus, errp) < 0) ||
               (ops->init && ops->init(machine, &kv, errp) < 0) ||
               keyval_check_unused(&kv, "-accel", errp) < 0) {
        ret = -1;
    } else {
        *out = ops;
        ret = 0;
    }
    keyval_free(&kv);
    return ret;
}

/* The accelerators asked for, in order: -accel options, else -machine accel=a:b, else tcg.
 * Like QEMU, one that is not available here falls back to the next with a warning. */
static int accel_candidates(const VLConfig *cfg, const MachineOpts *mo, char ***out)
{
    int n = 0;
    char **list = xzalloc(sizeof(char *) * (VL_MAX_LIST + 8));

    for (int i = 0; i < cfg->accels.count; i++) {
        list[n++] = xstrdup(cfg->accels.items[i]);
    }
    if (n == 0 && mo->accel) {
        char *copy = xstrdup(mo->accel), *save = NULL;
        for (char *a = strtok_r(copy, ":", &save); a && n < VL_MAX_LIST + 7;
             a = strtok_r(NULL, ":", &save)) {
            list[n++] = xstrdup(a);
        }
        free(copy);
    }
    if (n == 0) {
        list[n++] = xstrdup("tcg");
    }
    *out = list;
    return n;
}

static int select_accel(const VLConfig *cfg, const MachineOpts *mo, Machine *machine,
                        const AccelOps **out)
{
    char **list;
    int n = accel_candidates(cfg, mo, &list), ret = -1;
    bool asked = cfg->accels.count || mo->accel;

    *out = NULL;
    for (int i = 0; i < n && ret != 0; i++) {
        Error *err = NULL;
        ret = try_accel(list[i], machine, cfg->smp_cpus ? cfg->smp_cpus : 1, out, &err);
        if (ret == 1 && i + 1 < n) {
            warn_report("%s; falling back to %s", error_get_message(err), list[i + 1]);
        } else if (ret == 1 && !asked) {
            ret = 0;        /* built without the default accelerator: the CPUs stay stopped */
        } else if (ret != 0) {
            error_prepend(&err, "-accel %s: ", list[i]);
            error_report_err(err);
            ret = -1;
            break;
        }
        error_free(err);
    }
    for (int i = 0; i < n; i++) {
        free(list[i]);
    }
    free(list);
    return ret;
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
/* As QEMU: -nographic would put default consoles on the terminal -daemonize leaves; with
 * every console given explicitly (or -nodefaults) it is a no-op and allowed. */
static int check_daemonize_nographic(const VLConfig *cfg, const MachineClass *cls)
{
    bool default_serial = !cfg->serial_given && !cls->no_serial;
    bool default_monitor = !cfg->monitor_given && cfg->qmps.count == 0 &&
                           cfg->qmp_pretty.count == 0;

    if (cfg->daemonize && cfg->nographic && !cfg->nodefaults &&
        (default_serial || default_monitor)) {
        error_report("-nographic cannot be used with -daemonize");
        return -1;
    }
    return 0;
}

static void apply_default_consoles(VLConfig *cfg, const MachineClass *cls)
{
    bool default_serial = !cfg->serial_given && !cls->no_serial;
    bool default_monitor = !cfg->monitor_given && cfg->qmps.count == 0 &&
                           cfg->qmp_pretty.count == 0;

    if (cfg->nodefaults) {
        return;
    }
    if (!cfg->nographic) {
        /* a window or VNC shows the monitor and the serial port as text consoles */
        if (display_wants_vc(&display_opts) && default_serial) {
            cfg->serials.items[cfg->serials.count++] = "vc";
        }
        if (display_wants_vc(&display_opts) && default_monitor) {
            cfg->monitors.items[cfg->monitors.count++] = "vc";
        }
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

static int create_qmp_monitors(const VLList *specs, const char *opt, bool pretty, int first)
{
    Error *err = NULL;
    Chardev *chr;
    char id[32];

    for (int i = 0; i < specs->count; i++) {
        snprintf(id, sizeof(id), "compat_monitor%d", first + i);
        if (open_short_chardev(opt, specs->items[i], id, &chr) < 0) {
            return -1;
        }
        if (chr && monitor_init_qmp(chr, pretty, &err) < 0) {
            error_prepend(&err, "-%s %s: ", opt, specs->items[i]);
            error_report_err(err);
            return -1;
        }
    }
    return 0;
}

/* -mon [chardev=]ID[,mode=readline|control][,pretty=on|off] on a -chardev. */
static int create_mon(const char *spec, Error **errp)
{
    KeyValList kv;
    bool pretty = false;
    int ret = -1;

    if (keyval_parse(spec, "chardev", &kv, errp) < 0) {
        return -1;
    }
    const char *id = keyval_get(&kv, "chardev");
    const char *mode = keyval_get(&kv, "mode");
    Chardev *chr = id ? chardev_find(id) : NULL;
    if (keyval_get_bool(&kv, "pretty", false, &pretty, errp) < 0 ||
        keyval_check_unused(&kv, "-mon", errp) < 0) {
        /* reported through errp */
    } else if (!id) {
        error_setg(errp, "Parameter 'chardev' is missing");
    } else if (!chr) {
        error_setg(errp, "chardev \"%s\" not found", id);
    } else if (mode && strcmp(mode, "readline") && strcmp(mode, "control")) {
        error_setg(errp, "Parameter 'mode' does not accept value '%s'", mode);
    } else if (mode && !strcmp(mode, "control")) {
        ret = monitor_init_qmp(chr, pretty, errp);
    } else if (pretty) {
        error_setg(errp, "'pretty' is not compatible with HMP monitors");
    } else {
        ret = monitor_init_hmp(chr, errp);
    }
    keyval_free(&kv);
    return ret;
}

static int create_mon_monitors(const VLConfig *cfg)
{
    Error *err = NULL;
    for (int i = 0; i < cfg->mons.count; i++) {
        if (create_mon(cfg->mons.items[i], &err) < 0) {
            error_prepend(&err, "-mon %s: ", cfg->mons.items[i]);
            error_report_err(err);
            return -1;
        }
    }
    return 0;
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
    /* one numbering for every monitor, as QEMU's compat_monitorN */
    int first = cfg->monitors.count;
    if (create_qmp_monitors(&cfg->qmps, "qmp", false, first) < 0 ||
        create_qmp_monitors(&cfg->qmp_pretty, "qmp-pretty", true,
                            first + cfg->qmps.count) < 0) {
        return -1;
    }
    return create_mon_monitors(cfg);
}

/* -global: device defaults, checked now; -object: the backend objects (system/objects.c). */
static int apply_globals_and_objects(const VLConfig *cfg)
{
    Error *err = NULL;
    for (int i = 0; i < cfg->globals.count; i++) {
        if (qdev_global_add(cfg->globals.items[i], &err) < 0) {
            error_prepend(&err, "-global %s: ", cfg->globals.items[i]);
            error_report_err(err);
            return -1;
        }
    }
    for (int i = 0; i < cfg->objects.count; i++) {
        if (object_create_from_spec(cfg->objects.items[i], &err) < 0) {
            error_prepend(&err, "-object %s: ", cfg->objects.items[i]);
            error_report_err(err);
            return -1;
        }
    }
    return 0;
}

/* -machine memory-backend=ID: guest RAM is that object's memory (its size if no -m). */
static int take_memory_backend(VLConfig *cfg, MachineOpts *mo, void **ram_host)
{
    *ram_host = NULL;
    if (!mo->memory_backend) {
        return 0;
    }
    HostMemoryBackend *b = memory_backend_find(mo->memory_backend);
    if (!b || b->used) {
        error_report("-%s %s: %s", mo->flag, mo->typed, b ? "memory backend is already in use"
                     : "memory backend not found (give it with -object)");
        return -1;
    }
    if (cfg->ram_size && cfg->ram_size != b->size) {
        error_report("-%s %s: Machine memory size does not match the size of the memory "
                     "backend", mo->flag, mo->typed);
        return -1;
    }
    cfg->ram_size = b->size;
    b->used = true;
    *ram_host = b->host;
    return 0;
}

static Machine *create_machine(VLConfig *cfg, const MachineClass *cls, MachineOpts *mo)
{
    void *ram_host;
    if (take_memory_backend(cfg, mo, &ram_host) < 0) {
        return NULL;
    }
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
        .props = &mo->kv,
        .ram_host = ram_host,
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
            error_prepend(&err, "%s: ", cfg->drive_typed.items[i]);
            error_report_err(err);
            return -1;
        }
    }
    return 0;
}

static int create_netdevs(const VLConfig *cfg)
{
    Error *err = NULL;
    net_init();
    for (int i = 0; i < cfg->netdevs.count; i++) {
        if (net_netdev_add(cfg->netdevs.items[i], &err) < 0) {
            error_prepend(&err, "-netdev %s: ", cfg->netdevs.items[i]);
            error_report_err(err);
            return -1;
        }
    }
    return 0;
}

/* -nic and -net NICs come before -device ones (default MACs in QEMU's order). */
static int create_nics(const VLConfig *cfg)
{
    Error *err = NULL;
    for (int i = 0; i < cfg->nics.count; i++) {
        if (net_nic_add(cfg->nics.items[i], &err) < 0) {
            error_prepend(&err, "-nic %s: ", cfg->nics.items[i]);
            error_report_err(err);
            return -1;
        }
    }
    if (net_legacy_add(cfg->nets.items, cfg->nets.count, &err) < 0) {
        error_report_err(err);
        return -1;
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

/* Process-wide settings from -name process=, -L, -echr, -msg, -overcommit mem-lock=on. */
static int apply_process_options(const VLConfig *cfg)
{
    if (cfg->process_name) {
        prctl(PR_SET_NAME, cfg->process_name);
    }
    for (int i = 0; i < cfg->firmware_dirs.count; i++) {
        firmware_add_dir(cfg->firmware_dirs.items[i]);
    }
    chardev_mux_set_escape_char((uint8_t)cfg->mux_escape);
    if (cfg->mem_lock && mlockall(MCL_CURRENT | MCL_FUTURE) < 0) {
        error_report("-overcommit mem-lock=on: locking memory failed: %m");
        return -1;
    }
    return 0;
}

/* The machine class and its options; 1 when only -machine NAME,help was asked. */
static int prepare_machine(VLConfig *cfg, MachineOpts *mo, const MachineClass **cls)
{
    if (machine_opts_parse(cfg, mo) < 0 || !(*cls = select_machine(mo))) {
        return -1;
    }
    if (cfg->machine_help) {
        machine_opts_print_help(stdout, *cls);
        return 1;
    }
    return machine_opts_check(mo, *cls, cfg);
}

static int create_backends(VLConfig *cfg, const MachineClass *cls)
{
    main_loop_init();
    block_aio_attach_main_loop();       /* disk completions run on the main loop */
    install_signal_handlers();
    runstate_set_no_reboot(cfg->no_reboot);
    runstate_set_no_shutdown(cfg->no_shutdown);
    apply_default_consoles(cfg, cls);
    if (apply_process_options(cfg) < 0 || apply_globals_and_objects(cfg) < 0 ||
        create_chardevs(cfg) < 0 || create_consoles(cfg) < 0 || create_drives(cfg, cls) < 0 ||
        create_netdevs(cfg) < 0) {
        return -1;
    }
    return 0;
}

static const char *guest_name, *guest_uuid, *accel_name;

const char *vl_accel_name(void)
{
    return accel_name;
}

static int start_up(VLConfig *cfg, MachineOpts *mo, const MachineClass *cls,
                    Machine **machine_out)
{
    const AccelOps *accel;
    Error *err = NULL;
    Machine *machine;

    if (setup_logging(cfg) < 0 || parse_display_options(cfg) < 0 ||
        check_daemonize_nographic(cfg, cls) < 0) {
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
    if (create_backends(cfg, cls) < 0 || !(machine = create_machine(cfg, cls, mo))) {
        return -1;
    }
    *machine_out = machine;
    machine_opts_apply_memory(mo, machine);
    if (create_nics(cfg) < 0 || create_devices(cfg) < 0 ||
        select_accel(cfg, mo, machine, &accel) < 0 || start_display() < 0) {
        return -1;
    }
    net_check_clients();
    accel_name = accel ? accel->name : NULL;
    chardev_mux_focus_last_all();
    if (accel && cpus_start_threads(accel, &err) < 0) {
        error_report_err(err);
        return -1;
    }
    if (cfg->gdb && gdbserver_start(cfg->gdb, &err) < 0) {
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

const char *vl_guest_name(void)
{
    return guest_name;
}

const char *vl_guest_uuid(void)
{
    return guest_uuid;
}

static void clean_up(VLConfig *cfg, MachineOpts *mo)
{
    display_cleanup(&display_opts);
    drive_close_all();
    net_cleanup_all();
    chardev_cleanup_all();
    qdev_globals_clear();
    object_destroy_all();
    pidfile_remove();
    guest_name = guest_uuid = accel_name = vga_interface = NULL;
    error_set_message_prefixes(false, NULL);
    machine_opts_free(mo);
    vl_config_free(cfg);
}

int vl_main(int argc, char **argv)
{
    VLConfig cfg;
    MachineOpts mo = { 0 };
    const MachineClass *cls = NULL;
    Machine *machine = NULL;
    int rc;

    error_set_progname(binary_info.name);
    if (vl_parse_args(argc, argv, &cfg) < 0) {
        vl_config_free(&cfg);
        return 1;
    }
    error_set_message_prefixes(cfg.msg_timestamp, cfg.msg_guest_name ? cfg.name : NULL);
    rc = answer_information_requests(&cfg);
    if (rc == 0) {
        rc = prepare_machine(&cfg, &mo, &cls);
    }
    if (rc != 0) {
        error_set_message_prefixes(false, NULL);
        machine_opts_free(&mo);
        vl_config_free(&cfg);
        return rc < 0 ? 1 : 0;
    }
    guest_name = cfg.name;
    guest_uuid = cfg.uuid;
    vga_interface = cfg.vga ? cfg.vga : cfg.nodefaults ? "none" : "std";
    if (start_up(&cfg, &mo, cls, &machine) < 0) {
        clean_up(&cfg, &mo);
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
    log_flush();
    clean_up(&cfg, &mo);
    return 0;
}
