/* The VGA core shared by the standard VGA (vga-pci.c): the register file (sequencer, CRTC,
 * graphics controller, attribute controller, DAC; IBM VGA Technical Reference and the
 * FreeVGA register descriptions), planar video memory behind the 0xa0000-0xbffff window,
 * the Bochs VBE ("DISPI") extensions at ports 0x1ce/0x1cf, and the renderer that turns the
 * current mode (text, planar 16 colours, 256 colours, VBE linear) into a display surface
 * redrawing only what changed. */
#ifndef HW_DISPLAY_VGA_H
#define HW_DISPLAY_VGA_H

#include <stdbool.h>
#include <stdint.h>
#include "system/memory.h"
#include "ui/console.h"

#define VGA_PLANE_SIZE 0x10000          /* 64 KiB per plane: 256 KiB of legacy memory */
#define VGA_PAGE_BITS 12                /* dirty tracking granularity of video memory */

/* Bochs VBE (DISPI) register indexes and bits */
enum {
    VBE_INDEX_ID, VBE_INDEX_XRES, VBE_INDEX_YRES, VBE_INDEX_BPP, VBE_INDEX_ENABLE,
    VBE_INDEX_BANK, VBE_INDEX_VIRT_WIDTH, VBE_INDEX_VIRT_HEIGHT, VBE_INDEX_X_OFFSET,
    VBE_INDEX_Y_OFFSET, VBE_INDEX_VIDEO_MEMORY_64K, VBE_INDEX_NB,
};
#define VBE_ID0 0xb0c0
#define VBE_ID5 0xb0c5
#define VBE_ENABLED 0x01
#define VBE_GETCAPS 0x02
#define VBE_8BIT_DAC 0x20
#define VBE_LFB_ENABLED 0x40
#define VBE_NOCLEARMEM 0x80
#define VBE_MAX_XRES 2560
#define VBE_MAX_YRES 1600
#define VBE_MAX_BPP 32

/* What the renderer drew last time: a change means a full redraw. */
typedef struct VGAModeKey {
    int kind;                   /* VGA_DRAW_* */
    int width, height;
    uint32_t start, line_offset;
    int bpp, char_w, char_h, cols, rows;
    uint8_t shift;
} VGAModeKey;

typedef struct VGAState {
    uint8_t *vram;              /* legacy planes interleaved: byte 4*offset + plane */
    uint32_t vram_size;         /* bytes, a power of two >= 1 MiB */
    /* registers */
    uint8_t misc, feature, st1_toggle;
    uint8_t sr_index, sr[8];
    uint8_t gr_index, gr[16];
    uint8_t cr_index, cr[32];
    uint8_t ar_index, ar[21];
    bool ar_flip_flop;          /* false: next 0x3c0 write is the index */
    uint8_t dac_read_index, dac_write_index, dac_sub, dac_state, dac_mask;
    uint8_t dac_cache[3];
    uint8_t palette[768];       /* 6-bit (or 8-bit with VBE_8BIT_DAC) R, G, B */
    uint32_t latch;             /* one byte per plane */
    /* Bochs VBE */
    uint16_t vbe_index, vbe_regs[VBE_INDEX_NB];
    /* rendering */
    DisplayConsole *con;
    uint8_t *dirty;             /* one flag per VGA_PAGE of vram: the window's marks and the
                                 * soft MMU's dirty log since the last refresh */
    MemoryRegion *vram_mr;      /* video memory with its dirty log (NULL: marks only) */
    bool full_update, palette_dirty;
    VGAModeKey last;
    uint32_t last_cursor;       /* text mode: cursor offset + shape, blink phase */
    uint32_t *text_shadow;      /* text mode: what each cell was drawn with */
    int text_shadow_cells;
    int64_t blink_epoch;
    uint8_t font_cache[2][256 * 32];    /* text mode: the glyphs drawn with */
} VGAState;

void vga_core_init(VGAState *s, uint32_t vram_size);
void vga_core_free(VGAState *s);
void vga_core_reset(VGAState *s);

/* Ports 0x3b0-0x3df as offsets from 0x3b0 (one byte each). */
uint32_t vga_ioport_read(VGAState *s, uint32_t port);
void vga_ioport_write(VGAState *s, uint32_t port, uint32_t val);
/* Bochs VBE: 0x1ce index, 0x1cf data (16 bits). */
uint32_t vbe_read_index(VGAState *s);
void vbe_write_index(VGAState *s, uint32_t val);
uint32_t vbe_read_data(VGAState *s);
void vbe_write_data(VGAState *s, uint32_t val);
bool vbe_enabled(const VGAState *s);

/* The 128 KiB window at 0xa0000 (offset from 0xa0000). */
uint8_t vga_mem_readb(VGAState *s, uint32_t addr);
void vga_mem_writeb(VGAState *s, uint32_t addr, uint8_t val);

/* Dirty tracking: marks vram bytes [offset, offset+len) changed. */
void vga_mark_dirty(VGAState *s, uint32_t offset, uint32_t len);

/* The renderer (the console's GraphicHwOps). */
extern const GraphicHwOps vga_hw_ops;

#endif
