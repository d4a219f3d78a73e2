/* -drive and its short forms (-hda, -cdrom): each opens a block backend (block_open, with
 * the image locking of docs/block.md) under an id; boards and devices take them by
 * interface and index, if=none drives by id (-device ...,drive=ID). */
#ifndef SYSTEM_DRIVE_H
#define SYSTEM_DRIVE_H

#include <stdbool.h>
#include "block/block.h"
#include "util/error.h"

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
} DriveInfo;

/* Parses one -drive spec and opens its image. supported_if says which interfaces the
 * machine can attach ("none" always works); snapshot is the global -snapshot. */
DriveInfo *drive_new(const char *spec, bool snapshot, const char *const *supported_if,
                     Error **errp);
DriveInfo *drive_find(const char *id);
DriveInfo *drive_get(const char *interface, int index);
/* Marks d as attached to a device; -1 with *errp if another device has it already. */
int drive_claim(DriveInfo *d, const char *owner, Error **errp);
/* Calls fn for every drive, in command-line order. */
void drive_foreach(void (*fn)(DriveInfo *drive, void *opaque), void *opaque);
/* Closes every drive (flushes; at exit). */
void drive_close_all(void);

#endif
