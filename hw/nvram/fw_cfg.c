/* Firmware configuration device as QEMU's docs/specs/fw_cfg.txt describes it: a 16-bit
 * selector (bit 14 write channel, bit 15 arch-local), a byte data register reading the
 * selected item from an offset that each select resets, the file directory at 0x19
 * (big-endian count, then size, select and 56-byte name per file, sorted by name), and
 * the DMA interface (big-endian descriptor {control, length, address} at the address
 * written to the DMA register; read, skip, select and write operations; guest memory only
 * through dma_read/dma_write, so a wild address fails the transfer with the error bit).
 * Writes are refused (the error bit), as no item here is writable. */
#include <stdlib.h>
#include <string.h>
#include "hw/nvram/fw_cfg.h"
#include "hw/nvram/fw_cfg-internal.h"
#include "util/cutils.h"
#include "util/log.h"

#define DMA_CTL_ERROR 0x01
#define DMA_CTL_READ 0x02
#define DMA_CTL_SKIP 0x04
#define DMA_CTL_SELECT 0x08
#define DMA_CTL_WRITE 0x10

static FWCfgEntry *fw_cfg_entry(FWCfgState *s, uint16_t key)
{
    int arch = (key & FW_CFG_ARCH_LOCAL) != 0;
    uint16_t index = key & 0x3fff;

    return index < FW_CFG_MAX_ENTRY ? &s->entries[arch][index] : NULL;
}

void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, const void *data, size_t len)
{
    FWCfgEntry *e = fw_cfg_entry(s, key);

    if (!e) {
        return;
    }
    free(e->data);
    e->data = xmalloc(len ? len : 1);
    memcpy(e->data, data, len);
    e->len = len;
}

void fw_cfg_add_string(FWCfgState *s, uint16_t key, const char *value)
{
    fw_cfg_add_bytes(s, key, value, strlen(value) + 1);
}

void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value)
{
    uint8_t b[2] = { value, value >> 8 };
    fw_cfg_add_bytes(s, key, b, sizeof(b));
}

void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++) {
        b[i] = value >> (8 * i);
    }
    fw_cfg_add_bytes(s, key, b, sizeof(b));
}

void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = value >> (8 * i);
    }
    fw_cfg_add_bytes(s, key, b, sizeof(b));
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

/* The directory lists files sorted by name; keys stay in insertion order. */
static int file_order(const void *a, const void *b, void *names)
{
    const char (*n)[FW_CFG_MAX_FILE_PATH] = names;
    return strcmp(n[*(const uint32_t *)a], n[*(const uint32_t *)b]);
}

void fw_cfg_rebuild_dir(FWCfgState *s)
{
    size_t len = 4 + 64 * (size_t)s->nr_files;
    uint8_t *dir = xzalloc(len);
    uint32_t order[FW_CFG_MAX_FILES];

    put_be32(dir, s->nr_files);
    for (uint32_t i = 0; i < s->nr_files; i++) {
        order[i] = i;
    }
    qsort_r(order, s->nr_files, sizeof(order[0]), file_order, s->file_names);
    for (uint32_t i = 0; i < s->nr_files; i++) {
        uint8_t *ent = dir + 4 + 64 * i;
        uint16_t key = FW_CFG_FILE_FIRST + order[i];
        put_be32(ent, s->entries[0][key].len);
        ent[4] = key >> 8;
        ent[5] = key;
        memcpy(ent + 8, s->file_names[order[i]], FW_CFG_MAX_FILE_PATH);
    }
    fw_cfg_add_bytes(s, FW_CFG_FILE_DIR, dir, len);
    free(dir);
}

int fw_cfg_add_file(FWCfgState *s, const char *name, const void *data, size_t len)
{
    uint32_t i;

    if (strlen(name) >= FW_CFG_MAX_FILE_PATH) {
        return -1;
    }
    for (i = 0; i < s->nr_files && strcmp(s->file_names[i], name); i++) {
    }
    if (i == s->nr_files) {
        if (s->nr_files == FW_CFG_MAX_FILES) {
            return -1;
        }
        memset(s->file_names[i], 0, FW_CFG_MAX_FILE_PATH);
        strcpy(s->file_names[i], name);
        s->nr_files++;
    }
    fw_cfg_add_bytes(s, FW_CFG_FILE_FIRST + i, data, len);
    fw_cfg_rebuild_dir(s);
    return 0;
}

const FWCfgEntry *fw_cfg_find_file(FWCfgState *s, const char *name)
{
    for (uint32_t i = 0; i < s->nr_files; i++) {
        if (!strcmp(s->file_names[i], name)) {
            return &s->entries[0][FW_CFG_FILE_FIRST + i];
        }
    }
    return NULL;
}

void fw_cfg_select(FWCfgState *s, uint16_t key)
{
    s->cur_entry = key;
    s->cur_offset = 0;
}

uint8_t fw_cfg_read_byte(FWCfgState *s)
{
    FWCfgEntry *e = fw_cfg_entry(s, s->cur_entry);

    if (!e || !e->data || s->cur_offset >= e->len) {
        return 0;
    }
    return e->data[s->cur_offset++];
}

/* ---- DMA ------------------------------------------------------------------------------ */

/* Writes len zero bytes at addr a page at a time (len is the guest's, up to 4 GiB: no
 * allocation of that size); stops at the first page that is not RAM. */
static bool fw_cfg_dma_zero(FWCfgState *s, uint64_t addr, uint32_t len)
{
    static const uint8_t zero[4096];

    while (len) {
        uint32_t chunk = MIN(len, (uint32_t)(sizeof(zero) - (addr & (sizeof(zero) - 1))));
        if (dma_write(s->dma_as, addr, zero, chunk) < 0) {
            return false;
        }
        addr += chunk;
        len -= chunk;
    }
    return true;
}

/* Reads or skips len bytes of the current item into guest memory at addr. */
static bool fw_cfg_dma_read(FWCfgState *s, uint64_t addr, uint32_t len, bool skip)
{
    FWCfgEntry *e = fw_cfg_entry(s, s->cur_entry);
    uint32_t avail = (e && e->data && s->cur_offset < e->len) ? e->len - s->cur_offset : 0;
    uint32_t n = MIN(len, avail);
    bool ok = true;

    if (!skip) {
        if (n && dma_write(s->dma_as, addr, e->data + s->cur_offset, n) < 0) {
            ok = false;
        } else if (len > n) {
            ok = fw_cfg_dma_zero(s, addr + n, len - n);     /* past the end: zeros */
        }
    }
    s->cur_offset += n;
    return ok;
}

static void fw_cfg_dma_transfer(FWCfgState *s)
{
    uint8_t desc[16];
    uint32_t control, length;
    uint64_t address;
    bool ok = true;

    if (dma_read(s->dma_as, s->dma_addr, desc, sizeof(desc)) < 0) {
        log_category_printf(LOG_GUEST_ERROR, "fw_cfg: DMA descriptor at 0x%llx unreadable\n",
                            (unsigned long long)s->dma_addr);
        return;
    }
    control = get_be32(desc);
    length = get_be32(desc + 4);
    address = ((uint64_t)get_be32(desc + 8) << 32) | get_be32(desc + 12);
    if (control & DMA_CTL_SELECT) {
        fw_cfg_select(s, control >> 16);
    }
    if (control & DMA_CTL_READ) {
        ok = fw_cfg_dma_read(s, address, length, false);
    } else if (control & DMA_CTL_SKIP) {
        ok = fw_cfg_dma_read(s, address, length, true);
    } else if (control & DMA_CTL_WRITE) {
        ok = false;                 /* no writable items */
    }
    put_be32(desc, ok ? 0 : DMA_CTL_ERROR);
    dma_write(s->dma_as, s->dma_addr, desc, 4);
}

/* ---- registers ----------------------------------------------------------------------------- */

static uint64_t fw_cfg_io_read(void *opaque, hwaddr offset, unsigned size)
{
    FWCfgState *s = opaque;
    uint64_t val = 0;

    if (offset == 1) {
        for (unsigned i = 0; i < size; i++) {   /* wider reads: bytes in stream order */
            val |= (uint64_t)fw_cfg_read_byte(s) << (8 * i);
        }
        return val;
    }
    return 0;
}

static void fw_cfg_io_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    FWCfgState *s = opaque;

    if (offset == 0 && size == 2) {
        fw_cfg_select(s, value);
    }
}

static const MemoryRegionOps fw_cfg_io_ops = {
    .read = fw_cfg_io_read, .write = fw_cfg_io_write, .valid_min = 1, .valid_max = 2,
};

/* DMA register: 8 bytes, big-endian; the write of the low half starts the transfer. */
static uint64_t fw_cfg_dma_reg_read(void *opaque, hwaddr offset, unsigned size)
{
    uint64_t sig = FW_CFG_DMA_SIGNATURE;
    unsigned shift = 64 - 8 * (offset + size);
    return size == 8 ? sig : (sig >> shift) & ((1ull << (8 * size)) - 1);
}

static void fw_cfg_dma_reg_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    FWCfgState *s = opaque;

    if (size == 4 && offset == 0) {
        s->dma_addr = (s->dma_addr & 0xffffffffu) | (value << 32);
    } else if (size == 4 && offset == 4) {
        s->dma_addr = (s->dma_addr & ~0xffffffffull) | value;
        fw_cfg_dma_transfer(s);
        s->dma_addr = 0;
    } else if (size == 8 && offset == 0) {
        s->dma_addr = value;
        fw_cfg_dma_transfer(s);
        s->dma_addr = 0;
    }
}

/* The 8-byte big-endian DMA address register. */
static const MemoryRegionOps fw_cfg_dma_ops = {
    .read = fw_cfg_dma_reg_read, .write = fw_cfg_dma_reg_write,
    .valid_min = 1, .valid_max = 8, .big_endian = true,
};

static void fw_cfg_common_realize(FWCfgState *s)
{
    uint8_t sig[4] = { 'Q', 'E', 'M', 'U' };

    s->dma_enabled = s->dma_enabled && s->dma_as;
    fw_cfg_add_bytes(s, FW_CFG_SIGNATURE, sig, 4);
    fw_cfg_add_i32(s, FW_CFG_ID, 1 | (s->dma_enabled ? 2 : 0));
    fw_cfg_rebuild_dir(s);
}

void fw_cfg_map(FWCfgState *s, MemoryRegion *root, const MemoryRegionOps *ctl_ops,
                const char *ctl_name, uint64_t ctl_size, uint64_t ctl_addr, uint64_t dma_addr)
{
    fw_cfg_common_realize(s);
    memory_region_init_io(&s->ctl, ctl_ops, s, ctl_name, ctl_size);
    memory_region_add_subregion(root, ctl_addr, &s->ctl, 0);
    if (s->dma_enabled) {
        memory_region_init_io(&s->dma, &fw_cfg_dma_ops, s, "fwcfg.dma", 8);
        memory_region_add_subregion(root, dma_addr, &s->dma, 0);
    }
}

static int fw_cfg_io_realize(DeviceState *dev, Error **errp)
{
    FWCfgState *s = DEVICE_CAST(FWCfgState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    if (!io) {
        error_setg(errp, "no port I/O space on this machine");
        return -1;
    }
    fw_cfg_map(s, io, &fw_cfg_io_ops, "fwcfg", 2, s->iobase,
               s->dma_iobase ? s->dma_iobase : s->iobase + 4);
    return 0;
}

void fw_cfg_unrealize(DeviceState *dev)
{
    FWCfgState *s = DEVICE_CAST(FWCfgState, dev);

    memory_region_destroy(&s->ctl);         /* unmaps it from the I/O or memory root */
    if (s->dma_enabled) {
        memory_region_destroy(&s->dma);
    }
    for (int a = 0; a < 2; a++) {
        for (int i = 0; i < FW_CFG_MAX_ENTRY; i++) {
            free(s->entries[a][i].data);
        }
    }
}

void fw_cfg_reset(DeviceState *dev)
{
    FWCfgState *s = DEVICE_CAST(FWCfgState, dev);
    fw_cfg_select(s, 0);
    s->dma_addr = 0;
}

FWCfgState *fw_cfg_create_io(BusState *bus, uint32_t iobase, AddressSpace *dma_as,
                             bool dma, Error **errp)
{
    DeviceState *dev = device_create(TYPE_FW_CFG_IO, bus, errp);
    FWCfgState *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(FWCfgState, dev);
    s->iobase = iobase;
    s->dma_as = dma_as;
    s->dma_enabled = dma;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}

static const VMStateField fw_cfg_vmstate[] = {
    VMSTATE_UINT16(cur_entry, FWCfgState),
    VMSTATE_UINT32(cur_offset, FWCfgState),
    VMSTATE_END,
};

static const DeviceType fw_cfg_io_type = {
    .name = TYPE_FW_CFG_IO,
    .instance_size = sizeof(FWCfgState),
    .description = "QEMU firmware configuration (I/O ports)",
    .realize = fw_cfg_io_realize,
    .unrealize = fw_cfg_unrealize,
    .reset = fw_cfg_reset,
    .vmstate = fw_cfg_vmstate,
};
DEVICE_TYPE_REGISTER(fw_cfg_io_type)
