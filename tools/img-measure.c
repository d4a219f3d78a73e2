/* mimic-img measure: host file size a conversion to raw or qcow2 needs (required) and a
 * fully allocated one takes, from --size or from a source image's allocation. The qcow2
 * arithmetic follows the layout of docs/qcow2 (header, L1, L2, refcount table/blocks). */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include "tools/img-common.h"
#include "tools/img-json.h"
#include "util/cutils.h"
#include "util/error.h"
#include "util/keyval.h"

typedef struct MeasureResult {
    uint64_t required, fully_allocated;
    bool show_bitmaps;
} MeasureResult;

/* Refcount table + blocks covering `clusters` clusters and themselves. */
static uint64_t refcount_metadata_size(uint64_t clusters, uint64_t cluster_size,
                                       unsigned refcount_bits)
{
    uint64_t per_table_cluster = cluster_size / 8;
    uint64_t per_block = cluster_size * 8 / refcount_bits;
    uint64_t table = 0, blocks = 0, n = 0, last;
    do {
        last = n;
        blocks = DIV_ROUND_UP(clusters + table + blocks, per_block);
        table = DIV_ROUND_UP(blocks, per_table_cluster);
        n = clusters + blocks + table;
    } while (n != last);
    return (blocks + table) * cluster_size;
}

/* Size of a qcow2 image of virtual size `size` with every cluster allocated. */
static uint64_t qcow2_full_size(uint64_t size, uint64_t cluster_size, unsigned refcount_bits)
{
    uint64_t aligned = ROUND_UP(size, cluster_size);
    uint64_t meta = cluster_size;                               /* header */
    uint64_t l2_entries = ROUND_UP(aligned / cluster_size, cluster_size / 8);
    meta += l2_entries * 8;                                     /* L2 tables */
    uint64_t l1_entries = ROUND_UP(l2_entries * 8 / cluster_size, cluster_size / 8);
    meta += l1_entries * 8;                                     /* L1 table */
    meta += refcount_metadata_size((meta + aligned) / cluster_size, cluster_size,
                                   refcount_bits);
    return meta + aligned;
}

/* Bytes of whole clusters holding data (not zeros) in the source chain. */
static int allocated_clusters_bytes(BlockDriverState *bs, uint64_t size, uint64_t cluster,
                                    uint64_t *out)
{
    uint64_t required = 0, pnum;
    int depth;
    for (uint64_t off = 0; off < size; off += pnum) {
        int st = block_status_chain(bs, NULL, off, size - off, &pnum, NULL, &depth);
        if (st < 0) {
            error_report("error while reading block status: %s", strerror(-st));
            return -1;
        }
        if (!(st & BLOCK_STATUS_ZERO) && (st & BLOCK_STATUS_DATA)) {
            uint64_t end = ROUND_UP(off + pnum, cluster);
            required += end - off + off % cluster;
            pnum = end - off;
        }
    }
    *out = required;
    return 0;
}

static int measure_qcow2(BlockDriverState *src, uint64_t size, KeyValList *kv,
                         MeasureResult *r)
{
    uint64_t cluster, refbits, data = size;
    Error *err = NULL;
    if (keyval_get_size(kv, "cluster_size", 65536, &cluster, &err) < 0 ||
        keyval_get_size(kv, "refcount_bits", 16, &refbits, &err) < 0) {
        error_report_err(err);
        return -1;
    }
    if (cluster < 512 || cluster > (2u << 20) || (cluster & (cluster - 1)) ||
        refbits < 1 || refbits > 64 || (refbits & (refbits - 1))) {
        error_report("Invalid cluster_size %" PRIu64 " or refcount_bits %" PRIu64,
                     cluster, refbits);
        return -1;
    }
    keyval_get(kv, "compat");
    keyval_get(kv, "lazy_refcounts");
    keyval_get(kv, "preallocation");
    uint64_t vsize = ROUND_UP(size, cluster);
    if (src) {
        if (allocated_clusters_bytes(src, size, cluster, &data) < 0) {
            return -1;
        }
        r->show_bitmaps = !strcmp(block_get_format(src), "qcow2");
    } else {
        data = 0;
    }
    r->fully_allocated = qcow2_full_size(vsize, cluster, (unsigned)refbits);
    r->required = r->fully_allocated - vsize + data;
    return 0;
}

static int measure(const char *out_fmt, BlockDriverState *src, uint64_t size, KeyValList *kv,
                   MeasureResult *r)
{
    Error *err = NULL;
    int ret;
    if (!strcmp(out_fmt, "qcow2")) {
        ret = measure_qcow2(src, size, kv, r);
    } else if (!strcmp(out_fmt, "raw")) {
        keyval_get(kv, "preallocation");
        r->required = r->fully_allocated = size;
        ret = 0;
    } else {
        error_report("Block driver '%s' does not support size measurement", out_fmt);
        return -1;
    }
    if (ret == 0 && keyval_check_unused(kv, "-o", &err) < 0) {
        error_report_err(err);
        return -1;
    }
    return ret;
}

static void print_measure(const MeasureResult *r, bool json)
{
    if (json) {
        ImgJson j;
        img_json_init(&j, stdout);
        img_json_start_object(&j, NULL);
        if (r->show_bitmaps) {
            img_json_uint(&j, "bitmaps", 0);
        }
        img_json_uint(&j, "required", r->required);
        img_json_uint(&j, "fully-allocated", r->fully_allocated);
        img_json_end_object(&j);
        img_json_finish(&j);
        return;
    }
    printf("required size: %" PRIu64 "\nfully allocated size: %" PRIu64 "\n", r->required,
           r->fully_allocated);
    if (r->show_bitmaps) {
        printf("bitmaps size: 0\n");
    }
}

typedef struct MeasureArgs {
    const char *format, *out_fmt, *options, *size, *filename;
    bool json;
} MeasureArgs;

static int parse_measure_args(int argc, char **argv, MeasureArgs *a)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "output", required_argument, NULL, 'J' },
        { "size", required_argument, NULL, 's' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:O:o:l:Uh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': a->format = optarg; break;
        case 'O': a->out_fmt = optarg; break;
        case 'o': a->options = optarg; break;
        case 's': a->size = optarg; break;
        case 'l': break;
        case 'U': img_force_share = true; break;
        case 'J':
            if (img_parse_output(optarg, &a->json) < 0) {
                return -1;
            }
            break;
        case ':': return -img_usage_error(&img_cmd_measure, "option needs an argument");
        default:
            return -img_usage_error(&img_cmd_measure, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        a->filename = argv[optind++];
    }
    if (optind != argc || (!a->filename == !a->size)) {
        return -img_usage_error(&img_cmd_measure, "Either --size N or one filename is needed");
    }
    return 0;
}

static int run_measure(int argc, char **argv)
{
    MeasureArgs a = { .out_fmt = "raw" };
    KeyValList kv = { 0 };
    Error *err = NULL;
    BlockDriverState *src = NULL;
    MeasureResult r = { 0 };
    uint64_t size = 0;
    int ret = 1;
    if (parse_measure_args(argc, argv, &a) < 0) {
        return 1;
    }
    if (a.options && keyval_parse(a.options, NULL, &kv, &err) < 0) {
        error_report_err(err);
        return 1;
    }
    if (a.size && img_parse_size(a.size, &size) < 0) {
        goto out;
    }
    if (a.filename) {
        ImgOpen how = { .format = a.format };
        int64_t len;
        if (!(src = img_open(a.filename, &how)) || (len = block_length(src)) < 0) {
            goto out;
        }
        size = len;
    }
    if (measure(a.out_fmt, src, size, &kv, &r) == 0) {
        print_measure(&r, a.json);
        ret = 0;
    }
out:
    if (src) {
        block_close(src);
    }
    keyval_free(&kv);
    return ret;
}

const ImgCommand img_cmd_measure = {
    .name = "measure",
    .run = run_measure,
    .synopsis = "[--output=human|json] [-O output_fmt] [-o options] [--size N | [-f fmt] filename]",
    .help =
        "  -O output_fmt   format to measure for: raw or qcow2 (default raw)\n"
        "  -o options      qcow2: cluster_size, refcount_bits (compat, lazy_refcounts and\n"
        "                  preallocation do not change the figures)\n"
        "  --size N        a new empty image of N bytes instead of a source image\n"
        "  --output=FMT    human (default) or json (required, fully-allocated)\n",
};
