/* Monitor commands of the pc machine: "info pic" (i8259 pair and IOAPIC), "info lapic
 * [cpu]", "info irq", "info pci", "sendkey keys" (QEMU's key names joined with '-') and
 * "nmi" (to every CPU), registered when the machine is built. */
#include <stdlib.h>
#include <string.h>
#include "hw/i386/pc.h"
#include "hw/intc/apic.h"
#include "monitor/monitor.h"

static PCMachineState *mon_pcms;

static void info_pic(FILE *out, const char *args)
{
    if (mon_pcms) {
        i8259_print_info(mon_pcms->pic, out);
        ioapic_print_info(mon_pcms->ioapic, out);
    }
}

static void info_lapic(FILE *out, const char *args)
{
    char *end;
    long index = strtol(args, &end, 0);
    APICState *apic;

    while (*end == ' ') {
        end++;
    }
    apic = apic_for_cpu(*end ? -1 : (int)index);
    if (!apic) {
        fprintf(out, "info lapic: no CPU '%s'\n", args);
        return;
    }
    apic_print_info(apic, out);
}

static void info_irq(FILE *out, const char *args)
{
    if (mon_pcms) {
        i8259_print_irq_counts(mon_pcms->pic, out);
        ioapic_print_irq_counts(mon_pcms->ioapic, out);
    }
}

static void info_pci(FILE *out, const char *args)
{
    if (mon_pcms) {
        pci_print_info(mon_pcms->pci_host->bus, out);
    }
}

static void cmd_sendkey(FILE *out, const char *args)
{
    char keys[256] = "";
    Error *err = NULL;

    if (sscanf(args, " %255s", keys) != 1) {
        fprintf(out, "sendkey: give keys, e.g. sendkey ctrl-alt-delete\n");
        return;
    }
    if (mon_pcms && i8042_send_keys(mon_pcms->kbd, keys, &err) < 0) {
        fprintf(out, "%s\n", error_get_message(err));
        error_free(err);
    }
}

static void cmd_nmi(FILE *out, const char *args)
{
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        cpu_interrupt(cpu, CPU_INTERRUPT_NMI);
    }
}

void pc_monitor_init(PCMachineState *pcms)
{
    mon_pcms = pcms;
    if (!pcms) {
        return;
    }
    monitor_register_info("pic", "show PIC state", info_pic);
    monitor_register_info("lapic", "[cpu] show local APIC state", info_lapic);
    monitor_register_info("irq", "show the interrupts statistics", info_irq);
    monitor_register_info("pci", "show PCI info", info_pci);
    monitor_register_command("sendkey", "keys [hold_ms]",
                             "send keys to the VM (e.g. 'sendkey ctrl-alt-f1')", cmd_sendkey);
    monitor_register_command("nmi", "", "inject an NMI on all CPUs", cmd_nmi);
}
