/* x86-difftest: runs generated instruction sequences on the host CPU (64-bit encodings)
 * or Unicorn (16/32-bit-only ones) and on Mimic's translator (both back ends), and
 * compares registers, RIP, OF SF ZF AF PF CF DF (undefined ones masked), exceptions and
 * memory.   x86-difftest [-s seed] [-n count] [-m 64|32|16] [-b native|interp] [-v]
 * Exit 0: no mismatch; 1: mismatches (each printed with its code and states); 77: the
 * reference runner is unavailable here. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/difftest/difftest.h"
#include "util/log.h"

static const char *const reg_names[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi",
    "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };

static void print_case(const DTCase *c)
{
    printf("  code (%zu bytes):", c->len);
    for (size_t i = 0; i < c->len; i++) {
        printf(" %02x", c->code[i]);
    }
    printf("\n  insns: %s\n  init flags %#llx, undefined %#x\n", c->text,
           (unsigned long long)c->init.rflags, c->undef_flags);
    for (int i = 0; i < 16; i++) {
        printf("  %s=%016llx%s", reg_names[i], (unsigned long long)c->init.regs[i],
               i % 4 == 3 ? "\n" : "");
    }
}

/* The 32 bytes around a differing one, both sides. */
static void dump_around(const char *what, size_t at, const uint8_t *ref, const uint8_t *got,
                        size_t size)
{
    size_t from = at & ~(size_t)15, to = from + 32 < size ? from + 32 : size;

    for (int side = 0; side < 2; side++) {
        printf("    %s %-5s+%#zx:", side ? "mimic" : "ref", what, from);
        for (size_t i = from; i < to; i++) {
            printf(" %02x", (side ? got : ref)[i]);
        }
        printf("\n");
    }
}

/* Bit-identical final states (before masking anything)? */
static bool same_state(const DTState *a, const DTState *b)
{
    return a->exception == b->exception && a->rip == b->rip && a->rflags == b->rflags &&
           !memcmp(a->regs, b->regs, sizeof(a->regs)) &&
           !memcmp(a->data, b->data, sizeof(a->data)) &&
           !memcmp(a->stack, b->stack, sizeof(a->stack));
}

/* Compares; prints the differences; true if equal. */
static bool compare(const DTCase *c, const DTState *ref, const DTState *got)
{
    int nregs = c->mode == 64 ? 16 : 8;
    uint64_t rmask = c->mode == 64 ? ~0ull : 0xffffffffull;
    /* after a fault: the flags of the state before the faulting instruction */
    uint32_t undef = ref->exception >= 0 ? dt_undef_at(c, ref->rip) : c->undef_flags;
    uint64_t fmask = (DT_ARITH & ~(uint64_t)undef) | DT_DF;
    /* the host reports #GP and #PF alike (SIGSEGV); Mimic's flat machine has no
     * canonical-address check, so an address outside RAM is #PF there */
    bool ok = ref->exception == got->exception ||
              (ref->exception == 13 && got->exception == 14);

    printf("%s", "");
    if (!ok) {
        printf("  exception: ref %d, mimic %d\n", ref->exception, got->exception);
    }
    for (int i = 0; i < nregs; i++) {
        if ((ref->regs[i] & rmask) != (got->regs[i] & rmask)) {
            printf("  %s: ref %016llx mimic %016llx\n", reg_names[i],
                   (unsigned long long)ref->regs[i], (unsigned long long)got->regs[i]);
            ok = false;
        }
    }
    /* (Unicorn's EFLAGS after a memory fault are not the pre-instruction state: compared
     * only against the host) */
    if ((ref->exception < 0 || c->mode == 64) && ((ref->rflags ^ got->rflags) & fmask)) {
        printf("  flags: ref %#llx mimic %#llx (compared %#llx)\n",
               (unsigned long long)ref->rflags, (unsigned long long)got->rflags,
               (unsigned long long)fmask);
        ok = false;
    }
    if ((ref->rip & rmask) != (got->rip & rmask)) {
        printf("  rip: ref %#llx mimic %#llx\n", (unsigned long long)ref->rip,
               (unsigned long long)got->rip);
        ok = false;
    }
    for (size_t i = 0; i < DT_DATA_SIZE; i++) {
        if (ref->data[i] != got->data[i]) {
            printf("  data+%#zx: ref %02x mimic %02x\n", i, ref->data[i], got->data[i]);
            dump_around("data", i, ref->data, got->data, DT_DATA_SIZE);
            ok = false;
            break;
        }
    }
    for (size_t i = 0; i < DT_STACK_SIZE; i++) {
        if (ref->stack[i] != got->stack[i]) {
            printf("  stack+%#zx: ref %02x mimic %02x\n", i, ref->stack[i], got->stack[i]);
            ok = false;
            break;
        }
    }
    return ok;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, count = 1000;  /* -c N: only case N */
    int mode = 64, opt, verbose = 0, max_fail = 20;
    const char *backend = "native", *why = "";

    long only = -1;
    const char *hex = NULL, *set = "int";
    while ((opt = getopt(argc, argv, "s:n:m:b:vf:c:x:t:")) != -1) {
        switch (opt) {
        case 't': set = optarg; break;
        case 'x': hex = optarg; break;
        case 'c': only = atol(optarg); break;
        case 's': seed = strtoull(optarg, NULL, 0); break;
        case 'n': count = strtoull(optarg, NULL, 0); break;
        case 'm': mode = atoi(optarg); break;
        case 'b': backend = optarg; break;
        case 'v': verbose++; break;
        case 'f': max_fail = atoi(optarg); break;
        default: fprintf(stderr, "usage: %s [-s seed] [-n count] [-m 64|32|16] "
                         "[-b native|interp] [-v] [-f max-failures] [-t int|x87]\n", argv[0]);
                 return 2;
        }
    }
    /* DT_LOG=op_opt,out_asm...: the translator's logs on stderr */
    if (getenv("DT_LOG")) {
        unsigned mask;
        if (log_parse_categories(getenv("DT_LOG"), &mask) == 0) {
            log_mask = mask;
        }
    }
    if (mode == 64 && dt_native_init(&why) < 0) {
        printf("skip: %s\n", why);
        return 77;
    }
    if (dt_mimic_init(backend) < 0) {
        printf("cannot start mimic's flat machine\n");
        return 1;
    }
    static DTCase c;
    static DTState ref, got;
    uint64_t fails = 0;
    for (uint64_t n = only >= 0 ? (uint64_t)only : 0; n < count && (int)fails < max_fail; n++) {
        if (only >= 0 && n != (uint64_t)only) {
            break;
        }
        if (!strcmp(set, "x87")) {
            dt_generate_x87(&c, seed, n);
        } else {
            dt_generate(&c, seed, n, mode);
        }
        if (hex) {
            /* -x HEX: this code instead, with case n's initial state */
            c.len = 0;
            for (const char *p = hex; p[0] && p[1] && c.len < sizeof(c.code); p += 2) {
                unsigned b;
                sscanf(p, "%2x", &b);
                c.code[c.len++] = (uint8_t)b;
            }
            c.undef_flags = 0;
            snprintf(c.text, sizeof(c.text), "-x %s", hex);
        }
        if (mode == 64) {
            dt_native_run(&c, &ref);
        } else if (dt_unicorn_run(&c, &ref, &why) < 0) {
            printf("skip: %s\n", why);
            dt_mimic_fini();
            return 77;
        }
        dt_mimic_run(&c, &got);
        if (verbose) {
            printf("case %llu: %s (exception ref %d mimic %d)\n", (unsigned long long)n,
                   c.text, ref.exception, got.exception);
            for (size_t off = 0; verbose > 1 && off < 0x100; off += 32) {
                dump_around("data", off, ref.data, got.data, DT_DATA_SIZE);
            }
        }
        for (int again = 0; mode == 64 && again < 3 && !same_state(&ref, &got); again++) {
            /* the host's run again: a context switch between the case's FRSTOR and FNSAVE
             * loses the x87 FIP/FDP/FOP on AMD CPUs (XSAVE keeps them only with ES set) */
            dt_native_run(&c, &ref);
        }
        if (!strcmp(set, "x87")) {
            dt_x87_pointers_lost(&ref, &got);
        }
        if (!compare(&c, &ref, &got)) {
            printf("MISMATCH case %llu (seed %llu, mode %d, %s)\n", (unsigned long long)n,
                   (unsigned long long)seed, mode, backend);
            print_case(&c);
            fails++;
        }
    }
    dt_mimic_fini();
    dt_unicorn_fini();
    printf("%llu %s cases, %llu mismatches (seed %llu, mode %d, back end %s)\n",
           (unsigned long long)count, set, (unsigned long long)fails,
           (unsigned long long)seed, mode, backend);
    return fails ? 1 : 0;
}
