/* Concurrency stress of the translator runtime, meant to run under ThreadSanitizer
 * (`make check-tsan`): four vCPU threads of the toy guest (test-tcg-smp.c, included)
 * translate, chain, jump indirectly, rewrite their own code, take exclusive steps on a
 * shared counter, and flush TLBs (own, queued for others, synchronous) in a 64 KiB code
 * buffer that fills and is flushed under them, while the test thread writes into their
 * code as a device would and reads the statistics. Runs MIMIC_STRESS_SECONDS (default
 * 1) and checks every vCPU's results and the shared counter. */
int test_tcg_smp_main(void);
#define TCG_SMP_MAIN test_tcg_smp_main
#include "tests/unit/test-tcg-smp.c"

enum { NB_VCPUS = 4, STRESS_BASE = 0x4000, STRESS_COUNTER = 0x8100, STRESS_DONE = 0x8200 };
#define OP_FLUSHMIX 0x23        /* a TLB flush chosen by rd's value (helper) */

/* The flush of iteration n (rd = n): own page, own TLB, a page on every vCPU (queued),
 * every TLB synchronously, one MMU index synchronously, nothing. */
static void helper_flushmix(void *env, uint32_t n)
{
    CPUState *cpu = env;
    switch (n % 6) {
    case 0:
        tlb_flush_page(cpu, 0x8000);
        break;
    case 1:
        tlb_flush(cpu);
        break;
    case 2:
        tlb_flush_page_all_cpus(cpu, 0x8000);
        break;
    case 3:
        tlb_flush_all_cpus_synced(cpu);
        break;
    case 4:
        tlb_flush_page_by_mmuidx_all_cpus_synced(cpu, 0x8000, 1);
        break;
    default:
        break;
    }
}

static const TCGHelperInfo info_flushmix = {
    .name = "flushmix", .func = (void *)helper_flushmix, .flags = TCG_CALL_NO_WG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 2, .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32 },
};

static int stress_extra_insn(TranslationBlock *tb, uint32_t pc, uint32_t insn)
{
    if (insn >> 24 != OP_FLUSHMIX) {
        return smp_extra_insn(tb, pc, insn);
    }
    TCGTemp *args[] = { tcgv_temp(tcg_env), tcgv_temp(toy_r[(insn >> 20) & 7]) };
    tcg_gen_callN(&info_flushmix, NULL, args);
    return 0;
}

/* The program of vCPU i at base b: r6 counts iterations, r7 gets 2 per iteration. */
static void stress_program(uint32_t b, uint32_t *code)
{
    const uint32_t addi7 = INSN(OP_ADDI, 7, 0, 1);
    const uint32_t prog[] = {
        INSN(OP_LI, 6, 0, 0), INSN(OP_LI, 3, 0, STRESS_COUNTER),         /* b+0x00 */
        INSN(OP_LI, 1, 0, 1), INSN(OP_LIW, 5, 0, 0), addi7,              /* r5 = addi7 */
        INSN(OP_LI, 4, 0, b + 0x40), INSN(OP_B, 0, 0, 0),                /* b+0x14 */
        INSN(OP_EXCL, 1, 3, 0),                                          /* b+0x1c loop */
        INSN(OP_ADDI, 6, 0, 1), INSN(OP_ST, 5, 4, 4),                    /* rewrite b+0x44 */
        INSN(OP_FLUSHMIX, 6, 0, 0), INSN(OP_JR, 4, 0, 0),
        INSN(OP_HALT, 0, 0, 0), INSN(OP_HALT, 0, 0, 0), INSN(OP_HALT, 0, 0, 0),
        INSN(OP_HALT, 0, 0, 0),
        addi7, addi7,                                                    /* b+0x40 */
        INSN(OP_LI, 2, 0, STRESS_DONE), INSN(OP_LD, 2, 2, 0),
        INSN(OP_BNZ, 2, 0, 1), INSN(OP_B, 0, 0, -15),                    /* b+0x50 */
        INSN(OP_LI, 5, 0, 0), INSN(OP_LUI, 5, 0, MMIO_BASE >> 16),       /* b+0x58 */
        INSN(OP_ST, 6, 5, 0), INSN(OP_HALT, 0, 0, 0),
    };
    memcpy(code, prog, sizeof(prog));
}

static bool all_done(void)
{
    return device_writes() >= NB_VCPUS;
}

static double stress_seconds(void)
{
    const char *s = getenv("MIMIC_STRESS_SECONDS");
    double v = s ? atof(s) : 1.0;
    return v > 0 && v < 3600 ? v : 1.0;
}

/* The test thread's part: device-style writes of the same bytes into each vCPU's code
 * (invalidating the TBs there) and statistics reads, until the time is up. */
static void stress_disturb(double seconds)
{
    const uint32_t addi7 = INSN(OP_ADDI, 7, 0, 1);
    struct timespec t0, t, pause = { 0, 200000 };
    FILE *null = fopen("/dev/null", "w");
    assert_non_null(null);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned k = 0;; k++) {
        uint32_t at = STRESS_BASE + 0x1000 * (k % NB_VCPUS) + 0x40;
        assert_int_equal(address_space_write(&fx.as, at, &addi7, 4), MEMTX_OK);
        tcg_runtime_print_info(null);
        nanosleep(&pause, NULL);
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 > seconds) {
            break;
        }
    }
    fclose(null);
}

static void test_stress(void **state)
{
    static uint32_t code[NB_VCPUS][32];
    CPUState *cpus[NB_VCPUS] = { fx.cpu };
    Error *err = NULL;
    const uint32_t one = 1;
    TCGRuntimeStats st;

    toy_extra_insn = stress_extra_insn;
    assert_int_equal(tcg_runtime_configure(64 << 10, tcg_backend_find(
        strcmp(fx.backend, "native") ? fx.backend : "x86_64"), &err), 0);
    for (int i = 0; i < NB_VCPUS; i++) {
        uint32_t b = STRESS_BASE + 0x1000 * (uint32_t)i;
        if (i > 0) {
            cpus[i] = cpu_create(&smp_class, NULL, i, &err);
            assert_non_null(cpus[i]);
            cpus[i]->as = &fx.as;
        }
        stress_program(b, code[i]);
        load(b, code[i], 32);
        ((ToyCPU *)cpus[i])->pc = b;
        cpus[i]->halted = false;
    }
    assert_int_equal(cpus_start_threads(tcg_accel_ops_get(), &err), 0);
    cpus_resume_all();
    stress_disturb(stress_seconds());
    assert_int_equal(address_space_write(&fx.as, STRESS_DONE, &one, 4), MEMTX_OK);
    wait_until(all_done, "every vCPU to finish");
    cpus_stop_threads();
    stats(&st);
    uint32_t total = 0;
    for (int i = 0; i < NB_VCPUS; i++) {
        ToyCPU *t = (ToyCPU *)cpus[i];
        assert_true(t->r[6] > 0);
        assert_int_equal(t->r[7], 2 * t->r[6]);
        assert_int_equal(t->last_excp, 0);
        total += t->r[6];
    }
    assert_int_equal(ram32(STRESS_COUNTER), total);
    assert_int_equal(st.exclusive_steps, total);
    assert_true(st.invalidations > 0);
    print_message("stress: %u iterations, %llu translations, %llu flushes, %llu "
                  "invalidations, %llu TLB flush requests\n", total,
                  (unsigned long long)st.translations, (unsigned long long)st.flushes,
                  (unsigned long long)st.invalidations,
                  (unsigned long long)st.tlb_flush_requests);
    for (int i = 1; i < NB_VCPUS; i++) {
        cpu_destroy(cpus[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH_SMP(test_stress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
