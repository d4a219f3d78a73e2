/* ATA commands of an IDE unit (ATA8-ACS T13/1699-D): a table from opcode to handler and the
 * kinds of unit that accept it; READ/WRITE SECTORS, MULTIPLE and DMA in their LBA28, LBA48
 * (EXT) and CHS forms as asynchronous block requests in 128 KiB chunks, IDENTIFY, SET
 * MULTIPLE MODE, SET FEATURES, FLUSH CACHE (EXT), READ VERIFY, power and diagnostic
 * commands. Errors: IDNF for addresses past the end, UNC for read failures, ABRT else. */
#include <string.h>
#include "hw/ide/ide-internal.h"
#include "util/cutils.h"

#define ATA_HD    0x01      /* accepted by a disk */
#define ATA_CD    0x02      /* accepted by an ATAPI unit */
#define ATA_LBA48 0x04
#define ATA_DMA   0x08
#define ATA_WRITE 0x10
#define ATA_MULTI 0x20

#define ATA_BAD_SECTOR UINT64_MAX
#define ATA_CHUNK_SECTORS (IDE_BUF_SIZE / IDE_SECTOR_SIZE)

typedef struct ATACommand {
    void (*handler)(IDEState *s, uint8_t flags);
    uint8_t flags;
} ATACommand;

/* ---- addressing ------------------------------------------------------------------------ */

static uint64_t ata_get_sector(IDEState *s)
{
    if (!(s->select & IDE_DEV_LBA)) {
        unsigned cyl = s->lcyl | (s->hcyl << 8), head = s->select & 0x0f;
        if (s->sector == 0 || s->sector > s->sectors || head >= s->heads) {
            return ATA_BAD_SECTOR;
        }
        return ((uint64_t)cyl * s->heads + head) * s->sectors + s->sector - 1;
    }
    if (s->lba48) {
        return (uint64_t)s->sector | ((uint64_t)s->lcyl << 8) | ((uint64_t)s->hcyl << 16) |
               ((uint64_t)s->hob_sector << 24) | ((uint64_t)s->hob_lcyl << 32) |
               ((uint64_t)s->hob_hcyl << 40);
    }
    return s->sector | (s->lcyl << 8) | (s->hcyl << 16) | ((uint32_t)(s->select & 0x0f) << 24);
}

/* Leaves the address of the next sector in the task file, as the drive does. */
static void ata_set_sector(IDEState *s, uint64_t sector)
{
    if (!(s->select & IDE_DEV_LBA)) {
        uint64_t per_cyl = (uint64_t)s->heads * s->sectors;
        uint64_t cyl = sector / per_cyl;
        s->lcyl = cyl;
        s->hcyl = cyl >> 8;
        s->select = (s->select & 0xf0) | ((sector % per_cyl) / s->sectors);
        s->sector = sector % s->sectors + 1;
        return;
    }
    s->sector = sector;
    s->lcyl = sector >> 8;
    s->hcyl = sector >> 16;
    if (s->lba48) {
        s->hob_sector = sector >> 24;
        s->hob_lcyl = sector >> 32;
        s->hob_hcyl = sector >> 40;
    } else {
        s->select = (s->select & 0xf0) | ((sector >> 24) & 0x0f);
    }
}

static uint32_t ata_get_count(IDEState *s)
{
    if (s->lba48) {
        uint32_t n = s->nsector | (s->hob_nsector << 8);
        return n ? n : 65536;
    }
    return s->nsector ? s->nsector : 256;
}

/* ---- reads --------------------------------------------------------------------------------- */

static void ata_read_step(IDEState *s);

static void ata_read_done(IDEState *s, int ret)
{
    uint32_t n = s->buf_len / IDE_SECTOR_SIZE;

    s->status &= ~IDE_STAT_BSY;
    if (ret < 0) {
        ata_set_sector(s, s->xfer_sector);
        ide_cmd_error(s, IDE_ERR_UNC);
        return;
    }
    s->xfer_sector += n;
    s->xfer_left -= n;
    if (s->is_dma) {
        ide_dma_transfer(s, ata_read_step);
    } else {
        ide_pio_block(s, MIN(s->pio_block, s->buf_len), true, ata_read_step);
    }
}

static void ata_read_chunk(IDEState *s)
{
    s->buf_len = MIN(s->xfer_left, ATA_CHUNK_SECTORS) * IDE_SECTOR_SIZE;
    s->buf_pos = 0;
    ide_aio_read(s, s->xfer_sector * IDE_SECTOR_SIZE, s->buf_len, ata_read_done);
}

static void ata_read_step(IDEState *s)
{
    if (s->buf_pos < s->buf_len) {
        ide_pio_block(s, MIN(s->pio_block, s->buf_len - s->buf_pos), true, ata_read_step);
    } else if (s->xfer_left) {
        ata_read_chunk(s);
    } else {
        ata_set_sector(s, s->xfer_sector);
        if (s->is_dma) {
            ide_cmd_done(s);
        } else {
            s->status = IDE_STAT_DRDY | IDE_STAT_DSC;      /* PIO in: no interrupt at the end */
            ide_cmd_finished(s);
        }
    }
}

/* ---- writes --------------------------------------------------------------------------------- */

static void ata_write_chunk(IDEState *s, bool irq);

static void ata_write_finish(IDEState *s, int ret)
{
    s->status &= ~IDE_STAT_BSY;
    if (ret < 0) {
        ide_cmd_error(s, IDE_ERR_ABRT);
    } else if (s->xfer_left) {
        ata_write_chunk(s, true);
    } else {
        ata_set_sector(s, s->xfer_sector);
        ide_cmd_done(s);
    }
}

static void ata_write_done(IDEState *s, int ret)
{
    uint32_t n = s->buf_len / IDE_SECTOR_SIZE;

    if (ret < 0) {
        s->status &= ~IDE_STAT_BSY;
        ata_set_sector(s, s->xfer_sector);
        ide_cmd_error(s, IDE_ERR_ABRT);
        return;
    }
    s->xfer_sector += n;
    s->xfer_left -= n;
    if (!s->write_cache) {
        ide_aio_flush(s, ata_write_finish);     /* write cache off: data is on disk first */
    } else {
        ata_write_finish(s, 0);
    }
}

static void ata_write_submit(IDEState *s)
{
    ide_aio_write(s, s->xfer_sector * IDE_SECTOR_SIZE, s->buf_len, ata_write_done);
}

static void ata_write_step(IDEState *s)
{
    if (s->buf_pos < s->buf_len) {
        ide_pio_block(s, MIN(s->pio_block, s->buf_len - s->buf_pos), true, ata_write_step);
    } else {
        ata_write_submit(s);
    }
}

/* Collects the next chunk from the guest (the first PIO block comes without interrupt). */
static void ata_write_chunk(IDEState *s, bool irq)
{
    s->buf_len = MIN(s->xfer_left, ATA_CHUNK_SECTORS) * IDE_SECTOR_SIZE;
    s->buf_pos = 0;
    if (s->is_dma) {
        ide_dma_transfer(s, ata_write_submit);
    } else {
        ide_pio_block(s, MIN(s->pio_block, s->buf_len), irq, ata_write_step);
    }
}

/* ---- command handlers -------------------------------------------------------------------- */

static void ata_rw(IDEState *s, uint8_t flags)
{
    uint64_t sector;
    uint32_t count;

    s->lba48 = flags & ATA_LBA48;
    if ((flags & ATA_MULTI) && !s->mult_sectors) {
        ide_cmd_error(s, IDE_ERR_ABRT);
        return;
    }
    sector = ata_get_sector(s);
    count = ata_get_count(s);
    if (sector == ATA_BAD_SECTOR || sector + count > s->nb_sectors) {
        ide_cmd_error(s, IDE_ERR_IDNF);
        return;
    }
    if ((flags & ATA_WRITE) && s->read_only) {
        ide_cmd_error(s, IDE_ERR_ABRT);
        return;
    }
    s->is_dma = flags & ATA_DMA;
    s->is_write = flags & ATA_WRITE;
    s->xfer_sector = sector;
    s->xfer_left = count;
    s->pio_block = ((flags & ATA_MULTI) ? s->mult_sectors : 1) * IDE_SECTOR_SIZE;
    if (s->is_write) {
        ata_write_chunk(s, false);
    } else {
        ata_read_chunk(s);
    }
}

static void ata_verify(IDEState *s, uint8_t flags)
{
    uint64_t sector;

    s->lba48 = flags & ATA_LBA48;
    sector = ata_get_sector(s);
    if (sector == ATA_BAD_SECTOR || sector + ata_get_count(s) > s->nb_sectors) {
        ide_cmd_error(s, IDE_ERR_IDNF);
        return;
    }
    ata_set_sector(s, sector + ata_get_count(s));
    ide_cmd_done(s);
}

/* The data-in commands returning one 512-byte page (IDENTIFY): no interrupt at the end. */
static void ata_page_step(IDEState *s)
{
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    ide_cmd_finished(s);
}

static void ata_identify(IDEState *s, uint8_t flags)
{
    if (s->kind == IDE_CD) {
        ide_set_signature(s);           /* ATAPI: abort, leaving the packet signature */
        ide_cmd_error(s, IDE_ERR_ABRT);
        return;
    }
    ide_identify(s, s->buf);
    s->buf_len = IDE_SECTOR_SIZE;
    ide_pio_block(s, IDE_SECTOR_SIZE, true, ata_page_step);
}

static void ata_identify_packet(IDEState *s, uint8_t flags)
{
    ide_identify_packet(s, s->buf);
    s->buf_len = IDE_SECTOR_SIZE;
    ide_pio_block(s, IDE_SECTOR_SIZE, true, ata_page_step);
}

static void ata_set_multiple(IDEState *s, uint8_t flags)
{
    uint8_t n = s->nsector;

    if (n > 16 || (n & (n - 1))) {
        ide_cmd_error(s, IDE_ERR_ABRT);
        return;
    }
    s->mult_sectors = n;
    ide_cmd_done(s);
}

/* SET FEATURES 03h: the count register is 00h/01h (PIO default), 08h|mode (PIO 0-4),
 * 20h|mode (multiword DMA 0-2), 40h|mode (Ultra DMA 0-5). */
static bool ata_xfer_mode_valid(uint8_t v)
{
    switch (v >> 3) {
    case 0: return v <= 1;
    case 1: return (v & 7) <= 4;
    case 4: return (v & 7) <= 2;
    case 8: return (v & 7) <= 5;
    default: return false;
    }
}

static void ata_set_features(IDEState *s, uint8_t flags)
{
    switch (s->feature) {
    case 0x02: case 0x82:               /* write cache on/off */
        s->write_cache = s->feature == 0x02;
        break;
    case 0x03:
        if (!ata_xfer_mode_valid(s->nsector)) {
            ide_cmd_error(s, IDE_ERR_ABRT);
            return;
        }
        s->xfer_mode = s->nsector;
        break;
    case 0x55: case 0xaa:               /* read look-ahead off/on */
    case 0x66: case 0xcc:               /* revert to defaults off/on */
    case 0x05: case 0x85:               /* advanced power management */
    case 0x31: case 0x42: case 0xc2:    /* media status, acoustic management */
        break;
    default:
        ide_cmd_error(s, IDE_ERR_ABRT);
        return;
    }
    ide_cmd_done(s);
}

static void ata_flush_done(IDEState *s, int ret)
{
    s->status &= ~IDE_STAT_BSY;
    if (ret < 0) {
        ide_cmd_error(s, IDE_ERR_ABRT);
    } else {
        ide_cmd_done(s);
    }
}

static void ata_flush(IDEState *s, uint8_t flags)
{
    ide_aio_flush(s, ata_flush_done);
}

static void ata_nop_ok(IDEState *s, uint8_t flags)
{
    ide_cmd_done(s);
}

static void ata_check_power(IDEState *s, uint8_t flags)
{
    s->nsector = 0xff;                  /* active or idle */
    ide_cmd_done(s);
}

static void ata_read_native_max(IDEState *s, uint8_t flags)
{
    s->lba48 = flags & ATA_LBA48;
    s->select |= IDE_DEV_LBA;
    ata_set_sector(s, s->nb_sectors ? s->nb_sectors - 1 : 0);
    ide_cmd_done(s);
}

static void ata_diagnostic(IDEState *s, uint8_t flags)
{
    for (int i = 0; i < 2; i++) {
        IDEState *u = &s->bus->ifs[i];
        if (u->kind != IDE_NONE) {
            ide_set_signature(u);
            u->error = 0x01;
            u->status = u->kind == IDE_HD ? IDE_STAT_DRDY | IDE_STAT_DSC : 0;
        }
    }
    ide_raise_irq(s);
    ide_cmd_finished(s);
}

static void ata_device_reset(IDEState *s, uint8_t flags)
{
    ide_atapi_reset(s);
    ide_set_signature(s);
    s->error = 0x01;
    s->status = 0;                      /* no interrupt (ATA8-ACS 7.7) */
    ide_cmd_finished(s);
}

static void ata_packet(IDEState *s, uint8_t flags)
{
    ide_atapi_start_packet(s);
}

#define RW(f) { ata_rw, ATA_HD | (f) }
static const ATACommand ata_commands[256] = {
    [0x20] = RW(0), [0x21] = RW(0), [0x24] = RW(ATA_LBA48),
    [0x29] = RW(ATA_LBA48 | ATA_MULTI), [0xc4] = RW(ATA_MULTI),
    [0x30] = RW(ATA_WRITE), [0x31] = RW(ATA_WRITE), [0x34] = RW(ATA_WRITE | ATA_LBA48),
    [0x39] = RW(ATA_WRITE | ATA_LBA48 | ATA_MULTI), [0xc5] = RW(ATA_WRITE | ATA_MULTI),
    [0xc8] = RW(ATA_DMA), [0xc9] = RW(ATA_DMA), [0x25] = RW(ATA_DMA | ATA_LBA48),
    [0xca] = RW(ATA_DMA | ATA_WRITE), [0xcb] = RW(ATA_DMA | ATA_WRITE),
    [0x35] = RW(ATA_DMA | ATA_WRITE | ATA_LBA48),
    [0x40] = { ata_verify, ATA_HD }, [0x41] = { ata_verify, ATA_HD },
    [0x42] = { ata_verify, ATA_HD | ATA_LBA48 },
    [0xec] = { ata_identify, ATA_HD | ATA_CD },
    [0xa1] = { ata_identify_packet, ATA_CD },
    [0xa0] = { ata_packet, ATA_CD },
    [0x08] = { ata_device_reset, ATA_CD },
    [0xc6] = { ata_set_multiple, ATA_HD },
    [0xef] = { ata_set_features, ATA_HD | ATA_CD },
    [0xe7] = { ata_flush, ATA_HD | ATA_CD }, [0xea] = { ata_flush, ATA_HD | ATA_LBA48 },
    [0x10] = { ata_nop_ok, ATA_HD },    /* RECALIBRATE */
    [0x70] = { ata_nop_ok, ATA_HD },    /* SEEK */
    [0x91] = { ata_nop_ok, ATA_HD },    /* INITIALIZE DEVICE PARAMETERS */
    [0xe0] = { ata_nop_ok, ATA_HD | ATA_CD }, [0xe1] = { ata_nop_ok, ATA_HD | ATA_CD },
    [0xe2] = { ata_nop_ok, ATA_HD }, [0xe3] = { ata_nop_ok, ATA_HD },
    [0xe5] = { ata_check_power, ATA_HD | ATA_CD },
    [0xf8] = { ata_read_native_max, ATA_HD },
    [0x27] = { ata_read_native_max, ATA_HD | ATA_LBA48 },
    [0x90] = { ata_diagnostic, ATA_HD | ATA_CD },
};

bool ide_ata_command(IDEState *s, uint8_t cmd)
{
    const ATACommand *c = &ata_commands[cmd];
    uint8_t kind = s->kind == IDE_CD ? ATA_CD : ATA_HD;

    if (cmd >= 0x11 && cmd <= 0x1f) {
        c = &ata_commands[0x10];        /* RECALIBRATE's obsolete aliases */
    }
    if (!c->handler || !(c->flags & kind)) {
        return false;
    }
    c->handler(s, c->flags);
    return true;
}
