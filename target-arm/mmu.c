/* The ARMv7-A VMSA (ARM ARM DDI0406C B3): short-descriptor translation (B3.5: sections,
 * supersections, large and small pages, domains of DACR, AP[2:0] with SCTLR.AFE, XN/PXN)
 * and long-descriptor (LPAE, B3.6: TTBCR.T0SZ/T1SZ, blocks and pages, AP[2:1], AF, XN/PXN),
 * fault status encodings (B3.13), tlb_fill for the runtime and alignment faults.
 * TLB entries are not tagged with the ASID: writes that change the translation regime
 * (TTBRx, TTBCR, SCTLR, CONTEXTIDR) flush the TLB (cp15.c), DACR writes only when they
 * restrict a domain that entries were filled from (tlb_domains). */
#include "target-arm/internals.h"

bool arm_lpae_active(const ARMCPU *a)
{
    return a->has_lpae && (a->cp15.ttbcr & ARM_TTBCR_EAE);
}

static int read_desc32(ARMCPU *a, hwaddr addr, uint32_t *desc)
{
    uint64_t v;
    if (!a->parent.as || address_space_load(a->parent.as, addr, 4, &v) != MEMTX_OK) {
        return -1;
    }
    *desc = (uint32_t)v;
    return 0;
}

/* PAGE_* for AP[2:0] (AFE=0 model; with AFE=1 AP[0] is the access flag and AP[2:1] are
 * read as for the long format). */
static int ap_to_prot(unsigned ap, bool user, bool afe)
{
    if (afe) {
        ap = (ap & 6) | 1;          /* AP[2:1]: 0x RW/none|RW, 1x RO/none|RO */
        static const int prot_priv[4] = { PAGE_READ | PAGE_WRITE, PAGE_READ | PAGE_WRITE,
                                          PAGE_READ, PAGE_READ };
        static const int prot_user[4] = { 0, PAGE_READ | PAGE_WRITE, 0, PAGE_READ };
        return user ? prot_user[ap >> 1] : prot_priv[ap >> 1];
    }
    switch (ap) {
    case 1: return user ? 0 : PAGE_READ | PAGE_WRITE;
    case 2: return user ? PAGE_READ : PAGE_READ | PAGE_WRITE;
    case 3: return PAGE_READ | PAGE_WRITE;
    case 5: return user ? 0 : PAGE_READ;
    case 6: case 7: return PAGE_READ;
    default: return 0;
    }
}

static bool access_allowed(int prot, MMUAccessType type)
{
    int need = type == MMU_DATA_STORE ? PAGE_WRITE : type == MMU_INST_FETCH ? PAGE_EXEC
                                                                             : PAGE_READ;
    return (prot & need) != 0;
}

static uint32_t short_fsr(uint32_t fs, unsigned domain)
{
    return (fs & 0xf) | ((fs & 0x10) << 6) | (domain & 0xf) << 4;
}

/* The first-level descriptor's address: TTBR0 covers the low 2^(32-N) bytes (B3.5.4). */
static hwaddr l1_desc_addr(const ARMCPU *a, uint32_t va)
{
    unsigned n = a->cp15.ttbcr & 7;
    if (n && (va >> (32 - n))) {
        return ((uint32_t)a->cp15.ttbr1 & 0xffffc000u) | ((va >> 20) << 2);
    }
    uint32_t base_mask = ~((1u << (14 - n)) - 1);
    uint32_t index = (va >> 20) & ((1u << (12 - n)) - 1);
    return ((uint32_t)a->cp15.ttbr0 & base_mask) | (index << 2);
}

/* Domain check: 0 no access (fault), 1 client (check AP), 3 manager. */
static int domain_type(const ARMCPU *a, unsigned domain)
{
    return (a->cp15.dacr >> (2 * domain)) & 3;
}

typedef struct ShortEntry {
    hwaddr pa;
    uint64_t size;
    unsigned ap, domain;
    bool xn, pxn, is_page;
} ShortEntry;

static int walk_short_l2(ARMCPU *a, uint32_t va, uint32_t l1, ShortEntry *e, uint32_t *fsr)
{
    uint32_t l2;
    e->is_page = true;
    e->pxn = (l1 >> 2) & 1;
    if (read_desc32(a, (l1 & 0xfffffc00u) | (((va >> 12) & 0xff) << 2), &l2) < 0) {
        *fsr = short_fsr(ARM_FS_WALK_EXT_L2, e->domain);
        return -1;
    }
    switch (l2 & 3) {
    case 0:
        *fsr = short_fsr(ARM_FS_TRANS_PAGE, e->domain);
        return -1;
    case 1:                         /* large page, 64 KiB */
        e->pa = (l2 & 0xffff0000u) | (va & 0xffff);
        e->size = 0x10000;
        e->xn = (l2 >> 15) & 1;
        break;
    default:                        /* small page, 4 KiB */
        e->pa = (l2 & 0xfffff000u) | (va & 0xfff);
        e->size = 0x1000;
        e->xn = l2 & 1;
        break;
    }
    e->ap = ((l2 >> 4) & 3) | ((l2 >> 7) & 4);
    return 0;
}

static int walk_short(ARMCPU *a, uint32_t va, ShortEntry *e, uint32_t *fsr)
{
    uint32_t l1;
    *e = (ShortEntry){ 0 };
    if (read_desc32(a, l1_desc_addr(a, va), &l1) < 0) {
        *fsr = short_fsr(ARM_FS_WALK_EXT_L1, 0);
        return -1;
    }
    e->domain = (l1 >> 5) & 0xf;
    switch (l1 & 3) {
    case 1:
        return walk_short_l2(a, va, l1, e, fsr);
    case 2:
        if (l1 & (1u << 18)) {      /* supersection: PA[35:32] = l1[23:20], PA[39:36] = l1[8:5] */
            e->pa = (l1 & 0xff000000u) | ((uint64_t)((l1 >> 20) & 0xf) << 32) |
                    ((uint64_t)((l1 >> 5) & 0xf) << 36) | (va & 0x00ffffffu);
            e->size = 0x1000000;
            e->domain = 0;
        } else {
            e->pa = (l1 & 0xfff00000u) | (va & 0x000fffffu);
            e->size = 0x100000;
        }
        e->ap = ((l1 >> 10) & 3) | ((l1 >> 13) & 4);
        e->xn = (l1 >> 4) & 1;
        e->pxn = l1 & 1;
        return 0;
    default:
        *fsr = short_fsr(ARM_FS_TRANS_SECTION, e->domain);
        return -1;
    }
}

static int translate_short(ARMCPU *a, uint32_t va, MMUAccessType type, int mmu_idx,
                           ARMTranslation *t)
{
    ShortEntry e;
    bool user = mmu_idx == ARM_MMU_IDX_USER, afe = a->cp15.sctlr & ARM_SCTLR_AFE;

    t->mapped = false;
    if (walk_short(a, va, &e, &t->fsr) < 0) {
        return -1;
    }
    t->paddr = e.pa;
    t->page_size = e.size;
    t->mapped = true;
    t->domain = (int)e.domain;
    int dom = domain_type(a, e.domain);
    if (dom == 0 || dom == 2) {
        t->fsr = short_fsr(e.is_page ? ARM_FS_DOMAIN_PAGE : ARM_FS_DOMAIN_SECTION, e.domain);
        return -1;
    }
    if (afe && !(e.ap & 1)) {
        t->fsr = short_fsr(e.is_page ? ARM_FS_AF_PAGE : ARM_FS_AF_SECTION, e.domain);
        return -1;
    }
    int prot = dom == 3 ? PAGE_READ | PAGE_WRITE : ap_to_prot(e.ap, user, afe);
    if (prot & PAGE_READ) {
        prot |= PAGE_EXEC;
    }
    if (e.xn || (e.pxn && !user)) {
        prot &= ~PAGE_EXEC;
    }
    t->paddr = e.pa;
    t->prot = prot;
    t->page_size = e.size;
    if (!access_allowed(prot, type)) {
        t->fsr = short_fsr(e.is_page ? ARM_FS_PERM_PAGE : ARM_FS_PERM_SECTION, e.domain);
        return -1;
    }
    return 0;
}

/* ---- long descriptors (B3.6) -------------------------------------------------------------- */

#define LPAE_FSR(status) ((1u << 9) | (status))

/* Which TTBR translates va and its TxSZ; -1: neither (a level-1 translation fault). */
static int lpae_region(const ARMCPU *a, uint32_t va, uint64_t *ttbr, unsigned *tsz)
{
    unsigned t0sz = a->cp15.ttbcr & 7, t1sz = (a->cp15.ttbcr >> 16) & 7;

    if (t1sz && va >= 0x100000000ull - (1ull << (32 - t1sz))) {
        *ttbr = a->cp15.ttbr1;
        *tsz = t1sz;
        return 0;
    }
    if (t0sz == 0 || va < (1ull << (32 - t0sz))) {
        *ttbr = a->cp15.ttbr0;
        *tsz = t0sz;
        return 0;
    }
    return -1;
}

static int lpae_leaf(uint64_t desc, int level, unsigned shift, uint32_t va, bool user,
                     MMUAccessType type, ARMTranslation *t)
{
    uint64_t mask = (1ull << shift) - 1;
    t->paddr = (desc & 0xffffffffffull & ~mask) | (va & mask);
    t->page_size = 1ull << shift;
    t->mapped = true;
    if (!(desc & (1u << 10))) {
        t->fsr = LPAE_FSR(ARM_LFS_AF + level);
        return -1;
    }
    unsigned ap = (desc >> 6) & 3;
    static const int prot_priv[4] = { PAGE_READ | PAGE_WRITE, PAGE_READ | PAGE_WRITE,
                                      PAGE_READ, PAGE_READ };
    static const int prot_user[4] = { 0, PAGE_READ | PAGE_WRITE, 0, PAGE_READ };
    int prot = user ? prot_user[ap] : prot_priv[ap];
    if (prot & PAGE_READ) {
        prot |= PAGE_EXEC;
    }
    if ((desc >> 54) & 1 || (((desc >> 53) & 1) && !user)) {
        prot &= ~PAGE_EXEC;
    }
    t->prot = prot;
    if (!access_allowed(prot, type)) {
        t->fsr = LPAE_FSR(ARM_LFS_PERM + level);
        return -1;
    }
    return 0;
}

/* Levels 1-3 resolve VA bits 31:30, 29:21 and 20:12; a region of 2^30 bytes or less starts
 * at level 2. Blocks: 1 GiB at level 1, 2 MiB at level 2; pages at level 3. */
static int translate_lpae(ARMCPU *a, uint32_t va, MMUAccessType type, int mmu_idx,
                          ARMTranslation *t)
{
    uint64_t ttbr, desc;
    unsigned tsz;
    bool user = mmu_idx == ARM_MMU_IDX_USER;

    t->mapped = false;
    if (lpae_region(a, va, &ttbr, &tsz) < 0) {
        t->fsr = LPAE_FSR(ARM_LFS_TRANS + 1);
        return -1;
    }
    int level = tsz <= 1 ? 1 : 2;
    unsigned base_low = level == 1 ? 5 - tsz : 14 - tsz;
    uint64_t table = ttbr & 0xffffffffffull & ~((1ull << base_low) - 1);
    uint64_t offset = va & ((1ull << (32 - tsz)) - 1);

    for (; level <= 3; level++) {
        unsigned shift = 39 - 9 * level;
        hwaddr entry = table + ((offset >> shift) & 0x1ff) * 8;
        if (!a->parent.as || address_space_load(a->parent.as, entry, 8, &desc) != MEMTX_OK) {
            t->fsr = LPAE_FSR(ARM_LFS_WALK_EXT + level);
            return -1;
        }
        if (!(desc & 1) || (level == 3 && (desc & 3) != 3)) {
            t->fsr = LPAE_FSR(ARM_LFS_TRANS + level);
            return -1;
        }
        if (level == 3 || (desc & 3) == 1) {
            return lpae_leaf(desc, level, shift, va, user, type, t);
        }
        table = desc & 0xfffffff000ull;
    }
    t->fsr = LPAE_FSR(ARM_LFS_TRANS + 3);
    return -1;
}

int arm_mmu_translate(ARMCPU *a, uint32_t va, MMUAccessType type, int mmu_idx,
                      ARMTranslation *t)
{
    t->domain = -1;
    if (!(a->cp15.sctlr & ARM_SCTLR_M)) {
        t->mapped = true;
        t->paddr = va;
        t->prot = PAGE_RWX;
        t->page_size = 0x1000;
        return 0;
    }
    if (arm_lpae_active(a)) {
        return translate_lpae(a, va, type, mmu_idx, t);
    }
    return translate_short(a, va, type, mmu_idx, t);
}

/* ---- faults ------------------------------------------------------------------------------- */

void arm_raise_data_abort(ARMCPU *a, uint32_t va, uint32_t fsr, bool is_write,
                          uintptr_t retaddr)
{
    a->cp15.dfsr = fsr | (is_write ? 1u << 11 : 0);
    a->cp15.dfar = va;
    cpu_raise_exception(&a->parent, ARM_EXCP_DATA_ABORT, retaddr);
}

bool arm_tlb_fill(CPUState *cpu, uint64_t vaddr, int size, MMUAccessType type, int mmu_idx,
                  bool probe, uintptr_t retaddr)
{
    ARMCPU *a = arm_cpu(cpu);
    ARMTranslation t;

    if (arm_mmu_translate(a, (uint32_t)vaddr, type, mmu_idx, &t) == 0) {
        uint64_t size_pg = t.page_size < 0x1000 ? 0x1000 : t.page_size;
        if (t.domain >= 0) {
            a->tlb_domains |= 1u << t.domain;   /* a DACR write restricting it flushes */
        }
        tlb_set_page(cpu, vaddr & ~0xfffull, t.paddr & ~0xfffull, t.prot, mmu_idx, size_pg);
        return true;
    }
    if (probe) {
        return false;
    }
    if (type == MMU_INST_FETCH) {
        a->cp15.ifsr = t.fsr;
        a->cp15.ifar = (uint32_t)vaddr;
        cpu_raise_exception(cpu, ARM_EXCP_PREFETCH_ABORT, retaddr);
    }
    arm_raise_data_abort(a, (uint32_t)vaddr, t.fsr, type == MMU_DATA_STORE, retaddr);
}

void arm_do_unaligned_access(CPUState *cpu, uint64_t vaddr, MMUAccessType type, int mmu_idx,
                             uintptr_t retaddr)
{
    ARMCPU *a = arm_cpu(cpu);
    uint32_t fsr = arm_lpae_active(a) ? LPAE_FSR(ARM_LFS_ALIGN) : ARM_FS_ALIGN;
    arm_raise_data_abort(a, (uint32_t)vaddr, fsr, type == MMU_DATA_STORE, retaddr);
}

int arm_get_phys_addr(CPUState *cpu, uint64_t vaddr, hwaddr *paddr)
{
    ARMTranslation t;
    if (arm_mmu_translate(arm_cpu(cpu), (uint32_t)vaddr, MMU_DATA_LOAD, ARM_MMU_IDX_KERN,
                          &t) < 0 && !t.mapped) {
        return -1;              /* the debugger ignores permissions */
    }
    *paddr = t.paddr;
    return 0;
}
