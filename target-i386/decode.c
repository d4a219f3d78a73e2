/* x86 instruction decoder: legacy and REX prefixes, the one-, two- and three-byte opcode
 * maps, ModRM/SIB/displacement (16-, 32- and 64-bit addressing, RIP-relative),
 * immediates, operand/address sizes (Intel SDM vol. 2, chapter 2 and appendix A). Each
 * opcode is a table entry naming a short emitter (translate-*.c). */
#include "target-i386/translate.h"

#define MAX_INSN_LEN 15

uint8_t x86_ldub_code(DisasContext *s)
{
    return translator_ldub(s->cpu, s->tb, s->next_pc++);
}

uint16_t x86_lduw_code(DisasContext *s)
{
    uint16_t v = translator_lduw(s->cpu, s->tb, s->next_pc);
    s->next_pc += 2;
    return v;
}

uint32_t x86_ldl_code(DisasContext *s)
{
    uint32_t v = translator_ldl(s->cpu, s->tb, s->next_pc);
    s->next_pc += 4;
    return v;
}

uint64_t x86_ldq_code(DisasContext *s)
{
    uint64_t v = translator_ldq(s->cpu, s->tb, s->next_pc);
    s->next_pc += 8;
    return v;
}

/* ---- the tables --------------------------------------------------------------------------- */

#define E(fn, fl, im, a) { x86_emit_##fn, (fl), X86_IMM_##im, (a) }
#define M X86_F_MODRM
#define B X86_F_BYTE
#define D64 X86_F_D64
#define F64 X86_F_F64
#define I64 X86_F_I64
#define LK X86_F_LOCK

/* The eight ALU rows 00-3F: op, the six forms, then the two odd opcodes of the row. */
#define ALU_ROW(base, op)                                                               \
    [base + 0] = E(alu, M | B | LK, NONE, op), [base + 1] = E(alu, M | LK, NONE, op),    \
    [base + 2] = E(alu, M | B, NONE, op | 8), [base + 3] = E(alu, M, NONE, op | 8),      \
    [base + 4] = E(alu_acc_imm, B, B, op), [base + 5] = E(alu_acc_imm, 0, Z, op)

#define RANGE8(first, ...) [first] = __VA_ARGS__, [first + 1] = __VA_ARGS__,            \
    [first + 2] = __VA_ARGS__, [first + 3] = __VA_ARGS__, [first + 4] = __VA_ARGS__,     \
    [first + 5] = __VA_ARGS__, [first + 6] = __VA_ARGS__, [first + 7] = __VA_ARGS__
#define RANGE16(first, ...) RANGE8(first, __VA_ARGS__), RANGE8(first + 8, __VA_ARGS__)

static const X86OpEntry op1[256] = {
    ALU_ROW(0x00, 0), ALU_ROW(0x08, 1), ALU_ROW(0x10, 2), ALU_ROW(0x18, 3),
    ALU_ROW(0x20, 4), ALU_ROW(0x28, 5), ALU_ROW(0x30, 6), ALU_ROW(0x38, 7),
    [0x06] = E(seg_push, I64, NONE, R_ES), [0x07] = E(seg_pop, I64, NONE, R_ES),
    [0x0e] = E(seg_push, I64, NONE, R_CS),
    [0x16] = E(seg_push, I64, NONE, R_SS), [0x17] = E(seg_pop, I64, NONE, R_SS),
    [0x1e] = E(seg_push, I64, NONE, R_DS), [0x1f] = E(seg_pop, I64, NONE, R_DS),
    [0x27] = E(bcd, I64, NONE, 0), [0x2f] = E(bcd, I64, NONE, 1),
    [0x37] = E(bcd, I64, NONE, 2), [0x3f] = E(bcd, I64, NONE, 3),
    RANGE8(0x40, E(inc_dec_reg, I64, NONE, 0)), RANGE8(0x48, E(inc_dec_reg, I64, NONE, 1)),
    RANGE8(0x50, E(push_reg, D64, NONE, 0)), RANGE8(0x58, E(pop_reg, D64, NONE, 0)),
    [0x60] = E(pusha, I64, NONE, 0), [0x61] = E(popa, I64, NONE, 0),
    [0x62] = E(bound, M | I64 | X86_F_MEM, NONE, 0), [0x63] = E(movsxd, M, NONE, 0),
    [0x68] = E(push_imm, D64, Z, 0), [0x69] = E(imul3, M, Z, 0),
    [0x6a] = E(push_imm, D64, B, 0), [0x6b] = E(imul3, M, B, 0),
    [0x6c] = E(string, B, NONE, 6), [0x6d] = E(string, 0, NONE, 6),
    [0x6e] = E(string, B, NONE, 7), [0x6f] = E(string, 0, NONE, 7),
    RANGE16(0x70, E(jcc, F64, B, 0)),
    [0x80] = E(alu_imm, M | B | LK, B, 0), [0x81] = E(alu_imm, M | LK, Z, 0),
    [0x82] = E(alu_imm, M | B | LK | I64, B, 0), [0x83] = E(alu_imm, M | LK, B, 0),
    [0x84] = E(test, M | B, NONE, 0), [0x85] = E(test, M, NONE, 0),
    [0x86] = E(xchg, M | B | LK, NONE, 0), [0x87] = E(xchg, M | LK, NONE, 0),
    [0x88] = E(mov, M | B, NONE, 0), [0x89] = E(mov, M, NONE, 0),
    [0x8a] = E(mov, M | B, NONE, 1), [0x8b] = E(mov, M, NONE, 1),
    [0x8c] = E(mov_seg, M, NONE, 0), [0x8d] = E(lea, M | X86_F_MEM, NONE, 0),
    [0x8e] = E(mov_seg, M, NONE, 1), [0x8f] = E(pop_rm, M | D64, NONE, 0),
    RANGE8(0x90, E(xchg_acc, 0, NONE, 0)),
    [0x98] = E(cbw, 0, NONE, 0), [0x99] = E(cwd, 0, NONE, 0),
    [0x9a] = E(far_call, I64, FAR, 0), [0x9b] = E(fwait, 0, NONE, 0),
    [0x9c] = E(pushf, D64, NONE, 0), [0x9d] = E(popf, D64, NONE, 0),
    [0x9e] = E(sahf, 0, NONE, 0), [0x9f] = E(lahf, 0, NONE, 0),
    [0xa0] = E(mov_moffs, B, MOFFS, 0), [0xa1] = E(mov_moffs, 0, MOFFS, 0),
    [0xa2] = E(mov_moffs, B, MOFFS, 1), [0xa3] = E(mov_moffs, 0, MOFFS, 1),
    [0xa4] = E(string, B, NONE, 0), [0xa5] = E(string, 0, NONE, 0),
    [0xa6] = E(string, B, NONE, 1), [0xa7] = E(string, 0, NONE, 1),
    [0xa8] = E(test_acc, B, B, 0), [0xa9] = E(test_acc, 0, Z, 0),
    [0xaa] = E(string, B, NONE, 2), [0xab] = E(string, 0, NONE, 2),
    [0xac] = E(string, B, NONE, 3), [0xad] = E(string, 0, NONE, 3),
    [0xae] = E(string, B, NONE, 4), [0xaf] = E(string, 0, NONE, 4),
    RANGE8(0xb0, E(mov_reg_imm, B, B, 0)), RANGE8(0xb8, E(mov_reg_imm, 0, V, 0)),
    [0xc0] = E(shift, M | B, UB, 0), [0xc1] = E(shift, M, UB, 0),
    [0xc2] = E(ret, F64, W, 1), [0xc3] = E(ret, F64, NONE, 0),
    [0xc4] = E(lseg, M, NONE, R_ES), [0xc5] = E(lseg, M, NONE, R_DS),
    [0xc6] = E(mov_imm_rm, M | B, B, 0), [0xc7] = E(mov_imm_rm, M, Z, 0),
    [0xc8] = E(enter, D64, ENTER, 0), [0xc9] = E(leave, D64, NONE, 0),
    [0xca] = E(far_ret, 0, W, 1), [0xcb] = E(far_ret, 0, NONE, 0),
    [0xcc] = E(int3, 0, NONE, 0), [0xcd] = E(int, 0, UB, 0),
    [0xce] = E(into, I64, NONE, 0), [0xcf] = E(iret, 0, NONE, 0),
    [0xd0] = E(shift, M | B, NONE, 1), [0xd1] = E(shift, M, NONE, 1),
    [0xd2] = E(shift, M | B, NONE, 2), [0xd3] = E(shift, M, NONE, 2),
    [0xd4] = E(bcd, I64, UB, 4), [0xd5] = E(bcd, I64, UB, 5),
    [0xd6] = E(salc, I64, NONE, 0), [0xd7] = E(xlat, 0, NONE, 0),
    RANGE8(0xd8, E(fpu_escape, M, NONE, 0)),
    [0xe0] = E(loop, F64, B, 0), [0xe1] = E(loop, F64, B, 1), [0xe2] = E(loop, F64, B, 2),
    [0xe3] = E(jcxz, F64, B, 0),
    [0xe4] = E(in_out, B, UB, 0), [0xe5] = E(in_out, 0, UB, 0),
    [0xe6] = E(in_out, B, UB, 1), [0xe7] = E(in_out, 0, UB, 1),
    [0xe8] = E(call, F64, Z, 0), [0xe9] = E(jmp, F64, Z, 0),
    [0xea] = E(far_jmp, I64, FAR, 0), [0xeb] = E(jmp, F64, B, 0),
    [0xec] = E(in_out, B, NONE, 2), [0xed] = E(in_out, 0, NONE, 2),
    [0xee] = E(in_out, B, NONE, 3), [0xef] = E(in_out, 0, NONE, 3),
    [0xf1] = E(int, 0, NONE, 1), [0xf4] = E(hlt, 0, NONE, 0),
    [0xf5] = E(flagop, 0, NONE, 0), [0xf6] = E(grp3, M | B | LK, GRP3, 0),
    [0xf7] = E(grp3, M | LK, GRP3, 0),
    [0xf8] = E(flagop, 0, NONE, 1), [0xf9] = E(flagop, 0, NONE, 2),
    [0xfa] = E(cli_sti, 0, NONE, 0), [0xfb] = E(cli_sti, 0, NONE, 1),
    [0xfc] = E(flagop, 0, NONE, 3), [0xfd] = E(flagop, 0, NONE, 4),
    [0xfe] = E(grp45, M | B | LK, NONE, 0), [0xff] = E(grp45, M | LK, NONE, 0),
};

static const X86OpEntry op2[256] = {
    [0x00] = E(sys_grp6, M, NONE, 0), [0x01] = E(sys_grp7, M, NONE, 0),
    [0x02] = E(lar_lsl, M, NONE, 0), [0x03] = E(lar_lsl, M, NONE, 1),
    [0x05] = E(syscall, 0, NONE, 0), [0x06] = E(clts, 0, NONE, 0),
    [0x07] = E(syscall, 0, NONE, 1), [0x08] = E(invd, 0, NONE, 0),
    [0x09] = E(invd, 0, NONE, 1), [0x0b] = E(ud, 0, NONE, 0),
    [0x0d] = E(nop_modrm, M, NONE, 0),
    RANGE8(0x10, E(sse, M, NONE, 0)), RANGE8(0x28, E(sse, M, NONE, 0)),  /* decode-sse.c */
    RANGE8(0x18, E(nop_modrm, M, NONE, 0)),
    [0x20] = E(mov_cr, M, NONE, 0), [0x21] = E(mov_dr, M, NONE, 0),
    [0x22] = E(mov_cr, M, NONE, 1), [0x23] = E(mov_dr, M, NONE, 1),
    [0x30] = E(msr, 0, NONE, 1), [0x31] = E(rdtsc, 0, NONE, 0),
    [0x32] = E(msr, 0, NONE, 0), [0x33] = E(rdtsc, 0, NONE, 2),
    [0x34] = E(sysenter, 0, NONE, 0), [0x35] = E(sysenter, 0, NONE, 1),
    RANGE16(0x40, E(cmov, M, NONE, 0)),
    RANGE16(0x50, E(sse, M, NONE, 0)), RANGE8(0x60, E(sse, M, NONE, 0)),
    RANGE8(0x68, E(sse, M, NONE, 0)), [0x70] = E(sse, M, UB, 0), [0x71] = E(sse, M, UB, 0),
    [0x72] = E(sse, M, UB, 0), [0x73] = E(sse, M, UB, 0), [0x74] = E(sse, M, NONE, 0),
    [0x75] = E(sse, M, NONE, 0), [0x76] = E(sse, M, NONE, 0), [0x77] = E(sse, 0, NONE, 0),
    [0x7c] = E(sse, M, NONE, 0), [0x7d] = E(sse, M, NONE, 0), [0x7e] = E(sse, M, NONE, 0),
    [0x7f] = E(sse, M, NONE, 0),
    RANGE16(0x80, E(jcc, F64, Z, 0)),
    RANGE16(0x90, E(setcc, M | B, NONE, 0)),
    [0xa0] = E(seg_push, D64, NONE, R_FS), [0xa1] = E(seg_pop, D64, NONE, R_FS),
    [0xa2] = E(cpuid, 0, NONE, 0), [0xa3] = E(bt, M | LK, NONE, 0),
    [0xa4] = E(shld, M, UB, 0), [0xa5] = E(shld, M, NONE, 1),
    [0xa8] = E(seg_push, D64, NONE, R_GS), [0xa9] = E(seg_pop, D64, NONE, R_GS),
    [0xab] = E(bt, M | LK, NONE, 1),
    [0xac] = E(shld, M, UB, 2), [0xad] = E(shld, M, NONE, 3),
    [0xae] = E(grp15, M, NONE, 0), [0xaf] = E(imul2, M, NONE, 0),
    [0xb0] = E(cmpxchg, M | B | LK, NONE, 0), [0xb1] = E(cmpxchg, M | LK, NONE, 0),
    [0xb2] = E(lseg, M, NONE, R_SS), [0xb3] = E(bt, M | LK, NONE, 2),
    [0xb4] = E(lseg, M, NONE, R_FS), [0xb5] = E(lseg, M, NONE, R_GS),
    [0xb6] = E(movzx, M, NONE, 0), [0xb7] = E(movzx, M, NONE, 1),
    [0xb8] = E(popcnt, M, NONE, 0), [0xb9] = E(ud, M, NONE, 1),
    [0xba] = E(bt_imm, M | LK, UB, 0), [0xbb] = E(bt, M | LK, NONE, 3),
    [0xbc] = E(bsf, M, NONE, 0), [0xbd] = E(bsf, M, NONE, 1),
    [0xbe] = E(movzx, M, NONE, 2), [0xbf] = E(movzx, M, NONE, 3),
    [0xc0] = E(xadd, M | B | LK, NONE, 0), [0xc1] = E(xadd, M | LK, NONE, 0),
    [0xc2] = E(sse, M, UB, 0), [0xc3] = E(sse, M, NONE, 0), [0xc4] = E(sse, M, UB, 0),
    [0xc5] = E(sse, M, UB, 0), [0xc6] = E(sse, M, UB, 0),
    [0xc7] = E(grp9, M | LK, NONE, 0),
    RANGE8(0xc8, E(bswap, 0, NONE, 0)),
    RANGE16(0xd0, E(sse, M, NONE, 0)), RANGE16(0xe0, E(sse, M, NONE, 0)),
    RANGE8(0xf0, E(sse, M, NONE, 0)), [0xf8] = E(sse, M, NONE, 0),
    [0xf9] = E(sse, M, NONE, 0), [0xfa] = E(sse, M, NONE, 0), [0xfb] = E(sse, M, NONE, 0),
    [0xfc] = E(sse, M, NONE, 0), [0xfd] = E(sse, M, NONE, 0), [0xfe] = E(sse, M, NONE, 0),
    [0xff] = E(ud, M, NONE, 2),
};

/* 0F 38 xx */
static const X86OpEntry op3_38[256] = {
    [0xf0] = E(movbe, M, NONE, 0), [0xf1] = E(movbe, M, NONE, 1),
    [0xf6] = E(adx, M, NONE, 0),
};

/* the rest of the 0F 38 map and the 0F 3A map: decode-sse.c's tables */
static const X86OpEntry sse_0f38 = E(sse, M, NONE, 0), sse_0f3a = E(sse, M, UB, 0);

#undef E

/* ---- prefixes and sizes ------------------------------------------------------------------------- */

static const int prefix_seg[8] = { R_ES, R_CS, R_SS, R_DS, -1, -1, -1, -1 };

/* Reads the prefixes; returns the first opcode byte. */
static int decode_prefixes(DisasContext *s)
{
    for (;;) {
        int b = x86_ldub_code(s);
        switch (b) {
        case 0xf3: s->prefix = (s->prefix & ~PREFIX_REPNZ) | PREFIX_REPZ; break;
        case 0xf2: s->prefix = (s->prefix & ~PREFIX_REPZ) | PREFIX_REPNZ; break;
        case 0xf0: s->prefix |= PREFIX_LOCK; break;
        case 0x66: s->prefix |= PREFIX_DATA; break;
        case 0x67: s->prefix |= PREFIX_ADR; break;
        case 0x26: case 0x2e: case 0x36: case 0x3e:
            s->override = prefix_seg[(b >> 3) & 3];
            break;
        case 0x64: s->override = R_FS; break;
        case 0x65: s->override = R_GS; break;
        default:
            if (s->code64 && (b & 0xf0) == 0x40) {
                /* REX counts only right before the opcode */
                s->prefix |= PREFIX_REX;
                s->rex_w = (b >> 3) & 1;
                s->rex_r = (b >> 2) & 1;
                s->rex_x = (b >> 1) & 1;
                s->rex_b = b & 1;
                b = x86_ldub_code(s);
                if ((b & 0xf0) == 0x40 || b == 0xf3 || b == 0xf2 || b == 0xf0 || b == 0x66 ||
                    b == 0x67 || b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e ||
                    b == 0x64 || b == 0x65) {
                    /* a prefix after REX: REX is ignored */
                    s->prefix &= ~PREFIX_REX;
                    s->rex_w = s->rex_r = s->rex_x = s->rex_b = 0;
                    s->next_pc--;
                    continue;
                }
            }
            return b;
        }
    }
}

static void decode_sizes(DisasContext *s, const X86OpEntry *e)
{
    bool data = s->prefix & PREFIX_DATA, adr = s->prefix & PREFIX_ADR;

    if (s->code64) {
        if (s->rex_w) {
            s->dflag = MO_64;
        } else if (e->flags & X86_F_F64) {
            s->dflag = MO_64;
        } else if (e->flags & X86_F_D64) {
            s->dflag = data ? MO_16 : MO_64;
        } else {
            s->dflag = data ? MO_16 : MO_32;
        }
        s->aflag = adr ? MO_32 : MO_64;
    } else {
        bool cs32 = s->flags & HF_CS32;
        s->dflag = (cs32 ^ data) ? MO_32 : MO_16;
        s->aflag = (cs32 ^ adr) ? MO_32 : MO_16;
    }
    s->ot = (e->flags & X86_F_BYTE) ? MO_8 : s->dflag;
}

/* ---- ModRM ------------------------------------------------------------------------------------ */

static void decode_modrm16(DisasContext *s, int rm)
{
    static const int8_t base16[8] = { R_EBX, R_EBX, R_EBP, R_EBP, R_ESI, R_EDI, R_EBP, R_EBX };
    static const int8_t index16[8] = { R_ESI, R_EDI, R_ESI, R_EDI, -1, -1, -1, -1 };

    s->ea_base = base16[rm];
    s->ea_index = index16[rm];
    s->ea_scale = 0;
    if (s->mod == 0 && rm == 6) {
        s->ea_base = -1;
        s->disp = (int16_t)x86_lduw_code(s);
    } else if (s->mod == 1) {
        s->disp = (int8_t)x86_ldub_code(s);
    } else if (s->mod == 2) {
        s->disp = (int16_t)x86_lduw_code(s);
    }
    s->ea_seg = (s->ea_base == R_EBP) ? R_SS : R_DS;
}

static void decode_modrm32(DisasContext *s, int rm)
{
    int base = rm;
    bool disp32 = s->mod == 2;

    s->ea_index = -1;
    s->ea_scale = 0;
    if (rm == 4) {
        int sib = x86_ldub_code(s);
        s->ea_scale = sib >> 6;
        s->ea_index = ((sib >> 3) & 7) | (s->rex_x << 3);
        if (s->ea_index == 4) {
            s->ea_index = -1;
        }
        base = sib & 7;
    }
    if (s->mod == 0 && base == 5) {
        /* no base: disp32 (RIP-relative in 64-bit mode without a SIB byte) */
        base = (rm == 5 && s->code64) ? -2 : -1;
        disp32 = true;
    } else {
        base |= s->rex_b << 3;
    }
    s->ea_base = base;
    if (disp32) {
        s->disp = (int32_t)x86_ldl_code(s);
    } else if (s->mod == 1) {
        s->disp = (int8_t)x86_ldub_code(s);
    }
    s->ea_seg = (base == R_ESP || base == R_EBP) ? R_SS : R_DS;
}

static void decode_modrm(DisasContext *s)
{
    s->modrm = x86_ldub_code(s);
    s->mod = s->modrm >> 6;
    s->reg = ((s->modrm >> 3) & 7) | (s->rex_r << 3);
    s->rm = (s->modrm & 7) | (s->rex_b << 3);
    s->disp = 0;
    if (s->mod == 3) {
        return;
    }
    if (s->aflag == MO_16) {
        decode_modrm16(s, s->modrm & 7);
    } else {
        decode_modrm32(s, s->modrm & 7);
    }
}

/* ---- immediates -------------------------------------------------------------------------------- */

static int64_t fetch_imm(DisasContext *s, int ot)
{
    switch (ot) {
    case MO_8: return (int8_t)x86_ldub_code(s);
    case MO_16: return (int16_t)x86_lduw_code(s);
    case MO_32: return (int32_t)x86_ldl_code(s);
    default: return (int64_t)x86_ldq_code(s);
    }
}

static void decode_imm(DisasContext *s, const X86OpEntry *e)
{
    switch (e->imm) {
    case X86_IMM_B: s->imm = fetch_imm(s, MO_8); break;
    case X86_IMM_UB: s->imm = x86_ldub_code(s); break;
    case X86_IMM_W: s->imm = x86_lduw_code(s); break;
    case X86_IMM_Z: s->imm = fetch_imm(s, s->ot == MO_64 ? MO_32 : s->ot); break;
    case X86_IMM_V: s->imm = fetch_imm(s, s->ot); break;
    case X86_IMM_GRP3:
        if (((s->modrm >> 3) & 7) < 2) {
            s->imm = fetch_imm(s, s->ot == MO_64 ? MO_32 : s->ot);
        }
        break;
    case X86_IMM_ENTER:
        s->imm = x86_lduw_code(s);
        s->imm2 = x86_ldub_code(s);
        break;
    case X86_IMM_FAR:
        s->imm = s->dflag == MO_16 ? x86_lduw_code(s) : x86_ldl_code(s);
        s->imm2 = x86_lduw_code(s);
        break;
    case X86_IMM_MOFFS:
        s->imm = s->aflag == MO_64 ? (int64_t)x86_ldq_code(s)
                 : s->aflag == MO_32 ? x86_ldl_code(s) : x86_lduw_code(s);
        break;
    default:
        break;
    }
}

/* ---- one instruction ----------------------------------------------------------------------------- */

static const X86OpEntry *decode_opcode(DisasContext *s, int b)
{
    if (b != 0x0f) {
        const X86OpEntry *vex = (b & 0xfe) == 0xc4 ? x86_decode_vex(s, b) : NULL;
        if (vex) {
            return vex;
        }
        s->opcode = b;
        return &op1[b];
    }
    b = x86_ldub_code(s);
    if (b == 0x38) {
        s->opcode = 0x200 | x86_ldub_code(s);
        return op3_38[s->opcode & 0xff].emit ? &op3_38[s->opcode & 0xff] : &sse_0f38;
    }
    if (b == 0x3a) {
        s->opcode = 0x300 | x86_ldub_code(s);
        return &sse_0f3a;
    }
    s->opcode = 0x100 | b;
    return &op2[b];
}

static bool entry_invalid(DisasContext *s, const X86OpEntry *e)
{
    if (!e->emit) {
        return true;
    }
    if (s->code64 ? (e->flags & X86_F_I64) : (e->flags & X86_F_O64)) {
        return true;
    }
    if ((e->flags & X86_F_MEM) && s->mod == 3) {
        return true;
    }
    if ((e->flags & X86_F_REG) && s->mod != 3) {
        return true;
    }
    if ((s->prefix & PREFIX_LOCK) && (!(e->flags & X86_F_LOCK) || s->mod == 3)) {
        return true;
    }
    return false;
}

void x86_translate_one(DisasContext *s)
{
    s->prefix = 0;
    s->rex_w = s->rex_r = s->rex_x = s->rex_b = 0;
    s->override = -1;
    s->imm = s->imm2 = 0;
    s->mod = 3;
    s->modrm = 0;
    s->cc_exact = false;
    s->vex = false;

    const X86OpEntry *e = decode_opcode(s, decode_prefixes(s));
    decode_sizes(s, e);
    if (e->emit && (e->flags & X86_F_MODRM)) {
        decode_modrm(s);
    }
    decode_imm(s, e);
    if (s->next_pc - s->pc > MAX_INSN_LEN) {
        x86_gen_exception_err(s, EXCP_GP, 0);
        return;
    }
    if (entry_invalid(s, e)) {
        x86_gen_illegal(s);
        return;
    }
    e->emit(s, e);
}
