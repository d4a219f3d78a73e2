/* MMX/SSE2 integer operations generated inline as 64-bit IR operations on each quadword
 * (no helper call): PADD/PSUB B/W/D/Q (carries kept inside each element with the SWAR
 * identities below), PCMPEQ B/W/D, and PMOVMSKB's byte-sign gathering by one multiply.
 * Element-wise semantics as SDM 2 PADDB ... PMOVMSKB. */
#include "target-i386/translate-sse.h"

/* The high bit of each element of size 8 << esize bits. */
static const uint64_t high_bits[4] = {
    0x8080808080808080ull, 0x8000800080008000ull, 0x8000000080000000ull,
    0x8000000000000000ull,
};

/* d = a + b (sub: a - b) per element: (a & ~H) + (b & ~H) cannot carry out of an
 * element; the high bits are then a ^ b ^ carry-in. */
static void gen_addsub(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b, int esize, bool sub)
{
    uint64_t h = high_bits[esize];
    TCGv_i64 t = tcg_temp_new_i64(), u = tcg_temp_new_i64();

    if (esize == MO_64) {
        (sub ? tcg_gen_sub_i64 : tcg_gen_add_i64)(d, a, b);
        return;
    }
    if (!sub) {
        tcg_gen_xor_i64(u, a, b);
        tcg_gen_andi_i64(u, u, (int64_t)h);
        tcg_gen_andi_i64(t, a, (int64_t)~h);
        tcg_gen_andi_i64(d, b, (int64_t)~h);
        tcg_gen_add_i64(d, t, d);
        tcg_gen_xor_i64(d, d, u);
    } else {
        /* (a | H) - (b & ~H) cannot borrow across elements; high bits: a ^ ~b ^ borrow */
        tcg_gen_eqv_i64(u, a, b);
        tcg_gen_andi_i64(u, u, (int64_t)h);
        tcg_gen_ori_i64(t, a, (int64_t)h);
        tcg_gen_andi_i64(d, b, (int64_t)~h);
        tcg_gen_sub_i64(d, t, d);
        tcg_gen_xor_i64(d, d, u);
    }
}

/* d = all ones in each element where a == b: an element of x = a ^ b is zero iff
 * ((x & ~H) + ~H) | x has its high bit clear. */
static void gen_cmpeq(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b, int esize)
{
    uint64_t h = high_bits[esize];
    unsigned bits = 8u << esize;
    TCGv_i64 x = tcg_temp_new_i64(), t = tcg_temp_new_i64();

    tcg_gen_xor_i64(x, a, b);
    tcg_gen_andi_i64(t, x, (int64_t)~h);
    tcg_gen_addi_i64(t, t, (int64_t)~h);
    tcg_gen_or_i64(t, t, x);
    tcg_gen_andc_i64(t, tcg_constant_i64((int64_t)h), t);  /* H where equal */
    tcg_gen_shri_i64(t, t, bits - 1);                       /* 1 where equal */
    tcg_gen_muli_i64(d, t, bits == 64 ? -1 : (int64_t)((1ull << bits) - 1));
}

/* arg: bits 0-1 element size, bits 2-3 operation (0 add, 1 sub, 2 cmpeq) */
static void gen_int_op(int arg, TCGv_i64 d, TCGv_i64 a, TCGv_i64 b)
{
    int esize = arg & 3, op = arg >> 2;
    if (op == 2) {
        gen_cmpeq(d, a, b, esize);
    } else {
        gen_addsub(d, a, b, esize, op == 1);
    }
}

void x86_sse_emit_int_inline(DisasContext *s, const SseOp *o)
{
    TCGv_i64 a = tcg_temp_new_i64(), b = tcg_temp_new_i64();

    if (o->flags & SSE_F_MMX) {
        TCGv_i64 m = x86_gen_mmx_load_rm(s);
        x86_gen_mmx_enter(s);
        tcg_gen_ld_i64(a, tcg_env, x86_mmx_ofs(s->reg));
        gen_int_op(o->arg, a, a, m);
        x86_gen_mmx_store(s->reg, a);
        return;
    }
    intptr_t bo = x86_gen_vec_load_rm(s, 16, true), d = x86_vec_ofs(s->reg);
    for (int i = 0; i < 16; i += 8) {
        tcg_gen_ld_i64(a, tcg_env, d + i);
        tcg_gen_ld_i64(b, tcg_env, bo + i);
        gen_int_op(o->arg, a, a, b);
        tcg_gen_st_i64(a, tcg_env, d + i);
    }
}

/* The sign bits of the 8 bytes of v gathered into bits 0-7 (v & H) >> 7 places them 8
 * bits apart; the multiply by sum(2^(56 - 7i)) moves byte i's to bit 56 + i without
 * any two partial products meeting. */
void x86_gen_byte_signs(TCGv_i64 d, TCGv_i64 v)
{
    tcg_gen_andi_i64(d, v, (int64_t)high_bits[0]);
    tcg_gen_shri_i64(d, d, 7);
    tcg_gen_muli_i64(d, d, 0x0102040810204080ll);
    tcg_gen_shri_i64(d, d, 56);
}
