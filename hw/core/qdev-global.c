/* -global DRIVER.PROP=VALUE (and driver=,property=,value=): default property values applied
 * to every device of that type when it is created, before -device's own properties. */
#include <stdlib.h>
#include <string.h>
#include "hw/qdev.h"
#include "util/cutils.h"
#include "util/keyval.h"

#define MAX_GLOBALS 64

typedef struct GlobalProp {
    char *driver, *property, *value;
} GlobalProp;

static GlobalProp globals[MAX_GLOBALS];
static int nr_globals;

static int split_dotted(const char *spec, char **driver, char **prop, char **value)
{
    const char *dot = strchr(spec, '.'), *eq = strchr(spec, '=');
    if (!dot || !eq || eq < dot || dot == spec || eq == dot + 1) {
        return -1;
    }
    *driver = strndup(spec, (size_t)(dot - spec));
    *prop = strndup(dot + 1, (size_t)(eq - dot - 1));
    *value = xstrdup(eq + 1);
    return 0;
}

static int split_keyed(const char *spec, char **driver, char **prop, char **value, Error **errp)
{
    KeyValList kv;
    if (keyval_parse(spec, NULL, &kv, errp) < 0) {
        return -1;
    }
    const char *d = keyval_get(&kv, "driver"), *p = keyval_get(&kv, "property");
    const char *v = keyval_get(&kv, "value");
    int ret = d && p && v ? 0 : -1;
    if (ret == 0 && keyval_check_unused(&kv, "-global", errp) < 0) {
        ret = -2;
    } else if (ret == 0) {
        *driver = xstrdup(d);
        *prop = xstrdup(p);
        *value = xstrdup(v);
    }
    keyval_free(&kv);
    return ret;
}

static bool type_has_prop(const DeviceType *type, const char *name)
{
    for (int i = 0; type->props && type->props[i].name; i++) {
        if (!strcmp(type->props[i].name, name)) {
            return true;
        }
    }
    return false;
}

int qdev_global_add(const char *spec, Error **errp)
{
    GlobalProp g;
    const DeviceType *type;
    int ret = strstr(spec, "driver=") ? split_keyed(spec, &g.driver, &g.property, &g.value,
                                                     errp)
                                       : split_dotted(spec, &g.driver, &g.property, &g.value);
    if (ret == -1) {
        error_setg(errp, "expected DRIVER.PROPERTY=VALUE or driver=,property=,value=");
    }
    if (ret < 0) {
        return -1;
    }
    type = device_type_find(g.driver);
    if (!type || !type_has_prop(type, g.property) || nr_globals == MAX_GLOBALS) {
        error_setg(errp, !type ? "no device type '%s'" : nr_globals == MAX_GLOBALS ?
                   "too many -global options (%s)" : "device '%s' has no such property",
                   g.driver);
        free(g.driver);
        free(g.property);
        free(g.value);
        return -1;
    }
    globals[nr_globals++] = g;
    return 0;
}

int qdev_globals_apply(DeviceState *dev, Error **errp)
{
    for (int i = 0; i < nr_globals; i++) {
        if (!strcmp(globals[i].driver, dev->type->name) &&
            device_set_prop_str(dev, globals[i].property, globals[i].value, errp) < 0) {
            error_prepend(errp, "-global %s.%s=%s: ", globals[i].driver, globals[i].property,
                          globals[i].value);
            return -1;
        }
    }
    return 0;
}

void qdev_globals_clear(void)
{
    for (int i = 0; i < nr_globals; i++) {
        free(globals[i].driver);
        free(globals[i].property);
        free(globals[i].value);
    }
    nr_globals = 0;
}
