/* Native runner of the x86 differential tester: the host CPU executes the generated
 * 64-bit code at DT_CODE with the case's registers, flags and memory (DT_DATA, DT_STACK
 * mapped at their guest addresses in this process). A trampoline loads every register
 * and RFLAGS, jumps to the code, which ends with a jump back; faults (#DE as SIGFPE, #UD as
 * SIGILL, #GP/#PF as SIGSEGV/SIGBUS) are caught on an alternate stack and give the
 * registers and RIP at the fault from the signal context. */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "tests/difftest/difftest.h"

/* The save area at DT_SCRATCH: guest registers (16), rflags, the code address, the return
 * address of the code's final jump, the host stack pointer, then a small stack for
 * PUSHFQ. */
#define SAVE_REGS 0x000
#define SAVE_FLAGS 0x080
#define SAVE_CODE 0x088
#define SAVE_RET 0x090
#define SAVE_HOST_SP 0x098
#define SAVE_STACK_TOP 0x800

void dt_native_enter(void);
void dt_native_return(void);

#define STR_(x) #x
#define STR(x) STR_(x)
#define SCRATCH_ASM 0x230000
_Static_assert(SCRATCH_ASM == DT_SCRATCH, "the trampoline's save area");
#define A(off) STR(SCRATCH_ASM) "+" STR(off)

__asm__(
    ".text\n"
    ".globl dt_native_enter\n"
    "dt_native_enter:\n"
    "  push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "  mov %rsp, " A(SAVE_HOST_SP) "\n"
    "  pushq " A(SAVE_FLAGS) "\n"
    "  popfq\n"
    "  mov " A(0x00) ", %rax\n mov " A(0x08) ", %rcx\n mov " A(0x10) ", %rdx\n"
    "  mov " A(0x18) ", %rbx\n mov " A(0x28) ", %rbp\n mov " A(0x30) ", %rsi\n"
    "  mov " A(0x38) ", %rdi\n mov " A(0x40) ", %r8\n mov " A(0x48) ", %r9\n"
    "  mov " A(0x50) ", %r10\n mov " A(0x58) ", %r11\n mov " A(0x60) ", %r12\n"
    "  mov " A(0x68) ", %r13\n mov " A(0x70) ", %r14\n mov " A(0x78) ", %r15\n"
    "  mov " A(0x20) ", %rsp\n"
    "  jmp *" A(SAVE_CODE) "\n"
    ".globl dt_native_return\n"
    "dt_native_return:\n"
    "  mov %rax, " A(0x00) "\n mov %rcx, " A(0x08) "\n mov %rdx, " A(0x10) "\n"
    "  mov %rbx, " A(0x18) "\n mov %rsp, " A(0x20) "\n mov %rbp, " A(0x28) "\n"
    "  mov %rsi, " A(0x30) "\n mov %rdi, " A(0x38) "\n mov %r8, " A(0x40) "\n"
    "  mov %r9, " A(0x48) "\n mov %r10, " A(0x50) "\n mov %r11, " A(0x58) "\n"
    "  mov %r12, " A(0x60) "\n mov %r13, " A(0x68) "\n mov %r14, " A(0x70) "\n"
    "  mov %r15, " A(0x78) "\n"
    "  mov $" A(SAVE_STACK_TOP) ", %rsp\n"
    "  pushfq\n"
    "  popq " A(SAVE_FLAGS) "\n"
    "  cld\n"
    "  mov " A(SAVE_HOST_SP) ", %rsp\n"
    "  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
    "  ret\n");

static sigjmp_buf fault_jmp;
static volatile int fault_signal;
static ucontext_t fault_ctx;

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    fault_signal = sig;
    memcpy(&fault_ctx, ctx, sizeof(fault_ctx));
    siglongjmp(fault_jmp, 1);
}

static bool map_fixed(uint64_t addr, size_t len)
{
    void *p = mmap((void *)(uintptr_t)addr, len, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    return p == (void *)(uintptr_t)addr;
}

int dt_native_init(const char **why)
{
    static bool done;
    static char altstack[65536];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
    struct sigaction sa;

    if (done) {
        return 0;
    }
    if (!map_fixed(DT_CODE, DT_CODE_SIZE) || !map_fixed(DT_DATA, DT_DATA_SIZE) ||
        !map_fixed(DT_STACK, DT_STACK_SIZE) || !map_fixed(DT_SCRATCH, 0x1000) ||
        !map_fixed(DT_RO, 0x1000)) {
        *why = "cannot map the test's fixed addresses in this process";
        return -1;
    }
    for (unsigned i = 0; i < 0x1000; i++) {
        ((uint8_t *)(uintptr_t)DT_RO)[i] = dt_ro_byte(i);
    }
    mprotect((void *)(uintptr_t)DT_RO, 0x1000, PROT_READ);
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    done = true;
    return 0;
}

static int vector_of(int sig)
{
    switch (sig) {
    case SIGFPE: return (int)fault_ctx.uc_mcontext.gregs[REG_TRAPNO];   /* #DE, #MF */
    case SIGILL: return 6;
    case SIGTRAP: return 1;
    default: return 13;
    }
}

static void state_from_context(DTState *out)
{
    static const int map[16] = { REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI,
                                 REG_RDI, REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13,
                                 REG_R14, REG_R15 };
    for (int i = 0; i < 16; i++) {
        out->regs[i] = (uint64_t)fault_ctx.uc_mcontext.gregs[map[i]];
    }
    out->rip = (uint64_t)fault_ctx.uc_mcontext.gregs[REG_RIP];
    out->rflags = (uint64_t)fault_ctx.uc_mcontext.gregs[REG_EFL];
    out->exception = vector_of(fault_signal);
}

void dt_native_run(const DTCase *c, DTState *out)
{
    uint8_t *code = (uint8_t *)(uintptr_t)DT_CODE;
    uint64_t *save = (uint64_t *)(uintptr_t)DT_SCRATCH;
    uint64_t ret = (uint64_t)(uintptr_t)dt_native_return;

    memcpy(code, c->code, c->len);
    /* jmp qword [DT_SCRATCH + SAVE_RET] */
    const uint8_t tail[7] = { 0xff, 0x24, 0x25, (uint8_t)(DT_SCRATCH + SAVE_RET),
                              (uint8_t)((DT_SCRATCH + SAVE_RET) >> 8),
                              (uint8_t)((DT_SCRATCH + SAVE_RET) >> 16), 0 };
    memcpy(code + c->len, tail, sizeof(tail));
    memcpy((void *)(uintptr_t)DT_DATA, c->init.data, DT_DATA_SIZE);
    memcpy((void *)(uintptr_t)DT_STACK, c->init.stack, DT_STACK_SIZE);
    memcpy(save, c->init.regs, sizeof(c->init.regs));
    save[SAVE_FLAGS / 8] = c->init.rflags | 0x200;
    save[SAVE_CODE / 8] = DT_CODE;
    save[SAVE_RET / 8] = ret;
    __builtin___clear_cache((char *)code, (char *)code + c->len + sizeof(tail));

    *out = c->init;
    fault_signal = 0;
    __asm__ volatile("fninit");     /* no x87 exception left pending by an earlier case */
    if (sigsetjmp(fault_jmp, 1) == 0) {
        dt_native_enter();
        memcpy(out->regs, save, sizeof(out->regs));
        out->rflags = save[SAVE_FLAGS / 8];
        out->rip = DT_CODE + c->len;
        out->exception = -1;
    } else {
        state_from_context(out);
    }
    __asm__ volatile("fninit");
    memcpy(out->data, (void *)(uintptr_t)DT_DATA, DT_DATA_SIZE);
    memcpy(out->stack, (void *)(uintptr_t)DT_STACK, DT_STACK_SIZE);
}
