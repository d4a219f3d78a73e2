/* x86 registers for gdb: the i386 description (mimic-system-i386, and mimic-system-x86_64
 * outside long mode) and the x86-64 one (mimic-system-x86_64 in long mode: EFER.LMA).
 * gdb reads the description of the mode the CPU is in when it connects; the registers
 * keep that layout until it reads it again (values cut to 32 bits, or zero-extended), so
 * that the 'g' reply always has the size gdb expects. Each description names the other
 * architecture <compatible>, so gdb takes it whatever ELF it loaded. Features and names
 * follow gdb's org.gnu.gdb.i386.{core,sse} (gdb checks the names); segment bases and
 * control registers follow in two more features. Writes take effect: EFLAGS through the
 * lazy flags, RIP, CR3 with a TLB flush; a 32-bit write keeps the upper half. */
#include <string.h>
#include "gdbstub/gdbstub.h"
#include "target-i386/cpu.h"
#include "util/cutils.h"

#define CORE "org.gnu.gdb.i386.core"
#define SSE "org.gnu.gdb.i386.sse"
#define SEGS "org.gnu.gdb.i386.segments"
#define SYS "org.gnu.gdb.i386.sys"

/* What a gdb register number designates (kind, index). */
enum { K_GPR, K_PC, K_FLAGS, K_SEL, K_ST, K_FPC, K_XMM, K_MXCSR, K_BASE, K_CR, K_EFER };
typedef struct X86GdbReg {
    int kind, idx;
} X86GdbReg;

/* gdb's amd64 order of the general registers (rax rbx rcx rdx rsi rdi rbp rsp r8..) as
 * indexes of X86CPU.regs (encoding order). */
static const int amd64_gpr[16] = { 0, 3, 1, 2, 6, 7, 5, 4, 8, 9, 10, 11, 12, 13, 14, 15 };
static const int seg_order[6] = { R_CS, R_SS, R_DS, R_ES, R_FS, R_GS };

#define FP_REGS(F) \
    { "st0", 80, "i387_ext", NULL, F }, { "st1", 80, "i387_ext", NULL, F }, \
    { "st2", 80, "i387_ext", NULL, F }, { "st3", 80, "i387_ext", NULL, F }, \
    { "st4", 80, "i387_ext", NULL, F }, { "st5", 80, "i387_ext", NULL, F }, \
    { "st6", 80, "i387_ext", NULL, F }, { "st7", 80, "i387_ext", NULL, F }, \
    { "fctrl", 32, "int", "float", F }, { "fstat", 32, "int", "float", F }, \
    { "ftag", 32, "int", "float", F }, { "fiseg", 32, "int", "float", F }, \
    { "fioff", 32, "int", "float", F }, { "foseg", 32, "int", "float", F }, \
    { "fooff", 32, "int", "float", F }, { "fop", 32, "int", "float", F }
#define SEG_REGS(F) \
    { "eflags", 32, "i386_eflags", "general", F }, { "cs", 32, "int32", NULL, F }, \
    { "ss", 32, "int32", NULL, F }, { "ds", 32, "int32", NULL, F }, \
    { "es", 32, "int32", NULL, F }, { "fs", 32, "int32", NULL, F }, \
    { "gs", 32, "int32", NULL, F }
#define XMM(n) { "xmm" #n, 128, "vec128", "vector", SSE }

static const GDBRegister x86_64_regs[] = {
    { "rax", 64, "int64", NULL, CORE }, { "rbx", 64, "int64", NULL, CORE },
    { "rcx", 64, "int64", NULL, CORE }, { "rdx", 64, "int64", NULL, CORE },
    { "rsi", 64, "int64", NULL, CORE }, { "rdi", 64, "int64", NULL, CORE },
    { "rbp", 64, "data_ptr", NULL, CORE }, { "rsp", 64, "data_ptr", NULL, CORE },
    { "r8", 64, "int64", NULL, CORE }, { "r9", 64, "int64", NULL, CORE },
    { "r10", 64, "int64", NULL, CORE }, { "r11", 64, "int64", NULL, CORE },
    { "r12", 64, "int64", NULL, CORE }, { "r13", 64, "int64", NULL, CORE },
    { "r14", 64, "int64", NULL, CORE }, { "r15", 64, "int64", NULL, CORE },
    { "rip", 64, "code_ptr", NULL, CORE }, SEG_REGS(CORE), FP_REGS(CORE),
    XMM(0), XMM(1), XMM(2), XMM(3), XMM(4), XMM(5), XMM(6), XMM(7),
    XMM(8), XMM(9), XMM(10), XMM(11), XMM(12), XMM(13), XMM(14), XMM(15),
    { "mxcsr", 32, "i386_mxcsr", "vector", SSE },
    { "fs_base", 64, "int", NULL, SEGS }, { "gs_base", 64, "int", NULL, SEGS },
    { "k_gs_base", 64, "int", NULL, SEGS },
    { "cr0", 64, "int", "system", SYS }, { "cr2", 64, "int", "system", SYS },
    { "cr3", 64, "int", "system", SYS }, { "cr4", 64, "int", "system", SYS },
    { "cr8", 64, "int", "system", SYS }, { "efer", 64, "int", "system", SYS },
};

static const GDBRegister i386_regs[] = {
    { "eax", 32, "int32", NULL, CORE }, { "ecx", 32, "int32", NULL, CORE },
    { "edx", 32, "int32", NULL, CORE }, { "ebx", 32, "int32", NULL, CORE },
    { "esp", 32, "data_ptr", NULL, CORE }, { "ebp", 32, "data_ptr", NULL, CORE },
    { "esi", 32, "int32", NULL, CORE }, { "edi", 32, "int32", NULL, CORE },
    { "eip", 32, "code_ptr", NULL, CORE }, SEG_REGS(CORE), FP_REGS(CORE),
    XMM(0), XMM(1), XMM(2), XMM(3), XMM(4), XMM(5), XMM(6), XMM(7),
    { "mxcsr", 32, "i386_mxcsr", "vector", SSE },
    { "cr0", 32, "int", "system", SYS }, { "cr2", 32, "int", "system", SYS },
    { "cr3", 32, "int", "system", SYS }, { "cr4", 32, "int", "system", SYS },
    { "efer", 64, "int", "system", SYS },
};

/* The meaning of register n in either layout. */
static X86GdbReg x86_gdb_decode(bool is64, int n)
{
    int ngpr = is64 ? 16 : 8, nxmm = is64 ? 16 : 8;
    static const int cr_order[5] = { 0, 2, 3, 4, 8 };
    if (n < ngpr) {
        return (X86GdbReg){ K_GPR, is64 ? amd64_gpr[n] : n };
    }
    n -= ngpr;
    if (n < 2) {
        return (X86GdbReg){ n == 0 ? K_PC : K_FLAGS, 0 };
    }
    n -= 2;
    if (n < 6) {
        return (X86GdbReg){ K_SEL, seg_order[n] };
    }
    n -= 6;
    if (n < 16) {
        return (X86GdbReg){ n < 8 ? K_ST : K_FPC, n & 7 };
    }
    n -= 16;
    if (n <= nxmm) {
        return (X86GdbReg){ n < nxmm ? K_XMM : K_MXCSR, n };
    }
    n -= nxmm + 1;
    int nbase = is64 ? 3 : 0, ncr = is64 ? 5 : 4;
    if (n < nbase) {
        return (X86GdbReg){ K_BASE, n };
    }
    n -= nbase;
    if (n < ncr) {
        return (X86GdbReg){ K_CR, cr_order[n] };
    }
    return (X86GdbReg){ n == ncr ? K_EFER : -1, 0 };
}

static uint16_t x86_fpu_tag_word(const X86CPU *x)
{
    uint16_t tw = 0;
    for (int i = 0; i < 8; i++) {
        tw |= (uint16_t)(x->fptags[i] ? 3 : 0) << (2 * i);
    }
    return tw;
}

static uint64_t x86_fpc_read(const X86CPU *x, int i)
{
    switch (i) {
    case 0: return x->fpuc;
    case 1: return (x->fpus & ~0x3800u) | ((x->fpstt & 7) << 11);
    case 2: return x86_fpu_tag_word(x);
    case 3: return x->fpcs;
    case 4: return x->fpip;
    case 5: return x->fpds;
    case 6: return x->fpdp;
    default: return x->fpop;
    }
}

static void x86_fpc_write(X86CPU *x, int i, uint32_t v)
{
    switch (i) {
    case 0: x->fpuc = (uint16_t)v; break;
    case 1: x->fpus = (uint16_t)(v & ~0x3800u); x->fpstt = (v >> 11) & 7; break;
    case 2:
        for (int r = 0; r < 8; r++) {
            x->fptags[r] = ((v >> (2 * r)) & 3) == 3;
        }
        break;
    case 3: x->fpcs = (uint16_t)v; break;
    case 4: x->fpip = v; break;
    case 5: x->fpds = (uint16_t)v; break;
    case 6: x->fpdp = v; break;
    default: x->fpop = (uint16_t)(v & 0x7ff); break;
    }
}

static uint64_t x86_base_read(const X86CPU *x, int i)
{
    return i == 0 ? x->segs[R_FS].base : i == 1 ? x->segs[R_GS].base : x->kernel_gs_base;
}

static uint64_t x86_scalar_read(X86CPU *x, X86GdbReg r)
{
    switch (r.kind) {
    case K_GPR: return x->regs[r.idx];
    case K_PC: return x->rip;
    case K_FLAGS: return x86_cpu_get_eflags(x);
    case K_SEL: return x->segs[r.idx].selector;
    case K_FPC: return x86_fpc_read(x, r.idx);
    case K_MXCSR: return x->mxcsr;
    case K_BASE: return x86_base_read(x, r.idx);
    case K_CR: return r.idx == 8 ? x->cr8 : x->cr[r.idx];
    default: return x->efer;
    }
}

static int x86_gdb_read(CPUState *cpu, const GDBRegister *table, int nb, bool is64, int n,
                        uint8_t *buf)
{
    X86CPU *x = x86_cpu(cpu);
    if (n < 0 || n >= nb) {
        return 0;
    }
    X86GdbReg r = x86_gdb_decode(is64, n);
    int size = (int)table[n].bits / 8;
    if (r.kind == K_ST) {
        memcpy(buf, &x->fpregs[r.idx].mant, 8);
        memcpy(buf + 8, &x->fpregs[r.idx].sexp, 2);
    } else if (r.kind == K_XMM) {
        memcpy(buf, x->vec[r.idx].b, 16);
    } else {
        uint64_t v = x86_scalar_read(x, r);
        memcpy(buf, &v, (size_t)size);      /* little-endian host and guest */
    }
    return size;
}

static void x86_sel_write(X86CPU *x, int seg, uint16_t sel)
{
    /* Real and virtual-8086 mode only: in protected mode a selector load reads the
     * descriptor tables, which the debugger does not do (the value is left). */
    if (!(x->cr[0] & 1) || (x->eflags & X86_EFLAGS_VM)) {
        x86_cpu_load_real_mode_segment(x, seg, sel);
    }
}

static void x86_cr_write(X86CPU *x, int cr, uint64_t v)
{
    if (cr == 8) {
        x->cr8 = v;
    } else if (cr == 3) {
        x86_write_cr3(x, v);
    } else {
        x->cr[cr] = v;
    }
}

/* A register written through the i386 layout keeps its upper half (a 64-bit CPU seen
 * with the 32-bit layout after a switch to long mode). */
static uint64_t x86_merge(uint64_t old, uint64_t v, bool is64)
{
    return is64 ? v : (old & ~0xffffffffull) | (uint32_t)v;
}

static void x86_scalar_write(X86CPU *x, X86GdbReg r, uint64_t v, bool is64)
{
    switch (r.kind) {
    case K_GPR: x->regs[r.idx] = x86_merge(x->regs[r.idx], v, is64); break;
    case K_PC: x->rip = x86_merge(x->rip, v, is64); break;
    case K_FLAGS: x86_cpu_set_eflags(x, (x->eflags & ~0xffffffffull) | (uint32_t)v); break;
    case K_SEL: x86_sel_write(x, r.idx, (uint16_t)v); break;
    case K_FPC: x86_fpc_write(x, r.idx, (uint32_t)v); break;
    case K_MXCSR: x->mxcsr = (uint32_t)v; break;
    case K_BASE:
        if (r.idx == 2) {
            x->kernel_gs_base = v;
        } else {
            x->segs[r.idx == 0 ? R_FS : R_GS].base = v;
        }
        break;
    case K_CR: x86_cr_write(x, r.idx, v); break;
    default: x->efer = v; break;
    }
}

static int x86_gdb_write(CPUState *cpu, const GDBRegister *table, int nb, bool is64, int n,
                         const uint8_t *buf)
{
    X86CPU *x = x86_cpu(cpu);
    if (n < 0 || n >= nb) {
        return 0;
    }
    X86GdbReg r = x86_gdb_decode(is64, n);
    int size = (int)table[n].bits / 8;
    if (r.kind == K_ST) {
        memcpy(&x->fpregs[r.idx].mant, buf, 8);
        memcpy(&x->fpregs[r.idx].sexp, buf + 8, 2);
    } else if (r.kind == K_XMM) {
        memcpy(x->vec[r.idx].b, buf, 16);
    } else {
        uint64_t v = 0;
        memcpy(&v, buf, (size_t)size);
        x86_scalar_write(x, r, v, is64);
    }
    x86_update_hflags(x);
    return size;
}

static int x86_64_read(CPUState *cpu, int n, uint8_t *buf)
{
    return x86_gdb_read(cpu, x86_64_regs, ARRAY_SIZE(x86_64_regs), true, n, buf);
}

static int x86_64_write(CPUState *cpu, int n, const uint8_t *buf)
{
    return x86_gdb_write(cpu, x86_64_regs, ARRAY_SIZE(x86_64_regs), true, n, buf);
}

static int i386_read(CPUState *cpu, int n, uint8_t *buf)
{
    return x86_gdb_read(cpu, i386_regs, ARRAY_SIZE(i386_regs), false, n, buf);
}

static int i386_write(CPUState *cpu, int n, const uint8_t *buf)
{
    return x86_gdb_write(cpu, i386_regs, ARRAY_SIZE(i386_regs), false, n, buf);
}

/* The types gdb's own i386 features define (EFLAGS and MXCSR bits, the XMM views). */
static const GDBFeatureTypes x86_types[] = {
    { CORE,
      "<flags id=\"i386_eflags\" size=\"4\">"
      "<field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>"
      "<field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>"
      "<field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>"
      "<field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>"
      "<field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>"
      "<field name=\"NT\" start=\"14\" end=\"14\"/><field name=\"RF\" start=\"16\" end=\"16\"/>"
      "<field name=\"VM\" start=\"17\" end=\"17\"/><field name=\"AC\" start=\"18\" end=\"18\"/>"
      "<field name=\"VIF\" start=\"19\" end=\"19\"/><field name=\"VIP\" start=\"20\" end=\"20\"/>"
      "<field name=\"ID\" start=\"21\" end=\"21\"/></flags>\n" },
    { SSE,
      "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
      "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
      "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
      "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
      "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
      "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
      "<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/>"
      "<field name=\"v2_double\" type=\"v2d\"/><field name=\"v16_int8\" type=\"v16i8\"/>"
      "<field name=\"v8_int16\" type=\"v8i16\"/><field name=\"v4_int32\" type=\"v4i32\"/>"
      "<field name=\"v2_int64\" type=\"v2i64\"/><field name=\"uint128\" type=\"uint128\"/>"
      "</union>\n"
      "<flags id=\"i386_mxcsr\" size=\"4\">"
      "<field name=\"IE\" start=\"0\" end=\"0\"/><field name=\"DE\" start=\"1\" end=\"1\"/>"
      "<field name=\"ZE\" start=\"2\" end=\"2\"/><field name=\"OE\" start=\"3\" end=\"3\"/>"
      "<field name=\"UE\" start=\"4\" end=\"4\"/><field name=\"PE\" start=\"5\" end=\"5\"/>"
      "<field name=\"DAZ\" start=\"6\" end=\"6\"/><field name=\"IM\" start=\"7\" end=\"7\"/>"
      "<field name=\"DM\" start=\"8\" end=\"8\"/><field name=\"ZM\" start=\"9\" end=\"9\"/>"
      "<field name=\"OM\" start=\"10\" end=\"10\"/><field name=\"UM\" start=\"11\" end=\"11\"/>"
      "<field name=\"PM\" start=\"12\" end=\"12\"/><field name=\"FZ\" start=\"15\" end=\"15\"/>"
      "</flags>\n" },
    { NULL, NULL },
};

static const GDBTargetOps *x86_64_for_mode(CPUState *cpu);

static const GDBTargetOps x86_64_gdb = {
    .arch = "x86_64", .architecture = "i386:x86-64", .regs = x86_64_regs,
    .nb_regs = ARRAY_SIZE(x86_64_regs), .types = x86_types, .compatible = "i386",
    .for_mode = x86_64_for_mode,
    .read_register = x86_64_read, .write_register = x86_64_write,
};

static const GDBTargetOps i386_gdb = {
    .arch = "i386", .architecture = "i386", .regs = i386_regs,
    .nb_regs = ARRAY_SIZE(i386_regs), .types = x86_types, .compatible = "i386:x86-64",
    .read_register = i386_read, .write_register = i386_write,
};

/* mimic-system-x86_64: the x86-64 layout in long mode (64-bit and compatibility mode),
 * the i386 one in real, protected and virtual-8086 mode. */
static const GDBTargetOps *x86_64_for_mode(CPUState *cpu)
{
    return x86_cpu(cpu)->efer & X86_EFER_LMA ? &x86_64_gdb : &i386_gdb;
}

static void __attribute__((constructor)) x86_gdb_register(void)
{
    gdb_register_target(&x86_64_gdb);
    gdb_register_target(&i386_gdb);
}
