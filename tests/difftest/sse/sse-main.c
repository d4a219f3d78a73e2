/* x86-sse-difftest: MMX/SSE (or, with -t avx, AVX/AVX2) instructions on the host CPU and
 * on Mimic's translator (both back ends), every register (YMM whole when the host has
 * AVX), MXCSR, flags, exceptions and memory compared.
 *   x86-sse-difftest [-t sse|avx] [-s seed] [-n count] [-b native|interp] [-c case] [-v]
 * Exit 0: no mismatch; 1: mismatches (each printed); 77: the host runner is unavailable. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/difftest/sse/sse-difftest.h"

static void print_case(const SdCase *c)
{
    printf("  code:");
    for (unsigned i = 0; i < c->len; i++) {
        printf(" %02x", c->code[i]);
    }
    printf("  (%s) mxcsr %#x\n", c->text, c->init.mxcsr);
}

static void print_y(int i, const uint8_t *a, const uint8_t *b)
{
    uint64_t qa[4], qb[4];
    memcpy(qa, a, 32);
    memcpy(qb, b, 32);
    printf("  ymm%d: ref %016llx:%016llx:%016llx:%016llx\n"
           "        mimic %016llx:%016llx:%016llx:%016llx\n", i,
           (unsigned long long)qa[3], (unsigned long long)qa[2], (unsigned long long)qa[1],
           (unsigned long long)qa[0], (unsigned long long)qb[3], (unsigned long long)qb[2],
           (unsigned long long)qb[1], (unsigned long long)qb[0]);
}

static bool compare(const SdCase *c, const SdState *r, const SdState *g)
{
    bool ok = r->exception == g->exception;
    size_t vbytes = sd_native_has_avx() ? 32 : 16;
    if (!ok) {
        printf("  exception: ref %d mimic %d\n", r->exception, g->exception);
    }
    for (int i = 0; i < 16; i++) {
        if (memcmp(r->ymm[i], g->ymm[i], vbytes)) {
            print_y(i, r->ymm[i], g->ymm[i]);
            ok = false;
        }
        if (r->gpr[i] != g->gpr[i]) {
            printf("  gpr%d: ref %016llx mimic %016llx\n", i, (unsigned long long)r->gpr[i],
                   (unsigned long long)g->gpr[i]);
            ok = false;
        }
    }
    for (int i = 0; i < 8; i++) {
        if (r->mm[i] != g->mm[i]) {
            printf("  mm%d: ref %016llx mimic %016llx\n", i, (unsigned long long)r->mm[i],
                   (unsigned long long)g->mm[i]);
            ok = false;
        }
    }
    if ((r->rflags ^ g->rflags) & 0x8d5) {
        printf("  flags: ref %#llx mimic %#llx\n", (unsigned long long)r->rflags,
               (unsigned long long)g->rflags);
        ok = false;
    }
    if (r->mxcsr != g->mxcsr) {
        printf("  mxcsr: ref %#x mimic %#x\n", r->mxcsr, g->mxcsr);
        ok = false;
    }
    for (unsigned i = 0; i < SD_DATA_SIZE; i++) {
        if (r->data[i] != g->data[i]) {
            printf("  data+%#x: ref %02x mimic %02x\n", i, r->data[i], g->data[i]);
            ok = false;
            break;
        }
    }
    return ok;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, count = 1000, fails = 0;
    long only = -1;
    int opt, verbose = 0, max_fail = 20;
    const char *backend = "native", *why = "", *set = "sse";

    while ((opt = getopt(argc, argv, "s:n:b:c:vf:t:")) != -1) {
        switch (opt) {
        case 't': set = optarg; break;
        case 's': seed = strtoull(optarg, NULL, 0); break;
        case 'n': count = strtoull(optarg, NULL, 0); break;
        case 'b': backend = optarg; break;
        case 'c': only = atol(optarg); break;
        case 'v': verbose = 1; break;
        case 'f': max_fail = atoi(optarg); break;
        default: fprintf(stderr, "usage: %s [-t sse|avx] [-s seed] [-n count] [-b native|interp]"
                         " [-c case] [-v] [-f max-failures]\n", argv[0]);
                 return 2;
        }
    }
    if (sd_native_init(&why) < 0) {
        printf("skip: %s\n", why);
        return 77;
    }
    bool avx = !strcmp(set, "avx");
    if (avx && !(__builtin_cpu_supports("avx2") && sd_native_has_avx())) {
        printf("skip: the host lacks AVX2 (the oracle of the AVX set)\n");
        return 77;
    }
    if (sd_mimic_init(backend) < 0) {
        printf("cannot start mimic's flat machine\n");
        return 1;
    }
    static SdCase c;
    static SdState ref, got;
    for (uint64_t n = only >= 0 ? (uint64_t)only : 0; n < count && (int)fails < max_fail; n++) {
        sd_generate(&c, seed, n, avx);
        sd_native_run(&c, &ref);
        sd_mimic_run(&c, &got);
        if (verbose) {
            printf("case %llu:", (unsigned long long)n);
            print_case(&c);
        }
        if (!compare(&c, &ref, &got)) {
            printf("MISMATCH case %llu (seed %llu, %s)\n", (unsigned long long)n,
                   (unsigned long long)seed, backend);
            print_case(&c);
            fails++;
        }
        if (only >= 0) {
            break;
        }
    }
    sd_mimic_fini();
    printf("%s: %llu cases, %llu mismatches (seed %llu, back end %s)\n", set,
           (unsigned long long)count, (unsigned long long)fails, (unsigned long long)seed,
           backend);
    return fails ? 1 : 0;
}
