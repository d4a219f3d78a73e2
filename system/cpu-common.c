/* The common CPU object (include/system/cpu.h): CPU model and accelerator registries,
 * creation, reset, interrupt request lines, register lookup by name and the CPU list. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "system/cpu.h"
#include "system/machine.h"
#include "system/cpus-internal.h"
#include "util/cutils.h"

#define MAX_CPU_CLASSES 64
#define MAX_ACCELS 8

static const CPUClass *cpu_classes[MAX_CPU_CLASSES];
static int nr_cpu_classes;
static const AccelOps *accels[MAX_ACCELS];
static int nr_accels;
static CPUState *cpu_list;

/* ---- CPU model registry --------------------------------------------------------- */

void cpu_class_register(const CPUClass *cls)
{
    if (nr_cpu_classes == MAX_CPU_CLASSES) {
        fprintf(stderr, "cpu_class_register: too many CPU models (%s dropped)\n", cls->model);
        abort();
    }
    cpu_classes[nr_cpu_classes++] = cls;
}

static bool arch_is_x86(const char *arch)
{
    return !strcmp(arch, "i386") || !strcmp(arch, "x86_64");
}

/* The i386 and x86_64 binaries share the target-i386 models. */
static bool cpu_arch_matches(const char *cls_arch, const char *arch)
{
    if (!arch || !strcmp(cls_arch, arch)) {
        return true;
    }
    return arch_is_x86(cls_arch) && arch_is_x86(arch);
}

const CPUClass *cpu_class_find(const char *arch, const char *model)
{
    if (!model) {
        return NULL;
    }
    for (int i = 0; i < nr_cpu_classes; i++) {
        const CPUClass *cls = cpu_classes[i];
        if (cpu_arch_matches(cls->arch, arch) && !strcmp(cls->model, model)) {
            return cls;
        }
    }
    return NULL;
}

const CPUClass *cpu_class_default(const char *arch)
{
    for (int i = 0; i < nr_cpu_classes; i++) {
        if (arch && !strcmp(cpu_classes[i]->arch, arch)) {
            return cpu_classes[i];
        }
    }
    return NULL;
}

void cpu_class_foreach(const char *arch, void (*fn)(const CPUClass *cls, void *opaque),
                       void *opaque)
{
    for (int i = 0; i < nr_cpu_classes; i++) {
        if (cpu_arch_matches(cpu_classes[i]->arch, arch)) {
            fn(cpu_classes[i], opaque);
        }
    }
}

void cpu_class_print_list(FILE *out, const char *arch)
{
    const CPUClass *def = cpu_class_default(arch);

    fprintf(out, "Available CPUs:\n");
    for (int i = 0; i < nr_cpu_classes; i++) {
        const CPUClass *cls = cpu_classes[i];
        if (cpu_arch_matches(cls->arch, arch)) {
            fprintf(out, "  %-16s %s%s\n", cls->model, cls->description ? cls->description : "",
                    cls == def ? " (default)" : "");
        }
    }
}

/* ---- the CPU list ------------------------------------------------------------------ */

static void cpu_list_add(CPUState *cpu)
{
    CPUState **p = &cpu_list;
    while (*p && (*p)->index < cpu->index) {
        p = &(*p)->next;
    }
    cpu->next = *p;
    *p = cpu;
}

static void cpu_list_remove(CPUState *cpu)
{
    for (CPUState **p = &cpu_list; *p; p = &(*p)->next) {
        if (*p == cpu) {
            *p = cpu->next;
            cpu->next = NULL;
            return;
        }
    }
}

CPUState *cpu_first(void)
{
    return cpu_list;
}

CPUState *cpu_next(CPUState *cpu)
{
    return cpu->next;
}

CPUState *cpu_by_index(int index)
{
    for (CPUState *cpu = cpu_list; cpu; cpu = cpu->next) {
        if (cpu->index == index) {
            return cpu;
        }
    }
    return NULL;
}

/* ---- creation and reset -------------------------------------------------------------- */

CPUState *cpu_create(const CPUClass *cls, Machine *machine, int index, Error **errp)
{
    if (!cls || cls->instance_size < sizeof(CPUState)) {
        error_setg(errp, "CPU model '%s' has no valid instance size",
                   cls ? cls->model : "(null)");
        return NULL;
    }
    if (index < 0 || cpu_by_index(index)) {
        error_setg(errp, "CPU index %d is invalid or already in use", index);
        return NULL;
    }
    CPUState *cpu = xzalloc(cls->instance_size);
    cpu->cls = cls;
    cpu->machine = machine;
    cpu->index = index;
    if (machine) {
        cpu->as = &machine->as_memory;
        cpu->io_as = machine->io_memory ? &machine->as_io : NULL;
    }
    cpu->exception_index = -1;
    cpu->stopped = true;            /* the VM starts stopped; vm_start resumes */
    if (cls->init) {
        cls->init(cpu);
    }
    cpu_reset(cpu);
    cpu_list_add(cpu);
    return cpu;
}

void cpu_destroy(CPUState *cpu)
{
    if (!cpu) {
        return;
    }
    cpus_stop_thread(cpu);
    cpu_list_remove(cpu);
    if (cpu->cls->finalize) {
        cpu->cls->finalize(cpu);
    }
    free(cpu);
}

/* With the VM paused (runstate pauses around a reset): an accelerator with its own register
 * copy takes the new values from the common state before the vCPU runs again. */
void cpu_reset(CPUState *cpu)
{
    atomic_store(&cpu->interrupt_request, 0);
    atomic_store(&cpu->exit_request, 0);
    cpu->halted = false;
    cpu->exception_index = -1;
    if (cpu->cls->reset) {
        cpu->cls->reset(cpu);
    }
}

/* ---- interrupt lines --------------------------------------------------------------- */

bool cpu_has_work(CPUState *cpu)
{
    if (cpu->cls->has_work) {
        return cpu->cls->has_work(cpu);
    }
    return (atomic_load(&cpu->interrupt_request) &
            (CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ | CPU_INTERRUPT_NMI |
             CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI | CPU_INTERRUPT_SMI)) != 0;
}

void cpu_interrupt(CPUState *cpu, unsigned mask)
{
    atomic_fetch_or(&cpu->interrupt_request, mask);
    cpus_kick(cpu);
}

void cpu_reset_interrupt(CPUState *cpu, unsigned mask)
{
    atomic_fetch_and(&cpu->interrupt_request, ~mask);
}

void cpu_exit(CPUState *cpu)
{
    atomic_store(&cpu->exit_request, 1);
    cpus_kick(cpu);
}

/* ---- registers ------------------------------------------------------------------------ */

int cpu_register_index(CPUState *cpu, const char *name)
{
    const CPURegisterInfo *regs = cpu->cls->registers;
    if (!regs || !name) {
        return -1;
    }
    for (int i = 0; regs[i].name; i++) {
        if (!strcasecmp(regs[i].name, name)) {
            return i;
        }
    }
    return -1;
}

int cpu_get_register_by_name(CPUState *cpu, const char *name, uint64_t *value)
{
    int index = cpu_register_index(cpu, name);
    if (index < 0 || !cpu->cls->get_register) {
        return -1;
    }
    return cpu->cls->get_register(cpu, index, value);
}

int cpu_set_register_by_name(CPUState *cpu, const char *name, uint64_t value)
{
    int index = cpu_register_index(cpu, name);
    if (index < 0 || !cpu->cls->set_register) {
        return -1;
    }
    return cpu->cls->set_register(cpu, index, value);
}

/* ---- accelerators ---------------------------------------------------------------------- */

void accel_register(const AccelOps *ops)
{
    if (nr_accels == MAX_ACCELS) {
        fprintf(stderr, "accel_register: too many accelerators (%s dropped)\n", ops->name);
        abort();
    }
    accels[nr_accels++] = ops;
}

const AccelOps *accel_find(const char *name)
{
    for (int i = 0; name && i < nr_accels; i++) {
        if (!strcmp(accels[i]->name, name)) {
            return accels[i];
        }
    }
    return NULL;
}

void accel_foreach(void (*fn)(const AccelOps *ops, void *opaque), void *opaque)
{
    for (int i = 0; i < nr_accels; i++) {
        fn(accels[i], opaque);
    }
}

void accel_print_list(FILE *out)
{
    fprintf(out, "Accelerators supported in this binary:\n");
    for (int i = 0; i < nr_accels; i++) {
        fprintf(out, "  %-8s %s\n", accels[i]->name,
                accels[i]->description ? accels[i]->description : "");
    }
}
