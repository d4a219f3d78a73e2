/* IDE buses as qdev buses (where -device ide-hd/ide-cd plug in) and attaching -drive
 * drives to IDE units. */
#ifndef HW_IDE_IDE_DEV_H
#define HW_IDE_IDE_DEV_H

#include "hw/ide/ide.h"
#include "hw/qdev.h"
#include "system/drive.h"

#define BUS_TYPE_IDE "IDE"

/* qbus (a BUS_TYPE_IDE bus the controller made in instance_init) is channel bus;
 * controller_path is the controller's OpenFirmware path ("/pci@i0cf8/ide@1,1") for
 * bootindex, kept by reference. */
void ide_qbus_register(BusState *qbus, IDEBus *bus, const char *controller_path);
void ide_qbus_unregister(BusState *qbus);
/* Attaches drive d (NULL: an empty CD drive) at unit of bus, claims it and gives the
 * monitor its hooks (media change, tray, resize). */
int ide_attach_drive(IDEBus *bus, int unit, IDEDriveKind kind, DriveInfo *d, Error **errp);

#endif
