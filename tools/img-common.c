/* mimic-img shared helpers: help texts, qemu-img's size and progress spelling, opening
 * images with one error report, zero detection. docs/mimic-img.md */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "tools/img-common.h"
#include "util/cutils.h"
#include "util/error.h"

static void print_format_name(const char *name, void *opaque)
{
    fprintf((FILE *)opaque, " %s", name);
}

void img_print_formats(FILE *out)
{
    fputs("Supported formats:", out);
    block_driver_foreach(print_format_name, out);
    fputc('\n', out);
}

void img_print_command_help(const ImgCommand *cmd, FILE *out)
{
    fprintf(out, "usage: mimic-img %s %s\n\n%s\n", cmd->name, cmd->synopsis, cmd->help);
    img_print_formats(out);
}

int img_usage_error(const ImgCommand *cmd, const char *fmt, ...)
{
    va_list ap;
    char *msg;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0) {
        msg = NULL;
    }
    va_end(ap);
    error_report("%s (try 'mimic-img %s --help')", msg ? msg : "usage error", cmd->name);
    free(msg);
    return 1;
}

/* qemu-img switches unit once the value reaches 1000 of the current one (0.977 KiB...). */
const char *img_size_to_str(uint64_t bytes, char *buf, size_t len)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    int exp = 0;
    if (bytes == 0) {
        snprintf(buf, len, "0 B");
        return buf;
    }
    frexp((double)bytes / (1000.0 / 1024.0), &exp);
    int i = (exp - 1) / 10;
    if (i < 0) {
        i = 0;
    }
    if (i >= (int)ARRAY_SIZE(units)) {
        i = ARRAY_SIZE(units) - 1;
    }
    snprintf(buf, len, "%0.3g %s", (double)bytes / (double)(1ULL << (i * 10)), units[i]);
    return buf;
}

int img_parse_size(const char *s, uint64_t *out)
{
    if (parse_size(s, 1, out) < 0) {
        error_report("Invalid image size specified: '%s' (a number with an optional k, M, "
                     "G, T, P or E suffix)", s);
        return -1;
    }
    return 0;
}

int img_parse_output(const char *s, bool *json)
{
    if (!strcmp(s, "json")) {
        *json = true;
    } else if (!strcmp(s, "human")) {
        *json = false;
    } else {
        error_report("--output must be used with human or json as argument, not '%s'", s);
        return -1;
    }
    return 0;
}

int img_check_format(const char *format)
{
    if (format && !block_driver_find(format)) {
        error_report("Unknown file format '%s'", format);
        return -1;
    }
    return 0;
}

bool img_force_share;

BlockDriverState *img_open(const char *filename, const ImgOpen *how)
{
    BlockOpenOptions opts = {
        .format = how->format,
        .read_only = !how->writable,
        .resize = how->resize,
        .force_share = img_force_share && !how->writable,
        .no_backing = how->no_backing,
        .check = how->check,
    };
    Error *err = NULL;
    if (img_check_format(how->format) < 0) {
        return NULL;
    }
    if (how->cache && block_cache_mode_parse(how->cache, &opts.cache, &err) < 0) {
        error_report_err(err);
        return NULL;
    }
    BlockDriverState *bs = block_open(filename, &opts, &err);
    if (!bs) {
        error_report_err(err);
    }
    return bs;
}

void img_progress_update(ImgProgress *p, uint64_t done, uint64_t total)
{
    if (!p->enabled) {
        return;
    }
    double pct = total ? (double)done * 100.0 / (double)total : 100.0;
    if (pct - p->last >= 1.0 || pct >= 100.0 || p->last < 0) {
        printf("    (%.2f/100%%)\r", pct);
        fflush(stdout);
        p->last = pct;
    }
}

void img_progress_end(ImgProgress *p)
{
    if (p->enabled) {
        printf(p->last >= 100.0 ? "\n" : "    (100.00/100%%)\n");
        fflush(stdout);
    }
}

bool img_buffer_is_zero(const void *buf, size_t len)
{
    const uint8_t *p = buf;
    size_t i = 0;
    /* Byte prefix up to 8-byte alignment, then words, then the tail. */
    while (i < len && ((uintptr_t)(p + i) & 7)) {
        if (p[i++]) {
            return false;
        }
    }
    for (; i + 32 <= len; i += 32) {
        typedef uint64_t __attribute__((may_alias)) word64;
        const word64 *w = (const word64 *)(p + i);
        if (w[0] | w[1] | w[2] | w[3]) {
            return false;
        }
    }
    for (; i < len; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

size_t img_zero_run(const uint8_t *buf, size_t len, size_t unit, bool *is_zero)
{
    size_t n = MIN(unit, len);
    *is_zero = img_buffer_is_zero(buf, n);
    while (n < len) {
        size_t step = MIN(unit, len - n);
        if (img_buffer_is_zero(buf + n, step) != *is_zero) {
            break;
        }
        n += step;
    }
    return n;
}

void *img_alloc_buffer(size_t len)
{
    void *p = NULL;
    if (posix_memalign(&p, 4096, len ? len : 1) != 0) {
        fprintf(stderr, "mimic-img: out of memory\n");
        abort();
    }
    return p;
}

char *img_resolve_backing(const char *image, const char *backing)
{
    if (backing[0] == '/' || !strchr(image, '/')) {
        return xstrdup(backing);
    }
    char *copy = xstrdup(image);
    char *res = xasprintf("%s/%s", dirname(copy), backing);
    free(copy);
    return res;
}
