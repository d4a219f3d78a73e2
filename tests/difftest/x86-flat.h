/* A flat test machine for the x86 translator: RAM at 0 (no paging: identity TLB fills),
 * isa-debugcon on port 0xe9 (bytes collected), isa-debug-exit on port 0xf4 (exit code
 * (value << 1) | 1, as QEMU's), exceptions recorded at fixed RAM addresses and given to a
 * guest handler if it installed one. The CPU starts in real, 32-bit flat protected or
 * 64-bit mode without any descriptor tables. Used by the guest instruction tests and the
 * differential tester until x86-sys's machine lands. */
#ifndef TESTS_UNIT_X86_FLAT_H
#define TESTS_UNIT_X86_FLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "system/cpu.h"
#include "system/memory.h"
#include "target-i386/cpu.h"

/* Where an exception is recorded (32-bit words): vector, error code (or -1), EIP of
 * the faulting instruction; the handler address the guest stored (0: stop the CPU). */
#define X86FLAT_EXCP_VECTOR 0x500
#define X86FLAT_EXCP_ERROR 0x504
#define X86FLAT_EXCP_EIP 0x508
#define X86FLAT_EXCP_HANDLER 0x510

typedef struct X86Flat {
    MemoryRegion root, ram, io_root, ports;
    AddressSpace as, io_as;
    CPUState *cpu;
    X86CPU *x;
    size_t ram_size;
    char out[65536];        /* debugcon output */
    size_t out_len;
    bool exited;
    int exit_code;          /* (value << 1) | 1 */
    int exceptions;         /* delivered so far */
    uint64_t ro_start, ro_end;  /* a read-only range: stores fault (#PF, error code P|W) */
    int last_vector;
} X86Flat;

/* Selects the back end ("native" or "interp") for the next x86flat_new. */
int x86flat_configure(const char *backend);
X86Flat *x86flat_new(size_t ram_size);
void x86flat_free(X86Flat *f);
/* Resets the CPU into mode 16 (real), 32 (flat protected) or 64 (long mode), EIP = pc. */
void x86flat_reset(X86Flat *f, int mode, uint64_t pc);
uint8_t *x86flat_ram(X86Flat *f);
/* Runs until debug-exit, HLT, an unhandled exception or max_loops CPU-loop exits;
 * 0 if it stopped for one of the first three. */
int x86flat_run(X86Flat *f, int max_loops);

#endif
