/* Guest loads and stores in the x86-64 back end: the soft-TLB hit path inline
 * (include/tcg/tlb.h layout), the miss path out of line at the end of the TB calling
 * TCGRuntimeHooks.load/store (include/tcg/tcg.h), loads off one base that reuse the
 * page an earlier load verified, and stores off one base that reuse the TLB entry an
 * earlier store found (docs/tcg.md, "TLB check reuse", "TLB entry reuse"). */
#include <stddef.h>
#include "tcg/tlb.h"
#include "tcg/x86_64/backend-x86.h"
#include "util/cutils.h"

X86SlowPath *x86_new_slow_path(X86Gen *g)
{
    if (g->nb_slow == g->cap_slow) {
        g->cap_slow = g->cap_slow ? 2 * g->cap_slow : 32;
        g->slow = tcg_scratch_grow(g->s, X86_SCRATCH_SLOW,
                                   sizeof(*g->slow) * (size_t)g->cap_slow);
    }
    X86SlowPath *sp = &g->slow[g->nb_slow++];
    *sp = (X86SlowPath){ .jumps = { UINT32_MAX, UINT32_MAX } };
    return sp;
}

/* Fast path (QEMU's instruction count for 64-bit guests, one less with BMI2), the TLB of
 * mmu_idx found at fixed offsets from env (include/tcg/tlb.h):
 *   mov  r10, addr ; shr r10, 7                         ; page * 32
 *     (BMI2: rorx r10, addr, 7: the 7 low bits rotate to bits 25+ (57+ for a 64-bit
 *     address), above any TLB mask, which the and clears)
 *   and  r10, [env + mask(mmu_idx)] ; add r10, [env + table(mmu_idx)]   ; the entry
 *   lea  r11, [addr + size - align] ; and r11, PAGE_MASK | (align - 1)
 *   cmp  r11, [r10 + addr_read/addr_write] ; jne slow  ; miss, flags, crossing, misaligned
 *   mov  r10, [r10 + addend]                           ; access at [r10 + addr]
 * Returns the index register of the access ([r10 + index]): addr itself, r11 holding
 * the zero-extended 32-bit address, or X86_NOREG when r10 holds the whole host address
 * (fold: for atomics and byte swaps through r11). */
_Static_assert(TLB_DYN_MAX_BITS + TLB_ENTRY_BITS <= 32 - (TLB_PAGE_BITS - TLB_ENTRY_BITS),
               "rorx: the rotated low bits of the address must stay above the TLB mask");

X86Reg x86_emit_tlb_lookup(X86Gen *g, X86SlowPath *sp, X86Reg ra, bool force_slow, bool fold)
{
    X86Asm *a = &g->a;
    bool w64 = sp->addr64;
    unsigned size = memop_size(sp->mop);
    unsigned align = memop_alignment(sp->mop);
    int32_t cross = size > align ? (int32_t)(size - align) : 0;
    size_t tag_ofs = sp->is_store ? offsetof(CPUTLBEntry, addr_write)
                                  : offsetof(CPUTLBEntry, addr_read);

    if (sp->mmu_idx >= TLB_NB_MMU_MODES || force_slow) {
        sp->jumps[0] = (uint32_t)x86_jmp32(a, 0);
        return X86_NOREG;
    }
    if (g->feat.bmi2) {
        x86_rorx(a, w64, X86_SCRATCH0, ra, TLB_PAGE_BITS - TLB_ENTRY_BITS);
    } else {
        x86_mov_rr(a, w64, X86_SCRATCH0, ra);   /* 32-bit: zero-extends */
        x86_shift_ri(a, X86_SHR, true, X86_SCRATCH0, TLB_PAGE_BITS - TLB_ENTRY_BITS);
    }
    x86_alu_rm(a, X86_AND, true, X86_SCRATCH0, X86_ENV_REG,
               (int32_t)TLB_MASK_OFFSET(sp->mmu_idx));
    x86_alu_rm(a, X86_ADD, true, X86_SCRATCH0, X86_ENV_REG,
               (int32_t)TLB_TABLE_OFFSET(sp->mmu_idx));
    if (cross) {
        x86_lea(a, w64, X86_SCRATCH1, ra, X86_NOREG, 0, cross);
    } else {
        x86_mov_rr(a, w64, X86_SCRATCH1, ra);
    }
    x86_alu_ri(a, X86_AND, w64, X86_SCRATCH1, (int32_t)(TLB_PAGE_MASK | (align - 1)));
    x86_alu_rm(a, X86_CMP, true, X86_SCRATCH1, X86_SCRATCH0, (int32_t)tag_ofs);
    sp->jumps[1] = (uint32_t)x86_jcc32(a, X86_CC_NE, 0);
    if (sp->entry_update) {
        x86_store(a, 8, X86_SCRATCH0, X86_RSP, X86_FRAME_REUSE_ENTRY);
    }
    x86_load(a, 8, false, X86_SCRATCH0, X86_SCRATCH0, offsetof(CPUTLBEntry, addend));
    X86Reg index = ra;
    if (!w64) {
        x86_mov_rr(a, false, X86_SCRATCH1, ra);     /* zero-extends the 32-bit address */
        index = X86_SCRATCH1;
    }
    if (fold) {
        x86_alu_rr(a, X86_ADD, true, X86_SCRATCH0, index);
        index = X86_NOREG;
    }
    return index;
}

/* ro = [r10 + index] with the size, sign and byte order of mop (movbe when the host
 * has it). */
static void emit_host_load(X86Gen *g, MemOp mop, bool w64, X86Reg ro, X86Reg index)
{
    X86Asm *a = &g->a;
    unsigned size = memop_size(mop);
    bool sign = (mop & MO_SIGN) != 0, be = (mop & MO_BE) != 0 && size > 1;
    if (!be) {
        x86_load_idx(a, size, sign && size < 8, ro, X86_SCRATCH0, index, 0, 0);
        if (sign && !w64 && size < 4) {
            x86_mov_rr(a, false, ro, ro);
        }
        return;
    }
    if (g->feat.movbe) {
        x86_movbe_load(a, size, ro, X86_SCRATCH0, index, 0);
    } else {
        x86_load_idx(a, size, false, ro, X86_SCRATCH0, index, 0, 0);
        if (size == 2) {
            x86_rol16_8(a, ro);
        } else {
            x86_bswap(a, size == 8, ro);
        }
    }
    if (size == 2) {
        x86_ext_rr(a, 2, sign, w64, ro, ro);
    } else if (size == 4 && sign && w64) {
        x86_ext_rr(a, 4, true, true, ro, ro);
    }
}

/* [r10 + index] = rv with the size and byte order of mop. */
static void emit_host_store(X86Gen *g, MemOp mop, X86Reg rv, X86Reg index)
{
    X86Asm *a = &g->a;
    unsigned size = memop_size(mop);
    bool be = (mop & MO_BE) != 0 && size > 1;
    if (!be) {
        x86_store_idx(a, size, rv, X86_SCRATCH0, index, 0, 0);
    } else if (g->feat.movbe) {
        x86_movbe_store(a, size, rv, X86_SCRATCH0, index, 0);
    } else {
        x86_mov_rr(a, true, X86_SCRATCH1, rv);
        if (size == 2) {
            x86_rol16_8(a, X86_SCRATCH1);
        } else {
            x86_bswap(a, size == 8, X86_SCRATCH1);
        }
        x86_store(a, size, X86_SCRATCH1, X86_SCRATCH0, 0);
    }
}

uint16_t x86_live_caller_saved(const X86Gen *g, X86Reg except)
{
    uint16_t mask = 0;
    for (int r = 0; r < 16; r++) {
        if ((X86_CALLER_SAVED_MASK & X86_REG_BIT(r)) && g->reg_temp[r] != X86_REG_FREE &&
            r != (int)except) {
            mask |= (uint16_t)X86_REG_BIT(r);
        }
    }
    return mask;
}

void x86_finish_mem_op(X86Gen *g, const TCGOp *op, const X86Reg *out)
{
    TCGTemp *t;
    g->op_emitted = true;      /* its miss path has noted the pending stores */
    for (int k = 0; k < op->nb_oargs; k++) {
        t = &g->s->temps[op->args[k]];
        x86_ra_set_output(g, t, out[k]);
        if (NEED_SYNC_ARG(op->life, k)) {
            x86_ra_temp_store(g, t);
        }
        if (IS_DEAD_ARG(op->life, k)) {
            x86_ra_release_dead(g, t);
        }
    }
    for (int j = op->nb_oargs; j < op->nb_oargs + op->nb_iargs; j++) {
        t = &g->s->temps[op->args[j]];
        if (IS_DEAD_ARG(op->life, j) && (op->nb_oargs == 0 || t != &g->s->temps[op->args[0]])) {
            x86_ra_release_dead(g, t);
        }
    }
    x86_ra_release_op_scratch(g);
}

/* ---- TLB check reuse -------------------------------------------------------------
 * A load whose address is a global plus a constant (x86 [ebp - 0x10], ARM [sp, #8]),
 * known to be a 32-bit address, after a load of the same global and MMU index earlier in
 * the block, checks its page against the one that load verified instead of walking the
 * TLB again (5 instructions before the access instead of 9, and no chain of dependent
 * loads through the TLB):
 *     mov r11, addr ; sub r11, [rsp + page] ; cmp r11, 4096 - size ; ja full
 *     mov r10, [rsp + host] ; mov ro, [r10 + r11]        (host = addend + page)
 * The first such load writes the two frame slots after its hit; a differing page takes
 * the full lookup out of line, which writes them for the new page and comes back. Every
 * miss path of the block marks them invalid before it calls C (which may flush the TLB
 * or change the memory map): page = 0xffffffff80000000, which no 32-bit address minus it
 * brings below 4096. Labels, calls and atomics start over (the next such load writes the
 * slots again). Loads only: a store hit also depends on TLB_NOTDIRTY, which another
 * vCPU translating code may set while this TB runs. */
#define REUSE_INVALID_PAGE INT32_MIN
_Static_assert((TCG_MAX_HELPER_ARGS - 6) * 8 <= X86_FRAME_REUSE_ENTRY,
               "helper stack arguments stay below the reuse words");

/* Whether the slots start over at op (labels, calls, atomics, unconditional block ends). */
static bool reuse_resets_at(const TCGOp *op)
{
    unsigned flags = tcg_op_defs[op->opc].flags;
    bool access = op->opc == INDEX_op_qemu_ld_i32 || op->opc == INDEX_op_qemu_ld_i64 ||
                  op->opc == INDEX_op_qemu_st_i32 || op->opc == INDEX_op_qemu_st_i64;
    return op->opc == INDEX_op_set_label || ((flags & TCG_OPF_CALL_CLOBBER) && !access) ||
           ((flags & TCG_OPF_BB_END) && !(flags & TCG_OPF_COND_BRANCH));
}

/* Whether temp t, as op at reads it, is key plus or minus constants (through copies and
 * zero-extensions, defined in the few ops before). */
#define REUSE_DERIVE_WINDOW 8
static bool derives_from(const X86Gen *g, const TCGOp *at, TCGArg t, TCGArg key, int depth)
{
    if (t == key) {
        return true;
    }
    for (const TCGOp *p = at - 1; depth > 0 && p >= g->s->ops && at - p <= REUSE_DERIVE_WINDOW;
         p--) {
        if (p->nb_oargs < 1 || p->args[0] != t) {
            continue;
        }
        switch (p->opc) {
        case INDEX_op_add_i32: case INDEX_op_add_i64:
        case INDEX_op_sub_i32: case INDEX_op_sub_i64:
            return g->s->temps[p->args[2]].kind == TEMP_CONST &&
                   derives_from(g, p, p->args[1], key, depth - 1);
        case INDEX_op_mov_i32: case INDEX_op_mov_i64: case INDEX_op_ext32u_i64:
            return derives_from(g, p, p->args[1], key, depth - 1);
        default:
            return false;
        }
    }
    return false;
}

/* Whether op gives the key global a value that is not the old one plus a constant (a
 * pointer loaded from memory, say): the accesses after it are likely on another page,
 * and a reuse check that fails costs more than the full lookup. */
static bool rewrites_key(const X86Gen *g, const TCGOp *op, int key)
{
    bool writes = false;
    for (int k = 0; k < op->nb_oargs; k++) {
        writes |= (int)op->args[k] == key;
    }
    if (!writes) {
        return false;
    }
    switch (op->opc) {
    case INDEX_op_add_i32: case INDEX_op_add_i64:
    case INDEX_op_sub_i32: case INDEX_op_sub_i64:
        if (g->s->temps[op->args[2]].kind != TEMP_CONST) {
            return true;
        }
        /* fall through */
    case INDEX_op_mov_i32: case INDEX_op_mov_i64: case INDEX_op_ext32u_i64:
        return !derives_from(g, op, op->args[1], (TCGArg)key, 3);
    default:
        return true;
    }
}

void x86_reuse_note_op(X86Gen *g, const TCGOp *op)
{
    if (reuse_resets_at(op)) {
        g->reuse_live = false;
        g->entry_live = false;
    }
    if (g->reuse_live && rewrites_key(g, op, g->reuse_key)) {
        g->reuse_live = false;
    }
    if (g->entry_live && rewrites_key(g, op, g->entry_key)) {
        g->entry_live = false;
    }
}

/* The op before at (in the few before it) that writes temp t, or NULL. */
static const TCGOp *writer_before(const X86Gen *g, const TCGOp *at, TCGArg t)
{
    for (const TCGOp *p = at - 1; p >= g->s->ops && at - p <= REUSE_DERIVE_WINDOW; p--) {
        if (reuse_resets_at(p)) {
            return NULL;
        }
        for (int k = 0; k < p->nb_oargs; k++) {
            if (p->args[k] == t) {
                return k == 0 ? p : NULL;
            }
        }
    }
    return NULL;
}

/* The global a guest access's address is derived from (itself, a copy, or plus a
 * constant, through an ext32u when the address is 64-bit), or -1; *is32: the address is
 * known to fit 32 bits. The address may have been computed a few ops before (the store
 * of a read-modify-write uses the load's address). */
static int addr_global(const X86Gen *g, const TCGOp *op, bool *is32)
{
    TCGArg addr = op->args[1];
    const TCGOp *p = writer_before(g, op, addr);
    *is32 = g->s->temps[addr].type == TCG_TYPE_I32;
    if (!*is32 && p && p->opc == INDEX_op_ext32u_i64) {
        addr = p->args[1];
        p = writer_before(g, p, addr);
        *is32 = true;
    }
    if (g->s->temps[addr].kind == TEMP_GLOBAL) {
        return (int)addr;
    }
    if (!p || p->nb_oargs != 1 || g->s->temps[p->args[1]].kind != TEMP_GLOBAL) {
        return -1;
    }
    bool add = (p->opc == INDEX_op_add_i32 || p->opc == INDEX_op_add_i64) &&
               g->s->temps[p->args[2]].kind == TEMP_CONST;
    bool mov = p->opc == INDEX_op_mov_i32 || p->opc == INDEX_op_mov_i64;
    return add || mov ? (int)p->args[1] : -1;
}

static bool is_load(const TCGOp *op)
{
    return op->opc == INDEX_op_qemu_ld_i32 || op->opc == INDEX_op_qemu_ld_i64;
}

static bool is_store(const TCGOp *op)
{
    return op->opc == INDEX_op_qemu_st_i32 || op->opc == INDEX_op_qemu_st_i64;
}

/* For a guest load from a 32-bit address without an alignment requirement: the global
 * of its address (the key of the page slots), or -1. */
static int reuse_key(const X86Gen *g, const TCGOp *op)
{
    bool is32;
    if (!is_load(op) || memop_alignment((MemOp)op->args[2]) != 1 ||
        op->args[3] >= TLB_NB_MMU_MODES) {
        return -1;
    }
    int key = addr_global(g, op, &is32);
    return is32 ? key : -1;
}

/* Byte-swapping stores without movbe go through r11: the address is folded into r10. */
static bool store_needs_r11(const X86Gen *g, MemOp mop)
{
    return (mop & MO_BE) && memop_size(mop) > 1 && !g->feat.movbe;
}

/* For a guest store (except through r11) or a load from a 64-bit address: the global of
 * its address (the key of the entry slot), or -1. */
static int entry_key(const X86Gen *g, const TCGOp *op)
{
    bool is32;
    if (op->args[3] >= TLB_NB_MMU_MODES ||
        !(is_load(op) || (is_store(op) && !store_needs_r11(g, (MemOp)op->args[2])))) {
        return -1;
    }
    int key = addr_global(g, op, &is32);
    return is_load(op) && is32 ? -1 : key;
}

/* Whether the next access with a key (of keyof) after op, before the slots start
 * over, has op's key and MMU index (then op writes the slots for it; otherwise it
 * leaves them alone). */
#define REUSE_LOOKAHEAD 96
static bool next_keyed_matches(const X86Gen *g, const TCGOp *op, int key,
                               int (*keyof)(const X86Gen *, const TCGOp *))
{
    const TCGOp *end = g->s->ops + g->s->nb_ops;
    int n = 0;
    for (const TCGOp *o = op + 1; o < end && n < REUSE_LOOKAHEAD; o++, n++) {
        if (reuse_resets_at(o) || rewrites_key(g, o, key)) {
            return false;
        }
        int k = keyof(g, o);
        if (k >= 0) {
            return k == key && o->args[3] == op->args[3];
        }
    }
    return false;
}

/* After a hit (r10 = addend): page and host page address into the slots. */
static void emit_reuse_update(X86Gen *g, const X86SlowPath *sp)
{
    X86Asm *a = &g->a;
    x86_mov_rr(a, sp->addr64, X86_SCRATCH1, sp->addr_reg);     /* 32-bit: zero-extends */
    x86_alu_ri(a, X86_AND, true, X86_SCRATCH1, (int32_t)TLB_PAGE_MASK);
    x86_store(a, 8, X86_SCRATCH1, X86_RSP, X86_FRAME_REUSE_PAGE);
    x86_alu_rr(a, X86_ADD, true, X86_SCRATCH0, X86_SCRATCH1);
    x86_store(a, 8, X86_SCRATCH0, X86_RSP, X86_FRAME_REUSE_HOST);
}

/* The check against the slots; leaves r10 = host page, r11 = offset in the page. */
static void emit_reuse_check(X86Gen *g, X86SlowPath *sp)
{
    X86Asm *a = &g->a;
    x86_mov_rr(a, sp->addr64, X86_SCRATCH1, sp->addr_reg);
    x86_alu_rm(a, X86_SUB, true, X86_SCRATCH1, X86_RSP, X86_FRAME_REUSE_PAGE);
    x86_alu_ri(a, X86_CMP, true, X86_SCRATCH1, (int32_t)(TLB_PAGE_SIZE - memop_size(sp->mop)));
    sp->reuse_check = true;
    sp->reuse_jump = (uint32_t)x86_jcc32(a, X86_CC_A, 0);
    sp->reuse_access = (uint32_t)a->pos;
    x86_load(a, 8, false, X86_SCRATCH0, X86_RSP, X86_FRAME_REUSE_HOST);
}

/* Out of line, for a load whose page differed from the slots': the full lookup (a miss
 * goes on to the stub emitted next), the slots for the new page, back to the access. */
static void emit_reuse_full_lookup(X86Gen *g, X86SlowPath *sp)
{
    X86Asm *a = &g->a;
    x86_patch32(a, sp->reuse_jump, (uint32_t)(a->pos - (sp->reuse_jump + 4)));
    x86_emit_tlb_lookup(g, sp, sp->addr_reg, false, false);
    emit_reuse_update(g, sp);
    x86_mov_rr(a, false, X86_SCRATCH1, sp->addr_reg);
    x86_alu_ri(a, X86_AND, false, X86_SCRATCH1, (int32_t)(TLB_PAGE_SIZE - 1));
    x86_jmp32(a, (int32_t)((int64_t)sp->reuse_access - (int64_t)(a->pos + 5)));
}

/* ---- TLB entry reuse ----------------------------------------------------------------
 * A store (or a load from a 64-bit address) whose address derives from the same global
 * as the previous such access in the block, with the same MMU index, compares its page
 * with the tag of the TLB entry that access found, kept in a frame slot, instead of
 * finding the entry again (7 instructions before the access instead of 9 for 32-bit
 * addresses, 6 instead of 8 for 64-bit ones):
 *     lea r11, [addr + size - align] ; and r11, ~0xfff | (align - 1)
 *     mov r10, [rsp + entry] ; cmp r11, [r10 + addr_write] ; jne full
 *     mov r10, [r10 + addend] [; mov r11d, addr] ; mov [r10 + addr], rv
 * The tag is read again at every access, so a TLB_NOTDIRTY that another vCPU sets while
 * the TB runs is seen (the reason stores do not use the page slots above). A differing
 * page takes the full lookup out of line, which saves its entry and comes back. The
 * entry may move when C runs: every miss path of the block points the slot at a dead
 * entry (all tags ones, which no page with alignment bits equals) before calling C. */
static const CPUTLBEntry dead_entry = { ~0ull, ~0ull, ~0ull, 0 };

static X86Reg emit_entry_check(X86Gen *g, X86SlowPath *sp)
{
    X86Asm *a = &g->a;
    bool w64 = sp->addr64;
    X86Reg ra = sp->addr_reg;
    unsigned size = memop_size(sp->mop), align = memop_alignment(sp->mop);
    int32_t cross = size > align ? (int32_t)(size - align) : 0;
    if (cross) {
        x86_lea(a, w64, X86_SCRATCH1, ra, X86_NOREG, 0, cross);
    } else {
        x86_mov_rr(a, w64, X86_SCRATCH1, ra);
    }
    x86_alu_ri(a, X86_AND, w64, X86_SCRATCH1, (int32_t)(TLB_PAGE_MASK | (align - 1)));
    x86_load(a, 8, false, X86_SCRATCH0, X86_RSP, X86_FRAME_REUSE_ENTRY);
    x86_alu_rm(a, X86_CMP, true, X86_SCRATCH1, X86_SCRATCH0,
               (int32_t)(sp->is_store ? offsetof(CPUTLBEntry, addr_write)
                                      : offsetof(CPUTLBEntry, addr_read)));
    sp->entry_check = true;
    sp->reuse_jump = (uint32_t)x86_jcc32(a, X86_CC_NE, 0);
    x86_load(a, 8, false, X86_SCRATCH0, X86_SCRATCH0, offsetof(CPUTLBEntry, addend));
    if (!w64) {
        x86_mov_rr(a, false, X86_SCRATCH1, ra);     /* zero-extends the 32-bit address */
    }
    sp->reuse_access = (uint32_t)a->pos;
    return w64 ? ra : X86_SCRATCH1;
}

/* Out of line, for an access whose page differed from the entry's: the full lookup
 * (a miss goes on to the stub emitted next), saving the new entry, back to the access. */
static void emit_entry_full_lookup(X86Gen *g, X86SlowPath *sp)
{
    X86Asm *a = &g->a;
    x86_patch32(a, sp->reuse_jump, (uint32_t)(a->pos - (sp->reuse_jump + 4)));
    sp->entry_update = true;
    x86_emit_tlb_lookup(g, sp, sp->addr_reg, false, false);
    x86_jmp32(a, (int32_t)((int64_t)sp->reuse_access - (int64_t)(a->pos + 5)));
}

/* The full lookup of sp saves its entry in the slot, for the next access with key. */
static void entry_note_update(X86Gen *g, X86SlowPath *sp, int key)
{
    sp->entry_update = true;
    sp->entry_invalidate = true;
    g->entry_live = true;
    g->entry_key = key;
    g->entry_mmu = sp->mmu_idx;
}

/* The lookup of an access with an entry key: through the entry slot when it holds the
 * key's entry; else the full lookup, saving the entry when the next keyed access will
 * use it. Returns the index register as x86_emit_tlb_lookup does. */
static X86Reg emit_entry_lookup(X86Gen *g, const TCGOp *op, X86SlowPath *sp, bool fold)
{
    int key = entry_key(g, op);
    sp->entry_invalidate = g->entry_live;
    if (key >= 0 && g->entry_live && g->entry_key == key && g->entry_mmu == sp->mmu_idx) {
        return emit_entry_check(g, sp);
    }
    if (key >= 0 && next_keyed_matches(g, op, key, entry_key)) {
        entry_note_update(g, sp, key);
    }
    return x86_emit_tlb_lookup(g, sp, sp->addr_reg, false, fold);
}

/* The lookup and the access of a load, through the reuse slots when they apply. */
static void emit_load_access(X86Gen *g, const TCGOp *op, X86SlowPath *sp, X86Reg ro)
{
    int key = reuse_key(g, op);
    sp->reuse_invalidate = g->reuse_live;
    sp->entry_invalidate = g->entry_live;
    if (key >= 0 && g->reuse_live && g->reuse_key == key && g->reuse_mmu == sp->mmu_idx) {
        emit_reuse_check(g, sp);
        emit_host_load(g, sp->mop, sp->data64, ro, X86_SCRATCH1);
        return;
    }
    if (key >= 0 && op->args[0] != (TCGArg)key && next_keyed_matches(g, op, key, entry_key)) {
        entry_note_update(g, sp, key);  /* a store off the same key (read-modify-write) */
    }
    X86Reg index = key >= 0 ? x86_emit_tlb_lookup(g, sp, sp->addr_reg, false, false)
                            : emit_entry_lookup(g, op, sp, false);
    if (sp->jumps[1] == UINT32_MAX && !sp->entry_check) {
        return;
    }
    emit_host_load(g, sp->mop, sp->data64, ro, index);
    if (key >= 0 && next_keyed_matches(g, op, key, reuse_key)) {
        emit_reuse_update(g, sp);
        sp->reuse_invalidate = true;
        g->reuse_live = true;
        g->reuse_key = key;
        g->reuse_mmu = sp->mmu_idx;
    }
}

void x86_gen_qemu_ld(X86Gen *g, const TCGOp *op)
{
    TCGTemp *addr = &g->s->temps[op->args[1]];
    X86SlowPath *sp;
    X86Reg ra, ro;
    ra = x86_ra_in_reg(g, addr, 0);
    ro = x86_ra_alloc(g, 0);
    g->reg_temp[ro] = X86_REG_OP_SCRATCH;
    g->scratch_regs |= (uint16_t)X86_REG_BIT(ro);
    sp = x86_new_slow_path(g);
    sp->addr64 = addr->type == TCG_TYPE_I64;
    sp->data64 = (tcg_op_defs[op->opc].flags & TCG_OPF_64BIT) != 0;
    sp->mop = (MemOp)op->args[2];
    sp->mmu_idx = (unsigned)op->args[3];
    sp->addr_reg = ra;
    sp->data_reg = ro;
    x86_ra_note_dirty_globals(g, &sp->dirty, false);
    emit_load_access(g, op, sp, ro);
    sp->done = (uint32_t)g->a.pos;
    sp->save_mask = x86_live_caller_saved(g, ro);
    x86_finish_mem_op(g, op, &ro);
}

void x86_gen_qemu_st(X86Gen *g, const TCGOp *op)
{
    TCGTemp *val = &g->s->temps[op->args[0]], *addr = &g->s->temps[op->args[1]];
    X86SlowPath *sp;
    X86Reg ra, rv;
    rv = x86_ra_in_reg(g, val, 0);
    ra = x86_ra_in_reg(g, addr, 0);
    sp = x86_new_slow_path(g);
    sp->is_store = true;
    sp->addr64 = addr->type == TCG_TYPE_I64;
    sp->data64 = (tcg_op_defs[op->opc].flags & TCG_OPF_64BIT) != 0;
    sp->mop = (MemOp)op->args[2];
    sp->mmu_idx = (unsigned)op->args[3];
    sp->addr_reg = ra;
    sp->data_reg = rv;
    sp->reuse_invalidate = g->reuse_live;
    x86_ra_note_dirty_globals(g, &sp->dirty, false);
    X86Reg index = emit_entry_lookup(g, op, sp, store_needs_r11(g, sp->mop));
    if (sp->jumps[1] != UINT32_MAX || sp->entry_check) {
        emit_host_store(g, sp->mop, rv, index);
    }
    sp->done = (uint32_t)g->a.pos;
    sp->save_mask = x86_live_caller_saved(g, X86_NOREG);
    x86_finish_mem_op(g, op, NULL);
}

static void patch_to_here(X86Gen *g, uint32_t at)
{
    if (at != UINT32_MAX) {
        x86_patch32(&g->a, at, (uint32_t)(g->a.pos - (at + 4)));
    }
}

void x86_save_regs(X86Gen *g, uint16_t mask, bool restore)
{
    for (int r = 0; r < 16; r++) {
        if (mask & X86_REG_BIT(r)) {
            if (restore) {
                x86_load(&g->a, 8, false, r, X86_RSP, X86_FRAME_REG_SAVE + 8 * r);
            } else {
                x86_store(&g->a, 8, r, X86_RSP, X86_FRAME_REG_SAVE + 8 * r);
            }
        }
    }
}

/* A miss path of a block using the reuse slots makes them invalid before calling C. */
static void emit_reuse_invalidate(X86Asm *a, const X86SlowPath *sp)
{
    if (sp->reuse_invalidate) {
        x86_store_imm(a, 8, REUSE_INVALID_PAGE, X86_RSP, X86_FRAME_REUSE_PAGE);
    }
    if (sp->entry_invalidate) {
        x86_mov_ri(a, X86_SCRATCH0, (uintptr_t)&dead_entry);
        x86_store(a, 8, X86_SCRATCH0, X86_RSP, X86_FRAME_REUSE_ENTRY);
    }
}

/* One slow path: save the live caller-saved registers, call the hook with
 * (env, addr, [val,] mop, mmu_idx, retaddr = the fast path's end), restore, jump back. */
static void emit_slow_path(X86Gen *g, const X86SlowPath *sp, const TCGRuntimeHooks *hooks)
{
    X86Asm *a = &g->a;
    patch_to_here(g, sp->jumps[0]);
    patch_to_here(g, sp->jumps[1]);
    if (sp->is_atomic) {
        x86_emit_atomic_slow_path(g, sp, hooks);
        return;
    }
    x86_emit_dirty_stores(a, &sp->dirty);
    emit_reuse_invalidate(a, sp);
    x86_save_regs(g, sp->save_mask, false);
    if (sp->is_store) {
        /* addr and value may sit in each other's argument register: go through r10/r11 */
        x86_mov_rr(a, sp->addr64, X86_SCRATCH0, sp->addr_reg);
        x86_mov_rr(a, true, X86_SCRATCH1, sp->data_reg);
        x86_mov_rr(a, true, X86_RSI, X86_SCRATCH0);
        x86_mov_rr(a, true, X86_RDX, X86_SCRATCH1);
        x86_mov_ri(a, X86_RCX, sp->mop);
        x86_mov_ri(a, X86_R8, sp->mmu_idx);
        x86_lea_rip(a, X86_R9, (int32_t)((int64_t)sp->done - (int64_t)(a->pos + 7)));
    } else {
        x86_mov_rr(a, sp->addr64, X86_RSI, sp->addr_reg);
        x86_mov_ri(a, X86_RDX, sp->mop);
        x86_mov_ri(a, X86_RCX, sp->mmu_idx);
        x86_lea_rip(a, X86_R8, (int32_t)((int64_t)sp->done - (int64_t)(a->pos + 7)));
    }
    x86_mov_rr(a, true, X86_RDI, X86_ENV_REG);
    x86_gen_call_abs(g, sp->is_store ? (const void *)hooks->store : (const void *)hooks->load);
    if (!sp->is_store) {
        x86_mov_rr(a, sp->data64, sp->data_reg, X86_RAX);
    }
    x86_save_regs(g, sp->save_mask, true);
    x86_jmp32(a, (int32_t)((int64_t)sp->done - (int64_t)(a->pos + 5)));
}

void x86_gen_slow_paths(X86Gen *g)
{
    const TCGRuntimeHooks *hooks = tcg_runtime_hooks();
    if (g->nb_slow && (!hooks || !hooks->load || !hooks->store)) {
        g->unsupported = true;      /* guest memory access without a runtime */
        return;
    }
    const X86Shared *sh = x86_shared();
    for (int i = 0; i < g->nb_slow; i++) {
        X86SlowPath *sp = &g->slow[i];
        if (sp->reuse_check) {
            emit_reuse_full_lookup(g, sp);
        } else if (sp->entry_check) {
            emit_entry_full_lookup(g, sp);
        }
        if (!sp->is_atomic && x86_can_reach(g, sh->thunk_st)) {
            patch_to_here(g, sp->jumps[0]);
            patch_to_here(g, sp->jumps[1]);
            x86_emit_dirty_stores(&g->a, &sp->dirty);
            emit_reuse_invalidate(&g->a, sp);
            x86_emit_ldst_stub(g, sp);
        } else {
            emit_slow_path(g, sp, hooks);
        }
    }
}
