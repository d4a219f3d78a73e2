/* Parser for QEMU-style sub-options: "value,key=val,...", ",," is a literal comma. */
#include <stdlib.h>
#include <string.h>
#include "util/cutils.h"
#include "util/keyval.h"

/* Copies one comma-terminated element starting at *p, undoubling ",,". */
static char *take_element(const char **p)
{
    const char *s = *p;
    char *out = xmalloc(strlen(s) + 1);
    size_t n = 0;
    while (*s) {
        if (*s == ',') {
            if (s[1] == ',') {
                out[n++] = ',';
                s += 2;
                continue;
            }
            break;
        }
        out[n++] = *s++;
    }
    out[n] = '\0';
    *p = *s ? s + 1 : s;
    return out;
}

static void add_item(KeyValList *list, char *key, char *value)
{
    list->items = xrealloc(list->items, sizeof(KeyVal) * (list->count + 1));
    list->items[list->count++] = (KeyVal){ .key = key, .value = value };
}

int keyval_parse(const char *spec, const char *implied_key, KeyValList *out, Error **errp)
{
    const char *p = spec;
    bool first = true;

    out->items = NULL;
    out->count = 0;
    while (*p || first) {
        char *elem = take_element(&p);
        char *eq = strchr(elem, '=');
        if (eq) {
            *eq = '\0';
            if (!*elem) {
                error_setg(errp, "empty key in '%s'", spec);
                free(elem);
                keyval_free(out);
                return -1;
            }
            add_item(out, xstrdup(elem), xstrdup(eq + 1));
        } else if (first && implied_key) {
            add_item(out, xstrdup(implied_key), xstrdup(elem));
        } else if (*elem) {
            /* "key" alone means key=on, as in QEMU ("server,nowait"); "nokey" means off */
            if (!strncmp(elem, "no", 2) && elem[2]) {
                add_item(out, xstrdup(elem + 2), xstrdup("off"));
            } else {
                add_item(out, xstrdup(elem), xstrdup("on"));
            }
        } else if (*p || !first) {
            error_setg(errp, "empty element in '%s'", spec);
            free(elem);
            keyval_free(out);
            return -1;
        }
        free(elem);
        first = false;
    }
    return 0;
}

void keyval_free(KeyValList *list)
{
    for (int i = 0; i < list->count; i++) {
        free(list->items[i].key);
        free(list->items[i].value);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

const char *keyval_get(KeyValList *list, const char *key)
{
    const char *value = NULL;
    for (int i = 0; i < list->count; i++) {
        if (!strcmp(list->items[i].key, key)) {
            list->items[i].used = true;
            value = list->items[i].value;
        }
    }
    return value;
}

int keyval_get_bool(KeyValList *list, const char *key, bool def, bool *out, Error **errp)
{
    const char *v = keyval_get(list, key);
    if (!v) {
        *out = def;
        return 0;
    }
    if (parse_bool(v, out) < 0) {
        error_setg(errp, "'%s' expects on or off, not '%s'", key, v);
        return -1;
    }
    return 0;
}

int keyval_get_size(KeyValList *list, const char *key, uint64_t def, uint64_t *out,
                    Error **errp)
{
    const char *v = keyval_get(list, key);
    if (!v) {
        *out = def;
        return 0;
    }
    if (parse_size(v, 1, out) < 0) {
        error_setg(errp, "'%s' expects a size, not '%s'", key, v);
        return -1;
    }
    return 0;
}

int keyval_check_unused(KeyValList *list, const char *option, Error **errp)
{
    for (int i = 0; i < list->count; i++) {
        if (!list->items[i].used) {
            error_setg(errp, "%s: unknown parameter '%s'", option, list->items[i].key);
            return -1;
        }
    }
    return 0;
}
