/* The VGA renderer: works out the mode from the registers (IBM VGA Technical Reference:
 * CRTC horizontal display end, vertical display end, offset, start address, byte/word/
 * doubleword addressing, maximum scan line; graphics controller shift mode; attribute
 * controller palette) and draws it into the console's surface. Planar and 256-colour
 * lines are redrawn when a page of video memory under them was written (through the
 * window, or by the CPU as video memory's dirty log says); so are VBE lines, and a
 * 32 bpp VBE mode is shown in place (the surface is video memory). Nothing changed =
 * nothing drawn, nothing sent on. */
#include <string.h>
#include <stdlib.h>
#include "hw/display/vga-internal.h"
#include "util/cutils.h"

uint32_t vga_dac_color(VGAState *s, unsigned idx)
{
    const uint8_t *p = &s->palette[(idx & s->dac_mask & 0xff) * 3];

    if (vbe_enabled(s) && (s->vbe_regs[VBE_INDEX_ENABLE] & VBE_8BIT_DAC)) {
        return (uint32_t)p[0] << 16 | p[1] << 8 | p[2];
    }
    uint8_t r = (p[0] & 0x3f) << 2 | (p[0] & 0x3f) >> 4;
    uint8_t g = (p[1] & 0x3f) << 2 | (p[1] & 0x3f) >> 4;
    uint8_t b = (p[2] & 0x3f) << 2 | (p[2] & 0x3f) >> 4;
    return (uint32_t)r << 16 | g << 8 | b;
}

/* Attribute palette entry -> DAC index: AR10 bit 7 takes bits 4-5 from the colour
 * select register, whose bits 2-3 always give bits 6-7. */
uint32_t vga_attr_color(VGAState *s, unsigned v)
{
    unsigned pal = s->ar[v & 0x0f], idx;

    if (s->ar[0x10] & 0x80) {
        idx = (pal & 0x0f) | ((s->ar[0x14] & 0x03) << 4);
    } else {
        idx = pal & 0x3f;
    }
    return vga_dac_color(s, idx | ((s->ar[0x14] & 0x0c) << 4));
}

static int vga_draw_kind(VGAState *s)
{
    if (vbe_enabled(s)) {
        return VGA_DRAW_VBE;
    }
    if (!(s->ar_index & 0x20) || (s->sr[1] & 0x20)) {
        return VGA_DRAW_BLANK;          /* palette address source off, or screen off */
    }
    if (!(s->gr[6] & 1)) {
        return VGA_DRAW_TEXT;
    }
    return ((s->gr[5] >> 5) & 3) >= 2 ? VGA_DRAW_256 : VGA_DRAW_PLANAR;
}

static void vbe_mode_key(VGAState *s, VGAModeKey *k)
{
    const uint16_t *r = s->vbe_regs;
    unsigned bpp = r[VBE_INDEX_BPP], bytes = bpp == 15 ? 2 : (bpp + 7) / 8;

    k->width = r[VBE_INDEX_XRES];
    k->height = r[VBE_INDEX_YRES];
    k->bpp = bpp;
    k->line_offset = (uint32_t)r[VBE_INDEX_VIRT_WIDTH] * bytes;
    k->start = r[VBE_INDEX_Y_OFFSET] * k->line_offset + r[VBE_INDEX_X_OFFSET] * bytes;
}

void vga_mode_key(VGAState *s, VGAModeKey *k)
{
    int vde = s->cr[0x12] | ((s->cr[7] & 0x02) << 7) | ((s->cr[7] & 0x40) << 3);
    int cols = s->cr[1] + 1, lines = vde + 1;

    memset(k, 0, sizeof(*k));
    k->kind = vga_draw_kind(s);
    if (k->kind == VGA_DRAW_VBE) {
        vbe_mode_key(s, k);
        return;
    }
    k->start = (s->cr[0x0c] << 8) | s->cr[0x0d];
    k->line_offset = 2 * s->cr[0x13];
    k->shift = (s->cr[0x14] & 0x40) ? 2 : (s->cr[0x17] & 0x40) ? 0 : 1;
    if (k->kind == VGA_DRAW_TEXT) {
        k->char_w = (s->sr[1] & 1) ? 8 : 9;
        k->char_h = (s->cr[9] & 0x1f) + 1;
        k->cols = MIN(cols, VGA_TEXT_MAX_COLS);
        k->rows = MIN(lines / (k->char_h << (s->cr[9] >> 7)), VGA_TEXT_MAX_ROWS);
        k->width = k->cols * k->char_w;
        k->height = k->rows * k->char_h;
        return;
    }
    k->rows = lines / (((s->cr[9] & 0x1f) + 1) << (s->cr[9] >> 7));
    k->height = k->rows;
    k->width = k->kind == VGA_DRAW_256 ? cols * 4 : cols * 8;
    k->cols = cols;
}

/* ---- planar and 256-colour graphics --------------------------------------------------- */

static bool pages_dirty(VGAState *s, uint32_t from, uint32_t to)
{
    for (uint32_t p = from >> VGA_PAGE_BITS; p <= (to - 1) >> VGA_PAGE_BITS; p++) {
        if (s->dirty[p]) {
            return true;
        }
    }
    return false;
}

/* Is any plane byte of this row's character clocks dirty? */
static bool row_dirty(VGAState *s, const VGAModeKey *k, uint32_t ma)
{
    uint32_t first = (ma << k->shift) & (VGA_PLANE_SIZE - 1);
    uint32_t last = ((ma + k->cols - 1) << k->shift) & (VGA_PLANE_SIZE - 1);

    if (last < first) {                 /* wraps around the planes */
        return pages_dirty(s, 4 * first, 4 * VGA_PLANE_SIZE) || pages_dirty(s, 0, 4 * last + 4);
    }
    return pages_dirty(s, 4 * first, 4 * last + 4);
}

static void draw_planar_row(VGAState *s, const VGAModeKey *k, uint32_t ma, uint32_t *dst,
                            const uint32_t *pal)
{
    for (int c = 0; c < k->cols; c++) {
        uint32_t po = (ma + c) << k->shift;
        uint8_t p0 = vga_plane_byte(s, po, 0), p1 = vga_plane_byte(s, po, 1);
        uint8_t p2 = vga_plane_byte(s, po, 2), p3 = vga_plane_byte(s, po, 3);
        for (int b = 7; b >= 0; b--) {
            unsigned v = (p0 >> b & 1) | (p1 >> b & 1) << 1 | (p2 >> b & 1) << 2 |
                         (p3 >> b & 1) << 3;
            *dst++ = pal[v & s->ar[0x12] & 0x0f];
        }
    }
}

static void draw_256_row(VGAState *s, const VGAModeKey *k, uint32_t ma, uint32_t *dst,
                         const uint32_t *pal)
{
    for (int c = 0; c < k->cols; c++) {
        uint32_t po = (ma + c) << k->shift;
        for (int p = 0; p < 4; p++) {
            *dst++ = pal[vga_plane_byte(s, po, p)];
        }
    }
}

static void vga_draw_graphic(VGAState *s, const VGAModeKey *k, bool full)
{
    DisplaySurface *surf = s->con->surface;
    uint32_t pal[256];
    int y0 = -1;

    for (int i = 0; i < 256; i++) {
        pal[i] = k->kind == VGA_DRAW_256 ? vga_dac_color(s, i) : vga_attr_color(s, i & 15);
    }
    for (int y = 0; y <= k->height; y++) {
        uint32_t ma = k->start + (uint32_t)y * k->line_offset;
        if (y < k->height && (full || row_dirty(s, k, ma))) {
            if (k->kind == VGA_DRAW_256) {
                draw_256_row(s, k, ma, surface_row(surf, y), pal);
            } else {
                draw_planar_row(s, k, ma, surface_row(surf, y), pal);
            }
            y0 = y0 < 0 ? y : y0;
        } else if (y0 >= 0) {
            console_dirty(s->con, 0, y0, k->width, y - y0);
            y0 = -1;
        }
    }
}

/* ---- VBE linear framebuffer ----------------------------------------------------------- */

static void vbe_convert_row(VGAState *s, const VGAModeKey *k, const uint8_t *src,
                            uint32_t *dst)
{
    for (int x = 0; x < k->width; x++) {
        switch (k->bpp) {
        case 8: dst[x] = vga_dac_color(s, src[x]); break;
        case 15: {
            unsigned v = src[2 * x] | src[2 * x + 1] << 8;
            dst[x] = ((v >> 10 & 0x1f) * 255 / 31) << 16 | ((v >> 5 & 0x1f) * 255 / 31) << 8 |
                     (v & 0x1f) * 255 / 31;
            break;
        }
        case 16: {
            unsigned v = src[2 * x] | src[2 * x + 1] << 8;
            dst[x] = ((v >> 11) * 255 / 31) << 16 | ((v >> 5 & 0x3f) * 255 / 63) << 8 |
                     (v & 0x1f) * 255 / 31;
            break;
        }
        case 24: dst[x] = src[3 * x + 2] << 16 | src[3 * x + 1] << 8 | src[3 * x]; break;
        default: memcpy(&dst[x], &src[4 * x], 4); break;
        }
    }
}

/* Whether a page under video memory bytes [at, at + len) was written since the last
 * refresh (the soft MMU's dirty log, synced into s->dirty, or the window's marks). */
static bool vram_range_dirty(VGAState *s, uint64_t at, size_t len)
{
    for (uint64_t p = at >> VGA_PAGE_BITS; p <= (at + len - 1) >> VGA_PAGE_BITS; p++) {
        if (s->dirty[p]) {
            return true;
        }
    }
    return false;
}

/* Only the lines on written pages are converted (32 bpp: copied) into the surface. */
static void vbe_draw(VGAState *s, const VGAModeKey *k, bool full)
{
    unsigned bytes = k->bpp == 15 ? 2 : k->bpp / 8;
    size_t row = (size_t)k->width * bytes;
    int y0 = -1;

    for (int y = 0; y <= k->height; y++) {
        uint64_t at = k->start + (uint64_t)y * k->line_offset;
        bool changed = y < k->height && at + row <= s->vram_size &&
                       (full || vram_range_dirty(s, at, row));
        if (changed && !s->con->surface->borrowed) {
            uint32_t *dst = surface_row(s->con->surface, y);
            if (k->bpp == 32) {
                memcpy(dst, s->vram + at, row);
            } else {
                vbe_convert_row(s, k, s->vram + at, dst);
            }
        }
        if (changed) {
            y0 = y0 < 0 ? y : y0;
        } else if (y0 >= 0) {
            console_dirty(s->con, 0, y0, k->width, y - y0);
            y0 = -1;
        }
    }
}

/* ---- the update entry point ------------------------------------------------------------- */

static void vga_draw_blank(VGAState *s, bool full)
{
    DisplaySurface *surf = s->con->surface;

    if (surf->borrowed) {       /* never clear the guest's video memory */
        console_resize(s->con, surf->width, surf->height);
        surf = s->con->surface;
        full = true;
    }
    if (full) {
        memset(surf->data, 0, (size_t)surf->stride * surf->height * 4);
        console_dirty(s->con, 0, 0, surf->width, surf->height);
    }
}

/* A 32 bpp VBE mode whose lines lie in video memory (32-bit aligned) is shown in place:
 * the surface is a view of video memory, and drawing only marks the written lines. */
static bool vbe_shared(VGAState *s, const VGAModeKey *k)
{
    return k->kind == VGA_DRAW_VBE && k->bpp == 32 && !(k->start & 3) &&
           !(k->line_offset & 3) && k->line_offset >= (uint32_t)k->width * 4 &&
           k->start + (uint64_t)k->line_offset * k->height <= s->vram_size;
}

static int vga_resize(VGAState *s, const VGAModeKey *k)
{
    if (vbe_shared(s, k)) {
        return console_resize_shared(s->con, k->width, k->height,
                                     (uint32_t *)(s->vram + k->start), k->line_offset / 4);
    }
    return console_resize(s->con, k->width, k->height);
}

static void vga_update(void *opaque)
{
    VGAState *s = opaque;
    VGAModeKey k;
    bool full;

    if (s->vram_mr) {
        memory_region_sync_dirty(s->vram_mr, s->dirty);
    }
    vga_mode_key(s, &k);
    full = s->full_update || s->palette_dirty || memcmp(&k, &s->last, sizeof(k)) != 0;
    if (k.kind != VGA_DRAW_BLANK && (k.width < 1 || k.height < 1 || vga_resize(s, &k) < 0)) {
        k.kind = VGA_DRAW_BLANK;        /* a size the surface cannot have: shown blank */
    }
    switch (k.kind) {
    case VGA_DRAW_TEXT: vga_draw_text(s, &k, full); break;
    case VGA_DRAW_PLANAR: case VGA_DRAW_256: vga_draw_graphic(s, &k, full); break;
    case VGA_DRAW_VBE: vbe_draw(s, &k, full); break;
    default: vga_draw_blank(s, full); break;
    }
    memset(s->dirty, 0, s->vram_size >> VGA_PAGE_BITS);
    s->full_update = s->palette_dirty = false;
    s->last = k;
}

static void vga_invalidate(void *opaque)
{
    VGAState *s = opaque;

    s->full_update = true;
}

const GraphicHwOps vga_hw_ops = {
    .update = vga_update,
    .invalidate = vga_invalidate,
    .text_cells = vga_text_cells,
};
