/* PIIX4 power management function (PCI 00:01.3, 8086:7113) as QEMU's pc machine has it:
 * ACPI PM1 event/control registers, PM timer, GPE0, SCI on IRQ 9, the APM control port
 * 0xb2 (ACPI enable/disable), power button and S5 soft-off. */
#ifndef HW_ACPI_PIIX4_PM_H
#define HW_ACPI_PIIX4_PM_H

#include "hw/pci/pci.h"
#include "system/timer.h"

#define TYPE_PIIX4_PM "PIIX4_PM"
#define PIIX4_PM_BASE 0x600         /* what SeaBIOS 1.16 programs; preset for direct boot */
#define PIIX4_GPE0_OFFSET 0x0c
#define ACPI_PM_FREQ 3579545

typedef struct PIIX4PMState {
    PCIDevice parent_obj;
    MemoryRegion io, apm;
    bool io_mapped;
    uint16_t io_base;
    uint16_t pm1_sts, pm1_en, pm1_cnt;
    uint16_t gpe_sts, gpe_en;
    uint8_t apmc, apms;
    int64_t tmr_overflow;       /* virtual ns of the next PM timer bit-23 toggle */
    Timer *timer;
    IRQ sci;
} PIIX4PMState;

PIIX4PMState *piix4_pm_create(BusState *pci_bus, int devfn, IRQ sci, Error **errp);
/* system_powerdown: the power button's status bit and SCI. */
void piix4_pm_power_button(PIIX4PMState *s);
/* The PM timer (24 bits at 3.579545 MHz) now. */
uint32_t piix4_pm_timer(PIIX4PMState *s);

#endif
