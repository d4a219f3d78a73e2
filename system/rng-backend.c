/* -object rng-random and rng-builtin (QEMU 7.2 qom.json read for names and defaults):
 * entropy sources for virtio-rng's rng= property. Reads never block: the source is opened
 * non-blocking, and a read that finds nothing returns 0 (virtio-rng then retries at the
 * driver's next kick). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include "system/objects.h"
#include "system/rng-backend.h"
#include "util/cutils.h"

#define MAX_RNG_BACKENDS 8

struct RngBackend {
    char *id;
    int fd;                     /* rng-random's file; -1: getrandom(2) (rng-builtin) */
};

static RngBackend *backends[MAX_RNG_BACKENDS];
static int nr_backends;

bool rng_backend_type_known(const char *type)
{
    return type && (!strcmp(type, "rng-random") || !strcmp(type, "rng-builtin"));
}

void rng_backend_type_foreach(void (*fn)(void *opaque, const char *name, const char *props),
                              void *opaque)
{
    fn(opaque, "rng-random", "id:str filename:str");
    fn(opaque, "rng-builtin", "id:str");
}

RngBackend *rng_backend_find(const char *id)
{
    for (int i = 0; id && i < nr_backends; i++) {
        if (!strcmp(backends[i]->id, id)) {
            return backends[i];
        }
    }
    return NULL;
}

static int open_source(KeyValList *kv, bool random, int *fd, Error **errp)
{
    const char *path = random ? keyval_get(kv, "filename") : NULL;
    *fd = -1;
    if (!random) {
        return 0;
    }
    *fd = open(path ? path : "/dev/urandom", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (*fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", path ? path : "/dev/urandom");
        return -1;
    }
    return 0;
}

int rng_backend_create(KeyValList *kv, Error **errp)
{
    const char *id = keyval_get(kv, "id");
    int fd;

    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return -1;
    }
    if (rng_backend_find(id) || memory_backend_find(id)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object", id);
        return -1;
    }
    if (nr_backends == MAX_RNG_BACKENDS) {
        error_setg(errp, "at most %d rng objects are supported", MAX_RNG_BACKENDS);
        return -1;
    }
    if (open_source(kv, !strcmp(keyval_get(kv, "qom-type"), "rng-random"), &fd, errp) < 0) {
        return -1;
    }
    if (keyval_check_unused(kv, "-object", errp) < 0) {
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    RngBackend *b = xzalloc(sizeof(*b));
    b->id = xstrdup(id);
    b->fd = fd;
    backends[nr_backends++] = b;
    return 0;
}

size_t rng_backend_read(RngBackend *b, void *buf, size_t len)
{
    for (;;) {
        ssize_t n = b && b->fd >= 0 ? read(b->fd, buf, len) : getrandom(buf, len, 0);
        if (n >= 0 || errno != EINTR) {
            return n > 0 ? (size_t)n : 0;
        }
    }
}

void rng_backend_destroy_all(void)
{
    for (int i = 0; i < nr_backends; i++) {
        if (backends[i]->fd >= 0) {
            close(backends[i]->fd);
        }
        free(backends[i]->id);
        free(backends[i]);
    }
    nr_backends = 0;
}
