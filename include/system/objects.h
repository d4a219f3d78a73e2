/* -object: the backend object types Mimic has (QEMU's names and properties): host memory
 * backends memory-backend-ram, memory-backend-file and memory-backend-memfd, used as guest
 * RAM with -machine memory-backend=ID. */
#ifndef SYSTEM_OBJECTS_H
#define SYSTEM_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>
#include "util/error.h"

typedef struct HostMemoryBackend {
    char *id;
    const char *type;
    uint64_t size;
    void *host;                 /* mapped memory, size bytes */
    bool used;                  /* taken by the machine */
} HostMemoryBackend;

/* Creates the object of "TYPE,id=ID,prop=value..." (qom-type= also accepted). */
int object_create_from_spec(const char *spec, Error **errp);
HostMemoryBackend *memory_backend_find(const char *id);
/* Every object type: name and its properties "name:type ..." (QMP qom-list-properties). */
void object_type_foreach(void (*fn)(void *opaque, const char *name, const char *props),
                         void *opaque);
/* Unmaps and frees every object (at exit). */
void object_destroy_all(void);

#endif
