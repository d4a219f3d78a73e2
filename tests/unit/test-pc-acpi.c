/* Unit tests of the AML encoder (PkgLength sizes, name paths, integers, EisaId,
 * resource descriptors) and of the pc machine's DSDT: the objects Linux needs are
 * present, and when ACPICA's iasl is installed it disassembles the table without errors
 * (the disassembly is checked for the root bridge, _PRT, links, ISA devices, \_S5). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hw/acpi/aml.h"
#include "hw/i386/pc.h"

#define SEABIOS "/usr/share/seabios/bios-256k.bin"

static void test_pkglength(void **state)
{
    static const struct { size_t body; uint8_t enc[4]; int n; } cases[] = {
        { 0, { 0x01 }, 1 }, { 62, { 0x3f }, 1 }, { 63, { 0x41, 0x04 }, 2 },
        { 0xffd, { 0x4f, 0xff }, 2 }, { 0xffe, { 0x81, 0x00, 0x01 }, 3 },
        { 0xffffc, { 0x8f, 0xff, 0xff }, 3 }, { 0xffffd, { 0xc1, 0x00, 0x00, 0x01 }, 4 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        AmlBuf b = { 0 };
        aml_op(&b, 0x10);
        size_t mark = b.len;
        aml_grow(&b, cases[i].body);
        if (cases[i].body) {
            b.data[b.len - 1] = 0xaa;
        }
        aml_close(&b, mark);
        assert_int_equal(b.len, 1 + cases[i].n + cases[i].body);
        assert_memory_equal(b.data + 1, cases[i].enc, cases[i].n);
        if (cases[i].body) {
            assert_int_equal(b.data[b.len - 1], 0xaa);      /* the body moved intact */
        }
        aml_free(&b);
    }
}

static void test_names_and_ints(void **state)
{
    AmlBuf b = { 0 };

    aml_name(&b, "\\_SB.PCI0.ISA.PRQ0");
    assert_memory_equal(b.data, "\\\x2f\x04_SB_PCI0ISA_PRQ0", 19);
    aml_free(&b);
    aml_name(&b, "\\_S5");
    assert_memory_equal(b.data, "\\_S5_", 5);
    aml_free(&b);
    aml_name(&b, "^LNKA.X");
    assert_memory_equal(b.data, "^\x2eLNKAX___", 10);
    aml_free(&b);
    aml_int(&b, 0);
    aml_int(&b, 1);
    aml_int(&b, 0x80);
    aml_int(&b, 0x1234);
    aml_int(&b, 0x10000);
    aml_int(&b, 0x100000000ull);
    aml_int(&b, UINT64_MAX);
    static const uint8_t ints[] = {
        0x00, 0x01, 0x0a, 0x80, 0x0b, 0x34, 0x12, 0x0c, 0, 0, 1, 0,
        0x0e, 0, 0, 0, 0, 1, 0, 0, 0, 0xff,
    };
    assert_int_equal(b.len, sizeof(ints));
    assert_memory_equal(b.data, ints, sizeof(ints));
    aml_free(&b);
    assert_int_equal(aml_eisaid_value("PNP0A03"), 0x030ad041);
    assert_int_equal(aml_eisaid_value("PNP0C0F"), 0x0f0cd041);
}

static void test_resources(void **state)
{
    static const uint32_t irqs[2] = { 10, 11 };
    static const uint8_t want[] = {
        0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08,             /* IO 0x3f8, 8 */
        0x22, 0x10, 0x00,                                           /* IRQNoFlags {4} */
        0x89, 0x0a, 0x00, 0x09, 0x02, 10, 0, 0, 0, 11, 0, 0, 0,     /* Interrupt {10, 11} */
        0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03, 0, 0, 0x00, 0x0d, 0xff, 0xff, 0, 0,
        0x00, 0xf3,                                                 /* WordIO 0xd00-0xffff */
        0x79, 0x00,
    };
    AmlBuf r = { 0 };

    aml_res_io(&r, 0x3f8, 1, 8);
    aml_res_irq_noflags(&r, 1u << 4);
    aml_res_interrupt_level_shared(&r, irqs, 2);
    aml_res_word_io(&r, 0x0d00, 0xffff);
    aml_res_end(&r);
    assert_int_equal(r.len, sizeof(want));
    assert_memory_equal(r.data, want, sizeof(want));
    aml_free(&r);
}

/* ---- the pc machine's DSDT --------------------------------------------------------------- */

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool contains(const uint8_t *p, size_t len, const char *s)
{
    return memmem(p, len, s, strlen(s)) != NULL;
}

/* The DSDT inside etc/acpi/tables (offsets there are file-relative before loading). */
static const uint8_t *find_dsdt(PCMachineState *pcms, uint32_t *len)
{
    const FWCfgEntry *t = fw_cfg_find_file(pcms->fw_cfg, "etc/acpi/tables");

    assert_non_null(t);
    for (uint32_t off = 0; off + 44 <= t->len; off++) {
        if (!memcmp(t->data + off, "FACP", 4)) {
            uint32_t dsdt = le32(t->data + off + 40);
            assert_true(dsdt + 36 <= t->len);
            assert_memory_equal(t->data + dsdt, "DSDT", 4);
            *len = le32(t->data + dsdt + 4);
            assert_true(dsdt + *len <= t->len);
            return t->data + dsdt;
        }
    }
    fail_msg("no FADT");
    return NULL;
}

static void run_iasl(const uint8_t *dsdt, uint32_t len)
{
    char dir[] = "/tmp/mimic-dsdt-XXXXXX", cmd[1024], path[128];
    FILE *f;

    if (system("iasl -v >/dev/null 2>&1") != 0) {
        fprintf(stderr, "iasl (acpica-tools) not installed: disassembly not checked\n");
        return;
    }
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/dsdt.aml", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(dsdt, 1, len, f), len);
    fclose(f);
    snprintf(cmd, sizeof(cmd),
             "cd %s && iasl -d dsdt.aml >log 2>&1 && "
             "grep -q 'PNP0A03' dsdt.dsl && grep -q 'Name (_PRT, Package (0x80)' dsdt.dsl && "
             "grep -q 'Device (LNKD)' dsdt.dsl && grep -q 'Method (_SRS, 1, Serialized)' dsdt.dsl && "
             "grep -q 'PRQ3,   8' dsdt.dsl && grep -q 'Device (RTC)' dsdt.dsl && "
             "grep -q 'IRQNoFlags ()' dsdt.dsl && grep -qF 'Name (\\_S5, Package' dsdt.dsl && "
             "grep -q 'Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )' dsdt.dsl && "
             "iasl -tc dsdt.dsl >>log 2>&1; r=$?; [ $r = 0 ] || cat log dsdt.dsl >&2; "
             "rm -rf %s; exit $r", dir, dir);
    assert_int_equal(system(cmd), 0);
}

static void test_dsdt(void **state)
{
    MachineConfig c = { .ram_size = 256 << 20, .smp_cpus = 2, .arch = "x86_64" };
    Error *err = NULL;
    Machine *m;
    uint32_t len = 0;

    if (access(SEABIOS, R_OK)) {
        skip();
    }
    m = machine_create(machine_class_find("x86_64", "pc"), &c, &err);
    if (!m) {
        fail_msg("%s", error_get_message(err));
    }
    const uint8_t *dsdt = find_dsdt(m->board, &len);
    uint8_t sum = 0;
    for (uint32_t i = 0; i < len; i++) {
        sum += dsdt[i];
    }
    static const char *const want[] = {
        "PCI0", "_PRT", "LNKA", "LNKB", "LNKC", "LNKD", "LNKS", "PRQ0", "PRQ3", "ISA_",
        "RTC_", "KBD_", "MOU_", "PIC_", "TMR_", "HPET", "_S5_", "_CRS", "_SRS", "_DIS",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        if (!contains(dsdt, len, want[i])) {
            fail_msg("DSDT lacks %s", want[i]);
        }
    }
    uint8_t *copy = malloc(len);
    memcpy(copy, dsdt, len);
    copy[9] = dsdt[9] - sum;             /* as the table loader's ADD_CHECKSUM */
    run_iasl(copy, len);
    free(copy);
    pc_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pkglength),
        cmocka_unit_test(test_names_and_ints),
        cmocka_unit_test(test_resources),
        cmocka_unit_test(test_dsdt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
