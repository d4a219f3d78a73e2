/* -object rng-random,id=ID[,filename=PATH] and -object rng-builtin,id=ID (QEMU's entropy
 * backends, qom.json RngRandomProperties read for names): the source a virtio-rng device
 * named with rng=ID reads. rng-random reads a file or device (default /dev/urandom),
 * rng-builtin the host's getrandom(2). docs/virtio.md */
#ifndef SYSTEM_RNG_BACKEND_H
#define SYSTEM_RNG_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include "util/error.h"
#include "util/keyval.h"

typedef struct RngBackend RngBackend;

/* Is type one of the rng object types? */
bool rng_backend_type_known(const char *type);
/* From object_create_from_spec: the object of kv (qom-type, id and its properties). */
int rng_backend_create(KeyValList *kv, Error **errp);
RngBackend *rng_backend_find(const char *id);
/* Up to len bytes of entropy into buf without blocking; 0 when the source has none now
 * (a file at its end, a device or pipe that would block). NULL b: getrandom(2). */
size_t rng_backend_read(RngBackend *b, void *buf, size_t len);
/* "name:type ..." of each rng object type (QMP qom-list-properties). */
void rng_backend_type_foreach(void (*fn)(void *opaque, const char *name, const char *props),
                              void *opaque);
void rng_backend_destroy_all(void);

#endif
