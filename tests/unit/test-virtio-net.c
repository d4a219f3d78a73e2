/* Unit tests of virtio-net on the virtio-mmio transport, driven through the MMIO registers
 * and rings as Linux's virtio_mmio + virtio_net do, with a test netdev as the peer:
 * identification, offered features (MAC, STATUS, MRG_RXBUF; no offloads), the MAC and
 * link status in the configuration space; transmit (the 12-byte header stripped, split
 * across descriptors); receive into one buffer, merged over several (num_buffers, one
 * used-index update), frames held while no buffer is posted and delivered on the rx
 * kick; without MRG_RXBUF a too-small buffer, and a transmit chain shorter than its
 * header, break the device; -device rules (a netdev serves one NIC, unknown ids). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "hw/net/virtio-net.h"
#include "hw/virtio/virtio-mmio.h"
#include "util/cutils.h"
#include "net-test-util.h"
#include "pc-test-util.h"

#define BASE 0x10000000u
#define BASE2 (BASE + VIRTIO_MMIO_SIZE)
#define IRQ_LINE 5
#define QSIZE 16
#define RX_DESC 0x1000u                     /* rx ring */
#define RX_AVAIL 0x2000u
#define RX_USED 0x3000u
#define TX_DESC 0x4000u                     /* tx ring */
#define TX_AVAIL 0x5000u
#define TX_USED 0x6000u
#define RX_BUF 0x20000u                     /* rx buffers, 4 KiB apart */
#define TX_BUF 0x40000u

static const uint64_t F_MAC = 1ull << VIRTIO_NET_F_MAC, F_STATUS = 1ull << VIRTIO_NET_F_STATUS,
                      F_MRG = 1ull << VIRTIO_NET_F_MRG_RXBUF, F_V1 = 1ull << VIRTIO_F_VERSION_1;

static NetTestBackend backend;
static uint16_t rx_avail_idx, tx_avail_idx;

static uint32_t reg(uint32_t base, unsigned off) { return (uint32_t)mmio_read(base + off, 4); }
static void wreg(uint32_t base, unsigned off, uint32_t v) { mmio_write(base + off, 4, v); }

static DeviceState *plug_net(const char *props, Error **errp)
{
    char *spec = xasprintf("%s%s%s", virtio_net_device_type.name, *props ? "," : "", props);
    DeviceState *dev = device_create_from_spec(spec, errp);
    free(spec);
    return dev;
}

static int setup(void **state)
{
    Error *err = NULL;
    pc_test_env_init(1 << 20);
    net_test_backend_init(&backend, "tb");
    assert_non_null(virtio_mmio_create(BASE, 0, pc_env.lines[IRQ_LINE], &pc_env.as_mem, &err));
    assert_non_null(virtio_mmio_create(BASE2, 1, pc_env.lines[IRQ_LINE + 1], &pc_env.as_mem,
                                       &err));
    if (!plug_net("netdev=tb,mac=52:54:00:aa:bb:cc", &err)) {
        fail_msg("%s", error_get_message(err));
    }
    rx_avail_idx = tx_avail_idx = 0;
    return 0;
}

static int teardown(void **state)
{
    pc_test_env_fini();                     /* destroys the devices first */
    net_cleanup_all();
    return 0;
}

static void setup_queue(unsigned n, uint32_t desc, uint32_t avail, uint32_t used)
{
    wreg(BASE, 0x30, n);
    assert_int_equal(reg(BASE, 0x34), VIRTIO_NET_QUEUE_SIZE);
    wreg(BASE, 0x38, QSIZE);
    wreg(BASE, 0x80, desc);
    wreg(BASE, 0x84, 0);
    wreg(BASE, 0x90, avail);
    wreg(BASE, 0x94, 0);
    wreg(BASE, 0xa0, used);
    wreg(BASE, 0xa4, 0);
    wreg(BASE, 0x44, 1);
}

/* The driver's start-up, as Linux's virtio_mmio + virtio_net. */
static void driver_init(uint64_t features)
{
    uint8_t ok = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
    wreg(BASE, 0x70, 0);
    wreg(BASE, 0x70, ok);
    wreg(BASE, 0x24, 0);
    wreg(BASE, 0x20, (uint32_t)features);
    wreg(BASE, 0x24, 1);
    wreg(BASE, 0x20, (uint32_t)(features >> 32));
    wreg(BASE, 0x70, ok | VIRTIO_CONFIG_S_FEATURES_OK);
    assert_true(reg(BASE, 0x70) & VIRTIO_CONFIG_S_FEATURES_OK);
    setup_queue(VIRTIO_NET_RX_QUEUE, RX_DESC, RX_AVAIL, RX_USED);
    setup_queue(VIRTIO_NET_TX_QUEUE, TX_DESC, TX_AVAIL, TX_USED);
    wreg(BASE, 0x70, ok | VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
    rx_avail_idx = tx_avail_idx = 0;
}

static void put_desc(uint32_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                     uint16_t next)
{
    mmio_write(table + 16 * i, 8, addr);
    mmio_write(table + 16 * i + 8, 4, len);
    mmio_write(table + 16 * i + 12, 2, flags);
    mmio_write(table + 16 * i + 14, 2, next);
}

/* Posts rx buffer i (descriptor i) of len bytes at RX_BUF + i * 4 KiB. */
static void post_rx(unsigned i, uint32_t len)
{
    put_desc(RX_DESC, i, RX_BUF + i * 0x1000u, len, 2, 0);
    mmio_write(RX_AVAIL + 4 + 2 * (rx_avail_idx % QSIZE), 2, i);
    mmio_write(RX_AVAIL + 2, 2, ++rx_avail_idx);
}

static void kick(unsigned queue)
{
    wreg(BASE, 0x50, queue);
}

/* Transmits a chain: a 12-byte header split 4 + 8, then the frame. */
static void transmit(const uint8_t *frame, uint32_t len, uint32_t hdr_len)
{
    for (uint32_t i = 0; i < VIRTIO_NET_HDR_SIZE; i++) {
        mmio_write(TX_BUF + i, 1, 0);
    }
    for (uint32_t i = 0; i < len; i++) {
        mmio_write(TX_BUF + 0x100 + i, 1, frame[i]);
    }
    put_desc(TX_DESC, 0, TX_BUF, MIN(hdr_len, 4u), 1, 1);
    put_desc(TX_DESC, 1, TX_BUF + 4, hdr_len > 4 ? hdr_len - 4 : 0, 1, 2);
    put_desc(TX_DESC, 2, TX_BUF + 0x100, len, 0, 0);
    mmio_write(TX_AVAIL + 4 + 2 * (tx_avail_idx % QSIZE), 2, 0);
    mmio_write(TX_AVAIL + 2, 2, ++tx_avail_idx);
    kick(VIRTIO_NET_TX_QUEUE);
}

static void make_frame(uint8_t *f, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        f[i] = (uint8_t)(seed + i * 3);
    }
}

static void test_identity_and_config(void **state)
{
    assert_int_equal(reg(BASE, 0x08), VIRTIO_ID_NET);
    wreg(BASE, 0x14, 0);
    uint32_t f0 = reg(BASE, 0x10);
    assert_true(f0 & F_MAC);
    assert_true(f0 & F_STATUS);
    assert_true(f0 & F_MRG);
    assert_int_equal(f0 & 0x3fffu & ~(uint32_t)F_MAC, 0);  /* no CSUM, GSO, TSO, UFO... */
    uint8_t mac[6];
    for (int i = 0; i < 6; i++) {
        mac[i] = (uint8_t)mmio_read(BASE + 0x100 + i, 1);
    }
    assert_memory_equal(mac, ((uint8_t[]){ 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc }), 6);
    assert_int_equal(mmio_read(BASE + 0x106, 2), VIRTIO_NET_S_LINK_UP);
}

static void test_default_mac(void **state)
{
    Error *err = NULL;
    assert_non_null(plug_net("", &err));         /* on the second transport, no netdev */
    assert_int_equal(mmio_read(BASE2 + 0x100, 4), 0x12005452u);   /* 52:54:00:12:... */
    assert_int_equal(mmio_read(BASE2 + 0x103, 1), 0x12);
    assert_int_equal(mmio_read(BASE2 + 0x104, 1), 0x34);
}

static void test_transmit(void **state)
{
    uint8_t frame[100];
    make_frame(frame, sizeof(frame), 7);
    driver_init(F_V1 | F_MAC | F_STATUS | F_MRG);
    transmit(frame, sizeof(frame), VIRTIO_NET_HDR_SIZE);
    assert_int_equal(backend.frames, 1);
    assert_int_equal(backend.last_len, sizeof(frame));      /* header stripped */
    assert_memory_equal(backend.last, frame, sizeof(frame));
    assert_int_equal(mmio_read(TX_USED + 2, 2), 1);
    assert_int_equal(mmio_read(TX_USED + 4, 4), 0);
    assert_int_equal(mmio_read(TX_USED + 8, 4), 0);        /* nothing written */
    assert_int_equal(reg(BASE, 0x60) & 1, 1);               /* interrupt */
}

static void test_receive_one_buffer(void **state)
{
    uint8_t frame[300];
    make_frame(frame, sizeof(frame), 1);
    driver_init(F_V1 | F_MAC | F_STATUS);                   /* no MRG_RXBUF */
    post_rx(0, 2048);
    kick(VIRTIO_NET_RX_QUEUE);
    assert_true(net_send(&backend.nc, frame, sizeof(frame)));
    assert_int_equal(mmio_read(RX_USED + 2, 2), 1);
    assert_int_equal(mmio_read(RX_USED + 8, 4), VIRTIO_NET_HDR_SIZE + sizeof(frame));
    assert_int_equal(mmio_read(RX_BUF, 8), 0);             /* flags, gso: none */
    assert_int_equal(mmio_read(RX_BUF + 8, 2), 0);
    assert_int_equal(mmio_read(RX_BUF + 10, 2), 1);        /* num_buffers (VERSION_1) */
    for (size_t i = 0; i < sizeof(frame); i++) {
        assert_int_equal(mmio_read(RX_BUF + 12 + i, 1), frame[i]);
    }
}

static void test_receive_merged(void **state)
{
    uint8_t frame[150];
    make_frame(frame, sizeof(frame), 9);
    driver_init(F_V1 | F_MAC | F_STATUS | F_MRG);
    for (unsigned i = 0; i < 4; i++) {
        post_rx(i, 64);
    }
    net_send(&backend.nc, frame, sizeof(frame));            /* 162 bytes: 64 + 64 + 34 */
    assert_int_equal(mmio_read(RX_USED + 2, 2), 3);
    assert_int_equal(mmio_read(RX_USED + 4, 4), 0);
    assert_int_equal(mmio_read(RX_USED + 8, 4), 64);
    assert_int_equal(mmio_read(RX_USED + 12, 4), 1);
    assert_int_equal(mmio_read(RX_USED + 16, 4), 64);
    assert_int_equal(mmio_read(RX_USED + 20, 4), 2);
    assert_int_equal(mmio_read(RX_USED + 24, 4), 34);
    assert_int_equal(mmio_read(RX_BUF + 10, 2), 3);        /* num_buffers */
    for (size_t i = 0; i < sizeof(frame); i++) {
        size_t at = 12 + i;
        assert_int_equal(mmio_read(RX_BUF + (at / 64) * 0x1000 + at % 64, 1), frame[i]);
    }
    /* not enough room left (one 64-byte buffer): the frame waits, nothing is consumed */
    net_send(&backend.nc, frame, sizeof(frame));
    assert_int_equal(mmio_read(RX_USED + 2, 2), 3);
}

static NetClientState *nic_of_backend(void)
{
    return backend.nc.peer;
}

static void test_receive_waits_for_buffers(void **state)
{
    uint8_t frame[60];
    make_frame(frame, sizeof(frame), 3);
    driver_init(F_V1 | F_MAC | F_STATUS | F_MRG);
    net_send(&backend.nc, frame, sizeof(frame));
    assert_int_equal(nic_of_backend()->queue_len, 1);       /* no buffer yet */
    net_send(&backend.nc, frame, sizeof(frame));
    assert_int_equal(nic_of_backend()->queue_len, 2);
    post_rx(0, 2048);
    post_rx(1, 2048);
    kick(VIRTIO_NET_RX_QUEUE);                              /* the driver added buffers */
    assert_int_equal(nic_of_backend()->queue_len, 0);
    assert_int_equal(mmio_read(RX_USED + 2, 2), 2);
    for (int i = 0; i < NET_QUEUE_MAX + 3; i++) {
        net_send(&backend.nc, frame, sizeof(frame));
    }
    assert_int_equal(nic_of_backend()->queue_len, NET_QUEUE_MAX);
    assert_int_equal(nic_of_backend()->dropped, 3);
    wreg(BASE, 0x70, 0);                                    /* reset drops the queue */
    assert_int_equal(nic_of_backend()->queue_len, 0);
}

static void test_small_rx_buffer_breaks_device(void **state)
{
    uint8_t frame[200];
    make_frame(frame, sizeof(frame), 5);
    driver_init(F_V1 | F_MAC | F_STATUS);                   /* no MRG_RXBUF */
    post_rx(0, 100);
    net_send(&backend.nc, frame, sizeof(frame));
    assert_true(reg(BASE, 0x70) & VIRTIO_CONFIG_S_NEEDS_RESET);
    assert_int_equal(mmio_read(RX_USED + 2, 2), 0);
    assert_int_equal(nic_of_backend()->queue_len, 0);      /* dropped, not queued */
}

static void test_tx_without_header_breaks_device(void **state)
{
    uint8_t frame[8] = { 1 };
    driver_init(F_V1 | F_MAC | F_STATUS | F_MRG);
    /* 4 + 0 bytes of header then 4 of data: 8 < 12 */
    transmit(frame, 4, 4);
    assert_true(reg(BASE, 0x70) & VIRTIO_CONFIG_S_NEEDS_RESET);
    assert_int_equal(backend.frames, 0);
    /* a wild buffer address breaks it too (after a reset) */
    driver_init(F_V1 | F_MAC | F_STATUS | F_MRG);
    put_desc(TX_DESC, 0, 0xfff00000u, 100, 0, 0);
    mmio_write(TX_AVAIL + 4, 2, 0);
    mmio_write(TX_AVAIL + 2, 2, ++tx_avail_idx);
    kick(VIRTIO_NET_TX_QUEUE);
    assert_true(reg(BASE, 0x70) & VIRTIO_CONFIG_S_NEEDS_RESET);
    assert_int_equal(backend.frames, 0);
}

static void test_device_rules(void **state)
{
    Error *err = NULL;
    assert_null(plug_net("netdev=tb", &err));
    assert_string_equal(error_get_message(err), "device 'virtio-net-device': netdev tb is already in use");
    error_free(err);
    err = NULL;
    assert_null(plug_net("netdev=nope", &err));
    assert_string_equal(error_get_message(err),
                        "property 'netdev' of 'virtio-net-device': no netdev with id 'nope'");
    error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identity_and_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_mac, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transmit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive_one_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive_merged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive_waits_for_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_rx_buffer_breaks_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_without_header_breaks_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_rules, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
