/* The IR core: op table, translation contexts, temps, labels, op emission, conditions,
 * memory-op helpers, back-end registry and the code generation pipeline (docs/tcg.md). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "tcg/tcg.h"
#include "tcg-internal.h"
#include "util/cutils.h"
#include "util/error.h"
#include "util/log.h"

const TCGOpDef tcg_op_defs[NB_OPS] = {
#define TCG_DEF_TABLE(n, o, i, c, f) [INDEX_op_##n] = { #n, o, i, c, f },
    TCG_OPCODE_LIST(TCG_DEF_TABLE)
#undef TCG_DEF_TABLE
};

__thread TCGContext *tcg_ctx;
__thread uintptr_t tcg_interp_retaddr;

/* ---- contexts ------------------------------------------------------------------- */

void tcg_context_init(TCGContext *s, int nb_insn_start_words, TCGType addr_type)
{
    memset(s, 0, sizeof(*s));
    assert(nb_insn_start_words >= 1 && nb_insn_start_words <= TCG_MAX_INSN_START_WORDS);
    s->nb_insn_start_words = nb_insn_start_words;
    s->addr_type = addr_type;
    s->ops_cap = 256;
    s->ops = xmalloc(sizeof(TCGOp) * s->ops_cap);
    TCGTemp *env = &s->temps[0];
    env->type = TCG_TYPE_PTR;
    env->kind = TEMP_FIXED;
    env->allocated = 1;
    env->index = 0;
    env->name = "env";
    s->nb_globals = 1;
    s->nb_temps = 1;
}

void tcg_context_destroy(TCGContext *s)
{
    free(s->ops);
    s->ops = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(s->scratch); i++) {
        free(s->scratch[i]);
        s->scratch[i] = NULL;
        s->scratch_size[i] = 0;
    }
    if (tcg_ctx == s) {
        tcg_ctx = NULL;
    }
}

void *tcg_scratch(TCGContext *s, int slot, size_t size)
{
    if (size > s->scratch_size[slot]) {
        size_t n = s->scratch_size[slot] ? s->scratch_size[slot] : 4096;
        while (n < size) {
            n *= 2;
        }
        free(s->scratch[slot]);
        s->scratch[slot] = xmalloc(n);
        s->scratch_size[slot] = n;
    }
    return s->scratch[slot];
}

void *tcg_scratch_grow(TCGContext *s, int slot, size_t size)
{
    if (size > s->scratch_size[slot]) {
        size_t n = s->scratch_size[slot] ? s->scratch_size[slot] : 4096;
        while (n < size) {
            n *= 2;
        }
        s->scratch[slot] = xrealloc(s->scratch[slot], n);
        s->scratch_size[slot] = n;
    }
    return s->scratch[slot];
}

void tcg_context_set_current(TCGContext *s)
{
    tcg_ctx = s;
}

/* The previous TB's constants leave the hash: their slots only (a constant's slot + 1 is
 * in its next_free), not the 4 KB table, unless an overflowed TB handed the last temp
 * out again (it may have been a constant). Its temps need no clearing: temp_alloc clears
 * each temp it hands out. */
static void drop_tb_constants(TCGContext *s)
{
    if (s->overflow) {
        memset(s->const_hash, 0, sizeof(s->const_hash));
        return;
    }
    for (int i = s->nb_globals; i < s->nb_temps; i++) {
        if (s->temps[i].kind == TEMP_CONST) {
            s->const_hash[s->temps[i].next_free - 1] = 0;
        }
    }
}

void tcg_func_start(TCGContext *s)
{
    drop_tb_constants(s);
    s->nb_temps = s->nb_globals;
    memset(s->free_head, 0, sizeof(s->free_head));
    s->nb_ops = 0;
    s->nb_labels = 0;
    s->nb_insns = 0;
    s->overflow = false;
    memset(s->tb_has_goto_tb, 0, sizeof(s->tb_has_goto_tb));
}

bool tcg_op_buf_full(void)
{
    TCGContext *s = tcg_ctx;
    return s->overflow || s->nb_ops > TCG_OP_BUF_SOFT_LIMIT ||
           s->nb_temps > TCG_MAX_TEMPS - 64 || s->nb_labels > TCG_MAX_LABELS - 16 ||
           s->nb_insns >= TCG_MAX_INSNS - 1;
}

/* ---- temps ---------------------------------------------------------------------- */

static TCGTemp *temp_alloc(TCGContext *s)
{
    if (s->nb_temps >= TCG_MAX_TEMPS) {
        /* Hand out the last slot again so that generation can continue harmlessly;
         * the TB is abandoned by the runtime because overflow is set. */
        s->overflow = true;
        return &s->temps[TCG_MAX_TEMPS - 1];
    }
    TCGTemp *t = &s->temps[s->nb_temps];
    memset(t, 0, sizeof(*t));
    t->index = s->nb_temps++;
    return t;
}

TCGTemp *tcg_global_mem_new_internal(TCGType type, intptr_t offset, const char *name)
{
    TCGContext *s = tcg_ctx;
    assert(s->nb_temps == s->nb_globals);   /* globals before any TB temp */
    TCGTemp *t = temp_alloc(s);
    t->type = type;
    t->kind = TEMP_GLOBAL;
    t->allocated = 1;
    t->mem_base = 0;
    t->mem_offset = offset;
    t->name = name;
    s->nb_globals = s->nb_temps;
    return t;
}

TCGv_i32 tcg_global_mem_new_i32(intptr_t offset, const char *name)
{
    return temp_tcgv_i32(tcg_global_mem_new_internal(TCG_TYPE_I32, offset, name));
}

TCGv_i64 tcg_global_mem_new_i64(intptr_t offset, const char *name)
{
    return temp_tcgv_i64(tcg_global_mem_new_internal(TCG_TYPE_I64, offset, name));
}

static uint16_t *free_list(TCGContext *s, int kind, int type)
{
    return &s->free_head[kind == TEMP_TB][type == TCG_TYPE_I64];
}

TCGTemp *tcg_temp_new_internal(TCGType type, TCGTempKind kind)
{
    TCGContext *s = tcg_ctx;
    uint16_t *head = free_list(s, kind, type);
    TCGTemp *t;
    if (*head) {
        t = &s->temps[*head - 1];
        *head = t->next_free;
        t->next_free = 0;
    } else {
        t = temp_alloc(s);
        t->type = type;
        t->kind = kind;
    }
    t->allocated = 1;
    return t;
}

void tcg_temp_free_internal(TCGTemp *t)
{
    if ((t->kind == TEMP_EBB || t->kind == TEMP_TB) && t->allocated) {
        uint16_t *head = free_list(tcg_ctx, t->kind, t->type);
        t->allocated = 0;
        t->next_free = *head;
        *head = t->index + 1;
    }
}

static unsigned const_hash_slot(TCGType type, uint64_t val)
{
    uint64_t h = (val ^ ((uint64_t)type << 63)) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(h >> 40) & (TCG_CONST_HASH_SIZE - 1);
}

/* The slot holding constant (type, val), or the empty slot where it belongs. */
static uint16_t *const_lookup(TCGContext *s, TCGType type, uint64_t val)
{
    unsigned i = const_hash_slot(type, val);
    for (;;) {
        uint16_t *slot = &s->const_hash[i];
        if (*slot == 0) {
            return slot;
        }
        const TCGTemp *t = &s->temps[*slot - 1];
        if (t->kind == TEMP_CONST && t->type == type && t->val == val) {
            return slot;
        }
        i = (i + 1) & (TCG_CONST_HASH_SIZE - 1);
    }
}

static TCGTemp *constant_new(TCGContext *s, uint16_t *slot, TCGType type, uint64_t val)
{
    TCGTemp *t = temp_alloc(s);
    if (s->overflow) {
        return t;   /* not interned: the TB is being abandoned */
    }
    t->type = type;
    t->kind = TEMP_CONST;
    t->allocated = 1;
    t->val = val;
    t->next_free = (uint16_t)(slot - s->const_hash + 1);  /* (constants are never freed) */
    *slot = t->index + 1;
    return t;
}

TCGTemp *tcg_constant_try(TCGContext *s, TCGType type, uint64_t val)
{
    if (type == TCG_TYPE_I32) {
        val = (uint32_t)val;
    }
    uint16_t *slot = const_lookup(s, type, val);
    if (*slot) {
        return &s->temps[*slot - 1];
    }
    if (s->nb_temps >= TCG_MAX_TEMPS) {
        return NULL;
    }
    return constant_new(s, slot, type, val);
}

TCGTemp *tcg_constant_internal(TCGType type, uint64_t val)
{
    TCGContext *s = tcg_ctx;
    if (type == TCG_TYPE_I32) {
        val = (uint32_t)val;
    }
    uint16_t *slot = const_lookup(s, type, val);
    if (*slot) {
        return &s->temps[*slot - 1];
    }
    return constant_new(s, slot, type, val);
}

void tcg_context_rehash(TCGContext *s)
{
    memset(s->const_hash, 0, sizeof(s->const_hash));
    memset(s->free_head, 0, sizeof(s->free_head));
    for (int i = s->nb_globals; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        if (t->kind == TEMP_CONST) {
            uint16_t *slot = const_lookup(s, t->type, t->val);
            *slot = t->index + 1;
            t->next_free = (uint16_t)(slot - s->const_hash + 1);
        } else if (!t->allocated) {
            uint16_t *head = free_list(s, t->kind, t->type);
            t->next_free = *head;
            *head = t->index + 1;
        }
    }
}

TCGv_i32 tcg_temp_new_i32(void) { return temp_tcgv_i32(tcg_temp_new_internal(TCG_TYPE_I32, TEMP_EBB)); }
TCGv_i64 tcg_temp_new_i64(void) { return temp_tcgv_i64(tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB)); }
TCGv_ptr tcg_temp_new_ptr(void) { return temp_tcgv_ptr(tcg_temp_new_internal(TCG_TYPE_PTR, TEMP_EBB)); }
TCGv_i32 tcg_temp_new_tb_i32(void) { return temp_tcgv_i32(tcg_temp_new_internal(TCG_TYPE_I32, TEMP_TB)); }
TCGv_i64 tcg_temp_new_tb_i64(void) { return temp_tcgv_i64(tcg_temp_new_internal(TCG_TYPE_I64, TEMP_TB)); }
void tcg_temp_free_i32(TCGv_i32 v) { tcg_temp_free_internal(tcgv_i32_temp(v)); }
void tcg_temp_free_i64(TCGv_i64 v) { tcg_temp_free_internal(tcgv_i64_temp(v)); }
void tcg_temp_free_ptr(TCGv_ptr v) { tcg_temp_free_internal(tcgv_ptr_temp(v)); }
TCGv_i32 tcg_constant_i32(uint32_t val) { return temp_tcgv_i32(tcg_constant_internal(TCG_TYPE_I32, val)); }
TCGv_i64 tcg_constant_i64(uint64_t val) { return temp_tcgv_i64(tcg_constant_internal(TCG_TYPE_I64, val)); }
TCGv_ptr tcg_constant_ptr(uintptr_t val) { return temp_tcgv_ptr(tcg_constant_internal(TCG_TYPE_PTR, val)); }

TCGv_i32 tcg_const_i32(uint32_t val)
{
    TCGv_i32 t = tcg_temp_new_i32();
    tcg_gen_movi_i32(t, val);
    return t;
}

TCGv_i64 tcg_const_i64(uint64_t val)
{
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_movi_i64(t, val);
    return t;
}

/* ---- labels and ops ------------------------------------------------------------- */

TCGLabel *gen_new_label(void)
{
    TCGContext *s = tcg_ctx;
    if (s->nb_labels >= TCG_MAX_LABELS) {
        s->overflow = true;
        return &s->labels[TCG_MAX_LABELS - 1];
    }
    TCGLabel *l = &s->labels[s->nb_labels];
    memset(l, 0, sizeof(*l));
    l->id = s->nb_labels++;
    return l;
}

void gen_set_label(TCGLabel *l)
{
    l->present = true;
    tcg_gen_op1(INDEX_op_set_label, l->id);
}

void tcg_gen_br(TCGLabel *l)
{
    l->refs++;
    tcg_gen_op1(INDEX_op_br, l->id);
}

/* A new op at the end of the list with its header set and every argument zero (unused
 * args are zero). The args are cleared with eight 16-byte stores: the generic emission
 * path (an argument array copied with memcpy, the rest cleared with a variable-size
 * memset) was ~100 host instructions per op, a twentieth of a TB's translation. */
static inline TCGOp *op_new(TCGContext *s, TCGOpcode opc)
{
    typedef uint64_t v2u64 __attribute__((vector_size(16), aligned(8)));
    const TCGOpDef *def = &tcg_op_defs[opc];
    if (__builtin_expect(s->nb_ops == s->ops_cap, 0)) {
        s->ops_cap *= 2;
        s->ops = xrealloc(s->ops, sizeof(TCGOp) * s->ops_cap);
    }
    TCGOp *op = &s->ops[s->nb_ops++];
    op->opc = opc;
    op->nb_oargs = def->nb_oargs;
    op->nb_iargs = def->nb_iargs;
    op->nb_cargs = def->nb_cargs;
    op->life = 0;
    v2u64 *a = (v2u64 *)op->args, z = { 0, 0 };
    _Static_assert(TCG_MAX_OP_ARGS == 16, "eight stores clear the args");
    a[0] = z; a[1] = z; a[2] = z; a[3] = z;     /* (a loop becomes "rep stos") */
    a[4] = z; a[5] = z; a[6] = z; a[7] = z;
    if (opc == INDEX_op_insn_start && s->nb_insns < TCG_MAX_INSNS) {
        s->nb_insns++;
    }
    return op;
}

/* The argument count of a fixed-argument op must match its definition. */
static inline void check_nargs(TCGOpcode opc, int nargs)
{
    const TCGOpDef *def = &tcg_op_defs[opc];
    assert(nargs <= TCG_MAX_OP_ARGS);
    if (!(def->flags & TCG_OPF_VAR_ARGS)) {
        assert(nargs == def->nb_oargs + def->nb_iargs + def->nb_cargs);
    }
    (void)def;
}

TCGOp *tcg_emit_op(TCGOpcode opc, int nargs, const TCGArg *args)
{
    check_nargs(opc, nargs);
    TCGOp *op = op_new(tcg_ctx, opc);
    for (int i = 0; i < nargs; i++) {
        op->args[i] = args[i];
    }
    return op;
}

void tcg_gen_op1(TCGOpcode opc, TCGArg a1)
{
    check_nargs(opc, 1);
    TCGOp *op = op_new(tcg_ctx, opc);
    op->args[0] = a1;
}

void tcg_gen_op2(TCGOpcode opc, TCGArg a1, TCGArg a2)
{
    check_nargs(opc, 2);
    TCGOp *op = op_new(tcg_ctx, opc);
    op->args[0] = a1;
    op->args[1] = a2;
}

void tcg_gen_op3(TCGOpcode opc, TCGArg a1, TCGArg a2, TCGArg a3)
{
    check_nargs(opc, 3);
    TCGOp *op = op_new(tcg_ctx, opc);
    op->args[0] = a1;
    op->args[1] = a2;
    op->args[2] = a3;
}

void tcg_gen_op4(TCGOpcode opc, TCGArg a1, TCGArg a2, TCGArg a3, TCGArg a4)
{
    check_nargs(opc, 4);
    TCGOp *op = op_new(tcg_ctx, opc);
    op->args[0] = a1;
    op->args[1] = a2;
    op->args[2] = a3;
    op->args[3] = a4;
}

void tcg_gen_op5(TCGOpcode opc, TCGArg a1, TCGArg a2, TCGArg a3, TCGArg a4, TCGArg a5)
{
    check_nargs(opc, 5);
    TCGOp *op = op_new(tcg_ctx, opc);
    op->args[0] = a1;
    op->args[1] = a2;
    op->args[2] = a3;
    op->args[3] = a4;
    op->args[4] = a5;
}

void tcg_gen_op6(TCGOpcode opc, TCGArg a1, TCGArg a2, TCGArg a3, TCGArg a4, TCGArg a5,
                 TCGArg a6)
{
    check_nargs(opc, 6);
    TCGOp *op = op_new(tcg_ctx, opc);
    op->args[0] = a1;
    op->args[1] = a2;
    op->args[2] = a3;
    op->args[3] = a4;
    op->args[4] = a5;
    op->args[5] = a6;
}

void tcg_compact_ops(TCGContext *s)
{
    int j = 0;
    for (int i = 0; i < s->nb_ops; i++) {
        if (s->ops[i].opc != INDEX_op_nop) {
            if (i != j) {
                s->ops[j] = s->ops[i];
            }
            j++;
        }
    }
    s->nb_ops = j;
}

/* ---- conditions ----------------------------------------------------------------- */

static const char *const cond_names[TCG_COND_COUNT] = {
    [TCG_COND_NEVER] = "never", [TCG_COND_ALWAYS] = "always",
    [TCG_COND_EQ] = "eq", [TCG_COND_NE] = "ne", [TCG_COND_LT] = "lt", [TCG_COND_GE] = "ge",
    [TCG_COND_LE] = "le", [TCG_COND_GT] = "gt", [TCG_COND_LTU] = "ltu",
    [TCG_COND_GEU] = "geu", [TCG_COND_LEU] = "leu", [TCG_COND_GTU] = "gtu",
    [TCG_COND_TSTEQ] = "tsteq", [TCG_COND_TSTNE] = "tstne",
};

const char *tcg_cond_name(TCGCond c)
{
    return (unsigned)c < TCG_COND_COUNT ? cond_names[c] : "?";
}

TCGCond tcg_invert_cond(TCGCond c)
{
    static const TCGCond inv[TCG_COND_COUNT] = {
        [TCG_COND_NEVER] = TCG_COND_ALWAYS, [TCG_COND_ALWAYS] = TCG_COND_NEVER,
        [TCG_COND_EQ] = TCG_COND_NE, [TCG_COND_NE] = TCG_COND_EQ,
        [TCG_COND_LT] = TCG_COND_GE, [TCG_COND_GE] = TCG_COND_LT,
        [TCG_COND_LE] = TCG_COND_GT, [TCG_COND_GT] = TCG_COND_LE,
        [TCG_COND_LTU] = TCG_COND_GEU, [TCG_COND_GEU] = TCG_COND_LTU,
        [TCG_COND_LEU] = TCG_COND_GTU, [TCG_COND_GTU] = TCG_COND_LEU,
        [TCG_COND_TSTEQ] = TCG_COND_TSTNE, [TCG_COND_TSTNE] = TCG_COND_TSTEQ,
    };
    return inv[c];
}

TCGCond tcg_swap_cond(TCGCond c)
{
    static const TCGCond swp[TCG_COND_COUNT] = {
        [TCG_COND_NEVER] = TCG_COND_NEVER, [TCG_COND_ALWAYS] = TCG_COND_ALWAYS,
        [TCG_COND_EQ] = TCG_COND_EQ, [TCG_COND_NE] = TCG_COND_NE,
        [TCG_COND_LT] = TCG_COND_GT, [TCG_COND_GT] = TCG_COND_LT,
        [TCG_COND_LE] = TCG_COND_GE, [TCG_COND_GE] = TCG_COND_LE,
        [TCG_COND_LTU] = TCG_COND_GTU, [TCG_COND_GTU] = TCG_COND_LTU,
        [TCG_COND_LEU] = TCG_COND_GEU, [TCG_COND_GEU] = TCG_COND_LEU,
        [TCG_COND_TSTEQ] = TCG_COND_TSTEQ, [TCG_COND_TSTNE] = TCG_COND_TSTNE,
    };
    return swp[c];
}

bool tcg_cond_eval(TCGType type, TCGCond c, uint64_t a, uint64_t b)
{
    int64_t sa, sb;
    if (type == TCG_TYPE_I32) {
        a = (uint32_t)a;
        b = (uint32_t)b;
        sa = (int32_t)a;
        sb = (int32_t)b;
    } else {
        sa = (int64_t)a;
        sb = (int64_t)b;
    }
    switch (c) {
    case TCG_COND_NEVER: return false;
    case TCG_COND_ALWAYS: return true;
    case TCG_COND_EQ: return a == b;
    case TCG_COND_NE: return a != b;
    case TCG_COND_LT: return sa < sb;
    case TCG_COND_GE: return sa >= sb;
    case TCG_COND_LE: return sa <= sb;
    case TCG_COND_GT: return sa > sb;
    case TCG_COND_LTU: return a < b;
    case TCG_COND_GEU: return a >= b;
    case TCG_COND_LEU: return a <= b;
    case TCG_COND_GTU: return a > b;
    case TCG_COND_TSTEQ: return (a & b) == 0;
    case TCG_COND_TSTNE: return (a & b) != 0;
    default: return false;
    }
}

/* ---- memory ops ----------------------------------------------------------------- */

uint64_t memop_extend_slow(MemOp mop, uint64_t raw)
{
    unsigned bits = 8 * memop_size(mop);
    if (bits < 64) {
        raw &= (1ull << bits) - 1;
    }
    if (mop & MO_BE) {
        uint64_t v = 0;
        for (unsigned i = 0; i < bits; i += 8) {
            v = (v << 8) | ((raw >> i) & 0xff);
        }
        raw = v;
    }
    if ((mop & MO_SIGN) && bits < 64) {
        uint64_t sign = 1ull << (bits - 1);
        raw = (raw ^ sign) - sign;
    }
    return raw;
}

/* ---- runtime hooks and back ends (registries) ----------------------------------- */

const TCGRuntimeHooks *tcg_runtime_hooks_current;

void tcg_set_runtime_hooks(const TCGRuntimeHooks *hooks)
{
    tcg_runtime_hooks_current = hooks;
}

#define MAX_BACKENDS 4
static const TCGBackend *backends[MAX_BACKENDS] = { &tcg_backend_interp };
static int nb_backends = 1;

void tcg_backend_register(const TCGBackend *be)
{
    for (int i = 0; i < nb_backends; i++) {
        if (backends[i] == be) {
            return;
        }
    }
    if (nb_backends < MAX_BACKENDS) {
        backends[nb_backends++] = be;
    }
}

const TCGBackend *tcg_backend_find(const char *name)
{
    if (!name) {
        const TCGBackend *be = tcg_backend_find("x86_64");
        return be ? be : &tcg_backend_interp;
    }
    for (int i = 0; i < nb_backends; i++) {
        if (strcmp(backends[i]->name, name) == 0) {
            return backends[i];
        }
    }
    return NULL;
}

int tcg_backend_count(void)
{
    return nb_backends;
}

const TCGBackend *tcg_backend_get(int i)
{
    return i >= 0 && i < nb_backends ? backends[i] : NULL;
}

void tcg_backend_print_list(FILE *out)
{
    for (int i = 0; i < nb_backends; i++) {
        fprintf(out, "%s\n", backends[i]->name);
    }
}

/* ---- pipeline ------------------------------------------------------------------- */

static void dump_if(TCGContext *s, unsigned category, const char *title, bool life)
{
    if (!log_enabled(category)) {
        return;
    }
    FILE *out = log_file();
    fprintf(out, "%s:\n", title);
    tcg_dump_ops(s, out, life);
    fprintf(out, "\n");
    log_flush();
}

long tcg_gen_code(TCGContext *s, const TCGBackend *be, void *buf_rw, const void *buf_rx,
                  size_t size)
{
    assert(tcg_ctx == s);
    if (s->overflow) {
        return TCG_GEN_TOO_BIG;
    }
    s->stat_tbs++;
    s->stat_ops_in += s->nb_ops;
    dump_if(s, LOG_OP, "OP", false);
    if (!s->disable_opt) {
        tcg_optimize(s);
    }
    tcg_liveness(s);
    s->stat_ops_out += s->nb_ops;
    dump_if(s, LOG_OP_OPT, "OP after optimization and liveness analysis", true);
    s->nb_insns = 0;
    long n = be->gen_code(s, buf_rw, buf_rx, size);
    if (n < 0) {
        return n;
    }
    s->stat_code_bytes += n;
    /* The map is encoded once, in place, when its largest possible size fits (an
     * instruction: a 5-byte end offset and 10-byte words at most); else sized first. */
    size_t worst = 1 + (size_t)s->nb_insns * (5 + 10 * (size_t)s->nb_insn_start_words);
    size_t map = (size_t)n + worst <= size ? 0 : tcg_insn_map_encode(s, NULL);
    if ((size_t)n + map > size) {
        return -1;                  /* no room for the insn-start map */
    }
    map = tcg_insn_map_encode(s, (uint8_t *)buf_rw + n);
    s->insn_map_off = (uint32_t)n;
    return n + (long)map;
}

int tcg_search_insn(const uint32_t *end_off, int nb_insns, uintptr_t tb_rx, uintptr_t retaddr)
{
    if (retaddr <= tb_rx) {
        return -1;
    }
    uintptr_t off = retaddr - tb_rx - 1;
    for (int i = 0; i < nb_insns; i++) {
        if (off < end_off[i]) {
            return i;
        }
    }
    return -1;
}

TCGOp *tcg_op_insert_after(TCGContext *s, int pos, TCGOpcode opc)
{
    if (s->nb_ops == s->ops_cap) {
        s->ops_cap *= 2;
        s->ops = xrealloc(s->ops, sizeof(TCGOp) * s->ops_cap);
    }
    memmove(&s->ops[pos + 2], &s->ops[pos + 1], sizeof(TCGOp) * (s->nb_ops - pos - 1));
    s->nb_ops++;
    TCGOp *op = &s->ops[pos + 1];
    memset(op, 0, sizeof(*op));
    op->opc = opc;
    op->nb_oargs = tcg_op_defs[opc].nb_oargs;
    op->nb_iargs = tcg_op_defs[opc].nb_iargs;
    op->nb_cargs = tcg_op_defs[opc].nb_cargs;
    return op;
}
