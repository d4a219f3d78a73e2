/* Asynchronous block requests: a small pool of worker threads runs the synchronous driver
 * code; completions go back to the main loop thread (bottom half) or to block_aio_poll().
 * docs/block.md explains the choice over io_uring and Linux AIO. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include "block/block_int.h"
#include "system/main-loop.h"
#include "util/cutils.h"

/* The main loop is optional: mimic-img does not link it. Weak references resolve to NULL
 * when system/main-loop.c is absent. */
#pragma weak bh_new
#pragma weak bh_schedule

#define AIO_MAX_WORKERS 4

typedef enum AioOp { AIO_READ, AIO_WRITE, AIO_FLUSH, AIO_DISCARD, AIO_WRITE_ZEROES } AioOp;

typedef struct AioRequest {
    AioOp op;
    BlockDriverState *bs;
    uint64_t offset;
    void *buf;
    size_t bytes;
    int flags;                      /* write zeroes: BLOCK_ZERO_MAY_UNMAP */
    int ret;
    BlockCompletionFunc *cb;
    void *opaque;
    struct AioRequest *next;
} AioRequest;

typedef struct AioQueue {
    AioRequest *head;
    AioRequest **tail;
} AioQueue;

/* The process-wide pool (a registry of one, like the driver list). */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t work_cond;       /* workers wait for submissions */
    pthread_cond_t done_cond;       /* block_aio_poll waits for completions */
    AioQueue pending;
    AioQueue done;
    int workers;
    int idle;
    int in_flight;
    BottomHalf *bh;
} pool = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .work_cond = PTHREAD_COND_INITIALIZER,
    .done_cond = PTHREAD_COND_INITIALIZER,
    .pending = { NULL, &pool.pending.head },
    .done = { NULL, &pool.done.head },
};

static void queue_push(AioQueue *q, AioRequest *req)
{
    req->next = NULL;
    *q->tail = req;
    q->tail = &req->next;
}

static AioRequest *queue_take_all(AioQueue *q)
{
    AioRequest *head = q->head;
    q->head = NULL;
    q->tail = &q->head;
    return head;
}

static AioRequest *queue_pop(AioQueue *q)
{
    AioRequest *req = q->head;
    if (req) {
        q->head = req->next;
        if (!q->head) {
            q->tail = &q->head;
        }
    }
    return req;
}

static void run_request(AioRequest *req)
{
    switch (req->op) {
    case AIO_READ:
        req->ret = block_pread(req->bs, req->offset, req->buf, req->bytes);
        break;
    case AIO_WRITE:
        req->ret = block_pwrite(req->bs, req->offset, req->buf, req->bytes);
        break;
    case AIO_FLUSH:
        req->ret = block_flush(req->bs);
        break;
    case AIO_DISCARD:
        req->ret = block_discard(req->bs, req->offset, req->bytes);
        break;
    case AIO_WRITE_ZEROES:
        req->ret = block_pwrite_zeroes(req->bs, req->offset, req->bytes, req->flags);
        break;
    }
}

static void *worker_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        AioRequest *req = queue_pop(&pool.pending);
        if (!req) {
            pool.idle++;
            pthread_cond_wait(&pool.work_cond, &pool.lock);
            pool.idle--;
            continue;
        }
        pthread_mutex_unlock(&pool.lock);
        run_request(req);
        pthread_mutex_lock(&pool.lock);
        queue_push(&pool.done, req);
        pthread_cond_broadcast(&pool.done_cond);
        if (pool.bh) {
            bh_schedule(pool.bh);
        }
    }
    return NULL;
}

static void start_worker_locked(void)
{
    pthread_t tid;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&tid, &attr, worker_main, NULL) == 0) {
        pool.workers++;
    }
    pthread_attr_destroy(&attr);
}

static void submit_request(AioRequest *req)
{
    pthread_mutex_lock(&pool.lock);
    pool.in_flight++;
    queue_push(&pool.pending, req);
    if (pool.idle == 0 && pool.workers < AIO_MAX_WORKERS) {
        start_worker_locked();
    }
    if (pool.workers == 0) {        /* no thread at all: run inline, complete later */
        pthread_mutex_unlock(&pool.lock);
        queue_pop(&pool.pending);
        run_request(req);
        pthread_mutex_lock(&pool.lock);
        queue_push(&pool.done, req);
    } else {
        pthread_cond_signal(&pool.work_cond);
    }
    pthread_mutex_unlock(&pool.lock);
}

static void submit(AioOp op, BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes,
                   BlockCompletionFunc *cb, void *opaque)
{
    AioRequest *req = xzalloc(sizeof(*req));
    *req = (AioRequest){ .op = op, .bs = bs, .offset = offset, .buf = buf, .bytes = bytes,
                         .cb = cb, .opaque = opaque };
    submit_request(req);
}

void block_aio_pread(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes,
                     BlockCompletionFunc *cb, void *opaque)
{
    submit(AIO_READ, bs, offset, buf, bytes, cb, opaque);
}

void block_aio_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes,
                      BlockCompletionFunc *cb, void *opaque)
{
    submit(AIO_WRITE, bs, offset, (void *)buf, bytes, cb, opaque);
}

void block_aio_flush(BlockDriverState *bs, BlockCompletionFunc *cb, void *opaque)
{
    submit(AIO_FLUSH, bs, 0, NULL, 0, cb, opaque);
}

void block_aio_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       BlockCompletionFunc *cb, void *opaque)
{
    submit(AIO_DISCARD, bs, offset, NULL, bytes, cb, opaque);
}

void block_aio_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags,
                             BlockCompletionFunc *cb, void *opaque)
{
    AioRequest *req = xzalloc(sizeof(*req));
    *req = (AioRequest){ .op = AIO_WRITE_ZEROES, .bs = bs, .offset = offset, .bytes = bytes,
                         .flags = flags, .cb = cb, .opaque = opaque };
    submit_request(req);
}

/* Runs the callbacks of every finished request (on the calling thread). */
static int run_completions(void)
{
    pthread_mutex_lock(&pool.lock);
    AioRequest *req = queue_take_all(&pool.done);
    pthread_mutex_unlock(&pool.lock);
    int n = 0;
    while (req) {
        AioRequest *next = req->next;
        if (req->cb) {
            req->cb(req->opaque, req->ret);
        }
        free(req);
        n++;
        req = next;
    }
    if (n) {
        pthread_mutex_lock(&pool.lock);
        pool.in_flight -= n;
        pthread_mutex_unlock(&pool.lock);
    }
    return n;
}

static void completion_bh(void *opaque)
{
    (void)opaque;
    run_completions();
}

int block_aio_attach_main_loop(void)
{
    if (!bh_new || !bh_schedule) {
        return -ENOSYS;
    }
    BottomHalf *bh = bh_new(completion_bh, NULL);
    pthread_mutex_lock(&pool.lock);
    pool.bh = bh;
    if (pool.done.head) {
        bh_schedule(bh);
    }
    pthread_mutex_unlock(&pool.lock);
    return 0;
}

int block_aio_poll(bool blocking)
{
    if (blocking) {
        pthread_mutex_lock(&pool.lock);
        while (!pool.done.head && pool.in_flight > 0) {
            pthread_cond_wait(&pool.done_cond, &pool.lock);
        }
        pthread_mutex_unlock(&pool.lock);
    }
    return run_completions();
}

int block_aio_in_flight(void)
{
    pthread_mutex_lock(&pool.lock);
    int n = pool.in_flight;
    pthread_mutex_unlock(&pool.lock);
    return n;
}

void block_aio_wait_all(void)
{
    while (block_aio_in_flight() > 0) {
        block_aio_poll(true);
    }
}
