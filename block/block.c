/* Block layer core: driver registry, format probing, opening nodes and backing chains,
 * the -snapshot overlay. docs/block.md */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "block/block_int.h"
#include "util/cutils.h"

#define MAX_DRIVERS 16
#define PROBE_BYTES 2048

static const BlockDriver *drivers[MAX_DRIVERS];
static int n_drivers;

void block_driver_register(const BlockDriver *drv)
{
    if (n_drivers == MAX_DRIVERS) {
        error_report("too many block drivers (%d); '%s' not registered", MAX_DRIVERS,
                     drv->format_name);
        return;
    }
    drivers[n_drivers++] = drv;
}

const BlockDriver *block_driver_find(const char *format)
{
    for (int i = 0; i < n_drivers; i++) {
        if (!strcmp(drivers[i]->format_name, format)) {
            return drivers[i];
        }
    }
    return NULL;
}

void block_driver_foreach(void (*fn)(const char *name, void *opaque), void *opaque)
{
    for (int i = 0; i < n_drivers; i++) {
        fn(drivers[i]->format_name, opaque);
    }
}

bool block_driver_can_create(const char *format)
{
    const BlockDriver *drv = block_driver_find(format);
    return drv && drv->create;
}

bool block_driver_supports_backing(const char *format)
{
    const BlockDriver *drv = block_driver_find(format);
    return drv && drv->supports_backing;
}

void block_driver_print_create_options(const char *format, FILE *out)
{
    const BlockDriver *drv = block_driver_find(format);
    if (!drv) {
        return;
    }
    fprintf(out, "Supported options:\n");
    fprintf(out, "  %-20s %s\n", "size", "Virtual disk size");
    for (const BlockCreateOptionDesc *d = drv->create_options; d && d->name; d++) {
        fprintf(out, "  %-20s %s\n", d->name, d->help);
    }
}

const BlockDriver *block_probe_buffer(const uint8_t *buf, size_t len, const char *filename)
{
    const BlockDriver *best = NULL;
    int best_score = 0;
    for (int i = 0; i < n_drivers; i++) {
        if (!drivers[i]->probe) {
            continue;
        }
        int score = drivers[i]->probe(buf, len, filename);
        if (score > best_score) {
            best_score = score;
            best = drivers[i];
        }
    }
    return best;
}

static const BlockDriver *probe_file(BlockFile *f, Error **errp)
{
    uint8_t *buf = aligned_alloc(4096, 4096);
    int64_t len = block_file_length(f);
    if (!buf) {
        error_setg(errp, "out of memory");
        return NULL;
    }
    if (len < 0) {
        error_setg_errno(errp, (int)-len, "cannot get the size of '%s'", f->filename);
        free(buf);
        return NULL;
    }
    int ret = block_file_pread(f, 0, buf, 4096);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot read '%s'", f->filename);
        free(buf);
        return NULL;
    }
    const BlockDriver *drv = block_probe_buffer(buf, MIN((uint64_t)len, PROBE_BYTES),
                                                f->filename);
    if (!drv) {
        drv = block_driver_find("raw");
    }
    free(buf);
    if (!drv) {
        error_setg(errp, "no driver for '%s' (raw driver missing)", f->filename);
    }
    return drv;
}

const char *block_probe_format(const char *filename, Error **errp)
{
    BlockFile *f;
    if (block_file_open(filename, true, BLOCK_CACHE_WRITEBACK, &f, errp) < 0) {
        return NULL;
    }
    const BlockDriver *drv = probe_file(f, errp);
    block_file_close(f);
    return drv ? drv->format_name : NULL;
}

/* ---- opening ---- */

typedef struct ChainIds {
    int n;
    dev_t dev[BLOCK_MAX_CHAIN_DEPTH + 1];
    ino_t ino[BLOCK_MAX_CHAIN_DEPTH + 1];
} ChainIds;

typedef struct OpenArgs {
    const char *format;
    bool read_only;
    bool no_backing;
    bool check;
    BlockCacheMode cache;
    int depth;
    bool resize;
    bool force_share;
    BlockLocking locking;
} OpenArgs;

static BlockDriverState *open_node(const char *filename, const OpenArgs *args, ChainIds *ids,
                                   Error **errp);

static char *resolve_backing_path(const char *overlay, const char *backing)
{
    if (backing[0] == '/') {
        return xstrdup(backing);
    }
    char *copy = xstrdup(overlay);
    char *path = xasprintf("%s/%s", dirname(copy), backing);
    free(copy);
    return path;
}

static int chain_add(ChainIds *ids, BlockFile *f, Error **errp)
{
    for (int i = 0; i < ids->n; i++) {
        if (ids->dev[i] == f->st_dev && ids->ino[i] == f->st_ino) {
            error_setg(errp, "backing file loop: '%s' is already in the chain", f->filename);
            return -1;
        }
    }
    if (ids->n > BLOCK_MAX_CHAIN_DEPTH) {
        error_setg(errp, "backing chain of '%s' is deeper than %d", f->filename,
                   BLOCK_MAX_CHAIN_DEPTH);
        return -1;
    }
    ids->dev[ids->n] = f->st_dev;
    ids->ino[ids->n] = f->st_ino;
    ids->n++;
    return 0;
}

static int open_backing(BlockDriverState *bs, const OpenArgs *args, ChainIds *ids,
                        Error **errp)
{
    bs->full_backing_filename = resolve_backing_path(bs->filename, bs->backing_file);
    if (args->no_backing) {
        return 0;
    }
    if (bs->backing_format && !block_driver_find(bs->backing_format)) {
        error_setg(errp, "'%s': unknown backing format '%s'", bs->filename,
                   bs->backing_format);
        return -1;
    }
    OpenArgs bargs = {
        .format = bs->backing_format, .read_only = true, .cache = args->cache,
        .depth = args->depth + 1, .force_share = args->force_share, .locking = args->locking,
    };
    Error *err = NULL;
    bs->backing = open_node(bs->full_backing_filename, &bargs, ids, &err);
    if (!bs->backing) {
        error_propagate(errp, err);
        error_prepend(errp, "Could not open backing file of '%s': ", bs->filename);
        return -1;
    }
    return 0;
}

static void warn_probed_raw(BlockDriverState *bs)
{
    warn_report("Image format was not specified for '%s' and probing guessed raw. Probing "
                "a raw image is dangerous: writes to its first sector that would make it "
                "look like another format are refused. Specify format=raw to remove the "
                "restriction.", bs->filename);
}

static BlockDriverState *node_new(BlockFile *f, const char *filename, const BlockDriver *drv,
                                  const OpenArgs *args)
{
    BlockDriverState *bs = xzalloc(sizeof(*bs));
    bs->drv = drv;
    bs->opaque = drv->instance_size ? xzalloc(drv->instance_size) : NULL;
    bs->file = f;
    bs->filename = xstrdup(filename);
    bs->format = xstrdup(drv->format_name);
    bs->read_only = args->read_only;
    bs->probed = args->format == NULL;
    bs->check_mode = args->check;
    bs->cache = args->cache;
    bs->depth = args->depth;
    bs->user_perm = BLOCK_PERM_CONSISTENT_READ | (args->read_only ? 0 : BLOCK_PERM_WRITE) |
                    (args->resize ? BLOCK_PERM_RESIZE : 0);
    bs->user_shared = BLOCK_PERM_ALL;
    bs->locking = args->locking;
    bs->force_share = args->force_share;
    pthread_mutex_init(&bs->lock, NULL);
    return bs;
}

/* What a node asks of its image file: raw passes its user's permissions through; other
 * formats read (and write and resize their file when writable) and let nobody else write
 * or resize it, as QEMU's format drivers do. -U (force_share) denies nothing. */
static void node_file_perms(const BlockDriverState *bs, unsigned *perm, unsigned *shared)
{
    if (!strcmp(bs->drv->format_name, "raw")) {
        *perm = bs->user_perm;
        *shared = bs->user_shared;
    } else {
        *perm = BLOCK_PERM_CONSISTENT_READ |
                (bs->read_only ? 0 : BLOCK_PERM_WRITE | BLOCK_PERM_RESIZE);
        *shared = BLOCK_PERM_ALL & ~(BLOCK_PERM_WRITE | BLOCK_PERM_RESIZE);
    }
    if (bs->force_share) {
        *shared = BLOCK_PERM_ALL;
    }
}

int block_node_lock_file(BlockDriverState *bs, BlockFile *f, Error **errp)
{
    unsigned perm, shared;

    node_file_perms(bs, &perm, &shared);
    return block_file_set_perm(f, bs->locking, perm, shared, errp);
}

int block_set_perm(BlockDriverState *bs, unsigned perm, unsigned shared, Error **errp)
{
    unsigned old_perm = bs->user_perm, old_shared = bs->user_shared;

    bs->user_perm = perm;
    bs->user_shared = shared;
    if (block_node_lock_file(bs, bs->file, errp) < 0) {
        bs->user_perm = old_perm;
        bs->user_shared = old_shared;
        block_node_lock_file(bs, bs->file, NULL);
        return -1;
    }
    return 0;
}

void block_release_locks(BlockDriverState *bs)
{
    for (; bs; bs = bs->backing) {
        block_file_release_locks(bs->file);
        if (bs->drv->release_locks) {
            bs->drv->release_locks(bs);
        }
    }
}

static void node_free(BlockDriverState *bs)
{
    block_file_close(bs->file);
    pthread_mutex_destroy(&bs->lock);
    free(bs->opaque);
    free(bs->filename);
    free(bs->format);
    free(bs->backing_file);
    free(bs->backing_format);
    free(bs->full_backing_filename);
    free(bs);
}

static const BlockDriver *choose_driver(BlockFile *f, const char *format, Error **errp)
{
    if (!format) {
        return probe_file(f, errp);
    }
    const BlockDriver *drv = block_driver_find(format);
    if (!drv) {
        error_setg(errp, "Unknown driver '%s'", format);
    }
    return drv;
}

static BlockDriverState *open_node(const char *filename, const OpenArgs *args, ChainIds *ids,
                                   Error **errp)
{
    BlockFile *f;
    if (block_file_open(filename, args->read_only, args->cache, &f, errp) < 0) {
        return NULL;
    }
    if (chain_add(ids, f, errp) < 0) {
        block_file_close(f);
        return NULL;
    }
    const BlockDriver *drv = choose_driver(f, args->format, errp);
    if (!drv) {
        block_file_close(f);
        return NULL;
    }
    BlockDriverState *bs = node_new(f, filename, drv, args);
    if (block_node_lock_file(bs, f, errp) < 0) {
        error_prepend(errp, "Could not open '%s': ", filename);
        node_free(bs);
        return NULL;
    }
    if (drv->open(bs, errp) < 0) {
        node_free(bs);
        return NULL;
    }
    /* As qemu-img: a read-only image has no first sector to guard, so no warning. */
    if (bs->probed && !strcmp(drv->format_name, "raw") && args->depth == 0 &&
        !args->read_only) {
        warn_probed_raw(bs);
    }
    if (bs->backing_file && open_backing(bs, args, ids, errp) < 0) {
        block_close(bs);
        return NULL;
    }
    return bs;
}

/* -snapshot: a qcow2 overlay in $TMPDIR over the (read-only) image, unlinked at once so
 * that it disappears when closed or when the process exits. */
static BlockDriverState *open_with_overlay(BlockDriverState *base, BlockCacheMode cache,
                                           Error **errp)
{
    const char *tmpdir = getenv("TMPDIR");
    char *path = xasprintf("%s/mimic-snapshot-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(path);
    BlockDriverState *top = NULL;
    if (fd < 0) {
        error_setg_errno(errp, errno, "cannot create temporary overlay '%s'", path);
        goto out;
    }
    close(fd);
    char *abs_base = realpath(base->filename, NULL);
    BlockCreateOptions copts = {
        .size = (uint64_t)block_length(base),
        .backing_file = abs_base ? abs_base : base->filename,
        .backing_fmt = base->format,
    };
    int ret = block_create("qcow2", path, &copts, errp);
    free(abs_base);
    if (ret == 0) {
        BlockOpenOptions o = { .format = "qcow2", .cache = cache == BLOCK_CACHE_UNSAFE ?
                               BLOCK_CACHE_UNSAFE : BLOCK_CACHE_WRITEBACK, .no_backing = true };
        top = block_open(path, &o, errp);
    }
    unlink(path);
    if (top) {
        block_set_backing(top, base);
        base = NULL;
    }
out:
    if (base) {
        block_close(base);
    }
    free(path);
    return top;
}

BlockDriverState *block_open(const char *filename, const BlockOpenOptions *opts,
                             Error **errp)
{
    BlockOpenOptions defaults = { 0 };
    if (!opts) {
        opts = &defaults;
    }
    OpenArgs args = {
        .format = opts->format, .read_only = opts->read_only || opts->snapshot,
        .no_backing = opts->no_backing, .check = opts->check, .cache = opts->cache,
        .resize = opts->resize, .force_share = opts->force_share, .locking = opts->locking,
    };
    if (opts->force_share && !args.read_only) {
        error_setg(errp, "force-share=on can only be used with read-only images");
        return NULL;
    }
    ChainIds ids = { 0 };
    BlockDriverState *bs = open_node(filename, &args, &ids, errp);
    if (bs && opts->snapshot) {
        bs = open_with_overlay(bs, opts->cache, errp);
    }
    return bs;
}

void block_close(BlockDriverState *bs)
{
    if (!bs) {
        return;
    }
    pthread_mutex_lock(&bs->lock);
    if (bs->drv->close) {
        bs->drv->close(bs);
    }
    pthread_mutex_unlock(&bs->lock);
    block_close(bs->backing);
    node_free(bs);
}

void block_set_backing(BlockDriverState *bs, BlockDriverState *backing)
{
    if (bs->backing && bs->backing != backing) {
        block_close(bs->backing);
    }
    bs->backing = backing;
    if (backing) {
        backing->depth = bs->depth + 1;
    }
}

BlockDriverState *block_get_backing(BlockDriverState *bs)
{
    return bs->backing;
}

const char *block_get_filename(BlockDriverState *bs)
{
    return bs->filename;
}

const char *block_get_format(BlockDriverState *bs)
{
    return bs->format;
}

bool block_is_read_only(BlockDriverState *bs)
{
    return bs->read_only;
}

static const char *const cache_names[] = {
    [BLOCK_CACHE_WRITEBACK] = "writeback",
    [BLOCK_CACHE_WRITETHROUGH] = "writethrough",
    [BLOCK_CACHE_NONE] = "none",
    [BLOCK_CACHE_DIRECTSYNC] = "directsync",
    [BLOCK_CACHE_UNSAFE] = "unsafe",
};

int block_cache_mode_parse(const char *name, BlockCacheMode *out, Error **errp)
{
    for (size_t i = 0; i < ARRAY_SIZE(cache_names); i++) {
        if (!strcmp(name, cache_names[i])) {
            *out = (BlockCacheMode)i;
            return 0;
        }
    }
    error_setg(errp, "invalid cache mode '%s' (writeback, writethrough, none, directsync, "
               "unsafe)", name);
    return -1;
}

const char *block_cache_mode_name(BlockCacheMode mode)
{
    return (size_t)mode < ARRAY_SIZE(cache_names) ? cache_names[mode] : "?";
}

static const char *const prealloc_names[] = {
    [BLOCK_PREALLOC_OFF] = "off",
    [BLOCK_PREALLOC_METADATA] = "metadata",
    [BLOCK_PREALLOC_FALLOC] = "falloc",
    [BLOCK_PREALLOC_FULL] = "full",
};

int block_prealloc_parse(const char *name, BlockPrealloc *out, Error **errp)
{
    for (size_t i = 0; i < ARRAY_SIZE(prealloc_names); i++) {
        if (!strcmp(name, prealloc_names[i])) {
            *out = (BlockPrealloc)i;
            return 0;
        }
    }
    error_setg(errp, "invalid preallocation mode '%s' (off, metadata, falloc, full)", name);
    return -1;
}

const char *block_prealloc_name(BlockPrealloc p)
{
    return (size_t)p < ARRAY_SIZE(prealloc_names) ? prealloc_names[p] : "?";
}

int block_parse_compat(const char *compat)
{
    if (!strcmp(compat, "0.10") || !strcmp(compat, "v2")) {
        return 2;
    }
    if (!strcmp(compat, "1.1") || !strcmp(compat, "v3")) {
        return 3;
    }
    return -1;
}
