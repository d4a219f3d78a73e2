/* Command-line parsing for mimic-system-*: QEMU's option names and sub-option syntax.
 * Each option is one row of a table: name, argument, help group, text and a handler. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "system/binary-info.h"
#include "hw/rtc/mc146818.h"
#include "system/options.h"
#include "util/cutils.h"
#include "util/keyval.h"

typedef int OptionHandler(VLConfig *cfg, const char *opt, const char *arg);

typedef enum {
    GROUP_STANDARD, GROUP_MACHINE, GROUP_BLOCK, GROUP_DEVICES, GROUP_CHARDEV,
    GROUP_NETWORK, GROUP_DISPLAY, GROUP_BOOT, GROUP_DEBUG, GROUP_COUNT,
} OptionGroup;

static const char *const group_titles[GROUP_COUNT] = {
    "Standard options", "Machine and CPU", "Block devices", "Devices",
    "Character devices, serial ports and monitor", "Network", "Display",
    "Boot and firmware", "Debugging and run control",
};

typedef struct Option {
    const char *name;
    const char *arg;            /* NULL: takes no argument */
    OptionGroup group;
    const char *help;
    OptionHandler *handler;
} Option;

static int bad_value(const char *opt, const char *arg, const char *why)
{
    error_report("-%s %s: %s", opt, arg, why);
    return -1;
}

static int list_add(VLList *list, const char *opt, const char *value)
{
    if (list->count == VL_MAX_LIST) {
        error_report("-%s: at most %d of these are supported", opt, VL_MAX_LIST);
        return -1;
    }
    list->items[list->count++] = value;
    return 0;
}

/* Adds a string the list owns (freed by vl_config_free, or now on failure). */
static int list_add_owned(VLList *list, const char *opt, char *value)
{
    int ret = list_add(list, opt, value);
    if (ret < 0) {
        free(value);
    }
    return ret;
}

/* "help" or "?" as the argument of -M, -cpu, -device, -d asks for a list. */
static bool is_help(const char *arg)
{
    return !strcmp(arg, "help") || !strcmp(arg, "?");
}

static int opt_help(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->want_help = true;
    return 0;
}

static int opt_version(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->want_version = true;
    return 0;
}

static int opt_machine(VLConfig *cfg, const char *opt, const char *arg)
{
    if (is_help(arg)) {
        cfg->list_machines = true;
    }
    cfg->machine = arg;
    return 0;
}

static int opt_cpu(VLConfig *cfg, const char *opt, const char *arg)
{
    if (is_help(arg)) {
        cfg->list_cpus = true;
    }
    cfg->cpu_model = arg;
    return 0;
}

/* -m 512 | -m 2G | -m size=512M[,slots=,maxmem=] (slots/maxmem accepted, not used) */
static int opt_memory(VLConfig *cfg, const char *opt, const char *arg)
{
    KeyValList kv;
    Error *err = NULL;
    const char *size;
    uint64_t bytes;

    if (keyval_parse(arg, "size", &kv, &err) < 0) {
        error_report("-m %s: %s", arg, error_get_message(err));
        error_free(err);
        return -1;
    }
    size = keyval_get(&kv, "size");
    keyval_get(&kv, "slots");
    keyval_get(&kv, "maxmem");
    if (keyval_check_unused(&kv, "-m", &err) < 0) {
        error_report_err(err);
        keyval_free(&kv);
        return -1;
    }
    if (!size || parse_size(size, 1 << 20, &bytes) < 0 || bytes == 0) {
        keyval_free(&kv);
        return bad_value(opt, arg, "expected a memory size such as 512, 512M or 2G");
    }
    keyval_free(&kv);
    cfg->ram_size = bytes;
    return 0;
}

/* -smp N | -smp cpus=N[,sockets=,cores=,threads=,maxcpus=] */
static int opt_smp(VLConfig *cfg, const char *opt, const char *arg)
{
    KeyValList kv;
    Error *err = NULL;
    uint64_t n = 0, part;
    uint64_t product = 1;
    bool have_topology = false;
    static const char *const topology[] = { "sockets", "cores", "threads" };

    if (keyval_parse(arg, "cpus", &kv, &err) < 0) {
        error_report("-smp %s: %s", arg, error_get_message(err));
        error_free(err);
        return -1;
    }
    const char *cpus = keyval_get(&kv, "cpus");
    if (cpus && (parse_uint64(cpus, &n) < 0 || n == 0 || n > 1024)) {
        keyval_free(&kv);
        return bad_value(opt, arg, "the number of CPUs must be between 1 and 1024");
    }
    for (size_t i = 0; i < ARRAY_SIZE(topology); i++) {
        const char *v = keyval_get(&kv, topology[i]);
        if (v) {
            if (parse_uint64(v, &part) < 0 || part == 0 || part > 1024) {
                keyval_free(&kv);
                return bad_value(opt, arg, "sockets, cores and threads must be 1 to 1024");
            }
            product *= part;
            have_topology = true;
        }
    }
    keyval_get(&kv, "maxcpus");
    if (keyval_check_unused(&kv, "-smp", &err) < 0) {
        error_report_err(err);
        keyval_free(&kv);
        return -1;
    }
    keyval_free(&kv);
    if (!n) {
        n = product;
    } else if (have_topology && product != n) {
        return bad_value(opt, arg, "sockets * cores * threads must equal cpus");
    }
    if (n > 1024) {
        return bad_value(opt, arg, "too many CPUs");
    }
    cfg->smp_cpus = (int)n;
    return 0;
}

static int opt_accel(VLConfig *cfg, const char *opt, const char *arg)
{
    if (is_help(arg)) {
        cfg->list_accels = true;
    }
    cfg->accel = arg;
    cfg->accel_given = true;
    return 0;
}

static int opt_enable_kvm(VLConfig *cfg, const char *opt, const char *arg)
{
    return opt_accel(cfg, opt, "kvm");
}

static int opt_name(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->name = arg;
    return 0;
}

static int require_file(const char *opt, const char *path)
{
    if (access(path, R_OK) < 0) {
        error_report("-%s %s: cannot read file: %m", opt, path);
        return -1;
    }
    return 0;
}

static int opt_bios(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->bios = arg;    /* a bare name is looked up in the firmware path later */
    return 0;
}

static int opt_kernel(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->kernel = arg;
    return require_file(opt, arg);
}

static int opt_initrd(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->initrd = arg;
    return require_file(opt, arg);
}

static int opt_append(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->append = arg;
    return 0;
}

static int opt_dtb(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->dtb = arg;
    return require_file(opt, arg);
}

static int opt_boot(VLConfig *cfg, const char *opt, const char *arg)
{
    KeyValList kv;
    Error *err = NULL;
    const char *order;

    if (keyval_parse(arg, "order", &kv, &err) < 0) {
        error_report("-boot %s: %s", arg, error_get_message(err));
        error_free(err);
        return -1;
    }
    order = keyval_get(&kv, "order");
    keyval_get(&kv, "once");
    keyval_get(&kv, "menu");
    keyval_get(&kv, "strict");
    keyval_get(&kv, "splash-time");
    keyval_get(&kv, "reboot-timeout");
    if (keyval_check_unused(&kv, "-boot", &err) < 0) {
        error_report_err(err);
        keyval_free(&kv);
        return -1;
    }
    if (order && order[strspn(order, "acdnp")] != '\0') {
        keyval_free(&kv);
        return bad_value(opt, arg, "boot order letters are a, c, d, n and p");
    }
    keyval_free(&kv);
    cfg->boot = arg;
    return 0;
}

/* -rtc base=utc|localtime|DATE,clock=host|rt|vm[,driftfix=none|slew]: checked here, read
 * by the board (mc146818_parse_rtc_option). */
static int opt_rtc(VLConfig *cfg, const char *opt, const char *arg)
{
    Error *err = NULL;

    if (mc146818_parse_rtc_option(arg, NULL, NULL, &err) < 0) {
        error_report_err(err);
        return -1;
    }
    cfg->rtc = arg;
    return 0;
}

/* -hda..-hdd and -cdrom become -drive specs, as in QEMU. */
static int opt_hdx(VLConfig *cfg, const char *opt, const char *arg)
{
    int index = opt[2] - 'a';
    if (require_file(opt, arg) < 0) {
        return -1;
    }
    char *escaped = xmalloc(strlen(arg) * 2 + 1), *p = escaped;
    for (const char *s = arg; *s; s++) {
        *p++ = *s;
        if (*s == ',') {
            *p++ = ',';
        }
    }
    *p = '\0';
    char *spec = xasprintf("file=%s,index=%d,media=disk,if=ide", escaped, index);
    free(escaped);
    return list_add_owned(&cfg->drives, opt, spec);
}

static int opt_cdrom(VLConfig *cfg, const char *opt, const char *arg)
{
    if (require_file(opt, arg) < 0) {
        return -1;
    }
    return list_add_owned(&cfg->drives, opt,
                          xasprintf("file=%s,index=2,media=cdrom,if=ide", arg));
}

static int opt_drive(VLConfig *cfg, const char *opt, const char *arg)
{
    KeyValList kv;
    Error *err = NULL;
    if (keyval_parse(arg, NULL, &kv, &err) < 0) {
        error_report("-drive %s: %s", arg, error_get_message(err));
        error_free(err);
        return -1;
    }
    keyval_free(&kv);
    return list_add_owned(&cfg->drives, opt, xstrdup(arg));
}

static int opt_snapshot(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->snapshot = true;
    return 0;
}

static int opt_device(VLConfig *cfg, const char *opt, const char *arg)
{
    if (is_help(arg)) {
        cfg->list_devices = true;
        return 0;
    }
    size_t len = strlen(arg);
    if (len > 5 && (!strcmp(arg + len - 5, ",help") || !strcmp(arg + len - 2, ",?"))) {
        cfg->device_help = arg;
        return 0;
    }
    return list_add(&cfg->devices, opt, arg);
}

static int opt_chardev(VLConfig *cfg, const char *opt, const char *arg)
{
    return list_add(&cfg->chardevs, opt, arg);
}

static int opt_serial(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->serial_given = true;
    if (!strncmp(arg, "mon:", 4)) {
        cfg->monitor_given = true;  /* it carries the monitor, as in QEMU */
    }
    return list_add(&cfg->serials, opt, arg);
}

static int opt_monitor(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->monitor_given = true;
    return list_add(&cfg->monitors, opt, arg);
}

static int opt_qmp(VLConfig *cfg, const char *opt, const char *arg)
{
    return list_add(&cfg->qmps, opt, arg);
}

static int opt_netdev(VLConfig *cfg, const char *opt, const char *arg)
{
    return list_add(&cfg->netdevs, opt, arg);
}

static int opt_nic(VLConfig *cfg, const char *opt, const char *arg)
{
    return list_add(&cfg->nics, opt, arg);
}

static int opt_nographic(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->nographic = true;
    return 0;
}

static int opt_display(VLConfig *cfg, const char *opt, const char *arg)
{
    static const char *const kinds[] = { "none", "sdl", "curses", "vnc" };
    size_t n = strcspn(arg, ",");
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
        if (strlen(kinds[i]) == n && !strncmp(arg, kinds[i], n)) {
            cfg->display = arg;
            return 0;
        }
    }
    return bad_value(opt, arg, "unknown display type (none, sdl, curses, vnc)");
}

static int opt_vnc(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->vnc = arg;
    return 0;
}

static int opt_start_paused(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->start_paused = true;
    return 0;
}

static int opt_gdb_default(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->gdb = "tcp::1234";
    return 0;
}

static int opt_gdb(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->gdb = arg;
    return 0;
}

static int opt_log(VLConfig *cfg, const char *opt, const char *arg)
{
    if (is_help(arg)) {
        cfg->list_log = true;
    }
    cfg->log_items = arg;
    return 0;
}

static int opt_logfile(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->log_file = arg;
    return 0;
}

static int opt_no_reboot(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->no_reboot = true;
    return 0;
}

static int opt_no_shutdown(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->no_shutdown = true;
    return 0;
}

static int opt_loadvm(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->loadvm = arg;
    return 0;
}

static int opt_incoming(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->incoming = arg;
    return 0;
}

static int opt_daemonize(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->daemonize = true;
    return 0;
}

static int opt_pidfile(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->pidfile = arg;
    return 0;
}

static const Option options[] = {
    { "h", NULL, GROUP_STANDARD, "show this help and exit", opt_help },
    { "help", NULL, GROUP_STANDARD, "show this help and exit", opt_help },
    { "version", NULL, GROUP_STANDARD, "show the version and exit", opt_version },
    { "M", "NAME[,prop=value...]", GROUP_MACHINE, "select the machine (-M help lists them)",
      opt_machine },
    { "machine", "NAME[,prop=value...]", GROUP_MACHINE, "same as -M", opt_machine },
    { "cpu", "MODEL", GROUP_MACHINE, "select the CPU model (-cpu help lists them)", opt_cpu },
    { "m", "SIZE", GROUP_MACHINE, "guest RAM: megabytes, or with a suffix (512M, 2G)",
      opt_memory },
    { "smp", "N[,sockets=S,cores=C,threads=T]", GROUP_MACHINE, "number of CPUs", opt_smp },
    { "accel", "tcg|kvm[,prop=value...]", GROUP_MACHINE,
      "accelerator: tcg (translator; tb-size=MB, backend=native|interp) or kvm", opt_accel },
    { "enable-kvm", NULL, GROUP_MACHINE, "same as -accel kvm", opt_enable_kvm },
    { "name", "NAME", GROUP_MACHINE, "name of the guest (window title, monitor)", opt_name },
    { "hda", "FILE", GROUP_BLOCK, "first IDE hard disk image", opt_hdx },
    { "hdb", "FILE", GROUP_BLOCK, "second IDE hard disk image", opt_hdx },
    { "hdc", "FILE", GROUP_BLOCK, "third IDE hard disk image", opt_hdx },
    { "hdd", "FILE", GROUP_BLOCK, "fourth IDE hard disk image", opt_hdx },
    { "cdrom", "FILE", GROUP_BLOCK, "CD-ROM image (ISO)", opt_cdrom },
    { "drive", "file=F[,if=ide|virtio|none][,format=F][,media=disk|cdrom][,snapshot=on]...",
      GROUP_BLOCK, "a disk drive", opt_drive },
    { "snapshot", NULL, GROUP_BLOCK, "write to temporary overlays, never to the images",
      opt_snapshot },
    { "device", "DRIVER[,prop=value...]", GROUP_DEVICES,
      "add a device (-device help lists them, -device DRIVER,help its properties)",
      opt_device },
    { "chardev", "BACKEND,id=ID[,...]", GROUP_CHARDEV,
      "character device: stdio, null, file, pipe, pty, socket; mux=on to share", opt_chardev },
    { "serial", "DEV", GROUP_CHARDEV, "serial port backend (stdio, pty, file:F, tcp:..., "
      "unix:..., mon:stdio, null, none)", opt_serial },
    { "monitor", "DEV", GROUP_CHARDEV, "human monitor on DEV (same forms as -serial)",
      opt_monitor },
    { "qmp", "DEV", GROUP_CHARDEV, "QMP (JSON) monitor on DEV, e.g. unix:/tmp/q,server=on,"
      "wait=off", opt_qmp },
    { "netdev", "user|tap|socket,id=ID[,...]", GROUP_NETWORK, "network backend", opt_netdev },
    { "nic", "[user|tap...][,model=M][,mac=MAC]", GROUP_NETWORK, "NIC with its backend",
      opt_nic },
    { "nographic", NULL, GROUP_DISPLAY,
      "no window; serial port and monitor multiplexed on the terminal (C-a h for help)",
      opt_nographic },
    { "display", "none|sdl|curses|vnc", GROUP_DISPLAY, "display back end", opt_display },
    { "vnc", "DISPLAY", GROUP_DISPLAY, "VNC server on DISPLAY (e.g. :0)", opt_vnc },
    { "bios", "FILE", GROUP_BOOT, "firmware image", opt_bios },
    { "kernel", "FILE", GROUP_BOOT, "Linux kernel (bzImage, zImage) or multiboot image",
      opt_kernel },
    { "initrd", "FILE", GROUP_BOOT, "initial ram disk", opt_initrd },
    { "append", "CMDLINE", GROUP_BOOT, "kernel command line", opt_append },
    { "dtb", "FILE", GROUP_BOOT, "device tree blob for ARM kernels", opt_dtb },
    { "boot", "[order=drives][,once=..][,menu=on]", GROUP_BOOT,
      "boot order: a/b floppy, c disk, d CD-ROM, n network", opt_boot },
    { "rtc", "[base=utc|localtime|DATE][,clock=host|rt|vm]", GROUP_BOOT,
      "real-time clock start and source", opt_rtc },
    { "S", NULL, GROUP_DEBUG, "do not start the CPUs (use the monitor's 'cont')",
      opt_start_paused },
    { "s", NULL, GROUP_DEBUG, "same as -gdb tcp::1234", opt_gdb_default },
    { "gdb", "DEV", GROUP_DEBUG, "wait for a gdb connection on DEV", opt_gdb },
    { "d", "ITEM,...", GROUP_DEBUG, "log categories (-d help lists them)", opt_log },
    { "D", "FILE", GROUP_DEBUG, "write the log to FILE instead of stderr", opt_logfile },
    { "no-reboot", NULL, GROUP_DEBUG, "exit instead of rebooting", opt_no_reboot },
    { "no-shutdown", NULL, GROUP_DEBUG, "stop instead of exiting when the guest shuts down",
      opt_no_shutdown },
    { "loadvm", "TAG", GROUP_DEBUG, "start from a saved snapshot", opt_loadvm },
    { "incoming", "URI", GROUP_DEBUG, "wait for an incoming migration", opt_incoming },
    { "daemonize", NULL, GROUP_DEBUG, "detach from the terminal after start-up",
      opt_daemonize },
    { "pidfile", "FILE", GROUP_DEBUG, "write the process id to FILE", opt_pidfile },
};

static const Option *find_option(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        if (!strcmp(options[i].name, name)) {
            return &options[i];
        }
    }
    return NULL;
}

int vl_parse_args(int argc, char **argv, VLConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (int i = 1; i < argc; i++) {
        const char *word = argv[i];
        const char *name = word;
        const Option *opt;

        if (word[0] != '-' || word[1] == '\0') {
            /* QEMU takes a lone argument as the first hard disk */
            if (opt_hdx(cfg, "hda", word) < 0) {
                return -1;
            }
            continue;
        }
        name = word + 1 + (word[1] == '-');
        opt = find_option(name);
        if (!opt) {
            error_report("%s: invalid option (see -help)", word);
            return -1;
        }
        const char *arg = NULL;
        if (opt->arg) {
            if (i + 1 >= argc) {
                error_report("%s: requires an argument (%s)", word, opt->arg);
                return -1;
            }
            arg = argv[++i];
        }
        if (opt->handler(cfg, opt->name, arg) < 0) {
            return -1;
        }
    }
    return 0;
}

void vl_config_free(VLConfig *cfg)
{
    for (int i = 0; i < cfg->drives.count; i++) {
        free((char *)cfg->drives.items[i]);
    }
    cfg->drives.count = 0;
}

void vl_print_help(FILE *out)
{
    fprintf(out, "usage: %s [options] [disk_image]\n\n", binary_info.name);
    fprintf(out, "Example: boot a disk image with 512 MiB of RAM, on the terminal:\n"
                 "  %s -m 512 -hda disk.img -nographic\n", binary_info.name);
    for (int g = 0; g < GROUP_COUNT; g++) {
        fprintf(out, "\n%s:\n", group_titles[g]);
        for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
            const Option *o = &options[i];
            if (o->group != (OptionGroup)g) {
                continue;
            }
            char left[96];
            snprintf(left, sizeof(left), "-%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
            if (strlen(left) > 28) {
                fprintf(out, "  %s\n  %-28s %s\n", left, "", o->help);
            } else {
                fprintf(out, "  %-28s %s\n", left, o->help);
            }
        }
    }
    fprintf(out, "\nDuring emulation with -nographic: C-a h for help, C-a x to exit, "
                 "C-a c to switch between the serial port and the monitor.\n");
}
