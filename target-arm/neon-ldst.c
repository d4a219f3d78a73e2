/* Advanced SIMD element and structure loads and stores (ARM ARM DDI0406C A7.7): VLD1-VLD4
 * and VST1-VST4 of multiple structures, of a single lane, and VLD1-VLD4 to all lanes, with
 * the alignment qualifiers and base writeback (Rm = 13: by the transfer size, Rm != 15: by
 * Rm). One helper per instruction; every access goes through the soft MMU with the
 * helper's return address, so a fault is precise and leaves the base register alone. */
#include <string.h>
#include "target-arm/internals.h"
#include "target-arm/neon-helper.h"

#define BITS(x, hi, lo) ((int)(((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1)))
#define BIT(x, n) ((int)(((x) >> (n)) & 1))

typedef struct NeonLdst {
    ARMCPU *a;
    uintptr_t ra;
    int mmu_idx;
    MemOp order;
    bool load;
} NeonLdst;

static uint8_t *dreg_bytes(ARMCPU *a, int d)
{
    return (uint8_t *)&a->vfp_d[d & 31];
}

/* One element of esize bytes between memory at addr and byte offset off of D register d. */
static void xfer(NeonLdst *x, uint32_t addr, int d, int off, int esize)
{
    MemOp mop = (esize == 8 ? MO_64 : esize == 4 ? MO_32 : esize == 2 ? MO_16 : MO_8) | x->order;
    if (x->a->cp15.sctlr & ARM_SCTLR_A) {
        mop |= MO_ALIGN;
    }
    if (x->load) {
        uint64_t v = cpu_ld_mmu(&x->a->parent, addr, mop, x->mmu_idx, x->ra);
        memcpy(dreg_bytes(x->a, d) + off, &v, esize);
    } else {
        uint64_t v = 0;
        memcpy(&v, dreg_bytes(x->a, d) + off, esize);
        cpu_st_mmu(&x->a->parent, addr, v, mop, x->mmu_idx, x->ra);
    }
}

static void check_align(NeonLdst *x, uint32_t addr, int align)
{
    if (align > 1 && (addr & (align - 1))) {
        arm_do_unaligned_access(&x->a->parent, addr, x->load ? MMU_DATA_LOAD : MMU_DATA_STORE,
                                x->mmu_idx, x->ra);
    }
}

/* Multiple structures: (registers, structure size n, register spacing) per type. */
static const struct { int regs, n, inc; } multi_types[16] = {
    [0] = { 4, 4, 1 }, [1] = { 4, 4, 2 }, [2] = { 4, 1, 1 }, [3] = { 4, 2, 2 },
    [4] = { 3, 3, 1 }, [5] = { 3, 3, 2 }, [6] = { 3, 1, 1 }, [7] = { 1, 1, 1 },
    [8] = { 2, 2, 1 }, [9] = { 2, 2, 2 }, [10] = { 2, 1, 1 },
};

static int ldst_multiple(NeonLdst *x, uint32_t insn, uint32_t addr)
{
    int type = BITS(insn, 11, 8), size = BITS(insn, 7, 6), align = BITS(insn, 5, 4);
    int d = BIT(insn, 22) << 4 | BITS(insn, 15, 12), esize = 1 << size;
    if (type > 10 || !multi_types[type].regs) {
        return -1;
    }
    int regs = multi_types[type].regs, n = multi_types[type].n, inc = multi_types[type].inc;
    if ((n == 1 && ((regs == 1 && (align & 2)) || (regs == 3 && (align & 2)))) ||
        (n > 1 && size == 3) || (n == 2 && regs == 2 && align == 3) || (n == 3 && (align & 2)) ||
        d + (n == 1 ? regs : (n - 1) * inc + (regs / n)) > 32 + (n == 1 ? 0 : 0)) {
        return -1;
    }
    if (n == 1 && d + regs > 32) {
        return -1;
    }
    check_align(x, addr, align ? 4 << align : 1);
    int per_reg = 8 / esize, groups = n == 1 ? regs : regs / n;
    for (int g = 0; g < groups; g++) {
        for (int e = 0; e < per_reg; e++) {
            for (int k = 0; k < n; k++) {
                int reg = n == 1 ? d + g : d + g + k * inc;
                xfer(x, addr, reg, e * esize, esize);
                addr += esize;
            }
        }
    }
    return regs * 8;
}

static int ldst_one_lane(NeonLdst *x, uint32_t insn, uint32_t addr)
{
    int size = BITS(insn, 11, 10), n = BITS(insn, 9, 8) + 1, ia = BITS(insn, 7, 4);
    int d = BIT(insn, 22) << 4 | BITS(insn, 15, 12), esize = 1 << size;
    int index = ia >> (size + 1), inc = (size > 0 && ((ia >> size) & 1)) ? 2 : 1;
    int align = 1;
    if (size == 2 && (ia & 4) && n != 2 && n != 4 && n != 3) {
        return -1;
    }
    if (n == 1) {
        align = size == 0 ? 1 : (ia & 1) ? esize : 1;
        if ((size == 0 && (ia & 1)) || (size == 1 && (ia & 2)) || (size == 2 && (ia & 3) == 1) ||
            (size == 2 && (ia & 3) == 2)) {
            return -1;
        }
        inc = 1;
    } else if (n == 2) {
        align = (ia & 1) ? 2 * esize : 1;
    } else if (n == 3) {
        if (ia & 1) {
            return -1;
        }
    } else {
        align = (ia & 1) ? (size == 2 ? 4 << BIT(insn, 5) : 4 * esize) : 1;
        if (size == 2 && (ia & 3) == 3) {
            return -1;
        }
    }
    if (d + (n - 1) * inc > 31) {
        return -1;
    }
    check_align(x, addr, align);
    for (int k = 0; k < n; k++) {
        xfer(x, addr, d + k * inc, index * esize, esize);
        addr += esize;
    }
    return n * esize;
}

static int ld_all_lanes(NeonLdst *x, uint32_t insn, uint32_t addr)
{
    int n = BITS(insn, 9, 8) + 1, size = BITS(insn, 7, 6), t = BIT(insn, 5), a = BIT(insn, 4);
    int d = BIT(insn, 22) << 4 | BITS(insn, 15, 12), esize = 1 << size, inc = t ? 2 : 1;
    int regs = n == 1 ? t + 1 : n;
    if (!x->load || (size == 3 && (n != 4 || !a)) || (n == 1 && size == 0 && a) ||
        (n == 3 && a) || d + (n == 1 ? regs - 1 : (n - 1) * inc) > 31) {
        return -1;
    }
    if (size == 3) {
        esize = 4;
    }
    int align = !a ? 1 : n == 1 ? esize : n == 2 ? 2 * esize : size == 3 ? 16 :
                size == 2 ? 8 : 4 * esize;
    check_align(x, addr, align);
    for (int k = 0; k < n; k++) {
        uint64_t v = 0;
        MemOp mop = (esize == 4 ? MO_32 : esize == 2 ? MO_16 : MO_8) | x->order;
        v = cpu_ld_mmu(&x->a->parent, addr, mop, x->mmu_idx, x->ra);
        addr += esize;
        for (int r = 0; r < (n == 1 ? regs : 1); r++) {
            int reg = n == 1 ? d + r : d + k * inc;
            for (int e = 0; e < 8 / esize; e++) {
                memcpy(dreg_bytes(x->a, reg) + e * esize, &v, esize);
            }
        }
    }
    return n * esize;
}

/* info: mmu_idx (bits 0-3), big-endian data (bit 4). Returns 0 for UNDEFINED (nothing
 * done), 1 when done (base written back). */
static uint32_t helper_neon_ldst(void *env, uint32_t insn, uint32_t info)
{
    ARMCPU *a = env;
    int rn = BITS(insn, 19, 16), rm = BITS(insn, 3, 0), bytes;
    NeonLdst x = { a, TCG_GETPC(), (int)(info & 15), (info & 16) ? MO_BE : MO_LE,
                   BIT(insn, 21) };
    uint32_t addr = a->regs[rn];

    if (rn == 15) {
        return 0;
    }
    if (!BIT(insn, 23)) {
        bytes = ldst_multiple(&x, insn, addr);
    } else if (BITS(insn, 11, 10) == 3) {
        bytes = ld_all_lanes(&x, insn, addr);
    } else {
        bytes = ldst_one_lane(&x, insn, addr);
    }
    if (bytes < 0) {
        return 0;
    }
    if (rm == 13) {
        a->regs[rn] = addr + (uint32_t)bytes;
    } else if (rm != 15) {
        a->regs[rn] = addr + a->regs[rm];
    }
    return 1;
}

const TCGHelperInfo helper_info_neon_ldst = {
    .name = "neon_ldst", .func = (void *)helper_neon_ldst, .flags = 0,
    .ret_type = TCG_TYPE_I32, .nb_args = 3,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32, TCG_TYPE_I32 },
};
