/* Unit tests for target-arm/cpu.c: reset state (ARM ARM v7-A, Cortex-A15/A9 TRMs), banked
 * registers across mode changes, register access by name, WFI wake-up, short-descriptor page
 * walks and the "info registers" dump. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "system/memory.h"
#include "target-arm/cpu.h"

static ARMCPU *new_cpu(const char *model)
{
    Error *err = NULL;
    const CPUClass *cls = cpu_class_find("arm", model);
    assert_non_null(cls);
    CPUState *cpu = cpu_create(cls, NULL, 0, &err);
    assert_non_null(cpu);
    return arm_cpu(cpu);
}

static uint64_t reg(ARMCPU *a, const char *name)
{
    uint64_t v = 0xdeadbeef;
    assert_int_equal(cpu_get_register_by_name(&a->parent, name, &v), 0);
    return v;
}

static void set(ARMCPU *a, const char *name, uint64_t v)
{
    assert_int_equal(cpu_set_register_by_name(&a->parent, name, v), 0);
}

static void test_models(void **state)
{
    assert_ptr_equal(cpu_class_find("arm", "cortex-a15"), &arm_cpu_cortex_a15_class);
    assert_ptr_equal(cpu_class_find("arm", "cortex-a9"), &arm_cpu_cortex_a9_class);
    assert_null(cpu_class_find("i386", "cortex-a15"));
    assert_ptr_equal(cpu_class_default("arm"), &arm_cpu_cortex_a15_class);
}

static void test_reset_values(void **state)
{
    ARMCPU *a = new_cpu("cortex-a15");
    assert_int_equal(a->cpsr, 0x1d3);           /* SVC, A, I, F */
    assert_int_equal(a->regs[15], 0);
    assert_int_equal(a->cp15.midr, 0x412fc0f1);
    assert_int_equal(a->cp15.sctlr, 0x00c50078);
    assert_int_equal(a->cp15.vbar, 0);
    assert_int_equal(a->parent.cls->get_pc(&a->parent), 0);
    cpu_destroy(&a->parent);

    a = new_cpu("cortex-a9");
    assert_int_equal(a->cp15.midr, 0x414fc091);
    assert_int_equal(a->cpsr & ARM_CPSR_M, ARM_MODE_SVC);
    /* high vectors (SCTLR.V at reset) start at 0xffff0000; TE starts in Thumb */
    a->reset_sctlr |= ARM_SCTLR_V | ARM_SCTLR_TE;
    a->regs[3] = 7;
    set(a, "ttbr0", 0x4000);
    cpu_reset(&a->parent);
    assert_int_equal(a->regs[15], 0xffff0000);
    assert_int_equal(arm_cpsr_read(a), 0x1d3 | ARM_CPSR_T);
    assert_int_equal(a->regs[3], 0);
    assert_int_equal(a->cp15.ttbr0, 0);
    assert_int_equal(a->cp15.midr, 0x414fc091);     /* identity survives reset */
    cpu_destroy(&a->parent);
}

static void test_banked_registers(void **state)
{
    ARMCPU *a = new_cpu("cortex-a15");

    set(a, "sp", 0x1000);                       /* SVC's stack */
    set(a, "lr", 0x2000);
    set(a, "r8", 0x88);
    set(a, "spsr", 0x10);
    assert_int_equal(reg(a, "sp_svc"), 0x1000);
    assert_int_equal(reg(a, "spsr_svc"), 0x10);

    set(a, "cpsr", 0x1d2);                      /* to IRQ mode */
    assert_int_equal(reg(a, "sp"), 0);
    assert_int_equal(reg(a, "r13"), 0);
    assert_int_equal(reg(a, "sp_svc"), 0x1000);
    assert_int_equal(reg(a, "lr_svc"), 0x2000);
    assert_int_equal(reg(a, "r8"), 0x88);       /* r8 is shared outside FIQ */
    set(a, "sp", 0x3000);
    assert_int_equal(reg(a, "sp_irq"), 0x3000);

    set(a, "cpsr", 0x1d1);                      /* to FIQ mode: own r8-r12 */
    assert_int_equal(reg(a, "r8"), 0);
    set(a, "r8", 0xf8);
    assert_int_equal(reg(a, "r8_fiq"), 0xf8);
    set(a, "r9_fiq", 0xf9);
    assert_int_equal(reg(a, "r9"), 0xf9);

    set(a, "cpsr", 0x1d3);                      /* back to SVC */
    assert_int_equal(reg(a, "r8"), 0x88);
    assert_int_equal(reg(a, "r8_fiq"), 0xf8);
    assert_int_equal(reg(a, "sp"), 0x1000);
    assert_int_equal(reg(a, "lr"), 0x2000);
    assert_int_equal(reg(a, "sp_irq"), 0x3000);
    set(a, "sp_usr", 0x5000);
    set(a, "cpsr", 0x1df);                      /* System mode sees User's bank */
    assert_int_equal(reg(a, "sp"), 0x5000);
    uint64_t v;
    assert_int_equal(cpu_get_register_by_name(&a->parent, "spsr", &v), -1);  /* none */

    /* a mode this CPU does not have is refused and changes nothing */
    assert_int_equal(cpu_set_register_by_name(&a->parent, "cpsr", 0x1c5), -1);
    assert_int_equal(a->cpsr, 0x1df);
    cpu_destroy(&a->parent);
}

static void test_registers_by_name(void **state)
{
    ARMCPU *a = new_cpu("cortex-a15");
    uint64_t v;

    assert_int_equal(reg(a, "MIDR"), 0x412fc0f1);
    assert_int_equal(cpu_set_register_by_name(&a->parent, "midr", 0), -1);    /* read-only */
    assert_int_equal(reg(a, "sctlr"), 0x00c50078);
    set(a, "pc", 0x8000);
    assert_int_equal(reg(a, "r15"), 0x8000);
    set(a, "r0", 0x1122334455ULL);
    assert_int_equal(reg(a, "r0"), 0x22334455);
    set(a, "vbar", 0x10000);
    assert_int_equal(a->cp15.vbar, 0x10000);
    set(a, "dfar", 0xbad);
    assert_int_equal(reg(a, "dfar"), 0xbad);
    assert_int_equal(cpu_get_register_by_name(&a->parent, "eax", &v), -1);
    cpu_destroy(&a->parent);
}

static void test_has_work(void **state)
{
    ARMCPU *a = new_cpu("cortex-a15");
    assert_false(cpu_has_work(&a->parent));
    cpu_interrupt(&a->parent, CPU_INTERRUPT_FIQ);   /* masked by CPSR.F, still wakes WFI */
    assert_true(cpu_has_work(&a->parent));
    cpu_reset_interrupt(&a->parent, CPU_INTERRUPT_FIQ);
    cpu_interrupt(&a->parent, CPU_INTERRUPT_HARD);
    assert_true(cpu_has_work(&a->parent));
    /* PSCI CPU_OFF: halted, no interrupt wakes it; CPU_ON wakes it at its entry */
    arm_cpu_power(a, false);
    assert_true(a->parent.halted);
    assert_false(cpu_has_work(&a->parent));
    cpu_reset_interrupt(&a->parent, CPU_INTERRUPT_HARD);
    arm_cpu_set_entry(a, 0x8001, 1, 2, 3);
    arm_cpu_power(a, true);
    assert_true(cpu_has_work(&a->parent));
    assert_int_equal(a->regs[15], 0x8000);
    assert_true(a->thumb);
    assert_int_equal(a->regs[2], 3);
    assert_int_equal(a->cpsr & ARM_CPSR_M, ARM_MODE_SVC);
    cpu_destroy(&a->parent);
}

static void test_dump(void **state)
{
    ARMCPU *a = new_cpu("cortex-a15");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    a->parent.cls->dump_state(&a->parent, f);
    a->regs[11] = 0xcafe;
    arm_cpsr_write(a, ARM_CPSR_Z | ARM_CPSR_C | ARM_CPSR_T, ARM_CPSR_NZCV | ARM_CPSR_T);
    a->parent.cls->dump_state(&a->parent, f);
    fclose(f);
    assert_string_equal(buf,
        "R00=00000000 R01=00000000 R02=00000000 R03=00000000\n"
        "R04=00000000 R05=00000000 R06=00000000 R07=00000000\n"
        "R08=00000000 R09=00000000 R10=00000000 R11=00000000\n"
        "R12=00000000 R13=00000000 R14=00000000 R15=00000000\n"
        "PSR=000001d3 ---- A svc32\n"
        "R00=00000000 R01=00000000 R02=00000000 R03=00000000\n"
        "R04=00000000 R05=00000000 R06=00000000 R07=00000000\n"
        "R08=00000000 R09=00000000 R10=00000000 R11=0000cafe\n"
        "R12=00000000 R13=00000000 R14=00000000 R15=00000000\n"
        "PSR=600001f3 -ZC- T svc32\n");
    free(buf);
    cpu_destroy(&a->parent);
}

/* ---- short-descriptor page walks over real guest memory -------------------------------- */

static void test_page_walk(void **state)
{
    MemoryRegion root, ram;
    AddressSpace as;
    ARMCPU *a = new_cpu("cortex-a15");
    CPUState *cpu = &a->parent;
    hwaddr pa;

    memory_region_init_container(&root, "system", UINT64_MAX);
    memory_region_init_ram(&ram, "ram", 1 << 20);
    memory_region_add_subregion(&root, 0x40000000, &ram, 0);
    address_space_init(&as, &root, "memory");
    cpu->as = &as;

    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x1234, &pa), 0);     /* MMU off */
    assert_int_equal(pa, 0x1234);

    a->cp15.sctlr |= ARM_SCTLR_M;
    a->cp15.dacr = 0x55555555;      /* every domain: client */
    a->cp15.ttbr0 = 0x40004000;
    /* section: VA 0xc0000000 -> PA 0x40000000 */
    address_space_store(&as, 0x40004000 + (0xc00 << 2), 4, 0x40000000 | 0x2);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0xc0012345, &pa), 0);
    assert_int_equal(pa, 0x40012345);
    /* page table at 0x40008000: VA 0x00103000 -> small page 0x40050000 */
    address_space_store(&as, 0x40004000 + (0x001 << 2), 4, 0x40008000 | 0x1);
    address_space_store(&as, 0x40008000 + (0x03 << 2), 4, 0x40050000 | 0x2);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x00103abc, &pa), 0);
    assert_int_equal(pa, 0x40050abc);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x00104000, &pa), -1);   /* fault */
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x80000000, &pa), -1);
    /* supersection (16 MiB, PA[35:32] in bits 23:20): VA 0xd0123456 -> PA 0x355123456 */
    address_space_store(&as, 0x40004000 + (0xd01 << 2), 4, 0x55000000 | 3 << 20 | 1 << 18 | 0x2);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0xd0123456, &pa), 0);
    assert_int_equal(pa, 0x355123456ull);
    /* large page (64 KiB) in a page table at 0x40009000: VA 0x00205678 -> 0x40065678 */
    address_space_store(&as, 0x40004000 + (0x002 << 2), 4, 0x40009000 | 0x1);
    address_space_store(&as, 0x40009000 + (0x05 << 2), 4, 0x40060000 | 0x1);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x00205678, &pa), 0);
    assert_int_equal(pa, 0x40065678);
    /* TTBCR.N = 1: the top half goes through TTBR1 */
    a->cp15.ttbcr = 1;
    a->cp15.ttbr1 = 0x4000c000;
    address_space_store(&as, 0x4000c000 + (0xc00 << 2), 4, 0x40000000 | 0x2);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0xc0000010, &pa), 0);
    assert_int_equal(pa, 0x40000010);
    /* a descriptor table outside RAM is a fault, not a crash */
    a->cp15.ttbr1 = 0x10000000;
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0xc0000010, &pa), -1);

    cpu_destroy(cpu);
    address_space_destroy(&as);
    memory_region_destroy(&ram);
    memory_region_destroy(&root);
}

/* LPAE: 64-bit descriptors, 40-bit output addresses, TTBCR.T0SZ/T1SZ split (B3.6). */
static void test_page_walk_lpae(void **state)
{
    MemoryRegion root, ram;
    AddressSpace as;
    ARMCPU *a = new_cpu("cortex-a15");
    CPUState *cpu = &a->parent;
    hwaddr pa;

    memory_region_init_container(&root, "system", UINT64_MAX);
    memory_region_init_ram(&ram, "ram", 1 << 20);
    memory_region_add_subregion(&root, 0x40000000, &ram, 0);
    address_space_init(&as, &root, "memory");
    cpu->as = &as;
    a->cp15.sctlr |= ARM_SCTLR_M;
    a->cp15.dacr = 0x55555555;      /* every domain: client */
    a->cp15.ttbcr = ARM_TTBCR_EAE;              /* T0SZ = T1SZ = 0: TTBR0 for everything */
    set(a, "ttbr0", 0x40010000);
    assert_int_equal(reg(a, "ttbr0"), 0x40010000);
    /* 0xc0200000: L1[3] -> table, L2[1] -> 2 MiB block above 4 GiB */
    address_space_store(&as, 0x40010000 + 3 * 8, 8, 0x40011000 | 3);
    address_space_store(&as, 0x40011000 + 1 * 8, 8, 0x123400000ull | 1);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0xc0212345, &pa), 0);
    assert_int_equal(pa, 0x123412345ull);
    /* 0x00005abc: L1[0] -> L2[0] -> L3[5] -> 4 KiB page at 0x4_0000_5000 */
    address_space_store(&as, 0x40010000, 8, 0x40012000 | 3);
    address_space_store(&as, 0x40012000, 8, 0x40013000 | 3);
    address_space_store(&as, 0x40013000 + 5 * 8, 8, 0x400005000ull | 3);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x5abc, &pa), 0);
    assert_int_equal(pa, 0x400005abcull);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x6000, &pa), -1);      /* L3[6] empty */
    address_space_store(&as, 0x40013000 + 6 * 8, 8, 0x400006000ull | 1);  /* reserved */
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x6000, &pa), -1);
    /* 1 GiB block at level 1 */
    address_space_store(&as, 0x40010000 + 1 * 8, 8, 0x80000000ull | 1);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x40000010, &pa), 0);
    assert_int_equal(pa, 0x80000010);

    /* T0SZ = T1SZ = 1: TTBR0 below 2 GiB, TTBR1 above, each starting at level 1 */
    a->cp15.ttbcr = ARM_TTBCR_EAE | 1 | (1 << 16);
    a->cp15.ttbr1 = 0x40020000;
    address_space_store(&as, 0x40020000 + 1 * 8, 8, 0x1c0000000ull | 1);   /* VA bit 30 */
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0xc0000040, &pa), 0);
    assert_int_equal(pa, 0x1c0000040ull);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x40000010, &pa), 0);   /* TTBR0 L1[1] */
    assert_int_equal(pa, 0x80000010);
    /* T0SZ = 2: TTBR0 covers 1 GiB only; 0x40000000 falls between the regions */
    a->cp15.ttbcr = ARM_TTBCR_EAE | 2 | (1 << 16);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x40000010, &pa), -1);
    /* and TTBR0's walk starts at level 2: L2[0] of a table at TTBR0 */
    set(a, "ttbr0", 0x40030000);
    address_space_store(&as, 0x40030000, 8, 0x40013000 | 3);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0x5abc, &pa), 0);
    assert_int_equal(pa, 0x400005abcull);

    cpu_destroy(cpu);

    /* the Cortex-A9 has no LPAE: TTBCR.EAE is ignored, the short format applies */
    a = new_cpu("cortex-a9");
    cpu = &a->parent;
    cpu->as = &as;
    a->cp15.sctlr |= ARM_SCTLR_M;
    a->cp15.dacr = 0x55555555;      /* every domain: client */
    a->cp15.ttbcr = ARM_TTBCR_EAE;
    a->cp15.ttbr0 = 0x40040000;
    address_space_store(&as, 0x40040000 + (0xc00 << 2), 4, 0x40000000 | 0x2);
    assert_int_equal(cpu->cls->get_phys_addr(cpu, 0xc0012345, &pa), 0);
    assert_int_equal(pa, 0x40012345);
    cpu_destroy(cpu);

    address_space_destroy(&as);
    memory_region_destroy(&ram);
    memory_region_destroy(&root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_models),
        cmocka_unit_test(test_reset_values),
        cmocka_unit_test(test_banked_registers),
        cmocka_unit_test(test_registers_by_name),
        cmocka_unit_test(test_has_work),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_page_walk),
        cmocka_unit_test(test_page_walk_lpae),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
