/* The copy engine of mimic-img convert: the image is cut into windows; workers plan a window
 * (allocation status, reads, zero detection) in parallel, then write it in order (or in any
 * order with -W). Holes are skipped when the destination already reads zeros. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "block/compress.h"
#include "tools/img-convert.h"
#include "util/cutils.h"
#include "util/error.h"

#define WINDOW_SIZE (2u << 20)
#define MAX_WORKERS 16

typedef enum SegmentKind { SEG_DATA, SEG_ZERO, SEG_SKIP } SegmentKind;

typedef struct Segment {
    uint64_t offset;            /* destination offset */
    uint64_t len;
    SegmentKind kind;
} Segment;

typedef struct Window {
    uint64_t start, end;
    uint8_t *buf;               /* data of [start, end) where segments are SEG_DATA */
    /* compressed output prepared while planning, one slot of cap bytes per cluster */
    uint8_t *cbuf;
    ssize_t *clen;
    size_t cap;
    Segment *segs;
    int n_segs, cap_segs;
} Window;

typedef struct Engine {
    ConvertJob *job;
    uint64_t window_size;
    uint64_t n_windows;
    pthread_mutex_t lock;
    /* In-order writes: window i waits on turn[i % workers] (at most `workers` windows are
     * in flight, so slots never clash); waking only the next one avoids a herd. */
    pthread_cond_t turn[MAX_WORKERS];
    int workers;
    uint64_t next_window;       /* next window to plan */
    uint64_t next_to_write;     /* in-order mode: the window whose turn it is */
    uint64_t bytes_done;
    int error;                  /* first -errno; stops every worker */
    const char *error_what;
    uint64_t error_offset;
} Engine;

static void add_segment(Window *w, uint64_t offset, uint64_t len, SegmentKind kind)
{
    if (w->n_segs > 0) {
        Segment *last = &w->segs[w->n_segs - 1];
        if (last->kind == kind && last->offset + last->len == offset) {
            last->len += len;
            return;
        }
    }
    if (w->n_segs == w->cap_segs) {
        w->cap_segs = w->cap_segs ? w->cap_segs * 2 : 16;
        w->segs = xrealloc(w->segs, w->cap_segs * sizeof(Segment));
    }
    w->segs[w->n_segs++] = (Segment){ offset, len, kind };
}

/* Finds the source holding destination offset off: index, and offset within it. */
static int find_source(const ConvertJob *job, uint64_t off, uint64_t *src_off,
                       uint64_t *src_left)
{
    for (int i = 0; i < job->n_src; i++) {
        if (off < job->src_size[i]) {
            *src_off = off;
            *src_left = job->src_size[i] - off;
            return i;
        }
        off -= job->src_size[i];
    }
    return -1;
}

/* What the destination needs at off for *pnum bytes: data, zeros, or nothing (-B). */
static int source_status(Engine *e, uint64_t off, uint64_t max, uint64_t *pnum,
                         SegmentKind *kind)
{
    ConvertJob *job = e->job;
    uint64_t soff, left;
    int i = find_source(job, off, &soff, &left);
    int depth;
    if (i < 0) {
        return -EINVAL;
    }
    BlockDriverState *base = job->keep_backing ? block_get_backing(job->src[i]) : NULL;
    int st = block_status_chain(job->src[i], base, soff, MIN(max, left), pnum, NULL, &depth);
    if (st < 0) {
        return st;
    }
    if (job->keep_backing && depth < 0) {
        *kind = SEG_SKIP;   /* no node above the source's backing decides: left to -B */
    } else if (st & BLOCK_STATUS_ZERO) {
        *kind = SEG_ZERO;
    } else if (st & BLOCK_STATUS_DATA) {
        *kind = SEG_DATA;
    } else {
        *kind = job->keep_backing ? SEG_SKIP : SEG_ZERO;
    }
    return 0;
}

/* Reads destination range [off, off+len) from the sources (it may span several). */
static int source_read(Engine *e, uint64_t off, uint8_t *buf, uint64_t len)
{
    while (len > 0) {
        uint64_t soff, left;
        int i = find_source(e->job, off, &soff, &left);
        if (i < 0) {
            return -EINVAL;
        }
        uint64_t n = MIN(len, left);
        int ret = block_pread(e->job->src[i], soff, buf, n);
        if (ret < 0) {
            return ret;
        }
        off += n;
        buf += n;
        len -= n;
    }
    return 0;
}

/* Splits read data into data and zero segments of sparse_size units (aligned). */
static void add_sparse_segments(ConvertJob *job, Window *w, uint64_t off, uint64_t len)
{
    uint64_t unit = job->sparse_size;
    if (unit == 0) {
        add_segment(w, off, len, SEG_DATA);
        return;
    }
    while (len > 0) {
        uint64_t n = MIN(len, unit - off % unit);
        bool zero = img_buffer_is_zero(w->buf + (off - w->start), n);
        add_segment(w, off, n, zero ? SEG_ZERO : SEG_DATA);
        off += n;
        len -= n;
    }
}

static int plan_plain(Engine *e, Window *w)
{
    uint64_t off = w->start;
    while (off < w->end) {
        uint64_t pnum;
        SegmentKind kind;
        int ret = source_status(e, off, w->end - off, &pnum, &kind);
        if (ret < 0) {
            return ret;
        }
        if (kind == SEG_DATA) {
            ret = source_read(e, off, w->buf + (off - w->start), pnum);
            if (ret < 0) {
                return ret;
            }
            add_sparse_segments(e->job, w, off, pnum);
        } else {
            add_segment(w, off, pnum, kind);
        }
        off += pnum;
    }
    return 0;
}

/* Compressed output: each cluster is all zeros/unallocated, or data written whole. */
static int plan_compressed(Engine *e, Window *w)
{
    uint64_t cl = e->job->cluster;
    for (uint64_t off = w->start; off < w->end; off += cl) {
        uint64_t len = MIN(cl, w->end - off), pnum;
        SegmentKind kind;
        int ret = source_status(e, off, len, &pnum, &kind);
        if (ret < 0) {
            return ret;
        }
        if (kind != SEG_DATA && pnum == len) {
            add_segment(w, off, len, kind);
            continue;
        }
        ret = source_read(e, off, w->buf + (off - w->start), len);
        if (ret < 0) {
            return ret;
        }
        bool zero = img_buffer_is_zero(w->buf + (off - w->start), len);
        add_segment(w, off, len, zero ? SEG_ZERO : SEG_DATA);
        if (!zero && e->job->parallel_compress) {
            /* compressed here, in parallel with the other workers; stored in order later */
            size_t slot = (off - w->start) / cl;
            w->clen[slot] = block_compress_prepare(e->job->dst, w->cbuf + slot * w->cap,
                                                   w->cap, w->buf + (off - w->start), len);
            if (w->clen[slot] < 0) {
                return (int)w->clen[slot];
            }
        }
    }
    return 0;
}

static int write_zero_segment(ConvertJob *job, const Segment *s)
{
    if (job->target_is_zero && job->sparse_size) {
        return 0;
    }
    return block_pwrite_zeroes(job->dst, s->offset, s->len,
                               job->sparse_size ? BLOCK_ZERO_MAY_UNMAP : 0);
}

static int write_data_segment(ConvertJob *job, const Window *w, const Segment *s)
{
    const uint8_t *data = w->buf + (s->offset - w->start);
    if (!job->compress) {
        return block_pwrite(job->dst, s->offset, data, s->len);
    }
    for (uint64_t done = 0; done < s->len; done += job->cluster) {
        uint64_t n = MIN(job->cluster, s->len - done);
        size_t slot = (s->offset + done - w->start) / job->cluster;
        int ret = job->parallel_compress
                  ? block_compress_store(job->dst, s->offset + done, w->cbuf + slot * w->cap,
                                         (size_t)w->clen[slot], data + done, n)
                  : block_pwrite_compressed(job->dst, s->offset + done, data + done, n);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

static int write_window(Engine *e, Window *w, uint64_t *fail_off)
{
    for (int i = 0; i < w->n_segs; i++) {
        const Segment *s = &w->segs[i];
        int ret = 0;
        if (s->kind == SEG_DATA) {
            ret = write_data_segment(e->job, w, s);
        } else if (s->kind == SEG_ZERO) {
            ret = write_zero_segment(e->job, s);
        }
        if (ret < 0) {
            *fail_off = s->offset;
            return ret;
        }
    }
    return 0;
}

static void set_error(Engine *e, int ret, const char *what, uint64_t offset)
{
    pthread_mutex_lock(&e->lock);
    if (!e->error) {
        e->error = ret;
        e->error_what = what;
        e->error_offset = offset;
    }
    for (int i = 0; i < e->workers; i++) {
        pthread_cond_signal(&e->turn[i]);
    }
    pthread_mutex_unlock(&e->lock);
}

/* In-order mode: waits until window idx may write. False if the copy failed meanwhile. */
static bool wait_turn(Engine *e, uint64_t idx)
{
    pthread_mutex_lock(&e->lock);
    while (!e->job->out_of_order && e->next_to_write != idx && !e->error) {
        pthread_cond_wait(&e->turn[idx % e->workers], &e->lock);
    }
    bool ok = !e->error;
    pthread_mutex_unlock(&e->lock);
    return ok;
}

static void finish_turn(Engine *e, uint64_t bytes)
{
    pthread_mutex_lock(&e->lock);
    e->next_to_write++;
    e->bytes_done += bytes;
    img_progress_update(e->job->progress, e->bytes_done, e->job->total);
    pthread_cond_signal(&e->turn[e->next_to_write % e->workers]);
    pthread_mutex_unlock(&e->lock);
}

static bool claim_window(Engine *e, uint64_t *idx)
{
    pthread_mutex_lock(&e->lock);
    bool ok = !e->error && e->next_window < e->n_windows;
    if (ok) {
        *idx = e->next_window++;
    }
    pthread_mutex_unlock(&e->lock);
    return ok;
}

static void *worker_main(void *opaque)
{
    Engine *e = opaque;
    Window w = { .buf = img_alloc_buffer(e->window_size) };
    if (e->job->parallel_compress) {
        size_t slots = e->window_size / e->job->cluster;
        w.cap = block_compress_bound(e->job->cluster);
        w.cbuf = xmalloc(slots * w.cap);
        w.clen = xzalloc(slots * sizeof(ssize_t));
    }
    uint64_t idx;
    while (claim_window(e, &idx)) {
        w.start = idx * e->window_size;
        w.end = MIN(w.start + e->window_size, e->job->total);
        w.n_segs = 0;
        int ret = e->job->compress ? plan_compressed(e, &w) : plan_plain(e, &w);
        if (ret < 0) {
            set_error(e, ret, "read", w.start);
            break;
        }
        if (!wait_turn(e, idx)) {
            break;
        }
        uint64_t fail_off;
        ret = write_window(e, &w, &fail_off);
        if (ret < 0) {
            set_error(e, ret, "write", fail_off);
            break;
        }
        finish_turn(e, w.end - w.start);
    }
    free(w.buf);
    free(w.segs);
    free(w.cbuf);
    free(w.clen);
    return NULL;
}

int img_convert_copy(ConvertJob *job)
{
    Engine e = { .job = job };
    int n = job->workers < 1 ? 1 : MIN(job->workers, MAX_WORKERS);
    pthread_t threads[MAX_WORKERS];
    e.workers = n;
    e.window_size = WINDOW_SIZE;
    if (job->compress && job->cluster > e.window_size) {
        e.window_size = job->cluster;
    }
    e.n_windows = DIV_ROUND_UP(job->total, e.window_size);
    pthread_mutex_init(&e.lock, NULL);
    for (int i = 0; i < n; i++) {
        pthread_cond_init(&e.turn[i], NULL);
    }
    int started = 0;
    for (; started < n; started++) {
        if (pthread_create(&threads[started], NULL, worker_main, &e) != 0) {
            break;
        }
    }
    if (started == 0) {
        worker_main(&e);
    }
    for (int i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
    }
    for (int i = 0; i < n; i++) {
        pthread_cond_destroy(&e.turn[i]);
    }
    pthread_mutex_destroy(&e.lock);
    if (e.error) {
        bool rd = !strcmp(e.error_what, "read");
        error_report("error while %s at byte %llu: %s%s", rd ? "reading" : "writing",
                     (unsigned long long)e.error_offset, strerror(-e.error),
                     rd && e.error == -EIO ? " (truncated or corrupt source image?)" : "");
        return e.error;
    }
    return 0;
}
