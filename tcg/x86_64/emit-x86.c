/* x86-64 instruction encoder (Intel SDM vol. 2, chapter 2: REX, ModRM, SIB, and the
 * opcode tables of chapters 3-4). Every function writes one instruction. */
#include <assert.h>
#include <cpuid.h>
#include <string.h>
#include "tcg/x86_64/emit-x86.h"

/* Opcode word: low byte is the opcode, higher bits select prefixes and escapes. */
enum {
    OPC_0F = 0x100,         /* two-byte opcode 0F xx */
    OPC_0F38 = 0x200,       /* three-byte opcode 0F 38 xx */
    OPC_66 = 0x400,         /* operand-size prefix (16-bit) */
    OPC_F3 = 0x800,         /* mandatory F3 prefix (lzcnt, tzcnt, popcnt) */
    OPC_W = 0x1000,         /* REX.W: 64-bit operand */
    OPC_BYTE_R = 0x2000,    /* ModRM.reg names a byte register: spl..dil need a REX */
    OPC_BYTE_RM = 0x4000,   /* same for ModRM.rm */
};

static int opc_w(bool w64)
{
    return w64 ? OPC_W : 0;
}

void x86_detect_features(X86Features *f)
{
    unsigned eax, ebx, ecx, edx;
    memset(f, 0, sizeof(*f));
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        f->popcnt = (ecx >> 23) & 1;
        f->movbe = (ecx >> 22) & 1;
    }
    if (__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx)) {
        f->lzcnt = (ecx >> 5) & 1;          /* ABM */
    }
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        f->tzcnt = (ebx >> 3) & 1;          /* BMI1 */
        f->bmi2 = (ebx >> 8) & 1;
    }
}

void x86_asm_init(X86Asm *a, uint8_t *buf, size_t size)
{
    *a = (X86Asm){ .buf = buf, .size = size };
}

void x86_emit8(X86Asm *a, uint8_t v)
{
    if (a->pos < a->size) {
        a->buf[a->pos] = v;
    } else {
        a->overflow = true;
    }
    a->pos++;
}

void x86_emit32(X86Asm *a, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        x86_emit8(a, (uint8_t)(v >> (8 * i)));
    }
}

void x86_emit64(X86Asm *a, uint64_t v)
{
    x86_emit32(a, (uint32_t)v);
    x86_emit32(a, (uint32_t)(v >> 32));
}

void x86_patch32(X86Asm *a, size_t at, uint32_t v)
{
    if (at + 4 > a->size) {
        a->overflow = true;
        return;
    }
    memcpy(a->buf + at, &v, 4);
}

static bool needs_byte_rex(int opc, int flag, int r)
{
    return (opc & flag) && r >= 4 && r <= 7;
}

/* Prefixes, REX and opcode bytes; r = ModRM.reg, rm = ModRM.rm or base, x = SIB index. */
static void emit_opc(X86Asm *a, int opc, int r, int rm, int x)
{
    int rex = 0;
    if (opc & OPC_66) {
        x86_emit8(a, 0x66);
    }
    if (opc & OPC_F3) {
        x86_emit8(a, 0xf3);
    }
    rex |= (opc & OPC_W) ? 8 : 0;
    rex |= (r >= 0 && (r & 8)) ? 4 : 0;
    rex |= (x >= 0 && (x & 8)) ? 2 : 0;
    rex |= (rm >= 0 && (rm & 8)) ? 1 : 0;
    if (rex || needs_byte_rex(opc, OPC_BYTE_R, r) || needs_byte_rex(opc, OPC_BYTE_RM, rm)) {
        x86_emit8(a, (uint8_t)(0x40 | rex));
    }
    if (opc & (OPC_0F | OPC_0F38)) {
        x86_emit8(a, 0x0f);
    }
    if (opc & OPC_0F38) {
        x86_emit8(a, 0x38);
    }
    x86_emit8(a, (uint8_t)opc);
}

/* Register-direct ModRM (mod = 11). */
static void emit_modrm_rr(X86Asm *a, int opc, int r, int rm)
{
    emit_opc(a, opc, r, rm, -1);
    x86_emit8(a, (uint8_t)(0xc0 | ((r & 7) << 3) | (rm & 7)));
}

/* Memory ModRM: rsp/r12 as base need a SIB byte; rbp/r13 as base have no mod=00 form
 * (that encoding means RIP-relative), so they take a zero disp8. */
static void emit_modrm_mem(X86Asm *a, int opc, int r, X86Reg base, X86Reg index,
                           unsigned shift, int32_t disp)
{
    int mod;
    assert(index != X86_RSP && shift <= 3 && base != X86_NOREG);
    emit_opc(a, opc, r, base, index);
    if (disp == 0 && (base & 7) != 5) {
        mod = 0;
    } else if (x86_fits_i8(disp)) {
        mod = 1;
    } else {
        mod = 2;
    }
    if (index == X86_NOREG && (base & 7) != 4) {
        x86_emit8(a, (uint8_t)((mod << 6) | ((r & 7) << 3) | (base & 7)));
    } else {
        int idx = index == X86_NOREG ? 4 : (index & 7);
        x86_emit8(a, (uint8_t)((mod << 6) | ((r & 7) << 3) | 4));
        x86_emit8(a, (uint8_t)((shift << 6) | (idx << 3) | (base & 7)));
    }
    if (mod == 1) {
        x86_emit8(a, (uint8_t)disp);
    } else if (mod == 2) {
        x86_emit32(a, (uint32_t)disp);
    }
}

/* ---- moves ------------------------------------------------------------------- */

void x86_mov_rr(X86Asm *a, bool w64, X86Reg dst, X86Reg src)
{
    emit_modrm_rr(a, 0x89 | opc_w(w64), src, dst);
}

void x86_mov_rr_partial(X86Asm *a, unsigned size, X86Reg dst, X86Reg src)
{
    int opc = size == 1 ? 0x88 | OPC_BYTE_R | OPC_BYTE_RM : 0x89 | OPC_66;
    emit_modrm_rr(a, opc, src, dst);
}

void x86_movabs(X86Asm *a, X86Reg dst, uint64_t imm)
{
    emit_opc(a, (0xb8 + (dst & 7)) | OPC_W, -1, dst, -1);
    x86_emit64(a, imm);
}

void x86_mov_ri(X86Asm *a, X86Reg dst, uint64_t imm)
{
    if (imm <= UINT32_MAX) {
        emit_opc(a, 0xb8 + (dst & 7), -1, dst, -1);    /* mov r32, imm32: zero-extends */
        x86_emit32(a, (uint32_t)imm);
    } else if (x86_fits_i32((int64_t)imm)) {
        emit_modrm_rr(a, 0xc7 | OPC_W, 0, dst);         /* mov r64, simm32 */
        x86_emit32(a, (uint32_t)imm);
    } else {
        x86_movabs(a, dst, imm);
    }
}

static int load_opc(unsigned size, bool sign, bool w64)
{
    switch (size) {
    case 1: return (sign ? 0xbe : 0xb6) | OPC_0F | (sign ? opc_w(w64) : 0);
    case 2: return (sign ? 0xbf : 0xb7) | OPC_0F | (sign ? opc_w(w64) : 0);
    case 4: return (sign && w64) ? (0x63 | OPC_W) : 0x8b;
    default: return 0x8b | OPC_W;
    }
}

void x86_load_idx(X86Asm *a, unsigned size, bool sign, X86Reg dst, X86Reg base,
                  X86Reg index, unsigned shift, int32_t disp)
{
    emit_modrm_mem(a, load_opc(size, sign, true), dst, base, index, shift, disp);
}

void x86_load(X86Asm *a, unsigned size, bool sign, X86Reg dst, X86Reg base, int32_t disp)
{
    x86_load_idx(a, size, sign, dst, base, X86_NOREG, 0, disp);
}

static int store_opc(unsigned size)
{
    switch (size) {
    case 1: return 0x88 | OPC_BYTE_R;
    case 2: return 0x89 | OPC_66;
    case 4: return 0x89;
    default: return 0x89 | OPC_W;
    }
}

void x86_store_idx(X86Asm *a, unsigned size, X86Reg src, X86Reg base, X86Reg index,
                   unsigned shift, int32_t disp)
{
    emit_modrm_mem(a, store_opc(size), src, base, index, shift, disp);
}

void x86_store(X86Asm *a, unsigned size, X86Reg src, X86Reg base, int32_t disp)
{
    x86_store_idx(a, size, src, base, X86_NOREG, 0, disp);
}

void x86_store_imm(X86Asm *a, unsigned size, int32_t imm, X86Reg base, int32_t disp)
{
    static const int opc[] = { [1] = 0xc6, [2] = 0xc7 | OPC_66, [4] = 0xc7, [8] = 0xc7 | OPC_W };
    emit_modrm_mem(a, opc[size], 0, base, X86_NOREG, 0, disp);
    if (size == 1) {
        x86_emit8(a, (uint8_t)imm);
    } else if (size == 2) {
        x86_emit8(a, (uint8_t)imm);
        x86_emit8(a, (uint8_t)(imm >> 8));
    } else {
        x86_emit32(a, (uint32_t)imm);
    }
}

/* ---- atomic read-modify-write on [base] ------------------------------------------ */

/* opc8 for byte operands, opc for 16/32/64-bit ones. */
static int sized_opc(unsigned size, int opc8, int opc)
{
    switch (size) {
    case 1: return opc8 | OPC_BYTE_R;
    case 2: return opc | OPC_66;
    case 4: return opc;
    default: return opc | OPC_W;
    }
}

void x86_lock_cmpxchg(X86Asm *a, unsigned size, X86Reg src, X86Reg base)
{
    x86_emit8(a, 0xf0);
    emit_modrm_mem(a, sized_opc(size, 0xb0 | OPC_0F, 0xb1 | OPC_0F), src, base, X86_NOREG, 0, 0);
}

void x86_lock_xadd(X86Asm *a, unsigned size, X86Reg src, X86Reg base)
{
    x86_emit8(a, 0xf0);
    emit_modrm_mem(a, sized_opc(size, 0xc0 | OPC_0F, 0xc1 | OPC_0F), src, base, X86_NOREG, 0, 0);
}

void x86_xchg_mem(X86Asm *a, unsigned size, X86Reg src, X86Reg base)
{
    emit_modrm_mem(a, sized_opc(size, 0x86, 0x87), src, base, X86_NOREG, 0, 0);
}

static int movbe_size_opc(unsigned size)
{
    return size == 2 ? OPC_66 : size == 8 ? OPC_W : 0;
}

void x86_movbe_load(X86Asm *a, unsigned size, X86Reg dst, X86Reg base, X86Reg index,
                    int32_t disp)
{
    emit_modrm_mem(a, 0xf0 | OPC_0F38 | movbe_size_opc(size), dst, base, index, 0, disp);
}

void x86_movbe_store(X86Asm *a, unsigned size, X86Reg src, X86Reg base, X86Reg index,
                     int32_t disp)
{
    emit_modrm_mem(a, 0xf1 | OPC_0F38 | movbe_size_opc(size), src, base, index, 0, disp);
}

void x86_ext_rr(X86Asm *a, unsigned size, bool sign, bool w64, X86Reg dst, X86Reg src)
{
    int opc = load_opc(size, sign, w64);
    if (size == 1) {
        opc |= OPC_BYTE_RM;
    }
    emit_modrm_rr(a, opc, dst, src);
}

void x86_lea(X86Asm *a, bool w64, X86Reg dst, X86Reg base, X86Reg index, unsigned shift,
             int32_t disp)
{
    emit_modrm_mem(a, 0x8d | opc_w(w64), dst, base, index, shift, disp);
}

void x86_lea_rip(X86Asm *a, X86Reg dst, int32_t disp)
{
    emit_opc(a, 0x8d | OPC_W, dst, -1, -1);
    x86_emit8(a, (uint8_t)(((dst & 7) << 3) | 5));     /* mod 00, rm 101: rip + disp32 */
    x86_emit32(a, (uint32_t)disp);
}

/* ---- arithmetic ----------------------------------------------------------------- */

void x86_alu_rr(X86Asm *a, X86Alu op, bool w64, X86Reg dst, X86Reg src)
{
    emit_modrm_rr(a, ((int)op << 3 | 1) | opc_w(w64), src, dst);
}

static void emit_group1_imm(X86Asm *a, int32_t imm)
{
    if (x86_fits_i8(imm)) {
        x86_emit8(a, (uint8_t)imm);
    } else {
        x86_emit32(a, (uint32_t)imm);
    }
}

void x86_alu_ri(X86Asm *a, X86Alu op, bool w64, X86Reg dst, int32_t imm)
{
    emit_modrm_rr(a, (x86_fits_i8(imm) ? 0x83 : 0x81) | opc_w(w64), op, dst);
    emit_group1_imm(a, imm);
}

void x86_alu_rm(X86Asm *a, X86Alu op, bool w64, X86Reg dst, X86Reg base, int32_t disp)
{
    emit_modrm_mem(a, ((int)op << 3 | 3) | opc_w(w64), dst, base, X86_NOREG, 0, disp);
}

void x86_alu_mr(X86Asm *a, X86Alu op, bool w64, X86Reg base, int32_t disp, X86Reg src)
{
    emit_modrm_mem(a, ((int)op << 3 | 1) | opc_w(w64), src, base, X86_NOREG, 0, disp);
}

void x86_alu_mi(X86Asm *a, X86Alu op, bool w64, X86Reg base, int32_t disp, int32_t imm)
{
    emit_modrm_mem(a, (x86_fits_i8(imm) ? 0x83 : 0x81) | opc_w(w64), op, base, X86_NOREG, 0,
                   disp);
    emit_group1_imm(a, imm);
}

void x86_test_rr(X86Asm *a, bool w64, X86Reg r1, X86Reg r2)
{
    emit_modrm_rr(a, 0x85 | opc_w(w64), r2, r1);
}

void x86_test_ri(X86Asm *a, bool w64, X86Reg r, int32_t imm)
{
    emit_modrm_rr(a, 0xf7 | opc_w(w64), 0, r);
    x86_emit32(a, (uint32_t)imm);
}

void x86_unary(X86Asm *a, X86Unary op, bool w64, X86Reg r)
{
    emit_modrm_rr(a, 0xf7 | opc_w(w64), op, r);
}

void x86_imul_rr(X86Asm *a, bool w64, X86Reg dst, X86Reg src)
{
    emit_modrm_rr(a, 0xaf | OPC_0F | opc_w(w64), dst, src);
}

void x86_imul_rri(X86Asm *a, bool w64, X86Reg dst, X86Reg src, int32_t imm)
{
    emit_modrm_rr(a, (x86_fits_i8(imm) ? 0x6b : 0x69) | opc_w(w64), dst, src);
    emit_group1_imm(a, imm);
}

void x86_cdq(X86Asm *a, bool w64)
{
    emit_opc(a, 0x99 | opc_w(w64), -1, -1, -1);
}

void x86_shift_cl(X86Asm *a, X86Shift op, bool w64, X86Reg r)
{
    emit_modrm_rr(a, 0xd3 | opc_w(w64), op, r);
}

void x86_shift_ri(X86Asm *a, X86Shift op, bool w64, X86Reg r, uint8_t count)
{
    if (count == 1) {
        emit_modrm_rr(a, 0xd1 | opc_w(w64), op, r);
        return;
    }
    emit_modrm_rr(a, 0xc1 | opc_w(w64), op, r);
    x86_emit8(a, count);
}

void x86_rol16_8(X86Asm *a, X86Reg r)
{
    emit_modrm_rr(a, 0xc1 | OPC_66, X86_ROL, r);
    x86_emit8(a, 8);
}

void x86_bswap(X86Asm *a, bool w64, X86Reg r)
{
    emit_opc(a, (0xc8 + (r & 7)) | OPC_0F | opc_w(w64), -1, r, -1);
}

void x86_lzcnt(X86Asm *a, bool w64, X86Reg dst, X86Reg src)
{
    emit_modrm_rr(a, 0xbd | OPC_0F | OPC_F3 | opc_w(w64), dst, src);
}

/* rorx dst, src, n (BMI2): VEX.LZ.F2.0F3A.W F0 /r ib, a rotate into another register
 * that leaves the flags alone. */
void x86_rorx(X86Asm *a, bool w64, X86Reg dst, X86Reg src, uint8_t n)
{
    x86_emit8(a, 0xc4);
    x86_emit8(a, (uint8_t)((dst < 8 ? 0x80 : 0) | 0x40 | (src < 8 ? 0x20 : 0) | 0x03));
    x86_emit8(a, (uint8_t)((w64 ? 0x80 : 0) | 0x78 | 0x03));
    x86_emit8(a, 0xf0);
    x86_emit8(a, (uint8_t)(0xc0 | ((dst & 7) << 3) | (src & 7)));
    x86_emit8(a, n);
}

void x86_tzcnt(X86Asm *a, bool w64, X86Reg dst, X86Reg src)
{
    emit_modrm_rr(a, 0xbc | OPC_0F | OPC_F3 | opc_w(w64), dst, src);
}

void x86_popcnt(X86Asm *a, bool w64, X86Reg dst, X86Reg src)
{
    emit_modrm_rr(a, 0xb8 | OPC_0F | OPC_F3 | opc_w(w64), dst, src);
}

void x86_bsr(X86Asm *a, bool w64, X86Reg dst, X86Reg src)
{
    emit_modrm_rr(a, 0xbd | OPC_0F | opc_w(w64), dst, src);
}

void x86_bsf(X86Asm *a, bool w64, X86Reg dst, X86Reg src)
{
    emit_modrm_rr(a, 0xbc | OPC_0F | opc_w(w64), dst, src);
}

void x86_setcc(X86Asm *a, X86Cond cc, X86Reg r)
{
    emit_modrm_rr(a, (0x90 + cc) | OPC_0F | OPC_BYTE_RM, 0, r);
}

void x86_cmovcc(X86Asm *a, X86Cond cc, bool w64, X86Reg dst, X86Reg src)
{
    emit_modrm_rr(a, (0x40 + cc) | OPC_0F | opc_w(w64), dst, src);
}

/* ---- control flow ---------------------------------------------------------------- */

void x86_jcc8(X86Asm *a, X86Cond cc, int8_t rel)
{
    x86_emit8(a, (uint8_t)(0x70 + cc));
    x86_emit8(a, (uint8_t)rel);
}

size_t x86_jcc32(X86Asm *a, X86Cond cc, int32_t rel)
{
    x86_emit8(a, 0x0f);
    x86_emit8(a, (uint8_t)(0x80 + cc));
    x86_emit32(a, (uint32_t)rel);
    return a->pos - 4;
}

size_t x86_jmp32(X86Asm *a, int32_t rel)
{
    x86_emit8(a, 0xe9);
    x86_emit32(a, (uint32_t)rel);
    return a->pos - 4;
}

void x86_jmp8(X86Asm *a, int8_t rel)
{
    x86_emit8(a, 0xeb);
    x86_emit8(a, (uint8_t)rel);
}

size_t x86_call32(X86Asm *a, int32_t rel)
{
    x86_emit8(a, 0xe8);
    x86_emit32(a, (uint32_t)rel);
    return a->pos - 4;
}

void x86_jmp_r(X86Asm *a, X86Reg r)
{
    emit_modrm_rr(a, 0xff, 4, r);
}

void x86_call_r(X86Asm *a, X86Reg r)
{
    emit_modrm_rr(a, 0xff, 2, r);
}

void x86_jmp_m(X86Asm *a, X86Reg base, int32_t disp)
{
    emit_modrm_mem(a, 0xff, 4, base, X86_NOREG, 0, disp);
}

void x86_call_m(X86Asm *a, X86Reg base, int32_t disp)
{
    emit_modrm_mem(a, 0xff, 2, base, X86_NOREG, 0, disp);
}

void x86_push(X86Asm *a, X86Reg r)
{
    emit_opc(a, 0x50 + (r & 7), -1, r, -1);
}

void x86_pop(X86Asm *a, X86Reg r)
{
    emit_opc(a, 0x58 + (r & 7), -1, r, -1);
}

void x86_ret(X86Asm *a)
{
    x86_emit8(a, 0xc3);
}

void x86_mfence(X86Asm *a)
{
    x86_emit8(a, 0x0f);
    x86_emit8(a, 0xae);
    x86_emit8(a, 0xf0);
}

void x86_ud2(X86Asm *a)
{
    x86_emit8(a, 0x0f);
    x86_emit8(a, 0x0b);
}

/* Recommended multi-byte nops (SDM vol. 2B, NOP), up to 8 bytes each. */
void x86_nop(X86Asm *a, unsigned len)
{
    static const uint8_t nops[9][8] = {
        {0}, {0x90}, {0x66, 0x90}, {0x0f, 0x1f, 0x00}, {0x0f, 0x1f, 0x40, 0x00},
        {0x0f, 0x1f, 0x44, 0x00, 0x00}, {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x0f, 0x1f, 0x80, 0, 0, 0, 0}, {0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0},
    };
    while (len > 0) {
        unsigned n = len > 8 ? 8 : len;
        for (unsigned i = 0; i < n; i++) {
            x86_emit8(a, nops[n][i]);
        }
        len -= n;
    }
}
