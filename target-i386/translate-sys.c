/* x86 system instructions for the translator: segment-register moves and loads, port
 * I/O, CPUID, RDTSC/RDPMC, RDMSR/WRMSR, MOV to/from CRn and DRn, descriptor-table
 * instructions (group 6 and 7), CLTS, INVD/WBINVD, SYSENTER/SYSEXIT, SYSCALL/SYSRET,
 * ARPL, LAR/LSL (Intel SDM vol. 2 and 3A). What the TB flags decide (CPL 0 only, real or
 * virtual-8086 mode, 64-bit only) is checked here; the architectural work is done by the
 * helpers of helper-sys.h (x86-sys). */
#include <stddef.h>
#include "target-i386/cpuid.h"
#include "target-i386/helper.h"
#include "target-i386/helper-sys.h"
#include "target-i386/translate.h"

#define ENV tcgv_temp(tcg_env)
#define C32(v) tcgv_temp(tcg_constant_i32(v))
#define C64(v) tcgv_temp(tcg_constant_i64(v))

static bool cpl0(DisasContext *s)
{
    return (s->flags & HF_CPL_MASK) == 0;
}

/* Protected mode outside virtual-8086 (descriptor instructions are #UD elsewhere). */
static bool pe_not_vm(DisasContext *s)
{
    return (s->flags & HF_PE) && !(s->flags & HF_VM);
}

/* Privileged instruction: #GP(0) unless CPL 0. True if it faulted. */
static bool check_cpl0(DisasContext *s)
{
    if (!cpl0(s)) {
        x86_gen_exception_err(s, EXCP_GP, 0);
        return true;
    }
    return false;
}

static TCGv_i32 to_i32(TCGv_i64 v)
{
    TCGv_i32 t = tcg_temp_new_i32();
    tcg_gen_extrl_i64_i32(t, v);
    return t;
}

/* A system helper without result: env then up to three arguments (nargs counts env). */
static void gen_sys_call(DisasContext *s, const TCGHelperInfo *info, int nargs, TCGTemp *a1,
                         TCGTemp *a2, TCGTemp *a3)
{
    x86_gen_update_cc_op(s);
    x86_gen_helper(info, NULL, nargs, ENV, a1, a2, a3);
}

/* ---- segment registers ------------------------------------------------------------------------ */

/* Loads segment seg with the selector in sel (low 16 bits). Real and virtual-8086 mode
 * loads other than SS are inline (base = selector << 4); the rest, and SS (which opens the
 * interrupt shadow), go through the system helper and end the TB. */
static void gen_load_seg(DisasContext *s, int seg, TCGv_i64 sel)
{
    if (pe_not_vm(s) || seg == R_SS) {
        gen_sys_call(s, &x86_info_load_seg, 3, C32(seg), tcgv_temp(to_i32(sel)), NULL);
        s->is_jmp = DISAS_EOB_NEXT;     /* flat-ness, SS.B or the shadow changed */
    } else {
        TCGv_i64 t = tcg_temp_new_i64();
        tcg_gen_ext16u_i64(t, sel);
        tcg_gen_st16_i64(t, tcg_env, offsetof(X86CPU, segs[seg].selector));
        tcg_gen_shli_i64(x86_cpu_seg_base[seg], t, 4);
    }
}

static TCGv_i64 gen_selector(int seg)
{
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_ld16u_i64(t, tcg_env, offsetof(X86CPU, segs[seg].selector));
    return t;
}

void x86_emit_mov_seg(DisasContext *s, const X86OpEntry *e)
{
    int seg = (s->modrm >> 3) & 7;

    if (seg >= X86_NR_SEGS || (e->arg && seg == R_CS)) {
        x86_gen_illegal(s);
        return;
    }
    if (e->arg) {
        gen_load_seg(s, seg, x86_gen_ld_rm(s, MO_16, NULL));
    } else {
        x86_gen_st_rm(s, s->mod == 3 ? s->dflag : MO_16, gen_selector(seg), NULL);
    }
}

/* PUSH sreg: the selector zero-extended to the operand size (AMD APM and QEMU; the SDM
 * also allows recent Intel processors' 16-bit store). */
void x86_emit_seg_push(DisasContext *s, const X86OpEntry *e)
{
    x86_gen_push(s, x86_gen_push_ot(s, s->dflag), gen_selector(e->arg));
}

void x86_emit_seg_pop(DisasContext *s, const X86OpEntry *e)
{
    int ot = x86_gen_push_ot(s, s->dflag);
    TCGv_i64 v = x86_gen_pop_peek(s, MO_16);
    gen_load_seg(s, e->arg, v);
    x86_gen_pop_update(s, ot);
}

/* LES/LDS (C4/C5 outside 64-bit mode, memory forms), LSS/LFS/LGS. */
void x86_emit_lseg(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 off = tcg_temp_new_i64(), sel = tcg_temp_new_i64(), a2 = tcg_temp_new_i64();

    if (s->mod == 3 || (s->opcode < 0x100 && s->code64)) {
        x86_gen_illegal(s);     /* VEX (not implemented) or register form */
        return;
    }
    TCGv_i64 a = x86_gen_lea_modrm(s);
    x86_gen_ld(s, s->dflag, off, a);
    tcg_gen_addi_i64(a2, a, 1 << s->dflag);
    if (!s->code64) {
        tcg_gen_ext32u_i64(a2, a2);
    }
    x86_gen_ld(s, MO_16, sel, a2);
    gen_load_seg(s, e->arg, sel);
    x86_gen_op_mov_reg_v(s, s->dflag, s->reg, off);
}

/* ---- port I/O --------------------------------------------------------------------------------- */

/* arg: 0 IN imm, 1 OUT imm, 2 IN DX, 3 OUT DX */
void x86_emit_in_out(DisasContext *s, const X86OpEntry *e)
{
    int ot = s->ot == MO_8 ? MO_8 : (s->dflag == MO_16 ? MO_16 : MO_32);
    TCGv_i32 port = tcg_temp_new_i32(), v = tcg_temp_new_i32();

    if (e->arg >= 2) {
        TCGv_i64 dx = tcg_temp_new_i64();
        tcg_gen_ext16u_i64(dx, x86_cpu_regs[R_EDX]);
        tcg_gen_extrl_i64_i32(port, dx);
    } else {
        tcg_gen_movi_i32(port, (uint32_t)s->imm);
    }
    x86_gen_update_cc_op(s);
    if (e->arg & 1) {
        TCGv_i64 a = tcg_temp_new_i64();
        x86_gen_op_mov_v_reg(s, ot, a, R_EAX);
        tcg_gen_extrl_i64_i32(v, a);
        x86_gen_helper(&x86_info_out, NULL, 4, ENV, tcgv_temp(port), tcgv_temp(v), C32(ot));
    } else {
        TCGv_i64 a = tcg_temp_new_i64();
        x86_gen_helper(&x86_info_in, tcgv_temp(v), 3, ENV, tcgv_temp(port), C32(ot));
        tcg_gen_extu_i32_i64(a, v);
        x86_gen_op_mov_reg_v(s, ot, R_EAX, a);
    }
    if (s->flags & HF_BPT) {    /* DR0-3 I/O breakpoints: a trap after the instruction */
        x86_gen_helper(&x86_info_check_io_bpt, NULL, 4, ENV, tcgv_temp(port), C32(ot),
                       tcgv_temp(tcg_constant_i64((int64_t)s_next_eip(s))));
    }
}

/* ---- identification, time stamp, MSRs ------------------------------------------------------------ */

void x86_emit_cpuid(DisasContext *s, const X86OpEntry *e)
{
    gen_sys_call(s, &x86_info_cpuid, 1, NULL, NULL, NULL);
}

/* arg: 0 RDTSC, 1 RDTSCP, 2 RDPMC */
void x86_emit_rdtsc(DisasContext *s, const X86OpEntry *e)
{
    gen_sys_call(s, &x86_info_rdtsc, 2, C32(e->arg), NULL, NULL);
}

/* arg: 0 RDMSR, 1 WRMSR */
void x86_emit_msr(DisasContext *s, const X86OpEntry *e)
{
    if (check_cpl0(s)) {
        return;
    }
    gen_sys_call(s, &x86_info_rdmsr, 2, C32(e->arg), NULL, NULL);
    if (e->arg) {
        s->is_jmp = DISAS_EOB_NEXT;
    }
}

/* ---- control and debug registers ---------------------------------------------------------------- */

/* MOV to/from CRn or DRn (n valid, CPL 0): the read or write helper; writes end the TB. */
static void gen_mov_sysreg(DisasContext *s, bool write, int n, const TCGHelperInfo *rd,
                           const TCGHelperInfo *wr)
{
    int ot = s->code64 ? MO_64 : MO_32;
    TCGv_i64 v = tcg_temp_new_i64();

    if (check_cpl0(s)) {
        return;
    }
    x86_gen_update_cc_op(s);
    if (write) {
        x86_gen_ext(ot, v, x86_cpu_regs[s->rm], false);
        x86_gen_helper(wr, NULL, 3, ENV, C32(n), tcgv_temp(v));
        s->is_jmp = DISAS_EOB_NEXT;
    } else {
        x86_gen_helper(rd, tcgv_temp(v), 2, ENV, C32(n));
        x86_gen_op_mov_reg_v(s, ot, s->rm, v);
    }
}

void x86_emit_mov_cr(DisasContext *s, const X86OpEntry *e)
{
    int cr = s->reg;

    if (cr != 0 && cr != 2 && cr != 3 && cr != 4 && cr != 8) {
        x86_gen_illegal(s);
        return;
    }
    gen_mov_sysreg(s, e->arg, cr, &x86_info_read_cr, &x86_info_write_cr);
}

void x86_emit_mov_dr(DisasContext *s, const X86OpEntry *e)
{
    if (s->reg > 7) {
        x86_gen_illegal(s);
        return;
    }
    gen_mov_sysreg(s, e->arg, s->reg, &x86_info_read_dr, &x86_info_write_dr);
}

void x86_emit_clts(DisasContext *s, const X86OpEntry *e)
{
    if (check_cpl0(s)) {
        return;
    }
    gen_sys_call(s, &x86_info_clts, 1, NULL, NULL, NULL);
    s->is_jmp = DISAS_EOB_NEXT;
}

/* arg: 0 INVD, 1 WBINVD: no caches to manage. */
void x86_emit_invd(DisasContext *s, const X86OpEntry *e)
{
    check_cpl0(s);
}

/* ---- descriptor tables: group 6 (0F 00) and group 7 (0F 01) --------------------------------------- */

void x86_emit_sys_grp6(DisasContext *s, const X86OpEntry *e)
{
    static const TCGHelperInfo *const helpers[6] = { NULL, NULL, &x86_info_lldt, &x86_info_ltr,
                                                     &x86_info_verr, &x86_info_verw };
    int op = (s->modrm >> 3) & 7;

    if (!pe_not_vm(s) || op > 5) {
        x86_gen_illegal(s);
        return;
    }
    if (op < 2) {
        TCGv_i64 v = tcg_temp_new_i64();
        x86_gen_update_cc_op(s);
        x86_gen_helper(&x86_info_read_sys_sel, tcgv_temp(v), 2, ENV, C32(op == 0 ? 1 : 2));
        x86_gen_st_rm(s, s->mod == 3 ? s->dflag : MO_16, v, NULL);
        return;
    }
    if (op < 4 && check_cpl0(s)) {
        return;
    }
    if (op >= 4) {
        x86_gen_cc_exact(s);
    }
    TCGv_i64 sel = x86_gen_ld_rm(s, MO_16, NULL);
    if (op >= 4) {
        x86_gen_compute_eflags(s);
    }
    gen_sys_call(s, helpers[op], 2, tcgv_temp(to_i32(sel)), NULL, NULL);
}

/* SGDT/SIDT (which = 0/1) and LGDT/LIDT through the system helpers (UMIP, CPL, the
 * 24-bit base of a 16-bit LGDT). */
static void gen_store_dt(DisasContext *s, int which)
{
    gen_sys_call(s, &x86_info_sgdt, 3, C32(which), tcgv_temp(x86_gen_lea_modrm(s)), NULL);
}

static void gen_load_dt(DisasContext *s, int which)
{
    gen_sys_call(s, &x86_info_lgdt, 4, C32(which), tcgv_temp(x86_gen_lea_modrm(s)),
                 C32(s->code64 ? MO_64 : s->dflag));
}

static void gen_smsw(DisasContext *s)
{
    TCGv_i64 v = tcg_temp_new_i64();
    x86_gen_update_cc_op(s);
    x86_gen_helper(&x86_info_read_sys_sel, tcgv_temp(v), 2, ENV, C32(0));
    x86_gen_st_rm(s, s->mod == 3 ? s->dflag : MO_16, v, NULL);
}

static void gen_lmsw(DisasContext *s)
{
    TCGv_i64 v = x86_gen_ld_rm(s, MO_16, NULL);
    gen_sys_call(s, &x86_info_lmsw, 2, tcgv_temp(to_i32(v)), NULL, NULL);
    s->is_jmp = DISAS_EOB_NEXT;
}

/* CLAC/STAC (SDM vol. 2A): #UD without SMAP or at CPL > 0. They change EFLAGS.AC, on
 * which the data MMU index (HF_SMAP_ACTIVE) depends: hflags are recomputed and the TB
 * ends after them. */
static void gen_clac_stac(DisasContext *s, bool set)
{
    TCGv_i64 f;

    if (!x86_need_feature(s, FEAT_7_0_EBX, CPUID_7_0_EBX_SMAP)) {
        return;
    }
    if ((s->flags & HF_CPL_MASK) != 0) {
        x86_gen_illegal(s);
        return;
    }
    f = tcg_temp_new_i64();
    tcg_gen_ld_i64(f, tcg_env, offsetof(X86CPU, eflags));
    if (set) {
        tcg_gen_ori_i64(f, f, X86_EFLAGS_AC);
    } else {
        tcg_gen_andi_i64(f, f, ~(uint64_t)X86_EFLAGS_AC);
    }
    tcg_gen_st_i64(f, tcg_env, offsetof(X86CPU, eflags));
    x86_gen_helper(&x86_info_update_hflags, NULL, 1, tcgv_temp(tcg_env));
    s->is_jmp = DISAS_EOB_NEXT;
}

/* 0F 01 with a register operand: the instructions named by the whole ModRM byte. */
static void gen_grp7_reg(DisasContext *s)
{
    switch (s->modrm) {
    case 0xca:      /* CLAC */
    case 0xcb:      /* STAC */
        gen_clac_stac(s, s->modrm == 0xcb);
        return;
    case 0xd0:      /* XGETBV */
        gen_sys_call(s, &x86_info_xgetbv, 1, NULL, NULL, NULL);
        return;
    case 0xd1:      /* XSETBV (XCR0 enables state components: the TB ends) */
        gen_sys_call(s, &x86_info_xsetbv, 1, NULL, NULL, NULL);
        s->is_jmp = DISAS_EOB_NEXT;
        return;
    case 0xf8:      /* SWAPGS */
        if (!s->code64) {
            break;
        }
        if (!check_cpl0(s)) {
            gen_sys_call(s, &x86_info_swapgs, 1, NULL, NULL, NULL);
            s->is_jmp = DISAS_EOB_NEXT;
        }
        return;
    case 0xf9:      /* RDTSCP */
        if (x86_need_feature(s, FEAT_8000_0001_EDX, CPUID_EXT2_RDTSCP)) {
            gen_sys_call(s, &x86_info_rdtsc, 2, C32(1), NULL, NULL);
        }
        return;
    default:
        break;
    }
    x86_gen_illegal(s);
}

void x86_emit_sys_grp7(DisasContext *s, const X86OpEntry *e)
{
    int op = (s->modrm >> 3) & 7;

    if (op == 4) {
        gen_smsw(s);
        return;
    }
    if (op == 6) {
        if (!check_cpl0(s)) {
            gen_lmsw(s);
        }
        return;
    }
    if (s->mod == 3) {
        gen_grp7_reg(s);
        return;
    }
    if (op == 5 || ((op == 2 || op == 3 || op == 7) && check_cpl0(s))) {
        if (op == 5) {
            x86_gen_illegal(s);
        }
        return;
    }
    switch (op) {
    case 0: case 1: gen_store_dt(s, op); break;
    case 2: case 3: gen_load_dt(s, op - 2); break;
    default:
        gen_sys_call(s, &x86_info_invlpg, 2, tcgv_temp(x86_gen_lea_modrm(s)), NULL, NULL);
        s->is_jmp = DISAS_EOB_NEXT;
        break;
    }
}

/* ---- fast system calls -------------------------------------------------------------------------- */

/* arg: 0 SYSENTER, 1 SYSEXIT */
void x86_emit_sysenter(DisasContext *s, const X86OpEntry *e)
{
    if (!(s->flags & HF_PE)) {
        x86_gen_exception_err(s, EXCP_GP, 0);
        return;
    }
    x86_gen_set_eip(s, s_cur_eip(s));
    if (e->arg) {
        gen_sys_call(s, &x86_info_sysexit, 2, C32(s->rex_w ? MO_64 : MO_32), NULL, NULL);
    } else {
        gen_sys_call(s, &x86_info_sysenter, 1, NULL, NULL, NULL);
    }
    x86_set_cc_op(s, CC_OP_DYNAMIC);
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_NORETURN;
}

/* arg: 0 SYSCALL, 1 SYSRET */
void x86_emit_syscall(DisasContext *s, const X86OpEntry *e)
{
    if (e->arg) {
        gen_sys_call(s, &x86_info_sysret, 2, C32(s->rex_w ? MO_64 : MO_32), NULL, NULL);
    } else {
        gen_sys_call(s, &x86_info_syscall, 2, C64(s_next_eip(s)), NULL, NULL);
    }
    x86_set_cc_op(s, CC_OP_DYNAMIC);
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_NORETURN;
}

/* ---- ARPL, LAR, LSL ---------------------------------------------------------------------------- */

void x86_emit_arpl(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 addr, src = tcg_temp_new_i64(), res = tcg_temp_new_i64();
    TCGv_i32 r32 = tcg_temp_new_i32();

    if (!pe_not_vm(s)) {
        x86_gen_illegal(s);
        return;
    }
    TCGv_i64 dst = x86_gen_ld_rm(s, MO_16, &addr);
    if (addr) {
        x86_gen_st(s, MO_16, dst, addr);       /* the final store must not fault */
    }
    x86_gen_op_mov_v_reg(s, MO_16, src, s->reg);
    x86_gen_cc_exact(s);
    x86_gen_compute_eflags(s);
    x86_gen_helper(&x86_info_arpl, tcgv_temp(r32), 3, ENV, tcgv_temp(to_i32(dst)),
               tcgv_temp(to_i32(src)));
    tcg_gen_extu_i32_i64(res, r32);
    x86_gen_st_rm(s, MO_16, res, addr);
}

/* arg: 0 LAR, 1 LSL: the destination is written only when the helper sets ZF. */
void x86_emit_lar_lsl(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 res = tcg_temp_new_i64(), zf = tcg_temp_new_i64(), full = tcg_temp_new_i64();
    TCGv_i64 old = tcg_temp_new_i64();

    if (!pe_not_vm(s)) {
        x86_gen_illegal(s);
        return;
    }
    x86_gen_cc_exact(s);
    TCGv_i64 sel = x86_gen_ld_rm(s, MO_16, NULL);
    x86_gen_compute_eflags(s);
    x86_gen_helper(e->arg ? &x86_info_lsl : &x86_info_lar, tcgv_temp(res), 2, ENV,
               tcgv_temp(to_i32(sel)));
    tcg_gen_andi_i64(zf, x86_cpu_cc_src, X86_EFLAGS_ZF);
    tcg_gen_mov_i64(old, x86_cpu_regs[s->reg]);
    x86_gen_op_mov_reg_v(s, s->dflag, s->reg, res);
    tcg_gen_mov_i64(full, x86_cpu_regs[s->reg]);
    tcg_gen_movcond_i64(TCG_COND_NE, x86_cpu_regs[s->reg], zf, tcg_constant_i64(0), full, old);
}
