/* One IDE channel (ATA-8 ACS/ATA-ATAPI-8 T13/1699-D, "task file" interface): the command
 * and control block registers shared by master and slave, the HOB registers of LBA48,
 * device selection, software reset and signatures, INTRQ with nIEN, the PIO data port
 * (16/32-bit) and the hand-off of DMA data phases to the channel's DMA engine. Commands
 * live in ata.c and atapi.c; block requests are asynchronous (block_aio_*). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hw/ide/ide-internal.h"
#include "util/cutils.h"
#include "util/log.h"

/* ---- interrupts ---------------------------------------------------------------------- */

void ide_update_irq(IDEBus *bus)
{
    IDEState *s = ide_current(bus);
    irq_set(bus->irq, s->irq_pending && !(bus->cmd & IDE_CTRL_NIEN));
}

void ide_raise_irq(IDEState *s)
{
    s->irq_pending = true;
    if (s->bus->dma_ops && s->bus->dma_ops->irq_raised) {
        s->bus->dma_ops->irq_raised(s->bus);
    }
    ide_update_irq(s->bus);
}

/* ---- command endings ------------------------------------------------------------------- */

static void ide_dma_end(IDEState *s, bool error)
{
    if (s->is_dma && s->bus->dma_ops) {
        s->bus->dma_ops->done(s->bus, error);
    }
    s->is_dma = false;
    s->dma_waiting = false;
}

void ide_cmd_finished(IDEState *s)
{
    s->step = NULL;
    if (s->bus->dma_ops && s->bus->dma_ops->cmd_done) {
        s->bus->dma_ops->cmd_done(s->bus);
    }
}

void ide_cmd_done(IDEState *s)
{
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    ide_dma_end(s, false);
    ide_raise_irq(s);
    ide_cmd_finished(s);
}

void ide_cmd_error(IDEState *s, uint8_t error)
{
    s->status = IDE_STAT_DRDY | IDE_STAT_ERR;
    s->error = error;
    ide_dma_end(s, true);
    ide_raise_irq(s);
    ide_cmd_finished(s);
}

/* ---- data phases ----------------------------------------------------------------------- */

static void ide_pio_advance(IDEState *s, unsigned n);

/* AHCI: the engine moves each PIO block at once. A step that offers the next block while
 * this runs only flags it, so that the loop (not the stack) walks a long transfer. */
static void ide_pio_by_dma(IDEState *s)
{
    IDEBus *bus = s->bus;

    if (bus->pio_dma_active) {
        bus->pio_dma_again = true;
        return;
    }
    bus->pio_dma_active = true;
    do {
        uint32_t n = s->pio_end - s->buf_pos;
        bus->pio_dma_again = false;
        if (bus->dma_ops->rw(bus, s->buf + s->buf_pos, n, !s->is_write) != (int64_t)n) {
            bus->pio_dma_active = false;
            ide_cmd_error(s, IDE_ERR_ABRT);
            return;
        }
        ide_pio_advance(s, n);
    } while (bus->pio_dma_again);
    bus->pio_dma_active = false;
}

void ide_pio_block(IDEState *s, uint32_t len, bool irq, IDEStepFn *step)
{
    s->pio_end = MIN(s->buf_pos + len, IDE_BUF_SIZE);
    s->step = step;
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
    if (s->bus->pio_by_dma && s->bus->dma_ops) {
        ide_pio_by_dma(s);
    } else if (irq) {
        ide_raise_irq(s);
    }
}

static void ide_dma_run(IDEState *s)
{
    const IDEDMAOps *ops = s->bus->dma_ops;
    uint32_t len = s->buf_len - s->buf_pos;
    int64_t moved = ops->rw(s->bus, s->buf + s->buf_pos, len, !s->is_write);

    s->dma_waiting = false;
    if (moved != (int64_t)len) {
        log_category_printf(LOG_GUEST_ERROR, "ide%d-%d: DMA list %s\n", s->bus->channel,
                            s->unit, moved < 0 ? "outside guest RAM" : "too short");
        ide_cmd_error(s, IDE_ERR_ABRT);
        return;
    }
    s->buf_pos = s->buf_len;
    s->step(s);
}

void ide_dma_transfer(IDEState *s, IDEStepFn *step)
{
    s->step = step;
    if (!s->bus->dma_ops) {
        ide_cmd_error(s, IDE_ERR_ABRT);
        return;
    }
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ | IDE_STAT_BSY;
    if (!s->bus->dma_ops->started(s->bus)) {
        s->dma_waiting = true;
        return;
    }
    ide_dma_run(s);
}

void ide_bus_dma_start(IDEBus *bus)
{
    for (int i = 0; i < 2; i++) {
        if (bus->ifs[i].dma_waiting) {
            ide_dma_run(&bus->ifs[i]);
        }
    }
}

void ide_bus_dma_cancel(IDEBus *bus)
{
    for (int i = 0; i < 2; i++) {
        IDEState *s = &bus->ifs[i];
        if (s->is_dma) {
            ide_drain(s);
            s->is_dma = false;
            s->dma_waiting = false;
            s->step = NULL;
            s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
        }
    }
}

/* ---- asynchronous block requests -------------------------------------------------------- */

typedef struct IDERequest {
    IDEState *s;
    IDEIOCallback *cb;
} IDERequest;

static void ide_aio_complete(void *opaque, int ret)
{
    IDERequest *r = opaque;

    r->s->in_flight--;
    r->cb(r->s, ret);
    free(r);
}

static IDERequest *ide_request(IDEState *s, IDEIOCallback *cb)
{
    IDERequest *r = xmalloc(sizeof(*r));

    r->s = s;
    r->cb = cb;
    s->in_flight++;
    s->status |= IDE_STAT_BSY;
    return r;
}

void ide_aio_read(IDEState *s, uint64_t offset, uint32_t bytes, IDEIOCallback *cb)
{
    if (!s->bs) {
        cb(s, -ENOMEDIUM);
        return;
    }
    block_aio_pread(s->bs, offset, s->buf, bytes, ide_aio_complete, ide_request(s, cb));
}

void ide_aio_write(IDEState *s, uint64_t offset, uint32_t bytes, IDEIOCallback *cb)
{
    if (!s->bs) {
        cb(s, -ENOMEDIUM);
        return;
    }
    block_aio_pwrite(s->bs, offset, s->buf, bytes, ide_aio_complete, ide_request(s, cb));
}

void ide_aio_flush(IDEState *s, IDEIOCallback *cb)
{
    if (!s->bs) {
        cb(s, 0);
        return;
    }
    block_aio_flush(s->bs, ide_aio_complete, ide_request(s, cb));
}

void ide_drain(IDEState *s)
{
    while (s->in_flight > 0) {
        block_aio_poll(true);
    }
}

/* ---- reset ------------------------------------------------------------------------------ */

void ide_set_signature(IDEState *s)
{
    s->select &= IDE_DEV_DEV;
    s->select |= 0xa0;
    s->nsector = 1;
    s->sector = 1;
    s->lcyl = s->kind == IDE_CD ? 0x14 : s->kind == IDE_HD ? 0 : 0xff;
    s->hcyl = s->kind == IDE_CD ? 0xeb : s->kind == IDE_HD ? 0 : 0xff;
}

/* The state after a hardware or software reset (media and settings of the drive stay). */
static void ide_reset_unit(IDEState *s)
{
    ide_drain(s);
    s->feature = s->hob_feature = 0;
    s->hob_nsector = s->hob_sector = s->hob_lcyl = s->hob_hcyl = 0;
    s->error = 0x01;                    /* diagnostic: no error */
    s->select = 0xa0;
    ide_set_signature(s);
    s->status = s->kind == IDE_HD ? IDE_STAT_DRDY | IDE_STAT_DSC : 0;
    s->irq_pending = false;
    s->step = NULL;
    s->is_dma = s->dma_waiting = s->is_write = false;
    s->buf_len = s->buf_pos = s->pio_end = 0;
    if (s->kind == IDE_CD) {
        ide_atapi_reset(s);
    }
}

void ide_bus_reset(IDEBus *bus)
{
    bus->cmd = 0;
    for (int i = 0; i < 2; i++) {
        IDEState *s = &bus->ifs[i];
        ide_reset_unit(s);
        s->mult_sectors = 16;
        s->write_cache = true;
        s->xfer_mode = 0;
    }
    ide_update_irq(bus);
}

void ide_ctrl_write(IDEBus *bus, uint8_t value)
{
    bool was_reset = bus->cmd & IDE_CTRL_SRST;

    if ((value & IDE_CTRL_SRST) && !was_reset) {
        for (int i = 0; i < 2; i++) {
            ide_reset_unit(&bus->ifs[i]);
            bus->ifs[i].status = IDE_STAT_BSY;
        }
    } else if (!(value & IDE_CTRL_SRST) && was_reset) {
        for (int i = 0; i < 2; i++) {
            ide_reset_unit(&bus->ifs[i]);
        }
    }
    bus->cmd = value;
    ide_update_irq(bus);
}

/* ---- task file ------------------------------------------------------------------------------ */

static bool ide_unit_absent(IDEBus *bus, IDEState *s)
{
    return s->kind == IDE_NONE;
}

uint32_t ide_status_read(IDEBus *bus)
{
    IDEState *s = ide_current(bus);
    return ide_unit_absent(bus, s) ? 0 : s->status;
}

uint32_t ide_ioport_read(IDEBus *bus, unsigned offset)
{
    IDEState *s = ide_current(bus);
    bool hob = bus->cmd & IDE_CTRL_HOB;

    if (offset == 0) {
        return ide_data_read(bus, 1);
    }
    if (ide_unit_absent(bus, s)) {
        return offset == 6 ? s->select : 0;
    }
    switch (offset) {
    case 1: return hob ? s->hob_feature : s->error;
    case 2: return hob ? s->hob_nsector : s->nsector;
    case 3: return hob ? s->hob_sector : s->sector;
    case 4: return hob ? s->hob_lcyl : s->lcyl;
    case 5: return hob ? s->hob_hcyl : s->hcyl;
    case 6: return s->select;
    default:
        s->irq_pending = false;
        ide_update_irq(bus);
        return s->status;
    }
}

static void ide_latch(uint8_t *reg, uint8_t *hob, uint8_t value)
{
    *hob = *reg;
    *reg = value;
}

static void ide_write_taskfile(IDEState *s, unsigned offset, uint8_t value)
{
    switch (offset) {
    case 1: ide_latch(&s->feature, &s->hob_feature, value); break;
    case 2: ide_latch(&s->nsector, &s->hob_nsector, value); break;
    case 3: ide_latch(&s->sector, &s->hob_sector, value); break;
    case 4: ide_latch(&s->lcyl, &s->hob_lcyl, value); break;
    case 5: ide_latch(&s->hcyl, &s->hob_hcyl, value); break;
    case 6: s->select = value | 0xa0; break;
    }
}

static void ide_exec_cmd(IDEState *s, uint8_t cmd)
{
    if (s->kind == IDE_NONE) {
        return;
    }
    if ((s->status & IDE_STAT_BSY) && !(s->kind == IDE_CD && cmd == 0x08)) {
        log_category_printf(LOG_GUEST_ERROR, "ide%d-%d: command 0x%02x while busy ignored\n",
                            s->bus->channel, s->unit, cmd);
        return;
    }
    if (s->in_flight) {
        ide_drain(s);
    }
    s->irq_pending = false;
    ide_update_irq(s->bus);
    s->step = NULL;
    s->is_dma = s->dma_waiting = s->is_write = false;
    s->buf_len = s->buf_pos = s->pio_end = 0;
    s->cmd = cmd;
    if (!ide_ata_command(s, cmd)) {
        log_category_printf(LOG_UNIMP, "ide%d-%d: command 0x%02x not supported\n",
                            s->bus->channel, s->unit, cmd);
        ide_cmd_error(s, IDE_ERR_ABRT);
    }
}

void ide_ioport_write(IDEBus *bus, unsigned offset, uint32_t value)
{
    if (offset == 0) {
        ide_data_write(bus, 1, value);
        return;
    }
    if (offset == 7) {
        ide_exec_cmd(ide_current(bus), value);
        return;
    }
    bus->cmd &= ~IDE_CTRL_HOB;
    for (int i = 0; i < 2; i++) {
        ide_write_taskfile(&bus->ifs[i], offset, value);
    }
    if (offset == 6) {
        ide_update_irq(bus);
    }
}

/* ---- PIO data port ----------------------------------------------------------------------- */

static void ide_pio_advance(IDEState *s, unsigned n)
{
    s->buf_pos += n;
    if (s->buf_pos >= s->pio_end) {
        s->status &= ~IDE_STAT_DRQ;
        if (s->step) {
            s->step(s);
        }
    }
}

uint32_t ide_data_read(IDEBus *bus, unsigned size)
{
    IDEState *s = ide_current(bus);
    uint32_t value = 0;
    unsigned n;

    if (!(s->status & IDE_STAT_DRQ) || s->is_write || s->dma_waiting || s->is_dma) {
        return 0;
    }
    n = MIN(size, s->pio_end - s->buf_pos);
    for (unsigned i = 0; i < n; i++) {
        value |= (uint32_t)s->buf[s->buf_pos + i] << (8 * i);
    }
    ide_pio_advance(s, n);
    return value;
}

void ide_data_write(IDEBus *bus, unsigned size, uint32_t value)
{
    IDEState *s = ide_current(bus);
    unsigned n;

    if (!(s->status & IDE_STAT_DRQ) || !s->is_write || s->dma_waiting || s->is_dma) {
        return;
    }
    n = MIN(size, s->pio_end - s->buf_pos);
    for (unsigned i = 0; i < n; i++) {
        s->buf[s->buf_pos + i] = value >> (8 * i);
    }
    ide_pio_advance(s, n);
}

/* ---- set-up ----------------------------------------------------------------------------- */

void ide_bus_init(IDEBus *bus, int channel, IRQ irq)
{
    memset(bus, 0, sizeof(*bus));
    bus->channel = channel;
    bus->irq = irq;
    bus->units = 2;
    for (int i = 0; i < 2; i++) {
        bus->ifs[i].bus = bus;
        bus->ifs[i].unit = i;
        bus->ifs[i].buf = xzalloc(IDE_BUF_SIZE);
    }
    ide_bus_reset(bus);
}

void ide_bus_fini(IDEBus *bus)
{
    for (int i = 0; i < 2; i++) {
        ide_drain(&bus->ifs[i]);
        free(bus->ifs[i].buf);
        bus->ifs[i].buf = NULL;
    }
}

/* The default geometry: 16 heads, 63 sectors, at most 16383 cylinders (ATA-8 6.17.x). */
static void ide_default_geometry(IDEState *s)
{
    uint64_t cyl = s->nb_sectors / (16 * 63);

    s->heads = 16;
    s->sectors = 63;
    s->cylinders = cyl > 16383 ? 16383 : cyl < 1 ? 1 : cyl;
}

void ide_detach(IDEState *s)
{
    ide_drain(s);
    s->kind = IDE_NONE;
    s->bs = NULL;
    ide_reset_unit(s);
}

void ide_resized(IDEState *s)
{
    s->nb_sectors = s->bs ? (uint64_t)block_length(s->bs) / IDE_SECTOR_SIZE : 0;
    ide_default_geometry(s);
}

int ide_attach(IDEBus *bus, int unit, IDEDriveKind kind, BlockDriverState *bs, bool read_only,
               Error **errp)
{
    IDEState *s;

    if (unit < 0 || unit >= bus->units || bus->ifs[unit].kind != IDE_NONE) {
        error_setg(errp, "IDE unit %d of bus ide.%d is taken", unit, bus->channel);
        return -1;
    }
    if (kind == IDE_HD && !bs) {
        error_setg(errp, "an IDE disk needs a medium");
        return -1;
    }
    s = &bus->ifs[unit];
    s->kind = kind;
    s->bs = bs;
    s->read_only = read_only || kind == IDE_CD;
    s->nb_sectors = bs ? (uint64_t)block_length(bs) / IDE_SECTOR_SIZE : 0;
    snprintf(s->serial, sizeof(s->serial), "QM%05d", bus->channel * 2 + unit + 1);
    ide_default_geometry(s);
    ide_reset_unit(s);
    if (kind == IDE_HD) {
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    }
    return 0;
}
