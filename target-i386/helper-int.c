/* Helpers of the x86 integer instructions (Intel SDM vol. 2 entries): exceptions raised
 * from translated code, flag computation entry points, DIV/IDIV with #DE, RCL/RCR, the
 * BCD adjustments, CMPXCHG8B/16B, CRC32, RDRAND, software interrupts. String REP loops
 * are in helper-string.c. env is the CPUState (an X86CPU). */
#include <sys/random.h>
#include "target-i386/cc.h"
#include "target-i386/helper.h"
#include "target-i386/helper-sys.h"

enum { EXCP_DE = 0, EXCP_GP = 13 };

static void helper_raise_exception(void *env, uint32_t vector, uint32_t err)
{
    X86_GETPC(ra);
    x86_raise_exception_err(env, (int)vector, (int32_t)err, ra);
}
X86_HELPER_INFO(raise_exception, 0, TCG_TYPE_VOID, 3, TCG_TYPE_PTR, TCG_TYPE_I32, TCG_TYPE_I32);

/* After a single-stepped instruction (EIP already past it): DR6.BS and #DB as a trap. */
static void helper_debug_trap(void *env, uint64_t next_eip)
{
    X86CPU *x = x86_cpu(env);
    x->dr[6] |= X86_DR6_BS;
    x86_raise_debug_trap(x, next_eip, 0);
}
X86_HELPER_INFO(debug_trap, 0, TCG_TYPE_VOID, 2, TCG_TYPE_PTR, TCG_TYPE_I64);

/* After POPF wrote EFLAGS in translated code: the TB flags follow (TF, IOPL, AC, VM...). */
static void helper_update_hflags(void *env)
{
    x86_update_hflags(x86_cpu(env));
}
X86_HELPER_INFO(update_hflags, TCG_CALL_NO_WG, TCG_TYPE_VOID, 1, TCG_TYPE_PTR);

static void helper_int_sw(void *env, uint32_t vector, uint64_t next_eip)
{
    X86_GETPC(ra);
    x86_raise_interrupt(env, (int)vector, next_eip, ra);
}
X86_HELPER_INFO(int_sw, 0, TCG_TYPE_VOID, 3, TCG_TYPE_PTR, TCG_TYPE_I32, TCG_TYPE_I64);

static uint64_t helper_cc_compute_all(uint32_t op, uint64_t dst, uint64_t src, uint64_t src2)
{
    return x86_cc_compute_all(op, dst, src, src2);
}
X86_HELPER_INFO(cc_compute_all, TCG_CALL_PURE, TCG_TYPE_I64, 4, TCG_TYPE_I32, TCG_TYPE_I64,
                TCG_TYPE_I64, TCG_TYPE_I64);

static uint64_t helper_cc_compute_c(uint32_t op, uint64_t dst, uint64_t src, uint64_t src2)
{
    return x86_cc_compute_c(op, dst, src, src2);
}
X86_HELPER_INFO(cc_compute_c, TCG_CALL_PURE, TCG_TYPE_I64, 4, TCG_TYPE_I32, TCG_TYPE_I64,
                TCG_TYPE_I64, TCG_TYPE_I64);

/* ---- division ----------------------------------------------------------------------------- */

static uint64_t *reg(void *env, int r)
{
    return &x86_cpu(env)->regs[r];
}

static void set_low(uint64_t *r, uint64_t v, unsigned bits)
{
    uint64_t m = (1ull << bits) - 1;
    *r = (*r & ~m) | (v & m);
}

static void divide_error(void *env, uintptr_t ra)
{
    x86_raise_exception_err(env, EXCP_DE, -1, ra);
}

static void helper_divb(void *env, uint64_t v)
{
    X86_GETPC(ra);
    unsigned num = *reg(env, 0) & 0xffff, den = v & 0xff;
    if (den == 0 || num / den > 0xff) {
        divide_error(env, ra);
    }
    set_low(reg(env, 0), (num / den) | (num % den) << 8, 16);
}

static void helper_idivb(void *env, uint64_t v)
{
    X86_GETPC(ra);
    int num = (int16_t)*reg(env, 0), den = (int8_t)v;
    if (den == 0 || num / den != (int8_t)(num / den)) {
        divide_error(env, ra);
    }
    set_low(reg(env, 0), (uint8_t)(num / den) | (uint16_t)((uint32_t)(num % den) << 8), 16);
}

static void helper_divw(void *env, uint64_t v)
{
    X86_GETPC(ra);
    uint32_t num = (uint32_t)(*reg(env, 2) & 0xffff) << 16 | (*reg(env, 0) & 0xffff);
    uint32_t den = v & 0xffff;
    if (den == 0 || num / den > 0xffff) {
        divide_error(env, ra);
    }
    set_low(reg(env, 0), num / den, 16);
    set_low(reg(env, 2), num % den, 16);
}

static void helper_idivw(void *env, uint64_t v)
{
    X86_GETPC(ra);
    int32_t num = (int32_t)((uint32_t)(*reg(env, 2) & 0xffff) << 16 | (*reg(env, 0) & 0xffff));
    int32_t den = (int16_t)v;
    if (den == 0 || num / den != (int16_t)(num / den)) {
        divide_error(env, ra);
    }
    set_low(reg(env, 0), (uint32_t)(num / den), 16);
    set_low(reg(env, 2), (uint32_t)(num % den), 16);
}

static void helper_divl(void *env, uint64_t v)
{
    X86_GETPC(ra);
    uint64_t num = (*reg(env, 2) & 0xffffffffu) << 32 | (*reg(env, 0) & 0xffffffffu);
    uint64_t den = v & 0xffffffffu;
    if (den == 0 || num / den > 0xffffffffu) {
        divide_error(env, ra);
    }
    *reg(env, 0) = (uint32_t)(num / den);
    *reg(env, 2) = (uint32_t)(num % den);
}

static void helper_idivl(void *env, uint64_t v)
{
    X86_GETPC(ra);
    int64_t num = (int64_t)((*reg(env, 2) & 0xffffffffu) << 32 | (*reg(env, 0) & 0xffffffffu));
    int64_t den = (int32_t)v;
    if (den == 0 || (den == -1 && num == INT64_MIN) || num / den != (int32_t)(num / den)) {
        divide_error(env, ra);
    }
    *reg(env, 0) = (uint32_t)(num / den);
    *reg(env, 2) = (uint32_t)(num % den);
}

static void helper_divq(void *env, uint64_t den)
{
    X86_GETPC(ra);
    unsigned __int128 num = (unsigned __int128)*reg(env, 2) << 64 | *reg(env, 0);
    if (den == 0 || *reg(env, 2) >= den) {
        divide_error(env, ra);
    }
    *reg(env, 0) = (uint64_t)(num / den);
    *reg(env, 2) = (uint64_t)(num % den);
}

static void helper_idivq(void *env, uint64_t v)
{
    X86_GETPC(ra);
    __int128 num = (__int128)((unsigned __int128)*reg(env, 2) << 64 | *reg(env, 0));
    __int128 den = (int64_t)v, q;
    if (den == 0) {
        divide_error(env, ra);
    }
    if (den == -1) {
        /* -num may not fit: only num = -2^63 .. 2^63 - 1 gives a representable quotient */
        if (num > (__int128)INT64_MAX + 1 || num < -(__int128)INT64_MAX) {
            divide_error(env, ra);
        }
    }
    q = num / den;
    if (q != (int64_t)q) {
        divide_error(env, ra);
    }
    *reg(env, 0) = (uint64_t)(int64_t)q;
    *reg(env, 2) = (uint64_t)(int64_t)(num % den);
}

#define DIV_INFO(n) X86_HELPER_INFO(n, 0, TCG_TYPE_VOID, 2, TCG_TYPE_PTR, TCG_TYPE_I64)
DIV_INFO(divb); DIV_INFO(divw); DIV_INFO(divl); DIV_INFO(divq);
DIV_INFO(idivb); DIV_INFO(idivw); DIV_INFO(idivl); DIV_INFO(idivq);

/* ---- rotate through carry (flags materialised in cc_src) ------------------------------------ */

static uint64_t rotate_carry(void *env, uint64_t val, uint64_t count, uint32_t ot, bool left)
{
    X86CPU *x = x86_cpu(env);
    unsigned bits = 8u << ot;
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1, cf = x->cc_src & 1, of;

    count = bits < 32 ? count % (bits + 1) : count;
    if (count == 0) {
        return val;
    }
    val &= mask;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t out = left ? (val >> (bits - 1)) & 1 : val & 1;
        val = left ? ((val << 1) | cf) & mask : (val >> 1) | (cf << (bits - 1));
        cf = out;
    }
    of = left ? ((val >> (bits - 1)) ^ cf) & 1 : ((val >> (bits - 1)) ^ (val >> (bits - 2))) & 1;
    x->cc_src = (x->cc_src & ~(uint64_t)(X86_EFLAGS_CF | X86_EFLAGS_OF)) | cf |
                (of ? X86_EFLAGS_OF : 0);
    return val;
}

static uint64_t helper_rcl(void *env, uint64_t val, uint64_t count, uint32_t ot)
{
    return rotate_carry(env, val, count, ot, true);
}

static uint64_t helper_rcr(void *env, uint64_t val, uint64_t count, uint32_t ot)
{
    return rotate_carry(env, val, count, ot, false);
}
X86_HELPER_INFO(rcl, 0, TCG_TYPE_I64, 4, TCG_TYPE_PTR, TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I32);
X86_HELPER_INFO(rcr, 0, TCG_TYPE_I64, 4, TCG_TYPE_PTR, TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I32);

/* ---- BCD (flags materialised in cc_src) ---------------------------------------------------------- */

static uint64_t szp8(unsigned al)
{
    return (al & 0x80 ? X86_EFLAGS_SF : 0) | (al ? 0 : X86_EFLAGS_ZF) |
           (__builtin_parity(al) ? 0 : X86_EFLAGS_PF);
}

static void bcd_finish(X86CPU *x, unsigned ax, bool af, bool cf, unsigned bits)
{
    set_low(&x->regs[0], ax, bits);
    x->cc_src = szp8(ax & 0xff) | (af ? X86_EFLAGS_AF : 0) | (cf ? X86_EFLAGS_CF : 0);
}

static void decimal_adjust(void *env, bool sub)
{
    X86CPU *x = x86_cpu(env);
    unsigned al = x->regs[0] & 0xff, old_al = al;
    bool old_cf = x->cc_src & X86_EFLAGS_CF, af = x->cc_src & X86_EFLAGS_AF, cf = false;

    if ((al & 0xf) > 9 || af) {
        cf = old_cf || (sub ? al < 6 : al > 0xf9);
        al = (sub ? al - 6 : al + 6) & 0xff;
        af = true;
    } else {
        af = false;
    }
    if (old_al > 0x99 || old_cf) {
        al = (sub ? al - 0x60 : al + 0x60) & 0xff;
        cf = true;
    }
    bcd_finish(x, al, af, cf, 8);
}

static void helper_daa(void *env, uint32_t imm) { decimal_adjust(env, false); }
static void helper_das(void *env, uint32_t imm) { decimal_adjust(env, true); }

static void ascii_adjust(void *env, bool sub)
{
    X86CPU *x = x86_cpu(env);
    unsigned ax = x->regs[0] & 0xffff;
    bool adjust = (ax & 0xf) > 9 || (x->cc_src & X86_EFLAGS_AF);

    if (adjust) {
        ax = (sub ? ax - 0x106 : ax + 0x106) & 0xffff;
    }
    bcd_finish(x, ax & 0xff0f, adjust, adjust, 16);
}

static void helper_aaa(void *env, uint32_t imm) { ascii_adjust(env, false); }
static void helper_aas(void *env, uint32_t imm) { ascii_adjust(env, true); }

static void helper_aam(void *env, uint32_t imm)
{
    X86CPU *x = x86_cpu(env);
    unsigned al = x->regs[0] & 0xff;
    bcd_finish(x, (al / imm) << 8 | (al % imm), false, false, 16);
}

static void helper_aad(void *env, uint32_t imm)
{
    X86CPU *x = x86_cpu(env);
    unsigned ax = x->regs[0] & 0xffff;
    bcd_finish(x, ((ax & 0xff) + (ax >> 8) * (imm & 0xff)) & 0xff, false, false, 16);
}

#define BCD_INFO(n) X86_HELPER_INFO(n, 0, TCG_TYPE_VOID, 2, TCG_TYPE_PTR, TCG_TYPE_I32)
BCD_INFO(daa); BCD_INFO(das); BCD_INFO(aaa); BCD_INFO(aas); BCD_INFO(aam); BCD_INFO(aad);

/* ---- CRC32 (CRC-32C, reflected polynomial 82F63B78H), RDRAND ----------------------------------- */

static uint64_t helper_crc32(uint64_t crc, uint64_t v, uint32_t bits)
{
    uint32_t c = (uint32_t)crc;
    for (unsigned i = 0; i < bits; i += 8) {
        c ^= (v >> i) & 0xff;
        for (int k = 0; k < 8; k++) {
            c = (c >> 1) ^ (0x82f63b78u & -(c & 1));
        }
    }
    return c;
}
X86_HELPER_INFO(crc32, TCG_CALL_PURE, TCG_TYPE_I64, 3, TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I32);

static uint64_t helper_rdrand(void *env)
{
    uint64_t v = 0;
    if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v)) {
        v = 0;
    }
    return v;
}
X86_HELPER_INFO(rdrand, TCG_CALL_NO_RWG, TCG_TYPE_I64, 1, TCG_TYPE_PTR);
