/* XSAVE-managed processor state (Intel SDM vol. 1 chapter 13): the state components Mimic
 * supports (x87, SSE, AVX), XCR0's valid values, XINUSE, CPUID leaf 0DH, and the helper
 * behind XSAVE/XSAVEOPT/XSAVEC/XRSTOR (xsave-helper.c, translate-xsave.c). */
#ifndef TARGET_I386_XSAVE_H
#define TARGET_I386_XSAVE_H

#include <stdint.h>
#include "target-i386/cpu.h"
#include "tcg/tcg.h"

enum {
    XSTATE_X87 = 1u << 0, XSTATE_SSE = 1u << 1, XSTATE_AVX = 1u << 2,
};

/* The XCR0 bits the CPU model supports: x87 and SSE with XSAVE, AVX when offered. */
uint64_t x86_xcr0_supported(X86CPU *x);
/* Is v a value XSETBV accepts for XCR0 (x87 set, AVX only with SSE, nothing
 * unsupported)? */
bool x86_xcr0_valid(X86CPU *x, uint64_t v);
/* XINUSE: the components not in their initial configuration. */
uint64_t x86_xinuse(X86CPU *x);
/* CPUID leaf 0DH, sub-leaf sub. */
void x86_xsave_cpuid(X86CPU *x, uint32_t sub, uint32_t out[4]);

/* Operations of the helper xsave (kind: one of these, | XSAVE_W64 for the REX.W forms). */
enum { XSAVE_STD, XSAVE_OPT, XSAVE_C, XRSTOR_ANY, XSAVE_W64 = 8 };
/* helper xsave(env, linear address, kind): faults #GP(0) for an address not aligned on
 * 64 bytes and for XRSTOR's invalid headers; loads and stores may #PF. */
void x86_helper_xsave(X86CPU *x, uint64_t addr, uint32_t kind);
extern const TCGHelperInfo x86_info_xsave;

#endif
