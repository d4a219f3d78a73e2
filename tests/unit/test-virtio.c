/* Unit tests of the virtio core driven by a fake driver writing rings into 1 MiB of guest
 * RAM: status and feature negotiation, configuration space and its interrupt, direct and
 * indirect chains, copies to and from segments, the used ring, event index and flag
 * suppression, the legacy ring layout, and hostile chains (loops, wild indices, buffers
 * outside RAM, nested indirect tables, avail index jumps) that must break the device
 * without crashing or hanging it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "hw/virtio/virtio.h"
#include "pc-test-util.h"

#define RAM_SIZE (1u << 20)
#define DESC 0x1000u
#define AVAIL 0x2000u
#define USED 0x3000u
#define BUF 0x10000u
#define QSIZE 8
#define F_NEXT 1
#define F_WRITE 2
#define F_INDIRECT 4

typedef struct TestDev {
    VirtIODevice vdev;
    int kicks;
    int irq_updates;
    int resets;
    uint8_t last_set_config[8];
} TestDev;

static TestDev td;

static void test_get_config(VirtIODevice *vdev, uint8_t *config)
{
    config[0] = 0x5a;                   /* a read-only byte the device refreshes */
}

static void test_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    memcpy(td.last_set_config, config, 8);
}

static void test_reset(VirtIODevice *vdev)
{
    td.resets++;
}

static void test_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    td.kicks++;
}

static const VirtIODeviceOps test_ops = {
    .name = "virtio-test", .device_id = 99, .get_config = test_get_config,
    .set_config = test_set_config, .reset = test_reset,
};

static void update_irq(void *opaque)
{
    td.irq_updates++;
}

static const VirtIOTransportOps test_transport = { .update_irq = update_irq };

/* ---- a fake driver ---- */

static void w16(uint64_t a, uint16_t v) { mmio_write(a, 2, v); }
static void w32(uint64_t a, uint32_t v) { mmio_write(a, 4, v); }
static uint16_t r16(uint64_t a) { return (uint16_t)mmio_read(a, 2); }
static uint32_t r32(uint64_t a) { return (uint32_t)mmio_read(a, 4); }

static void put_desc(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                     uint16_t next)
{
    uint64_t at = table + 16ull * i;
    w32(at, (uint32_t)addr);
    w32(at + 4, (uint32_t)(addr >> 32));
    w32(at + 8, len);
    w16(at + 12, flags);
    w16(at + 14, next);
}

static uint16_t avail_idx;

static void make_avail(uint16_t head)
{
    w16(AVAIL + 4 + 2 * (avail_idx % QSIZE), head);
    avail_idx++;
    w16(AVAIL + 2, avail_idx);
}

static VirtQueue *vq0;

static void negotiate(uint64_t features)
{
    virtio_set_status(&td.vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    virtio_set_guest_features(&td.vdev, features | (1ull << VIRTIO_F_VERSION_1));
    virtio_set_status(&td.vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_FEATURES_OK);
    assert_true(td.vdev.status & VIRTIO_CONFIG_S_FEATURES_OK);
    assert_true(virtio_queue_set_num(vq0, QSIZE));
    vq0->desc = DESC;
    vq0->avail = AVAIL;
    vq0->used = USED;
    vq0->ready = true;
    virtio_set_status(&td.vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
}

static int setup(void **state)
{
    pc_test_env_init(RAM_SIZE);
    memset(&td, 0, sizeof(td));
    virtio_init(&td.vdev, &test_ops, 8, 1ull << 5);
    vq0 = virtio_add_queue(&td.vdev, 16, test_handle);
    virtio_bind_transport(&td.vdev, &test_transport, NULL, &pc_env.as_mem);
    avail_idx = 0;
    return 0;
}

static int teardown(void **state)
{
    virtio_cleanup(&td.vdev);
    pc_test_env_fini();
    return 0;
}

/* ---- negotiation and configuration ---- */

static void test_features(void **state)
{
    uint64_t host = virtio_host_features(&td.vdev);
    assert_true(host & (1ull << VIRTIO_F_VERSION_1));
    assert_true(host & (1ull << VIRTIO_RING_F_INDIRECT_DESC));
    assert_true(host & (1ull << VIRTIO_RING_F_EVENT_IDX));
    assert_true(host & (1ull << 5));
    virtio_set_status(&td.vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    virtio_set_guest_features(&td.vdev, (1ull << 5) | (1ull << 7));  /* 7 is not offered */
    assert_int_equal(td.vdev.guest_features, 1ull << 5);
    /* a 1.x driver without VERSION_1: FEATURES_OK does not stick */
    virtio_set_status(&td.vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_FEATURES_OK);
    assert_false(td.vdev.status & VIRTIO_CONFIG_S_FEATURES_OK);
    virtio_set_guest_features(&td.vdev, (1ull << 5) | (1ull << VIRTIO_F_VERSION_1));
    virtio_set_status(&td.vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_FEATURES_OK);
    assert_true(td.vdev.status & VIRTIO_CONFIG_S_FEATURES_OK);
    virtio_set_guest_features(&td.vdev, 0);             /* too late: ignored */
    assert_true(virtio_has_feature(&td.vdev, VIRTIO_F_VERSION_1));
    virtio_set_status(&td.vdev, 0);                     /* reset */
    assert_int_equal(td.vdev.status, 0);
    assert_int_equal(td.vdev.guest_features, 0);
    assert_int_equal(td.resets, 1);
    /* a legacy driver sees 32 bits and needs no FEATURES_OK */
    td.vdev.legacy = true;
    assert_false(virtio_host_features(&td.vdev) >> 32);
}

static void test_config_space(void **state)
{
    virtio_config_write(&td.vdev, 4, 4, 0x11223344);
    assert_int_equal(td.last_set_config[4], 0x44);
    assert_int_equal(td.last_set_config[7], 0x11);
    assert_int_equal(virtio_config_read(&td.vdev, 4, 2), 0x3344);
    assert_int_equal(virtio_config_read(&td.vdev, 0, 1), 0x5a);
    assert_int_equal(virtio_config_read(&td.vdev, 6, 4), 0);   /* crosses the end */
    assert_int_equal(virtio_config_read(&td.vdev, 0xffffffffu, 4), 0);
    virtio_config_write(&td.vdev, 8, 1, 0xff);                  /* ignored */
    /* config change: no interrupt before DRIVER_OK, generation moves anyway */
    uint32_t gen = td.vdev.config_generation;
    virtio_notify_config(&td.vdev);
    assert_int_equal(td.vdev.isr, 0);
    assert_int_equal(td.vdev.config_generation, gen + 1);
    negotiate(0);
    virtio_notify_config(&td.vdev);
    assert_int_equal(td.vdev.isr, VIRTIO_ISR_CONFIG);
    assert_int_equal(virtio_isr_read_clear(&td.vdev), VIRTIO_ISR_CONFIG);
    assert_int_equal(td.vdev.isr, 0);
}

static void test_queue_size(void **state)
{
    assert_false(virtio_queue_set_num(vq0, 0));
    assert_false(virtio_queue_set_num(vq0, 12));       /* not a power of two */
    assert_false(virtio_queue_set_num(vq0, 32));       /* above the maximum */
    assert_true(virtio_queue_set_num(vq0, 4));
    assert_null(virtio_get_queue(&td.vdev, 1));
    assert_null(virtio_get_queue(&td.vdev, 1000));
    virtio_queue_notify(&td.vdev, 7);                  /* no such queue: ignored */
}

/* ---- requests ---- */

static void test_direct_chain(void **state)
{
    negotiate(0);
    mmio_write(BUF, 8, 0x0807060504030201ull);
    put_desc(DESC, 3, BUF, 6, F_NEXT, 5);
    put_desc(DESC, 5, BUF + 6, 2, F_NEXT, 0);
    put_desc(DESC, 0, BUF + 0x100, 4, F_WRITE, 0);
    make_avail(3);
    virtio_queue_notify(&td.vdev, 0);
    assert_int_equal(td.kicks, 1);
    assert_false(virtio_queue_empty(vq0));
    VirtQueueElement *e = virtqueue_pop(vq0, sizeof(*e));
    assert_non_null(e);
    assert_int_equal(e->index, 3);
    assert_int_equal(e->out_num, 2);
    assert_int_equal(e->in_num, 1);
    assert_int_equal(e->out_len, 8);
    assert_int_equal(e->in_len, 4);
    uint8_t buf[16];
    assert_int_equal(virtio_elem_to_buf(&td.vdev, e, 4, buf, 16), 4);   /* short at end */
    assert_memory_equal(buf, "\x05\x06\x07\x08", 4);
    assert_int_equal(virtio_elem_from_buf(&td.vdev, e, 1, "xyz!", 4), 3);
    assert_int_equal(r32(BUF + 0x100) >> 8, 0x7a7978);
    virtqueue_push(vq0, e, 4);
    free(e);
    assert_int_equal(r16(USED + 2), 1);
    assert_int_equal(r32(USED + 4), 3);                 /* id */
    assert_int_equal(r32(USED + 8), 4);                 /* len */
    assert_null(virtqueue_pop(vq0, sizeof(VirtQueueElement)));
    virtio_notify(&td.vdev, vq0);
    assert_int_equal(td.vdev.isr, VIRTIO_ISR_QUEUE);
    virtio_isr_ack(&td.vdev, VIRTIO_ISR_QUEUE);
    assert_int_equal(td.vdev.isr, 0);
    assert_false(td.vdev.broken);
}

static void test_indirect_chain(void **state)
{
    negotiate(1ull << VIRTIO_RING_F_INDIRECT_DESC);
    uint64_t table = 0x4000;
    put_desc(table, 0, BUF, 16, F_NEXT, 2);
    put_desc(table, 2, BUF + 16, 512, F_NEXT | F_WRITE, 1);
    put_desc(table, 1, BUF + 1024, 1, F_WRITE, 0);
    put_desc(DESC, 0, table, 3 * 16, F_INDIRECT, 0);
    make_avail(0);
    typedef struct Req { VirtQueueElement elem; int extra[3]; } Req;
    Req *r = virtqueue_pop(vq0, sizeof(Req));
    assert_non_null(r);
    assert_int_equal(r->elem.out_num, 1);
    assert_int_equal(r->elem.in_num, 2);
    assert_int_equal(r->elem.in_len, 513);
    assert_int_equal(r->elem.in_sg[1].addr, BUF + 1024);
    assert_int_equal(r->extra[2], 0);                   /* the request part is zeroed */
    virtqueue_push(vq0, &r->elem, 513);
    free(r);
    assert_false(td.vdev.broken);
}

/* Runs one hostile chain: pop must fail and leave the device broken. */
static void expect_broken(uint16_t head)
{
    make_avail(head);
    assert_null(virtqueue_pop(vq0, sizeof(VirtQueueElement)));
    assert_true(td.vdev.broken);
    assert_true(td.vdev.status & VIRTIO_CONFIG_S_NEEDS_RESET);
    assert_true(td.vdev.isr & VIRTIO_ISR_CONFIG);
    assert_null(virtqueue_pop(vq0, sizeof(VirtQueueElement)));   /* stays stopped */
    int kicks = td.kicks;
    virtio_queue_notify(&td.vdev, 0);
    assert_int_equal(td.kicks, kicks);
    /* the driver cannot clear NEEDS_RESET; a reset recovers */
    virtio_set_status(&td.vdev, td.vdev.status & ~VIRTIO_CONFIG_S_NEEDS_RESET);
    assert_true(td.vdev.status & VIRTIO_CONFIG_S_NEEDS_RESET);
    virtio_set_status(&td.vdev, 0);
    assert_false(td.vdev.broken);
}

static void test_loop(void **state)
{
    negotiate(0);
    put_desc(DESC, 0, BUF, 4, F_NEXT, 1);
    put_desc(DESC, 1, BUF, 4, F_NEXT, 0);
    expect_broken(0);
}

static void test_self_loop_writable(void **state)
{
    negotiate(0);
    put_desc(DESC, 7, BUF, 4, F_NEXT | F_WRITE, 7);
    expect_broken(7);
}

static void test_wild_indices(void **state)
{
    negotiate(0);
    put_desc(DESC, 0, BUF, 4, F_NEXT, 100);            /* next out of the table */
    expect_broken(0);
    avail_idx = 0;
    negotiate(0);
    expect_broken(QSIZE);                               /* head out of the table */
    avail_idx = 0;
    negotiate(0);
    w16(AVAIL + 2, QSIZE + 1);                          /* more entries than the ring */
    assert_null(virtqueue_pop(vq0, sizeof(VirtQueueElement)));
    assert_true(td.vdev.broken);
}

static void test_buffers_outside_ram(void **state)
{
    static const struct { uint64_t addr; uint32_t len; uint16_t flags; } bad[] = {
        { 0x10000000, 4, 0 },                           /* nothing there */
        { RAM_SIZE - 2, 4, 0 },                         /* straddles the end of RAM */
        { 0xfffffffffffffff0ull, 0x20, F_WRITE },       /* wraps around */
        { BUF, 0xffffffffu, F_WRITE },                  /* 4 GiB from inside RAM */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        avail_idx = 0;
        negotiate(0);
        put_desc(DESC, 0, bad[i].addr, bad[i].len, bad[i].flags, 0);
        expect_broken(0);
    }
}

static void test_readable_after_writable(void **state)
{
    negotiate(0);
    put_desc(DESC, 0, BUF, 4, F_NEXT | F_WRITE, 1);
    put_desc(DESC, 1, BUF, 4, 0, 0);
    expect_broken(0);
}

static void test_bad_indirect(void **state)
{
    uint64_t table = 0x4000;
    struct { uint64_t addr; uint32_t len; uint16_t flags; } bad[] = {
        { table, 24, F_INDIRECT },                      /* not a multiple of 16 */
        { table, 0, F_INDIRECT },
        { table, 32, F_INDIRECT | F_NEXT },             /* INDIRECT with NEXT */
        { 0x10000000, 32, F_INDIRECT },                 /* table outside RAM */
        { table, 16 * (VIRTQUEUE_MAX_SIZE + 1), F_INDIRECT },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        avail_idx = 0;
        negotiate(1ull << VIRTIO_RING_F_INDIRECT_DESC);
        put_desc(DESC, 0, bad[i].addr, bad[i].len, bad[i].flags, 1);
        put_desc(DESC, 1, BUF, 4, 0, 0);
        expect_broken(0);
    }
    /* nested indirect table; a loop inside an indirect table */
    avail_idx = 0;
    negotiate(1ull << VIRTIO_RING_F_INDIRECT_DESC);
    put_desc(table, 0, table, 32, F_INDIRECT, 0);
    put_desc(DESC, 0, table, 32, F_INDIRECT, 0);
    expect_broken(0);
    avail_idx = 0;
    negotiate(1ull << VIRTIO_RING_F_INDIRECT_DESC);
    put_desc(table, 0, BUF, 4, F_NEXT, 1);
    put_desc(table, 1, BUF, 4, F_NEXT, 0);
    expect_broken(0);
}

static void test_rings_outside_ram(void **state)
{
    negotiate(0);
    vq0->avail = RAM_SIZE + 0x1000;
    assert_null(virtqueue_pop(vq0, sizeof(VirtQueueElement)));
    assert_true(td.vdev.broken);
    virtio_set_status(&td.vdev, 0);
    avail_idx = 0;
    negotiate(0);
    vq0->desc = RAM_SIZE - 8;
    put_desc(DESC, 0, BUF, 4, 0, 0);
    expect_broken(0);
}

/* Chains of every length up to the ring size, then the longest indirect chain. */
static void test_long_chains(void **state)
{
    negotiate(1ull << VIRTIO_RING_F_INDIRECT_DESC);
    for (unsigned i = 0; i < QSIZE; i++) {
        put_desc(DESC, i, BUF + i, 1, i + 1 < QSIZE ? F_NEXT : 0, (uint16_t)(i + 1));
    }
    make_avail(0);
    VirtQueueElement *e = virtqueue_pop(vq0, sizeof(*e));
    assert_non_null(e);
    assert_int_equal(e->out_num, QSIZE);
    virtqueue_push(vq0, e, 0);
    free(e);
    uint64_t table = 0x20000;
    for (unsigned i = 0; i < VIRTQUEUE_MAX_SIZE; i++) {
        put_desc(table, i, BUF, 1, i + 1 < VIRTQUEUE_MAX_SIZE ? F_NEXT : 0, (uint16_t)(i + 1));
    }
    put_desc(DESC, 0, table, 16 * VIRTQUEUE_MAX_SIZE, F_INDIRECT, 0);
    make_avail(0);
    e = virtqueue_pop(vq0, sizeof(*e));
    assert_non_null(e);
    assert_int_equal(e->out_num, VIRTQUEUE_MAX_SIZE);
    free(e);
    /* one direct buffer, then a full indirect table: one segment too many */
    put_desc(DESC, 1, BUF, 1, F_NEXT, 0);
    expect_broken(1);
}

/* ---- interrupts and notifications ---- */

static void push_one(void)
{
    put_desc(DESC, 0, BUF, 4, 0, 0);
    make_avail(0);
    VirtQueueElement *e = virtqueue_pop(vq0, sizeof(*e));
    assert_non_null(e);
    virtqueue_push(vq0, e, 0);
    free(e);
}

static void test_flag_suppression(void **state)
{
    negotiate(0);
    w16(AVAIL, 1);                                      /* VRING_AVAIL_F_NO_INTERRUPT */
    push_one();
    virtio_notify(&td.vdev, vq0);
    assert_int_equal(td.vdev.isr, 0);
    w16(AVAIL, 0);
    push_one();
    virtio_notify(&td.vdev, vq0);
    assert_int_equal(td.vdev.isr, VIRTIO_ISR_QUEUE);
    virtio_queue_set_notification(vq0, false);
    assert_int_equal(r16(USED), 1);                     /* VRING_USED_F_NO_NOTIFY */
    virtio_queue_set_notification(vq0, true);
    assert_int_equal(r16(USED), 0);
}

static void test_event_idx(void **state)
{
    negotiate(1ull << VIRTIO_RING_F_EVENT_IDX);
    uint64_t used_event = AVAIL + 4 + 2 * QSIZE, avail_event = USED + 4 + 8 * QSIZE;
    push_one();                                         /* used idx 1 */
    assert_int_equal(r16(avail_event), 1);              /* kick me for the next one */
    virtio_notify(&td.vdev, vq0);                       /* first time: always */
    assert_int_equal(virtio_isr_read_clear(&td.vdev), VIRTIO_ISR_QUEUE);
    w16(used_event, 2);                                 /* interrupt when idx passes 2 */
    push_one();                                         /* used idx 2 */
    virtio_notify(&td.vdev, vq0);
    assert_int_equal(td.vdev.isr, 0);
    push_one();                                         /* used idx 3: crossed */
    virtio_notify(&td.vdev, vq0);
    assert_int_equal(virtio_isr_read_clear(&td.vdev), VIRTIO_ISR_QUEUE);
    push_one();
    virtio_notify(&td.vdev, vq0);                       /* 4: event 2 already passed */
    assert_int_equal(td.vdev.isr, 0);
    /* suppression: popping does not move avail_event, re-enabling does */
    virtio_queue_set_notification(vq0, false);
    push_one();
    assert_int_equal(r16(avail_event), 4);
    virtio_queue_set_notification(vq0, true);
    assert_int_equal(r16(avail_event), 5);
}

static void test_legacy_layout(void **state)
{
    td.vdev.legacy = true;
    virtio_set_status(&td.vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    virtio_set_guest_features(&td.vdev, 0);
    virtio_set_status(&td.vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_DRIVER_OK);
    virtio_queue_set_legacy_pfn(vq0, 0x40);             /* 16 entries at 0x40000 */
    assert_true(vq0->ready);
    assert_int_equal(vq0->desc, 0x40000);
    assert_int_equal(vq0->avail, 0x40000 + 16 * 16);
    assert_int_equal(vq0->used, 0x41000);
    put_desc(0x40000, 2, BUF, 4, 0, 0);
    w16(vq0->avail + 4, 2);
    w16(vq0->avail + 2, 1);
    VirtQueueElement *e = virtqueue_pop(vq0, sizeof(*e));
    assert_non_null(e);
    virtqueue_push(vq0, e, 9);
    free(e);
    assert_int_equal(r32(0x41000 + 4), 2);
    assert_int_equal(r32(0x41000 + 8), 9);
    virtio_queue_set_legacy_pfn(vq0, 0);
    assert_false(vq0->ready);
    virtio_queue_set_legacy_pfn(vq0, 0xffffffffu);      /* far outside RAM */
    assert_true(virtio_queue_empty(vq0));
    assert_true(td.vdev.broken);
    assert_false(td.vdev.status & VIRTIO_CONFIG_S_NEEDS_RESET);    /* legacy: no such bit */
}

/* A request completed after a reset is dropped, not written into the old ring. */
static void test_push_after_reset(void **state)
{
    negotiate(0);
    put_desc(DESC, 0, BUF, 4, 0, 0);
    make_avail(0);
    VirtQueueElement *e = virtqueue_pop(vq0, sizeof(*e));
    assert_non_null(e);
    w16(USED + 2, 0x77);
    virtio_set_status(&td.vdev, 0);
    virtqueue_push(vq0, e, 0);
    free(e);
    assert_int_equal(r16(USED + 2), 0x77);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_features), T(test_config_space), T(test_queue_size), T(test_direct_chain),
        T(test_indirect_chain), T(test_loop), T(test_self_loop_writable),
        T(test_wild_indices), T(test_buffers_outside_ram), T(test_readable_after_writable),
        T(test_bad_indirect), T(test_rings_outside_ram), T(test_long_chains),
        T(test_flag_suppression), T(test_event_idx), T(test_legacy_layout),
        T(test_push_after_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
