/* The monitor's block commands on -drive drives (QEMU 7.2 HMP change/eject/commit/
 * block_resize, QMP blockdev-change-medium/eject/block_resize): media changes go through
 * the device holding the drive (tray lock, unit attention), everything waits for the
 * drives' requests in flight first (the big lock keeps new ones out). */
#include <stdlib.h>
#include <string.h>
#include "system/drive.h"
#include "util/cutils.h"

static DriveInfo *find_drive(const char *device, Error **errp)
{
    DriveInfo *d = drive_find(device);

    if (!d) {
        error_setg(errp, "Device '%s' not found", device);
    }
    return d;
}

static DriveInfo *find_removable(const char *device, Error **errp)
{
    DriveInfo *d = find_drive(device, errp);

    if (d && (!d->dev_ops || !d->dev_ops->change_medium)) {
        error_setg(errp, "Device '%s' is not removable", device);
        return NULL;
    }
    return d;
}

bool drive_is_locked(const DriveInfo *d)
{
    return d->dev_ops && d->dev_ops->locked && d->dev_ops->locked(d->dev_opaque);
}

bool drive_tray_open(const DriveInfo *d)
{
    return d->dev_ops && d->dev_ops->tray_open && d->dev_ops->tray_open(d->dev_opaque);
}

/* Hands bs to the device; on success the old medium is closed and d describes bs. */
static int swap_medium(DriveInfo *d, BlockDriverState *bs, const char *filename,
                       const char *format, bool force, Error **errp)
{
    BlockDriverState *old = NULL;

    block_aio_wait_all();
    if (d->dev_ops->change_medium(d->dev_opaque, bs, force, &old, errp) < 0) {
        return -1;
    }
    if (old) {
        block_close(old);
    }
    free(d->filename);
    free(d->format);
    d->filename = filename ? xstrdup(filename) : NULL;
    d->format = format ? xstrdup(format) : NULL;
    d->opts.format = d->format;
    d->bs = bs;
    return 0;
}

int drive_change_medium(const char *device, const char *filename, const char *format,
                        bool force, Error **errp)
{
    DriveInfo *d = find_removable(device, errp);
    BlockOpenOptions o;
    BlockDriverState *bs;

    if (!d) {
        return -1;
    }
    if (format && !block_driver_find(format)) {
        error_setg(errp, "'%s' invalid format", format);
        return -1;
    }
    o = d->opts;
    o.format = format;
    if (!(bs = block_open(filename, &o, errp))) {
        return -1;
    }
    if (swap_medium(d, bs, filename, format, force, errp) < 0) {
        block_close(bs);
        return -1;
    }
    return 0;
}

int drive_eject(const char *device, bool force, Error **errp)
{
    DriveInfo *d = find_removable(device, errp);

    return d ? swap_medium(d, NULL, NULL, NULL, force, errp) : -1;
}

static int commit_one(DriveInfo *d, Error **errp)
{
    BlockDriverState *base = d->bs ? block_get_backing(d->bs) : NULL;

    if (!base) {
        return 0;                       /* nothing to commit, as QEMU */
    }
    block_aio_wait_all();
    if (block_commit(d->bs, base, NULL, NULL, errp) < 0) {
        error_prepend(errp, "'commit' of %s failed: ", d->id);
        return -1;
    }
    return 0;
}

typedef struct CommitAll {
    Error **errp;
    int ret;
} CommitAll;

static void commit_each(DriveInfo *d, void *opaque)
{
    CommitAll *c = opaque;

    if (c->ret == 0 && commit_one(d, c->errp) < 0) {
        c->ret = -1;
    }
}

int drive_commit(const char *device, Error **errp)
{
    DriveInfo *d;

    if (!strcmp(device, "all")) {
        CommitAll c = { errp, 0 };
        drive_foreach(commit_each, &c);
        return c.ret;
    }
    d = find_drive(device, errp);
    return d ? commit_one(d, errp) : -1;
}

int drive_resize(const char *device, uint64_t size, Error **errp)
{
    DriveInfo *d = find_drive(device, errp);

    if (!d) {
        return -1;
    }
    if (!d->bs) {
        error_setg(errp, "Device '%s' has no medium", device);
        return -1;
    }
    if (size % 512) {
        error_setg(errp, "The new size must be a multiple of 512");
        return -1;
    }
    block_aio_wait_all();
    if (block_truncate(d->bs, size, true, BLOCK_PREALLOC_OFF, errp) < 0) {
        return -1;
    }
    if (d->dev_ops && d->dev_ops->resized) {
        d->dev_ops->resized(d->dev_opaque);
    }
    return 0;
}
