/* The "pc" machine (i440FX + PIIX3, QEMU's default x86 board): its state and the pieces
 * split over hw/i386/pc*.c. */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

#include "hw/acpi/aml.h"
#include "hw/acpi/piix4-pm.h"
#include "hw/char/serial.h"
#include "hw/i386/ferr.h"
#include "hw/i386/pc-boot.h"
#include "hw/i386/port92.h"
#include "hw/block/fdc.h"
#include "hw/ide/piix.h"
#include "hw/input/i8042.h"
#include "hw/intc/i8259.h"
#include "hw/intc/ioapic.h"
#include "hw/isa/isa.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/pci/i440fx.h"
#include "hw/rtc/mc146818.h"
#include "hw/timer/hpet.h"
#include "hw/timer/i8254.h"
#include "system/machine.h"

#define PC_MAX_SERIAL 4
#define PC_BELOW_4G_MAX 0xe0000000ull
#define PC_BIOS_MAX (16u << 20)

typedef struct PCMachineState {
    Machine *machine;
    MemoryRegion ram_below_4g, ram_above_4g;
    MemoryRegion pci_mem;       /* PCI memory window container */
    MemoryRegion bios, isa_bios;
    uint64_t below_4g, above_4g;
    IRQ *isa_irqs;              /* the 16 ISA lines (splitters to PIC and IOAPIC) */
    IRQ pic_intr;
    PICState *pic;
    IOAPICState *ioapic;
    PITState *pit;
    RTCState *rtc;
    KBDState *kbd;
    FerrState *ferr;            /* FERR# -> IRQ 13, port 0xf0 */
    IRQ *a20;                   /* [0] keyboard controller, [1] port 0x92 */
    unsigned a20_levels;
    SerialState *serial[PC_MAX_SERIAL];
    I440FXHost *pci_host;
    FWCfgState *fw_cfg;
    PIIX4PMState *pm;
    HPETState *hpet;
    PIIXIDEState *ide;          /* 00:01.1 */
    I8237State *isa_dma;
    FDCState *fdc;
    PCBoot boot;                /* -kernel */
} PCMachineState;

/* Frees the devices, the board's state and the machine (tests; the emulator exits). */
void pc_machine_destroy(Machine *machine);
/* pc-firmware.c: loads -bios (default bios-256k.bin) at the top of 4 GiB and its last
 * 128 KiB in the legacy area. */
int pc_load_bios(PCMachineState *pcms, const char *bios, Error **errp);
/* pc-firmware.c: the fw_cfg items SeaBIOS reads (e820, CPUs, boot order, sercon). */
int pc_fw_cfg_setup(PCMachineState *pcms, Error **errp);
/* pc-acpi.c: the ACPI tables as fw_cfg files for SeaBIOS's table loader. */
int pc_acpi_setup(PCMachineState *pcms, bool with_hpet, Error **errp);
/* pc-dsdt.c: the DSDT's AML (after its table header). */
void pc_dsdt_build(AmlBuf *b, PCMachineState *pcms);
/* pc-monitor.c: info pic/lapic/irq/pci, sendkey, nmi. */
void pc_monitor_init(PCMachineState *pcms);
/* pc-firmware.c: memory sizes, boot order, equipment and CPU count in the CMOS. */
int pc_cmos_init(PCMachineState *pcms, Error **errp);
/* pc-firmware.c: the CMOS boot order of -boot once= (first_boot) or order= (resets). */
int pc_cmos_set_boot_order(PCMachineState *pcms, bool first_boot, Error **errp);

#endif
