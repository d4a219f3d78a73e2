/* XSAVE-managed state (Intel SDM vol. 1 chapter 13, vol. 2 XSAVE/XSAVEOPT/XSAVEC/XRSTOR/
 * XGETBV, CPUID leaf 0DH): the x87 (0), SSE (1) and AVX (2) components in the standard
 * and the compacted format (the same offsets for these three: legacy region 0-511, header
 * 512-575, AVX's YMM_Hi128 at 576), the header's XSTATE_BV and XCOMP_BV, and XINUSE,
 * computed from the state itself: a component is in use unless it is in its initial
 * configuration (so XSAVEC's and XSAVEOPT's init optimisation is exact; XSAVEOPT saves
 * like XSAVE, which the SDM allows). XRSTOR reads the whole area and checks it (#GP)
 * before it changes any state. Outside 64-bit mode only XMM0-7 / YMM0-7 are saved and
 * restored. */
#include <string.h>
#include "target-i386/cpuid.h"
#include "target-i386/fpu.h"
#include "target-i386/helper.h"
#include "target-i386/sys-internal.h"
#include "target-i386/xsave.h"

#define XSAVE_HEADER 512
#define XSAVE_AVX 576
#define XSAVE_SIZE 832
#define XSTATE_ALL (XSTATE_X87 | XSTATE_SSE | XSTATE_AVX)
#define XCOMP_COMPACT (1ull << 63)

uint64_t x86_xcr0_supported(X86CPU *x)
{
    uint64_t v = XSTATE_X87 | XSTATE_SSE;
    return v | (x86_has_feature(x, FEAT_1_ECX, CPUID_EXT_AVX) ? XSTATE_AVX : 0);
}

bool x86_xcr0_valid(X86CPU *x, uint64_t v)
{
    if (!(v & XSTATE_X87) || (v & ~x86_xcr0_supported(x))) {
        return false;
    }
    return !((v & XSTATE_AVX) && !(v & XSTATE_SSE));
}

/* ---- XINUSE ------------------------------------------------------------------------------- */

static bool x87_is_init(X86CPU *x)
{
    if (x->fpuc != X86_FPUC_RESET || x->fpus || x->fpstt || x->fpop || x->fpip || x->fpdp ||
        x->fpcs || x->fpds) {
        return false;
    }
    for (int i = 0; i < 8; i++) {
        if (!x->fptags[i] || x->fpregs[i].mant || x->fpregs[i].sexp) {
            return false;
        }
    }
    return true;
}

/* Are bytes [from, from + 16) of every vector register zero? */
static bool vec_half_zero(X86CPU *x, int from)
{
    for (int i = 0; i < X86_NR_VECS; i++) {
        if (x->vec[i].q[from / 8] || x->vec[i].q[from / 8 + 1]) {
            return false;
        }
    }
    return true;
}

uint64_t x86_xinuse(X86CPU *x)
{
    uint64_t v = x87_is_init(x) ? 0 : XSTATE_X87;
    v |= (vec_half_zero(x, 0) && x->mxcsr == X86_MXCSR_RESET) ? 0 : XSTATE_SSE;
    return v | (vec_half_zero(x, 16) ? 0 : XSTATE_AVX);
}

/* ---- CPUID leaf 0DH -------------------------------------------------------------------- */

/* The end of the standard-format area holding the components in mask. */
static uint32_t area_size(uint64_t mask)
{
    return (mask & XSTATE_AVX) ? XSAVE_SIZE : XSAVE_AVX;
}

void x86_xsave_cpuid(X86CPU *x, uint32_t sub, uint32_t out[4])
{
    if (!x86_has_feature(x, FEAT_1_ECX, CPUID_EXT_XSAVE)) {
        return;
    }
    uint64_t supported = x86_xcr0_supported(x);
    switch (sub) {
    case 0:
        out[0] = (uint32_t)supported;
        out[1] = area_size(x->xcr0);
        out[2] = area_size(supported);
        break;
    case 1:
        out[0] = x->features[FEAT_XSAVE_1_EAX];
        out[1] = area_size(x->xcr0);    /* XSAVEC's size for XCR0 (no IA32_XSS bits) */
        break;
    case 2:
        if (supported & XSTATE_AVX) {
            out[0] = 256;
            out[1] = XSAVE_AVX;
        }
        break;
    default:
        break;
    }
}

/* ---- the area in guest memory ------------------------------------------------------------- */

typedef struct XArea {
    X86CPU *x;
    uint64_t base;
    int mmu;
    uintptr_t ra;
} XArea;

static void st(XArea *a, unsigned off, uint64_t v, MemOp mop)
{
    cpu_st_mmu(&a->x->parent, a->base + off, v, mop | MO_LE, a->mmu, a->ra);
}

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint32_t ld32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static int nr_vecs(X86CPU *x)
{
    return (x->hflags & HF_CS64) ? 16 : 8;
}

/* ---- saving -------------------------------------------------------------------------------- */

/* The x87 part of the legacy region (bytes 0-23, 32-159), FXSAVE's format (fpu.h); 64-bit
 * FIP/FDP for the REX.W forms, else 32-bit offsets with their selectors. */
static void save_x87(XArea *a, bool w64)
{
    uint8_t b[512];

    x86_fxsave_x87(a->x, b, w64);
    for (unsigned off = 0; off < 160; off += 8) {
        if (off != 24) {
            st(a, off, ld64(b + off), MO_64);
        }
    }
}

static void save_vec_half(XArea *a, unsigned off, int half)
{
    for (int i = 0; i < nr_vecs(a->x); i++) {
        st(a, off + 16 * i, a->x->vec[i].q[half * 2], MO_64);
        st(a, off + 16 * i + 8, a->x->vec[i].q[half * 2 + 1], MO_64);
    }
}

static void save_mxcsr(XArea *a)
{
    st(a, 24, a->x->mxcsr | (uint64_t)X86_MXCSR_MASK << 32, MO_64);
}

/* XSAVE, XSAVEOPT (standard format): every requested component; XSTATE_BV's requested
 * bits from XINUSE, the others kept. */
static void xsave_standard(XArea *a, uint64_t rfbm, bool w64)
{
    X86CPU *x = a->x;
    if (rfbm & XSTATE_X87) {
        save_x87(a, w64);
    }
    if (rfbm & (XSTATE_SSE | XSTATE_AVX)) {
        save_mxcsr(a);
    }
    if (rfbm & XSTATE_SSE) {
        save_vec_half(a, 160, 0);
    }
    if (rfbm & XSTATE_AVX) {
        save_vec_half(a, XSAVE_AVX, 1);
    }
    uint64_t old = cpu_ld_mmu(&x->parent, a->base + XSAVE_HEADER, MO_LEUQ, a->mmu, a->ra);
    st(a, XSAVE_HEADER, (old & ~rfbm) | (x86_xinuse(x) & rfbm), MO_64);
}

/* XSAVEC: the requested components in use; XCOMP_BV = bit 63 | RFBM. */
static void xsave_compact(XArea *a, uint64_t rfbm, bool w64)
{
    uint64_t save = rfbm & x86_xinuse(a->x);
    if (save & XSTATE_X87) {
        save_x87(a, w64);
    }
    if (save & XSTATE_SSE) {
        save_mxcsr(a);
        save_vec_half(a, 160, 0);
    }
    if (save & XSTATE_AVX) {
        save_vec_half(a, XSAVE_AVX, 1);
    }
    st(a, XSAVE_HEADER, save, MO_64);
    st(a, XSAVE_HEADER + 8, XCOMP_COMPACT | rfbm, MO_64);
}

/* ---- restoring ----------------------------------------------------------------------------- */

/* The x87 component's initial configuration: FNINIT's state, registers zero. */
static void init_x87(X86CPU *x)
{
    x86_fpu_init(x);
    memset(x->fpregs, 0, sizeof(x->fpregs));
}

static void load_x87(X86CPU *x, const uint8_t *b, bool w64)
{
    x86_fxrstor_x87(x, b, w64);
}

/* Half half (0: XMM, 1: YMM_Hi128) of the vector registers from b + off, or zero. */
static void load_vec_half(X86CPU *x, const uint8_t *b, unsigned off, int half, bool zero)
{
    for (int i = 0; i < nr_vecs(x); i++) {
        x->vec[i].q[half * 2] = zero ? 0 : ld64(b + off + 16 * i);
        x->vec[i].q[half * 2 + 1] = zero ? 0 : ld64(b + off + 16 * i + 8);
    }
}

static void load_components(X86CPU *x, const uint8_t *b, uint64_t rfbm, uint64_t bv,
                            bool w64)
{
    if (rfbm & XSTATE_X87) {
        if (bv & XSTATE_X87) {
            load_x87(x, b, w64);
        } else {
            init_x87(x);
        }
    }
    if (rfbm & XSTATE_SSE) {
        load_vec_half(x, b, 160, 0, !(bv & XSTATE_SSE));
    }
    if (rfbm & XSTATE_AVX) {
        load_vec_half(x, b, XSAVE_AVX, 1, !(bv & XSTATE_AVX));
    }
}

/* The header and MXCSR checks of XRSTOR; false: #GP. *mxcsr: the value to load, or -1. */
static bool xrstor_check(X86CPU *x, const uint8_t *b, uint64_t rfbm, int64_t *mxcsr)
{
    uint64_t bv = ld64(b + XSAVE_HEADER), comp = ld64(b + XSAVE_HEADER + 8);
    uint32_t m = ld32(b + 24);
    *mxcsr = -1;
    if (!(comp & XCOMP_COMPACT)) {
        /* standard: XSTATE_BV within XCR0, bytes 23:8 of the header zero; MXCSR loaded
         * when SSE or AVX is requested, whatever XSTATE_BV says */
        if ((bv & ~x->xcr0) || comp || ld64(b + XSAVE_HEADER + 16)) {
            return false;
        }
        *mxcsr = (rfbm & (XSTATE_SSE | XSTATE_AVX)) ? (int64_t)m : -1;
    } else {
        /* compacted: XSAVEC offered, XCOMP_BV within XCR0, XSTATE_BV within XCOMP_BV,
         * bytes 63:16 zero; MXCSR belongs to the SSE component */
        if (!x86_has_feature(x, FEAT_XSAVE_1_EAX, CPUID_XSAVE_XSAVEC) ||
            (comp & ~XCOMP_COMPACT & ~x->xcr0) || (bv & ~comp)) {
            return false;
        }
        for (unsigned off = 16; off < 64; off += 8) {
            if (ld64(b + XSAVE_HEADER + off)) {
                return false;
            }
        }
        if (rfbm & XSTATE_SSE) {
            *mxcsr = (bv & XSTATE_SSE) ? (int64_t)m : X86_MXCSR_RESET;
        }
    }
    return *mxcsr < 0 || !(*mxcsr & ~(int64_t)X86_MXCSR_MASK);
}

static void xrstor(XArea *a, uint64_t rfbm, bool w64)
{
    X86CPU *x = a->x;
    uint8_t b[XSAVE_SIZE];
    unsigned size = area_size(rfbm);
    int64_t mxcsr;

    for (unsigned off = 0; off < size; off += 8) {
        uint64_t v = cpu_ld_mmu(&x->parent, a->base + off, MO_LEUQ, a->mmu, a->ra);
        memcpy(b + off, &v, 8);
    }
    if (size < XSAVE_SIZE) {
        memset(b + size, 0, XSAVE_SIZE - size);
    }
    if (!xrstor_check(x, b, rfbm, &mxcsr)) {
        x86_fault(x, EXCP0D_GPF, 0, a->ra);
    }
    load_components(x, b, rfbm, ld64(b + XSAVE_HEADER), w64);
    if (mxcsr >= 0) {
        x->mxcsr = (uint32_t)mxcsr;
    }
}

/* ---- the helper ------------------------------------------------------------------------------ */

void x86_helper_xsave(X86CPU *x, uint64_t addr, uint32_t kind)
{
    X86_GETPC(ra);
    XArea a = { x, addr, x86_mmu_index(x->hflags), ra };
    uint64_t rfbm = ((x->regs[R_EDX] << 32) | (uint32_t)x->regs[R_EAX]) & x->xcr0;
    bool w64 = kind & XSAVE_W64;

    if (addr & 63) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    switch (kind & ~XSAVE_W64) {
    case XSAVE_C: xsave_compact(&a, rfbm, w64); break;
    case XRSTOR_ANY: xrstor(&a, rfbm, w64); break;
    default: xsave_standard(&a, rfbm, w64); break;
    }
}

const TCGHelperInfo x86_info_xsave = {
    .name = "xsave", .func = (void *)x86_helper_xsave, .flags = 0, .ret_type = TCG_TYPE_VOID,
    .nb_args = 3, .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I64, TCG_TYPE_I32 },
};
