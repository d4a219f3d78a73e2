/* A test netdev that records what a NIC sends (net-test-util.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "net-test-util.h"
#include "util/cutils.h"

static bool backend_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    NetTestBackend *b = nc->opaque;
    b->frames++;
    b->last_len = len;
    memcpy(b->last, buf, MIN(len, sizeof(b->last)));
    return true;
}

static void backend_cleanup(NetClientState *nc)
{
    net_client_cleanup(nc);
}

static const NetClientInfo backend_info = {
    .type = "test", .kind = NET_CLIENT_BACKEND,
    .receive = backend_receive, .cleanup = backend_cleanup,
};

void net_test_backend_init(NetTestBackend *b, const char *id)
{
    Error *err = NULL;
    memset(b, 0, sizeof(*b));
    net_init();
    net_client_init(&b->nc, &backend_info, id, b);
    assert_int_equal(net_backend_register(&b->nc, &err), 0);
}
