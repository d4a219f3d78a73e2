/* Random ARMv7-A instruction generators for the differential tester (test-arm-diff.c):
 * A32 and T32 encodings (ARM ARM DDI0406C A5, A6) built from templates with random fields,
 * restricted to defined, predictable forms whose results depend only on registers, flags
 * and a scratch buffer addressed through r13. */
#ifndef TESTS_UNIT_ARM_DIFF_GEN_H
#define TESTS_UNIT_ARM_DIFF_GEN_H

#include <stdbool.h>
#include <stdint.h>

#define DIFF_MAX_INSNS 16

typedef struct DiffRng {
    uint64_t s;
} DiffRng;

uint32_t diff_rand(DiffRng *r);

/* A sequence: n instructions (T32: 16 or 32 bits each, size in bytes), encoded in order. */
typedef struct DiffSeq {
    int n;
    uint32_t insn[DIFF_MAX_INSNS];
    uint8_t size[DIFF_MAX_INSNS];
} DiffSeq;

void diff_gen_a32(DiffRng *r, DiffSeq *seq, int n);
void diff_gen_t32(DiffRng *r, DiffSeq *seq, int n);
void diff_gen_vfp(DiffRng *r, DiffSeq *seq, int n);
void diff_gen_neon(DiffRng *r, DiffSeq *seq, int n);
/* A conditional branch with two short arms that meet again (translate-ifconv.c). */
void diff_gen_diamond(DiffRng *r, DiffSeq *seq, bool thumb);

#endif
