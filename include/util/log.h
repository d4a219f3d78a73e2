/* Logging for debugging a guest: the -d categories (QEMU's names), -dfilter address
 * ranges and the -D log file (per thread with -d tid). docs/gdbstub.md "Logs". */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include <stdbool.h>
#include <stdint.h>
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
    LOG_FPU         = 1u << 12, /* with LOG_CPU: the FPU/vector registers too */
    LOG_PCALL       = 1u << 13, /* x86: protected-mode far calls and returns */
    LOG_NOCHAIN     = 1u << 14, /* do not chain TBs (exec and cpu show every TB) */
    LOG_TID         = 1u << 15, /* one log file per thread (-D name with %d) */
};
/* What -dfilter restricts: output about the guest code of one TB. */
#define LOG_TB_FILTERED (LOG_IN_ASM | LOG_OP | LOG_OP_OPT | LOG_OUT_ASM | LOG_EXEC | LOG_CPU)

/* Set of enabled categories; a registry-like global read on hot paths. */
extern unsigned log_mask;
/* Categories muted on this thread by -dfilter for the TB being logged. */
extern __thread unsigned log_thread_mask_off;
static inline bool log_enabled(unsigned category)
{
    return (log_mask & ~log_thread_mask_off & category) != 0;
}
/* Parses "cat1,cat2" (or "help"); returns the mask or -1 after reporting the bad name. */
int log_parse_categories(const char *spec, unsigned *mask);
void log_print_categories(FILE *out);
/* -dfilter RANGE,...: START..END (inclusive), START+LEN, START-LEN (ending at START);
 * -1 after reporting a bad range. */
int log_parse_dfilter(const char *spec);
/* Is addr inside a -dfilter range? (true without -dfilter) */
bool log_in_filter(uint64_t addr);
/* Output about the guest code at pc follows on this thread: the TB categories are muted
 * when pc is outside the -dfilter ranges. */
void log_filter_pc(uint64_t pc);
/* Redirects the log to path ("-D"); "%d" in it is the process id, or with -d tid the
 * vCPU index (other threads: their thread id), one file each. -1 after reporting. Call
 * after the categories are set. */
int log_set_file(const char *path);
/* -d tid: the calling thread runs vCPU index (its file is named after it). */
void log_set_thread_index(int index);
FILE *log_file(void);
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_category_printf(unsigned category, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_flush(void);

#endif
