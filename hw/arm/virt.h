/* The virt board of mimic-system-arm: QEMU's "virt" memory map and interrupt numbers
 * (hw/arm/virt.c of QEMU, read for these facts only), so that kernels and firmware built
 * for it run unchanged. */
#ifndef HW_ARM_VIRT_H
#define HW_ARM_VIRT_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/arm/boot.h"
#include "hw/block/pflash.h"
#include "hw/char/pl011.h"
#include "hw/intc/arm_gic.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/rtc/pl031.h"
#include "hw/virtio/virtio-mmio.h"
#include "system/machine.h"

/* Memory map */
#define VIRT_FLASH_BASE 0x00000000u
#define VIRT_FLASH_BANK_SIZE 0x04000000u    /* two banks: firmware, then variables */
#define VIRT_FLASH_SECTOR_SIZE 0x40000u
#define VIRT_GIC_DIST_BASE 0x08000000u
#define VIRT_GIC_CPU_BASE 0x08010000u
#define VIRT_UART_BASE 0x09000000u
#define VIRT_RTC_BASE 0x09010000u
#define VIRT_FW_CFG_BASE 0x09020000u
#define VIRT_MMIO_BASE 0x0a000000u          /* virtio-mmio transports, 0x200 apart */
#define VIRT_NUM_VIRTIO 32
#define VIRT_RAM_BASE 0x40000000u
#define VIRT_MAX_RAM 0xc0000000ull          /* up to 4 GiB: no highmem above it */
/* SPI numbers (GIC interrupt ID = 32 + n) */
#define VIRT_UART_SPI 1
#define VIRT_RTC_SPI 2
#define VIRT_MMIO_SPI 16                    /* transport n: SPI 16 + n */
#define VIRT_GIC_NUM_IRQS 288               /* 256 SPIs */
/* Generic timer PPIs (interrupt IDs 16 + n): secure, non-secure physical, virtual, hyp */
#define VIRT_PPI_TIMER_SEC 13
#define VIRT_PPI_TIMER_PHYS 14
#define VIRT_PPI_TIMER_VIRT 11
#define VIRT_PPI_TIMER_HYP 10

/* PSCI 0.2+ function IDs (ARM DEN 0022, SMC32 calling convention) */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_MIGRATE 0x84000005u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au
/* return codes */
#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_ALREADY_ON (-4)

typedef struct VirtBoard {
    Machine *machine;
    ARMGICState *gic;
    PL011State *uart;
    PL031State *rtc;
    FWCfgState *fw_cfg;
    PFlashCFI01 *flash[2];
    VirtIOMMIO *virtio[VIRT_NUM_VIRTIO];
    IRQ cpu_lines[GIC_MAX_CPUS][2];     /* GIC outputs to each CPU's IRQ and FIQ inputs */
    ArmBootInfo boot;
    bool firmware_boot;                 /* -bios: start in flash, device tree at RAM base */
    void *fdt;                          /* the device tree handed to the guest */
    size_t fdt_size;
    char *dumpdtb;                      /* -M virt,dumpdtb=FILE */
} VirtBoard;

/* hw/arm/virt-fdt.c: the device tree of exactly the devices the board created, or the
 * -dtb file with /chosen updated. Returns NULL with *errp. */
void *virt_build_fdt(VirtBoard *vb, Error **errp);
int virt_fdt_set_chosen(void *fdt, const ArmBootInfo *boot, const char *append, Error **errp);
/* Writes -M virt,dumpdtb=FILE. */
int virt_dump_fdt(const VirtBoard *vb, Error **errp);

/* hw/arm/virt-virtio.c: the virtio-mmio transports and a virtio-blk-device for each
 * -drive if=virtio. */
int virt_create_virtio(VirtBoard *vb, Error **errp);

/* hw/arm/virt-psci.c: PSCI through HVC or SMC (the CPU's smc_hvc_hook). */
void virt_psci_install(VirtBoard *vb);
/* The CPU whose MPIDR affinity is mpidr, or NULL. */
CPUState *virt_cpu_by_mpidr(VirtBoard *vb, uint32_t mpidr);

extern const MachineClass virt_machine_class;

#endif
