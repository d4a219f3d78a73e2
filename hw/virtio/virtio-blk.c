/* The virtio block device (VIRTIO 1.2, "Block Device"): requests popped from the one
 * queue are checked (headers present, sector range inside the disk, whole sectors, size
 * bounded) and handed to the block layer's asynchronous API through a bounce buffer; the
 * completion copies read data to the guest, writes the status byte and interrupts.
 * Also the virtio-blk-device type that plugs into a virtio-mmio transport. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-mmio.h"
#include "util/cutils.h"

#define SECTOR 512u
#define REQ_HEADER_SIZE 16                  /* type, ioprio, sector */
#define DISCARD_SEG_SIZE 16                 /* sector, num_sectors, flags */
#define MAX_DISCARD_SECTORS 0x3fffffu       /* 2 GiB - 512 per request */
#define VIRTIO_BLK_WRITE_ZEROES_F_UNMAP 1

struct VirtIOBlockReq {
    VirtQueueElement elem;                  /* first: virtqueue_pop allocates the request */
    VirtIOBlock *blk;                       /* NULL once orphaned by a reset or unplug */
    VirtQueue *vq;
    VirtIOBlockReq *next, **pprev;          /* the in-flight list */
    uint8_t *buf;
    uint64_t len;
    uint32_t type;
};

static VirtIOBlock *to_blk(VirtIODevice *vdev)
{
    return (VirtIOBlock *)vdev;             /* vdev is the first member */
}

static BlockDriverState *blk_bs(VirtIOBlock *s)
{
    return ((DriveInfo *)s->drive)->bs;
}

static uint64_t ld_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static void st_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* ---- completion ---- */

static void req_unlink(VirtIOBlockReq *req)
{
    if (req->pprev) {
        *req->pprev = req->next;
        if (req->next) {
            req->next->pprev = req->pprev;
        }
        req->pprev = NULL;
    }
}

/* Status byte (the last byte the driver gave us to write), used ring, interrupt. */
static void req_complete(VirtIOBlockReq *req, uint8_t status, uint64_t data_written)
{
    VirtIOBlock *s = req->blk;
    req_unlink(req);
    if (s) {
        VirtIODevice *vdev = &s->vdev;
        virtio_elem_from_buf(vdev, &req->elem, req->elem.in_len - 1, &status, 1);
        virtqueue_push(req->vq, &req->elem, (uint32_t)(data_written + 1));
        virtio_notify(vdev, req->vq);
    }
    free(req->buf);
    free(req);
}

static void req_aio_done(void *opaque, int ret)
{
    VirtIOBlockReq *req = opaque;
    uint64_t written = 0;
    if (ret == 0 && req->blk && req->type == VIRTIO_BLK_T_IN) {
        written = virtio_elem_from_buf(&req->blk->vdev, &req->elem, 0, req->buf, req->len);
    }
    req_complete(req, ret == 0 ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR, written);
}

static void req_submitted(VirtIOBlock *s, VirtIOBlockReq *req)
{
    req->next = s->inflight;
    if (s->inflight) {
        s->inflight->pprev = &req->next;
    }
    s->inflight = req;
    req->pprev = &s->inflight;
}

/* ---- request types ---- */

/* The data range of a read or write: whole sectors inside the disk, bounded size. */
static bool range_ok(VirtIOBlock *s, uint64_t sector, uint64_t bytes)
{
    return bytes % SECTOR == 0 && bytes <= VIRTIO_BLK_MAX_TRANSFER && sector <= s->sectors &&
           bytes / SECTOR <= s->sectors - sector;
}

static void blk_rw(VirtIOBlock *s, VirtIOBlockReq *req, uint64_t sector)
{
    bool write = req->type == VIRTIO_BLK_T_OUT;
    req->len = write ? req->elem.out_len - REQ_HEADER_SIZE : req->elem.in_len - 1;
    if (!range_ok(s, sector, req->len) || (write && s->read_only)) {
        req_complete(req, VIRTIO_BLK_S_IOERR, 0);
        return;
    }
    req->buf = xmalloc(req->len ? req->len : 1);
    req_submitted(s, req);
    if (write) {
        virtio_elem_to_buf(&s->vdev, &req->elem, REQ_HEADER_SIZE, req->buf, req->len);
        block_aio_pwrite(blk_bs(s), sector * SECTOR, req->buf, req->len, req_aio_done, req);
    } else {
        block_aio_pread(blk_bs(s), sector * SECTOR, req->buf, req->len, req_aio_done, req);
    }
}

static void blk_get_id(VirtIOBlock *s, VirtIOBlockReq *req)
{
    const char *serial = s->serial ? s->serial : "";
    /* NUL-terminated when shorter than the 20 bytes, as QEMU's */
    uint64_t n = MIN(MIN(strlen(serial) + 1, (uint64_t)VIRTIO_BLK_ID_BYTES), req->elem.in_len - 1);
    req_complete(req, VIRTIO_BLK_S_OK, virtio_elem_from_buf(&s->vdev, &req->elem, 0, serial, n));
}

/* Discard and write zeroes: one segment {sector, num_sectors, flags}. */
static void blk_discard_zeroes(VirtIOBlock *s, VirtIOBlockReq *req)
{
    uint8_t seg[DISCARD_SEG_SIZE];
    bool zeroes = req->type == VIRTIO_BLK_T_WRITE_ZEROES;
    bool enabled = zeroes ? s->write_zeroes : s->discard;
    if (!enabled || req->elem.out_len != REQ_HEADER_SIZE + DISCARD_SEG_SIZE) {
        req_complete(req, enabled ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_UNSUPP, 0);
        return;
    }
    virtio_elem_to_buf(&s->vdev, &req->elem, REQ_HEADER_SIZE, seg, sizeof(seg));
    uint64_t sector = ld_le(seg, 8), count = ld_le(seg + 8, 4);
    uint32_t flags = (uint32_t)ld_le(seg + 12, 4);
    if (flags & ~(uint32_t)(zeroes ? VIRTIO_BLK_WRITE_ZEROES_F_UNMAP : 0)) {
        req_complete(req, VIRTIO_BLK_S_UNSUPP, 0);
        return;
    }
    if (s->read_only || count > MAX_DISCARD_SECTORS || sector > s->sectors ||
        count > s->sectors - sector) {
        req_complete(req, VIRTIO_BLK_S_IOERR, 0);
        return;
    }
    req_submitted(s, req);
    if (zeroes) {
        block_aio_pwrite_zeroes(blk_bs(s), sector * SECTOR, count * SECTOR,
                                (flags & 1) ? BLOCK_ZERO_MAY_UNMAP : 0, req_aio_done, req);
    } else {
        block_aio_discard(blk_bs(s), sector * SECTOR, count * SECTOR, req_aio_done, req);
    }
}

static void blk_handle_request(VirtIOBlock *s, VirtIOBlockReq *req)
{
    uint8_t hdr[REQ_HEADER_SIZE];
    if (req->elem.out_len < REQ_HEADER_SIZE || req->elem.in_len < 1) {
        virtio_error(&s->vdev, "request %u without header or status byte", req->elem.index);
        free(req);
        return;
    }
    virtio_elem_to_buf(&s->vdev, &req->elem, 0, hdr, sizeof(hdr));
    req->type = (uint32_t)ld_le(hdr, 4);
    uint64_t sector = ld_le(hdr + 8, 8);
    switch (req->type) {
    case VIRTIO_BLK_T_IN: case VIRTIO_BLK_T_OUT: blk_rw(s, req, sector); break;
    case VIRTIO_BLK_T_FLUSH:
        req_submitted(s, req);
        block_aio_flush(blk_bs(s), req_aio_done, req);
        break;
    case VIRTIO_BLK_T_GET_ID: blk_get_id(s, req); break;
    case VIRTIO_BLK_T_DISCARD: case VIRTIO_BLK_T_WRITE_ZEROES: blk_discard_zeroes(s, req); break;
    default: req_complete(req, VIRTIO_BLK_S_UNSUPP, 0);
    }
}

/* Kicks are suppressed while the queue is drained; the re-check after re-enabling them
 * catches requests made available in between. */
static void blk_handle_output(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBlock *s = to_blk(vdev);
    do {
        virtio_queue_set_notification(vq, false);
        VirtIOBlockReq *req;
        while ((req = virtqueue_pop(vq, sizeof(VirtIOBlockReq)))) {
            req->blk = s;
            req->vq = vq;
            blk_handle_request(s, req);
        }
        virtio_queue_set_notification(vq, true);
    } while (!vdev->broken && !virtio_queue_empty(vq));
}

/* ---- the model ---- */

static void blk_orphan_all(VirtIOBlock *s)
{
    for (VirtIOBlockReq *req = s->inflight; req; req = req->next) {
        req->blk = NULL;
        req->pprev = NULL;
    }
    s->inflight = NULL;
}

static void blk_reset(VirtIODevice *vdev)
{
    blk_orphan_all(to_blk(vdev));
}

static void blk_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOBlock *s = to_blk(vdev);
    uint32_t align = block_get_cluster_size(blk_bs(s)) / SECTOR;
    memset(config, 0, VIRTIO_BLK_CFG_SIZE);
    st_le(config + VIRTIO_BLK_CFG_CAPACITY, s->sectors, 8);
    st_le(config + VIRTIO_BLK_CFG_SEG_MAX, s->queue_size - 2u, 4);
    st_le(config + VIRTIO_BLK_CFG_BLK_SIZE, SECTOR, 4);
    st_le(config + VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS, MAX_DISCARD_SECTORS, 4);
    st_le(config + VIRTIO_BLK_CFG_MAX_DISCARD_SEG, 1, 4);
    st_le(config + VIRTIO_BLK_CFG_DISCARD_ALIGNMENT, align ? align : 1, 4);
    st_le(config + VIRTIO_BLK_CFG_MAX_WRITE_ZEROES_SECTORS, MAX_DISCARD_SECTORS, 4);
    st_le(config + VIRTIO_BLK_CFG_MAX_WRITE_ZEROES_SEG, 1, 4);
    config[VIRTIO_BLK_CFG_WRITE_ZEROES_MAY_UNMAP] = 1;
}

static const VirtIODeviceOps virtio_blk_ops = {
    .name = "virtio-blk",
    .device_id = VIRTIO_ID_BLOCK,
    .get_config = blk_get_config,
    .reset = blk_reset,
};

static uint64_t blk_features(VirtIOBlock *s)
{
    uint64_t f = (1ull << VIRTIO_BLK_F_SEG_MAX) | (1ull << VIRTIO_BLK_F_BLK_SIZE) |
                 (1ull << VIRTIO_BLK_F_FLUSH);
    if (s->read_only) {
        f |= 1ull << VIRTIO_BLK_F_RO;
    }
    if (s->discard && !s->read_only) {
        f |= 1ull << VIRTIO_BLK_F_DISCARD;
    }
    if (s->write_zeroes && !s->read_only) {
        f |= 1ull << VIRTIO_BLK_F_WRITE_ZEROES;
    }
    return f;
}

/* Attaches the drive as a guest disk: the device writes it and lets nobody else. */
static int blk_attach_drive(VirtIOBlock *s, DeviceState *owner, Error **errp)
{
    DriveInfo *d = s->drive;
    if (!d) {
        error_setg(errp, "drive property not set");
        return -1;
    }
    if (d->cdrom || !d->bs) {
        error_setg(errp, "drive %s %s: virtio-blk takes disks", d->id,
                   d->cdrom ? "is a CD-ROM (media=cdrom)" : "has no medium");
        return -1;
    }
    int64_t len = block_length(d->bs);
    if (len < 0) {
        error_setg(errp, "drive %s: cannot read its size", d->id);
        return -1;
    }
    s->sectors = (uint64_t)len / SECTOR;
    s->read_only = d->read_only || block_is_read_only(d->bs);
    unsigned perm = BLOCK_PERM_CONSISTENT_READ | (s->read_only ? 0 : BLOCK_PERM_WRITE);
    unsigned shared = BLOCK_PERM_ALL & ~(s->read_only ? 0u : (unsigned)BLOCK_PERM_WRITE);
    if (block_set_perm(d->bs, perm, shared, errp) < 0) {
        return -1;
    }
    return drive_claim(d, owner->type->name, errp);
}

int virtio_blk_realize(VirtIOBlock *s, DeviceState *owner, Error **errp)
{
    if (s->queue_size & (s->queue_size - 1)) {
        error_setg(errp, "queue-size %u is not a power of two", s->queue_size);
        return -1;
    }
    if (blk_attach_drive(s, owner, errp) < 0) {
        return -1;
    }
    virtio_init(&s->vdev, &virtio_blk_ops, VIRTIO_BLK_CFG_SIZE, blk_features(s));
    virtio_add_queue(&s->vdev, s->queue_size, blk_handle_output);
    s->owner = owner;
    return 0;
}

void virtio_blk_unrealize(VirtIOBlock *s)
{
    blk_orphan_all(s);
    if (s->drive) {
        ((DriveInfo *)s->drive)->claimed_by = NULL;
    }
    virtio_cleanup(&s->vdev);
}

/* ---- -drive if=virtio ---- */

typedef struct DriveCtx {
    const char *type;
    BusState *bus;
    int err;
    Error **errp;
} DriveCtx;

static void create_for_drive(DriveInfo *d, void *opaque)
{
    DriveCtx *ctx = opaque;
    if (ctx->err || strcmp(d->interface, "virtio")) {
        return;
    }
    DeviceState *dev = device_create(ctx->type, ctx->bus, ctx->errp);
    if (!dev || device_set_prop_str(dev, "drive", d->id, ctx->errp) < 0 ||
        device_realize(dev, ctx->errp) < 0) {
        error_prepend(ctx->errp, "-drive %s: ", d->id);
        if (dev) {
            device_destroy(dev);
        }
        ctx->err = -1;
    }
}

int virtio_blk_create_for_drives(const char *type, BusState *bus, Error **errp)
{
    DriveCtx ctx = { .type = type, .bus = bus, .errp = errp };
    drive_foreach(create_for_drive, &ctx);
    return ctx.err;
}

/* ---- -device virtio-blk-device (on a virtio-mmio transport) ---- */

typedef struct VirtIOBlkDevice {
    DeviceState parent_obj;
    VirtIOBlock blk;
} VirtIOBlkDevice;

static int virtio_blk_device_realize(DeviceState *dev, Error **errp)
{
    VirtIOBlkDevice *d = DEVICE_CAST(VirtIOBlkDevice, dev);
    if (virtio_blk_realize(&d->blk, dev, errp) < 0) {
        return -1;
    }
    if (virtio_bus_plug(dev, &d->blk.vdev, errp) < 0) {
        virtio_blk_unrealize(&d->blk);
        return -1;
    }
    return 0;
}

static void virtio_blk_device_unrealize(DeviceState *dev)
{
    VirtIOBlkDevice *d = DEVICE_CAST(VirtIOBlkDevice, dev);
    virtio_bus_unplug(dev);
    virtio_blk_unrealize(&d->blk);
}

static const Property virtio_blk_device_props[] = {
    DEFINE_VIRTIO_BLK_PROPS(VirtIOBlkDevice, blk),
    DEFINE_PROP_END,
};

const DeviceType virtio_blk_device_type = {
    .name = "virtio-blk-device",
    .bus_type = BUS_TYPE_VIRTIO,
    .instance_size = sizeof(VirtIOBlkDevice),
    .description = "virtio block device (on a virtio-mmio transport)",
    .user_creatable = true,
    .realize = virtio_blk_device_realize,
    .unrealize = virtio_blk_device_unrealize,
    .props = virtio_blk_device_props,
};
DEVICE_TYPE_REGISTER(virtio_blk_device_type)
