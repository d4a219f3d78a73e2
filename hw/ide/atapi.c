/* ATAPI CD/DVD-ROM unit (SFF-8020i packet protocol, MMC-5 T10/1675-D commands): the PACKET
 * command's phases (12-byte packet by PIO, data by PIO in byte-count-limited blocks or by
 * DMA, interrupt reason in the sector count register), the commands SeaBIOS, isolinux, GRUB
 * and Linux use, sense data, unit attention and media events after a medium change, tray
 * lock and eject. */
#include <string.h>
#include "hw/ide/ide-internal.h"
#include "util/cutils.h"
#include "util/log.h"

#define SENSE_NONE            0
#define SENSE_NOT_READY       2
#define SENSE_MEDIUM_ERROR    3
#define SENSE_ILLEGAL_REQUEST 5
#define SENSE_UNIT_ATTENTION  6

#define ASC_READ_ERROR        0x11
#define ASC_INVALID_OPCODE    0x20
#define ASC_LBA_OUT_OF_RANGE  0x21
#define ASC_INVALID_FIELD     0x24
#define ASC_MEDIUM_CHANGED    0x28
#define ASC_SAVING_UNSUPPORTED 0x39
#define ASC_NO_MEDIUM         0x3a
#define ASC_REMOVAL_PREVENTED 0x53

#define CD_CHUNK_SECTORS (IDE_BUF_SIZE / ATAPI_SECTOR_SIZE)
#define CD_MAX_SECTORS (80 * 60 * 75)   /* an 80-minute CD; larger media are DVDs */

#define NEEDS_MEDIUM 0x01               /* NOT READY without a medium */
#define ALLOW_UA     0x02               /* runs despite a pending unit attention */

typedef struct ATAPICommand {
    void (*handler)(IDEState *s, const uint8_t *cdb);
    uint8_t flags;
} ATAPICommand;

static uint16_t be16(const uint8_t *p) { return (p[0] << 8) | p[1]; }
static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}
static void put_be16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static bool atapi_has_medium(IDEState *s)
{
    return s->bs && !s->tray_open;
}

static uint32_t atapi_sectors(IDEState *s)
{
    return atapi_has_medium(s) ? s->nb_sectors / (ATAPI_SECTOR_SIZE / IDE_SECTOR_SIZE) : 0;
}

/* ---- command endings -------------------------------------------------------------------- */

static void atapi_ok(IDEState *s)
{
    s->nsector = (s->nsector & ~7) | ATAPI_IREASON_IO | ATAPI_IREASON_COD;
    ide_cmd_done(s);
}

static void atapi_check_condition(IDEState *s, uint8_t key, uint8_t asc, uint8_t ascq)
{
    s->sense_key = key;
    s->asc = asc;
    s->ascq = ascq;
    s->nsector = (s->nsector & ~7) | ATAPI_IREASON_IO | ATAPI_IREASON_COD;
    ide_cmd_error(s, (key << 4) | IDE_ERR_ABRT);
}

static void atapi_illegal(IDEState *s, uint8_t asc)
{
    atapi_check_condition(s, SENSE_ILLEGAL_REQUEST, asc, 0);
}

/* ---- data-in phase ------------------------------------------------------------------------ */

static void atapi_send_step(IDEState *s);

static void atapi_send(IDEState *s)
{
    uint32_t n = MIN(s->byte_limit, s->buf_len - s->buf_pos);

    if (s->atapi_dma) {
        s->is_dma = true;
        ide_dma_transfer(s, atapi_send_step);
        return;
    }
    s->lcyl = n;
    s->hcyl = n >> 8;
    s->nsector = (s->nsector & ~7) | ATAPI_IREASON_IO;
    ide_pio_block(s, n, true, atapi_send_step);
}

static void atapi_read_chunk(IDEState *s);

static void atapi_send_step(IDEState *s)
{
    if (s->buf_pos < s->buf_len) {
        atapi_send(s);
    } else if (s->xfer_left) {
        atapi_read_chunk(s);
    } else {
        atapi_ok(s);
    }
}

/* Returns len bytes of buf, at most alloc (the CDB's allocation length). */
static void atapi_reply(IDEState *s, uint32_t len, uint32_t alloc)
{
    s->buf_len = MIN(len, alloc);
    s->buf_pos = 0;
    s->xfer_left = 0;
    if (!s->buf_len) {
        atapi_ok(s);
        return;
    }
    atapi_send(s);
}

static void atapi_read_done(IDEState *s, int ret)
{
    uint32_t n = s->buf_len / ATAPI_SECTOR_SIZE;

    s->status &= ~IDE_STAT_BSY;
    if (ret < 0) {
        atapi_check_condition(s, SENSE_MEDIUM_ERROR, ASC_READ_ERROR, 0);
        return;
    }
    s->xfer_sector += n;
    s->xfer_left -= n;
    s->buf_pos = 0;
    atapi_send(s);
}

static void atapi_read_chunk(IDEState *s)
{
    s->buf_len = MIN(s->xfer_left, CD_CHUNK_SECTORS) * ATAPI_SECTOR_SIZE;
    s->buf_pos = 0;
    ide_aio_read(s, s->xfer_sector * ATAPI_SECTOR_SIZE, s->buf_len, atapi_read_done);
}

static void atapi_read_sectors(IDEState *s, uint32_t lba, uint32_t count)
{
    if ((uint64_t)lba + count > atapi_sectors(s)) {
        atapi_illegal(s, ASC_LBA_OUT_OF_RANGE);
        return;
    }
    if (!count) {
        atapi_ok(s);
        return;
    }
    s->xfer_sector = lba;
    s->xfer_left = count;
    atapi_read_chunk(s);
}

/* ---- commands ------------------------------------------------------------------------------ */

static void atapi_test_unit_ready(IDEState *s, const uint8_t *cdb)
{
    atapi_ok(s);
}

static void atapi_request_sense(IDEState *s, const uint8_t *cdb)
{
    memset(s->buf, 0, 18);
    s->buf[0] = 0x70;                   /* current error, fixed format */
    s->buf[2] = s->sense_key;
    s->buf[7] = 10;
    s->buf[12] = s->asc;
    s->buf[13] = s->ascq;
    s->sense_key = s->asc = s->ascq = 0;
    atapi_reply(s, 18, cdb[4]);
}

static void atapi_inquiry(IDEState *s, const uint8_t *cdb)
{
    if (cdb[1] & 1) {                   /* no vital product data pages */
        atapi_illegal(s, ASC_INVALID_FIELD);
        return;
    }
    memset(s->buf, 0, 36);
    s->buf[0] = 0x05;                   /* CD/DVD device */
    s->buf[1] = 0x80;                   /* removable */
    s->buf[3] = 0x21;                   /* ATAPI, response data format 1 */
    s->buf[4] = 31;
    memcpy(s->buf + 8, "MIMIC   ", 8);
    memcpy(s->buf + 16, "MIMIC DVD-ROM   ", 16);
    memcpy(s->buf + 32, "0.1 ", 4);
    atapi_reply(s, 36, be16(cdb + 3));
}

static void atapi_read_capacity(IDEState *s, const uint8_t *cdb)
{
    put_be32(s->buf, atapi_sectors(s) - 1);
    put_be32(s->buf + 4, ATAPI_SECTOR_SIZE);
    atapi_reply(s, 8, 8);
}

static void atapi_read10(IDEState *s, const uint8_t *cdb)
{
    atapi_read_sectors(s, be32(cdb + 2), be16(cdb + 7));
}

static void atapi_read12(IDEState *s, const uint8_t *cdb)
{
    atapi_read_sectors(s, be32(cdb + 2), be32(cdb + 6));
}

/* READ CD: only the user data of mode 1 sectors (byte 9 = 10h), or nothing (00h). */
static void atapi_read_cd(IDEState *s, const uint8_t *cdb)
{
    uint32_t count = (cdb[6] << 16) | (cdb[7] << 8) | cdb[8];

    if (cdb[9] == 0) {
        atapi_ok(s);
    } else if (cdb[9] == 0x10) {
        atapi_read_sectors(s, be32(cdb + 2), count);
    } else {
        atapi_illegal(s, ASC_INVALID_FIELD);
    }
}

/* An address in a TOC: LBA, or MSF (minute/second/frame, 2 s lead-in) when msf. */
static void put_toc_addr(uint8_t *p, uint32_t lba, bool msf)
{
    if (!msf) {
        put_be32(p, lba);
        return;
    }
    lba += 150;
    p[0] = 0;
    p[1] = lba / (75 * 60);
    p[2] = (lba / 75) % 60;
    p[3] = lba % 75;
}

static int atapi_toc(IDEState *s, uint8_t *buf, bool msf, uint8_t start_track)
{
    int len = 4;

    if (start_track > 1 && start_track != 0xaa) {
        return -1;
    }
    buf[2] = 1;                         /* first and last track */
    buf[3] = 1;
    if (start_track <= 1) {
        uint8_t *d = buf + len;
        memset(d, 0, 8);
        d[1] = 0x14;                    /* ADR 1, data track */
        d[2] = 1;
        put_toc_addr(d + 4, 0, msf);
        len += 8;
    }
    memset(buf + len, 0, 8);
    buf[len + 1] = 0x14;
    buf[len + 2] = 0xaa;                /* lead-out */
    put_toc_addr(buf + len + 4, atapi_sectors(s), msf);
    len += 8;
    put_be16(buf, len - 2);
    return len;
}

static void atapi_read_toc(IDEState *s, const uint8_t *cdb)
{
    bool msf = cdb[1] & 2;
    int format = (cdb[2] & 0x0f) ? (cdb[2] & 0x0f) : cdb[9] >> 6;
    int len;

    memset(s->buf, 0, 12);
    if (format == 0) {
        len = atapi_toc(s, s->buf, msf, cdb[6]);
    } else if (format == 1) {           /* session info: one session, track 1 at 0 */
        put_be16(s->buf, 10);
        s->buf[2] = s->buf[3] = 1;
        s->buf[5] = 0x14;
        s->buf[6] = 1;
        put_toc_addr(s->buf + 8, 0, msf);
        len = 12;
    } else {
        len = -1;
    }
    if (len < 0) {
        atapi_illegal(s, ASC_INVALID_FIELD);
        return;
    }
    atapi_reply(s, len, be16(cdb + 7));
}

static uint16_t atapi_profile(IDEState *s)
{
    if (!atapi_has_medium(s)) {
        return 0;
    }
    return atapi_sectors(s) > CD_MAX_SECTORS ? 0x0010 : 0x0008;     /* DVD-ROM, CD-ROM */
}

/* GET CONFIGURATION: the profile list (DVD-ROM, CD-ROM), core (ATAPI) and removable
 * medium features, from the starting feature on (rt 2: that one only). */
static void atapi_get_configuration(IDEState *s, const uint8_t *cdb)
{
    uint16_t start = be16(cdb + 2), profile = atapi_profile(s);
    uint8_t *p = s->buf + 8;

    memset(s->buf, 0, 40);
    put_be16(s->buf + 6, profile);
    if (start == 0) {
        p[2] = 0x03;                    /* persistent, current */
        p[3] = 8;
        put_be16(p + 4, 0x0010);
        p[6] = profile == 0x0010;
        put_be16(p + 8, 0x0008);
        p[10] = profile == 0x0008;
        p += 12;
    }
    if (start <= 1 && !((cdb[1] & 3) == 2 && start != 1)) {
        put_be16(p, 0x0001);
        p[2] = 0x0b;                    /* version 2, persistent, current */
        p[3] = 8;
        put_be32(p + 4, 2);             /* physical interface: ATAPI */
        p += 12;
    }
    if (start <= 3 && !((cdb[1] & 3) == 2 && start != 3)) {
        put_be16(p, 0x0003);
        p[2] = 0x03;
        p[3] = 4;
        p[4] = 0x29;                    /* tray, eject, lock */
        p += 8;
    }
    put_be32(s->buf, (p - s->buf) - 4);
    atapi_reply(s, p - s->buf, be16(cdb + 7));
}

/* GET EVENT STATUS NOTIFICATION (polled): the media class reports a new medium or its
 * removal once. */
static void atapi_get_event_status(IDEState *s, const uint8_t *cdb)
{
    if (!(cdb[1] & 1)) {                /* asynchronous notification is not supported */
        atapi_illegal(s, ASC_INVALID_FIELD);
        return;
    }
    memset(s->buf, 0, 8);
    s->buf[3] = 0x10;                   /* supported: media class */
    if (!(cdb[4] & 0x10)) {
        put_be16(s->buf, 2);
        s->buf[2] = 0x80;               /* no event available */
        atapi_reply(s, 4, be16(cdb + 7));
        return;
    }
    put_be16(s->buf, 6);
    s->buf[2] = 0x04;                   /* media class */
    s->buf[4] = s->media_event;
    s->buf[5] = (atapi_has_medium(s) ? 0x02 : 0) | (s->tray_open ? 0x01 : 0);
    s->media_event = 0;
    atapi_reply(s, 8, be16(cdb + 7));
}

/* Mode pages: 01h read error recovery, 2Ah capabilities and mechanical status. */
static int atapi_mode_page(IDEState *s, uint8_t page, uint8_t *p)
{
    static const uint8_t recovery[8] = { 0x01, 0x06, 0x00, 0x05 };
    static const uint8_t caps[20] = {
        0x2a, 0x12, 0x3b, 0x00, 0x71, 0x60, 0x29, 0x00, 0x02, 0xc2,
        0x00, 0x02, 0x02, 0x00, 0x02, 0xc2,
    };

    if (page == 0x01) {
        memcpy(p, recovery, sizeof(recovery));
        return sizeof(recovery);
    }
    if (page == 0x2a) {
        memcpy(p, caps, sizeof(caps));
        p[6] |= s->tray_locked ? 0x02 : 0;
        return sizeof(caps);
    }
    return -1;
}

static void atapi_mode_sense(IDEState *s, const uint8_t *cdb)
{
    bool ten = cdb[0] == 0x5a;
    int hdr = ten ? 8 : 4, len = hdr, n;
    uint8_t page = cdb[2] & 0x3f;

    if ((cdb[2] >> 6) == 3) {
        atapi_check_condition(s, SENSE_ILLEGAL_REQUEST, ASC_SAVING_UNSUPPORTED, 0);
        return;
    }
    memset(s->buf, 0, 64);
    for (uint8_t pg = 0x01; pg <= 0x2a; pg++) {
        if ((page == 0x3f || page == pg) && (n = atapi_mode_page(s, pg, s->buf + len)) > 0) {
            len += n;
        }
    }
    if (len == hdr) {
        atapi_illegal(s, ASC_INVALID_FIELD);
        return;
    }
    if (ten) {
        put_be16(s->buf, len - 2);
    } else {
        s->buf[0] = len - 1;
    }
    s->buf[ten ? 2 : 1] = atapi_has_medium(s) ? 0x01 : 0x70;    /* medium type */
    atapi_reply(s, len, ten ? be16(cdb + 7) : cdb[4]);
}

static void atapi_start_stop(IDEState *s, const uint8_t *cdb)
{
    bool loej = cdb[4] & 2, start = cdb[4] & 1;

    if (loej && !start) {
        if (s->tray_locked) {
            atapi_check_condition(s, SENSE_ILLEGAL_REQUEST, ASC_REMOVAL_PREVENTED, 2);
            return;
        }
        s->tray_open = true;
    } else if (loej && start && s->tray_open) {
        s->tray_open = false;
        if (s->bs) {
            s->media_event = 2;
        }
    }
    atapi_ok(s);
}

static void atapi_prevent_allow(IDEState *s, const uint8_t *cdb)
{
    s->tray_locked = cdb[4] & 1;
    atapi_ok(s);
}

static void atapi_read_disc_info(IDEState *s, const uint8_t *cdb)
{
    if (cdb[1] & 7) {                   /* only standard disc information */
        atapi_illegal(s, ASC_INVALID_FIELD);
        return;
    }
    memset(s->buf, 0, 34);
    put_be16(s->buf, 32);
    s->buf[2] = 0x0e;                   /* last session complete, disc finalized */
    s->buf[3] = s->buf[4] = s->buf[5] = s->buf[6] = 1;
    s->buf[7] = 0x20;                   /* unrestricted use */
    atapi_reply(s, 34, be16(cdb + 7));
}

static const ATAPICommand atapi_commands[256] = {
    [0x00] = { atapi_test_unit_ready, NEEDS_MEDIUM },
    [0x03] = { atapi_request_sense, ALLOW_UA },
    [0x12] = { atapi_inquiry, ALLOW_UA },
    [0x1a] = { atapi_mode_sense, 0 },
    [0x5a] = { atapi_mode_sense, 0 },
    [0x1b] = { atapi_start_stop, 0 },
    [0x1e] = { atapi_prevent_allow, 0 },
    [0x25] = { atapi_read_capacity, NEEDS_MEDIUM },
    [0x28] = { atapi_read10, NEEDS_MEDIUM },
    [0xa8] = { atapi_read12, NEEDS_MEDIUM },
    [0xbe] = { atapi_read_cd, NEEDS_MEDIUM },
    [0x2b] = { atapi_test_unit_ready, NEEDS_MEDIUM },   /* SEEK(10) */
    [0xbb] = { atapi_test_unit_ready, 0 },              /* SET CD SPEED */
    [0x43] = { atapi_read_toc, NEEDS_MEDIUM },
    [0x46] = { atapi_get_configuration, ALLOW_UA },
    [0x4a] = { atapi_get_event_status, ALLOW_UA },
    [0x51] = { atapi_read_disc_info, NEEDS_MEDIUM },
};

static void atapi_dispatch(IDEState *s)
{
    const uint8_t *cdb = s->packet;
    const ATAPICommand *c = &atapi_commands[cdb[0]];

    if (cdb[0] != 0x03) {
        s->sense_key = s->asc = s->ascq = 0;
    }
    if (!c->handler) {
        log_category_printf(LOG_UNIMP, "ide%d-%d: ATAPI command 0x%02x not supported\n",
                            s->bus->channel, s->unit, cdb[0]);
        atapi_illegal(s, ASC_INVALID_OPCODE);
    } else if (s->unit_attention && !(c->flags & ALLOW_UA)) {
        s->unit_attention = false;
        atapi_check_condition(s, SENSE_UNIT_ATTENTION, ASC_MEDIUM_CHANGED, 0);
    } else if ((c->flags & NEEDS_MEDIUM) && !atapi_has_medium(s)) {
        atapi_check_condition(s, SENSE_NOT_READY, ASC_NO_MEDIUM, s->tray_open ? 2 : 1);
    } else {
        c->handler(s, cdb);
    }
}

static void atapi_packet_received(IDEState *s)
{
    memcpy(s->packet, s->buf, sizeof(s->packet));
    s->is_write = false;
    s->status = IDE_STAT_DRDY | IDE_STAT_BSY;
    atapi_dispatch(s);
}

void ide_atapi_start_packet(IDEState *s)
{
    uint32_t limit = s->lcyl | (s->hcyl << 8);

    s->atapi_dma = s->feature & 1;
    s->byte_limit = (limit == 0 || limit == 0xffff) ? 0xfffe : limit & ~1u;
    if (!s->byte_limit) {
        s->byte_limit = 2;
    }
    s->nsector = (s->nsector & ~7) | ATAPI_IREASON_COD;
    s->is_write = true;
    s->buf_len = sizeof(s->packet);
    s->buf_pos = 0;
    if (s->bus->dma_ops && s->bus->dma_ops->get_packet) {
        s->bus->dma_ops->get_packet(s->bus, s->buf);
        atapi_packet_received(s);
        return;
    }
    ide_pio_block(s, sizeof(s->packet), false, atapi_packet_received);
}

void ide_atapi_reset(IDEState *s)
{
    s->sense_key = s->asc = s->ascq = 0;
    s->atapi_dma = false;
}

int ide_cd_change_medium(IDEState *s, BlockDriverState *bs, bool force,
                         BlockDriverState **old, Error **errp)
{
    if (s->tray_locked && !force) {
        s->media_event = 1;             /* eject request: a guest may unlock and eject */
        error_setg(errp, "Device 'ide%d-cd%d' is locked and force was not specified, wait "
                   "for tray to open and try again", s->bus->channel, s->unit);
        return -1;
    }
    ide_drain(s);
    *old = s->bs;
    s->bs = bs;
    s->nb_sectors = bs ? (uint64_t)block_length(bs) / IDE_SECTOR_SIZE : 0;
    s->tray_locked = false;
    s->tray_open = !bs;
    s->media_event = bs ? 2 : 3;
    if (bs) {
        s->unit_attention = true;
    }
    return 0;
}
