/* -netdev user's keys parsed (net/slirp-config.c), independent of libslirp so that they
 * are checked and tested the same with or without it. Addresses in host byte order. */
#ifndef NET_SLIRP_CONFIG_H
#define NET_SLIRP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include "util/error.h"
#include "util/keyval.h"

#define SLIRP_MAX_HOSTFWD 16

typedef struct SlirpHostFwd {
    const char *rule;                   /* as typed (messages) */
    bool is_udp;
    uint32_t host_addr;                 /* 0: any */
    uint16_t host_port;
    uint32_t guest_addr;                /* default: the first DHCP address */
    uint16_t guest_port;
} SlirpHostFwd;

typedef struct SlirpNetConfig {
    uint32_t net, mask;                 /* 10.0.2.0 / 255.255.255.0 */
    uint32_t host, dns, dhcp_start;     /* .2, .3, .15 */
    bool restricted;                    /* restrict=on: the guest cannot reach the outside */
    bool ipv6;
    const char *hostname, *tftp, *bootfile;     /* NULL: not set */
    SlirpHostFwd hostfwd[SLIRP_MAX_HOSTFWD];
    int nr_hostfwd;
} SlirpNetConfig;

/* Strings point into kv, which must outlive c. -1 with *errp naming the key and value. */
int slirp_config_parse(KeyValList *kv, SlirpNetConfig *c, Error **errp);
/* One hostfwd rule; -1 if malformed. */
int slirp_parse_hostfwd(const char *rule, uint32_t default_guest, SlirpHostFwd *fwd);

#endif
