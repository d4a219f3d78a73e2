/* Small string and number helpers shared by the command line, properties and tools. */
#ifndef UTIL_CUTILS_H
#define UTIL_CUTILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ROUND_UP(n, d) (((n) + (d) - 1) / (d) * (d))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/* Whole number, decimal or 0x hex, no trailing garbage; -1 on error. */
int parse_uint64(const char *s, uint64_t *out);
int parse_int64(const char *s, int64_t *out);
/* Size with optional suffix k/K, M, G, T, P, E (powers of 1024) or B; a bare number is
 * taken in units of default_unit (1 for bytes, 1 << 20 for -m). -1 on error or overflow. */
int parse_size(const char *s, uint64_t default_unit, uint64_t *out);
/* on/off, yes/no, true/false, 1/0. */
int parse_bool(const char *s, bool *out);
/* Formats 1536 as "1.5 KiB" into buf. */
const char *format_size(uint64_t bytes, char *buf, size_t len);

void *xmalloc(size_t n);
void *xzalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
