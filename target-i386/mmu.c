/* x86 paging for the soft TLB (Intel SDM vol. 3A ch. 4): 32-bit paging with PSE 4 MiB
 * pages, PAE with NX, 4-level and 5-level paging, reserved-bit checks, accessed/dirty bits
 * set as hardware does, U/S, R/W with CR0.WP, NX, SMEP and SMAP (4.6), the page-fault
 * error code and CR2 (4.7), the A20 mask, and CR3 loads, INVLPG and INVPCID. */
#include <inttypes.h>
#include "target-i386/cpu.h"
#include "target-i386/cpuid.h"
#include "target-i386/helper-sys.h"
#include "target-i386/sys-internal.h"
#include "util/log.h"

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_XD (1ull << 63)

/* The result of a walk: the 4 KiB frame of the address, the page size and the combined
 * rights of every level. */
typedef struct Walk {
    uint64_t pa;
    uint64_t page_size;
    bool user, write, nx, dirty;
    uint32_t fault;         /* error-code bits of a walk fault (P, RSVD); 0 = mapped */
} Walk;

typedef struct WalkCtx {
    X86CPU *x;
    uint64_t va;
    bool set_dirty;
    int levels;             /* 2 (32-bit), 3 (PAE), 4, 5 */
    unsigned esize;         /* 4 or 8 */
    uint64_t rsvd;          /* reserved address bits of 8-byte entries */
} WalkCtx;

static uint64_t read_entry(X86CPU *x, uint64_t pa, unsigned esize)
{
    uint64_t v = 0;
    if (!x->parent.as ||
        address_space_load(x->parent.as, pa & x->a20_mask, esize, &v) != MEMTX_OK) {
        return 0;           /* unmapped page tables read as not present */
    }
    return v;
}

static void write_entry(X86CPU *x, uint64_t pa, unsigned esize, uint64_t v)
{
    address_space_store(x->parent.as, pa & x->a20_mask, esize, v);
}

static unsigned level_shift(const WalkCtx *c, int level)
{
    return c->esize == 4 ? 12 + 10 * (level - 1) : 12 + 9 * (level - 1);
}

static unsigned level_index(const WalkCtx *c, int level)
{
    if (c->levels == 3 && level == 3) {
        return (c->va >> 30) & 3;
    }
    unsigned bits = c->esize == 4 ? 10 : 9;
    return (c->va >> level_shift(c, level)) & ((1u << bits) - 1);
}

/* Reserved bits of an entry at level (SDM 3A tables 4-4..4-20). */
static bool entry_reserved(const WalkCtx *c, int level, uint64_t e)
{
    X86CPU *x = c->x;
    if (c->esize == 4) {
        return level == 2 && (e & PTE_PS) && (x->cr[4] & X86_CR4_PSE) && (e & (1u << 21));
    }
    uint64_t rsvd = c->rsvd;
    if (!(x->efer & X86_EFER_NXE)) {
        rsvd |= PTE_XD;
    }
    if (c->levels == 3 && level == 3) {
        rsvd |= PTE_XD | 0x1e6;             /* PAE PDPTE: bits 2:1, 8:5 and XD */
    } else if (e & PTE_PS) {
        if (level == 2) {
            rsvd |= 0x1fe000;               /* 2 MiB: bits 20:13 */
        } else if (level == 3) {
            rsvd |= 0x3fffe000;             /* 1 GiB: bits 29:13 */
        } else if (level >= 4) {
            rsvd |= PTE_PS;
        }
    }
    return (e & rsvd) != 0;
}

static bool is_leaf(const WalkCtx *c, int level, uint64_t e)
{
    if (level == 1) {
        return true;
    }
    if (!(e & PTE_PS)) {
        return false;
    }
    if (c->esize == 4) {
        return level == 2 && (c->x->cr[4] & X86_CR4_PSE);
    }
    return level == 2 || (level == 3 && c->levels >= 4);
}

static uint64_t leaf_frame(const WalkCtx *c, int level, uint64_t e, uint64_t size)
{
    if (c->esize == 4 && level == 2) {
        /* PSE-36: PDE bits 20:13 are physical-address bits 39:32 */
        return (e & 0xffc00000u) | ((e & 0x1fe000ull) << 19) | (c->va & (size - 1) & ~0xfffull);
    }
    uint64_t addr = e & 0x000ffffffffff000ull & ~(size - 1);
    return addr | (c->va & (size - 1) & ~0xfffull);
}

static uint64_t walk_root(const WalkCtx *c)
{
    X86CPU *x = c->x;
    if (c->esize == 4) {
        return x->cr[3] & 0xfffff000u;
    }
    if (c->levels == 3) {
        return x->cr[3] & 0xffffffe0u;
    }
    return x->cr[3] & 0x000ffffffffff000ull;
}

static void walk(WalkCtx *c, Walk *w)
{
    uint64_t table = walk_root(c);
    uint64_t entries[5], addrs[5];
    int level = c->levels, n = 0;

    *w = (Walk){ .user = true, .write = true };
    for (;; level--) {
        uint64_t ea = table + level_index(c, level) * c->esize;
        uint64_t e = read_entry(c->x, ea, c->esize);
        if (!(e & PTE_P)) {
            w->fault = 0;
            w->pa = ~0ull;
            return;
        }
        if (entry_reserved(c, level, e)) {
            w->fault = X86_PF_P | X86_PF_RSVD;
            return;
        }
        entries[n] = e;
        addrs[n++] = ea;
        if (!(c->levels == 3 && level == 3)) {
            w->user &= (e & PTE_US) != 0;
            w->write &= (e & PTE_RW) != 0;
        }
        w->nx |= (c->x->efer & X86_EFER_NXE) && (e & PTE_XD);
        if (is_leaf(c, level, e)) {
            w->page_size = 1ull << level_shift(c, level);
            w->pa = leaf_frame(c, level, e, w->page_size);
            w->dirty = (e & PTE_D) != 0;
            break;
        }
        table = e & (c->esize == 4 ? 0xfffff000ull : 0x000ffffffffff000ull);
    }
    /* Accessed bits on every level (the PAE PDPTEs have none), dirty on the leaf. */
    for (int i = 0; i < n; i++) {
        bool pdpte = c->levels == 3 && i == 0;
        uint64_t e = entries[i] | (pdpte ? 0 : PTE_A);
        if (i == n - 1 && c->set_dirty) {
            e |= PTE_D;
        }
        if (e != entries[i]) {
            write_entry(c->x, addrs[i], c->esize, e);
        }
    }
}

/* Rights of an MMU index on a walked page (SDM 3A 4.6). */
static int page_prot(X86CPU *x, const Walk *w, int mmu_idx)
{
    bool user_mode = mmu_idx == X86_MMU_USER;
    bool wp = x->cr[0] & X86_CR0_WP;
    int prot = 0;

    if (user_mode) {
        if (w->user) {
            prot = PAGE_READ | (w->write ? PAGE_WRITE : 0) | (w->nx ? 0 : PAGE_EXEC);
        }
        return prot;
    }
    bool smap_blocks = w->user && mmu_idx == X86_MMU_KSMAP;
    bool smep_blocks = w->user && (x->cr[4] & X86_CR4_SMEP);
    if (!smap_blocks) {
        prot |= PAGE_READ;
        if (w->write || !wp) {
            prot |= PAGE_WRITE;
        }
    }
    if (mmu_idx == X86_MMU_KEXEC && !w->nx && !smep_blocks) {
        prot |= PAGE_EXEC;
    }
    return prot;
}

static int access_prot(MMUAccessType type)
{
    return type == MMU_DATA_STORE ? PAGE_WRITE : type == MMU_INST_FETCH ? PAGE_EXEC
                                                                       : PAGE_READ;
}

static uint32_t pf_error(X86CPU *x, uint32_t walk_fault, bool present, MMUAccessType type,
                         int mmu_idx)
{
    uint32_t err = walk_fault | (present ? X86_PF_P : 0);
    err |= type == MMU_DATA_STORE ? X86_PF_W : 0;
    err |= mmu_idx == X86_MMU_USER ? X86_PF_U : 0;
    if (type == MMU_INST_FETCH &&
        ((x->efer & X86_EFER_NXE) || (x->cr[4] & X86_CR4_SMEP))) {
        err |= X86_PF_I;
    }
    return err;
}

static void setup_walk(X86CPU *x, uint64_t va, WalkCtx *c)
{
    *c = (WalkCtx){ .x = x, .va = va, .esize = 8, .levels = 4 };
    unsigned pb = x->phys_bits ? x->phys_bits : 36;
    c->rsvd = (~0ull << pb) & 0x000fffffffffffffull;
    if (x->efer & X86_EFER_LMA) {
        c->levels = (x->cr[4] & X86_CR4_LA57) ? 5 : 4;
    } else if (x->cr[4] & X86_CR4_PAE) {
        c->levels = 3;
    } else {
        c->esize = 4;
        c->levels = 2;
    }
}

void x86_mmu_log_fill(X86CPU *x, uint64_t va, uint64_t pa, int prot, int mmu_idx)
{
    log_category_printf(LOG_MMU, "x86 tlb_fill: CPU #%d va %016" PRIx64 " -> pa %016" PRIx64
                        " prot %c%c%c mmu_idx %d\n", x->parent.index, va, pa,
                        prot & PAGE_READ ? 'r' : '-', prot & PAGE_WRITE ? 'w' : '-',
                        prot & PAGE_EXEC ? 'x' : '-', mmu_idx);
}

/* Was the access at vaddr of the instruction just restored a stack reference? Alone, the
 * kinds decide; an instruction with both (PUSH/POP m, CALL m, MOVS with SS:) made the
 * stack reference if vaddr lies next to RSP. */
static bool stack_reference(const X86CPU *x, uint64_t vaddr)
{
    if (!(x->insn_mem & X86_MEM_SS)) {
        return false;
    }
    return !(x->insn_mem & X86_MEM_OTHER) || vaddr - (x->regs[R_ESP] - 16) < 32;
}

/* SDM 3A 3.3.7.1 / 6.14: a non-canonical stack reference is #SS(0), any other #GP(0).
 * Data accesses of translated code learn their kind from the instruction's insn_start
 * word (restored here); the C helpers' stack accesses check before reaching the fill. */
static void noncanonical_fault(X86CPU *x, uint64_t vaddr, MMUAccessType type, uintptr_t ra)
{
    int vector = EXCP0D_GPF;
    if (type != MMU_INST_FETCH && cpu_restore_state(&x->parent, ra)) {
        ra = 0;                     /* restored already */
        if (stack_reference(x, vaddr)) {
            vector = EXCP0C_STACK;
        }
    }
    x86_raise_exception_err(&x->parent, vector, 0, ra);
}

bool x86_cpu_tlb_fill(CPUState *cpu, uint64_t vaddr, int size, MMUAccessType type,
                      int mmu_idx, bool probe, uintptr_t retaddr)
{
    X86CPU *x = x86_cpu(cpu);
    uint64_t page = vaddr & ~0xfffull;

    if (!(x->cr[0] & X86_CR0_PG)) {
        uint64_t pa = (uint32_t)page & x->a20_mask;
        x86_mmu_log_fill(x, page, pa, PAGE_RWX, mmu_idx);
        tlb_set_page(cpu, page, pa, PAGE_RWX, mmu_idx, 4096);
        return true;
    }
    if ((x->efer & X86_EFER_LMA) && !x86_is_canonical(x, vaddr)) {
        if (probe) {
            return false;
        }
        noncanonical_fault(x, vaddr, type, retaddr);
    }
    WalkCtx c;
    Walk w;
    setup_walk(x, (x->efer & X86_EFER_LMA) ? vaddr : (uint32_t)vaddr, &c);
    c.set_dirty = false;
    walk(&c, &w);
    int prot = w.pa == ~0ull || w.fault ? 0 : page_prot(x, &w, mmu_idx);
    if (!(prot & access_prot(type))) {
        if (probe) {
            return false;
        }
        x->cr[2] = c.va;
        bool present = w.pa != ~0ull && !w.fault;
        x86_raise_exception_err(cpu, EXCP0E_PAGE,
                                (int)pf_error(x, w.fault, present, type, mmu_idx), retaddr);
    }
    if (type == MMU_DATA_STORE && !w.dirty) {
        c.set_dirty = true;
        walk(&c, &w);
    } else if (!w.dirty) {
        prot &= ~PAGE_WRITE;        /* the first write walks again to set D */
    }
    uint64_t pa = w.pa & x->a20_mask;
    x86_mmu_log_fill(x, page, pa, prot, mmu_idx);
    tlb_set_page(cpu, page, pa, prot, mmu_idx, w.page_size);
    return true;
}

/* Natural-alignment checks are made only under HF_AC (#AC(0)); 16-byte requirements
 * (SSE aligned forms, CMPXCHG16B) give #GP(0). Under HF_AC an address 8-aligned but not
 * 16-aligned can only have failed the latter. */
void x86_cpu_do_unaligned_access(CPUState *cpu, uint64_t vaddr, MMUAccessType type,
                                 int mmu_idx, uintptr_t retaddr)
{
    bool ac = x86_cpu(cpu)->hflags & HF_AC;
    x86_raise_exception_err(cpu, ac && (vaddr & 7) ? EXCP11_ALGN : EXCP0D_GPF, 0, retaddr);
}

int x86_cpu_code_mmu_index(CPUState *cpu)
{
    return (x86_cpu(cpu)->hflags & HF_CPL_MASK) == 3 ? X86_MMU_USER : X86_MMU_KEXEC;
}

/* Debugger / monitor translation: no fault, no A/D update. */
int x86_cpu_debug_phys_addr(X86CPU *x, uint64_t vaddr, hwaddr *paddr)
{
    if (!(x->cr[0] & X86_CR0_PG)) {
        *paddr = (uint32_t)vaddr & x->a20_mask;
        return 0;
    }
    WalkCtx c;
    Walk w;
    setup_walk(x, (x->efer & X86_EFER_LMA) ? vaddr : (uint32_t)vaddr, &c);
    uint64_t table = walk_root(&c);
    for (int level = c.levels;; level--) {
        uint64_t e = read_entry(x, table + level_index(&c, level) * c.esize, c.esize);
        if (!(e & PTE_P) || entry_reserved(&c, level, e)) {
            return -1;
        }
        if (is_leaf(&c, level, e)) {
            w.page_size = 1ull << level_shift(&c, level);
            *paddr = (leaf_frame(&c, level, e, w.page_size) | (vaddr & 0xfff)) & x->a20_mask;
            return 0;
        }
        table = e & (c.esize == 4 ? 0xfffff000ull : 0x000ffffffffff000ull);
    }
}

/* ---- CR3, INVLPG, INVPCID --------------------------------------------------------------------- */

void x86_write_cr3(X86CPU *x, uint64_t value)
{
    if ((x->efer & X86_EFER_LMA) && (x->cr[4] & X86_CR4_PCIDE)) {
        value &= ~(1ull << 63);     /* "no flush" hint: we flush anyway */
    }
    x->cr[3] = value;
    if (x->parent.accel_state) {
        tlb_flush(&x->parent);
    }
}

void x86_helper_invlpg(X86CPU *x, uint64_t addr)
{
    uintptr_t ra = TCG_GETPC();
    if (x86_cpu_cpl(x) != 0) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    tlb_flush_page(&x->parent, (x->hflags & HF_LMA) ? addr : (uint32_t)addr);
}

void x86_helper_invpcid(X86CPU *x, uint64_t type, uint64_t addr)
{
    uintptr_t ra = TCG_GETPC();
    if (!x86_has_feature(x, FEAT_7_0_EBX, CPUID_7_0_EBX_INVPCID)) {
        x86_fault(x, EXCP06_ILLOP, -1, ra);
    }
    if (x86_cpu_cpl(x) != 0 || type > 3) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    int idx = x86_mmu_index(x->hflags);
    uint64_t pcid = cpu_ld_mmu(&x->parent, addr, MO_LEUQ, idx, ra);
    uint64_t lin = cpu_ld_mmu(&x->parent, addr + 8, MO_LEUQ, idx, ra);
    if (pcid > 0xfff || (type == 0 && !x86_is_canonical(x, lin))) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    if (type == 0) {
        tlb_flush_page(&x->parent, lin);
    } else {
        tlb_flush(&x->parent);
    }
}
