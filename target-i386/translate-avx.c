/* x86 AVX/AVX2 instructions for the translator (VEX-encoded vector forms decoded by
 * decode-vex.c; Intel SDM vol. 2 chapter 2.4 and the instruction entries): the checks
 * every VEX vector form makes (#UD unless CR4.OSXSAVE and XCR0 enable the SSE and AVX
 * state, #UD without the CPUID feature or with a VEX.L / VEX.W / VEX.vvvv the instruction
 * does not allow, #NM with CR0.TS), VEX.128's zeroing of bits 255:128, and the
 * instructions that do not need the SSE vector layer: VZEROUPPER/VZEROALL, VMOVUPS/UPD/
 * APS/APD/DQU/DQA, VMOVNTPS/PD/DQ, VLDDQU, VMOVSS/SD, VMOVD/VMOVQ, VBROADCASTSS/SD/F128/
 * I128, VPBROADCASTB/W/D/Q, VINSERTF128/I128, VEXTRACTF128/I128, VPERM2F128/I128,
 * VPERMILPS/PD, VPERMD/PS/Q/PD, VPBLENDD, VPSLLV/VPSRLV/VPSRAV, VTESTPS/PD, VPTEST,
 * VMOVMSKPS/PD, VPMOVMSKB, VPINSRB/W/D/Q, VPEXTRB/W/D/Q, VEXTRACTPS, VMASKMOVPS/PD,
 * VPMASKMOVD/Q, the gathers (VSIB addressing). */
#include <stddef.h>
#include "target-i386/avx.h"
#include "target-i386/cpuid.h"
#include "target-i386/translate-avx.h"
#include "target-i386/vec.h"

static intptr_t vofs(int n)
{
    return (intptr_t)offsetof(X86CPU, vec[n]);
}

#define TMP_OFS ((intptr_t)offsetof(X86CPU, vtmp))

static int vlen(DisasContext *s)
{
    return s->vex_l ? 32 : 16;
}

/* The checks of SDM 2.4 in their order; false when an exception was emitted. */
bool x86_avx_check(DisasContext *s, unsigned need)
{
    bool avx2 = (need & AVX_2) || ((need & AVX_2REG) && s->mod == 3) ||
                ((need & AVX_2L1) && s->vex_l);
    if (!(s->flags & HF_AVX) || ((need & AVX_L1) && !s->vex_l) ||
        ((need & AVX_L0) && s->vex_l) || ((need & AVX_W0) && s->vex_w) ||
        ((need & AVX_W1) && !s->vex_w) || ((need & AVX_NOV) && s->vex_v) ||
        ((need & AVX_MEM) && s->mod == 3)) {
        x86_gen_illegal(s);
        return false;
    }
    if (!x86_need_feature(s, FEAT_1_ECX, CPUID_EXT_AVX) ||
        (avx2 && !x86_need_feature(s, FEAT_7_0_EBX, CPUID_7_0_EBX_AVX2))) {
        return false;
    }
    if (s->flags & HF_TS) {
        x86_gen_exception(s, EXCP_NM);
        return false;
    }
    return true;
}

/* ---- operands ------------------------------------------------------------------------- */

static TCGv_i64 addr_plus(DisasContext *s, TCGv_i64 addr, int off)
{
    TCGv_i64 a = tcg_temp_new_i64();
    tcg_gen_addi_i64(a, addr, off);
    if (!s->code64) {
        tcg_gen_ext32u_i64(a, a);
    }
    return a;
}

/* #GP(0) unless addr is aligned on align bytes; returns addr in a temp that outlives the
 * branch (ordinary temps die at it). */
static TCGv_i64 gen_check_align(DisasContext *s, TCGv_i64 addr, int align)
{
    TCGLabel *ok = gen_new_label();
    TCGv_i64 low = tcg_temp_new_i64(), kept = tcg_temp_new_tb_i64();
    tcg_gen_mov_i64(kept, addr);
    tcg_gen_andi_i64(low, addr, align - 1);
    tcg_gen_brcondi_i64(TCG_COND_EQ, low, 0, ok);
    x86_gen_exception_err(s, EXCP_GP, 0);
    gen_set_label(ok);
    s->is_jmp = DISAS_NEXT;
    return kept;
}

/* Loads bytes (8..32, whole quads; 4: one dword) from memory into q[]: all loads before
 * any register is written, so a fault leaves the registers as they were. */
static void gen_ld_quads(DisasContext *s, TCGv_i64 *q, int bytes, TCGv_i64 addr)
{
    if (bytes < 8) {
        q[0] = tcg_temp_new_i64();
        tcg_gen_qemu_ld_i64(q[0], tcgv_temp(addr), s->mem_idx,
                            (MemOp)((bytes == 4 ? MO_32 : bytes == 2 ? MO_16 : MO_8) | MO_LE));
        return;
    }
    for (int i = 0; i < bytes / 8; i++) {
        q[i] = tcg_temp_new_i64();
        tcg_gen_qemu_ld_i64(q[i], tcgv_temp(i ? addr_plus(s, addr, 8 * i) : addr), s->mem_idx,
                            MO_64 | MO_LE);
    }
}

static void gen_st_quads(DisasContext *s, intptr_t ofs, int bytes, TCGv_i64 addr)
{
    for (int i = 0; i < bytes / 8; i++) {
        TCGv_i64 v = tcg_temp_new_i64();
        tcg_gen_ld_i64(v, tcg_env, ofs + 8 * i);
        tcg_gen_qemu_st_i64(v, tcgv_temp(i ? addr_plus(s, addr, 8 * i) : addr), s->mem_idx,
                            MO_64 | MO_LE);
    }
}

static void ld_env_quads(TCGv_i64 *q, intptr_t ofs, int bytes)
{
    for (int i = 0; i < bytes / 8; i++) {
        q[i] = tcg_temp_new_i64();
        tcg_gen_ld_i64(q[i], tcg_env, ofs + 8 * i);
    }
}

static void st_env_quads(TCGv_i64 *q, intptr_t ofs, int n)
{
    for (int i = 0; i < n; i++) {
        tcg_gen_st_i64(q[i], tcg_env, ofs + 8 * i);
    }
}

/* VEX.128 destination: bits 255:128 cleared. */
void x86_avx_zero_upper(DisasContext *s, int reg)
{
    if (!s->vex_l) {
        tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, vofs(reg) + 16);
        tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, vofs(reg) + 24);
    }
}

/* The rm operand of bytes bytes as quads (register: its low bytes). */
static void gen_rm_quads(DisasContext *s, TCGv_i64 *q, int bytes, int align)
{
    if (s->mod == 3) {
        ld_env_quads(q, vofs(s->rm), bytes < 8 ? 8 : bytes);
        return;
    }
    TCGv_i64 addr = x86_gen_lea_modrm(s);
    if (align) {
        addr = gen_check_align(s, addr, align);
    }
    gen_ld_quads(s, q, bytes, addr);
}

/* The rm operand as an env offset: a register, or memory loaded into vtmp. */
intptr_t x86_avx_rm_vec(DisasContext *s, int bytes)
{
    TCGv_i64 q[4];
    if (s->mod == 3) {
        return vofs(s->rm);
    }
    gen_rm_quads(s, q, bytes, 0);
    st_env_quads(q, TMP_OFS, bytes < 8 ? 1 : bytes / 8);
    return TMP_OFS;
}

/* ---- VZEROUPPER / VZEROALL (VEX.0F 77) ------------------------------------------------ */

void x86_emit_avx_zero(DisasContext *s, const X86OpEntry *e)
{
    if (!x86_avx_check(s, 0)) {
        return;
    }
    int n = s->code64 ? 16 : 8;     /* YMM8-15 untouched outside 64-bit mode */
    for (int i = 0; i < n; i++) {
        for (int q = s->vex_l ? 0 : 2; q < 4; q++) {
            tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, vofs(i) + 8 * q);
        }
    }
}

/* ---- moves: arg bit 0 aligned, bit 1 store form (11/29/7F), bit 2 memory only
 * (VMOVNTPS/PD/DQ, VLDDQU, VMOVNTDQA), bit 3 AVX2 for VEX.256 (VMOVNTDQA) ------------- */

void x86_emit_avx_mov(DisasContext *s, const X86OpEntry *e)
{
    bool aligned = e->arg & 1, store = e->arg & 2;
    int len = vlen(s);
    TCGv_i64 q[4];
    unsigned need = AVX_NOV | ((e->arg & 4) ? AVX_MEM : 0) | ((e->arg & 8) ? AVX_2L1 : 0);
    if (!x86_avx_check(s, need)) {
        return;
    }
    if (store && s->mod != 3) {
        TCGv_i64 addr = x86_gen_lea_modrm(s);
        if (aligned) {
            addr = gen_check_align(s, addr, len);
        }
        gen_st_quads(s, vofs(s->reg), len, addr);
        return;
    }
    int dst = store ? s->rm : s->reg, src = store ? s->reg : s->rm;
    if (s->mod == 3) {
        ld_env_quads(q, vofs(src), len);
    } else {
        gen_rm_quads(s, q, len, aligned ? len : 0);
    }
    st_env_quads(q, vofs(dst), len / 8);
    x86_avx_zero_upper(s, dst);
}

/* ---- broadcasts: arg = log2 of the element size (0..4) -------------------------------- */

static TCGv_i64 replicate(TCGv_i64 v, int size)
{
    static const uint64_t ones[3] = { 0x0101010101010101ull, 0x0001000100010001ull,
                                      0x0000000100000001ull };
    if (size < 3) {
        TCGv_i64 r = tcg_temp_new_i64();
        tcg_gen_andi_i64(r, v, (1ull << (8 << size)) - 1);
        tcg_gen_muli_i64(r, r, (int64_t)ones[size]);
        return r;
    }
    return v;
}

/* arg: log2 of the element size (0..4), | 8 for the integer (AVX2) forms. */
static unsigned bcast_need(DisasContext *s, int size, bool integer)
{
    unsigned need = AVX_W0 | AVX_NOV | (integer ? AVX_2 : 0);
    if (size == 4) {
        return need | AVX_MEM | AVX_L1;             /* VBROADCASTF128 / I128 */
    }
    if (!integer) {
        need |= AVX_2REG | (size == 3 ? AVX_L1 : 0);  /* VBROADCASTSS / SD */
    }
    return need;
}

void x86_emit_avx_bcast(DisasContext *s, const X86OpEntry *e)
{
    int size = e->arg & 7;
    TCGv_i64 q[4];
    if (!x86_avx_check(s, bcast_need(s, size, e->arg & 8))) {
        return;
    }
    gen_rm_quads(s, q, 1 << size, 0);
    if (size < 4) {
        q[0] = replicate(q[0], size);
        q[1] = q[0];
    }
    q[2] = q[0];
    q[3] = q[1];
    st_env_quads(q, vofs(s->reg), vlen(s) / 8);
    x86_avx_zero_upper(s, s->reg);
}

/* ---- 128-bit lanes: arg 0 VINSERT, 1 VEXTRACT, 2 VPERM2; | 4 the AVX2 (I128) form ------- */

static void gen_insert128(DisasContext *s)
{
    TCGv_i64 a[4], b[2];
    ld_env_quads(a, vofs(s->vex_v), 32);
    gen_rm_quads(s, b, 16, 0);
    int lane = (s->imm & 1) * 2;
    a[lane] = b[0];
    a[lane + 1] = b[1];
    st_env_quads(a, vofs(s->reg), 4);
}

static void gen_extract128(DisasContext *s)
{
    intptr_t src = vofs(s->reg) + (s->imm & 1) * 16;
    if (s->mod == 3) {
        TCGv_i64 q[2];
        ld_env_quads(q, src, 16);
        st_env_quads(q, vofs(s->rm), 2);
        tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, vofs(s->rm) + 16);
        tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, vofs(s->rm) + 24);
        return;
    }
    gen_st_quads(s, src, 16, x86_gen_lea_modrm(s));
}

static void gen_perm2_128(DisasContext *s)
{
    TCGv_i64 a[4], b[4], r[4];
    ld_env_quads(a, vofs(s->vex_v), 32);
    gen_rm_quads(s, b, 32, 0);
    for (int lane = 0; lane < 2; lane++) {
        int sel = (int)(s->imm >> (4 * lane)) & 0xf;
        TCGv_i64 *src = (sel & 2) ? b : a;
        for (int h = 0; h < 2; h++) {
            r[2 * lane + h] = (sel & 8) ? tcg_constant_i64(0) : src[2 * (sel & 1) + h];
        }
    }
    st_env_quads(r, vofs(s->reg), 4);
}

void x86_emit_avx_lane(DisasContext *s, const X86OpEntry *e)
{
    int op = e->arg & 3;
    unsigned need = AVX_L1 | AVX_W0 | ((e->arg & 4) ? AVX_2 : 0) | (op == 1 ? AVX_NOV : 0);
    if (!x86_avx_check(s, need)) {
        return;
    }
    switch (op) {
    case 0: gen_insert128(s); break;
    case 1: gen_extract128(s); break;
    default: gen_perm2_128(s); break;
    }
}

/* ---- helper-computed operations: d = reg, a = vvvv, b = rm ---------------------------- */

typedef struct AvxOp {
    const TCGHelperInfo *fn[2];     /* by VEX.W (one entry: W must be 0, or both the same) */
    unsigned need;
} AvxOp;

static const AvxOp avx_ops[] = {
    { { &x86_info_avx_vpermilps_var }, AVX_W0 },
    { { &x86_info_avx_vpermilpd_var }, AVX_W0 },
    { { &x86_info_avx_vpermilps_imm }, AVX_W0 | AVX_NOV },
    { { &x86_info_avx_vpermilpd_imm }, AVX_W0 | AVX_NOV },
    { { &x86_info_avx_vpermd }, AVX_2 | AVX_L1 | AVX_W0 },                 /* VPERMD/PS */
    { { NULL, &x86_info_avx_vpermq }, AVX_2 | AVX_L1 | AVX_W1 | AVX_NOV }, /* VPERMQ/PD */
    { { &x86_info_avx_vpblendd }, AVX_2 | AVX_W0 },
    { { &x86_info_avx_vpsllvd, &x86_info_avx_vpsllvq }, AVX_2 },
    { { &x86_info_avx_vpsrlvd, &x86_info_avx_vpsrlvq }, AVX_2 },
    { { &x86_info_avx_vpsravd }, AVX_2 | AVX_W0 },
};

void x86_emit_avx_op(DisasContext *s, const X86OpEntry *e)
{
    const AvxOp *o = &avx_ops[e->arg];
    if (!x86_avx_check(s, o->need)) {
        return;
    }
    intptr_t b = x86_avx_rm_vec(s, vlen(s));
    TCGv_ptr d = tcg_temp_new_ptr(), a = tcg_temp_new_ptr(), bp = tcg_temp_new_ptr();
    tcg_gen_addi_ptr(d, tcg_env, vofs(s->reg));
    tcg_gen_addi_ptr(a, tcg_env, vofs(s->vex_v));
    tcg_gen_addi_ptr(bp, tcg_env, b);
    x86_gen_helper(o->fn[s->vex_w], NULL, 5, tcgv_temp(tcg_env), tcgv_temp(d), tcgv_temp(a),
                   tcgv_temp(bp), tcgv_temp(tcg_constant_i32(AVX_DESC(vlen(s), s->imm))));
    x86_avx_zero_upper(s, s->reg);
}

/* ---- VTESTPS / VTESTPD / VPTEST (arg: element bytes, 1 VPTEST): ZF, CF; OF SF AF PF
 * cleared ------------------------------------------------------------------------------ */

void x86_emit_avx_vtest(DisasContext *s, const X86OpEntry *e)
{
    if (!x86_avx_check(s, AVX_NOV | (e->arg != 1 ? AVX_W0 : 0))) {      /* VPTEST: WIG */
        return;
    }
    intptr_t b = x86_avx_rm_vec(s, vlen(s));
    TCGv_ptr a = tcg_temp_new_ptr(), bp = tcg_temp_new_ptr();
    TCGv_i64 flags = tcg_temp_new_i64();
    tcg_gen_addi_ptr(a, tcg_env, vofs(s->reg));
    tcg_gen_addi_ptr(bp, tcg_env, b);
    x86_gen_helper(&x86_info_avx_vtest, tcgv_temp(flags), 3, tcgv_temp(a), tcgv_temp(bp),
                   tcgv_temp(tcg_constant_i32(AVX_DESC(vlen(s), e->arg))));
    x86_gen_set_cc(s, CC_OP_EFLAGS, flags, flags, NULL);
}

/* ---- VMASKMOVPS/PD (arg: element bytes | 0x10 store), VPMASKMOVD/Q (0x20 | 0x10 store;
 * VEX.W picks the element size): data = reg, mask = vvvv; avx-mem-helper.c ------------- */

static int ea_segment(DisasContext *s)
{
    return s->override >= 0 ? s->override : s->ea_seg;
}

void x86_emit_avx_maskmov(DisasContext *s, const X86OpEntry *e)
{
    bool integer = e->arg & 0x20, store = e->arg & 0x10;
    unsigned esize = integer ? (s->vex_w ? 8 : 4) : (e->arg & 0xf);
    if (!x86_avx_check(s, AVX_MEM | (integer ? AVX_2 : AVX_W0))) {
        return;
    }
    uint32_t desc = (uint32_t)vlen(s) | esize << 6 | (uint32_t)store << 10 |
                    (uint32_t)s->reg << 11 | (uint32_t)s->vex_v << 15 |
                    (uint32_t)ea_segment(s) << 19 | (uint32_t)s->aflag << 22;
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_avx_maskmov, NULL, 3, tcgv_temp(tcg_env),
                   tcgv_temp(x86_gen_ea_offset(s)), tcgv_temp(tcg_constant_i32(desc)));
}

/* ---- gathers (0F38 90-93; arg 1: qword indices; VEX.W: qword data): VSIB addressing ---- */

void x86_emit_avx_gather(DisasContext *s, const X86OpEntry *e)
{
    /* the SIB index names a vector register (index 100b without REX.X decodes as none) */
    int index = s->ea_index < 0 ? 4 : s->ea_index;
    if (s->mod == 3 || (s->modrm & 7) != 4 || s->aflag == MO_16 || s->reg == s->vex_v ||
        s->reg == index || s->vex_v == index) {
        x86_gen_illegal(s);
        return;
    }
    if (!x86_avx_check(s, AVX_2)) {
        return;
    }
    s->ea_index = -1;
    TCGv_i64 off = x86_gen_ea_offset(s);     /* base + displacement */
    uint32_t desc = (uint32_t)s->vex_l | (uint32_t)s->vex_w << 1 | (uint32_t)(e->arg & 1) << 2 |
                    (uint32_t)s->ea_scale << 3 | (uint32_t)s->reg << 5 |
                    (uint32_t)s->vex_v << 9 | (uint32_t)index << 13 |
                    (uint32_t)ea_segment(s) << 17 | (uint32_t)s->aflag << 20;
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_avx_gather, NULL, 3, tcgv_temp(tcg_env), tcgv_temp(off),
                   tcgv_temp(tcg_constant_i32(desc)));
}

/* ---- VMOVMSKPS/PD, VPMOVMSKB (arg: element bytes): a GPR from the sign bits ------------ */

void x86_emit_avx_movmsk(DisasContext *s, const X86OpEntry *e)
{
    if (s->mod != 3) {
        x86_gen_illegal(s);
        return;
    }
    if (!x86_avx_check(s, AVX_NOV | ((e->arg == 1 && s->vex_l) ? AVX_2 : 0))) {
        return;
    }
    TCGv_ptr v = tcg_temp_new_ptr();
    TCGv_i64 r = tcg_temp_new_i64();
    tcg_gen_addi_ptr(v, tcg_env, vofs(s->rm));
    x86_gen_helper(&x86_info_avx_movmsk, tcgv_temp(r), 2, tcgv_temp(v),
                   tcgv_temp(tcg_constant_i32(AVX_DESC(vlen(s), e->arg))));
    x86_gen_op_mov_reg_v(s, s->code64 ? MO_64 : MO_32, s->reg, r);
}

/* ---- VMOVD / VMOVQ with a GPR (66 0F 6E: to the vector, arg 0; 7E: from it, arg 1) ---- */

static void gen_set_low_quad(DisasContext *s, int reg, TCGv_i64 v)
{
    tcg_gen_st_i64(v, tcg_env, vofs(reg));
    for (int q = 1; q < 4; q++) {
        tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, vofs(reg) + 8 * q);
    }
}

void x86_emit_avx_movd(DisasContext *s, const X86OpEntry *e)
{
    int ot = s->rex_w ? MO_64 : MO_32;
    if (!x86_avx_check(s, AVX_NOV | AVX_L0)) {
        return;
    }
    if (e->arg == 0) {
        gen_set_low_quad(s, s->reg, x86_gen_ld_rm(s, ot, NULL));
        return;
    }
    TCGv_i64 v = tcg_temp_new_i64();
    tcg_gen_ld_i64(v, tcg_env, vofs(s->reg));
    if (s->mod == 3) {
        x86_gen_op_mov_reg_v(s, ot, s->rm, v);
    } else {
        x86_gen_st(s, ot, v, x86_gen_lea_modrm(s));
    }
}

/* ---- VMOVQ xmm, xmm/m64 (F3 0F 7E, arg 0) and xmm/m64, xmm (66 0F D6, arg 1) ------------ */

void x86_emit_avx_movq(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 q[4];
    if (!x86_avx_check(s, AVX_NOV | AVX_L0)) {
        return;
    }
    if (e->arg == 1 && s->mod != 3) {
        gen_st_quads(s, vofs(s->reg), 8, x86_gen_lea_modrm(s));
        return;
    }
    int dst = e->arg ? s->rm : s->reg;
    if (e->arg) {
        ld_env_quads(q, vofs(s->reg), 8);
    } else {
        gen_rm_quads(s, q, 8, 0);
    }
    gen_set_low_quad(s, dst, q[0]);
}

/* ---- VMOVSS / VMOVSD (arg: element bytes, | 0x10 the store form 11): memory forms move
 * one element (a load clears the rest); register forms merge with VEX.vvvv ------------ */

void x86_emit_avx_movs(DisasContext *s, const X86OpEntry *e)
{
    int es = e->arg & 0xf;
    bool store = e->arg & 0x10;
    TCGv_i64 a[2], b[1];
    if (!x86_avx_check(s, s->mod == 3 ? 0 : AVX_NOV)) {
        return;
    }
    if (s->mod != 3) {
        if (store) {
            TCGv_i64 v = tcg_temp_new_i64();
            tcg_gen_ld_i64(v, tcg_env, vofs(s->reg));
            x86_gen_st(s, es == 4 ? MO_32 : MO_64, v, x86_gen_lea_modrm(s));
        } else {
            gen_rm_quads(s, b, es, 0);
            gen_set_low_quad(s, s->reg, b[0]);
        }
        return;
    }
    int dst = store ? s->rm : s->reg, src = store ? s->reg : s->rm;
    ld_env_quads(a, vofs(s->vex_v), 16);
    ld_env_quads(b, vofs(src), 8);
    if (es == 4) {
        tcg_gen_deposit_i64(b[0], a[0], b[0], 0, 32);
    }
    tcg_gen_st_i64(b[0], tcg_env, vofs(dst));
    tcg_gen_st_i64(a[1], tcg_env, vofs(dst) + 8);
    tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, vofs(dst) + 16);
    tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, vofs(dst) + 24);
}

/* ---- VPINSRB/W/D/Q: d = vvvv with one element from a GPR or memory (arg: element
 * bytes, 0 for D/Q by VEX.W); VPEXTRB/W/D/Q, VEXTRACTPS: one element to a GPR (zero-
 * extended) or memory (arg as above; | 0x10: 0F C5, whose GPR is ModRM.reg) ------------- */

static int elem_size(DisasContext *s, int arg)
{
    int es = arg & 0xf;
    return es ? es : (s->rex_w ? 8 : 4);
}

static MemOp size_op(int es)
{
    return es == 1 ? MO_8 : es == 2 ? MO_16 : es == 4 ? MO_32 : MO_64;
}

void x86_emit_avx_pinsr(DisasContext *s, const X86OpEntry *e)
{
    int es = elem_size(s, e->arg);
    if (!x86_avx_check(s, AVX_L0)) {
        return;
    }
    /* a register source is r32 (its low byte: never AH..BH) */
    TCGv_i64 v = x86_gen_ld_rm(s, s->mod == 3 && es < 4 ? MO_32 : size_op(es), NULL), q[2];
    ld_env_quads(q, vofs(s->vex_v), 16);
    int bit = (int)(s->imm & (16 / es - 1)) * es * 8;
    tcg_gen_deposit_i64(q[bit / 64], q[bit / 64], v, bit % 64, es * 8);
    gen_set_low_quad(s, s->reg, q[0]);
    tcg_gen_st_i64(q[1], tcg_env, vofs(s->reg) + 8);
}

void x86_emit_avx_pextr(DisasContext *s, const X86OpEntry *e)
{
    int es = elem_size(s, e->arg);
    bool c5 = e->arg & 0x10;
    if (c5 && s->mod != 3) {
        x86_gen_illegal(s);
        return;
    }
    if (!x86_avx_check(s, AVX_L0 | AVX_NOV)) {
        return;
    }
    int bit = (int)(s->imm & (16 / es - 1)) * es * 8;
    TCGv_i64 v = tcg_temp_new_i64();
    tcg_gen_ld_i64(v, tcg_env, vofs(c5 ? s->rm : s->reg) + bit / 64 * 8);
    tcg_gen_extract_i64(v, v, bit % 64, es * 8);
    if (c5 || s->mod == 3) {
        /* a GPR: 32 bits (zero-extended) unless the element is a quad */
        x86_gen_op_mov_reg_v(s, es == 8 ? MO_64 : MO_32, c5 ? s->reg : s->rm, v);
    } else {
        x86_gen_st(s, size_op(es), v, x86_gen_lea_modrm(s));
    }
}
