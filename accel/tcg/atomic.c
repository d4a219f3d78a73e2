/* Guest atomic read-modify-write in the runtime: the slow path of the IR's atomic ops
 * (TCGRuntimeHooks.atomic / cmpxchg128; the interpreter always comes here). RAM inside
 * one page is changed with host atomics (tcg/atomic.c); an access that crosses a page,
 * hits a device or (128-bit) is not 16-byte aligned on the host restarts the instruction
 * as the runtime's exclusive step (every other vCPU stopped), where a plain load and
 * store are atomic (docs/tcg.md "Atomics"). */
#include "accel/tcg/internal.h"

/* Does not return unless this vCPU runs the exclusive step. */
static void need_exclusive(CPUState *cpu, uintptr_t retaddr)
{
    if (!tcg_vcpu(cpu)->in_exclusive) {
        cpu_loop_exit_atomic(cpu, retaddr);
    }
}

/* Load, compute, store: the store is done (with the old value if a cmpxchg fails) so
 * that the access always faults like a write, as a locked x86 instruction does. */
static uint64_t atomic_fallback(CPUState *cpu, uint64_t addr, unsigned aop, MemOp mop,
                                int mmu_idx, uint64_t val, uint64_t cmp, uintptr_t retaddr)
{
    MemOp raw_mop = mop & ~MO_SIGN;
    unsigned kind = aop & TCG_ATOMIC_KIND;
    uint64_t mask = memop_size(mop) == 8 ? UINT64_MAX : (1ull << (8 * memop_size(mop))) - 1;
    need_exclusive(cpu, retaddr);
    uint64_t old = cpu_ld_mmu(cpu, addr, raw_mop, mmu_idx, retaddr), new_val;
    if (kind == TCG_ATOMIC_CMPXCHG) {
        new_val = old == (cmp & mask) ? val & mask : old;
    } else {
        new_val = tcg_atomic_new_value(aop, mop, old, val);
    }
    cpu_st_mmu(cpu, addr, new_val, raw_mop, mmu_idx, retaddr);
    uint64_t r = (kind != TCG_ATOMIC_CMPXCHG && (aop & TCG_ATOMIC_RET_NEW)) ? new_val : old;
    return memop_extend(mop & (MO_SIZE | MO_SIGN), r);
}

uint64_t tcg_rt_atomic(void *env, uint64_t addr, uint64_t val, uint64_t cmp, uint32_t oi,
                       uintptr_t retaddr)
{
    CPUState *cpu = env;
    MemOp mop = tcg_atomic_oi_mop(oi);
    unsigned aop = tcg_atomic_oi_aop(oi);
    int mmu_idx = (int)tcg_atomic_oi_mmu_idx(oi);
    void *host = tlb_atomic_host(cpu, addr, memop_size(mop), mop, mmu_idx, retaddr);
    if (host) {
        return tcg_atomic_host(host, aop, mop, val, cmp);
    }
    return atomic_fallback(cpu, addr, aop, mop, mmu_idx, val, cmp, retaddr);
}

/* io as tcg_atomic_host_cmpxchg128; the two halves through the MMU (byte order of mop). */
static void cmpxchg128_fallback(CPUState *cpu, uint64_t addr, MemOp mop, uint64_t *io,
                                int mmu_idx, uintptr_t retaddr)
{
    MemOp half = MO_64 | (mop & MO_BE);
    int lo_at = (mop & MO_BE) ? 8 : 0;
    uint64_t old[2], store[2];
    need_exclusive(cpu, retaddr);
    for (int i = 0; i < 2; i++) {
        old[i] = cpu_ld_mmu(cpu, addr + (uint64_t)(lo_at ^ (8 * i)), half, mmu_idx, retaddr);
    }
    bool equal = old[0] == io[0] && old[1] == io[1];
    store[0] = equal ? io[2] : old[0];
    store[1] = equal ? io[3] : old[1];
    for (int i = 0; i < 2; i++) {
        cpu_st_mmu(cpu, addr + (uint64_t)(lo_at ^ (8 * i)), store[i], half, mmu_idx, retaddr);
    }
    io[0] = old[0];
    io[1] = old[1];
}

void tcg_rt_cmpxchg128(void *env, uint64_t addr, uint64_t *io, uint32_t oi, uintptr_t retaddr)
{
    CPUState *cpu = env;
    MemOp mop = tcg_atomic_oi_mop(oi);
    int mmu_idx = (int)tcg_atomic_oi_mmu_idx(oi);
    MemOp align = (mop & MO_AMASK) == MO_ALIGN ? MO_ALIGN_16 : (mop & MO_AMASK);
    void *host = tlb_atomic_host(cpu, addr, 16, align, mmu_idx, retaddr);
    if (host && !((uintptr_t)host & 15)) {
        tcg_atomic_host_cmpxchg128(host, mop, io);
    } else {
        cmpxchg128_fallback(cpu, addr, mop, io, mmu_idx, retaddr);
    }
}
