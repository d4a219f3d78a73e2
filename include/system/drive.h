/* -drive and its short forms (-hda, -cdrom): each opens a block backend (block_open, with
 * the image locking of docs/block.md) under an id; boards and devices take them by
 * interface and index, if=none drives by id (-device ...,drive=ID). */
#ifndef SYSTEM_DRIVE_H
#define SYSTEM_DRIVE_H

#include <stdbool.h>
#include "block/block.h"
#include "util/error.h"

/* What the device holding a drive offers the monitor (all optional). */
typedef struct DriveDevOps {
    /* Swaps the medium (bs NULL: eject); the old one goes to *old. -1 with *errp when the
     * tray is locked and !force. Removable media only. */
    int (*change_medium)(void *opaque, BlockDriverState *bs, bool force,
                         BlockDriverState **old, Error **errp);
    bool (*locked)(void *opaque);
    bool (*tray_open)(void *opaque);
    /* The medium's size changed (block_resize). */
    void (*resized)(void *opaque);
} DriveDevOps;

typedef struct DriveInfo {
    char *id;
    char *interface;        /* "none", "ide", "virtio", ... as typed */
    int index;              /* -1 when not given */
    bool cdrom;             /* media=cdrom */
    bool read_only;
    char *filename;         /* NULL: a CD drive without a medium */
    char *format;           /* format= as typed, or NULL (probed) */
    BlockOpenOptions opts;  /* how the medium was opened (change opens the next alike) */
    BlockDriverState *bs;   /* NULL: no medium */
    const char *claimed_by; /* the device (type name) the drive is attached to, or NULL */
    const DriveDevOps *dev_ops;
    void *dev_opaque;
} DriveInfo;

/* Parses one -drive spec and opens its image. supported_if says which interfaces the
 * machine can attach ("none" always works); snapshot is the global -snapshot. */
DriveInfo *drive_new(const char *spec, bool snapshot, const char *const *supported_if,
                     Error **errp);
DriveInfo *drive_find(const char *id);
DriveInfo *drive_get(const char *interface, int index);
/* Marks d as attached to a device; -1 with *errp if another device has it already. */
int drive_claim(DriveInfo *d, const char *owner, Error **errp);
/* The device holding d tells how to change its medium etc. */
void drive_set_dev_ops(DriveInfo *d, const DriveDevOps *ops, void *opaque);

/* drive-control.c: the monitor's block commands. device is a drive id. */
int drive_change_medium(const char *device, const char *filename, const char *format,
                        bool force, Error **errp);
int drive_eject(const char *device, bool force, Error **errp);
/* Commits the top image of the drive (or of every drive: "all") into its backing file. */
int drive_commit(const char *device, Error **errp);
int drive_resize(const char *device, uint64_t size, Error **errp);
bool drive_is_locked(const DriveInfo *d);
bool drive_tray_open(const DriveInfo *d);

/* Calls fn for every drive, in command-line order. */
void drive_foreach(void (*fn)(DriveInfo *drive, void *opaque), void *opaque);
/* Closes every drive (flushes; at exit). */
void drive_close_all(void);

#endif
