/* mimic-img dd: copies a byte range of an image into a new image, with dd's operands
 * (if=, of=, bs=, count=, skip=) as qemu-img dd takes them. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "tools/img-common.h"
#include "util/cutils.h"
#include "util/error.h"

typedef struct DdArgs {
    const char *in, *out, *format, *out_fmt;
    uint64_t bs, count, skip;
    bool has_count;
} DdArgs;

static int parse_operand(DdArgs *a, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq) {
        return img_usage_error(&img_cmd_dd, "unrecognized operand %s", arg) ? -1 : -1;
    }
    size_t klen = eq - arg;
    const char *v = eq + 1;
    if (klen == 2 && !strncmp(arg, "if", 2)) {
        a->in = v;
    } else if (klen == 2 && !strncmp(arg, "of", 2)) {
        a->out = v;
    } else if (klen == 2 && !strncmp(arg, "bs", 2)) {
        if (parse_size(v, 1, &a->bs) < 0 || a->bs == 0 || a->bs > (64u << 20)) {
            error_report("invalid number: '%s' (bs: 1 byte to 64 MiB)", v);
            return -1;
        }
    } else if (klen == 5 && !strncmp(arg, "count", 5)) {
        if (parse_size(v, 1, &a->count) < 0) {
            error_report("invalid number: '%s'", v);
            return -1;
        }
        a->has_count = true;
    } else if (klen == 4 && !strncmp(arg, "skip", 4)) {
        if (parse_size(v, 1, &a->skip) < 0) {
            error_report("invalid number: '%s'", v);
            return -1;
        }
    } else {
        error_report("unrecognized operand %s", arg);
        return -1;
    }
    return 0;
}

static int dd_copy(const DdArgs *a, BlockDriverState *src, BlockDriverState *dst,
                   uint64_t in_off, uint64_t len)
{
    uint8_t *buf = img_alloc_buffer(a->bs);
    int ret = 0;
    for (uint64_t done = 0; done < len && ret == 0;) {
        uint64_t n = MIN(a->bs, len - done);
        ret = block_pread(src, in_off + done, buf, n);
        if (ret < 0) {
            error_report("%s: error while reading: %s", a->in, strerror(-ret));
            break;
        }
        if (!img_buffer_is_zero(buf, n)) {
            ret = block_pwrite(dst, done, buf, n);
            if (ret < 0) {
                error_report("%s: error while writing: %s", a->out, strerror(-ret));
            }
        }
        done += n;
    }
    free(buf);
    return ret;
}

static int do_dd(const DdArgs *a)
{
    ImgOpen in_how = { .format = a->format };
    BlockDriverState *src = img_open(a->in, &in_how), *dst = NULL;
    BlockCreateOptions opts = { 0 };
    Error *err = NULL;
    int ret = 1;
    if (!src) {
        return 1;
    }
    int64_t in_len = block_length(src);
    if (in_len < 0) {
        goto out;
    }
    /* As qemu-img dd: the output is min(count * bs, input size) minus the skipped part. */
    uint64_t len = (uint64_t)in_len;
    if (a->has_count && a->count <= UINT64_MAX / a->bs && a->count * a->bs < len) {
        len = a->count * a->bs;
    }
    if (a->skip > len / a->bs) {
        error_report("%s: cannot skip to specified offset", a->in);
        goto out;
    }
    uint64_t in_off = a->skip * a->bs;
    len -= in_off;
    opts.size = len;
    if (block_create(a->out_fmt, a->out, &opts, &err) < 0) {
        error_prepend(&err, "%s: ", a->out);
        error_report_err(err);
        goto out;
    }
    ImgOpen out_how = { .format = a->out_fmt, .writable = true };
    if (!(dst = img_open(a->out, &out_how))) {
        goto out;
    }
    if (dd_copy(a, src, dst, in_off, len) == 0 && block_flush(dst) == 0) {
        ret = 0;
    }
out:
    if (dst) {
        block_close(dst);
    }
    block_close(src);
    return ret;
}

static int run_dd(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    DdArgs a = { .out_fmt = "raw", .bs = 512 };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:O:Uh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': a.format = optarg; break;
        case 'O': a.out_fmt = optarg; break;
        case 'U': img_force_share = true; break;
        case ':': return img_usage_error(&img_cmd_dd, "option needs an argument");
        default: return img_usage_error(&img_cmd_dd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    for (int i = optind; i < argc; i++) {
        if (parse_operand(&a, argv[i]) < 0) {
            return 1;
        }
    }
    if (!a.in || !a.out) {
        return img_usage_error(&img_cmd_dd, "Must specify both input (if=) and output (of=)");
    }
    if (img_check_format(a.format) < 0 || img_check_format(a.out_fmt) < 0) {
        return 1;
    }
    return do_dd(&a);
}

const ImgCommand img_cmd_dd = {
    .name = "dd",
    .run = run_dd,
    .synopsis = "[-f fmt] [-O output_fmt] [bs=block_size] [count=blocks] [skip=blocks] "
                "if=input of=output",
    .help =
        "  if=FILE         input image\n"
        "  of=FILE         output image, created (format -O, default raw)\n"
        "  bs=N            block size in bytes (default 512; suffixes allowed)\n"
        "  count=N         copy only N blocks\n"
        "  skip=N          skip N blocks of the input\n"
        "  -f fmt          input format (default: probed)\n",
};
