/* mimic-img commit: writes what an overlay holds into its backing file (or a deeper base
 * with -b), then empties the overlay unless -d. */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "tools/img-common.h"
#include "util/cutils.h"
#include "util/error.h"

static bool same_file(const char *a, const char *b)
{
    char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
    bool same = ra && rb ? !strcmp(ra, rb) : !strcmp(a, b);
    free(ra);
    free(rb);
    return same;
}

/* The node of top's chain that is base_name (NULL: top's backing); reports if none. */
static BlockDriverState *find_base(BlockDriverState *top, const char *base_name)
{
    BlockDriverState *bs = block_get_backing(top);
    if (!bs) {
        error_report("Image '%s' has no backing file to commit into", block_get_filename(top));
        return NULL;
    }
    for (; base_name && bs; bs = block_get_backing(bs)) {
        if (same_file(block_get_filename(bs), base_name)) {
            return bs;
        }
    }
    if (!bs) {
        error_report("'%s' is not in the backing chain of '%s'", base_name,
                     block_get_filename(top));
    }
    return bs;
}

static void commit_progress(void *opaque, uint64_t done, uint64_t total)
{
    img_progress_update(opaque, done, total);
}

static int commit_into(BlockDriverState *top, BlockDriverState *base_ro, ImgProgress *progress)
{
    Error *err = NULL;

    if (block_commit(top, base_ro, commit_progress, progress, &err) < 0) {
        error_report_err(err);
        return -1;
    }
    return 0;
}

static int empty_overlay(const char *filename, const char *format)
{
    ImgOpen how = { .format = format, .writable = true, .no_backing = true };
    BlockDriverState *bs = img_open(filename, &how);
    Error *err = NULL;
    if (!bs) {
        return -1;
    }
    int ret = block_make_empty(bs, &err);
    if (ret < 0 && err) {
        error_report_err(err);
    } else if (ret < 0) {
        ret = 0;    /* the format cannot drop its clusters: it keeps them (as qemu-img) */
    }
    block_close(bs);
    return ret;
}

static int run_commit(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = NULL, *base_name = NULL, *cache = NULL;
    bool drop = false, quiet = false;
    ImgProgress progress = { .last = -1 };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:t:b:dpqrh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 't': cache = optarg; break;
        case 'b': base_name = optarg; break;
        case 'd': drop = true; break;
        case 'p': progress.enabled = true; break;
        case 'q': quiet = true; break;
        case 'r': break;
        case ':': return img_usage_error(&img_cmd_commit, "option needs an argument");
        default: return img_usage_error(&img_cmd_commit, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage_error(&img_cmd_commit, "Expecting one image file name");
    }
    progress.enabled &= !quiet;
    ImgOpen how = { .format = format, .cache = cache };
    BlockDriverState *top = img_open(argv[optind], &how);
    if (!top) {
        return 1;
    }
    char *top_format = xstrdup(block_get_format(top));
    BlockDriverState *base = find_base(top, base_name);
    int ret = base ? commit_into(top, base, &progress) : -1;
    block_close(top);
    if (ret == 0 && !drop && !base_name) {
        ret = empty_overlay(argv[optind], top_format);
    }
    free(top_format);
    if (ret == 0) {
        img_progress_end(&progress);
        if (!quiet) {
            printf("Image committed.\n");
        }
    }
    return ret == 0 ? 0 : 1;
}

const ImgCommand img_cmd_commit = {
    .name = "commit",
    .run = run_commit,
    .synopsis = "[-q] [-f fmt] [-t cache] [-b base] [-d] [-p] filename",
    .help =
        "  -b base         commit into this image of the backing chain (default: the\n"
        "                  backing file); the overlay is then left as it was\n"
        "  -d              do not empty the overlay after committing\n"
        "  -p              show progress\n"
        "  -f fmt          format of the overlay (default: probed)\n",
};
