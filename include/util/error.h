/* Error objects passed up to the caller that understands them, and reported once. */
#ifndef UTIL_ERROR_H
#define UTIL_ERROR_H

#include <stdbool.h>
#include <stdio.h>

typedef struct Error Error;

/* Fills *errp with a new error (if errp is not NULL and *errp is still empty). */
void error_setg(Error **errp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, appending ": strerror(errnum)". */
void error_setg_errno(Error **errp, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes an existing error message with more context. */
void error_prepend(Error **errp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void error_propagate(Error **dst, Error *src);
const char *error_get_message(const Error *err);
void error_free(Error *err);
/* Prints "progname: message" to stderr and frees the error. */
void error_report_err(Error *err);

/* Direct reports, "progname: message" on stderr. */
void error_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* -msg: prefix reports with an ISO 8601 UTC time and/or the guest name (NULL: none). */
void error_set_message_prefixes(bool timestamp, const char *guest_name);
void warn_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void error_set_progname(const char *argv0);
const char *error_get_progname(void);

#endif
