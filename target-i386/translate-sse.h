/* Internal interface of the MMX/SSE translator (translate-sse*.c, decode-sse.c): the
 * per-prefix opcode tables of the 0F, 0F 38 and 0F 3A maps, operand access for XMM and
 * MMX registers and memory, helper calls in the vec.h shape. Encodings: SDM 2 appendix A
 * (the "66/F3/F2" columns select the instruction). */
#ifndef TARGET_I386_TRANSLATE_SSE_H
#define TARGET_I386_TRANSLATE_SSE_H

#include <stddef.h>
#include "target-i386/translate.h"
#include "target-i386/vec.h"

typedef struct SseOp SseOp;
typedef void (*SseEmit)(DisasContext *s, const SseOp *o);

/* One instruction of an opcode's prefix column (none, 66, F3, F2). */
struct SseOp {
    SseEmit emit;                   /* NULL: #UD */
    const TCGHelperInfo *fn;        /* the helper of generic emitters */
    uint8_t feat;                   /* SSE_FEAT_* the CPU model must offer */
    uint8_t flags;                  /* SSE_F_* */
    uint8_t arg;                    /* emitter-specific */
};

enum { SSE_FEAT_MMX, SSE_FEAT_SSE, SSE_FEAT_SSE2, SSE_FEAT_SSE3, SSE_FEAT_SSSE3,
       SSE_FEAT_SSE41, SSE_FEAT_SSE42, SSE_FEAT_AES, SSE_FEAT_PCLMUL, SSE_FEAT_POPCNT };

enum {
    SSE_F_ALIGN = 1 << 0,   /* memory operand must be 16-byte aligned (#GP(0)) */
    SSE_F_M32 = 1 << 1,     /* memory operand is 4 bytes (scalar single) */
    SSE_F_M64 = 1 << 2,     /* memory operand is 8 bytes (scalar double, MMX) */
    SSE_F_REG = 1 << 3,     /* register form only (#UD for memory) */
    SSE_F_MEM = 1 << 4,     /* memory form only */
    SSE_F_MMX = 1 << 5,     /* MMX register operands: MMX checks (no CR4.OSFXSR) */
    SSE_F_INT = 1 << 6,     /* an integer instruction of the map (MOVNTI): no FP checks */
    SSE_F_M16 = 1 << 7,     /* memory operand is 2 bytes (PMOVSXBQ / PMOVZXBQ) */
};

/* The columns of one opcode (index: 0 none, 1 66, 2 F3, 3 F2). */
typedef struct SseOpcode {
    SseOp col[4];
} SseOpcode;

extern const SseOpcode x86_sse_0f[256], x86_sse_0f38[256], x86_sse_0f3a[256];

static inline intptr_t x86_vec_ofs(int n) { return (intptr_t)offsetof(X86CPU, vec[n]); }
static inline intptr_t x86_mmx_ofs(int n)
{
    return (intptr_t)offsetof(X86CPU, fpregs[n & 7].mant);
}
#define X86_VTMP_OFS ((intptr_t)offsetof(X86CPU, vtmp))

/* ---- translate-sse.c ---- */
/* The #UD / #NM checks of SSE (CR0.EM, CR4.OSFXSR, CR0.TS) or MMX (CR0.EM, CR0.TS); false
 * if an exception was emitted. */
bool x86_sse_check(DisasContext *s, bool mmx);
/* Before an MMX instruction: a pending unmasked x87 exception is delivered (#MF). */
void x86_gen_mmx_pending(DisasContext *s);
/* MMX state entry: TOP = 0, every tag valid (SDM 1 9.5.1). */
void x86_gen_mmx_enter(DisasContext *s);
/* The rm operand as a vector: a register's env offset, or memory of the given size
 * (2, 4, 8 or 16 bytes) loaded into env->vtmp (aligned: 16-byte alignment or #GP(0)). */
intptr_t x86_gen_vec_load_rm(DisasContext *s, int bytes, bool aligned);
/* Loads / stores 16 bytes between env offset ofs and guest memory at addr. */
void x86_gen_ld128(DisasContext *s, intptr_t ofs, TCGv_i64 addr, bool aligned);
void x86_gen_st128(DisasContext *s, intptr_t ofs, TCGv_i64 addr, bool aligned);
/* A pointer temp to env + ofs. */
TCGv_ptr x86_gen_env_ptr(intptr_t ofs);
/* Calls a vec.h-shaped helper: d = fn(a, b) with env offsets and desc. */
void x86_gen_vec_call(DisasContext *s, const TCGHelperInfo *fn, intptr_t dofs, intptr_t aofs,
                      intptr_t bofs, uint32_t desc);
/* The MMX rm operand (register value or 8 bytes of memory) as a new temp. */
TCGv_i64 x86_gen_mmx_load_rm(DisasContext *s);
void x86_gen_mmx_store(int n, TCGv_i64 v);

/* Generic emitters for the tables: d = reg, a = reg, b = rm. */
void x86_sse_emit_vec(DisasContext *s, const SseOp *o);
void x86_sse_emit_mmx(DisasContext *s, const SseOp *o);
/* Scalar FP arithmetic through a value helper (vec-fp-scalar.c). */
void x86_sse_emit_scalar(DisasContext *s, const SseOp *o);
/* Immediate shift groups 0F 71-73 (the ModRM reg field picks the operation). */
void x86_sse_emit_shift_imm(DisasContext *s, const SseOp *o);

/* ---- translate-sse-mov.c: moves, MOVMSK, PEXTRW/PINSRW, MASKMOV, EMMS, MXCSR ---- */
#define X86_SSE_MOV_EMITTERS(X)                                                         \
    X(movu) X(mova) X(movss) X(movsd) X(movlps) X(movhps) X(movhlps) X(movlhps)         \
    X(movlpd) X(movhpd) X(movd_to) X(movd_from) X(movq_mm) X(movq_xmm) X(movq_st)       \
    X(movq2dq) X(movdq2q) X(movnt) X(movmskps) X(movmskpd) X(pmovmskb) X(pextrw)        \
    X(pinsrw) X(maskmov) X(emms) X(logic) X(ldmxcsr) X(stmxcsr) X(movntq) X(movnti)    \
    X(invpcid)
/* ---- translate-sse-cvt.c: conversions with GPR/MMX operands, COMIS ---- */
#define X86_SSE_CVT_EMITTERS(X)                                                         \
    X(cvtsi2s) X(cvts2si) X(comis) X(cvtpi2ps) X(cvtpi2pd) X(cvtps2pi) X(cvtpd2pi)
/* ---- translate-sse-int.c: inline PADD/PSUB/PCMPEQ (arg: element size | op << 2) ---- */
void x86_sse_emit_int_inline(DisasContext *s, const SseOp *o);
/* d = the sign bits of v's 8 bytes (bits 0-7). */
void x86_gen_byte_signs(TCGv_i64 d, TCGv_i64 v);

/* ---- translate-sse-41.c: PTEST, PEXTR*, PINSR*, INSERTPS, PCMPxSTRx ---- */
#define X86_SSE_41_EMITTERS(X) X(ptest) X(pextr) X(pinsr) X(insertps) X(pcmpstr)
#define X(n) void x86_sse_emit_##n(DisasContext *s, const SseOp *o);
X86_SSE_MOV_EMITTERS(X)
X86_SSE_CVT_EMITTERS(X)
X86_SSE_41_EMITTERS(X)
#undef X

#endif
