/* QMP's command and event table and the types of their arguments and answers: the one
 * source of query-qmp-schema, query-commands, query-events and the dispatcher's argument
 * checks (monitor/qmp-schema.c, commands in monitor/qmp-cmds*.c). */
#ifndef MONITOR_QMP_SCHEMA_H
#define MONITOR_QMP_SCHEMA_H

#include <stdbool.h>
#include "monitor/monitor-internal.h"
#include "util/json.h"

typedef JsonValue *QmpCommandFn(QmpSession *qs, const JsonValue *args, Error **errp);

/* Member lists are "name:type name?:type ..." ('?' = optional); types are builtins (str,
 * int, number, bool, any, null), names of qmp_types entries, or "[T]" arrays. */
typedef struct QmpCommand {
    const char *name;
    const char *args;
    const char *ret;
    QmpCommandFn *fn;
} QmpCommand;

typedef struct QmpEvent {
    const char *name;
    const char *data;
} QmpEvent;

typedef enum { QMP_TYPE_OBJECT, QMP_TYPE_ENUM } QmpTypeKind;

typedef struct QmpType {
    const char *name;
    QmpTypeKind kind;
    const char *members;        /* object members, or the enum's values separated by spaces */
} QmpType;

extern const QmpCommand qmp_commands[];
extern const QmpEvent qmp_events[];
extern const QmpType qmp_types[];

const QmpCommand *qmp_find_command(const char *name);
/* Checks args against cmd->args: unknown, missing and mistyped parameters; NULL or the
 * error message (QEMU's wording) in buf. */
const char *qmp_check_args(const QmpCommand *cmd, const JsonValue *args, char *buf, size_t len);

/* Error classes QEMU uses that clients test for. */
typedef enum {
    QMP_ERROR_GENERIC, QMP_ERROR_COMMAND_NOT_FOUND, QMP_ERROR_DEVICE_NOT_FOUND,
} QmpErrorClass;
/* Set by a command before failing with another class than GenericError. */
void qmp_set_error_class(QmpSession *qs, QmpErrorClass cls);

JsonValue *qmp_query_qmp_schema(QmpSession *qs, const JsonValue *args, Error **errp);
JsonValue *qmp_query_commands(QmpSession *qs, const JsonValue *args, Error **errp);
JsonValue *qmp_query_events(QmpSession *qs, const JsonValue *args, Error **errp);

#endif
