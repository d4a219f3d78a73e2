/* ARM Generic Interrupt Controller v2 (ARM IHI 0048B): distributor and CPU interfaces for up
 * to 8 CPUs, without the Security or Virtualization Extensions (every interrupt is Group 0
 * and signalled as IRQ, as on QEMU's virt board with security=off). */
#ifndef HW_INTC_ARM_GIC_H
#define HW_INTC_ARM_GIC_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/irq.h"
#include "hw/qdev.h"
#include "system/memory.h"

#define GIC_MAX_CPUS 8
#define GIC_NR_SGIS 16
#define GIC_INTERNAL 32             /* SGIs + PPIs: banked per CPU */
#define GIC_MAX_IRQS 1020           /* IDs 1020-1023 are special */
#define GIC_SPURIOUS 1023
#define GIC_DIST_SIZE 0x10000
#define GIC_CPU_SIZE 0x10000
#define GIC_MAX_ACTIVE 256          /* depth of nested (preempting) active interrupts */
#define GIC_PRIO_MASK 0xf8          /* 5 priority bits, as on the GIC-400 */
#define GIC_MIN_BPR 2

/* State of one interrupt as the distributor holds it (per CPU for IDs below 32). */
typedef struct GICIrq {
    bool enabled;
    bool pending;                   /* latched: edge, GICD_ISPENDR */
    bool active;
    bool level;                     /* input line */
    bool edge;                      /* GICD_ICFGR: edge-triggered */
    uint8_t priority;
} GICIrq;

typedef struct GICCpu {
    GICIrq internal[GIC_INTERNAL];
    uint8_t sgi_sources[GIC_NR_SGIS];   /* pending SGIs: one bit per source CPU */
    uint32_t ctlr;                  /* GICC_CTLR */
    uint8_t pmr;                    /* GICC_PMR */
    uint8_t bpr;                    /* GICC_BPR */
    /* Active interrupts whose priority has not been dropped (EOIR), in ack order. */
    uint16_t act_irq[GIC_MAX_ACTIVE];
    uint8_t act_prio[GIC_MAX_ACTIVE];
    int nr_act;
    bool irq_out_level;
} GICCpu;

typedef struct ARMGICState {
    DeviceState parent_obj;
    MemoryRegion dist_mem, cpu_mem;
    /* properties */
    uint32_t num_cpus;
    uint32_t num_irqs;              /* total, including the 32 internal ones */
    uint64_t dist_base, cpu_base;   /* mapped there in the device's memory root when
                                     * has_base; else the board maps dist_mem/cpu_mem */
    bool has_base;
    /* wiring: outputs set by the board before realize */
    IRQ irq_out[GIC_MAX_CPUS];
    IRQ fiq_out[GIC_MAX_CPUS];      /* never raised: no Group 0 FIQs without FIQEn */
    /* inputs: [0, num_irqs - 32) SPIs, then 32 per CPU (PPIs at their IDs 16..31) */
    IRQ *inputs;
    int nr_inputs;
    /* state */
    uint32_t dist_ctlr;
    GICIrq spi[GIC_MAX_IRQS - GIC_INTERNAL];
    uint8_t spi_target[GIC_MAX_IRQS - GIC_INTERNAL];
    GICCpu cpu[GIC_MAX_CPUS];
    int (*current_cpu_index)(void); /* which CPU interface an access uses; tests override */
} ARMGICState;

/* The input line of SPI n (INTID 32 + n) and of PPI intid (16..31) of CPU cpu. */
IRQ arm_gic_spi(ARMGICState *s, int n);
IRQ arm_gic_ppi(ARMGICState *s, int cpu, int intid);

/* Register accesses as CPU cpu makes them (the MMIO callbacks use the calling vCPU). */
uint32_t arm_gic_dist_read(ARMGICState *s, int cpu, hwaddr offset, unsigned size);
void arm_gic_dist_write(ARMGICState *s, int cpu, hwaddr offset, uint32_t value, unsigned size);
uint32_t arm_gic_cpu_read(ARMGICState *s, int cpu, hwaddr offset);
void arm_gic_cpu_write(ARMGICState *s, int cpu, hwaddr offset, uint32_t value);

/* Internal to hw/intc/arm_gic*.c */
GICIrq *arm_gic_irq(ARMGICState *s, int cpu, int irq);
int arm_gic_best_pending(ARMGICState *s, int cpu, uint8_t *prio);
void arm_gic_update(ARMGICState *s);
bool arm_gic_irq_pending(ARMGICState *s, int cpu, int irq);

/* Distributor and CPU interface registers (byte offsets) */
enum {
    GICD_CTLR = 0x000, GICD_TYPER = 0x004, GICD_IIDR = 0x008,
    GICD_IGROUPR = 0x080, GICD_ISENABLER = 0x100, GICD_ICENABLER = 0x180,
    GICD_ISPENDR = 0x200, GICD_ICPENDR = 0x280, GICD_ISACTIVER = 0x300,
    GICD_ICACTIVER = 0x380, GICD_IPRIORITYR = 0x400, GICD_ITARGETSR = 0x800,
    GICD_ICFGR = 0xc00, GICD_SGIR = 0xf00, GICD_CPENDSGIR = 0xf10, GICD_SPENDSGIR = 0xf20,
    GICD_PIDR = 0xfd0,
    GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_BPR = 0x08, GICC_IAR = 0x0c, GICC_EOIR = 0x10,
    GICC_RPR = 0x14, GICC_HPPIR = 0x18, GICC_ABPR = 0x1c, GICC_AIAR = 0x20,
    GICC_AEOIR = 0x24, GICC_AHPPIR = 0x28, GICC_APR0 = 0xd0, GICC_IIDR = 0xfc,
    GICC_DIR = 0x1000,
};
#define GICC_CTLR_ENABLE 1u
#define GICC_CTLR_EOIMODE (1u << 9)

#endif
