/* Disassembly for the -d logs and the monitor, through capstone when the build has it
 * (configure --disable-capstone leaves a hex dump). */
#ifndef UTIL_DISAS_H
#define UTIL_DISAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    DISAS_X86_16,
    DISAS_X86_32,
    DISAS_X86_64,
    DISAS_ARM,
    DISAS_THUMB,
} DisasArch;

/* Prints one line per instruction of code[0..size), addressed from addr:
 *   "  0x<addr>:  <mnemonic> <operands>"
 * Bytes capstone cannot decode, or all of them without capstone, print as ".byte" lines. */
void disas_print(FILE *out, DisasArch arch, const void *code, size_t size, uint64_t addr);
/* One instruction of code[0..size) at addr: prints "<mnemonic> <operands>" without a
 * newline and returns its length, or prints ".byte 0x.." and returns 1 when it cannot
 * be decoded (always so without capstone). */
int disas_one(FILE *out, DisasArch arch, const void *code, size_t size, uint64_t addr);
bool disas_available(void);

#endif
