/* Code regions: the code buffer is handed out to vCPU threads in regions (1/16 of the
 * buffer, 4 KiB to 2 MiB), so that each vCPU generates host code into its own region
 * without any lock (several translations run at once) and takes tb_lock only to link the
 * finished TB. Each TB is one piece of its region: the TranslationBlock, its host code,
 * then its insn-start map (no malloc per TB). Regions are claimed in address order, and each holds its TBs in code
 * order, which gives the host-code index (tb_find_by_host) a two-level binary search.
 * Everything is dropped by tb_flush. */
#include <stdlib.h>
#include <string.h>
#include "accel/tcg/internal.h"
#include "util/cutils.h"

#define REGION_MIN (4u << 10)
#define REGION_MAX (2u << 20)

typedef struct TBRegion {
    const uint8_t *start, *end;         /* rx view */
    TranslationBlock **tbs;             /* in code order */
    size_t nb, cap;
} TBRegion;

/* All under tb_lock. */
static TBRegion *regions;
static size_t nb_regions, cap_regions;
static size_t nb_live;
static uint64_t nb_total;

static size_t region_size(const TCGCodeBuffer *cb)
{
    size_t size = cb->size / 16;
    size = size < REGION_MIN ? REGION_MIN : size > REGION_MAX ? REGION_MAX : size;
    return size & ~(size_t)(TCG_CODE_ALIGN - 1);
}

/* Gives v a fresh region of at least min bytes (tb_lock held); false: buffer full. */
static bool tb_region_claim(TCGVCPU *v, size_t min)
{
    TCGCodeBuffer *cb = tb_code_buffer();
    size_t size = region_size(cb), avail = tcg_code_buffer_avail(cb);

    if (size < min) {
        size = min;
    }
    if (avail < size) {
        if (avail < REGION_MIN || avail < min) {
            return false;
        }
        size = avail;               /* the tail of the buffer */
    }
    uint8_t *rw = tcg_code_buffer_next_rw(cb);
    const uint8_t *rx = tcg_code_buffer_commit(cb, size);
    if (nb_regions == cap_regions) {
        cap_regions = cap_regions ? 2 * cap_regions : 64;
        regions = xrealloc(regions, cap_regions * sizeof(*regions));
    }
    regions[nb_regions] = (TBRegion){ .start = rx, .end = rx + size };
    v->region = (int)nb_regions++;
    v->code_start = v->code_next = rw;
    v->code_end = rw + size;
    return true;
}

static uint8_t *align_up(const uint8_t *p, uintptr_t align)
{
    return (uint8_t *)(((uintptr_t)p + align - 1) & ~(align - 1));
}

/* The TB's fields change while code runs (chaining, invalidation): keep them off the
 * cache lines of any code, or every such write is a self-modifying-code event. */
#define TB_LINE 64

/* Where a TB placed at tb has its code. */
static uint8_t *tb_code_rw(TranslationBlock *tb)
{
    return align_up((const uint8_t *)(tb + 1), TB_LINE);
}

/* A zeroed TB at the vCPU's cursor (the start of the next translation). */
static TranslationBlock *tb_at_cursor(TCGVCPU *v)
{
    TranslationBlock *tb = (TranslationBlock *)align_up(v->code_next, TB_LINE);
    memset(tb, 0, sizeof(*tb));
    return tb;
}

TranslationBlock *tb_region_new_tb(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (!v->code_next || tb_code_rw((TranslationBlock *)align_up(v->code_next, TB_LINE)) +
                         256 > v->code_end) {
        tb_lock();
        bool ok = tb_region_claim(v, 0);
        tb_unlock();
        if (!ok) {
            return NULL;
        }
    }
    return tb_at_cursor(v);
}

TranslationBlock *tb_region_move_tb(CPUState *cpu, TranslationBlock *tb)
{
    TranslationBlock *moved = tb_at_cursor(tcg_vcpu(cpu));
    memcpy(moved, tb, sizeof(*tb));
    return moved;
}

long tb_region_gen(CPUState *cpu, TranslationBlock *tb)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    TCGCodeBuffer *cb = tb_code_buffer();
    uint8_t *rw = tb_code_rw(tb);
    size_t min = 0;

    if (v->ctx->overflow) {
        return TCG_GEN_TOO_BIG;
    }
    if (rw < v->code_end) {
        long n = tcg_gen_code(v->ctx, tb_backend(), rw, tcg_code_buffer_rw_to_rx(cb, rw),
                              (size_t)(v->code_end - rw));
        if (n != -1) {          /* n counts the code and its insn-start map */
            return n;
        }
    }
    if ((uint8_t *)tb == align_up(v->code_start, TB_LINE)) {
        min = 2 * (size_t)(v->code_end - v->code_start);  /* a huge TB */
    }
    tb_lock();
    bool ok = tb_region_claim(v, min);
    tb_unlock();
    return ok ? TB_GEN_RETRY : -1;
}

void tb_region_commit(TCGVCPU *v, TranslationBlock *tb, size_t len)
{
    const TCGContext *s = v->ctx;
    uint8_t *rw = tb_code_rw(tb);
    TBRegion *r = &regions[v->region];

    tb->tc_ptr = tcg_code_buffer_rw_to_rx(tb_code_buffer(), rw);
    tb->tc_size = (uint32_t)len;
    tb->insn_map = tb->tc_ptr + s->insn_map_off;    /* the compact insn-start map follows */
    /* Release: a vCPU that reaches this TB through a jump another vCPU patched (no lock,
     * no lookup) reads nb_insns with acquire before the map (cpu_exec_loop). */
    __atomic_store_n(&tb->nb_insns, s->nb_insns, __ATOMIC_RELEASE);
    v->code_next = rw + len;
    if (r->nb == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 256;
        r->tbs = xrealloc(r->tbs, r->cap * sizeof(*r->tbs));
    }
    r->tbs[r->nb++] = tb;
    nb_live++;
    nb_total++;
}

/* The last element of [0, n) whose start is <= pos, or n if none. */
#define LAST_AT_OR_BEFORE(n, start_of, pos, out) do { \
        size_t lo_ = 0, hi_ = (n); \
        while (lo_ < hi_) { \
            size_t mid_ = (lo_ + hi_) / 2; \
            if ((uintptr_t)(start_of(mid_)) <= (pos)) { \
                lo_ = mid_ + 1; \
            } else { \
                hi_ = mid_; \
            } \
        } \
        (out) = lo_ ? lo_ - 1 : (n); \
    } while (0)

TranslationBlock *tb_find_by_host(uintptr_t retaddr)
{
    uintptr_t pos = retaddr - 1;     /* retaddr points after the call or access */
    TranslationBlock *found = NULL;
    size_t ri, ti;

    tb_lock();
#define REGION_START(i) (regions[i].start)
    LAST_AT_OR_BEFORE(nb_regions, REGION_START, pos, ri);
    if (ri < nb_regions && pos < (uintptr_t)regions[ri].end) {
        TBRegion *r = &regions[ri];
#define TB_START(i) (r->tbs[i]->tc_ptr)
        LAST_AT_OR_BEFORE(r->nb, TB_START, pos, ti);
        if (ti < r->nb && pos < (uintptr_t)r->tbs[ti]->tc_ptr + r->tbs[ti]->tc_size) {
            found = r->tbs[ti];
        }
    }
    tb_unlock();
    return found;
}

void tb_regions_free(void)
{
    for (size_t i = 0; i < nb_regions; i++) {
        free(regions[i].tbs);       /* the TBs themselves live in the regions */
    }
    nb_regions = 0;
    nb_live = 0;
    for (TCGVCPU *v = tcg_vcpu_list(); v; v = v->next) {
        v->code_start = v->code_next = v->code_end = NULL;
    }
}

void tb_regions_count(uint64_t *live, uint64_t *total)
{
    *live = nb_live;
    *total = nb_total;
}
