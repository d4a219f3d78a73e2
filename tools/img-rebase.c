/* mimic-img rebase: changes an overlay's backing file. Safe mode copies into the overlay
 * every range where the old and the new backing chains read differently; -u only rewrites
 * the name. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "tools/img-common.h"
#include "util/cutils.h"
#include "util/error.h"

#define REBASE_CHUNK (64u << 10)

typedef struct RebaseArgs {
    const char *format, *backing, *backing_fmt, *cache, *filename;
    bool unsafe, quiet, has_backing;
    ImgProgress progress;
} RebaseArgs;

/* Reads [off, off+len) of the new backing (zeros past its end or without one). */
static int read_new_backing(BlockDriverState *nb, uint64_t nb_len, uint64_t off,
                            uint8_t *buf, uint64_t len)
{
    memset(buf, 0, len);
    if (!nb || off >= nb_len) {
        return 0;
    }
    return block_pread(nb, off, buf, MIN(len, nb_len - off));
}

static int copy_differences(BlockDriverState *top, BlockDriverState *nb, ImgProgress *pg)
{
    int64_t len = block_length(top), nb_len = nb ? block_length(nb) : 0;
    uint8_t *old_buf = img_alloc_buffer(REBASE_CHUNK), *new_buf = img_alloc_buffer(REBASE_CHUNK);
    int ret = (len < 0 || nb_len < 0) ? -EIO : 0;
    for (uint64_t off = 0; ret == 0 && off < (uint64_t)len;) {
        uint64_t pnum;
        int st = block_status(top, off, MIN((uint64_t)len - off, REBASE_CHUNK), &pnum, NULL);
        if (st < 0) {
            ret = st;
            break;
        }
        if (!(st & BLOCK_STATUS_ALLOCATED)) {
            ret = block_pread(top, off, old_buf, pnum);
            if (ret == 0) {
                ret = read_new_backing(nb, nb_len, off, new_buf, pnum);
            }
            if (ret == 0 && memcmp(old_buf, new_buf, pnum)) {
                ret = block_pwrite(top, off, old_buf, pnum);
            }
        }
        off += pnum;
        img_progress_update(pg, off, len);
    }
    free(old_buf);
    free(new_buf);
    if (ret < 0) {
        error_report("Could not rebase: %s", strerror(-ret));
    }
    return ret;
}

static int rebase_safe(RebaseArgs *a, BlockDriverState *top)
{
    BlockDriverState *nb = NULL;
    if (a->backing[0]) {
        char *path = img_resolve_backing(a->filename, a->backing);
        ImgOpen how = { .format = a->backing_fmt };
        nb = img_open(path, &how);
        free(path);
        if (!nb) {
            return -1;
        }
    }
    int ret = copy_differences(top, nb, &a->progress);
    if (nb) {
        block_close(nb);
    }
    return ret;
}

static int do_rebase(RebaseArgs *a)
{
    ImgOpen how = { .format = a->format, .writable = true, .no_backing = a->unsafe,
                    .cache = a->cache };
    BlockDriverState *top = img_open(a->filename, &how);
    Error *err = NULL;
    if (!top) {
        return 1;
    }
    int ret = a->unsafe ? 0 : rebase_safe(a, top);
    if (ret == 0) {
        ret = block_change_backing_file(top, a->backing[0] ? a->backing : NULL,
                                        a->backing[0] ? a->backing_fmt : NULL, &err);
        if (ret < 0) {
            if (!err) {
                error_setg(&err, "this format cannot record a backing file");
            }
            error_prepend(&err, "Could not change the backing file to '%s': ", a->backing);
            error_report_err(err);
        }
    }
    block_close(top);
    if (ret == 0) {
        img_progress_end(&a->progress);
    }
    return ret == 0 ? 0 : 1;
}

static int run_rebase(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    RebaseArgs a = { .progress = { .last = -1 } };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:F:b:t:T:upqUh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': a.format = optarg; break;
        case 'F': a.backing_fmt = optarg; break;
        case 'b': a.backing = optarg; break;
        case 't': a.cache = optarg; break;
        case 'u': a.unsafe = true; break;
        case 'p': a.progress.enabled = true; break;
        case 'q': a.quiet = true; break;
        case 'T': break;
        case 'U': img_force_share = true; break;
        case ':': return img_usage_error(&img_cmd_rebase, "option needs an argument");
        default: return img_usage_error(&img_cmd_rebase, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage_error(&img_cmd_rebase, "Expecting one image file name");
    }
    if (!a.backing) {
        return img_usage_error(&img_cmd_rebase, "Expecting -b backing_file ('' for none)");
    }
    if (img_check_format(a.backing_fmt) < 0) {
        return 1;
    }
    a.filename = argv[optind];
    a.progress.enabled &= !a.quiet;
    return do_rebase(&a);
}

const ImgCommand img_cmd_rebase = {
    .name = "rebase",
    .run = run_rebase,
    .synopsis = "[-q] [-f fmt] [-t cache] [-p] [-u] -b backing_file [-F backing_fmt] filename",
    .help =
        "  -b backing_file new backing file ('' removes it: the image becomes standalone);\n"
        "                  relative names are relative to the image's directory\n"
        "  -F backing_fmt  format of the new backing file\n"
        "  -u              unsafe: only rewrite the name, copy nothing (the old backing\n"
        "                  file need not exist)\n"
        "  -p              show progress\n"
        "  -f fmt          image format (default: probed)\n",
};
