/* Bus master IDE DMA engine of one channel (SFF-8038i; PIIX3 BAR4 offsets 0-7 / 8-15). */
#ifndef HW_IDE_BMDMA_H
#define HW_IDE_BMDMA_H

#include "hw/ide/ide.h"

#define BM_STATUS_ACTIVE   0x01
#define BM_STATUS_ERROR    0x02
#define BM_STATUS_INTR     0x04
#define BM_STATUS_DRV0_DMA 0x20
#define BM_STATUS_DRV1_DMA 0x40
#define BM_STATUS_SIMPLEX  0x80

typedef struct BMDMAState {
    IDEBus *bus;
    AddressSpace *as;
    uint8_t cmd, status;
    uint32_t prd_addr;          /* table base the guest programmed */
    uint32_t cur_prd;           /* next PRD to load */
    uint32_t cur_addr, cur_left;    /* the loaded PRD's remaining buffer */
    bool eot;                   /* the loaded PRD is the last */
} BMDMAState;

/* Becomes bus's DMA engine, transferring to and from as. */
void bmdma_init(BMDMAState *bm, IDEBus *bus, AddressSpace *as);
void bmdma_reset(BMDMAState *bm);
/* Register access at offset 0-7 of the channel's block (byte granular). */
uint32_t bmdma_read(BMDMAState *bm, unsigned offset, unsigned size);
void bmdma_write(BMDMAState *bm, unsigned offset, uint8_t value);

#endif
