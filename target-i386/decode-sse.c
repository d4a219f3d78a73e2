/* Decode tables of the MMX and SSE..SSE4.2 / AES / PCLMULQDQ opcodes (SDM 2 appendix A,
 * tables ): for each opcode of the 0F, 0F 38 and 0F 3A maps, the instruction
 * of each mandatory-prefix column (none, 66, F3, F2), its emitter (translate-sse*.c),
 * helper (vec.h), CPUID feature and operand flags. */
#include "target-i386/translate-sse.h"

#define V(fn, feat, fl) { x86_sse_emit_vec, &x86_info_vec_##fn, SSE_FEAT_##feat, (fl), 0 }
#define MM(fn, feat, fl)                                                                \
    { x86_sse_emit_mmx, &x86_info_mmx_##fn, SSE_FEAT_##feat, SSE_F_MMX | (fl), 0 }
#define EM(em, feat, fl, a) { x86_sse_emit_##em, NULL, SSE_FEAT_##feat, (fl), (a) }
#define A SSE_F_ALIGN
#define M32 SSE_F_M32
#define M64 SSE_F_M64
#define REG SSE_F_REG
#define MEM SSE_F_MEM
#define MX SSE_F_MMX
#define COLS(...) { { __VA_ARGS__ } }
/* An integer operation with an MMX form (feature mf) and an SSE2 XMM form. */
#define INTF(fn, mf) COLS(MM(fn, mf, 0), V(fn, SSE2, A))
#define INT(fn) INTF(fn, MMX)
/* MMX punpckl* read only 32 bits of memory */
#define UNPL(fn) COLS(MM(fn, MMX, M32), V(fn, SSE2, A))
/* The four FP forms: ps, pd, ss, sd. */
#define SV(fn, feat, fl) { x86_sse_emit_scalar, &x86_info_sv_##fn, SSE_FEAT_##feat, (fl), 0 }
#define FP4(op) COLS(V(op##ps, SSE, A), V(op##pd, SSE2, A), SV(op##ss, SSE, M32),        \
                     SV(op##sd, SSE2, M64))
#define LOGIC(n) COLS(EM(logic, MMX, MX, n), EM(logic, SSE2, 0, n))
#define FPLOGIC(n) COLS(EM(logic, SSE, 0, n), EM(logic, SSE2, 0, n))
/* Inline integer operations (translate-sse-int.c): MMX (feature mf) and XMM forms. */
#define INL(mf, a) COLS(EM(int_inline, mf, MX, a), EM(int_inline, SSE2, A, a))
/* SSSE3: MMX and XMM forms */
#define S3(fn) COLS(MM(fn, SSSE3, 0), V(fn, SSSE3, A))
/* 66-only forms of SSE4.1 (and later) */
#define P66(fn, feat, fl) COLS({0}, V(fn, feat, fl))
#define E66(em, feat, fl, a) COLS({0}, EM(em, feat, fl, a))
#define SHIFTI(row) COLS(EM(shift_imm, MMX, MX | REG, row), EM(shift_imm, SSE2, REG, row))

const SseOpcode x86_sse_0f[256] = {
    [0x10] = COLS(EM(movu, SSE, 0, 0), EM(movu, SSE2, 0, 0), EM(movss, SSE, 0, 0),
                  EM(movsd, SSE2, 0, 0)),
    [0x11] = COLS(EM(movu, SSE, 0, 1), EM(movu, SSE2, 0, 1), EM(movss, SSE, 0, 1),
                  EM(movsd, SSE2, 0, 1)),
    [0x12] = COLS(EM(movlps, SSE, 0, 0), EM(movlpd, SSE2, MEM, 0), V(movsldup, SSE3, A),
                  V(movddup, SSE3, M64)),
    [0x13] = COLS(EM(movlps, SSE, MEM, 1), EM(movlpd, SSE2, MEM, 1)),
    [0x14] = COLS(V(unpcklps, SSE, A), V(unpcklpd, SSE2, A)),
    [0x15] = COLS(V(unpckhps, SSE, A), V(unpckhpd, SSE2, A)),
    [0x16] = COLS(EM(movhps, SSE, 0, 8), EM(movhpd, SSE2, MEM, 8), V(movshdup, SSE3, A)),
    [0x17] = COLS(EM(movhps, SSE, MEM, 9), EM(movhpd, SSE2, MEM, 9)),
    [0x28] = COLS(EM(mova, SSE, A, 0), EM(mova, SSE2, A, 0)),
    [0x29] = COLS(EM(mova, SSE, A, 1), EM(mova, SSE2, A, 1)),
    [0x2a] = COLS(EM(cvtpi2ps, SSE, 0, 0), EM(cvtpi2pd, SSE2, 0, 0), EM(cvtsi2s, SSE, 0, 0),
                  EM(cvtsi2s, SSE2, 0, 1)),
    [0x2b] = COLS(EM(movnt, SSE, A | MEM, 1), EM(movnt, SSE2, A | MEM, 1)),
    [0x2c] = COLS(EM(cvtps2pi, SSE, 0, 1), EM(cvtpd2pi, SSE2, 0, 1), EM(cvts2si, SSE, 0, 1),
                  EM(cvts2si, SSE2, 0, 3)),
    [0x2d] = COLS(EM(cvtps2pi, SSE, 0, 0), EM(cvtpd2pi, SSE2, 0, 0), EM(cvts2si, SSE, 0, 0),
                  EM(cvts2si, SSE2, 0, 2)),
    [0x2e] = COLS(EM(comis, SSE, 0, 0), EM(comis, SSE2, 0, 2)),
    [0x2f] = COLS(EM(comis, SSE, 0, 1), EM(comis, SSE2, 0, 3)),
    [0x50] = COLS(EM(movmskps, SSE, REG, 0), EM(movmskpd, SSE2, REG, 0)),
    [0x51] = FP4(sqrt),
    [0x52] = COLS(V(rsqrtps, SSE, A), {0}, V(rsqrtss, SSE, M32)),
    [0x53] = COLS(V(rcpps, SSE, A), {0}, V(rcpss, SSE, M32)),
    [0x54] = FPLOGIC(0), [0x55] = FPLOGIC(1), [0x56] = FPLOGIC(2), [0x57] = FPLOGIC(3),
    [0x58] = FP4(add), [0x59] = FP4(mul),
    [0x5a] = COLS(V(cvtps2pd, SSE2, M64), V(cvtpd2ps, SSE2, A), V(cvtss2sd, SSE2, M32),
                  V(cvtsd2ss, SSE2, M64)),
    [0x5b] = COLS(V(cvtdq2ps, SSE2, A), V(cvtps2dq, SSE2, A), V(cvttps2dq, SSE2, A)),
    [0x5c] = FP4(sub), [0x5d] = FP4(min), [0x5e] = FP4(div), [0x5f] = FP4(max),
    [0x60] = UNPL(punpcklbw), [0x61] = UNPL(punpcklwd), [0x62] = UNPL(punpckldq),
    [0x63] = INT(packsswb), [0x64] = INT(pcmpgtb), [0x65] = INT(pcmpgtw),
    [0x66] = INT(pcmpgtd), [0x67] = INT(packuswb), [0x68] = INT(punpckhbw),
    [0x69] = INT(punpckhwd), [0x6a] = INT(punpckhdq), [0x6b] = INT(packssdw),
    [0x6c] = COLS({0}, V(punpcklqdq, SSE2, A)),
    [0x6d] = COLS({0}, V(punpckhqdq, SSE2, A)),
    [0x6e] = COLS(EM(movd_to, MMX, MX, 0), EM(movd_to, SSE2, 0, 1)),
    [0x6f] = COLS(EM(movq_mm, MMX, MX, 0), EM(mova, SSE2, A, 0), EM(movu, SSE2, 0, 0)),
    [0x70] = COLS(MM(pshufw, SSE, 0), V(pshufd, SSE2, A), V(pshufhw, SSE2, A),
                  V(pshuflw, SSE2, A)),
    [0x71] = SHIFTI(0x71), [0x72] = SHIFTI(0x72), [0x73] = SHIFTI(0x73),
    [0x74] = INL(MMX, 8), [0x75] = INL(MMX, 9), [0x76] = INL(MMX, 10),
    [0x77] = COLS(EM(emms, MMX, MX, 0)),
    [0x7c] = COLS({0}, V(haddpd, SSE3, A), {0}, V(haddps, SSE3, A)),
    [0x7d] = COLS({0}, V(hsubpd, SSE3, A), {0}, V(hsubps, SSE3, A)),
    [0x7e] = COLS(EM(movd_from, MMX, MX, 0), EM(movd_from, SSE2, 0, 1),
                  EM(movq_xmm, SSE2, 0, 0)),
    [0x7f] = COLS(EM(movq_mm, MMX, MX, 1), EM(mova, SSE2, A, 1), EM(movu, SSE2, 0, 1)),
    [0xc2] = COLS(V(cmpps, SSE, A), V(cmppd, SSE2, A), V(cmpss, SSE, M32),
                  V(cmpsd, SSE2, M64)),
    [0xc3] = COLS(EM(movnti, SSE2, MEM | SSE_F_INT, 0)),
    [0xc4] = COLS(EM(pinsrw, SSE, MX, 0), EM(pinsrw, SSE2, 0, 0)),
    [0xc5] = COLS(EM(pextrw, SSE, MX | REG, 0), EM(pextrw, SSE2, REG, 0)),
    [0xc6] = COLS(V(shufps, SSE, A), V(shufpd, SSE2, A)),
    [0xd0] = COLS({0}, V(addsubpd, SSE3, A), {0}, V(addsubps, SSE3, A)),
    [0xd1] = INT(psrlw), [0xd2] = INT(psrld), [0xd3] = INT(psrlq),
    [0xd4] = INL(SSE2, 3), [0xd5] = INT(pmullw),
    [0xd6] = COLS({0}, EM(movq_st, SSE2, 0, 0), EM(movq2dq, SSE2, REG, 0),
                  EM(movdq2q, SSE2, REG, 0)),
    [0xd7] = COLS(EM(pmovmskb, SSE, MX | REG, 0), EM(pmovmskb, SSE2, REG, 0)),
    [0xd8] = INT(psubusb), [0xd9] = INT(psubusw), [0xda] = INTF(pminub, SSE),
    [0xdb] = LOGIC(0), [0xdc] = INT(paddusb), [0xdd] = INT(paddusw),
    [0xde] = INTF(pmaxub, SSE), [0xdf] = LOGIC(1),
    [0xe0] = INTF(pavgb, SSE), [0xe1] = INT(psraw), [0xe2] = INT(psrad),
    [0xe3] = INTF(pavgw, SSE), [0xe4] = INTF(pmulhuw, SSE), [0xe5] = INT(pmulhw),
    [0xe6] = COLS({0}, V(cvttpd2dq, SSE2, A), V(cvtdq2pd, SSE2, M64), V(cvtpd2dq, SSE2, A)),
    [0xe7] = COLS(EM(movntq, SSE, MX | MEM, 0), EM(movnt, SSE2, A | MEM, 1)),
    [0xe8] = INT(psubsb), [0xe9] = INT(psubsw), [0xea] = INTF(pminsw, SSE),
    [0xeb] = LOGIC(2), [0xec] = INT(paddsb), [0xed] = INT(paddsw),
    [0xee] = INTF(pmaxsw, SSE), [0xef] = LOGIC(3),
    [0xf0] = COLS({0}, {0}, {0}, EM(movu, SSE3, MEM, 0)),     /* LDDQU */
    [0xf1] = INT(psllw), [0xf2] = INT(pslld), [0xf3] = INT(psllq),
    [0xf4] = INTF(pmuludq, SSE2), [0xf5] = INT(pmaddwd), [0xf6] = INTF(psadbw, SSE),
    [0xf7] = COLS(EM(maskmov, SSE, MX | REG, 0), EM(maskmov, SSE2, REG, 0)),
    [0xf8] = INL(MMX, 4), [0xf9] = INL(MMX, 5), [0xfa] = INL(MMX, 6),
    [0xfb] = INL(SSE2, 7), [0xfc] = INL(MMX, 0), [0xfd] = INL(MMX, 1),
    [0xfe] = INL(MMX, 2),
};

const SseOpcode x86_sse_0f38[256] = {
    [0x00] = S3(pshufb), [0x01] = S3(phaddw), [0x02] = S3(phaddd), [0x03] = S3(phaddsw),
    [0x04] = S3(pmaddubsw), [0x05] = S3(phsubw), [0x06] = S3(phsubd), [0x07] = S3(phsubsw),
    [0x08] = S3(psignb), [0x09] = S3(psignw), [0x0a] = S3(psignd), [0x0b] = S3(pmulhrsw),
    [0x10] = P66(pblendvb, SSE41, A), [0x14] = P66(blendvps, SSE41, A),
    [0x15] = P66(blendvpd, SSE41, A), [0x17] = E66(ptest, SSE41, 0, 0),
    [0x1c] = S3(pabsb), [0x1d] = S3(pabsw), [0x1e] = S3(pabsd),
    [0x20] = P66(pmovsxbw, SSE41, M64), [0x21] = P66(pmovsxbd, SSE41, M32),
    [0x22] = P66(pmovsxbq, SSE41, SSE_F_M16), [0x23] = P66(pmovsxwd, SSE41, M64),
    [0x24] = P66(pmovsxwq, SSE41, M32), [0x25] = P66(pmovsxdq, SSE41, M64),
    [0x28] = P66(pmuldq, SSE41, A), [0x29] = P66(pcmpeqq, SSE41, A),
    [0x2a] = E66(mova, SSE41, A | MEM, 0), [0x2b] = P66(packusdw, SSE41, A),
    [0x30] = P66(pmovzxbw, SSE41, M64), [0x31] = P66(pmovzxbd, SSE41, M32),
    [0x32] = P66(pmovzxbq, SSE41, SSE_F_M16), [0x33] = P66(pmovzxwd, SSE41, M64),
    [0x34] = P66(pmovzxwq, SSE41, M32), [0x35] = P66(pmovzxdq, SSE41, M64),
    [0x37] = P66(pcmpgtq, SSE42, A),
    [0x38] = P66(pminsb, SSE41, A), [0x39] = P66(pminsd, SSE41, A),
    [0x3a] = P66(pminuw, SSE41, A), [0x3b] = P66(pminud, SSE41, A),
    [0x3c] = P66(pmaxsb, SSE41, A), [0x3d] = P66(pmaxsd, SSE41, A),
    [0x3e] = P66(pmaxuw, SSE41, A), [0x3f] = P66(pmaxud, SSE41, A),
    [0x40] = P66(pmulld, SSE41, A), [0x41] = P66(phminposuw, SSE41, A),
    /* INVPCID (an integer instruction of the map: the helper checks CPUID and CPL) */
    [0x82] = E66(invpcid, SSE, SSE_F_INT | MEM, 0),
    [0xdb] = P66(aesimc, AES, A), [0xdc] = P66(aesenc, AES, A),
    [0xdd] = P66(aesenclast, AES, A), [0xde] = P66(aesdec, AES, A),
    [0xdf] = P66(aesdeclast, AES, A),
};

const SseOpcode x86_sse_0f3a[256] = {
    [0x08] = P66(roundps, SSE41, A), [0x09] = P66(roundpd, SSE41, A),
    [0x0a] = P66(roundss, SSE41, M32), [0x0b] = P66(roundsd, SSE41, M64),
    [0x0c] = P66(blendps, SSE41, A), [0x0d] = P66(blendpd, SSE41, A),
    [0x0e] = P66(pblendw, SSE41, A), [0x0f] = S3(palignr),
    [0x14] = E66(pextr, SSE41, 0, 0), [0x15] = E66(pextr, SSE41, 0, 1),
    [0x16] = E66(pextr, SSE41, 0, 2), [0x17] = E66(pextr, SSE41, 0, 3),
    [0x20] = E66(pinsr, SSE41, 0, 0), [0x21] = E66(insertps, SSE41, 0, 0),
    [0x22] = E66(pinsr, SSE41, 0, 2),
    [0x40] = P66(dpps, SSE41, A), [0x41] = P66(dppd, SSE41, A),
    [0x42] = P66(mpsadbw, SSE41, A), [0x44] = P66(pclmulqdq, PCLMUL, A),
    [0x60] = E66(pcmpstr, SSE42, 0, 0), [0x61] = E66(pcmpstr, SSE42, 0, 1),
    [0x62] = E66(pcmpstr, SSE42, 0, 2), [0x63] = E66(pcmpstr, SSE42, 0, 3),
    [0xdf] = P66(aeskeygenassist, AES, A),
};
