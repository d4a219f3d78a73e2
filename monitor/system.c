/* Binds the monitor's view of the machine (MonitorSystem) to the real run-state, CPU,
 * memory, device and chardev code. */
#include "chardev/chardev.h"
#include "hw/qdev.h"
#include "monitor/monitor-internal.h"
#include "system/binary-info.h"
#include "system/machine.h"
#include "system/memory.h"

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
};

const MonitorSystem *monitor_system_default(void)
{
    return &monitor_system;
}
