/* Command-line parsing for mimic-system-*: QEMU's option names and sub-option syntax.
 * Each option Mimic takes is one row of the table below: name, argument, help group, text
 * and a handler (machine options in options-machine.c); QEMU options Mimic refuses are in
 * options-refused.c. To add an option, add a row (and remove it from the refused list). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "system/binary-info.h"
#include "system/boot-options.h"
#include "hw/rtc/mc146818.h"
#include "system/options-internal.h"
#include "util/cutils.h"

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

int vl_bad_value(const char *opt, const char *arg, const char *why)
{
    error_report("-%s %s: %s", opt, arg, why);
    return -1;
}

int vl_list_add(VLList *list, const char *opt, const char *value)
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
    int ret = vl_list_add(list, opt, value);
    if (ret < 0) {
        free(value);
    }
    return ret;
}

int vl_keyval_parse(const char *opt, const char *arg, const char *implied, KeyValList *kv)
{
    Error *err = NULL;
    if (keyval_parse(arg, implied, kv, &err) < 0) {
        error_report("-%s %s: %s", opt, arg, error_get_message(err));
        error_free(err);
        return -1;
    }
    return 0;
}

int vl_keyval_finish(const char *opt, const char *arg, KeyValList *kv)
{
    int ret = 0;
    for (int i = 0; i < kv->count && ret == 0; i++) {
        if (!kv->items[i].used) {
            error_report("-%s %s: Invalid parameter '%s'", opt, arg, kv->items[i].key);
            ret = -1;
        }
    }
    keyval_free(kv);
    return ret;
}

/* "help" or "?" as the argument of -M, -cpu, -device, -d asks for a list. */
bool vl_is_help(const char *arg)
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

static int require_file(const char *opt, const char *path)
{
    if (access(path, R_OK) < 0) {
        error_report("-%s %s: cannot read file: %m", opt, path);
        return -1;
    }
    return 0;
}

/* The board loads it (a bare name through the -L and default firmware directories) and
 * says when it cannot, as QEMU's boards do. */
static int opt_bios(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->bios = arg;
    return 0;
}

static int opt_firmware_dir(VLConfig *cfg, const char *opt, const char *arg)
{
    return vl_list_add(&cfg->firmware_dirs, opt, arg);
}

static int opt_kernel(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->kernel = arg;
    return require_file(opt, arg);
}

static int opt_initrd(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->initrd = arg;
    /* "file args,file2" is a Multiboot module list: the board opens each file */
    return strpbrk(arg, " ,") && access(arg, R_OK) < 0 ? 0 : require_file(opt, arg);
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
    BootOptions b;
    Error *err = NULL;

    if (boot_options_parse(arg, &b, &err) < 0) {
        error_report_err(err);
        return -1;
    }
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

/* Adds a drive spec (owned) and what the user typed, for error messages. */
static int add_drive(VLConfig *cfg, const char *opt, char *spec, const char *typed_arg)
{
    if (list_add_owned(&cfg->drives, opt, spec) < 0) {
        return -1;
    }
    cfg->drive_typed.items[cfg->drive_typed.count++] = xasprintf("-%s %s", opt, typed_arg);
    return 0;
}

/* Doubles commas so that a file name survives the sub-option parser. */
static char *escape_commas(const char *s)
{
    char *escaped = xmalloc(strlen(s) * 2 + 1), *p = escaped;
    for (; *s; s++) {
        *p++ = *s;
        if (*s == ',') {
            *p++ = ',';
        }
    }
    *p = '\0';
    return escaped;
}

/* -hda..-hdd and -cdrom become -drive specs, as in QEMU. */
static int opt_hdx(VLConfig *cfg, const char *opt, const char *arg)
{
    int index = opt[2] - 'a';
    if (require_file(opt, arg) < 0) {
        return -1;
    }
    char *escaped = escape_commas(arg);
    char *spec = xasprintf("file=%s,index=%d,media=disk,if=ide", escaped, index);
    free(escaped);
    return add_drive(cfg, opt, spec, arg);
}

/* -fda/-fdb: -drive file=F,index=0|1,if=floppy */
static int opt_fdx(VLConfig *cfg, const char *opt, const char *arg)
{
    if (require_file(opt, arg) < 0) {
        return -1;
    }
    char *escaped = escape_commas(arg);
    char *spec = xasprintf("file=%s,index=%d,if=floppy", escaped, opt[2] - 'a');
    free(escaped);
    return add_drive(cfg, opt, spec, arg);
}

static int opt_cdrom(VLConfig *cfg, const char *opt, const char *arg)
{
    if (require_file(opt, arg) < 0) {
        return -1;
    }
    char *escaped = escape_commas(arg);
    char *spec = xasprintf("file=%s,index=2,media=cdrom,if=ide", escaped);
    free(escaped);
    return add_drive(cfg, opt, spec, arg);
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
    return add_drive(cfg, opt, xstrdup(arg), arg);
}

static int opt_snapshot(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->snapshot = true;
    return 0;
}

static int opt_device(VLConfig *cfg, const char *opt, const char *arg)
{
    if (vl_is_help(arg)) {
        cfg->list_devices = true;
        return 0;
    }
    size_t len = strlen(arg);
    if (len > 5 && (!strcmp(arg + len - 5, ",help") || !strcmp(arg + len - 2, ",?"))) {
        cfg->device_help = arg;
        return 0;
    }
    return vl_list_add(&cfg->devices, opt, arg);
}

static int opt_chardev(VLConfig *cfg, const char *opt, const char *arg)
{
    return vl_list_add(&cfg->chardevs, opt, arg);
}

/* -netdev, -nic, -net: checked for syntax now, built at start-up (net/). */
static int add_net_spec(VLList *list, const char *opt, const char *arg)
{
    KeyValList kv;
    if (vl_keyval_parse(opt, arg, "type", &kv) < 0) {
        return -1;
    }
    keyval_free(&kv);
    return vl_list_add(list, opt, arg);
}

static int opt_netdev(VLConfig *cfg, const char *opt, const char *arg)
{
    return add_net_spec(&cfg->netdevs, opt, arg);
}

static int opt_nic(VLConfig *cfg, const char *opt, const char *arg)
{
    return add_net_spec(&cfg->nics, opt, arg);
}

static int opt_net(VLConfig *cfg, const char *opt, const char *arg)
{
    return add_net_spec(&cfg->nets, opt, arg);
}

static int opt_serial(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->serial_given = true;
    if (!strncmp(arg, "mon:", 4)) {
        cfg->monitor_given = true;  /* it carries the monitor, as in QEMU */
    }
    return vl_list_add(&cfg->serials, opt, arg);
}

static int opt_monitor(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->monitor_given = true;
    return vl_list_add(&cfg->monitors, opt, arg);
}

static int opt_qmp(VLConfig *cfg, const char *opt, const char *arg)
{
    return vl_list_add(&cfg->qmps, opt, arg);
}

static int opt_nographic(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->nographic = true;
    return 0;
}

static int opt_display(VLConfig *cfg, const char *opt, const char *arg)
{
    static const char *const kinds[] = { "none", "sdl", "curses", "vnc" };
    size_t n = strcspn(arg, ",=");
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
        if (strlen(kinds[i]) == n && !strncmp(arg, kinds[i], n)) {
            cfg->display = arg;
            return 0;
        }
    }
    return vl_bad_value(opt, arg, "unknown display type (none, sdl, curses, vnc)");
}

static int opt_vnc(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->vnc = arg;
    return 0;
}

static int opt_full_screen(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->full_screen = true;
    return 0;
}

/* -vga std|none: QEMU's other adapters are refused by name. */
static int opt_vga(VLConfig *cfg, const char *opt, const char *arg)
{
    if (strcmp(arg, "std") && strcmp(arg, "none")) {
        return vl_bad_value(opt, arg, "this VGA type is not supported by Mimic (std, none)");
    }
    cfg->vga = arg;
    return 0;
}

static int opt_start_paused(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->start_paused = true;
    return 0;
}

/* -gdb DEV (tcp::PORT, unix:PATH,server=on, chardev:ID, ...) and -s = -gdb tcp::1234. */
static int opt_gdb(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->gdb = arg ? arg : "tcp::1234";
    return 0;
}

static int opt_log(VLConfig *cfg, const char *opt, const char *arg)
{
    if (vl_is_help(arg)) {
        cfg->list_log = true;
    }
    cfg->log_items = arg;
    return 0;
}

static int opt_perfmap(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->perfmap = true;
    return 0;
}

static int opt_dfilter(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->log_filter = arg;
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

static int opt_qmp_pretty(VLConfig *cfg, const char *opt, const char *arg)
{
    return vl_list_add(&cfg->qmp_pretty, opt, arg);
}

/* -mon [chardev=]ID[,mode=readline|control][,pretty=on|off]: checked at start-up, when the
 * chardev exists. */
static int opt_mon(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->monitor_given = true;
    return vl_list_add(&cfg->mons, opt, arg);
}

static int opt_nodefaults(VLConfig *cfg, const char *opt, const char *arg)
{
    cfg->nodefaults = true;
    return 0;
}

/* Mimic reads no configuration files, so there is no user configuration to skip. */
static int opt_no_user_config(VLConfig *cfg, const char *opt, const char *arg)
{
    return 0;
}

/* -k LAYOUT: QEMU's keymap names (ar, de, en-gb, en-us, fr, ...): two letters, optionally
 * -two more; the VNC server is what uses it. */
static int opt_keyboard(VLConfig *cfg, const char *opt, const char *arg)
{
    size_t n = strlen(arg);
    bool ok = (n == 2 || (n == 5 && arg[2] == '-')) &&
              strspn(arg, "abcdefghijklmnopqrstuvwxyz-") == n;
    if (!ok) {
        return vl_bad_value(opt, arg, "unknown keyboard layout (e.g. en-us, de, fr)");
    }
    cfg->keyboard_layout = arg;
    return 0;
}

/* -echr 20 | -echr 0x14 | -echr ^t : the multiplexer's escape key instead of C-a. */
static int opt_echr(VLConfig *cfg, const char *opt, const char *arg)
{
    uint64_t v;
    if (arg[0] == '^' && arg[1] >= '@' && arg[1] <= '~' && !arg[2]) {
        v = (uint64_t)(arg[1] & 0x1f);
    } else if (parse_uint64(arg, &v) < 0 || v == 0 || v > 255) {
        return vl_bad_value(opt, arg, "expected a character code from 1 to 255, or ^X");
    }
    cfg->mux_escape = (int)v;
    return 0;
}

static const Option options[] = {
    { "h", NULL, GROUP_STANDARD, "show this help and exit", opt_help },
    { "help", NULL, GROUP_STANDARD, "show this help and exit", opt_help },
    { "version", NULL, GROUP_STANDARD, "show the version and exit", opt_version },
    { "M", "[type=]NAME[,prop=value...]", GROUP_MACHINE,
      "select the machine (-M help lists them, -M NAME,help its properties); accel=tcg|"
      "kvm|kvm:tcg; repeated -M options merge", opt_machine },
    { "machine", "[type=]NAME[,prop=value...]", GROUP_MACHINE, "same as -M", opt_machine },
    { "cpu", "MODEL", GROUP_MACHINE, "select the CPU model (-cpu help lists them)", opt_cpu },
    { "m", "[size=]SIZE", GROUP_MACHINE, "guest RAM: megabytes, or with a suffix (512M, 2G)",
      opt_memory },
    { "smp", "[cpus=]N[,sockets=,dies=,clusters=,cores=,threads=]", GROUP_MACHINE,
      "number of CPUs and their topology", opt_smp },
    { "accel", "tcg|kvm[,prop=value...]", GROUP_MACHINE,
      "accelerator: tcg (translator; tb-size=MB, backend=native|interp, thread=multi) or "
      "kvm; several -accel are tried in order", opt_accel },
    { "enable-kvm", NULL, GROUP_MACHINE, "same as -accel kvm", opt_enable_kvm },
    { "name", "[guest=]NAME[,process=P][,debug-threads=on]", GROUP_MACHINE,
      "name of the guest (monitor, window title); process name; name the threads",
      opt_name },
    { "uuid", "UUID", GROUP_MACHINE, "the machine's UUID (query-uuid, SMBIOS)", opt_uuid },
    { "overcommit", "mem-lock=on|off", GROUP_MACHINE,
      "mem-lock=on locks all memory in RAM (mlockall)", opt_overcommit },
    { "global", "DRIVER.PROP=VALUE", GROUP_DEVICES,
      "default value of a device property for every device of that type", opt_global },
    { "object", "TYPE,id=ID[,...]", GROUP_DEVICES, "create a backend object", opt_object },
    { "hda", "FILE", GROUP_BLOCK, "first IDE hard disk image", opt_hdx },
    { "hdb", "FILE", GROUP_BLOCK, "second IDE hard disk image", opt_hdx },
    { "hdc", "FILE", GROUP_BLOCK, "third IDE hard disk image", opt_hdx },
    { "hdd", "FILE", GROUP_BLOCK, "fourth IDE hard disk image", opt_hdx },
    { "fda", "FILE", GROUP_BLOCK, "first floppy disk image", opt_fdx },
    { "fdb", "FILE", GROUP_BLOCK, "second floppy disk image", opt_fdx },
    { "cdrom", "FILE", GROUP_BLOCK, "CD-ROM image (ISO)", opt_cdrom },
    { "drive", "file=F[,if=ide|virtio|none][,format=F][,media=disk|cdrom][,snapshot=on]...",
      GROUP_BLOCK, "a disk drive (if=none on every machine; file.locking=on|off|auto)",
      opt_drive },
    { "snapshot", NULL, GROUP_BLOCK, "write to temporary overlays, never to the images",
      opt_snapshot },
    { "device", "DRIVER[,prop=value...]", GROUP_DEVICES,
      "add a device (-device help lists them, -device DRIVER,help its properties)",
      opt_device },
    { "netdev", "user,id=ID[,net=ADDR/MASK][,host=,dns=,dhcpstart=ADDR][,restrict=on]"
      "[,hostname=H][,hostfwd=[tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT]...", GROUP_NETWORK,
      "a network backend: user (libslirp: NAT, DHCP, DNS, host forwarding)", opt_netdev },
    { "nic", "user|none[,model=M][,mac=ADDR][,user options]", GROUP_NETWORK,
      "a user network and a NIC on it (model: virtio-net-pci with PCI, else "
      "virtio-net-device)", opt_nic },
    { "net", "nic[,model=M][,macaddr=ADDR][,netdev=ID]|user[,...]|none", GROUP_NETWORK,
      "legacy form: one -net nic with one -net user", opt_net },
    { "chardev", "BACKEND,id=ID[,...]", GROUP_CHARDEV,
      "character device: stdio, null, file, pipe, pty, socket; mux=on to share", opt_chardev },
    { "serial", "DEV", GROUP_CHARDEV, "serial port backend (stdio, pty, file:F, tcp:..., "
      "unix:..., mon:stdio, null, none)", opt_serial },
    { "monitor", "DEV", GROUP_CHARDEV, "human monitor on DEV (same forms as -serial)",
      opt_monitor },
    { "qmp", "DEV", GROUP_CHARDEV, "QMP (JSON) monitor on DEV, e.g. unix:/tmp/q,server=on,"
      "wait=off", opt_qmp },
    { "qmp-pretty", "DEV", GROUP_CHARDEV, "like -qmp, with indented JSON", opt_qmp_pretty },
    { "mon", "[chardev=]ID[,mode=readline|control][,pretty=on]", GROUP_CHARDEV,
      "a monitor on the chardev ID", opt_mon },
    { "echr", "CODE", GROUP_CHARDEV, "escape key of the multiplexer instead of C-a (e.g. 20 "
      "or ^t)", opt_echr },
    { "nodefaults", NULL, GROUP_CHARDEV, "no default serial port, monitor or display",
      opt_nodefaults },
    { "no-user-config", NULL, GROUP_STANDARD, "read no user configuration (Mimic reads none)",
      opt_no_user_config },
    { "nographic", NULL, GROUP_DISPLAY,
      "no window; serial port and monitor multiplexed on the terminal (C-a h for help)",
      opt_nographic },
    { "display", "sdl|curses|none|vnc=ADDR", GROUP_DISPLAY,
      "display back end (default: sdl with a host display, else none); sdl,window-close=off",
      opt_display },
    { "vnc", "[HOST]:N|unix:PATH[,password=on]", GROUP_DISPLAY,
      "VNC server on port 5900+N or a unix socket (set_password vnc PASS)", opt_vnc },
    { "full-screen", NULL, GROUP_DISPLAY, "start the SDL window full screen",
      opt_full_screen },
    { "vga", "std|none", GROUP_DISPLAY, "graphics card: standard VGA with Bochs VBE (default "
      "on pc), or none", opt_vga },
    { "k", "LAYOUT", GROUP_DISPLAY, "keyboard layout for the VNC server (en-us, de, fr...)",
      opt_keyboard },
    { "bios", "FILE", GROUP_BOOT, "firmware image", opt_bios },
    { "L", "DIR", GROUP_BOOT, "directory searched first for firmware files",
      opt_firmware_dir },
    { "kernel", "FILE", GROUP_BOOT, "Linux kernel (bzImage, zImage) or multiboot image",
      opt_kernel },
    { "initrd", "FILE", GROUP_BOOT, "initial ram disk (with -kernel)", opt_initrd },
    { "append", "CMDLINE", GROUP_BOOT, "kernel command line (with -kernel)", opt_append },
    { "dtb", "FILE", GROUP_BOOT, "device tree blob for ARM kernels", opt_dtb },
    { "boot", "[order=drives][,once=..][,menu=on]", GROUP_BOOT,
      "boot order: a/b floppy, c disk, d CD-ROM, n network", opt_boot },
    { "rtc", "[base=utc|localtime|DATE][,clock=host|rt|vm]", GROUP_BOOT,
      "real-time clock start and source", opt_rtc },
    { "S", NULL, GROUP_DEBUG, "do not start the CPUs (use the monitor's 'cont')",
      opt_start_paused },
    { "gdb", "DEV", GROUP_DEBUG, "wait for a gdb connection on DEV (tcp::PORT, "
      "unix:PATH,server=on, chardev:ID)", opt_gdb },
    { "s", NULL, GROUP_DEBUG, "shorthand for -gdb tcp::1234", opt_gdb },
    { "d", "ITEM,...", GROUP_DEBUG, "log categories (-d help lists them)", opt_log },
    { "D", "FILE", GROUP_DEBUG, "write the log to FILE instead of stderr ('%d': the "
      "process id, or with -d tid one file per vCPU)", opt_logfile },
    { "dfilter", "RANGE,...", GROUP_DEBUG, "restrict the TB logs (in_asm, op, out_asm, exec, "
      "cpu) to guest addresses START..END, START+LEN, START-LEN", opt_dfilter },
    { "perfmap", NULL, GROUP_DEBUG, "write /tmp/perf-PID.map: Linux perf names translated "
      "code by guest address", opt_perfmap },
    { "msg", "timestamp=on|off[,guest-name=on|off]", GROUP_DEBUG,
      "prefix error messages with the time and/or the guest name", opt_msg },
    { "no-reboot", NULL, GROUP_DEBUG, "exit instead of rebooting", opt_no_reboot },
    { "no-shutdown", NULL, GROUP_DEBUG, "stop instead of exiting when the guest shuts down",
      opt_no_shutdown },
    { "action", "reboot=..,shutdown=..,panic=..", GROUP_DEBUG,
      "what guest reboot, shutdown and panic do", opt_action },
    { "daemonize", NULL, GROUP_DEBUG, "detach from the terminal after start-up",
      opt_daemonize },
    { "pidfile", "FILE", GROUP_DEBUG, "write the process id to FILE (locked)", opt_pidfile },
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

/* Rules between options, as QEMU's. */
static int vl_check_combinations(const VLConfig *cfg)
{
    if (!cfg->kernel && cfg->append) {
        error_report("-append only allowed with -kernel option");
        return -1;
    }
    if (!cfg->kernel && cfg->initrd) {
        error_report("-initrd only allowed with -kernel option");
        return -1;
    }
    return 0;
}

/* An option Mimic refuses: consume its argument so that the line quotes it. */
static int refuse(int argc, char **argv, int *i, const char *name)
{
    int has_arg = vl_refused_option_has_arg(name);
    const char *arg = has_arg > 0 && *i + 1 < argc ? argv[*i + 1] : NULL;
    if (has_arg < 0) {
        error_report("%s: invalid option (see -help)", argv[*i]);
        return -1;
    }
    return vl_refuse_option(argv[*i], name, arg);
}

int vl_parse_args(int argc, char **argv, VLConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (int i = 1; i < argc; i++) {
        const char *word = argv[i];
        const Option *opt;

        if (word[0] != '-' || word[1] == '\0') {
            /* QEMU takes a lone argument as the first hard disk */
            if (opt_hdx(cfg, "hda", word) < 0) {
                return -1;
            }
            continue;
        }
        const char *name = word + 1 + (word[1] == '-');
        opt = find_option(name);
        if (!opt) {
            return refuse(argc, argv, &i, name);
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
    return vl_check_combinations(cfg);
}

void vl_config_free(VLConfig *cfg)
{
    for (int i = 0; i < cfg->drives.count; i++) {
        free((char *)cfg->drives.items[i]);
        free((char *)cfg->drive_typed.items[i]);
    }
    cfg->drives.count = cfg->drive_typed.count = 0;
    free((char *)cfg->name);
    free((char *)cfg->process_name);
    free((char *)cfg->panic_action);
    cfg->name = cfg->process_name = cfg->panic_action = NULL;
}

void vl_foreach_option(void (*fn)(const char *name, const char *arg, void *opaque),
                       void *opaque)
{
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        fn(options[i].name, options[i].arg, opaque);
    }
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
