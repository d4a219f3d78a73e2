/* Typed device properties: parsing from -device text (integers with ranges, sizes with
 * suffixes, booleans, strings, MAC addresses, backend references), printing and help. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hw/core/qdev-internal.h"
#include "util/cutils.h"

/* Linked in when the chardev subsystem is; NULL in programs without it. */
Chardev *chardev_find(const char *id) __attribute__((weak));

static QdevBackendResolver *resolvers[PROP__COUNT];

static const char *const type_names[PROP__COUNT] = {
    [PROP_UINT8] = "uint8", [PROP_UINT16] = "uint16", [PROP_UINT32] = "uint32",
    [PROP_UINT64] = "uint64", [PROP_INT] = "int32", [PROP_SIZE] = "size",
    [PROP_BOOL] = "bool", [PROP_STRING] = "str", [PROP_MACADDR] = "macaddr",
    [PROP_CHARDEV] = "chardev", [PROP_NETDEV] = "netdev", [PROP_DRIVE] = "drive",
};

void qdev_set_backend_resolver(PropertyType type, QdevBackendResolver *resolve)
{
    if (type == PROP_CHARDEV || type == PROP_NETDEV || type == PROP_DRIVE) {
        resolvers[type] = resolve;
    }
}

int qdev_prop_count(const DeviceType *type)
{
    int n = 0;
    while (type->props && type->props[n].name) {
        n++;
    }
    return n;
}

static int prop_index(const DeviceType *type, const char *name)
{
    for (int i = 0; type->props && type->props[i].name; i++) {
        if (!strcmp(type->props[i].name, name)) {
            return i;
        }
    }
    return -1;
}

static void *prop_field(DeviceState *dev, const Property *p)
{
    return (char *)dev + p->offset;
}

static bool is_reference(PropertyType type)
{
    return type == PROP_CHARDEV || type == PROP_NETDEV || type == PROP_DRIVE;
}

/* --- parsing ------------------------------------------------------------------------- */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "52:54:00:12:34:56" (or with '-'): exactly six pairs of hex digits. */
static int parse_mac(const char *s, MACAddr *mac)
{
    for (int i = 0; i < 6; i++) {
        int hi = hex_digit(s[0]);
        int lo = hi < 0 ? -1 : hex_digit(s[1]);
        if (lo < 0) {
            return -1;
        }
        mac->a[i] = (uint8_t)(hi << 4 | lo);
        s += 2;
        if (i < 5) {
            if (*s != ':' && *s != '-') {
                return -1;
            }
            s++;
        }
    }
    return *s ? -1 : 0;
}

static uint64_t uint_type_max(PropertyType type)
{
    switch (type) {
    case PROP_UINT8: return UINT8_MAX;
    case PROP_UINT16: return UINT16_MAX;
    case PROP_UINT32: return UINT32_MAX;
    default: return UINT64_MAX;
    }
}

static void store_uint(void *field, PropertyType type, uint64_t v)
{
    switch (type) {
    case PROP_UINT8: *(uint8_t *)field = (uint8_t)v; break;
    case PROP_UINT16: *(uint16_t *)field = (uint16_t)v; break;
    case PROP_UINT32: *(uint32_t *)field = (uint32_t)v; break;
    default: *(uint64_t *)field = v; break;
    }
}

static uint64_t load_uint(const void *field, PropertyType type)
{
    switch (type) {
    case PROP_UINT8: return *(const uint8_t *)field;
    case PROP_UINT16: return *(const uint16_t *)field;
    case PROP_UINT32: return *(const uint32_t *)field;
    default: return *(const uint64_t *)field;
    }
}

static int set_uint(DeviceState *dev, const Property *p, const char *value, Error **errp)
{
    uint64_t v, lo = 0, hi = uint_type_max(p->type);
    int r = p->type == PROP_SIZE ? parse_size(value, 1, &v) : parse_uint64(value, &v);
    if (r < 0) {
        error_setg(errp, "property '%s' of '%s' expects %s, not '%s'", p->name,
                   dev->type->name, p->type == PROP_SIZE ? "a size (e.g. 64k, 16M)"
                   : "a non-negative integer", value);
        return -1;
    }
    if (p->has_range) {
        lo = p->min;
        hi = MIN(hi, p->max);
    }
    if (v < lo || v > hi) {
        error_setg(errp, "property '%s' of '%s': '%s' is out of range %" PRIu64 "..%" PRIu64,
                   p->name, dev->type->name, value, lo, hi);
        return -1;
    }
    store_uint(prop_field(dev, p), p->type, v);
    return 0;
}

static int set_int(DeviceState *dev, const Property *p, const char *value, Error **errp)
{
    int64_t v, lo = INT32_MIN, hi = INT32_MAX;
    if (parse_int64(value, &v) < 0) {
        error_setg(errp, "property '%s' of '%s' expects an integer, not '%s'", p->name,
                   dev->type->name, value);
        return -1;
    }
    if (p->has_range) {
        lo = MAX(lo, (int64_t)p->min);
        hi = MIN(hi, (int64_t)p->max);
    }
    if (v < lo || v > hi) {
        error_setg(errp, "property '%s' of '%s': '%s' is out of range %" PRId64 "..%" PRId64,
                   p->name, dev->type->name, value, lo, hi);
        return -1;
    }
    *(int32_t *)prop_field(dev, p) = (int32_t)v;
    return 0;
}

static void *resolve_backend(PropertyType type, const char *id)
{
    if (resolvers[type]) {
        return resolvers[type](id);
    }
    if (type == PROP_CHARDEV && chardev_find) {
        return chardev_find(id);
    }
    return NULL;
}

static bool backend_resolvable(PropertyType type)
{
    return resolvers[type] || (type == PROP_CHARDEV && chardev_find);
}

static int set_reference(DeviceState *dev, int index, const Property *p, const char *value,
                         Error **errp)
{
    void *backend = NULL;
    if (*value && backend_resolvable(p->type)) {
        backend = resolve_backend(p->type, value);
        if (!backend) {
            error_setg(errp, "property '%s' of '%s': no %s with id '%s'", p->name,
                       dev->type->name, type_names[p->type], value);
            return -1;
        }
    }
    free(dev->prop_ids[index]);
    dev->prop_ids[index] = *value ? xstrdup(value) : NULL;
    *(void **)prop_field(dev, p) = backend;
    return 0;
}

static int prop_set(DeviceState *dev, int index, const char *value, Error **errp)
{
    const Property *p = &dev->type->props[index];
    void *field = prop_field(dev, p);
    bool b;

    switch (p->type) {
    case PROP_UINT8: case PROP_UINT16: case PROP_UINT32: case PROP_UINT64: case PROP_SIZE:
        return set_uint(dev, p, value, errp);
    case PROP_INT:
        return set_int(dev, p, value, errp);
    case PROP_BOOL:
        if (parse_bool(value, &b) < 0) {
            error_setg(errp, "property '%s' of '%s' expects on or off, not '%s'", p->name,
                       dev->type->name, value);
            return -1;
        }
        *(bool *)field = b;
        return 0;
    case PROP_STRING:
        free(*(char **)field);
        *(char **)field = xstrdup(value);
        return 0;
    case PROP_MACADDR: {
        MACAddr mac;
        if (parse_mac(value, &mac) < 0) {
            error_setg(errp, "property '%s' of '%s' expects a MAC address like "
                       "52:54:00:12:34:56, not '%s'", p->name, dev->type->name, value);
            return -1;
        }
        *(MACAddr *)field = mac;
        return 0;
    }
    case PROP_CHARDEV: case PROP_NETDEV: case PROP_DRIVE:
        return set_reference(dev, index, p, value, errp);
    case PROP__COUNT:
        break;
    }
    return -1;
}

int device_set_prop_str(DeviceState *dev, const char *name, const char *value, Error **errp)
{
    int index = prop_index(dev->type, name);
    if (index < 0) {
        error_setg(errp, "device '%s' has no property '%s' (try -device %s,help)",
                   dev->type->name, name, dev->type->name);
        return -1;
    }
    if (dev->realized) {
        error_setg(errp, "property '%s' of '%s' cannot change once the device is realized",
                   name, dev->type->name);
        return -1;
    }
    return prop_set(dev, index, value, errp);
}

void qdev_props_set_defaults(DeviceState *dev)
{
    const DeviceType *type = dev->type;
    for (int i = 0; type->props && type->props[i].name; i++) {
        const Property *p = &type->props[i];
        void *field = prop_field(dev, p);
        switch (p->type) {
        case PROP_UINT8: case PROP_UINT16: case PROP_UINT32: case PROP_UINT64: case PROP_SIZE:
            store_uint(field, p->type, p->defval);
            break;
        case PROP_INT:
            *(int32_t *)field = (int32_t)(int64_t)p->defval;
            break;
        case PROP_BOOL:
            *(bool *)field = p->defval != 0;
            break;
        case PROP_STRING:
            *(char **)field = p->defstr ? xstrdup(p->defstr) : NULL;
            break;
        case PROP_MACADDR:
            if (!p->defstr || parse_mac(p->defstr, field) < 0) {
                memset(field, 0, sizeof(MACAddr));
            }
            break;
        default:
            *(void **)field = NULL;
            break;
        }
    }
}

void qdev_props_free(DeviceState *dev)
{
    const DeviceType *type = dev->type;
    for (int i = 0; type->props && type->props[i].name; i++) {
        if (type->props[i].type == PROP_STRING) {
            char **field = prop_field(dev, &type->props[i]);
            free(*field);
            *field = NULL;
        }
        free(dev->prop_ids[i]);
    }
    free(dev->prop_ids);
    dev->prop_ids = NULL;
}

/* --- text form ------------------------------------------------------------------------ */

static char *format_mac(const MACAddr *mac)
{
    return xasprintf("%02x:%02x:%02x:%02x:%02x:%02x", mac->a[0], mac->a[1], mac->a[2],
                     mac->a[3], mac->a[4], mac->a[5]);
}

static char *prop_format(DeviceState *dev, int index)
{
    const Property *p = &dev->type->props[index];
    void *field = prop_field(dev, p);
    switch (p->type) {
    case PROP_UINT8: case PROP_UINT16: case PROP_UINT32: case PROP_UINT64: case PROP_SIZE:
        return xasprintf("%" PRIu64, load_uint(field, p->type));
    case PROP_INT:
        return xasprintf("%" PRId32, *(int32_t *)field);
    case PROP_BOOL:
        return xstrdup(*(bool *)field ? "on" : "off");
    case PROP_STRING:
        return xstrdup(*(char **)field ? *(char **)field : "");
    case PROP_MACADDR:
        return format_mac(field);
    default:
        return xstrdup(dev->prop_ids[index] ? dev->prop_ids[index] : "");
    }
}

char *device_get_prop_str(DeviceState *dev, const char *name)
{
    int index = prop_index(dev->type, name);
    return index < 0 ? NULL : prop_format(dev, index);
}

const char *device_get_prop_id(DeviceState *dev, const char *name)
{
    int index = prop_index(dev->type, name);
    if (index < 0 || !is_reference(dev->type->props[index].type)) {
        return NULL;
    }
    return dev->prop_ids[index];
}

/* One line of "info qtree": integers as "3 (0x3)", booleans true/false, text quoted. */
static void prop_print(FILE *out, DeviceState *dev, int index, int indent)
{
    const Property *p = &dev->type->props[index];
    char *text = prop_format(dev, index);
    fprintf(out, "%*s%s = ", indent, "", p->name);
    switch (p->type) {
    case PROP_UINT8: case PROP_UINT16: case PROP_UINT32: case PROP_UINT64:
        fprintf(out, "%s (0x%" PRIx64 ")\n", text, load_uint(prop_field(dev, p), p->type));
        break;
    case PROP_SIZE: {
        char human[32];
        uint64_t v = load_uint(prop_field(dev, p), p->type);
        fprintf(out, "%s (%s)\n", text, format_size(v, human, sizeof(human)));
        break;
    }
    case PROP_INT:
        fprintf(out, "%s (0x%" PRIx32 ")\n", text, (uint32_t)*(int32_t *)prop_field(dev, p));
        break;
    case PROP_BOOL:
        fprintf(out, "%s\n", *(bool *)prop_field(dev, p) ? "true" : "false");
        break;
    default:
        fprintf(out, "\"%s\"\n", text);
        break;
    }
    free(text);
}

void qdev_props_print(FILE *out, DeviceState *dev, int indent)
{
    for (int i = 0; dev->type->props && dev->type->props[i].name; i++) {
        prop_print(out, dev, i, indent);
    }
}

/* --- help --------------------------------------------------------------------------- */

static char *default_text(const Property *p)
{
    switch (p->type) {
    case PROP_UINT8: case PROP_UINT16: case PROP_UINT32: case PROP_UINT64: case PROP_SIZE:
        return xasprintf("%" PRIu64, p->defval);
    case PROP_INT:
        return xasprintf("%" PRId64, (int64_t)p->defval);
    case PROP_BOOL:
        return xstrdup(p->defval ? "on" : "off");
    case PROP_STRING: case PROP_MACADDR:
        return p->defstr ? xstrdup(p->defstr) : NULL;
    default:
        return NULL;
    }
}

void device_type_print_props(FILE *out, const DeviceType *type)
{
    fprintf(out, "%s options:\n", type->name);
    if (!qdev_prop_count(type)) {
        fprintf(out, "  (none)\n");
    }
    for (int i = 0; type->props && type->props[i].name; i++) {
        const Property *p = &type->props[i];
        char *arg = xasprintf("%s=<%s>", p->name, type_names[p->type]);
        char *def = default_text(p);
        fprintf(out, "  %-24s -", arg);
        if (p->description) {
            fprintf(out, " %s", p->description);
        }
        if (p->has_range && p->type == PROP_INT) {
            fprintf(out, " (%" PRId64 "..%" PRId64 ")", (int64_t)p->min, (int64_t)p->max);
        } else if (p->has_range) {
            fprintf(out, " (%" PRIu64 "..%" PRIu64 ")", p->min, p->max);
        }
        if (def) {
            fprintf(out, " (default: %s)", def);
        }
        fprintf(out, "\n");
        free(arg);
        free(def);
    }
}
