/* SSE3 and SSE4.1 floating point (SDM 2: ADDSUBPS/PD, HADDPS/PD, HSUBPS/PD, ROUNDPS/PD/SS/
 * SD, DPPS, DPPD): the host's instructions under the guest MXCSR (vec-fp.h); DPPS/DPPD as
 * the SDM's sequence of host multiplies and adds (products of the masked-out elements are
 * not computed: +0.0 instead). The host must have SSE4.1 (x86-64-v2). */
#include "target-i386/vec-fp.h"

#define FP_PACKED(name, insn)                                                           \
    HOST_OP(name, insn)                                                                 \
    static inline x86_v2di lane_##name(x86_v2di a, x86_v2di b, unsigned imm, unsigned o) \
    {                                                                                   \
        return host_##name(a, b);                                                       \
    }                                                                                   \
    FP_HELPER(name, lane_##name, 32);

FP_PACKED(addsubps, "addsubps")
FP_PACKED(addsubpd, "addsubpd")
FP_PACKED(haddps, "haddps")
FP_PACKED(haddpd, "haddpd")
FP_PACKED(hsubps, "hsubps")
FP_PACKED(hsubpd, "hsubpd")

/* ROUNDxx with the immediate (rounding control and precision-exception suppression) as
 * part of the host instruction: one variant per value. */
#define RND_CASE(insn, n)                                                               \
    case n:                                                                             \
        __asm__ volatile(insn " $" #n ", %1, %0" : "+x"(a) : "x"(b));                   \
        break;
#define RND_OP(name, insn, maxlen)                                                      \
    static inline x86_v2di lane_##name(x86_v2di a, x86_v2di b, unsigned imm, unsigned o) \
    {                                                                                   \
        switch (imm & 15) {                                                             \
        RND_CASE(insn, 0) RND_CASE(insn, 1) RND_CASE(insn, 2) RND_CASE(insn, 3)         \
        RND_CASE(insn, 4) RND_CASE(insn, 5) RND_CASE(insn, 6) RND_CASE(insn, 7)         \
        RND_CASE(insn, 8) RND_CASE(insn, 9) RND_CASE(insn, 10) RND_CASE(insn, 11)       \
        RND_CASE(insn, 12) RND_CASE(insn, 13) RND_CASE(insn, 14) RND_CASE(insn, 15)     \
        }                                                                               \
        return a;                                                                       \
    }                                                                                   \
    FP_HELPER(name, lane_##name, maxlen);

RND_OP(roundps, "roundps", 32)
RND_OP(roundpd, "roundpd", 32)
RND_OP(roundss, "roundss", 16)
RND_OP(roundsd, "roundsd", 16)

HOST_OP(mulss, "mulss")
HOST_OP(addss, "addss")
HOST_OP(mulsd, "mulsd")
HOST_OP(addsd, "addsd")

static inline x86_v2di elem(x86_v2di v, unsigned i, unsigned size)
{
    X86Vec t;
    x86_v2di r = { 0, 0 };
    vstore(&t, 0, v);
    memcpy(&r, t.b + i * size, size);
    return r;
}

/* DPPS per lane: products of the elements selected by imm[7:4], summed as
 * (p0 + p1) + (p2 + p3), written to the elements selected by imm[3:0] (others +0.0). */
static inline x86_v2di lane_dpps(x86_v2di a, x86_v2di b, unsigned imm, unsigned o)
{
    x86_v2di p[4], s;
    X86Vec r;
    for (unsigned i = 0; i < 4; i++) {
        p[i] = (imm >> (4 + i)) & 1 ? host_mulss(elem(a, i, 4), elem(b, i, 4))
                                    : (x86_v2di){ 0, 0 };
    }
    s = host_addss(host_addss(p[0], p[1]), host_addss(p[2], p[3]));
    memset(&r, 0, 16);
    for (unsigned i = 0; i < 4; i++) {
        if ((imm >> i) & 1) {
            memcpy(r.b + 4 * i, &s, 4);
        }
    }
    return vload(&r, 0);
}
FP_HELPER(dpps, lane_dpps, 32);

static inline x86_v2di lane_dppd(x86_v2di a, x86_v2di b, unsigned imm, unsigned o)
{
    x86_v2di p[2], s;
    X86Vec r;
    for (unsigned i = 0; i < 2; i++) {
        p[i] = (imm >> (4 + i)) & 1 ? host_mulsd(elem(a, i, 8), elem(b, i, 8))
                                    : (x86_v2di){ 0, 0 };
    }
    s = host_addsd(p[0], p[1]);
    memset(&r, 0, 16);
    for (unsigned i = 0; i < 2; i++) {
        if ((imm >> i) & 1) {
            memcpy(r.b + 8 * i, &s, 8);
        }
    }
    return vload(&r, 0);
}
FP_HELPER(dppd, lane_dppd, 16);
