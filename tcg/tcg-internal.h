/* Declarations shared by the files of tcg/ only (not part of the IR API). */
#ifndef TCG_TCG_INTERNAL_H
#define TCG_TCG_INTERNAL_H

#include "tcg/tcg.h"

/* The interned constant (type, val), created if needed; NULL if the temp table is full
 * (unlike tcg_constant_internal, does not mark the context as overflowed). */
TCGTemp *tcg_constant_try(TCGContext *s, TCGType type, uint64_t val);

/* Known bits of a value (tcg/optimize-bits.c): z has a 0 for every bit known to be 0,
 * o a 1 for every bit known to be 1 (o is inside z; z == o: the value is the constant o);
 * the value is the sign extension of its low sext bits (sext = the width: unknown). */
typedef struct TCGBits {
    uint64_t z;
    uint64_t o;
    uint8_t sext;
} TCGBits;
#define TCG_BITS_ZERO 16        /* tcg_bits_simplify: the output is 0 */
TCGBits tcg_bits_const(uint64_t v, bool is64);
/* Nothing known (inline: the optimizer calls it for every temp it writes). */
static inline TCGBits tcg_bits_unknown(bool is64)
{
    return (TCGBits){ .z = is64 ? ~0ull : 0xffffffffull, .o = 0, .sext = is64 ? 64 : 32 };
}
/* What the bits of opc's output depend on: nothing (they are unknown, and
 * tcg_bits_simplify gives -1), the opcode and its constant args only (in and vb are not
 * read: they may be NULL), or the inputs' bits. The optimizer asks first, so that most
 * ops (add, sub, loads of a whole word...) skip the inputs' bits. */
typedef enum TCGBitsDep {
    TCG_BITS_OF_NOTHING, TCG_BITS_OF_OPCODE, TCG_BITS_OF_INPUTS,
} TCGBitsDep;
TCGBitsDep tcg_bits_dep(TCGOpcode opc);
/* The bits of the (single) output of opc; vb: input 1's value if constant, else NULL. */
TCGBits tcg_bits_output(TCGOpcode opc, const TCGBits *in, const uint64_t *vb,
                        const TCGArg *cargs, bool is64);
/* An extension or mask that cannot change its input: the index of the input the output
 * equals, TCG_BITS_ZERO if the output is 0, else -1. */
int tcg_bits_simplify(TCGOpcode opc, const TCGBits *in, const uint64_t *vb,
                      const TCGArg *cargs, bool is64);

/* The context's work memory number slot (TCG_SCRATCH_*), at least size bytes; its
 * contents are left over from the previous user. The BACKEND slots are the back end's
 * (the x86-64 back end's generator state and its growing arrays). */
enum {
    TCG_SCRATCH_OPT, TCG_SCRATCH_LA_LABELS, TCG_SCRATCH_LA_TEMPS,
    TCG_SCRATCH_BACKEND0, TCG_SCRATCH_BACKEND1, TCG_SCRATCH_BACKEND2,
    TCG_SCRATCH_BACKEND3, TCG_SCRATCH_BACKEND4, TCG_SCRATCH_BACKEND5,
    TCG_SCRATCH_BACKEND6,
};
void *tcg_scratch(TCGContext *s, int slot, size_t size);
/* The same, but a slot that grows keeps its first old-size bytes. */
void *tcg_scratch_grow(TCGContext *s, int slot, size_t size);

#endif
