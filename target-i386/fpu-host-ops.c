/* The host x87 instructions that stand for the guest's (fpu-host.h): one stamped function
 * per guest instruction (and its fast variant where one exists), with the descriptor
 * tables indexed by escape byte and ModRM. Register forms run with the guest's ST(0) and
 * second operand (ST(i) or ST(1)) as the host's ST(0) and ST(1); memory forms address
 * the operand at [rdi] (X87Io.mem). Encodings: Intel SDM vol. 2, appendix A.4. */
#include "target-i386/fpu-internal.h"

/* X87_OP(name, nin, nout, bytes): slow and fast runs (nin operands, nout values on the
 * host stack after it when nothing faults); X87_SLOW(name, bytes): the slow one only. */
#define X87_OP(name, nin, nout, bytes) X87_HOST_OP(name, bytes) X87_FAST_OP(name, nin, nout, bytes)
#define X87_SLOW(name, bytes) X87_HOST_OP(name, bytes)

/* ---- register forms ---- */
#define ARITH_ROW(esc, e, nout)                                                         \
    X87_OP(h_##e##_0, 2, nout, #esc ",0xc1") X87_OP(h_##e##_1, 2, nout, #esc ",0xc9")    \
    X87_OP(h_##e##_4, 2, nout, #esc ",0xe1") X87_OP(h_##e##_5, 2, nout, #esc ",0xe9")    \
    X87_OP(h_##e##_6, 2, nout, #esc ",0xf1") X87_OP(h_##e##_7, 2, nout, #esc ",0xf9")
ARITH_ROW(0xd8, d8, 2)
ARITH_ROW(0xdc, dc, 2)
ARITH_ROW(0xde, de, 1)
X87_OP(h_fcom, 2, 2, "0xd8,0xd1")
X87_OP(h_fcomp, 2, 1, "0xd8,0xd9")
X87_OP(h_fcompp, 2, 0, "0xde,0xd9")
X87_OP(h_fucom, 2, 2, "0xdd,0xe1")
X87_OP(h_fucomp, 2, 1, "0xdd,0xe9")
X87_OP(h_fucompp, 2, 0, "0xda,0xe9")
X87_SLOW(h_fucomi, "0xdb,0xe9")
X87_SLOW(h_fcomi, "0xdb,0xf1")
X87_SLOW(h_fucomip, "0xdf,0xe9")
X87_SLOW(h_fcomip, "0xdf,0xf1")
X87_OP(h_fld_st, 2, 3, "0xd9,0xc1")
X87_OP(h_fxch, 2, 2, "0xd9,0xc9")
X87_OP(h_fst_st, 2, 2, "0xdd,0xd1")
X87_OP(h_fstp_st, 2, 1, "0xdd,0xd9")
X87_SLOW(h_ffree, "0xdd,0xc1")
X87_SLOW(h_ffreep, "0xdf,0xc1")
X87_SLOW(h_fcmovb, "0xda,0xc1")
X87_SLOW(h_fcmove, "0xda,0xc9")
X87_SLOW(h_fcmovbe, "0xda,0xd1")
X87_SLOW(h_fcmovu, "0xda,0xd9")
X87_SLOW(h_fcmovnb, "0xdb,0xc1")
X87_SLOW(h_fcmovne, "0xdb,0xc9")
X87_SLOW(h_fcmovnbe, "0xdb,0xd1")
X87_SLOW(h_fcmovnu, "0xdb,0xd9")
/* D9 E0..FF */
X87_OP(h_fchs, 1, 1, "0xd9,0xe0")
X87_OP(h_fabs, 1, 1, "0xd9,0xe1")
X87_OP(h_ftst, 1, 1, "0xd9,0xe4")
X87_SLOW(h_fxam, "0xd9,0xe5")
X87_OP(h_fld1, 0, 1, "0xd9,0xe8")
X87_OP(h_fldl2t, 0, 1, "0xd9,0xe9")
X87_OP(h_fldl2e, 0, 1, "0xd9,0xea")
X87_OP(h_fldpi, 0, 1, "0xd9,0xeb")
X87_OP(h_fldlg2, 0, 1, "0xd9,0xec")
X87_OP(h_fldln2, 0, 1, "0xd9,0xed")
X87_OP(h_fldz, 0, 1, "0xd9,0xee")
X87_SLOW(h_f2xm1, "0xd9,0xf0")
X87_SLOW(h_fyl2x, "0xd9,0xf1")
X87_SLOW(h_fptan, "0xd9,0xf2")
X87_SLOW(h_fpatan, "0xd9,0xf3")
X87_SLOW(h_fxtract, "0xd9,0xf4")
X87_SLOW(h_fprem1, "0xd9,0xf5")
X87_SLOW(h_fprem, "0xd9,0xf8")
X87_SLOW(h_fyl2xp1, "0xd9,0xf9")
X87_OP(h_fsqrt, 1, 1, "0xd9,0xfa")
X87_SLOW(h_fsincos, "0xd9,0xfb")
X87_OP(h_frndint, 1, 1, "0xd9,0xfc")
X87_SLOW(h_fscale, "0xd9,0xfd")
X87_SLOW(h_fsin, "0xd9,0xfe")
X87_SLOW(h_fcos, "0xd9,0xff")

/* ---- memory forms: ModRM (reg << 3) | 7 = [rdi] ---- */
#define MEM_ROW(esc, e)                                                                 \
    X87_OP(m_##e##_0, 1, 1, #esc ",0x07") X87_OP(m_##e##_1, 1, 1, #esc ",0x0f")          \
    X87_OP(m_##e##_2, 1, 1, #esc ",0x17") X87_OP(m_##e##_3, 1, 0, #esc ",0x1f")          \
    X87_OP(m_##e##_4, 1, 1, #esc ",0x27") X87_OP(m_##e##_5, 1, 1, #esc ",0x2f")          \
    X87_OP(m_##e##_6, 1, 1, #esc ",0x37") X87_OP(m_##e##_7, 1, 1, #esc ",0x3f")
MEM_ROW(0xd8, d8)
MEM_ROW(0xda, da)
MEM_ROW(0xdc, dc)
MEM_ROW(0xde, de)
X87_OP(m_fld32, 0, 1, "0xd9,0x07")
X87_OP(m_fst32, 1, 1, "0xd9,0x17")
X87_OP(m_fstp32, 1, 0, "0xd9,0x1f")
X87_OP(m_fild32, 0, 1, "0xdb,0x07")
X87_OP(m_fisttp32, 1, 0, "0xdb,0x0f")
X87_OP(m_fist32, 1, 1, "0xdb,0x17")
X87_OP(m_fistp32, 1, 0, "0xdb,0x1f")
X87_OP(m_fld80, 0, 1, "0xdb,0x2f")
X87_OP(m_fstp80, 1, 0, "0xdb,0x3f")
X87_OP(m_fld64, 0, 1, "0xdd,0x07")
X87_OP(m_fisttp64, 1, 0, "0xdd,0x0f")
X87_OP(m_fst64, 1, 1, "0xdd,0x17")
X87_OP(m_fstp64, 1, 0, "0xdd,0x1f")
X87_OP(m_fild16, 0, 1, "0xdf,0x07")
X87_OP(m_fisttp16, 1, 0, "0xdf,0x0f")
X87_OP(m_fist16, 1, 1, "0xdf,0x17")
X87_OP(m_fistp16, 1, 0, "0xdf,0x1f")
X87_OP(m_fbld, 0, 1, "0xdf,0x27")
X87_OP(m_fild64, 0, 1, "0xdf,0x2f")
X87_OP(m_fbstp, 1, 0, "0xdf,0x37")
X87_OP(m_fistp64, 1, 0, "0xdf,0x3f")

/* Result writes (X87Desc.wmask): bit k = old slot k gets host output, X87_W_NEW = the
 * pushed register. Fast variants: the condition codes they always write (C1, or all four
 * for comparisons); the others are the guest's. */
#define W0 1
#define W1 2
#define WN X87_W_NEW
#define C1 FSW_C1
#define CC FSW_CC
#define D(f, n, w) { f, NULL, n, 0, w, 0, 0 }
#define DP(f, n, w) { f, NULL, n, 1, w, 0, 0 }
#define DF(f, n, w, cc) { f, f##_fast, n, 0, w, 0, cc }
#define DPF(f, n, w, cc) { f, f##_fast, n, 1, w, 0, cc }

/* ---- tables ---- */

/* Binary register forms D8/DC/DE by ModRM reg. */
const X87Desc x87_arith_reg[3][8] = {
    { DF(h_d8_0, 2, W0, C1), DF(h_d8_1, 2, W0, C1), DF(h_fcom, 2, 0, CC),
      DF(h_fcomp, 2, 0, CC), DF(h_d8_4, 2, W0, C1), DF(h_d8_5, 2, W0, C1),
      DF(h_d8_6, 2, W0, C1), DF(h_d8_7, 2, W0, C1) },
    { DF(h_dc_0, 2, W1, C1), DF(h_dc_1, 2, W1, C1), DF(h_fcom, 2, 0, CC),
      DF(h_fcomp, 2, 0, CC), DF(h_dc_4, 2, W1, C1), DF(h_dc_5, 2, W1, C1),
      DF(h_dc_6, 2, W1, C1), DF(h_dc_7, 2, W1, C1) },
    { DF(h_de_0, 2, W1, C1), DF(h_de_1, 2, W1, C1), DF(h_fcomp, 2, 0, CC),
      DF(h_fcompp, 2, 0, CC), DF(h_de_4, 2, W1, C1), DF(h_de_5, 2, W1, C1),
      DF(h_de_6, 2, W1, C1), DF(h_de_7, 2, W1, C1) },
};

const X87Desc x87_fucom[3] = {
    DF(h_fucom, 2, 0, CC), DF(h_fucomp, 2, 0, CC), DF(h_fucompp, 2, 0, CC),
};

/* FUCOMI, FCOMI, FUCOMIP, FCOMIP (no fast run: whether they write C1 is the CPU's) */
const X87Desc x87_comi[4] = {
    D(h_fucomi, 2, 0), D(h_fcomi, 2, 0), D(h_fucomip, 2, 0), D(h_fcomip, 2, 0),
};

/* FLD ST(i), FXCH, FST ST(i), FSTP ST(i), FFREE, FFREEP (the freed register: by the
 * caller) */
const X87Desc x87_moves[6] = {
    DPF(h_fld_st, 2, WN, C1), DF(h_fxch, 2, W0 | W1, C1), DF(h_fst_st, 2, W1, C1),
    DF(h_fstp_st, 2, W1, C1), D(h_ffree, 2, 0), D(h_ffreep, 2, 0),
};

/* FCMOVB FCMOVE FCMOVBE FCMOVU, then the negations (DA, DB C0-DF by ModRM reg) */
const X87Desc x87_fcmov[8] = {
    D(h_fcmovb, 2, W0), D(h_fcmove, 2, W0), D(h_fcmovbe, 2, W0), D(h_fcmovu, 2, W0),
    D(h_fcmovnb, 2, W0), D(h_fcmovne, 2, W0), D(h_fcmovnbe, 2, W0), D(h_fcmovnu, 2, W0),
};

/* D9 E0..FF (fn NULL: not a host operation) */
const X87Desc x87_d9_ops[32] = {
    [0x00] = DF(h_fchs, 1, W0, C1), [0x01] = DF(h_fabs, 1, W0, C1),
    [0x04] = DF(h_ftst, 1, 0, CC), [0x05] = D(h_fxam, 1, 0),
    [0x08] = DPF(h_fld1, 0, WN, C1), [0x09] = DPF(h_fldl2t, 0, WN, C1),
    [0x0a] = DPF(h_fldl2e, 0, WN, C1), [0x0b] = DPF(h_fldpi, 0, WN, C1),
    [0x0c] = DPF(h_fldlg2, 0, WN, C1), [0x0d] = DPF(h_fldln2, 0, WN, C1),
    [0x0e] = DPF(h_fldz, 0, WN, C1),
    [0x10] = D(h_f2xm1, 1, W0), [0x11] = D(h_fyl2x, 2, W1),
    [0x12] = DP(h_fptan, 1, W0 | WN), [0x13] = D(h_fpatan, 2, W1),
    [0x14] = DP(h_fxtract, 1, W0 | WN), [0x15] = D(h_fprem1, 2, W0),
    [0x18] = D(h_fprem, 2, W0), [0x19] = D(h_fyl2xp1, 2, W1),
    [0x1a] = DF(h_fsqrt, 1, W0, C1), [0x1b] = DP(h_fsincos, 1, W0 | WN),
    [0x1c] = DF(h_frndint, 1, W0, C1), [0x1d] = D(h_fscale, 2, W0),
    [0x1e] = D(h_fsin, 1, W0), [0x1f] = D(h_fcos, 1, W0),
};

#define MA(f, sz) { f, f##_fast, 1, 0, W0, sz, C1 }
#define ML(f, sz) { f, f##_fast, 0, 1, WN, sz | X87_M_LOAD, C1 }
#define MS(f, sz) { f, f##_fast, 1, 0, 0, sz | X87_M_STORE, C1 }
#define MC(f, sz) { f, f##_fast, 1, 0, 0, sz, CC }
#define ARITH_MEM(e, sz)                                                                \
    { MA(m_##e##_0, sz), MA(m_##e##_1, sz), MC(m_##e##_2, sz), MC(m_##e##_3, sz),       \
      MA(m_##e##_4, sz), MA(m_##e##_5, sz), MA(m_##e##_6, sz), MA(m_##e##_7, sz) }

/* Memory forms by escape (D8..DF) and ModRM reg; fn NULL: control or invalid. */
const X87Desc x87_mem_ops[8][8] = {
    ARITH_MEM(d8, 4),
    { ML(m_fld32, 4), {0}, MS(m_fst32, 4), MS(m_fstp32, 4) },
    ARITH_MEM(da, 4),
    { ML(m_fild32, 4), MS(m_fisttp32, 4), MS(m_fist32, 4), MS(m_fistp32, 4), {0},
      ML(m_fld80, 10), {0}, MS(m_fstp80, 10) },
    ARITH_MEM(dc, 8),
    { ML(m_fld64, 8), MS(m_fisttp64, 8), MS(m_fst64, 8), MS(m_fstp64, 8) },
    ARITH_MEM(de, 2),
    { ML(m_fild16, 2), MS(m_fisttp16, 2), MS(m_fist16, 2), MS(m_fistp16, 2),
      ML(m_fbld, 10), ML(m_fild64, 8), MS(m_fbstp, 10), MS(m_fistp64, 8) },
};
