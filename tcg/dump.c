/* Human-readable dump of the IR for "-d op" and "-d op_opt" (format in docs/tcg.md). */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include "tcg/tcg.h"

const char *tcg_temp_name(TCGContext *s, const TCGTemp *t, char *buf, size_t size)
{
    switch (t->kind) {
    case TEMP_FIXED:
    case TEMP_GLOBAL:
        snprintf(buf, size, "%s", t->name ? t->name : "?");
        break;
    case TEMP_CONST:
        if (t->type == TCG_TYPE_I32) {
            snprintf(buf, size, "$0x%" PRIx32, (uint32_t)t->val);
        } else {
            snprintf(buf, size, "$0x%" PRIx64, t->val);
        }
        break;
    case TEMP_TB:
        snprintf(buf, size, "loc%d", t->index - s->nb_globals);
        break;
    default:
        snprintf(buf, size, "tmp%d", t->index - s->nb_globals);
        break;
    }
    return buf;
}

/* Appends to buf at *pos, never overflowing. */
static void put(char *buf, size_t size, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t size, size_t *pos, const char *fmt, ...)
{
    if (*pos >= size) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *pos, size - *pos, fmt, ap);
    va_end(ap);
    if (n > 0) {
        *pos += (size_t)n;
        if (*pos >= size) {
            *pos = size - 1;
        }
    }
}

static void put_memop(char *buf, size_t size, size_t *pos, MemOp mop, TCGArg mmu_idx)
{
    static const char *const sizes[] = { "b", "w", "l", "q" };
    put(buf, size, pos, "%s%s%s", (mop & MO_BE) ? "be" : "le", (mop & MO_SIGN) ? "s" : "u",
        sizes[mop & MO_SIZE]);
    if (mop & MO_AMASK) {
        put(buf, size, pos, "+al%u", memop_alignment(mop));
    }
    put(buf, size, pos, ",mmu%" PRIu64, mmu_idx);
}

static bool op_has_cond(TCGOpcode opc, int *cond_idx)
{
    const char *name = tcg_op_defs[opc].name;
    if (strncmp(name, "setcond", 7) == 0 || strncmp(name, "negsetcond", 10) == 0 ||
        strncmp(name, "movcond", 7) == 0 || strncmp(name, "brcond", 6) == 0) {
        *cond_idx = 0;
        return true;
    }
    return false;
}

static void put_const_args(TCGContext *s, const TCGOp *op, char *buf, size_t size,
                           size_t *pos, int first)
{
    TCGOpcode opc = op->opc;
    const TCGArg *c = &op->args[op->nb_oargs + op->nb_iargs];
    int cond_idx;
    const char *name = tcg_op_defs[opc].name;
    for (int i = 0; i < op->nb_cargs; i++) {
        const char *sep = (first || i) ? "," : "";
        if (op_has_cond(opc, &cond_idx) && i == cond_idx) {
            put(buf, size, pos, "%s%s", sep, tcg_cond_name(c[i]));
        } else if ((opc == INDEX_op_br || opc == INDEX_op_set_label) ||
                   (strncmp(name, "brcond", 6) == 0 && i == 1)) {
            put(buf, size, pos, "%s$L%" PRIu64, sep, c[i]);
        } else if ((strncmp(name, "qemu_", 5) == 0 || strncmp(name, "atomic_", 7) == 0) &&
                   i == 0) {
            put(buf, size, pos, "%s", sep);
            put_memop(buf, size, pos, (MemOp)c[0], c[1]);
            if (op->nb_cargs > 2) {     /* atomic_rmw: the operation */
                put(buf, size, pos, ",%s%s", tcg_atomic_name((unsigned)c[2]),
                    (c[2] & TCG_ATOMIC_RET_NEW) ? "_new" : "_old");
            }
            break;
        } else if (strncmp(name, "ld", 2) == 0 || strncmp(name, "st", 2) == 0) {
            put(buf, size, pos, "%s$%" PRId64, sep, (int64_t)c[i]);
        } else {
            put(buf, size, pos, "%s$0x%" PRIx64, sep, c[i]);
        }
    }
}

static void put_call(TCGContext *s, const TCGOp *op, char *buf, size_t size, size_t *pos)
{
    const TCGHelperInfo *info = tcg_call_info(op);
    char tn[32];
    put(buf, size, pos, "call %s,$0x%x,$%d", info->name, info->flags, op->nb_oargs);
    for (int i = 0; i < op->nb_oargs + op->nb_iargs; i++) {
        put(buf, size, pos, ",%s", tcg_temp_name(s, arg_temp(op->args[i]), tn, sizeof(tn)));
    }
}

char *tcg_format_op(TCGContext *s, const TCGOp *op, char *buf, size_t size)
{
    size_t pos = 0;
    char tn[32];
    buf[0] = 0;
    if (op->opc == INDEX_op_insn_start) {
        put(buf, size, &pos, " ---- ");
        for (int i = 0; i < s->nb_insn_start_words; i++) {
            put(buf, size, &pos, "%s%016" PRIx64, i ? " " : "", op->args[i]);
        }
        return buf;
    }
    if (op->opc == INDEX_op_call) {
        put_call(s, op, buf, size, &pos);
        return buf;
    }
    put(buf, size, &pos, "%s ", tcg_op_defs[op->opc].name);
    int nt = op->nb_oargs + op->nb_iargs;
    for (int i = 0; i < nt; i++) {
        put(buf, size, &pos, "%s%s", i ? "," : "",
            tcg_temp_name(s, arg_temp(op->args[i]), tn, sizeof(tn)));
    }
    put_const_args(s, op, buf, size, &pos, nt > 0);
    return buf;
}

static void put_life(const TCGOp *op, char *buf, size_t size, size_t *pos)
{
    int nt = op->nb_oargs + op->nb_iargs;
    bool any_dead = false, any_sync = false;
    for (int i = 0; i < nt; i++) {
        any_dead |= IS_DEAD_ARG(op->life, i);
        any_sync |= NEED_SYNC_ARG(op->life, i);
    }
    if (any_sync) {
        put(buf, size, pos, "  sync:");
        for (int i = 0; i < nt; i++) {
            if (NEED_SYNC_ARG(op->life, i)) {
                put(buf, size, pos, " %d", i);
            }
        }
    }
    if (any_dead) {
        put(buf, size, pos, "  dead:");
        for (int i = 0; i < nt; i++) {
            if (IS_DEAD_ARG(op->life, i)) {
                put(buf, size, pos, " %d", i);
            }
        }
    }
}

void tcg_dump_ops(TCGContext *s, FILE *out, bool with_life)
{
    char line[512];
    for (int i = 0; i < s->nb_ops; i++) {
        const TCGOp *op = &s->ops[i];
        if (op->opc == INDEX_op_nop) {
            continue;
        }
        tcg_format_op(s, op, line, sizeof(line));
        if (with_life && op->opc != INDEX_op_insn_start) {
            size_t len = strlen(line);
            char life[128];
            size_t lpos = 0;
            life[0] = 0;
            put_life(op, life, sizeof(life), &lpos);
            if (lpos) {
                fprintf(out, " %-48s%s\n", line, life);
                continue;
            }
            (void)len;
        }
        fprintf(out, "%s%s\n", op->opc == INDEX_op_insn_start ? "" : " ", line);
    }
}
