/* Unit tests of the net layer (net/): delivery between peers, the bounded queue for a
 * receiver that cannot take frames (order kept, overflow dropped and counted), frames
 * without a peer, oversized frames; the -netdev registry and its errors; the -netdev user
 * keys (QEMU's defaults, net=/host=/dhcpstart= checks, hostfwd rules); -nic and -net
 * errors; and the libslirp backend answering an ARP request for the gateway. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "config-host.h"
#include "net/net.h"
#include "net/slirp-config.h"
#include "system/main-loop.h"
#include "util/cutils.h"

/* A client that records what it receives and can refuse it. */
typedef struct TestClient {
    NetClientState nc;
    bool ready;
    int frames;
    size_t last_len;
    uint8_t last[2048];
    uint8_t first_byte[NET_QUEUE_MAX + 16];
} TestClient;

static bool tc_can_receive(NetClientState *nc)
{
    return ((TestClient *)nc->opaque)->ready;
}

static bool tc_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    TestClient *t = nc->opaque;
    if (t->frames < (int)sizeof(t->first_byte)) {
        t->first_byte[t->frames] = len ? buf[0] : 0;
    }
    t->frames++;
    t->last_len = len;
    memcpy(t->last, buf, MIN(len, sizeof(t->last)));
    return true;
}

static const NetClientInfo tc_nic_info = {
    .type = "test-nic", .kind = NET_CLIENT_NIC,
    .can_receive = tc_can_receive, .receive = tc_receive,
};

static TestClient *tc_new(const char *name)
{
    TestClient *t = xzalloc(sizeof(*t));
    net_client_init(&t->nc, &tc_nic_info, name, t);
    t->ready = true;
    return t;
}

static void tc_free(TestClient *t)
{
    net_client_cleanup(&t->nc);
    free(t);
}

static int setup(void **state)
{
    main_loop_init();
    net_init();
    return 0;
}

static int teardown(void **state)
{
    net_cleanup_all();
    return 0;
}

static void test_peer_delivery(void **state)
{
    TestClient *a = tc_new("a"), *b = tc_new("b");
    Error *err = NULL;
    assert_int_equal(net_client_connect(&a->nc, &b->nc, &err), 0);
    uint8_t frame[60] = { 0x42 };
    assert_true(net_send(&a->nc, frame, sizeof(frame)));
    assert_int_equal(b->frames, 1);
    assert_int_equal(b->last_len, 60);
    assert_int_equal(b->last[0], 0x42);
    assert_int_equal(a->frames, 0);
    /* a third client cannot take a connected one */
    TestClient *c = tc_new("c");
    assert_int_equal(net_client_connect(&c->nc, &b->nc, &err), -1);
    assert_string_equal(error_get_message(err), "nic b is already in use");
    error_free(err);
    tc_free(c);
    tc_free(a);
    assert_null(b->nc.peer);                /* cleanup disconnects */
    tc_free(b);
}

static void test_queue_order_and_bound(void **state)
{
    TestClient *a = tc_new("a"), *b = tc_new("b");
    assert_int_equal(net_client_connect(&a->nc, &b->nc, NULL), 0);
    b->ready = false;
    uint8_t frame[64];
    for (int i = 0; i < NET_QUEUE_MAX + 5; i++) {
        frame[0] = (uint8_t)i;
        net_send(&a->nc, frame, sizeof(frame));
    }
    assert_int_equal(b->frames, 0);
    assert_int_equal(b->nc.queue_len, NET_QUEUE_MAX);
    assert_int_equal(b->nc.dropped, 5);
    net_queue_flush(&b->nc);                /* still not ready: nothing moves */
    assert_int_equal(b->frames, 0);
    b->ready = true;
    net_queue_flush(&b->nc);
    assert_int_equal(b->frames, NET_QUEUE_MAX);
    assert_int_equal(b->nc.queue_len, 0);
    for (int i = 0; i < NET_QUEUE_MAX; i++) {
        assert_int_equal(b->first_byte[i], (uint8_t)i);   /* in order */
    }
    /* a later frame goes behind queued ones */
    b->ready = false;
    frame[0] = 1;
    net_send(&a->nc, frame, sizeof(frame));
    b->ready = true;
    frame[0] = 2;
    net_send(&a->nc, frame, sizeof(frame));
    assert_int_equal(b->first_byte[NET_QUEUE_MAX], 1);
    assert_int_equal(b->first_byte[NET_QUEUE_MAX + 1], 2);
    tc_free(a);
    tc_free(b);
}

static void test_no_peer_and_oversize(void **state)
{
    TestClient *a = tc_new("a"), *b = tc_new("b");
    static uint8_t big[NET_MAX_FRAME + 1];
    assert_true(net_send(&a->nc, big, 60));
    assert_int_equal(a->nc.dropped, 1);
    assert_int_equal(net_client_connect(&a->nc, &b->nc, NULL), 0);
    assert_false(net_send(&a->nc, big, sizeof(big)));
    assert_true(net_send(&a->nc, big, NET_MAX_FRAME));
    assert_int_equal(b->frames, 1);
    /* purge drops what waits */
    b->ready = false;
    net_send(&a->nc, big, 60);
    net_queue_purge(&b->nc);
    assert_int_equal(b->nc.queue_len, 0);
    tc_free(a);
    tc_free(b);
}

static void expect_netdev_error(const char *spec, const char *message)
{
    Error *err = NULL;
    assert_int_equal(net_netdev_add(spec, &err), -1);
    assert_non_null(err);
    if (strcmp(error_get_message(err), message)) {
        fail_msg("-netdev %s: got '%s', expected '%s'", spec, error_get_message(err), message);
    }
    error_free(err);
}

static void test_netdev_errors(void **state)
{
    expect_netdev_error("user", "Parameter 'id' is missing");
    expect_netdev_error("id=x", "Parameter 'type' is missing");
    expect_netdev_error("tap,id=t0", "netdev type 'tap' is not supported by Mimic (only 'user')");
    expect_netdev_error("socket,id=s0,listen=:1234",
                        "netdev type 'socket' is not supported by Mimic (only 'user')");
    expect_netdev_error("bogus,id=b0", "Parameter 'type' does not accept value 'bogus' (only "
                        "'user')");
    expect_netdev_error("user,id=9x", "Parameter 'id' expects an identifier, not '9x'");
    expect_netdev_error("user,id=u0,net=10.0.2.0/33",
                        "Parameter 'net' expects a network like 10.0.2.0/24, not '10.0.2.0/33'");
    expect_netdev_error("user,id=u0,host=10.0.3.2", "host=10.0.3.2 is not a host address of "
                        "the network");
    expect_netdev_error("user,id=u0,dhcpstart=10.0.2.255", "dhcpstart=10.0.2.255 is not a "
                        "host address of the network");
    expect_netdev_error("user,id=u0,hostfwd=tcp::99999-:22", "invalid host forwarding rule "
                        "'tcp::99999-:22' (expected [tcp|udp]:[HOSTADDR]:HOSTPORT-"
                        "[GUESTADDR]:GUESTPORT)");
    expect_netdev_error("user,id=u0,restrict=maybe",
                        "'restrict' expects on or off, not 'maybe'");
    assert_null(net_backend_find("u0"));
}

static void test_slirp_config_defaults(void **state)
{
    KeyValList kv;
    SlirpNetConfig c;
    assert_int_equal(keyval_parse("user,hostfwd=tcp::5555-:22,hostfwd=udp:127.0.0.1:6000-"
                                  "10.0.2.20:53", "type", &kv, NULL), 0);
    assert_int_equal(slirp_config_parse(&kv, &c, NULL), 0);
    assert_int_equal(c.net, 0x0a000200u);
    assert_int_equal(c.mask, 0xffffff00u);
    assert_int_equal(c.host, 0x0a000202u);
    assert_int_equal(c.dns, 0x0a000203u);
    assert_int_equal(c.dhcp_start, 0x0a00020fu);
    assert_false(c.restricted);
    assert_int_equal(c.nr_hostfwd, 2);
    assert_false(c.hostfwd[0].is_udp);
    assert_int_equal(c.hostfwd[0].host_addr, 0);
    assert_int_equal(c.hostfwd[0].host_port, 5555);
    assert_int_equal(c.hostfwd[0].guest_addr, 0x0a00020fu);    /* the first DHCP address */
    assert_int_equal(c.hostfwd[0].guest_port, 22);
    assert_true(c.hostfwd[1].is_udp);
    assert_int_equal(c.hostfwd[1].host_addr, 0x7f000001u);
    assert_int_equal(c.hostfwd[1].guest_addr, 0x0a000214u);
    assert_int_equal(c.hostfwd[1].guest_port, 53);
    keyval_free(&kv);
    /* another network moves every default with it */
    assert_int_equal(keyval_parse("user,net=192.168.76.0/255.255.255.0,restrict=on", "type",
                                  &kv, NULL), 0);
    assert_int_equal(slirp_config_parse(&kv, &c, NULL), 0);
    assert_int_equal(c.host, 0xc0a84c02u);
    assert_int_equal(c.dhcp_start, 0xc0a84c0fu);
    assert_true(c.restricted);
    keyval_free(&kv);
}

static void expect_nic_error(const char *spec, const char *message)
{
    Error *err = NULL;
    assert_int_equal(net_nic_add(spec, &err), -1);
    assert_string_equal(error_get_message(err), message);
    error_free(err);
}

static void expect_legacy_error(const char *const *specs, int n, const char *message)
{
    Error *err = NULL;
    assert_int_equal(net_legacy_add(specs, n, &err), -1);
    assert_string_equal(error_get_message(err), message);
    error_free(err);
}

static void test_nic_and_legacy_errors(void **state)
{
    expect_nic_error("user,model=e1000", "NIC model 'e1000' is not supported by Mimic "
                     "(models: virtio, virtio-net-pci, virtio-net-device)");
    expect_nic_error("tap", "netdev type 'tap' is not supported by Mimic (only 'user')");
    assert_int_equal(net_nic_add("none", NULL), 0);
    static const char *const two_nics[] = { "nic", "nic", "user" };
    expect_legacy_error(two_nics, 3, "-net: Mimic takes one -net nic with at most one -net "
                        "user (no hubs); for more NICs use -nic user,... or -netdev with "
                        "-device");
    static const char *const hub[] = { "hubport,id=h,hubid=0" };
    expect_legacy_error(hub, 1, "-net hubport,id=h,hubid=0: only -net nic, -net user and "
                        "-net none are supported (use -nic or -netdev with -device)");
    static const char *const none_mix[] = { "none", "user" };
    expect_legacy_error(none_mix, 2, "-net none cannot be combined with other -net options");
    static const char *const none[] = { "none" };
    assert_int_equal(net_legacy_add(none, 1, NULL), 0);
}

#ifdef CONFIG_SLIRP
/* An ARP request for the gateway 10.0.2.2 from 10.0.2.15 (52:54:00:12:34:56). */
static size_t arp_request(uint8_t *f)
{
    static const uint8_t req[42] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x06,
        0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 10, 0, 2, 15,
        0, 0, 0, 0, 0, 0, 10, 0, 2, 2,
    };
    memcpy(f, req, sizeof(req));
    return sizeof(req);
}

static void test_slirp_answers_arp(void **state)
{
    Error *err = NULL;
    assert_int_equal(net_netdev_add("user,id=u0", &err), 0);
    NetClientState *u = net_backend_find("u0");
    assert_non_null(u);
    expect_netdev_error("user,id=u0", "Duplicate ID 'u0' for netdev");
    TestClient *nic = tc_new("nic0");
    assert_int_equal(net_client_connect(&nic->nc, u, NULL), 0);
    net_nic_register(&nic->nc);
    uint8_t f[64];
    net_send(&nic->nc, f, arp_request(f));
    assert_int_equal(nic->frames, 1);
    assert_true(nic->last_len >= 42);
    assert_int_equal(nic->last[12], 0x08);                 /* ARP */
    assert_int_equal(nic->last[13], 0x06);
    assert_int_equal(nic->last[21], 2);                    /* reply */
    assert_memory_equal(nic->last + 28, ((uint8_t[]){ 10, 0, 2, 2 }), 4);
    assert_memory_equal(nic->last, ((uint8_t[]){ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }), 6);
    char *text;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    net_print_info(out);
    fclose(out);
    assert_non_null(strstr(text, "nic0: type=test-nic\n \\ u0: type=user,net=10.0.2.0/24,"
                                 "host=10.0.2.2,restrict=off"));
    free(text);
    net_nic_unregister(&nic->nc);
    tc_free(nic);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_peer_delivery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_order_and_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_peer_and_oversize, setup, teardown),
        cmocka_unit_test_setup_teardown(test_netdev_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slirp_config_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nic_and_legacy_errors, setup, teardown),
#ifdef CONFIG_SLIRP
        cmocka_unit_test_setup_teardown(test_slirp_answers_arp, setup, teardown),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
