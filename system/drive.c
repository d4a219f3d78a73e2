/* -drive: QEMU's sub-options (file, format, if, index, media, readonly, snapshot, cache,
 * id, file.locking, force-share, aio, discard) parsed into an opened block backend kept
 * under its id until exit. QEMU 7.2 docs "-drive" for the spelling. */
#include <stdlib.h>
#include <string.h>
#include "system/drive.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include "hw/qdev.h"

#define MAX_DRIVES 64

static DriveInfo *drives[MAX_DRIVES];
static int nr_drives;

static const char *const known_interfaces[] = {
    "none", "ide", "scsi", "sd", "mtd", "floppy", "pflash", "virtio",
};

static bool interface_known(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(known_interfaces); i++) {
        if (!strcmp(name, known_interfaces[i])) {
            return true;
        }
    }
    return false;
}

static bool interface_supported(const char *name, const char *const *supported)
{
    if (!strcmp(name, "none")) {
        return true;
    }
    for (; supported && *supported; supported++) {
        if (!strcmp(name, *supported)) {
            return true;
        }
    }
    return false;
}

/* Options QEMU accepts whose only values here are the default behaviour. */
static int check_default_only(KeyValList *kv, const char *key, const char *const *allowed,
                              Error **errp)
{
    const char *v = keyval_get(kv, key);
    for (; v && *allowed; allowed++) {
        if (!strcmp(v, *allowed)) {
            return 0;
        }
    }
    if (v) {
        error_setg(errp, "%s=%s is not supported", key, v);
        return -1;
    }
    return 0;
}

static int parse_open_options(KeyValList *kv, BlockOpenOptions *o, bool *cdrom, Error **errp)
{
    static const char *const aio[] = { "threads", NULL };
    static const char *const discard[] = { "ignore", "off", NULL };
    const char *media = keyval_get(kv, "media");
    const char *v;

    o->format = keyval_get(kv, "format");
    *cdrom = media && !strcmp(media, "cdrom");
    if (media && !*cdrom && strcmp(media, "disk")) {
        error_setg(errp, "'%s' invalid media", media);
        return -1;
    }
    if (keyval_get_bool(kv, "readonly", *cdrom, &o->read_only, errp) < 0 ||
        keyval_get_bool(kv, "snapshot", o->snapshot, &o->snapshot, errp) < 0 ||
        keyval_get_bool(kv, "force-share", false, &o->force_share, errp) < 0 ||
        check_default_only(kv, "aio", aio, errp) < 0 ||
        check_default_only(kv, "discard", discard, errp) < 0) {
        return -1;
    }
    if ((v = keyval_get(kv, "cache")) && block_cache_mode_parse(v, &o->cache, errp) < 0) {
        return -1;
    }
    if ((v = keyval_get(kv, "file.locking")) && block_locking_parse(v, &o->locking, errp) < 0) {
        return -1;
    }
    if (o->format && !block_driver_find(o->format)) {
        error_setg(errp, "'%s' invalid format", o->format);
        return -1;
    }
    return 0;
}

/* Units per bus of an interface (QEMU's numbering: index = bus * units + unit). */
static int interface_units(const char *interface)
{
    return !strcmp(interface, "ide") ? 2 : !strcmp(interface, "scsi") ? 7 : 1;
}

static int parse_number(KeyValList *kv, const char *key, int max, int *out, Error **errp)
{
    const char *v = keyval_get(kv, key);
    uint64_t n;

    *out = -1;
    if (v && (parse_uint64(v, &n) < 0 || n > (uint64_t)max)) {
        error_setg(errp, "%s=%s: expected a number from 0 to %d", key, v, max);
        return -1;
    }
    if (v) {
        *out = (int)n;
    }
    return 0;
}

static bool index_used(const char *interface, int index)
{
    return drive_get(interface, index) != NULL;
}

/* index=, or bus= and unit=, or the first free index of the interface. */
static int parse_index(KeyValList *kv, const char *interface, int *index, Error **errp)
{
    int units = interface_units(interface), bus, unit;

    if (parse_number(kv, "index", 255, index, errp) < 0 ||
        parse_number(kv, "bus", 255, &bus, errp) < 0 ||
        parse_number(kv, "unit", units - 1, &unit, errp) < 0) {
        return -1;
    }
    if (*index >= 0 && (bus >= 0 || unit >= 0)) {
        error_setg(errp, "index cannot be used with bus and unit");
        return -1;
    }
    if (bus >= 0 || unit >= 0) {
        *index = (bus > 0 ? bus : 0) * units + (unit > 0 ? unit : 0);
    }
    if (*index < 0) {
        for (*index = 0; index_used(interface, *index); (*index)++) {
        }
    } else if (index_used(interface, *index)) {
        error_setg(errp, "drive with bus=%d, unit=%d (index=%d) exists", *index / units,
                   *index % units, *index);
        return -1;
    }
    return 0;
}

/* QEMU's default ids: ide0-hd0, ide1-cd0, scsi0-hd0, virtio0, floppy0, ... */
static char *default_id(const char *interface, int index, bool cdrom)
{
    int units = interface_units(interface);

    if (units > 1) {
        return xasprintf("%s%d-%s%d", interface, index / units, cdrom ? "cd" : "hd",
                         index % units);
    }
    return xasprintf("%s%d", interface, index);
}

static void *drive_resolve(const char *id)
{
    return drive_find(id);
}

int drive_claim(DriveInfo *d, const char *owner, Error **errp)
{
    if (d->claimed_by) {
        error_setg(errp, "drive '%s' is already in use by %s", d->id, d->claimed_by);
        return -1;
    }
    d->claimed_by = owner;
    return 0;
}

static DriveInfo *drive_open(KeyValList *kv, const char *interface, bool snapshot,
                             Error **errp)
{
    BlockOpenOptions o = { .snapshot = snapshot };
    const char *file = keyval_get(kv, "file");
    const char *id = keyval_get(kv, "id");
    DriveInfo *d;
    bool cdrom;
    int index;

    BlockDriverState *bs = NULL;

    if (parse_index(kv, interface, &index, errp) < 0 ||
        parse_open_options(kv, &o, &cdrom, errp) < 0 ||
        keyval_check_unused(kv, "-drive", errp) < 0) {
        return NULL;
    }
    if (id && drive_find(id)) {
        error_setg(errp, "drive with id '%s' already exists", id);
        return NULL;
    }
    if (!file && !cdrom) {
        error_setg(errp, "a drive without a medium needs media=cdrom: give file=");
        return NULL;
    }
    if (file && !(bs = block_open(file, &o, errp))) {
        return NULL;
    }
    d = xzalloc(sizeof(*d));
    d->id = id ? xstrdup(id) : default_id(interface, index, cdrom);
    d->interface = xstrdup(interface);
    d->index = index;
    d->cdrom = cdrom;
    d->read_only = o.read_only;
    d->filename = file ? xstrdup(file) : NULL;
    d->format = o.format ? xstrdup(o.format) : NULL;
    d->opts = o;
    d->opts.format = d->format;
    d->bs = bs;
    return d;
}

DriveInfo *drive_new(const char *spec, bool snapshot, const char *const *supported_if,
                     Error **errp)
{
    KeyValList kv;
    DriveInfo *d = NULL;
    const char *interface;

    if (nr_drives == MAX_DRIVES) {
        error_setg(errp, "at most %d drives are supported", MAX_DRIVES);
        return NULL;
    }
    if (keyval_parse(spec, "file", &kv, errp) < 0) {
        return NULL;
    }
    interface = keyval_get(&kv, "if");
    interface = interface ? interface : "ide";
    if (!interface_known(interface)) {
        error_setg(errp, "unsupported bus type '%s'", interface);
    } else if (!interface_supported(interface, supported_if)) {
        error_setg(errp, "machine type does not support if=%s", interface);
    } else {
        d = drive_open(&kv, interface, snapshot, errp);
    }
    if (d) {
        drives[nr_drives++] = d;
        qdev_set_backend_resolver(PROP_DRIVE, drive_resolve);
    }
    keyval_free(&kv);
    return d;
}

DriveInfo *drive_find(const char *id)
{
    for (int i = 0; i < nr_drives; i++) {
        if (!strcmp(drives[i]->id, id)) {
            return drives[i];
        }
    }
    return NULL;
}

DriveInfo *drive_get(const char *interface, int index)
{
    for (int i = 0; i < nr_drives; i++) {
        if (!strcmp(drives[i]->interface, interface) && drives[i]->index == index) {
            return drives[i];
        }
    }
    return NULL;
}

void drive_set_dev_ops(DriveInfo *d, const DriveDevOps *ops, void *opaque)
{
    d->dev_ops = ops;
    d->dev_opaque = opaque;
}

void drive_foreach(void (*fn)(DriveInfo *drive, void *opaque), void *opaque)
{
    for (int i = 0; i < nr_drives; i++) {
        fn(drives[i], opaque);
    }
}

void drive_close_all(void)
{
    for (int i = 0; i < nr_drives; i++) {
        if (drives[i]->bs) {
            block_close(drives[i]->bs);
        }
        free(drives[i]->id);
        free(drives[i]->format);
        free(drives[i]->interface);
        free(drives[i]->filename);
        free(drives[i]);
    }
    nr_drives = 0;
}
