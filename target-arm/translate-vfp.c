/* VFP and Advanced SIMD decoding (ARM ARM DDI0406C A7, A5.6): not implemented yet, every
 * such instruction is UNDEFINED (docs/limitations.md). */
#include "target-arm/translate.h"

bool disas_vfp(DisasContext *s, uint32_t insn)
{
    return false;
}

bool disas_neon_dp(DisasContext *s, uint32_t insn)
{
    return false;
}

bool disas_neon_ls(DisasContext *s, uint32_t insn)
{
    return false;
}
