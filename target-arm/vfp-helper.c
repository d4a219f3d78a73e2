/* VFP state reset (ARM ARM DDI0406C B1.11, VFPv3/VFPv4): FPEXC.EN clear, FPSCR 0. */
#include <string.h>
#include "target-arm/internals.h"

void arm_vfp_reset(ARMCPU *a)
{
    memset(a->vfp_d, 0, sizeof(a->vfp_d));
    a->fpscr = 0;
    a->fpexc = 0;
}
