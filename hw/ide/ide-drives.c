/* Attaching the -drive if=ide drives to IDE channels: index 2 * bus + unit (QEMU's numbering:
 * -hda 0, -hdb 1, -hdc and -cdrom 2, -hdd 3), media=cdrom as an ATAPI unit (possibly
 * without a medium), disks as ATA units. */
#include <string.h>
#include "hw/ide/ide-dev.h"
#include "hw/ide/piix.h"

typedef struct AttachCtx {
    IDEBus *buses;
    Error **errp;
    int ret;
} AttachCtx;

static void attach_one(DriveInfo *d, void *opaque)
{
    AttachCtx *ctx = opaque;
    int bus, unit;

    if (ctx->ret < 0 || strcmp(d->interface, "ide") || d->claimed_by) {
        return;
    }
    bus = d->index / 2;
    unit = d->index % 2;
    if (bus > 1) {
        error_setg(ctx->errp, "drive '%s': IDE bus %d does not exist (index %d; the machine has "
                   "buses 0 and 1)", d->id, bus, d->index);
        ctx->ret = -1;
        return;
    }
    if (ide_attach_drive(&ctx->buses[bus], unit, d->cdrom ? IDE_CD : IDE_HD, d,
                         ctx->errp) < 0) {
        ctx->ret = -1;
    }
}

int ide_attach_if_drives(IDEBus buses[2], Error **errp)
{
    AttachCtx ctx = { buses, errp, 0 };

    drive_foreach(attach_one, &ctx);
    return ctx.ret;
}
