/* The virt board's device tree (Devicetree Specification v0.4 and the Linux bindings
 * arm/gic.yaml, timer/arm,arch_timer.yaml, serial/pl011.yaml, rtc/arm,pl031, mtd/cfi-flash,
 * arm/psci.yaml, QEMU's fw-cfg binding, virtio/mmio.yaml), built with libfdt: memory, CPUs,
 * GIC, timer, PL011, PL031, fw_cfg, virtio-mmio, flash, PSCI and
 * /chosen (bootargs, initrd, stdout-path) -- exactly the devices virt.c creates, with the
 * node names and phandles of QEMU's virt board. -dtb FILE replaces it (only /chosen is
 * updated). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config-host.h"
#include "hw/arm/virt.h"
#include "target-arm/cpu.h"
#include "util/cutils.h"

#ifdef CONFIG_FDT
#include <libfdt.h>

#define FDT_BUILD_SIZE 0x10000
#define PHANDLE_CLK 0x8000
#define PHANDLE_GIC 0x8001
#define GIC_FDT_SPI 0
#define GIC_FDT_PPI 1
#define IRQ_TYPE_LEVEL_HIGH 4
#define IRQ_TYPE_EDGE_RISING 1

/* libfdt calls that remember the first error, so a node is a list of plain calls. */
typedef struct FdtBuilder {
    void *fdt;
    int err;
} FdtBuilder;

static void fb_check(FdtBuilder *b, int rc)
{
    if (rc < 0 && !b->err) {
        b->err = rc;
    }
}

static int fb_node(FdtBuilder *b, int parent, const char *name)
{
    if (b->err) {
        return -1;
    }
    int node = fdt_add_subnode(b->fdt, parent, name);
    fb_check(b, node);
    return node;
}

static void fb_cells(FdtBuilder *b, int node, const char *prop, const uint32_t *v, int n)
{
    fdt32_t cells[16];
    if (b->err || n > 16) {
        fb_check(b, -FDT_ERR_INTERNAL);
        return;
    }
    for (int i = 0; i < n; i++) {
        cells[i] = cpu_to_fdt32(v[i]);
    }
    fb_check(b, fdt_setprop(b->fdt, node, prop, cells, n * (int)sizeof(fdt32_t)));
}

static void fb_u32(FdtBuilder *b, int node, const char *prop, uint32_t v)
{
    fb_cells(b, node, prop, &v, 1);
}

static void fb_str(FdtBuilder *b, int node, const char *prop, const char *s)
{
    if (!b->err) {
        fb_check(b, fdt_setprop_string(b->fdt, node, prop, s));
    }
}

/* A string list: the strings given with their NULs, as one property. */
static void fb_strs(FdtBuilder *b, int node, const char *prop, const char *list, int len)
{
    if (!b->err) {
        fb_check(b, fdt_setprop(b->fdt, node, prop, list, len));
    }
}

static void fb_empty(FdtBuilder *b, int node, const char *prop)
{
    if (!b->err) {
        fb_check(b, fdt_setprop(b->fdt, node, prop, NULL, 0));
    }
}

/* reg with #address-cells = #size-cells = 2 */
static void fb_reg(FdtBuilder *b, int node, const uint64_t *pairs, int npairs)
{
    uint32_t cells[16];
    for (int i = 0; i < npairs * 2 && i < 8; i++) {
        cells[2 * i] = (uint32_t)(pairs[i] >> 32);
        cells[2 * i + 1] = (uint32_t)pairs[i];
    }
    fb_cells(b, node, "reg", cells, npairs * 4);
}

static void fb_spi(FdtBuilder *b, int node, uint32_t spi)
{
    const uint32_t irq[3] = { GIC_FDT_SPI, spi, IRQ_TYPE_LEVEL_HIGH };
    fb_cells(b, node, "interrupts", irq, 3);
}

/* ---- nodes ---------------------------------------------------------------------------------- */

static void fdt_add_cpus(FdtBuilder *b, VirtBoard *vb)
{
    int cpus = fb_node(b, 0, "cpus");
    fb_u32(b, cpus, "#address-cells", 1);
    fb_u32(b, cpus, "#size-cells", 0);
    for (CPUState *cpu = vb->machine->cpus; cpu; cpu = cpu->next) {
        char name[32], compat[48];
        uint32_t mpidr = arm_cpu(cpu)->cp15.mpidr & 0xffffff;
        snprintf(name, sizeof(name), "cpu@%x", mpidr);
        snprintf(compat, sizeof(compat), "arm,%s",
                 strcmp(cpu->cls->model, "max") ? cpu->cls->model : "cortex-a15");
        int node = fb_node(b, cpus, name);
        fb_str(b, node, "device_type", "cpu");
        fb_str(b, node, "compatible", compat);
        fb_u32(b, node, "reg", mpidr);
        if (vb->machine->nr_cpus > 1) {
            fb_str(b, node, "enable-method", "psci");
        }
    }
}

static void fdt_add_psci(FdtBuilder *b)
{
    static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
    int node = fb_node(b, 0, "psci");
    fb_strs(b, node, "compatible", compat, sizeof(compat));
    fb_str(b, node, "method", "hvc");
    fb_u32(b, node, "cpu_suspend", PSCI_CPU_SUSPEND);
    fb_u32(b, node, "cpu_off", PSCI_CPU_OFF);
    fb_u32(b, node, "cpu_on", PSCI_CPU_ON);
    fb_u32(b, node, "migrate", PSCI_MIGRATE);
}

static void fdt_add_gic_and_timer(FdtBuilder *b, VirtBoard *vb)
{
    const uint64_t reg[4] = { VIRT_GIC_DIST_BASE, GIC_DIST_SIZE, VIRT_GIC_CPU_BASE,
                              GIC_CPU_SIZE };
    int gic = fb_node(b, 0, "intc@8000000");
    fb_str(b, gic, "compatible", "arm,cortex-a15-gic");
    fb_u32(b, gic, "#interrupt-cells", 3);
    fb_u32(b, gic, "#address-cells", 0);
    fb_empty(b, gic, "interrupt-controller");
    fb_reg(b, gic, reg, 2);
    fb_u32(b, gic, "phandle", PHANDLE_GIC);

    /* PPI flags carry the CPU mask in bits 15:8 (arm,gic binding). */
    uint32_t flags = ((1u << vb->machine->nr_cpus) - 1) << 8 | IRQ_TYPE_LEVEL_HIGH;
    const uint32_t irqs[12] = {
        GIC_FDT_PPI, VIRT_PPI_TIMER_SEC, flags, GIC_FDT_PPI, VIRT_PPI_TIMER_PHYS, flags,
        GIC_FDT_PPI, VIRT_PPI_TIMER_VIRT, flags, GIC_FDT_PPI, VIRT_PPI_TIMER_HYP, flags,
    };
    int timer = fb_node(b, 0, "timer");
    fb_str(b, timer, "compatible", "arm,armv7-timer");
    fb_cells(b, timer, "interrupts", irqs, 12);
    fb_empty(b, timer, "always-on");
}

static void fdt_add_uart_rtc(FdtBuilder *b)
{
    static const char primecell_uart[] = "arm,pl011\0arm,primecell";
    static const char primecell_rtc[] = "arm,pl031\0arm,primecell";
    static const char clock_names[] = "uartclk\0apb_pclk";
    const uint32_t clocks[2] = { PHANDLE_CLK, PHANDLE_CLK };

    int clk = fb_node(b, 0, "apb-pclk");
    fb_str(b, clk, "compatible", "fixed-clock");
    fb_u32(b, clk, "#clock-cells", 0);
    fb_u32(b, clk, "clock-frequency", 24000000);
    fb_str(b, clk, "clock-output-names", "clk24mhz");
    fb_u32(b, clk, "phandle", PHANDLE_CLK);

    const uint64_t uart_reg[2] = { VIRT_UART_BASE, PL011_MMIO_SIZE };
    int uart = fb_node(b, 0, "pl011@9000000");
    fb_strs(b, uart, "compatible", primecell_uart, sizeof(primecell_uart));
    fb_reg(b, uart, uart_reg, 1);
    fb_spi(b, uart, VIRT_UART_SPI);
    fb_cells(b, uart, "clocks", clocks, 2);
    fb_strs(b, uart, "clock-names", clock_names, sizeof(clock_names));

    const uint64_t rtc_reg[2] = { VIRT_RTC_BASE, PL031_MMIO_SIZE };
    int rtc = fb_node(b, 0, "pl031@9010000");
    fb_strs(b, rtc, "compatible", primecell_rtc, sizeof(primecell_rtc));
    fb_reg(b, rtc, rtc_reg, 1);
    fb_spi(b, rtc, VIRT_RTC_SPI);
    fb_u32(b, rtc, "clocks", PHANDLE_CLK);
    fb_str(b, rtc, "clock-names", "apb_pclk");
}

static void fdt_add_fw_cfg(FdtBuilder *b)
{
    const uint64_t reg[2] = { VIRT_FW_CFG_BASE, FW_CFG_MEM_SIZE };
    int node = fb_node(b, 0, "fw-cfg@9020000");
    fb_str(b, node, "compatible", "qemu,fw-cfg-mmio");
    fb_reg(b, node, reg, 1);
    fb_empty(b, node, "dma-coherent");
}

/* Added from the highest address down: libfdt puts each new node first, so the finished
 * tree lists them from the lowest address, as QEMU's does. Edge-triggered, as QEMU's. */
static void fdt_add_virtio_mmio(FdtBuilder *b)
{
    for (int i = VIRT_NUM_VIRTIO - 1; i >= 0; i--) {
        uint64_t base = VIRT_MMIO_BASE + (uint64_t)i * VIRTIO_MMIO_SIZE;
        const uint64_t reg[2] = { base, VIRTIO_MMIO_SIZE };
        const uint32_t irq[3] = { GIC_FDT_SPI, VIRT_MMIO_SPI + (uint32_t)i, IRQ_TYPE_EDGE_RISING };
        char name[32];
        snprintf(name, sizeof(name), "virtio_mmio@%" PRIx64, base);
        int node = fb_node(b, 0, name);
        fb_str(b, node, "compatible", "virtio,mmio");
        fb_reg(b, node, reg, 1);
        fb_cells(b, node, "interrupts", irq, 3);
        fb_empty(b, node, "dma-coherent");
    }
}

static void fdt_add_memory_and_flash(FdtBuilder *b, VirtBoard *vb)
{
    const uint64_t mem[2] = { VIRT_RAM_BASE, vb->machine->config.ram_size };
    int node = fb_node(b, 0, "memory@40000000");
    fb_str(b, node, "device_type", "memory");
    fb_reg(b, node, mem, 1);

    const uint64_t flash[4] = { VIRT_FLASH_BASE, VIRT_FLASH_BANK_SIZE,
                                VIRT_FLASH_BASE + VIRT_FLASH_BANK_SIZE, VIRT_FLASH_BANK_SIZE };
    node = fb_node(b, 0, "flash@0");
    fb_str(b, node, "compatible", "cfi-flash");
    fb_reg(b, node, flash, 2);
    fb_u32(b, node, "bank-width", 4);
}

static void fdt_add_root(FdtBuilder *b, VirtBoard *vb)
{
    fb_str(b, 0, "compatible", "linux,dummy-virt");
    fb_str(b, 0, "model", "Mimic virt (ARMv7-A)");
    fb_u32(b, 0, "#address-cells", 2);
    fb_u32(b, 0, "#size-cells", 2);
    fb_u32(b, 0, "interrupt-parent", PHANDLE_GIC);
    int chosen = fb_node(b, 0, "chosen");
    fb_str(b, chosen, "stdout-path", "/pl011@9000000");
    fdt_add_psci(b);
    fdt_add_memory_and_flash(b, vb);
    fdt_add_cpus(b, vb);
    fdt_add_gic_and_timer(b, vb);
    fdt_add_uart_rtc(b);
    fdt_add_fw_cfg(b);
    fdt_add_virtio_mmio(b);
}

/* ---- public ---------------------------------------------------------------------------------- */

int virt_fdt_set_chosen(void *fdt, const ArmBootInfo *boot, const char *append, Error **errp)
{
    FdtBuilder b = { .fdt = fdt };
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen < 0) {
        chosen = fb_node(&b, 0, "chosen");
    }
    if (append) {
        fb_str(&b, chosen, "bootargs", append);
    }
    if (boot->initrd.data) {
        fb_u32(&b, chosen, "linux,initrd-start", (uint32_t)boot->initrd.addr);
        fb_u32(&b, chosen, "linux,initrd-end",
               (uint32_t)(boot->initrd.addr + boot->initrd.size));
    }
    if (!b.err) {
        fb_check(&b, fdt_pack(fdt));
    }
    if (b.err) {
        error_setg(errp, "device tree: %s", fdt_strerror(b.err));
        return -1;
    }
    return 0;
}

/* The initrd address is only known after placement, which needs the tree's size: the
 * initrd properties are reserved first with a dummy value, then set in place. */
static int virt_fdt_finish(VirtBoard *vb, Error **errp)
{
    const MachineConfig *c = &vb->machine->config;
    if (virt_fdt_set_chosen(vb->fdt, &vb->boot, c->append, errp) < 0) {
        return -1;
    }
    vb->fdt_size = fdt_totalsize(vb->fdt);
    if (arm_boot_place(&vb->boot, vb->fdt_size, errp) < 0) {
        return -1;
    }
    if (vb->boot.initrd.data) {
        int chosen = fdt_path_offset(vb->fdt, "/chosen");
        fdt_setprop_inplace_u32(vb->fdt, chosen, "linux,initrd-start",
                                (uint32_t)vb->boot.initrd.addr);
        fdt_setprop_inplace_u32(vb->fdt, chosen, "linux,initrd-end",
                                (uint32_t)(vb->boot.initrd.addr + vb->boot.initrd.size));
    }
    return 0;
}

void *virt_build_fdt(VirtBoard *vb, Error **errp)
{
    const MachineConfig *c = &vb->machine->config;
    if (c->dtb) {
        vb->fdt = arm_boot_load_dtb(c->dtb, errp);
    } else {
        FdtBuilder b = { .fdt = xzalloc(FDT_BUILD_SIZE) };
        fb_check(&b, fdt_create_empty_tree(b.fdt, FDT_BUILD_SIZE));
        fdt_add_root(&b, vb);
        if (b.err) {
            error_setg(errp, "device tree: %s", fdt_strerror(b.err));
            free(b.fdt);
            return NULL;
        }
        vb->fdt = b.fdt;
    }
    if (!vb->fdt || virt_fdt_finish(vb, errp) < 0) {
        free(vb->fdt);
        vb->fdt = NULL;
        return NULL;
    }
    return vb->fdt;
}

#else

void *virt_build_fdt(VirtBoard *vb, Error **errp)
{
    error_setg(errp, "-M virt: this build has no device tree support (libfdt-dev)");
    return NULL;
}

int virt_fdt_set_chosen(void *fdt, const ArmBootInfo *boot, const char *append, Error **errp)
{
    error_setg(errp, "-M virt: this build has no device tree support (libfdt-dev)");
    return -1;
}

#endif

int virt_dump_fdt(const VirtBoard *vb, Error **errp)
{
    FILE *f = fopen(vb->dumpdtb, "wb");
    if (!f || fwrite(vb->fdt, 1, vb->fdt_size, f) != vb->fdt_size) {
        error_setg(errp, "-M virt,dumpdtb=%s: cannot write the device tree", vb->dumpdtb);
        if (f) {
            fclose(f);
        }
        return -1;
    }
    return fclose(f) == 0 ? 0 : -1;
}
