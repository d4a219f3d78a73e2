/* Unit tests for system/options.c: the command line parsed into a VLConfig, and the
 * refusal of bad options and values with status -1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "system/binary-info.h"
#include "system/options.h"

const BinaryInfo binary_info = { .name = "test-options", .arch = "i386", .word_bits = 32 };

#define PARSE(cfg, ...) \
    parse_words((cfg), (char *[]){ "mimic", __VA_ARGS__, NULL })

static int parse_words(VLConfig *cfg, char **argv)
{
    int argc = 0;
    while (argv[argc]) {
        argc++;
    }
    vl_config_free(cfg);    /* each test reuses its config: free the previous parse */
    return vl_parse_args(argc, argv, cfg);
}

static void test_memory_sizes(void **state)
{
    VLConfig cfg = { 0 };
    assert_int_equal(PARSE(&cfg, "-m", "512"), 0);
    assert_int_equal(cfg.ram_size, 512ULL << 20);
    assert_int_equal(PARSE(&cfg, "-m", "2G"), 0);
    assert_int_equal(cfg.ram_size, 2ULL << 30);
    assert_int_equal(PARSE(&cfg, "-m", "size=64M,slots=0,maxmem=64M"), 0);
    assert_int_equal(cfg.ram_size, 64ULL << 20);
    assert_int_equal(PARSE(&cfg, "-m", "0x100"), 0);     /* hexadecimal, in MiB */
    assert_int_equal(cfg.ram_size, 256ULL << 20);
    assert_int_equal(PARSE(&cfg, "-m", "size=64M,slots=2,maxmem=1G"), -1);  /* hotplug */
    assert_int_equal(PARSE(&cfg, "-m", "lots"), -1);
    assert_int_equal(PARSE(&cfg, "-m", "0"), -1);
    assert_int_equal(PARSE(&cfg, "-m", "size=1G,bogus=1"), -1);
    assert_int_equal(PARSE(&cfg, "-m"), -1);
    vl_config_free(&cfg);
}

static void test_smp(void **state)
{
    VLConfig cfg = { 0 };
    assert_int_equal(PARSE(&cfg, "-smp", "4"), 0);
    assert_int_equal(cfg.smp_cpus, 4);
    assert_int_equal(PARSE(&cfg, "-smp", "sockets=2,cores=2,threads=2"), 0);
    assert_int_equal(cfg.smp_cpus, 8);
    assert_int_equal(PARSE(&cfg, "-smp", "cpus=4,sockets=2,cores=2"), 0);
    assert_int_equal(PARSE(&cfg, "-smp", "cpus=3,sockets=2,cores=2"), -1);
    assert_int_equal(PARSE(&cfg, "-smp", "0"), -1);
    assert_int_equal(PARSE(&cfg, "-smp", "many"), -1);
    assert_int_equal(PARSE(&cfg, "-smp", "2000"), -1);
    assert_int_equal(PARSE(&cfg, "-smp", "1,dies=1"), 0);
    assert_int_equal(cfg.smp_cpus, 1);
    assert_int_equal(PARSE(&cfg, "-smp", "sockets=2,dies=1,clusters=1,cores=2"), 0);
    assert_int_equal(cfg.smp_cpus, 4);
    assert_int_equal(PARSE(&cfg, "-smp", "cpus=1,maxcpus=4"), -1);    /* no hotplug */
    assert_int_equal(PARSE(&cfg, "-smp", "cpus=2,maxcpus=2"), 0);
    vl_config_free(&cfg);
}

static void test_unknown_and_missing(void **state)
{
    VLConfig cfg = { 0 };
    assert_int_equal(PARSE(&cfg, "-frobnicate"), -1);
    assert_int_equal(PARSE(&cfg, "--frobnicate"), -1);
    assert_int_equal(PARSE(&cfg, "-kernel", "/nonexistent/kernel"), -1);
    assert_int_equal(PARSE(&cfg, "-hda", "/nonexistent/disk.img"), -1);
    assert_int_equal(PARSE(&cfg, "-display", "gtk"), -1);
    assert_int_equal(PARSE(&cfg, "-boot", "order=z"), -1);
    assert_int_equal(PARSE(&cfg, "-boot", "order=cd,menu=on"), 0);
    vl_config_free(&cfg);
}

static void test_flags_and_lists(void **state)
{
    VLConfig cfg = { 0 };
    assert_int_equal(PARSE(&cfg, "-S", "-no-reboot", "--no-shutdown", "-nographic",
                           "-serial", "pty", "-serial", "null", "-qmp", "unix:/tmp/q,server=on",
                           "-d", "int,guest_errors", "-D", "/tmp/log", "-M", "none",
                           "-accel", "tcg,tb-size=64"), 0);
    assert_true(cfg.start_paused && cfg.no_reboot && cfg.no_shutdown && cfg.nographic);
    assert_int_equal(cfg.serials.count, 2);
    assert_string_equal(cfg.serials.items[1], "null");
    assert_int_equal(cfg.qmps.count, 1);
    assert_false(cfg.monitor_given);
    assert_string_equal(cfg.machine, "none");
    assert_string_equal(cfg.accel, "tcg,tb-size=64");
    assert_string_equal(cfg.log_items, "int,guest_errors");

    assert_int_equal(PARSE(&cfg, "-serial", "mon:stdio"), 0);
    assert_true(cfg.monitor_given);     /* mon: carries the monitor */
    assert_int_equal(PARSE(&cfg, "-enable-kvm"), 0);
    assert_string_equal(cfg.accel, "kvm");
    assert_int_equal(PARSE(&cfg, "-s"), 0);         /* -gdb tcp::1234 */
    assert_string_equal(cfg.gdb, "tcp::1234");
    assert_int_equal(PARSE(&cfg, "-gdb", "unix:/tmp/g.sock,server=on"), 0);
    assert_string_equal(cfg.gdb, "unix:/tmp/g.sock,server=on");
    assert_int_equal(PARSE(&cfg, "-numa", "node"), -1);
    assert_int_equal(PARSE(&cfg, "-append", "quiet"), -1);     /* needs -kernel */
    assert_int_equal(PARSE(&cfg, "-uuid", "c0ffee00-1234-5678-9abc-def012345678"), 0);
    assert_int_equal(PARSE(&cfg, "-uuid", "c0ffee00-1234"), -1);
    assert_int_equal(PARSE(&cfg, "-name", "guest=vm1,debug-threads=on"), 0);
    assert_string_equal(cfg.name, "vm1");
    assert_true(cfg.debug_threads);
    vl_config_free(&cfg);
    assert_int_equal(PARSE(&cfg, "-M", "none", "-M", "accel=tcg"), 0);
    assert_int_equal(cfg.machine_opts.count, 2);
    assert_int_equal(PARSE(&cfg, "-nodefaults", "-no-user-config", "-mon", "chardev=c0",
                           "-echr", "^t", "-k", "en-us", "-msg", "timestamp=on"), 0);
    assert_true(cfg.nodefaults && cfg.msg_timestamp);
    assert_int_equal(cfg.mux_escape, 0x14);
    assert_int_equal(PARSE(&cfg, "-action", "reboot=shutdown,shutdown=pause"), 0);
    assert_true(cfg.no_reboot && cfg.no_shutdown);
    vl_config_free(&cfg);
    vl_config_free(&cfg);
}

static void test_help_requests(void **state)
{
    VLConfig cfg = { 0 };
    assert_int_equal(PARSE(&cfg, "-M", "help"), 0);
    assert_true(cfg.list_machines);
    assert_int_equal(PARSE(&cfg, "-cpu", "?"), 0);
    assert_true(cfg.list_cpus);
    assert_int_equal(PARSE(&cfg, "-device", "help"), 0);
    assert_true(cfg.list_devices);
    assert_int_equal(PARSE(&cfg, "-device", "isa-serial,help"), 0);
    assert_string_equal(cfg.device_help, "isa-serial,help");
    assert_int_equal(PARSE(&cfg, "-d", "help"), 0);
    assert_true(cfg.list_log);
    assert_int_equal(PARSE(&cfg, "-h"), 0);
    assert_true(cfg.want_help);
    vl_config_free(&cfg);
}

static void test_disks_become_drives(void **state)
{
    VLConfig cfg = { 0 };
    char path[] = "/tmp/test-options-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(PARSE(&cfg, "-hdb", path, "-cdrom", path, path), 0);
    assert_int_equal(cfg.drives.count, 3);
    assert_non_null(strstr(cfg.drives.items[0], "index=1,media=disk"));
    assert_non_null(strstr(cfg.drives.items[1], "media=cdrom"));
    assert_non_null(strstr(cfg.drives.items[2], "index=0,media=disk"));
    unlink(path);
    vl_config_free(&cfg);
}

static void test_help_text(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    vl_print_help(out);
    fclose(out);
    assert_non_null(strstr(text, "usage: test-options"));
    assert_non_null(strstr(text, "Example:"));
    assert_non_null(strstr(text, "Block devices:"));
    assert_non_null(strstr(text, "-qmp DEV"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_sizes),
        cmocka_unit_test(test_smp),
        cmocka_unit_test(test_unknown_and_missing),
        cmocka_unit_test(test_flags_and_lists),
        cmocka_unit_test(test_help_requests),
        cmocka_unit_test(test_disks_become_drives),
        cmocka_unit_test(test_help_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
