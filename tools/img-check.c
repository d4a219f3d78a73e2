/* mimic-img check: consistency check and repair, with qemu-img's report and exit codes
 * (0 consistent, 1 check not completed, 2 corruptions, 3 leaks only, 63 unsupported). */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include "tools/img-common.h"
#include "util/error.h"

static int run_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "output", required_argument, NULL, 'O' },
        { "repair", required_argument, NULL, 'r' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = NULL, *cache = NULL;
    bool json = false, quiet = false;
    int fix = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:r:T:qUh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'T': cache = optarg; break;
        case 'q': quiet = true; break;
        case 'U': img_force_share = true; break;
        case 'O':
            if (img_parse_output(optarg, &json) < 0) {
                return 1;
            }
            break;
        case 'r':
            if (!strcmp(optarg, "leaks")) {
                fix = BLOCK_FIX_LEAKS;
            } else if (!strcmp(optarg, "all")) {
                fix = BLOCK_FIX_LEAKS | BLOCK_FIX_ERRORS;
            } else {
                error_report("Unknown option value for -r (expecting 'leaks' or 'all'): %s",
                             optarg);
                return 1;
            }
            break;
        case ':': return img_usage_error(&img_cmd_check, "option needs an argument");
        default: return img_usage_error(&img_cmd_check, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage_error(&img_cmd_check, "Expecting one image file name");
    }
    const char *filename = argv[optind];
    ImgOpen how = { .format = format, .writable = fix != 0, .check = true, .cache = cache };
    BlockDriverState *bs = img_open(filename, &how);
    if (!bs) {
        return 1;
    }
    BlockCheckResult res = { 0 };
    int ret = block_check(bs, &res, fix);
    if (ret == -ENOTSUP) {
        error_report("This image format does not support checks");
        block_close(bs);
        return IMG_EXIT_NOTSUP;
    }
    if (ret < 0 && res.check_errors == 0) {
        res.check_errors = 1;
    }
    if (json) {
        block_check_print_json(&res, filename, block_get_format(bs), stdout);
    } else if (!quiet) {
        block_check_print_text(&res, filename, fix, stdout);
    }
    block_close(bs);
    return block_check_exit_code(&res);
}

const ImgCommand img_cmd_check = {
    .name = "check",
    .run = run_check,
    .synopsis = "[-q] [-f fmt] [--output=human|json] [-r leaks|all] [-T src_cache] [-U] filename",
    .help =
        "  -f fmt          image format (default: probed)\n"
        "  -r leaks|all    repair leaked clusters only, or every error found\n"
        "  --output=FMT    human (default) or json\n"
        "  -q              quiet\n"
        "Exit status: 0 no problem, 1 the check could not complete (internal or I/O\n"
        "error), 2 corruptions, 3 leaked clusters only, 63 format cannot check.\n",
};
