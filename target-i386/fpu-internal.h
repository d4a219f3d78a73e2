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
 * forms or ST(1)), whether it pushes, which registers receive results, and the memory
 * operand. Condition codes all come from the host, which starts from the guest's. */
typedef struct X87Desc {
    X87HostFn fn;
    X87HostFn fast;             /* the fast run, NULL: none */
    uint8_t nin;
    uint8_t push;
    uint8_t wmask;
    uint8_t msize;
    uint16_t fastcc;            /* condition codes the fast run takes from the host */
} X87Desc;

extern const X87Desc x87_arith_reg[3][8];
extern const X87Desc x87_fucom[3];
extern const X87Desc x87_comi[4];
extern const X87Desc x87_d9_ops[32];
extern const X87Desc x87_moves[6];
extern const X87Desc x87_fcmov[8];
extern const X87Desc x87_mem_ops[8][8];

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
/* Runs d with ST(0) and ST(i) as operands, io->mem as the memory one and ah as the
 * host's AH for SAHF (the guest's flags for FCMOVcc); commits the results; io holds the
 * host run after (FCOMI flags in ah, the stored operand in mem). *stored is false if no
 * result may be written to memory (unmasked exception). */
void x87_run(X86CPU *x, const X87Desc *d, int i, X87Io *io, unsigned ah, bool *stored);

#endif
