/* Split virtqueues (VIRTIO 1.2, "Split Virtqueues"): the descriptor table, the available
 * and used rings in guest memory, read and written only through the checked DMA functions.
 * Every chain is walked with bounds on indices, on its length (a loop is an error, not a
 * hang) and on the guest RAM its segments cover, before the device sees it. Indirect
 * descriptors, VIRTIO_RING_F_EVENT_IDX and the flag-based notification suppression. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hw/virtio/virtio-internal.h"
#include "util/cutils.h"

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY 1
#define VRING_DESC_SIZE 16
#define VRING_USED_ELEM_SIZE 8

typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VRingDesc;

/* The segments of the chain being walked, before they are copied into the element. */
typedef struct ChainWalk {
    VirtIOSeg seg[VIRTQUEUE_MAX_SIZE];
    unsigned out_num, in_num;
} ChainWalk;

static uint16_t le16_at(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t le32_at(const uint8_t *p) { return le16_at(p) | ((uint32_t)le16_at(p + 2) << 16); }

/* ---- ring field access (false: not in guest RAM, the device is then broken) ---- */

static bool ring_load16(VirtQueue *vq, uint64_t addr, uint16_t *value, const char *what)
{
    uint8_t b[2];
    if (dma_read(vq->vdev->dma_as, addr, b, 2) < 0) {
        virtio_error(vq->vdev, "queue %u: %s at 0x%" PRIx64 " is not in guest RAM",
                     vq->queue_index, what, addr);
        return false;
    }
    *value = le16_at(b);
    return true;
}

static bool ring_store(VirtQueue *vq, uint64_t addr, const void *buf, unsigned len,
                       const char *what)
{
    if (dma_write(vq->vdev->dma_as, addr, buf, len) < 0) {
        virtio_error(vq->vdev, "queue %u: %s at 0x%" PRIx64 " is not in guest RAM",
                     vq->queue_index, what, addr);
        return false;
    }
    return true;
}

static bool ring_store16(VirtQueue *vq, uint64_t addr, uint16_t value, const char *what)
{
    uint8_t b[2] = { (uint8_t)value, (uint8_t)(value >> 8) };
    return ring_store(vq, addr, b, 2, what);
}

static bool read_desc(VirtQueue *vq, uint64_t table, unsigned i, VRingDesc *d)
{
    uint8_t b[VRING_DESC_SIZE];
    uint64_t addr = table + (uint64_t)i * VRING_DESC_SIZE;
    if (dma_read(vq->vdev->dma_as, addr, b, sizeof(b)) < 0) {
        virtio_error(vq->vdev, "queue %u: descriptor at 0x%" PRIx64 " is not in guest RAM",
                     vq->queue_index, addr);
        return false;
    }
    d->addr = (uint64_t)le32_at(b) | ((uint64_t)le32_at(b + 4) << 32);
    d->len = le32_at(b + 8);
    d->flags = le16_at(b + 12);
    d->next = le16_at(b + 14);
    return true;
}

static uint64_t avail_ring_entry(VirtQueue *vq, unsigned i)
{
    return vq->avail + 4 + 2ull * i;
}

static uint64_t used_event_addr(VirtQueue *vq)
{
    return vq->avail + 4 + 2ull * vq->num;       /* after the avail ring */
}

static uint64_t avail_event_addr(VirtQueue *vq)
{
    return vq->used + 4 + (uint64_t)VRING_USED_ELEM_SIZE * vq->num;
}

/* ---- walking a chain ---- */

/* Adds one buffer; writable buffers must all come after the readable ones. */
static bool walk_add(VirtQueue *vq, ChainWalk *w, const VRingDesc *d)
{
    bool write = d->flags & VRING_DESC_F_WRITE;
    if (d->len == 0) {
        return true;                            /* nothing to transfer */
    }
    if (!write && w->in_num) {
        virtio_error(vq->vdev, "queue %u: readable buffer after a writable one",
                     vq->queue_index);
        return false;
    }
    if (w->out_num + w->in_num == VIRTQUEUE_MAX_SIZE) {
        virtio_error(vq->vdev, "queue %u: chain of more than %u buffers", vq->queue_index,
                     VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (!dma_range_valid(vq->vdev->dma_as, d->addr, d->len, write)) {
        virtio_error(vq->vdev, "queue %u: buffer 0x%" PRIx64 "+0x%x is not in guest %sRAM",
                     vq->queue_index, d->addr, d->len, write ? "writable " : "");
        return false;
    }
    w->seg[w->out_num + w->in_num] = (VirtIOSeg){ d->addr, d->len };
    if (write) {
        w->in_num++;
    } else {
        w->out_num++;
    }
    return true;
}

static bool walk_table(VirtQueue *vq, ChainWalk *w, uint64_t table, unsigned size,
                       unsigned first, bool indirect);

/* An indirect descriptor: its buffer is a table of descriptors holding the whole chain
 * (it may not also have NEXT, nor appear inside an indirect table). */
static bool walk_indirect(VirtQueue *vq, ChainWalk *w, const VRingDesc *d, bool nested)
{
    if (nested || (d->flags & VRING_DESC_F_NEXT) || d->len == 0 ||
        d->len % VRING_DESC_SIZE || d->len / VRING_DESC_SIZE > VIRTQUEUE_MAX_SIZE) {
        virtio_error(vq->vdev, "queue %u: bad indirect descriptor (len %u, flags 0x%x%s)",
                     vq->queue_index, d->len, d->flags, nested ? ", nested" : "");
        return false;
    }
    if (!dma_range_valid(vq->vdev->dma_as, d->addr, d->len, false)) {
        virtio_error(vq->vdev, "queue %u: indirect table 0x%" PRIx64 "+0x%x is not in "
                     "guest RAM", vq->queue_index, d->addr, d->len);
        return false;
    }
    return walk_table(vq, w, d->addr, d->len / VRING_DESC_SIZE, 0, true);
}

/* Follows the chain starting at index first of a table of size entries. A chain that
 * visits more descriptors than the table holds loops. */
static bool walk_table(VirtQueue *vq, ChainWalk *w, uint64_t table, unsigned size,
                       unsigned first, bool indirect)
{
    unsigned i = first;
    for (unsigned visited = 0;; visited++) {
        VRingDesc d;
        if (i >= size) {
            virtio_error(vq->vdev, "queue %u: descriptor index %u of a table of %u",
                         vq->queue_index, i, size);
            return false;
        }
        if (visited == size) {
            virtio_error(vq->vdev, "queue %u: loop in a descriptor chain", vq->queue_index);
            return false;
        }
        if (!read_desc(vq, table, i, &d)) {
            return false;
        }
        if (d.flags & VRING_DESC_F_INDIRECT) {
            return walk_indirect(vq, w, &d, indirect);
        }
        if (!walk_add(vq, w, &d)) {
            return false;
        }
        if (!(d.flags & VRING_DESC_F_NEXT)) {
            return true;
        }
        i = d.next;
    }
}

/* The element and its segments in one allocation of elem_size + segments. */
static VirtQueueElement *element_new(const ChainWalk *w, size_t elem_size, uint16_t head)
{
    size_t seg_off = (MAX(elem_size, sizeof(VirtQueueElement)) + 7) & ~(size_t)7;
    unsigned n = w->out_num + w->in_num;
    VirtQueueElement *elem = xzalloc(seg_off + n * sizeof(VirtIOSeg) + 1);
    elem->index = head;
    elem->out_num = w->out_num;
    elem->in_num = w->in_num;
    elem->out_sg = (VirtIOSeg *)((char *)elem + seg_off);
    elem->in_sg = elem->out_sg + w->out_num;
    memcpy(elem->out_sg, w->seg, n * sizeof(VirtIOSeg));
    for (unsigned i = 0; i < w->out_num; i++) {
        elem->out_len += elem->out_sg[i].len;
    }
    for (unsigned i = 0; i < w->in_num; i++) {
        elem->in_len += elem->in_sg[i].len;
    }
    return elem;
}

/* ---- the device's view ---- */

static bool queue_usable(VirtQueue *vq)
{
    return vq->ready && vq->num && !vq->vdev->broken && vq->vdev->dma_as;
}

/* Entries the driver made available that we have not popped; false if the index is
 * unreadable or impossible (more than the ring holds). */
static bool avail_pending(VirtQueue *vq, uint16_t *pending)
{
    uint16_t avail_idx;
    if (!ring_load16(vq, vq->avail + 2, &avail_idx, "avail index")) {
        return false;
    }
    *pending = (uint16_t)(avail_idx - vq->last_avail_idx);
    if (*pending > vq->num) {
        virtio_error(vq->vdev, "queue %u: avail index %u is %u entries ahead of %u "
                     "(ring of %u)", vq->queue_index, avail_idx, *pending,
                     vq->last_avail_idx, vq->num);
        return false;
    }
    return true;
}

bool virtio_queue_empty(VirtQueue *vq)
{
    uint16_t pending;
    return !queue_usable(vq) || !avail_pending(vq, &pending) || pending == 0;
}

void *virtqueue_pop(VirtQueue *vq, size_t elem_size)
{
    uint16_t pending, head;
    if (!queue_usable(vq) || !avail_pending(vq, &pending) || pending == 0) {
        return NULL;
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE);    /* ring entries after the index */
    if (!ring_load16(vq, avail_ring_entry(vq, vq->last_avail_idx % vq->num), &head,
                     "avail ring entry")) {
        return NULL;
    }
    ChainWalk *w = xmalloc(sizeof(*w));
    w->out_num = w->in_num = 0;
    VirtQueueElement *elem = NULL;
    if (walk_table(vq, w, vq->desc, vq->num, head, false)) {
        elem = element_new(w, elem_size, head);
        vq->last_avail_idx++;
        vq->inuse++;
        if (virtio_has_feature(vq->vdev, VIRTIO_RING_F_EVENT_IDX) && vq->notification) {
            ring_store16(vq, avail_event_addr(vq), vq->last_avail_idx, "avail event");
        }
    }
    free(w);
    return elem;
}

void virtqueue_unpop(VirtQueue *vq)
{
    vq->last_avail_idx--;
    vq->inuse--;
}

void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem, uint32_t len,
                    unsigned offset)
{
    uint8_t e[VRING_USED_ELEM_SIZE];
    uint32_t id = elem->index;
    for (int i = 0; i < 4; i++) {
        e[i] = (uint8_t)(id >> (8 * i));
        e[4 + i] = (uint8_t)(len >> (8 * i));
    }
    vq->inuse--;
    if (!queue_usable(vq)) {
        return;                 /* reset or broken while the request was in flight */
    }
    uint16_t slot = (uint16_t)(vq->used_idx + offset);
    uint64_t at = vq->used + 4 + (uint64_t)VRING_USED_ELEM_SIZE * (slot % vq->num);
    ring_store(vq, at, e, sizeof(e), "used ring entry");
}

void virtqueue_flush(VirtQueue *vq, unsigned count)
{
    if (!queue_usable(vq)) {
        return;
    }
    __atomic_thread_fence(__ATOMIC_RELEASE);    /* the entries before the index */
    vq->used_idx = (uint16_t)(vq->used_idx + count);
    ring_store16(vq, vq->used + 2, vq->used_idx, "used index");
}

void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem, uint32_t len)
{
    virtqueue_fill(vq, elem, len, 0);
    virtqueue_flush(vq, 1);
}

/* Event index (2.7.7.2 / 2.7.10): interrupt when the used index crossed used_event since
 * the last interrupt. */
static bool vring_need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

static bool should_interrupt(VirtQueue *vq)
{
    VirtIODevice *vdev = vq->vdev;
    uint16_t flags, used_event;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* our used index before their fields */
    if (virtio_has_feature(vdev, VIRTIO_F_NOTIFY_ON_EMPTY) && vq->inuse == 0 &&
        virtio_queue_empty(vq)) {
        return true;
    }
    if (!virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        return ring_load16(vq, vq->avail, &flags, "avail flags") &&
               !(flags & VRING_AVAIL_F_NO_INTERRUPT);
    }
    uint16_t old_idx = vq->signalled_used;
    bool valid = vq->signalled_used_valid;
    vq->signalled_used = vq->used_idx;
    vq->signalled_used_valid = true;
    if (!ring_load16(vq, used_event_addr(vq), &used_event, "used event")) {
        return false;
    }
    return !valid || vring_need_event(used_event, vq->used_idx, old_idx);
}

void virtio_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    if (queue_usable(vq) && should_interrupt(vq)) {
        virtio_raise_queue_irq(vdev);
    }
}

void virtio_queue_set_notification(VirtQueue *vq, bool enable)
{
    uint16_t avail_idx;
    vq->notification = enable;
    if (!queue_usable(vq)) {
        return;
    }
    if (virtio_has_feature(vq->vdev, VIRTIO_RING_F_EVENT_IDX)) {
        if (enable && ring_load16(vq, vq->avail + 2, &avail_idx, "avail index")) {
            ring_store16(vq, avail_event_addr(vq), avail_idx, "avail event");
        }
    } else {
        ring_store16(vq, vq->used, enable ? 0 : VRING_USED_F_NO_NOTIFY, "used flags");
    }
    if (enable) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);  /* then the caller re-checks the ring */
    }
}

/* ---- copying to and from the segments ---- */

typedef int SegCopy(AddressSpace *as, uint64_t addr, void *buf, uint64_t len);

static uint64_t elem_copy(VirtIODevice *vdev, const VirtIOSeg *sg, unsigned n,
                          uint64_t offset, uint8_t *buf, uint64_t len, SegCopy *copy)
{
    uint64_t done = 0;
    for (unsigned i = 0; i < n && done < len; i++) {
        if (offset >= sg[i].len) {
            offset -= sg[i].len;
            continue;
        }
        uint64_t chunk = MIN(sg[i].len - offset, len - done);
        if (copy(vdev->dma_as, sg[i].addr + offset, buf + done, chunk) < 0) {
            break;
        }
        done += chunk;
        offset = 0;
    }
    return done;
}

static int seg_read(AddressSpace *as, uint64_t addr, void *buf, uint64_t len)
{
    return dma_read(as, addr, buf, len);
}

static int seg_write(AddressSpace *as, uint64_t addr, void *buf, uint64_t len)
{
    return dma_write(as, addr, buf, len);
}

uint64_t virtio_elem_to_buf(VirtIODevice *vdev, const VirtQueueElement *elem, uint64_t offset,
                            void *buf, uint64_t len)
{
    return elem_copy(vdev, elem->out_sg, elem->out_num, offset, buf, len, seg_read);
}

uint64_t virtio_elem_from_buf(VirtIODevice *vdev, const VirtQueueElement *elem,
                              uint64_t offset, const void *buf, uint64_t len)
{
    return elem_copy(vdev, elem->in_sg, elem->in_num, offset, (uint8_t *)buf, len, seg_write);
}
