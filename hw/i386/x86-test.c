/* x86-test: a minimal x86 machine for guest tests of the CPU (-M x86-test). RAM at 0, the
 * -bios image as ROM at the top of 4 GiB with its last 128 KiB also below 1 MiB (so the
 * reset vector F000:FFF0 runs it) and/or a -kernel (ELF or flat binary at 1 MiB) entered in
 * flat 32-bit protected mode, isa-debugcon on port 0xe9 writing to the first serial
 * chardev, isa-debug-exit on 0xf4 (iosize 4; write V: exit status (V << 1) | 1), and a test
 * interrupt source: OUT 0x510 = raise INTR with that vector (delivered once, when the
 * CPU acknowledges), OUT 0x511 = raise NMI, OUT 0x512 = A20 gate (bit 1, as port 92h),
 * OUT 0x513 = INIT then startup IPI with that vector to every other CPU (SDM 3A 8.4). */
#include <stdlib.h>
#include <string.h>
#include "chardev/chardev.h"
#include "hw/i386/x86-kernel.h"
#include "hw/loader.h"
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
    bool has_kernel;
    uint64_t entry;             /* -kernel entry point */
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

static int load_bios(Machine *m, X86TestBoard *b, Error **errp)
{
    size_t len = 0;
    uint8_t *data = load_file(m->config.bios, MAX_BIOS_SIZE, &len, errp);
    if (!data) {
        error_prepend(errp, "-bios: ");
        return -1;
    }
    if (len == 0) {
        error_setg(errp, "-bios %s: the file is empty", m->config.bios);
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

/* -kernel: CPU #0 starts at the entry point in flat 32-bit protected mode (CS 08h, data
 * 10h, no GDT in memory: the kernel loads its own before reloading a segment). */
static void enter_kernel(X86CPU *x, uint64_t entry)
{
    const uint32_t data = X86_SEG_P | X86_SEG_S | X86_SEG_RW | X86_SEG_A | X86_SEG_DB |
                          X86_SEG_G;
    x->cr[0] = X86_CR0_PE | X86_CR0_ET;
    for (int seg = 0; seg < X86_NR_SEGS; seg++) {
        x86_cpu_load_seg_cache(x, seg, 0x10, 0, 0xffffffff, data);
    }
    x86_cpu_load_seg_cache(x, R_CS, 0x08, 0, 0xffffffff, data | X86_SEG_CODE);
    x->rip = entry;
    x86_update_hflags(x);
}

static int load_images(Machine *m, X86TestBoard *b, Error **errp)
{
    if (!m->config.bios && !m->config.kernel) {
        error_setg(errp, "x86-test needs -bios FILE (a flat image ending at the reset "
                   "vector) or -kernel FILE (ELF or flat binary)");
        return -1;
    }
    if (m->config.bios && load_bios(m, b, errp) < 0) {
        return -1;
    }
    b->has_kernel = m->config.kernel != NULL;
    if (b->has_kernel && x86_load_kernel(&m->as_memory, m->config.kernel, &b->entry,
                                         errp) < 0) {
        return -1;
    }
    if (b->has_kernel && m->cpus) {
        enter_kernel(x86_cpu(m->cpus), b->entry);
    }
    return 0;
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
    if (load_images(m, b, errp) < 0) {
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
        if (b->has_kernel && m->cpus) {
            enter_kernel(x86_cpu(m->cpus), b->entry);
        }
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
