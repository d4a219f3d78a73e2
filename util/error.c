/* Error objects and one-line reports on stderr ("progname: message"). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include "util/cutils.h"
#include "util/error.h"

struct Error {
    char *msg;
};

static const char *progname = "mimic";

void error_set_progname(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    progname = slash ? slash + 1 : argv0;
}

const char *error_get_progname(void)
{
    return progname;
}

static char *vformat(const char *fmt, va_list ap)
{
    char *s;
    if (vasprintf(&s, fmt, ap) < 0) {
        abort();
    }
    return s;
}

void error_setg(Error **errp, const char *fmt, ...)
{
    va_list ap;
    if (!errp || *errp) {
        return;
    }
    va_start(ap, fmt);
    *errp = xzalloc(sizeof(Error));
    (*errp)->msg = vformat(fmt, ap);
    va_end(ap);
}

void error_setg_errno(Error **errp, int errnum, const char *fmt, ...)
{
    va_list ap;
    char *msg;
    if (!errp || *errp) {
        return;
    }
    va_start(ap, fmt);
    msg = vformat(fmt, ap);
    va_end(ap);
    error_setg(errp, "%s: %s", msg, strerror(errnum));
    free(msg);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    va_list ap;
    char *prefix, *joined;
    if (!errp || !*errp) {
        return;
    }
    va_start(ap, fmt);
    prefix = vformat(fmt, ap);
    va_end(ap);
    joined = xasprintf("%s%s", prefix, (*errp)->msg);
    free(prefix);
    free((*errp)->msg);
    (*errp)->msg = joined;
}

void error_propagate(Error **dst, Error *src)
{
    if (!src) {
        return;
    }
    if (dst && !*dst) {
        *dst = src;
    } else {
        error_free(src);
    }
}

const char *error_get_message(const Error *err)
{
    return err->msg;
}

void error_free(Error *err)
{
    if (err) {
        free(err->msg);
        free(err);
    }
}

void error_report_err(Error *err)
{
    if (err) {
        error_report("%s", err->msg);
        error_free(err);
    }
}

static bool with_timestamp;
static const char *guest_name_prefix;

void error_set_message_prefixes(bool timestamp, const char *guest_name)
{
    with_timestamp = timestamp;
    guest_name_prefix = guest_name;
}

/* -msg timestamp=on,guest-name=on: "2026-12-06T18:00:00.123456Z NAME progname: ..." */
static void print_prefixes(void)
{
    if (with_timestamp) {
        struct timespec ts;
        struct tm tm;
        char buf[32];
        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
        fprintf(stderr, "%s.%06ldZ ", buf, ts.tv_nsec / 1000);
    }
    if (guest_name_prefix) {
        fprintf(stderr, "%s ", guest_name_prefix);
    }
}

void error_report(const char *fmt, ...)
{
    va_list ap;
    print_prefixes();
    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;
    print_prefixes();
    fprintf(stderr, "%s: warning: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
