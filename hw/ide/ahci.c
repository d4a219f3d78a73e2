/* AHCI 1.3 (Serial ATA AHCI 1.3.1 specification) on Intel's ICH9 function 8086:2922
 * ("ich9-ahci", "-device ahci"): ABAR in BAR5 with the generic host control registers and
 * six ports. A port's commands come from its command list in guest memory (command header,
 * command table with the H2D register FIS, the ATAPI command and the PRD table); each port
 * is an IDE channel with one unit (core.c, ata.c, atapi.c do the ATA/ATAPI work) whose data
 * phases, PIO included, move through the PRD table with dma_read/dma_write. Completion posts
 * a D2H register FIS in the received-FIS area. No NCQ, port multipliers, MSI or staggered
 * spin-up. */
#include <stdio.h>
#include <string.h>
#include "hw/ide/ahci.h"
#include "hw/ide/ide-dev.h"
#include "system/machine.h"
#include "util/cutils.h"
#include "util/log.h"

/* generic host control */
#define HOST_CAP     0x00
#define HOST_GHC     0x04
#define HOST_IS      0x08
#define HOST_PI      0x0c
#define HOST_VS      0x10
#define HOST_CAP2    0x24
#define GHC_HR       0x01
#define GHC_IE       0x02
#define GHC_AE       0x80000000u
/* 64-bit addressing, AHCI only, Gen 1 speed, 32 command slots, six ports */
#define AHCI_CAP     (0x80000000u | 0x00040000u | (1u << 20) | (31u << 8) | (AHCI_PORTS - 1))
/* port registers (offset from 0x100 + 0x80 * port) */
#define PORT_CLB     0x00
#define PORT_CLBU    0x04
#define PORT_FB      0x08
#define PORT_FBU     0x0c
#define PORT_IS      0x10
#define PORT_IE      0x14
#define PORT_CMD     0x18
#define PORT_TFD     0x20
#define PORT_SIG     0x24
#define PORT_SSTS    0x28
#define PORT_SCTL    0x2c
#define PORT_SERR    0x30
#define PORT_SACT    0x34
#define PORT_CI      0x38
#define CMD_ST       0x0001
#define CMD_SUD      0x0002
#define CMD_POD      0x0004
#define CMD_FRE      0x0010
#define CMD_FR       0x4000
#define CMD_CR       0x8000
#define CMD_RW_BITS  0xff7c001f         /* ICC, ATAPI and others the guest may set */
#define PIS_DHRS     0x00000001
#define PIS_TFES     0x40000000u
#define PIS_MASK     0xfdc000ffu
#define PRDT_OFFSET  0x80
#define ACMD_OFFSET  0x40
#define RFIS_D2H     0x40

static inline AHCIPort *port_of(IDEBus *bus)
{
    return (AHCIPort *)((char *)bus - offsetof(AHCIPort, bus));
}

static uint64_t le_addr(uint32_t lo, uint32_t hi)
{
    return lo | ((uint64_t)hi << 32);
}

static uint32_t get_le32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

/* ---- interrupts ---------------------------------------------------------------------------- */

static void ahci_update_irq(AHCIState *s)
{
    s->is = 0;
    for (int i = 0; i < AHCI_PORTS; i++) {
        if (s->ports[i].is & s->ports[i].ie) {
            s->is |= 1u << i;
        }
    }
    pci_set_irq(&s->parent_obj, (s->ghc & GHC_IE) && s->is);
}

/* ---- FIS and task file ------------------------------------------------------------------- */

static IDEState *port_unit(AHCIPort *p)
{
    return &p->bus.ifs[0];
}

static void ahci_update_tfd(AHCIPort *p)
{
    IDEState *u = port_unit(p);
    p->tfd = u->kind == IDE_NONE ? 0x7f : (u->error << 8) | u->status;
}

/* Posts the D2H register FIS with the unit's task file (when FIS receive is on). */
static void ahci_post_d2h(AHCIPort *p, bool irq)
{
    IDEState *u = port_unit(p);
    uint8_t fis[20] = {
        0x34, irq ? 0x40 : 0, u->status, u->error, u->sector, u->lcyl, u->hcyl, u->select,
        u->hob_sector, u->hob_lcyl, u->hob_hcyl, 0, u->nsector, u->hob_nsector,
    };

    ahci_update_tfd(p);
    if (p->cmd & CMD_FRE) {
        dma_write(p->hba->as, le_addr(p->fb, p->fbu) + RFIS_D2H, fis, sizeof(fis));
    }
}

/* The signature of the attached device and the link status (devices attach after the
 * controller's reset, so both are derived when read). */
static uint32_t ahci_signature(AHCIPort *p)
{
    IDEDriveKind kind = port_unit(p)->kind;
    return kind == IDE_NONE ? 0xffffffffu : kind == IDE_CD ? 0xeb140101u : 0x00000101u;
}

static uint32_t ahci_link_status(AHCIPort *p)
{
    return port_unit(p)->kind == IDE_NONE ? 0 : 0x113;  /* present, Gen 1, active */
}

/* ---- command list ------------------------------------------------------------------------ */

static void ahci_check_cmd(AHCIPort *p);

static void ahci_finish_slot(AHCIPort *p, bool error)
{
    uint64_t header = le_addr(p->clb, p->clbu) + p->slot * 32;
    uint8_t prdbc[4];

    put_le32(prdbc, p->xfer_bytes);
    dma_write(p->hba->as, header + 4, prdbc, 4);
    p->ci &= ~(1u << p->slot);
    p->slot = -1;
    p->is |= PIS_DHRS | (error ? PIS_TFES : 0);  /* the D2H FIS came, with ERR */
    ahci_post_d2h(p, true);
    ahci_update_irq(p->hba);
    ahci_check_cmd(p);
}

/* A bad command list or table: the slot ends with a task file error. */
static void ahci_slot_fault(AHCIPort *p, const char *what)
{
    log_category_printf(LOG_GUEST_ERROR, "ahci port %d: %s outside guest RAM\n", p->index,
                        what);
    port_unit(p)->status = IDE_STAT_DRDY | IDE_STAT_ERR;
    port_unit(p)->error = IDE_ERR_ABRT;
    ahci_finish_slot(p, true);
}

static void ahci_load_taskfile(IDEState *u, const uint8_t *fis)
{
    u->feature = fis[3];
    u->sector = fis[4];
    u->lcyl = fis[5];
    u->hcyl = fis[6];
    u->select = (fis[7] & ~IDE_DEV_DEV) | 0xa0;
    u->hob_sector = fis[8];
    u->hob_lcyl = fis[9];
    u->hob_hcyl = fis[10];
    u->hob_feature = fis[11];
    u->nsector = fis[12];
    u->hob_nsector = fis[13];
}

static void ahci_run_slot(AHCIPort *p, int slot)
{
    AddressSpace *as = p->hba->as;
    uint8_t header[16], fis[20];
    uint64_t table;

    p->slot = slot;
    p->xfer_bytes = 0;
    p->prd_index = p->prd_offset = 0;
    if (dma_read(as, le_addr(p->clb, p->clbu) + slot * 32, header, sizeof(header)) < 0) {
        ahci_slot_fault(p, "command header");
        return;
    }
    table = le_addr(get_le32(header + 8), get_le32(header + 12)) & ~0x7full;
    p->prdtl = get_le32(header) >> 16;
    p->prdt = table + PRDT_OFFSET;
    if (dma_read(as, table, fis, sizeof(fis)) < 0 ||
        ((get_le32(header) & 0x20) && dma_read(as, table + ACMD_OFFSET, p->packet, 16) < 0)) {
        ahci_slot_fault(p, "command table");
        return;
    }
    if (fis[0] != 0x27) {               /* only H2D register FISes are commands */
        ahci_finish_slot(p, false);
        return;
    }
    if (!(fis[1] & 0x80)) {             /* a device control update (SRST) */
        ide_ctrl_write(&p->bus, fis[15]);
        ahci_finish_slot(p, false);
        return;
    }
    ahci_load_taskfile(port_unit(p), fis);
    if (port_unit(p)->kind == IDE_NONE) {
        ahci_finish_slot(p, true);
        return;
    }
    ide_ioport_write(&p->bus, 7, fis[2]);
}

static void ahci_check_cmd(AHCIPort *p)
{
    if (!(p->cmd & CMD_ST) || p->slot >= 0) {
        return;
    }
    for (int slot = 0; slot < 32; slot++) {
        if (p->ci & (1u << slot)) {
            ahci_run_slot(p, slot);
            return;
        }
    }
}

/* ---- the IDE channel's engine: the PRD table of the running command -------------------- */

static bool ahci_started(IDEBus *bus)
{
    return port_of(bus)->slot >= 0;
}

/* Loads PRD p->prd_index: buffer address and byte count (bit 0 of DBC is always set). */
static bool ahci_prd(AHCIPort *p, uint64_t *addr, uint32_t *len)
{
    uint8_t prd[16];

    if (p->prd_index >= p->prdtl ||
        dma_read(p->hba->as, p->prdt + 16ull * p->prd_index, prd, sizeof(prd)) < 0) {
        return false;
    }
    *addr = le_addr(get_le32(prd), get_le32(prd + 4)) & ~1ull;
    *len = (get_le32(prd + 12) & 0x3fffff) + 1;
    return true;
}

static int64_t ahci_rw(IDEBus *bus, uint8_t *buf, uint64_t len, bool to_guest)
{
    AHCIPort *p = port_of(bus);
    uint64_t moved = 0, addr;
    uint32_t prd_len;

    while (moved < len && ahci_prd(p, &addr, &prd_len)) {
        uint32_t n = MIN(prd_len - p->prd_offset, len - moved);
        int r = to_guest ? dma_write(p->hba->as, addr + p->prd_offset, buf + moved, n)
                         : dma_read(p->hba->as, addr + p->prd_offset, buf + moved, n);
        if (r < 0) {
            return -1;
        }
        moved += n;
        p->prd_offset += n;
        if (p->prd_offset == prd_len) {
            p->prd_index++;
            p->prd_offset = 0;
        }
    }
    p->xfer_bytes += moved;
    return moved;
}

static void ahci_dma_done(IDEBus *bus, bool error)
{
}

static void ahci_cmd_done(IDEBus *bus)
{
    AHCIPort *p = port_of(bus);

    if (p->slot >= 0) {
        ahci_finish_slot(p, port_unit(p)->status & IDE_STAT_ERR);
    }
}

static void ahci_get_packet(IDEBus *bus, uint8_t packet[12])
{
    memcpy(packet, port_of(bus)->packet, 12);
}

static const IDEDMAOps ahci_dma_ops = {
    .started = ahci_started,
    .rw = ahci_rw,
    .done = ahci_dma_done,
    .cmd_done = ahci_cmd_done,
    .get_packet = ahci_get_packet,
};

/* ---- port registers ------------------------------------------------------------------------ */

static void ahci_port_reset(AHCIPort *p)
{
    p->is = p->ie = p->serr = p->sact = p->ci = 0;
    p->cmd = CMD_SUD | CMD_POD;
    p->slot = -1;
    ide_bus_reset(&p->bus);
    ahci_update_tfd(p);
}

static uint32_t ahci_port_read(AHCIPort *p, unsigned reg)
{
    switch (reg) {
    case PORT_CLB: return p->clb;
    case PORT_CLBU: return p->clbu;
    case PORT_FB: return p->fb;
    case PORT_FBU: return p->fbu;
    case PORT_IS: return p->is;
    case PORT_IE: return p->ie;
    case PORT_CMD: return p->cmd;
    case PORT_TFD:
        if (p->slot < 0) {
            ahci_update_tfd(p);
        }
        return p->tfd;
    case PORT_SIG: return ahci_signature(p);
    case PORT_SSTS: return ahci_link_status(p);
    case PORT_SCTL: return p->sctl;
    case PORT_SERR: return p->serr;
    case PORT_SACT: return p->sact;
    case PORT_CI: return p->ci;
    default: return 0;
    }
}

static void ahci_port_write_cmd(AHCIPort *p, uint32_t v)
{
    p->cmd = (p->cmd & ~CMD_RW_BITS) | (v & CMD_RW_BITS);
    p->cmd = (p->cmd & ~(CMD_CR | CMD_FR)) | ((p->cmd & CMD_ST) ? CMD_CR : 0) |
             ((p->cmd & CMD_FRE) ? CMD_FR : 0);
    if (!(p->cmd & CMD_ST)) {
        if (p->slot >= 0) {
            ide_drain(port_unit(p));
            p->slot = -1;
        }
        p->ci = 0;
    }
    if ((v & CMD_FRE) && port_unit(p)->kind != IDE_NONE) {
        ahci_post_d2h(p, false);        /* the device's first FIS: its signature */
    }
    ahci_check_cmd(p);
}

static void ahci_port_write(AHCIPort *p, unsigned reg, uint32_t v)
{
    switch (reg) {
    case PORT_CLB: p->clb = v & ~0x3ffu; break;
    case PORT_CLBU: p->clbu = v; break;
    case PORT_FB: p->fb = v & ~0xffu; break;
    case PORT_FBU: p->fbu = v; break;
    case PORT_IS: p->is &= ~v; ahci_update_irq(p->hba); break;
    case PORT_IE: p->ie = v & PIS_MASK; ahci_update_irq(p->hba); break;
    case PORT_CMD: ahci_port_write_cmd(p, v); break;
    case PORT_SCTL:
        if ((p->sctl & 0xf) == 1 && (v & 0xf) != 1) {
            ahci_port_reset(p);         /* COMRESET finished */
        }
        p->sctl = v;
        break;
    case PORT_SERR: p->serr &= ~v; break;
    case PORT_CI:
        p->ci |= v;
        ahci_check_cmd(p);
        break;
    }
}

/* ---- ABAR ------------------------------------------------------------------------------- */

static uint64_t ahci_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    AHCIState *s = opaque;

    if (addr >= 0x100 && addr < 0x100 + 0x80 * AHCI_PORTS) {
        return ahci_port_read(&s->ports[(addr - 0x100) >> 7], addr & 0x7f);
    }
    switch (addr) {
    case HOST_CAP: return AHCI_CAP;
    case HOST_GHC: return s->ghc;
    case HOST_IS: return s->is;
    case HOST_PI: return (1u << AHCI_PORTS) - 1;
    case HOST_VS: return 0x00010300;
    default: return 0;
    }
}

static void ahci_reset_hba(AHCIState *s)
{
    for (int i = 0; i < AHCI_PORTS; i++) {
        AHCIPort *p = &s->ports[i];
        p->clb = p->clbu = p->fb = p->fbu = p->sctl = 0;
        ahci_port_reset(p);
    }
    s->ghc = GHC_AE;
    ahci_update_irq(s);
}

static void ahci_mmio_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    AHCIState *s = opaque;

    if (addr >= 0x100 && addr < 0x100 + 0x80 * AHCI_PORTS) {
        ahci_port_write(&s->ports[(addr - 0x100) >> 7], addr & 0x7f, value);
        return;
    }
    if (addr == HOST_GHC) {
        if (value & GHC_HR) {
            ahci_reset_hba(s);
            return;
        }
        s->ghc = GHC_AE | (value & GHC_IE);
        ahci_update_irq(s);
    }
}

static const MemoryRegionOps ahci_mmio_ops = {
    .read = ahci_mmio_read, .write = ahci_mmio_write,
    .valid_min = 1, .valid_max = 8, .impl_min = 4, .impl_max = 4,
};

/* ---- device ------------------------------------------------------------------------------- */

static void ahci_reset(DeviceState *dev)
{
    AHCIState *s = DEVICE_CAST(AHCIState, dev);

    pci_device_reset_common(&s->parent_obj);
    ahci_reset_hba(s);
}

static void ahci_make_buses(AHCIState *s, DeviceState *dev)
{
    static int anonymous;               /* QEMU names buses of devices without id "ide.N" */

    for (int i = 0; i < AHCI_PORTS; i++) {
        if (dev->id) {
            snprintf(s->bus_names[i], sizeof(s->bus_names[i]), "%s.%d", dev->id, i);
        } else {
            snprintf(s->bus_names[i], sizeof(s->bus_names[i]), "ide.%d", 2 + anonymous++);
        }
        BusState *qbus = qbus_create(BUS_TYPE_IDE, s->bus_names[i], dev);
        ide_qbus_register(qbus, &s->ports[i].bus, s->of_path);
    }
}

static int ahci_realize(DeviceState *dev, Error **errp)
{
    AHCIState *s = DEVICE_CAST(AHCIState, dev);
    PCIDevice *d = &s->parent_obj;
    Machine *machine = current_machine();

    if (pci_device_init(d, 0x8086, 0x2922, 0x02, 0x0106, errp) < 0) {
        return -1;
    }
    if (!s->as && !(s->as = machine ? &machine->as_memory : NULL)) {
        error_setg(errp, "no machine memory for DMA");
        return -1;
    }
    d->config[PCI_CLASS_PROG] = 0x01;   /* AHCI 1.0 */
    d->config[PCI_INTERRUPT_PIN] = 1;
    snprintf(s->of_path, sizeof(s->of_path), (d->devfn & 7) ? "/pci@i0cf8/sata@%x,%x" :
             "/pci@i0cf8/sata@%x", d->devfn >> 3, d->devfn & 7);
    for (int i = 0; i < AHCI_PORTS; i++) {
        AHCIPort *p = &s->ports[i];
        ide_bus_init(&p->bus, i, NULL);
        p->bus.dma_ops = &ahci_dma_ops;
        p->bus.pio_by_dma = true;
        p->bus.units = 1;
        p->hba = s;
        p->index = i;
    }
    ahci_make_buses(s, dev);
    memory_region_init_io(&s->abar, &ahci_mmio_ops, s, "ahci", 0x1000);
    pci_register_bar(d, 5, 0, &s->abar);
    ahci_reset(dev);
    return 0;
}

static void ahci_unrealize(DeviceState *dev)
{
    AHCIState *s = DEVICE_CAST(AHCIState, dev);

    pci_device_exit(&s->parent_obj);
    for (int i = 0; i < dev->nr_child_buses; i++) {
        ide_qbus_unregister(dev->child_buses[i]);
    }
    for (int i = 0; i < AHCI_PORTS; i++) {
        ide_bus_fini(&s->ports[i].bus);
    }
    memory_region_destroy(&s->abar);
}

static const Property ahci_props[] = {
    DEFINE_PROP_INT_RANGE("addr", PCIDevice, devfn, -1, -1, 255),
    DEFINE_PROP_END,
};

#define AHCI_TYPE(type_name) { \
    .name = type_name, \
    .bus_type = BUS_TYPE_PCI, \
    .instance_size = sizeof(AHCIState), \
    .description = "ICH9 AHCI SATA controller (6 ports)", \
    .user_creatable = true, \
    .realize = ahci_realize, \
    .unrealize = ahci_unrealize, \
    .reset = ahci_reset, \
    .props = ahci_props, \
}
static const DeviceType ich9_ahci_type = AHCI_TYPE(TYPE_ICH9_AHCI);
static const DeviceType ahci_alias_type = AHCI_TYPE("ahci");
DEVICE_TYPE_REGISTER(ich9_ahci_type)
DEVICE_TYPE_REGISTER(ahci_alias_type)

AHCIState *ahci_create(BusState *pci_bus, int devfn, AddressSpace *dma_as, Error **errp)
{
    DeviceState *dev = device_create(TYPE_ICH9_AHCI, pci_bus, errp);
    AHCIState *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(AHCIState, dev);
    s->parent_obj.devfn = devfn;
    s->as = dma_as;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}
