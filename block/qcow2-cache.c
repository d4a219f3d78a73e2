/* qcow2 metadata cache: a few L2 tables and refcount blocks kept in their on-disk form,
 * least recently used evicted. Writes go through to the file at once (crash ordering),
 * except refcount blocks marked dirty under lazy refcounts. qcow2 spec: docs/block.md */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "block/qcow2.h"
#include "util/cutils.h"

void qcow2_cache_init(Qcow2Cache *c, int n)
{
    c->entries = xzalloc(sizeof(*c->entries) * n);
    c->n = n;
    c->tick = 0;
}

void qcow2_cache_free(Qcow2Cache *c)
{
    for (int i = 0; c->entries && i < c->n; i++) {
        free(c->entries[i].data);
    }
    free(c->entries);
    c->entries = NULL;
    c->n = 0;
}

static int write_back(BlockDriverState *bs, Qcow2CacheEntry *e)
{
    if (!e->dirty) {
        return 0;
    }
    int ret = block_file_pwrite(bs->file, e->offset, e->data, qcow2_state(bs)->cluster_size);
    if (ret == 0) {
        e->dirty = false;
    }
    return ret;
}

static Qcow2CacheEntry *find(Qcow2Cache *c, uint64_t offset)
{
    for (int i = 0; i < c->n; i++) {
        if (offset && c->entries[i].offset == offset && c->entries[i].data) {
            c->entries[i].lru = ++c->tick;
            return &c->entries[i];
        }
    }
    return NULL;
}

/* An empty or least recently used slot, written back first if dirty. */
static Qcow2CacheEntry *victim(BlockDriverState *bs, Qcow2Cache *c, int *ret)
{
    Qcow2CacheEntry *best = &c->entries[0];
    for (int i = 0; i < c->n; i++) {
        if (!c->entries[i].data) {
            best = &c->entries[i];
            break;
        }
        if (c->entries[i].lru < best->lru) {
            best = &c->entries[i];
        }
    }
    *ret = write_back(bs, best);
    if (*ret < 0) {
        return NULL;
    }
    if (!best->data) {
        best->data = xmalloc(qcow2_state(bs)->cluster_size);
    }
    best->offset = 0;
    best->dirty = false;
    return best;
}

uint8_t *qcow2_cache_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset, int *ret)
{
    Qcow2CacheEntry *e = find(c, offset);
    *ret = 0;
    if (e) {
        return e->data;
    }
    e = victim(bs, c, ret);
    if (!e) {
        return NULL;
    }
    *ret = block_file_pread(bs->file, offset, e->data, qcow2_state(bs)->cluster_size);
    if (*ret < 0) {
        return NULL;
    }
    e->offset = offset;
    e->lru = ++c->tick;
    return e->data;
}

void qcow2_cache_put_new(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset,
                         const uint8_t *data)
{
    Qcow2CacheEntry *e = find(c, offset);
    int ret;
    if (!e) {
        e = victim(bs, c, &ret);
        if (!e) {
            return;         /* not cached; it will be read again when needed */
        }
    }
    memcpy(e->data, data, qcow2_state(bs)->cluster_size);
    e->offset = offset;
    e->dirty = false;
    e->lru = ++c->tick;
}

void qcow2_cache_mark_dirty(Qcow2Cache *c, const uint8_t *data)
{
    for (int i = 0; i < c->n; i++) {
        if (c->entries[i].data == data) {
            c->entries[i].dirty = true;
        }
    }
}

int qcow2_cache_flush(BlockDriverState *bs, Qcow2Cache *c)
{
    int result = 0;
    for (int i = 0; i < c->n; i++) {
        int ret = write_back(bs, &c->entries[i]);
        if (ret < 0 && result == 0) {
            result = ret;
        }
    }
    return result;
}

void qcow2_cache_drop(Qcow2Cache *c, uint64_t offset)
{
    for (int i = 0; i < c->n; i++) {
        if (c->entries[i].offset == offset) {
            c->entries[i].offset = 0;
            c->entries[i].dirty = false;
        }
    }
}

void qcow2_cache_clear(Qcow2Cache *c)
{
    for (int i = 0; i < c->n; i++) {
        c->entries[i].offset = 0;
        c->entries[i].dirty = false;
    }
}
