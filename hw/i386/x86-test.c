/* x86-test: a minimal x86 machine for guest tests of the CPU (-M x86-test). RAM at 0, the
 * -bios image as ROM at the top of 4 GiB with its last 128 KiB also below 1 MiB (so the
 * reset vector F000:FFF0 runs it), isa-debugcon on port 0xe9 writing to the first serial
 * chardev, isa-debug-exit on 0xf4 (iosize 4; write V: exit status (V << 1) | 1), and a test
 * interrupt source: OUT 0x510 = raise INTR with that vector (delivered once, when the
 * CPU acknowledges), OUT 0x511 = raise NMI, OUT 0x512 = A20 gate (bit 1, as port 92h),
 * OUT 0x513 = INIT then startup IPI with that vector to every other CPU (SDM 3A 8.4). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chardev/chardev.h"
#include "hw/qdev.h"
#include "system/machine.h"
#include "system/vl.h"
#include "target-i386/cpu.h"
#include "util/cutils.h"

#define X86_TEST_INTR_PORT 0x510
#define MAX_BIOS_SIZE (16u << 20)

typedef struct X86TestBoard {
    MemoryRegion bios, bios_low, intr_io;
    int pending_vector;         /* -1: none */
} X86TestBoard;

static X86TestBoard *board_of(CPUState *cpu)
{
    return cpu->machine ? cpu->machine->board : NULL;
}

/* INTR acknowledge: the pending vector, once. */
static int x86_test_ack(CPUState *cpu)
{
    X86TestBoard *b = board_of(cpu);
    int v = b ? b->pending_vector : -1;
    if (b) {
        b->pending_vector = -1;
    }
    cpu_reset_interrupt(cpu, CPU_INTERRUPT_HARD);
    return v;
}

static const X86IntcOps x86_test_intc = { .ack = x86_test_ack };

static uint64_t intr_read(void *opaque, hwaddr offset, unsigned size)
{
    X86TestBoard *b = opaque;
    return offset == 0 ? (uint64_t)(b->pending_vector & 0xff) : 0;
}

static void intr_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    X86TestBoard *b = opaque;
    CPUState *cpu = cpu_first();
    if (!cpu) {
        return;
    }
    switch (offset) {
    case 0:
        b->pending_vector = (int)(value & 0xff);
        cpu_interrupt(cpu, CPU_INTERRUPT_HARD);
        break;
    case 1:
        cpu_interrupt(cpu, CPU_INTERRUPT_NMI);
        break;
    case 2:
        x86_cpu_set_a20(x86_cpu(cpu), (value & 2) != 0);
        break;
    case 3:
        for (CPUState *ap = cpu_next(cpu); ap; ap = cpu_next(ap)) {
            x86_cpu(ap)->sipi_vector = (uint32_t)(value & 0xff);
            cpu_interrupt(ap, CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI);
        }
        break;
    }
}

static const MemoryRegionOps intr_ops = {
    .read = intr_read, .write = intr_write, .valid_min = 1, .valid_max = 1,
};

/* Reads a whole file (at most MAX_BIOS_SIZE + 1 bytes). */
static int load_file(const char *path, char **data, size_t *len, Error **errp)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        error_setg_errno(errp, errno, "-bios %s", path);
        return -1;
    }
    *data = xmalloc(MAX_BIOS_SIZE + 1);
    *len = fread(*data, 1, MAX_BIOS_SIZE + 1, f);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        error_setg(errp, "-bios %s: read error", path);
        free(*data);
        return -1;
    }
    return 0;
}

static int load_bios(Machine *m, X86TestBoard *b, Error **errp)
{
    size_t len = 0;
    char *data = NULL;
    if (!m->config.bios) {
        error_setg(errp, "x86-test needs -bios FILE (a flat image ending at the reset vector)");
        return -1;
    }
    if (load_file(m->config.bios, &data, &len, errp) < 0) {
        return -1;
    }
    if (len == 0 || len > MAX_BIOS_SIZE) {
        error_setg(errp, "-bios %s: size %zu is not 1 byte .. 16 MiB", m->config.bios, len);
        free(data);
        return -1;
    }
    uint64_t size = (len + 0xffff) & ~0xffffull;
    memory_region_init_rom(&b->bios, "x86-test.bios", size);
    memcpy(memory_region_get_ram_ptr(&b->bios) + (size - len), data, len);
    free(data);
    memory_region_add_subregion(m->system_memory, 0x100000000ull - size, &b->bios, 0);
    uint64_t low = size < 0x20000 ? size : 0x20000;
    memory_region_init_alias(&b->bios_low, "x86-test.bios-low", &b->bios, size - low, low);
    memory_region_add_subregion(m->system_memory, 0x100000 - low, &b->bios_low, 1);
    return 0;
}

static int add_isa_devices(Machine *m, Error **errp)
{
    BusState *isa = qbus_create(BUS_TYPE_ISA, "isa.0", NULL);
    isa->io_root = m->io_memory;
    isa->mem_root = m->system_memory;
    DeviceState *con = device_create("isa-debugcon", isa, errp);
    if (!con) {
        return -1;
    }
    Chardev *chr = vl_serial_chardev(0);
    if (chr && device_set_prop_str(con, "chardev", chardev_id(chr), errp) < 0) {
        return -1;
    }
    if (device_realize(con, errp) < 0) {
        return -1;
    }
    DeviceState *ex = device_create("isa-debug-exit", isa, errp);
    if (!ex || device_set_prop_str(ex, "iobase", "0xf4", errp) < 0 ||
        device_set_prop_str(ex, "iosize", "4", errp) < 0) {
        return -1;
    }
    return device_realize(ex, errp);
}

static int x86_test_init(Machine *m, Error **errp)
{
    X86TestBoard *b = xzalloc(sizeof(*b));
    b->pending_vector = -1;
    m->board = b;
    if (m->nr_cpus == 0) {
        const CPUClass *cls = cpu_class_default(m->config.arch);
        for (int i = 0; i < m->config.smp_cpus; i++) {
            if (!machine_add_cpu(m, cls, errp)) {
                return -1;
            }
        }
    }
    for (CPUState *cpu = m->cpus; cpu; cpu = cpu_next(cpu)) {
        if (cpu->machine == m) {
            x86_cpu(cpu)->intc = &x86_test_intc;
        }
    }
    if (load_bios(m, b, errp) < 0) {
        return -1;
    }
    memory_region_init_io(&b->intr_io, &intr_ops, b, "x86-test.intr", 4);
    memory_region_add_subregion(m->io_memory, X86_TEST_INTR_PORT, &b->intr_io, 0);
    return add_isa_devices(m, errp);
}

static void x86_test_destroy(Machine *m)
{
    X86TestBoard *b = m->board;
    if (b) {
        memory_region_destroy(&b->intr_io);
        memory_region_destroy(&b->bios_low);
        memory_region_destroy(&b->bios);
        free(b);
        m->board = NULL;
    }
}

static void x86_test_reset(Machine *m)
{
    X86TestBoard *b = m->board;
    if (b) {
        b->pending_vector = -1;
    }
}

static const MachineClass x86_test_machine = {
    .name = "x86-test",
    .description = "minimal x86 machine for CPU tests (RAM, -bios ROM, debugcon, debug-exit)",
    .arch = "i386",
    .default_ram_size = 128u << 20,
    .max_ram_size = 3ull << 30,
    .max_cpus = 8,
    .default_cpu_model = NULL,
    .init = x86_test_init,
    .reset = x86_test_reset,
    .destroy = x86_test_destroy,
};

static void __attribute__((constructor)) x86_test_register(void)
{
    machine_class_register(&x86_test_machine);
}
