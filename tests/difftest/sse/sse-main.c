/* x86-sse-difftest: MMX/SSE instructions on the host CPU and on Mimic's translator (both
 * back ends), every register, MXCSR, flags, exceptions and memory compared.
 *   x86-sse-difftest [-s seed] [-n count] [-b native|interp] [-c case] [-v]
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

static void print_x(const char *what, const uint8_t *a, const uint8_t *b, int i)
{
    uint64_t qa[2], qb[2];
    memcpy(qa, a, 16);
    memcpy(qb, b, 16);
    printf("  %s%d: ref %016llx:%016llx mimic %016llx:%016llx\n", what, i,
           (unsigned long long)qa[1], (unsigned long long)qa[0], (unsigned long long)qb[1],
           (unsigned long long)qb[0]);
}

static bool compare(const SdCase *c, const SdState *r, const SdState *g)
{
    bool ok = r->exception == g->exception;
    if (!ok) {
        printf("  exception: ref %d mimic %d\n", r->exception, g->exception);
    }
    for (int i = 0; i < 16; i++) {
        if (memcmp(r->xmm[i], g->xmm[i], 16)) {
            print_x("xmm", r->xmm[i], g->xmm[i], i);
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
    const char *backend = "native", *why = "";

    while ((opt = getopt(argc, argv, "s:n:b:c:vf:")) != -1) {
        switch (opt) {
        case 's': seed = strtoull(optarg, NULL, 0); break;
        case 'n': count = strtoull(optarg, NULL, 0); break;
        case 'b': backend = optarg; break;
        case 'c': only = atol(optarg); break;
        case 'v': verbose = 1; break;
        case 'f': max_fail = atoi(optarg); break;
        default: fprintf(stderr, "usage: %s [-s seed] [-n count] [-b native|interp] [-c case]"
                         " [-v] [-f max-failures]\n", argv[0]);
                 return 2;
        }
    }
    if (sd_native_init(&why) < 0) {
        printf("skip: %s\n", why);
        return 77;
    }
    if (sd_mimic_init(backend) < 0) {
        printf("cannot start mimic's flat machine\n");
        return 1;
    }
    static SdCase c;
    static SdState ref, got;
    for (uint64_t n = only >= 0 ? (uint64_t)only : 0; n < count && (int)fails < max_fail; n++) {
        sd_generate(&c, seed, n);
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
    printf("%llu cases, %llu mismatches (seed %llu, back end %s)\n", (unsigned long long)count,
           (unsigned long long)fails, (unsigned long long)seed, backend);
    return fails ? 1 : 0;
}
