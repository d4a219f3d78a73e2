/* Intel 8259A programmable interrupt controller pair as wired in the PC/AT (datasheet
 * 231468-003): ICW1-4 initialisation, OCW1-3 (mask, EOI and rotation, poll, register read),
 * special mask and special fully nested modes, auto-EOI, edge and level triggering with the
 * PIIX edge/level control registers (ELCR, ports 0x4d0/0x4d1). */
#include <inttypes.h>
#include <string.h>
#include "hw/intc/i8259.h"
#include "hw/isa/isa.h"
#include "util/log.h"

/* Priority (0 highest) of the highest set bit of mask, counted from the rotation; 8: none. */
static int pic_priority(const PICChip *c, uint8_t mask)
{
    int priority = 0;

    if (!mask) {
        return 8;
    }
    while (!(mask & (1u << ((priority + c->priority_add) & 7)))) {
        priority++;
    }
    return priority;
}

/* The input the chip would signal now, or -1. */
static int pic_pending(const PICChip *c, bool master)
{
    int priority = pic_priority(c, c->irr & ~c->imr);
    uint8_t in_service = c->isr;

    if (priority == 8) {
        return -1;
    }
    if (c->special_mask) {
        in_service &= ~c->imr;
    }
    if (c->special_fully_nested && master) {
        in_service &= ~(1u << 2);   /* the slave may nest inside its own cascade */
    }
    if (priority < pic_priority(c, in_service)) {
        return (priority + c->priority_add) & 7;
    }
    return -1;
}

static void pic_chip_input(PICChip *c, int n, int level)
{
    uint8_t mask = 1u << n;

    if (c->elcr & mask) {
        c->irr = level ? (c->irr | mask) : (c->irr & ~mask);
    } else if (level && !(c->last_irr & mask)) {
        c->irr |= mask;
    }
    c->last_irr = level ? (c->last_irr | mask) : (c->last_irr & ~mask);
}

/* The slave's INT output holds master input 2 until acknowledged: a level, whatever ELCR. */
static void pic_update(PICState *s)
{
    bool cascade = pic_pending(&s->chip[1], false) >= 0;

    s->chip[0].irr = (s->chip[0].irr & ~4u) | (cascade ? 4u : 0);
    s->chip[0].last_irr = (s->chip[0].last_irr & ~4u) | (cascade ? 4u : 0);
    irq_set(s->intr, pic_pending(&s->chip[0], true) >= 0);
}

bool i8259_output(const PICState *s)
{
    return pic_pending(&s->chip[0], true) >= 0;
}

static void pic_set_irq(void *opaque, int n, int level)
{
    PICState *s = opaque;

    if (level && !(s->chip[n >> 3].last_irr & (1u << (n & 7)))) {
        s->irq_count[n]++;
    }
    pic_chip_input(&s->chip[n >> 3], n & 7, level);
    pic_update(s);
}

static void pic_chip_ack(PICChip *c, int irq)
{
    uint8_t mask = 1u << irq;

    if (c->auto_eoi) {
        if (c->rotate_on_auto_eoi) {
            c->priority_add = (irq + 1) & 7;
        }
    } else {
        c->isr |= mask;
    }
    if (!(c->elcr & mask)) {
        c->irr &= ~mask;            /* edge: the request is consumed */
    }
}

int i8259_ack(PICState *s)
{
    int irq = pic_pending(&s->chip[0], true);
    int vector;

    if (irq < 0) {
        vector = s->chip[0].irq_base + 7;   /* spurious IRQ 7 */
    } else if (irq == 2) {
        int irq2 = pic_pending(&s->chip[1], false);
        pic_chip_ack(&s->chip[0], 2);
        if (irq2 >= 0) {
            pic_chip_ack(&s->chip[1], irq2);
        } else {
            irq2 = 7;                       /* spurious IRQ 15 */
        }
        vector = s->chip[1].irq_base + irq2;
    } else {
        pic_chip_ack(&s->chip[0], irq);
        vector = s->chip[0].irq_base + irq;
    }
    pic_update(s);
    return vector;
}

static void pic_chip_init_reset(PICChip *c)
{
    uint8_t elcr = c->elcr, elcr_mask = c->elcr_mask;

    memset(c, 0, sizeof(*c));
    c->elcr = elcr;
    c->elcr_mask = elcr_mask;
}

static void pic_ocw2(PICChip *c, uint8_t val)
{
    int cmd = val >> 5, irq;

    switch (cmd) {
    case 0:
    case 4:
        c->rotate_on_auto_eoi = cmd >> 2;
        break;
    case 1:                         /* non-specific EOI */
    case 5:                         /* rotate on non-specific EOI */
        irq = pic_priority(c, c->isr);
        if (irq != 8) {
            irq = (irq + c->priority_add) & 7;
            c->isr &= ~(1u << irq);
            if (cmd == 5) {
                c->priority_add = (irq + 1) & 7;
            }
        }
        break;
    case 3:                         /* specific EOI */
        c->isr &= ~(1u << (val & 7));
        break;
    case 6:                         /* set priority */
        c->priority_add = (val + 1) & 7;
        break;
    case 7:                         /* rotate on specific EOI */
        c->isr &= ~(1u << (val & 7));
        c->priority_add = ((val & 7) + 1) & 7;
        break;
    default:
        break;
    }
}

static void pic_write_command(PICChip *c, uint8_t val)
{
    if (val & 0x10) {               /* ICW1 */
        pic_chip_init_reset(c);
        c->init_state = 1;
        c->init4 = val & 1;
        c->single_mode = (val >> 1) & 1;
        if (val & 0x08) {
            log_category_printf(LOG_UNIMP, "i8259: level-triggered mode (LTIM) ignored\n");
        }
    } else if (val & 0x08) {        /* OCW3 */
        if (val & 0x04) {
            c->poll = 1;
        }
        if (val & 0x02) {
            c->read_reg_select = val & 1;
        }
        if (val & 0x40) {
            c->special_mask = (val >> 5) & 1;
        }
    } else {
        pic_ocw2(c, val);
    }
}

static void pic_write_data(PICChip *c, uint8_t val)
{
    switch (c->init_state) {
    case 0:                         /* OCW1 */
        c->imr = val;
        break;
    case 1:                         /* ICW2 */
        c->irq_base = val & 0xf8;
        c->init_state = c->single_mode ? (c->init4 ? 3 : 0) : 2;
        break;
    case 2:                         /* ICW3: cascade wiring is fixed in the PC */
        c->init_state = c->init4 ? 3 : 0;
        break;
    default:                        /* ICW4 */
        c->special_fully_nested = (val >> 4) & 1;
        c->auto_eoi = (val >> 1) & 1;
        c->init_state = 0;
        break;
    }
}

/* Poll command read: acknowledge the highest request as an INTA would, without a vector. */
static uint8_t pic_poll_read(PICState *s, int chip)
{
    PICChip *c = &s->chip[chip];
    int irq = pic_pending(c, chip == 0);

    c->poll = 0;
    if (irq < 0) {
        return 0;
    }
    pic_chip_ack(c, irq);
    return 0x80 | irq;
}

static uint64_t pic_read(PICState *s, int chip, hwaddr offset)
{
    PICChip *c = &s->chip[chip];
    uint8_t val;

    if (c->poll) {
        val = pic_poll_read(s, chip);
        pic_update(s);
        return val;
    }
    if (offset == 0) {
        return c->read_reg_select ? c->isr : c->irr;
    }
    return c->imr;
}

static void pic_write(PICState *s, int chip, hwaddr offset, uint64_t value)
{
    if (offset == 0) {
        pic_write_command(&s->chip[chip], value);
    } else {
        pic_write_data(&s->chip[chip], value);
    }
    pic_update(s);
}

static uint64_t pic_master_read(void *opaque, hwaddr offset, unsigned size)
{
    return pic_read(opaque, 0, offset);
}

static void pic_master_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    pic_write(opaque, 0, offset, value);
}

static uint64_t pic_slave_read(void *opaque, hwaddr offset, unsigned size)
{
    return pic_read(opaque, 1, offset);
}

static void pic_slave_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    pic_write(opaque, 1, offset, value);
}

static uint64_t elcr_read(void *opaque, hwaddr offset, unsigned size)
{
    PICState *s = opaque;
    return s->chip[offset & 1].elcr;
}

static void elcr_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    PICState *s = opaque;
    PICChip *c = &s->chip[offset & 1];

    c->elcr = value & c->elcr_mask;
    pic_update(s);
}

static const MemoryRegionOps pic_master_ops = {
    .read = pic_master_read, .write = pic_master_write, .valid_min = 1, .valid_max = 1,
};
static const MemoryRegionOps pic_slave_ops = {
    .read = pic_slave_read, .write = pic_slave_write, .valid_min = 1, .valid_max = 1,
};
static const MemoryRegionOps elcr_ops = {
    .read = elcr_read, .write = elcr_write, .valid_min = 1, .valid_max = 1,
};

static void i8259_reset(DeviceState *dev);

static int i8259_realize(DeviceState *dev, Error **errp)
{
    PICState *s = DEVICE_CAST(PICState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    if (!io) {
        error_setg(errp, "i8259: no port I/O space on this machine");
        return -1;
    }
    s->in = irq_new_array(pic_set_irq, s, 16);
    memory_region_init_io(&s->io[0], &pic_master_ops, s, "pic", 2);
    memory_region_init_io(&s->io[1], &pic_slave_ops, s, "pic", 2);
    memory_region_init_io(&s->elcr_io, &elcr_ops, s, "elcr", 2);
    memory_region_add_subregion(io, 0x20, &s->io[0], 0);
    memory_region_add_subregion(io, 0xa0, &s->io[1], 0);
    memory_region_add_subregion(io, 0x4d0, &s->elcr_io, 0);
    i8259_reset(dev);
    return 0;
}

static void i8259_unrealize(DeviceState *dev)
{
    PICState *s = DEVICE_CAST(PICState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    for (int i = 0; i < 2; i++) {
        memory_region_del_subregion(io, &s->io[i]);
        memory_region_destroy(&s->io[i]);
    }
    memory_region_del_subregion(io, &s->elcr_io);
    memory_region_destroy(&s->elcr_io);
    irq_free_array(s->in, 16);
}

static void i8259_reset(DeviceState *dev)
{
    PICState *s = DEVICE_CAST(PICState, dev);

    for (int i = 0; i < 2; i++) {
        s->chip[i].elcr = 0;
        pic_chip_init_reset(&s->chip[i]);
    }
    s->chip[0].elcr_mask = 0xf8;    /* IRQ 0-2 are always edge */
    s->chip[1].elcr_mask = 0xde;    /* and IRQ 8 and 13 */
    irq_set(s->intr, 0);
}

PICState *i8259_create(BusState *bus, IRQ intr, Error **errp)
{
    DeviceState *dev = device_create(TYPE_I8259, bus, errp);
    PICState *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(PICState, dev);
    s->intr = intr;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}

void i8259_print_info(PICState *s, FILE *out)
{
    for (int i = 0; i < 2; i++) {
        const PICChip *c = &s->chip[i];
        fprintf(out, "pic%d: irr=%02x imr=%02x isr=%02x hprio=%d irq_base=%02x rr_sel=%d "
                "elcr=%02x fnm=%d\n", i, c->irr, c->imr, c->isr, c->priority_add,
                c->irq_base, c->read_reg_select, c->elcr, c->special_fully_nested);
    }
}

void i8259_print_irq_counts(PICState *s, FILE *out)
{
    fprintf(out, "IRQ statistics for isa-i8259:\n");
    for (int i = 0; i < 16; i++) {
        if (s->irq_count[i]) {
            fprintf(out, "%2d: %" PRIu64 "\n", i, s->irq_count[i]);
        }
    }
}

static int i8259_post_load(DeviceState *dev, Error **errp)
{
    PICState *s = DEVICE_CAST(PICState, dev);

    for (int i = 0; i < 2; i++) {
        if (s->chip[i].init_state > 3) {
            error_setg(errp, "i8259: bad init_state %u", s->chip[i].init_state);
            return -1;
        }
    }
    pic_update(s);
    return 0;
}

static const VMStateField i8259_vmstate[] = {
    VMSTATE_BUFFER(chip, PICState),
    VMSTATE_END,
};

static const DeviceType i8259_type = {
    .name = TYPE_I8259,
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(PICState),
    .description = "ISA 8259A PIC pair with ELCR",
    .realize = i8259_realize,
    .unrealize = i8259_unrealize,
    .reset = i8259_reset,
    .vmstate = i8259_vmstate,
    .post_load = i8259_post_load,
};
DEVICE_TYPE_REGISTER(i8259_type)
