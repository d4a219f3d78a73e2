/* x86 CPU models qemu32 and qemu64: reset state per Intel SDM vol. 3A section 9.1.1, table 9-1
 * ("IA-32 and Intel 64 processor states following power-up, reset, or INIT"), IA32_APIC_BASE
 * per 10.4.4, IA32_PAT per 11.12.4, APs waiting for SIPI per 8.4; page walks per chapter 4
 * (32-bit, PAE and 4-level paging); register dump in QEMU's "info registers" layout. Section
 * numbers as in the SDM editions up to 2022 (later editions moved these chapters up by one). */
#include <inttypes.h>
#include <string.h>
#include "target-i386/cpu.h"
#include "target-i386/helper-sys.h"
#include "util/cutils.h"

/* ---- reset ---------------------------------------------------------------------------- */

static void x86_segment_set(X86Segment *s, uint16_t selector, uint64_t base, uint32_t limit,
                            uint32_t flags)
{
    *s = (X86Segment){ .selector = selector, .base = base, .limit = limit, .flags = flags };
}

/* SDM 3A table 9-1: CS = F000 / FFFF0000 / FFFF, others 0 / 0 / FFFF, all present, R/W
 * (code: execute/read), accessed; LDTR/TR present, GDTR/IDTR base 0 limit FFFF. */
static void x86_reset_segments(X86CPU *x)
{
    const uint32_t data_rw = X86_SEG_P | X86_SEG_S | (0x3u << X86_SEG_TYPE_SHIFT);
    const uint32_t code_rx = X86_SEG_P | X86_SEG_S | (0xbu << X86_SEG_TYPE_SHIFT);

    for (int i = 0; i < X86_NR_SEGS; i++) {
        x86_segment_set(&x->segs[i], 0, 0, 0xffff, data_rw);
    }
    x86_segment_set(&x->segs[R_CS], 0xf000, 0xffff0000, 0xffff, code_rx);
    x86_segment_set(&x->ldtr, 0, 0, 0xffff, X86_SEG_P | (0x2u << X86_SEG_TYPE_SHIFT));
    x86_segment_set(&x->tr, 0, 0, 0xffff, X86_SEG_P | (0xbu << X86_SEG_TYPE_SHIFT));
    x->gdtr = (X86DescriptorTable){ .base = 0, .limit = 0xffff };
    x->idtr = (X86DescriptorTable){ .base = 0, .limit = 0xffff };
}

/* CPU #0 is the bootstrap processor; the others wait for INIT/SIPI. */
static void x86_reset_msrs(X86CPU *x)
{
    x->apic_base = X86_APIC_BASE_DEFAULT | X86_APIC_BASE_ENABLE |
                   (x->parent.index == 0 ? X86_APIC_BASE_BSP : 0);
    x->pat = X86_PAT_RESET;
    x->sysenter_cs = x->sysenter_esp = x->sysenter_eip = 0;
    x->star = x->lstar = x->cstar = x->fmask = x->kernel_gs_base = 0;
    x->tsc_aux = 0;
    x->misc_enable = 1;                 /* fast strings */
    x->spec_ctrl = 0;
    x->feature_control = 0;
    x->syscfg = 0;
    x->mcg_status = x->mcg_ctl = 0;
    x->mtrr_cap_def_type = 0;
    memset(x->mtrr_fixed, 0, sizeof(x->mtrr_fixed));
    memset(x->mtrr_var, 0, sizeof(x->mtrr_var));
    x86_write_tsc(x, 0);
}

/* x87 and SSE state after reset (SDM 3A table 9-1; FCW as after FNINIT, as QEMU). */
static void x86_cpu_reset_fpu(X86CPU *x)
{
    memset(x->fpregs, 0, sizeof(x->fpregs));
    x->fpstt = 0;
    x->fpus = 0;
    x->fpuc = X86_FPUC_RESET;
    memset(x->fptags, 1, sizeof(x->fptags));
    x->fpop = 0;
    x->fpcs = x->fpds = 0;
    x->fpip = x->fpdp = 0;
    x->mxcsr = X86_MXCSR_RESET;
    memset(x->vec, 0, sizeof(x->vec));
}

static void x86_cpu_reset(CPUState *cpu)
{
    X86CPU *x = x86_cpu(cpu);

    memset(x->regs, 0, sizeof(x->regs));
    x->regs[R_EDX] = x->cpuid_version;          /* EDX = 000n06xxH: the signature */
    x->rip = 0xfff0;
    x->eflags = X86_EFLAGS_FIXED;               /* 00000002H */
    x86_reset_segments(x);
    memset(x->cr, 0, sizeof(x->cr));
    x->cr[0] = X86_CR0_CD | X86_CR0_NW | X86_CR0_ET;   /* 60000010H */
    x->cr8 = 0;
    x->efer = 0;
    x86_reset_msrs(x);
    memset(x->dr, 0, sizeof(x->dr));
    x->dr[6] = 0xffff0ff0;
    x->dr[7] = 0x00000400;
    x86_sync_data_bpts(x);                      /* no data breakpoints */
    x->cc_op = X86_CC_OP_EFLAGS;
    x->cc_src = x->cc_dst = x->cc_src2 = 0;
    x->a20_mask = ~0ull;
    x->xcr0 = 1;
    x86_cpu_reset_fpu(x);
    x->hflags = 0;
    x->hflags2 = 0;
    x->old_exception = -1;
    x->exc_chain_len = 0;
    x->delivering = false;
    x->wait_for_sipi = cpu->index != 0;
    x86_update_hflags(x);
    /* Only the bootstrap processor runs after reset; the others wait for INIT-SIPI-SIPI
     * (SDM 3A 8.4, multiple-processor initialization). */
    cpu->halted = cpu->index != 0;
}

/* ---- state queries ---------------------------------------------------------------------- */

int x86_cpu_cpl(const X86CPU *x)
{
    if (!(x->cr[0] & X86_CR0_PE)) {
        return 0;
    }
    if (x->eflags & X86_EFLAGS_VM) {
        return 3;
    }
    /* SS.DPL always equals CPL in protected mode (SDM 3A 5.5, 5.8.3): conforming code
     * keeps CPL while CS.RPL may differ, so SS is the reliable copy. */
    return (x->segs[R_SS].flags & X86_SEG_DPL) >> X86_SEG_DPL_SHIFT;
}

bool x86_cpu_in_64bit_code(const X86CPU *x)
{
    return (x->efer & X86_EFER_LMA) && (x->segs[R_CS].flags & X86_SEG_L);
}

void x86_cpu_load_real_mode_segment(X86CPU *x, int seg, uint16_t selector)
{
    x->segs[seg].selector = selector;
    x->segs[seg].base = (uint64_t)selector << 4;
    x86_update_hflags(x);
}

/* HLT ends on an unmasked INTR, or on NMI, SMI, INIT (SDM 3A 9.1 and the HLT entry). */
static bool x86_cpu_has_work(CPUState *cpu)
{
    X86CPU *x = x86_cpu(cpu);
    unsigned req = atomic_load(&cpu->interrupt_request);
    if (x->wait_for_sipi) {
        return (req & (CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI)) != 0;
    }
    if ((req & CPU_INTERRUPT_HARD) && (x->eflags & X86_EFLAGS_IF)) {
        return true;
    }
    return (req & (CPU_INTERRUPT_NMI | CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI)) != 0;
}

static uint64_t x86_cpu_get_pc(CPUState *cpu)
{
    X86CPU *x = x86_cpu(cpu);
    if (x86_cpu_in_64bit_code(x)) {
        return x->rip;
    }
    return (uint32_t)(x->segs[R_CS].base + x->rip);
}

static int x86_cpu_get_phys_addr(CPUState *cpu, uint64_t vaddr, hwaddr *paddr)
{
    return x86_cpu_debug_phys_addr(x86_cpu(cpu), vaddr, paddr);
}

/* ---- registers by name --------------------------------------------------------------------- */

/* The qemu64 table extends the qemu32 one, so indices of shared names agree. */
#define X86_REGS_32                                                                     \
    X(eax, 32) X(ecx, 32) X(edx, 32) X(ebx, 32) X(esp, 32) X(ebp, 32) X(esi, 32) X(edi, 32) \
    X(eip, 32) X(eflags, 32) X(es, 16) X(cs, 16) X(ss, 16) X(ds, 16) X(fs, 16) X(gs, 16)    \
    X(cr0, 32) X(cr2, 32) X(cr3, 32) X(cr4, 32) X(dr0, 32) X(dr1, 32) X(dr2, 32)            \
    X(dr3, 32) X(dr6, 32) X(dr7, 32) X(efer, 64) X(gdtr_base, 32) X(gdtr_limit, 16)          \
    X(idtr_base, 32) X(idtr_limit, 16) X(apic_base, 64) X(pat, 64) X(sysenter_cs, 32)       \
    X(sysenter_esp, 32) X(sysenter_eip, 32)
#define X86_REGS_64                                                                     \
    X(rax, 64) X(rcx, 64) X(rdx, 64) X(rbx, 64) X(rsp, 64) X(rbp, 64) X(rsi, 64) X(rdi, 64) \
    X(r8, 64) X(r9, 64) X(r10, 64) X(r11, 64) X(r12, 64) X(r13, 64) X(r14, 64) X(r15, 64)   \
    X(rip, 64) X(rflags, 64) X(fs_base, 64) X(gs_base, 64) X(cr8, 64) X(star, 64)           \
    X(lstar, 64) X(cstar, 64) X(fmask, 64) X(kernel_gs_base, 64)

enum {
#define X(name, bits) X86_REG_##name,
    X86_REGS_32 X86_REGS_64
#undef X
    X86_REG_COUNT
};

static const CPURegisterInfo x86_registers_32[] = {
#define X(name, bits) { #name, bits },
    X86_REGS_32
#undef X
    { NULL, 0 }
};

static const CPURegisterInfo x86_registers_64[] = {
#define X(name, bits) { #name, bits },
    X86_REGS_32 X86_REGS_64
#undef X
    { NULL, 0 }
};

static uint64_t *x86_reg_slot(X86CPU *x, int index)
{
    if (index >= X86_REG_eax && index <= X86_REG_edi) {
        return &x->regs[index - X86_REG_eax];
    }
    if (index >= X86_REG_rax && index <= X86_REG_r15) {
        return &x->regs[index - X86_REG_rax];
    }
    switch (index) {
    case X86_REG_eip: case X86_REG_rip: return &x->rip;
    case X86_REG_eflags: case X86_REG_rflags: return &x->eflags;
    case X86_REG_cr0: return &x->cr[0];
    case X86_REG_cr2: return &x->cr[2];
    case X86_REG_cr3: return &x->cr[3];
    case X86_REG_cr4: return &x->cr[4];
    case X86_REG_cr8: return &x->cr8;
    case X86_REG_dr0: case X86_REG_dr1: case X86_REG_dr2: case X86_REG_dr3:
        return &x->dr[index - X86_REG_dr0];
    case X86_REG_dr6: return &x->dr[6];
    case X86_REG_dr7: return &x->dr[7];
    case X86_REG_efer: return &x->efer;
    case X86_REG_fs_base: return &x->segs[R_FS].base;
    case X86_REG_gs_base: return &x->segs[R_GS].base;
    case X86_REG_gdtr_base: return &x->gdtr.base;
    case X86_REG_idtr_base: return &x->idtr.base;
    case X86_REG_apic_base: return &x->apic_base;
    case X86_REG_pat: return &x->pat;
    case X86_REG_sysenter_cs: return &x->sysenter_cs;
    case X86_REG_sysenter_esp: return &x->sysenter_esp;
    case X86_REG_sysenter_eip: return &x->sysenter_eip;
    case X86_REG_star: return &x->star;
    case X86_REG_lstar: return &x->lstar;
    case X86_REG_cstar: return &x->cstar;
    case X86_REG_fmask: return &x->fmask;
    case X86_REG_kernel_gs_base: return &x->kernel_gs_base;
    default: return NULL;
    }
}

static int x86_reg_count(CPUState *cpu)
{
    return cpu->cls->registers == x86_registers_64 ? X86_REG_COUNT : X86_REG_sysenter_eip + 1;
}

static int x86_cpu_get_register(CPUState *cpu, int index, uint64_t *value)
{
    X86CPU *x = x86_cpu(cpu);

    if (index < 0 || index >= x86_reg_count(cpu)) {
        return -1;
    }
    if (index >= X86_REG_es && index <= X86_REG_gs) {
        *value = x->segs[index - X86_REG_es].selector;
        return 0;
    }
    if (index == X86_REG_gdtr_limit || index == X86_REG_idtr_limit) {
        *value = index == X86_REG_gdtr_limit ? x->gdtr.limit : x->idtr.limit;
        return 0;
    }
    if (index == X86_REG_eflags || index == X86_REG_rflags) {
        *value = x86_cpu_get_eflags(x);
        return 0;
    }
    uint64_t *slot = x86_reg_slot(x, index);
    if (!slot) {
        return -1;
    }
    *value = cpu->cls->registers[index].bits == 32 ? (uint32_t)*slot : *slot;
    return 0;
}

/* Writes of a 32-bit name replace the whole register, zero-extended (as a 32-bit MOV does
 * in 64-bit mode). A selector written in real mode also sets the base. */
static int x86_cpu_set_register(CPUState *cpu, int index, uint64_t value)
{
    X86CPU *x = x86_cpu(cpu);

    if (index < 0 || index >= x86_reg_count(cpu)) {
        return -1;
    }
    if (index >= X86_REG_es && index <= X86_REG_gs) {
        int seg = index - X86_REG_es;
        if (x->cr[0] & X86_CR0_PE) {
            x->segs[seg].selector = (uint16_t)value;
        } else {
            x86_cpu_load_real_mode_segment(x, seg, (uint16_t)value);
        }
        return 0;
    }
    if (index == X86_REG_gdtr_limit || index == X86_REG_idtr_limit) {
        X86DescriptorTable *t = index == X86_REG_gdtr_limit ? &x->gdtr : &x->idtr;
        t->limit = (uint16_t)value;
        return 0;
    }
    if (index == X86_REG_eflags || index == X86_REG_rflags) {
        x86_cpu_set_eflags(x, (uint32_t)value);
        return 0;
    }
    uint64_t *slot = x86_reg_slot(x, index);
    if (!slot) {
        return -1;
    }
    *slot = cpu->cls->registers[index].bits == 32 ? (uint32_t)value : value;
    x86_update_hflags(x);
    return 0;
}

/* ---- "info registers" ------------------------------------------------------------------------- */

static void x86_dump_flags(X86CPU *x, FILE *out)
{
    uint64_t f = x86_cpu_get_eflags(x);
    fprintf(out, "[%c%c%c%c%c%c%c] CPL=%d II=%d SMM=%d HLT=%d\n",
            f & X86_EFLAGS_DF ? 'D' : '-', f & X86_EFLAGS_OF ? 'O' : '-',
            f & X86_EFLAGS_SF ? 'S' : '-', f & X86_EFLAGS_ZF ? 'Z' : '-',
            f & X86_EFLAGS_AF ? 'A' : '-', f & X86_EFLAGS_PF ? 'P' : '-',
            f & X86_EFLAGS_CF ? 'C' : '-', x86_cpu_cpl(x), (x->hflags & HF_INHIBIT_IRQ) != 0,
            (x->hflags & HF_SMM) != 0,
            x->parent.halted);
}

static void x86_dump_segment(FILE *out, const char *name, const X86Segment *s, bool wide)
{
    if (wide) {
        fprintf(out, "%s=%04x %016" PRIx64 " %08x %08x\n", name, s->selector, s->base,
                s->limit, s->flags);
    } else {
        fprintf(out, "%s=%04x %08x %08x %08x\n", name, s->selector, (uint32_t)s->base,
                s->limit, s->flags);
    }
}

static void x86_dump_gprs(X86CPU *x, FILE *out, bool wide)
{
    static const char *const names64[16] = { "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP",
                                             "RSP", "R8 ", "R9 ", "R10", "R11", "R12", "R13",
                                             "R14", "R15" };
    static const int order[16] = { R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP, R_ESP,
                                   8, 9, 10, 11, 12, 13, 14, 15 };
    for (int i = 0; i < (wide ? 16 : 8); i++) {
        if (wide) {
            fprintf(out, "%s=%016" PRIx64, names64[i], x->regs[order[i]]);
        } else {
            fprintf(out, "E%s=%08x", names64[i] + 1, (uint32_t)x->regs[order[i]]);
        }
        fputc(i % 4 == 3 ? '\n' : ' ', out);
    }
}

static void x86_cpu_dump_state(CPUState *cpu, FILE *out)
{
    static const char *const seg_names[X86_NR_SEGS] = { "ES ", "CS ", "SS ", "DS ", "FS ",
                                                        "GS " };
    X86CPU *x = x86_cpu(cpu);
    bool wide = x86_cpu_in_64bit_code(x);

    x86_dump_gprs(x, out, wide);
    if (wide) {
        fprintf(out, "RIP=%016" PRIx64 " RFL=%08x ", x->rip, (uint32_t)x86_cpu_get_eflags(x));
    } else {
        fprintf(out, "EIP=%08x EFL=%08x ", (uint32_t)x->rip, (uint32_t)x86_cpu_get_eflags(x));
    }
    x86_dump_flags(x, out);
    for (int i = 0; i < X86_NR_SEGS; i++) {
        x86_dump_segment(out, seg_names[i], &x->segs[i], wide);
    }
    x86_dump_segment(out, "LDT", &x->ldtr, wide);
    x86_dump_segment(out, "TR ", &x->tr, wide);
    if (wide) {
        fprintf(out, "GDT=     %016" PRIx64 " %08x\n", x->gdtr.base, x->gdtr.limit);
        fprintf(out, "IDT=     %016" PRIx64 " %08x\n", x->idtr.base, x->idtr.limit);
        fprintf(out, "CR0=%08x CR2=%016" PRIx64 " CR3=%016" PRIx64 " CR4=%08x\n",
                (uint32_t)x->cr[0], x->cr[2], x->cr[3], (uint32_t)x->cr[4]);
    } else {
        fprintf(out, "GDT=     %08x %08x\n", (uint32_t)x->gdtr.base, x->gdtr.limit);
        fprintf(out, "IDT=     %08x %08x\n", (uint32_t)x->idtr.base, x->idtr.limit);
        fprintf(out, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n", (uint32_t)x->cr[0],
                (uint32_t)x->cr[2], (uint32_t)x->cr[3], (uint32_t)x->cr[4]);
    }
    for (int i = 0; i < 4; i++) {
        fprintf(out, wide ? "DR%d=%016" PRIx64 " " : "DR%d=%08" PRIx64 " ", i, x->dr[i]);
    }
    fprintf(out, "\nDR6=%08" PRIx64 " DR7=%08" PRIx64 "\n", x->dr[6], x->dr[7]);
    fprintf(out, "EFER=%016" PRIx64 "\n", x->efer);
}

/* ---- the CPU classes (models in cpuid.c) ------------------------------------------------------ */

void x86_cpu_fill_class(CPUClass *cls, const char *model, const char *description,
                        bool is64)
{
    *cls = (CPUClass){
        .arch = is64 ? "x86_64" : "i386",
        .model = model,
        .description = description,
        .instance_size = sizeof(X86CPU),
        .init = x86_cpu_model_init,
        .reset = x86_cpu_reset,
        .dump_state = x86_cpu_dump_state,
        .registers = is64 ? x86_registers_64 : x86_registers_32,
        .get_register = x86_cpu_get_register,
        .set_register = x86_cpu_set_register,
        .has_work = x86_cpu_has_work,
        .get_pc = x86_cpu_get_pc,
        .get_phys_addr = x86_cpu_get_phys_addr,
        .parse_options = x86_cpu_parse_options,
        .tcg_ops = &x86_tcg_ops,
    };
}
