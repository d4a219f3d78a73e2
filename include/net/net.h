/* The net layer: network clients (a NIC's frontend or a backend such as the libslirp user
 * network) connected in pairs of peers, the frames they send each other, a bounded queue
 * for frames a receiver cannot take yet, and the registry of -netdev backends by id.
 * docs/net.md */
#ifndef NET_NET_H
#define NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "util/error.h"
#include "util/keyval.h"

#define NET_MAX_FRAME 65536             /* largest frame a client sends or receives */
#define NET_QUEUE_MAX 256               /* frames held for a receiver that cannot take them */

typedef struct NetClientState NetClientState;
typedef struct NetPacket NetPacket;

typedef enum NetClientKind {
    NET_CLIENT_NIC,                     /* a guest network card */
    NET_CLIENT_BACKEND,                 /* a -netdev (user, ...) */
} NetClientKind;

typedef struct NetClientInfo {
    const char *type;                   /* "user", "virtio-net-device" (messages, info) */
    NetClientKind kind;
    /* false: frames for this client are queued until it calls net_queue_flush. NULL: always. */
    bool (*can_receive)(NetClientState *nc);
    /* Takes one frame; returns false if it could not after all (the frame is queued). */
    bool (*receive)(NetClientState *nc, const uint8_t *buf, size_t len);
    /* "info network": one line describing the client after its name. Optional. */
    void (*describe)(NetClientState *nc, char *buf, size_t size);
    void (*cleanup)(NetClientState *nc);
} NetClientInfo;

struct NetClientState {
    const NetClientInfo *info;
    char *name;                         /* the netdev id, or the NIC's name */
    NetClientState *peer;
    void *opaque;                       /* the owner's state */
    NetPacket *queue_head, **queue_tail;    /* frames waiting for this client */
    unsigned queue_len;
    uint64_t dropped;                   /* frames for this client lost (queue full, no peer) */
    bool registered;                    /* in the -netdev registry */
};

/* A client owned by the caller (embedded or allocated), not registered. */
void net_client_init(NetClientState *nc, const NetClientInfo *info, const char *name,
                     void *opaque);
/* Drops its queue, disconnects the peer, frees the name (not nc itself). */
void net_client_cleanup(NetClientState *nc);
/* Connects two clients; -1 with *errp if either already has a peer. */
int net_client_connect(NetClientState *a, NetClientState *b, Error **errp);

/* Sends a frame from sender to its peer: delivered now if the peer can receive, queued
 * (up to NET_QUEUE_MAX frames, then dropped and counted) otherwise. Dropped (counted on
 * the sender) when there is no peer. Frames over NET_MAX_FRAME are refused (false). */
bool net_send(NetClientState *sender, const uint8_t *buf, size_t len);
/* The receiver can take frames again: delivers its queue while can_receive says yes. */
void net_queue_flush(NetClientState *nc);
/* Frees every frame queued for nc. */
void net_queue_purge(NetClientState *nc);

/* ---- -netdev backends ---- */

/* From start-up: -device ...,netdev=ID resolves ID among the registered backends (an
 * unknown id is an error). */
void net_init(void);
/* Registers a backend (allocated by its creator) under its name; -1 if the id exists. */
int net_backend_register(NetClientState *nc, Error **errp);
NetClientState *net_backend_find(const char *id);
/* "-netdev user,id=n0,...": creates the backend. -1 with *errp naming what is wrong. */
int net_netdev_add(const char *spec, Error **errp);
/* Warns once for each backend that no NIC uses, as QEMU ("netdev n0 has no peer"). */
void net_check_clients(void);
/* Frees every registered backend (the end of the process or of a test). */
void net_cleanup_all(void);
/* "info network". */
void net_print_info(FILE *out);

/* ---- NICs ---- */

/* The next default MAC, 52:54:00:12:34:56 then :57 ... (QEMU's), for a NIC without mac=. */
void net_default_mac(uint8_t mac[6]);
/* "-nic user[,model=M][,mac=A][,user keys]" / "-nic none": a user netdev and a NIC on it
 * (model default: virtio-net-pci with a PCI bus, else virtio-net-device). Call after the
 * board exists. -1 with *errp. */
int net_nic_add(const char *spec, Error **errp);
/* Every -net, in order: one "nic" (model=, macaddr=, netdev=) with at most one "user"
 * (connected), or "none". */
int net_legacy_add(const char *const *specs, int count, Error **errp);
/* NICs register so that "info network" lists them (unregister on unrealize). */
void net_nic_register(NetClientState *nc);
void net_nic_unregister(NetClientState *nc);

/* ---- backends, by type (net/<type>.c) ---- */

/* A libslirp user network from the -netdev user keys; NULL with *errp. Without libslirp
 * built in it fails saying so. */
NetClientState *net_slirp_create(const char *id, KeyValList *kv, Error **errp);

#endif
