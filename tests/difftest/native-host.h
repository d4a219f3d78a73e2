/* What the two native runners of the differential testers share (tests/difftest/native.c
 * for the integer set, tests/difftest/sse/sse-native.c for MMX/SSE/AVX): the fixed-address
 * mappings, the fault handler's installation, the general registers from a signal frame,
 * and the trampolines' load and store of the 16 general registers (save-area offsets
 * 0x00-0x78 in encoding order; the includer defines A(off), the operand of its save area).
 * RSP (0x20) is left to the trampoline: it is loaded last, just before the jump. */
#ifndef TESTS_DIFFTEST_NATIVE_HOST_H
#define TESTS_DIFFTEST_NATIVE_HOST_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#define NATIVE_LOAD_GPRS_BUT_RSP                                                        \
    "  mov " A(0x00) ", %rax\n mov " A(0x08) ", %rcx\n mov " A(0x10) ", %rdx\n"       \
    "  mov " A(0x18) ", %rbx\n mov " A(0x28) ", %rbp\n mov " A(0x30) ", %rsi\n"       \
    "  mov " A(0x38) ", %rdi\n mov " A(0x40) ", %r8\n mov " A(0x48) ", %r9\n"         \
    "  mov " A(0x50) ", %r10\n mov " A(0x58) ", %r11\n mov " A(0x60) ", %r12\n"       \
    "  mov " A(0x68) ", %r13\n mov " A(0x70) ", %r14\n mov " A(0x78) ", %r15\n"
#define NATIVE_STORE_GPRS                                                               \
    "  mov %rax, " A(0x00) "\n mov %rcx, " A(0x08) "\n mov %rdx, " A(0x10) "\n"       \
    "  mov %rbx, " A(0x18) "\n mov %rsp, " A(0x20) "\n mov %rbp, " A(0x28) "\n"       \
    "  mov %rsi, " A(0x30) "\n mov %rdi, " A(0x38) "\n mov %r8, " A(0x40) "\n"        \
    "  mov %r9, " A(0x48) "\n mov %r10, " A(0x50) "\n mov %r11, " A(0x58) "\n"        \
    "  mov %r12, " A(0x60) "\n mov %r13, " A(0x68) "\n mov %r14, " A(0x70) "\n"       \
    "  mov %r15, " A(0x78) "\n"

/* Maps [addr, addr + len) read/write/execute at exactly addr; false if it cannot. */
static inline bool native_map_fixed(uint64_t addr, size_t len)
{
    void *p = mmap((void *)(uintptr_t)addr, len, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    return p == (void *)(uintptr_t)addr;
}

/* handler for SIGFPE, SIGILL, SIGSEGV, SIGBUS (and SIGTRAP if asked), on an alternate
 * stack, re-entrant (it leaves with siglongjmp). */
static inline void native_catch_faults(void (*handler)(int, siginfo_t *, void *), bool trap)
{
    static char altstack[65536];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
    struct sigaction sa;

    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    if (trap) {
        sigaction(SIGTRAP, &sa, NULL);
    }
}

/* The 16 general registers of a signal frame, in encoding order. */
static inline void native_gprs_from_context(const ucontext_t *uc, uint64_t gpr[16])
{
    static const int map[16] = { REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI,
                                 REG_RDI, REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13,
                                 REG_R14, REG_R15 };
    for (int i = 0; i < 16; i++) {
        gpr[i] = (uint64_t)uc->uc_mcontext.gregs[map[i]];
    }
}

#endif
