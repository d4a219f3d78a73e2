/* The -d log categories (QEMU 7.2's names; those that only mean something in user-mode
 * emulation or with plugins are accepted and do nothing, as in QEMU's system emulators)
 * and the log output. Files: util/log-file.c; -dfilter: util/log-filter.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "util/cutils.h"
#include "util/error.h"
#include "util/log.h"

unsigned log_mask;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct {
    const char *name;
    unsigned mask;
    const char *help;
} categories[] = {
    { "out_asm", LOG_OUT_ASM, "show generated host assembly code for each compiled TB" },
    { "in_asm", LOG_IN_ASM, "show target assembly code for each compiled TB" },
    { "op", LOG_OP, "show micro ops for each compiled TB" },
    { "op_opt", LOG_OP_OPT, "show micro ops after optimization" },
    { "op_ind", LOG_OP, "show micro ops before indirect lowering (Mimic: as op)" },
    { "int", LOG_INT, "show interrupts/exceptions in short format" },
    { "exec", LOG_EXEC, "show trace before each executed TB (lots of logs)" },
    { "cpu", LOG_CPU, "show CPU registers before entering a TB (lots of logs)" },
    { "fpu", LOG_FPU, "include FPU registers in the 'cpu' logging" },
    { "mmu", LOG_MMU, "log MMU-related activities" },
    { "pcall", LOG_PCALL, "x86 only: show protected mode far calls/returns/exceptions" },
    { "cpu_reset", LOG_CPU_RESET, "show CPU state before CPU resets (a triple fault: the "
      "chain of exceptions)" },
    { "unimp", LOG_UNIMP, "log unimplemented functionality" },
    { "guest_errors", LOG_GUEST_ERROR, "log when the guest OS does something invalid" },
    { "page", 0, "dump pages at beginning of user mode emulation (no effect here)" },
    { "nochain", LOG_NOCHAIN, "do not chain compiled TBs so that \"exec\" and \"cpu\" show "
      "complete traces" },
    { "plugin", 0, "output from TCG plugins (Mimic has none)" },
    { "strace", 0, "log every user-mode syscall (no effect here)" },
    { "tid", LOG_TID, "open a separate log file per thread; filename must contain '%d'" },
    { "ioport", LOG_IOPORT, "port I/O and MMIO accesses (Mimic)" },
};

static int log_find_category(const char *tok, unsigned *mask)
{
    for (size_t i = 0; i < ARRAY_SIZE(categories); i++) {
        if (!strcmp(tok, categories[i].name)) {
            *mask |= categories[i].mask;
            return 0;
        }
    }
    if (!strncmp(tok, "trace:", 6)) {
        error_report("-d %s: trace events are not supported", tok);
    } else {
        error_report("-d: unknown log category '%s' (try -d help)", tok);
    }
    return -1;
}

int log_parse_categories(const char *spec, unsigned *mask)
{
    char *copy = xstrdup(spec), *save = NULL;
    unsigned result = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strcmp(tok, "all")) {
            result = ~(unsigned)(LOG_TID | LOG_NOCHAIN);
        } else if (log_find_category(tok, &result) < 0) {
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
    fprintf(out, "Log items (comma separated):\n");
    for (size_t i = 0; i < ARRAY_SIZE(categories); i++) {
        fprintf(out, "%-15s %s\n", categories[i].name, categories[i].help);
    }
    fprintf(out, "all             everything but tid and nochain\n");
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
