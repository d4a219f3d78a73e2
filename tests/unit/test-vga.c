/* Unit tests of the VGA core (hw/display/vga-*.c) and the display core: register file
 * (CRTC port selection, attribute flip-flop, DAC auto-increment, CR11 protection), the
 * memory window (chain-4, odd/even, planar write modes 0-3 and read mode 1), Bochs VBE
 * (id, GETCAPS, modes that do not fit, banks), the renderer (mode 13h pixels through the
 * DAC, text cells with a font in plane 2 and the cursor, VBE 32 bpp) with its dirty
 * tracking (no change: nothing redrawn), screendump files, and random programming. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hw/display/vga.h"
#include "ui/console.h"
#include "util/cutils.h"

#define VRAM (4u << 20)

static VGAState *s;
static MemoryRegion vram_mr;

static int setup(void **state)
{
    s = xzalloc(sizeof(*s));
    memory_region_init_ram(&vram_mr, "vga.vram", VRAM);
    memory_region_set_log(&vram_mr, true);
    s->vram = memory_region_get_ram_ptr(&vram_mr);
    s->vram_mr = &vram_mr;
    vga_core_init(s, VRAM);
    vga_core_reset(s);
    s->con = graphic_console_new("VGA", &vga_hw_ops, s);
    return 0;
}

static int teardown(void **state)
{
    console_destroy(s->con);
    vga_core_free(s);
    memory_region_destroy(&vram_mr);
    free(s);
    return 0;
}

/* ports as offsets from 0x3b0 */
static void out8(unsigned port, unsigned v) { vga_ioport_write(s, port - 0x3b0, v); }
static unsigned in8(unsigned port) { return vga_ioport_read(s, port - 0x3b0); }
static void sr(unsigned i, unsigned v) { out8(0x3c4, i); out8(0x3c5, v); }
static void gr(unsigned i, unsigned v) { out8(0x3ce, i); out8(0x3cf, v); }
static void cr(unsigned i, unsigned v) { out8(0x3d4, i); out8(0x3d5, v); }
static void ar(unsigned i, unsigned v)
{
    in8(0x3da);
    out8(0x3c0, i);
    out8(0x3c0, v);
}
static void vbe(unsigned i, unsigned v) { vbe_write_index(s, i); vbe_write_data(s, v); }

static void test_crtc_follows_misc_output(void **state)
{
    out8(0x3c2, 0x01);                  /* colour: CRTC at 0x3d4 */
    cr(0x0e, 0x12);
    out8(0x3d4, 0x0e);
    assert_int_equal(in8(0x3d5), 0x12);
    assert_int_equal(in8(0x3b5), 0xff); /* the mono ports are off */
    assert_int_equal(in8(0x3cc), 0x01);
    out8(0x3c2, 0x00);
    out8(0x3b4, 0x0e);
    assert_int_equal(in8(0x3b5), 0x12);
    /* CR11 bit 7 protects CR0-7 */
    out8(0x3c2, 0x01);
    cr(0x11, 0x80);
    cr(0x01, 0x4f);
    out8(0x3d4, 0x01);
    assert_int_equal(in8(0x3d5), 0x00);
}

static void test_attribute_flip_flop(void **state)
{
    in8(0x3da);
    out8(0x3c0, 0x05);                  /* index */
    out8(0x3c0, 0x3a);                  /* data */
    out8(0x3c0, 0x06);                  /* index again */
    assert_int_equal(in8(0x3c0), 0x06);
    out8(0x3c0, 0x11);
    in8(0x3da);                         /* reset: the next write is an index */
    out8(0x3c0, 0x25);
    assert_int_equal(in8(0x3c0), 0x25);
    assert_int_equal(in8(0x3c1), 0x3a);
}

static void test_dac_auto_increment(void **state)
{
    out8(0x3c8, 10);
    for (int i = 0; i < 6; i++) {
        out8(0x3c9, i + 1);
    }
    out8(0x3c7, 10);
    assert_int_equal(in8(0x3c7), 3);   /* DAC state: read mode */
    for (int i = 0; i < 6; i++) {
        assert_int_equal(in8(0x3c9), i + 1);
    }
    assert_int_equal(in8(0x3c8), 12);
}

static void test_chain4_and_odd_even(void **state)
{
    sr(4, 0x0e);                        /* chain-4 */
    sr(2, 0x0f);
    gr(6, 0x05);                        /* a0000, 64 KiB, graphics */
    vga_mem_writeb(s, 0x1235, 0x77);
    assert_int_equal(s->vram[4 * 0x1234 + 1], 0x77);   /* plane 1, offset 0x1234 */
    assert_int_equal(vga_mem_readb(s, 0x1235), 0x77);
    sr(4, 0x02);                        /* odd/even */
    sr(2, 0x03);
    gr(6, 0x0e);                        /* b8000, 32 KiB */
    gr(4, 0);
    vga_mem_writeb(s, 0x18000 + 0x20, 'A');
    vga_mem_writeb(s, 0x18000 + 0x21, 0x1f);
    assert_int_equal(s->vram[4 * 0x20], 'A');
    assert_int_equal(s->vram[4 * 0x20 + 1], 0x1f);
    assert_int_equal(s->vram[4 * 0x20 + 2], 0);        /* plane 2 masked off */
    assert_int_equal(vga_mem_readb(s, 0x18021), 0x1f);
    assert_int_equal(vga_mem_readb(s, 0x00000), 0xff); /* outside the b8000 window */
}

static void test_planar_write_modes(void **state)
{
    sr(4, 0x06);                        /* planar */
    sr(2, 0x0f);
    gr(6, 0x05);
    gr(5, 0x00);
    gr(3, 0x00);
    gr(8, 0xff);
    gr(0, 0x05);                        /* set/reset planes 0 and 2 */
    gr(1, 0x0f);                        /* enabled on every plane */
    vga_mem_writeb(s, 0x10, 0x00);
    assert_int_equal(s->vram[4 * 0x10 + 0], 0xff);
    assert_int_equal(s->vram[4 * 0x10 + 1], 0x00);
    assert_int_equal(s->vram[4 * 0x10 + 2], 0xff);
    /* bit mask keeps the latched bits */
    gr(1, 0x00);
    gr(8, 0x0f);
    vga_mem_readb(s, 0x10);             /* load the latches */
    vga_mem_writeb(s, 0x10, 0x00);
    assert_int_equal(s->vram[4 * 0x10 + 0], 0xf0);
    /* write mode 1 copies the latches */
    gr(8, 0xff);
    gr(5, 0x01);
    vga_mem_readb(s, 0x10);
    vga_mem_writeb(s, 0x20, 0x55);
    assert_int_equal(s->vram[4 * 0x20 + 0], 0xf0);
    assert_int_equal(s->vram[4 * 0x20 + 2], 0xf0);
    /* write mode 2: the colour's bits fill the planes; XOR with the latches */
    gr(5, 0x02);
    gr(3, 0x18);
    vga_mem_readb(s, 0x20);
    vga_mem_writeb(s, 0x20, 0x0f);
    assert_int_equal(s->vram[4 * 0x20 + 0], 0x0f);
    assert_int_equal(s->vram[4 * 0x20 + 1], 0xff);
    assert_int_equal(s->vram[4 * 0x20 + 2], 0x0f);
    /* write mode 3: rotated data ANDs the bit mask, set/reset gives the colour */
    gr(3, 0x00);
    gr(5, 0x03);
    gr(0, 0x02);
    vga_mem_readb(s, 0x30);
    vga_mem_writeb(s, 0x30, 0x81);
    assert_int_equal(s->vram[4 * 0x30 + 1], 0x81);
    assert_int_equal(s->vram[4 * 0x30 + 0], 0x00);
    /* read mode 1: colour compare (plane 1 only is set at bits 0 and 7) */
    gr(5, 0x08);
    gr(2, 0x02);
    gr(7, 0x0f);
    assert_int_equal(vga_mem_readb(s, 0x30), 0x81);
    gr(7, 0x00);                        /* nothing matters: every bit matches */
    assert_int_equal(vga_mem_readb(s, 0x30), 0xff);
}

static void test_vbe_registers(void **state)
{
    vbe(VBE_INDEX_ID, VBE_ID0);
    assert_int_equal(vbe_read_data(s), VBE_ID0);
    vbe(VBE_INDEX_ID, 0x1234);
    assert_int_equal(vbe_read_data(s), VBE_ID0);
    vbe(VBE_INDEX_ENABLE, VBE_GETCAPS);
    vbe_write_index(s, VBE_INDEX_XRES);
    assert_int_equal(vbe_read_data(s), VBE_MAX_XRES);
    vbe_write_index(s, VBE_INDEX_VIDEO_MEMORY_64K);
    assert_int_equal(vbe_read_data(s), VRAM >> 16);
    /* a mode larger than video memory is not enabled */
    vbe(VBE_INDEX_ENABLE, 0);
    vbe(VBE_INDEX_XRES, 2560);
    vbe(VBE_INDEX_YRES, 1600);
    vbe(VBE_INDEX_BPP, 32);
    vbe(VBE_INDEX_ENABLE, VBE_ENABLED);
    assert_false(vbe_enabled(s));
    vbe(VBE_INDEX_XRES, 640);
    vbe(VBE_INDEX_YRES, 480);
    vbe(VBE_INDEX_ENABLE, VBE_ENABLED | VBE_LFB_ENABLED);
    assert_true(vbe_enabled(s));
    vbe_write_index(s, VBE_INDEX_VIRT_HEIGHT);
    assert_int_equal(vbe_read_data(s), VRAM / (640 * 4));
    /* the banked window */
    vbe(VBE_INDEX_BANK, 3);
    vga_mem_writeb(s, 0x10, 0x5a);
    assert_int_equal(s->vram[3 * 0x10000 + 0x10], 0x5a);
    vbe(VBE_INDEX_BANK, 0xffff);        /* beyond video memory: bank 0 */
    vbe_write_index(s, VBE_INDEX_BANK);
    assert_int_equal(vbe_read_data(s), 0);
}

/* Mode 13h as the BIOS programs it (the registers that matter to the renderer). */
static void set_mode13(void)
{
    out8(0x3c2, 0x63);
    sr(1, 0x01); sr(2, 0x0f); sr(4, 0x0e);
    gr(5, 0x40); gr(6, 0x05);
    cr(0x11, 0x00);
    cr(0x01, 0x4f); cr(0x07, 0x1f); cr(0x09, 0x41); cr(0x12, 0x8f); cr(0x13, 0x28);
    cr(0x14, 0x40); cr(0x17, 0xa3); cr(0x0c, 0); cr(0x0d, 0);
    for (int i = 0; i < 16; i++) {
        ar(i, i);
    }
    ar(0x10, 0x41);
    ar(0x12, 0x0f);
    ar(0x14, 0x00);
    in8(0x3da);
    out8(0x3c0, 0x20);                  /* palette address source: display on */
    out8(0x3c8, 4);
    out8(0x3c9, 63); out8(0x3c9, 0); out8(0x3c9, 32);
}

static uint32_t pixel(int x, int y)
{
    return surface_row(s->con->surface, y)[x];
}

static void test_render_mode13_and_dirty(void **state)
{
    set_mode13();
    vga_mem_writeb(s, 320 * 10 + 7, 4);
    console_update(s->con, false);
    assert_int_equal(s->con->surface->width, 320);
    assert_int_equal(s->con->surface->height, 200);
    assert_int_equal(pixel(7, 10), 0xff0082);
    assert_int_equal(pixel(8, 10), 0x000000);
    /* nothing written: nothing redrawn */
    s->con->dirty = (Rect){ 0, 0, 0, 0 };
    console_update(s->con, false);
    assert_int_equal(s->con->dirty.w, 0);
    /* one pixel on line 150: only the rows in that page are redrawn */
    vga_mem_writeb(s, 320 * 150 + 1, 4);
    console_update(s->con, false);
    assert_true(s->con->dirty.w == 320 && s->con->dirty.h > 0 && s->con->dirty.h < 20);
    assert_true(s->con->dirty.y <= 150 && s->con->dirty.y + s->con->dirty.h > 150);
    assert_int_equal(pixel(1, 150), 0xff0082);
}

static void set_text_mode(void)
{
    static const uint8_t glyph_a[16] = { 0, 0, 0x10, 0x38, 0x6c, 0xc6, 0xc6, 0xfe, 0xc6, 0xc6,
                                         0xc6, 0xc6, 0, 0, 0, 0 };
    /* font: plane 2, map 0, character 'A' */
    for (int l = 0; l < 16; l++) {
        s->vram[4 * ('A' * 32 + l) + 2] = glyph_a[l];
    }
    out8(0x3c2, 0x67);
    sr(1, 0x00); sr(2, 0x03); sr(3, 0x00); sr(4, 0x02);
    gr(5, 0x10); gr(6, 0x0e);
    cr(0x11, 0x00);
    cr(0x01, 0x4f); cr(0x07, 0x1f); cr(0x09, 0x4f); cr(0x12, 0x8f); cr(0x13, 0x28);
    cr(0x14, 0x1f); cr(0x17, 0xa3); cr(0x0a, 0x0d); cr(0x0b, 0x0e);
    cr(0x0e, 0x00); cr(0x0f, 81);       /* cursor on row 1, column 1 */
    for (int i = 0; i < 16; i++) {
        ar(i, i < 8 ? i : i + 0x30);
    }
    ar(0x10, 0x0c);
    ar(0x12, 0x0f);
    in8(0x3da);
    out8(0x3c0, 0x20);
    out8(0x3c8, 7);
    out8(0x3c9, 42); out8(0x3c9, 42); out8(0x3c9, 42);
    out8(0x3c8, 1);
    out8(0x3c9, 0); out8(0x3c9, 0); out8(0x3c9, 42);
}

static void test_render_text(void **state)
{
    set_text_mode();
    vga_mem_writeb(s, 0x18000 + 2 * 3, 'A');        /* row 0, column 3 */
    vga_mem_writeb(s, 0x18000 + 2 * 3 + 1, 0x17);   /* grey on blue */
    console_update(s->con, true);
    assert_int_equal(s->con->surface->width, 720);
    assert_int_equal(s->con->surface->height, 400);
    /* 'A' line 7 is 0xfe: columns 0-6 foreground, 7 and the 9th background */
    for (int x = 0; x < 9; x++) {
        assert_int_equal(pixel(3 * 9 + x, 7), x < 7 ? 0xaaaaaa : 0x0000aa);
    }
    assert_int_equal(pixel(3 * 9, 0), 0x0000aa);
    TextCell cells[80 * 25];
    int cols, rows, cx, cy;
    assert_true(vga_hw_ops.text_cells(s, cells, 80 * 25, &cols, &rows, &cx, &cy));
    assert_int_equal(cols, 80);
    assert_int_equal(rows, 25);
    assert_int_equal(cells[3].ch, 'A');
    assert_int_equal(cells[3].attr, 0x17);
    assert_int_equal(cx, 1);
    assert_int_equal(cy, 1);
    /* an unchanged screen redraws at most the cursor cell (it blinks) */
    s->con->dirty = (Rect){ 0, 0, 0, 0 };
    console_update(s->con, false);
    assert_true(s->con->dirty.w <= 9 && s->con->dirty.h <= 16);
}

static void test_render_vbe_and_screendump(void **state)
{
    char path[] = "/tmp/test-vga-XXXXXX";
    int fd = mkstemp(path);
    uint8_t head[16];
    FILE *f;

    vbe(VBE_INDEX_XRES, 64);
    vbe(VBE_INDEX_YRES, 32);
    vbe(VBE_INDEX_BPP, 32);
    vbe(VBE_INDEX_ENABLE, VBE_ENABLED | VBE_LFB_ENABLED);
    memcpy(s->vram + (5 * 64 + 9) * 4, (uint8_t[]){ 0x33, 0x22, 0x11, 0xff }, 4);
    console_update(s->con, false);
    assert_int_equal(s->con->surface->width, 64);
    assert_int_equal(pixel(9, 5) & 0xffffff, 0x112233);
    s->con->dirty = (Rect){ 0, 0, 0, 0 };
    console_update(s->con, false);
    assert_int_equal(s->con->dirty.w, 0);           /* nothing written: nothing drawn */
    /* 32 bpp: the surface is video memory itself; a write the dirty log did not see is
     * not reported to the back ends; once logged, only the lines of its page are */
    assert_true(s->con->surface->borrowed);
    memcpy(s->vram + (20 * 64 + 3) * 4, (uint8_t[]){ 0x66, 0x55, 0x44, 0 }, 4);
    console_update(s->con, false);
    assert_int_equal(s->con->dirty.w, 0);
    memory_notify_ram_write(&vram_mr, (20 * 64 + 3) * 4, 4);
    console_update(s->con, false);
    assert_int_equal(pixel(3, 20) & 0xffffff, 0x445566);
    assert_int_equal(s->con->dirty.y, 16);          /* the lines of one 4 KiB page */
    assert_int_equal(s->con->dirty.h, 16);
    /* 16 bpp is converted into a surface of its own, also only on logged pages */
    vbe(VBE_INDEX_ENABLE, 0);
    vbe(VBE_INDEX_BPP, 16);
    vbe(VBE_INDEX_ENABLE, VBE_ENABLED | VBE_LFB_ENABLED);
    console_update(s->con, false);
    assert_false(s->con->surface->borrowed);
    s->vram[(30 * 64 + 1) * 2 + 1] = 0xf8;           /* red 31 */
    memory_notify_ram_write(&vram_mr, (30 * 64 + 1) * 2, 2);
    s->con->dirty = (Rect){ 0, 0, 0, 0 };
    console_update(s->con, false);
    assert_int_equal(pixel(1, 30) & 0xffffff, 0xff0000);
    assert_int_equal(s->con->dirty.y, 0);           /* 16 bpp: 32 lines per page */
    assert_int_equal(s->con->dirty.h, 32);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(screendump_write(s->con, path, false, NULL), 0);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(head, 1, 9, f), 9);
    assert_memory_equal(head, "P6\n64 32\n", 9);
    fclose(f);
    assert_int_equal(screendump_write(s->con, path, true, NULL), 0);
    f = fopen(path, "rb");
    assert_int_equal(fread(head, 1, 16, f), 16);
    assert_memory_equal(head, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
    fclose(f);
    unlink(path);
}

static void test_random_programming(void **state)
{
    srand(12345);
    for (int round = 0; round < 300; round++) {
        for (int i = 0; i < 200; i++) {
            unsigned r = rand();
            switch (r % 5) {
            case 0: vga_ioport_write(s, rand() % 0x30, rand()); break;
            case 1: vga_ioport_read(s, rand() % 0x30); break;
            case 2: vga_mem_writeb(s, rand() % 0x20000, rand()); break;
            case 3: vga_mem_readb(s, rand() % 0x20000); break;
            default:
                vbe_write_index(s, rand() % 12);
                vbe_write_data(s, rand() % 3 ? rand() % 2048 : rand());
                break;
            }
        }
        console_update(s->con, round % 7 == 0);
    }
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_crtc_follows_misc_output),
        T(test_attribute_flip_flop),
        T(test_dac_auto_increment),
        T(test_chain4_and_odd_even),
        T(test_planar_write_modes),
        T(test_vbe_registers),
        T(test_render_mode13_and_dirty),
        T(test_render_text),
        T(test_render_vbe_and_screendump),
        T(test_random_programming),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
