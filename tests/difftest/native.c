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
#include "tests/difftest/native-host.h"

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
    NATIVE_LOAD_GPRS_BUT_RSP
    "  mov " A(0x20) ", %rsp\n"
    "  jmp *" A(SAVE_CODE) "\n"
    ".globl dt_native_return\n"
    "dt_native_return:\n"
    NATIVE_STORE_GPRS
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

int dt_native_init(const char **why)
{
    static bool done;

    if (done) {
        return 0;
    }
    if (!native_map_fixed(DT_CODE, DT_CODE_SIZE) || !native_map_fixed(DT_DATA, DT_DATA_SIZE) ||
        !native_map_fixed(DT_STACK, DT_STACK_SIZE) || !native_map_fixed(DT_SCRATCH, 0x1000) ||
        !native_map_fixed(DT_RO, 0x1000)) {
        *why = "cannot map the test's fixed addresses in this process";
        return -1;
    }
    for (unsigned i = 0; i < 0x1000; i++) {
        ((uint8_t *)(uintptr_t)DT_RO)[i] = dt_ro_byte(i);
    }
    mprotect((void *)(uintptr_t)DT_RO, 0x1000, PROT_READ);
    native_catch_faults(on_fault, true);
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
    native_gprs_from_context(&fault_ctx, out->regs);
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
