/* Intel 82078 floppy disk controller as on the PC (datasheet 290474; ports 0x3f0-0x3f5 and
 * 0x3f7, IRQ 6, ISA DMA channel 2) with two 3.5"/5.25" drives: DOR/MSR/DSR/FIFO/DIR/CCR,
 * the command, execution and result phases, READ/WRITE DATA (multi-track, DMA only) as
 * asynchronous block requests, READ ID, SEEK, RECALIBRATE, SENSE INTERRUPT (four after a
 * reset), SENSE DRIVE STATUS, SPECIFY, CONFIGURE, VERSION, DUMPREG, LOCK, PERPENDICULAR
 * MODE, PART ID; invalid commands answer ST0 = 80h. The disk change line (DIR bit 7) is set
 * at start and after a medium change until a seek. */
#include <stdlib.h>
#include <string.h>
#include "hw/block/fdc.h"
#include "util/cutils.h"

#define MSR_RQM  0x80
#define MSR_DIO  0x40
#define MSR_CB   0x10
#define DOR_RESET_N 0x04
#define DOR_DMA_IRQ 0x08
#define ST0_ABNORMAL 0x40
#define ST0_SEEK_END 0x20
#define ST0_NOT_READY 0x08
#define ST1_END_OF_CYL 0x80
#define ST1_NO_DATA 0x04
#define ST1_NOT_WRITABLE 0x02
#define ST1_NO_ADDR_MARK 0x01
#define FDC_DMA_CHANNEL 2

typedef struct FDCCommand {
    uint8_t code, mask, params;
    void (*run)(FDCState *s);
} FDCCommand;

/* Geometries by image size (cylinders, heads, sectors, CMOS type). */
static const struct {
    uint32_t size;
    uint8_t cyl, heads, sectors, cmos;
} fdc_formats[] = {
    { 1474560, 80, 2, 18, 4 }, { 2949120, 80, 2, 36, 5 }, { 737280, 80, 2, 9, 3 },
    { 1228800, 80, 2, 15, 2 }, { 368640, 40, 2, 9, 1 },
};

/* ---- interrupt and phases ------------------------------------------------------------- */

static void fdc_update_irq(FDCState *s)
{
    irq_set(s->irq, s->irq_pending && (s->dor & DOR_DMA_IRQ));
}

static void fdc_raise_irq(FDCState *s)
{
    s->irq_pending = true;
    fdc_update_irq(s);
}

static void fdc_command_phase(FDCState *s)
{
    s->fifo_len = s->fifo_need = 0;
    s->result_len = s->result_pos = 0;
    s->msr = MSR_RQM;
}

static void fdc_result(FDCState *s, const uint8_t *bytes, int n)
{
    memcpy(s->fifo, bytes, n);
    s->result_len = n;
    s->result_pos = 0;
    s->msr = MSR_RQM | MSR_DIO | MSR_CB;
}

static FDrive *fdc_drive(FDCState *s, uint8_t sel)
{
    return &s->drives[sel & 1];
}

/* ---- data transfer ------------------------------------------------------------------------ */

/* The sector after k sectors from the command's C/H/R on a multi-track walk. */
static void fdc_advance(FDCState *s, FDrive *d, uint32_t k, uint8_t *c, uint8_t *h, uint8_t *r)
{
    bool mt = s->fifo[0] & 0x80;
    uint8_t eot = s->fifo[6];

    *c = s->fifo[2];
    *h = s->fifo[3];
    *r = s->fifo[4];
    while (k--) {
        if (++*r <= eot) {
            continue;
        }
        *r = 1;
        if (mt && *h == 0 && d->heads == 2) {
            *h = 1;
        } else {
            *h = mt ? 0 : *h;
            ++*c;
        }
    }
}

static void fdc_rw_result(FDCState *s, uint8_t st0, uint8_t st1, uint32_t sectors)
{
    FDrive *d = fdc_drive(s, s->fifo[1]);
    uint8_t res[7];

    fdc_advance(s, d, sectors, &res[3], &res[4], &res[5]);
    res[0] = st0 | (s->fifo[1] & 7);
    res[1] = st1;
    res[2] = 0;
    res[6] = s->fifo[5];
    d->track = res[3];
    fdc_result(s, res, 7);
    fdc_raise_irq(s);
}

static void fdc_write_done(void *opaque, int ret)
{
    FDCState *s = opaque;

    s->busy--;
    if (ret < 0) {
        fdc_rw_result(s, ST0_ABNORMAL, ST1_NO_DATA, 0);
        return;
    }
    fdc_rw_result(s, 0, 0, s->xfer_len / 512);
}

static void fdc_read_done(void *opaque, int ret)
{
    FDCState *s = opaque;
    bool tc;
    int moved;

    s->busy--;
    if (ret < 0) {
        fdc_rw_result(s, ST0_ABNORMAL, ST1_NO_DATA, 0);
        return;
    }
    moved = i8237_transfer(s->dma, FDC_DMA_CHANNEL, s->buf, s->xfer_len, false, &tc);
    if (moved <= 0) {
        fdc_rw_result(s, ST0_ABNORMAL, 0x10, 0);        /* overrun: no DMA */
        return;
    }
    fdc_rw_result(s, tc ? 0 : ST0_ABNORMAL, tc ? 0 : ST1_END_OF_CYL, (moved + 511) / 512);
}

/* Sectors from R to EOT on this head, and on head 1 too with MT. */
static uint32_t fdc_sectors_to_eot(FDCState *s, FDrive *d)
{
    uint8_t r = s->fifo[4], eot = MIN(s->fifo[6], d->sectors);
    uint32_t n = eot >= r ? eot - r + 1 : 0;

    if ((s->fifo[0] & 0x80) && s->fifo[3] == 0 && d->heads == 2) {
        n += eot;
    }
    return n;
}

static void fdc_rw(FDCState *s, bool write)
{
    FDrive *d = fdc_drive(s, s->fifo[1]);
    uint8_t c = s->fifo[2], h = s->fifo[3], r = s->fifo[4];
    uint32_t n;
    bool tc;

    if (!d->bs) {
        fdc_rw_result(s, ST0_ABNORMAL | ST0_NOT_READY, 0, 0);
        return;
    }
    if (c >= d->cylinders || h >= d->heads || r < 1 || r > d->sectors || s->fifo[5] != 2 ||
        !(n = fdc_sectors_to_eot(s, d))) {
        fdc_rw_result(s, ST0_ABNORMAL, ST1_NO_DATA, 0);
        return;
    }
    if (write && d->read_only) {
        fdc_rw_result(s, ST0_ABNORMAL, ST1_NOT_WRITABLE, 0);
        return;
    }
    s->xfer_offset = (((uint64_t)c * d->heads + h) * d->sectors + r - 1) * 512;
    s->xfer_len = MIN(n * 512, FDC_BUF_SIZE);
    s->msr = MSR_CB;
    if (!write) {
        s->busy++;
        block_aio_pread(d->bs, s->xfer_offset, s->buf, s->xfer_len, fdc_read_done, s);
        return;
    }
    int moved = i8237_transfer(s->dma, FDC_DMA_CHANNEL, s->buf, s->xfer_len, true, &tc);
    if (moved <= 0) {
        fdc_rw_result(s, ST0_ABNORMAL, 0x10, 0);
        return;
    }
    s->xfer_len = (moved + 511) / 512 * 512;
    memset(s->buf + moved, 0, s->xfer_len - moved);
    s->busy++;
    block_aio_pwrite(d->bs, s->xfer_offset, s->buf, s->xfer_len, fdc_write_done, s);
}

static void fdc_cmd_read(FDCState *s)
{
    fdc_rw(s, false);
}

static void fdc_cmd_write(FDCState *s)
{
    fdc_rw(s, true);
}

/* ---- other commands -------------------------------------------------------------------- */

static void fdc_cmd_read_id(FDCState *s)
{
    FDrive *d = fdc_drive(s, s->fifo[1]);
    uint8_t h = (s->fifo[1] >> 2) & 1;
    uint8_t res[7] = { (s->fifo[1] & 7), 0, 0, d->track, h, 1, 2 };

    if (!d->bs) {
        res[0] |= ST0_ABNORMAL | ST0_NOT_READY;
        res[1] = ST1_NO_ADDR_MARK;
    }
    fdc_result(s, res, 7);
    fdc_raise_irq(s);
}

static void fdc_seek_to(FDCState *s, uint8_t track)
{
    FDrive *d = fdc_drive(s, s->fifo[1]);

    d->track = track;
    if (d->bs) {
        d->changed = false;
    }
    s->st0 = ST0_SEEK_END | (s->fifo[1] & 7);
    fdc_command_phase(s);
    fdc_raise_irq(s);
}

static void fdc_cmd_seek(FDCState *s)
{
    fdc_seek_to(s, s->fifo[2]);
}

static void fdc_cmd_recalibrate(FDCState *s)
{
    fdc_seek_to(s, 0);
}

static void fdc_cmd_sense_interrupt(FDCState *s)
{
    uint8_t res[2];

    if (s->reset_sense > 0) {
        int drive = 4 - s->reset_sense--;
        res[0] = 0xc0 | drive;
        res[1] = drive < 2 ? s->drives[drive].track : 0;
    } else if (s->irq_pending) {
        res[0] = s->st0;
        res[1] = fdc_drive(s, s->st0)->track;
    } else {
        res[0] = 0x80;
        fdc_result(s, res, 1);
        return;
    }
    if (s->reset_sense == 0) {
        s->irq_pending = false;
        fdc_update_irq(s);
    }
    fdc_result(s, res, 2);
}

static void fdc_cmd_sense_drive(FDCState *s)
{
    FDrive *d = fdc_drive(s, s->fifo[1]);
    uint8_t st3 = (s->fifo[1] & 7) | 0x20 | (d->heads == 2 ? 0x08 : 0) |
                  (d->track == 0 ? 0x10 : 0) | (d->read_only ? 0x40 : 0);
    fdc_result(s, &st3, 1);
}

static void fdc_cmd_specify(FDCState *s)
{
    s->specify[0] = s->fifo[1];
    s->specify[1] = s->fifo[2];
    fdc_command_phase(s);
}

static void fdc_cmd_configure(FDCState *s)
{
    s->config = s->fifo[2];
    s->pretrk = s->fifo[3];
    fdc_command_phase(s);
}

static void fdc_cmd_perpendicular(FDCState *s)
{
    s->perpendicular = s->fifo[1];
    fdc_command_phase(s);
}

static void fdc_cmd_version(FDCState *s)
{
    uint8_t v = 0x90;                   /* enhanced controller */
    fdc_result(s, &v, 1);
}

static void fdc_cmd_part_id(FDCState *s)
{
    uint8_t v = 0x41;                   /* 82078 (44-pin), stepping 1 */
    fdc_result(s, &v, 1);
}

static void fdc_cmd_lock(FDCState *s)
{
    uint8_t v;

    s->lock = s->fifo[0] & 0x80;
    v = s->lock ? 0x10 : 0;
    fdc_result(s, &v, 1);
}

static void fdc_cmd_dumpreg(FDCState *s)
{
    uint8_t res[10] = {
        s->drives[0].track, s->drives[1].track, 0, 0, s->specify[0], s->specify[1],
        fdc_drive(s, s->dor)->sectors, (s->lock ? 0x80 : 0) | (s->perpendicular & 0x7f),
        s->config, s->pretrk,
    };
    fdc_result(s, res, 10);
}

static const FDCCommand fdc_commands[] = {
    { 0x06, 0x1f, 8, fdc_cmd_read },
    { 0x05, 0x3f, 8, fdc_cmd_write },
    { 0x0a, 0xbf, 1, fdc_cmd_read_id },
    { 0x03, 0xff, 2, fdc_cmd_specify },
    { 0x04, 0xff, 1, fdc_cmd_sense_drive },
    { 0x07, 0xff, 1, fdc_cmd_recalibrate },
    { 0x08, 0xff, 0, fdc_cmd_sense_interrupt },
    { 0x0f, 0xff, 2, fdc_cmd_seek },
    { 0x10, 0xff, 0, fdc_cmd_version },
    { 0x13, 0xff, 3, fdc_cmd_configure },
    { 0x0e, 0xff, 0, fdc_cmd_dumpreg },
    { 0x12, 0xff, 1, fdc_cmd_perpendicular },
    { 0x14, 0x7f, 0, fdc_cmd_lock },
    { 0x18, 0xff, 0, fdc_cmd_part_id },
};

static const FDCCommand *fdc_find_command(uint8_t code)
{
    for (size_t i = 0; i < ARRAY_SIZE(fdc_commands); i++) {
        if ((code & fdc_commands[i].mask) == fdc_commands[i].code) {
            return &fdc_commands[i];
        }
    }
    return NULL;
}

/* ---- registers --------------------------------------------------------------------------- */

static void fdc_write_fifo(FDCState *s, uint8_t value)
{
    const FDCCommand *cmd;

    if ((s->msr & (MSR_RQM | MSR_DIO)) != MSR_RQM || s->busy) {
        return;                         /* result or execution phase, or in reset */
    }
    if (s->fifo_len == 0) {
        if (!(cmd = fdc_find_command(value))) {
            uint8_t invalid = 0x80;
            fdc_result(s, &invalid, 1);
            return;
        }
        s->fifo_need = 1 + cmd->params;
    }
    s->fifo[s->fifo_len++] = value;
    s->msr = MSR_RQM | MSR_CB;
    if (s->fifo_len == s->fifo_need) {
        fdc_find_command(s->fifo[0])->run(s);
    }
}

static uint8_t fdc_read_fifo(FDCState *s)
{
    uint8_t v;

    if ((s->msr & (MSR_RQM | MSR_DIO)) != (MSR_RQM | MSR_DIO)) {
        return 0;
    }
    v = s->fifo[s->result_pos++];
    if (s->result_pos == 1 && s->irq_pending && s->reset_sense == 0 && s->result_len == 7) {
        s->irq_pending = false;         /* reading the result of READ/WRITE/READ ID */
        fdc_update_irq(s);
    }
    if (s->result_pos >= s->result_len) {
        fdc_command_phase(s);
    }
    return v;
}

static void fdc_reset_controller(FDCState *s)
{
    while (s->busy) {
        block_aio_poll(true);
    }
    fdc_command_phase(s);
    s->reset_sense = 4;
    s->lock = false;
    fdc_raise_irq(s);
}

static void fdc_write_dor(FDCState *s, uint8_t value)
{
    uint8_t old = s->dor;

    s->dor = value;
    if (!(value & DOR_RESET_N)) {
        s->msr = 0;                     /* held in reset */
        s->irq_pending = false;
    } else if (!(old & DOR_RESET_N)) {
        fdc_reset_controller(s);
    }
    fdc_update_irq(s);
}

static uint64_t fdc_io_read(void *opaque, hwaddr offset, unsigned size)
{
    FDCState *s = opaque;

    switch (offset) {
    case 2: return s->dor;
    case 4: return s->msr;
    case 5: return fdc_read_fifo(s);
    default: return 0;
    }
}

static void fdc_io_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    FDCState *s = opaque;

    switch (offset) {
    case 2: fdc_write_dor(s, value); break;
    case 4:
        s->dsr = value & 0x7f;
        if (value & 0x80) {
            fdc_reset_controller(s);
        }
        break;
    case 5: fdc_write_fifo(s, value); break;
    }
}

static const MemoryRegionOps fdc_ops = {
    .read = fdc_io_read, .write = fdc_io_write, .valid_min = 1, .valid_max = 1,
};

static uint64_t fdc_dir_read(void *opaque, hwaddr offset, unsigned size)
{
    FDCState *s = opaque;
    return fdc_drive(s, s->dor)->changed ? 0x80 : 0;
}

static void fdc_dir_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    FDCState *s = opaque;
    s->dsr = (s->dsr & ~3) | (value & 3);       /* CCR: data rate */
}

static const MemoryRegionOps fdc_dir_ops = {
    .read = fdc_dir_read, .write = fdc_dir_write, .valid_min = 1, .valid_max = 1,
};

/* ---- device ---------------------------------------------------------------------------- */

static int fdc_set_medium(FDrive *d, BlockDriverState *bs, bool read_only, Error **errp)
{
    int64_t len = bs ? block_length(bs) : 0;

    memset(d, 0, sizeof(*d));
    if (!bs) {
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(fdc_formats); i++) {
        if (fdc_formats[i].size == len) {
            d->bs = bs;
            d->read_only = read_only || block_is_read_only(bs);
            d->cylinders = fdc_formats[i].cyl;
            d->heads = fdc_formats[i].heads;
            d->sectors = fdc_formats[i].sectors;
            d->cmos_type = fdc_formats[i].cmos;
            d->changed = true;
            return 0;
        }
    }
    error_setg(errp, "a floppy image of %lld bytes: expected 368640 (360K), 737280 (720K), "
               "1228800 (1.2M), 1474560 (1.44M) or 2949120 (2.88M)", (long long)len);
    return -1;
}

static void fdc_reset(DeviceState *dev)
{
    FDCState *s = DEVICE_CAST(FDCState, dev);

    s->dor = DOR_RESET_N | DOR_DMA_IRQ;
    s->dsr = 0;
    s->config = 0x20;                   /* FIFO disabled, implied seek off */
    s->perpendicular = 0;
    fdc_reset_controller(s);
    s->irq_pending = false;
    s->reset_sense = 0;
    fdc_update_irq(s);
    for (int i = 0; i < 2; i++) {
        s->drives[i].track = 0;
    }
}

static int fdc_realize(DeviceState *dev, Error **errp)
{
    FDCState *s = DEVICE_CAST(FDCState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    s->buf = xzalloc(FDC_BUF_SIZE);
    memory_region_init_io(&s->io, &fdc_ops, s, "fdc", 6);
    memory_region_init_io(&s->io_dir, &fdc_dir_ops, s, "fdc-dir", 1);
    memory_region_add_subregion(io, 0x3f0, &s->io, 0);
    memory_region_add_subregion(io, 0x3f7, &s->io_dir, 0);
    fdc_reset(dev);
    return 0;
}

static void fdc_unrealize(DeviceState *dev)
{
    FDCState *s = DEVICE_CAST(FDCState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    while (s->busy) {
        block_aio_poll(true);
    }
    memory_region_del_subregion(io, &s->io);
    memory_region_del_subregion(io, &s->io_dir);
    memory_region_destroy(&s->io);
    memory_region_destroy(&s->io_dir);
    free(s->buf);
}

static const DeviceType fdc_type = {
    .name = TYPE_ISA_FDC,
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(FDCState),
    .description = "82078 floppy disk controller",
    .realize = fdc_realize,
    .unrealize = fdc_unrealize,
    .reset = fdc_reset,
};
DEVICE_TYPE_REGISTER(fdc_type)

FDCState *fdc_create(BusState *isa, IRQ irq, I8237State *dma, BlockDriverState *bs[2],
                     bool read_only[2], Error **errp)
{
    DeviceState *dev = device_create(TYPE_ISA_FDC, isa, errp);
    FDCState *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(FDCState, dev);
    s->irq = irq;
    s->dma = dma;
    for (int i = 0; i < 2; i++) {
        if (fdc_set_medium(&s->drives[i], bs[i], read_only[i], errp) < 0) {
            device_destroy(dev);
            return NULL;
        }
    }
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}

uint8_t fdc_cmos_types(FDCState *s)
{
    return (s->drives[0].cmos_type << 4) | s->drives[1].cmos_type;
}
