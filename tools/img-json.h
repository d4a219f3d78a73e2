/* Small streaming JSON writer for mimic-img, pretty-printed the way qemu-img prints
 * (4-space indent, "key": value), RFC 8259 string escaping. */
#ifndef TOOLS_IMG_JSON_H
#define TOOLS_IMG_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define IMG_JSON_MAX_DEPTH 16

typedef struct ImgJson {
    FILE *out;
    int depth;
    bool first[IMG_JSON_MAX_DEPTH];
    bool pending_key;       /* a key was written; the value follows on the same line */
} ImgJson;

void img_json_init(ImgJson *j, FILE *out);
/* key is NULL inside arrays and at the top level. */
void img_json_start_object(ImgJson *j, const char *key);
void img_json_end_object(ImgJson *j);
void img_json_start_array(ImgJson *j, const char *key);
void img_json_end_array(ImgJson *j);
void img_json_str(ImgJson *j, const char *key, const char *value);
void img_json_int(ImgJson *j, const char *key, int64_t value);
void img_json_uint(ImgJson *j, const char *key, uint64_t value);
void img_json_bool(ImgJson *j, const char *key, bool value);
/* Ends the document with a newline. */
void img_json_finish(ImgJson *j);
/* Writes s as a JSON string literal (with quotes). */
void img_json_write_string(FILE *out, const char *s);

#endif
