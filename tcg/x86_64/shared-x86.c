/* Code shared by every TB of the x86-64 back end, generated once per process into its
 * own small code buffer near the emulator's text (and so within rel32 reach of the
 * translation buffer): the entry prologue, the one epilogue TB exits jump to, and the
 * out-of-line slow-path thunks of guest loads and stores.
 *
 * A guest access that misses the soft TLB jumps to a 17-20 byte stub at the end of its
 * TB:   mov r11, addr  [; mov r10, value]  ; call thunk ; jmp done ; .int32 oi
 * The thunk (one per load result register, one for stores) saves the caller-saved
 * registers, calls TCGRuntimeHooks.load/store with retaddr = done (read from the jmp's
 * displacement: inside the guest instruction, for precise faults), puts the loaded value
 * in its register, restores and returns to the stub's jmp. Calls and returns pair up,
 * so the host predicts the return. Reference: docs/tcg.md "Guest loads and stores". */
#include <pthread.h>
#include <stdlib.h>
#include "tcg/code-buffer.h"
#include "tcg/x86_64/backend-x86.h"
#include "util/error.h"

static TCGCodeBuffer shared_buf;
static X86Shared shared;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static uint64_t thunk_load_c(void *env, uint64_t addr, uint32_t oi, uintptr_t retaddr)
{
    return tcg_runtime_hooks()->load(env, addr, (MemOp)(oi & 0xff), oi >> 8, retaddr);
}

static void thunk_store_c(void *env, uint64_t addr, uint64_t val, uint32_t oi,
                          uintptr_t retaddr)
{
    tcg_runtime_hooks()->store(env, addr, val, (MemOp)(oi & 0xff), oi >> 8, retaddr);
}

/* The caller-saved registers a thunk preserves, in push order. */
static const X86Reg saved_regs[] = {
    X86_RAX, X86_RCX, X86_RDX, X86_RSI, X86_RDI, X86_R8, X86_R9,
};
#define NB_SAVED ((int)(sizeof(saved_regs) / sizeof(saved_regs[0])))

/* Offset from rsp of the saved copy of r after the pushes, or -1. */
static int saved_slot(X86Reg r)
{
    for (int i = 0; i < NB_SAVED; i++) {
        if (saved_regs[i] == r) {
            return 8 * (NB_SAVED - 1 - i);
        }
    }
    return -1;
}

static void emit_call(X86Asm *a, const uint8_t *rx_base, const void *func)
{
    int64_t rel = (const uint8_t *)func - (rx_base + a->pos + 5);
    if (x86_fits_i32(rel)) {
        x86_call32(a, (int32_t)rel);
    } else {
        x86_movabs(a, X86_R11, (uint64_t)(uintptr_t)func);
        x86_call_r(a, X86_R11);
    }
}

/* Entry: [rsp] = J, the stub's "jmp done" (E9 rel32) followed by oi; r11 = address;
 * r10 = value (stores). Calls the C side with (env, addr, [val,] oi, retaddr = done) and
 * returns to J. */
static void emit_thunk(X86Asm *a, const uint8_t *rx_base, bool store, X86Reg result)
{
    for (int i = 0; i < NB_SAVED; i++) {
        x86_push(a, saved_regs[i]);
    }
    x86_load(a, 8, false, X86_RAX, X86_RSP, 8 * NB_SAVED);     /* J */
    X86Reg ra_arg = store ? X86_R8 : X86_RCX;
    x86_load(a, 4, true, ra_arg, X86_RAX, 1);                   /* rel32 */
    x86_alu_rr(a, X86_ADD, true, ra_arg, X86_RAX);
    x86_load(a, 4, false, store ? X86_RCX : X86_RDX, X86_RAX, 5);  /* oi */
    x86_alu_ri(a, X86_ADD, true, ra_arg, 5);                    /* retaddr = done */
    if (store) {
        x86_mov_rr(a, true, X86_RDX, X86_R10);
    }
    x86_mov_rr(a, true, X86_RSI, X86_R11);
    x86_mov_rr(a, true, X86_RDI, X86_ENV_REG);
    emit_call(a, rx_base, store ? (const void *)thunk_store_c : (const void *)thunk_load_c);
    if (!store && saved_slot(result) >= 0) {
        x86_store(a, 8, X86_RAX, X86_RSP, saved_slot(result));
    } else if (!store) {
        x86_mov_rr(a, true, result, X86_RAX);
    }
    for (int i = NB_SAVED; i-- > 0;) {
        x86_pop(a, saved_regs[i]);
    }
    x86_ret(a);                                                 /* to J */
}

static void shared_create(void)
{
    Error *err = NULL;
    X86Asm a;
    if (tcg_code_buffer_init(&shared_buf, TCG_CODE_BUFFER_MIN_SIZE, &err) < 0) {
        error_report_err(err);
        abort();
    }
    const uint8_t *rx = shared_buf.rx + shared_buf.used;
    x86_asm_init(&a, tcg_code_buffer_next_rw(&shared_buf), 4096);
    size_t epilogue = x86_emit_prologue(&a);
    shared.prologue = rx;
    shared.epilogue = rx + epilogue;
    for (int r = 0; r < 16; r++) {
        if (X86_ALLOCATABLE_MASK & X86_REG_BIT(r)) {
            shared.thunk_ld[r] = rx + a.pos;
            emit_thunk(&a, rx, false, (X86Reg)r);
        }
    }
    shared.thunk_st = rx + a.pos;
    emit_thunk(&a, rx, true, X86_NOREG);
    if (a.overflow || !tcg_code_buffer_commit(&shared_buf, a.pos)) {
        abort();
    }
}

const X86Shared *x86_shared(void)
{
    pthread_once(&shared_once, shared_create);
    return &shared;
}

/* More than the code of any TB (a few MiB at most: 8000 IR ops of bounded size). */
#define X86_TB_CODE_BOUND (64 << 20)

/* Can a rel32 jump or call anywhere in the rest of this TB reach target? The code
 * buffer is mapped up to 64 MiB below the emulator's text and the shared code 32 MiB
 * below it (code-buffer.c), so with the default 1 GiB buffer every TB reaches both. */
bool x86_can_reach(const X86Gen *g, const void *target)
{
    int64_t rel = (const uint8_t *)target - (g->code_rx + g->a.pos);
    return rel > (int64_t)INT32_MIN + X86_TB_CODE_BOUND &&
           rel < (int64_t)INT32_MAX - X86_TB_CODE_BOUND;
}

/* The stub of a load or store that missed (see the top of the file). */
void x86_emit_ldst_stub(X86Gen *g, const X86SlowPath *sp)
{
    X86Asm *a = &g->a;
    const X86Shared *sh = x86_shared();
    x86_mov_rr(a, sp->addr64, X86_R11, sp->addr_reg);      /* 32-bit: zero-extends */
    if (sp->is_store) {
        x86_mov_rr(a, true, X86_R10, sp->data_reg);
    }
    const uint8_t *thunk = sp->is_store ? sh->thunk_st : sh->thunk_ld[sp->data_reg];
    x86_call32(a, (int32_t)(thunk - (g->code_rx + a->pos + 5)));
    x86_jmp32(a, (int32_t)((int64_t)sp->done - (int64_t)(a->pos + 5)));
    x86_emit32(a, (uint32_t)sp->mop | sp->mmu_idx << 8);
}
