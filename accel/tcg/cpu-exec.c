/* The CPU loop of the translator: requests and interrupts at TB entry, TB lookup (jump
 * cache, then hash table), translation on a miss, execution, chaining, and precise guest
 * exceptions (unwind with siglongjmp, restore state from the insn-start map). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "accel/tcg/internal.h"
#include "system/main-loop.h"
#include "util/cutils.h"
#include "util/disas.h"
#include "util/log.h"
#include "util/perfmap.h"

/* ---- IR the runtime adds around every TB ----------------------------------------------- */

/* At entry: leave with TB_EXIT_REQUESTED if the vCPU's exit flag is set, so that chained
 * loops cannot starve interrupts, exit requests and flushes. */
static TCGLabel *gen_tb_start(void)
{
    TCGv_i32 flag = tcg_temp_new_i32();
    TCGLabel *exit_label = gen_new_label();

    tcg_gen_ld_i32(flag, tcg_env, TCG_EXIT_FLAG_OFFSET);
    tcg_gen_brcondi_i32(TCG_COND_NE, flag, 0, exit_label);
    tcg_temp_free_i32(flag);
    return exit_label;
}

static void gen_tb_end(CPUState *cpu, TranslationBlock *tb, TCGLabel *exit_label)
{
    gen_set_label(exit_label);
    if (tcg_target_ops(cpu)->gen_entry_exit) {
        tcg_target_ops(cpu)->gen_entry_exit(cpu, tb);
    }
    tcg_gen_exit_tb((uintptr_t)tb | TB_EXIT_REQUESTED);
}

void tcg_rt_gen_chain_exit(const TranslationBlock *tb, unsigned n)
{
    tcg_gen_exit_tb((uintptr_t)tb | (n & 1));
}

static void helper_exit_atomic(void *env)
{
    cpu_loop_exit_atomic(env, TCG_GETPC());
}

static const TCGHelperInfo info_exit_atomic = {
    .name = "exit_atomic", .func = (void *)helper_exit_atomic, .flags = TCG_CALL_NO_WG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 1, .arg_types = { TCG_TYPE_PTR },
};

void tcg_rt_gen_exit_atomic(void)
{
    TCGTemp *args[] = { tcgv_temp(tcg_env) };
    tcg_gen_callN(&info_exit_atomic, NULL, args);
}

/* ---- unwinding --------------------------------------------------------------------------- */

void cpu_loop_exit(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (!v || !v->in_exec) {
        fprintf(stderr, "tcg: cpu_loop_exit outside the CPU loop (CPU #%d)\n", cpu->index);
        abort();
    }
    tcg_clear_retaddr();
    siglongjmp(v->jmp_env, 1);
}

bool cpu_restore_state(CPUState *cpu, uintptr_t retaddr)
{
    if (!retaddr) {
        return false;
    }
    TranslationBlock *tb = tb_find_by_host(retaddr);
    if (!tb) {
        return false;
    }
    uint64_t data[TCG_MAX_INSN_START_WORDS];
    if (tcg_insn_map_find(tb->insn_map, tb->nb_insns, (uintptr_t)tb->tc_ptr, retaddr, data) < 0) {
        return false;
    }
    tcg_target_ops(cpu)->restore_state_to_opc(cpu, tb, data);
    return true;
}

void cpu_loop_exit_restore(CPUState *cpu, uintptr_t retaddr)
{
    cpu_restore_state(cpu, retaddr);
    cpu_loop_exit(cpu);
}

void cpu_raise_exception(CPUState *cpu, int excp, uintptr_t retaddr)
{
    cpu->exception_index = excp;
    cpu_loop_exit_restore(cpu, retaddr);
}

void cpu_loop_exit_atomic(CPUState *cpu, uintptr_t retaddr)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (v->in_exclusive) {
        fprintf(stderr, "tcg: CPU #%d asked for an exclusive step inside one: front end "
                "bug\n", cpu->index);
        abort();
    }
    cpu_restore_state(cpu, retaddr);
    v->exclusive_step = true;
    cpu_loop_exit(cpu);
}

void cpu_halt_and_exit(CPUState *cpu)
{
    cpu->halted = true;
    cpu->exception_index = EXCP_HLT;
    cpu_loop_exit(cpu);
}

/* Back in the loop after siglongjmp: drop what the unwound code held. */
static void cpu_exec_unwound(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    tcg_clear_retaddr();
    tb_lock_reset();
    v->xlate_jmp_valid = false;
    if (v->in_exclusive) {      /* the exclusive instruction faulted */
        v->in_exclusive = false;
        tcg_exclusive_end();
    }
    if (v->watch_pending && v->cflags_next_tb == UINT32_MAX) {
        v->watch_pending = false;   /* the instruction run alone faulted: no report */
        v->cpu_watch_hits = 0;
    }
    if (v->gen_tb) {            /* a code-fetch fault during translation */
        tb_page_translation_end(v->gen_tb);
        v->gen_tb = NULL;       /* its place in the region is simply reused */
    }
    if (bql_locked()) {
        bql_unlock();
    }
}

/* ---- translation ------------------------------------------------------------------------- */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Copies the back end's goto_tb offsets into the TB (the insn-start map: tb-region.c). */
static void tb_take_tables(TranslationBlock *tb, const TCGContext *s)
{
    for (int n = 0; n < 2; n++) {
        tb->has_jmp[n] = s->tb_has_goto_tb[n];
        tb->jmp_insn_offset[n] = s->tb_jmp_insn_offset[n];
        tb->jmp_reset_offset[n] = s->tb_jmp_reset_offset[n];
    }
}

/* Emits the IR of one TB into the vCPU's own context. No lock: the context is per vCPU
 * and the TB is not visible to anyone yet (code fetch may take the big lock for a
 * device page, and tlb_fill may run). */
static void tb_emit(CPUState *cpu, TranslationBlock *tb, int max_insns)
{
    TCGContext *s = tcg_vcpu(cpu)->ctx;

    tcg_context_set_current(s);
    tcg_func_start(s);
    tb_page_translation_end(tb);        /* of an earlier attempt */
    tb->nb_pages = 0;
    tb->page_host[0] = tb->page_host[1] = 0;
    tb->entry_check_insn = 0;
    tb->dead_exit_slots = 0;
    tb->extra_lo = tb->extra_hi = 0;
    TCGLabel *exit_label = gen_tb_start();
    tcg_target_ops(cpu)->translate(cpu, tb, max_insns);
    gen_tb_end(cpu, tb, exit_label);
}

/* Fewer instructions after an IR limit was hit. */
static int tb_shrink(const TranslationBlock *tb, int max_insns)
{
    if (max_insns <= 1) {
        fprintf(stderr, "tcg: one instruction at %#llx overflows the IR limits\n",
                (unsigned long long)tb->pc);
        abort();
    }
    return (int)(tb->icount > 1 ? tb->icount / 2 : 1);
}

/* Makes the generated TB known, unless a page it was read from was written meanwhile
 * (then false: translate it again). */
static bool tb_publish(CPUState *cpu, TranslationBlock *tb, long n)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    tb_lock();
    if (tb_pages_written(tb)) {
        tb_unlock();
        return false;           /* the code changed while it was being read */
    }
    tb_region_commit(v, tb, (size_t)n);     /* code, insn-start map */
    if (perfmap_on) {
        perfmap_add_guest(tb->tc_ptr, v->ctx->insn_map_off, tb->pc);
    }
    tb_take_tables(tb, v->ctx);
    if (!(tb->cflags & CF_NOCACHE)) {
        tb_link(tb);
    }
    tb_unlock();
    return true;
}

/* "-d in_asm": the guest code of a new TB, from its RAM pages, as one log write. */
static void tb_log_in_asm(CPUState *cpu, const TranslationBlock *tb)
{
    const TCGTargetOps *ops = tcg_target_ops(cpu);
    int arch = ops->disas_arch ? ops->disas_arch(tb) : -1;
    uint64_t ofs = tb->phys_pc & ~TLB_PAGE_MASK;
    char *text = NULL;
    size_t len = 0;

    if (arch < 0 || tb->size == 0) {
        return;
    }
    uint8_t *code = xmalloc(tb->size);
    for (uint32_t i = 0; i < tb->size; i++) {
        uint64_t at = ofs + i;
        uintptr_t page = tb->page_host[at >= TLB_PAGE_SIZE ? 1 : 0];
        code[i] = page ? *(const uint8_t *)(page + (at & ~TLB_PAGE_MASK)) : 0xff;
    }
    FILE *f = open_memstream(&text, &len);
    if (f) {
        fprintf(f, "IN: [pc=%#llx flags=%#x size=%u%s]\n", (unsigned long long)tb->pc,
                tb->flags, tb->size, tb->page_host[0] ? "" : " not in RAM");
        disas_print(f, (DisasArch)arch, code, tb->size, tb->pc);
        fclose(f);
        log_printf("%s\n", text);
    }
    free(text);
    free(code);
}

/* Translates the TB for this key; NULL after flushing a full cache (look up again). */
static TranslationBlock *tb_translate(CPUState *cpu, uint64_t pc, uint64_t cs_base,
                                      uint32_t flags, uint32_t cflags)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    hwaddr phys_pc;
    uintptr_t host_page;
    uint64_t seen_flushes = tb_flush_count();
    uint64_t t0 = now_ns();
    long n;

    if (log_mask) {
        log_filter_pc(pc);          /* -dfilter: in_asm, op, op_opt, out_asm of this TB */
    }

    tlb_get_code_page(cpu, pc, false, &phys_pc, &host_page);   /* fetch fault: unwinds */
    TranslationBlock *tb = tb_region_new_tb(cpu);   /* in the vCPU's code region */
    if (!tb) {
        tb_flush_from_vcpu(cpu, seen_flushes);
        return NULL;
    }
    tb->pc = pc;
    tb->cs_base = cs_base;
    tb->flags = flags;
    tb->cflags = cflags;
    tb->phys_pc = phys_pc;
    volatile int max_insns = (cflags & CF_COUNT_MASK) ? (int)(cflags & CF_COUNT_MASK)
                                                      : TCG_MAX_INSNS;

    v->gen_tb = tb;             /* dropped by the landing pad if code fetch faults */
    for (;;) {
        int shorter = sigsetjmp(v->xlate_jmp, 0);
        if (shorter > 0) {      /* code_check_second_page: end before that instruction */
            max_insns = shorter;
        }
        tb = v->gen_tb;         /* (it may have moved to another region) */
        v->xlate_jmp_valid = true;
        tb_emit(cpu, tb, max_insns);
        v->xlate_jmp_valid = false;
        n = tb_region_gen(cpu, tb);         /* no lock: other vCPUs translate too */
        if (n == TCG_GEN_TOO_BIG) {
            max_insns = tb_shrink(tb, max_insns);
        } else if (n == TB_GEN_RETRY) {
            v->gen_tb = tb_region_move_tb(cpu, tb);
        } else if (n < 0 || tb_publish(cpu, tb, n)) {
            break;
        }
    }
    tb_page_translation_end(tb);
    v->gen_tb = NULL;
    if (n == -1) {              /* code buffer full */
        tb_flush_from_vcpu(cpu, seen_flushes);
        return NULL;
    }
    if (n < 0) {
        fprintf(stderr, "tcg: back end %s cannot generate the TB at %#llx (%ld)\n",
                tb_backend()->name, (unsigned long long)pc, n);
        abort();
    }
    TCG_STAT_INC(translations);
    TCG_STAT_ADD(translate_ns, now_ns() - t0);
    if (log_enabled(LOG_IN_ASM)) {
        tb_log_in_asm(cpu, tb);
    }
    log_category_printf(LOG_EXEC, "tcg: translated TB %p pc=%#llx flags=%#x insns=%u size=%u\n",
                        (void *)tb, (unsigned long long)pc, flags, tb->icount, tb->tc_size);
    return tb;
}

/* ---- lookup --------------------------------------------------------------------------------- */

/* The jump-cache probe, inlined where speed matters (lookup_and_goto_ptr). */
static inline TranslationBlock *tb_jc_lookup(TCGVCPU *v, uint64_t pc, uint64_t cs_base,
                                             uint32_t flags, uint32_t cflags)
{
    TranslationBlock *tb = atomic_load_explicit(&v->jmp_cache[jc_index(pc)],
                                                memory_order_acquire);
    if (tb && tb->pc == pc && tb->cs_base == cs_base && tb->flags == flags &&
        tb->cflags == cflags && !__atomic_load_n(&tb->invalid, __ATOMIC_RELAXED)) {
        TCG_VSTAT_INC(v, jc_hits);
        return tb;
    }
    return NULL;
}

/* A jump-cache miss: the code TLB and the hash table. */
static __attribute__((noinline)) TranslationBlock *
tb_lookup_slow(CPUState *cpu, uint64_t pc, uint64_t cs_base, uint32_t flags, uint32_t cflags,
               bool probe)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    hwaddr phys_pc;
    uintptr_t host_page;
    TranslationBlock *tb;

    TCG_VSTAT_INC(v, jc_misses);
    if (!tlb_get_code_page(cpu, pc, probe, &phys_pc, &host_page)) {
        return NULL;
    }
    TCG_VSTAT_INC(v, ht_lookups);
    tb = tb_htable_lookup(phys_pc, pc, cs_base, flags, cflags, UINTPTR_MAX);
    if (tb && tb->nb_pages > 1) {
        /* It continues on the next page: match only where that page maps now (no
         * fault here: a TB whose second page is unmapped now does not match). */
        hwaddr phys1;
        uintptr_t host1 = 0;
        uint64_t next_page = (pc & TLB_PAGE_MASK) + TLB_PAGE_SIZE;
        if (!tlb_get_code_page(cpu, next_page, true, &phys1, &host1)) {
            host1 = 0;
        }
        tb = tb_htable_lookup(phys_pc, pc, cs_base, flags, cflags, host1);
    }
    if (tb) {
        TCG_VSTAT_INC(v, ht_hits);
        jc_insert(v, pc, tb);
    }
    return tb;
}

static TranslationBlock *tb_lookup(CPUState *cpu, uint64_t pc, uint64_t cs_base,
                                   uint32_t flags, uint32_t cflags, bool probe)
{
    TranslationBlock *tb = tb_jc_lookup(tcg_vcpu(cpu), pc, cs_base, flags, cflags);
    return tb ? tb : tb_lookup_slow(cpu, pc, cs_base, flags, cflags, probe);
}

static uint32_t cpu_cflags(TCGVCPU *v)
{
    return v->single_step ? (CF_SINGLE_STEP | 1) : 0;
}

/* lookup_and_goto_ptr: the host code of the TB for the current state, without
 * translating or faulting; NULL returns to the loop. */
const void *tcg_lookup_tb_ptr(void *env)
{
    CPUState *cpu = env;
    TCGVCPU *v = tcg_vcpu(cpu);
    uint64_t pc, cs_base;
    uint32_t flags;

    if (atomic_load_explicit(&v->cpu->tcg_exit_flag, memory_order_relaxed) || v->single_step ||
        v->in_exclusive || log_enabled(LOG_NOCHAIN)) {
        return NULL;
    }
    tcg_target_ops(cpu)->get_tb_cpu_state(cpu, &pc, &cs_base, &flags);
    TranslationBlock *tb = tb_lookup(cpu, pc, cs_base, flags, cpu_cflags(v), true);
    return tb ? tb->tc_ptr : NULL;
}

/* ---- the loop --------------------------------------------------------------------------- */

/* A pending exception: delivers a guest one; true (with *ret) to leave the loop. */
static bool cpu_handle_exception(CPUState *cpu, int *ret)
{
    int excp = cpu->exception_index;
    if (excp < 0) {
        return false;
    }
    if (excp >= EXCP_INTERRUPT) {
        cpu->exception_index = -1;
        *ret = excp;
        return true;
    }
    tcg_target_ops(cpu)->do_interrupt(cpu);     /* reads exception_index */
    cpu->exception_index = -1;
    if (tcg_vcpu(cpu)->single_step) {
        tcg_vcpu(cpu)->debug_kind = TCG_STOP_STEP;
        *ret = EXCP_DEBUG;
        return true;
    }
    return false;
}

/* Interrupts and exit requests; true to leave the loop. *last_tb is dropped when the
 * control flow changed. */
static bool cpu_handle_interrupt(CPUState *cpu, TranslationBlock **last_tb)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    const TCGTargetOps *ops = tcg_target_ops(cpu);

    /* Clear the flag before reading the requests: a request made after this read sets
     * the flag again and the next TB entry notices it. */
    atomic_store(&v->cpu->tcg_exit_flag, 0);
    unsigned req = atomic_load(&cpu->interrupt_request);
    if (v->single_step || v->watch_pending) {
        req &= CPU_INTERRUPT_EXITTB;    /* debugger steps run with interrupts masked */
    }
    if (req & CPU_INTERRUPT_EXITTB) {
        cpu_reset_interrupt(cpu, CPU_INTERRUPT_EXITTB);
        req &= ~(unsigned)CPU_INTERRUPT_EXITTB;
        *last_tb = NULL;
    }
    if (req && ops->cpu_exec_interrupt && ops->cpu_exec_interrupt(cpu, req)) {
        *last_tb = NULL;
        v->exclusive_step = false;  /* the instruction runs again after the handler */
    }
    if (atomic_load(&cpu->exit_request) || tb_flush_pending()) {
        TCG_STAT_INC(exits_requested);
        return true;
    }
    return false;
}

static uintptr_t cpu_tb_exec(CPUState *cpu, TranslationBlock *tb)
{
    if (log_mask) {
        log_filter_pc(tb->pc);
    }
    if (log_enabled(LOG_EXEC)) {
        log_printf("Trace %d: %p [%016llx/%016llx/%08x] \n", cpu->index, (void *)tb->tc_ptr,
                   (unsigned long long)tb->pc, (unsigned long long)tb->cs_base, tb->flags);
    }
    if (log_enabled(LOG_CPU) && cpu->cls->dump_state) {
        cpu->cls->dump_state(cpu, log_file());
        if (log_enabled(LOG_FPU) && tcg_target_ops(cpu)->dump_fpu) {
            tcg_target_ops(cpu)->dump_fpu(cpu, log_file());
        }
    }
    return tb_backend()->exec(cpu, tb->tc_ptr);
}

/* The exclusive step: the instruction at the current PC alone, in a TB of its own, with
 * every other vCPU out of translated code. A fault in it unwinds through
 * cpu_exec_unwound, which ends the exclusive section. */
static void cpu_exec_step_exclusive(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    uint32_t cflags = 1 | CF_NOCACHE | CF_EXCLUSIVE | (v->single_step ? CF_SINGLE_STEP : 0);
    uint64_t pc, cs_base;
    uint32_t flags;
    TranslationBlock *tb;
    uintptr_t exit;

    v->exclusive_step = false;
    tcg_exclusive_begin(cpu);
    v->in_exclusive = true;
    tcg_target_ops(cpu)->get_tb_cpu_state(cpu, &pc, &cs_base, &flags);
    do {
        tb = tb_translate(cpu, pc, cs_base, flags, cflags);
    } while (!tb);              /* NULL: the full cache was flushed */
    do {                        /* a kick meanwhile must not skip the instruction */
        atomic_store(&v->cpu->tcg_exit_flag, 0);
        exit = cpu_tb_exec(cpu, tb);
    } while ((exit & TB_EXIT_MASK) == TB_EXIT_REQUESTED &&
             (TranslationBlock *)(exit & ~(uintptr_t)TB_EXIT_MASK) == tb);
    __atomic_store_n(&tb->invalid, true, __ATOMIC_RELAXED);
    v->in_exclusive = false;
    tcg_exclusive_end();
    atomic_store(&v->cpu->tcg_exit_flag, 1);     /* look at requests made meanwhile */
    TCG_STAT_INC(exclusive_steps);
}

/* After the instruction that hit a watchpoint ran again alone: the guest CPU's own
 * watchpoints raise its debug trap, the debugger's stop the VM (true), unless that TB
 * was left at entry, in which case it runs again. */
static bool cpu_watch_step_done(CPUState *cpu, int last_exit)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    const TCGTargetOps *ops = tcg_target_ops(cpu);
    if (last_exit == TB_EXIT_REQUESTED) {
        v->cflags_next_tb = 1 | CF_NOCACHE;
        return false;
    }
    v->watch_pending = false;
    if (v->cpu_watch_hits && ops->cpu_watch_hit) {
        ops->cpu_watch_hit(cpu, v->cpu_watch_hits);
    }
    v->cpu_watch_hits = 0;
    if (!v->watch_debugger) {
        return false;
    }
    v->debug_kind = TCG_STOP_WATCHPOINT;
    return true;
}

static int cpu_exec_loop(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    const TCGTargetOps *ops = tcg_target_ops(cpu);
    TranslationBlock *last_tb = NULL;
    int last_exit = 0;
    int ret;

    /* The last TB left through a slot of its dead_exit_slots: the guest state is exact
     * only once the next TB's first instruction has run (its entry check follows it), so
     * no interrupt, exit or flush is taken before. */
    bool run_next = false;

    for (;;) {
        if (run_next) {
            goto lookup;
        }
        if (cpu_handle_exception(cpu, &ret)) {
            return ret;
        }
        if (cpu->halted) {
            return EXCP_HLT;
        }
        if (cpu_handle_interrupt(cpu, &last_tb)) {
            return EXCP_INTERRUPT;
        }
        if (cpu->exception_index >= 0 || cpu->halted) {
            continue;           /* the interrupt became an exception, or halted the CPU */
        }
        tlb_flush_pending(cpu);
        tlb_check_generation(cpu);
        if (v->exclusive_step) {
            cpu_exec_step_exclusive(cpu);
            last_tb = NULL;
            if (v->single_step && cpu->exception_index < 0) {
                v->debug_kind = TCG_STOP_STEP;
                return EXCP_DEBUG;
            }
            continue;
        }
    lookup:;

        uint64_t pc, cs_base;
        uint32_t flags;
        uint32_t cflags = cpu_cflags(v);
        TranslationBlock *tb = NULL;
        ops->get_tb_cpu_state(cpu, &pc, &cs_base, &flags);
        if (v->cflags_next_tb != UINT32_MAX) {
            cflags = v->cflags_next_tb;
            v->cflags_next_tb = UINT32_MAX;
        } else {
            tb = tb_lookup(cpu, pc, cs_base, flags, cflags, false);
        }
        if (!tb) {
            tb = tb_translate(cpu, pc, cs_base, flags, cflags);
            if (!tb) {
                last_tb = NULL;     /* the cache was flushed */
                continue;
            }
            if (!(cflags & CF_NOCACHE)) {
                jc_insert(v, pc, tb);
            }
        }
        if (last_tb && !log_enabled(LOG_NOCHAIN)) {
            tb_add_jump(last_tb, last_exit, tb);
        }
        run_next = false;
        uintptr_t exit = cpu_tb_exec(cpu, tb);
        if (tb->cflags & CF_NOCACHE) {
            __atomic_store_n(&tb->invalid, true, __ATOMIC_RELAXED);
        }
        last_tb = (TranslationBlock *)(exit & ~(uintptr_t)TB_EXIT_MASK);
        last_exit = (int)(exit & TB_EXIT_MASK);
        if (last_exit == TB_EXIT_REQUESTED) {
            /* That TB did not run. It may have been entered through a chained jump,
             * which skips the PC update of the TB before it: put the state at its
             * start, from its first instruction's insn_start words. */
            uint64_t data[TCG_MAX_INSN_START_WORDS];
            int nb = __atomic_load_n(&last_tb->nb_insns, __ATOMIC_ACQUIRE);
            if (tcg_insn_map_get(last_tb->insn_map, nb, last_tb->entry_check_insn, data)) {
                ops->restore_state_to_opc(cpu, last_tb, data);
            }
            last_tb = NULL;
        } else {
            run_next = last_tb && ((last_tb->dead_exit_slots >> last_exit) & 1);
        }
        if (v->watch_pending && cpu_watch_step_done(cpu, last_exit)) {
            return EXCP_DEBUG;
        }
        if (v->single_step && cpu->exception_index < 0) {
            v->debug_kind = TCG_STOP_STEP;
            return EXCP_DEBUG;
        }
    }
}

/* The unwinding target: everything after sigsetjmp runs again after cpu_loop_exit. */
static int cpu_exec_setjmp(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (sigsetjmp(v->jmp_env, 0) != 0) {
        cpu_exec_unwound(cpu);
    }
    return cpu_exec_loop(cpu);
}

int tcg_cpu_exec(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    int ret;

    if (!v->ctx) {
        if (!cpu->halted) {
            fprintf(stderr, "tcg: CPU model %s has no translator front end yet; "
                    "CPU #%d stays halted\n", cpu->cls->model, cpu->index);
            cpu->halted = true;
        }
        return EXCP_HALTED;
    }
    if (cpu->halted) {
        if (!cpu_has_work(cpu)) {
            return EXCP_HALTED;
        }
        cpu->halted = false;
    }
    tb_exec_lock_shared();
    TCGStatCounters *outer_stats = tcg_thread_stats;
    TCGVCPU *outer_vcpu = tcg_current_vcpu;
    tcg_thread_stats = &v->stats;
    tcg_current_vcpu = v;
    v->in_exec = true;
    ret = cpu_exec_setjmp(cpu);
    v->in_exec = false;
    tcg_thread_stats = outer_stats;
    tcg_current_vcpu = outer_vcpu;
    tb_exec_unlock_shared();
    return ret;
}

void tcg_cpu_kick(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (v) {
        atomic_store(&v->cpu->tcg_exit_flag, 1);
    }
}

void tcg_cpu_set_single_step(CPUState *cpu, bool on)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    v->single_step = on;
    tb_jmp_cache_clear(v);
}

/* ---- per-vCPU set-up ---------------------------------------------------------------------- */

int tcg_vcpu_init(CPUState *cpu, Error **errp)
{
    const TCGTargetOps *ops = tcg_target_ops(cpu);
    const TCGBackend *be = tb_backend();

    if (ops && (!ops->translate || !ops->get_tb_cpu_state || !ops->tlb_fill ||
                !ops->restore_state_to_opc || !ops->do_interrupt)) {
        error_setg(errp, "CPU model %s: incomplete translator hooks", cpu->cls->model);
        return -1;
    }
    if (!be) {
        error_setg(errp, "the translation cache is not configured");
        return -1;
    }
    TCGVCPU *v = xzalloc(sizeof(*v));
    v->cpu = cpu;
    v->cflags_next_tb = UINT32_MAX;
    if (!ops) {
        /* A target without a front end yet: the CPU can only stay halted. */
        cpu->accel_state = v;
        return 0;
    }
    v->ctx = xzalloc(sizeof(*v->ctx));
    tcg_context_init(v->ctx, ops->insn_start_words ? ops->insn_start_words : 1,
                     ops->addr_type);
    if (be->context_init && be->context_init(v->ctx) < 0) {
        error_setg(errp, "back end %s: context set-up failed", be->name);
        tcg_context_destroy(v->ctx);
        free(v->ctx);
        free(v);
        return -1;
    }
    tcg_context_set_current(v->ctx);
    if (ops->translate_init) {
        ops->translate_init();
    }
    cpu->accel_state = v;
    tlb_init_vcpu(v);
    tcg_vcpu_list_add(v);
    return 0;
}

void tcg_vcpu_destroy(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (!v) {
        return;
    }
    tcg_vcpu_list_remove(v);     /* its counters go to the shared block */
    if (v->ctx) {
        tlb_destroy_vcpu(v);
    }
    const TCGBackend *be = tb_backend();
    if (v->ctx) {
        if (be && be->context_destroy) {
            be->context_destroy(v->ctx);
        }
        tcg_context_destroy(v->ctx);
        free(v->ctx);
    }
    free(v);
    cpu->accel_state = NULL;
}
