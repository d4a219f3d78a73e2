/* The "pc" machine: QEMU's i440FX/PIIX3 PC (the default board of mimic-system-i386 and
 * -x86_64). RAM below the PCI hole and above 4 GiB, the PCI memory window under it, the
 * BIOS at the top of 4 GiB; i8259 pair, i8254, MC146818, COM1-4 on the -serial chardevs,
 * fw_cfg at 0x510; the CPUs' INTR comes from the PIC; FERR# is IRQ 13 (port F0h). */
#include <stdlib.h>
#include <string.h>
#include "block/block.h"
#include "hw/i386/pc.h"
#include "hw/display/vga-pci.h"
#include "hw/intc/apic.h"
#include "hw/virtio/virtio-blk.h"
#include "system/boot-options.h"
#include "chardev/chardev.h"
#include "system/main-loop.h"
#include "target-i386/cpu.h"
#include "target-i386/cpuid.h"
#include "util/cutils.h"

/* vl.c's -serial list; weak so that unit tests (no vl.o) build the board without it. */
Chardev *vl_serial_chardev(int index) __attribute__((weak));
/* vl.c's -vga ("std", "none"); without vl (tests) there is no VGA. */
const char *vl_vga_interface(void) __attribute__((weak));

/* ---- interrupts to the CPUs: PIC -> LINT0 of CPU 0, LAPICs, IOAPIC ---------------------- */

static void pc_pic_intr(void *opaque, int n, int level)
{
    APICState *apic = apic_for_cpu(0);

    if (apic) {
        apic_set_pic_intr(apic, level);
    }
}

static int pc_pic_ack(void *opaque)
{
    PCMachineState *pcms = opaque;
    return i8259_ack(pcms->pic);
}

static bool pc_pic_pending(void *opaque)
{
    PCMachineState *pcms = opaque;
    return pcms->pic && i8259_output(pcms->pic);
}

/* The X86IntcOps hooks run on the vCPU thread, which executes guest code without the big
 * lock (docs/threads.md), while the main thread's timers and block completions raise
 * interrupts with it held. The LAPIC, IOAPIC and PIC are device state: every hook takes the
 * lock. Without it an acknowledge's read-modify-write of IRR could drop a timer vector the
 * main thread set in the same word at that moment (an idle guest then halts forever), and
 * its clearing of CPU_INTERRUPT_HARD could hide a just-raised interrupt until the next EOI. */
static bool pc_intc_lock(void)
{
    if (bql_locked()) {
        return false;
    }
    bql_lock();
    return true;
}

static void pc_intc_unlock(bool taken)
{
    if (taken) {
        bql_unlock();
    }
}

static int pc_intc_ack(CPUState *cpu)
{
    APICState *apic = apic_for_cpu(cpu->index);
    bool taken = pc_intc_lock();
    int vector = apic ? apic_ack(apic) : -1;

    pc_intc_unlock(taken);
    return vector;
}

static void pc_intc_apic_base_changed(CPUState *cpu)
{
    APICState *apic = apic_for_cpu(cpu->index);
    bool taken = pc_intc_lock();

    if (apic) {
        apic_base_changed(apic, x86_cpu(cpu)->apic_base);
    }
    pc_intc_unlock(taken);
}

static void pc_intc_set_tpr(CPUState *cpu, uint8_t cr8)
{
    APICState *apic = apic_for_cpu(cpu->index);
    bool taken = pc_intc_lock();

    if (apic) {
        apic_set_tpr_cr8(apic, cr8);
    }
    pc_intc_unlock(taken);
}

static uint8_t pc_intc_get_tpr(CPUState *cpu)
{
    APICState *apic = apic_for_cpu(cpu->index);
    bool taken = pc_intc_lock();
    uint8_t tpr = apic ? apic_get_tpr_cr8(apic) : 0;

    pc_intc_unlock(taken);
    return tpr;
}

/* IA32_TSC_DEADLINE: the TSC value to virtual-clock ns with the CPU's TSC rate. */
static bool pc_intc_msr(CPUState *cpu, uint32_t msr, uint64_t *value, bool write)
{
    APICState *apic = apic_for_cpu(cpu->index);
    X86CPU *x = x86_cpu(cpu);
    int64_t expire;
    bool taken;

    if (msr != 0x6e0 || !apic) {
        return false;
    }
    taken = pc_intc_lock();
    if (!write) {
        *value = apic_get_tsc_deadline(apic);
    } else {
        if (*value <= x->tsc_offset || !x->tsc_khz) {
            expire = clock_get_ns(CLK_VIRTUAL);     /* already passed: fire now */
        } else {
            unsigned __int128 ns = (unsigned __int128)(*value - x->tsc_offset) * 1000000u /
                                   x->tsc_khz;
            expire = ns > INT64_MAX ? INT64_MAX : (int64_t)ns;
        }
        apic_set_tsc_deadline(apic, *value, expire);
    }
    pc_intc_unlock(taken);
    return true;
}

/* FERR# (x87 exception with CR0.NE = 0): IRQ 13 until the write to port F0h. */
static void pc_intc_ferr(CPUState *cpu)
{
    PCMachineState *pcms = cpu->machine ? cpu->machine->board : NULL;
    bool taken;

    if (!pcms || !pcms->ferr) {
        return;
    }
    taken = pc_intc_lock();
    ferr_raise(pcms->ferr);
    pc_intc_unlock(taken);
}

static const X86IntcOps pc_intc_ops = {
    .ack = pc_intc_ack,
    .apic_base_changed = pc_intc_apic_base_changed,
    .set_tpr = pc_intc_set_tpr,
    .get_tpr = pc_intc_get_tpr,
    .msr = pc_intc_msr,
    .cpuid_1_ecx = CPUID_EXT_TSC_DEADLINE,
    .ferr = pc_intc_ferr,
};

static int pc_create_cpus(Machine *machine, Error **errp)
{
    const CPUClass *cls = cpu_class_default(machine->config.arch);

    for (int i = machine->nr_cpus; i < machine->config.smp_cpus; i++) {
        if (!cls || !machine_add_cpu(machine, cls, errp)) {
            if (!cls) {
                error_setg(errp, "no x86 CPU model in this binary");
            }
            return -1;
        }
    }
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        if (cpu->machine == machine) {
            x86_cpu(cpu)->intc = &pc_intc_ops;
            if (!apic_create(cpu, errp)) {
                return -1;
            }
        }
    }
    apic_mmio_init(machine->system_memory);
    return 0;
}

/* ---- memory map ---------------------------------------------------------------------------- */

static void pc_memory_init(PCMachineState *pcms)
{
    Machine *machine = pcms->machine;
    uint64_t ram_size = machine->config.ram_size;

    pcms->below_4g = ram_size >= PC_BELOW_4G_MAX ? 0xc0000000ull : ram_size;
    pcms->above_4g = ram_size - pcms->below_4g;
    memory_region_del_subregion(machine->system_memory, machine->ram);
    memory_region_init_alias(&pcms->ram_below_4g, "ram-below-4g", machine->ram, 0,
                             pcms->below_4g);
    memory_region_add_subregion(machine->system_memory, 0, &pcms->ram_below_4g, 0);
    if (pcms->above_4g) {
        memory_region_init_alias(&pcms->ram_above_4g, "ram-above-4g", machine->ram,
                                 pcms->below_4g, pcms->above_4g);
        memory_region_add_subregion(machine->system_memory, 1ull << 32, &pcms->ram_above_4g, 0);
    }
    memory_region_init_container(&pcms->pci_mem, "pci", UINT64_MAX);
    memory_region_add_subregion(machine->system_memory, 0, &pcms->pci_mem, -1);
}

/* ---- A20: the keyboard controller's output port OR port 0x92 ---------------------------- */

static void pc_a20(void *opaque, int n, int level)
{
    PCMachineState *pcms = opaque;
    bool on;

    pcms->a20_levels = level ? (pcms->a20_levels | (1u << n)) : (pcms->a20_levels & ~(1u << n));
    on = pcms->a20_levels != 0;
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        if (cpu->machine == pcms->machine) {
            x86_cpu_set_a20(x86_cpu(cpu), on);
        }
    }
}

/* ---- ISA devices ------------------------------------------------------------------------------ */

static void pc_isa_irqs_init(PCMachineState *pcms)
{
    pcms->isa_irqs = xzalloc(sizeof(IRQ) * ISA_NUM_IRQS);
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        /* ISA IRQ 0 is IOAPIC pin 2 (the MADT's override), the others pin = IRQ */
        IRQ outs[2] = { pcms->pic->in[i], pcms->ioapic->in[i ? i : 2] };
        pcms->isa_irqs[i] = irq_splitter_new(outs, 2);
    }
    isa_bus_set_irqs(pcms->isa_irqs);
}

static int pc_rtc_init(PCMachineState *pcms, BusState *isa, Error **errp)
{
    const char *spec = pcms->machine->config.rtc;
    char *base = NULL, *clock = NULL;

    if (spec && mc146818_parse_rtc_option(spec, &base, &clock, errp) < 0) {
        return -1;
    }
    pcms->rtc = mc146818_create(isa, isa_get_irq(8), base, clock, errp);
    free(base);
    free(clock);
    return pcms->rtc ? 0 : -1;
}

static int pc_isa_devices_init(PCMachineState *pcms, Error **errp)
{
    BusState *isa = qbus_find("isa.0");

    pcms->pic_intr = irq_new(pc_pic_intr, pcms, 0);
    pcms->pic = i8259_create(isa, pcms->pic_intr, errp);
    pcms->ioapic = pcms->pic ? ioapic_create(NULL, errp) : NULL;
    if (!pcms->ioapic) {
        return -1;
    }
    apic_set_pic_ack(pc_pic_ack, pc_pic_pending, pcms);
    pc_isa_irqs_init(pcms);
    pcms->pit = i8254_create(isa, isa_get_irq(0), errp);
    if (!pcms->pit || pc_rtc_init(pcms, isa, errp) < 0) {
        return -1;
    }
    pcms->a20 = irq_new_array(pc_a20, pcms, 2);
    pcms->kbd = i8042_create(isa, isa_get_irq(1), isa_get_irq(12), pcms->a20[0], errp);
    if (!pcms->kbd || !port92_create(isa, pcms->a20[1], errp) ||
        !(pcms->ferr = ferr_create(isa, isa_get_irq(13), errp))) {
        return -1;
    }
    for (int i = 0; i < PC_MAX_SERIAL; i++) {
        Chardev *chr = vl_serial_chardev ? vl_serial_chardev(i) : NULL;
        if (chr && !(pcms->serial[i] = isa_serial_create(isa, i, chr, NULL, errp))) {
            return -1;
        }
    }
    return 0;
}

/* ---- the machine ------------------------------------------------------------------------------- */

static void pc_board_free(Machine *machine);

static int pc_init_board(Machine *machine, Error **errp);

static int pc_init(Machine *machine, Error **errp)
{
    if (pc_init_board(machine, errp) < 0) {
        pc_board_free(machine);     /* machine_create destroys the machine next */
        return -1;
    }
    return 0;
}

static int pc_init_board(Machine *machine, Error **errp)
{
    PCMachineState *pcms = xzalloc(sizeof(*pcms));

    machine->board = pcms;
    pcms->machine = machine;
    if (pc_create_cpus(machine, errp) < 0) {
        return -1;
    }
    pc_memory_init(pcms);
    if (pc_load_bios(pcms, machine->config.bios, errp) < 0) {
        return -1;
    }
    pcms->pci_host = i440fx_create(machine->system_memory, machine->ram, &pcms->pci_mem,
                                   machine->io_memory, errp);
    if (!pcms->pci_host || pc_isa_devices_init(pcms, errp) < 0) {
        return -1;
    }
    pcms->pm = piix4_pm_create(pcms->pci_host->bus->qbus, PCI_DEVFN(1, 3), isa_get_irq(9),
                               errp);
    pcms->hpet = pcms->pm ? hpet_create(pcms->ioapic->in, pcms->isa_irqs[0], pcms->isa_irqs[8],
                                        errp) : NULL;
    if (!pcms->hpet) {
        return -1;
    }
    pcms->ide = piix3_ide_create(pcms->pci_host->bus->qbus, PCI_DEVFN(1, 1),
                                 &machine->as_memory, errp);
    if (!pcms->ide || ide_attach_if_drives(pcms->ide->bus, errp) < 0) {
        return -1;
    }
    pcms->isa_dma = i8237_create(qbus_find("isa.0"), &machine->as_memory, errp);
    pcms->fdc = pcms->isa_dma ? fdc_create_with_drives(qbus_find("isa.0"), isa_get_irq(6),
                                                       pcms->isa_dma, errp) : NULL;
    if (!pcms->fdc) {
        return -1;
    }
    if (vl_vga_interface && vl_vga_interface() && !strcmp(vl_vga_interface(), "std") &&
        !vga_pci_create(pcms->pci_host->bus->qbus, PCI_DEVFN(2, 0), errp)) {
        return -1;
    }
    pcms->fw_cfg = fw_cfg_create_io(NULL, 0x510, &machine->as_memory, true, errp);
    if (!pcms->fw_cfg || pc_fw_cfg_setup(pcms, errp) < 0 || pc_cmos_init(pcms, errp) < 0 ||
        pc_acpi_setup(pcms, true, errp) < 0) {
        return -1;
    }
    /* -drive if=virtio: after the fixed-slot devices, at the first free slots */
    if (virtio_blk_pci_create_drives(pcms->pci_host->bus->qbus, errp) < 0) {
        return -1;
    }
    if (machine->config.kernel && pc_boot_load_kernel(pcms, errp) < 0) {
        return -1;
    }
    pc_boot_apply(pcms);
    pc_monitor_init(pcms);
    return 0;
}

/* Frees the devices and the board's state; the machine itself stays. */
static void pc_board_free(Machine *machine)
{
    PCMachineState *pcms = machine->board;

    boot_device_set_listener(NULL, NULL);
    /* Disk requests still in flight complete (and raise their interrupts) while every
     * device and interrupt controller exists: a completion run by a controller's own
     * teardown drain could otherwise reach one already destroyed. */
    block_aio_wait_all();
    qdev_destroy_all();
    boot_device_clear();
    isa_bus_set_irqs(NULL);
    apic_set_pic_ack(NULL, NULL, NULL);
    apic_mmio_fini(machine->system_memory);
    pc_monitor_init(NULL);
    if (pcms) {
        pc_boot_free(&pcms->boot);
        MemoryRegion *regions[] = { &pcms->isa_bios, &pcms->bios, &pcms->ram_above_4g,
                                    &pcms->ram_below_4g, &pcms->pci_mem };
        for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
            memory_region_destroy(regions[i]);
        }
        for (int i = 0; pcms->isa_irqs && i < ISA_NUM_IRQS; i++) {
            irq_splitter_free(pcms->isa_irqs[i]);
        }
        free(pcms->isa_irqs);
        irq_free(pcms->pic_intr);
        irq_free_array(pcms->a20, 2);
        free(pcms);
        machine->board = NULL;
    }
}

void pc_machine_destroy(Machine *machine)
{
    pc_board_free(machine);
    machine_destroy(machine);
}

static void pc_reset(Machine *machine)
{
    pc_cmos_set_boot_order(machine->board, false, NULL);    /* -boot once= is spent */
    pc_boot_apply(machine->board);
}

static void pc_powerdown(Machine *machine)
{
    PCMachineState *pcms = machine->board;

    if (pcms && pcms->pm) {
        piix4_pm_power_button(pcms->pm);
    }
}

static const MachineClass pc_machine_class = {
    .name = "pc",
    .description = "Standard PC (i440FX + PIIX, 1996)",
    .arch = "i386",
    .is_default = true,
    .default_ram_size = 128ull << 20,
    .max_ram_size = 1ull << 40,
    .max_cpus = 32,
    .drive_interfaces = (const char *const[]){ "ide", "floppy", "virtio", NULL },
    .init = pc_init,
    .reset = pc_reset,
    .powerdown = pc_powerdown,
};

static void __attribute__((constructor)) pc_machine_register(void)
{
    machine_class_register(&pc_machine_class);
}
