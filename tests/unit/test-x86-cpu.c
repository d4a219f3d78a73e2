/* Unit tests for target-i386/cpu.c: reset state (Intel SDM 3A table 9-1), register access by
 * name, HLT wake-up rules, page walks, and the "info registers" dump. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "system/memory.h"
#include "target-i386/cpu.h"
#include "target-i386/cpuid.h"

static X86CPU *new_cpu(const char *model)
{
    Error *err = NULL;
    const CPUClass *cls = cpu_class_find("x86_64", model);
    assert_non_null(cls);
    CPUState *cpu = cpu_create(cls, NULL, 0, &err);
    assert_non_null(cpu);
    return x86_cpu(cpu);
}

static uint64_t reg(X86CPU *x, const char *name)
{
    uint64_t v = 0xdeadbeef;
    assert_int_equal(cpu_get_register_by_name(&x->parent, name, &v), 0);
    return v;
}

static char *dump(X86CPU *x)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    x->parent.cls->dump_state(&x->parent, f);
    fclose(f);
    return buf;
}

static void test_models(void **state)
{
    assert_ptr_equal(cpu_class_find("i386", "qemu32"), &x86_cpu_qemu32_class);
    assert_ptr_equal(cpu_class_find("i386", "qemu64"), &x86_cpu_qemu64_class);
    assert_ptr_equal(cpu_class_find("x86_64", "qemu32"), &x86_cpu_qemu32_class);
    assert_null(cpu_class_find("arm", "qemu32"));
    assert_ptr_equal(cpu_class_default("i386"), &x86_cpu_qemu32_class);
    assert_ptr_equal(cpu_class_default("x86_64"), &x86_cpu_qemu64_class);
}

static void test_reset_values(void **state)
{
    X86CPU *x = new_cpu("qemu32");

    assert_int_equal(x->rip, 0xfff0);
    assert_int_equal(x->eflags, 0x2);
    assert_int_equal(x->cr[0], 0x60000010);
    assert_int_equal(x->cr[2] | x->cr[3] | x->cr[4] | x->efer, 0);
    assert_int_equal(x->regs[R_EDX], 0x663);        /* family 6, model 6, stepping 3 */
    assert_int_equal(x->regs[R_EAX] | x->regs[R_ESP] | x->regs[R_EBX], 0);
    assert_int_equal(x->segs[R_CS].selector, 0xf000);
    assert_int_equal(x->segs[R_CS].base, 0xffff0000);
    assert_int_equal(x->segs[R_CS].limit, 0xffff);
    assert_int_equal(x->segs[R_CS].flags, 0x9b00);
    for (int s = 0; s < X86_NR_SEGS; s++) {
        if (s != R_CS) {
            assert_int_equal(x->segs[s].selector, 0);
            assert_int_equal(x->segs[s].base, 0);
            assert_int_equal(x->segs[s].limit, 0xffff);
            assert_int_equal(x->segs[s].flags, 0x9300);
        }
    }
    assert_int_equal(x->gdtr.limit, 0xffff);
    assert_int_equal(x->idtr.limit, 0xffff);
    assert_int_equal(x->ldtr.flags, 0x8200);
    assert_int_equal(x->tr.flags, 0x8b00);
    assert_int_equal(x->dr[6], 0xffff0ff0);
    assert_int_equal(x->dr[7], 0x400);
    /* the first instruction is fetched at FFFFFFF0H */
    assert_int_equal(x->parent.cls->get_pc(&x->parent), 0xfffffff0);
    assert_int_equal(x86_cpu_cpl(x), 0);
    assert_int_equal(x->apic_base, 0xfee00900);        /* CPU #0 is the BSP */
    assert_int_equal(x->pat, 0x0007040600070406ULL);
    Error *err = NULL;
    X86CPU *ap = x86_cpu(cpu_create(&x86_cpu_qemu32_class, NULL, 1, &err));
    assert_non_null(ap);
    assert_int_equal(ap->apic_base, 0xfee00800);       /* an AP: enabled, no BSP flag */
    assert_false(x->parent.halted);                     /* the BSP runs */
    assert_true(ap->parent.halted);                     /* the AP waits for INIT/SIPI */
    assert_false(cpu_has_work(&ap->parent));
    cpu_interrupt(&ap->parent, CPU_INTERRUPT_SIPI);
    assert_true(cpu_has_work(&ap->parent));
    ap->parent.halted = false;
    cpu_reset(&ap->parent);
    assert_true(ap->parent.halted);                     /* and again after a reset */
    cpu_destroy(&ap->parent);
    cpu_destroy(&x->parent);

    x = new_cpu("qemu64");
    assert_int_equal(x->regs[R_EDX], 0x60fb1);      /* family 15, model 107, stepping 1 */
    assert_true(x->long_mode);
    assert_int_equal(x->rip, 0xfff0);
    cpu_destroy(&x->parent);
}

static void test_reset_after_changes(void **state)
{
    X86CPU *x = new_cpu("qemu32");
    x->regs[R_EAX] = 5;
    x->cr[0] |= X86_CR0_PE;
    x->segs[R_DS].base = 0x1234;
    cpu_reset(&x->parent);
    assert_int_equal(x->regs[R_EAX], 0);
    assert_int_equal(x->cr[0], 0x60000010);
    assert_int_equal(x->segs[R_DS].base, 0);
    assert_int_equal(x->regs[R_EDX], 0x663);
    cpu_destroy(&x->parent);
}

static void test_registers_by_name(void **state)
{
    X86CPU *x = new_cpu("qemu32");
    CPUState *cpu = &x->parent;
    uint64_t v;

    assert_int_equal(reg(x, "EIP"), 0xfff0);
    assert_int_equal(reg(x, "edx"), 0x663);
    assert_int_equal(reg(x, "cs"), 0xf000);
    assert_int_equal(reg(x, "cr0"), 0x60000010);
    assert_int_equal(reg(x, "dr7"), 0x400);
    assert_int_equal(cpu_get_register_by_name(cpu, "rax", &v), -1);     /* 32-bit model */
    assert_int_equal(cpu_get_register_by_name(cpu, "r8", &v), -1);
    assert_int_equal(cpu_get_register_by_name(cpu, "lstar", &v), -1);
    assert_int_equal(reg(x, "apic_base"), 0xfee00900);
    assert_int_equal(cpu_set_register_by_name(cpu, "sysenter_eip", 0xc0001000), 0);
    assert_int_equal(x->sysenter_eip, 0xc0001000);

    assert_int_equal(cpu_set_register_by_name(cpu, "ebx", 0x123456789ULL), 0);
    assert_int_equal(x->regs[R_EBX], 0x23456789);
    assert_int_equal(cpu_set_register_by_name(cpu, "esp", 0x7000), 0);
    assert_int_equal(x->regs[R_ESP], 0x7000);
    /* real mode: a selector load sets the base */
    assert_int_equal(cpu_set_register_by_name(cpu, "ds", 0x1234), 0);
    assert_int_equal(x->segs[R_DS].selector, 0x1234);
    assert_int_equal(x->segs[R_DS].base, 0x12340);
    /* EFLAGS bit 1 always reads 1 */
    assert_int_equal(cpu_set_register_by_name(cpu, "eflags", 0x200), 0);
    assert_int_equal(reg(x, "eflags"), 0x202);
    cpu_destroy(cpu);

    x = new_cpu("qemu64");
    cpu = &x->parent;
    assert_int_equal(cpu_register_index(cpu, "eax"), 0);     /* same indices as qemu32 */
    assert_int_equal(cpu_set_register_by_name(cpu, "rax", 0x1122334455667788ULL), 0);
    assert_int_equal(reg(x, "eax"), 0x55667788);
    assert_int_equal(reg(x, "rax"), 0x1122334455667788ULL);
    assert_int_equal(cpu_set_register_by_name(cpu, "r15", 42), 0);
    assert_int_equal(x->regs[15], 42);
    assert_int_equal(cpu_set_register_by_name(cpu, "fs_base", 0xffff800000000000ULL), 0);
    assert_int_equal(x->segs[R_FS].base, 0xffff800000000000ULL);
    assert_int_equal(cpu_set_register_by_name(cpu, "LSTAR", 0xffffffff81600000ULL), 0);
    assert_int_equal(x->lstar, 0xffffffff81600000ULL);
    assert_int_equal(reg(x, "pat"), 0x0007040600070406ULL);
    /* a 32-bit write zero-extends, as MOV r32 does in 64-bit mode */
    assert_int_equal(cpu_set_register_by_name(cpu, "eax", 1), 0);
    assert_int_equal(reg(x, "rax"), 1);
    cpu_destroy(cpu);
}

static void test_has_work(void **state)
{
    X86CPU *x = new_cpu("qemu32");
    CPUState *cpu = &x->parent;

    cpu_interrupt(cpu, CPU_INTERRUPT_HARD);
    assert_false(cpu_has_work(cpu));            /* IF=0: HLT keeps waiting */
    x->eflags |= X86_EFLAGS_IF;
    assert_true(cpu_has_work(cpu));
    cpu_reset_interrupt(cpu, CPU_INTERRUPT_HARD);
    x->eflags &= ~X86_EFLAGS_IF;
    cpu_interrupt(cpu, CPU_INTERRUPT_NMI);
    assert_true(cpu_has_work(cpu));
    cpu_destroy(cpu);
}

static const char reset_dump_32[] =
    "EAX=00000000 EBX=00000000 ECX=00000000 EDX=00000663\n"
    "ESI=00000000 EDI=00000000 EBP=00000000 ESP=00000000\n"
    "EIP=0000fff0 EFL=00000002 [-------] CPL=0 II=0 SMM=0 HLT=0\n"
    "ES =0000 00000000 0000ffff 00009300\n"
    "CS =f000 ffff0000 0000ffff 00009b00\n"
    "SS =0000 00000000 0000ffff 00009300\n"
    "DS =0000 00000000 0000ffff 00009300\n"
    "FS =0000 00000000 0000ffff 00009300\n"
    "GS =0000 00000000 0000ffff 00009300\n"
    "LDT=0000 00000000 0000ffff 00008200\n"
    "TR =0000 00000000 0000ffff 00008b00\n"
    "GDT=     00000000 0000ffff\n"
    "IDT=     00000000 0000ffff\n"
    "CR0=60000010 CR2=00000000 CR3=00000000 CR4=00000000\n"
    "DR0=00000000 DR1=00000000 DR2=00000000 DR3=00000000 \n"
    "DR6=ffff0ff0 DR7=00000400\n"
    "EFER=0000000000000000\n";

static void test_dump_32(void **state)
{
    X86CPU *x = new_cpu("qemu32");
    char *text = dump(x);
    assert_string_equal(text, reset_dump_32);
    free(text);

    x86_cpu_set_eflags(x, X86_EFLAGS_ZF | X86_EFLAGS_CF | X86_EFLAGS_DF);
    x->parent.halted = true;
    text = dump(x);
    assert_non_null(strstr(text, "EFL=00000443 [D--Z--C] CPL=0 II=0 SMM=0 HLT=1\n"));
    free(text);
    cpu_destroy(&x->parent);
}

static void test_dump_64(void **state)
{
    X86CPU *x = new_cpu("qemu64");
    x->efer = X86_EFER_LME | X86_EFER_LMA;
    x->segs[R_CS].flags |= X86_SEG_L;
    x->regs[8] = 0x8888;
    x->rip = 0xffffffff81000000ULL;
    char *text = dump(x);
    assert_non_null(strstr(text, "RAX=0000000000000000 RBX=0000000000000000 "
                                 "RCX=0000000000000000 RDX=0000000000060fb1\n"));
    assert_non_null(strstr(text, "R8 =0000000000008888 R9 =0000000000000000"));
    assert_non_null(strstr(text, "RIP=ffffffff81000000 RFL=00000002 [-------]"));
    assert_non_null(strstr(text, "CS =f000 00000000ffff0000 0000ffff 00209b00\n"));
    assert_non_null(strstr(text, "EFER=0000000000000500\n"));
    free(text);
    cpu_destroy(&x->parent);
}

/* ---- page walks over real guest memory ------------------------------------------------ */

typedef struct WalkFixture {
    MemoryRegion root, ram;
    AddressSpace as;
    X86CPU *x;
} WalkFixture;

static int walk_setup(void **state)
{
    WalkFixture *w = calloc(1, sizeof(*w));
    memory_region_init_container(&w->root, "system", UINT64_MAX);
    memory_region_init_ram(&w->ram, "ram", 16 << 20);
    memory_region_add_subregion(&w->root, 0, &w->ram, 0);
    address_space_init(&w->as, &w->root, "memory");
    w->x = new_cpu("qemu64");
    w->x->parent.as = &w->as;
    *state = w;
    return 0;
}

static int walk_teardown(void **state)
{
    WalkFixture *w = *state;
    cpu_destroy(&w->x->parent);
    address_space_destroy(&w->as);
    memory_region_destroy(&w->ram);
    memory_region_destroy(&w->root);
    free(w);
    return 0;
}

static void put(WalkFixture *w, hwaddr addr, unsigned size, uint64_t value)
{
    assert_int_equal(address_space_store(&w->as, addr, size, value), MEMTX_OK);
}

static int translate(WalkFixture *w, uint64_t va, hwaddr *pa)
{
    return w->x->parent.cls->get_phys_addr(&w->x->parent, va, pa);
}

static void test_walk_32bit(void **state)
{
    WalkFixture *w = *state;
    hwaddr pa;

    assert_int_equal(translate(w, 0x12345, &pa), 0);       /* paging off: identity */
    assert_int_equal(pa, 0x12345);

    w->x->cr[0] |= X86_CR0_PE | X86_CR0_PG;
    w->x->cr[3] = 0x10000;
    put(w, 0x10000 + (0x004 << 2), 4, 0x11000 | 3);          /* PDE for 0x01000000 */
    put(w, 0x11000 + (0x002 << 2), 4, 0x345000 | 3);         /* PTE for page 2 */
    assert_int_equal(translate(w, 0x01002abc, &pa), 0);
    assert_int_equal(pa, 0x345abc);
    assert_int_equal(translate(w, 0x01003000, &pa), -1);    /* PTE not present */
    assert_int_equal(translate(w, 0x80000000, &pa), -1);    /* PDE not present */

    w->x->cr[4] |= X86_CR4_PSE;                             /* 4 MiB page */
    put(w, 0x10000 + (0x300 << 2), 4, 0x00800000 | 0x83);
    assert_int_equal(translate(w, 0xc0123456, &pa), 0);
    assert_int_equal(pa, 0x00923456);
    w->x->cr[3] = 0x7f000000;                   /* page directory outside guest memory */
    assert_int_equal(translate(w, 0xc0123456, &pa), -1);
}

static void test_walk_long_mode(void **state)
{
    WalkFixture *w = *state;
    hwaddr pa;
    uint64_t va = 0xffff800040201000ULL;    /* PML4 256, PDPT 1, PD 1, PT 1 */

    w->x->cr[0] |= X86_CR0_PE | X86_CR0_PG;
    w->x->cr[4] |= X86_CR4_PAE;
    w->x->efer = X86_EFER_LME | X86_EFER_LMA;
    w->x->cr[3] = 0x20000;
    put(w, 0x20000 + 256 * 8, 8, 0x21000 | 3);
    put(w, 0x21000 + 1 * 8, 8, 0x22000 | 3);
    put(w, 0x22000 + 1 * 8, 8, 0x23000 | 3);
    put(w, 0x23000 + 1 * 8, 8, 0x456000 | 3);
    assert_int_equal(translate(w, va + 0x123, &pa), 0);
    assert_int_equal(pa, 0x456123);
    /* a 2 MiB page at PD entry 2 */
    put(w, 0x22000 + 2 * 8, 8, 0x600000 | 0x83);
    assert_int_equal(translate(w, 0xffff800040412345ULL, &pa), 0);
    assert_int_equal(pa, 0x612345);
    assert_int_equal(translate(w, 0x0000000040201000ULL, &pa), -1);     /* PML4 0 empty */
    /* a 1 GiB page at PDPT entry 3, above 4 GiB */
    put(w, 0x21000 + 3 * 8, 8, 0x140000000ULL | 0x83);
    assert_int_equal(translate(w, 0xffff8000c1234567ULL, &pa), 0);
    assert_int_equal(pa, 0x141234567ULL);
}

static void test_walk_pae(void **state)
{
    WalkFixture *w = *state;
    hwaddr pa;

    w->x->cr[0] |= X86_CR0_PE | X86_CR0_PG;
    w->x->cr[4] |= X86_CR4_PAE;
    w->x->cr[3] = 0x30020;                     /* PDPT is 32-byte aligned */
    put(w, 0x30020 + 3 * 8, 8, 0x31000 | 1);   /* PDPTE 3: 0xc0000000.. */
    put(w, 0x31000 + 1 * 8, 8, 0x800000 | 0x83);    /* 2 MiB page */
    assert_int_equal(translate(w, 0xc0312345, &pa), 0);
    assert_int_equal(pa, 0x912345);
    assert_int_equal(translate(w, 0x40000000, &pa), -1);   /* PDPTE 1 not present */
}

/* ---- translation flags and RFLAGS ------------------------------------------------------ */

static void test_hflags(void **state)
{
    X86CPU *x = new_cpu("qemu64");
    uint32_t code32 = X86_SEG_P | X86_SEG_S | X86_SEG_CODE | X86_SEG_RW | X86_SEG_DB;
    uint32_t data32 = X86_SEG_P | X86_SEG_S | X86_SEG_RW | X86_SEG_DB;

    /* real mode: 16-bit, segment bases added */
    assert_int_equal(x->hflags & (HF_PE | HF_CS32 | HF_SS32 | HF_CPL_MASK), 0);
    assert_true(x->hflags & HF_ADDSEG);
    /* flat 32-bit protected mode: the shortcut */
    x->cr[0] |= X86_CR0_PE;
    for (int s = 0; s < X86_NR_SEGS; s++) {
        x86_cpu_load_seg_cache(x, s, 0x10, 0, 0xffffffff, s == R_CS ? code32 : data32);
    }
    assert_int_equal(x->hflags & (HF_PE | HF_CS32 | HF_SS32 | HF_ADDSEG),
                     HF_PE | HF_CS32 | HF_SS32);
    x86_cpu_load_seg_cache(x, R_DS, 0x18, 0x1000, 0xffffffff, data32);
    assert_true(x->hflags & HF_ADDSEG);
    /* ring 3 is SS.DPL */
    x86_cpu_load_seg_cache(x, R_SS, 0x23, 0, 0xffffffff, data32 | (3u << X86_SEG_DPL_SHIFT));
    assert_int_equal(x->hflags & HF_CPL_MASK, 3);
    assert_int_equal(x86_mmu_index(x->hflags), X86_MMU_USER);
    /* 64-bit mode: no ADDSEG whatever the bases */
    x->efer |= X86_EFER_LME | X86_EFER_LMA;
    x86_cpu_load_seg_cache(x, R_CS, 0x08, 0, 0, (code32 & ~X86_SEG_DB) | X86_SEG_L);
    assert_true(x->hflags & HF_CS64);
    assert_false(x->hflags & HF_ADDSEG);
    /* v86: CPL 3 */
    x->efer = 0;
    x86_cpu_write_eflags(x, X86_EFLAGS_VM | X86_EFLAGS_IOPL, X86_EFLAGS_VM | X86_EFLAGS_IOPL);
    assert_int_equal(x->hflags & (HF_VM | HF_CPL_MASK | HF_IOPL_MASK | HF_CS32),
                     HF_VM | 3 | HF_IOPL_MASK);
    cpu_destroy(&x->parent);
}

static void test_eflags_lazy(void **state)
{
    X86CPU *x = new_cpu("qemu32");
    x86_cpu_write_eflags(x, 0xffffffff, X86_EFLAGS_ARITH | X86_EFLAGS_DF | X86_EFLAGS_IF);
    assert_int_equal(x->cc_op, X86_CC_OP_EFLAGS);
    assert_int_equal(x->eflags & X86_EFLAGS_ARITH, 0);
    assert_int_equal(x86_cpu_get_eflags(x),
                     0x2 | X86_EFLAGS_ARITH | X86_EFLAGS_DF | X86_EFLAGS_IF);
    cpu_destroy(&x->parent);
}

static void test_cpuid(void **state)
{
    uint32_t r[4];
    X86CPU *x = new_cpu("qemu32");
    x86_cpuid(x, 0, 0, r);
    assert_int_equal(r[0], 4);
    assert_memory_equal(&r[1], "Genu", 4);
    assert_memory_equal(&r[3], "ineI", 4);
    assert_memory_equal(&r[2], "ntel", 4);
    x86_cpuid(x, 1, 0, r);
    assert_int_equal(r[0], 0x663);
    assert_true(r[3] & CPUID_PAE);
    assert_true(r[3] & CPUID_FPU);              /* x87 and FXSAVE are implemented */
    assert_true(r[3] & CPUID_FXSR);
    assert_true(r[3] & CPUID_SSE2);             /* so are MMX and SSE to SSE4.2 */
    assert_true(r[2] & CPUID_EXT_SSE3);
    assert_false(r[2] & CPUID_EXT_SSSE3);       /* (not in QEMU's qemu32) */
    x86_cpuid(x, 0x80000001, 0, r);
    assert_false(r[3] & CPUID_EXT2_LM);
    cpu_destroy(&x->parent);

    x = new_cpu("max");
    x86_cpuid(x, 7, 0, r);
    assert_true(r[1] & CPUID_7_0_EBX_SMEP);
    assert_true(r[1] & CPUID_7_0_EBX_SMAP);
    assert_true(r[3] & CPUID_7_0_EDX_ARCH_CAPABILITIES);
    assert_true(r[1] & CPUID_7_0_EBX_AVX2);     /* AVX and AVX2 with the YMM state */
    x86_cpuid(x, 1, 0, r);
    assert_true(r[2] & CPUID_EXT_AVX);
    assert_false(r[2] & (CPUID_EXT_F16C | (1u << 12)));  /* F16C, FMA: not implemented */
    x86_cpuid(x, 0xd, 0, r);
    assert_int_equal(r[0], 7);                  /* XCR0 may enable x87, SSE, AVX */
    x86_cpuid(x, 0x80000001, 0, r);
    assert_true(r[3] & CPUID_EXT2_LM);
    x86_cpuid(x, 0x80000008, 0, r);
    assert_int_equal(r[0], 0x3028);             /* 40 physical, 48 linear bits */
    x86_cpuid(x, 0x80000002, 0, r);
    assert_memory_equal(r, "Mimic TCG CPU (m", 16);
    x86_cpuid(x, 0xb, 1, r);
    assert_int_equal(r[1], 1);                  /* one logical CPU without -smp */
    assert_int_equal(x86_cpu_parse_options(&x->parent, "-smep,smap=off", NULL), 0);
    assert_false(x86_has_feature(x, FEAT_7_0_EBX, CPUID_7_0_EBX_SMEP | CPUID_7_0_EBX_SMAP));
    cpu_destroy(&x->parent);
}

/* The TSC conversion without a 128-bit division equals the 128-bit formula. */
static void test_tsc_from_ns(void **state)
{
    static const uint64_t khz[] = { 1, 999, 1000000, 2596137, 3999999, 1ull << 40 };
    uint64_t ns = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 20000; i++) {
        ns = ns * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t n = i < 10 ? (uint64_t)i * 999999u : ns >> (i % 64);
        for (size_t k = 0; k < sizeof(khz) / sizeof(khz[0]); k++) {
            unsigned __int128 want = (unsigned __int128)n * khz[k] / 1000000u;
            assert_true(x86_tsc_from_ns(n, khz[k]) == (uint64_t)want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_models),
        cmocka_unit_test(test_reset_values),
        cmocka_unit_test(test_reset_after_changes),
        cmocka_unit_test(test_registers_by_name),
        cmocka_unit_test(test_has_work),
        cmocka_unit_test(test_dump_32),
        cmocka_unit_test(test_dump_64),
        cmocka_unit_test(test_hflags),
        cmocka_unit_test(test_eflags_lazy),
        cmocka_unit_test(test_cpuid),
        cmocka_unit_test(test_tsc_from_ns),
        cmocka_unit_test_setup_teardown(test_walk_32bit, walk_setup, walk_teardown),
        cmocka_unit_test_setup_teardown(test_walk_long_mode, walk_setup, walk_teardown),
        cmocka_unit_test_setup_teardown(test_walk_pae, walk_setup, walk_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
