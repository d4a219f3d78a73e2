/* The interpreter back end, execution: runs the bytecode of tcg/interp/gen.c against the
 * CPU state. Each op is evaluated by the reference semantics (tcg_eval_op) or by a few
 * lines here for memory, calls and control flow, so that it can serve as the oracle. */
#include <stdlib.h>
#include "bytecode.h"
#include "interp.h"
#include "util/error.h"

typedef struct InterpState {
    void *env;
    uint64_t frame[TCG_MAX_TEMPS];
} InterpState;

static uint64_t rd_opnd(InterpState *st, const uint8_t *p)
{
    uint64_t desc = interp_word(p), val = interp_word(p + 8);
    const uint8_t *g;
    uint32_t v32;
    uint64_t v64;
    switch (OPND_CLASS(desc)) {
    case OPND_FRAME:
        return st->frame[val % TCG_MAX_TEMPS];
    case OPND_GLOBAL:
        g = (const uint8_t *)st->env + val;
        if (OPND_TYPE(desc) == TCG_TYPE_I32) {
            memcpy(&v32, g, 4);
            return v32;
        }
        memcpy(&v64, g, 8);
        return v64;
    case OPND_CONST:
        return val;
    default:
        return (uintptr_t)st->env;
    }
}

static void wr_opnd(InterpState *st, const uint8_t *p, uint64_t v)
{
    uint64_t desc = interp_word(p), val = interp_word(p + 8);
    uint8_t *g;
    bool is32 = OPND_TYPE(desc) == TCG_TYPE_I32;
    uint32_t v32 = (uint32_t)v;
    if (is32) {
        v = v32;
    }
    switch (OPND_CLASS(desc)) {
    case OPND_FRAME:
        st->frame[val % TCG_MAX_TEMPS] = v;
        break;
    case OPND_GLOBAL:
        g = (uint8_t *)st->env + val;
        if (is32) {
            memcpy(g, &v32, 4);
        } else {
            memcpy(g, &v, 8);
        }
        break;
    default:
        break;  /* constants and env are never outputs */
    }
}

/* Host memory access for the ld and st ops: size in bytes, sign-extend flag. */
static uint64_t host_load(uint64_t base, uint64_t ofs, unsigned size, bool sign)
{
    const uint8_t *p = (const uint8_t *)(uintptr_t)(base + ofs);
    uint64_t v = 0;
    memcpy(&v, p, size);    /* little-endian host */
    if (sign && size < 8) {
        uint64_t bit = 1ull << (size * 8 - 1);
        v = (v ^ bit) - bit;
    }
    return v;
}

static void host_store(uint64_t base, uint64_t ofs, unsigned size, uint64_t v)
{
    memcpy((uint8_t *)(uintptr_t)(base + ofs), &v, size);
}

/* The host ld/st ops: access size in bytes, sign extension, direction. */
typedef struct HostMemOp {
    uint8_t size;       /* 0: not a host ld/st op */
    bool sign, store;
} HostMemOp;

static const HostMemOp host_mem_ops[NB_OPS] = {
    [INDEX_op_ld8u_i32] = { 1, 0, 0 }, [INDEX_op_ld8s_i32] = { 1, 1, 0 },
    [INDEX_op_ld16u_i32] = { 2, 0, 0 }, [INDEX_op_ld16s_i32] = { 2, 1, 0 },
    [INDEX_op_ld_i32] = { 4, 0, 0 }, [INDEX_op_st8_i32] = { 1, 0, 1 },
    [INDEX_op_st16_i32] = { 2, 0, 1 }, [INDEX_op_st_i32] = { 4, 0, 1 },
    [INDEX_op_ld8u_i64] = { 1, 0, 0 }, [INDEX_op_ld8s_i64] = { 1, 1, 0 },
    [INDEX_op_ld16u_i64] = { 2, 0, 0 }, [INDEX_op_ld16s_i64] = { 2, 1, 0 },
    [INDEX_op_ld32u_i64] = { 4, 0, 0 }, [INDEX_op_ld32s_i64] = { 4, 1, 0 },
    [INDEX_op_ld_i64] = { 8, 0, 0 }, [INDEX_op_st8_i64] = { 1, 0, 1 },
    [INDEX_op_st16_i64] = { 2, 0, 1 }, [INDEX_op_st32_i64] = { 4, 0, 1 },
    [INDEX_op_st_i64] = { 8, 0, 1 },
};

/* Returns true if opc is a host ld/st and performs it. Operands: the value (output of a
 * load, input of a store), then the base pointer; ofs is the constant offset. */
static bool exec_host_mem(InterpState *st, unsigned opc, const uint8_t *o, uint64_t ofs)
{
    const HostMemOp *m = opc < NB_OPS ? &host_mem_ops[opc] : NULL;
    if (!m || !m->size) {
        return false;
    }
    uint64_t base = rd_opnd(st, o + 16);
    if (m->store) {
        host_store(base, ofs, m->size, rd_opnd(st, o));
    } else {
        wr_opnd(st, o, host_load(base, ofs, m->size, m->sign));
    }
    return true;
}

static const TCGRuntimeHooks *hooks_or_die(void)
{
    const TCGRuntimeHooks *h = tcg_runtime_hooks();
    if (!h) {
        error_report("tcg interp: guest memory access without runtime hooks");
        abort();
    }
    return h;
}

static void exec_guest_mem(InterpState *st, unsigned opc, const uint8_t *o,
                           const uint64_t *c, uintptr_t retaddr)
{
    const TCGRuntimeHooks *h = hooks_or_die();
    uint64_t addr = rd_opnd(st, o + 16);
    tcg_interp_retaddr = retaddr;
    if (opc == INDEX_op_qemu_ld_i32 || opc == INDEX_op_qemu_ld_i64) {
        uint64_t v = h->load(st->env, addr, (MemOp)c[0], (unsigned)c[1], retaddr);
        tcg_interp_retaddr = 0;
        wr_opnd(st, o, v);
    } else {
        h->store(st->env, addr, rd_opnd(st, o), (MemOp)c[0], (unsigned)c[1], retaddr);
        tcg_interp_retaddr = 0;
    }
}

/* Atomics go through the runtime hook, which performs them with host atomics. */
static void exec_atomic(InterpState *st, unsigned opc, const uint8_t *o, const uint64_t *c,
                        uintptr_t retaddr)
{
    const TCGRuntimeHooks *h = hooks_or_die();
    uint64_t addr = rd_opnd(st, o + 16), r;
    if (!h->atomic || !h->cmpxchg128) {
        error_report("tcg interp: guest atomic without runtime hooks");
        abort();
    }
    tcg_interp_retaddr = retaddr;
    if (opc == INDEX_op_atomic_cmpxchg128) {
        uint64_t io[4];
        addr = rd_opnd(st, o + 32);
        for (int i = 0; i < 4; i++) {
            io[i] = rd_opnd(st, o + 16 * (3 + i));
        }
        h->cmpxchg128(st->env, addr, io, tcg_atomic_oi(TCG_ATOMIC_CMPXCHG, (MemOp)c[0],
                                                       (unsigned)c[1]), retaddr);
        tcg_interp_retaddr = 0;
        wr_opnd(st, o, io[0]);
        wr_opnd(st, o + 16, io[1]);
        return;
    }
    if (opc == INDEX_op_atomic_cmpxchg_i32 || opc == INDEX_op_atomic_cmpxchg_i64) {
        uint32_t oi = tcg_atomic_oi(TCG_ATOMIC_CMPXCHG, (MemOp)c[0], (unsigned)c[1]);
        r = h->atomic(st->env, addr, rd_opnd(st, o + 48), rd_opnd(st, o + 32), oi, retaddr);
    } else {
        uint32_t oi = tcg_atomic_oi((unsigned)c[2], (MemOp)c[0], (unsigned)c[1]);
        r = h->atomic(st->env, addr, rd_opnd(st, o + 32), 0, oi, retaddr);
    }
    tcg_interp_retaddr = 0;
    wr_opnd(st, o, r);
}

static void exec_call(InterpState *st, uint64_t h, const uint8_t *o, const uint64_t *c,
                      uintptr_t retaddr)
{
    const TCGHelperInfo *info = (const TCGHelperInfo *)(uintptr_t)c[0];
    uint64_t a[TCG_MAX_HELPER_ARGS] = { 0 };
    unsigned no = REC_NO(h), ni = REC_NI(h);
    for (unsigned i = 0; i < ni && i < TCG_MAX_HELPER_ARGS; i++) {
        a[i] = rd_opnd(st, o + 16 * (no + i));
    }
    TCGHelperFunc fn = (TCGHelperFunc)info->func;
    tcg_interp_retaddr = retaddr;
    uint64_t r = fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    tcg_interp_retaddr = 0;
    if (no) {
        wr_opnd(st, o, r);
    }
}

/* Computational ops through the reference semantics. */
static void exec_compute(InterpState *st, uint64_t h, const uint8_t *o, const uint64_t *c)
{
    unsigned no = REC_NO(h), ni = REC_NI(h);
    uint64_t in[TCG_MAX_OP_ARGS] = { 0 }, out[2];
    for (unsigned i = 0; i < ni; i++) {
        in[i] = rd_opnd(st, o + 16 * (no + i));
    }
    int n = tcg_eval_op((TCGOpcode)REC_OPC(h), in, c, out);
    if (n != (int)no) {
        error_report("tcg interp: cannot execute op %u", REC_OPC(h));
        abort();
    }
    for (unsigned i = 0; i < no; i++) {
        wr_opnd(st, o + 16 * i, out[i]);
    }
}

static const uint8_t *tb_enter(InterpState *st, const uint8_t *tb)
{
    if (interp_word(tb) != INTERP_MAGIC) {
        error_report("tcg interp: %p is not interpreter code", (const void *)tb);
        abort();
    }
    uint64_t nb = interp_word(tb + 8);
    memset(st->frame, 0, sizeof(uint64_t) * (nb < TCG_MAX_TEMPS ? nb : TCG_MAX_TEMPS));
    return tb + 8 * INTERP_HEADER_WORDS;
}

/* One decoded bytecode record. */
typedef struct InterpRec {
    uint64_t h;                         /* header word */
    unsigned opc;
    const uint8_t *opnd;                /* first temp operand */
    const uint8_t *slot;                /* goto_tb: the jump slot */
    const uint8_t *next;                /* the following record */
    uint64_t c[TCG_MAX_OP_ARGS];        /* constant args */
    uintptr_t retaddr;                  /* host position for helpers and hooks */
} InterpRec;

static void decode(const uint8_t *pc, InterpRec *r)
{
    r->h = interp_word(pc);
    r->opc = REC_OPC(r->h);
    r->opnd = pc + 8;
    const uint8_t *cw = r->opnd + 16 * (REC_NO(r->h) + REC_NI(r->h));
    for (unsigned i = 0; i < REC_NC(r->h) && i < TCG_MAX_OP_ARGS; i++) {
        r->c[i] = interp_word(cw + 8 * i);
    }
    r->slot = cw + 8;
    r->next = pc + 8 * REC_LEN(r->h);
    r->retaddr = (uintptr_t)pc + 1;
}

/* Where execution goes after a record. */
typedef struct InterpPos {
    const uint8_t *tb, *pc;
    bool done;              /* left translated code with ret */
    uintptr_t ret;
} InterpPos;

static void enter_tb(InterpState *st, InterpPos *pos, const void *tb)
{
    pos->tb = tb;
    pos->pc = tb_enter(st, tb);
}

/* Branches and TB exits. Returns false if r is not a control-flow op. */
static bool exec_control(InterpState *st, const InterpRec *r, InterpPos *pos)
{
    switch (r->opc) {
    case INDEX_op_br:
        pos->pc = pos->tb + r->c[0];
        return true;
    case INDEX_op_brcond_i32:
    case INDEX_op_brcond_i64: {
        TCGType ty = r->opc == INDEX_op_brcond_i32 ? TCG_TYPE_I32 : TCG_TYPE_I64;
        bool taken = tcg_cond_eval(ty, r->c[0], rd_opnd(st, r->opnd), rd_opnd(st, r->opnd + 16));
        pos->pc = taken ? pos->tb + r->c[1] : r->next;
        return true;
    }
    case INDEX_op_exit_tb:
        pos->done = true;
        pos->ret = r->c[0];
        return true;
    case INDEX_op_goto_tb: {
        uint64_t target = __atomic_load_n((const uint64_t *)r->slot, __ATOMIC_ACQUIRE);
        /* 0 or the reset position (right after the slot): not chained */
        if (target && target != (uintptr_t)r->next) {
            enter_tb(st, pos, (const void *)(uintptr_t)target);
        } else {
            pos->pc = r->next;
        }
        return true;
    }
    case INDEX_op_goto_ptr:
        enter_tb(st, pos, (const void *)(uintptr_t)rd_opnd(st, r->opnd));
        return true;
    case INDEX_op_lookup_and_goto_ptr: {
        tcg_interp_retaddr = r->retaddr;
        const void *p = hooks_or_die()->lookup_tb_ptr(st->env);
        tcg_interp_retaddr = 0;
        if (p) {
            enter_tb(st, pos, p);
        } else {
            pos->done = true;
            pos->ret = 0;
        }
        return true;
    }
    default:
        return false;
    }
}

/* Every other op: computes, accesses memory or calls, then falls through. */
static void exec_straight(InterpState *st, const InterpRec *r)
{
    switch (r->opc) {
    case INDEX_op_mb:
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        break;
    case INDEX_op_call:
        exec_call(st, r->h, r->opnd, r->c, r->retaddr);
        break;
    case INDEX_op_qemu_ld_i32: case INDEX_op_qemu_ld_i64:
    case INDEX_op_qemu_st_i32: case INDEX_op_qemu_st_i64:
        exec_guest_mem(st, r->opc, r->opnd, r->c, r->retaddr);
        break;
    case INDEX_op_atomic_cmpxchg_i32: case INDEX_op_atomic_cmpxchg_i64:
    case INDEX_op_atomic_rmw_i32: case INDEX_op_atomic_rmw_i64:
    case INDEX_op_atomic_cmpxchg128:
        exec_atomic(st, r->opc, r->opnd, r->c, r->retaddr);
        break;
    default:
        if (!exec_host_mem(st, r->opc, r->opnd, r->c[0])) {
            exec_compute(st, r->h, r->opnd, r->c);
        }
        break;
    }
}

uintptr_t interp_exec(void *env, const void *tb_rx)
{
    /* On the stack: a guest exception unwinds out of here with siglongjmp. */
    InterpState state = { .env = env };
    InterpPos pos = { 0 };
    InterpRec rec;
    tcg_interp_retaddr = 0;
    enter_tb(&state, &pos, tb_rx);
    while (!pos.done) {
        decode(pos.pc, &rec);
        if (!exec_control(&state, &rec, &pos)) {
            exec_straight(&state, &rec);
            pos.pc = rec.next;
        }
    }
    return pos.ret;
}

void interp_set_jmp_target(uintptr_t jmp_rx, ptrdiff_t rw_delta, uintptr_t target_rx)
{
    __atomic_store_n((uint64_t *)(jmp_rx + rw_delta), (uint64_t)target_rx, __ATOMIC_RELEASE);
}

const TCGBackend tcg_backend_interp = {
    .name = "interp",
    .gen_code = interp_gen_code,
    .exec = interp_exec,
    .set_jmp_target = interp_set_jmp_target,
};
