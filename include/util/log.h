/* Logging for debugging a guest: the -d categories and the -D log file. */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum {
    LOG_GUEST_ERROR = 1u << 0,  /* guest did something the hardware says is invalid */
    LOG_UNIMP       = 1u << 1,  /* guest used a feature Mimic does not model yet */
    LOG_IN_ASM      = 1u << 2,  /* guest code of each new translation block */
    LOG_OP          = 1u << 3,  /* IR before optimization */
    LOG_OP_OPT      = 1u << 4,  /* IR after optimization */
    LOG_OUT_ASM     = 1u << 5,  /* generated host code */
    LOG_INT         = 1u << 6,  /* interrupts and exceptions */
    LOG_EXEC        = 1u << 7,  /* every translation block executed */
    LOG_CPU         = 1u << 8,  /* CPU state before each translation block */
    LOG_MMU         = 1u << 9,  /* page walks and TLB fills */
    LOG_IOPORT      = 1u << 10, /* port I/O and MMIO accesses */
    LOG_CPU_RESET   = 1u << 11, /* CPU resets, their cause and the exception chain */
};

/* Set of enabled categories; a registry-like global read on hot paths. */
extern unsigned log_mask;

static inline bool log_enabled(unsigned category)
{
    return (log_mask & category) != 0;
}

/* Parses "cat1,cat2" (or "help"); returns the mask or -1 after reporting the bad name. */
int log_parse_categories(const char *spec, unsigned *mask);
void log_print_categories(FILE *out);
/* Redirects the log to path ("-D"); returns -1 after reporting if it cannot be opened. */
int log_set_file(const char *path);
FILE *log_file(void);
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_category_printf(unsigned category, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_flush(void);

#endif
