/* Running one guest x87 instruction on the host's x87 unit (the host is x86-64): the
 * guest operands are loaded as 80-bit values, the guest FCW (rounding, precision and
 * exception masks as they are) is loaded, the same instruction runs, its FSW is read and
 * the host flags cleared at once with non-waiting instructions (so an unmasked guest
 * exception never traps on the host), then the host FCW is restored and the results
 * stored. The host stack is empty before and after (SysV ABI). Results are those of
 * the host's x87 unit: bit-exact for the guest on the same CPU (see docs/x86-fpu.md). */
#ifndef TARGET_I386_FPU_HOST_H
#define TARGET_I386_FPU_HOST_H

#include <stddef.h>
#include <stdint.h>
#include "target-i386/cpu.h"

#if !defined(__x86_64__)
#error "the x87 unit runs on the host's x87: x86-64 hosts only (docs/x86-fpu.md)"
#endif

/* The operands and results of one host run. mem must stay first: memory forms address
 * it as [rdi]. */
typedef struct X87Io {
    X87Reg mem;             /* m16/m32/m64 (low bytes) or m80 operand */
    X87Reg in[3];           /* ST(0..2) before (80-bit images) */
    X87Reg out[3];          /* ST(0..2) after */
    uint16_t cw;            /* guest FCW */
    uint16_t hcw;           /* host FCW to restore */
    uint16_t sw0, sw;       /* host FSW before and after the instruction */
    uint8_t zf, pf, cf;     /* EFLAGS after FCOMI/FUCOMI */
} X87Io;

#define X87_HOST_FCW 0x037f

#define X87_LOADS0 ""
#define X87_LOADS1 "fldt %c[i0](%%rdi)\n\t"
#define X87_LOADS2 "fldt %c[i1](%%rdi)\n\t" X87_LOADS1
#define X87_LOADS3 "fldt %c[i2](%%rdi)\n\t" X87_LOADS2

/* Defines static void name(X87Io *io): nin operands, the instruction's bytes (a string
 * of ".byte" values; ST(1) is the second operand, [rdi] the memory one). */
#define X87_HOST_OP(name, nin, bytes)                                                   \
    static void name(X87Io *io)                                                         \
    {                                                                                   \
        __asm__ volatile("fnclex\n\t" X87_LOADS##nin                                    \
                         "fldcw %c[cw](%%rdi)\n\t"                                      \
                         "fnstsw %c[sw0](%%rdi)\n\t"                                    \
                         ".byte " bytes "\n\t"                                          \
                         "fnstsw %c[sw](%%rdi)\n\t"                                     \
                         "setz %c[zf](%%rdi)\n\t"                                       \
                         "setp %c[pf](%%rdi)\n\t"                                       \
                         "setc %c[cf](%%rdi)\n\t"                                       \
                         "fnclex\n\t"                                                   \
                         "fldcw %c[hcw](%%rdi)\n\t"                                     \
                         "fstpt %c[o0](%%rdi)\n\t"                                      \
                         "fstpt %c[o1](%%rdi)\n\t"                                      \
                         "fstpt %c[o2](%%rdi)\n\t"                                      \
                         "ffree %%st(0)\n\tffree %%st(1)\n\tffree %%st(2)\n\t"          \
                         "fnclex\n\t"                                                   \
                         :                                                              \
                         : "D"(io), [i0] "i"(offsetof(X87Io, in[0])),                   \
                           [i1] "i"(offsetof(X87Io, in[1])),                            \
                           [i2] "i"(offsetof(X87Io, in[2])),                            \
                           [o0] "i"(offsetof(X87Io, out[0])),                           \
                           [o1] "i"(offsetof(X87Io, out[1])),                           \
                           [o2] "i"(offsetof(X87Io, out[2])),                           \
                           [cw] "i"(offsetof(X87Io, cw)), [hcw] "i"(offsetof(X87Io, hcw)), \
                           [sw0] "i"(offsetof(X87Io, sw0)), [sw] "i"(offsetof(X87Io, sw)), \
                           [zf] "i"(offsetof(X87Io, zf)), [pf] "i"(offsetof(X87Io, pf)), \
                           [cf] "i"(offsetof(X87Io, cf))                                \
                         : "memory", "cc", "st", "st(1)", "st(2)", "st(3)", "st(4)",    \
                           "st(5)", "st(6)", "st(7)");                                  \
    }

typedef void (*X87HostFn)(X87Io *io);

#endif
