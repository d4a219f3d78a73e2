/* mimic-img info: image facts as qemu-img info prints them (text, --output=json,
 * --backing-chain). */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "tools/img-common.h"
#include "tools/img-json.h"
#include "tools/img-snapshot-list.h"
#include "util/cutils.h"
#include "util/error.h"

typedef struct ImageFacts {
    BlockImageInfo info;
    char *full_backing;     /* backing file resolved against the image's directory */
    BlockSnapshotInfo *snapshots;
    int n_snapshots;
    char *next_file;        /* backing file to open next in --backing-chain, or NULL */
    char *next_format;
} ImageFacts;

static void print_specific_text(const BlockImageInfo *info, FILE *out)
{
    fputs("Format specific information:\n", out);
    for (int i = 0; i < info->n_specific; i++) {
        const BlockInfoField *f = &info->specific[i];
        char key[sizeof(f->key)];
        snprintf(key, sizeof(key), "%s", f->key);
        for (char *p = key; *p; p++) {
            if (*p == '-') {
                *p = ' ';
            }
        }
        if (f->type == BLOCK_INFO_STR) {
            fprintf(out, "    %s: %s\n", key, f->str);
        } else if (f->type == BLOCK_INFO_BOOL) {
            fprintf(out, "    %s: %s\n", key, f->num ? "true" : "false");
        } else {
            fprintf(out, "    %s: %" PRId64 "\n", key, f->num);
        }
    }
}

static void print_info_text(const ImageFacts *f, FILE *out)
{
    const BlockImageInfo *info = &f->info;
    char vs[32], ds[32];
    fprintf(out, "image: %s\nfile format: %s\nvirtual size: %s (%" PRIu64 " bytes)\n",
            info->filename, info->format, img_size_to_str(info->virtual_size, vs, sizeof(vs)),
            info->virtual_size);
    fprintf(out, "disk size: %s\n", info->actual_size < 0 ? "unavailable" :
            img_size_to_str(info->actual_size, ds, sizeof(ds)));
    if (info->cluster_size) {
        fprintf(out, "cluster_size: %" PRIu32 "\n", info->cluster_size);
    }
    if (info->dirty) {
        fputs("cleanly shut down: no\n", out);
    }
    if (info->backing_filename) {
        fprintf(out, "backing file: %s", info->backing_filename);
        if (f->full_backing && strcmp(f->full_backing, info->backing_filename)) {
            fprintf(out, " (actual path: %s)", f->full_backing);
        }
        fputc('\n', out);
    }
    if (info->backing_format) {
        fprintf(out, "backing file format: %s\n", info->backing_format);
    }
    if (f->n_snapshots > 0) {
        img_snapshot_print_table(f->snapshots, f->n_snapshots, out);
    }
    if (info->n_specific > 0) {
        print_specific_text(info, out);
    }
}

static void print_specific_json(ImgJson *j, const BlockImageInfo *info)
{
    img_json_start_object(j, "format-specific");
    img_json_str(j, "type", info->format);
    img_json_start_object(j, "data");
    for (int i = 0; i < info->n_specific; i++) {
        const BlockInfoField *f = &info->specific[i];
        if (f->type == BLOCK_INFO_STR) {
            img_json_str(j, f->key, f->str);
        } else if (f->type == BLOCK_INFO_BOOL) {
            img_json_bool(j, f->key, f->num != 0);
        } else {
            img_json_int(j, f->key, f->num);
        }
    }
    img_json_end_object(j);
    img_json_end_object(j);
}

static void print_info_json(ImgJson *j, const ImageFacts *f)
{
    const BlockImageInfo *info = &f->info;
    img_json_start_object(j, NULL);
    if (f->n_snapshots > 0) {
        img_snapshot_print_json(j, f->snapshots, f->n_snapshots);
    }
    if (info->backing_format) {
        img_json_str(j, "backing-filename-format", info->backing_format);
    }
    img_json_uint(j, "virtual-size", info->virtual_size);
    img_json_str(j, "filename", info->filename);
    if (info->cluster_size) {
        img_json_uint(j, "cluster-size", info->cluster_size);
    }
    img_json_str(j, "format", info->format);
    if (info->actual_size >= 0) {
        img_json_int(j, "actual-size", info->actual_size);
    }
    if (info->n_specific > 0) {
        print_specific_json(j, info);
    }
    if (info->backing_filename) {
        img_json_str(j, "full-backing-filename", f->full_backing);
        img_json_str(j, "backing-filename", info->backing_filename);
    }
    img_json_bool(j, "dirty-flag", info->dirty);
    img_json_end_object(j);
}

/* Opens one image without its backing and gathers what info prints. */
static BlockDriverState *gather_facts(const char *filename, const char *format,
                                      ImageFacts *f)
{
    ImgOpen how = { .format = format, .no_backing = true, .check = true };
    BlockDriverState *bs = img_open(filename, &how);
    Error *err = NULL;
    memset(f, 0, sizeof(*f));
    if (!bs) {
        return NULL;
    }
    if (block_get_info(bs, &f->info) < 0) {
        error_report("%s: could not read image information", filename);
        block_close(bs);
        return NULL;
    }
    int n = block_snapshot_list(bs, &f->snapshots, &err);
    f->n_snapshots = n > 0 ? n : 0;
    if (n < 0) {
        error_free(err);
        f->snapshots = NULL;
    }
    if (f->info.backing_filename) {
        /* Resolved as qemu-img does: "base.qcow2" beside "top.qcow2", "/d/base.qcow2"
         * beside "/d/top.qcow2"; absolute names stay as they are. */
        f->full_backing = img_resolve_backing(filename, f->info.backing_filename);
        f->next_file = xstrdup(f->full_backing);
        f->next_format = f->info.backing_format ? xstrdup(f->info.backing_format) : NULL;
    }
    return bs;
}

static void release_facts(BlockDriverState *bs, ImageFacts *f)
{
    if (f->snapshots) {
        block_snapshot_list_free(f->snapshots, f->n_snapshots);
    }
    free(f->full_backing);
    free(f->next_file);
    free(f->next_format);
    block_close(bs);
}

/* Remembers canonical names of the chain so far; true if name was already seen. */
static bool seen_before(char **seen, int *n_seen, const char *name)
{
    char *canon = realpath(name, NULL);
    if (!canon) {
        canon = xstrdup(name);
    }
    for (int i = 0; i < *n_seen; i++) {
        if (!strcmp(seen[i], canon)) {
            free(canon);
            return true;
        }
    }
    seen[(*n_seen)++] = canon;
    return false;
}

static int info_chain(const char *filename, const char *format, bool chain, bool json)
{
    char *seen[BLOCK_MAX_CHAIN_DEPTH + 1];
    int n_seen = 0, ret = 0;
    char *file = xstrdup(filename), *fmt = format ? xstrdup(format) : NULL;
    ImgJson j;
    img_json_init(&j, stdout);
    if (chain && json) {
        img_json_start_array(&j, NULL);
    }
    for (int depth = 0; file; depth++) {
        ImageFacts f;
        if (depth > BLOCK_MAX_CHAIN_DEPTH || seen_before(seen, &n_seen, file)) {
            error_report("Backing file '%s' forms a loop or a chain deeper than %d", file,
                         BLOCK_MAX_CHAIN_DEPTH);
            ret = 1;
            break;
        }
        BlockDriverState *bs = gather_facts(file, fmt, &f);
        if (!bs) {
            ret = 1;
            break;
        }
        if (json) {
            print_info_json(&j, &f);
        } else {
            if (depth > 0) {
                putchar('\n');
            }
            print_info_text(&f, stdout);
        }
        free(file);
        free(fmt);
        file = fmt = NULL;
        if (chain) {
            file = f.next_file;
            fmt = f.next_format;
            f.next_file = f.next_format = NULL;
        }
        release_facts(bs, &f);
    }
    if (json) {
        if (chain) {
            img_json_end_array(&j);
        }
        if (ret == 0 || chain) {
            img_json_finish(&j);
        }
    }
    free(file);
    free(fmt);
    for (int i = 0; i < n_seen; i++) {
        free(seen[i]);
    }
    return ret;
}

static int run_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "output", required_argument, NULL, 'O' },
        { "backing-chain", no_argument, NULL, 'B' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = NULL;
    bool json = false, chain = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:hU", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'O':
            if (img_parse_output(optarg, &json) < 0) {
                return 1;
            }
            break;
        case 'B': chain = true; break;
        case 'U': img_force_share = true; break;
        case ':': return img_usage_error(&img_cmd_info, "option needs an argument");
        default: return img_usage_error(&img_cmd_info, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage_error(&img_cmd_info, "Expecting one image file name");
    }
    return info_chain(argv[optind], format, chain, json);
}

const ImgCommand img_cmd_info = {
    .name = "info",
    .run = run_info,
    .synopsis = "[-f fmt] [--output=human|json] [--backing-chain] [-U] filename",
    .help =
        "  -f fmt           image format (default: probed)\n"
        "  --output=FMT     human (default) or json, with qemu-img's keys\n"
        "  --backing-chain  also describe every backing file, top first\n"
        "  -U               force share: open even if another process writes the image\n",
};
