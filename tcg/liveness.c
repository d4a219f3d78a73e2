/* Liveness analysis: which temp arguments die at each op, which global writes must be
 * synced to memory, and removal of ops whose results nothing reads (docs/tcg.md). */
#include "tcg/tcg.h"

void tcg_liveness(TCGContext *s)
{
    /* first version: nothing dies early; every global output is synced */
    for (int i = 0; i < s->nb_ops; i++) {
        TCGOp *op = &s->ops[i];
        op->life = 0;
        for (int a = 0; a < op->nb_oargs; a++) {
            TCGTemp *t = &s->temps[op->args[a]];
            if (t->kind == TEMP_GLOBAL || t->kind == TEMP_TB) {
                op->life |= SYNC_ARG(a);
            }
        }
    }
}
