/* Binds the monitor's view of the machine (MonitorSystem) to the real run-state, CPU,
 * memory, device and chardev code. */
#include <unistd.h>
#include "block/block.h"
#include "chardev/chardev.h"
#include "hw/qdev.h"
#include "monitor/monitor-internal.h"
#include "system/binary-info.h"
#include "system/machine-opts.h"
#include "system/machine.h"
#include "system/memory.h"
#include "system/objects.h"
#include "system/vl.h"

static int system_read_phys(uint64_t addr, void *buf, size_t len)
{
    Machine *machine = current_machine();
    if (!machine || !machine->as_memory.root) {
        return -1;
    }
    return address_space_read(&machine->as_memory, addr, buf, len) == MEMTX_OK ? 0 : -1;
}

static int system_word_bits(void)
{
    return binary_info.word_bits == 64 ? 64 : 32;
}

/* ---- the inventory QMP lists (registries pick up new machines, models and devices) ---- */

static void foreach_machine_cb(const MachineClass *cls, void *opaque)
{
    void **ctx = opaque;
    MonitorMachineInfo m = {
        .name = cls->name, .description = cls->description, .max_cpus = cls->max_cpus,
        .is_default = cls->is_default,
        .default_cpu = cls->default_cpu_model ? cls->default_cpu_model :
                       (cpu_class_default(binary_info.arch) ?
                        cpu_class_default(binary_info.arch)->model : NULL),
    };
    ((MonitorMachineFn *)ctx[0])(ctx[1], &m);
}

static void inv_foreach_machine(MonitorMachineFn *fn, void *opaque)
{
    void *ctx[2] = { (void *)fn, opaque };
    machine_class_foreach(binary_info.arch, foreach_machine_cb, ctx);
}

static void foreach_cpu_cb(const CPUClass *cls, void *opaque)
{
    void **ctx = opaque;
    ((MonitorNameFn *)ctx[0])(ctx[1], cls->model, cls->description);
}

static void inv_foreach_cpu_model(MonitorNameFn *fn, void *opaque)
{
    void *ctx[2] = { (void *)fn, opaque };
    cpu_class_foreach(binary_info.arch, foreach_cpu_cb, ctx);
}

static void foreach_device_cb(const DeviceType *type, void *opaque)
{
    void **ctx = opaque;
    ((MonitorNameFn *)ctx[0])(ctx[1], type->name, type->description);
}

static void inv_foreach_device_type(MonitorNameFn *fn, void *opaque)
{
    void *ctx[2] = { (void *)fn, opaque };
    device_type_foreach(foreach_device_cb, ctx);
}

/* QOM's type names for qdev property kinds. */
static const char *prop_type_name(PropertyType t)
{
    static const char *const names[PROP__COUNT] = {
        [PROP_UINT8] = "uint8", [PROP_UINT16] = "uint16", [PROP_UINT32] = "uint32",
        [PROP_UINT64] = "uint64", [PROP_INT] = "int32", [PROP_SIZE] = "size",
        [PROP_BOOL] = "bool", [PROP_STRING] = "str", [PROP_MACADDR] = "str",
        [PROP_CHARDEV] = "str", [PROP_NETDEV] = "str", [PROP_DRIVE] = "str",
    };
    return (unsigned)t < PROP__COUNT && names[t] ? names[t] : "str";
}

static int inv_foreach_device_prop(const char *name, MonitorPropFn *fn, void *opaque)
{
    const DeviceType *type = device_type_find(name);
    if (!type) {
        return -1;
    }
    for (int i = 0; type->props && type->props[i].name; i++) {
        fn(opaque, type->props[i].name, prop_type_name(type->props[i].type));
    }
    return 0;
}

static void foreach_machine_prop_cb(void *opaque, const char *name, const char *help)
{
    void **ctx = opaque;
    ((MonitorPropFn *)ctx[0])(ctx[1], name, "str");
}

static int inv_foreach_machine_prop(const char *name, MonitorPropFn *fn, void *opaque)
{
    const MachineClass *cls = machine_class_find(binary_info.arch, name);
    void *ctx[2] = { (void *)fn, opaque };
    if (!cls) {
        return -1;
    }
    machine_opts_foreach_prop(cls, foreach_machine_prop_cb, ctx);
    return 0;
}

static void inv_foreach_chardev(MonitorChardevFn *fn, void *opaque)
{
    chardev_foreach(fn, opaque);
}

static void foreach_accel_cb(const AccelOps *ops, void *opaque)
{
    void **ctx = opaque;
    ((MonitorNameFn *)ctx[0])(ctx[1], ops->name, ops->description);
}

static void inv_foreach_accel(MonitorNameFn *fn, void *opaque)
{
    void *ctx[2] = { (void *)fn, opaque };
    accel_foreach(foreach_accel_cb, ctx);
}

static void inv_foreach_object_type(MonitorNameFn *fn, void *opaque)
{
    object_type_foreach(fn, opaque);
}

static const char *inv_target_arch(void)
{
    return binary_info.arch;
}

static bool inv_kvm_present(void)
{
    return access("/dev/kvm", R_OK | W_OK) == 0;
}

static const char *inv_machine_type(void)
{
    Machine *machine = current_machine();
    return machine ? machine->cls->name : NULL;
}

static const MonitorInventory monitor_inventory = {
    .target_arch = inv_target_arch,
    .guest_name = vl_guest_name,
    .guest_uuid = vl_guest_uuid,
    .accel_name = vl_accel_name,
    .kvm_present = inv_kvm_present,
    .machine_type = inv_machine_type,
    .foreach_machine = inv_foreach_machine,
    .foreach_cpu_model = inv_foreach_cpu_model,
    .foreach_device_type = inv_foreach_device_type,
    .foreach_accel = inv_foreach_accel,
    .foreach_object_type = inv_foreach_object_type,
    .foreach_machine_prop = inv_foreach_machine_prop,
    .foreach_device_prop = inv_foreach_device_prop,
    .foreach_chardev = inv_foreach_chardev,
    .cpu_thread_id = cpus_thread_id,
};

static const MonitorSystem monitor_system = {
    .runstate_get = runstate_get,
    .runstate_name = runstate_name,
    .shutdown_cause_name = shutdown_cause_name,
    .vm_start = vm_start,
    .vm_stop = vm_stop,
    .shutdown_request = system_shutdown_request,
    .reset_request = system_reset_request,
    .powerdown_request = system_powerdown_request,
    .cpu_first = cpu_first,
    .cpu_next = cpu_next,
    .read_phys = system_read_phys,
    .print_mtree = memory_print_all,
    .print_qtree = qdev_print_tree,
    .print_chardev = chardev_print_info,
    .word_bits = system_word_bits,
    .inventory = &monitor_inventory,
};

const MonitorSystem *monitor_system_default(void)
{
    return &monitor_system;
}
