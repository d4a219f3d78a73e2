/* The MMX/SSE/AVX differential tester: one generated vector instruction (the opcodes of
 * decode-sse.c's tables; with -t avx the VEX forms: translate-avx-sse.c's rows and the
 * forms of sse-gen-avx.c's list, both lengths, sometimes with a VEX.L / VEX.vvvv the
 * instruction does not allow) run by the host CPU in this process and by Mimic's
 * translator on the flat machine, from the same YMM (the whole 256 bits when the host has
 * AVX), MMX, general registers, MXCSR (every rounding mode, DAZ, FTZ; exceptions
 * sometimes unmasked), flags and memory; every piece of state compared afterwards. */
#ifndef TESTS_DIFFTEST_SSE_H
#define TESTS_DIFFTEST_SSE_H

#include <stdbool.h>
#include <stdint.h>

/* Fixed addresses, mapped in this process and inside the flat machine's RAM. */
#define SD_CODE 0x300000u
#define SD_DATA 0x310000u           /* the memory operands: [rsi + disp8], rsi = SD_DATA + 128 */
#define SD_DATA_SIZE 256u
#define SD_SCRATCH 0x320000u        /* the native trampoline's save area */
#define SD_STACK 0x330000u
#define SD_RAM_SIZE 0x400000u

typedef struct SdState {
    uint8_t ymm[16][32];            /* XMMn = the low 16 bytes */
    uint64_t mm[8];
    uint64_t gpr[16];
    uint64_t rflags;
    uint32_t mxcsr;
    int exception;                  /* vector, -1: none */
    uint8_t data[SD_DATA_SIZE];
} SdState;

typedef struct SdCase {
    uint8_t code[32];
    unsigned len;
    SdState init;
    bool flags_defined;             /* compare OF SF ZF AF PF CF (COMIS*) */
    char text[128];
} SdCase;

/* Case n of the stream seeded with seed (avx: a VEX instruction). */
void sd_generate(SdCase *c, uint64_t seed, uint64_t n, bool avx);
/* sse-gen-avx.c: the VEX instruction of a case (the state is already generated). */
void sd_gen_avx_insn(SdCase *c);
/* sse-gen.c's generator state, shared with sse-gen-avx.c */
uint64_t sd_rand(void);
unsigned sd_rnd(unsigned n);
unsigned sd_pick_reg(void);
void sd_emit(SdCase *c, uint8_t b);
/* A [rsi + disp8] displacement for a size-byte operand inside the data block, mostly
 * aligned on 16. */
int8_t sd_disp(unsigned size);

int sd_native_init(const char **why);
/* Does the host save and restore the YMM upper halves (AVX enabled by the OS)? */
bool sd_native_has_avx(void);
void sd_native_run(const SdCase *c, SdState *out);
int sd_mimic_init(const char *backend);
void sd_mimic_run(const SdCase *c, SdState *out);
void sd_mimic_fini(void);

#endif
