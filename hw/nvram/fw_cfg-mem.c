/* The MMIO flavour of QEMU's fw_cfg (docs/specs/fw_cfg.rst of QEMU, "memory-mapped"), as on
 * the ARM virt board: a data register at +0 read 1 to 8 bytes at a time (bytes in stream
 * order: the register is big-endian), a 16-bit big-endian selector at +8 and the DMA
 * address register at +16. Items, files and DMA are fw_cfg.c's. */
#include "hw/nvram/fw_cfg.h"
#include "hw/nvram/fw_cfg-internal.h"

static uint64_t fw_cfg_mem_read(void *opaque, hwaddr offset, unsigned size)
{
    uint64_t val = 0;
    if (offset + size > 8) {
        return 0;                   /* the selector is write-only */
    }
    for (unsigned i = 0; i < size; i++) {
        val = (val << 8) | fw_cfg_read_byte(opaque);
    }
    return val;
}

static void fw_cfg_mem_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    if (offset == 8 && size == 2) {
        fw_cfg_select(opaque, (uint16_t)value);
    }
}

static const MemoryRegionOps fw_cfg_mem_ops = {
    .read = fw_cfg_mem_read, .write = fw_cfg_mem_write,
    .valid_min = 1, .valid_max = 8, .big_endian = true,
};

static int fw_cfg_mem_realize(DeviceState *dev, Error **errp)
{
    FWCfgState *s = DEVICE_CAST(FWCfgState, dev);
    MemoryRegion *mem = qdev_get_mem_root(dev);

    if (!mem) {
        error_setg(errp, "no memory space on this machine");
        return -1;
    }
    fw_cfg_map(s, mem, &fw_cfg_mem_ops, "fwcfg.ctl", 16, s->mmio_base, s->mmio_base + 16);
    return 0;
}

FWCfgState *fw_cfg_create_mem(BusState *bus, uint64_t base, AddressSpace *dma_as, bool dma,
                              Error **errp)
{
    DeviceState *dev = device_create(TYPE_FW_CFG_MEM, bus, errp);
    if (!dev) {
        return NULL;
    }
    FWCfgState *s = DEVICE_CAST(FWCfgState, dev);
    s->mmio_base = base;
    s->dma_as = dma_as;
    s->dma_enabled = dma;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}

static const DeviceType fw_cfg_mem_type = {
    .name = TYPE_FW_CFG_MEM,
    .instance_size = sizeof(FWCfgState),
    .description = "QEMU firmware configuration (MMIO)",
    .realize = fw_cfg_mem_realize,
    .unrealize = fw_cfg_unrealize,
    .reset = fw_cfg_reset,
};
DEVICE_TYPE_REGISTER(fw_cfg_mem_type)
