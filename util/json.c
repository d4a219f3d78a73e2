/* JSON values, parser and serializer following RFC 8259 (UTF-8 text, \uXXXX escapes with
 * surrogate pairs); limits on nesting and size keep hostile input from exhausting us. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "util/cutils.h"
#include "util/json.h"

/* Objects larger than this are refused: the duplicate-key check is quadratic. */
#define JSON_MAX_MEMBERS 4096

struct JsonValue {
    JsonType type;
    union {
        bool b;
        int64_t i;
        double d;
        char *str;
        struct {
            JsonValue **items;
            size_t n, cap;
        } arr;
        struct {
            char **keys;
            JsonValue **vals;
            size_t n, cap;
        } obj;
    } u;
};

/* ---- values ------------------------------------------------------------------ */

static JsonValue *json_new(JsonType type)
{
    JsonValue *v = xzalloc(sizeof(*v));
    v->type = type;
    return v;
}

JsonValue *json_new_null(void)
{
    return json_new(JSON_NULL);
}

JsonValue *json_new_bool(bool b)
{
    JsonValue *v = json_new(JSON_BOOL);
    v->u.b = b;
    return v;
}

JsonValue *json_new_int(int64_t i)
{
    JsonValue *v = json_new(JSON_INT);
    v->u.i = i;
    return v;
}

JsonValue *json_new_double(double d)
{
    JsonValue *v = json_new(JSON_DOUBLE);
    v->u.d = d;
    return v;
}

JsonValue *json_new_stringn(const char *s, size_t len)
{
    JsonValue *v = json_new(JSON_STRING);
    v->u.str = xmalloc(len + 1);
    memcpy(v->u.str, s, len);
    v->u.str[len] = '\0';
    return v;
}

JsonValue *json_new_string(const char *s)
{
    return json_new_stringn(s, strlen(s));
}

JsonValue *json_new_array(void)
{
    return json_new(JSON_ARRAY);
}

JsonValue *json_new_object(void)
{
    return json_new(JSON_OBJECT);
}

void json_array_append(JsonValue *array, JsonValue *item)
{
    if (array->u.arr.n == array->u.arr.cap) {
        array->u.arr.cap = array->u.arr.cap ? array->u.arr.cap * 2 : 4;
        array->u.arr.items = xrealloc(array->u.arr.items,
                                      array->u.arr.cap * sizeof(*array->u.arr.items));
    }
    array->u.arr.items[array->u.arr.n++] = item;
}

static ssize_t json_object_find(const JsonValue *v, const char *key)
{
    for (size_t i = 0; i < v->u.obj.n; i++) {
        if (!strcmp(v->u.obj.keys[i], key)) {
            return (ssize_t)i;
        }
    }
    return -1;
}

/* Appends a member whose key is known to be new; takes ownership of key and val. */
static void json_object_append(JsonValue *object, char *key, JsonValue *val)
{
    if (object->u.obj.n == object->u.obj.cap) {
        object->u.obj.cap = object->u.obj.cap ? object->u.obj.cap * 2 : 4;
        object->u.obj.keys = xrealloc(object->u.obj.keys,
                                      object->u.obj.cap * sizeof(*object->u.obj.keys));
        object->u.obj.vals = xrealloc(object->u.obj.vals,
                                      object->u.obj.cap * sizeof(*object->u.obj.vals));
    }
    object->u.obj.keys[object->u.obj.n] = key;
    object->u.obj.vals[object->u.obj.n] = val;
    object->u.obj.n++;
}

void json_object_set(JsonValue *object, const char *key, JsonValue *val)
{
    ssize_t i = json_object_find(object, key);
    if (i >= 0) {
        json_free(object->u.obj.vals[i]);
        object->u.obj.vals[i] = val;
        return;
    }
    json_object_append(object, xstrdup(key), val);
}

JsonValue *json_copy(const JsonValue *v)
{
    JsonValue *c;
    switch (v->type) {
    case JSON_STRING:
        return json_new_string(v->u.str);
    case JSON_ARRAY:
        c = json_new_array();
        for (size_t i = 0; i < v->u.arr.n; i++) {
            json_array_append(c, json_copy(v->u.arr.items[i]));
        }
        return c;
    case JSON_OBJECT:
        c = json_new_object();
        for (size_t i = 0; i < v->u.obj.n; i++) {
            json_object_append(c, xstrdup(v->u.obj.keys[i]), json_copy(v->u.obj.vals[i]));
        }
        return c;
    default:
        c = json_new(v->type);
        c->u = v->u;
        return c;
    }
}

void json_free(JsonValue *v)
{
    if (!v) {
        return;
    }
    switch (v->type) {
    case JSON_STRING:
        free(v->u.str);
        break;
    case JSON_ARRAY:
        for (size_t i = 0; i < v->u.arr.n; i++) {
            json_free(v->u.arr.items[i]);
        }
        free(v->u.arr.items);
        break;
    case JSON_OBJECT:
        for (size_t i = 0; i < v->u.obj.n; i++) {
            free(v->u.obj.keys[i]);
            json_free(v->u.obj.vals[i]);
        }
        free(v->u.obj.keys);
        free(v->u.obj.vals);
        break;
    default:
        break;
    }
    free(v);
}

JsonType json_type(const JsonValue *v)
{
    return v->type;
}

bool json_get_bool(const JsonValue *v)
{
    return v && v->type == JSON_BOOL && v->u.b;
}

int64_t json_get_int(const JsonValue *v)
{
    return v && v->type == JSON_INT ? v->u.i : 0;
}

double json_get_number(const JsonValue *v)
{
    if (v && v->type == JSON_INT) {
        return (double)v->u.i;
    }
    return v && v->type == JSON_DOUBLE ? v->u.d : 0.0;
}

const char *json_get_string(const JsonValue *v)
{
    return v && v->type == JSON_STRING ? v->u.str : NULL;
}

size_t json_array_size(const JsonValue *v)
{
    return v && v->type == JSON_ARRAY ? v->u.arr.n : 0;
}

JsonValue *json_array_get(const JsonValue *v, size_t index)
{
    return index < json_array_size(v) ? v->u.arr.items[index] : NULL;
}

size_t json_object_size(const JsonValue *v)
{
    return v && v->type == JSON_OBJECT ? v->u.obj.n : 0;
}

JsonValue *json_object_get(const JsonValue *v, const char *key)
{
    if (!v || v->type != JSON_OBJECT) {
        return NULL;
    }
    ssize_t i = json_object_find(v, key);
    return i >= 0 ? v->u.obj.vals[i] : NULL;
}

const char *json_object_key_at(const JsonValue *v, size_t index)
{
    return index < json_object_size(v) ? v->u.obj.keys[index] : NULL;
}

JsonValue *json_object_value_at(const JsonValue *v, size_t index)
{
    return index < json_object_size(v) ? v->u.obj.vals[index] : NULL;
}

/* ---- growable text buffer --------------------------------------------------------- */

typedef struct StrBuf {
    char *s;
    size_t len, cap;
} StrBuf;

static void sb_reserve(StrBuf *sb, size_t more)
{
    if (sb->len + more + 1 > sb->cap) {
        sb->cap = MAX(sb->cap * 2, sb->len + more + 1);
        sb->cap = MAX(sb->cap, (size_t)64);
        sb->s = xrealloc(sb->s, sb->cap);
        sb->s[sb->len] = '\0';
    }
}

static void sb_putn(StrBuf *sb, const char *s, size_t n)
{
    sb_reserve(sb, n);
    memcpy(sb->s + sb->len, s, n);
    sb->len += n;
    sb->s[sb->len] = '\0';
}

static void sb_putc(StrBuf *sb, char c)
{
    sb_putn(sb, &c, 1);
}

static void sb_puts(StrBuf *sb, const char *s)
{
    sb_putn(sb, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3))) sb_printf(StrBuf *sb, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0) {
        sb_putn(sb, tmp, MIN((size_t)n, sizeof(tmp) - 1));
    }
}

/* Appends the UTF-8 encoding of code point cp (<= 0x10FFFF, not a surrogate). */
static void sb_put_utf8(StrBuf *sb, uint32_t cp)
{
    char out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        out[0] = (char)(0xf0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    sb_putn(sb, out, n);
}

/* Length of the valid UTF-8 sequence at s (at most avail bytes), or 0 if it is not one:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_sequence_length(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp, min;
    if (c < 0x80) {
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        n = 2, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n > avail) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    return n;
}

/* ---- parser ------------------------------------------------------------------------ */

typedef struct JsonParser {
    const char *start, *p, *end;
    unsigned depth, max_depth;
    Error **errp;
    bool failed;
} JsonParser;

static JsonValue *parse_value(JsonParser *ps);

static void __attribute__((format(printf, 2, 3))) parse_error(JsonParser *ps,
                                                              const char *fmt, ...)
{
    char msg[128];
    va_list ap;
    if (ps->failed) {
        return;
    }
    ps->failed = true;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    error_setg(ps->errp, "JSON parse error at offset %zu: %s", (size_t)(ps->p - ps->start),
               msg);
}

/* Describes the byte at the cursor for an error message. */
static const char *describe_here(JsonParser *ps, char *buf, size_t len)
{
    if (ps->p >= ps->end) {
        return "end of input";
    }
    unsigned char c = (unsigned char)*ps->p;
    if (c >= 0x20 && c < 0x7f) {
        snprintf(buf, len, "'%c'", c);
    } else {
        snprintf(buf, len, "byte 0x%02x", c);
    }
    return buf;
}

static void skip_ws(JsonParser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) {
        ps->p++;
    }
}

static int parse_hex4(JsonParser *ps, uint32_t *out)
{
    uint32_t v = 0;
    if (ps->end - ps->p < 4) {
        parse_error(ps, "truncated \\u escape");
        return -1;
    }
    for (int i = 0; i < 4; i++) {
        char c = ps->p[i];
        int d = c >= '0' && c <= '9' ? c - '0' :
                c >= 'a' && c <= 'f' ? c - 'a' + 10 :
                c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) {
            parse_error(ps, "invalid \\u escape");
            return -1;
        }
        v = (v << 4) | (uint32_t)d;
    }
    ps->p += 4;
    *out = v;
    return 0;
}

/* After "\u": one code point, joining a UTF-16 surrogate pair. */
static int parse_unicode_escape(JsonParser *ps, uint32_t *cp)
{
    uint32_t lo;
    if (parse_hex4(ps, cp) < 0) {
        return -1;
    }
    if (*cp >= 0xdc00 && *cp <= 0xdfff) {
        parse_error(ps, "lone low surrogate \\u%04x", *cp);
        return -1;
    }
    if (*cp >= 0xd800 && *cp <= 0xdbff) {
        if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') {
            parse_error(ps, "high surrogate \\u%04x without its low half", *cp);
            return -1;
        }
        ps->p += 2;
        if (parse_hex4(ps, &lo) < 0) {
            return -1;
        }
        if (lo < 0xdc00 || lo > 0xdfff) {
            parse_error(ps, "high surrogate \\u%04x followed by \\u%04x", *cp, lo);
            return -1;
        }
        *cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
    }
    if (*cp == 0) {
        parse_error(ps, "\\u0000 is not supported");
        return -1;
    }
    return 0;
}

static int parse_escape(JsonParser *ps, StrBuf *sb)
{
    uint32_t cp;
    if (ps->p >= ps->end) {
        parse_error(ps, "unterminated string");
        return -1;
    }
    char c = *ps->p++;
    switch (c) {
    case '"': case '\\': case '/':
        sb_putc(sb, c);
        return 0;
    case 'b': sb_putc(sb, '\b'); return 0;
    case 'f': sb_putc(sb, '\f'); return 0;
    case 'n': sb_putc(sb, '\n'); return 0;
    case 'r': sb_putc(sb, '\r'); return 0;
    case 't': sb_putc(sb, '\t'); return 0;
    case 'u':
        if (parse_unicode_escape(ps, &cp) < 0) {
            return -1;
        }
        sb_put_utf8(sb, cp);
        return 0;
    default:
        ps->p--;
        parse_error(ps, "invalid escape '\\%c'", c);
        return -1;
    }
}

/* The cursor is on the opening quote; returns the decoded string (malloc'd) or NULL. */
static char *parse_string_raw(JsonParser *ps)
{
    StrBuf sb = { 0 };
    sb_reserve(&sb, 0);
    ps->p++;
    while (ps->p < ps->end) {
        unsigned char c = (unsigned char)*ps->p;
        size_t n;
        if (c == '"') {
            ps->p++;
            return sb.s;
        } else if (c == '\\') {
            ps->p++;
            if (parse_escape(ps, &sb) < 0) {
                break;
            }
        } else if (c < 0x20) {
            parse_error(ps, "control character 0x%02x in string", c);
            break;
        } else if ((n = utf8_sequence_length((const unsigned char *)ps->p,
                                             (size_t)(ps->end - ps->p))) == 0) {
            parse_error(ps, "invalid UTF-8 in string");
            break;
        } else {
            sb_putn(&sb, ps->p, n);
            ps->p += n;
        }
    }
    parse_error(ps, "unterminated string");
    free(sb.s);
    return NULL;
}

static size_t skip_digits(JsonParser *ps)
{
    const char *s = ps->p;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
        ps->p++;
    }
    return (size_t)(ps->p - s);
}

/* Checks the number grammar; sets *integral when there is no fraction or exponent. */
static int scan_number(JsonParser *ps, bool *integral)
{
    *integral = true;
    if (ps->p < ps->end && *ps->p == '-') {
        ps->p++;
    }
    if (ps->p < ps->end && *ps->p == '0') {
        ps->p++;
    } else if (skip_digits(ps) == 0) {
        parse_error(ps, "invalid number");
        return -1;
    }
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        *integral = false;
        if (skip_digits(ps) == 0) {
            parse_error(ps, "digits expected after '.'");
            return -1;
        }
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        *integral = false;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) {
            ps->p++;
        }
        if (skip_digits(ps) == 0) {
            parse_error(ps, "digits expected in exponent");
            return -1;
        }
    }
    return 0;
}

static JsonValue *parse_number(JsonParser *ps)
{
    const char *s = ps->p;
    bool integral;
    if (scan_number(ps, &integral) < 0) {
        return NULL;
    }
    char *text = xmalloc((size_t)(ps->p - s) + 1);
    memcpy(text, s, (size_t)(ps->p - s));
    text[ps->p - s] = '\0';
    JsonValue *v = NULL;
    if (integral) {
        errno = 0;
        long long i = strtoll(text, NULL, 10);
        if (errno == 0) {
            v = json_new_int(i);
        }
    }
    if (!v) {
        /* fraction, exponent, or an integer beyond int64_t: a double, as QEMU does */
        v = json_new_double(strtod(text, NULL));
    }
    free(text);
    return v;
}

static JsonValue *parse_literal(JsonParser *ps)
{
    static const struct {
        const char *word;
        JsonType type;
        bool b;
    } literals[] = {
        { "true", JSON_BOOL, true }, { "false", JSON_BOOL, false }, { "null", JSON_NULL, false },
    };
    for (size_t i = 0; i < ARRAY_SIZE(literals); i++) {
        size_t n = strlen(literals[i].word);
        if ((size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, literals[i].word, n)) {
            ps->p += n;
            return literals[i].type == JSON_BOOL ? json_new_bool(literals[i].b)
                                                 : json_new_null();
        }
    }
    char what[32];
    parse_error(ps, "unexpected %s", describe_here(ps, what, sizeof(what)));
    return NULL;
}

/* Expects c at the cursor (after whitespace) and consumes it. */
static bool expect_char(JsonParser *ps, char c)
{
    char what[32];
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == c) {
        ps->p++;
        return true;
    }
    parse_error(ps, "expected '%c', got %s", c, describe_here(ps, what, sizeof(what)));
    return false;
}

/* After '[' or '{': is the container empty (closer next)? Consumes the closer. */
static bool at_closer(JsonParser *ps, char closer)
{
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == closer) {
        ps->p++;
        return true;
    }
    return false;
}

/* After a member: ',' (true, go on), the closer (false, done) or an error (false). */
static bool next_member(JsonParser *ps, char closer)
{
    char what[32];
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        return true;
    }
    if (ps->p < ps->end && *ps->p == closer) {
        ps->p++;
        return false;
    }
    parse_error(ps, "expected ',' or '%c', got %s", closer,
                describe_here(ps, what, sizeof(what)));
    return false;
}

static JsonValue *parse_array(JsonParser *ps)
{
    JsonValue *arr = json_new_array();
    ps->p++;
    if (at_closer(ps, ']')) {
        return arr;
    }
    do {
        JsonValue *item = parse_value(ps);
        if (!item) {
            break;
        }
        json_array_append(arr, item);
    } while (next_member(ps, ']'));
    if (ps->failed) {
        json_free(arr);
        return NULL;
    }
    return arr;
}

static int parse_member(JsonParser *ps, JsonValue *obj)
{
    char what[32];
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != '"') {
        parse_error(ps, "expected a string key, got %s", describe_here(ps, what, sizeof(what)));
        return -1;
    }
    const char *key_pos = ps->p;
    char *key = parse_string_raw(ps);
    if (!key) {
        return -1;
    }
    if (json_object_find(obj, key) >= 0 || obj->u.obj.n >= JSON_MAX_MEMBERS) {
        ps->p = key_pos;
        if (obj->u.obj.n >= JSON_MAX_MEMBERS) {
            parse_error(ps, "object with more than %d members", JSON_MAX_MEMBERS);
        } else {
            parse_error(ps, "duplicate key '%.40s'", key);
        }
        free(key);
        return -1;
    }
    JsonValue *val = expect_char(ps, ':') ? parse_value(ps) : NULL;
    if (!val) {
        free(key);
        return -1;
    }
    json_object_append(obj, key, val);
    return 0;
}

static JsonValue *parse_object(JsonParser *ps)
{
    JsonValue *obj = json_new_object();
    ps->p++;
    if (at_closer(ps, '}')) {
        return obj;
    }
    do {
        if (parse_member(ps, obj) < 0) {
            break;
        }
    } while (next_member(ps, '}'));
    if (ps->failed) {
        json_free(obj);
        return NULL;
    }
    return obj;
}

static JsonValue *parse_container(JsonParser *ps)
{
    if (ps->depth >= ps->max_depth) {
        parse_error(ps, "nesting deeper than %u", ps->max_depth);
        return NULL;
    }
    ps->depth++;
    JsonValue *v = *ps->p == '[' ? parse_array(ps) : parse_object(ps);
    ps->depth--;
    return v;
}

static JsonValue *parse_string(JsonParser *ps)
{
    char *s = parse_string_raw(ps);
    if (!s) {
        return NULL;
    }
    JsonValue *v = json_new(JSON_STRING);
    v->u.str = s;
    return v;
}

static JsonValue *parse_value(JsonParser *ps)
{
    skip_ws(ps);
    if (ps->p >= ps->end) {
        parse_error(ps, "unexpected end of input");
        return NULL;
    }
    switch (*ps->p) {
    case '{': case '[':
        return parse_container(ps);
    case '"':
        return parse_string(ps);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return parse_number(ps);
    default:
        return parse_literal(ps);
    }
}

static void limits_or_default(const JsonLimits *in, JsonLimits *out)
{
    out->max_depth = in && in->max_depth ? in->max_depth : JSON_DEFAULT_MAX_DEPTH;
    out->max_size = in && in->max_size ? in->max_size : JSON_DEFAULT_MAX_SIZE;
}

JsonValue *json_parse(const char *text, size_t len, const JsonLimits *limits, Error **errp)
{
    JsonLimits lim;
    limits_or_default(limits, &lim);
    JsonParser ps = {
        .start = text, .p = text, .end = text + len, .max_depth = lim.max_depth, .errp = errp,
    };
    if (len > lim.max_size) {
        error_setg(errp, "JSON parse error: input of %zu bytes exceeds the limit of %zu",
                   len, lim.max_size);
        return NULL;
    }
    JsonValue *v = parse_value(&ps);
    if (v) {
        skip_ws(&ps);
        if (ps.p != ps.end) {
            char what[32];
            parse_error(&ps, "trailing %s after the value", describe_here(&ps, what,
                                                                          sizeof(what)));
            json_free(v);
            v = NULL;
        }
    }
    return v;
}

/* ---- serializer ------------------------------------------------------------------ */

static void write_string(StrBuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t avail = strlen(s);
    sb_putc(sb, '"');
    while (avail > 0) {
        unsigned char c = *p;
        size_t n = 1;
        switch (c) {
        case '"': sb_puts(sb, "\\\""); break;
        case '\\': sb_puts(sb, "\\\\"); break;
        case '\b': sb_puts(sb, "\\b"); break;
        case '\f': sb_puts(sb, "\\f"); break;
        case '\n': sb_puts(sb, "\\n"); break;
        case '\r': sb_puts(sb, "\\r"); break;
        case '\t': sb_puts(sb, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                sb_printf(sb, "\\u%04x", c);
            } else if (c < 0x80) {
                sb_putc(sb, (char)c);
            } else if ((n = utf8_sequence_length(p, avail)) > 0) {
                sb_putn(sb, (const char *)p, n);
            } else {
                sb_puts(sb, "\\ufffd");
                n = 1;
            }
        }
        p += n;
        avail -= n;
    }
    sb_putc(sb, '"');
}

char *json_quote_string(const char *s)
{
    StrBuf sb = { 0 };
    write_string(&sb, s);   /* the buffer is kept NUL-terminated */
    return sb.s;
}

static void write_double(StrBuf *sb, double d)
{
    char tmp[40];
    if (!isfinite(d)) {
        sb_puts(sb, "null");     /* JSON has no NaN or infinity */
        return;
    }
    snprintf(tmp, sizeof(tmp), "%.17g", d);
    sb_puts(sb, tmp);
    if (!strpbrk(tmp, ".eE")) {
        sb_puts(sb, ".0");      /* keep it a double when read back */
    }
}

static void write_indent(StrBuf *sb, bool pretty, unsigned level)
{
    if (pretty) {
        sb_putc(sb, '\n');
        for (unsigned i = 0; i < level; i++) {
            sb_puts(sb, "    ");
        }
    }
}

static void write_value(StrBuf *sb, const JsonValue *v, bool pretty, unsigned level);

static void write_array(StrBuf *sb, const JsonValue *v, bool pretty, unsigned level)
{
    sb_putc(sb, '[');
    for (size_t i = 0; i < v->u.arr.n; i++) {
        if (i) {
            sb_puts(sb, pretty ? "," : ", ");
        }
        write_indent(sb, pretty, level + 1);
        write_value(sb, v->u.arr.items[i], pretty, level + 1);
    }
    if (v->u.arr.n) {
        write_indent(sb, pretty, level);
    }
    sb_putc(sb, ']');
}

static void write_object(StrBuf *sb, const JsonValue *v, bool pretty, unsigned level)
{
    sb_putc(sb, '{');
    for (size_t i = 0; i < v->u.obj.n; i++) {
        if (i) {
            sb_puts(sb, pretty ? "," : ", ");
        }
        write_indent(sb, pretty, level + 1);
        write_string(sb, v->u.obj.keys[i]);
        sb_puts(sb, ": ");
        write_value(sb, v->u.obj.vals[i], pretty, level + 1);
    }
    if (v->u.obj.n) {
        write_indent(sb, pretty, level);
    }
    sb_putc(sb, '}');
}

static void write_value(StrBuf *sb, const JsonValue *v, bool pretty, unsigned level)
{
    switch (v->type) {
    case JSON_NULL: sb_puts(sb, "null"); break;
    case JSON_BOOL: sb_puts(sb, v->u.b ? "true" : "false"); break;
    case JSON_INT: sb_printf(sb, "%lld", (long long)v->u.i); break;
    case JSON_DOUBLE: write_double(sb, v->u.d); break;
    case JSON_STRING: write_string(sb, v->u.str); break;
    case JSON_ARRAY: write_array(sb, v, pretty, level); break;
    case JSON_OBJECT: write_object(sb, v, pretty, level); break;
    }
}

char *json_to_string(const JsonValue *v, bool pretty)
{
    StrBuf sb = { 0 };
    sb_reserve(&sb, 0);
    write_value(&sb, v, pretty, 0);
    return sb.s;
}

/* ---- streamer ------------------------------------------------------------------- */

void json_streamer_init(JsonStreamer *js, const JsonLimits *limits, JsonEmitFn *emit,
                        void *opaque)
{
    memset(js, 0, sizeof(*js));
    limits_or_default(limits, &js->limits);
    js->emit = emit;
    js->opaque = opaque;
}

void json_streamer_reset(JsonStreamer *js)
{
    js->len = 0;
    js->depth = 0;
    js->in_string = js->escape = js->in_scalar = js->discarding = false;
}

void json_streamer_destroy(JsonStreamer *js)
{
    free(js->buf);
    js->buf = NULL;
    js->len = js->cap = 0;
}

static void streamer_fail(JsonStreamer *js, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reports a limit violation and skips the rest of the offending value. */
static void streamer_fail(JsonStreamer *js, const char *fmt, ...)
{
    char msg[128];
    va_list ap;
    Error *err = NULL;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    error_setg(&err, "%s", msg);
    js->discarding = true;
    js->len = 0;
    js->emit(js->opaque, NULL, err);
}

static void streamer_append(JsonStreamer *js, char c)
{
    if (js->discarding) {
        return;
    }
    if (js->len >= js->limits.max_size) {
        streamer_fail(js, "JSON value longer than %zu bytes", js->limits.max_size);
        return;
    }
    if (js->len + 1 > js->cap) {
        js->cap = MAX(js->cap * 2, (size_t)256);
        js->buf = xrealloc(js->buf, js->cap);
    }
    js->buf[js->len++] = c;
}

/* A whole top-level value has been collected (or skipped): parse it and hand it on. */
static void streamer_complete(JsonStreamer *js)
{
    bool skipped = js->discarding;
    size_t len = js->len;
    js->in_scalar = js->discarding = false;
    js->depth = 0;
    js->len = 0;
    if (skipped || len == 0) {
        return;
    }
    Error *err = NULL;
    JsonValue *v = json_parse(js->buf, len, &js->limits, &err);
    js->emit(js->opaque, v, err);
}

static void streamer_string_byte(JsonStreamer *js, char c)
{
    streamer_append(js, c);
    if (js->escape) {
        js->escape = false;
    } else if (c == '\\') {
        js->escape = true;
    } else if (c == '"') {
        js->in_string = false;
        if (js->depth == 0) {
            streamer_complete(js);
        }
    }
}

/* A bare token at top level ends where a new value or whitespace begins. */
static void streamer_end_scalar(JsonStreamer *js)
{
    if (js->in_scalar) {
        streamer_complete(js);
    }
}

static void streamer_byte(JsonStreamer *js, char c)
{
    if (js->in_string) {
        streamer_string_byte(js, c);
        return;
    }
    switch (c) {
    case '"':
        if (js->depth == 0) {
            streamer_end_scalar(js);
        }
        js->in_string = true;
        streamer_append(js, c);
        break;
    case '{': case '[':
        if (js->depth == 0) {
            streamer_end_scalar(js);
        }
        js->depth++;
        streamer_append(js, c);
        if (js->depth > js->limits.max_depth && !js->discarding) {
            streamer_fail(js, "JSON nesting deeper than %u", js->limits.max_depth);
        }
        break;
    case '}': case ']':
        streamer_append(js, c);
        if (js->depth > 0) {
            js->depth--;
        }
        if (js->depth == 0) {
            streamer_complete(js);     /* a stray closer reaches the parser as an error */
        }
        break;
    case ' ': case '\t': case '\r': case '\n':
        if (js->depth == 0) {
            streamer_end_scalar(js);
        } else {
            streamer_append(js, c);
        }
        break;
    default:
        if (js->depth == 0) {
            js->in_scalar = true;
        }
        streamer_append(js, c);
    }
}

void json_streamer_feed(JsonStreamer *js, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        streamer_byte(js, data[i]);
    }
}
