/* JSON values (RFC 8259): a tree parser with depth and size limits for untrusted input,
 * a streaming splitter that cuts a byte stream into whole values, and a serializer. */
#ifndef UTIL_JSON_H
#define UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

typedef enum {
    JSON_NULL,
    JSON_BOOL,
    JSON_INT,       /* a number without fraction or exponent that fits int64_t */
    JSON_DOUBLE,    /* any other number */
    JSON_STRING,    /* UTF-8, never contains NUL */
    JSON_ARRAY,
    JSON_OBJECT,    /* members keep their input order; keys are unique */
} JsonType;

typedef struct JsonValue JsonValue;

/* Limits applied by the parser and the streamer; 0 in a field means its default. */
typedef struct JsonLimits {
    unsigned max_depth;     /* nesting of arrays and objects (default 64) */
    size_t max_size;        /* bytes of one value's text (default 1 MiB) */
} JsonLimits;

#define JSON_DEFAULT_MAX_DEPTH 64
#define JSON_DEFAULT_MAX_SIZE (1u << 20)

/* Parses exactly one value from text[0..len) (surrounding whitespace allowed). Returns
 * NULL with *errp set ("JSON parse error at offset N: ...") on any malformed input, a
 * string that is not UTF-8, nesting deeper or text longer than the limits. limits may be
 * NULL for the defaults. */
JsonValue *json_parse(const char *text, size_t len, const JsonLimits *limits, Error **errp);

/* Constructors; a container takes ownership of the values put into it. */
JsonValue *json_new_null(void);
JsonValue *json_new_bool(bool b);
JsonValue *json_new_int(int64_t i);
JsonValue *json_new_double(double d);
JsonValue *json_new_string(const char *s);      /* copies s */
JsonValue *json_new_stringn(const char *s, size_t len);
JsonValue *json_new_array(void);
JsonValue *json_new_object(void);
void json_array_append(JsonValue *array, JsonValue *item);
/* Sets key (copied) to val, replacing and freeing any previous value of key. */
void json_object_set(JsonValue *object, const char *key, JsonValue *val);
JsonValue *json_copy(const JsonValue *v);
void json_free(JsonValue *v);

/* Accessors; a mismatched type gives the neutral result (false, 0, NULL). */
JsonType json_type(const JsonValue *v);
bool json_get_bool(const JsonValue *v);
int64_t json_get_int(const JsonValue *v);
double json_get_number(const JsonValue *v);     /* JSON_INT or JSON_DOUBLE */
const char *json_get_string(const JsonValue *v);
size_t json_array_size(const JsonValue *v);
JsonValue *json_array_get(const JsonValue *v, size_t index);
size_t json_object_size(const JsonValue *v);
JsonValue *json_object_get(const JsonValue *v, const char *key);
/* Member by position, for iteration in input order. */
const char *json_object_key_at(const JsonValue *v, size_t index);
JsonValue *json_object_value_at(const JsonValue *v, size_t index);

/* Serializes v: compact with ", " and ": " separators as QEMU prints QMP, or pretty
 * (newlines, 4-space indent). Strings are escaped (quote, backslash, control characters;
 * bytes that are not valid UTF-8 become U+FFFD). The caller frees the result. */
char *json_to_string(const JsonValue *v, bool pretty);
/* s as a JSON string literal, quotes included (malloc'd; invalid UTF-8 becomes U+FFFD). */
char *json_quote_string(const char *s);

/* Streaming: cuts a byte stream into top-level values, whatever the chunking. Each
 * complete value (or an error: malformed, too deep, too large) is handed to emit; exactly
 * one of val / err is non-NULL and the callee owns it. After an error the streamer
 * resynchronises at the end of the offending value (nesting back to zero) or line. */
typedef void JsonEmitFn(void *opaque, JsonValue *val, Error *err);

typedef struct JsonStreamer {
    JsonLimits limits;
    JsonEmitFn *emit;
    void *opaque;
    char *buf;              /* text of the value being collected */
    size_t len, cap;
    unsigned depth;         /* open brackets */
    bool in_string, escape;
    bool in_scalar;         /* a bare top-level token (number, literal, garbage) */
    bool discarding;        /* over a limit: skip until the value ends */
} JsonStreamer;

void json_streamer_init(JsonStreamer *js, const JsonLimits *limits, JsonEmitFn *emit,
                        void *opaque);
void json_streamer_feed(JsonStreamer *js, const char *data, size_t len);
/* Forgets any partial value (a new client connected). */
void json_streamer_reset(JsonStreamer *js);
void json_streamer_destroy(JsonStreamer *js);

#endif
