/* Bus master IDE DMA (SFF-8038i, as in the PIIX3 datasheet 290550 section 2.7): per channel a
 * command register (start, direction), a status register (active, error, interrupt, drive
 * DMA capable) and the address of a physical region descriptor (PRD) table; each PRD is
 * {u32 address, u16 byte count (0 = 64 KiB), bit 31 of the second dword = end of table}.
 * Every PRD and buffer goes through dma_read/dma_write: a table or buffer outside guest RAM
 * ends the command with the error bit, never a host access. */
#include "hw/ide/bmdma.h"
#include "hw/ide/ide-internal.h"

#define BM_CMD_START 0x01
#define BM_CMD_TO_MEMORY 0x08

static BMDMAState *bmdma_of(IDEBus *bus)
{
    return bus->dma_opaque;
}

static bool bmdma_started(IDEBus *bus)
{
    return bmdma_of(bus)->cmd & BM_CMD_START;
}

/* Loads the next PRD; false at the end of the table or on a bad table address. */
static bool bmdma_next_prd(BMDMAState *bm, bool *bad)
{
    uint8_t prd[8];

    if (bm->eot) {
        return false;
    }
    if (dma_read(bm->as, bm->cur_prd, prd, sizeof(prd)) < 0) {
        *bad = true;
        return false;
    }
    bm->cur_addr = (prd[0] | (prd[1] << 8) | (prd[2] << 16) | ((uint32_t)prd[3] << 24)) & ~1u;
    bm->cur_left = (prd[4] | (prd[5] << 8)) & ~1u;
    if (!bm->cur_left) {
        bm->cur_left = 0x10000;
    }
    bm->eot = prd[7] & 0x80;
    bm->cur_prd += 8;
    return true;
}

static int64_t bmdma_rw(IDEBus *bus, uint8_t *buf, uint64_t len, bool to_guest)
{
    BMDMAState *bm = bmdma_of(bus);
    uint64_t moved = 0;
    bool bad = false;

    while (moved < len) {
        if (!bm->cur_left && !bmdma_next_prd(bm, &bad)) {
            break;
        }
        uint32_t n = MIN(bm->cur_left, len - moved);
        int r = to_guest ? dma_write(bm->as, bm->cur_addr, buf + moved, n)
                         : dma_read(bm->as, bm->cur_addr, buf + moved, n);
        if (r < 0) {
            bad = true;
            break;
        }
        bm->cur_addr += n;
        bm->cur_left -= n;
        moved += n;
    }
    return bad ? -1 : (int64_t)moved;
}

static void bmdma_done(IDEBus *bus, bool error)
{
    BMDMAState *bm = bmdma_of(bus);

    if (error) {
        bm->status |= BM_STATUS_ERROR;
    }
    /* The table ran out exactly (or the command failed): no longer active. A longer table
     * leaves Active set with the interrupt, as the datasheet says. */
    if (error || (bm->eot && !bm->cur_left)) {
        bm->status &= ~BM_STATUS_ACTIVE;
    }
}

static void bmdma_irq_raised(IDEBus *bus)
{
    bmdma_of(bus)->status |= BM_STATUS_INTR;
}

static const IDEDMAOps bmdma_ops = {
    .started = bmdma_started,
    .rw = bmdma_rw,
    .done = bmdma_done,
    .irq_raised = bmdma_irq_raised,
};

void bmdma_init(BMDMAState *bm, IDEBus *bus, AddressSpace *as)
{
    bm->bus = bus;
    bm->as = as;
    bus->dma_ops = &bmdma_ops;
    bus->dma_opaque = bm;
    bmdma_reset(bm);
}

void bmdma_reset(BMDMAState *bm)
{
    bm->cmd = 0;
    bm->status = 0;
    bm->prd_addr = 0;
    bm->cur_prd = bm->cur_addr = bm->cur_left = 0;
    bm->eot = false;
}

static void bmdma_write_cmd(BMDMAState *bm, uint8_t value)
{
    bool was_started = bm->cmd & BM_CMD_START;

    bm->cmd = value & (BM_CMD_START | BM_CMD_TO_MEMORY);
    if ((value & BM_CMD_START) && !was_started) {
        bm->status |= BM_STATUS_ACTIVE;
        bm->cur_prd = bm->prd_addr;
        bm->cur_left = 0;
        bm->eot = false;
        ide_bus_dma_start(bm->bus);
    } else if (!(value & BM_CMD_START) && was_started) {
        ide_bus_dma_cancel(bm->bus);
        bm->status &= ~BM_STATUS_ACTIVE;
    }
}

uint32_t bmdma_read(BMDMAState *bm, unsigned offset, unsigned size)
{
    switch (offset) {
    case 0: return bm->cmd;
    case 2: return bm->status;
    case 4: case 5: case 6: case 7:
        return bm->prd_addr >> (8 * (offset - 4));
    default: return 0;
    }
}

void bmdma_write(BMDMAState *bm, unsigned offset, uint8_t value)
{
    unsigned shift;

    switch (offset) {
    case 0:
        bmdma_write_cmd(bm, value);
        break;
    case 2:
        bm->status = (bm->status & (BM_STATUS_ACTIVE | BM_STATUS_SIMPLEX)) |
                     (bm->status & ~value & (BM_STATUS_ERROR | BM_STATUS_INTR)) |
                     (value & (BM_STATUS_DRV0_DMA | BM_STATUS_DRV1_DMA));
        break;
    case 4: case 5: case 6: case 7:
        shift = 8 * (offset - 4);
        bm->prd_addr = (bm->prd_addr & ~(0xffu << shift)) | ((uint32_t)value << shift);
        bm->prd_addr &= ~3u;
        break;
    }
}
