/* Intel 8237A DMA controller pair of the PC/AT (datasheet 231466; IBM AT technical
 * reference for the ports): controller 0 (channels 0-3, bytes) at 0x00-0x0f, controller 1
 * (channels 4-7, words; 4 cascades) at 0xc0-0xdf on even ports, page registers at
 * 0x81-0x8f. Address and count registers with the byte flip-flop, mode (verify, write,
 * read; autoinit; decrement), masks, request and terminal-count status. Transfers run when
 * a device asks (i8237_transfer) and go through dma_read/dma_write. */
#include <string.h>
#include "hw/dma/i8237.h"
#include "system/machine.h"

#define MODE_TYPE(m)   (((m) >> 2) & 3)     /* 0 verify, 1 write memory, 2 read memory */
#define MODE_AUTOINIT  0x10
#define MODE_DECREMENT 0x20

/* Page register port offsets (from 0x80) of channels 0-7. */
static const uint8_t page_port[8] = { 0x7, 0x3, 0x1, 0x2, 0xf, 0xb, 0x9, 0xa };

static void i8237_master_clear(I8237State *s, int ctl)
{
    s->command[ctl] = 0;
    s->status[ctl] = 0;
    s->request[ctl] = 0;
    s->mask[ctl] = 0x0f;
    s->flip_flop[ctl] = false;
}

static uint8_t i8237_read_word_reg(I8237State *s, int ctl, uint16_t value)
{
    bool high = s->flip_flop[ctl];
    s->flip_flop[ctl] = !high;
    return high ? value >> 8 : value & 0xff;
}

static void i8237_write_word_reg(I8237State *s, int ctl, uint16_t *reg, uint16_t *base,
                                 uint8_t value)
{
    bool high = s->flip_flop[ctl];
    *base = high ? (*base & 0x00ff) | (value << 8) : (*base & 0xff00) | value;
    *reg = *base;
    s->flip_flop[ctl] = !high;
}

static uint8_t i8237_read(I8237State *s, int ctl, unsigned reg)
{
    I8237Channel *c = &s->ch[ctl * 4 + ((reg >> 1) & 3)];
    uint8_t v;

    if (reg < 8) {
        return i8237_read_word_reg(s, ctl, (reg & 1) ? c->count : c->addr);
    }
    switch (reg) {
    case 8:                             /* status: TC bits clear on read */
        v = s->status[ctl] | (s->request[ctl] << 4);
        s->status[ctl] = 0;
        return v;
    case 15: return s->mask[ctl];
    default: return 0;
    }
}

static void i8237_write(I8237State *s, int ctl, unsigned reg, uint8_t value)
{
    I8237Channel *c = &s->ch[ctl * 4 + ((reg >> 1) & 3)];

    if (reg < 8) {
        if (reg & 1) {
            i8237_write_word_reg(s, ctl, &c->count, &c->base_count, value);
        } else {
            i8237_write_word_reg(s, ctl, &c->addr, &c->base_addr, value);
        }
        return;
    }
    switch (reg) {
    case 8: s->command[ctl] = value; break;
    case 9:
        s->request[ctl] = (s->request[ctl] & ~(1u << (value & 3))) |
                          (((value >> 2) & 1) << (value & 3));
        break;
    case 10:
        s->mask[ctl] = (s->mask[ctl] & ~(1u << (value & 3))) | (((value >> 2) & 1) << (value & 3));
        break;
    case 11: s->ch[ctl * 4 + (value & 3)].mode = value; break;
    case 12: s->flip_flop[ctl] = false; break;
    case 13: i8237_master_clear(s, ctl); break;
    case 14: s->mask[ctl] = 0; break;
    case 15: s->mask[ctl] = value & 0x0f; break;
    }
}

static uint64_t i8237_io_read0(void *opaque, hwaddr offset, unsigned size)
{
    return i8237_read(opaque, 0, offset);
}

static void i8237_io_write0(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    i8237_write(opaque, 0, offset, value);
}

/* The second controller decodes even ports only: register = offset / 2. */
static uint64_t i8237_io_read1(void *opaque, hwaddr offset, unsigned size)
{
    return (offset & 1) ? 0xff : i8237_read(opaque, 1, offset >> 1);
}

static void i8237_io_write1(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    if (!(offset & 1)) {
        i8237_write(opaque, 1, offset >> 1, value);
    }
}

static const MemoryRegionOps i8237_ops[2] = {
    { .read = i8237_io_read0, .write = i8237_io_write0, .valid_min = 1, .valid_max = 1 },
    { .read = i8237_io_read1, .write = i8237_io_write1, .valid_min = 1, .valid_max = 1 },
};

static int page_channel(hwaddr offset)
{
    for (int i = 0; i < 8; i++) {
        if (page_port[i] == offset + 1) {
            return i;
        }
    }
    return -1;
}

static uint64_t i8237_page_read(void *opaque, hwaddr offset, unsigned size)
{
    I8237State *s = opaque;
    int ch = page_channel(offset);
    return ch >= 0 ? s->ch[ch].page : 0xff;
}

static void i8237_page_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    I8237State *s = opaque;
    int ch = page_channel(offset);

    if (ch >= 0) {
        s->ch[ch].page = value;
    }
}

static const MemoryRegionOps i8237_page_ops = {
    .read = i8237_page_read, .write = i8237_page_write, .valid_min = 1, .valid_max = 1,
};

bool i8237_channel_ready(I8237State *s, int channel)
{
    return channel >= 0 && channel < 8 && !(s->mask[channel >> 2] & (1u << (channel & 3)));
}

/* Guest physical address of the channel's current unit. */
static hwaddr i8237_phys(I8237Channel *c, bool word)
{
    return word ? ((hwaddr)(c->page & 0xfe) << 16) | ((hwaddr)c->addr << 1)
                : ((hwaddr)c->page << 16) | c->addr;
}

/* Counts one unit; true at terminal count. */
static bool i8237_step(I8237State *s, int channel)
{
    I8237Channel *c = &s->ch[channel];
    int ctl = channel >> 2;

    c->addr += (c->mode & MODE_DECREMENT) ? -1 : 1;
    if (c->count-- != 0) {
        return false;
    }
    s->status[ctl] |= 1u << (channel & 3);
    if (c->mode & MODE_AUTOINIT) {
        c->addr = c->base_addr;
        c->count = c->base_count;
    } else {
        s->mask[ctl] |= 1u << (channel & 3);
    }
    return true;
}

int i8237_transfer(I8237State *s, int channel, uint8_t *buf, uint32_t len, bool to_device,
                   bool *tc)
{
    I8237Channel *c;
    unsigned unit, type;
    uint32_t moved = 0;

    *tc = false;
    if (!i8237_channel_ready(s, channel)) {
        return 0;
    }
    c = &s->ch[channel];
    type = MODE_TYPE(c->mode);
    if (type == 3 || (type == 1 && to_device) || (type == 2 && !to_device)) {
        return 0;
    }
    unit = channel >= 4 ? 2 : 1;
    while (moved + unit <= len) {
        hwaddr a = i8237_phys(c, unit == 2);
        int r = type == 0 ? 0 : to_device ? dma_read(s->as, a, buf + moved, unit)
                                          : dma_write(s->as, a, buf + moved, unit);
        if (r < 0) {
            return -1;
        }
        moved += unit;
        if ((*tc = i8237_step(s, channel))) {
            break;
        }
    }
    return moved;
}

static void i8237_reset(DeviceState *dev)
{
    I8237State *s = DEVICE_CAST(I8237State, dev);

    memset(s->ch, 0, sizeof(s->ch));
    i8237_master_clear(s, 0);
    i8237_master_clear(s, 1);
}

static int i8237_realize(DeviceState *dev, Error **errp)
{
    I8237State *s = DEVICE_CAST(I8237State, dev);
    MemoryRegion *io = qdev_get_io_root(dev);
    Machine *machine = current_machine();

    if (!s->as && !(s->as = machine ? &machine->as_memory : NULL)) {
        error_setg(errp, "no machine memory for DMA");
        return -1;
    }
    memory_region_init_io(&s->io[0], &i8237_ops[0], s, "dma-chan", 0x10);
    memory_region_init_io(&s->io[1], &i8237_ops[1], s, "dma-cont", 0x20);
    memory_region_init_io(&s->page_io, &i8237_page_ops, s, "dma-page", 0xf);
    memory_region_add_subregion(io, 0x00, &s->io[0], 0);
    memory_region_add_subregion(io, 0xc0, &s->io[1], 0);
    memory_region_add_subregion(io, 0x81, &s->page_io, 0);
    i8237_reset(dev);
    return 0;
}

static void i8237_unrealize(DeviceState *dev)
{
    I8237State *s = DEVICE_CAST(I8237State, dev);
    MemoryRegion *io = qdev_get_io_root(dev);
    MemoryRegion *regions[] = { &s->io[0], &s->io[1], &s->page_io };

    for (size_t i = 0; i < 3; i++) {
        memory_region_del_subregion(io, regions[i]);
        memory_region_destroy(regions[i]);
    }
}

static const DeviceType i8237_type = {
    .name = TYPE_I8237,
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(I8237State),
    .description = "8237A ISA DMA controller pair",
    .realize = i8237_realize,
    .unrealize = i8237_unrealize,
    .reset = i8237_reset,
};
DEVICE_TYPE_REGISTER(i8237_type)

I8237State *i8237_create(BusState *isa, AddressSpace *as, Error **errp)
{
    DeviceState *dev = device_create(TYPE_I8237, isa, errp);
    I8237State *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(I8237State, dev);
    s->as = as;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}
