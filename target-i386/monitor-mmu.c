/* The monitor's "info tlb" and "info mem" for x86: the current CPU's page tables walked
 * (32-bit with 4 MiB pages, PAE, 4-level IA-32e; Intel SDM vol. 3A 4.3-4.5) and printed
 * in QEMU's layout: every mapped page with its PTE flags, or the mapped ranges merged by
 * their effective user/write permission. */
#include <inttypes.h>
#include <string.h>
#include "monitor/monitor.h"
#include "system/memory.h"
#include "target-i386/cpu.h"

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_NX (1ull << 63)

/* One level of a paging structure. */
typedef struct PagingLevel {
    int entries, entry_bytes, shift;
    bool large;             /* PS makes an entry of this level a page */
    bool no_perm;           /* PAE PDPTEs: no U/W bits (all allowed) */
} PagingLevel;

typedef struct PageWalk PageWalk;
/* Called for each mapped page (vaddr, size, the leaf entry, effective U/W). */
typedef void PageFn(PageWalk *w, uint64_t vaddr, uint64_t size, uint64_t pte, uint64_t prot);

struct PageWalk {
    X86CPU *x;
    const PagingLevel *levels;
    int nb_levels;
    uint64_t addr_mask;     /* physical address bits of an entry */
    PageFn *fn;
    FILE *out;
    uint64_t start, prot;   /* info mem: the open range (start = UINT64_MAX: none) */
    uint64_t end;           /* info mem: end of the last page seen (walk order) */
};

static const PagingLevel levels_32[] = { { 1024, 4, 22, true }, { 1024, 4, 12, false } };
static const PagingLevel levels_pae[] = {
    { 4, 8, 30, false, true }, { 512, 8, 21, true }, { 512, 8, 12, false },
};
static const PagingLevel levels_64[] = {
    { 512, 8, 39, false }, { 512, 8, 30, true }, { 512, 8, 21, true }, { 512, 8, 12, false },
};

static uint64_t read_entry(PageWalk *w, uint64_t table, int i, int bytes)
{
    uint64_t v = 0;
    address_space_read(w->x->parent.as, table + (uint64_t)i * (uint64_t)bytes, &v,
                       (uint64_t)bytes);
    return v;
}

/* Sign-extends a 48-bit address in IA-32e mode. */
static uint64_t canonical(const PageWalk *w, uint64_t addr)
{
    return w->nb_levels == 4 && (addr & (1ull << 47)) ? addr | 0xffff000000000000ull : addr;
}

static void walk_level(PageWalk *w, int level, uint64_t table, uint64_t vbase, uint64_t prot)
{
    const PagingLevel *l = &w->levels[level];
    for (int i = 0; i < l->entries; i++) {
        uint64_t e = read_entry(w, table, i, l->entry_bytes);
        if (!(e & PTE_P)) {
            continue;
        }
        uint64_t va = vbase + ((uint64_t)i << l->shift);
        uint64_t p = l->no_perm ? prot : prot & (e & (PTE_U | PTE_W));
        bool leaf = level == w->nb_levels - 1 || (l->large && (e & PTE_PS));
        if (leaf) {
            w->fn(w, va, 1ull << l->shift, e, p);
        } else {
            walk_level(w, level + 1, e & w->addr_mask & ~0xfffull, va, p);
        }
    }
}

/* Walks the CPU's current page tables; false if paging is off. */
static bool page_walk(PageWalk *w)
{
    X86CPU *x = w->x;
    uint64_t cr3 = x->cr[3];
    if (!(x->cr[0] & X86_CR0_PG)) {
        return false;
    }
    w->addr_mask = ((1ull << 52) - 1);
    if (x->hflags & HF_LMA) {
        w->levels = levels_64, w->nb_levels = 4;
        walk_level(w, 0, cr3 & w->addr_mask & ~0xfffull, 0, PTE_U | PTE_W);
    } else if (x->cr[4] & X86_CR4_PAE) {
        w->levels = levels_pae, w->nb_levels = 3;
        walk_level(w, 0, cr3 & 0xffffffe0ull, 0, PTE_U | PTE_W);
    } else {
        PagingLevel l32[2] = { levels_32[0], levels_32[1] };
        l32[0].large = (x->cr[4] & X86_CR4_PSE) != 0;
        w->levels = l32, w->nb_levels = 2;
        w->addr_mask = 0xffffffffull;
        walk_level(w, 0, cr3 & 0xfffff000ull, 0, PTE_U | PTE_W);
    }
    return true;
}

static void tlb_print(PageWalk *w, uint64_t vaddr, uint64_t size, uint64_t pte, uint64_t prot)
{
    (void)prot;
    uint64_t mask = ~(size - 1) & w->addr_mask;
    if (w->nb_levels == 2 && size > 4096) {
        mask = ~(size - 1) & 0xffffffffull;     /* 4 MiB page: bits 31-22 (no PSE-36) */
    }
    fprintf(w->out, "%016" PRIx64 ": %016" PRIx64 " %c%c%c%c%c%c%c%c%c\n", canonical(w, vaddr),
            pte & mask, pte & PTE_NX ? 'X' : '-', pte & PTE_G ? 'G' : '-',
            size > 4096 ? 'P' : '-', pte & PTE_D ? 'D' : '-', pte & PTE_A ? 'A' : '-',
            pte & PTE_PCD ? 'C' : '-', pte & PTE_PWT ? 'T' : '-', pte & PTE_U ? 'U' : '-',
            pte & PTE_W ? 'W' : '-');
}

/* info mem: a range ends where the permission changes or a hole starts. */
static void mem_flush(PageWalk *w, uint64_t end)
{
    if (w->start != UINT64_MAX) {
        fprintf(w->out, "%016" PRIx64 "-%016" PRIx64 " %016" PRIx64 " %c%c%c\n",
                canonical(w, w->start), canonical(w, end), end - w->start,
                w->prot & PTE_U ? 'u' : '-', 'r', w->prot & PTE_W ? 'w' : '-');
    }
    w->start = UINT64_MAX;
}

static void mem_page(PageWalk *w, uint64_t vaddr, uint64_t size, uint64_t pte, uint64_t prot)
{
    (void)pte;
    if (w->start != UINT64_MAX && (vaddr != w->end || prot != w->prot)) {
        mem_flush(w, w->end);
    }
    if (w->start == UINT64_MAX) {
        w->start = vaddr;
        w->prot = prot;
    }
    w->end = vaddr + size;
}

static X86CPU *monitor_x86_cpu(FILE *out)
{
    CPUState *cpu = monitor_current_cpu();
    if (!cpu || (strcmp(cpu->cls->arch, "i386") && strcmp(cpu->cls->arch, "x86_64"))) {
        fprintf(out, "No x86 CPU available\n");
        return NULL;
    }
    return x86_cpu(cpu);
}

static void info_tlb(FILE *out, const char *args)
{
    (void)args;
    PageWalk w = { .x = monitor_x86_cpu(out), .fn = tlb_print, .out = out };
    if (w.x && !page_walk(&w)) {
        fprintf(out, "PG disabled\n");
    }
}

static void info_mem(FILE *out, const char *args)
{
    (void)args;
    PageWalk w = { .x = monitor_x86_cpu(out), .fn = mem_page, .out = out, .start = UINT64_MAX };
    if (w.x && !page_walk(&w)) {
        fprintf(out, "PG disabled\n");
        return;
    }
    if (w.x) {
        mem_flush(&w, w.end);
    }
}

static void __attribute__((constructor)) x86_monitor_mmu_register(void)
{
    monitor_register_info("tlb", "show virtual to physical memory mappings", info_tlb);
    monitor_register_info("mem", "show the active virtual memory mappings", info_mem);
}
