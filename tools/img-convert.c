/* mimic-img convert: copies one or more images (concatenated) into a new or existing image
 * of any format; a destination it created is removed again if the copy fails. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "block/compress.h"
#include "tools/img-common.h"
#include "tools/img-convert.h"
#include "util/cutils.h"
#include "util/error.h"
#include "util/keyval.h"

typedef struct ConvertArgs {
    const char *src_format, *dst_format, *options, *backing, *backing_fmt;
    const char *dst_cache, *src_cache;
    char **sources;
    int n_sources;
    const char *target;
    bool compress, progress, quiet, no_create, out_of_order, target_is_zero;
    uint64_t sparse_size;
    int workers;
} ConvertArgs;

static int parse_convert_option(ConvertArgs *a, int c, char **argv)
{
    uint64_t v;
    switch (c) {
    case 'f': a->src_format = optarg; break;
    case 'O': a->dst_format = optarg; break;
    case 'o': a->options = optarg; break;
    case 'B': a->backing = optarg; break;
    case 'F': a->backing_fmt = optarg; break;
    case 'c': a->compress = true; break;
    case 'p': a->progress = true; break;
    case 'q': a->quiet = true; break;
    case 'n': a->no_create = true; break;
    case 'W': a->out_of_order = true; break;
    case 't': a->dst_cache = optarg; break;
    case 'T': a->src_cache = optarg; break;
    case 'U': img_force_share = true; break;
    case 'z': a->target_is_zero = true; break;
    case 'S':
        if (parse_size(optarg, 1, &v) < 0 || (v && v < 512) || v % 512) {
            error_report("Invalid buffer size for sparse output specified: '%s' "
                         "(0 or a multiple of 512)", optarg);
            return -1;
        }
        a->sparse_size = v;
        break;
    case 'm':
        if (parse_uint64(optarg, &v) < 0 || v < 1 || v > 16) {
            error_report("Invalid number of coroutines: '%s' (1 to 16)", optarg);
            return -1;
        }
        a->workers = (int)v;
        break;
    case ':': return img_usage_error(&img_cmd_convert, "option '%s' needs an argument",
                                     argv[optind - 1]) ? -1 : -1;
    default: return img_usage_error(&img_cmd_convert, "unknown option '%s'",
                                    argv[optind - 1]) ? -1 : -1;
    }
    return 0;
}

static int parse_convert_args(int argc, char **argv, ConvertArgs *a)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { "target-is-zero", no_argument, NULL, 'z' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:O:o:B:F:cpqnWt:T:US:m:h", longopts, NULL)) != -1) {
        if (parse_convert_option(a, c, argv) < 0) {
            return -1;
        }
    }
    if (argc - optind < 2) {
        img_usage_error(&img_cmd_convert, "Expecting a source and a destination file name");
        return -1;
    }
    a->sources = argv + optind;
    a->n_sources = argc - optind - 1;
    a->target = argv[argc - 1];
    if (a->backing && a->n_sources > 1) {
        error_report("-B only works with a single source image");
        return -1;
    }
    if (a->no_create && (a->options || a->backing)) {
        error_report("-n cannot be combined with -o or -B (the target already exists)");
        return -1;
    }
    return 0;
}

static int open_sources(ConvertArgs *a, ConvertJob *job)
{
    ImgOpen how = { .format = a->src_format, .cache = a->src_cache };
    job->src = xzalloc(a->n_sources * sizeof(*job->src));
    job->src_size = xzalloc(a->n_sources * sizeof(*job->src_size));
    for (int i = 0; i < a->n_sources; i++) {
        job->src[i] = img_open(a->sources[i], &how);
        if (!job->src[i]) {
            return -1;
        }
        int64_t len = block_length(job->src[i]);
        if (len < 0) {
            error_report("Could not get size of '%s': %s", a->sources[i], strerror(-len));
            return -1;
        }
        job->src_size[i] = len;
        job->n_src++;
        job->total += len;
    }
    return 0;
}

static void close_job(ConvertJob *job)
{
    for (int i = 0; i < job->n_src; i++) {
        block_close(job->src[i]);
    }
    free(job->src);
    free(job->src_size);
    if (job->dst) {
        block_close(job->dst);
    }
}

/* Name of the extent a monolithicFlat vmdk create makes beside the descriptor. */
static char *flat_extent_name(const char *target)
{
    size_t n = strlen(target);
    if (n > 5 && !strcmp(target + n - 5, ".vmdk")) {
        n -= 5;
    }
    return xasprintf("%.*s-flat.vmdk", (int)n, target);
}

typedef struct CreatedFiles {
    bool target;
    char *flat;     /* extent file created beside a vmdk descriptor, or NULL */
} CreatedFiles;

static int create_target(ConvertArgs *a, const ConvertJob *job, CreatedFiles *created)
{
    BlockCreateOptions opts = { 0 };
    KeyValList kv = { 0 };
    Error *err = NULL;
    int ret = -1;
    char *flat = flat_extent_name(a->target);
    bool flat_existed = access(flat, F_OK) == 0;
    if (a->options && keyval_parse(a->options, NULL, &kv, &err) < 0) {
        goto out;
    }
    if (block_create_options_parse(&kv, &opts, &err) < 0) {
        goto out;
    }
    opts.size = job->total;
    if (a->backing) {
        opts.backing_file = a->backing;
        opts.backing_fmt = a->backing_fmt;
    }
    ret = block_create(a->dst_format, a->target, &opts, &err);
    created->target = access(a->target, F_OK) == 0;
    if (!flat_existed && access(flat, F_OK) == 0) {
        created->flat = flat;
        flat = NULL;
    }
out:
    if (err) {
        error_prepend(&err, "%s: ", a->target);
        error_report_err(err);
    }
    keyval_free(&kv);
    free(flat);
    return ret < 0 ? -1 : 0;
}

static void remove_created(CreatedFiles *created, const char *target)
{
    if (created->target) {
        unlink(target);
    }
    if (created->flat) {
        unlink(created->flat);
    }
}

static bool needs_compression(BlockDriverState *bs)
{
    BlockImageInfo info;
    if (block_get_info(bs, &info) < 0) {
        return false;
    }
    for (int i = 0; i < info.n_specific; i++) {
        if (!strcmp(info.specific[i].key, "create-type") &&
            !strcmp(info.specific[i].str, "streamOptimized")) {
            return true;
        }
    }
    return false;
}

static int open_target(ConvertArgs *a, ConvertJob *job)
{
    ImgOpen how = { .format = a->dst_format, .writable = true, .cache = a->dst_cache };
    job->dst = img_open(a->target, &how);
    if (!job->dst) {
        return -1;
    }
    int64_t len = block_length(job->dst);
    if (len < 0 || (uint64_t)len < job->total) {
        error_report("%s is smaller than the source (%lld < %llu bytes)", a->target,
                     (long long)len, (unsigned long long)job->total);
        return -1;
    }
    job->cluster = block_get_cluster_size(job->dst);
    bool stream = needs_compression(job->dst);
    if (stream) {
        job->compress = true;
    }
    /* Formats with compressed clusters: qcow2, and vmdk streams. */
    if (job->compress && ((!stream && strcmp(block_get_format(job->dst), "qcow2")) ||
                          job->cluster == 0 || job->cluster > (64u << 20))) {
        error_report("Compression not supported for this file format (%s)", a->dst_format);
        return -1;
    }
    job->parallel_compress = job->compress && block_compress_parallel_supported(job->dst);
    job->target_is_zero = (!a->no_create && !a->backing) || a->target_is_zero;
    job->keep_backing = a->backing != NULL;
    return 0;
}

static int do_convert(ConvertArgs *a)
{
    ConvertJob job = { .compress = a->compress, .sparse_size = a->sparse_size,
                       .workers = a->workers, .out_of_order = a->out_of_order };
    ImgProgress progress = { .enabled = a->progress && !a->quiet, .last = -1 };
    CreatedFiles created = { 0 };
    int ret = -1;
    job.progress = &progress;
    if (open_sources(a, &job) < 0) {
        goto out;
    }
    if (!a->no_create && create_target(a, &job, &created) < 0) {
        goto out;
    }
    if (open_target(a, &job) < 0) {
        goto out;
    }
    img_progress_update(&progress, 0, job.total);
    ret = img_convert_copy(&job);
    if (ret == 0 && (ret = block_flush(job.dst)) < 0) {
        error_report("Could not flush '%s': %s", a->target, strerror(-ret));
    }
    if (ret == 0) {
        img_progress_end(&progress);
    }
out:
    close_job(&job);
    if (ret < 0) {
        remove_created(&created, a->target);
    }
    free(created.flat);
    return ret < 0 ? 1 : 0;
}

static int run_convert(int argc, char **argv)
{
    /* qemu-img convert writes with cache=unsafe unless told otherwise: a failed conversion
     * is simply run again. */
    ConvertArgs a = { .dst_format = "raw", .sparse_size = 4096, .workers = 4,
                      .dst_cache = "unsafe" };
    if (parse_convert_args(argc, argv, &a) < 0) {
        return 1;
    }
    if (img_check_format(a.src_format) < 0 || img_check_format(a.dst_format) < 0) {
        return 1;
    }
    if (a.options && !strcmp(a.options, "help")) {
        printf("Supported options for %s:\n", a.dst_format);
        block_driver_print_create_options(a.dst_format, stdout);
        return 0;
    }
    return do_convert(&a);
}

const ImgCommand img_cmd_convert = {
    .name = "convert",
    .run = run_convert,
    .synopsis = "[-c] [-p] [-q] [-n] [-W] [-m num] [-f fmt] [-O output_fmt] [-o options] "
                "[-B backing_file [-F backing_fmt]] [-S sparse_size] [-t cache] [-T src_cache] "
                "[--target-is-zero] filename [filename2 [...]] output_filename",
    .help =
        "  -f fmt          source format (default: probed)\n"
        "  -O output_fmt   destination format (default raw)\n"
        "  -o options      create options of the destination format (see create)\n"
        "  -c              compress the destination (qcow2; vmdk streamOptimized always is)\n"
        "  -p              show progress\n"
        "  -q              quiet\n"
        "  -n              do not create the destination (it must exist and be big enough)\n"
        "  -B backing_file destination gets this backing file; only what the source holds\n"
        "                  above its own backing file is copied\n"
        "  -F backing_fmt  format of the -B backing file\n"
        "  -S size         zero runs of this many bytes (aligned) are left unallocated\n"
        "                  (default 4k; 0 writes every byte)\n"
        "  -m num          parallel workers (1..16, default 4)\n"
        "  -W              allow out-of-order writes to the destination\n"
        "  -t cache        destination cache mode (default unsafe, as qemu-img: no fsync;\n"
        "                  writeback, writethrough, none, directsync)\n"
        "  -T src_cache    source cache mode\n"
        "  --target-is-zero  with -n: the destination already reads zeros\n"
        "Sources are concatenated. A destination created here is deleted on failure.\n",
};
