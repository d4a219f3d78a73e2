/* -netdev: the registry of network backends by id, the parsing of "-netdev TYPE,id=ID,..."
 * (user is the one type; tap, socket, bridge... are refused by name), the list of NICs, and
 * "info network". docs/net.md */
#include <stdlib.h>
#include <string.h>
#include "net/net.h"
#include "hw/qdev.h"
#include "monitor/monitor.h"
#include "util/cutils.h"

#define MAX_CLIENTS 64

static NetClientState *backends[MAX_CLIENTS];
static int nr_backends;
static NetClientState *nics[MAX_CLIENTS];
static int nr_nics;

/* QEMU's other -netdev types: named so that the error says "not supported", not "unknown". */
static const char *const unsupported_types[] = {
    "tap", "bridge", "socket", "stream", "dgram", "l2tpv3", "vde", "netmap", "vhost-user",
    "vhost-vdpa", "vmnet-host", "vmnet-shared", "vmnet-bridged", "hubport", "af-xdp", NULL,
};

static void *netdev_resolve(const char *id)
{
    return net_backend_find(id);
}

NetClientState *net_backend_find(const char *id)
{
    for (int i = 0; i < nr_backends; i++) {
        if (!strcmp(backends[i]->name, id)) {
            return backends[i];
        }
    }
    return NULL;
}

int net_backend_register(NetClientState *nc, Error **errp)
{
    if (net_backend_find(nc->name)) {
        error_setg(errp, "Duplicate ID '%s' for netdev", nc->name);
        return -1;
    }
    if (nr_backends == MAX_CLIENTS) {
        error_setg(errp, "at most %d netdevs are supported", MAX_CLIENTS);
        return -1;
    }
    backends[nr_backends++] = nc;
    nc->registered = true;
    net_init();
    return 0;
}

void net_init(void)
{
    qdev_set_backend_resolver(PROP_NETDEV, netdev_resolve);
}

static bool type_is_listed(const char *type, const char *const *list)
{
    for (int i = 0; list[i]; i++) {
        if (!strcmp(list[i], type)) {
            return true;
        }
    }
    return false;
}

/* Checks the id as QEMU does: letters, digits, '-', '.', '_', starting with a letter;
 * or "__" then those (the ids -nic and -net give their netdevs). */
static bool id_valid(const char *id)
{
    if (!strncmp(id, "__", 2) && id[2]) {
        id += 2;
    }
    if (!((*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z'))) {
        return false;
    }
    for (; *id; id++) {
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._", *id)) {
            return false;
        }
    }
    return true;
}

static NetClientState *netdev_create(const char *type, const char *id, KeyValList *kv,
                                     Error **errp)
{
    if (!strcmp(type, "user")) {
        return net_slirp_create(id, kv, errp);
    }
    if (type_is_listed(type, unsupported_types)) {
        error_setg(errp, "netdev type '%s' is not supported by Mimic (only 'user')", type);
    } else {
        error_setg(errp, "Parameter 'type' does not accept value '%s' (only 'user')", type);
    }
    return NULL;
}

int net_netdev_add(const char *spec, Error **errp)
{
    KeyValList kv;
    NetClientState *nc = NULL;
    if (keyval_parse(spec, "type", &kv, errp) < 0) {
        return -1;
    }
    const char *type = keyval_get(&kv, "type");
    const char *id = keyval_get(&kv, "id");
    if (!type) {
        error_setg(errp, "Parameter 'type' is missing");
    } else if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
    } else if (!id_valid(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier, not '%s'", id);
    } else if (net_backend_find(id)) {
        error_setg(errp, "Duplicate ID '%s' for netdev", id);
    } else {
        nc = netdev_create(type, id, &kv, errp);
    }
    if (nc && keyval_check_unused(&kv, "-netdev", errp) < 0) {
        nc->info->cleanup(nc);
        nc = NULL;
    }
    if (nc && net_backend_register(nc, errp) < 0) {
        nc->info->cleanup(nc);
        nc = NULL;
    }
    keyval_free(&kv);
    return nc ? 0 : -1;
}

void net_check_clients(void)
{
    for (int i = 0; i < nr_backends; i++) {
        if (!backends[i]->peer) {
            warn_report("netdev %s has no peer", backends[i]->name);
        }
    }
    for (int i = 0; i < nr_nics; i++) {
        if (!nics[i]->peer) {
            warn_report("nic %s has no peer", nics[i]->name);
        }
    }
}

void net_cleanup_all(void)
{
    while (nr_backends > 0) {
        NetClientState *nc = backends[--nr_backends];
        nc->registered = false;
        nc->info->cleanup(nc);
    }
    qdev_set_backend_resolver(PROP_NETDEV, NULL);
}

void net_nic_register(NetClientState *nc)
{
    if (nr_nics < MAX_CLIENTS) {
        nics[nr_nics++] = nc;
    }
}

void net_nic_unregister(NetClientState *nc)
{
    for (int i = 0; i < nr_nics; i++) {
        if (nics[i] == nc) {
            memmove(&nics[i], &nics[i + 1], (size_t)(nr_nics - i - 1) * sizeof(nics[0]));
            nr_nics--;
            return;
        }
    }
}

static void print_client(FILE *out, NetClientState *nc, const char *indent)
{
    char desc[160] = "";
    if (nc->info->describe) {
        nc->info->describe(nc, desc, sizeof(desc));
    }
    fprintf(out, "%s%s: type=%s%s%s", indent, nc->name, nc->info->type, *desc ? "," : "", desc);
    if (nc->dropped || nc->queue_len) {
        fprintf(out, " (queued %u, dropped %llu)", nc->queue_len,
                (unsigned long long)nc->dropped);
    }
    fputc('\n', out);
}

void net_print_info(FILE *out)
{
    for (int i = 0; i < nr_nics; i++) {
        print_client(out, nics[i], "");
        if (nics[i]->peer) {
            print_client(out, nics[i]->peer, " \\ ");
        }
    }
    for (int i = 0; i < nr_backends; i++) {
        if (!backends[i]->peer) {
            print_client(out, backends[i], "");
        }
    }
}

static void hmp_info_network(FILE *out, const char *args)
{
    net_print_info(out);
}

static void __attribute__((constructor)) net_register_monitor(void)
{
    monitor_register_info("network", "show the network state", hmp_info_network);
}
