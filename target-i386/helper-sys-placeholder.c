/* PLACEHOLDERS, to be replaced by x86-sys (see /work/wt/x86-contract.md): minimal bodies
 * of the system helpers and TCGTargetOps hooks declared in helper-sys.h, enough for the
 * translator's own tests on a flat machine. They do NOT implement the architecture:
 * no paging permission bits, no descriptor checks, protected-mode far transfers and
 * interrupt delivery unsupported (the CPU stops with a message), no I/O bitmap.
 * Everything here is listed in docs/limitations.md until x86-sys's versions land. */
#include <stdio.h>
#include <time.h>
#include "target-i386/cc.h"
#include "target-i386/helper.h"
#include "target-i386/helper-sys.h"

static X86CPU *X(void *env)
{
    return x86_cpu(env);
}

static void __attribute__((noreturn)) unsupported(void *env, const char *what, uintptr_t ra)
{
    fprintf(stderr, "x86: %s is not implemented yet (placeholder helper)\n", what);
    x86_raise_exception_err(env, 6, -1, ra);
}

/* ---- hooks ---- */

bool x86_cpu_tlb_fill(CPUState *cpu, uint64_t vaddr, int size, MMUAccessType access_type,
                      int mmu_idx, bool probe, uintptr_t retaddr)
{
    hwaddr pa = vaddr;
    if (cpu->cls->get_phys_addr && cpu->cls->get_phys_addr(cpu, vaddr, &pa) < 0) {
        if (probe) {
            return false;
        }
        X(cpu)->cr[2] = vaddr;
        x86_raise_exception_err(cpu, 14, access_type == MMU_DATA_STORE ? 2 : 0, retaddr);
    }
    tlb_set_page(cpu, vaddr & ~0xfffull, pa & ~(hwaddr)0xfff, PAGE_RWX, mmu_idx, 4096);
    return true;
}

bool x86_cpu_exec_interrupt(CPUState *cpu, unsigned interrupt_request)
{
    return false;
}

/* Real-mode delivery through the IVT only. */
void x86_cpu_do_interrupt(CPUState *cpu)
{
    X86CPU *x = X(cpu);
    int vec = cpu->exception_index;
    uint64_t ip = x->exception_is_int ? x->exception_next_eip : x->rip;
    uint64_t sp = x->regs[4], ivt = 0;

    cpu->exception_index = -1;
    if ((x->cr[0] & X86_CR0_PE) || !cpu->as ||
        address_space_load(cpu->as, (hwaddr)vec * 4, 4, &ivt) != MEMTX_OK) {
        fprintf(stderr, "x86: exception %d at %04x:%08llx: protected-mode delivery is not "
                "implemented yet (placeholder)\n", vec, x->segs[R_CS].selector,
                (unsigned long long)x->rip);
        cpu->halted = true;
        return;
    }
    uint64_t ss = x->segs[R_SS].base;
    uint16_t words[3] = { (uint16_t)ip, x->segs[R_CS].selector,
                          (uint16_t)x86_cpu_get_eflags(x) };
    for (int i = 0; i < 3; i++) {
        sp = (sp - 2) & 0xffff;
        address_space_store(cpu->as, ss + sp, 2, words[i == 0 ? 2 : i == 1 ? 1 : 0]);
    }
    x->regs[4] = (x->regs[4] & ~0xffffull) | sp;
    x->eflags &= ~(uint64_t)(X86_EFLAGS_TF | (1u << 9));
    x86_cpu_load_real_mode_segment(x, R_CS, (uint16_t)(ivt >> 16));
    x->rip = ivt & 0xffff;
}

/* ---- helpers ---- */

static uint32_t helper_in(void *env, uint32_t port, uint32_t size)
{
    uint64_t v = ~0ull;
    CPUState *cpu = env;
    if (cpu->io_as) {
        address_space_load(cpu->io_as, port & 0xffff, 1u << size, &v);
    }
    return (uint32_t)v;
}

static void helper_out(void *env, uint32_t port, uint32_t val, uint32_t size)
{
    CPUState *cpu = env;
    if (cpu->io_as) {
        address_space_store(cpu->io_as, port & 0xffff, 1u << size, val);
    }
}

static void helper_hlt(void *env)
{
    cpu_halt_and_exit(env);
}

static void helper_cpuid(void *env)
{
    X86CPU *x = X(env);
    uint32_t leaf = (uint32_t)x->regs[0];
    uint32_t r[4] = { 0, 0, 0, 0 };
    if (leaf == 0) {
        r[0] = 1; r[1] = 0x756e6547; r[3] = 0x49656e69; r[2] = 0x6c65746e;   /* GenuineIntel */
    } else if (leaf == 1) {
        r[0] = x->cpuid_version;
        r[3] = 0x0781abfd;
    }
    x->regs[0] = r[0]; x->regs[3] = r[1]; x->regs[1] = r[2]; x->regs[2] = r[3];
}

static void helper_rdtsc(void *env, uint32_t kind)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t t = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    X(env)->regs[0] = (uint32_t)t;
    X(env)->regs[2] = t >> 32;
    if (kind == 1) {
        X(env)->regs[1] = 0;
    }
}

static void helper_rdmsr(void *env, uint32_t is_write)
{
    x86_raise_exception_err(env, 13, 0, TCG_GETPC());
}

static uint64_t helper_read_cr(void *env, uint32_t reg)
{
    return reg == 8 ? X(env)->cr8 : X(env)->cr[reg];
}

static void helper_write_cr(void *env, uint32_t reg, uint64_t val)
{
    if (reg == 8) {
        X(env)->cr8 = val & 0xf;
    } else {
        X(env)->cr[reg] = val;
    }
    tlb_flush(env);
}

static uint64_t helper_read_dr(void *env, uint32_t reg)
{
    return X(env)->dr[reg];
}

static void helper_write_dr(void *env, uint32_t reg, uint64_t val)
{
    X(env)->dr[reg] = val;
}

/* Reads the descriptor from the GDT without any check. */
static void helper_load_seg(void *env, uint32_t seg, uint32_t sel)
{
    X86CPU *x = X(env);
    uint64_t d = 0;
    if ((sel & ~3u) && x->parent.as) {
        address_space_load(x->parent.as, x->gdtr.base + (sel & ~7u), 8, &d);
    }
    X86Segment *s = &x->segs[seg];
    s->selector = (uint16_t)sel;
    s->base = ((d >> 16) & 0xffffff) | ((d >> 32) & 0xff000000u);
    s->limit = (uint32_t)((d & 0xffff) | ((d >> 32) & 0xf0000));
    if (d & (1ull << 55)) {
        s->limit = s->limit << 12 | 0xfff;
    }
    s->flags = (uint32_t)(d >> 32) & 0x00f0ff00;
}

/* Real mode only. */
static void helper_ljmp(void *env, uint32_t sel, uint64_t off, uint64_t next_eip)
{
    if (X(env)->cr[0] & X86_CR0_PE) {
        unsupported(env, "protected-mode far jump", TCG_GETPC());
    }
    x86_cpu_load_real_mode_segment(X(env), R_CS, (uint16_t)sel);
    X(env)->rip = off;
}

static void helper_lcall(void *env, uint32_t sel, uint64_t off, uint32_t ot, uint64_t next)
{
    unsupported(env, "far call", TCG_GETPC());
}

static void helper_lret(void *env, uint32_t ot, uint32_t imm)
{
    unsupported(env, "far return", TCG_GETPC());
}

static void helper_iret(void *env, uint32_t ot, uint64_t next_eip)
{
    unsupported(env, "iret", TCG_GETPC());
}

#define UNSUPPORTED_SEL(n) \
    static void helper_##n(void *env, uint32_t sel) { unsupported(env, #n, TCG_GETPC()); }
UNSUPPORTED_SEL(lldt) UNSUPPORTED_SEL(ltr) UNSUPPORTED_SEL(verr) UNSUPPORTED_SEL(verw)

static uint64_t helper_lar(void *env, uint32_t sel)
{
    unsupported(env, "lar", TCG_GETPC());
}

static uint64_t helper_lsl(void *env, uint32_t sel)
{
    unsupported(env, "lsl", TCG_GETPC());
}

static void helper_invlpg(void *env, uint64_t addr)
{
    tlb_flush_page(env, addr);
}

#define UNSUPPORTED_ENV(n) \
    static void helper_##n(void *env) { unsupported(env, #n, TCG_GETPC()); }
UNSUPPORTED_ENV(sysenter) UNSUPPORTED_ENV(swapgs) UNSUPPORTED_ENV(xgetbv)

static void helper_sysexit(void *env, uint32_t ot) { unsupported(env, "sysexit", TCG_GETPC()); }
static void helper_syscall(void *env, uint64_t n) { unsupported(env, "syscall", TCG_GETPC()); }
static void helper_sysret(void *env, uint32_t ot) { unsupported(env, "sysret", TCG_GETPC()); }

#define P TCG_TYPE_PTR
#define I32 TCG_TYPE_I32
#define I64 TCG_TYPE_I64
#define V TCG_TYPE_VOID
X86_HELPER_INFO(in, 0, I32, 3, P, I32, I32);
X86_HELPER_INFO(out, 0, V, 4, P, I32, I32, I32);
X86_HELPER_INFO(hlt, 0, V, 1, P);
X86_HELPER_INFO(cpuid, 0, V, 1, P);
X86_HELPER_INFO(rdtsc, 0, V, 2, P, I32);
X86_HELPER_INFO(rdmsr, 0, V, 2, P, I32);
X86_HELPER_INFO(read_cr, 0, I64, 2, P, I32);
X86_HELPER_INFO(write_cr, 0, V, 3, P, I32, I64);
X86_HELPER_INFO(read_dr, 0, I64, 2, P, I32);
X86_HELPER_INFO(write_dr, 0, V, 3, P, I32, I64);
X86_HELPER_INFO(load_seg, 0, V, 3, P, I32, I32);
X86_HELPER_INFO(ljmp, 0, V, 4, P, I32, I64, I64);
X86_HELPER_INFO(lcall, 0, V, 5, P, I32, I64, I32, I64);
X86_HELPER_INFO(lret, 0, V, 3, P, I32, I32);
X86_HELPER_INFO(iret, 0, V, 3, P, I32, I64);
X86_HELPER_INFO(lldt, 0, V, 2, P, I32);
X86_HELPER_INFO(ltr, 0, V, 2, P, I32);
X86_HELPER_INFO(lar, 0, I64, 2, P, I32);
X86_HELPER_INFO(lsl, 0, I64, 2, P, I32);
X86_HELPER_INFO(verr, 0, V, 2, P, I32);
X86_HELPER_INFO(verw, 0, V, 2, P, I32);
X86_HELPER_INFO(invlpg, 0, V, 2, P, I64);
X86_HELPER_INFO(sysenter, 0, V, 1, P);
X86_HELPER_INFO(sysexit, 0, V, 2, P, I32);
X86_HELPER_INFO(syscall, 0, V, 2, P, I64);
X86_HELPER_INFO(sysret, 0, V, 2, P, I32);
X86_HELPER_INFO(swapgs, 0, V, 1, P);
X86_HELPER_INFO(xgetbv, 0, V, 1, P);
