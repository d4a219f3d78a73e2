/* -device ide-hd / ide-cd: an ATA disk or ATAPI CD drive on an IDE bus ("ide.0", "ide.1" of
 * the PIIX3; AHCI ports) with drive=, unit= and bootindex= as QEMU spells them; plus the
 * registry from qdev buses to IDE channels and the drive hooks the monitor uses. */
#include <stdio.h>
#include <string.h>
#include "hw/ide/ide-dev.h"
#include "system/boot-options.h"
#include "system/drive.h"
#include "util/cutils.h"

#define MAX_IDE_QBUSES 16

typedef struct IDEDevice {
    DeviceState parent_obj;
    void *drive;                /* DriveInfo * */
    int32_t unit;
    int32_t bootindex;
    IDEState *state;
} IDEDevice;

static struct {
    BusState *qbus;
    IDEBus *bus;
    const char *of_path;        /* the controller's OpenFirmware path, for bootorder */
} ide_qbuses[MAX_IDE_QBUSES];

void ide_qbus_register(BusState *qbus, IDEBus *bus, const char *controller_path)
{
    for (int i = 0; i < MAX_IDE_QBUSES; i++) {
        if (!ide_qbuses[i].qbus || ide_qbuses[i].qbus == qbus) {
            ide_qbuses[i].qbus = qbus;
            ide_qbuses[i].bus = bus;
            ide_qbuses[i].of_path = controller_path;
            return;
        }
    }
}

void ide_qbus_unregister(BusState *qbus)
{
    for (int i = 0; i < MAX_IDE_QBUSES; i++) {
        if (ide_qbuses[i].qbus == qbus) {
            ide_qbuses[i].qbus = NULL;
        }
    }
}

static int ide_qbus_find(BusState *qbus)
{
    for (int i = 0; i < MAX_IDE_QBUSES; i++) {
        if (qbus && ide_qbuses[i].qbus == qbus) {
            return i;
        }
    }
    return -1;
}

/* ---- drive hooks for the monitor ---------------------------------------------------- */

static int ide_dev_change_medium(void *opaque, BlockDriverState *bs, bool force,
                                 BlockDriverState **old, Error **errp)
{
    return ide_cd_change_medium(opaque, bs, force, old, errp);
}

static bool ide_dev_locked(void *opaque)
{
    return ((IDEState *)opaque)->tray_locked;
}

static bool ide_dev_tray_open(void *opaque)
{
    return ((IDEState *)opaque)->tray_open;
}

static void ide_dev_resized(void *opaque)
{
    ide_resized(opaque);
}

static const DriveDevOps ide_cd_ops = {
    .change_medium = ide_dev_change_medium,
    .locked = ide_dev_locked,
    .tray_open = ide_dev_tray_open,
};

static const DriveDevOps ide_hd_ops = {
    .resized = ide_dev_resized,
};

int ide_attach_drive(IDEBus *bus, int unit, IDEDriveKind kind, DriveInfo *d, Error **errp)
{
    if (d && drive_claim(d, kind == IDE_CD ? "ide-cd" : "ide-hd", errp) < 0) {
        return -1;
    }
    if (ide_attach(bus, unit, kind, d ? d->bs : NULL, d && d->read_only, errp) < 0) {
        if (d) {
            d->claimed_by = NULL;
        }
        return -1;
    }
    if (d) {
        drive_set_dev_ops(d, kind == IDE_CD ? &ide_cd_ops : &ide_hd_ops, &bus->ifs[unit]);
    }
    return 0;
}

/* ---- the devices ------------------------------------------------------------------------ */

static int ide_device_realize(DeviceState *dev, IDEDriveKind kind, Error **errp)
{
    IDEDevice *s = DEVICE_CAST(IDEDevice, dev);
    int i = ide_qbus_find(dev->parent_bus);
    DriveInfo *d = s->drive;
    IDEBus *bus;
    int unit = s->unit;

    if (i < 0) {
        error_setg(errp, "not on an IDE bus");
        return -1;
    }
    if (!d && kind == IDE_HD) {
        error_setg(errp, "drive property not set");
        return -1;
    }
    if (d && d->cdrom != (kind == IDE_CD)) {
        error_setg(errp, "drive '%s' is a %s: use %s", d->id, d->cdrom ? "CD-ROM" : "disk",
                   d->cdrom ? "ide-cd" : "ide-hd");
        return -1;
    }
    bus = ide_qbuses[i].bus;
    if (unit < 0) {
        unit = bus->ifs[0].kind == IDE_NONE ? 0 : 1;
    }
    if (ide_attach_drive(bus, unit, kind, d, errp) < 0) {
        return -1;
    }
    s->state = &bus->ifs[unit];
    if (s->bootindex >= 0 && ide_qbuses[i].of_path) {
        char path[128];
        snprintf(path, sizeof(path), "%s/drive@%x/disk@%x", ide_qbuses[i].of_path,
                 bus->channel, unit);
        boot_device_add(s->bootindex, path);
    }
    return 0;
}

static int ide_hd_realize(DeviceState *dev, Error **errp)
{
    return ide_device_realize(dev, IDE_HD, errp);
}

static int ide_cd_realize(DeviceState *dev, Error **errp)
{
    return ide_device_realize(dev, IDE_CD, errp);
}

static void ide_device_unrealize(DeviceState *dev)
{
    IDEDevice *s = DEVICE_CAST(IDEDevice, dev);

    if (s->state && ide_qbus_find(dev->parent_bus) >= 0) {
        ide_detach(s->state);
    }
}

static const Property ide_device_props[] = {
    DEFINE_PROP_DRIVE("drive", IDEDevice, drive),
    DEFINE_PROP_INT_RANGE("unit", IDEDevice, unit, -1, -1, 1),
    DEFINE_PROP_INT_RANGE("bootindex", IDEDevice, bootindex, -1, -1, 1000),
    DEFINE_PROP_END,
};

static const DeviceType ide_hd_type = {
    .name = "ide-hd",
    .bus_type = BUS_TYPE_IDE,
    .instance_size = sizeof(IDEDevice),
    .description = "virtual IDE disk",
    .user_creatable = true,
    .realize = ide_hd_realize,
    .unrealize = ide_device_unrealize,
    .props = ide_device_props,
};
DEVICE_TYPE_REGISTER(ide_hd_type)

static const DeviceType ide_cd_type = {
    .name = "ide-cd",
    .bus_type = BUS_TYPE_IDE,
    .instance_size = sizeof(IDEDevice),
    .description = "virtual IDE CD-ROM",
    .user_creatable = true,
    .realize = ide_cd_realize,
    .unrealize = ide_device_unrealize,
    .props = ide_device_props,
};
DEVICE_TYPE_REGISTER(ide_cd_type)
