/* Unit tests for hw/core: device properties from text, -device specs and their errors,
 * realize/reset order, IRQ lines, state save/load and "info qtree". */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hw/irq.h"
#include "hw/qdev.h"

/* --- order of realize/reset calls ------------------------------------------------------ */

static char order[512];

static void record(const char *what, DeviceState *dev)
{
    size_t n = strlen(order);
    snprintf(order + n, sizeof(order) - n, "%s:%s ", what,
             dev->id ? dev->id : dev->type->name);
}

/* --- test device types ------------------------------------------------------------------- */

typedef struct TestUart {
    DeviceState parent_obj;
    uint32_t iobase;
    uint8_t irq;
    uint16_t count16;
    uint64_t big;
    uint64_t mem_size;
    int32_t offset;
    bool enabled;
    char *label;
    MACAddr mac;
    Chardev *chr;
    void *netdev;
    void *drive;
    /* saved state */
    uint8_t regs[8];
    uint32_t counter;
    uint64_t value64;
    int32_t level;
    bool flag;
    uint16_t pairs[3];
    uint8_t fifo[16];
    int post_loads;
} TestUart;

static const Property test_uart_props[] = {
    DEFINE_PROP_UINT32_RANGE("iobase", TestUart, iobase, 0x3f8, 0, 0xffff),
    DEFINE_PROP_UINT8_RANGE("irq", TestUart, irq, 4, 0, 15),
    DEFINE_PROP_UINT16("count16", TestUart, count16, 7),
    DEFINE_PROP_UINT64("big", TestUart, big, 0),
    DEFINE_PROP_SIZE_RANGE("mem", TestUart, mem_size, 64 * 1024, 4096, 1ULL << 30),
    DEFINE_PROP_INT_RANGE("offset", TestUart, offset, -1, -100, 100),
    DEFINE_PROP_BOOL("enabled", TestUart, enabled, true),
    DEFINE_PROP(  "label", PROP_STRING, TestUart, label, char *, .defstr = "uart",
                .description = "a name to show"),
    DEFINE_PROP(  "mac", PROP_MACADDR, TestUart, mac, MACAddr, .defstr = "52:54:00:12:34:56"),
    DEFINE_PROP_CHARDEV("chardev", TestUart, chr),
    DEFINE_PROP_NETDEV("netdev", TestUart, netdev),
    DEFINE_PROP_DRIVE("drive", TestUart, drive),
    DEFINE_PROP_END,
};

static const VMStateField test_uart_vmstate[] = {
    VMSTATE_UINT8_ARRAY(regs, TestUart, 8),
    VMSTATE_UINT32(counter, TestUart),
    VMSTATE_UINT64(value64, TestUart),
    VMSTATE_INT32(level, TestUart),
    VMSTATE_BOOL(flag, TestUart),
    VMSTATE_UINT16_ARRAY(pairs, TestUart, 3),
    VMSTATE_BUFFER(fifo, TestUart),
    VMSTATE_END,
};

static int test_uart_realize(DeviceState *dev, Error **errp)
{
    TestUart *s = DEVICE_CAST(TestUart, dev);
    if (s->label && !strcmp(s->label, "fail")) {
        error_setg(errp, "label 'fail' asked for a failure");
        return -1;
    }
    record("realize", dev);
    return 0;
}

static void test_uart_reset(DeviceState *dev)
{
    TestUart *s = DEVICE_CAST(TestUart, dev);
    s->counter = 0;
    record("reset", dev);
}

static int test_uart_post_load(DeviceState *dev, Error **errp)
{
    DEVICE_CAST(TestUart, dev)->post_loads++;
    return 0;
}

static const DeviceType test_uart_type = {
    .name = "test-uart",
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(TestUart),
    .description = "a UART for tests",
    .user_creatable = true,
    .realize = test_uart_realize,
    .reset = test_uart_reset,
    .props = test_uart_props,
    .vmstate = test_uart_vmstate,
    .vmstate_version = 3,
    .post_load = test_uart_post_load,
};
DEVICE_TYPE_REGISTER(test_uart_type)

typedef struct TestBridge {
    DeviceState parent_obj;
    BusState *isa;
} TestBridge;

static void test_bridge_init(DeviceState *dev)
{
    DEVICE_CAST(TestBridge, dev)->isa = qbus_create(BUS_TYPE_ISA, "isa.0", dev);
}

static int test_bridge_realize(DeviceState *dev, Error **errp)
{
    record("realize", dev);
    return 0;
}

static void test_bridge_reset(DeviceState *dev)
{
    record("reset", dev);
}

static const DeviceType test_bridge_type = {
    .name = "test-bridge",
    .instance_size = sizeof(TestBridge),
    .description = "a system-to-ISA bridge for tests",
    .user_creatable = true,
    .instance_init = test_bridge_init,
    .realize = test_bridge_realize,
    .reset = test_bridge_reset,
};
DEVICE_TYPE_REGISTER(test_bridge_type)

static const DeviceType test_internal_type = {
    .name = "test-internal",
    .instance_size = sizeof(DeviceState),
    .realize = test_bridge_realize,
    .reset = test_bridge_reset,
};
DEVICE_TYPE_REGISTER(test_internal_type)

/* --- the example device of docs/devices.md, verbatim but for its name ------------------ */

/* A scratch register and a counter at two ports, raising its IRQ when the counter is
 * written with bit 0 set. */
typedef struct DemoDev {
    DeviceState parent_obj;
    MemoryRegion io;
    IRQ irq;
    uint32_t iobase;        /* property */
    uint8_t scratch;        /* state */
    uint8_t count;
} DemoDev;

static uint64_t demo_read(void *opaque, hwaddr offset, unsigned size)
{
    DemoDev *s = opaque;
    switch (offset) {
    case 0: return s->scratch;
    case 1: return s->count;
    default: return 0xff;
    }
}

static void demo_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    DemoDev *s = opaque;
    switch (offset) {
    case 0: s->scratch = value; break;
    case 1: s->count = value; irq_set(s->irq, value & 1); break;
    }
}

static const MemoryRegionOps demo_ops = {
    .read = demo_read, .write = demo_write, .valid_min = 1, .valid_max = 1,
};

static int demo_realize(DeviceState *dev, Error **errp)
{
    DemoDev *s = DEVICE_CAST(DemoDev, dev);
    memory_region_init_io(&s->io, &demo_ops, s, "demo", 2);
    memory_region_add_subregion(qdev_get_io_root(dev), s->iobase, &s->io, 0);
    return 0;
}

static void demo_unrealize(DeviceState *dev)
{
    memory_region_destroy(&DEVICE_CAST(DemoDev, dev)->io);
}

static void demo_reset(DeviceState *dev)
{
    DemoDev *s = DEVICE_CAST(DemoDev, dev);
    s->scratch = 0;
    s->count = 0;
}

static const Property demo_props[] = {
    DEFINE_PROP_UINT32_RANGE("iobase", DemoDev, iobase, 0x510, 0, 0xfffe),
    DEFINE_PROP_END,
};

static const VMStateField demo_vmstate[] = {
    VMSTATE_UINT8(scratch, DemoDev),
    VMSTATE_UINT8(count, DemoDev),
    VMSTATE_END,
};

static const DeviceType demo_type = {
    .name = "demo",
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(DemoDev),
    .description = "scratch register and counter",
    .user_creatable = true,
    .realize = demo_realize,
    .unrealize = demo_unrealize,
    .reset = demo_reset,
    .props = demo_props,
    .vmstate = demo_vmstate,
};
DEVICE_TYPE_REGISTER(demo_type)

static int demo_irq_level = -1;

static void demo_irq_handler(void *opaque, int n, int level)
{
    demo_irq_level = level;
}

static void test_example_device(void **state)
{
    MemoryRegion io_root;
    AddressSpace io;
    DeviceState *dev;
    DemoDev *s;
    uint64_t v;
    Error *err = NULL;

    memory_region_init_container(&io_root, "io", 0x10000);
    address_space_init(&io, &io_root, "I/O");
    qdev_system_bus()->io_root = &io_root;      /* what a machine does */
    dev = device_create_from_spec("demo,iobase=0x600", &err);
    assert_null(err);
    assert_ptr_equal(qdev_get_io_root(dev), &io_root);
    assert_null(qdev_get_mem_root(dev));
    s = DEVICE_CAST(DemoDev, dev);
    s->irq = irq_new(demo_irq_handler, NULL, 0);
    assert_int_equal(address_space_store(&io, 0x600, 1, 0x5a), MEMTX_OK);
    assert_int_equal(address_space_load(&io, 0x600, 1, &v), MEMTX_OK);
    assert_int_equal(v, 0x5a);
    assert_int_equal(address_space_store(&io, 0x601, 1, 3), MEMTX_OK);
    assert_int_equal(demo_irq_level, 1);
    /* 2-byte accesses are not valid for this device */
    assert_int_equal(address_space_load(&io, 0x600, 2, &v), MEMTX_DECODE_ERROR);
    device_reset_all();
    assert_int_equal(address_space_load(&io, 0x600, 1, &v), MEMTX_OK);
    assert_int_equal(v, 0);
    irq_free(s->irq);
    device_destroy(dev);
    assert_null(address_space_lookup(&io, 0x600));
    address_space_destroy(&io);
    memory_region_destroy(&io_root);
}

/* --- fixture: a bridge providing isa.0, and one uart on it ------------------------------- */

typedef struct Fixture {
    DeviceState *bridge;
    TestUart *uart;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof(*f));
    f->bridge = device_create("test-bridge", NULL, NULL);
    assert_non_null(f->bridge);
    f->uart = DEVICE_CAST(TestUart, device_create("test-uart", NULL, NULL));
    assert_non_null(f->uart);
    order[0] = '\0';
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    qdev_destroy_all();
    qdev_set_backend_resolver(PROP_CHARDEV, NULL);
    qdev_set_backend_resolver(PROP_NETDEV, NULL);
    qdev_set_backend_resolver(PROP_DRIVE, NULL);
    free(*state);
    return 0;
}

/* Sets name=value and expects failure with a message containing both name and value. */
static void expect_bad(DeviceState *dev, const char *name, const char *value)
{
    Error *err = NULL;
    assert_int_equal(device_set_prop_str(dev, name, value, &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(error_get_message(err), name));
    assert_non_null(strstr(error_get_message(err), value));
    error_free(err);
}

static void set_ok(DeviceState *dev, const char *name, const char *value)
{
    Error *err = NULL;
    int r = device_set_prop_str(dev, name, value, &err);
    if (err) {
        fprintf(stderr, "unexpected: %s\n", error_get_message(err));
        error_free(err);
    }
    assert_int_equal(r, 0);
}

/* --- properties ---------------------------------------------------------------------- */

static void test_defaults(void **state)
{
    Fixture *f = *state;
    TestUart *u = f->uart;
    assert_int_equal(u->iobase, 0x3f8);
    assert_int_equal(u->irq, 4);
    assert_int_equal(u->count16, 7);
    assert_int_equal(u->mem_size, 65536);
    assert_int_equal(u->offset, -1);
    assert_true(u->enabled);
    assert_string_equal(u->label, "uart");
    assert_int_equal(u->mac.a[0], 0x52);
    assert_int_equal(u->mac.a[5], 0x56);
    assert_null(u->chr);
    assert_ptr_equal(u->parent_obj.parent_bus, qbus_find("isa.0"));
}

static void test_integer_props(void **state)
{
    Fixture *f = *state;
    DeviceState *dev = DEVICE(f->uart);
    set_ok(dev, "iobase", "0x2f8");
    assert_int_equal(f->uart->iobase, 0x2f8);
    set_ok(dev, "iobase", "65535");
    expect_bad(dev, "iobase", "65536");
    expect_bad(dev, "iobase", "abc");
    expect_bad(dev, "iobase", "-1");
    expect_bad(dev, "iobase", "");
    assert_int_equal(f->uart->iobase, 65535);
    set_ok(dev, "irq", "15");
    expect_bad(dev, "irq", "16");
    expect_bad(dev, "irq", "4k");       /* suffixes only for sizes */
    set_ok(dev, "count16", "65535");
    expect_bad(dev, "count16", "65536");
    set_ok(dev, "big", "18446744073709551615");
    assert_true(f->uart->big == UINT64_MAX);
    expect_bad(dev, "big", "18446744073709551616");
    set_ok(dev, "offset", "-100");
    assert_int_equal(f->uart->offset, -100);
    expect_bad(dev, "offset", "-101");
    expect_bad(dev, "offset", "1.5");
}

static void test_size_props(void **state)
{
    Fixture *f = *state;
    DeviceState *dev = DEVICE(f->uart);
    set_ok(dev, "mem", "64k");
    assert_int_equal(f->uart->mem_size, 65536);
    set_ok(dev, "mem", "16M");
    assert_int_equal(f->uart->mem_size, 16 << 20);
    set_ok(dev, "mem", "1G");
    set_ok(dev, "mem", "4096");
    expect_bad(dev, "mem", "1k");       /* below the range */
    expect_bad(dev, "mem", "2G");       /* above it */
    expect_bad(dev, "mem", "lots");
    expect_bad(dev, "mem", "12Q");
    assert_int_equal(f->uart->mem_size, 4096);
}

static void test_bool_props(void **state)
{
    Fixture *f = *state;
    DeviceState *dev = DEVICE(f->uart);
    static const char *const off[] = { "off", "no", "false" }, *const on[] = { "on", "yes", "true" };
    for (int i = 0; i < 3; i++) {
        set_ok(dev, "enabled", off[i]);
        assert_false(f->uart->enabled);
        set_ok(dev, "enabled", on[i]);
        assert_true(f->uart->enabled);
    }
    expect_bad(dev, "enabled", "maybe");
    assert_true(f->uart->enabled);
}

static void test_string_and_mac_props(void **state)
{
    Fixture *f = *state;
    DeviceState *dev = DEVICE(f->uart);
    char *text;
    set_ok(dev, "label", "console port");
    assert_string_equal(f->uart->label, "console port");
    set_ok(dev, "mac", "52:54:00:AB:cd:0f");
    assert_int_equal(f->uart->mac.a[3], 0xab);
    assert_int_equal(f->uart->mac.a[5], 0x0f);
    text = device_get_prop_str(dev, "mac");
    assert_string_equal(text, "52:54:00:ab:cd:0f");
    free(text);
    expect_bad(dev, "mac", "52:54:00:ab:cd");
    expect_bad(dev, "mac", "52:54:00:ab:cd:ef:01");
    expect_bad(dev, "mac", "zz:54:00:ab:cd:ef");
    expect_bad(dev, "mac", "5:54:00:ab:cd:ef0");
    expect_bad(dev, "mac", "52:54:00:ab:cd:e");
    assert_int_equal(f->uart->mac.a[5], 0x0f);
    assert_null(device_get_prop_str(dev, "nope"));
}

static void test_unknown_property(void **state)
{
    Fixture *f = *state;
    Error *err = NULL;
    assert_int_equal(device_set_prop_str(DEVICE(f->uart), "frobnicate", "1", &err), -1);
    assert_non_null(strstr(error_get_message(err), "frobnicate"));
    error_free(err);
}

static void test_no_change_after_realize(void **state)
{
    Fixture *f = *state;
    Error *err = NULL;
    assert_int_equal(device_realize(f->bridge, NULL), 0);
    assert_int_equal(device_set_prop_str(f->bridge, "x", "1", NULL), -1);
    assert_int_equal(device_realize(DEVICE(f->uart), NULL), 0);
    assert_int_equal(device_set_prop_str(DEVICE(f->uart), "irq", "5", &err), -1);
    assert_non_null(strstr(error_get_message(err), "realized"));
    error_free(err);
    assert_int_equal(f->uart->irq, 4);
}

static Chardev *const fake_chardev = (Chardev *)&fake_chardev;

static void *find_fake_chardev(const char *id)
{
    return !strcmp(id, "ser0") ? (void *)fake_chardev : NULL;
}

static int fake_drive_backend;

static void *find_fake_drive(const char *id)
{
    return !strcmp(id, "hd0") ? &fake_drive_backend : NULL;
}

static void test_backend_references(void **state)
{
    Fixture *f = *state;
    DeviceState *dev = DEVICE(f->uart);
    qdev_set_backend_resolver(PROP_CHARDEV, find_fake_chardev);
    set_ok(dev, "chardev", "ser0");
    assert_ptr_equal(f->uart->chr, fake_chardev);
    assert_string_equal(device_get_prop_id(dev, "chardev"), "ser0");
    expect_bad(dev, "chardev", "nope");
    assert_ptr_equal(f->uart->chr, fake_chardev);
    /* no resolver for netdevs yet: the id is kept for later */
    set_ok(dev, "netdev", "n0");
    assert_null(f->uart->netdev);
    assert_string_equal(device_get_prop_id(dev, "netdev"), "n0");
    qdev_set_backend_resolver(PROP_DRIVE, find_fake_drive);
    set_ok(dev, "drive", "hd0");
    assert_ptr_equal(f->uart->drive, &fake_drive_backend);
    expect_bad(dev, "drive", "hd9");
    set_ok(dev, "chardev", "");
    assert_null(f->uart->chr);
    assert_null(device_get_prop_id(dev, "chardev"));
    assert_null(device_get_prop_id(dev, "irq"));
}

/* --- -device specs ------------------------------------------------------------------- */

static void expect_spec_error(const char *spec, const char *needle1, const char *needle2)
{
    Error *err = NULL;
    assert_null(device_create_from_spec(spec, &err));
    assert_non_null(err);
    if (!strstr(error_get_message(err), needle1) ||
        (needle2 && !strstr(error_get_message(err), needle2))) {
        fail_msg("'%s' gave '%s'", spec, error_get_message(err));
    }
    error_free(err);
}

static void test_device_spec(void **state)
{
    Error *err = NULL;
    DeviceState *dev = device_create_from_spec(
        "test-uart,iobase=0x2e8,irq=3,id=com4,label=a,,b,mac=52:54:00:00:00:01,enabled=off",
        &err);
    TestUart *u = DEVICE_CAST(TestUart, dev);
    assert_null(err);
    assert_non_null(dev);
    assert_true(dev->realized);
    assert_string_equal(dev->id, "com4");
    assert_int_equal(u->iobase, 0x2e8);
    assert_int_equal(u->irq, 3);
    assert_string_equal(u->label, "a,b");
    assert_int_equal(u->mac.a[5], 1);
    assert_false(u->enabled);
    assert_ptr_equal(device_find_by_id("com4"), dev);
    assert_ptr_equal(device_create_from_spec("test-uart,bus=isa.0", NULL)->parent_bus,
                     qbus_find("isa.0"));

    expect_spec_error("test-uart,irq=99", "irq", "99");
    expect_spec_error("test-uart,irq=x1", "irq", "x1");
    expect_spec_error("test-uart,mac=52:54", "mac", "52:54");
    expect_spec_error("test-uart,enabled=perhaps", "enabled", "perhaps");
    expect_spec_error("test-uart,frob=1", "frob", NULL);
    expect_spec_error("nosuch,irq=1", "'nosuch'", NULL);
    expect_spec_error("test-internal", "'test-internal'", NULL);
    expect_spec_error("test-uart,id=com4", "com4", NULL);
    expect_spec_error("test-uart,bus=nosuch", "nosuch", NULL);
    expect_spec_error("test-uart,bus=main-system-bus", "ISA", "main-system-bus");
    expect_spec_error("test-uart,label=fail,id=bad", "failure", "bad");
    expect_spec_error("test-uart,,", "'test-uart,'", NULL);
    expect_spec_error("", "''", NULL);
    assert_null(device_find_by_id("bad"));       /* a failed device is gone */
}

static void test_spec_help(void **state)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_int_equal(device_spec_help("help", out), 1);
    assert_int_equal(device_spec_help("test-uart,help", out), 1);
    assert_int_equal(device_spec_help("test-uart,irq=1", out), 0);
    assert_int_equal(device_spec_help("nosuch,help", out), -1);
    assert_int_equal(device_type_print_properties(out, "nosuch"), -1);
    assert_int_equal(device_type_print_properties(out, "test-bridge"), 0);
    fclose(out);
    assert_non_null(strstr(text, "name \"test-uart\", bus ISA, desc \"a UART for tests\"\n"));
    assert_non_null(strstr(text, "name \"test-bridge\", bus System"));
    assert_null(strstr(text, "test-internal"));
    assert_non_null(strstr(text, "test-uart options:\n"));
    assert_non_null(strstr(text, "  irq=<uint8>"));
    assert_non_null(strstr(text, "(0..15) (default: 4)"));
    assert_non_null(strstr(text, "  mac=<macaddr>"));
    assert_non_null(strstr(text, "a name to show (default: uart)"));
    assert_non_null(strstr(text, "test-bridge options:\n  (none)\n"));
    free(text);
}

/* --- realize and reset order -------------------------------------------------------------- */

static void test_realize_reset_order(void **state)
{
    Fixture *f = *state;
    DeviceState *second, *internal;
    Error *err = NULL;
    f->uart->parent_obj.id = strdup("u1");
    second = device_create("test-uart", NULL, NULL);
    second->id = strdup("u2");
    internal = device_create("test-internal", qdev_system_bus(), NULL);
    assert_non_null(internal);
    assert_null(device_create("test-uart", qdev_system_bus(), &err));
    assert_non_null(strstr(error_get_message(err), "ISA"));
    error_free(err);
    err = NULL;

    device_reset_all();             /* nothing realized: nothing reset */
    assert_string_equal(order, "");
    assert_int_equal(device_realize_all(NULL), 0);
    assert_string_equal(order, "realize:test-bridge realize:u1 realize:u2 "
                               "realize:test-internal ");
    order[0] = '\0';
    f->uart->counter = 9;
    device_reset_all();
    assert_string_equal(order, "reset:test-bridge reset:u1 reset:u2 reset:test-internal ");
    assert_int_equal(f->uart->counter, 0);

    /* destroying the bridge takes its bus and the devices on it */
    device_destroy(f->bridge);
    assert_null(qbus_find("isa.0"));
    assert_null(device_find_by_id("u2"));
    assert_null(qbus_find_by_type(BUS_TYPE_ISA));
    assert_null(device_create("test-uart", NULL, &err));
    assert_non_null(strstr(error_get_message(err), "needs a bus of type ISA"));
    error_free(err);
}

/* --- IRQ lines ------------------------------------------------------------------------- */

static int irq_events[16][2];
static int nr_irq_events;

static void irq_recorder(void *opaque, int n, int level)
{
    int base = *(int *)opaque;
    if (nr_irq_events < 16) {
        irq_events[nr_irq_events][0] = base + n;
        irq_events[nr_irq_events][1] = level;
        nr_irq_events++;
    }
}

static void test_irq_lines(void **state)
{
    int pic_base = 0, ioapic_base = 100;
    IRQ *pic = irq_new_array(irq_recorder, &pic_base, 16);
    IRQ ioapic2 = irq_new(irq_recorder, &ioapic_base, 2);
    IRQ outs[2] = { pic[4], ioapic2 };
    IRQ split = irq_splitter_new(outs, 2);

    nr_irq_events = 0;
    irq_raise(pic[3]);
    irq_lower(pic[3]);
    irq_set(pic[5], 7);         /* any non-zero level is 1 */
    irq_pulse(pic[6]);
    irq_raise(NULL);            /* an unwired line is ignored */
    assert_int_equal(nr_irq_events, 5);
    assert_int_equal(irq_events[0][0], 3);
    assert_int_equal(irq_events[0][1], 1);
    assert_int_equal(irq_events[1][1], 0);
    assert_int_equal(irq_events[2][0], 5);
    assert_int_equal(irq_events[2][1], 1);
    assert_int_equal(irq_events[3][0], 6);
    assert_int_equal(irq_events[3][1], 1);
    assert_int_equal(irq_events[4][0], 6);
    assert_int_equal(irq_events[4][1], 0);

    nr_irq_events = 0;
    irq_raise(split);
    irq_lower(split);
    assert_int_equal(nr_irq_events, 4);
    assert_int_equal(irq_events[0][0], 4);
    assert_int_equal(irq_events[1][0], 102);
    assert_int_equal(irq_events[1][1], 1);
    assert_int_equal(irq_events[3][0], 102);
    assert_int_equal(irq_events[3][1], 0);

    irq_splitter_free(split);
    irq_free(ioapic2);
    irq_free_array(pic, 16);
}

/* --- state save/load -------------------------------------------------------------------- */

static void fill_state(TestUart *u)
{
    for (int i = 0; i < 8; i++) {
        u->regs[i] = (uint8_t)(0xa0 + i);
    }
    u->counter = 0xdeadbeef;
    u->value64 = 0x0123456789abcdefULL;
    u->level = -42;
    u->flag = true;
    u->pairs[0] = 1, u->pairs[1] = 0xffff, u->pairs[2] = 0x1234;
    memcpy(u->fifo, "hello, fifo data", 16);
}

static void test_state_round_trip(void **state)
{
    Fixture *f = *state;
    DeviceState *other = device_create("test-uart", NULL, NULL);
    TestUart *a = f->uart, *b = DEVICE_CAST(TestUart, other);
    size_t len;
    uint8_t *buf;
    Error *err = NULL;

    fill_state(a);
    buf = device_state_save(DEVICE(a), &len);
    assert_int_equal(device_state_load(other, buf, len, &err), 0);
    assert_null(err);
    assert_memory_equal(b->regs, a->regs, 8);
    assert_int_equal(b->counter, 0xdeadbeef);
    assert_true(b->value64 == 0x0123456789abcdefULL);
    assert_int_equal(b->level, -42);
    assert_true(b->flag);
    assert_int_equal(b->pairs[1], 0xffff);
    assert_int_equal(b->pairs[2], 0x1234);
    assert_memory_equal(b->fifo, "hello, fifo data", 16);
    assert_int_equal(b->post_loads, 1);

    /* every truncation fails cleanly */
    for (size_t cut = 0; cut < len; cut++) {
        assert_int_equal(device_state_load(other, buf, cut, NULL), -1);
    }
    /* trailing garbage */
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, buf, len);
    longer[len] = 0;
    assert_int_equal(device_state_load(other, longer, len + 1, &err), -1);
    assert_non_null(strstr(error_get_message(err), "trailing"));
    error_free(err);
    err = NULL;
    free(longer);
    free(buf);
}

static void test_state_mismatch(void **state)
{
    Fixture *f = *state;
    size_t len;
    uint8_t *buf;
    Error *err = NULL;

    fill_state(f->uart);
    /* another type's state */
    buf = device_state_save(f->bridge, &len);
    assert_int_equal(device_state_load(DEVICE(f->uart), buf, len, &err), -1);
    assert_non_null(strstr(error_get_message(err), "test-uart"));
    error_free(err);
    err = NULL;
    free(buf);

    buf = device_state_save(DEVICE(f->uart), &len);
    /* header: "MDEV", u16 9, "test-uart", u32 version */
    assert_int_equal(buf[4 + 2 + 9], 3);
    buf[4 + 2 + 9] = 4;
    assert_int_equal(device_state_load(DEVICE(f->uart), buf, len, &err), -1);
    assert_non_null(strstr(error_get_message(err), "version 4"));
    error_free(err);
    err = NULL;
    buf[4 + 2 + 9] = 3;
    /* first field name "regs" follows the field count */
    size_t field = 4 + 2 + 9 + 4 + 4;
    assert_memory_equal(buf + field + 2, "regs", 4);
    buf[field + 2] = 'R';
    assert_int_equal(device_state_load(DEVICE(f->uart), buf, len, &err), -1);
    assert_non_null(strstr(error_get_message(err), "'regs'"));
    error_free(err);
    err = NULL;
    buf[field + 2] = 'r';
    /* a bool that is neither 0 nor 1 */
    size_t flag = field + 2 + 4 + 4 + 8;                    /* after regs */
    flag += 2 + 7 + 4 + 4;                                  /* counter */
    flag += 2 + 7 + 4 + 8;                                  /* value64 */
    flag += 2 + 5 + 4 + 4;                                  /* level */
    assert_memory_equal(buf + flag + 2, "flag", 4);
    assert_int_equal(buf[flag + 2 + 4 + 4], 1);
    buf[flag + 2 + 4 + 4] = 2;
    assert_int_equal(device_state_load(DEVICE(f->uart), buf, len, &err), -1);
    assert_non_null(strstr(error_get_message(err), "'flag'"));
    error_free(err);
    free(buf);
}

/* Every single-byte corruption either loads or fails cleanly (ASan checks the rest). */
static void test_state_corruption(void **state)
{
    Fixture *f = *state;
    DeviceState *other = device_create("test-uart", NULL, NULL);
    size_t len;
    uint8_t *buf;
    int failures = 0;

    fill_state(f->uart);
    buf = device_state_save(DEVICE(f->uart), &len);
    for (size_t pos = 0; pos < len; pos++) {
        static const uint8_t values[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
        uint8_t saved = buf[pos];
        for (size_t v = 0; v < sizeof(values); v++) {
            Error *err = NULL;
            buf[pos] = values[v];
            if (device_state_load(other, buf, len, &err) < 0) {
                assert_non_null(err);
                failures++;
            }
            error_free(err);
        }
        buf[pos] = saved;
    }
    assert_true(failures > 0);
    assert_int_equal(device_state_load(other, buf, len, NULL), 0);
    free(buf);
}

/* --- info qtree ------------------------------------------------------------------------- */

static void test_qtree(void **state)
{
    Fixture *f = *state;
    char *text = NULL;
    size_t size = 0;
    FILE *out;
    qdev_set_backend_resolver(PROP_CHARDEV, find_fake_chardev);
    f->uart->parent_obj.id = strdup("com1");
    set_ok(DEVICE(f->uart), "chardev", "ser0");
    assert_int_equal(device_realize_all(NULL), 0);
    out = open_memstream(&text, &size);
    qdev_print_tree(out);
    fclose(out);
    assert_non_null(strstr(text,
        "bus: main-system-bus\n"
        "  type System\n"
        "  dev: test-bridge, id \"\"\n"
        "    bus: isa.0\n"
        "      type ISA\n"
        "      dev: test-uart, id \"com1\"\n"
        "        iobase = 1016 (0x3f8)\n"
        "        irq = 4 (0x4)\n"));
    assert_non_null(strstr(text, "        mem = 65536 (64 KiB)\n"));
    assert_non_null(strstr(text, "        offset = -1 (0xffffffff)\n"));
    assert_non_null(strstr(text, "        enabled = true\n"));
    assert_non_null(strstr(text, "        label = \"uart\"\n"));
    assert_non_null(strstr(text, "        mac = \"52:54:00:12:34:56\"\n"));
    assert_non_null(strstr(text, "        chardev = \"ser0\"\n"));
    assert_non_null(strstr(text, "        netdev = \"\"\n"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_defaults),
        T(test_integer_props),
        T(test_size_props),
        T(test_bool_props),
        T(test_string_and_mac_props),
        T(test_unknown_property),
        T(test_no_change_after_realize),
        T(test_backend_references),
        T(test_device_spec),
        T(test_spec_help),
        T(test_realize_reset_order),
        T(test_irq_lines),
        T(test_state_round_trip),
        T(test_state_mismatch),
        T(test_state_corruption),
        T(test_qtree),
        T(test_example_device),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
