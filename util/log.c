/* The -d log categories and the -D log file. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "util/cutils.h"
#include "util/error.h"
#include "util/log.h"

unsigned log_mask;
static FILE *log_out;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct {
    const char *name;
    unsigned mask;
    const char *help;
} categories[] = {
    { "guest_errors", LOG_GUEST_ERROR, "guest accesses that the hardware defines as invalid" },
    { "unimp", LOG_UNIMP, "features the guest used that Mimic does not model" },
    { "in_asm", LOG_IN_ASM, "guest code of each translated block" },
    { "op", LOG_OP, "IR of each block before optimization" },
    { "op_opt", LOG_OP_OPT, "IR of each block after optimization" },
    { "out_asm", LOG_OUT_ASM, "generated host code" },
    { "int", LOG_INT, "interrupts and exceptions" },
    { "exec", LOG_EXEC, "every translated block as it runs" },
    { "cpu", LOG_CPU, "CPU registers before each block runs" },
    { "mmu", LOG_MMU, "page table walks and TLB fills" },
    { "ioport", LOG_IOPORT, "port I/O and MMIO accesses" },
    { "cpu_reset", LOG_CPU_RESET, "CPU resets: the cause (and for a triple fault the "
      "chain of exceptions)" },
};

int log_parse_categories(const char *spec, unsigned *mask)
{
    char *copy = xstrdup(spec), *save = NULL;
    unsigned result = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t i;
        if (!strcmp(tok, "all")) {
            result = ~0u;
            continue;
        }
        for (i = 0; i < ARRAY_SIZE(categories); i++) {
            if (!strcmp(tok, categories[i].name)) {
                result |= categories[i].mask;
                break;
            }
        }
        if (i == ARRAY_SIZE(categories)) {
            error_report("-d: unknown log category '%s' (try -d help)", tok);
            free(copy);
            return -1;
        }
    }
    free(copy);
    *mask = result;
    return 0;
}

void log_print_categories(FILE *out)
{
    fprintf(out, "Log categories for -d (comma separated, or 'all'):\n");
    for (size_t i = 0; i < ARRAY_SIZE(categories); i++) {
        fprintf(out, "  %-13s %s\n", categories[i].name, categories[i].help);
    }
}

int log_set_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        error_report("-D %s: cannot open the log file: %m", path);
        return -1;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    if (log_out && log_out != stderr) {
        fclose(log_out);
    }
    log_out = f;
    return 0;
}

FILE *log_file(void)
{
    return log_out ? log_out : stderr;
}

static void log_vprintf(const char *fmt, va_list ap)
{
    pthread_mutex_lock(&log_lock);
    vfprintf(log_file(), fmt, ap);
    pthread_mutex_unlock(&log_lock);
}

void log_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vprintf(fmt, ap);
    va_end(ap);
}

void log_category_printf(unsigned category, const char *fmt, ...)
{
    va_list ap;
    if (!log_enabled(category)) {
        return;
    }
    va_start(ap, fmt);
    log_vprintf(fmt, ap);
    va_end(ap);
}

void log_flush(void)
{
    fflush(log_file());
}
