/* Unit tests of virtio-blk on the virtio-mmio transport, driven through the MMIO registers
 * as Linux's virtio_mmio does, on a raw image opened as a -drive: identification and
 * feature negotiation, the configuration space, read/write/flush/get-id/discard/
 * write-zeroes through the asynchronous block layer, errors (beyond the disk, partial
 * sectors, unknown types, read-only drives), a request without header breaking the
 * device, a reset while a request is in flight, and the bus/drive rules of -device. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-mmio.h"
#include "system/drive.h"
#include "util/cutils.h"
#include "block-test-util.h"
#include "pc-test-util.h"

#define BASE 0x10000000u
#define BASE2 (BASE + VIRTIO_MMIO_SIZE)
#define IRQ_LINE 5
#define DESC 0x1000u
#define AVAIL 0x2000u
#define USED 0x3000u
#define HDR 0x20000u
#define DATA 0x21000u
#define STATUS 0x30000u
#define QSIZE 16
#define DISK_SECTORS 2048
#define SERIAL "mimic-serial-0123456789"    /* longer than 20: truncated */

static char *raw_path, *ro_path;
static DriveInfo *drive, *ro_drive;
static VirtIOMMIO *t1, *t2;
static uint16_t avail_idx, used_seen;

static uint32_t reg(uint32_t base, unsigned off) { return (uint32_t)mmio_read(base + off, 4); }
static void wreg(uint32_t base, unsigned off, uint32_t v) { mmio_write(base + off, 4, v); }

static void fill_sector(uint8_t *buf, unsigned sector)
{
    for (unsigned i = 0; i < 512; i++) {
        buf[i] = (uint8_t)(sector * 7 + i);
    }
}

static char *make_image(const char *name)
{
    uint8_t *img = malloc(DISK_SECTORS * 512);
    for (unsigned s = 0; s < DISK_SECTORS; s++) {
        fill_sector(img + s * 512, s);
    }
    char *path = block_test_write_file(name, img, DISK_SECTORS * 512);
    free(img);
    return path;
}

static DriveInfo *open_drive(const char *id, const char *path, bool ro)
{
    Error *err = NULL;
    char *spec = xasprintf("file=%s,format=raw,if=none,id=%s%s", path, id,
                           ro ? ",readonly=on" : "");
    DriveInfo *d = drive_new(spec, false, NULL, &err);
    free(spec);
    assert_non_null(d);
    return d;
}

static DeviceState *plug_blk(const char *drive_id, const char *serial, Error **errp)
{
    DeviceState *dev = device_create(virtio_blk_device_type.name, NULL, errp);
    if (!dev) {
        return NULL;
    }
    if (device_set_prop_str(dev, "drive", drive_id, errp) < 0 ||
        (serial && device_set_prop_str(dev, "serial", serial, errp) < 0) ||
        device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return dev;
}

static int setup(void **state)
{
    Error *err = NULL;
    pc_test_env_init(1 << 20);
    block_test_tmpdir_create("mimic-vblk");
    raw_path = make_image("disk.raw");
    ro_path = make_image("ro.raw");
    drive = open_drive("d0", raw_path, false);
    ro_drive = open_drive("r0", ro_path, true);
    /* two transports; devices plug into the first created with room */
    t1 = virtio_mmio_create(BASE, 0, pc_env.lines[IRQ_LINE], &pc_env.as_mem, &err);
    t2 = virtio_mmio_create(BASE2, 1, pc_env.lines[IRQ_LINE + 1], &pc_env.as_mem, &err);
    assert_non_null(t1);
    assert_non_null(t2);
    assert_non_null(plug_blk("d0", SERIAL, &err));
    avail_idx = used_seen = 0;
    return 0;
}

static int teardown(void **state)
{
    block_aio_wait_all();
    qdev_set_backend_resolver(PROP_DRIVE, NULL);
    pc_test_env_fini();                     /* destroys the devices first */
    drive_close_all();
    free(raw_path);
    free(ro_path);
    return block_test_tmpdir_remove(0);
}

/* The driver's start-up, as Linux's virtio_mmio + virtio_blk. */
static void driver_init(uint32_t base, uint64_t features)
{
    wreg(base, 0x70, 0);
    wreg(base, 0x70, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    wreg(base, 0x24, 0);
    wreg(base, 0x20, (uint32_t)features);
    wreg(base, 0x24, 1);
    wreg(base, 0x20, (uint32_t)(features >> 32));
    wreg(base, 0x70, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
         VIRTIO_CONFIG_S_FEATURES_OK);
    assert_true(reg(base, 0x70) & VIRTIO_CONFIG_S_FEATURES_OK);
    wreg(base, 0x30, 0);
    assert_int_equal(reg(base, 0x34), 256);
    wreg(base, 0x38, QSIZE);
    wreg(base, 0x80, DESC);
    wreg(base, 0x84, 0);
    wreg(base, 0x90, AVAIL);
    wreg(base, 0x94, 0);
    wreg(base, 0xa0, USED);
    wreg(base, 0xa4, 0);
    wreg(base, 0x44, 1);
    wreg(base, 0x70, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
         VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
    avail_idx = used_seen = 0;
}

static const uint64_t std_features = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_BLK_F_FLUSH) |
                                     (1ull << VIRTIO_BLK_F_DISCARD) |
                                     (1ull << VIRTIO_BLK_F_WRITE_ZEROES);

static void put_desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    mmio_write(DESC + 16 * i, 8, addr);
    mmio_write(DESC + 16 * i + 8, 4, len);
    mmio_write(DESC + 16 * i + 12, 2, flags);
    mmio_write(DESC + 16 * i + 14, 2, next);
}

/* Submits header + optional data (out or in) + status and waits for the completion;
 * returns the status byte (0xee if the request was not completed). */
static uint8_t submit(uint32_t base, uint32_t type, uint64_t sector, uint32_t data_len,
                      bool data_in, uint32_t *used_len)
{
    mmio_write(HDR, 4, type);
    mmio_write(HDR + 4, 4, 0);
    mmio_write(HDR + 8, 8, sector);
    mmio_write(STATUS, 1, 0xee);
    put_desc(0, HDR, 16, 1, 1);
    if (data_len) {
        put_desc(1, DATA, data_len, 1 | (data_in ? 2 : 0), 2);
    } else {
        put_desc(1, STATUS, 1, 2, 0);
    }
    put_desc(2, STATUS, 1, 2, 0);
    mmio_write(AVAIL + 4 + 2 * (avail_idx % QSIZE), 2, 0);
    mmio_write(AVAIL + 2, 2, ++avail_idx);
    wreg(base, 0x50, 0);
    block_aio_wait_all();
    uint16_t used_idx = (uint16_t)mmio_read(USED + 2, 2);
    if (used_idx != used_seen) {
        *used_len = (uint32_t)mmio_read(USED + 4 + 8 * (used_seen % QSIZE) + 4, 4);
        used_seen = used_idx;
    }
    return (uint8_t)mmio_read(STATUS, 1);
}

static void test_identity_and_config(void **state)
{
    assert_int_equal(reg(BASE, 0x00), VIRTIO_MMIO_MAGIC);
    assert_int_equal(reg(BASE, 0x04), 2);
    assert_int_equal(reg(BASE, 0x08), VIRTIO_ID_BLOCK);
    assert_int_equal(reg(BASE, 0x0c), VIRTIO_MMIO_VENDOR);
    assert_int_equal(reg(BASE2, 0x08), 0);              /* nothing plugged there */
    wreg(BASE, 0x14, 0);
    uint32_t f0 = reg(BASE, 0x10);
    wreg(BASE, 0x14, 1);
    uint32_t f1 = reg(BASE, 0x10);
    assert_true(f1 & 1);                                /* VERSION_1 */
    assert_true(f0 & (1u << VIRTIO_BLK_F_FLUSH));
    assert_true(f0 & (1u << VIRTIO_BLK_F_SEG_MAX));
    assert_true(f0 & (1u << VIRTIO_RING_F_INDIRECT_DESC));
    assert_false(f0 & (1u << VIRTIO_BLK_F_RO));
    assert_int_equal(mmio_read(BASE + 0x100, 4), DISK_SECTORS);     /* capacity, low */
    assert_int_equal(mmio_read(BASE + 0x104, 4), 0);
    assert_int_equal(mmio_read(BASE + 0x100 + 12, 4), 254);         /* seg_max */
    assert_int_equal(mmio_read(BASE + 0x100 + 20, 4), 512);         /* blk_size */
    assert_int_equal(mmio_read(BASE + 0x100 + 40, 4), 1);           /* max_discard_seg */
    assert_int_equal(mmio_read(BASE + 0x100, 1), DISK_SECTORS & 0xff);
    assert_int_equal(mmio_read(BASE + 0x100 + 60, 4), 0);           /* past the end */
    /* sub-word register access is refused, the register keeps its value */
    assert_int_equal(mmio_read(BASE + 0x70, 2), 0);
}

static void test_read_write_flush(void **state)
{
    uint8_t buf[1024], want[1024];
    uint32_t len = 0;
    driver_init(BASE, std_features);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_IN, 3, 1024, true, &len), VIRTIO_BLK_S_OK);
    assert_int_equal(len, 1025);
    address_space_read(&pc_env.as_mem, DATA, buf, 1024);
    fill_sector(want, 3);
    fill_sector(want + 512, 4);
    assert_memory_equal(buf, want, 1024);
    assert_int_equal(pc_env.level[IRQ_LINE], 1);
    assert_int_equal(reg(BASE, 0x60), VIRTIO_ISR_QUEUE);
    wreg(BASE, 0x64, VIRTIO_ISR_QUEUE);
    assert_int_equal(pc_env.level[IRQ_LINE], 0);
    memset(buf, 0xab, 512);
    address_space_write(&pc_env.as_mem, DATA, buf, 512);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_OUT, 100, 512, false, &len), VIRTIO_BLK_S_OK);
    assert_int_equal(len, 1);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_FLUSH, 0, 0, false, &len), VIRTIO_BLK_S_OK);
    assert_int_equal(block_pread(drive->bs, 100 * 512, want, 512), 0);
    assert_memory_equal(want, buf, 512);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_GET_ID, 0, 20, true, &len), VIRTIO_BLK_S_OK);
    address_space_read(&pc_env.as_mem, DATA, buf, 20);
    assert_memory_equal(buf, SERIAL, 20);
    assert_int_equal(len, 21);
}

static void test_errors(void **state)
{
    uint32_t len = 0;
    driver_init(BASE, std_features);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_IN, DISK_SECTORS - 1, 1024, true, &len),
                     VIRTIO_BLK_S_IOERR);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_IN, UINT64_MAX, 512, true, &len),
                     VIRTIO_BLK_S_IOERR);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_OUT, 0, 100, false, &len), VIRTIO_BLK_S_IOERR);
    assert_int_equal(submit(BASE, 99, 0, 0, false, &len), VIRTIO_BLK_S_UNSUPP);
    assert_int_equal(len, 1);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_IN, DISK_SECTORS - 2, 1024, true, &len),
                     VIRTIO_BLK_S_OK);                  /* the last two sectors */
}

static void test_discard_and_zeroes(void **state)
{
    uint8_t seg[16] = { 0 }, buf[512], zero[512] = { 0 };
    uint32_t len = 0;
    driver_init(BASE, std_features);
    seg[0] = 10;                                        /* sector 10 */
    seg[8] = 2;                                         /* 2 sectors */
    address_space_write(&pc_env.as_mem, DATA, seg, 16);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false, &len),
                     VIRTIO_BLK_S_OK);
    assert_int_equal(block_pread(drive->bs, 11 * 512, buf, 512), 0);
    assert_memory_equal(buf, zero, 512);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_DISCARD, 0, 16, false, &len), VIRTIO_BLK_S_OK);
    seg[12] = 1;                                        /* UNMAP is for zeroes only */
    address_space_write(&pc_env.as_mem, DATA, seg, 16);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_DISCARD, 0, 16, false, &len),
                     VIRTIO_BLK_S_UNSUPP);
    seg[12] = 0;
    seg[9] = 0x10;                                      /* past the end of the disk */
    address_space_write(&pc_env.as_mem, DATA, seg, 16);
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false, &len),
                     VIRTIO_BLK_S_IOERR);
}

static void test_read_only_drive(void **state)
{
    Error *err = NULL;
    uint32_t len = 0;
    assert_non_null(plug_blk("r0", NULL, &err));       /* lands on the second transport */
    assert_int_equal(reg(BASE2, 0x08), VIRTIO_ID_BLOCK);
    wreg(BASE2, 0x14, 0);
    assert_true(reg(BASE2, 0x10) & (1u << VIRTIO_BLK_F_RO));
    assert_false(reg(BASE2, 0x10) & (1u << VIRTIO_BLK_F_DISCARD));
    driver_init(BASE2, (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_BLK_F_RO));
    assert_int_equal(submit(BASE2, VIRTIO_BLK_T_OUT, 0, 512, false, &len), VIRTIO_BLK_S_IOERR);
    assert_int_equal(submit(BASE2, VIRTIO_BLK_T_IN, 0, 512, true, &len), VIRTIO_BLK_S_OK);
    assert_int_equal(submit(BASE2, VIRTIO_BLK_T_GET_ID, 0, 20, true, &len), VIRTIO_BLK_S_OK);
    assert_int_equal(len, 2);                           /* no serial: just the NUL */
}

static void test_device_rules(void **state)
{
    Error *err = NULL;
    /* the drive serves one device */
    assert_null(plug_blk("d0", NULL, &err));
    assert_non_null(strstr(error_get_message(err), "already in use"));
    error_free(err);
    err = NULL;
    assert_non_null(plug_blk("r0", NULL, &err));
    /* both transports are taken now */
    assert_null(plug_blk("r0", NULL, &err));
    error_free(err);
    err = NULL;
    DeviceState *dev = device_create(virtio_blk_device_type.name, qbus_find("virtio-mmio-bus.0"), &err);
    assert_null(dev);
    assert_non_null(strstr(error_get_message(err), "is full"));
    error_free(err);
}

static void test_bad_queue_size(void **state)
{
    Error *err = NULL;
    DeviceState *dev = device_create(virtio_blk_device_type.name, qbus_find("virtio-mmio-bus.1"), &err);
    assert_non_null(dev);
    assert_int_equal(device_set_prop_str(dev, "drive", "r0", &err), 0);
    assert_int_equal(device_set_prop_str(dev, "queue-size", "100", &err), 0);
    assert_int_equal(device_realize(dev, &err), -1);
    assert_non_null(strstr(error_get_message(err), "power of two"));
    error_free(err);
    device_destroy(dev);
}

static void test_missing_header_breaks_device(void **state)
{
    driver_init(BASE, std_features);
    put_desc(0, HDR, 8, 1, 1);                          /* 8 bytes: no full header */
    put_desc(1, STATUS, 1, 2, 0);
    mmio_write(AVAIL + 4, 2, 0);
    mmio_write(AVAIL + 2, 2, 1);
    wreg(BASE, 0x50, 0);
    assert_true(reg(BASE, 0x70) & VIRTIO_CONFIG_S_NEEDS_RESET);
    assert_true(reg(BASE, 0x60) & VIRTIO_ISR_CONFIG);
    driver_init(BASE, std_features);                    /* a reset recovers */
    uint32_t len = 0;
    assert_int_equal(submit(BASE, VIRTIO_BLK_T_FLUSH, 0, 0, false, &len), VIRTIO_BLK_S_OK);
}

static void test_reset_with_request_in_flight(void **state)
{
    driver_init(BASE, std_features);
    mmio_write(HDR, 4, VIRTIO_BLK_T_IN);
    mmio_write(HDR + 8, 8, 0);
    mmio_write(STATUS, 1, 0xee);
    put_desc(0, HDR, 16, 1, 1);
    put_desc(1, DATA, 4096, 3, 2);
    put_desc(2, STATUS, 1, 2, 0);
    mmio_write(DATA, 4, 0x55555555);
    mmio_write(AVAIL + 4, 2, 0);
    mmio_write(AVAIL + 2, 2, 1);
    wreg(BASE, 0x50, 0);
    wreg(BASE, 0x70, 0);                                /* reset before it completes */
    block_aio_wait_all();
    assert_int_equal(mmio_read(USED + 2, 2), 0);
    assert_int_equal(mmio_read(STATUS, 1), 0xee);
    assert_int_equal(mmio_read(DATA, 4), 0x55555555);  /* no late DMA into the guest */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_identity_and_config), T(test_read_write_flush), T(test_errors),
        T(test_discard_and_zeroes), T(test_read_only_drive), T(test_device_rules),
        T(test_bad_queue_size), T(test_missing_header_breaks_device),
        T(test_reset_with_request_in_flight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
