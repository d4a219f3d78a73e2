/* x86 AVX/AVX2: the VEX forms of SSE..SSE4.1 vector operations (Intel SDM vol. 2, the "VEX"
 * lines of each instruction): three operands (d = reg, a = VEX.vvvv, b = rm), VEX.L
 * selecting 128 or 256 bits (256-bit integer forms are AVX2), no alignment requirement,
 * bits 255:128 cleared by VEX.128; scalar forms take bits 127:32/64 from VEX.vvvv. The
 * operations are the sse helper's vector layer (vec.h). Each form is a row of
 * x86_avx_sse_ops, which the differential tester also reads to generate its cases; the
 * 0F 71-73 shifts by imm8 have their own emitter (VEX.vvvv is their destination). */
#include "target-i386/avx.h"
#include "target-i386/cpuid.h"
#include "target-i386/translate-avx.h"
#include "target-i386/translate-sse.h"

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
#define AES AVXS_AES

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
    /* compares with the 32 VEX predicates (vec-fp-vcmp.c) */
    R(1, 0, 0xc2, vcmpps, IM), R(1, 1, 0xc2, vcmppd, IM), R(1, 2, 0xc2, vcmpss, S4 | IM),
    R(1, 3, 0xc2, vcmpsd, S8 | IM),
    /* VEX.128 only: PHMINPOSUW, AES-NI, PCLMULQDQ */
    R(2, 1, 0x41, phminposuw, I | U | L0), R(2, 1, 0xdc, aesenc, I | L0 | AES),
    R(2, 1, 0xdd, aesenclast, I | L0 | AES), R(2, 1, 0xde, aesdec, I | L0 | AES),
    R(2, 1, 0xdf, aesdeclast, I | L0 | AES), R(2, 1, 0xdb, aesimc, I | U | L0 | AES),
    R(3, 1, 0xdf, aeskeygenassist, I | U | IM | L0 | AES),
    R(3, 1, 0x44, pclmulqdq, I | IM | L0 | AVXS_PCLMUL),
};
#undef R
#undef U
#undef I
#undef IM
#undef S4
#undef S8
#undef C16
#undef L0
#undef H
#undef Q
#undef O
#undef N
#undef AES

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

/* ---- the VEX forms of SSE operations (rows of translate-avx-sse.c) -------------------- */

/* The CPUID feature a row needs besides AVX/AVX2 (AES-NI, PCLMULQDQ); true if offered. */
static bool row_feature(DisasContext *s, unsigned f)
{
    if (f & AVXS_AES) {
        return x86_need_feature(s, FEAT_1_ECX, CPUID_EXT_AES);
    }
    if (f & AVXS_PCLMUL) {
        return x86_need_feature(s, FEAT_1_ECX, CPUID_EXT_PCLMULQDQ);
    }
    return true;
}

void x86_emit_avx_sse(DisasContext *s, const X86OpEntry *e)
{
    const AvxSseOp *o = x86_avx_sse_find((int)(s->opcode >> 8), s->vex_pp,
                                         (int)(s->opcode & 0xff));
    unsigned f = o->flags;
    bool scalar = f & (AVXS_S4 | AVXS_S8);
    unsigned need = ((f & AVXS_UNARY) ? AVX_NOV : 0) | ((f & AVXS_L0) ? AVX_L0 : 0) |
                    (((f & AVXS_INT) && s->vex_l) ? AVX_2 : 0) | ((f & AVXS_IS4) ? AVX_W0 : 0);
    if (!x86_avx_check(s, need) || !row_feature(s, f)) {
        return;
    }
    int len = scalar ? 16 : (s->vex_l ? 32 : 16);
    int mem = scalar ? ((f & AVXS_S4) ? 4 : 8) : (f & AVXS_C16) ? 16 :
              ((f & AVXS_M8) && len == 16) ? 8 : len >> ((f >> AVXS_MEM_SHIFT) & 3);
    intptr_t b = x86_avx_rm_vec(s, mem);
    /* VBLENDV*: the helper takes the mask register's number as its imm */
    int imm = (f & AVXS_IS4) ? (int)(s->imm >> 4) & (s->code64 ? 15 : 7) : (int)s->imm;
    x86_gen_vec_call(s, o->fn, x86_vec_ofs(s->reg), x86_vec_ofs(s->vex_v), b,
                     X86_VDESC(len, imm));
    if (len == 16 || (f & AVXS_NARROW)) {   /* VEX.128, scalar and narrowing forms */
        tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, x86_vec_ofs(s->reg) + 16);
        tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, x86_vec_ofs(s->reg) + 24);
    }
}

/* ---- VPSRLW/VPSRAW/VPSLLW (71), D (72), Q and DQ (73) by imm8: dest = vvvv, source =
 * rm (a register); arg: the row --------------------------------------------------------- */

static const TCGHelperInfo *const shift_imm_fn[3][8] = {
    { [2] = &x86_info_vec_psrlwi, [4] = &x86_info_vec_psrawi, [6] = &x86_info_vec_psllwi },
    { [2] = &x86_info_vec_psrldi, [4] = &x86_info_vec_psradi, [6] = &x86_info_vec_pslldi },
    { [2] = &x86_info_vec_psrlqi, [3] = &x86_info_vec_psrldqi, [6] = &x86_info_vec_psllqi,
      [7] = &x86_info_vec_pslldqi },
};

void x86_emit_avx_shift_imm(DisasContext *s, const X86OpEntry *e)
{
    const TCGHelperInfo *fn = shift_imm_fn[e->arg][(s->modrm >> 3) & 7];
    if (!fn || s->mod != 3) {
        x86_gen_illegal(s);
        return;
    }
    if (!x86_avx_check(s, s->vex_l ? AVX_2 : 0)) {
        return;
    }
    intptr_t b = x86_vec_ofs(s->rm);
    x86_gen_vec_call(s, fn, x86_vec_ofs(s->vex_v), b, b, X86_VDESC(s->vex_l ? 32 : 16, s->imm));
    x86_avx_zero_upper(s, s->vex_v);
}
