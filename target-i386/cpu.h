/* x86 CPU state (IA-32 and Intel 64), as the Intel SDM vol. 3A describes it: general
 * registers, EIP/RIP, EFLAGS, segment registers with their hidden parts, control, debug
 * and descriptor-table registers. Shared by the translator and KVM. */
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
#define X86_EFLAGS_VM (1u << 17)

#define X86_CR0_PE (1u << 0)
#define X86_CR0_ET (1u << 4)
#define X86_CR0_NW (1u << 29)
#define X86_CR0_CD (1u << 30)
#define X86_CR0_PG (1u << 31)
#define X86_CR4_PSE (1u << 4)
#define X86_CR4_PAE (1u << 5)
#define X86_EFER_LME (1u << 8)
#define X86_EFER_LMA (1u << 10)
/* IA32_APIC_BASE (SDM 3A 10.4.4): BSP flag, global enable, base at FEE00000H after reset. */
#define X86_APIC_BASE_BSP (1u << 8)
#define X86_APIC_BASE_ENABLE (1u << 11)
#define X86_APIC_BASE_DEFAULT 0xfee00000u
/* IA32_PAT after reset (SDM 3A 11.12.4): WB, WT, UC-, UC, repeated. */
#define X86_PAT_RESET 0x0007040600070406ull

/* Segment flags: bits 8..23 of a descriptor's high dword, as the hidden part keeps them. */
#define X86_SEG_TYPE_SHIFT 8
#define X86_SEG_S (1u << 12)            /* code/data (not system) */
#define X86_SEG_DPL_SHIFT 13
#define X86_SEG_P (1u << 15)
#define X86_SEG_L (1u << 21)            /* 64-bit code */
#define X86_SEG_DB (1u << 22)
#define X86_SEG_G (1u << 23)

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

typedef struct X86CPU {
    CPUState parent;                /* first: a CPUState * is an X86CPU * */
    uint64_t regs[X86_NR_GPRS];     /* RAX..R15; the 32-bit view is the low half */
    uint64_t rip;
    uint64_t eflags;
    X86Segment segs[X86_NR_SEGS];
    X86Segment ldtr, tr;
    X86DescriptorTable gdtr, idtr;
    uint64_t cr[5];                 /* CR0, (CR1 reserved), CR2, CR3, CR4 */
    uint64_t cr8;
    uint64_t efer;
    /* MSRs the monitor, KVM and the local APIC need; more come with the translator. */
    uint64_t apic_base;             /* IA32_APIC_BASE */
    uint64_t pat;                   /* IA32_PAT */
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t star, lstar, cstar, fmask, kernel_gs_base;
    uint64_t dr[8];                 /* DR4/DR5 alias DR6/DR7 but are kept as read */
    bool inhibit_irq;               /* one instruction after MOV SS / STI */
    bool smm;
    /* model data */
    uint32_t cpuid_version;         /* family/model/stepping: CPUID.1:EAX, EDX at reset */
    bool long_mode;                 /* the model has Intel 64 */
} X86CPU;

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

extern const CPUClass x86_cpu_qemu32_class;
extern const CPUClass x86_cpu_qemu64_class;

#endif
