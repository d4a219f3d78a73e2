/* QMP block commands in QEMU 7.2's shapes (qapi/block-core.json, block.json): query-block
 * with the full BlockInfo/BlockDeviceInfo/ImageInfo members, blockdev-change-medium, eject,
 * block_resize. */
#include <string.h>
#include "monitor/qmp-cmds.h"
#include "system/drive.h"

static const char *arg_str(const JsonValue *args, const char *key)
{
    JsonValue *v = args ? json_object_get(args, key) : NULL;
    return v ? json_get_string(v) : NULL;
}

static bool arg_bool(const JsonValue *args, const char *key)
{
    JsonValue *v = args ? json_object_get(args, key) : NULL;
    return v && json_get_bool(v);
}

static JsonValue *image_info(BlockDriverState *bs)
{
    JsonValue *img = json_new_object();
    BlockImageInfo info;

    if (block_get_info(bs, &info) < 0) {
        json_free(img);
        return NULL;
    }
    json_object_set(img, "filename", json_new_string(info.filename));
    json_object_set(img, "format", json_new_string(info.format));
    json_object_set(img, "virtual-size", json_new_int(info.virtual_size));
    if (info.actual_size >= 0) {
        json_object_set(img, "actual-size", json_new_int(info.actual_size));
    }
    if (info.cluster_size) {
        json_object_set(img, "cluster-size", json_new_int(info.cluster_size));
    }
    json_object_set(img, "dirty-flag", json_new_bool(info.dirty));
    if (info.backing_filename) {
        json_object_set(img, "backing-filename", json_new_string(info.backing_filename));
    }
    if (info.full_backing_filename) {
        json_object_set(img, "full-backing-filename",
                        json_new_string(info.full_backing_filename));
    }
    if (info.backing_format) {
        json_object_set(img, "backing-filename-format", json_new_string(info.backing_format));
    }
    BlockDriverState *backing = block_get_backing(bs);
    JsonValue *bimg = backing ? image_info(backing) : NULL;
    if (bimg) {
        json_object_set(img, "backing-image", bimg);
    }
    return img;
}

static JsonValue *cache_info(BlockCacheMode mode)
{
    JsonValue *cache = json_new_object();

    json_object_set(cache, "writeback", json_new_bool(mode != BLOCK_CACHE_WRITETHROUGH &&
                                                      mode != BLOCK_CACHE_DIRECTSYNC));
    json_object_set(cache, "direct", json_new_bool(mode == BLOCK_CACHE_NONE ||
                                                   mode == BLOCK_CACHE_DIRECTSYNC));
    json_object_set(cache, "no-flush", json_new_bool(mode == BLOCK_CACHE_UNSAFE));
    return cache;
}

static JsonValue *device_info(DriveInfo *d)
{
    static const char *const zero_limits[] = { "bps", "bps_rd", "bps_wr", "iops", "iops_rd",
                                               "iops_wr", "write_threshold" };
    JsonValue *ins = json_new_object(), *img = image_info(d->bs);
    BlockDriverState *backing = block_get_backing(d->bs);
    int depth = 0;

    json_object_set(ins, "file", json_new_string(d->filename));
    json_object_set(ins, "ro", json_new_bool(block_is_read_only(d->bs)));
    json_object_set(ins, "drv", json_new_string(block_get_format(d->bs)));
    if (backing) {
        json_object_set(ins, "backing_file", json_new_string(block_get_filename(backing)));
    }
    for (BlockDriverState *b = backing; b; b = block_get_backing(b)) {
        depth++;
    }
    json_object_set(ins, "backing_file_depth", json_new_int(depth));
    json_object_set(ins, "encrypted", json_new_bool(false));
    json_object_set(ins, "detect_zeroes", json_new_string("off"));
    for (size_t i = 0; i < sizeof(zero_limits) / sizeof(zero_limits[0]); i++) {
        json_object_set(ins, zero_limits[i], json_new_int(0));
    }
    if (img) {
        json_object_set(ins, "image", img);
    }
    json_object_set(ins, "cache", cache_info(d->opts.cache));
    return ins;
}

static void add_block_info(DriveInfo *d, void *opaque)
{
    JsonValue *item = json_new_object();
    bool removable = d->dev_ops && d->dev_ops->change_medium;

    json_object_set(item, "device", json_new_string(d->id));
    json_object_set(item, "type", json_new_string("unknown"));
    json_object_set(item, "removable", json_new_bool(removable));
    json_object_set(item, "locked", json_new_bool(drive_is_locked(d)));
    if (removable) {
        json_object_set(item, "tray_open", json_new_bool(drive_tray_open(d)));
    }
    if (d->bs) {
        json_object_set(item, "inserted", device_info(d));
    }
    json_array_append(opaque, item);
}

JsonValue *qmp_query_block(QmpSession *qs, const JsonValue *args, Error **errp)
{
    JsonValue *list = json_new_array();
    drive_foreach(add_block_info, list);
    return list;
}

/* device= or id= (QEMU takes either; here both name the drive). */
static const char *arg_device(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const char *device = arg_str(args, "device");
    const char *id = arg_str(args, "id");

    if (!device && !id) {
        error_setg(errp, "Either 'device' or 'id' must be specified");
        return NULL;
    }
    device = device ? device : id;
    if (!drive_find(device)) {
        qmp_set_error_class(qs, QMP_ERROR_DEVICE_NOT_FOUND);
        error_setg(errp, "Device '%s' not found", device);
        return NULL;
    }
    return device;
}

JsonValue *qmp_blockdev_change_medium(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const char *device = arg_device(qs, args, errp);
    const char *mode = arg_str(args, "read-only-mode");

    if (!device) {
        return NULL;
    }
    if (mode && strcmp(mode, "retain")) {
        error_setg(errp, "read-only-mode '%s' is not supported (only 'retain')", mode);
        return NULL;
    }
    if (drive_change_medium(device, arg_str(args, "filename"), arg_str(args, "format"),
                            arg_bool(args, "force"), errp) < 0) {
        return NULL;
    }
    return json_new_object();
}

JsonValue *qmp_eject(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const char *device = arg_device(qs, args, errp);

    if (!device || drive_eject(device, arg_bool(args, "force"), errp) < 0) {
        return NULL;
    }
    return json_new_object();
}

JsonValue *qmp_block_resize(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const char *device = arg_str(args, "device");
    const JsonValue *size = json_object_get(args, "size");

    if (!device) {
        error_setg(errp, "Parameter 'device' is missing (node-name is not supported)");
        return NULL;
    }
    if (!drive_find(device)) {
        qmp_set_error_class(qs, QMP_ERROR_DEVICE_NOT_FOUND);
        error_setg(errp, "Device '%s' not found", device);
        return NULL;
    }
    if (json_get_int(size) < 0) {
        error_setg(errp, "Parameter 'size' expects a non-negative value");
        return NULL;
    }
    if (drive_resize(device, json_get_int(size), errp) < 0) {
        return NULL;
    }
    return json_new_object();
}
