/* Code regions: the code buffer is handed out to vCPU threads in regions (1/16 of the
 * buffer, 4 KiB to 2 MiB), so that each vCPU generates host code into its own region
 * without any lock (several translations run at once) and takes tb_lock only to link the
 * finished TB. Regions are claimed in address order, and each holds its TBs in code
 * order, which gives the host-code index (tb_find_by_host) a two-level binary search.
 * Everything is dropped by tb_flush. */
#include <stdlib.h>
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

bool tb_region_ready(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (v->code_next) {
        return true;
    }
    tb_lock();
    bool ok = tb_region_claim(v, 0);
    tb_unlock();
    return ok;
}

long tb_region_gen(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    TCGCodeBuffer *cb = tb_code_buffer();
    uint8_t *rw = NULL;
    size_t min = 0;

    if (v->ctx->overflow) {
        return TCG_GEN_TOO_BIG;
    }
    if (v->code_next) {
        rw = (uint8_t *)(((uintptr_t)v->code_next + TCG_CODE_ALIGN - 1) &
                         ~(uintptr_t)(TCG_CODE_ALIGN - 1));
    }
    if (rw && rw < v->code_end) {
        long n = tcg_gen_code(v->ctx, tb_backend(), rw, tcg_code_buffer_rw_to_rx(cb, rw),
                              (size_t)(v->code_end - rw));
        if (n != -1) {
            return n;
        }
        if (rw == v->code_start) {
            min = 2 * (size_t)(v->code_end - v->code_start);  /* a huge TB */
        }
    }
    tb_lock();
    bool ok = tb_region_claim(v, min);
    tb_unlock();
    return ok ? TB_GEN_RETRY : -1;
}

void tb_region_commit(TCGVCPU *v, TranslationBlock *tb, size_t len)
{
    TCGCodeBuffer *cb = tb_code_buffer();
    uint8_t *rw = (uint8_t *)(((uintptr_t)v->code_next + TCG_CODE_ALIGN - 1) &
                              ~(uintptr_t)(TCG_CODE_ALIGN - 1));
    TBRegion *r = &regions[v->region];

    tb->tc_ptr = tcg_code_buffer_rw_to_rx(cb, rw);
    tb->tc_size = (uint32_t)len;
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

void tb_regions_free(void (*free_tb)(TranslationBlock *tb))
{
    for (size_t i = 0; i < nb_regions; i++) {
        for (size_t j = 0; j < regions[i].nb; j++) {
            free_tb(regions[i].tbs[j]);
        }
        free(regions[i].tbs);
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
