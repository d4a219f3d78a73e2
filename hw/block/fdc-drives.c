/* The PC's floppy controller with the -fda/-fdb (-drive if=floppy,index=0|1) drives. */
#include "hw/block/fdc.h"
#include "system/drive.h"

FDCState *fdc_create_with_drives(BusState *isa, IRQ irq, I8237State *dma, Error **errp)
{
    BlockDriverState *bs[2] = { NULL, NULL };
    bool read_only[2] = { false, false };

    for (int i = 0; i < 2; i++) {
        DriveInfo *d = drive_get("floppy", i);
        if (d && drive_claim(d, TYPE_ISA_FDC, errp) < 0) {
            return NULL;
        }
        bs[i] = d ? d->bs : NULL;
        read_only[i] = d && d->read_only;
    }
    return fdc_create(isa, irq, dma, bs, read_only, errp);
}
