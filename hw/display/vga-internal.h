/* Shared by the VGA renderer files (vga-render.c, vga-text.c): the current mode as the
 * CRTC, sequencer, graphics and attribute registers describe it, and colour lookup. */
#ifndef HW_DISPLAY_VGA_INTERNAL_H
#define HW_DISPLAY_VGA_INTERNAL_H

#include "hw/display/vga.h"

enum { VGA_DRAW_BLANK, VGA_DRAW_TEXT, VGA_DRAW_PLANAR, VGA_DRAW_256, VGA_DRAW_VBE };

#define VGA_TEXT_MAX_COLS 160
#define VGA_TEXT_MAX_ROWS 100

/* Computes the mode key (zeroed first, so it can be compared with memcmp). */
void vga_mode_key(VGAState *s, VGAModeKey *key);
/* XRGB of DAC entry idx (after the pixel mask); of attribute palette entry v (0-15). */
uint32_t vga_dac_color(VGAState *s, unsigned idx);
uint32_t vga_attr_color(VGAState *s, unsigned v);
/* Plane byte at plane offset po (wrapping in 64 KiB). */
static inline uint8_t vga_plane_byte(VGAState *s, uint32_t po, int plane)
{
    return s->vram[4 * (po & (VGA_PLANE_SIZE - 1)) + plane];
}

/* Text mode (vga-text.c): redraws changed cells; full: every cell. */
void vga_draw_text(VGAState *s, const VGAModeKey *k, bool full);
bool vga_text_cells(void *opaque, TextCell *cells, int max, int *cols, int *rows,
                    int *cursor_x, int *cursor_y);

#endif
