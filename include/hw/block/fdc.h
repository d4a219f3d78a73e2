/* The PC floppy disk controller (Intel 82078 at 0x3f0, IRQ 6, ISA DMA channel 2) with two
 * drives whose geometry follows the image size (360 KiB to 2.88 MiB). */
#ifndef HW_BLOCK_FDC_H
#define HW_BLOCK_FDC_H

#include "block/block.h"
#include "hw/dma/i8237.h"
#include "hw/irq.h"
#include "hw/qdev.h"

#define TYPE_ISA_FDC "isa-fdc"
#define FDC_FIFO_SIZE 16
#define FDC_BUF_SIZE (2 * 36 * 512)     /* two tracks of a 2.88 MiB disk */

typedef struct FDrive {
    BlockDriverState *bs;       /* NULL: no disk */
    bool read_only;
    uint8_t cylinders, heads, sectors;  /* of the medium */
    uint8_t cmos_type;          /* CMOS 0x10 drive type: 1 360K ... 5 2.88M, 0 none */
    uint8_t track, head, sector;        /* where the head is */
    bool changed;               /* DIR bit 7 until a seek with a disk in */
} FDrive;

typedef struct FDCState {
    DeviceState parent_obj;
    MemoryRegion io, io_dir;
    IRQ irq;
    I8237State *dma;
    FDrive drives[2];
    uint8_t dor, dsr, msr, st0, config, pretrk, specify[2], perpendicular;
    bool lock, irq_pending;
    int reset_sense;            /* SENSE INTERRUPTs owed after a reset (4, one per drive) */
    uint8_t fifo[FDC_FIFO_SIZE];
    int fifo_len, fifo_need, result_pos, result_len;
    uint8_t *buf;
    int busy;                   /* block requests in flight */
    uint8_t xfer_drive;
    uint32_t xfer_len;
    uint64_t xfer_offset;
} FDCState;

/* Creates the controller on the ISA bus with its two drives (bs NULL: none). -1 with *errp
 * when an image's size is not a floppy's. */
FDCState *fdc_create(BusState *isa, IRQ irq, I8237State *dma, BlockDriverState *bs[2],
                     bool read_only[2], Error **errp);
/* fdc-drives.c: the same with the -fda/-fdb drives (if=floppy, index 0 and 1). */
FDCState *fdc_create_with_drives(BusState *isa, IRQ irq, I8237State *dma, Error **errp);
/* CMOS register 0x10: drive A type in the high nibble, B in the low one. */
uint8_t fdc_cmos_types(FDCState *s);

#endif
