/* The "tcg" accelerator: -accel tcg[,tb-size=MB][,backend=native|interp], per-vCPU
 * set-up, the vCPU run loop, kicks, "info jit", and the RAM write hook that drops
 * translations of code written by DMA or address_space_write. */
#include <sched.h>
#include <string.h>
#include "accel/tcg/internal.h"
#include "system/runstate.h"
#include "monitor/monitor.h"
#include "util/cutils.h"
#include "util/disas.h"
#include "util/keyval.h"

static bool tcg_accel_available(Error **errp)
{
    (void)errp;
    return true;        /* the interpreter runs everywhere */
}

/* "native" is the host's back end (x86_64 here), "interp" the IR interpreter; any
 * registered back-end name is accepted too. */
static const TCGBackend *tcg_pick_backend(const char *name, Error **errp)
{
    const TCGBackend *be;
    if (!name) {
        return tcg_backend_find(NULL);
    }
    be = tcg_backend_find(!strcmp(name, "native") ? "x86_64" : name);
    if (!be) {
        error_setg(errp, "backend=%s: unknown translator back end (native or interp)", name);
    }
    return be;
}

/* The RAM write hook: a DMA or address_space_write into guest RAM drops the TBs whose
 * code it overwrites (they are unchained and never entered again). */
static void tcg_ram_write_hook(MemoryRegion *ram, hwaddr offset, uint64_t len)
{
    if (!ram->host || offset >= ram->size) {
        return;
    }
    if (len > ram->size - offset) {
        len = ram->size - offset;
    }
    tb_invalidate_host_range(ram->host + offset, (size_t)len);
}

/* Parses the -accel tcg options and sets the runtime up (also used by tests). */
static int tcg_accel_init_opts(KeyValList *kv, Error **errp)
{
    uint64_t mb = TCG_CODE_BUFFER_DEFAULT_SIZE >> 20;
    const char *s = keyval_get(kv, "tb-size");
    if (s && (parse_uint64(s, &mb) < 0 || mb == 0 || mb > (TCG_CODE_BUFFER_MAX_SIZE >> 20))) {
        error_setg(errp, "tb-size=%s: expected a size in MiB from 1 to %u", s,
                   TCG_CODE_BUFFER_MAX_SIZE >> 20);
        return -1;
    }
    const TCGBackend *be = tcg_pick_backend(keyval_get(kv, "backend"), errp);
    if (!be) {
        return -1;
    }
    if (tcg_runtime_configure((size_t)mb << 20, be, errp) < 0) {
        return -1;
    }
    memory_set_ram_write_hook(tcg_ram_write_hook);
    memory_set_log_rearm_hook(tlb_log_rearm);
    return 0;
}

static int tcg_accel_init(Machine *machine, void *keyval_list, Error **errp)
{
    (void)machine;
    return tcg_accel_init_opts(keyval_list, errp);
}

static int tcg_accel_vcpu_init(CPUState *cpu, Error **errp)
{
    return tcg_vcpu_init(cpu, errp);
}

/* Runs until an exit request, a halt, or a debug stop; the vCPU thread then sleeps or
 * looks at its run-control requests. */
static void tcg_accel_vcpu_run(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    if (v->debug_stopped) {
        sched_yield();          /* the main loop is about to stop the VM */
        return;
    }
    while (!atomic_load(&cpu->exit_request)) {
        int r = tcg_cpu_exec(cpu);
        if (r == EXCP_DEBUG) {
            v->debug_stopped = true;
            vm_stop_request(RUN_STATE_DEBUG);
            break;
        }
        if (r == EXCP_HLT || r == EXCP_HALTED) {
            break;
        }
    }
}

static void tcg_accel_vcpu_kick(CPUState *cpu)
{
    tcg_cpu_kick(cpu);
}

static void tcg_accel_vcpu_destroy(CPUState *cpu)
{
    tcg_vcpu_destroy(cpu);
}

/* The registers live in the common state already; defining this makes the vCPU thread
 * call tcg_accel_sync_from_common at every resume (not only the first). */
static void tcg_accel_sync_to_common(CPUState *cpu)
{
    (void)cpu;
}

/* Before the vCPU runs again after a stop: the monitor, the debugger or a reset may
 * have changed the paging state, so cached translations of addresses are dropped. */
static void tcg_accel_sync_from_common(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (v) {
        v->debug_stopped = false;
    }
    if (v && v->ctx) {
        tlb_flush(cpu);
    }
}

static const AccelOps tcg_accel_ops = {
    .name = "tcg",
    .description = "translator (tb-size=MB, backend=native|interp)",
    .available = tcg_accel_available,
    .init = tcg_accel_init,
    .vcpu_init = tcg_accel_vcpu_init,
    .vcpu_run = tcg_accel_vcpu_run,
    .vcpu_kick = tcg_accel_vcpu_kick,
    .vcpu_destroy = tcg_accel_vcpu_destroy,
    .sync_to_common = tcg_accel_sync_to_common,
    .sync_from_common = tcg_accel_sync_from_common,
    .print_info = tcg_runtime_print_info,
};

const AccelOps *tcg_accel_ops_get(void)
{
    return &tcg_accel_ops;
}

static void info_jit(FILE *out, const char *args)
{
    (void)args;
    tcg_runtime_print_info(out);
}

/* The monitor's "x /i": one instruction in the CPU's current mode (x86 16/32/64 bits,
 * ARM or Thumb), as the translator's TB flags say. */
static int tcg_monitor_disas(FILE *out, CPUState *cpu, uint64_t addr, const uint8_t *code,
                             size_t len)
{
    const TCGTargetOps *ops = cpu && cpu->cls ? cpu->cls->tcg_ops : NULL;
    TranslationBlock tb = { 0 };
    uint64_t pc;

    if (!ops || !ops->disas_arch || !ops->get_tb_cpu_state) {
        return -1;
    }
    ops->get_tb_cpu_state(cpu, &pc, &tb.cs_base, &tb.flags);
    int arch = ops->disas_arch(&tb);
    return arch < 0 ? -1 : disas_one(out, (DisasArch)arch, code, len, addr);
}

static void __attribute__((constructor)) tcg_accel_register(void)
{
    accel_register(&tcg_accel_ops);
    monitor_register_info("jit", "show translator statistics", info_jit);
    monitor_set_disassembler(tcg_monitor_disas);
}
