/* IDENTIFY DEVICE and IDENTIFY PACKET DEVICE data (ATA8-ACS T13/1699-D, 7.16 and 7.17): the
 * words SeaBIOS (geometry, LBA, LBA48 size) and Linux libata (capabilities, PIO/DMA modes,
 * multiple count, command sets: write cache, FLUSH CACHE (EXT), LBA48) read. */
#include <string.h>
#include "hw/ide/ide-internal.h"
#include "util/cutils.h"

#define IDE_FIRMWARE "0.1.0"
#define IDE_MAX_MULT 16

static void put_word(uint8_t *page, int word, uint16_t v)
{
    page[2 * word] = v;
    page[2 * word + 1] = v >> 8;
}

/* ATA strings: two characters per word, the first in the high byte, space-padded. */
static void put_string(uint8_t *page, int word, int nwords, const char *str)
{
    size_t len = strlen(str);

    for (int i = 0; i < 2 * nwords; i++) {
        char c = (size_t)i < len ? str[i] : ' ';
        page[2 * word + (i ^ 1)] = c;
    }
}

static void put_common(IDEState *s, uint8_t *page, const char *model)
{
    put_string(page, 10, 10, s->serial);
    put_string(page, 23, 4, IDE_FIRMWARE);
    put_string(page, 27, 20, model);
    put_word(page, 53, 0x0006);             /* words 64-70 and 88 are valid */
    put_word(page, 62, 0x0007);             /* single word DMA 0-2 (obsolete) */
    put_word(page, 63, 0x0007 | ((s->xfer_mode >> 3) == 4 ? 0x100 << (s->xfer_mode & 7) : 0));
    put_word(page, 64, 0x0003);             /* PIO modes 3 and 4 */
    put_word(page, 65, 120);                /* minimum multiword DMA cycle (ns) */
    put_word(page, 66, 120);
    put_word(page, 67, 120);                /* minimum PIO cycle without/with IORDY */
    put_word(page, 68, 120);
    put_word(page, 88, 0x003f | ((s->xfer_mode >> 3) == 8 ? 0x100 << (s->xfer_mode & 7) : 0));
    put_word(page, 93, 0x6000 | (s->unit ? 0x0100 : 0x000b));   /* 80-wire cable, reset
                                                                  * result of this unit */
}

void ide_identify(IDEState *s, uint8_t *page)
{
    uint64_t lba28 = MIN(s->nb_sectors, 0x0fffffffull);
    uint64_t chs = (uint64_t)s->cylinders * s->heads * s->sectors;

    memset(page, 0, IDE_SECTOR_SIZE);
    put_word(page, 0, 0x0040);              /* ATA device, fixed */
    put_word(page, 1, s->cylinders);
    put_word(page, 3, s->heads);
    put_word(page, 6, s->sectors);
    put_common(s, page, "MIMIC HARDDISK");
    put_word(page, 47, 0x8000 | IDE_MAX_MULT);
    put_word(page, 49, 0x0f00);             /* IORDY, IORDY disable, LBA, DMA */
    put_word(page, 50, 0x4000);
    put_word(page, 53, 0x0007);             /* words 54-58 too */
    put_word(page, 54, s->cylinders);
    put_word(page, 55, s->heads);
    put_word(page, 56, s->sectors);
    put_word(page, 57, chs);
    put_word(page, 58, chs >> 16);
    put_word(page, 59, s->mult_sectors ? 0x100 | s->mult_sectors : 0);
    put_word(page, 60, lba28);
    put_word(page, 61, lba28 >> 16);
    put_word(page, 80, 0x01f0);             /* ATA/ATAPI-4 to -8 */
    put_word(page, 81, 0x0000);
    put_word(page, 82, 0x4000 | 0x0020 | 0x0040);    /* NOP, write cache, look-ahead */
    put_word(page, 83, 0x4000 | 0x2000 | 0x1000 | 0x0400);   /* FLUSH (EXT), LBA48 */
    put_word(page, 84, 0x4000);
    put_word(page, 85, 0x4000 | 0x0040 | (s->write_cache ? 0x0020 : 0));
    put_word(page, 86, 0x2000 | 0x1000 | 0x0400);
    put_word(page, 87, 0x4000);
    for (int i = 0; i < 4; i++) {
        put_word(page, 100 + i, s->nb_sectors >> (16 * i));
    }
}

void ide_identify_packet(IDEState *s, uint8_t *page)
{
    memset(page, 0, IDE_SECTOR_SIZE);
    /* ATAPI, CD-ROM (05h), removable, DRQ within 50 us, 12-byte packets */
    put_word(page, 0, 0x8000 | (5 << 8) | 0x0080 | 0x0040);
    put_common(s, page, "MIMIC DVD-ROM");
    put_word(page, 49, 0x0f00);             /* IORDY, LBA, DMA */
    put_word(page, 71, 30);                 /* typical release times (ns) */
    put_word(page, 72, 30);
    put_word(page, 80, 0x001e);             /* ATA/ATAPI-1 to -4 */
    put_word(page, 82, 0x4000 | 0x0010);    /* NOP, PACKET */
    put_word(page, 83, 0x4000 | 0x1000);    /* FLUSH CACHE */
    put_word(page, 84, 0x4000);
    put_word(page, 85, 0x4000 | 0x0010);
    put_word(page, 86, 0x1000);
    put_word(page, 87, 0x4000);
}
