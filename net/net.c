/* The net layer's core: pairs of network clients (a NIC frontend and its backend) that
 * send each other Ethernet frames, and the bounded queue that holds frames for a client
 * whose can_receive says no (a NIC without free receive buffers) until it flushes it.
 * docs/net.md */
#include <stdlib.h>
#include <string.h>
#include "net/net.h"
#include "util/cutils.h"
#include "util/log.h"

struct NetPacket {
    NetPacket *next;
    size_t len;
    uint8_t data[];
};

void net_client_init(NetClientState *nc, const NetClientInfo *info, const char *name,
                     void *opaque)
{
    memset(nc, 0, sizeof(*nc));
    nc->info = info;
    nc->name = xstrdup(name);
    nc->opaque = opaque;
    nc->queue_tail = &nc->queue_head;
}

void net_client_cleanup(NetClientState *nc)
{
    net_queue_purge(nc);
    if (nc->peer) {
        net_queue_purge(nc->peer);      /* frames it had not taken came from us */
        nc->peer->peer = NULL;
        nc->peer = NULL;
    }
    free(nc->name);
    nc->name = NULL;
}

int net_client_connect(NetClientState *a, NetClientState *b, Error **errp)
{
    NetClientState *busy = a->peer ? a : b->peer ? b : NULL;
    if (busy) {
        error_setg(errp, "%s %s is already in use", busy->info->kind == NET_CLIENT_NIC ?
                   "nic" : "netdev", busy->name);
        return -1;
    }
    a->peer = b;
    b->peer = a;
    return 0;
}

static bool client_ready(NetClientState *nc)
{
    return !nc->info->can_receive || nc->info->can_receive(nc);
}

static void queue_append(NetClientState *nc, const uint8_t *buf, size_t len)
{
    if (nc->queue_len >= NET_QUEUE_MAX) {
        nc->dropped++;
        return;
    }
    NetPacket *p = xmalloc(sizeof(*p) + len);
    p->next = NULL;
    p->len = len;
    memcpy(p->data, buf, len);
    *nc->queue_tail = p;
    nc->queue_tail = &p->next;
    nc->queue_len++;
}

bool net_send(NetClientState *sender, const uint8_t *buf, size_t len)
{
    NetClientState *peer = sender->peer;
    if (len > NET_MAX_FRAME) {
        return false;
    }
    if (!peer) {
        sender->dropped++;
        return true;
    }
    /* Frames already waiting go first: a new one joins the queue behind them. */
    net_queue_flush(peer);
    if (peer->queue_head || !client_ready(peer) || !peer->info->receive(peer, buf, len)) {
        queue_append(peer, buf, len);
    }
    return true;
}

void net_queue_flush(NetClientState *nc)
{
    while (nc->queue_head && client_ready(nc)) {
        NetPacket *p = nc->queue_head;
        if (!nc->info->receive(nc, p->data, p->len)) {
            break;
        }
        nc->queue_head = p->next;
        if (!nc->queue_head) {
            nc->queue_tail = &nc->queue_head;
        }
        nc->queue_len--;
        free(p);
    }
}

void net_queue_purge(NetClientState *nc)
{
    while (nc->queue_head) {
        NetPacket *p = nc->queue_head;
        nc->queue_head = p->next;
        free(p);
    }
    nc->queue_tail = &nc->queue_head;
    nc->queue_len = 0;
}

void net_default_mac(uint8_t mac[6])
{
    static unsigned nic_index;          /* registry-like: one count per process, as QEMU's */
    static const uint8_t base[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    memcpy(mac, base, 6);
    mac[5] = (uint8_t)(base[5] + nic_index++);
}
