/* Number, size and boolean parsing; allocation that aborts on exhaustion. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/cutils.h"

int parse_uint64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (!s || !*s || *s == '-' || isspace((unsigned char)*s)) {
        return -1;
    }
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || *end) {
        return -1;
    }
    *out = v;
    return 0;
}

int parse_int64(const char *s, int64_t *out)
{
    char *end;
    long long v;
    if (!s || !*s || isspace((unsigned char)*s)) {
        return -1;
    }
    errno = 0;
    v = strtoll(s, &end, 0);
    if (errno || *end) {
        return -1;
    }
    *out = v;
    return 0;
}

static int suffix_shift(char c)
{
    switch (c) {
    case 'b': case 'B': return 0;
    case 'k': case 'K': return 10;
    case 'm': case 'M': return 20;
    case 'g': case 'G': return 30;
    case 't': case 'T': return 40;
    case 'p': case 'P': return 50;
    case 'e': case 'E': return 60;
    default: return -1;
    }
}

int parse_size(const char *s, uint64_t default_unit, uint64_t *out)
{
    char *end;
    double frac;
    unsigned long long whole;
    uint64_t unit = default_unit;
    int shift;

    if (!s || !isdigit((unsigned char)*s)) {
        return -1;
    }
    errno = 0;
    /* "0x100" is hexadecimal, as QEMU's size parser takes it (no fraction then) */
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    whole = strtoull(s, &end, hex ? 16 : 10);
    if (errno || (hex && end == s + 2)) {
        return -1;
    }
    frac = 0;
    if (*end == '.' && !hex) {
        /* "1.5G": a fraction is only meaningful with a suffix */
        char *fend;
        frac = strtod(end, &fend);
        if (fend == end + 1) {
            return -1;
        }
        end = fend;
    }
    if (*end) {
        shift = suffix_shift(*end);
        if (shift < 0 || end[1] != '\0') {
            return -1;
        }
        unit = 1ULL << shift;
    } else if (frac != 0) {
        return -1;
    }
    if (unit && whole > UINT64_MAX / unit) {
        return -1;
    }
    *out = whole * unit + (uint64_t)(frac * (double)unit);
    return 0;
}

int parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = { "on", "yes", "true", "1" };
    static const char *const no[] = { "off", "no", "false", "0" };
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (s && !strcmp(s, yes[i])) {
            *out = true;
            return 0;
        }
        if (s && !strcmp(s, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

const char *format_size(uint64_t bytes, char *buf, size_t len)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double v = (double)bytes;
    size_t i = 0;
    while (v >= 1024 && i + 1 < ARRAY_SIZE(units)) {
        v /= 1024;
        i++;
    }
    if (i == 0) {
        snprintf(buf, len, "%llu B", (unsigned long long)bytes);
    } else {
        snprintf(buf, len, "%.3g %s", v, units[i]);
    }
    return buf;
}

static void *check_alloc(void *p)
{
    if (!p) {
        fprintf(stderr, "mimic: out of memory\n");
        abort();
    }
    return p;
}

void *xmalloc(size_t n)
{
    return check_alloc(malloc(n ? n : 1));
}

void *xzalloc(size_t n)
{
    return check_alloc(calloc(1, n ? n : 1));
}

void *xrealloc(void *p, size_t n)
{
    return check_alloc(realloc(p, n ? n : 1));
}

char *xstrdup(const char *s)
{
    return check_alloc(strdup(s));
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0) {
        s = NULL;
    }
    va_end(ap);
    return check_alloc(s);
}
