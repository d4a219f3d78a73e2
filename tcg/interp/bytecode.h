/* The interpreter's bytecode: the optimized op list of one TB serialized into the code
 * buffer as 64-bit words (format in docs/tcg.md, "The interpreter"). */
#ifndef TCG_INTERP_BYTECODE_H
#define TCG_INTERP_BYTECODE_H

#include <stdint.h>
#include <string.h>
#include "tcg/tcg.h"

/* TB header: magic, then the number of frame slots (temps of the TB). */
#define INTERP_MAGIC 0x4d494d4943544231ull  /* "MIMICTB1" */
#define INTERP_HEADER_WORDS 2

/* Record header word: opcode, argument counts, record length in words. */
static inline uint64_t interp_rec_header(unsigned opc, unsigned no, unsigned ni, unsigned nc,
                                         unsigned len)
{
    return opc | (uint64_t)no << 16 | (uint64_t)ni << 24 | (uint64_t)nc << 32 |
           (uint64_t)len << 40;
}
#define REC_OPC(h) ((unsigned)((h) & 0xffff))
#define REC_NO(h) ((unsigned)(((h) >> 16) & 0xff))
#define REC_NI(h) ((unsigned)(((h) >> 24) & 0xff))
#define REC_NC(h) ((unsigned)(((h) >> 32) & 0xff))
#define REC_LEN(h) ((unsigned)(((h) >> 40) & 0xffff))

/* A temp operand takes two words: a descriptor (class | type << 8) and a value (frame
 * slot, byte offset from env, or the constant). */
enum {
    OPND_FRAME = 1,     /* value = frame slot */
    OPND_GLOBAL = 2,    /* value = byte offset from env */
    OPND_CONST = 3,     /* value = the constant */
    OPND_ENV = 4,       /* the env pointer itself */
};
#define OPND_DESC(cls, type) ((uint64_t)(cls) | (uint64_t)(type) << 8)
#define OPND_CLASS(d) ((unsigned)((d) & 0xff))
#define OPND_TYPE(d) ((unsigned)(((d) >> 8) & 0xff))

/* Words are read with memcpy: no alignment assumption except for jump slots. */
static inline uint64_t interp_word(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

#endif
