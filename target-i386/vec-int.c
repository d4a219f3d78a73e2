/* Integer vector arithmetic of MMX and SSE2 (SDM 2 PADD*, PSUB*, PMUL*, PMADDWD, PSADBW,
 * PAVG*, PMIN/PMAX*, PCMPEQ/PCMPGT*, the logic ops): element-wise, one helper per
 * operation for XMM/YMM and one for MMX (vec-int.h). */
#include <stdlib.h>
#include "target-i386/vec-int.h"

VEC_ELEMS(paddb, b, A + B) BOTH_WRAP(paddb);
VEC_ELEMS(paddw, w, A + B) BOTH_WRAP(paddw);
VEC_ELEMS(paddd, l, A + B) BOTH_WRAP(paddd);
VEC_ELEMS(paddq, q, A + B) BOTH_WRAP(paddq);
VEC_ELEMS(psubb, b, A - B) BOTH_WRAP(psubb);
VEC_ELEMS(psubw, w, A - B) BOTH_WRAP(psubw);
VEC_ELEMS(psubd, l, A - B) BOTH_WRAP(psubd);
VEC_ELEMS(psubq, q, A - B) BOTH_WRAP(psubq);
VEC_ELEMS(paddsb, sb, sat_s8(A + B)) BOTH_WRAP(paddsb);
VEC_ELEMS(paddsw, sw, sat_s16(A + B)) BOTH_WRAP(paddsw);
VEC_ELEMS(paddusb, b, sat_u8(A + B)) BOTH_WRAP(paddusb);
VEC_ELEMS(paddusw, w, sat_u16(A + B)) BOTH_WRAP(paddusw);
VEC_ELEMS(psubsb, sb, sat_s8(A - B)) BOTH_WRAP(psubsb);
VEC_ELEMS(psubsw, sw, sat_s16(A - B)) BOTH_WRAP(psubsw);
VEC_ELEMS(psubusb, b, sat_u8(A - B)) BOTH_WRAP(psubusb);
VEC_ELEMS(psubusw, w, sat_u16(A - B)) BOTH_WRAP(psubusw);
VEC_ELEMS(pmullw, w, (uint16_t)((uint32_t)A * B)) BOTH_WRAP(pmullw);
VEC_ELEMS(pmulhw, sw, (int16_t)((A * B) >> 16)) BOTH_WRAP(pmulhw);
VEC_ELEMS(pmulhuw, w, (uint16_t)(((uint32_t)A * B) >> 16)) BOTH_WRAP(pmulhuw);
VEC_ELEMS(pmuludq, q, (A & 0xffffffffu) * (B & 0xffffffffu)) BOTH_WRAP(pmuludq);
VEC_ELEMS(pavgb, b, (uint8_t)((A + B + 1) >> 1)) BOTH_WRAP(pavgb);
VEC_ELEMS(pavgw, w, (uint16_t)((A + B + 1) >> 1)) BOTH_WRAP(pavgw);
VEC_ELEMS(pminub, b, A < B ? A : B) BOTH_WRAP(pminub);
VEC_ELEMS(pmaxub, b, A > B ? A : B) BOTH_WRAP(pmaxub);
VEC_ELEMS(pminsw, sw, A < B ? A : B) BOTH_WRAP(pminsw);
VEC_ELEMS(pmaxsw, sw, A > B ? A : B) BOTH_WRAP(pmaxsw);
VEC_ELEMS(pcmpeqb, b, A == B ? 0xff : 0) BOTH_WRAP(pcmpeqb);
VEC_ELEMS(pcmpeqw, w, A == B ? 0xffff : 0) BOTH_WRAP(pcmpeqw);
VEC_ELEMS(pcmpeqd, l, A == B ? 0xffffffffu : 0) BOTH_WRAP(pcmpeqd);
VEC_ELEMS(pcmpgtb, sb, A > B ? -1 : 0) BOTH_WRAP(pcmpgtb);
VEC_ELEMS(pcmpgtw, sw, A > B ? -1 : 0) BOTH_WRAP(pcmpgtw);
VEC_ELEMS(pcmpgtd, sl, A > B ? -1 : 0) BOTH_WRAP(pcmpgtd);
VEC_ELEMS(pand, q, A & B) BOTH_WRAP(pand);
VEC_ELEMS(pandn, q, ~A & B) BOTH_WRAP(pandn);
VEC_ELEMS(por, q, A | B) BOTH_WRAP(por);
VEC_ELEMS(pxor, q, A ^ B) BOTH_WRAP(pxor);

/* PMADDWD: pairs of signed word products summed into doublewords (0x8000 * 0x8000 * 2
 * wraps to 0x80000000 as on hardware). */
static void do_pmaddwd(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                       unsigned imm)
{
    for (unsigned i = 0; i < len / 4; i++) {
        int64_t p = (int64_t)a->sw[2 * i] * b->sw[2 * i] +
                    (int64_t)a->sw[2 * i + 1] * b->sw[2 * i + 1];
        r->l[i] = (uint32_t)p;
    }
}
BOTH_WRAP(pmaddwd);

/* PSADBW: per quadword, the sum of the absolute byte differences in its low word. */
static void do_psadbw(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                      unsigned imm)
{
    for (unsigned i = 0; i < len / 8; i++) {
        unsigned sum = 0;
        for (unsigned j = 0; j < 8; j++) {
            sum += (unsigned)abs(a->b[8 * i + j] - b->b[8 * i + j]);
        }
        r->q[i] = sum;
    }
}
BOTH_WRAP(psadbw);
