/* The device model: a registry of device types (each device file registers its own),
 * typed properties set from -device NAME,key=value strings, realize/reset, a table of
 * state fields per device (snapshots, migration), and a tree of buses ("info qtree").
 * A device is a C struct whose first member is a DeviceState; see docs/devices.md. */
#ifndef HW_QDEV_H
#define HW_QDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "system/memory.h"
#include "util/error.h"

typedef struct DeviceState DeviceState;
typedef struct BusState BusState;
typedef struct DeviceType DeviceType;
typedef struct Chardev Chardev;

/* Bus type names. */
#define BUS_TYPE_SYSTEM "System"
#define BUS_TYPE_ISA "ISA"
#define BUS_TYPE_PCI "PCI"

/* --- properties ------------------------------------------------------------------ */

typedef enum {
    PROP_UINT8, PROP_UINT16, PROP_UINT32, PROP_UINT64,
    PROP_INT,       /* int32_t */
    PROP_SIZE,      /* uint64_t, accepts suffixes: 64k, 16M, 1G */
    PROP_BOOL,      /* bool: on/off, yes/no, true/false, 1/0 */
    PROP_STRING,    /* char *, owned by the device */
    PROP_MACADDR,   /* MACAddr, "52:54:00:12:34:56" */
    PROP_CHARDEV,   /* Chardev *, from -chardev id=ID */
    PROP_NETDEV,    /* void * (the net backend), from -netdev id=ID */
    PROP_DRIVE,     /* void * (the block backend), from -drive id=ID */
    PROP__COUNT,
} PropertyType;

typedef struct MACAddr {
    uint8_t a[6];
} MACAddr;

typedef struct Property {
    const char *name;
    PropertyType type;
    size_t offset;              /* of the field in the device struct */
    uint64_t defval;            /* integers, sizes, bools (int: stored as int64_t) */
    const char *defstr;         /* strings and MACs; NULL: empty/zero */
    bool has_range;             /* integers: accept only min..max (int: as int64_t) */
    uint64_t min, max;
    const char *description;
} Property;

/* Type-checked field offset: compilation fails if field is not of type type. */
#define QDEV_FIELD_OFFSET(state, field, type) \
    (offsetof(state, field) + 0 * sizeof(&((state *)0)->field - (type *)0))

#define DEFINE_PROP(n, ptype, state, field, ctype, ...) \
    { .name = (n), .type = (ptype), .offset = QDEV_FIELD_OFFSET(state, field, ctype), \
      __VA_ARGS__ }
#define DEFINE_PROP_UINT8(n, state, field, def) \
    DEFINE_PROP(n, PROP_UINT8, state, field, uint8_t, .defval = (def))
#define DEFINE_PROP_UINT16(n, state, field, def) \
    DEFINE_PROP(n, PROP_UINT16, state, field, uint16_t, .defval = (def))
#define DEFINE_PROP_UINT32(n, state, field, def) \
    DEFINE_PROP(n, PROP_UINT32, state, field, uint32_t, .defval = (def))
#define DEFINE_PROP_UINT64(n, state, field, def) \
    DEFINE_PROP(n, PROP_UINT64, state, field, uint64_t, .defval = (def))
#define DEFINE_PROP_INT(n, state, field, def) \
    DEFINE_PROP(n, PROP_INT, state, field, int32_t, .defval = (uint64_t)(int64_t)(def))
#define DEFINE_PROP_SIZE(n, state, field, def) \
    DEFINE_PROP(n, PROP_SIZE, state, field, uint64_t, .defval = (def))
#define DEFINE_PROP_BOOL(n, state, field, def) \
    DEFINE_PROP(n, PROP_BOOL, state, field, bool, .defval = (def))
#define DEFINE_PROP_STRING(n, state, field) \
    DEFINE_PROP(n, PROP_STRING, state, field, char *)
#define DEFINE_PROP_MACADDR(n, state, field) \
    DEFINE_PROP(n, PROP_MACADDR, state, field, MACAddr)
#define DEFINE_PROP_CHARDEV(n, state, field) \
    DEFINE_PROP(n, PROP_CHARDEV, state, field, Chardev *)
#define DEFINE_PROP_NETDEV(n, state, field) \
    DEFINE_PROP(n, PROP_NETDEV, state, field, void *)
#define DEFINE_PROP_DRIVE(n, state, field) \
    DEFINE_PROP(n, PROP_DRIVE, state, field, void *)
/* Integers with a range: DEFINE_PROP_UINT32_RANGE("irq", S, irq, 4, 0, 15). */
#define DEFINE_PROP_UINT8_RANGE(n, state, field, def, lo, hi) \
    DEFINE_PROP(n, PROP_UINT8, state, field, uint8_t, .defval = (def), .has_range = true, \
                .min = (lo), .max = (hi))
#define DEFINE_PROP_UINT16_RANGE(n, state, field, def, lo, hi) \
    DEFINE_PROP(n, PROP_UINT16, state, field, uint16_t, .defval = (def), .has_range = true, \
                .min = (lo), .max = (hi))
#define DEFINE_PROP_UINT32_RANGE(n, state, field, def, lo, hi) \
    DEFINE_PROP(n, PROP_UINT32, state, field, uint32_t, .defval = (def), .has_range = true, \
                .min = (lo), .max = (hi))
#define DEFINE_PROP_UINT64_RANGE(n, state, field, def, lo, hi) \
    DEFINE_PROP(n, PROP_UINT64, state, field, uint64_t, .defval = (def), .has_range = true, \
                .min = (lo), .max = (hi))
#define DEFINE_PROP_INT_RANGE(n, state, field, def, lo, hi) \
    DEFINE_PROP(n, PROP_INT, state, field, int32_t, .defval = (uint64_t)(int64_t)(def), \
                .has_range = true, .min = (uint64_t)(int64_t)(lo), \
                .max = (uint64_t)(int64_t)(hi))
#define DEFINE_PROP_SIZE_RANGE(n, state, field, def, lo, hi) \
    DEFINE_PROP(n, PROP_SIZE, state, field, uint64_t, .defval = (def), .has_range = true, \
                .min = (lo), .max = (hi))
#define DEFINE_PROP_END { .name = NULL }

/* Backends named by id (-chardev, -netdev, -drive) are resolved through a hook that their
 * subsystem installs at start-up. Without one, chardevs use chardev_find() when it is linked
 * in, and netdev/drive ids are only recorded (the field stays NULL). */
typedef void *QdevBackendResolver(const char *id);
void qdev_set_backend_resolver(PropertyType type, QdevBackendResolver *resolve);

/* --- state fields (vmstate) ------------------------------------------------------------ */

typedef enum {
    VMS_UINT8, VMS_UINT16, VMS_UINT32, VMS_UINT64, VMS_INT32, VMS_BOOL,
    VMS_BUFFER,     /* raw bytes: size is the byte count */
} VMStateType;

typedef struct VMStateField {
    const char *name;
    size_t offset;
    VMStateType type;
    size_t size;        /* bytes of one element */
    unsigned count;     /* elements (1 for a scalar) */
} VMStateField;

#define VMSTATE_FIELD(state, field, vtype, ctype, n) \
    { .name = #field, .offset = QDEV_FIELD_OFFSET(state, field, ctype), .type = (vtype), \
      .size = sizeof(ctype), .count = (n) }
#define VMSTATE_ARRAY_FIELD(state, field, vtype, ctype, n) \
    { .name = #field, .offset = QDEV_FIELD_OFFSET(state, field[0], ctype), .type = (vtype), \
      .size = sizeof(ctype), .count = (n) }
#define VMSTATE_UINT8(field, state) VMSTATE_FIELD(state, field, VMS_UINT8, uint8_t, 1)
#define VMSTATE_UINT16(field, state) VMSTATE_FIELD(state, field, VMS_UINT16, uint16_t, 1)
#define VMSTATE_UINT32(field, state) VMSTATE_FIELD(state, field, VMS_UINT32, uint32_t, 1)
#define VMSTATE_UINT64(field, state) VMSTATE_FIELD(state, field, VMS_UINT64, uint64_t, 1)
#define VMSTATE_INT32(field, state) VMSTATE_FIELD(state, field, VMS_INT32, int32_t, 1)
#define VMSTATE_BOOL(field, state) VMSTATE_FIELD(state, field, VMS_BOOL, bool, 1)
#define VMSTATE_UINT8_ARRAY(field, state, n) \
    VMSTATE_ARRAY_FIELD(state, field, VMS_UINT8, uint8_t, n)
#define VMSTATE_UINT16_ARRAY(field, state, n) \
    VMSTATE_ARRAY_FIELD(state, field, VMS_UINT16, uint16_t, n)
#define VMSTATE_UINT32_ARRAY(field, state, n) \
    VMSTATE_ARRAY_FIELD(state, field, VMS_UINT32, uint32_t, n)
#define VMSTATE_UINT64_ARRAY(field, state, n) \
    VMSTATE_ARRAY_FIELD(state, field, VMS_UINT64, uint64_t, n)
/* A byte array or plain struct without pointers, saved as raw bytes. */
#define VMSTATE_BUFFER(field, state) \
    { .name = #field, .offset = offsetof(state, field), .type = VMS_BUFFER, \
      .size = sizeof(((state *)0)->field), .count = 1 }
#define VMSTATE_END { .name = NULL }

/* --- device types ----------------------------------------------------------------------- */

struct DeviceType {
    const char *name;               /* -device NAME */
    const char *bus_type;           /* bus it plugs into; NULL means BUS_TYPE_SYSTEM */
    size_t instance_size;           /* sizeof the device struct (>= sizeof(DeviceState)) */
    const char *description;
    bool user_creatable;            /* may be created with -device */
    /* Called by device_create after defaults are set: create the buses the device
     * provides (so that children can be created before it is realized). Optional. */
    void (*instance_init)(DeviceState *dev);
    /* Called once properties are set: map regions, attach backends. Optional. */
    int (*realize)(DeviceState *dev, Error **errp);
    void (*unrealize)(DeviceState *dev);
    /* Power-on state of the registers. Optional. */
    void (*reset)(DeviceState *dev);
    const Property *props;          /* ends with DEFINE_PROP_END; NULL: none */
    const VMStateField *vmstate;    /* ends with VMSTATE_END; NULL: nothing to save */
    int vmstate_version;
    /* After a load: recompute derived state (timers, IRQ levels). Optional. */
    int (*post_load)(DeviceState *dev, Error **errp);
};

void device_type_register(const DeviceType *type);
const DeviceType *device_type_find(const char *name);
/* "-device help": the user-creatable types, grouped by bus. */
void device_type_print_list(FILE *out);
/* Every registered device type (QMP's qom-list-types). */
void device_type_foreach(void (*fn)(const DeviceType *type, void *opaque), void *opaque);
/* "-device NAME,help": the properties of one type; by name: -1 if there is no such type. */
void device_type_print_props(FILE *out, const DeviceType *type);
int device_type_print_properties(FILE *out, const char *name);

/* Put at file scope after a DeviceType definition: registers it before main(). */
#define DEVICE_TYPE_REGISTER(type_var) \
    static void __attribute__((constructor)) register_##type_var(void) \
    { \
        device_type_register(&(type_var)); \
    }

/* --- devices and buses ---------------------------------------------------------------------- */

struct DeviceState {
    const DeviceType *type;
    char *id;                       /* -device ...,id=ID, or NULL */
    BusState *parent_bus;
    bool realized;
    char **prop_ids;                /* backend ids given to reference properties */
    BusState **child_buses;         /* buses this device provides (a PCI-ISA bridge: ISA) */
    int nr_child_buses;
};

struct BusState {
    const char *type;               /* BUS_TYPE_* */
    char *name;                     /* "main-system-bus", "isa.0", "pci.0" */
    DeviceState *parent;            /* the bridge or host device; NULL for the root */
    DeviceState **children;         /* in creation order */
    int nr_children;
    /* Where devices on this bus map their registers; NULL: ask the parent's bus. The
     * machine sets them on the system bus (its memory and port I/O roots). */
    MemoryRegion *mem_root;
    MemoryRegion *io_root;
    int max_children;               /* 0: any number; a full bus is skipped when a device
                                     * looks for a bus of its type (virtio-mmio: 1) */
};

/* A device struct's first member is "DeviceState parent_obj". DEVICE(s) gives the
 * DeviceState of a device struct; DEVICE_CAST(MyDev, dev) gives the struct back. */
#define DEVICE(obj) (&(obj)->parent_obj)
#define DEVICE_CAST(type, dev) ((type *)(void *)(dev))

/* The root bus (type System) that machine devices hang from; created on first use. */
BusState *qdev_system_bus(void);
/* A bus provided by parent (NULL: hung from nothing, e.g. in tests). */
BusState *qbus_create(const char *type, const char *name, DeviceState *parent);
/* First bus called name, or NULL. */
BusState *qbus_find(const char *name);
/* First bus of type in the tree (depth first) with room for a device, or NULL. */
BusState *qbus_find_by_type(const char *type);

/* The container a device maps its MMIO (mem) or port I/O (io) regions into: the nearest
 * bus up the tree that has one, else the current machine's system_memory / io_memory,
 * else NULL. */
MemoryRegion *qdev_get_mem_root(DeviceState *dev);
MemoryRegion *qdev_get_io_root(DeviceState *dev);

/* Creates an unrealized device with default property values on bus (NULL: the first bus
 * of the type's bus_type). Set fields or properties, then device_realize(). */
/* -global: DRIVER.PROP=VALUE applied to each new device of type DRIVER (checked now). */
int qdev_global_add(const char *spec, Error **errp);
int qdev_globals_apply(DeviceState *dev, Error **errp);
void qdev_globals_clear(void);
DeviceState *device_create(const char *type_name, BusState *bus, Error **errp);
int device_realize(DeviceState *dev, Error **errp);
void device_reset(DeviceState *dev);
/* Unrealizes and frees dev and everything on the buses it provides. */
void device_destroy(DeviceState *dev);
/* Frees the whole tree (end of the process or of a test). */
void qdev_destroy_all(void);

/* Sets a property from its text form; errors name the property, the device and the value. */
int device_set_prop_str(DeviceState *dev, const char *name, const char *value, Error **errp);
/* The property's value in text form (malloc'd), or NULL if there is no such property. */
char *device_get_prop_str(DeviceState *dev, const char *name);
/* The id a reference property (chardev/netdev/drive) was given, or NULL. */
const char *device_get_prop_id(DeviceState *dev, const char *name);

/* "-device e1000,mac=52:54:00:12:34:56,netdev=n0,id=nic0,bus=pci.0": creates, sets,
 * realizes. Returns NULL with *errp naming the offending property and value (the caller
 * prefixes the option, e.g. "-device SPEC: "). */
DeviceState *device_create_from_spec(const char *spec, Error **errp);
/* If spec is "help" or "NAME,help", prints the list or the type's properties and returns
 * 1; returns -1 for help on an unknown type (after reporting), 0 if spec is no help request. */
int device_spec_help(const char *spec, FILE *out);
DeviceState *device_find_by_id(const char *id);

/* Realizes every unrealized device, parents before children, in creation order. */
int device_realize_all(Error **errp);
/* Resets every realized device, the same depth-first order (machine_reset uses it). */
void device_reset_all(void);

/* "info qtree". */
void qdev_print_tree(FILE *out);

/* State fields: save to a malloc'd buffer (*len set), load back. Loading checks the type
 * name, version, every field's name and size; a mismatch or a short buffer is an error
 * that names the field, and then the device may be partly loaded. */
uint8_t *device_state_save(DeviceState *dev, size_t *len);
int device_state_load(DeviceState *dev, const uint8_t *buf, size_t len, Error **errp);

#endif
