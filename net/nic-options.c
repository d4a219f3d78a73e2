/* The NIC shorthands of the command line: "-nic user[,model=M][,mac=A][,netdev keys...]"
 * (a user netdev plus a NIC on it) and QEMU's legacy "-net nic[,model=,mac=,netdev=]
 * -net user[,...]" in its common form (one NIC with at most one user network; more are
 * refused, pointing to -nic). The NIC model defaults to virtio-net-pci on a machine with a
 * PCI bus, else virtio-net-device (QEMU's PC default is e1000, which Mimic lacks).
 * docs/net.md */
#include <stdlib.h>
#include <string.h>
#include "net/net.h"
#include "hw/qdev.h"
#include "util/cutils.h"

static const char *const nic_models[] = { "virtio-net-pci", "virtio-net-device", NULL };

static const char *default_model(void)
{
    return qbus_find_by_type(BUS_TYPE_PCI) ? "virtio-net-pci" : "virtio-net-device";
}

static const char *resolve_model(const char *model, Error **errp)
{
    if (!model) {
        return default_model();
    }
    if (!strcmp(model, "virtio")) {         /* QEMU's short name */
        return default_model();
    }
    for (int i = 0; nic_models[i]; i++) {
        if (!strcmp(model, nic_models[i])) {
            return model;
        }
    }
    error_setg(errp, "NIC model '%s' is not supported by Mimic (models: virtio, "
               "virtio-net-pci, virtio-net-device)", model);
    return NULL;
}

static int create_nic(const char *model, const char *netdev, const char *mac, Error **errp)
{
    const char *type = resolve_model(model, errp);
    if (!type) {
        return -1;
    }
    DeviceState *dev = device_create(type, NULL, errp);
    if (!dev || (netdev && device_set_prop_str(dev, "netdev", netdev, errp) < 0) ||
        (mac && device_set_prop_str(dev, "mac", mac, errp) < 0) ||
        device_realize(dev, errp) < 0) {
        if (dev) {
            device_destroy(dev);
        }
        return -1;
    }
    return 0;
}

/* "KEY=VALUE," with commas doubled, appended to *spec. */
static void spec_append(char **spec, const char *key, const char *value)
{
    size_t len = strlen(*spec);
    *spec = xrealloc(*spec, len + strlen(key) + 2 * strlen(value) + 3);
    char *p = *spec + len;
    p += sprintf(p, "%s%s=", len ? "," : "", key);
    for (const char *v = value; *v; v++) {
        *p++ = *v;
        if (*v == ',') {
            *p++ = ',';
        }
    }
    *p = '\0';
}

/* The netdev spec of a -nic/-net user: every key but the NIC's own, with id. */
static char *netdev_spec(KeyValList *kv, const char *id)
{
    char *spec = xstrdup("");
    for (int i = 0; i < kv->count; i++) {
        const char *key = kv->items[i].key;
        if (strcmp(key, "model") && strcmp(key, "mac") && strcmp(key, "id") &&
            strcmp(key, "netdev")) {
            spec_append(&spec, key, kv->items[i].value);
        }
    }
    spec_append(&spec, "id", id);
    return spec;
}

static int add_user_netdev(KeyValList *kv, const char *id, Error **errp)
{
    char *spec = netdev_spec(kv, id);
    int ret = net_netdev_add(spec, errp);
    free(spec);
    return ret;
}

int net_nic_add(const char *spec, Error **errp)
{
    static unsigned count;
    KeyValList kv;
    int ret = -1;
    if (keyval_parse(spec, "type", &kv, errp) < 0) {
        return -1;
    }
    const char *type = keyval_get(&kv, "type");
    if (!type || !strcmp(type, "none")) {
        ret = type ? 0 : (error_setg(errp, "Parameter 'type' is missing"), -1);
    } else {
        const char *model = keyval_get(&kv, "model"), *mac = keyval_get(&kv, "mac");
        const char *given_id = keyval_get(&kv, "id");
        char *id = given_id ? xstrdup(given_id) : xasprintf("__nic%u", count++);
        if (resolve_model(model, errp) && add_user_netdev(&kv, id, errp) == 0) {
            ret = create_nic(model, id, mac, errp);
        }
        free(id);
    }
    keyval_free(&kv);
    return ret;
}

/* ---- -net ---- */

typedef struct LegacyNet {
    const char *nic, *user;             /* the one -net nic and -net user specs */
    int nics, users;
    bool none;
} LegacyNet;

static int legacy_classify(const char *spec, LegacyNet *ln, Error **errp)
{
    size_t len = strcspn(spec, ",");
    if (!strncmp(spec, "nic", len) && len == 3) {
        ln->nic = spec;
        ln->nics++;
    } else if (!strncmp(spec, "user", len) && len == 4) {
        ln->user = spec;
        ln->users++;
    } else if (!strncmp(spec, "none", len) && len == 4) {
        ln->none = true;
    } else {
        error_setg(errp, "-net %s: only -net nic, -net user and -net none are supported "
                   "(use -nic or -netdev with -device)", spec);
        return -1;
    }
    return 0;
}

static int legacy_nic(const char *spec, const char *netdev, Error **errp)
{
    KeyValList kv;
    if (keyval_parse(spec, "type", &kv, errp) < 0) {
        return -1;
    }
    keyval_get(&kv, "type");
    /* -net nic spells the MAC "macaddr" (-nic and -device: "mac"), as QEMU's */
    const char *model = keyval_get(&kv, "model"), *mac = keyval_get(&kv, "macaddr");
    const char *own = keyval_get(&kv, "netdev");
    int ret = keyval_check_unused(&kv, "-net nic", errp);
    if (ret == 0 && own && netdev) {
        error_setg(errp, "-net nic,netdev=%s cannot also take -net user", own);
        ret = -1;
    }
    if (ret == 0) {
        ret = create_nic(model, own ? own : netdev, mac, errp);
    }
    keyval_free(&kv);
    return ret;
}

static int legacy_user(const char *spec, Error **errp)
{
    KeyValList kv;
    if (keyval_parse(spec, "type", &kv, errp) < 0) {
        return -1;
    }
    int ret = add_user_netdev(&kv, "__net0", errp);
    keyval_free(&kv);
    return ret;
}

int net_legacy_add(const char *const *specs, int count, Error **errp)
{
    LegacyNet ln = { 0 };
    for (int i = 0; i < count; i++) {
        if (legacy_classify(specs[i], &ln, errp) < 0) {
            return -1;
        }
    }
    if (ln.none && (ln.nics || ln.users)) {
        error_setg(errp, "-net none cannot be combined with other -net options");
        return -1;
    }
    if (ln.nics > 1 || ln.users > 1) {
        error_setg(errp, "-net: Mimic takes one -net nic with at most one -net user (no "
                   "hubs); for more NICs use -nic user,... or -netdev with -device");
        return -1;
    }
    if (ln.users && legacy_user(ln.user, errp) < 0) {
        return -1;
    }
    return ln.nics ? legacy_nic(ln.nic, ln.users ? "__net0" : NULL, errp) : 0;
}
