/* -boot options (QEMU 7.2 "-boot": order, once, menu, splash-time, reboot-timeout, strict)
 * and the bootindex list that becomes fw_cfg "bootorder" (SeaBIOS docs: "Runtime_config",
 * one OpenFirmware device path per line, lowest bootindex first). */
#include <stdlib.h>
#include <string.h>
#include "system/boot-options.h"
#include "util/cutils.h"
#include "util/keyval.h"

#define BOOT_DEVICES_MAX 32

static struct {
    int index;
    char *path;
} boot_devices[BOOT_DEVICES_MAX];
static int nr_boot_devices;
static BootDeviceListener *boot_listener;
static void *boot_listener_opaque;

void boot_device_set_listener(BootDeviceListener *fn, void *opaque)
{
    boot_listener = fn;
    boot_listener_opaque = opaque;
}

static int copy_letters(const char *key, const char *v, char *out, Error **errp)
{
    size_t good = strspn(v, "abcdnp");

    if (v[good] != '\0') {
        error_setg(errp, "-boot %s=%s: invalid boot device '%c' (use a, b, c, d, n, p)", key,
                   v, v[good]);
        return -1;
    }
    if (good > BOOT_ORDER_MAX) {
        error_setg(errp, "-boot %s=%s: at most %d boot devices", key, v, BOOT_ORDER_MAX);
        return -1;
    }
    strcpy(out, v);
    return 0;
}

static int parse_ms(KeyValList *kv, const char *key, int *out, Error **errp)
{
    const char *v = keyval_get(kv, key);
    uint64_t n;

    *out = -1;
    if (v && (parse_uint64(v, &n) < 0 || n > 65535)) {
        error_setg(errp, "-boot %s=%s: expected milliseconds from 0 to 65535", key, v);
        return -1;
    }
    if (v) {
        *out = (int)n;
    }
    return 0;
}

int boot_options_parse(const char *spec, BootOptions *b, Error **errp)
{
    KeyValList kv;
    const char *v;
    int ret = -1;

    memset(b, 0, sizeof(*b));
    strcpy(b->order, "cad");
    b->splash_time = b->reboot_timeout = -1;
    if (!spec) {
        return 0;
    }
    if (keyval_parse(spec, "order", &kv, errp) < 0) {
        return -1;
    }
    if (((v = keyval_get(&kv, "order")) && copy_letters("order", v, b->order, errp) < 0) ||
        ((v = keyval_get(&kv, "once")) && copy_letters("once", v, b->once, errp) < 0) ||
        keyval_get_bool(&kv, "menu", false, &b->menu, errp) < 0 ||
        keyval_get_bool(&kv, "strict", false, &b->strict, errp) < 0 ||
        parse_ms(&kv, "splash-time", &b->splash_time, errp) < 0 ||
        parse_ms(&kv, "reboot-timeout", &b->reboot_timeout, errp) < 0 ||
        keyval_check_unused(&kv, "-boot", errp) < 0) {
        goto out;
    }
    ret = 0;
out:
    keyval_free(&kv);
    return ret;
}

void boot_device_add(int bootindex, const char *of_path)
{
    if (bootindex < 0 || nr_boot_devices == BOOT_DEVICES_MAX) {
        return;
    }
    boot_devices[nr_boot_devices].index = bootindex;
    boot_devices[nr_boot_devices].path = xstrdup(of_path);
    nr_boot_devices++;
    if (boot_listener) {
        boot_listener(boot_listener_opaque);
    }
}

static int by_index(const void *a, const void *b)
{
    const int *x = a, *y = b;
    return (*x > *y) - (*x < *y);
}

char *boot_device_list(void)
{
    size_t len = 1;
    char *list;

    if (!nr_boot_devices) {
        return NULL;
    }
    qsort(boot_devices, nr_boot_devices, sizeof(boot_devices[0]), by_index);
    for (int i = 0; i < nr_boot_devices; i++) {
        len += strlen(boot_devices[i].path) + 1;
    }
    list = xzalloc(len);
    for (int i = 0; i < nr_boot_devices; i++) {
        strcat(list, boot_devices[i].path);
        strcat(list, "\n");
    }
    return list;
}

void boot_device_clear(void)
{
    for (int i = 0; i < nr_boot_devices; i++) {
        free(boot_devices[i].path);
    }
    nr_boot_devices = 0;
}
