/* mimic-img: create, inspect, convert, check, snapshot and resize disk images, with
 * qemu-img's subcommands, options, output and exit codes. docs/mimic-img.md */
#include <stdio.h>
#include <string.h>
#include "config-host.h"
#include "tools/img-common.h"
#include "util/cutils.h"
#include "util/error.h"

static const ImgCommand *const commands[] = {
    &img_cmd_amend, &img_cmd_check, &img_cmd_commit, &img_cmd_compare, &img_cmd_convert,
    &img_cmd_create, &img_cmd_dd, &img_cmd_info, &img_cmd_map, &img_cmd_measure,
    &img_cmd_rebase, &img_cmd_resize, &img_cmd_snapshot,
};

static void print_version(void)
{
    printf("mimic-img version %s\n", MIMIC_VERSION);
}

static void print_help(FILE *out)
{
    fputs("usage: mimic-img [--help | --version] COMMAND [command options]\n"
          "Disk image utility, with the commands and options of qemu-img.\n\n"
          "Commands:\n", out);
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        fprintf(out, "  %s %s\n", commands[i]->name, commands[i]->synopsis);
    }
    fputs("\n'mimic-img COMMAND --help' describes the options of one command.\n"
          "Sizes take an optional suffix k, M, G, T, P or E (powers of 1024).\n"
          "Exit status: 0 success, 1 error (check, compare: see their --help).\n", out);
    img_print_formats(out);
}

static bool wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            return true;
        }
        if (!strcmp(argv[i], "--")) {
            break;
        }
    }
    return false;
}

int main(int argc, char **argv)
{
    error_set_progname("mimic-img");
    if (argc < 2) {
        print_help(stderr);
        return 1;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        print_help(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        print_version();
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (strcmp(argv[1], commands[i]->name)) {
            continue;
        }
        if (wants_help(argc - 1, argv + 1)) {
            img_print_command_help(commands[i], stdout);
            return 0;
        }
        return commands[i]->run(argc - 1, argv + 1);
    }
    error_report("Command not found: %s (see 'mimic-img --help')", argv[1]);
    return 1;
}
