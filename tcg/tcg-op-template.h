/* Op generation functions for one temp type, included by tcg/tcg-op.c with
 * T (i32/i64), TV (handle type), IMM (immediate type), TTYPE (TCGType) defined.
 * The IR semantics are in docs/tcg.md. */

#define GLUE_(a, b) a##b
#define GLUE(a, b) GLUE_(a, b)
#define OPC(name) GLUE(GLUE(INDEX_op_, name), GLUE(_, T))
#define FN(name) GLUE(GLUE(tcg_gen_, name), GLUE(_, T))
#define TMP(v) (tcgv_temp(v))
#define ARG(v) temp_arg(TMP(v))
#define CONST(v) ((TV)tcg_temp_handle(tcg_constant_internal(TTYPE, (v))))

void FN(mov)(TV d, TV a)
{
    if (d != a) {
        tcg_gen_op2(OPC(mov), ARG(d), ARG(a));
    }
}

void FN(movi)(TV d, IMM v) { FN(mov)(d, CONST(v)); }
void FN(neg)(TV d, TV a) { tcg_gen_op2(OPC(neg), ARG(d), ARG(a)); }
void FN(not)(TV d, TV a) { tcg_gen_op2(OPC(not), ARG(d), ARG(a)); }

#define BINOP(name) \
    void FN(name)(TV d, TV a, TV b) { tcg_gen_op3(OPC(name), ARG(d), ARG(a), ARG(b)); }
BINOP(add) BINOP(sub) BINOP(mul) BINOP(div) BINOP(divu) BINOP(rem) BINOP(remu)
BINOP(and) BINOP(or) BINOP(xor) BINOP(andc) BINOP(orc) BINOP(eqv) BINOP(nand) BINOP(nor)
BINOP(shl) BINOP(shr) BINOP(sar) BINOP(rotl) BINOP(rotr)
#undef BINOP

#define BINOPI(name, base, ITYPE) \
    void FN(name)(TV d, TV a, ITYPE b) { FN(base)(d, a, CONST(b)); }
BINOPI(addi, add, IMM) BINOPI(subi, sub, IMM) BINOPI(muli, mul, IMM)
BINOPI(andi, and, IMM) BINOPI(ori, or, IMM) BINOPI(xori, xor, IMM)
BINOPI(shli, shl, unsigned) BINOPI(shri, shr, unsigned) BINOPI(sari, sar, unsigned)
BINOPI(rotli, rotl, unsigned) BINOPI(rotri, rotr, unsigned)
#undef BINOPI

#define UNOP(name) void FN(name)(TV d, TV a) { tcg_gen_op2(OPC(name), ARG(d), ARG(a)); }
UNOP(ext8s) UNOP(ext8u) UNOP(ext16s) UNOP(ext16u) UNOP(bswap16) UNOP(bswap32) UNOP(ctpop)
#undef UNOP

void FN(clz)(TV d, TV a, TV z) { tcg_gen_op3(OPC(clz), ARG(d), ARG(a), ARG(z)); }
void FN(ctz)(TV d, TV a, TV z) { tcg_gen_op3(OPC(ctz), ARG(d), ARG(a), ARG(z)); }
void FN(clzi)(TV d, TV a, IMM z) { FN(clz)(d, a, CONST(z)); }
void FN(ctzi)(TV d, TV a, IMM z) { FN(ctz)(d, a, CONST(z)); }

void FN(setcond)(TCGCond c, TV d, TV a, TV b)
{
    assert((unsigned)c < TCG_COND_COUNT);
    tcg_gen_op4(OPC(setcond), ARG(d), ARG(a), ARG(b), c);
}

void FN(setcondi)(TCGCond c, TV d, TV a, IMM b) { FN(setcond)(c, d, a, CONST(b)); }

void FN(negsetcond)(TCGCond c, TV d, TV a, TV b)
{
    assert((unsigned)c < TCG_COND_COUNT);
    tcg_gen_op4(OPC(negsetcond), ARG(d), ARG(a), ARG(b), c);
}

void FN(movcond)(TCGCond c, TV d, TV c1, TV c2, TV v1, TV v2)
{
    assert((unsigned)c < TCG_COND_COUNT);
    tcg_gen_op6(OPC(movcond), ARG(d), ARG(c1), ARG(c2), ARG(v1), ARG(v2), c);
}

void FN(brcond)(TCGCond c, TV a, TV b, TCGLabel *l)
{
    assert((unsigned)c < TCG_COND_COUNT);
    l->refs++;
    tcg_gen_op4(OPC(brcond), ARG(a), ARG(b), c, l->id);
}

void FN(brcondi)(TCGCond c, TV a, IMM b, TCGLabel *l) { FN(brcond)(c, a, CONST(b), l); }

void FN(deposit)(TV d, TV a, TV b, unsigned pos, unsigned len)
{
    assert(len >= 1 && pos + len <= TBITS);
    tcg_gen_op5(OPC(deposit), ARG(d), ARG(a), ARG(b), pos, len);
}

void FN(extract)(TV d, TV a, unsigned pos, unsigned len)
{
    assert(len >= 1 && pos + len <= TBITS);
    tcg_gen_op4(OPC(extract), ARG(d), ARG(a), pos, len);
}

void FN(sextract)(TV d, TV a, unsigned pos, unsigned len)
{
    assert(len >= 1 && pos + len <= TBITS);
    tcg_gen_op4(OPC(sextract), ARG(d), ARG(a), pos, len);
}

void FN(add2)(TV rl, TV rh, TV al, TV ah, TV bl, TV bh)
{
    tcg_gen_op6(OPC(add2), ARG(rl), ARG(rh), ARG(al), ARG(ah), ARG(bl), ARG(bh));
}

void FN(sub2)(TV rl, TV rh, TV al, TV ah, TV bl, TV bh)
{
    tcg_gen_op6(OPC(sub2), ARG(rl), ARG(rh), ARG(al), ARG(ah), ARG(bl), ARG(bh));
}

void FN(mulu2)(TV rl, TV rh, TV a, TV b)
{
    tcg_gen_op4(OPC(mulu2), ARG(rl), ARG(rh), ARG(a), ARG(b));
}

void FN(muls2)(TV rl, TV rh, TV a, TV b)
{
    tcg_gen_op4(OPC(muls2), ARG(rl), ARG(rh), ARG(a), ARG(b));
}

#define LDST(name) \
    void FN(name)(TV v, TCGv_ptr base, intptr_t ofs) \
    { \
        tcg_gen_op3(OPC(name), ARG(v), ARG(base), (TCGArg)ofs); \
    }
LDST(ld8u) LDST(ld8s) LDST(ld16u) LDST(ld16s) LDST(ld) LDST(st8) LDST(st16) LDST(st)
#undef LDST

void FN(qemu_ld)(TV v, TCGTemp *addr, unsigned mmu_idx, MemOp mop)
{
    assert(memop_size(mop) <= TBITS / 8);
    tcg_gen_op4(OPC(qemu_ld), ARG(v), temp_arg(addr), mop, mmu_idx);
}

void FN(qemu_st)(TV v, TCGTemp *addr, unsigned mmu_idx, MemOp mop)
{
    assert(memop_size(mop) <= TBITS / 8);
    tcg_gen_op4(OPC(qemu_st), ARG(v), temp_arg(addr), mop, mmu_idx);
}

void FN(discard)(TV v) { tcg_gen_op1(INDEX_op_discard, ARG(v)); }

void FN(atomic_cmpxchg)(TV oldv, TCGTemp *addr, TV cmpv, TV newv, unsigned mmu_idx, MemOp mop)
{
    assert(memop_size(mop) <= TBITS / 8);
    tcg_gen_op6(OPC(atomic_cmpxchg), ARG(oldv), temp_arg(addr), ARG(cmpv), ARG(newv), mop,
                mmu_idx);
}

void FN(atomic_rmw)(TCGAtomicOp aop, TV ret, TCGTemp *addr, TV val, unsigned mmu_idx,
                    MemOp mop)
{
    assert(memop_size(mop) <= TBITS / 8 && (aop & TCG_ATOMIC_KIND) < TCG_ATOMIC_CMPXCHG);
    tcg_gen_op6(OPC(atomic_rmw), ARG(ret), temp_arg(addr), ARG(val), mop, mmu_idx, aop);
}

void FN(atomic_xchg)(TV ret, TCGTemp *addr, TV val, unsigned mmu_idx, MemOp mop)
{
    FN(atomic_rmw)(TCG_ATOMIC_XCHG, ret, addr, val, mmu_idx, mop);
}

#define ATOMIC_FETCH(OP, KIND) \
    void FN(atomic_fetch_##OP)(TV ret, TCGTemp *addr, TV val, unsigned mmu_idx, MemOp mop) \
    { \
        FN(atomic_rmw)(KIND, ret, addr, val, mmu_idx, mop); \
    } \
    void FN(atomic_##OP##_fetch)(TV ret, TCGTemp *addr, TV val, unsigned mmu_idx, MemOp mop) \
    { \
        FN(atomic_rmw)(KIND | TCG_ATOMIC_RET_NEW, ret, addr, val, mmu_idx, mop); \
    }
ATOMIC_FETCH(add, TCG_ATOMIC_ADD) ATOMIC_FETCH(and, TCG_ATOMIC_AND)
ATOMIC_FETCH(or, TCG_ATOMIC_OR) ATOMIC_FETCH(xor, TCG_ATOMIC_XOR)
ATOMIC_FETCH(smin, TCG_ATOMIC_SMIN) ATOMIC_FETCH(smax, TCG_ATOMIC_SMAX)
ATOMIC_FETCH(umin, TCG_ATOMIC_UMIN) ATOMIC_FETCH(umax, TCG_ATOMIC_UMAX)
#undef ATOMIC_FETCH

#undef GLUE_
#undef GLUE
#undef OPC
#undef FN
#undef TMP
#undef ARG
#undef CONST
