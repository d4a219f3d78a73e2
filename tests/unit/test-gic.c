/* Unit tests for the GICv2 model (hw/intc/arm_gic*.c): ID registers, enable/pending/active
 * bitmaps, priority masking and preemption, CPU targets of SPIs, level and edge inputs,
 * acknowledge/EOI (and EOImode with GICC_DIR), SGIs with their source CPU, banked PPIs, and
 * MMIO through an address space. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "hw/intc/arm_gic.h"

typedef struct Fixture {
    ARMGICState *gic;
    int level[GIC_MAX_CPUS];
    IRQ out[GIC_MAX_CPUS];
} Fixture;

static void record_level(void *opaque, int n, int level)
{
    ((Fixture *)opaque)->level[n] = level;
}

static Fixture *make_gic(int ncpu)
{
    static Fixture f;
    Error *err = NULL;
    DeviceState *dev = device_create("arm_gic", NULL, &err);
    assert_non_null(dev);
    f = (Fixture){ .gic = DEVICE_CAST(ARMGICState, dev) };
    f.gic->num_cpus = (uint32_t)ncpu;
    f.gic->num_irqs = 96;
    for (int c = 0; c < ncpu; c++) {
        f.out[c] = irq_new(record_level, &f, c);
        f.gic->irq_out[c] = f.out[c];
    }
    assert_int_equal(device_realize(dev, &err), 0);
    device_reset(dev);
    return &f;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    device_destroy(DEVICE(f->gic));
    for (int c = 0; c < GIC_MAX_CPUS; c++) {
        irq_free(f->out[c]);
    }
    qdev_destroy_all();
    return 0;
}

static void dist_w(Fixture *f, int cpu, hwaddr off, uint32_t v)
{
    arm_gic_dist_write(f->gic, cpu, off, v, 4);
}

static uint32_t dist_r(Fixture *f, int cpu, hwaddr off)
{
    return arm_gic_dist_read(f->gic, cpu, off, 4);
}

/* Distributor and CPU interface cpu enabled, priority mask open. */
static void enable_all(Fixture *f, int ncpu)
{
    dist_w(f, 0, GICD_CTLR, 1);
    for (int c = 0; c < ncpu; c++) {
        arm_gic_cpu_write(f->gic, c, GICC_CTLR, 1);
        arm_gic_cpu_write(f->gic, c, GICC_PMR, 0xff);
    }
}

static void set_prio(Fixture *f, int cpu, int irq, uint8_t prio)
{
    arm_gic_dist_write(f->gic, cpu, GICD_IPRIORITYR + irq, prio, 1);
}

static void enable_irq(Fixture *f, int cpu, int irq)
{
    dist_w(f, cpu, GICD_ISENABLER + (irq / 32) * 4, 1u << (irq % 32));
}

static void test_id_registers(void **state)
{
    Fixture *f = *state = make_gic(2);
    assert_int_equal(dist_r(f, 0, GICD_TYPER), 2 | (1 << 5));     /* 96 IRQs, 2 CPUs */
    assert_int_equal(dist_r(f, 0, GICD_IIDR), 0x0200043b);
    assert_int_equal(dist_r(f, 0, 0xfe8), 0x2b);                   /* PIDR2: GICv2 */
    assert_int_equal(dist_r(f, 0, 0xff0), 0x0d);
    assert_int_equal(arm_gic_cpu_read(f->gic, 1, GICC_IIDR), 0x0202043b);
    /* ITARGETSR0-7 read as the reading CPU's own bit */
    assert_int_equal(arm_gic_dist_read(f->gic, 1, GICD_ITARGETSR, 4), 0x02020202);
    /* SGIs are edge, ICFGR0 reads 0b10 for each */
    assert_int_equal(dist_r(f, 0, GICD_ICFGR), 0xaaaaaaaa);
}

static void test_priority_register_bits(void **state)
{
    Fixture *f = *state = make_gic(1);
    set_prio(f, 0, 40, 0xff);
    assert_int_equal(arm_gic_dist_read(f->gic, 0, GICD_IPRIORITYR + 40, 1), 0xf8);
    arm_gic_dist_write(f->gic, 0, GICD_IPRIORITYR + 44, 0x11223344, 4);
    assert_int_equal(dist_r(f, 0, GICD_IPRIORITYR + 44), 0x10203040);
    arm_gic_cpu_write(f->gic, 0, GICC_PMR, 0xff);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_PMR), 0xf8);
    arm_gic_cpu_write(f->gic, 0, GICC_BPR, 0);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_BPR), 2);    /* minimum */
    /* beyond num_irqs: RAZ/WI */
    set_prio(f, 0, 100, 0x80);
    assert_int_equal(arm_gic_dist_read(f->gic, 0, GICD_IPRIORITYR + 100, 1), 0);
}

static void test_level_spi_ack_eoi(void **state)
{
    Fixture *f = *state = make_gic(1);
    enable_all(f, 1);
    set_prio(f, 0, 33, 0x80);
    irq_raise(arm_gic_spi(f->gic, 1));
    assert_int_equal(f->level[0], 0);           /* not enabled yet */
    assert_int_equal(dist_r(f, 0, GICD_ISPENDR + 4), 1u << 1);
    enable_irq(f, 0, 33);
    assert_int_equal(f->level[0], 1);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_HPPIR), 33);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), 33);
    assert_int_equal(f->level[0], 0);           /* active: not signalled again */
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_RPR), 0x80);
    assert_int_equal(dist_r(f, 0, GICD_ISACTIVER + 4), 1u << 1);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), GIC_SPURIOUS);
    /* line still high at EOI: pending again at once */
    arm_gic_cpu_write(f->gic, 0, GICC_EOIR, 33);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_RPR), 0xff);
    assert_int_equal(f->level[0], 1);
    irq_lower(arm_gic_spi(f->gic, 1));
    assert_int_equal(f->level[0], 0);
    assert_int_equal(dist_r(f, 0, GICD_ISPENDR + 4), 0);
}

static void test_edge_spi_latches(void **state)
{
    Fixture *f = *state = make_gic(1);
    enable_all(f, 1);
    dist_w(f, 0, GICD_ICFGR + 8, 2u << 2);      /* IRQ 33 edge-triggered */
    assert_int_equal(dist_r(f, 0, GICD_ICFGR + 8), 2u << 2);
    enable_irq(f, 0, 33);
    irq_pulse(arm_gic_spi(f->gic, 1));
    assert_int_equal(f->level[0], 1);           /* latched after the line fell */
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), 33);
    assert_int_equal(dist_r(f, 0, GICD_ISPENDR + 4), 0);
    irq_pulse(arm_gic_spi(f->gic, 1));          /* a second edge while active */
    assert_int_equal(f->level[0], 0);
    assert_int_equal(dist_r(f, 0, GICD_ISPENDR + 4), 1u << 1);
    arm_gic_cpu_write(f->gic, 0, GICC_EOIR, 33);
    assert_int_equal(f->level[0], 1);
    /* clear-pending removes it */
    dist_w(f, 0, GICD_ICPENDR + 4, 1u << 1);
    assert_int_equal(f->level[0], 0);
}

static void test_priority_mask_and_preemption(void **state)
{
    Fixture *f = *state = make_gic(1);
    enable_all(f, 1);
    set_prio(f, 0, 40, 0xa0);
    set_prio(f, 0, 41, 0x40);
    set_prio(f, 0, 42, 0x48);       /* same group priority as 0x40 with BPR 3 */
    for (int irq = 40; irq <= 42; irq++) {
        enable_irq(f, 0, irq);
    }
    arm_gic_cpu_write(f->gic, 0, GICC_PMR, 0xa0);
    dist_w(f, 0, GICD_ISPENDR + 4, 1u << 8);    /* 40 pending: masked by PMR (0xa0) */
    assert_int_equal(f->level[0], 0);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), GIC_SPURIOUS);
    arm_gic_cpu_write(f->gic, 0, GICC_PMR, 0xf0);
    assert_int_equal(f->level[0], 1);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), 40);
    /* 41 (0x40) preempts 40 (0xa0) */
    dist_w(f, 0, GICD_ISPENDR + 4, 1u << 9);
    assert_int_equal(f->level[0], 1);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), 41);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_RPR), 0x40);
    /* 42 (0x48) does not preempt 0x40 at BPR 3 (group priority bits 7:4) */
    arm_gic_cpu_write(f->gic, 0, GICC_BPR, 3);
    dist_w(f, 0, GICD_ISPENDR + 4, 1u << 10);
    assert_int_equal(f->level[0], 0);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), GIC_SPURIOUS);
    arm_gic_cpu_write(f->gic, 0, GICC_EOIR, 41);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_RPR), 0xa0);
    assert_int_equal(f->level[0], 1);           /* 42 preempts 0xa0 */
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), 42);
    arm_gic_cpu_write(f->gic, 0, GICC_EOIR, 42);
    arm_gic_cpu_write(f->gic, 0, GICC_EOIR, 40);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_RPR), 0xff);
    assert_int_equal(dist_r(f, 0, GICD_ISACTIVER + 4), 0);
}

static void test_equal_priority_lowest_id_wins(void **state)
{
    Fixture *f = *state = make_gic(1);
    enable_all(f, 1);
    enable_irq(f, 0, 50);
    enable_irq(f, 0, 60);
    dist_w(f, 0, GICD_ISPENDR + 4, (1u << 28) | (1u << 18));
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), 50);
}

static void test_spi_targets(void **state)
{
    Fixture *f = *state = make_gic(2);
    enable_all(f, 2);
    enable_irq(f, 0, 64);
    arm_gic_dist_write(f->gic, 0, GICD_ITARGETSR + 64, 0xff, 1);
    assert_int_equal(arm_gic_dist_read(f->gic, 0, GICD_ITARGETSR + 64, 1), 3);   /* 2 CPUs */
    arm_gic_dist_write(f->gic, 0, GICD_ITARGETSR + 64, 2, 1);
    irq_raise(arm_gic_spi(f->gic, 32));
    assert_int_equal(f->level[0], 0);
    assert_int_equal(f->level[1], 1);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), GIC_SPURIOUS);
    /* both targeted: the first to acknowledge takes it, the other sees it go */
    arm_gic_dist_write(f->gic, 0, GICD_ITARGETSR + 64, 3, 1);
    assert_int_equal(f->level[0], 1);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), 64);
    assert_int_equal(f->level[1], 0);
    assert_int_equal(arm_gic_cpu_read(f->gic, 1, GICC_IAR), GIC_SPURIOUS);
}

static void test_sgi_sources_and_filters(void **state)
{
    Fixture *f = *state = make_gic(3);
    enable_all(f, 3);
    for (int c = 0; c < 3; c++) {
        dist_w(f, c, GICD_ISENABLER, 0xffff);
    }
    dist_w(f, 0, GICD_SGIR, (1u << 24) | 5);        /* all but self, from CPU 0 */
    assert_int_equal(f->level[0], 0);
    assert_int_equal(f->level[1], 1);
    assert_int_equal(f->level[2], 1);
    dist_w(f, 2, GICD_SGIR, (2u << 16) | 5);        /* list: CPU 1, from CPU 2 */
    assert_int_equal(arm_gic_dist_read(f->gic, 1, GICD_SPENDSGIR + 5, 1), 0x5);
    assert_int_equal(arm_gic_cpu_read(f->gic, 1, GICC_IAR), 5 | (0 << 10));
    /* the other source stays pending but is not signalled while 5 is active */
    assert_int_equal(f->level[1], 0);
    arm_gic_cpu_write(f->gic, 1, GICC_EOIR, 5);
    assert_int_equal(f->level[1], 1);
    assert_int_equal(arm_gic_cpu_read(f->gic, 1, GICC_IAR), 5 | (2 << 10));
    arm_gic_cpu_write(f->gic, 1, GICC_EOIR, 5 | (2 << 10));
    assert_int_equal(f->level[1], 0);
    dist_w(f, 2, GICD_SGIR, (2u << 24) | 3);        /* self */
    assert_int_equal(arm_gic_cpu_read(f->gic, 2, GICC_IAR), 3 | (2 << 10));
    /* CPENDSGIR clears sources; ISPENDR cannot set SGIs */
    dist_w(f, 0, GICD_SGIR, (1u << 16) | 7);
    arm_gic_dist_write(f->gic, 0, GICD_CPENDSGIR + 7, 1, 1);
    dist_w(f, 0, GICD_ISPENDR, 1u << 7);
    assert_int_equal(dist_r(f, 0, GICD_ISPENDR) & 0xffff, 0);
    dist_w(f, 0, GICD_SGIR, (3u << 24) | 1);        /* reserved filter: ignored */
    assert_int_equal(f->level[0], 0);
}

static void test_banked_ppi(void **state)
{
    Fixture *f = *state = make_gic(2);
    enable_all(f, 2);
    enable_irq(f, 1, 30);
    set_prio(f, 1, 30, 0x20);
    assert_int_equal(arm_gic_dist_read(f->gic, 0, GICD_IPRIORITYR + 30, 1), 0);
    irq_raise(arm_gic_ppi(f->gic, 0, 30));      /* CPU 0's PPI 30 is disabled */
    assert_int_equal(f->level[0], 0);
    irq_raise(arm_gic_ppi(f->gic, 1, 30));
    assert_int_equal(f->level[1], 1);
    assert_int_equal(arm_gic_cpu_read(f->gic, 1, GICC_IAR), 30);
    assert_null(arm_gic_ppi(f->gic, 2, 30));
    assert_null(arm_gic_ppi(f->gic, 0, 3));
    assert_null(arm_gic_spi(f->gic, 64));
}

static void test_eoimode_dir(void **state)
{
    Fixture *f = *state = make_gic(1);
    enable_all(f, 1);
    arm_gic_cpu_write(f->gic, 0, GICC_CTLR, GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
    enable_irq(f, 0, 35);
    dist_w(f, 0, GICD_ISPENDR + 4, 1u << 3);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), 35);
    arm_gic_cpu_write(f->gic, 0, GICC_EOIR, 35);
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_RPR), 0xff);      /* dropped */
    assert_int_equal(dist_r(f, 0, GICD_ISACTIVER + 4), 1u << 3);       /* still active */
    arm_gic_cpu_write(f->gic, 0, GICC_DIR, 35);
    assert_int_equal(dist_r(f, 0, GICD_ISACTIVER + 4), 0);
    /* EOI of something not active, and of the spurious ID: ignored */
    arm_gic_cpu_write(f->gic, 0, GICC_EOIR, 36);
    arm_gic_cpu_write(f->gic, 0, GICC_EOIR, GIC_SPURIOUS);
}

static void test_disabled_interfaces(void **state)
{
    Fixture *f = *state = make_gic(1);
    enable_irq(f, 0, 40);
    dist_w(f, 0, GICD_ISPENDR + 4, 1u << 8);
    arm_gic_cpu_write(f->gic, 0, GICC_PMR, 0xff);
    arm_gic_cpu_write(f->gic, 0, GICC_CTLR, 1);
    assert_int_equal(f->level[0], 0);           /* distributor off */
    assert_int_equal(arm_gic_cpu_read(f->gic, 0, GICC_IAR), GIC_SPURIOUS);
    dist_w(f, 0, GICD_CTLR, 1);
    assert_int_equal(f->level[0], 1);
    arm_gic_cpu_write(f->gic, 0, GICC_CTLR, 0);
    assert_int_equal(f->level[0], 0);
    dist_w(f, 0, GICD_ICENABLER + 4, 1u << 8);
    assert_int_equal(dist_r(f, 0, GICD_ISENABLER + 4), 0);
    device_reset(DEVICE(f->gic));
    assert_int_equal(dist_r(f, 0, GICD_ISPENDR + 4), 0);
    assert_int_equal(dist_r(f, 0, GICD_CTLR), 0);
}

/* Through memory: a 1-byte priority write and word accesses on CPU 0 (no vCPU thread). */
static void test_mmio(void **state)
{
    Fixture *f = *state = make_gic(1);
    MemoryRegion root;
    AddressSpace as;
    uint64_t v;

    memory_region_init_container(&root, "root", UINT64_MAX);
    memory_region_add_subregion(&root, 0x8000000, &f->gic->dist_mem, 0);
    memory_region_add_subregion(&root, 0x8010000, &f->gic->cpu_mem, 0);
    address_space_init(&as, &root, "test");
    assert_int_equal(address_space_store(&as, 0x8000000 + GICD_IPRIORITYR + 45, 1, 0x60), 0);
    assert_int_equal(address_space_load(&as, 0x8000000 + GICD_IPRIORITYR + 44, 4, &v), 0);
    assert_int_equal(v, 0x6000);
    address_space_store(&as, 0x8000000 + GICD_CTLR, 4, 1);
    address_space_store(&as, 0x8010000 + GICC_CTLR, 4, 1);
    address_space_store(&as, 0x8010000 + GICC_PMR, 4, 0xff);
    address_space_store(&as, 0x8000000 + GICD_ISENABLER + 4, 4, 1u << 13);
    irq_raise(arm_gic_spi(f->gic, 13));
    address_space_load(&as, 0x8010000 + GICC_IAR, 4, &v);
    assert_int_equal(v, 45);
    address_space_store(&as, 0x8010000 + GICC_EOIR, 4, 45);
    /* a byte write to a word-only register is ignored */
    address_space_store(&as, 0x8000000 + GICD_ICENABLER + 5, 1, 0x20);
    address_space_load(&as, 0x8000000 + GICD_ISENABLER + 4, 4, &v);
    assert_int_equal(v, 1u << 13);
    address_space_destroy(&as);
    memory_region_del_subregion(&root, &f->gic->dist_mem);
    memory_region_del_subregion(&root, &f->gic->cpu_mem);
    memory_region_destroy(&root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
        T(test_id_registers),
        T(test_priority_register_bits),
        T(test_level_spi_ack_eoi),
        T(test_edge_spi_latches),
        T(test_priority_mask_and_preemption),
        T(test_equal_priority_lowest_id_wins),
        T(test_spi_targets),
        T(test_sgi_sources_and_filters),
        T(test_banked_ppi),
        T(test_eoimode_dir),
        T(test_disabled_interfaces),
        T(test_mmio),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
