/* x87 control instructions with a memory operand and the state images: FLDCW/FNSTCW,
 * FNSTSW m16, FNSTENV/FLDENV and FNSAVE/FRSTOR (16- and 32-bit, real and protected mode
 * formats, SDM vol. 1 8.1.10 figures 8-9..8-12), FXSAVE/FXRSTOR (SDM vol. 2 table 3-53,
 * 32- and 64-bit layouts) with the MXCSR and XMM part, and FNINIT's state. */
#include <string.h>
#include "accel/tcg.h"
#include "target-i386/fpu-internal.h"
#include "target-i386/helper-sys.h"
#include "target-i386/helper.h"

enum { EXCP_GP = 13 };

void x86_fpu_init(X86CPU *x)
{
    x->fpuc = X86_FPUC_RESET;
    x->fpus = 0;
    x->fpstt = 0;
    memset(x->fptags, 1, sizeof(x->fptags));
    x->fpop = 0;
    x->fpcs = x->fpds = 0;
    x->fpip = x->fpdp = 0;
}

/* ---- guest memory as byte images ---- */

static uint64_t wrap(X86CPU *x, uint64_t a)
{
    return (x->hflags & HF_CS64) ? a : (uint32_t)a;
}

static void mem_write(X86CPU *x, uint64_t a, const uint8_t *buf, unsigned len, uintptr_t ra)
{
    int mmu = x86_mmu_index(x->hflags);
    uint8_t *h = probe_access(&x->parent, a, len, MMU_DATA_STORE, mmu, ra);

    if (h) {
        memcpy(h, buf, len);
        return;
    }
    for (unsigned i = 0; i < len; i++) {
        cpu_st_mmu(&x->parent, wrap(x, a + i), buf[i], MO_UB, mmu, ra);
    }
}

static void mem_read(X86CPU *x, uint64_t a, uint8_t *buf, unsigned len, uintptr_t ra)
{
    int mmu = x86_mmu_index(x->hflags);
    const uint8_t *h = probe_access(&x->parent, a, len, MMU_DATA_LOAD, mmu, ra);

    if (h) {
        memcpy(buf, h, len);
        return;
    }
    for (unsigned i = 0; i < len; i++) {
        buf[i] = (uint8_t)cpu_ld_mmu(&x->parent, wrap(x, a + i), MO_UB, mmu, ra);
    }
}

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, v >> 32); }
static uint32_t get16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }
static uint32_t get32(const uint8_t *p) { return get16(p) | get16(p + 2) << 16; }
static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

static void put_reg(uint8_t *p, const X87Reg *r)
{
    put64(p, r->mant);
    put16(p + 8, r->sexp);
}

static void get_reg(const uint8_t *p, X87Reg *r)
{
    r->mant = get64(p);
    r->sexp = (uint16_t)get16(p + 8);
}

/* ES and B follow the exception flags and masks (after FLDCW, FLDENV, FXRSTOR...). */
static void update_es(X86CPU *x)
{
    x->fpus &= ~(FSW_ES | FSW_B);
    x87_raise_flags(x, 0);
}

static void set_fsw(X86CPU *x, uint32_t fsw)
{
    x->fpstt = (fsw >> 11) & 7;
    x->fpus = (uint16_t)(fsw & ~0x3800u);
    update_es(x);
}

/* ---- the tag word ---- */

/* Two-bit tag of physical register p: 00 valid, 01 zero, 10 special, 11 empty. */
static unsigned full_tag(const X86CPU *x, int p)
{
    const X87Reg *r = &x->fpregs[p];
    unsigned exp = r->sexp & 0x7fff;

    if (x->fptags[p]) {
        return 3;
    }
    if (exp == 0x7fff) {
        return 2;
    }
    if (exp == 0) {
        return r->mant ? 2 : 1;
    }
    return (r->mant >> 63) ? 0 : 2;
}

static uint32_t full_tag_word(const X86CPU *x)
{
    uint32_t w = 0;

    for (int p = 0; p < 8; p++) {
        w |= full_tag(x, p) << (2 * p);
    }
    return w;
}

/* ---- FNSTENV / FLDENV / FNSAVE / FRSTOR ---- */

static bool real_format(const X86CPU *x)
{
    return !(x->hflags & HF_PE) || (x->hflags & HF_VM);
}

/* The environment image (14 or 28 bytes); returns its length. */
static unsigned build_env(X86CPU *x, uint8_t *b, bool op32)
{
    bool real = real_format(x);
    uint32_t ip = (uint32_t)x->fpip, dp = (uint32_t)x->fpdp;
    unsigned n = op32 ? 4 : 2;

    memset(b, op32 ? 0xff : 0, 28);
    put16(b, x->fpuc);
    put16(b + n, x87_fsw(x));
    put16(b + 2 * n, full_tag_word(x));
    if (real) {
        ip += x->fpcs * 16u;
        dp += x->fpds * 16u;
        put16(b + 3 * n, ip);
        put16(b + 5 * n, dp);
        if (op32) {
            put32(b + 16, ((ip >> 16) << 12) | (x->fpop & 0x7ff));
            put32(b + 24, (dp >> 16) << 12);
        } else {
            put16(b + 8, ((ip >> 16) << 12) | (x->fpop & 0x7ff));
            put16(b + 12, (dp >> 16) << 12);
        }
    } else if (op32) {
        put32(b + 12, ip);
        put32(b + 16, x->fpcs | (uint32_t)(x->fpop & 0x7ff) << 16);
        put32(b + 20, dp);
        put16(b + 24, x->fpds);
    } else {
        put16(b + 6, ip);
        put16(b + 8, x->fpcs);
        put16(b + 10, dp);
        put16(b + 12, x->fpds);
    }
    return op32 ? 28 : 14;
}

static void load_env(X86CPU *x, const uint8_t *b, bool op32)
{
    unsigned n = op32 ? 4 : 2;
    uint32_t tw = get16(b + 2 * n);

    x->fpuc = x87_fcw(get16(b));
    for (int p = 0; p < 8; p++) {
        x->fptags[p] = ((tw >> (2 * p)) & 3) == 3;
    }
    if (real_format(x)) {
        uint32_t hi_ip = op32 ? get32(b + 16) : get16(b + 8);
        uint32_t hi_dp = op32 ? get32(b + 24) : get16(b + 12);
        x->fpip = get16(b + 3 * n) | ((hi_ip >> 12) << 16);
        x->fpop = hi_ip & 0x7ff;
        x->fpdp = get16(b + 5 * n) | ((hi_dp >> 12) << 16);
        x->fpcs = x->fpds = 0;
    } else if (op32) {
        x->fpip = get32(b + 12);
        x->fpcs = (uint16_t)get16(b + 16);
        x->fpop = get16(b + 18) & 0x7ff;
        x->fpdp = get32(b + 20);
        x->fpds = (uint16_t)get16(b + 24);
    } else {
        x->fpip = get16(b + 6);
        x->fpcs = (uint16_t)get16(b + 8);
        x->fpdp = get16(b + 10);
        x->fpds = (uint16_t)get16(b + 12);
    }
    set_fsw(x, get16(b + n));
}

static void fnstenv(X86CPU *x, uint64_t a, bool op32, uintptr_t ra)
{
    uint8_t b[28];
    unsigned len = build_env(x, b, op32);

    mem_write(x, a, b, len, ra);
    x->fpuc |= FSW_EXC;         /* all exceptions masked afterwards */
}

static void fldenv(X86CPU *x, uint64_t a, bool op32, uintptr_t ra)
{
    uint8_t b[28];

    mem_read(x, a, b, op32 ? 28 : 14, ra);
    load_env(x, b, op32);
}

static void fnsave(X86CPU *x, uint64_t a, bool op32, uintptr_t ra)
{
    uint8_t b[108];
    unsigned len = build_env(x, b, op32);

    for (int i = 0; i < 8; i++) {
        put_reg(b + len + 10 * i, &x->fpregs[x87_phys(x, i)]);
    }
    mem_write(x, a, b, len + 80, ra);
    x86_fpu_init(x);
}

static void frstor(X86CPU *x, uint64_t a, bool op32, uintptr_t ra)
{
    uint8_t b[108];
    unsigned len = op32 ? 28 : 14;

    mem_read(x, a, b, len + 80, ra);
    load_env(x, b, op32);
    for (int i = 0; i < 8; i++) {
        get_reg(b + len + 10 * i, &x->fpregs[x87_phys(x, i)]);
    }
}

/* D9 /4../7, DD /4 /6 /7 (the other memory forms run on the host). */
void x87_control_mem(X86CPU *x, uint32_t insn, uint64_t a, uintptr_t ra);
void x87_control_mem(X86CPU *x, uint32_t insn, uint64_t a, uintptr_t ra)
{
    unsigned op = (insn >> 8) & 7, r = (insn >> 3) & 7;
    bool op32 = insn & X87_INSN_OP32;
    int mmu = x86_mmu_index(x->hflags);

    if (r < 6) {
        x87_check_pending(x, ra);   /* FLDENV, FLDCW, FRSTOR wait; the FN forms do not */
    }
    switch (op << 3 | r) {
    case 014: fldenv(x, a, op32, ra); break;
    case 015:
        x->fpuc = x87_fcw((uint32_t)cpu_ld_mmu(&x->parent, a, MO_LEUW, mmu, ra));
        update_es(x);
        break;
    case 016: fnstenv(x, a, op32, ra); break;
    case 017: cpu_st_mmu(&x->parent, a, x->fpuc, MO_LEUW, mmu, ra); break;
    case 054: frstor(x, a, op32, ra); break;
    case 056: fnsave(x, a, op32, ra); break;
    case 057: cpu_st_mmu(&x->parent, a, x87_fsw(x), MO_LEUW, mmu, ra); break;
    }
}

/* ---- FXSAVE / FXRSTOR ---- */

void x86_fxsave_x87(X86CPU *x, uint8_t area[512], bool w64)
{
    unsigned ftw = 0;

    for (int p = 0; p < 8; p++) {
        ftw |= (unsigned)!x->fptags[p] << p;
    }
    put16(area, x->fpuc);
    put16(area + 2, x87_fsw(x));
    area[4] = (uint8_t)ftw;
    area[5] = 0;
    put16(area + 6, x->fpop & 0x7ff);
    if (w64) {
        put64(area + 8, x->fpip);
        put64(area + 16, x->fpdp);
    } else {
        put32(area + 8, (uint32_t)x->fpip);
        put32(area + 12, x->fpcs);
        put32(area + 16, (uint32_t)x->fpdp);
        put32(area + 20, x->fpds);
    }
    for (int i = 0; i < 8; i++) {
        memset(area + 32 + 16 * i, 0, 16);
        put_reg(area + 32 + 16 * i, &x->fpregs[x87_phys(x, i)]);
    }
}

void x86_fxrstor_x87(X86CPU *x, const uint8_t area[512], bool w64)
{
    x->fpuc = x87_fcw(get16(area));
    for (int p = 0; p < 8; p++) {
        x->fptags[p] = !((area[4] >> p) & 1);
    }
    x->fpop = get16(area + 6) & 0x7ff;
    if (w64) {
        x->fpip = get64(area + 8);
        x->fpdp = get64(area + 16);
    } else {
        x->fpip = get32(area + 8);
        x->fpcs = (uint16_t)get16(area + 12);
        x->fpdp = get32(area + 16);
        x->fpds = (uint16_t)get16(area + 20);
    }
    x->fpstt = (get16(area + 2) >> 11) & 7;
    for (int i = 0; i < 8; i++) {
        get_reg(area + 32 + 16 * i, &x->fpregs[x87_phys(x, i)]);
    }
    set_fsw(x, get16(area + 2));
}

/* XMM registers in the legacy area: 16 in 64-bit mode, else 8. */
static int fx_nr_xmm(const X86CPU *x)
{
    return (x->hflags & HF_CS64) ? 16 : 8;
}

static void check_fx_align(X86CPU *x, uint64_t a, uintptr_t ra)
{
    if (a & 15) {
        x86_raise_exception_err(&x->parent, EXCP_GP, 0, ra);
    }
}

static void helper_fpu_fxsave(void *env, uint32_t w64, uint64_t a)
{
    X86CPU *x = x86_cpu(env);
    X86_GETPC(ra);
    uint8_t area[512];
    int n = fx_nr_xmm(x);

    check_fx_align(x, a, ra);
    x86_fxsave_x87(x, area, w64);
    put32(area + 24, x->mxcsr);
    put32(area + 28, X86_MXCSR_MASK);
    for (int i = 0; i < n; i++) {
        memcpy(area + 160 + 16 * i, x->vec[i].b, 16);
    }
    mem_write(x, a, area, 160 + 16 * (unsigned)n, ra);
}
X86_HELPER_INFO(fpu_fxsave, TCG_CALL_NO_WG, TCG_TYPE_VOID, 3, TCG_TYPE_PTR, TCG_TYPE_I32,
                TCG_TYPE_I64);

static void helper_fpu_fxrstor(void *env, uint32_t w64, uint64_t a)
{
    X86CPU *x = x86_cpu(env);
    X86_GETPC(ra);
    uint8_t area[512];
    int n = fx_nr_xmm(x);
    uint32_t mxcsr;

    check_fx_align(x, a, ra);
    mem_read(x, a, area, 160 + 16 * (unsigned)n, ra);
    mxcsr = get32(area + 24);
    if (mxcsr & ~X86_MXCSR_MASK) {
        x86_raise_exception_err(&x->parent, EXCP_GP, 0, ra);
    }
    x86_fxrstor_x87(x, area, w64);
    x->mxcsr = mxcsr;
    for (int i = 0; i < n; i++) {
        memcpy(x->vec[i].b, area + 160 + 16 * i, 16);
    }
}
X86_HELPER_INFO(fpu_fxrstor, TCG_CALL_NO_WG, TCG_TYPE_VOID, 3, TCG_TYPE_PTR, TCG_TYPE_I32,
                TCG_TYPE_I64);
