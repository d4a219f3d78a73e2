/* Handlers of the QMP commands in the table (monitor/qmp-table.c). */
#ifndef MONITOR_QMP_CMDS_H
#define MONITOR_QMP_CMDS_H

#include "monitor/qmp-schema.h"

/* The session's view of the machine (qmp.c). */
const MonitorSystem *qmp_session_system(QmpSession *qs);

/* monitor/qmp.c: session and run control */
QmpCommandFn qmp_capabilities, qmp_query_version, qmp_query_status, qmp_stop, qmp_cont,
    qmp_quit, qmp_system_reset, qmp_system_powerdown, qmp_human_monitor_command;
/* monitor/qmp-cmds-machine.c: identity, machines, CPUs, chardevs, drives, options */
QmpCommandFn qmp_query_name, qmp_query_uuid, qmp_query_target, qmp_query_kvm,
    qmp_query_machines, qmp_query_current_machine, qmp_query_cpu_definitions,
    qmp_query_cpu_model_expansion, qmp_query_cpus_fast, qmp_query_chardev,
    qmp_query_command_line_options, qmp_query_migrate_capabilities;
/* monitor/qmp-cmds-block.c: the -drive drives */
QmpCommandFn qmp_query_block, qmp_blockdev_change_medium, qmp_eject, qmp_block_resize;
/* monitor/qmp-cmds-qom.c: the QOM view of types and paths libvirt reads */
QmpCommandFn qmp_qom_list_types, qmp_qom_list, qmp_qom_get, qmp_qom_list_properties,
    qmp_device_list_properties;
/* monitor/qmp-cmds-display.c: screen dumps */
QmpCommandFn qmp_screendump, qmp_set_password, qmp_change_vnc_password;

#endif
