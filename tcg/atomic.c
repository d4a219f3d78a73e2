/* Guest atomic read-modify-write on host memory: the reference semantics of the IR's
 * atomic ops (docs/tcg.md "Atomics") and their implementation with host atomics, used by
 * the runtime's slow path (so by the interpreter and by every back end's miss path). */
#include <stdbool.h>
#include "tcg/tcg.h"

const char *tcg_atomic_name(unsigned aop)
{
    static const char *const names[TCG_ATOMIC_NB_OPS] = {
        "xchg", "add", "and", "or", "xor", "smin", "smax", "umin", "umax", "cmpxchg",
    };
    unsigned k = aop & TCG_ATOMIC_KIND;
    return k < TCG_ATOMIC_NB_OPS ? names[k] : "?";
}

static uint64_t size_mask(MemOp mop)
{
    unsigned bits = 8 * memop_size(mop);
    return bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
}

/* The size-bit value v sign-extended to 64 bits. */
static int64_t sext(MemOp mop, uint64_t v)
{
    unsigned shift = 64 - 8 * memop_size(mop);
    return (int64_t)(v << shift) >> shift;
}

uint64_t tcg_atomic_new_value(unsigned aop, MemOp mop, uint64_t old, uint64_t val)
{
    uint64_t m = size_mask(mop);
    old &= m;
    val &= m;
    switch (aop & TCG_ATOMIC_KIND) {
    case TCG_ATOMIC_XCHG: return val;
    case TCG_ATOMIC_ADD: return (old + val) & m;
    case TCG_ATOMIC_AND: return old & val;
    case TCG_ATOMIC_OR: return old | val;
    case TCG_ATOMIC_XOR: return old ^ val;
    case TCG_ATOMIC_SMIN: return sext(mop, old) < sext(mop, val) ? old : val;
    case TCG_ATOMIC_SMAX: return sext(mop, old) > sext(mop, val) ? old : val;
    case TCG_ATOMIC_UMIN: return old < val ? old : val;
    case TCG_ATOMIC_UMAX: return old > val ? old : val;
    default: return old;
    }
}

/* Guest value <-> the little-endian bytes in host memory (raw). */
static uint64_t swap_if_be(MemOp mop, uint64_t v)
{
    if (!(mop & MO_BE)) {
        return v;
    }
    switch (memop_size(mop)) {
    case 2: return __builtin_bswap16((uint16_t)v);
    case 4: return __builtin_bswap32((uint32_t)v);
    case 8: return __builtin_bswap64(v);
    default: return v;
    }
}

/* One compare-and-swap of size bytes on host memory; *expected gets the value seen. */
static bool host_cas(void *host, unsigned size, uint64_t *expected, uint64_t desired)
{
    switch (size) {
    case 1: {
        uint8_t e = (uint8_t)*expected;
        bool ok = __atomic_compare_exchange_n((uint8_t *)host, &e, (uint8_t)desired, false,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        return ok;
    }
    case 2: {
        uint16_t e = (uint16_t)*expected;
        bool ok = __atomic_compare_exchange_n((uint16_t *)host, &e, (uint16_t)desired, false,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        return ok;
    }
    case 4: {
        uint32_t e = (uint32_t)*expected;
        bool ok = __atomic_compare_exchange_n((uint32_t *)host, &e, (uint32_t)desired, false,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        return ok;
    }
    default:
        return __atomic_compare_exchange_n((uint64_t *)host, expected, desired, false,
                                           __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
}

static uint64_t host_load_relaxed(void *host, unsigned size)
{
    switch (size) {
    case 1: return __atomic_load_n((uint8_t *)host, __ATOMIC_RELAXED);
    case 2: return __atomic_load_n((uint16_t *)host, __ATOMIC_RELAXED);
    case 4: return __atomic_load_n((uint32_t *)host, __ATOMIC_RELAXED);
    default: return __atomic_load_n((uint64_t *)host, __ATOMIC_RELAXED);
    }
}

/* The op's result from the old and new size-bit values. */
static uint64_t atomic_result(unsigned aop, MemOp mop, uint64_t old, uint64_t new_val)
{
    uint64_t r = (aop & TCG_ATOMIC_RET_NEW) ? new_val : old;
    return (mop & MO_SIGN) ? (uint64_t)sext(mop, r) : r & size_mask(mop);
}

uint64_t tcg_atomic_host(void *host, unsigned aop, MemOp mop, uint64_t val, uint64_t cmp)
{
    unsigned size = memop_size(mop);
    bool is_cmpxchg = (aop & TCG_ATOMIC_KIND) == TCG_ATOMIC_CMPXCHG;
    uint64_t raw = host_load_relaxed(host, size);
    for (;;) {
        uint64_t old = swap_if_be(mop, raw) & size_mask(mop), new_val;
        if (is_cmpxchg && old != (cmp & size_mask(mop))) {
            return atomic_result(0, mop, old, old);
        }
        new_val = is_cmpxchg ? val & size_mask(mop) : tcg_atomic_new_value(aop, mop, old, val);
        if (host_cas(host, size, &raw, swap_if_be(mop, new_val))) {
            return atomic_result(is_cmpxchg ? 0 : aop, mop, old, new_val);
        }
    }
}

/* The 16 bytes in memory order <-> (low, high) guest value words. */
static void swap128_if_be(MemOp mop, uint64_t *w)
{
    if (mop & MO_BE) {
        uint64_t lo = w[0];
        w[0] = __builtin_bswap64(w[1]);
        w[1] = __builtin_bswap64(lo);
    }
}

static void host_cmpxchg128_le(void *host, uint64_t *io)
{
#if defined(__x86_64__)
    uint64_t lo = io[0], hi = io[1];
    __asm__ __volatile__("lock cmpxchg16b %2"
                         : "+a"(lo), "+d"(hi), "+m"(*(unsigned __int128 *)host)
                         : "b"(io[2]), "c"(io[3])
                         : "memory", "cc");
    io[0] = lo;
    io[1] = hi;
#else
    unsigned __int128 expected = (unsigned __int128)io[1] << 64 | io[0];
    unsigned __int128 desired = (unsigned __int128)io[3] << 64 | io[2];
    __atomic_compare_exchange_n((unsigned __int128 *)host, &expected, desired, false,
                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    io[0] = (uint64_t)expected;
    io[1] = (uint64_t)(expected >> 64);
#endif
}

void tcg_atomic_host_cmpxchg128(void *host, MemOp mop, uint64_t *io)
{
    swap128_if_be(mop, io);
    swap128_if_be(mop, io + 2);
    host_cmpxchg128_le(host, io);
    swap128_if_be(mop, io);
}
