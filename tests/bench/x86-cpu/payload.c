/* CPU-bound bare-metal workload of the x86 translator benchmark (tests/bench/x86-cpu.sh):
 * CRC-32, quicksort, 64-bit hashing and 64-bit division on a 32-bit guest, with results
 * printed on COM1 so that every emulator's run can be checked against the others. */
#include <stdint.h>
#include "serial.h"

/* Work per phase; the make-check test builds with SCALE 1, the benchmark with 8. */
#ifndef SCALE
#define SCALE 8
#endif

extern char __bss_start[], __bss_end[];

/* ---- CRC-32 (IEEE, table driven) ---- */
static uint32_t crc_table[256];
static uint8_t buf[65536];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        }
        crc_table[i] = c;
    }
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, uint32_t n)
{
    crc = ~crc;
    while (n--) {
        crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    }
    return ~crc;
}

/* ---- sorting ---- */
static uint32_t arr[32768];

static uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static void quicksort(uint32_t *a, int lo, int hi)
{
    while (lo < hi) {
        uint32_t pivot = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                uint32_t t = a[i]; a[i] = a[j]; a[j] = t;
                i++; j--;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

/* ---- 64-bit hashing and arithmetic ---- */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t fnv1a(const uint8_t *p, uint32_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    while (n--) {
        h = (h ^ *p++) * 0x100000001b3ull;
    }
    return h;
}

void _start(void) __attribute__((section(".text.start"), used));
void _start(void)
{
#ifndef LINUX_USER
    for (char *p = __bss_start; p < __bss_end; p++) {
        *p = 0;
    }
#endif
    uint32_t seed = 12345;
    crc_init();
    for (uint32_t i = 0; i < sizeof(buf); i++) {
        buf[i] = (uint8_t)xorshift32(&seed);
    }
    uint32_t crc = 0;
    for (int r = 0; r < 20 * SCALE; r++) {
        crc = crc32(crc, buf, sizeof(buf));
        buf[r] ^= (uint8_t)crc;
    }
    put_hex("crc32   ", crc);

    uint64_t sorted_sum = 0;
    for (int r = 0; r < 8 * SCALE; r++) {
        for (int i = 0; i < 32768; i++) {
            arr[i] = xorshift32(&seed);
        }
        quicksort(arr, 0, 32767);
        for (int i = 0; i < 32768; i += 97) {
            sorted_sum = sorted_sum * 31 + arr[i];
        }
    }
    put_hex("sort    ", sorted_sum);

    uint64_t h = 0, q = 0;
    for (uint32_t i = 1; i < 400000u * SCALE; i++) {
        uint64_t z = mix64(h + i);
        h ^= z;
        q += z / (i | 1) + z % 1000003u;
    }
    put_hex("mix64   ", h);
    put_hex("div64   ", q);
    put_hex("fnv1a   ", fnv1a(buf, sizeof(buf)) ^ fnv1a((uint8_t *)arr, sizeof(arr)));
    puts_serial("DONE\n");
    serial_drain();
#ifdef LINUX_USER
    linux_exit();
#endif
}
