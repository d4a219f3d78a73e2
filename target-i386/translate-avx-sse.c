/* x86 AVX/AVX2: the VEX forms of SSE..SSE4.1 vector operations (Intel SDM vol. 2, the "VEX"
 * lines of each instruction): three operands (d = reg, a = VEX.vvvv, b = rm), VEX.L
 * selecting 128 or 256 bits (256-bit integer forms are AVX2), no alignment requirement,
 * bits 255:128 cleared by VEX.128; scalar forms take bits 127:32/64 from VEX.vvvv. The
 * operations are the sse helper's vector layer (vec.h). Each form is a row of
 * x86_avx_sse_ops, which the differential tester also reads to generate its cases. */
#include "target-i386/avx.h"
#include "target-i386/cpuid.h"
#include "target-i386/translate.h"
#include "target-i386/vec.h"

#define R(map, pp, op, nm, fl) { map, pp, op, fl, &x86_info_vec_##nm }
#define U AVXS_UNARY
#define I AVXS_INT
#define IM AVXS_IMM
#define S4 AVXS_S4
#define S8 AVXS_S8
#define C16 AVXS_C16
#define L0 AVXS_L0
#define H AVXS_MEM(1)
#define Q AVXS_MEM(2)
#define O AVXS_MEM(3)
#define N AVXS_NARROW

const AvxSseOp x86_avx_sse_ops[] = {
    /* FP packed (map 0F unless noted; pp 0 = PS, 1 = PD) */
    R(1, 0, 0x58, addps, 0), R(1, 1, 0x58, addpd, 0), R(1, 0, 0x5c, subps, 0),
    R(1, 1, 0x5c, subpd, 0), R(1, 0, 0x59, mulps, 0), R(1, 1, 0x59, mulpd, 0),
    R(1, 0, 0x5e, divps, 0), R(1, 1, 0x5e, divpd, 0), R(1, 0, 0x5d, minps, 0),
    R(1, 1, 0x5d, minpd, 0), R(1, 0, 0x5f, maxps, 0), R(1, 1, 0x5f, maxpd, 0),
    R(1, 0, 0x51, sqrtps, U), R(1, 1, 0x51, sqrtpd, U), R(1, 0, 0x53, rcpps, U),
    R(1, 0, 0x52, rsqrtps, U), R(1, 3, 0xd0, addsubps, 0), R(1, 1, 0xd0, addsubpd, 0),
    R(1, 3, 0x7c, haddps, 0), R(1, 1, 0x7c, haddpd, 0), R(1, 3, 0x7d, hsubps, 0),
    R(1, 1, 0x7d, hsubpd, 0), R(1, 0, 0x14, unpcklps, 0), R(1, 1, 0x14, unpcklpd, 0),
    R(1, 0, 0x15, unpckhps, 0), R(1, 1, 0x15, unpckhpd, 0), R(1, 0, 0xc6, shufps, IM),
    R(1, 1, 0xc6, shufpd, IM), R(1, 0, 0x5b, cvtdq2ps, U), R(1, 1, 0x5b, cvtps2dq, U),
    R(1, 2, 0x5b, cvttps2dq, U), R(1, 0, 0x54, pand, 0), R(1, 1, 0x54, pand, 0),
    R(1, 0, 0x55, pandn, 0), R(1, 1, 0x55, pandn, 0), R(1, 0, 0x56, por, 0),
    R(1, 1, 0x56, por, 0), R(1, 0, 0x57, pxor, 0), R(1, 1, 0x57, pxor, 0),
    R(1, 2, 0x12, movsldup, U), R(1, 2, 0x16, movshdup, U), R(1, 3, 0x12, movddup, U | AVXS_M8),
    R(3, 1, 0x08, roundps, U | IM), R(3, 1, 0x09, roundpd, U | IM),
    R(3, 1, 0x0c, blendps, IM), R(3, 1, 0x0d, blendpd, IM), R(3, 1, 0x40, dpps, IM),
    R(3, 1, 0x41, dppd, IM | L0),
    /* FP scalar (pp 2 = SS, 3 = SD): element 0 computed, the rest of bits 127:0 from vvvv */
    R(1, 2, 0x58, addss, S4), R(1, 3, 0x58, addsd, S8), R(1, 2, 0x5c, subss, S4),
    R(1, 3, 0x5c, subsd, S8), R(1, 2, 0x59, mulss, S4), R(1, 3, 0x59, mulsd, S8),
    R(1, 2, 0x5e, divss, S4), R(1, 3, 0x5e, divsd, S8), R(1, 2, 0x5d, minss, S4),
    R(1, 3, 0x5d, minsd, S8), R(1, 2, 0x5f, maxss, S4), R(1, 3, 0x5f, maxsd, S8),
    R(1, 2, 0x51, sqrtss, S4), R(1, 3, 0x51, sqrtsd, S8), R(1, 2, 0x53, rcpss, S4),
    R(1, 2, 0x52, rsqrtss, S4), R(1, 2, 0x5a, cvtss2sd, S4), R(1, 3, 0x5a, cvtsd2ss, S8),
    R(3, 1, 0x0a, roundss, S4 | IM), R(3, 1, 0x0b, roundsd, S8 | IM),
    /* integer (66) */
    R(1, 1, 0xfc, paddb, I), R(1, 1, 0xfd, paddw, I), R(1, 1, 0xfe, paddd, I),
    R(1, 1, 0xd4, paddq, I), R(1, 1, 0xf8, psubb, I), R(1, 1, 0xf9, psubw, I),
    R(1, 1, 0xfa, psubd, I), R(1, 1, 0xfb, psubq, I), R(1, 1, 0xec, paddsb, I),
    R(1, 1, 0xed, paddsw, I), R(1, 1, 0xdc, paddusb, I), R(1, 1, 0xdd, paddusw, I),
    R(1, 1, 0xe8, psubsb, I), R(1, 1, 0xe9, psubsw, I), R(1, 1, 0xd8, psubusb, I),
    R(1, 1, 0xd9, psubusw, I), R(1, 1, 0xd5, pmullw, I), R(1, 1, 0xe5, pmulhw, I),
    R(1, 1, 0xe4, pmulhuw, I), R(1, 1, 0xf4, pmuludq, I), R(1, 1, 0xf5, pmaddwd, I),
    R(1, 1, 0xf6, psadbw, I), R(1, 1, 0xe0, pavgb, I), R(1, 1, 0xe3, pavgw, I),
    R(1, 1, 0xda, pminub, I), R(1, 1, 0xde, pmaxub, I), R(1, 1, 0xea, pminsw, I),
    R(1, 1, 0xee, pmaxsw, I), R(1, 1, 0x74, pcmpeqb, I), R(1, 1, 0x75, pcmpeqw, I),
    R(1, 1, 0x76, pcmpeqd, I), R(1, 1, 0x64, pcmpgtb, I), R(1, 1, 0x65, pcmpgtw, I),
    R(1, 1, 0x66, pcmpgtd, I), R(1, 1, 0x63, packsswb, I), R(1, 1, 0x67, packuswb, I),
    R(1, 1, 0x6b, packssdw, I), R(1, 1, 0x60, punpcklbw, I), R(1, 1, 0x61, punpcklwd, I),
    R(1, 1, 0x62, punpckldq, I), R(1, 1, 0x68, punpckhbw, I), R(1, 1, 0x69, punpckhwd, I),
    R(1, 1, 0x6a, punpckhdq, I), R(1, 1, 0x6c, punpcklqdq, I), R(1, 1, 0x6d, punpckhqdq, I),
    R(1, 1, 0xdb, pand, I), R(1, 1, 0xdf, pandn, I), R(1, 1, 0xeb, por, I),
    R(1, 1, 0xef, pxor, I), R(1, 1, 0x70, pshufd, I | U | IM), R(1, 2, 0x70, pshufhw, I | U | IM),
    R(1, 3, 0x70, pshuflw, I | U | IM), R(1, 1, 0xd1, psrlw, I | C16),
    R(1, 1, 0xd2, psrld, I | C16), R(1, 1, 0xd3, psrlq, I | C16), R(1, 1, 0xe1, psraw, I | C16),
    R(1, 1, 0xe2, psrad, I | C16), R(1, 1, 0xf1, psllw, I | C16), R(1, 1, 0xf2, pslld, I | C16),
    R(1, 1, 0xf3, psllq, I | C16),
    /* integer, 0F 38 and 0F 3A (66) */
    R(2, 1, 0x00, pshufb, I), R(2, 1, 0x01, phaddw, I), R(2, 1, 0x02, phaddd, I),
    R(2, 1, 0x03, phaddsw, I), R(2, 1, 0x04, pmaddubsw, I), R(2, 1, 0x05, phsubw, I),
    R(2, 1, 0x06, phsubd, I), R(2, 1, 0x07, phsubsw, I), R(2, 1, 0x08, psignb, I),
    R(2, 1, 0x09, psignw, I), R(2, 1, 0x0a, psignd, I), R(2, 1, 0x0b, pmulhrsw, I),
    R(2, 1, 0x1c, pabsb, I | U), R(2, 1, 0x1d, pabsw, I | U), R(2, 1, 0x1e, pabsd, I | U),
    R(2, 1, 0x28, pmuldq, I), R(2, 1, 0x29, pcmpeqq, I), R(2, 1, 0x2b, packusdw, I),
    R(2, 1, 0x37, pcmpgtq, I), R(2, 1, 0x38, pminsb, I), R(2, 1, 0x39, pminsd, I),
    R(2, 1, 0x3a, pminuw, I), R(2, 1, 0x3b, pminud, I), R(2, 1, 0x3c, pmaxsb, I),
    R(2, 1, 0x3d, pmaxsd, I), R(2, 1, 0x3e, pmaxuw, I), R(2, 1, 0x3f, pmaxud, I),
    R(2, 1, 0x40, pmulld, I), R(3, 1, 0x0f, palignr, I | IM), R(3, 1, 0x0e, pblendw, I | IM),
    R(3, 1, 0x42, mpsadbw, I | IM),
    /* widening (the source is half, a quarter or an eighth of the length) and narrowing */
    R(2, 1, 0x20, pmovsxbw, I | U | H), R(2, 1, 0x21, pmovsxbd, I | U | Q),
    R(2, 1, 0x22, pmovsxbq, I | U | O), R(2, 1, 0x23, pmovsxwd, I | U | H),
    R(2, 1, 0x24, pmovsxwq, I | U | Q), R(2, 1, 0x25, pmovsxdq, I | U | H),
    R(2, 1, 0x30, pmovzxbw, I | U | H), R(2, 1, 0x31, pmovzxbd, I | U | Q),
    R(2, 1, 0x32, pmovzxbq, I | U | O), R(2, 1, 0x33, pmovzxwd, I | U | H),
    R(2, 1, 0x34, pmovzxwq, I | U | Q), R(2, 1, 0x35, pmovzxdq, I | U | H),
    R(1, 0, 0x5a, cvtps2pd, U | H), R(1, 2, 0xe6, cvtdq2pd, U | H),
    R(1, 1, 0x5a, cvtpd2ps, U | N), R(1, 3, 0xe6, cvtpd2dq, U | N),
    R(1, 1, 0xe6, cvttpd2dq, U | N),
    /* four operands: the mask register in imm8[7:4] */
    R(3, 1, 0x4a, blendvps, IM | AVXS_IS4), R(3, 1, 0x4b, blendvpd, IM | AVXS_IS4),
    R(3, 1, 0x4c, pblendvb, I | IM | AVXS_IS4),
};

const unsigned x86_avx_sse_nb_ops = sizeof(x86_avx_sse_ops) / sizeof(x86_avx_sse_ops[0]);

const AvxSseOp *x86_avx_sse_find(int map, int pp, int op)
{
    for (unsigned i = 0; i < x86_avx_sse_nb_ops; i++) {
        const AvxSseOp *o = &x86_avx_sse_ops[i];
        if (o->map == map && o->pp == pp && o->op == op) {
            return o;
        }
    }
    return NULL;
}
