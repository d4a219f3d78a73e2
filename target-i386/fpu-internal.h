/* Internal interface of the x87 helpers (fpu-*.c): the descriptors of the instructions
 * run on the host's x87 (fpu-host-ops.c) and the stack/status bookkeeping they share
 * (fpu-helper-arith.c). Intel SDM vol. 1 chapter 8. */
#ifndef TARGET_I386_FPU_INTERNAL_H
#define TARGET_I386_FPU_INTERNAL_H

#include "target-i386/fpu-host.h"
#include "target-i386/fpu.h"

enum {
    X87_W_NEW = 1 << 3,         /* wmask: the pushed register */
    X87_M_SIZE = 0x0f,          /* msize: operand bytes (2, 4, 8, 10) */
    X87_M_LOAD = 1 << 4,        /* the memory operand is read ... */
    X87_M_STORE = 1 << 5,       /* ... or written */
};

/* One instruction run on the host: nin stack operands (ST(0), then ST(i) for register
 * forms or ST(1)), whether it pushes, which registers receive results, which condition
 * codes come from the host, and the memory operand. */
typedef struct X87Desc {
    X87HostFn fn;
    uint8_t nin;
    uint8_t push;
    uint8_t wmask;
    uint16_t ccmask;
    uint8_t msize;
} X87Desc;

extern const X87Desc x87_arith_reg[3][8];
extern const X87Desc x87_fucom[3];
extern const X87Desc x87_comi[4];
extern const X87Desc x87_d9_ops[32];
extern const X87Desc x87_mem_ops[8][8];

/* The 80-bit QNaN floating-point indefinite. */
static inline X87Reg x87_indefinite(void)
{
    return (X87Reg){ .mant = 0xc000000000000000ull, .sexp = 0xffff };
}

static inline int x87_phys(const X86CPU *x, int i)
{
    return (x->fpstt + i) & 7;
}

static inline bool x87_empty(const X86CPU *x, int i)
{
    return x->fptags[x87_phys(x, i)] != 0;
}

/* Records exception flags exc (FSW_IE...); sets ES and B if one is unmasked. */
void x87_raise_flags(X86CPU *x, unsigned exc);
/* Stack overflow (push onto a full register) or underflow (empty operand): IE, SF, C1
 * = 1 / 0. Returns true if IE is masked (the masked response applies). */
bool x87_stack_fault(X86CPU *x, bool overflow);
/* Pushes v (TOP - 1, tag valid). */
void x87_push(X86CPU *x, X87Reg v);
void x87_pop(X86CPU *x);
/* Runs d with ST(0) and ST(i) (i for register forms, else 1) as operands and mem as the
 * memory image; commits the results; returns the host run (FCOMI flags, stored bytes).
 * *stored is false if no result may be written to memory (unmasked exception). */
void x87_run(X86CPU *x, const X87Desc *d, int i, X87Io *io, bool *stored);

#endif
