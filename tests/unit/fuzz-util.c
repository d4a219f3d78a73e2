/* Random guest accesses for the device fuzz tests (fuzz-util.h). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "fuzz-util.h"

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *s = getenv(name);
    return s && *s ? strtoull(s, NULL, 0) : dflt;
}

void fuzz_init(Fuzzer *f, const char *name, AddressSpace *mem, AddressSpace *io)
{
    *f = (Fuzzer){ .mem = mem, .io = io, .wild_base = 0, .wild_size = 1ull << 32 };
    f->rng = env_u64("MIMIC_FUZZ_SEED", (uint64_t)time(NULL)) | 1;
    fprintf(stderr, "%s: seed %llu (MIMIC_FUZZ_SEED repeats it)\n", name,
            (unsigned long long)f->rng);
}

uint64_t fuzz_rounds(uint64_t dflt)
{
    return env_u64("MIMIC_FUZZ_ROUNDS", dflt);
}

uint64_t fuzz_rand(Fuzzer *f)
{
    f->rng ^= f->rng << 13;
    f->rng ^= f->rng >> 7;
    f->rng ^= f->rng << 17;
    return f->rng;
}

void fuzz_add_range(Fuzzer *f, uint64_t base, uint64_t size, bool io)
{
    if (size && f->nr_ranges < (int)(sizeof(f->ranges) / sizeof(f->ranges[0]))) {
        f->ranges[f->nr_ranges++] = (FuzzRange){ base, size, io };
    }
}

/* Values that find bugs: small, zero, all ones, anything. */
static uint64_t wild_value(Fuzzer *f)
{
    switch (fuzz_rand(f) % 4) {
    case 0:
        return fuzz_rand(f) & 0xff;
    case 1:
        return 0;
    case 2:
        return ~0ull;
    default:
        return fuzz_rand(f);
    }
}

void fuzz_one_access(Fuzzer *f)
{
    static const unsigned sizes[] = { 1, 2, 4, 8 };
    const FuzzRange *r = &f->ranges[fuzz_rand(f) % f->nr_ranges];
    bool wild = fuzz_rand(f) % 8 == 0;
    bool io = f->io && (wild ? fuzz_rand(f) & 1 : r->io);
    unsigned size = sizes[fuzz_rand(f) % (io ? 3 : 4)];
    uint64_t addr;
    if (wild) {
        addr = io ? fuzz_rand(f) & 0xffff : f->wild_base + fuzz_rand(f) % f->wild_size;
    } else {
        addr = r->base + fuzz_rand(f) % r->size;
    }
    AddressSpace *as = io ? f->io : f->mem;
    if (fuzz_rand(f) & 1) {
        uint64_t v;
        address_space_load(as, addr, size, &v);
    } else {
        address_space_store(as, addr, size, wild_value(f));
    }
}
