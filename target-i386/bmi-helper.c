/* Helpers of the BMI2 bit-scatter/gather instructions PDEP and PEXT (Intel SDM vol. 2):
 * pure functions of the source and the mask (32-bit forms get zero-extended operands). */
#include "target-i386/helper.h"

/* The bits of src, low first, placed at the set bits of mask. */
static uint64_t helper_pdep(uint64_t src, uint64_t mask)
{
    uint64_t res = 0;
    for (uint64_t bit = 1; mask; bit <<= 1) {
        uint64_t low = mask & -mask;
        if (src & bit) {
            res |= low;
        }
        mask &= mask - 1;
    }
    return res;
}

/* The bits of src at the set bits of mask, packed low first. */
static uint64_t helper_pext(uint64_t src, uint64_t mask)
{
    uint64_t res = 0;
    for (uint64_t bit = 1; mask; bit <<= 1) {
        uint64_t low = mask & -mask;
        if (src & low) {
            res |= bit;
        }
        mask &= mask - 1;
    }
    return res;
}

X86_HELPER_INFO(pdep, TCG_CALL_PURE, TCG_TYPE_I64, 2, TCG_TYPE_I64, TCG_TYPE_I64);
X86_HELPER_INFO(pext, TCG_CALL_PURE, TCG_TYPE_I64, 2, TCG_TYPE_I64, TCG_TYPE_I64);
