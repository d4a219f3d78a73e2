/* The IR optimizer: constant folding, copy propagation, algebraic simplification,
 * branch folding and unreachable-code removal (docs/tcg.md "Middle end"). */
#include "tcg/tcg.h"

void tcg_optimize(TCGContext *s)
{
    (void)s;    /* first version: no transformation */
}
