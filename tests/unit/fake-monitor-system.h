/* A fake machine for the monitor's unit tests (included by test-hmp.c and test-qmp.c):
 * run state, requests counted, 64 KiB of guest RAM, two CPUs with registers and a simple
 * page mapping (virtual 0xc0000000 + x -> physical x). Included, not linked, so that it
 * never clashes with the real implementations in the libraries. */
#ifndef TESTS_UNIT_FAKE_MONITOR_SYSTEM_H
#define TESTS_UNIT_FAKE_MONITOR_SYSTEM_H

#include <string.h>
#include "monitor/monitor-internal.h"

#define FAKE_RAM_SIZE 0x10000
#define FAKE_KERNEL_BASE 0xc0000000u

typedef struct FakeMachine {
    RunState state;
    int starts, stops;
    int shutdowns, resets, powerdowns;
    ShutdownCause last_cause;
    uint8_t ram[FAKE_RAM_SIZE];
    CPUState cpus[2];
    uint64_t regs[2][3];        /* eax, esp, eip */
    int dumps;                  /* dump_state calls */
    int qtree_prints;
} FakeMachine;

static FakeMachine fake;

static RunState fake_runstate_get(void)
{
    return fake.state;
}

static const char *fake_runstate_name(RunState state)
{
    static const char *const names[] = {
        "prelaunch", "running", "paused", "debug", "shutdown", "guest-panicked",
        "internal-error",
    };
    return (unsigned)state < 7 ? names[state] : "?";
}

static const char *fake_shutdown_cause_name(ShutdownCause cause)
{
    static const char *const names[] = {
        "none", "host-error", "host-qmp-quit", "host-qmp-system-reset", "host-signal",
        "host-ui", "guest-shutdown", "guest-reset", "guest-panic",
    };
    return (unsigned)cause < 9 ? names[cause] : "?";
}

static void fake_vm_start(void)
{
    fake.starts++;
    fake.state = RUN_STATE_RUNNING;
}

static void fake_vm_stop(RunState state)
{
    fake.stops++;
    fake.state = state;
}

static void fake_shutdown_request(ShutdownCause cause)
{
    fake.shutdowns++;
    fake.last_cause = cause;
}

static void fake_reset_request(ShutdownCause cause)
{
    fake.resets++;
    fake.last_cause = cause;
}

static void fake_powerdown_request(void)
{
    fake.powerdowns++;
}

static CPUState *fake_cpu_first(void)
{
    return &fake.cpus[0];
}

static CPUState *fake_cpu_next(CPUState *cpu)
{
    return cpu == &fake.cpus[0] ? &fake.cpus[1] : NULL;
}

static int fake_read_phys(uint64_t addr, void *buf, size_t len)
{
    if (addr >= FAKE_RAM_SIZE || len > FAKE_RAM_SIZE - addr) {
        return -1;
    }
    memcpy(buf, fake.ram + addr, len);
    return 0;
}

static void fake_print_mtree(FILE *out)
{
    fprintf(out, "address-space: memory\n  0000000000000000-000000000000ffff (prio 0, ram): ram\n");
}

static void fake_print_qtree(FILE *out)
{
    fake.qtree_prints++;
    fprintf(out, "bus: main-system-bus\n");
}

static void fake_print_chardev(FILE *out)
{
    fprintf(out, "compat_monitor0: filename=stdio\n");
}

static int fake_word_bits(void)
{
    return 32;
}

static void fake_dump_state(CPUState *cpu, FILE *out)
{
    fake.dumps++;
    fprintf(out, "EAX=%08llx ESP=%08llx EIP=%08llx\n",
            (unsigned long long)fake.regs[cpu->index][0],
            (unsigned long long)fake.regs[cpu->index][1],
            (unsigned long long)fake.regs[cpu->index][2]);
}

static const CPURegisterInfo fake_registers[] = {
    { "eax", 32 }, { "esp", 32 }, { "eip", 32 }, { NULL, 0 },
};

static int fake_get_register(CPUState *cpu, int index, uint64_t *value)
{
    if (index < 0 || index > 2) {
        return -1;
    }
    *value = fake.regs[cpu->index][index];
    return 0;
}

static uint64_t fake_get_pc(CPUState *cpu)
{
    return fake.regs[cpu->index][2];
}

/* Only the kernel window is mapped. */
static int fake_get_phys_addr(CPUState *cpu, uint64_t vaddr, hwaddr *paddr)
{
    if (vaddr < FAKE_KERNEL_BASE || vaddr - FAKE_KERNEL_BASE >= FAKE_RAM_SIZE) {
        return -1;
    }
    *paddr = vaddr - FAKE_KERNEL_BASE;
    return 0;
}

static const CPUClass fake_cpu_class = {
    .arch = "i386",
    .model = "fake",
    .dump_state = fake_dump_state,
    .registers = fake_registers,
    .get_register = fake_get_register,
    .get_pc = fake_get_pc,
    .get_phys_addr = fake_get_phys_addr,
};

static const MonitorSystem fake_system = {
    .runstate_get = fake_runstate_get,
    .runstate_name = fake_runstate_name,
    .shutdown_cause_name = fake_shutdown_cause_name,
    .vm_start = fake_vm_start,
    .vm_stop = fake_vm_stop,
    .shutdown_request = fake_shutdown_request,
    .reset_request = fake_reset_request,
    .powerdown_request = fake_powerdown_request,
    .cpu_first = fake_cpu_first,
    .cpu_next = fake_cpu_next,
    .read_phys = fake_read_phys,
    .print_mtree = fake_print_mtree,
    .print_qtree = fake_print_qtree,
    .print_chardev = fake_print_chardev,
    .word_bits = fake_word_bits,
};

/* Fresh machine: running, RAM byte i = i & 0xff, CPU 1 halted. */
static int fake_machine_reset(void **state)
{
    memset(&fake, 0, sizeof(fake));
    fake.state = RUN_STATE_RUNNING;
    for (int i = 0; i < FAKE_RAM_SIZE; i++) {
        fake.ram[i] = (uint8_t)i;
    }
    for (int i = 0; i < 2; i++) {
        fake.cpus[i].cls = &fake_cpu_class;
        fake.cpus[i].index = i;
        fake.regs[i][0] = 0x1234 + i;
        fake.regs[i][1] = FAKE_KERNEL_BASE + 0x100;
        fake.regs[i][2] = 0xfff0;
    }
    fake.cpus[1].halted = true;
    return 0;
}

/* Collects what a session writes. */
typedef struct Capture {
    char *buf;
    size_t len, cap;
} Capture;

static void capture_write(void *opaque, const char *data, size_t len)
{
    Capture *c = opaque;
    if (c->len + len + 1 > c->cap) {
        c->cap = (c->len + len + 1) * 2;
        c->buf = realloc(c->buf, c->cap);
    }
    memcpy(c->buf + c->len, data, len);
    c->len += len;
    c->buf[c->len] = '\0';
}

static void capture_clear(Capture *c)
{
    c->len = 0;
    if (c->buf) {
        c->buf[0] = '\0';
    }
}

static void capture_free(Capture *c)
{
    free(c->buf);
    memset(c, 0, sizeof(*c));
}

#endif
