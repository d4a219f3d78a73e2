/* The boundary between the x86 translator (x86-dec) and the system side (x86-sys): the
 * TCGTargetOps hooks and the helpers that privileged and system instructions call. The
 * translator decodes the instruction and checks what is known at translation time; the
 * helper does the architectural work (privilege, type, limit checks per Intel SDM vol. 3A)
 * and raises faults itself. env is the CPUState (an X86CPU). Agreed in
 * /work/wt/x86-contract.md.
 *
 * Every helper x86_helper_NAME has a TCGHelperInfo x86_info_NAME with flags 0 (reads and
 * writes globals, may raise). Conventions:
 * - next_eip: EIP/RIP of the following instruction (CS-relative). The faulting
 *   instruction's own EIP comes from the insn_start map.
 * - size: MO_8/MO_16/MO_32 (log2 of bytes); ot: operand size MO_16/MO_32/MO_64.
 * - [eob]: the translator ends the TB after the call (TB flags or interrupt masking may
 *   have changed); helpers without next_eip leave EIP to the translator.
 * - [flags]: lazy flags materialised before the call (cc_op = CC_OP_EFLAGS, cc_src = the
 *   six flags); the helper updates cc_src and leaves cc_op = CC_OP_EFLAGS. */
#ifndef TARGET_I386_HELPER_SYS_H
#define TARGET_I386_HELPER_SYS_H

#include <stdbool.h>
#include <stdint.h>
#include "target-i386/cpu.h"
#include "accel/tcg.h"
#include "tcg/tcg.h"

/* ---- TCGTargetOps hooks (x86-sys); x86_get_tb_cpu_state is in cpu.h ---- */
bool x86_cpu_tlb_fill(CPUState *cpu, uint64_t vaddr, int size, MMUAccessType access_type,
                      int mmu_idx, bool probe, uintptr_t retaddr);
void x86_cpu_do_unaligned_access(CPUState *cpu, uint64_t vaddr, MMUAccessType access_type,
                                 int mmu_idx, uintptr_t retaddr);
int x86_cpu_code_mmu_index(CPUState *cpu);
bool x86_cpu_exec_interrupt(CPUState *cpu, unsigned interrupt_request);
void x86_cpu_do_interrupt(CPUState *cpu);

/* ---- raising (x86-sys, excp-helper.c) ---- */
/* Raises exception vector (error_code < 0: none) at the instruction of host position
 * retaddr (TCG_GETPC(), or 0 when the state is already exact). Applies the double-fault
 * rules when raised during the delivery of another exception. */
void x86_raise_exception_err(CPUState *cpu, int vector, int error_code, uintptr_t retaddr)
    __attribute__((noreturn));
/* A software interrupt (INT n, INT3, INTO): DPL checked, delivered with next_eip. */
void x86_raise_interrupt(CPUState *cpu, int vector, uint64_t next_eip, uintptr_t retaddr)
    __attribute__((noreturn));
/* Trap-class #DB (TF single step, INT1/ICEBP): DR6 already updated by the caller;
 * delivered with next_eip, no DPL check. */
void x86_raise_debug_trap(X86CPU *x, uint64_t next_eip, uintptr_t retaddr)
    __attribute__((noreturn));

/* ---- port I/O (IOPL, TSS I/O bitmap, then the machine's I/O space) ---- */
uint32_t x86_helper_in(X86CPU *x, uint32_t port, uint32_t size);
void x86_helper_out(X86CPU *x, uint32_t port, uint32_t value, uint32_t size);
void x86_helper_check_io(X86CPU *x, uint32_t port, uint32_t size);    /* INS/OUTS */

/* ---- HLT, CPUID, counters, MSRs (operands in regs[]) ---- */
void x86_helper_hlt(X86CPU *x);                     /* EIP already = next insn */
void x86_helper_cpuid(X86CPU *x);                   /* EAX, ECX in; EAX..EDX out */
void x86_helper_rdtsc(X86CPU *x, uint32_t which);   /* 0 RDTSC, 1 RDTSCP, 2 RDPMC */
void x86_helper_rdmsr(X86CPU *x, uint32_t write);   /* 0 RDMSR, 1 WRMSR [eob] */
void x86_helper_xgetbv(X86CPU *x);                  /* ECX in; EDX:EAX = XCR0 */
void x86_helper_xsetbv(X86CPU *x);                  /* [eob] */
uint64_t x86_helper_rdpid(X86CPU *x);               /* IA32_TSC_AUX */

/* ---- control, debug and descriptor-table registers ---- */
uint64_t x86_helper_read_cr(X86CPU *x, uint32_t reg);
void x86_helper_write_cr(X86CPU *x, uint32_t reg, uint64_t value);          /* [eob] */
uint64_t x86_helper_read_dr(X86CPU *x, uint32_t reg);
void x86_helper_write_dr(X86CPU *x, uint32_t reg, uint64_t value);          /* [eob] */
void x86_helper_clts(X86CPU *x);                                            /* [eob] */
void x86_helper_lmsw(X86CPU *x, uint32_t value);                            /* [eob] */
/* SMSW / SLDT / STR value (UMIP): which 0 = CR0, 1 = LDTR selector, 2 = TR selector. */
uint64_t x86_helper_read_sys_sel(X86CPU *x, uint32_t which);
/* LGDT / LIDT from linear address addr (which 0 = GDT, 1 = IDT; ot MO_16 keeps 24 bits of
 * base); SGDT / SIDT store there (UMIP). */
void x86_helper_lgdt(X86CPU *x, uint32_t which, uint64_t addr, uint32_t ot);
void x86_helper_sgdt(X86CPU *x, uint32_t which, uint64_t addr);
void x86_helper_lldt(X86CPU *x, uint32_t selector);
void x86_helper_ltr(X86CPU *x, uint32_t selector);
void x86_helper_invlpg(X86CPU *x, uint64_t addr);                           /* [eob] */
void x86_helper_invpcid(X86CPU *x, uint64_t type, uint64_t addr);
/* LAR / LSL: [flags] ZF in cc_src; write the result only when ZF is set. */
uint64_t x86_helper_lar(X86CPU *x, uint32_t selector);
uint64_t x86_helper_lsl(X86CPU *x, uint32_t selector);
void x86_helper_verr(X86CPU *x, uint32_t selector);                         /* [flags] */
void x86_helper_verw(X86CPU *x, uint32_t selector);                         /* [flags] */
/* ARPL: the new destination selector; [flags] ZF in cc_src. */
uint32_t x86_helper_arpl(X86CPU *x, uint32_t dst, uint32_t src);

/* ---- segments and far control transfers ---- */
/* MOV/POP Sreg, LxS in any mode; SS starts the interrupt shadow. [eob] */
void x86_helper_load_seg(X86CPU *x, uint32_t seg, uint32_t selector);
void x86_helper_ljmp(X86CPU *x, uint32_t selector, uint64_t offset, uint64_t next_eip);
void x86_helper_lcall(X86CPU *x, uint32_t selector, uint64_t offset, uint32_t ot,
                      uint64_t next_eip);
void x86_helper_lret(X86CPU *x, uint32_t ot, uint32_t imm16);
void x86_helper_iret(X86CPU *x, uint32_t ot, uint64_t next_eip);
void x86_helper_sysenter(X86CPU *x);
void x86_helper_sysexit(X86CPU *x, uint32_t ot);
void x86_helper_syscall(X86CPU *x, uint64_t next_eip);
void x86_helper_sysret(X86CPU *x, uint32_t ot);
void x86_helper_swapgs(X86CPU *x);
/* WRFSBASE / WRGSBASE (seg R_FS / R_GS): #GP on a non-canonical base. */
void x86_helper_wrfsgsbase(X86CPU *x, uint32_t seg, uint64_t base);
/* STI: IF = 1 and the one-instruction shadow if IF was clear. [eob] */
void x86_helper_sti(X86CPU *x);
/* End of the instruction translated under HF_INHIBIT_IRQ: clears the shadow. [eob] */
void x86_helper_reset_inhibit_irq(X86CPU *x);
/* Under HF_BPT, before each instruction (eip = its CS-relative address): #DB (fault) with
 * DR6.Bn if DR0-3 hold an enabled instruction breakpoint at its linear address; EFLAGS.RF
 * suppresses the check once (and is cleared). */
void x86_helper_check_bpt(X86CPU *x, uint64_t eip);
/* Under HF_BPT after IN/OUT (ot = MO_8/16/32): #DB trap (EIP next_eip) with DR6.Bn if an
 * enabled I/O breakpoint (R/W = 10, CR4.DE) overlaps the ports. */
void x86_helper_check_io_bpt(X86CPU *x, uint32_t port, uint32_t ot, uint64_t next_eip);
/* Under HF_SEGLIM, before a data access of (desc >> 3) + 1 bytes at offset off of segment
 * desc & 7: #GP(0) (#SS(0) for SS) outside its limit. */
void x86_helper_seg_check(X86CPU *x, uint64_t off, uint32_t desc);
/* Is [off, off + size) inside segment seg's limit (true for a null segment)? */
bool x86_seg_access_ok(X86CPU *x, int seg, uint64_t off, unsigned size);
/* DR0-3 data breakpoints to the translator's per-CPU watchpoints (after DR0-3/DR7 change). */
void x86_sync_data_bpts(X86CPU *x);
/* TCGTargetOps.cpu_watch_hit: the data breakpoints' #DB trap. */
void x86_cpu_watch_hit(CPUState *cpu, unsigned slots);

#define X86_SYS_HELPERS(X)                                                              \
    X(in) X(out) X(check_io) X(hlt) X(cpuid) X(rdtsc) X(rdmsr) X(xgetbv) X(xsetbv)      \
    X(rdpid) X(read_cr) X(write_cr) X(read_dr) X(write_dr) X(clts) X(lmsw)             \
    X(read_sys_sel) X(lgdt) X(sgdt) X(lldt) X(ltr) X(invlpg) X(invpcid) X(lar) X(lsl)  \
    X(verr) X(verw) X(arpl) X(load_seg) X(ljmp) X(lcall) X(lret) X(iret) X(sysenter)   \
    X(sysexit) X(syscall) X(sysret) X(swapgs) X(wrfsgsbase) X(sti)                     \
    X(reset_inhibit_irq) X(check_bpt) X(check_io_bpt) X(seg_check)
#define X(n) extern const TCGHelperInfo x86_info_##n;
X86_SYS_HELPERS(X)
#undef X

/* The TCGTargetOps of the x86 CPUs, defined by the translator with the hooks above; weak
 * so that cpu.c links (tcg_ops NULL: the vCPU stays halted) without a translator. */
extern const TCGTargetOps x86_tcg_ops __attribute__((weak));

#endif
