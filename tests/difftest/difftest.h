/* The x86 differential tester: generated instruction sequences run by the host CPU
 * (64-bit encodings, in this process) or by Unicorn (16/32-bit-only encodings) and by
 * Mimic's translator from the same registers, flags and memory; results compared with the
 * architecturally undefined flags masked. Layout shared by every runner. */
#ifndef TESTS_DIFFTEST_DIFFTEST_H
#define TESTS_DIFFTEST_DIFFTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Guest addresses, the same in the host process (mapped there at these addresses), in
 * Unicorn and in Mimic's flat machine. */
#define DT_CODE 0x200000u
#define DT_CODE_SIZE 0x1000u
#define DT_DATA 0x210000u
#define DT_DATA_SIZE 0x2000u
#define DT_STACK 0x220000u
#define DT_STACK_SIZE 0x2000u
#define DT_SCRATCH 0x230000u        /* the native trampoline's save area */
#define DT_RO 0x214000u             /* a read-only page (stores to it fault: #PF) */
#define DT_UNMAPPED 0x500000u       /* mapped nowhere (beyond the flat machine's RAM) */
#define DT_RAM_SIZE 0x400000u
/* 16-bit mode (real mode): CS = 0 (IP = CODE16), DS = ES = DATA16 >> 4, SS = STACK16 >> 4;
 * the base registers hold offsets (BX = 0x1000, SP = 0x1000). */
#define DT16_CODE 0x8000u
#define DT16_DATA 0x10000u
#define DT16_STACK 0x20000u

#define DT_ARITH 0x8d5u             /* OF SF ZF AF PF CF */
#define DT_DF 0x400u

typedef struct DTState {
    uint64_t regs[16];
    uint64_t rip;
    uint64_t rflags;
    int exception;                  /* vector, -1: none */
    uint8_t data[DT_DATA_SIZE];
    uint8_t stack[DT_STACK_SIZE];
} DTState;

/* A generated test case: code bytes (without the runner's epilogue), the initial state,
 * the flags whose final value is architecturally undefined, a description. */
typedef struct DTCase {
    uint8_t code[512];
    size_t len;
    int mode;                       /* 16, 32 or 64 */
    DTState init;
    uint32_t undef_flags;
    /* per instruction: its offset in code and the flags undefined before it (a fault
     * leaves the state before the faulting instruction) */
    int nb_insns;
    uint16_t insn_off[16];
    uint32_t undef_before[16];
    char text[2048];
} DTCase;

/* The content of the read-only page (the same for every case). */
static inline uint8_t dt_ro_byte(unsigned i)
{
    return (uint8_t)(i * 131 + 7);
}

/* Flags undefined in the state a fault at rip leaves. */
uint32_t dt_undef_at(const DTCase *c, uint64_t rip);

/* Generates case number n of the stream seeded with seed (mode 64: host-comparable
 * encodings; 32/16: also the encodings only valid outside 64-bit mode). */
void dt_generate(DTCase *c, uint64_t seed, uint64_t n, int mode);

/* The x87 set (gen-x87.c): 64-bit mode, host reference. */
void dt_generate_x87(DTCase *c, uint64_t seed, uint64_t n);
/* Takes Mimic's x87 pointers when the host's were lost by a kernel save/restore. */
void dt_x87_pointers_lost(DTState *ref, const DTState *got);

/* Runners: 0 ok, -1 runner unavailable (reason in *why). */
int dt_native_init(const char **why);
void dt_native_run(const DTCase *c, DTState *out);
int dt_unicorn_run(const DTCase *c, DTState *out, const char **why);
void dt_unicorn_fini(void);
int dt_mimic_init(const char *backend);
void dt_mimic_run(const DTCase *c, DTState *out);
void dt_mimic_fini(void);

#endif
