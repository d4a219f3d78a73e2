/* The "none" board (QEMU's -M none): no devices, RAM only if -m is given, and one CPU of the
 * binary's default model that stays halted, so that the monitor has a CPU to show. */
#include "system/machine.h"

/* The CPU has no code to run: it waits halted until a debugger or the monitor changes it. */
static void machine_none_halt_cpus(Machine *machine)
{
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        if (cpu->machine == machine) {
            cpu->halted = true;
        }
    }
}

static int machine_none_init(Machine *machine, Error **errp)
{
    if (machine->nr_cpus == 0) {
        const CPUClass *cpu_cls = cpu_class_default(machine->config.arch);
        if (cpu_cls && !machine_add_cpu(machine, cpu_cls, errp)) {
            return -1;
        }
    }
    machine_none_halt_cpus(machine);
    return 0;
}

const MachineClass machine_none_class = {
    .name = "none",
    .description = "empty machine",
    .arch = NULL,
    .default_ram_size = 0,
    .max_ram_size = 1ULL << 40,
    .max_cpus = 1,
    .default_cpu_model = NULL,
    .no_serial = true,
    .init = machine_none_init,
    .reset = machine_none_halt_cpus,
};

static void __attribute__((constructor)) machine_none_register(void)
{
    machine_class_register(&machine_none_class);
}
