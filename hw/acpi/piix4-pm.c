/* PIIX4 power management function (Intel 82371AB datasheet 290562, section 7; ACPI 1.0b
 * fixed hardware): PMBA (0x40) and PMREGMISC (0x80) map the PM I/O block, PM1a status
 * (write 1 to clear), enable and control (SCI_EN, SLP_TYP/SLP_EN), the 24-bit PM timer
 * at 3.579545 MHz on the virtual clock with TMR_STS on each bit-23 toggle, a GPE0 block,
 * SCI on ISA IRQ 9 (level), the APM control/status ports 0xb2/0xb3 (0xf1/0xf0 switch
 * SCI_EN), the power button for system_powerdown and S5 soft-off (SLP_TYP 0) that shuts
 * the machine down. No SMM: DEVACTB (0x5b bit 1) tells SeaBIOS SMM is already set up, as
 * QEMU does without SMM. */
#include "hw/acpi/piix4-pm.h"
#include "system/runstate.h"
#include "util/log.h"

#define PMBA 0x40
#define PMREGMISC 0x80
#define STS_TMR 0x0001
#define STS_GBL 0x0020
#define STS_PWRBTN 0x0100
#define STS_RTC 0x0400
#define STS_WAK 0x8000
#define CNT_SCI_EN 0x0001
#define CNT_SLP_EN 0x2000
#define TMR_PERIOD_TICKS (1u << 23)

static int64_t pm_ticks_to_ns(uint64_t ticks)
{
    return (int64_t)((ticks * (unsigned __int128)NS_PER_SEC + ACPI_PM_FREQ - 1) / ACPI_PM_FREQ);
}

uint32_t piix4_pm_timer(PIIX4PMState *s)
{
    int64_t now = clock_get_ns(CLK_VIRTUAL);
    return (uint32_t)(((unsigned __int128)now * ACPI_PM_FREQ / NS_PER_SEC) & 0xffffff);
}

static void pm_update_sci(PIIX4PMState *s)
{
    bool sci = (s->pm1_sts & s->pm1_en & (STS_TMR | STS_GBL | STS_PWRBTN | STS_RTC)) ||
               (s->gpe_sts & s->gpe_en);

    irq_set(s->sci, sci);
    /* the timer only needs to run while its overflow can raise an SCI */
    if (s->pm1_en & STS_TMR) {
        int64_t now = clock_get_ns(CLK_VIRTUAL);
        uint64_t ticks = (unsigned __int128)now * ACPI_PM_FREQ / NS_PER_SEC;
        s->tmr_overflow = pm_ticks_to_ns((ticks / TMR_PERIOD_TICKS + 1) * TMR_PERIOD_TICKS);
        timer_mod(s->timer, s->tmr_overflow);
    } else {
        timer_del(s->timer);
    }
}

static void pm_timer_cb(void *opaque)
{
    PIIX4PMState *s = opaque;

    s->pm1_sts |= STS_TMR;
    pm_update_sci(s);
}

static void pm_write_cnt(PIIX4PMState *s, uint16_t val)
{
    s->pm1_cnt = (val & ~CNT_SLP_EN);
    if (!(val & CNT_SLP_EN)) {
        return;
    }
    if (((val >> 10) & 7) == 0) {
        s->pm1_sts |= STS_WAK;
        system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);   /* S5 */
    } else {
        log_category_printf(LOG_UNIMP, "acpi: sleep type %d not modelled\n", (val >> 10) & 7);
    }
}

static uint64_t pm_io_read16(PIIX4PMState *s, hwaddr offset)
{
    switch (offset) {
    case 0x00: return s->pm1_sts;
    case 0x02: return s->pm1_en;
    case 0x04: return s->pm1_cnt;
    case PIIX4_GPE0_OFFSET: return s->gpe_sts;
    case PIIX4_GPE0_OFFSET + 2: return s->gpe_en;
    default: return 0;
    }
}

static uint64_t pm_io_read(void *opaque, hwaddr offset, unsigned size)
{
    PIIX4PMState *s = opaque;

    if (offset == 0x08) {
        return piix4_pm_timer(s);
    }
    if (size == 4) {
        return pm_io_read16(s, offset) | (pm_io_read16(s, offset + 2) << 16);
    }
    return pm_io_read16(s, offset);
}

static void pm_io_write16(PIIX4PMState *s, hwaddr offset, uint16_t value)
{
    switch (offset) {
    case 0x00: s->pm1_sts &= ~value; break;
    case 0x02: s->pm1_en = value; break;
    case 0x04: pm_write_cnt(s, value); break;
    case PIIX4_GPE0_OFFSET: s->gpe_sts &= ~value; break;
    case PIIX4_GPE0_OFFSET + 2: s->gpe_en = value; break;
    default: break;
    }
}

static void pm_io_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    PIIX4PMState *s = opaque;

    pm_io_write16(s, offset, value);
    if (size == 4) {
        pm_io_write16(s, offset + 2, value >> 16);
    }
    pm_update_sci(s);
}

/* 16-bit registers at even offsets, the timer a 32-bit one; byte accesses are split. */
static const MemoryRegionOps pm_io_ops = {
    .read = pm_io_read, .write = pm_io_write,
    .valid_min = 1, .valid_max = 4, .impl_min = 2, .impl_max = 4,
};

static uint64_t apm_read(void *opaque, hwaddr offset, unsigned size)
{
    PIIX4PMState *s = opaque;
    return offset ? s->apms : s->apmc;
}

static void apm_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    PIIX4PMState *s = opaque;

    if (offset) {
        s->apms = value;
        return;
    }
    s->apmc = value;
    if (value == 0xf1) {
        s->pm1_cnt |= CNT_SCI_EN;
    } else if (value == 0xf0) {
        s->pm1_cnt &= ~CNT_SCI_EN;
    }
}

static const MemoryRegionOps apm_ops = {
    .read = apm_read, .write = apm_write, .valid_min = 1, .valid_max = 1,
};

/* PMBA and PMREGMISC.PMIOSE decide where the PM block decodes. */
static void pm_update_io(PIIX4PMState *s)
{
    const uint8_t *cfg = s->parent_obj.config;
    uint16_t base = pci_get_word(cfg + PMBA) & 0xffc0;
    bool enable = (cfg[PMREGMISC] & 1) && base;
    MemoryRegion *io = s->parent_obj.bus->io;

    if (s->io_mapped && (!enable || base != s->io_base)) {
        memory_region_del_subregion(io, &s->io);
        s->io_mapped = false;
    }
    if (enable && !s->io_mapped) {
        memory_region_add_subregion(io, base, &s->io, 0);
        s->io_mapped = true;
        s->io_base = base;
    }
}

static void pm_write_config(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len)
{
    pci_default_write_config(d, addr, val, len);
    if ((addr < PMBA + 4 && addr + len > PMBA) || (addr <= PMREGMISC && addr + len > PMREGMISC)) {
        pm_update_io(DEVICE_CAST(PIIX4PMState, d));
    }
}

void piix4_pm_power_button(PIIX4PMState *s)
{
    s->pm1_sts |= STS_PWRBTN;
    pm_update_sci(s);
}

static void piix4_pm_reset(DeviceState *dev)
{
    PIIX4PMState *s = DEVICE_CAST(PIIX4PMState, dev);
    uint8_t *cfg = s->parent_obj.config;

    pci_device_reset_common(&s->parent_obj);
    pci_set_long(cfg + PMBA, PIIX4_PM_BASE | 1);
    cfg[PMREGMISC] = 1;
    cfg[PCI_INTERRUPT_LINE] = 9;
    cfg[0x5b] = 0x02;               /* DEVACTB.APMC_EN: "SMM already initialised" */
    s->pm1_sts = s->pm1_en = s->pm1_cnt = 0;
    s->gpe_sts = s->gpe_en = 0;
    s->apmc = s->apms = 0;
    pm_update_io(s);
    pm_update_sci(s);
}

static int piix4_pm_realize(DeviceState *dev, Error **errp)
{
    PIIX4PMState *s = DEVICE_CAST(PIIX4PMState, dev);
    PCIDevice *d = &s->parent_obj;

    d->config_write = pm_write_config;
    if (pci_device_init(d, 0x8086, 0x7113, 0x03, 0x0680, errp) < 0) {
        return -1;
    }
    d->config[PCI_INTERRUPT_PIN] = 1;
    pci_set_long(d->wmask + PMBA, 0xffc0);
    d->wmask[PMREGMISC] = 0x01;
    s->timer = timer_new(CLK_VIRTUAL, pm_timer_cb, s);
    memory_region_init_io(&s->io, &pm_io_ops, s, "acpi-pm", 64);
    memory_region_init_io(&s->apm, &apm_ops, s, "apm", 2);
    memory_region_add_subregion(d->bus->io, 0xb2, &s->apm, 0);
    piix4_pm_reset(dev);
    return 0;
}

static void piix4_pm_unrealize(DeviceState *dev)
{
    PIIX4PMState *s = DEVICE_CAST(PIIX4PMState, dev);
    MemoryRegion *io = s->parent_obj.bus->io;

    if (s->io_mapped) {
        memory_region_del_subregion(io, &s->io);
    }
    memory_region_del_subregion(io, &s->apm);
    memory_region_destroy(&s->io);
    memory_region_destroy(&s->apm);
    timer_free(s->timer);
    pci_device_exit(&s->parent_obj);
}

PIIX4PMState *piix4_pm_create(BusState *pci_bus, int devfn, IRQ sci, Error **errp)
{
    DeviceState *dev = device_create(TYPE_PIIX4_PM, pci_bus, errp);
    PIIX4PMState *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(PIIX4PMState, dev);
    s->parent_obj.devfn = devfn;
    s->sci = sci;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}

static int piix4_pm_post_load(DeviceState *dev, Error **errp)
{
    PIIX4PMState *s = DEVICE_CAST(PIIX4PMState, dev);

    if (s->io_mapped) {
        memory_region_del_subregion(s->parent_obj.bus->io, &s->io);
        s->io_mapped = false;
    }
    pm_update_io(s);
    pm_update_sci(s);
    return 0;
}

static const VMStateField piix4_pm_vmstate[] = {
    VMSTATE_UINT8_ARRAY(config, PCIDevice, PCI_CONFIG_SIZE),
    VMSTATE_UINT16(pm1_sts, PIIX4PMState),
    VMSTATE_UINT16(pm1_en, PIIX4PMState),
    VMSTATE_UINT16(pm1_cnt, PIIX4PMState),
    VMSTATE_UINT16(gpe_sts, PIIX4PMState),
    VMSTATE_UINT16(gpe_en, PIIX4PMState),
    VMSTATE_UINT8(apmc, PIIX4PMState),
    VMSTATE_UINT8(apms, PIIX4PMState),
    VMSTATE_END,
};

static const DeviceType piix4_pm_type = {
    .name = TYPE_PIIX4_PM,
    .bus_type = BUS_TYPE_PCI,
    .instance_size = sizeof(PIIX4PMState),
    .description = "PIIX4 ACPI power management",
    .realize = piix4_pm_realize,
    .unrealize = piix4_pm_unrealize,
    .reset = piix4_pm_reset,
    .vmstate = piix4_pm_vmstate,
    .post_load = piix4_pm_post_load,
};
DEVICE_TYPE_REGISTER(piix4_pm_type)
