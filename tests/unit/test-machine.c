/* Unit tests for system/machine.c and system/machine-none.c: the board registry and -M help,
 * checks of -m / -smp / -cpu naming the value, memory roots and RAM, CPUs, reset, and the
 * "none" board on every architecture. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "system/machine.h"
#include "target-arm/cpu.h"
#include "target-i386/cpu.h"

static int board_inits, board_resets, board_cpus_seen;

static int test_board_init(Machine *machine, Error **errp)
{
    board_inits++;
    board_cpus_seen = machine->nr_cpus;
    return 0;
}

static void test_board_reset(Machine *machine)
{
    board_resets++;
}

static int failing_board_init(Machine *machine, Error **errp)
{
    error_setg(errp, "board says no");
    return -1;
}

static const MachineClass test_board = {
    .name = "testboard",
    .description = "x86 test board",
    .arch = "i386",
    .is_default = true,
    .default_ram_size = 32 << 20,
    .max_ram_size = 64 << 20,
    .max_cpus = 2,
    .default_cpu_model = "qemu32",
    .init = test_board_init,
    .reset = test_board_reset,
};

static const MachineClass arm_board = {
    .name = "armboard",
    .description = "ARM test board",
    .arch = "arm",
    .max_cpus = 4,
    .default_cpu_model = "cortex-a15",
};

static const MachineClass failing_board = {
    .name = "failing",
    .description = "a board whose init fails",
    .arch = "arm",
    .default_cpu_model = "cortex-a9",
    .init = failing_board_init,
};

static void __attribute__((constructor)) register_boards(void)
{
    machine_class_register(&test_board);
    machine_class_register(&arm_board);
    machine_class_register(&failing_board);
}

static MachineConfig config(const char *arch, uint64_t ram, int smp)
{
    return (MachineConfig){ .arch = arch, .ram_size = ram, .smp_cpus = smp };
}

static char *error_text(Error *err)
{
    assert_non_null(err);
    char *s = strdup(error_get_message(err));
    error_free(err);
    return s;
}

/* ---- registry ----------------------------------------------------------------------------- */

static void test_registry(void **state)
{
    assert_ptr_equal(machine_class_find("i386", "testboard"), &test_board);
    assert_ptr_equal(machine_class_find("x86_64", "testboard"), &test_board);
    assert_null(machine_class_find("arm", "testboard"));
    assert_ptr_equal(machine_class_find("arm", "armboard"), &arm_board);
    assert_null(machine_class_find("i386", "nosuch"));
    assert_ptr_equal(machine_class_find("arm", "none"), &machine_none_class);
    assert_ptr_equal(machine_class_find("x86_64", "none"), &machine_none_class);
    assert_ptr_equal(machine_class_default("i386"), &test_board);
    assert_null(machine_class_default("arm"));
}

static void test_print_list(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    machine_class_print_list(f, "i386");
    fclose(f);
    /* other boards linked into this binary may appear too; these lines must */
    assert_memory_equal(buf, "Supported machines are:\n", 24);
    assert_non_null(strstr(buf, "\nnone                 empty machine\n"));
    assert_non_null(strstr(buf, "\ntestboard            x86 test board (default)\n"));
    assert_null(strstr(buf, "armboard"));
    assert_true(strstr(buf, "\nnone ") < strstr(buf, "\ntestboard "));     /* sorted */
    free(buf);

    f = open_memstream(&buf, &len);
    machine_class_print_list(f, "arm");
    fclose(f);
    assert_non_null(strstr(buf, "\narmboard             ARM test board\n"));
    assert_non_null(strstr(buf, "\nnone                 empty machine\n"));
    assert_null(strstr(buf, "testboard"));
    free(buf);
}

/* ---- checks of the command line's values ----------------------------------------------------- */

static void test_ram_too_large(void **state)
{
    Error *err = NULL;
    MachineConfig c = config("i386", 128 << 20, 1);
    assert_null(machine_create(&test_board, &c, &err));
    char *msg = error_text(err);
    assert_non_null(strstr(msg, "-m 128M"));
    assert_non_null(strstr(msg, "testboard"));
    assert_non_null(strstr(msg, "64M"));
    free(msg);
    assert_null(current_machine());
    assert_null(cpu_first());

    err = NULL;
    c = config("arm", 2ULL << 40, 1);           /* none: at most 1 TiB */
    assert_null(machine_create(&machine_none_class, &c, &err));
    msg = error_text(err);
    assert_string_equal(msg, "-m 2T: machine 'none' supports at most 1T of RAM");
    free(msg);
    err = NULL;
    c.ram_size = (1ULL << 40) + 1536;
    assert_null(machine_create(&machine_none_class, &c, &err));
    msg = error_text(err);
    assert_non_null(strstr(msg, "-m 1099511629312B:"));
    free(msg);
    err = NULL;
    c.ram_size = (1ULL << 40) + (3ULL << 29);
    assert_null(machine_create(&machine_none_class, &c, &err));
    msg = error_text(err);
    assert_non_null(strstr(msg, "-m 1050112M:"));
    free(msg);
}

static void test_smp_limits(void **state)
{
    Error *err = NULL;
    MachineConfig c = config("i386", 32 << 20, 3);
    assert_null(machine_create(&test_board, &c, &err));
    char *msg = error_text(err);
    assert_non_null(strstr(msg, "-smp 3"));
    assert_non_null(strstr(msg, "at most 2 CPUs"));
    free(msg);

    err = NULL;
    c.smp_cpus = 0;
    assert_null(machine_create(&test_board, &c, &err));
    msg = error_text(err);
    assert_non_null(strstr(msg, "-smp 0"));
    free(msg);
    assert_null(cpu_first());
}

static void test_unknown_cpu_model(void **state)
{
    Error *err = NULL;
    MachineConfig c = config("i386", 32 << 20, 1);
    c.cpu_model = "cortex-a15";                 /* exists, but not for this binary */
    assert_null(machine_create(&test_board, &c, &err));
    char *msg = error_text(err);
    assert_non_null(strstr(msg, "-cpu cortex-a15"));
    free(msg);
    assert_null(cpu_first());
    assert_null(current_machine());

    err = NULL;
    c.cpu_model = "qemu32,+monitor";
    assert_null(machine_create(&test_board, &c, &err));
    msg = error_text(err);
    assert_non_null(strstr(msg, "-cpu qemu32,+monitor: CPU feature 'monitor' is not "
                                "implemented"));
    free(msg);

    err = NULL;
    c.cpu_model = "qemu32,+pse,bogus=on";
    assert_null(machine_create(&test_board, &c, &err));
    msg = error_text(err);
    assert_non_null(strstr(msg, "-cpu qemu32,+pse,bogus=on: unknown CPU feature 'bogus'"));
    free(msg);
    assert_null(cpu_first());
}

static void test_board_init_failure(void **state)
{
    Error *err = NULL;
    MachineConfig c = config("arm", 0, 1);
    assert_null(machine_create(&failing_board, &c, &err));
    char *msg = error_text(err);
    assert_string_equal(msg, "board says no");
    free(msg);
    assert_null(cpu_first());                   /* its CPU was destroyed again */
}

/* ---- a real board ------------------------------------------------------------------------------- */

static void test_create_board(void **state)
{
    Error *err = NULL;
    MachineConfig c = config("x86_64", 32 << 20, 2);
    int inits = board_inits;
    Machine *m = machine_create(&test_board, &c, &err);

    assert_non_null(m);
    assert_ptr_equal(current_machine(), m);
    assert_int_equal(board_inits, inits + 1);
    assert_int_equal(board_cpus_seen, 2);       /* CPUs exist before the board's init */
    assert_int_equal(m->nr_cpus, 2);
    assert_ptr_equal(m->cpus, cpu_by_index(0));
    assert_ptr_equal(cpu_by_index(1)->cls, &x86_cpu_qemu32_class);
    assert_ptr_equal(cpu_by_index(1)->machine, m);
    assert_ptr_equal(cpu_by_index(0)->as, &m->as_memory);
    assert_ptr_equal(cpu_by_index(0)->io_as, &m->as_io);
    /* RAM at 0, nothing above it; the x86 I/O space is 64 KiB */
    const FlatRange *r = address_space_lookup(&m->as_memory, 0);
    assert_non_null(r);
    assert_ptr_equal(r->mr, m->ram);
    assert_int_equal(m->ram->size, 32 << 20);
    assert_null(address_space_lookup(&m->as_memory, 32 << 20));
    assert_non_null(m->io_memory);
    assert_int_equal(m->io_memory->size, 0x10000);

    /* system_reset: CPUs back to reset values, board hook after */
    int resets = board_resets;
    X86CPU *x = x86_cpu(cpu_by_index(0));
    x->regs[R_EAX] = 99;
    machine_reset(m);
    assert_int_equal(x->regs[R_EAX], 0);
    assert_int_equal(board_resets, resets + 1);

    machine_destroy(m);
    assert_null(current_machine());
    assert_null(cpu_first());
}

static void test_arm_board_has_no_io_space(void **state)
{
    Error *err = NULL;
    MachineConfig c = config("arm", 1 << 20, 4);
    c.cpu_model = "cortex-a9";
    Machine *m = machine_create(&arm_board, &c, &err);
    assert_non_null(m);
    assert_null(m->io_memory);
    assert_int_equal(m->nr_cpus, 4);
    assert_ptr_equal(cpu_by_index(3)->cls, &arm_cpu_cortex_a9_class);
    assert_null(cpu_by_index(3)->io_as);
    machine_destroy(m);
    assert_null(cpu_first());
}

/* ---- the none board ----------------------------------------------------------------------------- */

static void check_none(const char *arch, const CPUClass *expected_cpu, bool has_io)
{
    Error *err = NULL;
    MachineConfig c = config(arch, machine_none_class.default_ram_size, 1);
    Machine *m = machine_create(&machine_none_class, &c, &err);

    assert_non_null(m);
    assert_null(m->ram);                        /* no RAM unless -m */
    assert_null(address_space_lookup(&m->as_memory, 0));
    assert_int_equal(m->nr_cpus, 1);
    CPUState *cpu = cpu_first();
    assert_non_null(cpu);
    assert_ptr_equal(cpu->cls, expected_cpu);
    assert_true(cpu->halted);                   /* nothing to run */
    assert_false(cpu_has_work(cpu));
    assert_int_equal(m->io_memory != NULL, has_io);
    machine_reset(m);
    assert_true(cpu->halted);
    machine_destroy(m);
    assert_null(cpu_first());
}

static void test_none_board(void **state)
{
    assert_string_equal(machine_none_class.description, "empty machine");
    assert_int_equal(machine_none_class.default_ram_size, 0);
    assert_true(machine_none_class.no_serial);         /* as QEMU's none */
    check_none("i386", &x86_cpu_qemu32_class, true);
    check_none("x86_64", &x86_cpu_qemu64_class, true);
    check_none("arm", &arm_cpu_cortex_a15_class, false);
}

static void test_none_board_with_ram_and_cpu(void **state)
{
    Error *err = NULL;
    MachineConfig c = config("arm", 16 << 20, 1);
    c.cpu_model = "cortex-a9";
    Machine *m = machine_create(&machine_none_class, &c, &err);
    assert_non_null(m);
    assert_non_null(m->ram);
    assert_int_equal(address_space_store(&m->as_memory, 0x100, 4, 0x12345678), MEMTX_OK);
    uint64_t v;
    assert_int_equal(address_space_load(&m->as_memory, 0x100, 4, &v), MEMTX_OK);
    assert_int_equal(v, 0x12345678);
    assert_ptr_equal(cpu_first()->cls, &arm_cpu_cortex_a9_class);
    assert_true(cpu_first()->halted);
    machine_destroy(m);

    err = NULL;
    c.smp_cpus = 2;
    assert_null(machine_create(&machine_none_class, &c, &err));
    char *msg = error_text(err);
    assert_non_null(strstr(msg, "-smp 2"));
    free(msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_print_list),
        cmocka_unit_test(test_ram_too_large),
        cmocka_unit_test(test_smp_limits),
        cmocka_unit_test(test_unknown_cpu_model),
        cmocka_unit_test(test_board_init_failure),
        cmocka_unit_test(test_create_board),
        cmocka_unit_test(test_arm_board_has_no_io_space),
        cmocka_unit_test(test_none_board),
        cmocka_unit_test(test_none_board_with_ram_and_cpu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
