/* Device state save/load from a device type's field table (the base of snapshots and
 * migration). Format, all little-endian:
 *   "MDEV" | u16 len, type name | u32 version | u32 field count |
 *   per field: u16 len, field name | u32 byte count | elements, each little-endian. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hw/qdev.h"
#include "util/cutils.h"

#define VMSTATE_MAGIC "MDEV"

typedef struct Writer {
    uint8_t *buf;
    size_t len, cap;
} Writer;

static void put_bytes(Writer *w, const void *data, size_t n)
{
    if (w->len + n > w->cap) {
        w->cap = MAX(w->cap * 2, w->len + n + 64);
        w->buf = xrealloc(w->buf, w->cap);
    }
    memcpy(w->buf + w->len, data, n);
    w->len += n;
}

static void put_le(Writer *w, uint64_t v, unsigned size)
{
    uint8_t b[8];
    for (unsigned i = 0; i < size; i++) {
        b[i] = (uint8_t)(v >> (8 * i));
    }
    put_bytes(w, b, size);
}

static void put_name(Writer *w, const char *name)
{
    size_t n = strlen(name);
    put_le(w, n, 2);
    put_bytes(w, name, n);
}

typedef struct Reader {
    const uint8_t *buf;
    size_t len, pos;
} Reader;

static const uint8_t *get_bytes(Reader *r, size_t n)
{
    const uint8_t *p;
    if (n > r->len - r->pos) {
        return NULL;
    }
    p = r->buf + r->pos;
    r->pos += n;
    return p;
}

static int get_le(Reader *r, unsigned size, uint64_t *v)
{
    const uint8_t *p = get_bytes(r, size);
    if (!p) {
        return -1;
    }
    *v = 0;
    for (unsigned i = 0; i < size; i++) {
        *v |= (uint64_t)p[i] << (8 * i);
    }
    return 0;
}

/* True if the next name in r equals name. */
static bool get_name_is(Reader *r, const char *name)
{
    uint64_t n;
    const uint8_t *p;
    if (get_le(r, 2, &n) < 0 || !(p = get_bytes(r, n))) {
        return false;
    }
    return n == strlen(name) && !memcmp(p, name, n);
}

static bool element_is_integer(const VMStateField *f)
{
    return f->type != VMS_BUFFER && f->size <= 8;
}

static uint64_t field_total(const VMStateField *f)
{
    return (uint64_t)f->size * f->count;
}

static void save_field(Writer *w, DeviceState *dev, const VMStateField *f)
{
    const uint8_t *base = (const uint8_t *)dev + f->offset;
    put_name(w, f->name);
    put_le(w, field_total(f), 4);
    if (!element_is_integer(f)) {
        put_bytes(w, base, field_total(f));
        return;
    }
    for (unsigned i = 0; i < f->count; i++) {
        uint64_t v = 0;
        const uint8_t *elem = base + i * f->size;
        switch (f->type) {
        case VMS_UINT8: v = *elem; break;
        case VMS_UINT16: v = *(const uint16_t *)elem; break;
        case VMS_UINT32: v = *(const uint32_t *)elem; break;
        case VMS_UINT64: v = *(const uint64_t *)elem; break;
        case VMS_INT32: v = (uint32_t)*(const int32_t *)elem; break;
        case VMS_BOOL: v = *(const bool *)elem; break;
        case VMS_BUFFER: break;
        }
        put_le(w, v, f->type == VMS_BOOL ? 1 : f->size);
    }
}

static int field_count(const VMStateField *fields)
{
    int n = 0;
    while (fields && fields[n].name) {
        n++;
    }
    return n;
}

uint8_t *device_state_save(DeviceState *dev, size_t *len)
{
    const DeviceType *type = dev->type;
    Writer w = { 0 };
    put_bytes(&w, VMSTATE_MAGIC, 4);
    put_name(&w, type->name);
    put_le(&w, (uint32_t)type->vmstate_version, 4);
    put_le(&w, (uint64_t)field_count(type->vmstate), 4);
    for (int i = 0; type->vmstate && type->vmstate[i].name; i++) {
        save_field(&w, dev, &type->vmstate[i]);
    }
    *len = w.len;
    return w.buf;
}

static int load_element(Reader *r, const VMStateField *f, uint8_t *elem)
{
    uint64_t v;
    if (get_le(r, f->type == VMS_BOOL ? 1 : (unsigned)f->size, &v) < 0) {
        return -1;
    }
    switch (f->type) {
    case VMS_UINT8: *elem = (uint8_t)v; break;
    case VMS_UINT16: *(uint16_t *)elem = (uint16_t)v; break;
    case VMS_UINT32: *(uint32_t *)elem = (uint32_t)v; break;
    case VMS_UINT64: *(uint64_t *)elem = v; break;
    case VMS_INT32: *(int32_t *)elem = (int32_t)(uint32_t)v; break;
    case VMS_BOOL:
        if (v > 1) {
            return -1;
        }
        *(bool *)elem = v != 0;
        break;
    case VMS_BUFFER: break;
    }
    return 0;
}

static int load_field(Reader *r, DeviceState *dev, const VMStateField *f, Error **errp)
{
    uint8_t *base = (uint8_t *)dev + f->offset;
    uint64_t total = 0;
    const uint8_t *p;

    if (!get_name_is(r, f->name)) {
        error_setg(errp, "state of '%s': expected field '%s'", dev->type->name, f->name);
        return -1;
    }
    if (get_le(r, 4, &total) < 0 || total != field_total(f)) {
        error_setg(errp, "state of '%s': field '%s' has %" PRIu64 " bytes, expected %" PRIu64,
                   dev->type->name, f->name, total, field_total(f));
        return -1;
    }
    if (!element_is_integer(f)) {
        if (!(p = get_bytes(r, total))) {
            goto truncated;
        }
        memcpy(base, p, total);
        return 0;
    }
    for (unsigned i = 0; i < f->count; i++) {
        if (load_element(r, f, base + i * f->size) < 0) {
            goto truncated;
        }
    }
    return 0;
truncated:
    error_setg(errp, "state of '%s': field '%s' is truncated or invalid", dev->type->name,
               f->name);
    return -1;
}

static int load_header(Reader *r, DeviceState *dev, Error **errp)
{
    const DeviceType *type = dev->type;
    const uint8_t *magic = get_bytes(r, 4);
    uint64_t version = 0, count = 0;
    if (!magic || memcmp(magic, VMSTATE_MAGIC, 4) || !get_name_is(r, type->name)) {
        error_setg(errp, "state is not that of a '%s' device", type->name);
        return -1;
    }
    if (get_le(r, 4, &version) < 0 || version != (uint32_t)type->vmstate_version) {
        error_setg(errp, "state of '%s' has version %" PRIu64 ", expected %d", type->name,
                   version, type->vmstate_version);
        return -1;
    }
    if (get_le(r, 4, &count) < 0 || count != (uint64_t)field_count(type->vmstate)) {
        error_setg(errp, "state of '%s' has %" PRIu64 " fields, expected %d", type->name,
                   count, field_count(type->vmstate));
        return -1;
    }
    return 0;
}

int device_state_load(DeviceState *dev, const uint8_t *buf, size_t len, Error **errp)
{
    const DeviceType *type = dev->type;
    Reader r = { .buf = buf, .len = len };
    if (load_header(&r, dev, errp) < 0) {
        return -1;
    }
    for (int i = 0; type->vmstate && type->vmstate[i].name; i++) {
        if (load_field(&r, dev, &type->vmstate[i], errp) < 0) {
            return -1;
        }
    }
    if (r.pos != r.len) {
        error_setg(errp, "state of '%s' has %zu trailing bytes", type->name, r.len - r.pos);
        return -1;
    }
    return type->post_load ? type->post_load(dev, errp) : 0;
}
