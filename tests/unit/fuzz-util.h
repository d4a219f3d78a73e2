/* Random guest accesses for the device fuzz tests (test-fuzz-*.c): a seeded xorshift
 * generator, a list of address ranges that devices decode, and one random read or write
 * of a random width and value into one of them (or, now and then, anywhere). */
#ifndef TESTS_UNIT_FUZZ_UTIL_H
#define TESTS_UNIT_FUZZ_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include "system/memory.h"

typedef struct FuzzRange {
    uint64_t base, size;
    bool io;                    /* in the port space, else in memory */
} FuzzRange;

typedef struct Fuzzer {
    uint64_t rng;
    FuzzRange ranges[128];
    int nr_ranges;
    AddressSpace *mem, *io;     /* io may be NULL (no port space) */
    uint64_t wild_base, wild_size;  /* memory window for the occasional wild access */
} Fuzzer;

/* Seeds from MIMIC_FUZZ_SEED or the time, printing the seed under name. */
void fuzz_init(Fuzzer *f, const char *name, AddressSpace *mem, AddressSpace *io);
uint64_t fuzz_rand(Fuzzer *f);
void fuzz_add_range(Fuzzer *f, uint64_t base, uint64_t size, bool io);
void fuzz_one_access(Fuzzer *f);
/* MIMIC_FUZZ_ROUNDS, or dflt. */
uint64_t fuzz_rounds(uint64_t dflt);

#endif
