/* Unit tests of virtio-serial (hw/char/virtio-serial-*.c) on a virtio-mmio transport,
 * driven through its registers as Linux's virtio_console does: the multiport control
 * handshake (DEVICE_READY, DEVICE_ADD, PORT_READY, CONSOLE_PORT, PORT_NAME, PORT_OPEN),
 * control messages waiting for buffers, guest output to file chardevs, host input with
 * backpressure (the chardev is read only while the guest has the port open and buffers
 * posted), the single-port mode, hot-plugged ports, malformed chains and messages, the
 * -device rules, and virtio-serial-pci's PCI identity. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hw/isa/isa.h"
#include "hw/pci/i440fx.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-serial.h"
#include "system/main-loop.h"
#include "util/cutils.h"
#include "pc-test-util.h"
#include "virtio-test-driver.h"

#define BASE 0x10000000u
#define CTRL_RX_BUF 0x40000u                /* 64 bytes per descriptor index */
#define CTRL_TX_BUF 0x42000u
#define RX_BUF 0x50000u                     /* 256 bytes per descriptor index */
#define TX_BUF 0x60000u
#define MULTIPORT ((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_CONSOLE_F_MULTIPORT))
enum { Q_RX0, Q_TX0, Q_CTRL_RX, Q_CTRL_TX, Q_RX1, Q_TX1, Q_RX2, Q_TX2 };

static VtDriver drv;
static Chardev *con_chr, *port_chr;
static char con_path[64], port_path[64];
static VirtIOSerialPort *con, *port;

static Chardev *file_chardev(const char *id, char *path)
{
    Error *err = NULL;
    strcpy(path, "/tmp/mimic-vser-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char *spec = xasprintf("file,id=%s,path=%s", id, path);
    Chardev *chr = chardev_new_from_spec(spec, &err);
    free(spec);
    assert_non_null(chr);
    return chr;
}

static DeviceState *plug(const char *spec, Error **errp)
{
    return device_create_from_spec(spec, errp);
}

static DeviceState *plug_ok(const char *spec)
{
    Error *err = NULL;
    DeviceState *dev = device_create_from_spec(spec, &err);
    if (!dev) {
        fail_msg("%s: %s", spec, error_get_message(err));
    }
    return dev;
}

static int setup(void **state)
{
    Error *err = NULL;
    main_loop_init();
    assert_non_null(virtconsole_device_type.name);      /* links the port types in */
    pc_test_env_init(1 << 20);
    assert_non_null(virtio_mmio_create(BASE, 0, pc_env.lines[5], &pc_env.as_mem, &err));
    con_chr = file_chardev("con", con_path);
    port_chr = file_chardev("port", port_path);
    plug_ok("virtio-serial-device,max_nr_ports=3");
    con = DEVICE_CAST(VirtIOSerialPort, plug_ok("virtconsole,chardev=con"));
    port = DEVICE_CAST(VirtIOSerialPort,
                       plug_ok("virtserialport,chardev=port,name=org.mimic.test"));
    return 0;
}

static int teardown(void **state)
{
    pc_test_env_fini();                     /* destroys the devices first */
    chardev_delete(con_chr);
    chardev_delete(port_chr);
    unlink(con_path);
    unlink(port_path);
    return 0;
}

/* ---- the fake driver's side of the protocol ---- */

static void post_ctrl_rx(unsigned n, uint32_t len)
{
    for (unsigned k = 0; k < n; k++) {
        vt_add(&drv, Q_CTRL_RX, CTRL_RX_BUF + 64 * (drv.q[Q_CTRL_RX].next_desc % VT_QSIZE),
               len, true);
    }
    vt_kick(&drv, Q_CTRL_RX);
}

static void send_ctrl(uint32_t id, uint16_t event, uint16_t value)
{
    uint32_t head, len;
    mmio_write(CTRL_TX_BUF, 4, id);
    mmio_write(CTRL_TX_BUF + 4, 2, event);
    mmio_write(CTRL_TX_BUF + 6, 2, value);
    vt_post(&drv, Q_CTRL_TX, CTRL_TX_BUF, VIRTIO_CONSOLE_CTRL_SIZE, false);
    assert_true(vt_used(&drv, Q_CTRL_TX, &head, &len));
}

/* The next control message from the device is (id, event, value); returns its address. */
static uint64_t expect_ctrl(uint32_t id, uint16_t event, uint16_t value)
{
    uint32_t head, len;
    assert_true(vt_used(&drv, Q_CTRL_RX, &head, &len));
    uint64_t msg = CTRL_RX_BUF + 64 * head;
    assert_int_equal(mmio_read(msg, 4), id);
    assert_int_equal(mmio_read(msg + 4, 2), event);
    assert_int_equal(mmio_read(msg + 6, 2), value);
    return msg;
}

static void no_more_ctrl(void)
{
    uint32_t head, len;
    assert_false(vt_used(&drv, Q_CTRL_RX, &head, &len));
}

static void handshake(void)
{
    vt_driver_start(&drv, BASE, MULTIPORT, 8);
    post_ctrl_rx(8, 64);
    send_ctrl(VIRTIO_CONSOLE_BAD_ID, VIRTIO_CONSOLE_DEVICE_READY, 1);
    expect_ctrl(0, VIRTIO_CONSOLE_DEVICE_ADD, 1);
    expect_ctrl(1, VIRTIO_CONSOLE_DEVICE_ADD, 1);
    send_ctrl(0, VIRTIO_CONSOLE_PORT_READY, 1);
    expect_ctrl(0, VIRTIO_CONSOLE_CONSOLE_PORT, 1);
    expect_ctrl(0, VIRTIO_CONSOLE_PORT_OPEN, 1);        /* a console is always connected */
    send_ctrl(1, VIRTIO_CONSOLE_PORT_READY, 1);
    uint64_t msg = expect_ctrl(1, VIRTIO_CONSOLE_PORT_NAME, 1);
    char name[32];
    for (unsigned i = 0; i < sizeof(name); i++) {
        name[i] = (char)mmio_read(msg + VIRTIO_CONSOLE_CTRL_SIZE + i, 1);
    }
    assert_string_equal(name, "org.mimic.test");
    expect_ctrl(1, VIRTIO_CONSOLE_PORT_OPEN, 1);        /* its file chardev is open */
    no_more_ctrl();
    send_ctrl(0, VIRTIO_CONSOLE_PORT_OPEN, 1);          /* init_port_console's */
}

static void put_bytes(uint64_t addr, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mmio_write(addr + i, 1, (uint8_t)s[i]);
    }
}

static void get_bytes(uint64_t addr, char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        s[i] = (char)mmio_read(addr + i, 1);
    }
    s[n] = 0;
}

static void post_rx(unsigned q, uint32_t len)
{
    vt_post(&drv, q, RX_BUF + 256 * (drv.q[q].next_desc % VT_QSIZE), len, true);
}

/* The next used receive buffer of queue q holds exactly text. */
static void expect_rx(unsigned q, const char *text)
{
    uint32_t head, len;
    char got[257];
    assert_true(vt_used(&drv, q, &head, &len));
    assert_int_equal(len, strlen(text));
    get_bytes(RX_BUF + 256 * head, got, len);
    assert_string_equal(got, text);
}

static void guest_write(unsigned q, const char *text)
{
    uint32_t head, len;
    put_bytes(TX_BUF, text, strlen(text));
    vt_post(&drv, q, TX_BUF, (uint32_t)strlen(text), false);
    assert_true(vt_used(&drv, q, &head, &len));
    assert_int_equal(len, 0);
}

static void host_input(VirtIOSerialPort *p, const char *text)
{
    int n = (int)strlen(text);
    assert_true(p->fe.can_read(p->fe.opaque) >= n);
    p->fe.read(p->fe.opaque, (const uint8_t *)text, n);
}

static void expect_file(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    assert_string_equal(buf, text);
}

/* ---- tests ---- */

static void test_identity_and_config(void **state)
{
    drv.base = BASE;
    assert_int_equal(vt_reg(&drv, 0x08), VIRTIO_ID_CONSOLE);
    assert_true(vt_device_features(&drv) & (1ull << VIRTIO_CONSOLE_F_MULTIPORT));
    assert_int_equal(mmio_read(BASE + 0x100 + VIRTIO_CONSOLE_CFG_MAX_NR_PORTS, 4), 3);
    vt_wreg(&drv, 0x30, 7);                             /* 2 * (3 + 1) queues */
    assert_int_equal(vt_reg(&drv, 0x34), VIRTIO_SERIAL_PORT_QUEUE_SIZE);
    vt_wreg(&drv, 0x30, 8);
    assert_int_equal(vt_reg(&drv, 0x34), 0);
    assert_int_equal(con->nr, 0);                       /* a console takes port 0 */
    assert_int_equal(port->nr, 1);
}

static void test_handshake(void **state)
{
    handshake();
    assert_true(port->guest_connected == false);
    send_ctrl(1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    assert_true(port->guest_connected);
    assert_false(vt_needs_reset(&drv));
}

static void test_ctrl_waits_for_buffers(void **state)
{
    vt_driver_start(&drv, BASE, MULTIPORT, 8);
    send_ctrl(VIRTIO_CONSOLE_BAD_ID, VIRTIO_CONSOLE_DEVICE_READY, 1);
    no_more_ctrl();
    post_ctrl_rx(1, 64);
    expect_ctrl(0, VIRTIO_CONSOLE_DEVICE_ADD, 1);
    no_more_ctrl();
    post_ctrl_rx(1, 64);
    expect_ctrl(1, VIRTIO_CONSOLE_DEVICE_ADD, 1);
    /* a buffer too small for PORT_NAME gets what fits */
    send_ctrl(1, VIRTIO_CONSOLE_PORT_READY, 1);
    post_ctrl_rx(1, 10);
    uint32_t head, len;
    assert_true(vt_used(&drv, Q_CTRL_RX, &head, &len));
    assert_int_equal(len, 10);
    assert_int_equal(mmio_read(CTRL_RX_BUF + 64 * head + 4, 2), VIRTIO_CONSOLE_PORT_NAME);
}

/* A driver that asks and never reads: the device holds a bounded number of messages. */
static void test_ctrl_flood_is_bounded(void **state)
{
    uint32_t head, len;
    unsigned got = 0;
    vt_driver_start(&drv, BASE, MULTIPORT, 8);
    for (unsigned i = 0; i < 1000; i++) {
        send_ctrl(VIRTIO_CONSOLE_BAD_ID, VIRTIO_CONSOLE_DEVICE_READY, 1);
    }
    do {
        post_ctrl_rx(1, 64);
    } while (vt_used(&drv, Q_CTRL_RX, &head, &len) && ++got < 1000);
    assert_int_equal(got, 8 * VIRTIO_SERIAL_MAX_PORTS);
    assert_false(vt_needs_reset(&drv));
}

static void test_guest_output(void **state)
{
    handshake();
    guest_write(Q_TX0, "console says hi\n");
    guest_write(Q_TX1, "port ");
    guest_write(Q_TX1, "data");
    expect_file(con_path, "console says hi\n");
    expect_file(port_path, "port data");
}

static void test_host_input_backpressure(void **state)
{
    handshake();
    assert_int_equal(port->fe.can_read(port), 0);     /* not open, no buffers */
    post_rx(Q_RX1, 4);
    assert_int_equal(port->fe.can_read(port), 0);     /* buffers, but not open */
    send_ctrl(1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    host_input(port, "abcdefghij");
    expect_rx(Q_RX1, "abcd");
    assert_int_equal(port->fe.can_read(port), 0);     /* 6 bytes wait for a buffer */
    post_rx(Q_RX1, 16);
    expect_rx(Q_RX1, "efghij");
    assert_int_equal(port->fe.can_read(port), 0);     /* that buffer is used up */
    post_rx(Q_RX1, 16);
    assert_true(port->fe.can_read(port) > 0);
    send_ctrl(1, VIRTIO_CONSOLE_PORT_OPEN, 0);          /* the guest closed it */
    assert_int_equal(port->fe.can_read(port), 0);
    /* the console: open since handshake() */
    post_rx(Q_RX0, 64);
    host_input(con, "ls\r");
    expect_rx(Q_RX0, "ls\r");
}

static void test_single_port_mode(void **state)
{
    vt_driver_start(&drv, BASE, 1ull << VIRTIO_F_VERSION_1, 2);
    assert_int_equal(con->fe.can_read(con), 0);
    post_rx(Q_RX0, 64);
    host_input(con, "hello");
    expect_rx(Q_RX0, "hello");
    guest_write(Q_TX0, "out");
    expect_file(con_path, "out");
    assert_int_equal(port->fe.can_read(port), 0);     /* port 1 needs multiport */
}

static void test_hotplug(void **state)
{
    Error *err = NULL;
    handshake();
    post_ctrl_rx(4, 64);                                /* handshake() left 2 */
    DeviceState *extra = plug("virtserialport,name=late", &err);
    assert_non_null(extra);
    assert_int_equal(DEVICE_CAST(VirtIOSerialPort, extra)->nr, 2);
    expect_ctrl(2, VIRTIO_CONSOLE_DEVICE_ADD, 1);
    send_ctrl(2, VIRTIO_CONSOLE_PORT_READY, 1);
    expect_ctrl(2, VIRTIO_CONSOLE_PORT_NAME, 1);
    no_more_ctrl();                                     /* no chardev: not host-connected */
    guest_write(Q_TX2, "dropped");                      /* no chardev: dropped */
    device_destroy(extra);
    expect_ctrl(2, VIRTIO_CONSOLE_DEVICE_REMOVE, 1);
}

static void test_bad_control_messages(void **state)
{
    uint32_t head, len;
    handshake();
    vt_post(&drv, Q_CTRL_TX, CTRL_TX_BUF, 4, false);    /* short: ignored */
    assert_true(vt_used(&drv, Q_CTRL_TX, &head, &len));
    send_ctrl(7, VIRTIO_CONSOLE_PORT_READY, 1);         /* no such port */
    send_ctrl(VIRTIO_CONSOLE_BAD_ID, VIRTIO_CONSOLE_PORT_OPEN, 1);
    send_ctrl(1, 99, 1);                                /* unknown event */
    send_ctrl(1, VIRTIO_CONSOLE_PORT_READY, 0);         /* the guest failed to add it */
    no_more_ctrl();
    assert_false(vt_needs_reset(&drv));
}

static void test_malformed_chains_break_device(void **state)
{
    uint32_t head, len;
    handshake();
    send_ctrl(1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    post_rx(Q_RX1, 8);
    vt_post(&drv, Q_RX1, RX_BUF, 8, false);             /* a read-only receive buffer */
    host_input(port, "0123456789ab");
    expect_rx(Q_RX1, "01234567");
    assert_true(vt_needs_reset(&drv));
    assert_int_equal(port->fe.can_read(port), 0);
    /* after a reset: transmit buffers outside RAM */
    handshake();
    vt_post(&drv, Q_TX1, 0xfff00000u, 16, false);
    assert_false(vt_used(&drv, Q_TX1, &head, &len));
    assert_true(vt_needs_reset(&drv));
}

static void test_reset_closes_ports(void **state)
{
    handshake();
    send_ctrl(1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    vt_wreg(&drv, 0x70, 0);
    assert_false(port->guest_connected);
    assert_int_equal(port->fe.can_read(port), 0);
    handshake();                                        /* the whole handshake again */
}

static void test_device_rules(void **state)
{
    Error *err = NULL;
    const char *bad[][2] = {
        { "virtserialport,nr=0", "port number 0 is reserved" },
        { "virtserialport,nr=1", "port number 1 is already in use" },
        { "virtserialport,nr=3", "port number 3 out of range (max_nr_ports 3)" },
        { "virtserialport,name=org.mimic.test", "a port named 'org.mimic.test' already exists" },
        { "virtconsole,chardev=con", "already in use" },
        { "virtio-serial-device", "needs a bus of type virtio-bus" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_null(plug(bad[i][0], &err));
        if (!strstr(error_get_message(err), bad[i][1])) {
            fail_msg("%s: %s", bad[i][0], error_get_message(err));
        }
        error_free(err);
        err = NULL;
    }
    assert_non_null(plug("virtconsole", &err));         /* port 2, the last free */
    assert_null(plug("virtserialport", &err));
    assert_non_null(strstr(error_get_message(err), "no free port number"));
    error_free(err);
}

static void test_needs_a_bus(void **state)
{
    Error *err = NULL;
    pc_test_env_fini();
    pc_test_env_init(1 << 20);
    assert_null(plug("virtconsole", &err));
    assert_non_null(strstr(error_get_message(err), "needs a bus of type virtio-serial-bus"));
    error_free(err);
    err = NULL;
    assert_null(plug("virtio-serial-device,max_nr_ports=32", &err));
    error_free(err);
}

static MemoryRegion pci_mem;

static void test_pci_identity(void **state)
{
    Error *err = NULL;
    pc_test_env_fini();
    pc_test_env_init(1 << 20);
    memory_region_init_container(&pci_mem, "pci", UINT64_MAX);
    memory_region_add_subregion(&pc_env.mem, 0, &pci_mem, -1);
    isa_bus_set_irqs(pc_env.lines);
    assert_non_null(i440fx_create(&pc_env.mem, &pc_env.ram, &pci_mem, &pc_env.io, &err));
    assert_non_null(virtio_serial_pci_device_type.name);
    assert_non_null(plug("virtio-serial-pci,addr=0x20", &err));
    assert_non_null(plug("virtio-serial-pci,addr=0x28,disable-legacy=on", &err));
    assert_non_null(plug("virtconsole", &err));
    assert_int_equal(pci_cfg_in(0x20, 0x00, 4), 0x10031af4u);
    assert_int_equal(pci_cfg_in(0x28, 0x00, 4), 0x10431af4u);
    assert_int_equal(pci_cfg_in(0x20, 0x2e, 2), VIRTIO_ID_CONSOLE);   /* subsystem */
    assert_int_equal(pci_cfg_in(0x20, 0x0a, 2), 0x0780);              /* class */
    qdev_destroy_all();
    memory_region_del_subregion(&pc_env.mem, &pci_mem);
    memory_region_destroy(&pci_mem);
    isa_bus_set_irqs(NULL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_identity_and_config),
        T(test_handshake),
        T(test_ctrl_waits_for_buffers),
        T(test_ctrl_flood_is_bounded),
        T(test_guest_output),
        T(test_host_input_backpressure),
        T(test_single_port_mode),
        T(test_hotplug),
        T(test_bad_control_messages),
        T(test_malformed_chains_break_device),
        T(test_reset_closes_ports),
        T(test_device_rules),
        T(test_needs_a_bus),
        T(test_pci_identity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
