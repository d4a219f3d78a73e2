/* -daemonize and -pidfile as QEMU does them: the fork happens before any thread starts, the
 * parent waits for the child's readiness and exits with its status; the pidfile is locked
 * for the life of the process and only its owner removes it. */
#ifndef SYSTEM_DAEMON_H
#define SYSTEM_DAEMON_H

#include <stdbool.h>
#include "util/error.h"

/* Forks. Returns 0 in the child (stderr still goes to the terminal, so that start-up errors
 * are seen); the parent never returns: it exits 0 when the child calls daemon_ready(), 1
 * when the child exits (or dies) before. -1 with *errp if fork fails. */
int daemon_start(Error **errp);
/* In the child: tells the parent start-up succeeded, detaches stdin/stdout/stderr (stderr
 * kept when keep_stderr, for a -D-less log) and starts a new session. No-op when not
 * daemonized. */
void daemon_ready(bool keep_stderr);
/* True between daemon_start() and exit: stdio cannot be a chardev. */
bool daemon_is_daemonized(void);

/* Creates path, takes a write lock on it (lockf, as QEMU: a second instance gets "Cannot
 * lock pid file") and writes the pid. The lock is held until pidfile_remove(). */
int pidfile_create(const char *path, Error **errp);
/* Removes the pidfile if this process created it and it is still the same file. */
void pidfile_remove(void);

#endif
