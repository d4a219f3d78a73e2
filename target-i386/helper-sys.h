/* The x86 system helpers the translator calls (segment loads, far transfers, gates,
 * IRET, SYSCALL/SYSENTER, control/debug registers, MSRs, CPUID, TSC, port I/O, HLT,
 * interrupt shadow) and the translator hooks of the system side. Each helper called from
 * translated code takes the CPU first, raises guest exceptions itself (privilege, type,
 * limit checks per Intel SDM vol. 3A) and has a TCGHelperInfo x86_hi_NAME to pass to
 * tcg_gen_callN (flags 0 unless noted: they read and write globals and may raise).
 *
 * Conventions for the translator (x86-dec):
 * - "next_eip" = EIP/RIP of the following instruction (CS-relative), "size" = operand
 *   size code 0/1/2 for 16/32/64 bits. The faulting instruction's EIP comes from the
 *   insn_start map, so store nothing before the call.
 * - After a helper marked [ENDS TB] the translator ends the TB with exit_tb 0 (the helper
 *   has set RIP where needed: those with next_eip set RIP themselves; for the others the
 *   translator stores next_eip into rip after the call).
 * - Helpers that set flags ([FLAGS]) expect the lazy flags materialised before the call
 *   (cc_op = CC_OP_EFLAGS, cc_src = OSZAPC) and leave cc_op = CC_OP_EFLAGS. */
#ifndef TARGET_I386_HELPER_SYS_H
#define TARGET_I386_HELPER_SYS_H

#include <stdint.h>
#include "target-i386/cpu.h"
#include "tcg/tcg.h"
#include "accel/tcg.h"

/* ---- exceptions ------------------------------------------------------------------------ */
/* Fault with/without error code at the current instruction (#UD, #NM, #BR, #GP(0)...). */
void x86_helper_raise_exception(X86CPU *x, uint32_t vector) __attribute__((noreturn));
void x86_helper_raise_exception_err(X86CPU *x, uint32_t vector, uint32_t error)
    __attribute__((noreturn));
/* INT n (kind 0), INT3 / INTO when it traps (kind 1), INT1 / ICEBP (kind 2). */
void x86_helper_raise_int(X86CPU *x, uint32_t vector, uint32_t kind, uint64_t next_eip)
    __attribute__((noreturn));
/* #GP(0) unless CPL == 0 (INVD, WBINVD, privileged no-ops). */
void x86_helper_check_cpl0(X86CPU *x);
/* After each instruction when HF_TF: DR6.BS and #DB (trap) at next_eip. */
void x86_helper_single_step(X86CPU *x, uint64_t next_eip) __attribute__((noreturn));
/* End of the first instruction under HF_INHIBIT_IRQ: clears the shadow. [ENDS TB] */
void x86_helper_reset_inhibit_irq(X86CPU *x);

/* ---- segments and far control transfers (SDM 3A ch. 5, 7) ------------------------------ */
/* MOV/POP Sreg, LDS..LGS: any mode, all checks; SS also starts the interrupt shadow
 * (MOV/POP SS). [ENDS TB] */
void x86_helper_load_seg(X86CPU *x, uint32_t seg, uint32_t selector);
/* JMP FAR / CALL FAR (ptr16:16/32 or m16:16/32/64): real, v86, protected (code segment,
 * call gate 16/32/64, task gate, TSS). [ENDS TB] */
void x86_helper_ljmp(X86CPU *x, uint32_t selector, uint64_t offset, uint64_t next_eip);
void x86_helper_lcall(X86CPU *x, uint32_t selector, uint64_t offset, uint32_t size,
                      uint64_t next_eip);
/* RETF [imm16]. [ENDS TB] */
void x86_helper_lret(X86CPU *x, uint32_t size, uint32_t imm);
/* IRET/IRETD/IRETQ: real, v86 (IOPL/VME), protected (same/outer ring, to v86, NT task
 * return), long mode. [ENDS TB] */
void x86_helper_iret(X86CPU *x, uint32_t size, uint64_t next_eip);
/* SYSCALL / SYSRET / SYSENTER / SYSEXIT (size 1: 32-bit, 2: 64-bit). [ENDS TB] */
void x86_helper_syscall(X86CPU *x, uint64_t next_eip);
void x86_helper_sysret(X86CPU *x, uint32_t size);
void x86_helper_sysenter(X86CPU *x);
void x86_helper_sysexit(X86CPU *x, uint32_t size);
/* SWAPGS (64-bit mode, CPL 0). */
void x86_helper_swapgs(X86CPU *x);
/* WRFSBASE / WRGSBASE (#GP on a non-canonical address); reads are plain env loads. */
void x86_helper_wrfsgsbase(X86CPU *x, uint32_t seg, uint64_t base);

/* ---- EFLAGS with privilege (SDM 3A 20.2, VME) --------------------------------------------- */
/* PUSHF image (VM and RF clear; v86 IOPL / VME rules, may #GP). [needs flags materialised] */
uint64_t x86_helper_pushf(X86CPU *x, uint32_t size);
/* POPF: writes what CPL/IOPL/VM allow. [FLAGS] [ENDS TB] */
void x86_helper_popf(X86CPU *x, uint64_t value, uint32_t size);
/* CLI / STI with IOPL and VME/PVI rules; STI starts the interrupt shadow. [ENDS TB] */
void x86_helper_cli(X86CPU *x);
void x86_helper_sti(X86CPU *x);

/* ---- system registers and tables (SDM 3A 2.5-2.7) ----------------------------------------- */
/* MOV from/to CRn, DRn (CPL 0, valid n, reserved bits #GP, DR7.GD #DB). Writes [ENDS TB]. */
uint64_t x86_helper_read_cr(X86CPU *x, uint32_t reg);
void x86_helper_write_cr(X86CPU *x, uint32_t reg, uint64_t value);
uint64_t x86_helper_read_dr(X86CPU *x, uint32_t reg);
void x86_helper_write_dr(X86CPU *x, uint32_t reg, uint64_t value);
void x86_helper_clts(X86CPU *x);                            /* [ENDS TB] */
void x86_helper_lmsw(X86CPU *x, uint32_t value);            /* [ENDS TB] */
/* SMSW / SLDT / STR value (UMIP check): which 0 = MSW(CR0), 1 = LDTR, 2 = TR. */
uint64_t x86_helper_read_sys_sel(X86CPU *x, uint32_t which);
/* LGDT / LIDT (which 0 = GDT, 1 = IDT) from linear addr: 16-bit operand size keeps 24 bits
 * of base; SGDT / SIDT to linear addr (UMIP). */
void x86_helper_lgdt_lidt(X86CPU *x, uint32_t which, uint64_t addr, uint32_t size);
void x86_helper_sgdt_sidt(X86CPU *x, uint32_t which, uint64_t addr);
void x86_helper_lldt(X86CPU *x, uint32_t selector);
void x86_helper_ltr(X86CPU *x, uint32_t selector);
/* LAR / LSL: the value, ZF in cc_src; the destination is written only if ZF. [FLAGS] */
uint64_t x86_helper_lar(X86CPU *x, uint32_t selector);
uint64_t x86_helper_lsl(X86CPU *x, uint32_t selector);
/* VERR / VERW (write 0/1): ZF in cc_src. [FLAGS] */
void x86_helper_verrw(X86CPU *x, uint32_t selector, uint32_t write);
/* ARPL: the new destination selector, ZF in cc_src. [FLAGS] */
uint32_t x86_helper_arpl(X86CPU *x, uint32_t dst, uint32_t src);
/* INVLPG (linear address), INVPCID (type in reg, descriptor at linear addr). */
void x86_helper_invlpg(X86CPU *x, uint64_t addr);
void x86_helper_invpcid(X86CPU *x, uint64_t type, uint64_t addr);

/* ---- CPUID, MSRs, counters (register operands in regs[]) -------------------------------- */
void x86_helper_cpuid(X86CPU *x);                   /* EAX, ECX in; EAX..EDX out */
void x86_helper_rdmsr(X86CPU *x);                   /* ECX in; EDX:EAX out */
void x86_helper_wrmsr(X86CPU *x);                   /* [ENDS TB] (EFER, ...) */
void x86_helper_rdtsc(X86CPU *x);                   /* CR4.TSD */
void x86_helper_rdtscp(X86CPU *x);                  /* ECX = TSC_AUX too */
void x86_helper_rdpmc(X86CPU *x);                   /* CR4.PCE; counters read as 0 */
void x86_helper_xgetbv(X86CPU *x);                  /* ECX in; EDX:EAX = XCR0 */
void x86_helper_xsetbv(X86CPU *x);                  /* [ENDS TB] */
/* RDRAND / RDSEED of 2/4/8 bytes (size 0/1/2 = 16/32/64) from getrandom; CF in cc_src.
 * [FLAGS] */
uint64_t x86_helper_rdrand(X86CPU *x, uint32_t size);
uint64_t x86_helper_rdpid(X86CPU *x);               /* TSC_AUX */

/* ---- port I/O (SDM 1 ch. 18): IOPL / I/O bitmap checks, then the machine's I/O space -- */
/* size 0/1/2 = 8/16/32 bits. */
uint32_t x86_helper_in(X86CPU *x, uint32_t port, uint32_t size);
void x86_helper_out(X86CPU *x, uint32_t port, uint32_t value, uint32_t size);
/* Only the permission check (INS/OUTS do it once before their first iteration). */
void x86_helper_check_io(X86CPU *x, uint32_t port, uint32_t size);

/* ---- HLT ------------------------------------------------------------------------------------ */
/* CPL 0; RIP = next_eip and the vCPU sleeps until an interrupt. */
void x86_helper_hlt(X86CPU *x, uint64_t next_eip) __attribute__((noreturn));

/* ---- helper descriptors for tcg_gen_callN ------------------------------------------------- */
#define X86_SYS_HELPER_LIST(H)                                                          \
    H(raise_exception) H(raise_exception_err) H(raise_int) H(check_cpl0) H(single_step) \
    H(reset_inhibit_irq) H(load_seg) H(ljmp) H(lcall) H(lret) H(iret) H(syscall)       \
    H(sysret) H(sysenter) H(sysexit) H(swapgs) H(wrfsgsbase) H(pushf) H(popf) H(cli)    \
    H(sti) H(read_cr) H(write_cr) H(read_dr) H(write_dr) H(clts) H(lmsw)                \
    H(read_sys_sel) H(lgdt_lidt) H(sgdt_sidt) H(lldt) H(ltr) H(lar) H(lsl) H(verrw)     \
    H(arpl) H(invlpg) H(invpcid) H(cpuid) H(rdmsr) H(wrmsr) H(rdtsc) H(rdtscp)          \
    H(rdpmc) H(xgetbv) H(xsetbv) H(rdrand) H(rdpid) H(in) H(out) H(check_io) H(hlt)
#define X86_DECLARE_HINFO(name) extern const TCGHelperInfo x86_hi_##name;
X86_SYS_HELPER_LIST(X86_DECLARE_HINFO)
#undef X86_DECLARE_HINFO

/* ---- translator hooks of the system side (TCGTargetOps members) -------------------------- */
void x86_get_tb_cpu_state(CPUState *cpu, uint64_t *pc, uint64_t *cs_base, uint32_t *flags);
bool x86_cpu_tlb_fill(CPUState *cpu, uint64_t vaddr, int size, MMUAccessType access_type,
                      int mmu_idx, bool probe, uintptr_t retaddr);
void x86_cpu_do_unaligned_access(CPUState *cpu, uint64_t vaddr, MMUAccessType access_type,
                                 int mmu_idx, uintptr_t retaddr);
int x86_cpu_code_mmu_index(CPUState *cpu);
bool x86_cpu_exec_interrupt(CPUState *cpu, unsigned interrupt_request);
void x86_cpu_do_interrupt(CPUState *cpu);

/* The TCGTargetOps of the x86 CPUs: defined by the translator (x86-dec,
 * target-i386/translate*.c) with the hooks above; weak here so that cpu.c links (tcg_ops
 * NULL, the vCPU stays halted) before the translator exists. */
extern const TCGTargetOps x86_tcg_ops __attribute__((weak));

#endif
