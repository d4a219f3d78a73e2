/* -object memory-backend-ram|file|memfd (QEMU 7.2 qom.json MemoryBackendProperties read
 * for names): host memory for guest RAM, anonymous, a file (mem-path, shared or private
 * mapping) or a memfd. The machine takes one with -machine memory-backend=ID. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "system/objects.h"
#include "system/rng-backend.h"
#include "util/cutils.h"
#include "util/keyval.h"

#define MAX_OBJECTS 16

typedef int ObjectMapFn(KeyValList *kv, HostMemoryBackend *b, bool share, Error **errp);

typedef struct ObjectType {
    const char *name;
    const char *props;          /* for QMP: "name:type ..." */
    ObjectMapFn *map;
} ObjectType;

static HostMemoryBackend *objects[MAX_OBJECTS];
static int nr_objects;

static int map_or_fail(HostMemoryBackend *b, int fd, bool share, Error **errp)
{
    int flags = (share ? MAP_SHARED : MAP_PRIVATE) | (fd < 0 ? MAP_ANONYMOUS : 0);
    b->host = mmap(NULL, b->size, PROT_READ | PROT_WRITE, flags | MAP_NORESERVE, fd, 0);
    if (b->host == MAP_FAILED) {
        b->host = NULL;
        error_setg_errno(errp, errno, "cannot map %" PRIu64 " bytes", b->size);
        return -1;
    }
    return 0;
}

static int map_ram(KeyValList *kv, HostMemoryBackend *b, bool share, Error **errp)
{
    return map_or_fail(b, -1, share, errp);
}

static int map_file(KeyValList *kv, HostMemoryBackend *b, bool share, Error **errp)
{
    const char *path = keyval_get(kv, "mem-path");
    int fd, ret = -1;

    if (!path) {
        error_setg(errp, "Parameter 'mem-path' is missing");
        return -1;
    }
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        error_setg_errno(errp, errno, "can't open backing store %s for guest RAM", path);
        return -1;
    }
    if (ftruncate(fd, (off_t)b->size) < 0) {
        error_setg_errno(errp, errno, "cannot size %s to %" PRIu64 " bytes", path, b->size);
    } else {
        ret = map_or_fail(b, fd, share, errp);
    }
    close(fd);
    return ret;
}

static int map_memfd(KeyValList *kv, HostMemoryBackend *b, bool share, Error **errp)
{
    int fd = memfd_create(b->id, MFD_CLOEXEC), ret;

    if (fd < 0 || ftruncate(fd, (off_t)b->size) < 0) {
        error_setg_errno(errp, errno, "cannot create a memfd of %" PRIu64 " bytes", b->size);
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    ret = map_or_fail(b, fd, share, errp);
    close(fd);
    return ret;
}

static const ObjectType object_types[] = {
    { "memory-backend-ram", "id:str size:size share:bool", map_ram },
    { "memory-backend-file", "id:str size:size share:bool mem-path:str", map_file },
    { "memory-backend-memfd", "id:str size:size share:bool", map_memfd },
};

static const ObjectType *object_type_find(const char *name)
{
    for (size_t i = 0; name && i < ARRAY_SIZE(object_types); i++) {
        if (!strcmp(object_types[i].name, name)) {
            return &object_types[i];
        }
    }
    return NULL;
}

void object_type_foreach(void (*fn)(void *opaque, const char *name, const char *props),
                         void *opaque)
{
    for (size_t i = 0; i < ARRAY_SIZE(object_types); i++) {
        fn(opaque, object_types[i].name, object_types[i].props);
    }
    rng_backend_type_foreach(fn, opaque);
}

HostMemoryBackend *memory_backend_find(const char *id)
{
    for (int i = 0; i < nr_objects; i++) {
        if (!strcmp(objects[i]->id, id)) {
            return objects[i];
        }
    }
    return NULL;
}

static int check_new(KeyValList *kv, const ObjectType *type, const char *typed, Error **errp)
{
    const char *id = keyval_get(kv, "id");
    if (!type) {
        error_setg(errp, "object type '%s' is not supported by Mimic (memory-backend-ram, "
                   "memory-backend-file, memory-backend-memfd, rng-random, rng-builtin)",
                   typed);
    } else if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
    } else if (memory_backend_find(id) || rng_backend_find(id)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object", id);
    } else if (nr_objects == MAX_OBJECTS) {
        error_setg(errp, "at most %d objects are supported", MAX_OBJECTS);
    } else {
        return 0;
    }
    return -1;
}

static int create(KeyValList *kv, const ObjectType *type, Error **errp)
{
    HostMemoryBackend *b = xzalloc(sizeof(*b));
    bool share = false;

    b->id = xstrdup(keyval_get(kv, "id"));
    b->type = type->name;
    if (keyval_get_size(kv, "size", 0, &b->size, errp) < 0 ||
        keyval_get_bool(kv, "share", false, &share, errp) < 0) {
        goto fail;
    }
    if (b->size == 0) {
        error_setg(errp, "can't create backend with size 0");
        goto fail;
    }
    if (type->map(kv, b, share, errp) < 0 || keyval_check_unused(kv, "-object", errp) < 0) {
        goto fail;
    }
    objects[nr_objects++] = b;
    return 0;
fail:
    if (b->host) {
        munmap(b->host, b->size);
    }
    free(b->id);
    free(b);
    return -1;
}

int object_create_from_spec(const char *spec, Error **errp)
{
    KeyValList kv;
    int ret = -1;

    if (keyval_parse(spec, "qom-type", &kv, errp) < 0) {
        return -1;
    }
    const char *typed = keyval_get(&kv, "qom-type");
    const ObjectType *type = object_type_find(typed);
    if (rng_backend_type_known(typed)) {
        ret = rng_backend_create(&kv, errp);
    } else if (check_new(&kv, type, typed ? typed : "", errp) == 0) {
        ret = create(&kv, type, errp);
    }
    keyval_free(&kv);
    return ret;
}

void object_destroy_all(void)
{
    rng_backend_destroy_all();
    for (int i = 0; i < nr_objects; i++) {
        munmap(objects[i]->host, objects[i]->size);
        free(objects[i]->id);
        free(objects[i]);
    }
    nr_objects = 0;
}
