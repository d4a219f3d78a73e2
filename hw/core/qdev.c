/* The device tree: type registry, buses, creation from -device specs, realize and reset
 * in tree order, and "info qtree" (laid out like QEMU's). */
#include <stdlib.h>
#include <string.h>
#include "hw/core/qdev-internal.h"
#include "util/cutils.h"
#include "system/machine.h"
#include "util/keyval.h"

/* Registries: device types, and buses that hang from no device (the system bus first). */
static const DeviceType **types;
static int nr_types;
static BusState **root_buses;
static int nr_root_buses;
static BusState *system_bus;

/* --- type registry --------------------------------------------------------------- */

void device_type_register(const DeviceType *type)
{
    if (device_type_find(type->name)) {
        error_report("device type '%s' registered twice", type->name);
        abort();
    }
    types = xrealloc(types, sizeof(*types) * (nr_types + 1));
    types[nr_types++] = type;
}

const DeviceType *device_type_find(const char *name)
{
    for (int i = 0; i < nr_types; i++) {
        if (!strcmp(types[i]->name, name)) {
            return types[i];
        }
    }
    return NULL;
}

static const char *type_bus(const DeviceType *type)
{
    return type->bus_type ? type->bus_type : BUS_TYPE_SYSTEM;
}

static int compare_types(const void *a, const void *b)
{
    const DeviceType *ta = *(const DeviceType *const *)a, *tb = *(const DeviceType *const *)b;
    int r = strcmp(type_bus(ta), type_bus(tb));
    return r ? r : strcmp(ta->name, tb->name);
}

void device_type_foreach(void (*fn)(const DeviceType *type, void *opaque), void *opaque)
{
    for (int i = 0; i < nr_types; i++) {
        fn(types[i], opaque);
    }
}

void device_type_print_list(FILE *out)
{
    const DeviceType **sorted = xmalloc(sizeof(*sorted) * (nr_types ? nr_types : 1));
    const char *group = NULL;
    if (nr_types) {
        memcpy(sorted, types, sizeof(*sorted) * nr_types);
        qsort(sorted, nr_types, sizeof(*sorted), compare_types);
    }
    fprintf(out, "Available devices (-device NAME,help lists the properties of one):\n");
    for (int i = 0; i < nr_types; i++) {
        const DeviceType *t = sorted[i];
        if (!t->user_creatable) {
            continue;
        }
        if (!group || strcmp(group, type_bus(t))) {
            group = type_bus(t);
            fprintf(out, "\n%s devices:\n", group);
        }
        fprintf(out, "name \"%s\", bus %s", t->name, type_bus(t));
        if (t->description) {
            fprintf(out, ", desc \"%s\"", t->description);
        }
        fprintf(out, "\n");
    }
    free(sorted);
}

/* --- buses ------------------------------------------------------------------------ */

static void root_bus_add(BusState *bus)
{
    root_buses = xrealloc(root_buses, sizeof(*root_buses) * (nr_root_buses + 1));
    root_buses[nr_root_buses++] = bus;
}

static BusState *bus_new(const char *type, const char *name, DeviceState *parent)
{
    BusState *bus = xzalloc(sizeof(*bus));
    bus->type = type;
    bus->name = xstrdup(name);
    bus->parent = parent;
    return bus;
}

BusState *qdev_system_bus(void)
{
    if (!system_bus) {
        system_bus = bus_new(BUS_TYPE_SYSTEM, "main-system-bus", NULL);
        root_bus_add(system_bus);
        /* listed first even if a parent-less bus was made before it */
        memmove(&root_buses[1], &root_buses[0], sizeof(*root_buses) * (nr_root_buses - 1));
        root_buses[0] = system_bus;
    }
    return system_bus;
}

BusState *qbus_create(const char *type, const char *name, DeviceState *parent)
{
    BusState *bus = bus_new(type, name, parent);
    if (parent) {
        parent->child_buses = xrealloc(parent->child_buses,
                                       sizeof(*parent->child_buses) *
                                       (parent->nr_child_buses + 1));
        parent->child_buses[parent->nr_child_buses++] = bus;
    } else {
        root_bus_add(bus);
    }
    return bus;
}

/* Depth-first walk of the tree; stops when visit returns non-zero and returns that. */
typedef int BusVisitor(BusState *bus, void *opaque);
typedef int DeviceVisitor(DeviceState *dev, void *opaque);

static int walk_bus(BusState *bus, BusVisitor *on_bus, DeviceVisitor *on_dev, void *opaque)
{
    int r = on_bus ? on_bus(bus, opaque) : 0;
    for (int i = 0; !r && i < bus->nr_children; i++) {
        DeviceState *dev = bus->children[i];
        r = on_dev ? on_dev(dev, opaque) : 0;
        for (int j = 0; !r && j < dev->nr_child_buses; j++) {
            r = walk_bus(dev->child_buses[j], on_bus, on_dev, opaque);
        }
    }
    return r;
}

static int walk_all(BusVisitor *on_bus, DeviceVisitor *on_dev, void *opaque)
{
    int r = 0;
    for (int i = 0; !r && i < nr_root_buses; i++) {
        r = walk_bus(root_buses[i], on_bus, on_dev, opaque);
    }
    return r;
}

typedef struct BusQuery {
    const char *name;
    const char *type;
    BusState *found;
} BusQuery;

static bool bus_is_full(const BusState *bus)
{
    return bus->max_children && bus->nr_children >= bus->max_children;
}

static int match_bus(BusState *bus, void *opaque)
{
    BusQuery *q = opaque;
    if ((q->name && !strcmp(bus->name, q->name)) ||
        (q->type && !strcmp(bus->type, q->type) && !bus_is_full(bus))) {
        q->found = bus;
        return 1;
    }
    return 0;
}

BusState *qbus_find(const char *name)
{
    BusQuery q = { .name = name };
    walk_all(match_bus, NULL, &q);
    return q.found;
}

BusState *qbus_find_by_type(const char *type)
{
    BusQuery q = { .type = type };
    walk_all(match_bus, NULL, &q);
    return q.found;
}

static void bus_add_child(BusState *bus, DeviceState *dev)
{
    bus->children = xrealloc(bus->children, sizeof(*bus->children) * (bus->nr_children + 1));
    bus->children[bus->nr_children++] = dev;
    dev->parent_bus = bus;
}

static void bus_remove_child(BusState *bus, DeviceState *dev)
{
    for (int i = 0; i < bus->nr_children; i++) {
        if (bus->children[i] == dev) {
            memmove(&bus->children[i], &bus->children[i + 1],
                    sizeof(*bus->children) * (bus->nr_children - i - 1));
            bus->nr_children--;
            break;
        }
    }
    dev->parent_bus = NULL;
}

static void bus_free(BusState *bus)
{
    while (bus->nr_children) {
        device_destroy(bus->children[bus->nr_children - 1]);
    }
    free(bus->children);
    free(bus->name);
    free(bus);
}

/* --- devices --------------------------------------------------------------------- */

/* Linked in with the machine code; absent in unit tests that only need the tree. */
Machine *current_machine(void) __attribute__((weak));

/* The nearest bus up the tree with a root of that kind, else the current machine's. */
static MemoryRegion *find_root(DeviceState *dev, bool io)
{
    Machine *machine;
    for (BusState *bus = dev->parent_bus; bus;
         bus = bus->parent ? bus->parent->parent_bus : NULL) {
        MemoryRegion *root = io ? bus->io_root : bus->mem_root;
        if (root) {
            return root;
        }
    }
    machine = current_machine ? current_machine() : NULL;
    if (!machine) {
        return NULL;
    }
    return io ? machine->io_memory : machine->system_memory;
}

MemoryRegion *qdev_get_mem_root(DeviceState *dev)
{
    return find_root(dev, false);
}

MemoryRegion *qdev_get_io_root(DeviceState *dev)
{
    return find_root(dev, true);
}

static BusState *bus_for_type(const DeviceType *type, BusState *bus, Error **errp)
{
    const char *want = type_bus(type);
    if (!bus) {
        bus = qbus_find_by_type(want);
    }
    if (!bus && !strcmp(want, BUS_TYPE_SYSTEM)) {
        bus = qdev_system_bus();
    }
    if (!bus) {
        error_setg(errp, "device '%s' needs a bus of type %s, and there is none", type->name, want);
        return NULL;
    }
    if (strcmp(bus->type, want)) {
        error_setg(errp, "device '%s' plugs into a %s bus, not into '%s' (%s)", type->name,
                   want, bus->name, bus->type);
        return NULL;
    }
    if (bus_is_full(bus)) {
        error_setg(errp, "bus '%s' is full (%d device%s)", bus->name, bus->max_children,
                   bus->max_children > 1 ? "s" : "");
        return NULL;
    }
    return bus;
}

DeviceState *device_create(const char *type_name, BusState *bus, Error **errp)
{
    const DeviceType *type = device_type_find(type_name);
    DeviceState *dev;
    if (!type) {
        error_setg(errp, "'%s' is not a known device type (try -device help)", type_name);
        return NULL;
    }
    bus = bus_for_type(type, bus, errp);
    if (!bus) {
        return NULL;
    }
    dev = xzalloc(MAX(type->instance_size, sizeof(DeviceState)));
    dev->type = type;
    dev->prop_ids = xzalloc(sizeof(*dev->prop_ids) * (qdev_prop_count(type) + 1));
    qdev_props_set_defaults(dev);
    bus_add_child(bus, dev);
    if (type->instance_init) {
        type->instance_init(dev);
    }
    if (qdev_globals_apply(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return dev;
}

int device_realize(DeviceState *dev, Error **errp)
{
    if (dev->realized) {
        return 0;
    }
    if (dev->type->realize) {
        Error *err = NULL;
        if (dev->type->realize(dev, &err) < 0) {
            if (!err) {
                error_setg(&err, "initialization failed");
            }
            error_prepend(&err, "device '%s': ", dev->id ? dev->id : dev->type->name);
            error_propagate(errp, err);
            return -1;
        }
    }
    dev->realized = true;
    return 0;
}

void device_reset(DeviceState *dev)
{
    if (dev->realized && dev->type->reset) {
        dev->type->reset(dev);
    }
}

void device_destroy(DeviceState *dev)
{
    while (dev->nr_child_buses) {
        bus_free(dev->child_buses[--dev->nr_child_buses]);
    }
    free(dev->child_buses);
    if (dev->realized && dev->type->unrealize) {
        dev->type->unrealize(dev);
    }
    if (dev->parent_bus) {
        bus_remove_child(dev->parent_bus, dev);
    }
    qdev_props_free(dev);
    free(dev->id);
    free(dev);
}

void qdev_destroy_all(void)
{
    while (nr_root_buses) {
        bus_free(root_buses[--nr_root_buses]);
    }
    free(root_buses);
    root_buses = NULL;
    system_bus = NULL;
}

static int match_id(DeviceState *dev, void *opaque)
{
    DeviceState **found = opaque;
    if (dev->id && !strcmp(dev->id, (*found)->id)) {
        *found = dev;
        return 1;
    }
    return 0;
}

DeviceState *device_find_by_id(const char *id)
{
    DeviceState key = { .id = (char *)id };
    DeviceState *found = &key;
    return walk_all(NULL, match_id, &found) ? found : NULL;
}

static int realize_one(DeviceState *dev, void *opaque)
{
    return device_realize(dev, opaque) < 0;
}

int device_realize_all(Error **errp)
{
    return walk_all(NULL, realize_one, errp) ? -1 : 0;
}

static int reset_one(DeviceState *dev, void *opaque)
{
    device_reset(dev);
    return 0;
}

void device_reset_all(void)
{
    walk_all(NULL, reset_one, NULL);
}

/* --- -device specs ----------------------------------------------------------------- */

static int apply_spec(DeviceState *dev, KeyValList *kv, Error **errp)
{
    for (int i = 0; i < kv->count; i++) {
        KeyVal *item = &kv->items[i];
        if (!strcmp(item->key, "driver") || !strcmp(item->key, "bus")) {
            continue;
        }
        if (!strcmp(item->key, "id")) {
            if (device_find_by_id(item->value)) {
                error_setg(errp, "duplicate id '%s'", item->value);
                return -1;
            }
            free(dev->id);
            dev->id = xstrdup(item->value);
        } else if (device_set_prop_str(dev, item->key, item->value, errp) < 0) {
            return -1;
        }
    }
    return 0;
}

static BusState *spec_bus(KeyValList *kv, Error **errp, bool *failed)
{
    const char *name = keyval_get(kv, "bus");
    BusState *bus;
    *failed = false;
    if (!name) {
        return NULL;
    }
    bus = qbus_find(name);
    if (!bus) {
        error_setg(errp, "no bus named '%s'", name);
        *failed = true;
    }
    return bus;
}

DeviceState *device_create_from_spec(const char *spec, Error **errp)
{
    KeyValList kv;
    const DeviceType *type;
    const char *driver;
    DeviceState *dev = NULL;
    BusState *bus;
    bool failed;

    if (keyval_parse(spec, "driver", &kv, errp) < 0) {
        return NULL;
    }
    driver = keyval_get(&kv, "driver");
    type = driver ? device_type_find(driver) : NULL;
    if (!type) {
        error_setg(errp, "'%s' is not a known device type (try -device help)",
                   driver ? driver : "");
        goto out;
    }
    if (!type->user_creatable) {
        error_setg(errp, "device type '%s' cannot be created with -device", driver);
        goto out;
    }
    bus = spec_bus(&kv, errp, &failed);
    if (failed) {
        goto out;
    }
    dev = device_create(driver, bus, errp);
    if (dev && (apply_spec(dev, &kv, errp) < 0 || device_realize(dev, errp) < 0)) {
        device_destroy(dev);
        dev = NULL;
    }
out:
    keyval_free(&kv);
    return dev;
}

int device_type_print_properties(FILE *out, const char *name)
{
    const DeviceType *type = device_type_find(name);
    if (!type) {
        return -1;
    }
    device_type_print_props(out, type);
    return 0;
}

int device_spec_help(const char *spec, FILE *out)
{
    const char *comma = strchr(spec, ',');
    const DeviceType *type;
    char *name;

    if (!strcmp(spec, "help") || !strcmp(spec, "?")) {
        device_type_print_list(out);
        return 1;
    }
    if (!comma || (strcmp(comma, ",help") && strcmp(comma, ",?"))) {
        return 0;
    }
    name = xstrdup(spec);
    name[comma - spec] = '\0';
    type = device_type_find(name);
    if (!type) {
        error_report("-device: '%s' is not a known device type (try -device help)", name);
        free(name);
        return -1;
    }
    free(name);
    device_type_print_props(out, type);
    return 1;
}

/* --- info qtree ------------------------------------------------------------------------ */

static void print_bus(FILE *out, BusState *bus, int indent);

static void print_device(FILE *out, DeviceState *dev, int indent)
{
    fprintf(out, "%*sdev: %s, id \"%s\"%s\n", indent, "", dev->type->name,
            dev->id ? dev->id : "", dev->realized ? "" : " (not realized)");
    qdev_props_print(out, dev, indent + 2);
    for (int i = 0; i < dev->nr_child_buses; i++) {
        print_bus(out, dev->child_buses[i], indent + 2);
    }
}

static void print_bus(FILE *out, BusState *bus, int indent)
{
    fprintf(out, "%*sbus: %s\n", indent, "", bus->name);
    fprintf(out, "%*stype %s\n", indent + 2, "", bus->type);
    for (int i = 0; i < bus->nr_children; i++) {
        print_device(out, bus->children[i], indent + 2);
    }
}

void qdev_print_tree(FILE *out)
{
    qdev_system_bus();
    for (int i = 0; i < nr_root_buses; i++) {
        print_bus(out, root_buses[i], 0);
    }
}
