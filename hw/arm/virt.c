/* -M virt for mimic-system-arm: QEMU's virt board (memory map and interrupt numbers in
 * virt.h) with a Cortex-A15 class CPU per -smp, a GICv2, the generic timer PPIs, a PL011
 * UART on the first -serial, a PL031 RTC, fw_cfg (MMIO, with DMA), 32 virtio-mmio
 * transports (virt-virtio.c), two 64 MiB CFI flash
 * banks at 0 (-bios is loaded into the first and runs from there), RAM at 1 GiB, PSCI
 * through HVC (virt-psci.c), a generated device tree (virt-fdt.c) and direct Linux boot
 * (boot.c). Options: -M virt,dumpdtb=FILE writes the device tree and exits. */
#include <stdlib.h>
#include <string.h>
#include "hw/arm/virt.h"
#include "system/vl.h"
#include "target-arm/cpu.h"
#include "util/cutils.h"
#include "util/keyval.h"

static void *virt_create_device(const char *type, Error **errp)
{
    DeviceState *dev = device_create(type, NULL, errp);
    return dev;
}

static int virt_create_gic(VirtBoard *vb, Error **errp)
{
    Machine *m = vb->machine;
    vb->gic = virt_create_device("arm_gic", errp);
    if (!vb->gic) {
        return -1;
    }
    vb->gic->num_cpus = (uint32_t)m->nr_cpus;
    vb->gic->num_irqs = VIRT_GIC_NUM_IRQS;
    vb->gic->dist_base = VIRT_GIC_DIST_BASE;
    vb->gic->cpu_base = VIRT_GIC_CPU_BASE;
    vb->gic->has_base = true;
    for (CPUState *cpu = m->cpus; cpu; cpu = cpu->next) {
        vb->cpu_lines[cpu->index][0] = irq_new(arm_cpu_irq_handler, cpu, ARM_IRQ_LINE);
        vb->cpu_lines[cpu->index][1] = irq_new(arm_cpu_irq_handler, cpu, ARM_FIQ_LINE);
        vb->gic->irq_out[cpu->index] = vb->cpu_lines[cpu->index][0];
        vb->gic->fiq_out[cpu->index] = vb->cpu_lines[cpu->index][1];
    }
    return device_realize(DEVICE(vb->gic), errp);
}

/* Each CPU's generic timer outputs go to its banked PPIs. */
static void virt_wire_timers(VirtBoard *vb)
{
    static const int ppi[ARM_GT_COUNT] = {
        [ARM_GT_PHYS] = VIRT_PPI_TIMER_PHYS, [ARM_GT_VIRT] = VIRT_PPI_TIMER_VIRT,
        [ARM_GT_HYP] = VIRT_PPI_TIMER_HYP, [ARM_GT_SEC] = VIRT_PPI_TIMER_SEC,
    };
    for (CPUState *cpu = vb->machine->cpus; cpu; cpu = cpu->next) {
        for (int t = 0; t < ARM_GT_COUNT; t++) {
            arm_cpu(cpu)->gt_timer_out[t] = arm_gic_ppi(vb->gic, cpu->index, 16 + ppi[t]);
        }
    }
}

static int virt_create_uart_rtc(VirtBoard *vb, Error **errp)
{
    vb->uart = virt_create_device(pl011_device_type.name, errp);
    if (!vb->uart) {
        return -1;
    }
    vb->uart->chr = vl_serial_chardev(0);
    vb->uart->irq = arm_gic_spi(vb->gic, VIRT_UART_SPI);
    vb->uart->base = VIRT_UART_BASE;
    vb->uart->has_base = true;
    if (device_realize(DEVICE(vb->uart), errp) < 0) {
        return -1;
    }
    vb->rtc = virt_create_device(pl031_device_type.name, errp);
    if (!vb->rtc) {
        return -1;
    }
    vb->rtc->irq = arm_gic_spi(vb->gic, VIRT_RTC_SPI);
    vb->rtc->base = VIRT_RTC_BASE;
    vb->rtc->has_base = true;
    return device_realize(DEVICE(vb->rtc), errp);
}

/* fw_cfg with DMA, as QEMU's virt: the CPU count for firmware (U-Boot's qfw). */
static int virt_create_fw_cfg(VirtBoard *vb, Error **errp)
{
    vb->fw_cfg = fw_cfg_create_mem(NULL, VIRT_FW_CFG_BASE, &vb->machine->as_memory, true,
                                   errp);
    if (!vb->fw_cfg) {
        return -1;
    }
    fw_cfg_add_i16(vb->fw_cfg, FW_CFG_NB_CPUS, (uint16_t)vb->machine->nr_cpus);
    return 0;
}

/* Two CFI flash banks; -bios goes into the first. */
static int virt_create_flash(VirtBoard *vb, Error **errp)
{
    const char *bios = vb->machine->config.bios;
    for (int i = 0; i < 2; i++) {
        vb->flash[i] = virt_create_device(pflash_cfi01_device_type.name, errp);
        if (!vb->flash[i]) {
            return -1;
        }
        vb->flash[i]->size = VIRT_FLASH_BANK_SIZE;
        vb->flash[i]->sector_size = VIRT_FLASH_SECTOR_SIZE;
        vb->flash[i]->base = VIRT_FLASH_BASE + i * VIRT_FLASH_BANK_SIZE;
        vb->flash[i]->has_base = true;
        if (device_realize(DEVICE(vb->flash[i]), errp) < 0) {
            return -1;
        }
    }
    if (!bios) {
        return 0;
    }
    uint8_t *data;
    size_t size;
    if (arm_boot_read_file("-bios", bios, VIRT_FLASH_BANK_SIZE, &data, &size, errp) < 0) {
        return -1;
    }
    memcpy(pflash_cfi01_storage(vb->flash[0]), data, size);
    free(data);
    vb->firmware_boot = true;
    return 0;
}

static void virt_map_ram(Machine *m)
{
    if (m->ram) {
        memory_region_del_subregion(m->system_memory, m->ram);
        memory_region_add_subregion(m->system_memory, VIRT_RAM_BASE, m->ram, 0);
    }
}

static int virt_parse_options(VirtBoard *vb, Error **errp)
{
    const char *opts = vb->machine->config.machine_opts;
    KeyValList kv;
    if (vb->machine->config.rtc) {
        error_setg(errp, "-rtc %s: the virt board's PL031 does not take -rtc options yet "
                   "(it starts at the host's UTC time)", vb->machine->config.rtc);
        return -1;
    }
    if (!opts) {
        return 0;
    }
    if (keyval_parse(opts, NULL, &kv, errp) < 0) {
        return -1;
    }
    const char *dump = keyval_get(&kv, "dumpdtb");
    vb->dumpdtb = dump ? xstrdup(dump) : NULL;
    int rc = keyval_check_unused(&kv, "-M virt", errp);
    keyval_free(&kv);
    return rc;
}

static int virt_load_images(VirtBoard *vb, Error **errp)
{
    const MachineConfig *c = &vb->machine->config;
    vb->boot.ram_base = VIRT_RAM_BASE;
    vb->boot.ram_size = c->ram_size;
    if (c->kernel && vb->firmware_boot) {
        error_setg(errp, "-kernel %s: cannot be combined with -bios on this board (the "
                   "kernel is not passed through fw_cfg yet)", c->kernel);
        return -1;
    }
    if (!c->kernel && (c->initrd || c->append)) {
        error_setg(errp, "%s: needs -kernel", c->initrd ? "-initrd" : "-append");
        return -1;
    }
    if (c->kernel && arm_boot_load_kernel(&vb->boot, c->kernel, errp) < 0) {
        return -1;
    }
    if (c->initrd && arm_boot_load_initrd(&vb->boot, c->initrd, errp) < 0) {
        return -1;
    }
    return virt_build_fdt(vb, errp) ? 0 : -1;     /* also places initrd and tree */
}

/* Images into RAM, CPU 0 at the entry point, the others powered off until PSCI CPU_ON. */
static void virt_reset(Machine *m)
{
    VirtBoard *vb = m->board;
    arm_boot_write(&vb->boot, &m->as_memory, vb->fdt, vb->fdt_size);
    for (CPUState *cpu = m->cpus; cpu; cpu = cpu->next) {
        if (cpu->index == 0) {
            if (vb->boot.kind != ARM_KERNEL_NONE) {
                arm_cpu_set_entry(arm_cpu(cpu), vb->boot.entry, 0, 0xffffffffu,
                                  (uint32_t)vb->boot.dtb_addr);
            }
        } else {
            arm_cpu_power(arm_cpu(cpu), false);
            cpu->halted = true;
        }
    }
}

static int virt_init(Machine *m, Error **errp)
{
    VirtBoard *vb = xzalloc(sizeof(*vb));
    vb->machine = m;
    m->board = vb;
    if (virt_parse_options(vb, errp) < 0) {
        return -1;
    }
    virt_map_ram(m);
    if (virt_create_flash(vb, errp) < 0 || virt_create_gic(vb, errp) < 0 ||
        virt_create_uart_rtc(vb, errp) < 0 || virt_create_fw_cfg(vb, errp) < 0 ||
        virt_create_virtio(vb, errp) < 0) {
        return -1;
    }
    virt_wire_timers(vb);
    virt_psci_install(vb);
    if (virt_load_images(vb, errp) < 0) {
        return -1;
    }
    if (vb->dumpdtb) {
        if (virt_dump_fdt(vb, errp) < 0) {
            return -1;
        }
        exit(0);                    /* as QEMU: dumpdtb writes the file and stops */
    }
    DeviceState *devs[] = { DEVICE(vb->gic), DEVICE(vb->uart), DEVICE(vb->rtc),
                            DEVICE(vb->flash[0]), DEVICE(vb->flash[1]), DEVICE(vb->fw_cfg) };
    for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
        device_reset(devs[i]);
    }
    virt_reset(m);
    return 0;
}

static void virt_destroy(Machine *m)
{
    VirtBoard *vb = m->board;
    if (!vb) {
        return;
    }
    for (int i = 0; i < VIRT_NUM_VIRTIO; i++) {
        if (vb->virtio[i]) {
            device_destroy(DEVICE(vb->virtio[i]));
        }
    }
    if (vb->rtc) {
        device_destroy(DEVICE(vb->rtc));
    }
    if (vb->fw_cfg) {
        device_destroy(DEVICE(vb->fw_cfg));
    }
    if (vb->uart) {
        device_destroy(DEVICE(vb->uart));
    }
    if (vb->gic) {
        device_destroy(DEVICE(vb->gic));
    }
    for (int c = 0; c < GIC_MAX_CPUS; c++) {
        irq_free(vb->cpu_lines[c][0]);
        irq_free(vb->cpu_lines[c][1]);
    }
    for (int i = 0; i < 2; i++) {
        if (vb->flash[i]) {
            device_destroy(DEVICE(vb->flash[i]));
        }
    }
    arm_boot_free(&vb->boot);
    free(vb->fdt);
    free(vb->dumpdtb);
    free(vb);
    m->board = NULL;
}

/* -M virt,... properties of this board (generic ones: system/machine-opts.c). */
static const char *const virt_props[] = { "dumpdtb", NULL };
static const char *const virt_drive_interfaces[] = { "virtio", NULL };

const MachineClass virt_machine_class = {
    .name = "virt",
    .description = "ARM virtual machine (QEMU's virt memory map)",
    .arch = "arm",
    .is_default = true,
    .default_ram_size = 128u << 20,
    .max_ram_size = VIRT_MAX_RAM,
    .max_cpus = GIC_MAX_CPUS,
    .default_cpu_model = "cortex-a15",
    .init = virt_init,
    .reset = virt_reset,
    .destroy = virt_destroy,
    .props = virt_props,
    .drive_interfaces = virt_drive_interfaces,
};

static void __attribute__((constructor)) virt_register(void)
{
    machine_class_register(&virt_machine_class);
}
