/* Small streaming JSON writer for mimic-img (RFC 8259), laid out like qemu-img's output. */
#include <inttypes.h>
#include <stdlib.h>
#include "tools/img-json.h"
#include "util/json.h"

void img_json_init(ImgJson *j, FILE *out)
{
    j->out = out;
    j->depth = 0;
    j->first[0] = true;
    j->pending_key = false;
}

void img_json_write_string(FILE *out, const char *s)
{
    char *quoted = json_quote_string(s);
    fputs(quoted, out);
    free(quoted);
}

static void indent(ImgJson *j)
{
    for (int i = 0; i < j->depth; i++) {
        fputs("    ", j->out);
    }
}

/* Separator, newline and indentation before a member, then its key. */
static void begin_member(ImgJson *j, const char *key)
{
    if (j->depth > 0) {
        fputs(j->first[j->depth] ? "\n" : ",\n", j->out);
        indent(j);
    }
    j->first[j->depth] = false;
    if (key) {
        img_json_write_string(j->out, key);
        fputs(": ", j->out);
    }
}

static void open_container(ImgJson *j, const char *key, char c)
{
    begin_member(j, key);
    fputc(c, j->out);
    if (j->depth + 1 < IMG_JSON_MAX_DEPTH) {
        j->depth++;
    }
    j->first[j->depth] = true;
}

static void close_container(ImgJson *j, char c)
{
    bool empty = j->first[j->depth];
    if (j->depth > 0) {
        j->depth--;
    }
    if (!empty) {
        fputc('\n', j->out);
        indent(j);
    }
    fputc(c, j->out);
}

void img_json_start_object(ImgJson *j, const char *key) { open_container(j, key, '{'); }
void img_json_end_object(ImgJson *j) { close_container(j, '}'); }
void img_json_start_array(ImgJson *j, const char *key) { open_container(j, key, '['); }
void img_json_end_array(ImgJson *j) { close_container(j, ']'); }

void img_json_str(ImgJson *j, const char *key, const char *value)
{
    begin_member(j, key);
    img_json_write_string(j->out, value);
}

void img_json_int(ImgJson *j, const char *key, int64_t value)
{
    begin_member(j, key);
    fprintf(j->out, "%" PRId64, value);
}

void img_json_uint(ImgJson *j, const char *key, uint64_t value)
{
    begin_member(j, key);
    fprintf(j->out, "%" PRIu64, value);
}

void img_json_bool(ImgJson *j, const char *key, bool value)
{
    begin_member(j, key);
    fputs(value ? "true" : "false", j->out);
}

void img_json_finish(ImgJson *j)
{
    fputc('\n', j->out);
}
