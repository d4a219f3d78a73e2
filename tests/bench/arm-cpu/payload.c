/*
 * CPU-bound program for the ARM Linux benchmark (tests/bench/arm-linux.sh): a static
 * armhf Linux program run inside the guest. Most of its time is 64-bit division and
 * remainder of unsigned 64-bit values, which gcc compiles to calls of libgcc's
 * __aeabi_uldivmod (ARMv7-A has no 64-bit divide), the rest a sieve, a byte-wise hash
 * (loads/stores, shifts) and a small integer matrix product (multiply-accumulate).
 * Prints one "name value" line (16 hex digits) per kernel: both emulators must agree.
 * SCALE (compile-time) sets the amount of work.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef SCALE
#define SCALE 4
#endif

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s;
}

/* 64-bit divisions with 33..64-bit divisors: __aeabi_uldivmod's slow path */
static uint64_t divisions(unsigned n)
{
    uint64_t s = 1, acc = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t a = lcg(&s), d = (lcg(&s) >> (i & 31)) | 0x100000000ull;
        acc += a / d;
        acc ^= a % d;
        acc += (a >> 7) / (uint64_t)(i | 1);       /* 32-bit divisor */
    }
    return acc;
}

static uint64_t sieve(unsigned n)
{
    static uint8_t comp[1 << 20];
    uint64_t count = 0, sum = 0;
    memset(comp, 0, sizeof(comp));
    for (unsigned i = 2; i < n && i < sizeof(comp); i++) {
        if (comp[i])
            continue;
        count++;
        sum += i;
        for (unsigned j = i * 2; j < n && j < sizeof(comp); j += i)
            comp[j] = 1;
    }
    return count << 32 | (sum & 0xffffffffu);
}

static uint64_t fnv(unsigned rounds)
{
    static uint8_t buf[4096];
    uint64_t h = 14695981039346656037ull, s = 7;
    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)lcg(&s);
    for (unsigned r = 0; r < rounds; r++) {
        for (unsigned i = 0; i < sizeof(buf); i++) {
            h ^= buf[i];
            h *= 1099511628211ull;
        }
        buf[r % sizeof(buf)] = (uint8_t)h;
    }
    return h;
}

static uint64_t matrix(unsigned reps)
{
    enum { N = 48 };
    static int32_t a[N][N], b[N][N], c[N][N];
    uint64_t s = 3, sum = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (int32_t)(lcg(&s) >> 40) - 8000000;
            b[i][j] = (int32_t)(lcg(&s) >> 44);
        }
    for (unsigned r = 0; r < reps; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                int32_t t = 0;
                for (int k = 0; k < N; k++)
                    t += a[i][k] * b[k][j];
                c[i][j] = t;
            }
        a[r % N][(r * 7) % N] ^= c[(r * 3) % N][r % N];
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            sum = sum * 31 + (uint32_t)c[i][j];
    return sum;
}

int main(void)
{
    printf("div %016llx\n", (unsigned long long)divisions(SCALE * 1000000u));
    printf("sieve %016llx\n", (unsigned long long)sieve(SCALE * 250000u));
    printf("fnv %016llx\n", (unsigned long long)fnv(SCALE * 100u));
    printf("matrix %016llx\n", (unsigned long long)matrix(SCALE * 10u));
    return 0;
}
