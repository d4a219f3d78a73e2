/* QMP, the JSON monitor protocol, following the shapes of QEMU's docs/interop/qmp-spec:
 * greeting, capabilities negotiation, {"execute", "arguments", "id"} requests,
 * {"return"} / {"error": {"class", "desc"}} responses and timestamped events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "monitor/qmp-cmds.h"
#include "util/cutils.h"

struct QmpSession {
    const MonitorSystem *sys;
    bool pretty;
    MonitorWriteFn *write;
    void *opaque;
    JsonStreamer streamer;
    bool command_mode;      /* qmp_capabilities done */
    QmpErrorClass error_class;  /* of the failing command, set by qmp_set_error_class */
};

/* ---- output ---- */

/* Sends one message, "\n" as "\r\n" like QEMU, one message a line. */
static void qmp_send(QmpSession *qs, JsonValue *msg)
{
    char *text = json_to_string(msg, qs->pretty);
    size_t start = 0, len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            qs->write(qs->opaque, text + start, i - start);
            qs->write(qs->opaque, "\r\n", 2);
            start = i + 1;
        }
    }
    qs->write(qs->opaque, text + start, len - start);
    qs->write(qs->opaque, "\r\n", 2);
    free(text);
    json_free(msg);
}

static JsonValue *qmp_error_response(const char *cls, const char *desc, const JsonValue *id)
{
    JsonValue *resp = json_new_object();
    JsonValue *err = json_new_object();
    json_object_set(err, "class", json_new_string(cls));
    json_object_set(err, "desc", json_new_string(desc));
    json_object_set(resp, "error", err);
    if (id) {
        json_object_set(resp, "id", json_copy(id));
    }
    return resp;
}

/* The QEMU release whose QMP (commands, arguments, answers) Mimic implements: clients such
 * as libvirt decide what to use from it; Mimic's own version is in "package". */
#define QMP_QEMU_MAJOR 7
#define QMP_QEMU_MINOR 2
#define QMP_QEMU_MICRO 0

static JsonValue *version_object(void)
{
    int major, minor, micro;
    char package[64];
    JsonValue *v = json_new_object();
    JsonValue *qemu = json_new_object();
    monitor_version(&major, &minor, &micro);
    json_object_set(qemu, "micro", json_new_int(QMP_QEMU_MICRO));
    json_object_set(qemu, "minor", json_new_int(QMP_QEMU_MINOR));
    json_object_set(qemu, "major", json_new_int(QMP_QEMU_MAJOR));
    json_object_set(v, "qemu", qemu);
    snprintf(package, sizeof(package), "mimic %d.%d.%d", major, minor, micro);
    json_object_set(v, "package", json_new_string(package));
    return v;
}

static void qmp_send_greeting(QmpSession *qs)
{
    JsonValue *msg = json_new_object();
    JsonValue *qmp = json_new_object();
    json_object_set(qmp, "version", version_object());
    json_object_set(qmp, "capabilities", json_new_array());
    json_object_set(msg, "QMP", qmp);
    qmp_send(qs, msg);
}

/* ---- commands ---- */

JsonValue *qmp_capabilities(QmpSession *qs, const JsonValue *args, Error **errp)
{
    JsonValue *enable = json_object_get(args, "enable");
    if (enable && json_type(enable) != JSON_ARRAY) {
        error_setg(errp, "Invalid parameter type for 'enable', expected: array");
        return NULL;
    }
    if (json_array_size(enable) > 0) {
        const char *cap = json_get_string(json_array_get(enable, 0));
        error_setg(errp, "Capability '%s' is not available", cap ? cap : "?");
        return NULL;
    }
    qs->command_mode = true;
    return json_new_object();
}

JsonValue *qmp_query_status(QmpSession *qs, const JsonValue *args, Error **errp)
{
    RunState state = qs->sys->runstate_get();
    JsonValue *r = json_new_object();
    json_object_set(r, "status", json_new_string(qs->sys->runstate_name(state)));
    json_object_set(r, "singlestep", json_new_bool(false));
    json_object_set(r, "running", json_new_bool(state == RUN_STATE_RUNNING));
    return r;
}

JsonValue *qmp_query_version(QmpSession *qs, const JsonValue *args, Error **errp)
{
    return version_object();
}

const MonitorSystem *qmp_session_system(QmpSession *qs)
{
    return qs->sys;
}

void qmp_set_error_class(QmpSession *qs, QmpErrorClass cls)
{
    qs->error_class = cls;
}

JsonValue *qmp_stop(QmpSession *qs, const JsonValue *args, Error **errp)
{
    return monitor_cmd_stop(qs->sys, errp) < 0 ? NULL : json_new_object();
}

JsonValue *qmp_cont(QmpSession *qs, const JsonValue *args, Error **errp)
{
    return monitor_cmd_cont(qs->sys, errp) < 0 ? NULL : json_new_object();
}

JsonValue *qmp_quit(QmpSession *qs, const JsonValue *args, Error **errp)
{
    monitor_cmd_quit(qs->sys);
    return json_new_object();
}

JsonValue *qmp_system_reset(QmpSession *qs, const JsonValue *args, Error **errp)
{
    monitor_cmd_system_reset(qs->sys);
    return json_new_object();
}

JsonValue *qmp_system_powerdown(QmpSession *qs, const JsonValue *args, Error **errp)
{
    monitor_cmd_system_powerdown(qs->sys);
    return json_new_object();
}

JsonValue *qmp_human_monitor_command(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const JsonValue *line = json_object_get(args, "command-line");
    const JsonValue *cpu = json_object_get(args, "cpu-index");
    int cpu_index = cpu ? (int)json_get_int(cpu) : -1;

    if (cpu && !hmp_cpu_exists(qs->sys, cpu_index)) {
        error_setg(errp, "CPU %d is not available", cpu_index);
        return NULL;
    }
    char *text = hmp_execute_capture(qs->sys, json_get_string(line), cpu_index);
    JsonValue *r = json_new_string(text);
    free(text);
    return r;
}

/* Checks the request's envelope; returns NULL or the error message. */
static const char *check_request(const JsonValue *req, char *buf, size_t len)
{
    if (json_type(req) != JSON_OBJECT) {
        return "QMP input must be a JSON object";
    }
    for (size_t i = 0; i < json_object_size(req); i++) {
        const char *key = json_object_key_at(req, i);
        if (strcmp(key, "execute") && strcmp(key, "arguments") && strcmp(key, "id")) {
            snprintf(buf, len, "QMP input member '%.64s' is unexpected", key);
            return buf;
        }
    }
    JsonValue *exec = json_object_get(req, "execute");
    if (!exec) {
        return "QMP input lacks member 'execute'";
    }
    if (json_type(exec) != JSON_STRING) {
        return "QMP input member 'execute' must be a string";
    }
    JsonValue *args = json_object_get(req, "arguments");
    if (args && json_type(args) != JSON_OBJECT) {
        return "QMP input member 'arguments' must be an object";
    }
    return NULL;
}

static const char *error_class_name(QmpErrorClass cls)
{
    static const char *const names[] = {
        [QMP_ERROR_GENERIC] = "GenericError",
        [QMP_ERROR_COMMAND_NOT_FOUND] = "CommandNotFound",
        [QMP_ERROR_DEVICE_NOT_FOUND] = "DeviceNotFound",
    };
    return names[cls];
}

static JsonValue *run_command(QmpSession *qs, const QmpCommand *cmd, const JsonValue *args,
                              const JsonValue *id)
{
    Error *err = NULL;
    char desc[160];
    JsonValue *empty = NULL;

    if (!args) {
        args = empty = json_new_object();
    }
    const char *problem = qmp_check_args(cmd, args, desc, sizeof(desc));
    if (problem) {
        json_free(empty);
        return qmp_error_response("GenericError", problem, id);
    }
    qs->error_class = QMP_ERROR_GENERIC;
    JsonValue *ret = cmd->fn(qs, args, &err);
    json_free(empty);
    if (!ret) {
        JsonValue *resp = qmp_error_response(error_class_name(qs->error_class),
                                             error_get_message(err), id);
        error_free(err);
        return resp;
    }
    JsonValue *resp = json_new_object();
    json_object_set(resp, "return", ret);
    if (id) {
        json_object_set(resp, "id", json_copy(id));
    }
    return resp;
}

JsonValue *qmp_session_dispatch(QmpSession *qs, JsonValue *req)
{
    char desc[160];
    const JsonValue *id = json_type(req) == JSON_OBJECT ? json_object_get(req, "id") : NULL;
    const char *problem = check_request(req, desc, sizeof(desc));
    if (problem) {
        return qmp_error_response("GenericError", problem, id);
    }
    const char *name = json_get_string(json_object_get(req, "execute"));
    const JsonValue *args = json_object_get(req, "arguments");
    bool negotiation = !strcmp(name, "qmp_capabilities");
    if (!qs->command_mode && !negotiation) {
        return qmp_error_response("CommandNotFound",
                                  "Expecting capabilities negotiation with 'qmp_capabilities'",
                                  id);
    }
    if (qs->command_mode && negotiation) {
        return qmp_error_response("CommandNotFound",
                                  "Capabilities negotiation is already complete, command "
                                  "ignored", id);
    }
    const QmpCommand *cmd = qmp_find_command(name);
    if (!cmd) {
        snprintf(desc, sizeof(desc), "The command %.64s has not been found", name);
        return qmp_error_response("CommandNotFound", desc, id);
    }
    return run_command(qs, cmd, args, id);
}

static void qmp_emit(void *opaque, JsonValue *val, Error *err)
{
    QmpSession *qs = opaque;
    if (err) {
        qmp_send(qs, qmp_error_response("GenericError", error_get_message(err), NULL));
        error_free(err);
        return;
    }
    JsonValue *resp = qmp_session_dispatch(qs, val);
    json_free(val);
    if (resp) {
        qmp_send(qs, resp);
    }
}

/* ---- events ---- */

/* Run events in qmp_events[] (monitor/qmp-table.c) order: STOP, RESUME, SHUTDOWN, RESET,
 * POWERDOWN, as RunEvent. */
#define event_names(e) (qmp_events[(e)].name)

static bool cause_is_guest(ShutdownCause cause)
{
    return cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN || cause == SHUTDOWN_CAUSE_GUEST_RESET ||
           cause == SHUTDOWN_CAUSE_GUEST_PANIC;
}

void qmp_session_event(QmpSession *qs, RunEvent event, ShutdownCause cause)
{
    struct timespec now;
    if (!qs->command_mode || (unsigned)event > RUN_EVENT_POWERDOWN) {
        return;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    JsonValue *msg = json_new_object();
    JsonValue *ts = json_new_object();
    json_object_set(ts, "seconds", json_new_int(now.tv_sec));
    json_object_set(ts, "microseconds", json_new_int(now.tv_nsec / 1000));
    json_object_set(msg, "timestamp", ts);
    json_object_set(msg, "event", json_new_string(event_names(event)));
    if (event == RUN_EVENT_SHUTDOWN || event == RUN_EVENT_RESET) {
        JsonValue *data = json_new_object();
        json_object_set(data, "guest", json_new_bool(cause_is_guest(cause)));
        json_object_set(data, "reason", json_new_string(qs->sys->shutdown_cause_name(cause)));
        json_object_set(msg, "data", data);
    }
    qmp_send(qs, msg);
}

/* ---- sessions ---- */

QmpSession *qmp_session_new(const MonitorSystem *sys, bool pretty, MonitorWriteFn *write,
                            void *opaque)
{
    QmpSession *qs = xzalloc(sizeof(*qs));
    JsonLimits limits = { .max_depth = QMP_MAX_INPUT_DEPTH, .max_size = QMP_MAX_INPUT_SIZE };
    qs->sys = sys;
    qs->pretty = pretty;
    qs->write = write;
    qs->opaque = opaque;
    json_streamer_init(&qs->streamer, &limits, qmp_emit, qs);
    return qs;
}

void qmp_session_free(QmpSession *qs)
{
    if (qs) {
        json_streamer_destroy(&qs->streamer);
        free(qs);
    }
}

void qmp_session_open(QmpSession *qs)
{
    json_streamer_reset(&qs->streamer);
    qs->command_mode = false;
    qmp_send_greeting(qs);
}

void qmp_session_input(QmpSession *qs, const char *buf, size_t len)
{
    json_streamer_feed(&qs->streamer, buf, len);
}
