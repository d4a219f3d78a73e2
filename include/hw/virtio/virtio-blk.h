/* The virtio block device model (VIRTIO 1.2, "Block Device"): one request queue, read,
 * write, flush, get-id, discard and write-zeroes through the block layer's asynchronous
 * API. A transport-specific device type (virtio-blk-device, virtio-blk-pci) embeds a
 * VirtIOBlock and forwards realize/unrealize. docs/virtio.md */
#ifndef HW_VIRTIO_VIRTIO_BLK_H
#define HW_VIRTIO_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/qdev.h"
#include "hw/virtio/virtio.h"
#include "system/drive.h"

/* Feature bits (5.2.3) */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_DISCARD 13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* Request types and status */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_T_WRITE_ZEROES 13
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTIO_BLK_ID_BYTES 20

/* Configuration layout (struct virtio_blk_config), the fields this model fills. */
#define VIRTIO_BLK_CFG_CAPACITY 0
#define VIRTIO_BLK_CFG_SEG_MAX 12
#define VIRTIO_BLK_CFG_BLK_SIZE 20
#define VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS 36
#define VIRTIO_BLK_CFG_MAX_DISCARD_SEG 40
#define VIRTIO_BLK_CFG_DISCARD_ALIGNMENT 44
#define VIRTIO_BLK_CFG_MAX_WRITE_ZEROES_SECTORS 48
#define VIRTIO_BLK_CFG_MAX_WRITE_ZEROES_SEG 52
#define VIRTIO_BLK_CFG_WRITE_ZEROES_MAY_UNMAP 56
#define VIRTIO_BLK_CFG_SIZE 60

/* Largest data transfer of one request; larger ones fail with IOERR (Linux sends at most
 * max_sectors_kb, 1280 KiB by default). */
#define VIRTIO_BLK_MAX_TRANSFER (32u << 20)

typedef struct VirtIOBlockReq VirtIOBlockReq;

typedef struct VirtIOBlock {
    VirtIODevice vdev;
    DeviceState *owner;             /* the qdev device embedding it (messages) */
    /* properties */
    void *drive;                    /* DriveInfo * (the property type is void *) */
    char *serial;
    uint16_t queue_size;
    bool discard;
    bool write_zeroes;
    /* state */
    uint64_t sectors;               /* capacity in 512-byte sectors */
    bool read_only;
    VirtIOBlockReq *inflight;       /* submitted to the block layer, for reset/unplug */
} VirtIOBlock;

/* The properties of every virtio-blk-* type; S is the qdev struct, F its VirtIOBlock. */
#define DEFINE_VIRTIO_BLK_PROPS(S, F) \
    DEFINE_PROP_DRIVE("drive", S, F.drive), \
    DEFINE_PROP_STRING("serial", S, F.serial), \
    DEFINE_PROP_UINT16_RANGE("queue-size", S, F.queue_size, 256, 4, VIRTQUEUE_MAX_SIZE), \
    DEFINE_PROP_BOOL("discard", S, F.discard, true), \
    DEFINE_PROP_BOOL("write-zeroes", S, F.write_zeroes, true)

/* Checks the properties, claims the drive, sets up the model. -1 with *errp. */
int virtio_blk_realize(VirtIOBlock *s, DeviceState *owner, Error **errp);
/* Orphans requests in flight (their completions only free them) and frees the model. */
void virtio_blk_unrealize(VirtIOBlock *s);

/* A device of type (virtio-blk-device, virtio-blk-pci) on bus (NULL: the first with room)
 * for each -drive if=virtio, in command-line order. -1 with *errp. */
int virtio_blk_create_for_drives(const char *type, BusState *bus, Error **errp);
/* hw/virtio/virtio-blk-pci.c: the same with virtio-blk-pci on pci_bus (first free slots). */
int virtio_blk_pci_create_drives(BusState *pci_bus, Error **errp);

extern const DeviceType virtio_blk_device_type;
extern const DeviceType virtio_blk_pci_device_type;

#endif
