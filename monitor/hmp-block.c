/* HMP block commands (QEMU 7.2's output and syntax): info block, change, eject [-f],
 * commit, block_resize. They act on -drive ids through system/drive-control.c. */
#include <stdlib.h>
#include <string.h>
#include "monitor/monitor.h"
#include "system/drive.h"
#include "util/cutils.h"

/* Splits args into at most max words (modified in place); returns the count. */
static int split_words(char *args, char **words, int max)
{
    int n = 0;

    for (char *p = strtok(args, " \t"); p && n < max; p = strtok(NULL, " \t")) {
        words[n++] = p;
    }
    return n;
}

static void report(FILE *out, Error *err)
{
    if (err) {
        fprintf(out, "%s\n", error_get_message(err));
        error_free(err);
    }
}

static const char *cache_mode_text(BlockCacheMode mode)
{
    return mode == BLOCK_CACHE_NONE ? "writeback, direct" :
           mode == BLOCK_CACHE_DIRECTSYNC ? "writethrough, direct" :
           mode == BLOCK_CACHE_UNSAFE ? "writeback, ignore flushes" : block_cache_mode_name(mode);
}

static int chain_depth(BlockDriverState *bs)
{
    int depth = 0;

    for (bs = block_get_backing(bs); bs; bs = block_get_backing(bs)) {
        depth++;
    }
    return depth;
}

static void info_block_one(DriveInfo *d, void *opaque)
{
    FILE *out = opaque;
    BlockImageInfo info;

    if (!d->bs) {
        fprintf(out, "%s: [not inserted]\n", d->id);
    } else {
        fprintf(out, "%s: %s (%s%s)\n", d->id, d->filename, block_get_format(d->bs),
                block_is_read_only(d->bs) ? ", read-only" : "");
    }
    if (d->claimed_by) {
        fprintf(out, "    Attached to:      %s\n", d->claimed_by);
    }
    if (d->dev_ops && d->dev_ops->change_medium) {
        fprintf(out, "    Removable device: %slocked, tray %s\n", drive_is_locked(d) ? "" : "not ",
                drive_tray_open(d) ? "open" : "closed");
    }
    if (d->bs) {
        fprintf(out, "    Cache mode:       %s\n", cache_mode_text(d->opts.cache));
    }
    if (d->bs && block_get_info(d->bs, &info) == 0 && info.backing_filename) {
        fprintf(out, "    Backing file:     %s (chain depth: %d)\n", info.backing_filename,
                chain_depth(d->bs));
    }
    fprintf(out, "\n");
}

static void hmp_info_block(FILE *out, const char *args)
{
    drive_foreach(info_block_one, out);
}

static void hmp_change(FILE *out, const char *args)
{
    char *copy = xstrdup(args), *w[4];
    int n = split_words(copy, w, 4);
    Error *err = NULL;

    if (n < 2) {
        fprintf(out, "change: usage: change device filename [format [read-only-mode]]\n");
    } else if (n == 4 && strcmp(w[3], "retain")) {
        fprintf(out, "change: read-only-mode '%s' is not supported (only 'retain')\n", w[3]);
    } else {
        drive_change_medium(w[0], w[1], n >= 3 ? w[2] : NULL, false, &err);
        report(out, err);
    }
    free(copy);
}

static void hmp_eject(FILE *out, const char *args)
{
    char *copy = xstrdup(args), *w[2];
    int n = split_words(copy, w, 2);
    bool force = n == 2 && !strcmp(w[0], "-f");
    Error *err = NULL;

    if (n < 1 || (n == 2 && !force)) {
        fprintf(out, "eject: usage: eject [-f] device\n");
    } else {
        drive_eject(w[n - 1], force, &err);
        report(out, err);
    }
    free(copy);
}

static void hmp_commit(FILE *out, const char *args)
{
    char *copy = xstrdup(args), *w[1];
    Error *err = NULL;

    if (split_words(copy, w, 1) != 1) {
        fprintf(out, "commit: usage: commit device|all\n");
    } else {
        drive_commit(w[0], &err);
        report(out, err);
    }
    free(copy);
}

static void hmp_block_resize(FILE *out, const char *args)
{
    char *copy = xstrdup(args), *w[2];
    uint64_t size;
    Error *err = NULL;

    if (split_words(copy, w, 2) != 2 || parse_size(w[1], 1, &size) < 0) {
        fprintf(out, "block_resize: usage: block_resize device size (e.g. 2G)\n");
    } else {
        drive_resize(w[0], size, &err);
        report(out, err);
    }
    free(copy);
}

static void __attribute__((constructor)) hmp_block_register(void)
{
    monitor_register_info("block", "show the block devices", hmp_info_block);
    monitor_register_command("change", "device filename [format [read-only-mode]]",
                             "change a removable medium", hmp_change);
    monitor_register_command("eject", "[-f] device", "eject a removable medium (use -f to "
                             "force it)", hmp_eject);
    monitor_register_command("commit", "device|all", "commit changes to the disk images "
                             "(with -snapshot) or backing files", hmp_commit);
    monitor_register_command("block_resize", "device size", "resize a block image",
                             hmp_block_resize);
}
