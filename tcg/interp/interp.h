/* The interpreter back end (tcg/interp/): entry points shared by its files. */
#ifndef TCG_INTERP_INTERP_H
#define TCG_INTERP_INTERP_H

#include "tcg/tcg.h"

long interp_gen_code(TCGContext *s, void *buf_rw, const void *buf_rx, size_t size);
uintptr_t interp_exec(void *env, const void *tb_rx);
void interp_set_jmp_target(uintptr_t jmp_rx, ptrdiff_t rw_delta, uintptr_t target_rx);

#endif
