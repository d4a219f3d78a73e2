/* A test netdev for the NIC unit tests: registered under an id, it records the frames
 * the NIC sends it. */
#ifndef TESTS_UNIT_NET_TEST_UTIL_H
#define TESTS_UNIT_NET_TEST_UTIL_H

#include "net/net.h"

typedef struct NetTestBackend {
    NetClientState nc;
    int frames;
    size_t last_len;
    uint8_t last[2048];                     /* the start of the last frame */
} NetTestBackend;

/* Zeroes b and registers it as netdev id (net_init() done too); net_cleanup_all() ends it. */
void net_test_backend_init(NetTestBackend *b, const char *id);

#endif
