/* VGA core state: video memory, its per-page dirty flags and the power-on register
 * values (everything zero, as the VGA BIOS programs the mode; DAC mask 0xff; Bochs VBE
 * reporting its newest interface id). */
#include <stdlib.h>
#include <string.h>
#include "hw/display/vga.h"
#include "util/cutils.h"

void vga_core_init(VGAState *s, uint32_t vram_size)
{
    s->vram_size = vram_size;
    s->dirty = xzalloc(vram_size >> VGA_PAGE_BITS);
}

void vga_core_free(VGAState *s)
{
    free(s->dirty);
    free(s->text_shadow);
    s->dirty = NULL;
    s->text_shadow = NULL;
    s->text_shadow_cells = 0;
}

void vga_core_reset(VGAState *s)
{
    s->misc = s->feature = s->st1_toggle = 0;
    s->sr_index = s->gr_index = s->cr_index = s->ar_index = 0;
    memset(s->sr, 0, sizeof(s->sr));
    memset(s->gr, 0, sizeof(s->gr));
    memset(s->cr, 0, sizeof(s->cr));
    memset(s->ar, 0, sizeof(s->ar));
    s->ar_flip_flop = false;
    s->dac_read_index = s->dac_write_index = s->dac_sub = s->dac_state = 0;
    s->dac_mask = 0xff;
    memset(s->palette, 0, sizeof(s->palette));
    s->latch = 0;
    s->vbe_index = 0;
    memset(s->vbe_regs, 0, sizeof(s->vbe_regs));
    s->vbe_regs[VBE_INDEX_ID] = VBE_ID5;
    s->vbe_regs[VBE_INDEX_BPP] = 8;
    s->full_update = s->palette_dirty = true;
}

void vga_mark_dirty(VGAState *s, uint32_t offset, uint32_t len)
{
    if (!len || offset >= s->vram_size) {
        return;
    }
    len = MIN(len, s->vram_size - offset);
    for (uint32_t p = offset >> VGA_PAGE_BITS; p <= (offset + len - 1) >> VGA_PAGE_BITS; p++) {
        s->dirty[p] = 1;
    }
}
