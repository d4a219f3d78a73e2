/* Declarations shared by the files of tcg/ only (not part of the IR API). */
#ifndef TCG_TCG_INTERNAL_H
#define TCG_TCG_INTERNAL_H

#include "tcg/tcg.h"

/* The interned constant (type, val), created if needed; NULL if the temp table is full
 * (unlike tcg_constant_internal, does not mark the context as overflowed). */
TCGTemp *tcg_constant_try(TCGContext *s, TCGType type, uint64_t val);

#endif
