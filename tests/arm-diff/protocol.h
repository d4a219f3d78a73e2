/* Messages between the ARM differential tester (tests/unit/test-arm-diff.c) and its Unicorn
 * oracle process (tests/arm-diff/oracle.c): fixed-size structs over a pipe, host byte order.
 * The oracle is a separate process because libunicorn exports QEMU's symbol names
 * (cpu_reset, tb_flush...), which clash with Mimic's in one address space. */
#ifndef TESTS_ARM_DIFF_PROTOCOL_H
#define TESTS_ARM_DIFF_PROTOCOL_H

#include <stdint.h>

#define DIFF_CODE_BASE 0x10000u
#define DIFF_DATA_BASE 0x20000u
#define DIFF_DATA_SIZE 0x1000u
#define DIFF_CODE_MAX 128

typedef struct DiffCpuState {
    uint32_t r[15];
    uint32_t psr;                           /* NZCVQ and GE bits of the CPSR */
    uint32_t fpscr;
    uint32_t pad;
    uint64_t d[32];                         /* VFP/NEON registers */
    uint8_t data[DIFF_DATA_SIZE];
} DiffCpuState;

typedef struct DiffRequest {
    uint32_t thumb;
    uint32_t len;                           /* code bytes to run (the stop is right after) */
    uint8_t code[DIFF_CODE_MAX];
    DiffCpuState st;
} DiffRequest;

typedef struct DiffReply {
    uint32_t ok;                            /* 0: Unicorn stopped with an error */
    DiffCpuState st;
} DiffReply;

#endif
