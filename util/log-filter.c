/* -dfilter: the guest address ranges the TB logs (in_asm, op, op_opt, out_asm, exec,
 * cpu) are restricted to, in QEMU's syntax: START..END, START+LEN, START-LEN. */
#include <stdlib.h>
#include <string.h>
#include "util/cutils.h"
#include "util/error.h"
#include "util/log.h"

#define LOG_MAX_RANGES 32

typedef struct LogRange {
    uint64_t first, last;       /* inclusive */
} LogRange;

static LogRange ranges[LOG_MAX_RANGES];
static int nb_ranges;
__thread unsigned log_thread_mask_off;

/* One range; false if it does not parse. */
static bool parse_range(const char *s, LogRange *r)
{
    char *end;
    uint64_t a = strtoull(s, &end, 0), b;
    if (end == s) {
        return false;
    }
    char op = *end;
    const char *rest = end + (op == '.' ? 2 : 1);
    if ((op == '.' && end[1] != '.') || (op != '.' && op != '+' && op != '-')) {
        return false;
    }
    b = strtoull(rest, &end, 0);
    if (end == rest || *end) {
        return false;
    }
    if (op == '.') {
        *r = (LogRange){ a, b };
    } else if (op == '+') {
        *r = (LogRange){ a, a + b - 1 };
    } else {
        *r = (LogRange){ a - b + 1, a };
    }
    return (op == '.' || b > 0) && r->first <= r->last;
}

int log_parse_dfilter(const char *spec)
{
    char *copy = xstrdup(spec), *save = NULL;
    int n = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (n == LOG_MAX_RANGES || !parse_range(tok, &ranges[n])) {
            error_report("-dfilter %s: bad range '%s' (START..END, START+LEN or START-LEN; "
                         "at most %d)", spec, tok, LOG_MAX_RANGES);
            free(copy);
            return -1;
        }
        n++;
    }
    free(copy);
    nb_ranges = n;
    return 0;
}

bool log_in_filter(uint64_t addr)
{
    if (nb_ranges == 0) {
        return true;
    }
    for (int i = 0; i < nb_ranges; i++) {
        if (addr >= ranges[i].first && addr <= ranges[i].last) {
            return true;
        }
    }
    return false;
}

void log_filter_pc(uint64_t pc)
{
    if (nb_ranges) {
        log_thread_mask_off = log_in_filter(pc) ? 0 : LOG_TB_FILTERED;
    }
}
