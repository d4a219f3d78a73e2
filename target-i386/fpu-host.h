/* Running one guest x87 instruction on the host's x87 unit (the host is x86-64): the
 * guest FCW (rounding, precision and exception masks as they are), condition codes,
 * operands and their tags (empty ones included) are loaded with FRSTOR, the same
 * instruction runs, so that stack faults, masked and unmasked responses and the
 * condition codes it leaves alone are the host's; its FSW (and EFLAGS for FCOMI) is read
 * and the flags cleared at once with non-waiting instructions if it left an unmasked
 * exception (so that it never traps on the host), then the host FCW is restored and the
 * results stored. The host stack is empty before and after (SysV ABI). Results are those of
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
 * it as [rdi]. img is the FRSTOR image the run starts from (32-bit format): the guest
 * FCW and condition codes, no exception flag, TOP 0, the operands in ST(0) and ST(1),
 * empty operands tagged empty and, for a push onto a full register, ST(7) valid. */
typedef struct X87Io {
    X87Reg mem;             /* m16/m32/m64 (low bytes) or m80 operand */
    uint8_t img[108];
    X87Reg in[2];           /* fast run: ST(0), ST(1) */
    X87Reg out[3];          /* ST(0..2) after */
    uint32_t env_out[7];    /* the environment after the instruction (stack faults) */
    uint16_t cw;            /* fast run: the guest FCW */
    uint16_t nflags;        /* fast run: exception flags (and SF) the guest has not set */
    uint16_t hcw;           /* host FCW to restore */
    uint16_t sw0, sw;       /* host FSW before (TOP) and after the instruction */
    uint8_t ah;             /* AH (SAHF/LAHF: SF ZF AF PF CF) before and after */
    uint8_t empty;          /* an operand was empty: env_out holds the tags after */
} X87Io;

#define X87_HOST_FCW 0x037f
/* AH before F(U)COMI: SF and AF set, which they clear when they write the flags. */
#define X87_AH_UNTOUCHED 0x90

/* Defines static void name(X87Io *io) running the instruction bytes (a string of ".byte"
 * values; ST(1) is the second operand, [rdi] the memory one). The flags are cleared
 * after the instruction only if it left an unmasked one (ES), so that the stores cannot
 * trap; the next run starts from FRSTOR anyway. EMMS leaves every register empty, as the
 * ABI wants. */
#define X87_HOST_OP(name, bytes)                                                        \
    static void name(X87Io *io)                                                         \
    {                                                                                   \
        __asm__ volatile("frstor %c[img](%%rdi)\n\t"                                    \
                         "movb %c[ah](%%rdi), %%ah\n\t"                                  \
                         "sahf\n\t"                                                     \
                         ".byte " bytes "\n\t"                                          \
                         "fnstsw %c[sw](%%rdi)\n\t"                                     \
                         "lahf\n\t"                                                     \
                         "movb %%ah, %c[ah](%%rdi)\n\t"                                  \
                         "testb $1, %c[em](%%rdi)\n\t"                                   \
                         "jz 1f\n\t"                                                    \
                         "fnstenv %c[envo](%%rdi)\n"                                     \
                         "1:\ttestb $0x80, %c[sw](%%rdi)\n\t"                             \
                         "jz 2f\n\t"                                                    \
                         "fnclex\n"                                                     \
                         "2:\tfldcw %c[hcw](%%rdi)\n\t"                                  \
                         "fstpt %c[o0](%%rdi)\n\t"                                      \
                         "fstpt %c[o1](%%rdi)\n\t"                                      \
                         "fstpt %c[o2](%%rdi)\n\t"                                      \
                         "emms\n\t"                                                     \
                         :                                                              \
                         : "D"(io), [img] "i"(offsetof(X87Io, img)),                    \
                           [o0] "i"(offsetof(X87Io, out[0])),                           \
                           [o1] "i"(offsetof(X87Io, out[1])),                           \
                           [o2] "i"(offsetof(X87Io, out[2])),                           \
                           [hcw] "i"(offsetof(X87Io, hcw)),                             \
                           [envo] "i"(offsetof(X87Io, env_out)),                        \
                           [sw] "i"(offsetof(X87Io, sw)),                               \
                           [ah] "i"(offsetof(X87Io, ah)), [em] "i"(offsetof(X87Io, empty)) \
                         : "memory", "cc", "rax", "st", "st(1)", "st(2)", "st(3)", "st(4)", \
                           "st(5)", "st(6)", "st(7)");                                  \
    }

/* The fast run, for an instruction whose exceptions are all masked and whose operands
 * and destination raise no stack fault (the common case): the host's exception flags are
 * kept a subset of the guest's (cleared only when they are not: then the flags after the
 * instruction are exactly what to OR into the guest's), the guest FCW is loaded with
 * FLDCW, the operands with FLD, and the nout values the host stack holds afterwards are
 * stored back. Condition codes other than those the instruction always writes are the
 * guest's (X87Desc.fastcc). */
#define X87_FAST_LOADS0 ""
#define X87_FAST_LOADS1 "fldt %c[i0](%%rdi)\n\t"
#define X87_FAST_LOADS2 "fldt %c[i1](%%rdi)\n\t" X87_FAST_LOADS1
#define X87_FAST_STORES0 ""
#define X87_FAST_STORES1 "fstpt %c[o0](%%rdi)\n\t"
#define X87_FAST_STORES2 X87_FAST_STORES1 "fstpt %c[o1](%%rdi)\n\t"
#define X87_FAST_STORES3 X87_FAST_STORES2 "fstpt %c[o2](%%rdi)\n\t"

#define X87_FAST_OP(name, nin, nout, bytes)                                             \
    static void name##_fast(X87Io *io)                                                  \
    {                                                                                   \
        __asm__ volatile("fnstsw %%ax\n\t"                                               \
                         "testw %c[nf](%%rdi), %%ax\n\t"                                 \
                         "jz 1f\n\t"                                                    \
                         "fnclex\n"                                                     \
                         "1:\tfldcw %c[cw](%%rdi)\n\t"                                   \
                         X87_FAST_LOADS##nin                                            \
                         "fnstsw %c[sw0](%%rdi)\n\t"                                    \
                         "movb %c[ah](%%rdi), %%ah\n\t"                                  \
                         "sahf\n\t"                                                     \
                         ".byte " bytes "\n\t"                                          \
                         "fnstsw %c[sw](%%rdi)\n\t"                                     \
                         "lahf\n\t"                                                     \
                         "movb %%ah, %c[ah](%%rdi)\n\t"                                  \
                         "fldcw %c[hcw](%%rdi)\n\t"                                     \
                         X87_FAST_STORES##nout                                          \
                         :                                                              \
                         : "D"(io), [i0] "i"(offsetof(X87Io, in[0])),                   \
                           [i1] "i"(offsetof(X87Io, in[1])),                            \
                           [o0] "i"(offsetof(X87Io, out[0])),                           \
                           [o1] "i"(offsetof(X87Io, out[1])),                           \
                           [o2] "i"(offsetof(X87Io, out[2])),                           \
                           [cw] "i"(offsetof(X87Io, cw)), [hcw] "i"(offsetof(X87Io, hcw)), \
                           [nf] "i"(offsetof(X87Io, nflags)),                           \
                           [sw0] "i"(offsetof(X87Io, sw0)), [sw] "i"(offsetof(X87Io, sw)), \
                           [ah] "i"(offsetof(X87Io, ah))                                \
                         : "memory", "cc", "rax", "st", "st(1)", "st(2)", "st(3)", "st(4)", \
                           "st(5)", "st(6)", "st(7)");                                  \
    }

typedef void (*X87HostFn)(X87Io *io);

#endif
