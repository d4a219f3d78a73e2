/* QEMU-style sub-option strings: "value,key=val,key2=val2", with ",," for a literal comma. */
#ifndef UTIL_KEYVAL_H
#define UTIL_KEYVAL_H

#include <stdbool.h>
#include <stdint.h>
#include "util/error.h"

typedef struct KeyVal {
    char *key;
    char *value;
    bool used;          /* set by keyval_get*(); lets callers report unknown keys */
} KeyVal;

typedef struct KeyValList {
    KeyVal *items;
    int count;
} KeyValList;

/* Parses spec. If implied_key is not NULL, a first element without '=' is stored under
 * that key (e.g. "-device e1000,mac=..." gives driver=e1000). Returns 0 or -1 with *errp. */
int keyval_parse(const char *spec, const char *implied_key, KeyValList *out, Error **errp);
void keyval_free(KeyValList *list);
/* Last value for key (marks it used), or NULL. */
const char *keyval_get(KeyValList *list, const char *key);
int keyval_get_bool(KeyValList *list, const char *key, bool def, bool *out, Error **errp);
int keyval_get_size(KeyValList *list, const char *key, uint64_t def, uint64_t *out,
                    Error **errp);
/* Reports the first key not marked used, naming the option ("-chardev"); 0 if none. */
int keyval_check_unused(KeyValList *list, const char *option, Error **errp);

#endif
