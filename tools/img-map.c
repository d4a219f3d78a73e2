/* mimic-img map: where each range of the virtual disk lives, as qemu-img map prints it
 * (human: data extents; --output=json: start, length, depth, present, zero, data, offset). */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "tools/img-common.h"
#include "util/cutils.h"
#include "util/error.h"

typedef struct MapEntry {
    uint64_t start, length, offset;
    int depth;
    bool present, zero, data, has_offset;
} MapEntry;

static int chain_length(BlockDriverState *bs)
{
    int n = 0;
    while ((bs = block_get_backing(bs)) != NULL) {
        n++;
    }
    return n;
}

/* The name of the node at depth, spelled as qemu-img does: each backing file resolved
 * against the directory of the image naming it ("base.qcow2", not "./base.qcow2"). */
static char *node_filename(BlockDriverState *bs, const char *top_name, int depth)
{
    char *name = xstrdup(top_name);
    for (; depth > 0 && block_get_backing(bs); depth--) {
        BlockImageInfo info;
        if (block_get_info(bs, &info) < 0 || !info.backing_filename) {
            break;
        }
        char *next = img_resolve_backing(name, info.backing_filename);
        free(name);
        name = next;
        bs = block_get_backing(bs);
    }
    return name;
}

static bool can_merge(const MapEntry *a, const MapEntry *b)
{
    return a->depth == b->depth && a->present == b->present && a->zero == b->zero &&
           a->data == b->data && a->has_offset == b->has_offset &&
           a->start + a->length == b->start &&
           (!a->has_offset || a->offset + a->length == b->offset);
}

static void print_entry(BlockDriverState *bs, const char *top_name, const MapEntry *e,
                        bool json, bool first)
{
    if (json) {
        printf("%s{ \"start\": %" PRIu64 ", \"length\": %" PRIu64 ", \"depth\": %d, "
               "\"present\": %s, \"zero\": %s, \"data\": %s", first ? "[" : ",\n", e->start,
               e->length, e->depth, e->present ? "true" : "false", e->zero ? "true" : "false",
               e->data ? "true" : "false");
        if (e->has_offset) {
            printf(", \"offset\": %" PRIu64, e->offset);
        }
        printf("}");
    } else if (e->data && e->has_offset) {
        char *name = node_filename(bs, top_name, e->depth);
        printf("%#-16" PRIx64 "%#-16" PRIx64 "%#-16" PRIx64 "%s\n", e->start, e->length,
               e->offset, name);
        free(name);
    }
}

static int get_entry(BlockDriverState *bs, uint64_t off, uint64_t len, int bottom, MapEntry *e)
{
    uint64_t pnum, map = 0;
    int depth;
    int st = block_status_chain(bs, NULL, off, len, &pnum, &map, &depth);
    if (st < 0) {
        error_report("error while mapping offset %" PRIu64 ": %s", off, strerror(-st));
        return st;
    }
    *e = (MapEntry){
        .start = off, .length = pnum, .offset = map,
        .depth = depth < 0 ? bottom : depth,
        .present = depth >= 0,
        .zero = (st & BLOCK_STATUS_ZERO) || !(st & BLOCK_STATUS_DATA),
        .data = (st & BLOCK_STATUS_DATA) != 0,
        .has_offset = (st & BLOCK_STATUS_OFFSET_VALID) != 0,
    };
    if (st & BLOCK_STATUS_ZERO) {
        e->zero = true;
    }
    return 0;
}

static int map_image(BlockDriverState *bs, const char *name, uint64_t start, uint64_t end,
                     bool json)
{
    MapEntry cur = { 0 }, next;
    bool have = false, first = true;
    int bottom = chain_length(bs);
    if (!json) {
        printf("%-16s%-16s%-16s%s\n", "Offset", "Length", "Mapped to", "File");
    }
    for (uint64_t off = start; off < end; off += next.length) {
        if (get_entry(bs, off, end - off, bottom, &next) < 0) {
            return 1;
        }
        if (have && can_merge(&cur, &next)) {
            cur.length += next.length;
            continue;
        }
        if (have) {
            print_entry(bs, name, &cur, json, first);
            first = false;
        }
        cur = next;
        have = true;
    }
    if (have) {
        print_entry(bs, name, &cur, json, first);
        first = false;
    }
    if (json) {
        printf(first ? "[]\n" : "]\n");
    }
    return 0;
}

static int run_map(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "output", required_argument, NULL, 'O' },
        { "start-offset", required_argument, NULL, 's' },
        { "max-length", required_argument, NULL, 'l' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = NULL;
    bool json = false;
    uint64_t start = 0, max_len = UINT64_MAX;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:hU", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'U': img_force_share = true; break;
        case 'O':
            if (img_parse_output(optarg, &json) < 0) {
                return 1;
            }
            break;
        case 's':
            if (img_parse_size(optarg, &start) < 0) {
                return 1;
            }
            break;
        case 'l':
            if (img_parse_size(optarg, &max_len) < 0) {
                return 1;
            }
            break;
        case ':': return img_usage_error(&img_cmd_map, "option needs an argument");
        default: return img_usage_error(&img_cmd_map, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage_error(&img_cmd_map, "Expecting one image file name");
    }
    ImgOpen how = { .format = format };
    BlockDriverState *bs = img_open(argv[optind], &how);
    if (!bs) {
        return 1;
    }
    int64_t len = block_length(bs);
    int ret = 1;
    if (len >= 0) {
        uint64_t end = (uint64_t)len;
        if (max_len < end && start < end - max_len) {
            end = start + max_len;
        }
        ret = map_image(bs, argv[optind], MIN(start, (uint64_t)len), end, json);
    }
    block_close(bs);
    return ret;
}

const ImgCommand img_cmd_map = {
    .name = "map",
    .run = run_map,
    .synopsis = "[-f fmt] [--output=human|json] [--start-offset=offset] "
                "[--max-length=len] [-U] filename",
    .help =
        "  --output=FMT    human (data extents and their host offsets) or json (every\n"
        "                  range: start, length, depth, present, zero, data, offset)\n"
        "  --start-offset  first byte to map; --max-length: bytes to map\n"
        "  -f fmt          image format (default: probed)\n",
};
