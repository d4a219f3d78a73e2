/* The -D log file: one file, "%d" replaced by the process id; or with -d tid one file
 * per thread, "%d" being the vCPU index for vCPU threads and the thread id for the
 * others (QEMU names every file after the thread id). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include "util/cutils.h"
#include "util/error.h"
#include "util/log.h"

#define LOG_MAX_THREAD_FILES 256

static FILE *log_out;
static char *log_pattern;           /* -d tid: the -D name with its %d */
static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *thread_files[LOG_MAX_THREAD_FILES];    /* kept to flush and close them */
static int nb_thread_files;
static __thread FILE *thread_file;
static __thread int thread_index = -1;

/* path with its one "%d" replaced by id (no other conversion is honoured). */
static char *log_file_name(const char *path, long id)
{
    const char *p = strstr(path, "%d");
    return xasprintf("%.*s%ld%s", (int)(p - path), path, id, p + 2);
}

static FILE *log_open(const char *name)
{
    FILE *f = fopen(name, "w");
    if (f) {
        setvbuf(f, NULL, _IOLBF, 0);
    }
    return f;
}

int log_set_file(const char *path)
{
    const char *pct = strstr(path, "%d");
    if ((log_mask & LOG_TID) && !pct) {
        error_report("-D %s: -d tid needs a file name containing '%%d'", path);
        return -1;
    }
    if (pct && strchr(pct + 2, '%')) {
        error_report("-D %s: only one '%%d' may appear in the file name", path);
        return -1;
    }
    if (pct && (log_mask & LOG_TID)) {
        free(log_pattern);
        log_pattern = xstrdup(path);
        return 0;               /* each thread opens its own at its first line */
    }
    char *name = pct ? log_file_name(path, (long)getpid()) : xstrdup(path);
    FILE *f = log_open(name);
    if (!f) {
        error_report("-D %s: cannot open the log file: %m", name);
        free(name);
        return -1;
    }
    free(name);
    if (log_out && log_out != stderr) {
        fclose(log_out);
    }
    log_out = f;
    return 0;
}

void log_set_thread_index(int index)
{
    thread_index = index;
}

/* -d tid: this thread's file, opened at its first line (stderr if that fails). */
static FILE *log_thread_file(void)
{
    if (thread_file) {
        return thread_file;
    }
    long id = thread_index >= 0 ? thread_index : (long)gettid();
    char *name = log_file_name(log_pattern, id);
    FILE *f = log_open(name);
    free(name);
    pthread_mutex_lock(&files_lock);
    if (f && nb_thread_files < LOG_MAX_THREAD_FILES) {
        thread_files[nb_thread_files++] = f;
    } else if (f) {
        fclose(f);
        f = NULL;
    }
    pthread_mutex_unlock(&files_lock);
    thread_file = f ? f : stderr;
    return thread_file;
}

FILE *log_file(void)
{
    if (log_pattern) {
        return log_thread_file();
    }
    return log_out ? log_out : stderr;
}

void log_flush(void)
{
    fflush(log_out ? log_out : stderr);
    pthread_mutex_lock(&files_lock);
    for (int i = 0; i < nb_thread_files; i++) {
        fflush(thread_files[i]);
    }
    pthread_mutex_unlock(&files_lock);
}
