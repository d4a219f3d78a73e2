/* mimic-img create: a new image of any registered format (qemu-img create's options). */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "tools/img-common.h"
#include "util/error.h"
#include "util/keyval.h"

typedef struct CreateArgs {
    const char *format;
    const char *options;
    const char *backing;
    const char *backing_fmt;
    const char *filename;
    const char *size;
    bool quiet;
} CreateArgs;

static int parse_create_args(int argc, char **argv, CreateArgs *a)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:o:b:F:uqh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': a->format = optarg; break;
        case 'o': a->options = optarg; break;
        case 'b': a->backing = optarg; break;
        case 'F': a->backing_fmt = optarg; break;
        case 'q': a->quiet = true; break;
        case 'u': break;    /* backing is never opened here anyway */
        case 'j': return img_usage_error(&img_cmd_create, "--object is not supported");
        case ':': return img_usage_error(&img_cmd_create, "option '%s' needs an argument",
                                         argv[optind - 1]);
        default: return img_usage_error(&img_cmd_create, "unknown option '%s'",
                                        argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        return img_usage_error(&img_cmd_create, "Expecting image file name");
    }
    a->filename = argv[optind++];
    if (optind < argc) {
        a->size = argv[optind++];
    }
    if (optind < argc) {
        return img_usage_error(&img_cmd_create, "Unexpected argument: %s", argv[optind]);
    }
    return 0;
}

static int create_image(const CreateArgs *a, KeyValList *kv)
{
    BlockCreateOptions opts = { 0 };
    Error *err = NULL;
    if (block_create_options_parse(kv, &opts, &err) < 0) {
        error_report_err(err);
        return 1;
    }
    if (a->backing) {
        opts.backing_file = a->backing;
    }
    if (a->backing_fmt) {
        opts.backing_fmt = a->backing_fmt;
    }
    if (a->size && img_parse_size(a->size, &opts.size) < 0) {
        return 1;
    }
    if (!a->size && !opts.size && !opts.backing_file) {
        error_report("Image creation needs a size parameter");
        return 1;
    }
    if (!a->quiet) {
        printf("Formatting '%s', fmt=%s size=%" PRIu64 "%s%s\n", a->filename, a->format,
               opts.size, opts.backing_file ? " backing_file=" : "",
               opts.backing_file ? opts.backing_file : "");
    }
    if (block_create(a->format, a->filename, &opts, &err) < 0) {
        error_prepend(&err, "%s: ", a->filename);
        error_report_err(err);
        return 1;
    }
    return 0;
}

static int run_create(int argc, char **argv)
{
    CreateArgs a = { .format = "raw" };
    KeyValList kv = { 0 };
    Error *err = NULL;
    if (parse_create_args(argc, argv, &a) != 0) {
        return 1;
    }
    if (img_check_format(a.format) < 0) {
        return 1;
    }
    if (a.options && !strcmp(a.options, "help")) {
        printf("Supported options for %s:\n", a.format);
        block_driver_print_create_options(a.format, stdout);
        return 0;
    }
    if (!block_driver_can_create(a.format)) {
        error_report("Format driver '%s' does not support image creation", a.format);
        return 1;
    }
    if (a.options && keyval_parse(a.options, NULL, &kv, &err) < 0) {
        error_report_err(err);
        return 1;
    }
    int ret = create_image(&a, &kv);
    keyval_free(&kv);
    return ret;
}

const ImgCommand img_cmd_create = {
    .name = "create",
    .run = run_create,
    .synopsis = "[-q] [-f fmt] [-b backing_file -F backing_fmt] [-u] [-o options] "
                "filename [size]",
    .help =
        "  -f fmt          image format (default raw)\n"
        "  -o options      comma-separated format options: backing_file, backing_fmt,\n"
        "                  cluster_size, compat (0.10|1.1), preallocation\n"
        "                  (off|metadata|falloc|full), lazy_refcounts, refcount_bits,\n"
        "                  subformat (vmdk: monolithicSparse|monolithicFlat|\n"
        "                  streamOptimized; vpc: dynamic|fixed; vdi: static=on),\n"
        "                  force_size (vpc); '-o help' lists a format's options\n"
        "  -b backing_file backing file of the new image (its size is the default size)\n"
        "  -F backing_fmt  format of the backing file\n"
        "  -u              do not open the backing file (accepted; never opened here)\n"
        "  -q              quiet\n"
        "  size            bytes, or with suffix k, M, G, T, P, E\n",
};
