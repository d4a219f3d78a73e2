/* The QMP commands and events Mimic implements, with the types of their arguments and
 * answers in QEMU 7.2's shapes (the qapi schema files read for names and members). This table is
 * the only list: the dispatcher, query-commands, query-events and query-qmp-schema all
 * read it (monitor/qmp-schema.c). Commands QEMU has and Mimic lacks answer
 * CommandNotFound, as an older QEMU would. */
#include <stddef.h>
#include "monitor/qmp-cmds.h"

const QmpCommand qmp_commands[] = {
    { "qmp_capabilities", "enable?:[QMPCapability]", "q_empty", qmp_capabilities },
    { "query-version", "", "VersionInfo", qmp_query_version },
    { "query-commands", "", "[CommandInfo]", qmp_query_commands },
    { "query-events", "", "[EventInfo]", qmp_query_events },
    { "query-qmp-schema", "", "[SchemaInfo]", qmp_query_qmp_schema },
    { "query-status", "", "StatusInfo", qmp_query_status },
    { "stop", "", "q_empty", qmp_stop },
    { "cont", "", "q_empty", qmp_cont },
    { "quit", "", "q_empty", qmp_quit },
    { "system_reset", "", "q_empty", qmp_system_reset },
    { "system_powerdown", "", "q_empty", qmp_system_powerdown },
    { "human-monitor-command", "command-line:str cpu-index?:int", "str",
      qmp_human_monitor_command },
    { "query-name", "", "NameInfo", qmp_query_name },
    { "query-uuid", "", "UuidInfo", qmp_query_uuid },
    { "query-target", "", "TargetInfo", qmp_query_target },
    { "query-kvm", "", "KvmInfo", qmp_query_kvm },
    { "query-machines", "compat-props?:bool", "[MachineInfo]", qmp_query_machines },
    { "query-current-machine", "", "CurrentMachineParams", qmp_query_current_machine },
    { "query-cpu-definitions", "", "[CpuDefinitionInfo]", qmp_query_cpu_definitions },
    { "query-cpu-model-expansion", "type:CpuModelExpansionType model:CpuModelInfo",
      "CpuModelExpansionInfo", qmp_query_cpu_model_expansion },
    { "query-cpus-fast", "", "[CpuInfoFast]", qmp_query_cpus_fast },
    { "query-chardev", "", "[ChardevInfo]", qmp_query_chardev },
    { "query-block", "", "[BlockInfo]", qmp_query_block },
    { "blockdev-change-medium", "device?:str id?:str filename:str format?:str force?:bool "
      "read-only-mode?:BlockdevChangeReadOnlyMode", "q_empty", qmp_blockdev_change_medium },
    { "eject", "device?:str id?:str force?:bool", "q_empty", qmp_eject },
    { "block_resize", "device?:str node-name?:str size:int", "q_empty", qmp_block_resize },
    { "qom-list-types", "implements?:str abstract?:bool", "[ObjectTypeInfo]",
      qmp_qom_list_types },
    { "qom-list", "path:str", "[ObjectPropertyInfo]", qmp_qom_list },
    { "qom-get", "path:str property:str", "any", qmp_qom_get },
    { "qom-list-properties", "typename:str", "[ObjectPropertyInfo]",
      qmp_qom_list_properties },
    { "device-list-properties", "typename:str", "[ObjectPropertyInfo]",
      qmp_device_list_properties },
    { "query-command-line-options", "option?:str", "[CommandLineOptionInfo]",
      qmp_query_command_line_options },
    { "query-migrate-capabilities", "", "[MigrationCapabilityStatus]",
      qmp_query_migrate_capabilities },
    { "screendump", "filename:str device?:str head?:int format?:ImageFormat", "q_empty",
      qmp_screendump },
    { "set_password", "protocol:str password:str connected?:str display?:str", "q_empty",
      qmp_set_password },
    { "change-vnc-password", "password:str", "q_empty", qmp_change_vnc_password },
    { NULL, NULL, NULL, NULL },
};

const QmpEvent qmp_events[] = {
    { "STOP", "" },
    { "RESUME", "" },
    { "SHUTDOWN", "guest:bool reason:ShutdownCause" },
    { "RESET", "guest:bool reason:ShutdownCause" },
    { "POWERDOWN", "" },
    { NULL, NULL },
};

const QmpType qmp_types[] = {
    { "q_empty", QMP_TYPE_OBJECT, "" },
    { "QMPCapability", QMP_TYPE_ENUM, "oob" },
    { "VersionTriple", QMP_TYPE_OBJECT, "major:int minor:int micro:int" },
    { "VersionInfo", QMP_TYPE_OBJECT, "qemu:VersionTriple package:str" },
    { "CommandInfo", QMP_TYPE_OBJECT, "name:str" },
    { "EventInfo", QMP_TYPE_OBJECT, "name:str" },
    { "SchemaInfo", QMP_TYPE_OBJECT,
      "name:str meta-type:SchemaMetaType json-type?:str members?:[any] values?:[str] "
      "element-type?:str arg-type?:str ret-type?:str allow-oob?:bool" },
    { "SchemaMetaType", QMP_TYPE_ENUM,
      "builtin enum array object alternate command event" },
    { "RunState", QMP_TYPE_ENUM,
      "debug inmigrate internal-error io-error paused postmigrate prelaunch finish-migrate "
      "restore-vm running save-vm shutdown suspended watchdog guest-panicked colo" },
    { "ShutdownCause", QMP_TYPE_ENUM,
      "none host-error host-qmp-quit host-qmp-system-reset host-signal host-ui "
      "guest-shutdown guest-reset guest-panic subsystem-reset snapshot-load" },
    { "StatusInfo", QMP_TYPE_OBJECT, "running:bool singlestep:bool status:RunState" },
    { "NameInfo", QMP_TYPE_OBJECT, "name?:str" },
    { "UuidInfo", QMP_TYPE_OBJECT, "UUID:str" },
    { "SysEmuTarget", QMP_TYPE_ENUM, "aarch64 arm i386 x86_64" },
    { "TargetInfo", QMP_TYPE_OBJECT, "arch:SysEmuTarget" },
    { "KvmInfo", QMP_TYPE_OBJECT, "enabled:bool present:bool" },
    { "MachineInfo", QMP_TYPE_OBJECT,
      "name:str alias?:str is-default?:bool cpu-max:int hotpluggable-cpus:bool "
      "numa-mem-supported:bool deprecated:bool default-cpu-type?:str default-ram-id?:str" },
    { "CurrentMachineParams", QMP_TYPE_OBJECT, "wakeup-suspend-support:bool" },
    { "CpuDefinitionInfo", QMP_TYPE_OBJECT,
      "name:str migration-safe?:bool static:bool unavailable-features?:[str] typename:str "
      "alias-of?:str deprecated:bool" },
    { "CpuModelExpansionType", QMP_TYPE_ENUM, "static full" },
    { "CpuModelInfo", QMP_TYPE_OBJECT, "name:str props?:any" },
    { "CpuModelExpansionInfo", QMP_TYPE_OBJECT, "model:CpuModelInfo" },
    { "CpuInfoFast", QMP_TYPE_OBJECT,
      "cpu-index:int qom-path:str thread-id:int target:SysEmuTarget" },
    { "ChardevInfo", QMP_TYPE_OBJECT, "label:str filename:str frontend-open:bool" },
    { "BlockDeviceInfo", QMP_TYPE_OBJECT,
      "file:str node-name?:str ro:bool drv:str backing_file?:str backing_file_depth:int "
      "encrypted:bool detect_zeroes:BlockdevDetectZeroesOptions bps:int bps_rd:int "
      "bps_wr:int iops:int iops_rd:int iops_wr:int image:ImageInfo write_threshold:int "
      "cache:BlockdevCacheInfo" },
    { "BlockdevDetectZeroesOptions", QMP_TYPE_ENUM, "off on unmap" },
    { "BlockdevChangeReadOnlyMode", QMP_TYPE_ENUM, "retain read-only read-write" },
    { "ImageInfo", QMP_TYPE_OBJECT,
      "filename:str format:str dirty-flag?:bool actual-size?:int virtual-size:int "
      "cluster-size?:int backing-filename?:str full-backing-filename?:str "
      "backing-filename-format?:str backing-image?:ImageInfo" },
    { "BlockdevCacheInfo", QMP_TYPE_OBJECT, "writeback:bool direct:bool no-flush:bool" },
    { "BlockInfo", QMP_TYPE_OBJECT,
      "device:str qdev?:str type:str removable:bool locked:bool inserted?:BlockDeviceInfo "
      "tray_open?:bool" },
    { "ObjectTypeInfo", QMP_TYPE_OBJECT, "name:str abstract?:bool parent?:str" },
    { "ObjectPropertyInfo", QMP_TYPE_OBJECT,
      "name:str type:str description?:str default-value?:any" },
    { "CommandLineParameterType", QMP_TYPE_ENUM, "string boolean number size" },
    { "CommandLineParameterInfo", QMP_TYPE_OBJECT,
      "name:str type:CommandLineParameterType help?:str default?:str" },
    { "CommandLineOptionInfo", QMP_TYPE_OBJECT,
      "option:str parameters:[CommandLineParameterInfo]" },
    { "MigrationCapabilityStatus", QMP_TYPE_OBJECT, "capability:str state:bool" },
    { "ImageFormat", QMP_TYPE_ENUM, "ppm png" },
    { NULL, 0, NULL },
};
