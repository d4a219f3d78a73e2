/* IDE (ATA/ATAPI) channel and devices, shared by the PIIX3 IDE function and AHCI: the
 * task-file registers of one channel with its master and slave, ATA-8 (T13/1699-D) commands,
 * ATAPI packet commands (MMC-5 subset), PIO and DMA data phases. A DMA engine (bus master,
 * AHCI port) plugs in with IDEDMAOps. docs/disks.md */
#ifndef HW_IDE_IDE_H
#define HW_IDE_IDE_H

#include <stdbool.h>
#include <stdint.h>
#include "block/block.h"
#include "hw/irq.h"
#include "system/memory.h"

#define IDE_SECTOR_SIZE 512
#define ATAPI_SECTOR_SIZE 2048
/* Data buffer of a device: one chunk of a transfer (256 ATA sectors, 64 CD sectors). */
#define IDE_BUF_SIZE (128 * 1024)

/* Status register */
#define IDE_STAT_ERR  0x01
#define IDE_STAT_DRQ  0x08
#define IDE_STAT_DSC  0x10
#define IDE_STAT_DF   0x20
#define IDE_STAT_DRDY 0x40
#define IDE_STAT_BSY  0x80
/* Error register */
#define IDE_ERR_ABRT  0x04
#define IDE_ERR_IDNF  0x10
#define IDE_ERR_UNC   0x40
/* Device control register */
#define IDE_CTRL_NIEN 0x02
#define IDE_CTRL_SRST 0x04
#define IDE_CTRL_HOB  0x80
/* Device register */
#define IDE_DEV_LBA   0x40
#define IDE_DEV_DEV   0x10

typedef enum IDEDriveKind { IDE_NONE, IDE_HD, IDE_CD } IDEDriveKind;

typedef struct IDEBus IDEBus;
typedef struct IDEState IDEState;

/* A DMA engine serving a channel. */
typedef struct IDEDMAOps {
    /* Whether the guest started the engine (a DMA command may move data). */
    bool (*started)(IDEBus *bus);
    /* Moves up to len bytes between buf and the guest's scatter list, continuing where the
     * last call stopped (to_guest: device to memory). Returns the bytes moved (fewer: the
     * list ended) or -1 when the list or a buffer lies outside guest RAM. */
    int64_t (*rw)(IDEBus *bus, uint8_t *buf, uint64_t len, bool to_guest);
    /* The DMA command ended (error: the engine saw a bad list or the device failed). */
    void (*done)(IDEBus *bus, bool error);
    /* A unit raised its interrupt (the bus master's status bit). Optional. */
    void (*irq_raised)(IDEBus *bus);
    /* The command ended (with or without an interrupt): AHCI posts its FIS. Optional. */
    void (*cmd_done)(IDEBus *bus);
    /* The 12-byte ATAPI packet comes from the engine (AHCI's command table), not the data
     * port. Optional. */
    void (*get_packet)(IDEBus *bus, uint8_t packet[12]);
} IDEDMAOps;

/* Where the data of a command goes next (called when a PIO block or DMA chunk is done). */
typedef void IDEStepFn(IDEState *s);

struct IDEState {
    IDEBus *bus;
    int unit;
    IDEDriveKind kind;
    BlockDriverState *bs;       /* NULL: no drive, or a CD drive without a medium */
    bool read_only;
    uint64_t nb_sectors;        /* in 512-byte sectors */
    uint16_t cylinders, heads, sectors;
    char serial[21];
    /* task file (hob_*: the previous value, for LBA48) */
    uint8_t feature, error, nsector, sector, lcyl, hcyl, select, status;
    uint8_t hob_feature, hob_nsector, hob_sector, hob_lcyl, hob_hcyl;
    bool irq_pending;
    uint8_t mult_sectors;       /* SET MULTIPLE MODE; 0: disabled */
    bool write_cache;
    uint8_t xfer_mode;          /* SET FEATURES 03h value */
    /* the command in progress */
    uint8_t cmd;
    bool lba48, is_dma, is_write;
    uint64_t xfer_sector;       /* next sector of the medium (512 or 2048 bytes) */
    uint32_t xfer_left;         /* sectors not yet fetched from / written to the medium */
    uint8_t *buf;               /* IDE_BUF_SIZE bytes */
    uint32_t buf_len, buf_pos;  /* valid data and the guest's position in it */
    uint32_t pio_end;           /* end of the current DRQ block in buf */
    uint32_t pio_block;         /* bytes per DRQ block */
    IDEStepFn *step;            /* runs when the PIO block or DMA chunk is consumed */
    bool dma_waiting;           /* a DMA command waits for the engine to start */
    int in_flight;              /* block requests not completed (ide_drain waits) */
    /* ATAPI */
    uint8_t packet[12];
    uint8_t sense_key, asc, ascq;
    bool unit_attention;        /* medium changed: next command gets UNIT ATTENTION */
    uint8_t media_event;        /* GET EVENT STATUS: 0 none, 2 new media, 3 removal */
    bool tray_locked, tray_open;
    uint32_t byte_limit;        /* ATAPI PIO byte count limit of the command */
    bool atapi_dma;             /* the PACKET command asked for a DMA data phase */
};

struct IDEBus {
    IDEState ifs[2];
    uint8_t cmd;                /* device control register */
    IRQ irq;
    const IDEDMAOps *dma_ops;   /* NULL: no DMA engine (DMA commands abort) */
    void *dma_opaque;
    AddressSpace *dma_as;
    int channel;                /* 0 primary, 1 secondary (names: ide0-hd0...) */
    bool pio_by_dma;            /* AHCI: PIO data phases go through dma_ops too */
    uint8_t units;              /* 2 (master, slave); an AHCI port has 1 */
    bool pio_dma_active, pio_dma_again;
};

/* Sets up bus with two empty units. */
void ide_bus_init(IDEBus *bus, int channel, IRQ irq);
void ide_bus_fini(IDEBus *bus);
/* Power-on / hardware reset of both units (keeps the media). */
void ide_bus_reset(IDEBus *bus);
/* Attaches a disk or CD drive at unit (0 master, 1 slave); bs may be NULL for an empty
 * CD drive. -1 with *errp when the unit is taken. */
int ide_attach(IDEBus *bus, int unit, IDEDriveKind kind, BlockDriverState *bs, bool read_only,
               Error **errp);

/* Task-file access: offset 0-7 of the command block; 0 is the 16/32-bit data port. */
uint32_t ide_ioport_read(IDEBus *bus, unsigned offset);
void ide_ioport_write(IDEBus *bus, unsigned offset, uint32_t value);
uint32_t ide_data_read(IDEBus *bus, unsigned size);
void ide_data_write(IDEBus *bus, unsigned size, uint32_t value);
/* Control block: alternate status (read), device control (write). */
uint32_t ide_status_read(IDEBus *bus);
void ide_ctrl_write(IDEBus *bus, uint8_t value);
/* The DMA engine was started: runs a waiting DMA command. */
void ide_bus_dma_start(IDEBus *bus);
/* The DMA engine was stopped by the guest mid-command: the command is abandoned. */
void ide_bus_dma_cancel(IDEBus *bus);

/* Medium change of a CD drive (the monitor's change/eject): bs NULL ejects. The old medium
 * is returned to the caller (not closed). -1 with *errp if the tray is locked and !force. */
int ide_cd_change_medium(IDEState *s, BlockDriverState *bs, bool force,
                         BlockDriverState **old, Error **errp);
/* The unit is gone (its device was destroyed). */
void ide_detach(IDEState *s);
/* The disk's medium changed size (block_resize): IDENTIFY reports the new size. */
void ide_resized(IDEState *s);
/* Waits for the unit's block requests (before its medium is closed). */
void ide_drain(IDEState *s);

#endif
