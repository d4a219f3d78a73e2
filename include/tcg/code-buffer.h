/* Translation code buffer: one region mapped twice from the same memfd pages, a
 * read-write view where the back end writes and a read-execute view where code runs
 * (never writable and executable through the same address). See docs/tcg.md. */
#ifndef TCG_CODE_BUFFER_H
#define TCG_CODE_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

#define TCG_CODE_BUFFER_DEFAULT_SIZE (1024u << 20)  /* committed only as it fills */
#define TCG_CODE_BUFFER_MIN_SIZE (64u << 10)
#define TCG_CODE_BUFFER_MAX_SIZE (2048u << 20)  /* rel32 jumps must reach across it */
#define TCG_CODE_ALIGN 16                       /* start of each translation */

typedef struct TCGCodeBuffer {
    uint8_t *rw;            /* writable view (PROT_READ|PROT_WRITE) */
    uint8_t *rx;            /* executable view (PROT_READ|PROT_EXEC), same pages */
    size_t size;            /* bytes in each view */
    size_t used;            /* bytes committed (all translations so far) */
    int memfd;
    uint64_t flushes;       /* times the buffer was emptied */
} TCGCodeBuffer;

/* Maps a buffer of size bytes (rounded up to pages, MIN..MAX); -1 with *errp set. */
int tcg_code_buffer_init(TCGCodeBuffer *cb, size_t size, Error **errp);
void tcg_code_buffer_destroy(TCGCodeBuffer *cb);

/* Where the next translation starts (RW view) and how many bytes it may take. */
uint8_t *tcg_code_buffer_next_rw(const TCGCodeBuffer *cb);
size_t tcg_code_buffer_avail(const TCGCodeBuffer *cb);
/* Commits len bytes written at tcg_code_buffer_next_rw(); returns their RX address.
 * The next translation starts at the next TCG_CODE_ALIGN boundary. */
const void *tcg_code_buffer_commit(TCGCodeBuffer *cb, size_t len);
/* Empties the buffer (every TB in it must already be dropped by the caller). */
void tcg_code_buffer_flush(TCGCodeBuffer *cb);

/* Converts between the two views; p must point inside the buffer. */
static inline void *tcg_code_buffer_rx_to_rw(const TCGCodeBuffer *cb, const void *rx)
{
    return cb->rw + ((const uint8_t *)rx - cb->rx);
}
static inline const void *tcg_code_buffer_rw_to_rx(const TCGCodeBuffer *cb, const void *rw)
{
    return cb->rx + ((const uint8_t *)rw - cb->rw);
}
bool tcg_code_buffer_contains_rx(const TCGCodeBuffer *cb, const void *rx);

/* Retargets the 32-bit rel displacement at rx address disp_rx (which must be 4-byte
 * aligned and end the instruction, as in jmp/call rel32) so that the instruction
 * branches to target_rx. The store is a single atomic 32-bit write through the RW
 * view, so a CPU running the code sees either the old or the new target.
 * Returns -1 if disp_rx is misaligned, outside the buffer, or target is out of range. */
int tcg_code_buffer_patch_rel32(TCGCodeBuffer *cb, const void *disp_rx, const void *target_rx);

#endif
