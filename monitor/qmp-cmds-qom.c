/* The QOM view QMP clients read (qom-list-types, qom-list, qom-get, qom-list-properties,
 * device-list-properties), built from Mimic's registries: machine types are
 * "NAME-machine", CPU models "MODEL-ARCH-cpu", devices their -device name; the object tree
 * is "/", "/machine" and its CPUs at "/machine/unattached/device[N]", as in QEMU. Unknown
 * types and paths answer DeviceNotFound, which clients take as "absent". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/qmp-cmds.h"
#include "util/cutils.h"

typedef struct QomCtx {
    QmpSession *qs;
    JsonValue *list;
    const char *arch;
    const char *suffix;         /* "-machine" or "-ARCH-cpu" while listing those */
    const char *parent;
    const char *want;           /* a type name looked for */
    bool found;
} QomCtx;

static const MonitorInventory *inventory(QmpSession *qs)
{
    return qmp_session_system(qs)->inventory;
}

static const char *arch_of(QmpSession *qs)
{
    const MonitorInventory *inv = inventory(qs);
    return inv && inv->target_arch ? inv->target_arch() : "x86_64";
}

static void add_type(JsonValue *list, const char *name, const char *parent, bool abstract)
{
    JsonValue *item = json_new_object();
    json_object_set(item, "name", json_new_string(name));
    if (abstract) {
        json_object_set(item, "abstract", json_new_bool(true));
    }
    if (parent) {
        json_object_set(item, "parent", json_new_string(parent));
    }
    json_array_append(list, item);
}

static void add_suffixed(void *opaque, const char *name, const char *description)
{
    QomCtx *ctx = opaque;
    char *type = xasprintf("%s%s", name, ctx->suffix);
    if (ctx->list) {
        add_type(ctx->list, type, ctx->parent, false);
    }
    ctx->found |= ctx->want && !strcmp(type, ctx->want);
    free(type);
}

static void add_machine_type(void *opaque, const MonitorMachineInfo *m)
{
    add_suffixed(opaque, m->name, m->description);
}

static void add_device_type(void *opaque, const char *name, const char *description)
{
    QomCtx *ctx = opaque;
    if (ctx->list) {
        add_type(ctx->list, name, "device", false);
    }
    ctx->found |= ctx->want && !strcmp(name, ctx->want);
}

/* Walks the registries: machines, CPU models, devices, accelerators (list and/or look for
 * ctx->want). */
static void walk_types(QomCtx *ctx, bool machines, bool cpus, bool devices, bool accels,
                       bool objects)
{
    const MonitorInventory *inv = inventory(ctx->qs);
    char cpu_suffix[32], cpu_parent[32];

    snprintf(cpu_suffix, sizeof(cpu_suffix), "-%s-cpu", ctx->arch);
    snprintf(cpu_parent, sizeof(cpu_parent), "%s-cpu", ctx->arch);
    if (machines && inv && inv->foreach_machine) {
        ctx->suffix = "-machine";
        ctx->parent = "machine";
        inv->foreach_machine(add_machine_type, ctx);
    }
    if (cpus && inv && inv->foreach_cpu_model) {
        ctx->suffix = cpu_suffix;
        ctx->parent = cpu_parent;
        inv->foreach_cpu_model(add_suffixed, ctx);
    }
    if (devices && inv && inv->foreach_device_type) {
        inv->foreach_device_type(add_device_type, ctx);
    }
    if (accels && inv && inv->foreach_accel) {
        ctx->suffix = "-accel";
        ctx->parent = "accel";
        inv->foreach_accel(add_suffixed, ctx);
    }
    if (objects && inv && inv->foreach_object_type) {
        ctx->suffix = "";
        ctx->parent = "memory-backend";
        inv->foreach_object_type(add_suffixed, ctx);
    }
}

JsonValue *qmp_qom_list_types(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const JsonValue *impl = json_object_get(args, "implements");
    const JsonValue *abs = json_object_get(args, "abstract");
    const char *want = impl ? json_get_string(impl) : NULL;
    bool abstract = abs && json_get_bool(abs);
    QomCtx ctx = { .qs = qs, .list = json_new_array(), .arch = arch_of(qs) };
    char cpu_base[32];

    snprintf(cpu_base, sizeof(cpu_base), "%s-cpu", ctx.arch);
    bool machines = !want || !strcmp(want, "machine");
    bool cpus = !want || !strcmp(want, "device") || !strcmp(want, cpu_base);
    bool devices = !want || !strcmp(want, "device");
    bool accels = !want || !strcmp(want, "accel");
    bool objects = !want || !strcmp(want, "memory-backend");
    walk_types(&ctx, machines, cpus, devices, accels, objects);
    if (abstract && machines) {
        add_type(ctx.list, "machine", NULL, true);
    }
    if (abstract && (devices || cpus)) {
        add_type(ctx.list, cpu_base, "device", true);
    }
    if (abstract && devices) {
        add_type(ctx.list, "device", NULL, true);
    }
    if (abstract && accels) {
        add_type(ctx.list, "accel", NULL, true);
    }
    if (abstract && objects) {
        add_type(ctx.list, "memory-backend", NULL, true);
    }
    return ctx.list;
}

static void add_prop(void *opaque, const char *name, const char *type)
{
    QomCtx *ctx = opaque;
    JsonValue *item = json_new_object();
    json_object_set(item, "name", json_new_string(name));
    json_object_set(item, "type", json_new_string(type));
    json_array_append(ctx->list, item);
}

static bool type_exists(QmpSession *qs, const char *name, bool machines, bool cpus, bool devs)
{
    QomCtx ctx = { .qs = qs, .arch = arch_of(qs), .want = name };
    walk_types(&ctx, machines, cpus, devs, false, false);
    return ctx.found;
}

/* Finds object type ctx->want and lists its "name:type ..." properties into ctx->list. */
static void object_props(void *opaque, const char *name, const char *props)
{
    QomCtx *ctx = opaque;
    if (strcmp(name, ctx->want)) {
        return;
    }
    ctx->found = true;
    for (const char *p = props; *p;) {
        size_t n = strcspn(p, " ");
        const char *colon = memchr(p, ':', n);
        char *pname = strndup(p, (size_t)(colon - p));
        char *ptype = strndup(colon + 1, n - (size_t)(colon - p) - 1);
        add_prop(ctx, pname, ptype);
        free(pname);
        free(ptype);
        p += n + strspn(p + n, " ");
    }
}

static bool list_object_props(const MonitorInventory *inv, const char *name, QomCtx *ctx)
{
    if (!inv || !inv->foreach_object_type) {
        return false;
    }
    ctx->want = name;
    inv->foreach_object_type(object_props, ctx);
    return ctx->found;
}

JsonValue *qmp_qom_list_properties(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const MonitorInventory *inv = inventory(qs);
    const char *name = json_get_string(json_object_get(args, "typename"));
    QomCtx ctx = { .qs = qs, .list = json_new_array() };
    size_t len = strlen(name);

    if (len > 8 && !strcmp(name + len - 8, "-machine") && inv && inv->foreach_machine_prop) {
        char *machine = strndup(name, len - 8);
        int ret = inv->foreach_machine_prop(machine, add_prop, &ctx);
        free(machine);
        if (ret == 0) {
            return ctx.list;
        }
    } else if (type_exists(qs, name, false, true, false)) {
        return ctx.list;            /* Mimic's CPU models have no properties yet */
    } else if (list_object_props(inv, name, &ctx)) {
        return ctx.list;
    } else if (inv && inv->foreach_device_prop &&
               inv->foreach_device_prop(name, add_prop, &ctx) == 0) {
        return ctx.list;
    }
    json_free(ctx.list);
    qmp_set_error_class(qs, QMP_ERROR_DEVICE_NOT_FOUND);
    error_setg(errp, "Class '%s' not found", name);
    return NULL;
}

JsonValue *qmp_device_list_properties(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const MonitorInventory *inv = inventory(qs);
    const char *name = json_get_string(json_object_get(args, "typename"));
    QomCtx ctx = { .qs = qs, .list = json_new_array() };

    if (type_exists(qs, name, false, true, false)) {
        return ctx.list;
    }
    if (inv && inv->foreach_device_prop && inv->foreach_device_prop(name, add_prop, &ctx) == 0) {
        return ctx.list;
    }
    json_free(ctx.list);
    qmp_set_error_class(qs, QMP_ERROR_DEVICE_NOT_FOUND);
    error_setg(errp, "Device '%s' not found", name);
    return NULL;
}

/* ---- the object tree ---- */

/* The type of the object at path into buf; 0, or -1 if there is no such object. */
static int object_type(QmpSession *qs, const char *path, char *buf, size_t len)
{
    const MonitorSystem *sys = qmp_session_system(qs);
    const MonitorInventory *inv = sys->inventory;
    const char *machine = inv && inv->machine_type ? inv->machine_type() : NULL;
    int index;
    char tail;

    if (!strcmp(path, "/") || !strcmp(path, "/machine/unattached")) {
        snprintf(buf, len, "container");
        return 0;
    }
    if (!strcmp(path, "/machine") && machine) {
        snprintf(buf, len, "%s-machine", machine);
        return 0;
    }
    if (sscanf(path, "/machine/unattached/device[%d%c", &index, &tail) == 2 && tail == ']') {
        for (CPUState *cpu = sys->cpu_first(); cpu; cpu = sys->cpu_next(cpu)) {
            if (cpu->index == index && cpu->cls) {
                snprintf(buf, len, "%s-%s-cpu", cpu->cls->model, arch_of(qs));
                return 0;
            }
        }
    }
    return -1;
}

static void add_child(JsonValue *list, const char *name, const char *type)
{
    JsonValue *item = json_new_object();
    char *child = xasprintf("child<%s>", type);
    json_object_set(item, "name", json_new_string(name));
    json_object_set(item, "type", json_new_string(child));
    json_array_append(list, item);
    free(child);
}

static void list_children(QmpSession *qs, const char *path, JsonValue *list)
{
    const MonitorSystem *sys = qmp_session_system(qs);
    char type[96], name[32], child_path[64];

    if (!strcmp(path, "/") && object_type(qs, "/machine", type, sizeof(type)) == 0) {
        add_child(list, "machine", type);
    } else if (!strcmp(path, "/machine")) {
        add_child(list, "unattached", "container");
    } else if (!strcmp(path, "/machine/unattached")) {
        for (CPUState *cpu = sys->cpu_first(); cpu; cpu = sys->cpu_next(cpu)) {
            snprintf(name, sizeof(name), "device[%d]", cpu->index);
            snprintf(child_path, sizeof(child_path), "/machine/unattached/%s", name);
            if (object_type(qs, child_path, type, sizeof(type)) == 0) {
                add_child(list, name, type);
            }
        }
    }
}

JsonValue *qmp_qom_list(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const char *path = json_get_string(json_object_get(args, "path"));
    char type[96];
    JsonValue *list;

    if (object_type(qs, path, type, sizeof(type)) < 0) {
        qmp_set_error_class(qs, QMP_ERROR_DEVICE_NOT_FOUND);
        error_setg(errp, "Device '%s' not found", path);
        return NULL;
    }
    list = json_new_array();
    JsonValue *t = json_new_object();
    json_object_set(t, "name", json_new_string("type"));
    json_object_set(t, "type", json_new_string("string"));
    json_array_append(list, t);
    list_children(qs, path, list);
    return list;
}

JsonValue *qmp_qom_get(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const char *path = json_get_string(json_object_get(args, "path"));
    const char *prop = json_get_string(json_object_get(args, "property"));
    char type[96];

    if (object_type(qs, path, type, sizeof(type)) < 0) {
        qmp_set_error_class(qs, QMP_ERROR_DEVICE_NOT_FOUND);
        error_setg(errp, "Device '%s' not found", path);
        return NULL;
    }
    if (strcmp(prop, "type")) {
        error_setg(errp, "Property '%s.%s' not found", type, prop);
        return NULL;
    }
    return json_new_string(type);
}
