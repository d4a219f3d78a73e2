/* Command-line options for the machine, CPUs, memory, accelerator and the guest's identity
 * (-M, -cpu, -m, -smp, -accel, -name, -uuid, -overcommit, -global, -object, -msg,
 * -action), with QEMU 7.2's spelling and value rules (qemu-options.hx, read for facts). */
#include <stdlib.h>
#include <string.h>
#include "system/options-internal.h"
#include "util/cutils.h"

int opt_machine(VLConfig *cfg, const char *opt, const char *arg)
{
    size_t len = strlen(arg);

    if (vl_is_help(arg)) {
        cfg->list_machines = true;
    } else if ((len > 5 && !strcmp(arg + len - 5, ",help")) ||
               (len > 2 && !strcmp(arg + len - 2, ",?"))) {
        cfg->machine_help = true;
    }
    cfg->machine = arg;
    cfg->machine_flag = opt;
    return vl_list_add(&cfg->machine_opts, opt, arg);
}

int opt_cpu(VLConfig *cfg, const char *opt, const char *arg)
{
    if (vl_is_help(arg)) {
        cfg->list_cpus = true;
    }
    cfg->cpu_model = arg;
    return 0;
}

/* -m 512 | -m 2G | -m 0x100 | -m size=512M[,slots=,maxmem=]: slots and maxmem reserve room
 * for memory hotplug, which no Mimic board has, so only values asking for none pass. */
int opt_memory(VLConfig *cfg, const char *opt, const char *arg)
{
    KeyValList kv;
    const char *size, *slots, *maxmem;
    uint64_t bytes, max;

    if (vl_keyval_parse(opt, arg, "size", &kv) < 0) {
        return -1;
    }
    size = keyval_get(&kv, "size");
    slots = keyval_get(&kv, "slots");
    maxmem = keyval_get(&kv, "maxmem");
    const char *why = NULL;
    if (!size || parse_size(size, 1 << 20, &bytes) < 0 || bytes == 0) {
        why = "expected a memory size such as 512, 512M or 2G";
    } else if (maxmem && (parse_size(maxmem, 1, &max) < 0 || max < bytes)) {
        why = "maxmem must be a size at least as large as size";
    } else if ((slots && strcmp(slots, "0")) || (maxmem && max > bytes)) {
        why = "memory hotplug (slots, maxmem) is not supported";
    }
    if (vl_keyval_finish(opt, arg, &kv) < 0) {
        return -1;
    }
    if (why) {
        return vl_bad_value(opt, arg, why);
    }
    cfg->ram_size = bytes;
    return 0;
}

/* One topology level: 1..1024, or absent (0). */
static int smp_level(KeyValList *kv, const char *key, uint64_t *out)
{
    const char *v = keyval_get(kv, key);

    *out = 0;
    return v && (parse_uint64(v, out) < 0 || *out == 0 || *out > 1024) ? -1 : 0;
}

/* -smp [cpus=]N[,maxcpus=M][,sockets=][,dies=][,clusters=][,cores=][,threads=]: as QEMU,
 * missing levels are 1 and cpus defaults to their product; Mimic has no CPU hotplug, so
 * maxcpus must equal cpus. */
int opt_smp(VLConfig *cfg, const char *opt, const char *arg)
{
    static const char *const levels[] = { "sockets", "dies", "clusters", "cores", "threads" };
    KeyValList kv;
    uint64_t cpus, maxcpus, part, product = 1;
    bool have_topology = false;

    if (vl_keyval_parse(opt, arg, "cpus", &kv) < 0) {
        return -1;
    }
    if (smp_level(&kv, "cpus", &cpus) < 0 || smp_level(&kv, "maxcpus", &maxcpus) < 0) {
        keyval_free(&kv);
        return vl_bad_value(opt, arg, "the number of CPUs must be between 1 and 1024");
    }
    for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
        if (smp_level(&kv, levels[i], &part) < 0) {
            keyval_free(&kv);
            return vl_bad_value(opt, arg, "topology levels must be between 1 and 1024");
        }
        have_topology |= part != 0;
        product *= part ? part : 1;
    }
    if (vl_keyval_finish(opt, arg, &kv) < 0) {
        return -1;
    }
    cpus = cpus ? cpus : (maxcpus && !have_topology ? maxcpus : product);
    maxcpus = maxcpus ? maxcpus : cpus;
    if (have_topology && product != maxcpus) {
        return vl_bad_value(opt, arg, "the topology (sockets * dies * clusters * cores * "
                            "threads) must equal maxcpus (or cpus)");
    }
    if (cpus > 1024 || maxcpus < cpus) {
        return vl_bad_value(opt, arg, "maxcpus must be at least cpus, at most 1024");
    }
    if (maxcpus != cpus) {
        return vl_bad_value(opt, arg, "CPU hotplug is not supported (maxcpus must equal cpus)");
    }
    cfg->smp_cpus = (int)cpus;
    cfg->smp_maxcpus = (int)maxcpus;
    return 0;
}

int opt_accel(VLConfig *cfg, const char *opt, const char *arg)
{
    if (vl_is_help(arg)) {
        cfg->list_accels = true;
    }
    cfg->accel = arg;
    cfg->accel_given = true;
    return vl_list_add(&cfg->accels, opt, arg);
}

int opt_enable_kvm(VLConfig *cfg, const char *opt, const char *arg)
{
    return opt_accel(cfg, opt, "kvm");
}

/* -name NAME | -name guest=NAME[,process=P][,debug-threads=on|off] */
int opt_name(VLConfig *cfg, const char *opt, const char *arg)
{
    KeyValList kv;
    Error *err = NULL;

    if (vl_keyval_parse(opt, arg, "guest", &kv) < 0) {
        return -1;
    }
    const char *guest = keyval_get(&kv, "guest");
    const char *process = keyval_get(&kv, "process");
    if (keyval_get_bool(&kv, "debug-threads", false, &cfg->debug_threads, &err) < 0) {
        error_report("-%s %s: %s", opt, arg, error_get_message(err));
        error_free(err);
        keyval_free(&kv);
        return -1;
    }
    /* the strings point into kv's copy of arg: keep our own (freed by vl_config_free) */
    free((char *)cfg->name);
    free((char *)cfg->process_name);
    cfg->name = guest ? xstrdup(guest) : NULL;
    cfg->process_name = process ? xstrdup(process) : NULL;
    return vl_keyval_finish(opt, arg, &kv);
}

/* -uuid xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hex digits, any case) */
int opt_uuid(VLConfig *cfg, const char *opt, const char *arg)
{
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

    for (size_t i = 0; i < sizeof(shape); i++) {
        bool want_hex = shape[i] == 'x';
        char c = arg[i];
        bool ok = shape[i] == '\0' ? c == '\0' :
                  want_hex ? (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                           : c == shape[i];
        if (!ok) {
            return vl_bad_value(opt, arg, "Fail to parse UUID string");
        }
    }
    cfg->uuid = arg;
    return 0;
}

/* -overcommit mem-lock=on|off[,cpu-pm=off]: mem-lock=on locks guest and emulator memory
 * (mlockall); cpu-pm=on gives the guest the host's idle instructions (KVM only here: no). */
int opt_overcommit(VLConfig *cfg, const char *opt, const char *arg)
{
    KeyValList kv;
    Error *err = NULL;
    bool cpu_pm;

    if (vl_keyval_parse(opt, arg, NULL, &kv) < 0) {
        return -1;
    }
    if (keyval_get_bool(&kv, "mem-lock", false, &cfg->mem_lock, &err) < 0 ||
        keyval_get_bool(&kv, "cpu-pm", false, &cpu_pm, &err) < 0) {
        error_report("-%s %s: %s", opt, arg, error_get_message(err));
        error_free(err);
        keyval_free(&kv);
        return -1;
    }
    if (vl_keyval_finish(opt, arg, &kv) < 0) {
        return -1;
    }
    return cpu_pm ? vl_bad_value(opt, arg, "cpu-pm=on is not supported") : 0;
}

int opt_global(VLConfig *cfg, const char *opt, const char *arg)
{
    return vl_list_add(&cfg->globals, opt, arg);
}

int opt_object(VLConfig *cfg, const char *opt, const char *arg)
{
    return vl_list_add(&cfg->objects, opt, arg);
}

/* -msg [timestamp=on|off][,guest-name=on|off] */
int opt_msg(VLConfig *cfg, const char *opt, const char *arg)
{
    KeyValList kv;
    Error *err = NULL;

    if (vl_keyval_parse(opt, arg, NULL, &kv) < 0) {
        return -1;
    }
    if (keyval_get_bool(&kv, "timestamp", false, &cfg->msg_timestamp, &err) < 0 ||
        keyval_get_bool(&kv, "guest-name", false, &cfg->msg_guest_name, &err) < 0) {
        error_report("-%s %s: %s", opt, arg, error_get_message(err));
        error_free(err);
        keyval_free(&kv);
        return -1;
    }
    return vl_keyval_finish(opt, arg, &kv);
}

static bool value_in(const char *v, const char *const *list)
{
    for (; *list; list++) {
        if (!strcmp(v, *list)) {
            return true;
        }
    }
    return false;
}

/* -action reboot=reset|shutdown,shutdown=poweroff|pause,panic=...,watchdog=...: reboot and
 * shutdown are -no-reboot and -no-shutdown; panic picks what a guest panic does; there is
 * no watchdog device, so only its default is taken. */
int opt_action(VLConfig *cfg, const char *opt, const char *arg)
{
    static const char *const reboot[] = { "reset", "shutdown", NULL };
    static const char *const shutdown[] = { "poweroff", "pause", NULL };
    static const char *const panic[] = { "pause", "shutdown", "none", NULL };
    static const char *const watchdog[] = { "reset", NULL };
    KeyValList kv;
    const char *r, *s, *p, *w;

    if (vl_keyval_parse(opt, arg, NULL, &kv) < 0) {
        return -1;
    }
    r = keyval_get(&kv, "reboot");
    s = keyval_get(&kv, "shutdown");
    p = keyval_get(&kv, "panic");
    w = keyval_get(&kv, "watchdog");
    if ((r && !value_in(r, reboot)) || (s && !value_in(s, shutdown)) ||
        (p && !value_in(p, panic)) || (w && !value_in(w, watchdog))) {
        keyval_free(&kv);
        return vl_bad_value(opt, arg, "supported: reboot=reset|shutdown, shutdown=poweroff|"
                            "pause, panic=pause|shutdown|none, watchdog=reset");
    }
    cfg->no_reboot |= r && !strcmp(r, "shutdown");
    cfg->no_shutdown |= s && !strcmp(s, "pause");
    if (p) {
        free((char *)cfg->panic_action);
        cfg->panic_action = xstrdup(p);
    }
    return vl_keyval_finish(opt, arg, &kv);
}
