/* Machines (include/system/machine.h): the board registry behind -M, and the creation of a
 * machine's memory roots, RAM and CPUs before the board's own init. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hw/qdev.h"
#include "system/machine.h"
#include "util/cutils.h"

#define MAX_MACHINE_CLASSES 32

static const MachineClass *machine_classes[MAX_MACHINE_CLASSES];
static int nr_machine_classes;
static Machine *the_machine;

/* ---- registry ------------------------------------------------------------------------- */

void machine_class_register(const MachineClass *cls)
{
    if (nr_machine_classes == MAX_MACHINE_CLASSES) {
        fprintf(stderr, "machine_class_register: too many machines (%s dropped)\n", cls->name);
        abort();
    }
    machine_classes[nr_machine_classes++] = cls;
}

static bool arch_is_x86(const char *arch)
{
    return !strcmp(arch, "i386") || !strcmp(arch, "x86_64");
}

/* A board's arch "i386" serves both x86 binaries; NULL serves every binary. */
static bool machine_offered_for(const MachineClass *cls, const char *arch)
{
    if (!cls->arch || !arch || !strcmp(cls->arch, arch)) {
        return true;
    }
    return arch_is_x86(cls->arch) && arch_is_x86(arch);
}

const MachineClass *machine_class_find(const char *arch, const char *name)
{
    for (int i = 0; name && i < nr_machine_classes; i++) {
        const MachineClass *cls = machine_classes[i];
        if (machine_offered_for(cls, arch) && !strcmp(cls->name, name)) {
            return cls;
        }
    }
    return NULL;
}

const MachineClass *machine_class_default(const char *arch)
{
    for (int i = 0; i < nr_machine_classes; i++) {
        const MachineClass *cls = machine_classes[i];
        if (cls->is_default && machine_offered_for(cls, arch)) {
            return cls;
        }
    }
    return NULL;
}

static int machine_class_compare(const void *a, const void *b)
{
    const MachineClass *const *ca = a, *const *cb = b;
    return strcmp((*ca)->name, (*cb)->name);
}

void machine_class_foreach(const char *arch, void (*fn)(const MachineClass *cls, void *opaque),
                           void *opaque)
{
    for (int i = 0; i < nr_machine_classes; i++) {
        if (machine_offered_for(machine_classes[i], arch)) {
            fn(machine_classes[i], opaque);
        }
    }
}

/* Same layout as QEMU's "-M help". */
void machine_class_print_list(FILE *out, const char *arch)
{
    const MachineClass *sorted[MAX_MACHINE_CLASSES];
    int n = 0;

    for (int i = 0; i < nr_machine_classes; i++) {
        if (machine_offered_for(machine_classes[i], arch)) {
            sorted[n++] = machine_classes[i];
        }
    }
    qsort(sorted, n, sizeof(sorted[0]), machine_class_compare);
    fprintf(out, "Supported machines are:\n");
    for (int i = 0; i < n; i++) {
        fprintf(out, "%-20s %s%s\n", sorted[i]->name,
                sorted[i]->description ? sorted[i]->description : "",
                sorted[i]->is_default ? " (default)" : "");
    }
}

/* ---- checks on the command line's values ------------------------------------------------ */

/* "-m" values are shown the way a user writes them: with the largest exact suffix. */
static void format_ram_option(uint64_t bytes, char *buf, size_t len)
{
    static const char suffixes[] = "KMGTPE";
    int unit = -1;

    while (unit < 5 && bytes && bytes % (1ULL << (10 * (unit + 2))) == 0) {
        unit++;
    }
    if (unit < 0) {
        snprintf(buf, len, "%" PRIu64 "B", bytes);
    } else {
        snprintf(buf, len, "%" PRIu64 "%c", bytes >> (10 * (unit + 1)), suffixes[unit]);
    }
}

static int machine_check_config(const MachineClass *cls, const MachineConfig *config,
                                Error **errp)
{
    int max_cpus = cls->max_cpus > 0 ? cls->max_cpus : 1;
    char value[32], limit[32];

    if (cls->max_ram_size && config->ram_size > cls->max_ram_size) {
        format_ram_option(config->ram_size, value, sizeof(value));
        format_ram_option(cls->max_ram_size, limit, sizeof(limit));
        error_setg(errp, "-m %s: machine '%s' supports at most %s of RAM", value, cls->name,
                   limit);
        return -1;
    }
    if (config->smp_cpus < 1) {
        error_setg(errp, "-smp %d: at least one CPU is needed", config->smp_cpus);
        return -1;
    }
    if (config->smp_cpus > max_cpus) {
        error_setg(errp, "-smp %d: machine '%s' supports at most %d CPU%s", config->smp_cpus,
                   cls->name, max_cpus, max_cpus == 1 ? "" : "s");
        return -1;
    }
    return 0;
}

/* ---- creation ------------------------------------------------------------------------------ */

CPUState *machine_add_cpu(Machine *machine, const CPUClass *cpu_cls, Error **errp)
{
    CPUState *cpu = cpu_create(cpu_cls, machine, machine->nr_cpus, errp);
    if (!cpu) {
        return NULL;
    }
    if (!machine->cpus) {
        machine->cpus = cpu;
    }
    machine->nr_cpus++;
    return cpu;
}

static int machine_create_cpus(Machine *machine, Error **errp)
{
    const MachineConfig *config = &machine->config;
    const char *spec = config->cpu_model ? config->cpu_model : machine->cls->default_cpu_model;
    const CPUClass *cpu_cls;

    if (!spec) {
        return 0;               /* the board creates its CPUs itself, if any */
    }
    const char *comma = strchr(spec, ',');
    char *model = xstrdup(spec);
    model[comma ? comma - spec : (ptrdiff_t)strlen(spec)] = '\0';
    cpu_cls = cpu_class_find(config->arch, model);
    free(model);
    if (!cpu_cls) {
        error_setg(errp, "-cpu %s: unknown CPU model for %s (try -cpu help)", spec,
                   config->arch ? config->arch : "this binary");
        return -1;
    }
    if (comma && !cpu_cls->parse_options) {
        error_setg(errp, "-cpu %s: CPU properties are not supported yet (give a model name)",
                   spec);
        return -1;
    }
    for (int i = 0; i < config->smp_cpus; i++) {
        CPUState *cpu = machine_add_cpu(machine, cpu_cls, errp);
        if (!cpu) {
            return -1;
        }
        if (comma) {
            if (cpu_cls->parse_options(cpu, comma + 1, errp) < 0) {
                error_prepend(errp, "-cpu %s: ", spec);
                return -1;
            }
            cpu_reset(cpu);
        }
    }
    return 0;
}

static void machine_create_memory(Machine *machine)
{
    const char *arch = machine->config.arch;

    machine->system_memory = xzalloc(sizeof(MemoryRegion));
    memory_region_init_container(machine->system_memory, "system", UINT64_MAX);
    address_space_init(&machine->as_memory, machine->system_memory, "memory");
    if (arch && arch_is_x86(arch)) {
        machine->io_memory = xzalloc(sizeof(MemoryRegion));
        memory_region_init_container(machine->io_memory, "io", 0x10000);
        address_space_init(&machine->as_io, machine->io_memory, "I/O");
    }
    if (machine->config.ram_size) {
        /* Mapped at 0; a board with another layout takes it out and maps it (or aliases). */
        machine->ram = xzalloc(sizeof(MemoryRegion));
        if (machine->config.ram_host) {
            memory_region_init_ram_ptr(machine->ram, "ram", machine->config.ram_size,
                                       machine->config.ram_host);
        } else {
            memory_region_init_ram(machine->ram, "ram", machine->config.ram_size);
        }
        memory_region_add_subregion(machine->system_memory, 0, machine->ram, 0);
    }
}

Machine *machine_create(const MachineClass *cls, const MachineConfig *config, Error **errp)
{
    if (machine_check_config(cls, config, errp) < 0) {
        return NULL;
    }
    Machine *machine = xzalloc(sizeof(*machine));
    machine->cls = cls;
    machine->config = *config;
    the_machine = machine;
    machine_create_memory(machine);
    if (machine_create_cpus(machine, errp) < 0 || (cls->init && cls->init(machine, errp) < 0)) {
        machine_destroy(machine);
        return NULL;
    }
    return machine;
}

static void machine_free_region(MemoryRegion *mr)
{
    if (mr) {
        memory_region_destroy(mr);
        free(mr);
    }
}

void machine_destroy(Machine *machine)
{
    if (!machine) {
        return;
    }
    if (machine->cls->destroy) {
        machine->cls->destroy(machine);
    }
    CPUState *cpu = cpu_first();
    while (cpu) {
        CPUState *next = cpu_next(cpu);
        if (cpu->machine == machine) {
            cpu_destroy(cpu);
        }
        cpu = next;
    }
    if (machine->io_memory) {
        address_space_destroy(&machine->as_io);
    }
    address_space_destroy(&machine->as_memory);
    machine_free_region(machine->ram);
    machine_free_region(machine->io_memory);
    machine_free_region(machine->system_memory);
    if (the_machine == machine) {
        the_machine = NULL;
    }
    free(machine);
}

/* ---- reset ----------------------------------------------------------------------------------- */

/* Devices first, then CPUs, then the board (which may load firmware or set entry points). */
void machine_reset(Machine *machine)
{
    device_reset_all();
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        if (cpu->machine == machine) {
            cpu_reset(cpu);
        }
    }
    if (machine->cls->reset) {
        machine->cls->reset(machine);
    }
}

Machine *current_machine(void)
{
    return the_machine;
}
