/* What the IDE files share among themselves (core.c, ata.c, atapi.c, identify.c). */
#ifndef HW_IDE_INTERNAL_H
#define HW_IDE_INTERNAL_H

#include "hw/ide/ide.h"
#include "util/cutils.h"

/* ATAPI interrupt reason (sector count register) */
#define ATAPI_IREASON_COD 0x01
#define ATAPI_IREASON_IO  0x02

static inline IDEState *ide_current(IDEBus *bus)
{
    return &bus->ifs[(bus->ifs[0].select & IDE_DEV_DEV) ? 1 : 0];
}

/* core.c */
void ide_raise_irq(IDEState *s);
void ide_update_irq(IDEBus *bus);
/* Ends the command: status DRDY|DSC, interrupt. */
void ide_cmd_done(IDEState *s);
/* The command ended without an interrupt (PIO data-in: after its last block). */
void ide_cmd_finished(IDEState *s);
/* Ends the command with ERR and the given error bits, interrupt. */
void ide_cmd_error(IDEState *s, uint8_t error);
/* Offers buf[buf_pos, buf_pos + len) to the guest's data port as one DRQ block; step runs
 * once it is consumed. irq: interrupt at the start of the block. */
void ide_pio_block(IDEState *s, uint32_t len, bool irq, IDEStepFn *step);
/* Moves buf_len bytes of buf by DMA (direction s->is_write), then runs step; waits for the
 * engine when it is not started. */
void ide_dma_transfer(IDEState *s, IDEStepFn *step);
/* Asynchronous block request for the unit: cb runs on the main loop. */
typedef void IDEIOCallback(IDEState *s, int ret);
void ide_aio_read(IDEState *s, uint64_t offset, uint32_t bytes, IDEIOCallback *cb);
void ide_aio_write(IDEState *s, uint64_t offset, uint32_t bytes, IDEIOCallback *cb);
void ide_aio_flush(IDEState *s, IDEIOCallback *cb);
void ide_set_signature(IDEState *s);

/* ata.c: the ATA commands; false if cmd is not one. */
bool ide_ata_command(IDEState *s, uint8_t cmd);
/* identify.c */
void ide_identify(IDEState *s, uint8_t *page);
void ide_identify_packet(IDEState *s, uint8_t *page);
/* atapi.c */
void ide_atapi_start_packet(IDEState *s);
void ide_atapi_reset(IDEState *s);

#endif
