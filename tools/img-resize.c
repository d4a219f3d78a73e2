/* mimic-img resize: sets the virtual size (absolute, or +/- relative); shrinking needs
 * --shrink, as with qemu-img. */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include "tools/img-common.h"
#include "util/cutils.h"
#include "util/error.h"

static int compute_new_size(const char *arg, uint64_t current, uint64_t *out)
{
    uint64_t delta;
    char sign = (arg[0] == '+' || arg[0] == '-') ? arg[0] : 0;
    if (img_parse_size(sign ? arg + 1 : arg, &delta) < 0) {
        return -1;
    }
    if (sign == '+') {
        if (delta > BLOCK_MAX_IMAGE_SIZE - current) {
            error_report("Image size too large: %" PRIu64 " + %" PRIu64, current, delta);
            return -1;
        }
        *out = current + delta;
    } else if (sign == '-') {
        if (delta > current) {
            error_report("New image size would be negative (%" PRIu64 " - %" PRIu64 ")",
                         current, delta);
            return -1;
        }
        *out = current - delta;
    } else {
        *out = delta;
    }
    return 0;
}

static int resize_image(const char *filename, const char *format, const char *size_arg,
                        bool shrink, BlockPrealloc prealloc, bool quiet)
{
    ImgOpen how = { .format = format, .writable = true, .resize = true, .no_backing = true };
    BlockDriverState *bs = img_open(filename, &how);
    Error *err = NULL;
    uint64_t new_size;
    if (!bs) {
        return 1;
    }
    int64_t cur = block_length(bs);
    int ret = 1;
    if (cur < 0 || compute_new_size(size_arg, cur, &new_size) < 0) {
        goto out;
    }
    if (new_size < (uint64_t)cur && !shrink) {
        error_report("Use the --shrink option to perform a shrink operation "
                     "(%" PRIu64 " < %" PRId64 " bytes).", new_size, cur);
        goto out;
    }
    if (block_truncate(bs, new_size, shrink, prealloc, &err) < 0) {
        if (!err) {
            error_setg(&err, "this format cannot be resized");
        }
        error_prepend(&err, "%s: ", filename);
        error_report_err(err);
        goto out;
    }
    if (!quiet) {
        printf("Image resized.\n");
    }
    ret = 0;
out:
    block_close(bs);
    return ret;
}

static int run_resize(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "shrink", no_argument, NULL, 'S' },
        { "preallocation", required_argument, NULL, 'P' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = NULL;
    bool shrink = false, quiet = false;
    BlockPrealloc prealloc = BLOCK_PREALLOC_OFF;
    Error *err = NULL;
    int c;
    if (argc < 3) {
        return img_usage_error(&img_cmd_resize, "Expecting image file name and size");
    }
    /* The size comes last and may start with '-': take it before getopt sees it. */
    const char *size_arg = argv[--argc];
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'q': quiet = true; break;
        case 'S': shrink = true; break;
        case 'P':
            if (block_prealloc_parse(optarg, &prealloc, &err) < 0) {
                error_report_err(err);
                return 1;
            }
            break;
        case ':': return img_usage_error(&img_cmd_resize, "option needs an argument");
        default:
            return img_usage_error(&img_cmd_resize, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc && !strcmp(argv[optind], "--")) {
        optind++;
    }
    if (optind != argc - 1) {
        return img_usage_error(&img_cmd_resize, "Expecting image file name and size");
    }
    return resize_image(argv[optind], format, size_arg, shrink, prealloc, quiet);
}

const ImgCommand img_cmd_resize = {
    .name = "resize",
    .run = run_resize,
    .synopsis = "[-q] [-f fmt] [--preallocation=prealloc] [--shrink] filename [+ | -]size",
    .help =
        "  size            new size, or +size / -size relative to the current one\n"
        "  --shrink        confirm that shrinking (and losing the data past the end) is wanted\n"
        "  --preallocation off|metadata|falloc|full for the added space\n"
        "  -f fmt          image format (default: probed)\n",
};
