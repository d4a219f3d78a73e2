/* The insn-start map of a TB in compact form (docs/tcg.md "insn_start"): tcg_gen_code
 * stores it right after the TB's host code, so a TB needs no allocation for it. Format:
 * one byte with the number of words per instruction, then per instruction the unsigned
 * LEB128 delta of its code end offset and, per word, the signed LEB128 delta from the
 * previous instruction's word (the first instruction's from 0). Guest instructions are
 * a few bytes apart, so a typical instruction takes 3-4 bytes instead of 28. */
#include "tcg/tcg.h"

static size_t put_uleb(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if (p) {
            p[n] = b | (v ? 0x80 : 0);
        }
        n++;
    } while (v);
    return n;
}

static size_t put_sleb(uint8_t *p, int64_t v)
{
    size_t n = 0;
    for (;;) {
        uint8_t b = v & 0x7f;
        v >>= 7;        /* arithmetic */
        bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
        if (p) {
            p[n] = b | (done ? 0 : 0x80);
        }
        n++;
        if (done) {
            return n;
        }
    }
}

static uint64_t get_leb(const uint8_t **pp, bool is_signed)
{
    const uint8_t *p = *pp;
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *p++;
        if (shift < 64) {
            v |= (uint64_t)(b & 0x7f) << shift;
        }
        shift += 7;
    } while (b & 0x80);
    if (is_signed && shift < 64 && (b & 0x40)) {
        v |= ~0ull << shift;
    }
    *pp = p;
    return v;
}

size_t tcg_insn_map_encode(const TCGContext *s, uint8_t *buf)
{
    int words = s->nb_insn_start_words;
    uint64_t prev[TCG_MAX_INSN_START_WORDS] = { 0 };
    uint32_t prev_end = 0;
    size_t n = 1;
    if (buf) {
        buf[0] = (uint8_t)words;
    }
    for (int i = 0; i < s->nb_insns; i++) {
        n += put_uleb(buf ? buf + n : NULL, s->gen_insn_end_off[i] - prev_end);
        prev_end = s->gen_insn_end_off[i];
        for (int w = 0; w < words; w++) {
            n += put_sleb(buf ? buf + n : NULL, (int64_t)(s->gen_insn_data[i][w] - prev[w]));
            prev[w] = s->gen_insn_data[i][w];
        }
    }
    return n;
}

/* Decodes entries up to index, or up to the first whose end offset passes host_off. */
static int map_walk(const uint8_t *map, int nb_insns, int index, uint64_t host_off,
                    uint64_t *data)
{
    const uint8_t *p = map + 1;
    int words = map[0];
    uint64_t end = 0, d[TCG_MAX_INSN_START_WORDS] = { 0 };
    for (int i = 0; i < nb_insns; i++) {
        end += get_leb(&p, false);
        for (int w = 0; w < words && w < TCG_MAX_INSN_START_WORDS; w++) {
            d[w] += get_leb(&p, true);
        }
        if (i == index || (index < 0 && host_off < end)) {
            for (int w = 0; w < TCG_MAX_INSN_START_WORDS; w++) {
                data[w] = d[w];
            }
            return i;
        }
    }
    return -1;
}

int tcg_insn_map_find(const uint8_t *map, int nb_insns, uintptr_t tb_rx, uintptr_t retaddr,
                      uint64_t *data)
{
    if (retaddr <= tb_rx) {
        return -1;
    }
    return map_walk(map, nb_insns, -1, retaddr - tb_rx - 1, data);
}

bool tcg_insn_map_get(const uint8_t *map, int nb_insns, int index, uint64_t *data)
{
    return index >= 0 && map_walk(map, nb_insns, index, 0, data) == index;
}
