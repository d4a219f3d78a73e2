/* Block layer core: image creation with "-o" options, and qemu-img-compatible check reports
 * (text, JSON, exit codes). docs/block.md */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "block/block_int.h"
#include "util/cutils.h"

static int parse_cluster_size(KeyValList *kv, BlockCreateOptions *opts, Error **errp)
{
    const char *v = keyval_get(kv, "cluster_size");
    if (v && parse_size(v, 1, &opts->cluster_size) < 0) {
        error_setg(errp, "invalid cluster_size '%s'", v);
        return -1;
    }
    return 0;
}

static int parse_refcount_bits(KeyValList *kv, BlockCreateOptions *opts, Error **errp)
{
    const char *v = keyval_get(kv, "refcount_bits");
    uint64_t bits;
    if (!v) {
        return 0;
    }
    if (parse_uint64(v, &bits) < 0 || bits == 0 || bits > 64 || (bits & (bits - 1))) {
        error_setg(errp, "invalid refcount_bits '%s' (a power of two from 1 to 64)", v);
        return -1;
    }
    opts->refcount_bits = (int)bits;
    return 0;
}

int block_create_options_parse(KeyValList *kv, BlockCreateOptions *opts, Error **errp)
{
    const char *v;
    opts->extra = kv;
    if ((v = keyval_get(kv, "size")) && parse_size(v, 1, &opts->size) < 0) {
        error_setg(errp, "invalid size '%s'", v);
        return -1;
    }
    if ((v = keyval_get(kv, "backing_file"))) {
        opts->backing_file = v;
    }
    if ((v = keyval_get(kv, "backing_fmt"))) {
        opts->backing_fmt = v;
    }
    if ((v = keyval_get(kv, "compat"))) {
        if (block_parse_compat(v) < 0) {
            error_setg(errp, "invalid compat '%s' (0.10 or 1.1)", v);
            return -1;
        }
        opts->compat = v;
    }
    if ((v = keyval_get(kv, "preallocation")) &&
        block_prealloc_parse(v, &opts->prealloc, errp) < 0) {
        return -1;
    }
    if (keyval_get_bool(kv, "lazy_refcounts", opts->lazy_refcounts, &opts->lazy_refcounts,
                        errp) < 0) {
        return -1;
    }
    if ((v = keyval_get(kv, "subformat"))) {
        opts->subformat = v;
    }
    if (parse_cluster_size(kv, opts, errp) < 0 || parse_refcount_bits(kv, opts, errp) < 0) {
        return -1;
    }
    return 0;
}

/* Without a size, the image takes its backing file's size; the backing file must open. */
static int check_backing(const BlockDriver *drv, const char *filename,
                         BlockCreateOptions *opts, Error **errp)
{
    if (!drv->supports_backing) {
        error_setg(errp, "format '%s' does not support backing files", drv->format_name);
        return -ENOTSUP;
    }
    if (opts->backing_fmt && !block_driver_find(opts->backing_fmt)) {
        error_setg(errp, "Unknown backing format '%s'", opts->backing_fmt);
        return -EINVAL;
    }
    char *path;
    const char *slash = strrchr(filename, '/');
    if (opts->backing_file[0] == '/' || !slash) {
        path = xstrdup(opts->backing_file);
    } else {
        path = xasprintf("%.*s/%s", (int)(slash - filename), filename, opts->backing_file);
    }
    BlockOpenOptions o = { .format = opts->backing_fmt, .read_only = true };
    BlockDriverState *b = block_open(path, &o, errp);
    free(path);
    if (!b) {
        return -ENOENT;
    }
    int64_t len = block_length(b);
    if (!opts->backing_fmt) {
        warn_report("backing format of '%s' not given: probed as '%s'", opts->backing_file,
                    block_get_format(b));
    }
    block_close(b);
    if (len < 0) {
        error_setg_errno(errp, (int)-len, "cannot get the size of '%s'", opts->backing_file);
        return (int)len;
    }
    if (opts->size == 0) {
        opts->size = (uint64_t)len;
    }
    return 0;
}

int block_create(const char *format, const char *filename, BlockCreateOptions *opts,
                 Error **errp)
{
    const BlockDriver *drv = block_driver_find(format);
    if (!drv) {
        error_setg(errp, "Unknown file format '%s'", format);
        return -EINVAL;
    }
    if (!drv->create) {
        error_setg(errp, "Format driver '%s' does not support image creation", format);
        return -ENOTSUP;
    }
    if (opts->backing_file && check_backing(drv, filename, opts, errp) < 0) {
        return -EINVAL;
    }
    if (opts->size > BLOCK_MAX_IMAGE_SIZE) {
        error_setg(errp, "size %" PRIu64 " is larger than the maximum %llu", opts->size,
                   (unsigned long long)BLOCK_MAX_IMAGE_SIZE);
        return -EFBIG;
    }
    int ret = drv->create(filename, opts, errp);
    if (ret == 0 && opts->extra) {
        char what[64];
        snprintf(what, sizeof(what), "%s create", format);
        if (keyval_check_unused(opts->extra, what, errp) < 0) {
            return -EINVAL;
        }
    }
    return ret;
}

/* ---- check reports ---- */

int block_check_exit_code(const BlockCheckResult *res)
{
    if (res->check_errors) {
        return 1;
    }
    if (res->corruptions) {
        return 2;
    }
    if (res->leaks) {
        return 3;
    }
    return 0;
}

static double percent(uint64_t part, uint64_t total)
{
    return total ? 100.0 * (double)part / (double)total : 0.0;
}

void block_check_print_text(const BlockCheckResult *res, const char *filename, int fix,
                            FILE *out)
{
    if (res->corruptions_fixed || res->leaks_fixed) {
        fprintf(out, "The following inconsistencies were found and repaired:\n\n"
                "    %" PRId64 " leaked clusters\n    %" PRId64 " corruptions\n\n"
                "Double checking the fixed image now...\n",
                res->leaks_fixed, res->corruptions_fixed);
    }
    if (!res->corruptions && !res->leaks && !res->check_errors) {
        fprintf(out, "No errors were found on the image.\n");
    }
    if (res->corruptions) {
        fprintf(out, "\n%" PRId64 " errors were found on the image.\nData may be corrupted, "
                "or further writes to the image may corrupt it.\n", res->corruptions);
    }
    if (res->leaks) {
        fprintf(out, "\n%" PRId64 " leaked clusters were found on the image.\nThis means "
                "waste of disk space, but no harm to data.\n", res->leaks);
    }
    if (res->check_errors) {
        fprintf(out, "\n%" PRId64 " internal errors have occurred during the check.\n",
                res->check_errors);
    }
    if (res->total_clusters) {
        fprintf(out, "%" PRIu64 "/%" PRIu64 " = %.2f%% allocated, %.2f%% fragmented, "
                "%.2f%% compressed clusters\n", res->allocated_clusters, res->total_clusters,
                percent(res->allocated_clusters, res->total_clusters),
                percent(res->fragmented_clusters, res->allocated_clusters),
                percent(res->compressed_clusters, res->allocated_clusters));
    }
    if (res->image_end_offset) {
        fprintf(out, "Image end offset: %" PRId64 "\n", res->image_end_offset);
    }
    (void)filename;
    (void)fix;
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fprintf(out, "\\%c", c);
        } else if (c < 0x20) {
            fprintf(out, "\\u%04x", c);
        } else {
            fputc(c, out);
        }
    }
    fputc('"', out);
}

void block_check_print_json(const BlockCheckResult *res, const char *filename,
                            const char *format, FILE *out)
{
    fprintf(out, "{\n");
    if (res->image_end_offset) {
        fprintf(out, "    \"image-end-offset\": %" PRId64 ",\n", res->image_end_offset);
    }
    if (res->total_clusters) {
        fprintf(out, "    \"total-clusters\": %" PRIu64 ",\n", res->total_clusters);
    }
    fprintf(out, "    \"check-errors\": %" PRId64 ",\n", res->check_errors);
    if (res->total_clusters) {
        fprintf(out, "    \"allocated-clusters\": %" PRIu64 ",\n", res->allocated_clusters);
    }
    fprintf(out, "    \"filename\": ");
    json_string(out, filename);
    fprintf(out, ",\n    \"format\": ");
    json_string(out, format);
    if (res->total_clusters) {
        fprintf(out, ",\n    \"fragmented-clusters\": %" PRIu64, res->fragmented_clusters);
        fprintf(out, ",\n    \"compressed-clusters\": %" PRIu64, res->compressed_clusters);
    }
    if (res->corruptions) {
        fprintf(out, ",\n    \"corruptions\": %" PRId64, res->corruptions);
    }
    if (res->leaks) {
        fprintf(out, ",\n    \"leaks\": %" PRId64, res->leaks);
    }
    if (res->corruptions_fixed) {
        fprintf(out, ",\n    \"corruptions-fixed\": %" PRId64, res->corruptions_fixed);
    }
    if (res->leaks_fixed) {
        fprintf(out, ",\n    \"leaks-fixed\": %" PRId64, res->leaks_fixed);
    }
    fprintf(out, "\n}\n");
}
