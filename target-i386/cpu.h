/* x86 CPU state (IA-32 and Intel 64), as the Intel SDM vol. 3A describes it: general
 * registers, RIP, RFLAGS with lazy condition codes, segment registers with their hidden
 * parts, control, debug and descriptor-table registers, the MSRs firmware and Linux use,
 * the translation flags (hflags) that key translated code, and the interface to the
 * interrupt controllers. Decisions and ownership: /work/wt/x86-contract.md, docs/x86.md. */
#ifndef TARGET_I386_CPU_H
#define TARGET_I386_CPU_H

#include <stdint.h>
#include "system/cpu.h"

/* General registers, in instruction-encoding order. */
enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI, X86_NR_GPRS = 16 };
/* Segment registers, in encoding order. */
enum { R_ES, R_CS, R_SS, R_DS, R_FS, R_GS, X86_NR_SEGS };

/* EFLAGS bits (SDM 3A 2.3). */
#define X86_EFLAGS_CF (1u << 0)
#define X86_EFLAGS_FIXED (1u << 1)      /* reads as 1 */
#define X86_EFLAGS_PF (1u << 2)
#define X86_EFLAGS_AF (1u << 4)
#define X86_EFLAGS_ZF (1u << 6)
#define X86_EFLAGS_SF (1u << 7)
#define X86_EFLAGS_TF (1u << 8)
#define X86_EFLAGS_IF (1u << 9)
#define X86_EFLAGS_DF (1u << 10)
#define X86_EFLAGS_OF (1u << 11)
#define X86_EFLAGS_IOPL_SHIFT 12
#define X86_EFLAGS_IOPL (3u << 12)
#define X86_EFLAGS_NT (1u << 14)
#define X86_EFLAGS_RF (1u << 16)
#define X86_EFLAGS_VM (1u << 17)
#define X86_EFLAGS_AC (1u << 18)
#define X86_EFLAGS_VIF (1u << 19)
#define X86_EFLAGS_VIP (1u << 20)
#define X86_EFLAGS_ID (1u << 21)
/* The arithmetic flags, kept lazily in cc_op/cc_src/cc_dst/cc_src2 (never in .eflags). */
#define X86_EFLAGS_ARITH (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | X86_EFLAGS_ZF | \
                          X86_EFLAGS_SF | X86_EFLAGS_OF)

/* Control registers (SDM 3A 2.5). */
#define X86_CR0_PE (1u << 0)
#define X86_CR0_MP (1u << 1)
#define X86_CR0_EM (1u << 2)
#define X86_CR0_TS (1u << 3)
#define X86_CR0_ET (1u << 4)
#define X86_CR0_NE (1u << 5)
#define X86_CR0_WP (1u << 16)
#define X86_CR0_AM (1u << 18)
#define X86_CR0_NW (1u << 29)
#define X86_CR0_CD (1u << 30)
#define X86_CR0_PG (1u << 31)
#define X86_CR4_VME (1u << 0)
#define X86_CR4_PVI (1u << 1)
#define X86_CR4_TSD (1u << 2)
#define X86_CR4_DE (1u << 3)
#define X86_CR4_PSE (1u << 4)
#define X86_CR4_PAE (1u << 5)
#define X86_CR4_MCE (1u << 6)
#define X86_CR4_PGE (1u << 7)
#define X86_CR4_PCE (1u << 8)
#define X86_CR4_OSFXSR (1u << 9)
#define X86_CR4_OSXMMEXCPT (1u << 10)
#define X86_CR4_UMIP (1u << 11)
#define X86_CR4_LA57 (1u << 12)
#define X86_CR4_FSGSBASE (1u << 16)
#define X86_CR4_PCIDE (1u << 17)
#define X86_CR4_OSXSAVE (1u << 18)
#define X86_CR4_SMEP (1u << 20)
#define X86_CR4_SMAP (1u << 21)
#define X86_CR4_PKE (1u << 22)
#define X86_EFER_SCE (1u << 0)
#define X86_EFER_LME (1u << 8)
#define X86_EFER_LMA (1u << 10)
#define X86_EFER_NXE (1u << 11)
/* DR6/DR7 (SDM 3A 17.2). */
#define X86_DR6_BS (1u << 14)
#define X86_DR6_BD (1u << 13)
#define X86_DR6_BT (1u << 15)
#define X86_DR6_FIXED 0xffff0ff0u
#define X86_DR7_GD (1u << 13)
#define X86_DR7_FIXED 0x00000400u

/* IA32_APIC_BASE (SDM 3A 10.4.4): BSP flag, global enable, base at FEE00000H after reset. */
#define X86_APIC_BASE_BSP (1u << 8)
#define X86_APIC_BASE_EXTD (1u << 10)
#define X86_APIC_BASE_ENABLE (1u << 11)
#define X86_APIC_BASE_DEFAULT 0xfee00000u
/* IA32_PAT after reset (SDM 3A 11.12.4): WB, WT, UC-, UC, repeated. */
#define X86_PAT_RESET 0x0007040600070406ull

/* Exception vectors (SDM 3A 6.3.1). */
enum {
    EXCP00_DIVZ, EXCP01_DB, EXCP02_NMI, EXCP03_INT3, EXCP04_INTO, EXCP05_BOUND,
    EXCP06_ILLOP, EXCP07_PREX, EXCP08_DBLE, EXCP09_XERR, EXCP0A_TSS, EXCP0B_NOSEG,
    EXCP0C_STACK, EXCP0D_GPF, EXCP0E_PAGE, EXCP10_COPR = 16, EXCP11_ALGN, EXCP12_MCHK,
    EXCP13_XMM, EXCP14_VE, EXCP15_CP,
};
/* Page-fault error code bits (SDM 3A 4.7). */
#define X86_PF_P (1u << 0)
#define X86_PF_W (1u << 1)
#define X86_PF_U (1u << 2)
#define X86_PF_RSVD (1u << 3)
#define X86_PF_I (1u << 4)
#define X86_PF_PK (1u << 5)

/* Segment flags: bits 8..23 of a descriptor's high dword, as the hidden part keeps them. */
/* Memory-access kinds of an instruction in 64-bit mode (insn_start word 2): the TLB fill
 * raises #SS(0) instead of #GP(0) for a non-canonical stack access. */
#define X86_MEM_SS 1                    /* through SS: explicit, or a stack operation */
#define X86_MEM_OTHER 2                 /* through another segment */

#define X86_SEG_TYPE_SHIFT 8
#define X86_SEG_TYPE_MASK (0xfu << 8)
#define X86_SEG_A (1u << 8)             /* code/data: accessed */
#define X86_SEG_RW (1u << 9)            /* data: writable; code: readable */
#define X86_SEG_EC (1u << 10)           /* data: expand-down; code: conforming */
#define X86_SEG_CODE (1u << 11)
#define X86_SEG_S (1u << 12)            /* code/data (not system) */
#define X86_SEG_DPL_SHIFT 13
#define X86_SEG_DPL (3u << 13)
#define X86_SEG_P (1u << 15)
#define X86_SEG_AVL (1u << 20)
#define X86_SEG_L (1u << 21)            /* 64-bit code */
#define X86_SEG_DB (1u << 22)
#define X86_SEG_G (1u << 23)

/* A segment register: the visible selector and the hidden descriptor cache. limit is the
 * expanded byte limit (G applied); flags as above. */
typedef struct X86Segment {
    uint16_t selector;
    uint64_t base;
    uint32_t limit;
    uint32_t flags;
} X86Segment;

typedef struct X86DescriptorTable {
    uint64_t base;
    uint32_t limit;
} X86DescriptorTable;

/* ---- translation flags (TB key), recomputed by x86_update_hflags() ---------------------
 * Every change of a bit below must end the TB (exit_tb 0 after the helper): the next TB is
 * looked up with the new flags, so stale code of another mode never runs. */
#define HF_CPL_MASK      (3u << 0)      /* current privilege level */
#define HF_PE            (1u << 2)      /* CR0.PE */
#define HF_VM            (1u << 3)      /* EFLAGS.VM: virtual-8086 mode */
#define HF_CS32          (1u << 4)      /* CS.D: 32-bit default operand/address size */
#define HF_SS32          (1u << 5)      /* SS.B: 32-bit stack pointer (ESP) */
#define HF_LMA           (1u << 6)      /* EFER.LMA: IA-32e mode */
#define HF_CS64          (1u << 7)      /* LMA and CS.L: 64-bit mode */
#define HF_ADDSEG        (1u << 8)      /* a DS/ES/SS base is non-zero, or not 32-bit
                                         * protected mode: add segment bases. Clear: the
                                         * flat shortcut (DS/ES/SS bases are 0). Never set
                                         * in 64-bit mode (only FS/GS bases count there). */
#define HF_IOPL_SHIFT    9
#define HF_IOPL_MASK     (3u << 9)      /* EFLAGS.IOPL */
#define HF_TF            (1u << 11)     /* EFLAGS.TF: single-step trap after each insn */
#define HF_INHIBIT_IRQ   (1u << 12)     /* first insn after STI / MOV SS / POP SS: translate
                                         * exactly one insn, clear the bit (helper
                                         * x86_helper_reset_inhibit_irq), end the TB */
#define HF_RF            (1u << 13)     /* EFLAGS.RF: code breakpoints suppressed */
#define HF_MP            (1u << 14)     /* CR0.MP */
#define HF_EM            (1u << 15)     /* CR0.EM */
#define HF_TS            (1u << 16)     /* CR0.TS */
#define HF_OSFXSR        (1u << 17)     /* CR4.OSFXSR */
#define HF_SMAP_ACTIVE   (1u << 18)     /* CR4.SMAP and !EFLAGS.AC: data mmu idx is KSMAP */
#define HF_UMIP          (1u << 19)     /* CR4.UMIP: SGDT/SIDT/SLDT/SMSW/STR #GP at CPL > 0 */
#define HF_TSD           (1u << 20)     /* CR4.TSD: RDTSC(P) #GP at CPL > 0 */
#define HF_PCE           (1u << 21)     /* CR4.PCE: RDPMC allowed at CPL > 0 */
#define HF_VME           (1u << 22)     /* CR4.VME in v86 mode / PVI in protected mode */
#define HF_FSGSBASE      (1u << 23)     /* CR4.FSGSBASE: RD/WR FS/GS BASE allowed */
#define HF_SMM           (1u << 24)     /* system management mode (never set: no SMM) */
#define HF_OSXSAVE       (1u << 25)     /* CR4.OSXSAVE: XGETBV allowed */
#define HF_BPT           (1u << 26)     /* DR7 enables an instruction breakpoint: the
                                         * translator calls x86_helper_check_bpt(eip)
                                         * before each instruction */
#define HF_AC            (1u << 27)     /* alignment check: CR0.AM, EFLAGS.AC and CPL 3 */
#define HF_SEGLIM        (1u << 29)     /* protected mode outside 64-bit code with a present
                                         * ES/CS/SS/DS/FS/GS whose limit is not 4 GiB or
                                         * that expands down: data accesses check limits */
#define HF_AVX           (1u << 28)     /* CR4.OSXSAVE and XCR0 enables SSE and AVX state:
                                         * VEX vector instructions allowed */

/* MMU indexes of the soft TLB (tlb_fill decides permissions per index). */
enum {
    X86_MMU_KSMAP = 0,      /* supervisor data, SMAP enforced on user pages */
    X86_MMU_USER = 1,       /* CPL 3 (and implicit accesses must not use this) */
    X86_MMU_KNOSMAP = 2,    /* supervisor, user pages allowed (AC=1 or no SMAP; and
                             * implicit supervisor accesses: GDT/IDT/TSS/stack switch) */
    X86_MMU_KEXEC = 3,      /* supervisor instruction fetch (SMEP checked) */
    X86_NB_MMU = 4,
};

/* Lazy condition codes. cc_op says how the arithmetic flags follow from cc_dst, cc_src and
 * cc_src2. The system side writes only CC_OP_EFLAGS (cc_src holds OF SF ZF AF PF CF at
 * their EFLAGS positions); the translator owns the other values (target-i386/cc.h) and
 * x86_cc_compute_all(). */
#define X86_CC_OP_EFLAGS 0

/* Interrupt-controller side of the CPU (set by the machine, see x86-contract.md). */
typedef struct X86IntcOps {
    /* INTR acknowledge: the vector of the highest-priority pending maskable interrupt,
     * and marks it in service (LAPIC, else PIC through ExtINT). -1 if nothing is pending
     * any more (the line is then lowered by the controller and nothing is delivered). */
    int (*ack)(CPUState *cpu);
    /* WRMSR IA32_APIC_BASE was accepted (new value already in X86CPU.apic_base). */
    void (*apic_base_changed)(CPUState *cpu);
    /* MOV CR8 in 64-bit mode: TPR[7:4] = cr8[3:0]; NULL: CR8 is plain storage. */
    void (*set_tpr)(CPUState *cpu, uint8_t cr8);
    uint8_t (*get_tpr)(CPUState *cpu);
    /* MSRs the controller implements (IA32_TSC_DEADLINE 6E0H, x2APIC 800H-8FFH): true if
     * msr is one of them (*value read, or written); NULL: none. */
    bool (*msr)(CPUState *cpu, uint32_t msr, uint64_t *value, bool write);
    /* CPUID.1:ECX bits the controller supports (CPUID_EXT_TSC_DEADLINE, CPUID_EXT_X2APIC):
     * offered when the CPU model has them (-cpu max, or +tsc-deadline/+x2apic). */
    uint32_t cpuid_1_ecx;
    /* FERR#: an unmasked x87 exception is pending at a waiting x87 instruction with
     * CR0.NE = 0 (the instruction then goes on). A PC raises IRQ 13 and keeps it until
     * the write to port F0h (the machine's side); called again at each such instruction
     * until the guest clears the exception. NULL: nothing (the default). */
    void (*ferr)(CPUState *cpu);
} X86IntcOps;

#define X86_MTRR_VAR 8

/* CPUID feature registers the model offers (X86CPU.features[]); bit names in
 * target-i386/cpuid.h. The translator raises #UD for instructions whose bit is clear. */
enum {
    FEAT_1_EDX, FEAT_1_ECX, FEAT_7_0_EBX, FEAT_7_0_ECX, FEAT_7_0_EDX,
    FEAT_8000_0001_EDX, FEAT_8000_0001_ECX, FEAT_XSAVE_1_EAX, X86_NB_FEAT_WORDS,
};

/* One x87 data register as the FPU holds it (SDM 1 8.1.2, 4.2.2 "double extended"):
 * 64-bit significand with the explicit integer bit, then sign and 15-bit exponent. MMX
 * register mmN is fpregs[N].mant (physical register N, not ST(N)); writing it sets sexp
 * to 0xffff (SDM 1 9.5.1). */
typedef struct X87Reg {
    uint64_t mant;
    uint16_t sexp;                  /* bit 15 sign, bits 14..0 biased exponent */
    uint16_t pad[3];
} X87Reg;

/* One vector register: YMMn; XMMn is its low 16 bytes (SDM 1 14.1). Elements are in
 * guest (little-endian) order, as on the host. */
typedef union X86Vec {
    uint8_t b[32];
    uint16_t w[16];
    uint32_t l[8];
    uint64_t q[4];
    int8_t sb[32];
    int16_t sw[16];
    int32_t sl[8];
    int64_t sq[4];
    float s[8];
    double d[4];
} __attribute__((aligned(16))) X86Vec;   /* malloc gives 16 */

#define X86_NR_VECS 16
#define X86_MXCSR_RESET 0x1f80u
#define X86_FPUC_RESET 0x037fu      /* after FNINIT; also what reset leaves (as QEMU) */

/* One exception of a delivery chain, as the triple-fault report names it. */
typedef struct X86ExcRecord {
    int vector;
    int error_code;                 /* -1: none */
    uint16_t cs;
    uint64_t eip, cr2;
} X86ExcRecord;

typedef struct X86CPU {
    CPUState parent;                /* first: a CPUState * is an X86CPU * */
    /* ---- fixed offsets read by translated code (globals) ---- */
    uint64_t regs[X86_NR_GPRS];     /* RAX..R15; the 32-bit view is the low half */
    uint64_t rip;
    uint64_t eflags;                /* all bits except X86_EFLAGS_ARITH (lazy) */
    uint64_t cc_dst, cc_src, cc_src2;
    uint32_t cc_op;
    uint32_t hflags;                /* HF_*: the TB flags */
    uint32_t hflags2;               /* HF2_*: state outside the TB key */
    X86Segment segs[X86_NR_SEGS];
    X86Segment ldtr, tr;
    X86DescriptorTable gdtr, idtr;
    uint64_t cr[5];                 /* CR0, (CR1 reserved), CR2, CR3, CR4 */
    uint64_t cr8;
    uint64_t efer;
    uint64_t dr[8];                 /* DR4/DR5 alias DR6/DR7 (CR4.DE=0) */
    uint64_t a20_mask;              /* physical address mask: ~(1 << 20) with A20 off */
    uint64_t xcr0;
    /* ---- x87, MMX, SSE, AVX (SDM 1 chapters 8-14; layout shared by the FP helpers) ---- */
    X87Reg fpregs[8];               /* physical R0..R7: ST(i) = fpregs[(fpstt + i) & 7] */
    uint32_t fpstt;                 /* TOP (FSW bits 13..11 live here, not in fpus) */
    uint16_t fpus;                  /* FSW without TOP: B C3 C2 C1 C0 ES SF PE..IE */
    uint16_t fpuc;                  /* FCW */
    uint8_t fptags[8];              /* per physical register: 1 = empty (tag 11b) */
    uint16_t fpop;                  /* last non-control opcode (11 bits) */
    uint16_t fpcs, fpds;            /* last instruction / operand selectors */
    uint64_t fpip, fpdp;            /* last instruction / operand offsets */
    uint32_t mxcsr;
    X86Vec vec[X86_NR_VECS];        /* YMM0..15 (XMMn = low half) */
    X86Vec vtmp;                    /* scratch: a vector source operand loaded from memory */
    /* ---- MSRs ---- */
    uint64_t apic_base;             /* IA32_APIC_BASE */
    uint64_t pat;                   /* IA32_PAT */
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t star, lstar, cstar, fmask, kernel_gs_base;
    uint64_t tsc_offset;            /* TSC = virtual clock ns * tsc_khz / 1e6 + offset */
    uint64_t tsc_aux;
    uint64_t misc_enable;
    uint64_t spec_ctrl;
    uint64_t arch_capabilities;     /* IA32_ARCH_CAPABILITIES (read-only, per model) */
    uint64_t mtrr_cap_def_type;     /* IA32_MTRR_DEF_TYPE */
    uint64_t mtrr_fixed[11];        /* 64K_00000, 16K_80000/A0000, 4K_C0000..F8000 */
    uint64_t mtrr_var[X86_MTRR_VAR][2];    /* PHYSBASEn, PHYSMASKn */
    uint64_t mcg_status, mcg_ctl;
    uint64_t feature_control;
    uint64_t syscfg;                /* AMD SYSCFG (MTRR DRAM bits only) */
    /* ---- events ---- */
    uint32_t error_code;            /* of the pending exception (cpu->exception_index) */
    bool has_error_code;
    bool exception_is_int;          /* INT n / INT3 / INTO: software (DPL checked) */
    bool exception_trap;            /* trap-class #DB: delivered with exception_next_eip */
    uint64_t exception_next_eip;    /* EIP after INT n (what the handler returns to) */
    int old_exception;              /* for #DF: the first fault of the pair, -1 none */
    X86ExcRecord exc_chain[8];      /* the current delivery chain (the triple-fault
                                     * report of -d cpu_reset and -no-reboot) */
    int exc_chain_len;
    bool delivering;                /* inside x86_deliver (a fault extends the chain) */
    uint8_t insn_mem;               /* X86_MEM_* of the instruction restored last
                                     * (insn_start word 2, 64-bit code only) */
    uint32_t sipi_vector;           /* set by the LAPIC before CPU_INTERRUPT_SIPI */
    bool wait_for_sipi;             /* AP after INIT: only SIPI wakes it */
    const X86IntcOps *intc;         /* NULL: no interrupt controller (INTR vector 0xff) */
    /* ---- model (set by init / -cpu) ---- */
    uint32_t cpuid_version;         /* family/model/stepping: CPUID.1:EAX, EDX at reset */
    bool long_mode;                 /* the model has Intel 64 */
    uint32_t features[X86_NB_FEAT_WORDS];   /* CPUID feature registers offered */
    uint32_t intc_features;         /* CPUID.1:ECX bits wanted from intc (x2APIC, ...) */
    uint32_t cpuid_level, cpuid_xlevel;
    char vendor[13];
    char model_id[49];
    uint8_t phys_bits;
    uint64_t tsc_khz;
} X86CPU;

/* hflags2 */
#define HF2_NMI_MASK   (1u << 0)        /* an NMI handler runs: NMIs blocked until IRET */
#define HF2_SHADOW_DBG (1u << 1)        /* MOV SS shadow: #DB delayed one instruction */

static inline X86CPU *x86_cpu(CPUState *cpu)
{
    return (X86CPU *)cpu;
}

/* Current privilege level (SDM 3A 5.5). */
int x86_cpu_cpl(const X86CPU *x);
/* Is the CPU executing 64-bit code (IA-32e mode with CS.L)? */
bool x86_cpu_in_64bit_code(const X86CPU *x);
/* Loads a segment register the way real mode does (base = selector << 4). */
void x86_cpu_load_real_mode_segment(X86CPU *x, int seg, uint16_t selector);
/* Recomputes x->hflags from CR0/CR4/EFER/EFLAGS/segments/DR7. Every system helper that
 * changes one of them calls it; the decoder then ends the TB. */
void x86_update_hflags(X86CPU *x);
/* Loads a segment's hidden cache (selector, base, limit, flags) and updates hflags. */
void x86_cpu_load_seg_cache(X86CPU *x, int seg, uint16_t selector, uint64_t base,
                            uint32_t limit, uint32_t flags);

/* Full RFLAGS: .eflags | arithmetic flags from the lazy state. */
uint64_t x86_cpu_get_eflags(const X86CPU *x);
/* Writes RFLAGS (arithmetic flags into cc_src with CC_OP_EFLAGS), updates hflags. */
void x86_cpu_set_eflags(X86CPU *x, uint64_t eflags);
/* Writes only the bits of mask. */
void x86_cpu_write_eflags(X86CPU *x, uint64_t value, uint64_t mask);
/* OF SF ZF AF PF CF (EFLAGS positions) from the lazy state (the translator's). */
uint64_t x86_cc_compute_all(uint32_t cc_op, uint64_t dst, uint64_t src, uint64_t src2);
/* The TB key (TCGTargetOps.get_tb_cpu_state): recomputes hflags. */
void x86_get_tb_cpu_state(CPUState *cpu, uint64_t *pc, uint64_t *cs_base, uint32_t *flags);

/* Is a segment with these cached flags an expand-down data segment (SDM 3A 3.4.5.1)? */
static inline bool x86_seg_expand_down(uint32_t flags)
{
    return (flags & (X86_SEG_S | X86_SEG_CODE | X86_SEG_EC)) == (X86_SEG_S | X86_SEG_EC);
}

static inline bool x86_has_feature(const X86CPU *x, int word, uint32_t bit)
{
    return (x->features[word] & bit) != 0;
}

/* Data MMU index of TB flags hf (CPL, CR4.SMAP and EFLAGS.AC). */
static inline int x86_mmu_index(uint32_t hf)
{
    if ((hf & HF_CPL_MASK) == 3) {
        return X86_MMU_USER;
    }
    return (hf & HF_SMAP_ACTIVE) ? X86_MMU_KSMAP : X86_MMU_KNOSMAP;
}
/* A20 gate (the machine's port 92h / keyboard controller): flushes the TLB. */
void x86_cpu_set_a20(X86CPU *x, bool enabled);

/* ---- models (cpuid.c) ---- */
const CPUClass *x86_cpu_class_by_name(const char *name);
#define x86_cpu_qemu32_class (*x86_cpu_class_by_name("qemu32"))
#define x86_cpu_qemu64_class (*x86_cpu_class_by_name("qemu64"))
void x86_cpu_fill_class(CPUClass *cls, const char *model, const char *description, bool is64);
void x86_cpu_model_init(CPUState *cpu);
/* -cpu NAME,+feat,-feat,feat=on|off (after init, before reset). */
int x86_cpu_parse_options(CPUState *cpu, const char *opts, Error **errp);
/* "-d cpu,fpu": x87/MMX/SSE registers in QEMU's layout (dump-fpu.c). */
void x86_cpu_dump_fpu(CPUState *cpu, FILE *out);
/* Guest-virtual to physical without side effects (monitor, debugger); -1 if unmapped. */
int x86_cpu_debug_phys_addr(X86CPU *x, uint64_t vaddr, hwaddr *paddr);
/* TSC from the virtual clock (tsc_khz) and IA32_TSC writes. */
uint64_t x86_read_tsc(X86CPU *x);
/* ns * khz / 10^6 (truncated, modulo 2^64) for khz below 2^44: virtual ns to TSC ticks. */
uint64_t x86_tsc_from_ns(uint64_t ns, uint64_t khz);
void x86_write_tsc(X86CPU *x, uint64_t value);
/* MOV CR3 / task switch: loads CR3 and flushes the TLB. */
void x86_write_cr3(X86CPU *x, uint64_t value);

#endif
