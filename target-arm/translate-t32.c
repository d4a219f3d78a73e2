/* The T32 (Thumb-2) decoder of ARMv7-A (ARM ARM DDI0406C A6): work in progress. */
#include "target-arm/translate.h"

void disas_t32(DisasContext *s, uint32_t insn, bool is32)
{
    gen_undef(s);
}
