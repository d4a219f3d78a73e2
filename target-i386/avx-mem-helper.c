/* AVX/AVX2 element-wise memory accesses (Intel SDM vol. 2 VMASKMOV, VPMASKMOV, VGATHERDPS/
 * DPD/QPS/QPD, VPGATHERDD/DQ/QD/QQ): only the elements whose mask bit (the element's sign
 * bit) is set are accessed, so masked-off elements never fault. A masked load completes
 * all its reads before it writes the destination. A gather loads the elements in order and
 * records each one done (destination element written, its mask element cleared) before
 * the next, so a fault leaves a state from which the restarted instruction goes on; at
 * the end the mask register is zero. */
#include <string.h>
#include "target-i386/avx.h"
#include "accel/tcg.h"
#include "target-i386/helper.h"

/* Linear address of offset off in segment seg with the address size aflag (MO_16..MO_64). */
static uint64_t linear(X86CPU *env, int seg, uint64_t off, int aflag)
{
    bool code64 = env->hflags & HF_CS64;
    off = aflag == MO_64 ? off : aflag == MO_32 ? (uint32_t)off : (uint16_t)off;
    uint64_t base = (code64 && seg != R_FS && seg != R_GS) ? 0 : env->segs[seg].base;
    return code64 ? base + off : (uint32_t)(base + off);
}

static bool elem_set(const X86Vec *m, unsigned i, unsigned esize)
{
    return esize == 8 ? (m->q[i] >> 63) : (m->l[i] >> 31);
}

/* desc: AVX_MASKMOV(len, esize, store, reg, mask reg, seg, aflag) */
static void helper_avx_maskmov(X86CPU *env, uint64_t off, uint32_t desc)
{
    X86_GETPC(ra);
    unsigned len = desc & 0x3f, esize = (desc >> 6) & 0xf, reg = (desc >> 11) & 15;
    unsigned mreg = (desc >> 15) & 15, seg = (desc >> 19) & 7, aflag = (desc >> 22) & 3;
    bool store = desc & (1u << 10);
    int mmu = x86_mmu_index(env->hflags);
    MemOp mop = (esize == 8 ? MO_64 : MO_32) | MO_LE;
    const X86Vec *m = &env->vec[mreg];
    X86Vec r = { 0 };

    for (unsigned i = 0; i < len / esize; i++) {
        if (!elem_set(m, i, esize)) {
            continue;
        }
        uint64_t a = linear(env, (int)seg, off + i * esize, (int)aflag);
        if (store) {
            uint64_t v = esize == 8 ? env->vec[reg].q[i] : env->vec[reg].l[i];
            cpu_st_mmu(&env->parent, a, v, mop, mmu, ra);
        } else if (esize == 8) {
            r.q[i] = cpu_ld_mmu(&env->parent, a, mop, mmu, ra);
        } else {
            r.l[i] = (uint32_t)cpu_ld_mmu(&env->parent, a, mop, mmu, ra);
        }
    }
    if (!store) {
        memcpy(&env->vec[reg], &r, 32);     /* VEX.128: bits 255:128 cleared too */
    }
}

/* desc: AVX_GATHER(len, data qwords, index qwords, scale, dest, mask, index, seg, aflag) */
static void helper_avx_gather(X86CPU *env, uint64_t off, uint32_t desc)
{
    X86_GETPC(ra);
    unsigned len = (desc & 1) ? 32 : 16, dq = (desc >> 1) & 1, iq = (desc >> 2) & 1;
    unsigned scale = (desc >> 3) & 3, dreg = (desc >> 5) & 15, mreg = (desc >> 9) & 15;
    unsigned ireg = (desc >> 13) & 15, seg = (desc >> 17) & 7, aflag = (desc >> 20) & 3;
    int mmu = x86_mmu_index(env->hflags);
    X86Vec *d = &env->vec[dreg], *m = &env->vec[mreg];
    const X86Vec *ix = &env->vec[ireg];
    /* elements: by the wider of data and index, over the vector length */
    unsigned n = (dq || iq) ? len / 8 : len / 4;
    unsigned esize = dq ? 8 : 4;

    for (unsigned i = 0; i < n; i++) {
        if (!elem_set(m, i, esize)) {
            continue;
        }
        int64_t idx = iq ? ix->sq[i] : ix->sl[i];
        uint64_t a = linear(env, (int)seg, off + ((uint64_t)idx << scale), (int)aflag);
        if (dq) {
            d->q[i] = cpu_ld_mmu(&env->parent, a, MO_64 | MO_LE, mmu, ra);
            m->q[i] = 0;
        } else {
            d->l[i] = (uint32_t)cpu_ld_mmu(&env->parent, a, MO_32 | MO_LE, mmu, ra);
            m->l[i] = 0;
        }
    }
    /* done: the mask is zero; the destination keeps the elements with a clear mask bit,
     * and its bytes beyond the elements are zero (VEX.128, or dword data with qword
     * indices) */
    unsigned used = n * esize;
    memset(m, 0, sizeof(*m));
    memset(d->b + used, 0, 32 - used);
}

const TCGHelperInfo x86_info_avx_maskmov = {
    .name = "avx_maskmov", .func = (void *)helper_avx_maskmov, .flags = 0,
    .ret_type = TCG_TYPE_VOID, .nb_args = 3,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I64, TCG_TYPE_I32 },
};

const TCGHelperInfo x86_info_avx_gather = {
    .name = "avx_gather", .func = (void *)helper_avx_gather, .flags = 0,
    .ret_type = TCG_TYPE_VOID, .nb_args = 3,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I64, TCG_TYPE_I32 },
};
