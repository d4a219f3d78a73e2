/* QMP commands that describe the machine and the emulator for management tools (libvirt's
 * capability probe): identity, target, accelerator, machine types, CPU models and vCPUs,
 * chardevs, drives, command-line options. Shapes: QEMU 7.2 qapi/machine*.json, char.json,
 * block-core.json, misc.json, migration.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/qmp-cmds.h"
#include "util/cutils.h"

static const MonitorInventory *inventory(QmpSession *qs)
{
    return qmp_session_system(qs)->inventory;
}

static const char *target_arch(QmpSession *qs)
{
    const MonitorInventory *inv = inventory(qs);
    return inv && inv->target_arch ? inv->target_arch() : "x86_64";
}

JsonValue *qmp_query_name(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const MonitorInventory *inv = inventory(qs);
    const char *name = inv && inv->guest_name ? inv->guest_name() : NULL;
    JsonValue *r = json_new_object();
    if (name) {
        json_object_set(r, "name", json_new_string(name));
    }
    return r;
}

JsonValue *qmp_query_uuid(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const MonitorInventory *inv = inventory(qs);
    const char *uuid = inv && inv->guest_uuid ? inv->guest_uuid() : NULL;
    JsonValue *r = json_new_object();
    json_object_set(r, "UUID", json_new_string(uuid ? uuid :
                                               "00000000-0000-0000-0000-000000000000"));
    return r;
}

JsonValue *qmp_query_target(QmpSession *qs, const JsonValue *args, Error **errp)
{
    JsonValue *r = json_new_object();
    json_object_set(r, "arch", json_new_string(target_arch(qs)));
    return r;
}

JsonValue *qmp_query_kvm(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const MonitorInventory *inv = inventory(qs);
    const char *accel = inv && inv->accel_name ? inv->accel_name() : NULL;
    JsonValue *r = json_new_object();
    json_object_set(r, "enabled", json_new_bool(accel && !strcmp(accel, "kvm")));
    json_object_set(r, "present", json_new_bool(inv && inv->kvm_present &&
                                                inv->kvm_present()));
    return r;
}

/* QOM type names, as QEMU's: "none-machine", "qemu64-x86_64-cpu". */
static char *cpu_type_name(QmpSession *qs, const char *model)
{
    return xasprintf("%s-%s-cpu", model, target_arch(qs));
}

typedef struct ListCtx {
    QmpSession *qs;
    JsonValue *list;
    const char *want;           /* a name to find, or NULL */
    bool found;
} ListCtx;

static void add_machine(void *opaque, const MonitorMachineInfo *m)
{
    ListCtx *ctx = opaque;
    JsonValue *item = json_new_object();
    json_object_set(item, "name", json_new_string(m->name));
    if (m->is_default) {
        json_object_set(item, "is-default", json_new_bool(true));
    }
    json_object_set(item, "cpu-max", json_new_int(m->max_cpus > 0 ? m->max_cpus : 1));
    json_object_set(item, "hotpluggable-cpus", json_new_bool(false));
    json_object_set(item, "numa-mem-supported", json_new_bool(false));
    json_object_set(item, "deprecated", json_new_bool(false));
    if (m->default_cpu) {
        char *type = cpu_type_name(ctx->qs, m->default_cpu);
        json_object_set(item, "default-cpu-type", json_new_string(type));
        free(type);
    }
    json_object_set(item, "default-ram-id", json_new_string("ram"));
    json_array_append(ctx->list, item);
}

JsonValue *qmp_query_machines(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const MonitorInventory *inv = inventory(qs);
    ListCtx ctx = { .qs = qs, .list = json_new_array() };
    if (inv && inv->foreach_machine) {
        inv->foreach_machine(add_machine, &ctx);
    }
    return ctx.list;
}

JsonValue *qmp_query_current_machine(QmpSession *qs, const JsonValue *args, Error **errp)
{
    JsonValue *r = json_new_object();
    json_object_set(r, "wakeup-suspend-support", json_new_bool(false));
    return r;
}

static void add_cpu_definition(void *opaque, const char *name, const char *description)
{
    ListCtx *ctx = opaque;
    JsonValue *item = json_new_object();
    char *type = cpu_type_name(ctx->qs, name);
    json_object_set(item, "name", json_new_string(name));
    json_object_set(item, "migration-safe", json_new_bool(true));
    json_object_set(item, "static", json_new_bool(false));
    json_object_set(item, "unavailable-features", json_new_array());
    json_object_set(item, "typename", json_new_string(type));
    json_object_set(item, "deprecated", json_new_bool(false));
    json_array_append(ctx->list, item);
    free(type);
}

JsonValue *qmp_query_cpu_definitions(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const MonitorInventory *inv = inventory(qs);
    ListCtx ctx = { .qs = qs, .list = json_new_array() };
    if (inv && inv->foreach_cpu_model) {
        inv->foreach_cpu_model(add_cpu_definition, &ctx);
    }
    return ctx.list;
}

static void find_name(void *opaque, const char *name, const char *description)
{
    ListCtx *ctx = opaque;
    ctx->found |= !strcmp(name, ctx->want);
}

/* A model expands to itself: Mimic's models have no properties to list yet. */
JsonValue *qmp_query_cpu_model_expansion(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const MonitorInventory *inv = inventory(qs);
    const JsonValue *model = json_object_get(args, "model");
    const JsonValue *name = json_object_get(model, "name");
    ListCtx ctx = { .qs = qs };

    if (!name || json_type(name) != JSON_STRING) {
        error_setg(errp, "Parameter 'model.name' is missing");
        return NULL;
    }
    ctx.want = json_get_string(name);
    if (inv && inv->foreach_cpu_model) {
        inv->foreach_cpu_model(find_name, &ctx);
    }
    if (!ctx.found) {
        error_setg(errp, "The CPU type '%s' is not a recognized CPU model", ctx.want);
        return NULL;
    }
    JsonValue *r = json_new_object(), *m = json_new_object();
    json_object_set(m, "name", json_new_string(ctx.want));
    json_object_set(m, "props", json_new_object());
    json_object_set(r, "model", m);
    return r;
}

JsonValue *qmp_query_cpus_fast(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const MonitorSystem *sys = qmp_session_system(qs);
    const MonitorInventory *inv = sys->inventory;
    JsonValue *list = json_new_array();
    for (CPUState *cpu = sys->cpu_first(); cpu; cpu = sys->cpu_next(cpu)) {
        JsonValue *item = json_new_object();
        char path[64];
        snprintf(path, sizeof(path), "/machine/unattached/device[%d]", cpu->index);
        json_object_set(item, "cpu-index", json_new_int(cpu->index));
        json_object_set(item, "qom-path", json_new_string(path));
        json_object_set(item, "thread-id", json_new_int(inv && inv->cpu_thread_id ?
                                                        inv->cpu_thread_id(cpu) : 0));
        json_object_set(item, "target", json_new_string(target_arch(qs)));
        json_array_append(list, item);
    }
    return list;
}

static void add_chardev(void *opaque, const char *label, const char *filename, bool open)
{
    ListCtx *ctx = opaque;
    JsonValue *item = json_new_object();
    json_object_set(item, "label", json_new_string(label));
    json_object_set(item, "filename", json_new_string(filename ? filename : ""));
    json_object_set(item, "frontend-open", json_new_bool(open));
    json_array_append(ctx->list, item);
}

JsonValue *qmp_query_chardev(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const MonitorInventory *inv = inventory(qs);
    ListCtx ctx = { .qs = qs, .list = json_new_array() };
    if (inv && inv->foreach_chardev) {
        inv->foreach_chardev(add_chardev, &ctx);
    }
    return ctx.list;
}

/* The parameters of the options management tools look for (QEMU's names and types). */
static const struct {
    const char *option;
    const char *params;     /* "name:type ..." with QEMU's CommandLineParameterType */
} option_params[] = {
    { "machine", "type:string accel:string dump-guest-core:boolean mem-merge:boolean "
                 "usb:boolean graphics:boolean kernel:string initrd:string append:string "
                 "dtb:string firmware:string" },
    { "drive", "file:string if:string index:number media:string format:string "
               "readonly:boolean snapshot:boolean cache:string id:string "
               "file.locking:string force-share:boolean aio:string discard:string" },
    { "chardev", "backend:string id:string path:string host:string port:string "
                 "server:boolean wait:boolean mux:boolean signal:boolean" },
    { "name", "guest:string process:string debug-threads:boolean" },
    { "msg", "timestamp:boolean guest-name:boolean" },
    { "overcommit", "mem-lock:boolean cpu-pm:boolean" },
    { "smp", "cpus:number sockets:number dies:number clusters:number cores:number "
             "threads:number maxcpus:number" },
    { "m", "size:size slots:number maxmem:size" },
    { "boot", "order:string once:string menu:boolean strict:boolean" },
    { "accel", "accel:string thread:string tb-size:number" },
    { "mon", "chardev:string mode:string pretty:boolean" },
    { "rtc", "base:string clock:string driftfix:string" },
    { "action", "reboot:string shutdown:string panic:string watchdog:string" },
};

static JsonValue *option_info(const char *option, const char *params)
{
    JsonValue *item = json_new_object(), *list = json_new_array();
    const char *p = params;
    while (*p) {
        size_t n = strcspn(p, " ");
        const char *colon = memchr(p, ':', n);
        JsonValue *param = json_new_object();
        json_object_set(param, "name", json_new_stringn(p, (size_t)(colon - p)));
        json_object_set(param, "type", json_new_stringn(colon + 1, n - (size_t)(colon - p) - 1));
        json_array_append(list, param);
        p += n + strspn(p + n, " ");
    }
    json_object_set(item, "option", json_new_string(option));
    json_object_set(item, "parameters", list);
    return item;
}

JsonValue *qmp_query_command_line_options(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const JsonValue *want = json_object_get(args, "option");
    const char *name = want ? json_get_string(want) : NULL;
    JsonValue *list = json_new_array();

    for (size_t i = 0; i < ARRAY_SIZE(option_params); i++) {
        if (!name || !strcmp(name, option_params[i].option)) {
            json_array_append(list, option_info(option_params[i].option,
                                                option_params[i].params));
        }
    }
    if (name && json_array_size(list) == 0) {
        json_free(list);
        error_setg(errp, "invalid option name: %s", name);
        return NULL;
    }
    return list;
}

/* No migration: no capabilities. */
JsonValue *qmp_query_migrate_capabilities(QmpSession *qs, const JsonValue *args, Error **errp)
{
    return json_new_array();
}
