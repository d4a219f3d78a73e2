/* QMP introspection generated from the one command/event/type table (monitor/qmp-table.c):
 * query-qmp-schema in QEMU's SchemaInfo shape (docs/interop/qmp-spec, QEMU 7.2
 * qapi/introspect.json), query-commands, query-events, and the argument checks of the
 * dispatcher, so that the three can never disagree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/qmp-schema.h"
#include "util/cutils.h"

#define MAX_MEMBERS 24

typedef struct Member {
    char name[48];
    char type[48];
    bool optional;
} Member;

/* Splits "a:str b?:[int]" into members; returns the count. */
static int parse_members(const char *spec, Member *out)
{
    int n = 0;
    const char *p = spec ? spec : "";

    while (*p && n < MAX_MEMBERS) {
        size_t len = strcspn(p, " ");
        const char *colon = memchr(p, ':', len);
        if (colon) {
            size_t nlen = (size_t)(colon - p);
            Member *m = &out[n++];
            m->optional = nlen > 0 && p[nlen - 1] == '?';
            snprintf(m->name, sizeof(m->name), "%.*s", (int)(nlen - m->optional), p);
            snprintf(m->type, sizeof(m->type), "%.*s", (int)(len - nlen - 1), colon + 1);
        }
        p += len;
        p += strspn(p, " ");
    }
    return n;
}

static const char *builtin_json_type(const char *name)
{
    static const char *const map[][2] = {
        { "str", "string" }, { "int", "int" }, { "number", "number" }, { "bool", "boolean" },
        { "any", "value" }, { "null", "null" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
        if (!strcmp(map[i][0], name)) {
            return map[i][1];
        }
    }
    return NULL;
}

static const QmpType *find_type(const char *name)
{
    for (const QmpType *t = qmp_types; t->name; t++) {
        if (!strcmp(t->name, name)) {
            return t;
        }
    }
    return NULL;
}

const QmpCommand *qmp_find_command(const char *name)
{
    for (const QmpCommand *c = qmp_commands; c->name; c++) {
        if (!strcmp(c->name, name)) {
            return c;
        }
    }
    return NULL;
}

/* ---- argument checks ---- */

static bool enum_has(const QmpType *t, const char *value)
{
    size_t len = strlen(value);
    for (const char *p = t->members; *p;) {
        size_t n = strcspn(p, " ");
        if (n == len && !strncmp(p, value, n)) {
            return true;
        }
        p += n + strspn(p + n, " ");
    }
    return false;
}

/* NULL if v fits type, else the expected JSON kind ("string", ...). */
static const char *type_mismatch(const char *type, const JsonValue *v, bool *bad_enum)
{
    const char *json = builtin_json_type(type);
    const QmpType *t = json ? NULL : find_type(type);
    JsonType jt = json_type(v);

    *bad_enum = false;
    if (type[0] == '[') {
        return jt == JSON_ARRAY ? NULL : "array";
    }
    if (json) {
        bool ok = !strcmp(json, "value") || (!strcmp(json, "string") && jt == JSON_STRING) ||
                  (!strcmp(json, "int") && jt == JSON_INT) ||
                  (!strcmp(json, "number") && (jt == JSON_INT || jt == JSON_DOUBLE)) ||
                  (!strcmp(json, "boolean") && jt == JSON_BOOL) ||
                  (!strcmp(json, "null") && jt == JSON_NULL);
        return ok ? NULL : !strcmp(json, "int") ? "integer" : json;
    }
    if (t && t->kind == QMP_TYPE_ENUM) {
        if (jt != JSON_STRING) {
            return "string";
        }
        *bad_enum = !enum_has(t, json_get_string(v));
        return NULL;
    }
    return jt == JSON_OBJECT ? NULL : "object";
}

const char *qmp_check_args(const QmpCommand *cmd, const JsonValue *args, char *buf, size_t len)
{
    Member m[MAX_MEMBERS];
    int n = parse_members(cmd->args, m);
    bool bad_enum;

    for (size_t i = 0; i < json_object_size(args); i++) {
        const char *key = json_object_key_at(args, i);
        int k = 0;
        while (k < n && strcmp(m[k].name, key)) {
            k++;
        }
        if (k == n) {
            snprintf(buf, len, "Parameter '%.64s' is unexpected", key);
            return buf;
        }
        const char *want = type_mismatch(m[k].type, json_object_value_at(args, i), &bad_enum);
        if (want) {
            snprintf(buf, len, "Invalid parameter type for '%s', expected: %s", key, want);
            return buf;
        }
        if (bad_enum) {
            snprintf(buf, len, "Parameter '%s' does not accept value '%.64s'", key,
                     json_get_string(json_object_value_at(args, i)));
            return buf;
        }
    }
    for (int k = 0; k < n; k++) {
        if (!m[k].optional && !json_object_get(args, m[k].name)) {
            snprintf(buf, len, "Parameter '%s' is missing", m[k].name);
            return buf;
        }
    }
    return NULL;
}

/* ---- schema ---- */

typedef struct SchemaBuilder {
    JsonValue *list;
    char **seen;
    int nr_seen;
} SchemaBuilder;

static bool mark_seen(SchemaBuilder *sb, const char *name)
{
    for (int i = 0; i < sb->nr_seen; i++) {
        if (!strcmp(sb->seen[i], name)) {
            return false;
        }
    }
    sb->seen = xrealloc(sb->seen, sizeof(char *) * (sb->nr_seen + 1));
    sb->seen[sb->nr_seen++] = xstrdup(name);
    return true;
}

static JsonValue *schema_entry(const char *name, const char *meta)
{
    JsonValue *e = json_new_object();
    json_object_set(e, "name", json_new_string(name));
    json_object_set(e, "meta-type", json_new_string(meta));
    return e;
}

static void emit_type(SchemaBuilder *sb, const char *name);

static void emit_object(SchemaBuilder *sb, const char *name, const char *spec)
{
    Member m[MAX_MEMBERS];
    int n = parse_members(spec, m);
    JsonValue *e = schema_entry(name, "object");
    JsonValue *members = json_new_array();

    for (int i = 0; i < n; i++) {
        JsonValue *mem = json_new_object();
        json_object_set(mem, "name", json_new_string(m[i].name));
        json_object_set(mem, "type", json_new_string(m[i].type));
        if (m[i].optional) {
            json_object_set(mem, "default", json_new_null());
        }
        json_array_append(members, mem);
    }
    json_object_set(e, "members", members);
    json_array_append(sb->list, e);
    for (int i = 0; i < n; i++) {
        emit_type(sb, m[i].type);
    }
}

static void emit_enum(SchemaBuilder *sb, const QmpType *t)
{
    JsonValue *e = schema_entry(t->name, "enum");
    JsonValue *members = json_new_array(), *values = json_new_array();
    const char *p = t->members;

    while (*p) {
        size_t n = strcspn(p, " ");
        JsonValue *mem = json_new_object();
        json_object_set(mem, "name", json_new_stringn(p, n));
        json_array_append(members, mem);
        json_array_append(values, json_new_stringn(p, n));
        p += n + strspn(p + n, " ");
    }
    json_object_set(e, "members", members);
    json_object_set(e, "values", values);
    json_array_append(sb->list, e);
}

static void emit_type(SchemaBuilder *sb, const char *name)
{
    const char *json = builtin_json_type(name);
    const QmpType *t;

    if (!mark_seen(sb, name)) {
        return;
    }
    if (name[0] == '[') {
        char elem[64];
        snprintf(elem, sizeof(elem), "%.*s", (int)strlen(name) - 2, name + 1);
        JsonValue *e = schema_entry(name, "array");
        json_object_set(e, "element-type", json_new_string(elem));
        json_array_append(sb->list, e);
        emit_type(sb, elem);
    } else if (json) {
        JsonValue *e = schema_entry(name, "builtin");
        json_object_set(e, "json-type", json_new_string(json));
        json_array_append(sb->list, e);
    } else if ((t = find_type(name)) && t->kind == QMP_TYPE_ENUM) {
        emit_enum(sb, t);
    } else {
        emit_object(sb, name, t ? t->members : "");
    }
}

/* The argument object of a command or event: "q_empty", or "q_obj_NAME-arg". */
static void arg_type_name(const char *owner, const char *spec, char *buf, size_t len)
{
    if (!spec || !*spec) {
        snprintf(buf, len, "q_empty");
    } else {
        snprintf(buf, len, "q_obj_%s-arg", owner);
    }
}

static void emit_arg_type(SchemaBuilder *sb, const char *type_name, const char *spec)
{
    if (mark_seen(sb, type_name)) {
        emit_object(sb, type_name, spec);
    }
}

JsonValue *qmp_query_qmp_schema(QmpSession *qs, const JsonValue *args, Error **errp)
{
    SchemaBuilder sb = { .list = json_new_array() };
    char arg_type[96];

    for (const QmpCommand *c = qmp_commands; c->name; c++) {
        JsonValue *e = schema_entry(c->name, "command");
        arg_type_name(c->name, c->args, arg_type, sizeof(arg_type));
        json_object_set(e, "arg-type", json_new_string(arg_type));
        json_object_set(e, "ret-type", json_new_string(c->ret));
        json_array_append(sb.list, e);
        emit_arg_type(&sb, arg_type, c->args);
        emit_type(&sb, c->ret);
    }
    for (const QmpEvent *ev = qmp_events; ev->name; ev++) {
        JsonValue *e = schema_entry(ev->name, "event");
        arg_type_name(ev->name, ev->data, arg_type, sizeof(arg_type));
        json_object_set(e, "arg-type", json_new_string(arg_type));
        json_array_append(sb.list, e);
        emit_arg_type(&sb, arg_type, ev->data);
    }
    for (int i = 0; i < sb.nr_seen; i++) {
        free(sb.seen[i]);
    }
    free(sb.seen);
    return sb.list;
}

static JsonValue *name_list(const char *first_name, size_t stride)
{
    JsonValue *list = json_new_array();
    for (const char *const *p = (const char *const *)first_name; *p;
         p = (const char *const *)((const char *)p + stride)) {
        JsonValue *item = json_new_object();
        json_object_set(item, "name", json_new_string(*p));
        json_array_append(list, item);
    }
    return list;
}

JsonValue *qmp_query_commands(QmpSession *qs, const JsonValue *args, Error **errp)
{
    return name_list((const char *)&qmp_commands[0].name, sizeof(QmpCommand));
}

JsonValue *qmp_query_events(QmpSession *qs, const JsonValue *args, Error **errp)
{
    return name_list((const char *)&qmp_events[0].name, sizeof(QmpEvent));
}
