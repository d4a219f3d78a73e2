/* The keys of "-netdev user" turned into libslirp's configuration: QEMU's defaults (network
 * 10.0.2.0/24, host/gateway .2, DNS .3, DHCP from .15; IPv6 fec0::/64), net=, host=, dns=,
 * dhcpstart=, restrict=, hostname=, tftp=, bootfile=, and the hostfwd= rules
 * ([tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT). docs/net.md */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "net/slirp-config.h"
#include "util/cutils.h"

/* "10.0.2.0/24", "10.0.2.0/255.255.255.0", or classful "10.0.0.0" as QEMU's. */
static int parse_network(const char *text, uint32_t *net, uint32_t *mask)
{
    char addr[32];
    const char *slash = strchr(text, '/');
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    struct in_addr a;
    if (n >= sizeof(addr)) {
        return -1;
    }
    memcpy(addr, text, n);
    addr[n] = '\0';
    if (!inet_aton(addr, &a)) {
        return -1;
    }
    *net = ntohl(a.s_addr);
    if (!slash) {
        *mask = !(*net & 0x80000000u) ? 0xff000000u : !(*net & 0x40000000u) ? 0xffff0000u :
                0xffffff00u;
    } else if (strchr(slash + 1, '.')) {
        if (!inet_aton(slash + 1, &a)) {
            return -1;
        }
        *mask = ntohl(a.s_addr);
    } else {
        char *end;
        long bits = strtol(slash + 1, &end, 10);
        if (*end || end == slash + 1 || bits < 1 || bits > 30) {
            return -1;
        }
        *mask = 0xffffffffu << (32 - bits);
    }
    if (*mask & ~(*mask << 1) & ~*mask) {     /* not contiguous */
        return -1;
    }
    return (*net & ~*mask) ? -1 : 0;
}

/* An address key: default (net | host_part) when absent; must lie inside the network. */
static int address_key(KeyValList *kv, const char *key, const SlirpNetConfig *c,
                       uint32_t host_part, uint32_t *out, Error **errp)
{
    const char *text = keyval_get(kv, key);
    struct in_addr a;
    if (!text) {
        *out = c->net | host_part;
        return 0;
    }
    if (!inet_aton(text, &a)) {
        error_setg(errp, "Parameter '%s' expects an IPv4 address, not '%s'", key, text);
        return -1;
    }
    *out = ntohl(a.s_addr);
    if ((*out & c->mask) != c->net || !(*out & ~c->mask) || (*out | c->mask) == 0xffffffffu) {
        error_setg(errp, "%s=%s is not a host address of the network", key, text);
        return -1;
    }
    return 0;
}

static int parse_port(const char *text, uint16_t *port)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < 0 || v > 65535) {
        return -1;
    }
    *port = (uint16_t)v;
    return 0;
}

/* "ADDR:PORT" with ADDR possibly empty (then *addr keeps its default). */
static int parse_addr_port(const char *text, uint32_t *addr, uint16_t *port)
{
    const char *colon = strchr(text, ':');
    char buf[32];
    struct in_addr a;
    if (!colon || (size_t)(colon - text) >= sizeof(buf)) {
        return -1;
    }
    memcpy(buf, text, (size_t)(colon - text));
    buf[colon - text] = '\0';
    if (*buf) {
        if (!inet_aton(buf, &a)) {
            return -1;
        }
        *addr = ntohl(a.s_addr);
    }
    return parse_port(colon + 1, port);
}

int slirp_parse_hostfwd(const char *rule, uint32_t default_guest, SlirpHostFwd *fwd)
{
    char host[64];
    const char *p = rule;
    fwd->is_udp = false;
    if (!strncmp(p, "tcp:", 4) || !strncmp(p, "udp:", 4)) {
        fwd->is_udp = p[0] == 'u';
        p += 4;
    } else if (*p != ':') {
        return -1;
    } else {
        p++;                            /* ":HOSTPORT-..." : protocol omitted, tcp */
    }
    const char *dash = strchr(p, '-');
    if (!dash || (size_t)(dash - p) >= sizeof(host)) {
        return -1;
    }
    memcpy(host, p, (size_t)(dash - p));            /* "[HOSTADDR]:HOSTPORT" */
    host[dash - p] = '\0';
    fwd->host_addr = 0;
    fwd->guest_addr = default_guest;
    if (parse_addr_port(host, &fwd->host_addr, &fwd->host_port) < 0) {
        return -1;
    }
    return parse_addr_port(dash + 1, &fwd->guest_addr, &fwd->guest_port);
}

static int parse_hostfwds(KeyValList *kv, SlirpNetConfig *c, Error **errp)
{
    for (int i = 0; i < kv->count; i++) {
        if (strcmp(kv->items[i].key, "hostfwd")) {
            continue;
        }
        kv->items[i].used = true;
        if (c->nr_hostfwd == SLIRP_MAX_HOSTFWD) {
            error_setg(errp, "at most %d hostfwd rules are supported", SLIRP_MAX_HOSTFWD);
            return -1;
        }
        SlirpHostFwd *f = &c->hostfwd[c->nr_hostfwd];
        if (slirp_parse_hostfwd(kv->items[i].value, c->dhcp_start, f) < 0) {
            error_setg(errp, "invalid host forwarding rule '%s' (expected "
                       "[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT)",
                       kv->items[i].value);
            return -1;
        }
        f->rule = kv->items[i].value;
        c->nr_hostfwd++;
    }
    return 0;
}

static int parse_addresses(KeyValList *kv, SlirpNetConfig *c, Error **errp)
{
    const char *net = keyval_get(kv, "net");
    c->net = 0x0a000200u;               /* 10.0.2.0/24 */
    c->mask = 0xffffff00u;
    if (net && parse_network(net, &c->net, &c->mask) < 0) {
        error_setg(errp, "Parameter 'net' expects a network like 10.0.2.0/24, not '%s'", net);
        return -1;
    }
    if (address_key(kv, "host", c, 2, &c->host, errp) < 0 ||
        address_key(kv, "dns", c, 3, &c->dns, errp) < 0 ||
        address_key(kv, "dhcpstart", c, 15, &c->dhcp_start, errp) < 0) {
        return -1;
    }
    return 0;
}

int slirp_config_parse(KeyValList *kv, SlirpNetConfig *c, Error **errp)
{
    memset(c, 0, sizeof(*c));
    if (parse_addresses(kv, c, errp) < 0 ||
        keyval_get_bool(kv, "restrict", false, &c->restricted, errp) < 0 ||
        keyval_get_bool(kv, "ipv6", true, &c->ipv6, errp) < 0) {
        return -1;
    }
    c->hostname = keyval_get(kv, "hostname");
    c->tftp = keyval_get(kv, "tftp");
    c->bootfile = keyval_get(kv, "bootfile");
    return parse_hostfwds(kv, c, errp);
}
