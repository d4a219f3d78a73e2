/* VGA text modes (IBM VGA Technical Reference: alphanumeric modes): character/attribute
 * pairs in planes 0 and 1, glyphs from the character maps in plane 2 that the VGA BIOS
 * loaded (SR3 selects maps A and B; attribute bit 3 picks between them when they differ),
 * 8 or 9 dot cells (line graphics 0xc0-0xdf repeat their 8th column with AR10 bit 2),
 * blinking (AR10 bit 3) and the CRTC cursor. Only cells whose character, attribute, cursor
 * or blink state changed are drawn again; a changed font redraws everything. */
#include <stdlib.h>
#include <string.h>
#include "hw/display/vga-internal.h"
#include "system/timer.h"
#include "util/cutils.h"

#define GLYPH_BYTES 32
#define BLINK_NS (266 * NS_PER_MS)      /* 16 frames at 60 Hz, as the hardware blinks */

/* Plane 2 offset of character map m (0-7). */
static uint32_t font_map_offset(unsigned m)
{
    return (m & 3) * 0x4000 + (m >> 2) * 0x2000;
}

static void font_maps(VGAState *s, unsigned *a, unsigned *b)
{
    uint8_t sr3 = s->sr[3];

    *a = ((sr3 >> 2) & 3) | ((sr3 >> 3) & 4);
    *b = (sr3 & 3) | ((sr3 >> 2) & 4);
}

/* Copies the glyphs of maps A and B out of plane 2; true if they differ from last time. */
static bool font_fetch(VGAState *s, uint8_t glyphs[2][256 * GLYPH_BYTES],
                       uint8_t cache[2][256 * GLYPH_BYTES])
{
    unsigned maps[2];

    font_maps(s, &maps[0], &maps[1]);
    for (int m = 0; m < 2; m++) {
        uint32_t base = font_map_offset(maps[m]);
        for (int i = 0; i < 256 * GLYPH_BYTES; i++) {
            glyphs[m][i] = vga_plane_byte(s, base + i, 2);
        }
    }
    if (memcmp(glyphs, cache, 2 * 256 * GLYPH_BYTES)) {
        memcpy(cache, glyphs, 2 * 256 * GLYPH_BYTES);
        return true;
    }
    return false;
}

/* The cursor cell index, or -1 when it is off or in the off phase of its blink. */
static int cursor_cell(VGAState *s, const VGAModeKey *k, bool phase)
{
    int pos = ((s->cr[0x0e] << 8) | s->cr[0x0f]) - (int)k->start;

    if ((s->cr[0x0a] & 0x20) || !phase || pos < 0 || pos >= k->cols * k->rows) {
        return -1;
    }
    return pos;
}

typedef struct TextDraw {
    const VGAModeKey *k;
    uint8_t (*glyphs)[256 * GLYPH_BYTES];
    uint32_t pal[16];
    bool two_maps, blink_enabled, phase;
    int cursor_start, cursor_end;
} TextDraw;

static void draw_cell(VGAState *s, const TextDraw *td, int col, int row, uint8_t ch,
                      uint8_t attr, bool cursor)
{
    const VGAModeKey *k = td->k;
    unsigned fg = attr & 0x0f, bg = attr >> 4;
    const uint8_t *glyph = td->glyphs[td->two_maps && !(attr & 8)] + ch * GLYPH_BYTES;
    bool dup9 = k->char_w == 9 && ch >= 0xc0 && ch <= 0xdf && (s->ar[0x10] & 4);

    if (td->blink_enabled) {
        bg &= 7;
        fg = (attr & 0x80) && !td->phase ? bg : fg;
    }
    for (int l = 0; l < k->char_h; l++) {
        uint32_t *dst = surface_row(s->con->surface, row * k->char_h + l) + col * k->char_w;
        unsigned bits = l < GLYPH_BYTES ? glyph[l] : 0;
        if (cursor && l >= td->cursor_start && l <= td->cursor_end) {
            bits = 0xff;
            dup9 = true;
        }
        for (int x = 0; x < 8; x++) {
            dst[x] = td->pal[(bits >> (7 - x)) & 1 ? fg : bg];
        }
        if (k->char_w == 9) {
            dst[8] = td->pal[dup9 && (bits & 1) ? fg : bg];
        }
    }
}

static void text_shadow_size(VGAState *s, int cells)
{
    if (s->text_shadow_cells < cells) {
        free(s->text_shadow);
        s->text_shadow = xmalloc(cells * sizeof(uint32_t));
        s->text_shadow_cells = cells;
    }
}

static void text_setup(VGAState *s, TextDraw *td, const VGAModeKey *k,
                       uint8_t glyphs[2][256 * GLYPH_BYTES])
{
    unsigned a, b;
    int64_t now = clock_get_ns(CLK_REALTIME);

    font_maps(s, &a, &b);
    td->k = k;
    td->glyphs = glyphs;
    td->two_maps = a != b;
    td->blink_enabled = s->ar[0x10] & 8;
    td->phase = ((now - s->blink_epoch) / BLINK_NS) % 2 == 0;
    td->cursor_start = s->cr[0x0a] & 0x1f;
    td->cursor_end = MIN(s->cr[0x0b] & 0x1f, k->char_h - 1);
    for (int i = 0; i < 16; i++) {
        td->pal[i] = vga_attr_color(s, i);
    }
}

void vga_draw_text(VGAState *s, const VGAModeKey *k, bool full)
{
    uint8_t glyphs[2][256 * GLYPH_BYTES];
    TextDraw td;
    int cursor;

    text_setup(s, &td, k, glyphs);
    full |= font_fetch(s, glyphs, s->font_cache);
    text_shadow_size(s, k->cols * k->rows);
    cursor = cursor_cell(s, k, td.phase);
    for (int r = 0; r < k->rows; r++) {
        for (int c = 0; c < k->cols; c++) {
            int i = r * k->cols + c;
            uint32_t po = (k->start + r * k->line_offset + c) << k->shift;
            uint8_t ch = vga_plane_byte(s, po, 0), attr = vga_plane_byte(s, po, 1);
            bool blinking = td.blink_enabled && (attr & 0x80);
            uint32_t key = ch | attr << 8 | (i == cursor) << 16 | (blinking && td.phase) << 17 |
                           (uint32_t)(td.cursor_start << 18 | td.cursor_end << 23);
            if (full || s->text_shadow[i] != key) {
                s->text_shadow[i] = key;
                draw_cell(s, &td, c, r, ch, attr, i == cursor);
                console_dirty(s->con, c * k->char_w, r * k->char_h, k->char_w, k->char_h);
            }
        }
    }
}

bool vga_text_cells(void *opaque, TextCell *cells, int max, int *cols, int *rows,
                    int *cursor_x, int *cursor_y)
{
    VGAState *s = opaque;
    VGAModeKey k;
    int cursor;

    vga_mode_key(s, &k);
    if (k.kind != VGA_DRAW_TEXT || k.cols * k.rows > max) {
        return false;
    }
    for (int r = 0; r < k.rows; r++) {
        for (int c = 0; c < k.cols; c++) {
            uint32_t po = (k.start + r * k.line_offset + c) << k.shift;
            cells[r * k.cols + c] = (TextCell){ vga_plane_byte(s, po, 0),
                                                vga_plane_byte(s, po, 1) };
        }
    }
    cursor = cursor_cell(s, &k, true);
    *cols = k.cols;
    *rows = k.rows;
    *cursor_x = cursor < 0 ? -1 : cursor % k.cols;
    *cursor_y = cursor < 0 ? -1 : cursor / k.cols;
    return true;
}
