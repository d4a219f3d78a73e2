/* mimic-img compare: are two images' contents identical? Exit 0 identical, 1 different,
 * 2 error, as qemu-img compare. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "tools/img-common.h"
#include "util/cutils.h"
#include "util/error.h"

#define COMPARE_CHUNK (1u << 20)

typedef struct CompareCtx {
    BlockDriverState *bs[2];
    const char *name[2];
    uint8_t *buf[2];
    bool strict, quiet;
    ImgProgress progress;
} CompareCtx;

static uint64_t first_difference(const uint8_t *a, const uint8_t *b, uint64_t len)
{
    uint64_t i = 0;
    while (i < len && a[i] == b[i]) {
        i++;
    }
    return i;
}

/* Compares [off, off+len) of both images; 0 same, 1 differs (reported), 2 error. */
static int compare_range(CompareCtx *c, uint64_t off, uint64_t len)
{
    uint64_t pnum[2];
    int st[2], depth;
    for (int i = 0; i < 2; i++) {
        st[i] = block_status_chain(c->bs[i], NULL, off, len, &pnum[i], NULL, &depth);
        if (st[i] < 0) {
            error_report("error while reading block status of '%s' at %" PRIu64 ": %s",
                         c->name[i], off, strerror(-st[i]));
            return 2;
        }
    }
    uint64_t n = MIN(pnum[0], pnum[1]);
    const int kinds = BLOCK_STATUS_DATA | BLOCK_STATUS_ZERO | BLOCK_STATUS_ALLOCATED;
    if (c->strict && (st[0] & kinds) != (st[1] & kinds)) {
        printf("Strict mode: Offset %" PRIu64 " block status mismatch!\n", off);
        return 1;
    }
    bool zero0 = (st[0] & BLOCK_STATUS_ZERO) || !(st[0] & BLOCK_STATUS_DATA);
    bool zero1 = (st[1] & BLOCK_STATUS_ZERO) || !(st[1] & BLOCK_STATUS_DATA);
    if (!(zero0 && zero1)) {
        for (int i = 0; i < 2; i++) {
            int ret = block_pread(c->bs[i], off, c->buf[i], n);
            if (ret < 0) {
                error_report("error while reading offset %" PRIu64 " of %s: %s", off,
                             c->name[i], strerror(-ret));
                return 2;
            }
        }
        uint64_t d = first_difference(c->buf[0], c->buf[1], n);
        if (d < n) {
            printf("Content mismatch at offset %" PRIu64 "!\n", (uint64_t)((off + d) & ~(uint64_t)511));
            return 1;
        }
    }
    return -(int)MIN(n, (uint64_t)COMPARE_CHUNK);  /* negative: bytes consumed */
}

/* The tail of the longer image must read zeros. */
static int compare_tail(CompareCtx *c, int longer, uint64_t from, uint64_t to)
{
    for (uint64_t off = from; off < to;) {
        uint64_t pnum, n;
        int depth;
        int st = block_status_chain(c->bs[longer], NULL, off, to - off, &pnum, NULL, &depth);
        if (st < 0) {
            error_report("error while reading block status of '%s': %s", c->name[longer],
                         strerror(-st));
            return 2;
        }
        n = MIN(pnum, (uint64_t)COMPARE_CHUNK);
        if ((st & BLOCK_STATUS_DATA) && !(st & BLOCK_STATUS_ZERO)) {
            int ret = block_pread(c->bs[longer], off, c->buf[0], n);
            if (ret < 0) {
                error_report("error while reading %s: %s", c->name[longer], strerror(-ret));
                return 2;
            }
            for (uint64_t i = 0; i < n; i++) {
                if (c->buf[0][i]) {
                    printf("Content mismatch at offset %" PRIu64 "!\n", (uint64_t)((off + i) & ~(uint64_t)511));
                    return 1;
                }
            }
        }
        off += n;
    }
    return 0;
}

static int compare_images(CompareCtx *c)
{
    int64_t len[2] = { block_length(c->bs[0]), block_length(c->bs[1]) };
    if (len[0] < 0 || len[1] < 0) {
        error_report("Cannot get image sizes");
        return 2;
    }
    uint64_t common = MIN(len[0], len[1]);
    if (len[0] != len[1] && c->strict) {
        printf("Strict mode: Image size mismatch!\n");
        return 1;
    }
    for (uint64_t off = 0; off < common;) {
        int r = compare_range(c, off, MIN(common - off, (uint64_t)COMPARE_CHUNK));
        if (r >= 0) {
            return r;
        }
        off += (uint64_t)-r;
        img_progress_update(&c->progress, off, MAX(len[0], len[1]));
    }
    if (len[0] != len[1]) {
        if (!c->quiet) {
            printf("Warning: Image size mismatch!\n");
        }
        int r = compare_tail(c, len[0] > len[1] ? 0 : 1, common, MAX(len[0], len[1]));
        if (r) {
            return r;
        }
    }
    img_progress_end(&c->progress);
    if (!c->quiet) {
        printf("Images are identical.\n");
    }
    return 0;
}

static int run_compare(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    CompareCtx c = { .progress = { .last = -1 } };
    const char *fmt[2] = { NULL, NULL }, *cache = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":f:F:T:pqsUh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'f': fmt[0] = optarg; break;
        case 'F': fmt[1] = optarg; break;
        case 'T': cache = optarg; break;
        case 'p': c.progress.enabled = true; break;
        case 'q': c.quiet = true; break;
        case 's': c.strict = true; break;
        case 'U': img_force_share = true; break;
        case ':': img_usage_error(&img_cmd_compare, "option needs an argument"); return 2;
        default:
            img_usage_error(&img_cmd_compare, "unknown option '%s'", argv[optind - 1]);
            return 2;
        }
    }
    if (optind != argc - 2) {
        img_usage_error(&img_cmd_compare, "Expecting two image file names");
        return 2;
    }
    c.progress.enabled &= !c.quiet;
    int ret = 2;
    for (int i = 0; i < 2; i++) {
        ImgOpen how = { .format = fmt[i], .cache = cache };
        c.name[i] = argv[optind + i];
        c.bs[i] = img_open(c.name[i], &how);
        if (!c.bs[i]) {
            goto out;
        }
        c.buf[i] = img_alloc_buffer(COMPARE_CHUNK);
    }
    ret = compare_images(&c);
out:
    for (int i = 0; i < 2; i++) {
        if (c.bs[i]) {
            block_close(c.bs[i]);
        }
        free(c.buf[i]);
    }
    return ret;
}

const ImgCommand img_cmd_compare = {
    .name = "compare",
    .run = run_compare,
    .synopsis = "[-f fmt] [-F fmt] [-T src_cache] [-p] [-q] [-s] [-U] filename1 filename2",
    .help =
        "  -f fmt          format of the first image (default: probed)\n"
        "  -F fmt          format of the second image (default: probed)\n"
        "  -s              strict: size and allocation status must match too\n"
        "  -p              show progress\n"
        "  -q              quiet\n"
        "Images of different sizes compare equal if the longer one reads zeros past the\n"
        "end of the shorter (unless -s).\n"
        "Exit status: 0 identical, 1 different, 2 error.\n",
};
