/* AES-NI and PCLMULQDQ (SDM 2 AESENC/AESENCLAST/AESDEC/AESDECLAST/AESIMC/
 * AESKEYGENASSIST, PCLMULQDQ; FIPS-197 for the AES round functions): in C, per 128-bit
 * lane. The S-boxes are computed once from their definition (multiplicative inverse in
 * GF(2^8) modulo x^8+x^4+x^3+x+1, then the affine map). State byte i is row i mod 4,
 * column i / 4. */
#include <pthread.h>
#include "target-i386/vec-int.h"

static uint8_t sbox[256], inv_sbox[256];
static pthread_once_t sbox_once = PTHREAD_ONCE_INIT;

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t p = 0;
    while (b) {
        if (b & 1) {
            p ^= a;
        }
        a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
        b >>= 1;
    }
    return p;
}

static uint8_t rotl8(uint8_t v, int n)
{
    return (uint8_t)((v << n) | (v >> (8 - n)));
}

static void sbox_init(void)
{
    for (int x = 0; x < 256; x++) {
        uint8_t inv = 0;
        for (int y = 1; y < 256 && x; y++) {
            if (gf_mul((uint8_t)x, (uint8_t)y) == 1) {
                inv = (uint8_t)y;
                break;
            }
        }
        uint8_t s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
        sbox[x] = s;
        inv_sbox[s] = (uint8_t)x;
    }
}

static void shift_rows(uint8_t *out, const uint8_t *in, bool inverse)
{
    for (int c = 0; c < 4; c++) {
        for (int r = 0; r < 4; r++) {
            int from = inverse ? (c - r + 4) % 4 : (c + r) % 4;
            out[r + 4 * c] = in[r + 4 * from];
        }
    }
}

static void mix_columns(uint8_t *s, bool inverse)
{
    static const uint8_t fwd[4] = { 2, 3, 1, 1 }, inv[4] = { 14, 11, 13, 9 };
    const uint8_t *m = inverse ? inv : fwd;
    for (int c = 0; c < 4; c++) {
        uint8_t col[4], *p = s + 4 * c;
        memcpy(col, p, 4);
        for (int r = 0; r < 4; r++) {
            p[r] = gf_mul(col[0], m[(4 - r) % 4]) ^ gf_mul(col[1], m[(5 - r) % 4]) ^
                   gf_mul(col[2], m[(6 - r) % 4]) ^ gf_mul(col[3], m[(7 - r) % 4]);
        }
    }
}

/* One AES round on a lane: ShiftRows+SubBytes (or their inverses), MixColumns unless
 * last, AddRoundKey. */
static void aes_round(uint8_t *r, const uint8_t *state, const uint8_t *key, bool dec,
                      bool last)
{
    uint8_t t[16];
    pthread_once(&sbox_once, sbox_init);
    shift_rows(t, state, dec);
    for (int i = 0; i < 16; i++) {
        t[i] = dec ? inv_sbox[t[i]] : sbox[t[i]];
    }
    if (!last) {
        mix_columns(t, dec);
    }
    for (int i = 0; i < 16; i++) {
        r[i] = t[i] ^ key[i];
    }
}

#define AES_OP(name, dec, last)                                                         \
    static void do_##name(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,    \
                          unsigned imm)                                                 \
    {                                                                                   \
        for (unsigned l = 0; l < len; l += 16) {                                        \
            aes_round(r->b + l, a->b + l, b->b + l, dec, last);                         \
        }                                                                               \
    }                                                                                   \
    VEC_WRAP(name)

AES_OP(aesenc, false, false);
AES_OP(aesenclast, false, true);
AES_OP(aesdec, true, false);
AES_OP(aesdeclast, true, true);

/* AESIMC: InvMixColumns of b. */
static void do_aesimc(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                      unsigned imm)
{
    memcpy(r->b, b->b, 16);
    mix_columns(r->b, true);
}
VEC_WRAP(aesimc);

static uint32_t sub_word(uint32_t w)
{
    return (uint32_t)sbox[w & 0xff] | (uint32_t)sbox[(w >> 8) & 0xff] << 8 |
           (uint32_t)sbox[(w >> 16) & 0xff] << 16 | (uint32_t)sbox[w >> 24] << 24;
}

/* AESKEYGENASSIST: SubWord of b's dwords 1 and 3, and their RotWord XOR the imm. */
static void do_aeskeygenassist(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                               unsigned imm)
{
    pthread_once(&sbox_once, sbox_init);
    uint32_t x1 = sub_word(b->l[1]), x3 = sub_word(b->l[3]);
    r->l[0] = x1;
    r->l[1] = ((x1 >> 8) | (x1 << 24)) ^ imm;
    r->l[2] = x3;
    r->l[3] = ((x3 >> 8) | (x3 << 24)) ^ imm;
}
VEC_WRAP(aeskeygenassist);

/* PCLMULQDQ: per lane, the carry-less product of a's quadword imm[0] and b's imm[4]. */
static void do_pclmulqdq(X86Vec *r, const X86Vec *a, const X86Vec *b, unsigned len,
                         unsigned imm)
{
    for (unsigned l = 0; l < len / 8; l += 2) {
        uint64_t x = a->q[l + (imm & 1)], y = b->q[l + ((imm >> 4) & 1)], lo = 0, hi = 0;
        for (int i = 0; i < 64; i++) {
            if ((y >> i) & 1) {
                lo ^= x << i;
                hi ^= i ? x >> (64 - i) : 0;
            }
        }
        r->q[l] = lo;
        r->q[l + 1] = hi;
    }
}
VEC_WRAP(pclmulqdq);
