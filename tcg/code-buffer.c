/* Translation code buffer: memfd pages mapped RW at one address and RX at another,
 * so generated code is never writable and executable through the same mapping. */
#include <errno.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tcg/code-buffer.h"
#include "util/cutils.h"

static size_t code_buffer_round_size(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return ROUND_UP(size, page);
}

/* Asks for the executable view just below the emulator's own code, so that generated
 * code reaches helpers with call rel32 instead of movabs + call (only a hint: the kernel
 * may place it elsewhere, and the back end then uses the long form). Small buffers (the
 * back end's shared code) go 32 MiB below the text, large ones (the translation cache)
 * below 64 MiB, so that they do not collide and stay within rel32 reach of each other. */
static void *code_buffer_rx_hint(size_t size)
{
    uintptr_t text = (uintptr_t)&tcg_code_buffer_init;
    uintptr_t gap = (uintptr_t)(size <= (1u << 20) ? 32 : 64) << 20;
    if (text < size + 2 * gap) {
        return NULL;
    }
    return (void *)((text - size - gap) & ~(uintptr_t)0xfffff);
}

static int code_buffer_map_views(TCGCodeBuffer *cb, Error **errp)
{
    /* memfd pages are allocated when first written: a large buffer costs address space,
     * not memory, until translated code fills it. */
    cb->rw = mmap(NULL, cb->size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
                  cb->memfd, 0);
    if (cb->rw == MAP_FAILED) {
        cb->rw = NULL;
        error_setg_errno(errp, errno, "code buffer: cannot map %zu bytes read-write", cb->size);
        return -1;
    }
    cb->rx = mmap(code_buffer_rx_hint(cb->size), cb->size, PROT_READ | PROT_EXEC,
                  MAP_SHARED | MAP_NORESERVE, cb->memfd, 0);
    if (cb->rx == MAP_FAILED) {
        cb->rx = NULL;
        error_setg_errno(errp, errno, "code buffer: cannot map %zu bytes executable", cb->size);
        return -1;
    }
    return 0;
}

int tcg_code_buffer_init(TCGCodeBuffer *cb, size_t size, Error **errp)
{
    *cb = (TCGCodeBuffer){ .memfd = -1 };
    if (size < TCG_CODE_BUFFER_MIN_SIZE || size > TCG_CODE_BUFFER_MAX_SIZE) {
        error_setg(errp, "code buffer size %zu out of range (%u KiB .. %u MiB)", size,
                   TCG_CODE_BUFFER_MIN_SIZE >> 10, TCG_CODE_BUFFER_MAX_SIZE >> 20);
        return -1;
    }
    cb->size = code_buffer_round_size(size);
    cb->memfd = memfd_create("mimic-tcg-code", MFD_CLOEXEC);
    if (cb->memfd < 0) {
        error_setg_errno(errp, errno, "code buffer: memfd_create");
        return -1;
    }
    if (ftruncate(cb->memfd, (off_t)cb->size) < 0) {
        error_setg_errno(errp, errno, "code buffer: cannot size memfd to %zu", cb->size);
        tcg_code_buffer_destroy(cb);
        return -1;
    }
    if (code_buffer_map_views(cb, errp) < 0) {
        tcg_code_buffer_destroy(cb);
        return -1;
    }
    return 0;
}

void tcg_code_buffer_destroy(TCGCodeBuffer *cb)
{
    if (cb->rw) {
        munmap(cb->rw, cb->size);
    }
    if (cb->rx) {
        munmap(cb->rx, cb->size);
    }
    if (cb->memfd >= 0) {
        close(cb->memfd);
    }
    *cb = (TCGCodeBuffer){ .memfd = -1 };
}

uint8_t *tcg_code_buffer_next_rw(const TCGCodeBuffer *cb)
{
    return cb->rw + cb->used;
}

size_t tcg_code_buffer_avail(const TCGCodeBuffer *cb)
{
    return cb->size - cb->used;
}

const void *tcg_code_buffer_commit(TCGCodeBuffer *cb, size_t len)
{
    const uint8_t *start = cb->rx + cb->used;
    size_t end = cb->used + len;
    if (len > tcg_code_buffer_avail(cb)) {
        return NULL;
    }
    cb->used = MIN(ROUND_UP(end, TCG_CODE_ALIGN), cb->size);
    return start;
}

void tcg_code_buffer_flush(TCGCodeBuffer *cb)
{
    cb->used = 0;
    cb->flushes++;
}

bool tcg_code_buffer_contains_rx(const TCGCodeBuffer *cb, const void *rx)
{
    const uint8_t *p = rx;
    return cb->rx && p >= cb->rx && p < cb->rx + cb->size;
}

int tcg_code_buffer_patch_rel32(TCGCodeBuffer *cb, const void *disp_rx, const void *target_rx)
{
    const uint8_t *disp = disp_rx;
    int64_t rel = (const uint8_t *)target_rx - (disp + 4);
    if (((uintptr_t)disp & 3) != 0 || !tcg_code_buffer_contains_rx(cb, disp) ||
        !tcg_code_buffer_contains_rx(cb, disp + 3) || rel != (int32_t)rel) {
        return -1;
    }
    /* Same physical page through the RW view; x86 keeps instruction fetch coherent
     * with stores, and an aligned 4-byte store is single-copy atomic. */
    _Atomic int32_t *slot = tcg_code_buffer_rx_to_rw(cb, disp);
    atomic_store_explicit(slot, (int32_t)rel, memory_order_release);
    return 0;
}
