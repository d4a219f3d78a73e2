/* The virtio-pci transport (VIRTIO 1.2, "Virtio Over PCI Bus"): vendor-specific
 * capabilities locating the common configuration, ISR, device configuration and notify
 * structures in 32-bit memory BAR 4, the PCI configuration access capability (BAR access
 * through configuration space, as firmware may use), and for transitional devices the
 * legacy register block in I/O BAR 0. Interrupts through INTx (no MSI-X capability, so
 * drivers read the vector registers as NO_VECTOR). */
#include <string.h>
#include "hw/virtio/virtio-pci.h"
#include "system/machine.h"
#include "util/cutils.h"
#include "util/log.h"

/* Capability types and the layout of BAR 4 */
enum { CAP_COMMON = 1, CAP_NOTIFY = 2, CAP_ISR = 3, CAP_DEVICE = 4, CAP_PCI_CFG = 5 };
#define PCI_CAP_ID_VNDR 0x09
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAPABILITY_LIST 0x34
#define REGION_SIZE 0x1000
#define COMMON_OFF 0x0000
#define ISR_OFF 0x1000
#define DEVICE_OFF 0x2000
#define NOTIFY_OFF 0x3000
#define NOTIFY_MULTIPLIER 4
#define NO_VECTOR 0xffff

/* struct virtio_pci_common_cfg */
enum {
    CC_DFSELECT = 0x00, CC_DF = 0x04, CC_GFSELECT = 0x08, CC_GF = 0x0c, CC_MSIX = 0x10,
    CC_NUMQ = 0x12, CC_STATUS = 0x14, CC_CFG_GEN = 0x15, CC_Q_SELECT = 0x16,
    CC_Q_SIZE = 0x18, CC_Q_MSIX = 0x1a, CC_Q_ENABLE = 0x1c, CC_Q_NOFF = 0x1e,
    CC_Q_DESCLO = 0x20, CC_Q_DESCHI = 0x24, CC_Q_AVAILLO = 0x28, CC_Q_AVAILHI = 0x2c,
    CC_Q_USEDLO = 0x30, CC_Q_USEDHI = 0x34, CC_SIZE = 0x38,
};

/* Legacy I/O registers (no MSI-X: the configuration follows at 0x14) */
enum {
    LEG_HOST_FEATURES = 0x00, LEG_GUEST_FEATURES = 0x04, LEG_QUEUE_PFN = 0x08,
    LEG_QUEUE_NUM = 0x0c, LEG_QUEUE_SEL = 0x0e, LEG_QUEUE_NOTIFY = 0x10, LEG_STATUS = 0x12,
    LEG_ISR = 0x13, LEG_CONFIG = 0x14,
};

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint32_t get_le(const uint8_t *p, unsigned n)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        v |= (uint32_t)p[i] << (8 * i);
    }
    return v;
}

static VirtQueue *selected_queue(VirtIOPCIProxy *p)
{
    return virtio_get_queue(p->vdev, p->queue_sel);
}

static uint16_t count_queues(VirtIODevice *vdev)
{
    uint16_t n = 0;
    while (n < VIRTIO_QUEUE_MAX && vdev->vq[n].num_max) {
        n++;
    }
    return n;
}

/* ---- common configuration (modern) ---- */

static void common_fill(VirtIOPCIProxy *p, uint8_t *cc)
{
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = selected_queue(p);
    unsigned dsel = p->device_features_sel, gsel = p->driver_features_sel;
    memset(cc, 0, CC_SIZE);
    put_le(cc + CC_DFSELECT, dsel, 4);
    put_le(cc + CC_DF, dsel < 2 ? virtio_host_features(vdev) >> (32 * dsel) : 0, 4);
    put_le(cc + CC_GFSELECT, gsel, 4);
    put_le(cc + CC_GF, gsel < 2 ? vdev->guest_features >> (32 * gsel) : 0, 4);
    put_le(cc + CC_MSIX, NO_VECTOR, 2);
    put_le(cc + CC_NUMQ, count_queues(vdev), 2);
    cc[CC_STATUS] = vdev->status;
    cc[CC_CFG_GEN] = (uint8_t)vdev->config_generation;
    put_le(cc + CC_Q_SELECT, p->queue_sel, 2);
    put_le(cc + CC_Q_MSIX, NO_VECTOR, 2);
    if (vq) {
        put_le(cc + CC_Q_SIZE, vq->num, 2);
        put_le(cc + CC_Q_ENABLE, vq->ready, 2);
        put_le(cc + CC_Q_NOFF, vq->queue_index, 2);
        put_le(cc + CC_Q_DESCLO, vq->desc, 8);
        put_le(cc + CC_Q_AVAILLO, vq->avail, 8);
        put_le(cc + CC_Q_USEDLO, vq->used, 8);
    }
}

static uint64_t common_read(VirtIOPCIProxy *p, hwaddr off, unsigned size)
{
    uint8_t cc[CC_SIZE];
    if (off >= CC_SIZE || size > CC_SIZE - off) {
        return 0;
    }
    common_fill(p, cc);
    return get_le(cc + off, size);
}

static void set_half(uint64_t *addr, bool high, uint32_t value)
{
    *addr = high ? (*addr & 0xffffffffull) | ((uint64_t)value << 32)
                 : (*addr & ~0xffffffffull) | value;
}

static void common_write_features(VirtIOPCIProxy *p, uint32_t value)
{
    uint64_t f = p->vdev->guest_features;
    if (p->driver_features_sel < 2) {
        set_half(&f, p->driver_features_sel == 1, value);
        virtio_set_guest_features(p->vdev, f);
    }
}

static void common_write_status(VirtIOPCIProxy *p, uint8_t status)
{
    p->vdev->legacy = false;
    virtio_set_status(p->vdev, status);
    if (status == 0) {
        p->device_features_sel = p->driver_features_sel = p->queue_sel = 0;
    }
}

static void common_write_queue(VirtIOPCIProxy *p, hwaddr off, uint32_t value)
{
    VirtQueue *vq = selected_queue(p);
    if (!vq) {
        return;
    }
    switch (off) {
    case CC_Q_SIZE: virtio_queue_set_num(vq, value & 0xffff); break;
    case CC_Q_ENABLE: vq->ready = vq->ready || (value & 1); break;   /* 0 is not allowed */
    case CC_Q_DESCLO: case CC_Q_DESCHI: set_half(&vq->desc, off == CC_Q_DESCHI, value); break;
    case CC_Q_AVAILLO: case CC_Q_AVAILHI:
        set_half(&vq->avail, off == CC_Q_AVAILHI, value);
        break;
    case CC_Q_USEDLO: case CC_Q_USEDHI: set_half(&vq->used, off == CC_Q_USEDHI, value); break;
    }
}

static void common_write(VirtIOPCIProxy *p, hwaddr off, uint32_t value)
{
    switch (off) {
    case CC_DFSELECT: p->device_features_sel = value; break;
    case CC_GFSELECT: p->driver_features_sel = value; break;
    case CC_GF: common_write_features(p, value); break;
    case CC_STATUS: common_write_status(p, (uint8_t)value); break;
    case CC_Q_SELECT: p->queue_sel = (uint16_t)value; break;
    case CC_MSIX: case CC_Q_MSIX: break;                /* no MSI-X: reads NO_VECTOR */
    default: common_write_queue(p, off, value);
    }
}

/* ---- BAR 4 ---- */

static uint64_t modern_read(void *opaque, hwaddr addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    hwaddr off = addr % REGION_SIZE;
    switch (addr / REGION_SIZE) {
    case COMMON_OFF / REGION_SIZE: return common_read(p, off, size);
    case ISR_OFF / REGION_SIZE: return off == 0 ? virtio_isr_read_clear(p->vdev) : 0;
    case DEVICE_OFF / REGION_SIZE: return virtio_config_read(p->vdev, (uint32_t)off, size);
    default: return 0;                                  /* notify: write-only */
    }
}

static void modern_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    hwaddr off = addr % REGION_SIZE;
    switch (addr / REGION_SIZE) {
    case COMMON_OFF / REGION_SIZE: common_write(p, off, (uint32_t)value); break;
    case DEVICE_OFF / REGION_SIZE:
        virtio_config_write(p->vdev, (uint32_t)off, size, (uint32_t)value);
        break;
    case NOTIFY_OFF / REGION_SIZE:
        virtio_queue_notify(p->vdev, (unsigned)(off / NOTIFY_MULTIPLIER));
        break;
    }
}

static const MemoryRegionOps modern_ops = {
    .read = modern_read, .write = modern_write, .valid_min = 1, .valid_max = 4,
};

/* ---- the legacy I/O BAR ---- */

static uint64_t legacy_read(void *opaque, hwaddr off, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = selected_queue(p);
    uint8_t regs[LEG_CONFIG];
    if (off >= LEG_CONFIG) {
        return virtio_config_read(vdev, (uint32_t)(off - LEG_CONFIG), size);
    }
    if (off == LEG_ISR) {
        return virtio_isr_read_clear(vdev);
    }
    put_le(regs + LEG_HOST_FEATURES, vdev->host_features & VIRTIO_LEGACY_FEATURES_MASK, 4);
    put_le(regs + LEG_GUEST_FEATURES, vdev->guest_features, 4);
    put_le(regs + LEG_QUEUE_PFN, vq && vq->ready ? vq->desc / VIRTIO_LEGACY_ALIGN : 0, 4);
    put_le(regs + LEG_QUEUE_NUM, vq ? vq->num_max : 0, 2);
    put_le(regs + LEG_QUEUE_SEL, p->queue_sel, 2);
    put_le(regs + LEG_QUEUE_NOTIFY, 0, 2);
    regs[LEG_STATUS] = vdev->status;
    regs[LEG_ISR] = 0;
    return get_le(regs + off, (unsigned)MIN(size, LEG_CONFIG - off));
}

static void legacy_write_reg(VirtIOPCIProxy *p, hwaddr off, uint32_t value)
{
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = selected_queue(p);
    switch (off) {
    case LEG_GUEST_FEATURES:
        vdev->legacy = true;
        virtio_set_guest_features(vdev, value);
        break;
    case LEG_QUEUE_PFN:
        if (vq) {
            vdev->legacy = true;
            virtio_queue_set_legacy_pfn(vq, value);
        }
        break;
    case LEG_QUEUE_SEL: p->queue_sel = (uint16_t)value; break;
    case LEG_QUEUE_NOTIFY: virtio_queue_notify(vdev, value & 0xffff); break;
    case LEG_STATUS:
        if (value & 0xff) {
            vdev->legacy = true;
        }
        virtio_set_status(vdev, (uint8_t)value);
        break;
    }
}

static void legacy_write(void *opaque, hwaddr off, uint64_t value, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    if (off >= LEG_CONFIG) {
        virtio_config_write(p->vdev, (uint32_t)(off - LEG_CONFIG), size, (uint32_t)value);
    } else {
        legacy_write_reg(p, off, (uint32_t)value);
    }
}

static const MemoryRegionOps legacy_ops = {
    .read = legacy_read, .write = legacy_write, .valid_min = 1, .valid_max = 4,
};

/* ---- capabilities and the PCI configuration access window ---- */

/* struct virtio_pci_cap at off (16 bytes, 20 with the notify multiplier or cfg data). */
static void add_cap(PCIDevice *d, uint8_t off, uint8_t next, uint8_t type, uint8_t len,
                    uint32_t bar_off, uint32_t length)
{
    uint8_t *c = d->config + off;
    c[0] = PCI_CAP_ID_VNDR;
    c[1] = next;
    c[2] = len;
    c[3] = type;
    c[4] = type == CAP_PCI_CFG ? 0 : VIRTIO_PCI_MODERN_BAR;
    put_le(c + 8, bar_off, 4);
    put_le(c + 12, length, 4);
    if (type == CAP_NOTIFY) {
        put_le(c + 16, NOTIFY_MULTIPLIER, 4);
    }
}

static void add_caps(VirtIOPCIProxy *p)
{
    PCIDevice *d = &p->pci;
    d->config[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
    d->config[PCI_CAPABILITY_LIST] = 0x40;
    add_cap(d, 0x40, 0x50, CAP_COMMON, 16, COMMON_OFF, REGION_SIZE);
    add_cap(d, 0x50, 0x60, CAP_ISR, 16, ISR_OFF, REGION_SIZE);
    add_cap(d, 0x60, 0x70, CAP_DEVICE, 16, DEVICE_OFF, REGION_SIZE);
    add_cap(d, 0x70, 0x84, CAP_NOTIFY, 20, NOTIFY_OFF, REGION_SIZE);
    add_cap(d, 0x84, 0x00, CAP_PCI_CFG, 20, 0, 0);
    p->pci_cfg_cap = 0x84;
    d->wmask[0x84 + 4] = 0xff;                          /* bar */
    memset(d->wmask + 0x84 + 8, 0xff, 12);              /* offset, length, data */
}

static bool overlaps_data(VirtIOPCIProxy *p, uint32_t addr, unsigned len)
{
    uint32_t data = p->pci_cfg_cap + 16u;
    return p->pci_cfg_cap && addr < data + 4 && data < addr + len;
}

/* The window's access: BAR 4 at cap.offset, cap.length (1, 2 or 4) bytes, aligned. */
static bool window_access(VirtIOPCIProxy *p, uint32_t *offset, unsigned *len)
{
    const uint8_t *c = p->pci.config + p->pci_cfg_cap;
    *offset = get_le(c + 8, 4);
    *len = get_le(c + 12, 4);
    return c[4] == VIRTIO_PCI_MODERN_BAR && (*len == 1 || *len == 2 || *len == 4) &&
           *offset % *len == 0 && *offset < VIRTIO_PCI_MODERN_SIZE;
}

static uint32_t virtio_pci_config_read(PCIDevice *d, uint32_t addr, unsigned len)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)d;
    uint32_t off;
    unsigned n;
    if (overlaps_data(p, addr, len) && window_access(p, &off, &n)) {
        put_le(d->config + p->pci_cfg_cap + 16, modern_read(p, off, n), n);
    }
    return pci_default_read_config(d, addr, len);
}

static void virtio_pci_config_write(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)d;
    uint32_t off;
    unsigned n;
    pci_default_write_config(d, addr, val, len);
    if (overlaps_data(p, addr, len) && window_access(p, &off, &n)) {
        modern_write(p, off, get_le(d->config + p->pci_cfg_cap + 16, n), n);
    }
}

/* ---- life cycle ---- */

static void virtio_pci_update_irq(void *opaque)
{
    VirtIOPCIProxy *p = opaque;
    pci_set_irq(&p->pci, p->vdev->isr != 0);
}

static const VirtIOTransportOps virtio_pci_transport = { .update_irq = virtio_pci_update_irq };

static unsigned pow2_at_least(unsigned n)
{
    unsigned v = 32;
    while (v < n) {
        v <<= 1;
    }
    return v;
}

int virtio_pci_realize(VirtIOPCIProxy *p, VirtIODevice *vdev, uint16_t class_id,
                       uint16_t legacy_device_id, Error **errp)
{
    PCIDevice *d = &p->pci;
    p->vdev = vdev;
    p->transitional = legacy_device_id && !p->disable_legacy;
    uint16_t device_id = p->transitional ? legacy_device_id : 0x1040 + vdev->ops->device_id;
    d->config_read = virtio_pci_config_read;
    d->config_write = virtio_pci_config_write;
    if (pci_device_init(d, VIRTIO_PCI_VENDOR, device_id, p->transitional ? 0 : 1, class_id,
                        errp) < 0) {
        return -1;
    }
    pci_set_word(d->config + PCI_SUBSYSTEM_ID, vdev->ops->device_id);
    d->config[PCI_INTERRUPT_PIN] = 1;
    add_caps(p);
    memory_region_init_io(&p->modern_bar, &modern_ops, p, "virtio-pci-modern",
                          VIRTIO_PCI_MODERN_SIZE);
    pci_register_bar(d, VIRTIO_PCI_MODERN_BAR, 0, &p->modern_bar);
    if (p->transitional) {
        memory_region_init_io(&p->legacy_bar, &legacy_ops, p, "virtio-pci-legacy",
                              pow2_at_least(LEG_CONFIG + (unsigned)vdev->config_len));
        pci_register_bar(d, VIRTIO_PCI_LEGACY_BAR, PCI_BAR_IO, &p->legacy_bar);
    }
    Machine *m = current_machine();
    virtio_bind_transport(vdev, &virtio_pci_transport, p, m ? &m->as_memory : NULL);
    return 0;
}

void virtio_pci_unrealize(VirtIOPCIProxy *p)
{
    pci_device_exit(&p->pci);
    memory_region_destroy(&p->modern_bar);
    if (p->transitional) {
        memory_region_destroy(&p->legacy_bar);
    }
}

void virtio_pci_reset(VirtIOPCIProxy *p)
{
    p->device_features_sel = p->driver_features_sel = p->queue_sel = 0;
    virtio_reset(p->vdev);
    pci_device_reset_common(&p->pci);
}
