/* PC device unit-test environment (pc-test-util.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "pc-test-util.h"
#include "system/timer.h"

PcTestEnv pc_env;
static int64_t test_now;

static void recorder(void *opaque, int n, int level)
{
    if (level && !pc_env.level[n]) {
        pc_env.raises[n]++;
    }
    pc_env.calls[n]++;
    pc_env.level[n] = level;
}

void pc_test_env_init(uint64_t ram_size)
{
    memset(&pc_env, 0, sizeof(pc_env));
    memory_region_init_container(&pc_env.mem, "system", UINT64_MAX);
    memory_region_init_container(&pc_env.io, "io", 0x10000);
    if (ram_size) {
        memory_region_init_ram(&pc_env.ram, "ram", ram_size);
        memory_region_add_subregion(&pc_env.mem, 0, &pc_env.ram, 0);
    }
    address_space_init(&pc_env.as_mem, &pc_env.mem, "memory");
    address_space_init(&pc_env.as_io, &pc_env.io, "I/O");
    pc_env.isa = qbus_create(BUS_TYPE_ISA, "isa.0", NULL);
    pc_env.isa->io_root = &pc_env.io;
    pc_env.isa->mem_root = &pc_env.mem;
    qdev_system_bus()->io_root = &pc_env.io;
    qdev_system_bus()->mem_root = &pc_env.mem;
    pc_env.lines = irq_new_array(recorder, NULL, 64);
    test_now = 0;
    clock_virtual_set_for_test(0);
}

void pc_test_env_fini(void)
{
    qdev_destroy_all();
    irq_free_array(pc_env.lines, 64);
    address_space_destroy(&pc_env.as_io);
    address_space_destroy(&pc_env.as_mem);
    if (pc_env.ram.size) {
        memory_region_destroy(&pc_env.ram);
    }
    memory_region_destroy(&pc_env.io);
    memory_region_destroy(&pc_env.mem);
}

uint32_t io_in(uint16_t port, unsigned size)
{
    uint64_t v = 0;
    address_space_load(&pc_env.as_io, port, size, &v);
    return v;
}

void io_out(uint16_t port, unsigned size, uint32_t value)
{
    address_space_store(&pc_env.as_io, port, size, value);
}

uint64_t mmio_read(uint64_t addr, unsigned size)
{
    uint64_t v = 0;
    address_space_load(&pc_env.as_mem, addr, size, &v);
    return v;
}

void mmio_write(uint64_t addr, unsigned size, uint64_t value)
{
    address_space_store(&pc_env.as_mem, addr, size, value);
}

void pc_test_clock_set(int64_t ns)
{
    test_now = ns;
    clock_virtual_set_for_test(ns);
    timers_run_expired();
}

void pc_test_clock_advance(int64_t ns)
{
    int64_t end = test_now + ns;

    /* Stop at each expiry on the way, as a running guest would see them. */
    for (int guard = 0; guard < 10000000; guard++) {
        int64_t deadline = timers_deadline_ns();
        if (deadline < 0 || test_now + deadline >= end) {
            break;
        }
        pc_test_clock_set(test_now + (deadline ? deadline : 0));
        if (!deadline) {
            test_now++;         /* a zero-delay re-arm must not stall the walk */
        }
    }
    pc_test_clock_set(end);
}

int64_t pc_test_clock_now(void)
{
    return test_now;
}
