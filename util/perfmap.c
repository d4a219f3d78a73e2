/* -perfmap: writes /tmp/perf-PID.map, the JIT symbol map Linux `perf` reads
 * (tools/perf/Documentation/jit-interface.txt: lines "START SIZE NAME", START and SIZE in
 * hex). Each translated block becomes one symbol named after its guest address, so
 * `perf report` attributes host samples in the code buffer to guest code. The file is
 * written as blocks are published (buffered, flushed at exit and by perfmap_close) and
 * left in place for perf to read. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/perfmap.h"

bool perfmap_on;
static FILE *perfmap_file;
static pthread_mutex_t perfmap_lock = PTHREAD_MUTEX_INITIALIZER;

int perfmap_open(Error **errp)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
    perfmap_file = fopen(path, "w");
    if (!perfmap_file) {
        error_setg(errp, "-perfmap: cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    atexit(perfmap_close);
    perfmap_on = true;
    return 0;
}

void perfmap_add_guest(const void *code, size_t size, uint64_t guest_pc)
{
    pthread_mutex_lock(&perfmap_lock);
    if (perfmap_file) {
        fprintf(perfmap_file, "%lx %zx guest-0x%llx\n", (unsigned long)(uintptr_t)code, size,
                (unsigned long long)guest_pc);
    }
    pthread_mutex_unlock(&perfmap_lock);
}

void perfmap_close(void)
{
    pthread_mutex_lock(&perfmap_lock);
    if (perfmap_file) {
        fclose(perfmap_file);
        perfmap_file = NULL;
    }
    perfmap_on = false;
    pthread_mutex_unlock(&perfmap_lock);
}
