/* mimic-img amend: changes format options of an existing image in place (-o). */
#include <getopt.h>
#include <string.h>
#include "tools/img-common.h"
#include "util/error.h"
#include "util/keyval.h"

static int run_amend(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force", no_argument, NULL, 'F' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = NULL, *options = NULL, *cache = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:o:t:pqh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o': options = optarg; break;
        case 't': cache = optarg; break;
        case 'p': case 'q': case 'F': break;
        case ':': return img_usage_error(&img_cmd_amend, "option needs an argument");
        default: return img_usage_error(&img_cmd_amend, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1 || !options) {
        return img_usage_error(&img_cmd_amend, "Expecting -o options and one image file name");
    }
    KeyValList kv = { 0 };
    Error *err = NULL;
    if (keyval_parse(options, NULL, &kv, &err) < 0) {
        error_report_err(err);
        return 1;
    }
    ImgOpen how = { .format = format, .writable = true, .cache = cache };
    BlockDriverState *bs = img_open(argv[optind], &how);
    int ret = 1;
    if (bs) {
        if (block_amend(bs, &kv, &err) < 0) {
            if (!err) {
                error_setg(&err, "Format driver '%s' does not support option amendment",
                           block_get_format(bs));
            }
            error_report_err(err);
        } else {
            ret = 0;
        }
        block_close(bs);
    }
    keyval_free(&kv);
    return ret;
}

const ImgCommand img_cmd_amend = {
    .name = "amend",
    .run = run_amend,
    .synopsis = "[-p] [-q] [-f fmt] [-t cache] -o options filename",
    .help =
        "  -o options      options to change (qcow2: compat, lazy_refcounts)\n"
        "  -f fmt          image format (default: probed)\n",
};
