/* Bochs VBE ("DISPI") extensions of the standard VGA (Bochs vbe.h and QEMU's stdvga
 * behaviour as read for facts): index/data ports 0x1ce/0x1cf, resolution and depth
 * (4/8/15/16/24/32 bpp), enable with GETCAPS, 8-bit DAC, banked window and linear
 * framebuffer, virtual width/height and panning offsets. A mode that does not fit video
 * memory or exceeds the limits is not enabled. */
#include <string.h>
#include "hw/display/vga.h"

bool vbe_enabled(const VGAState *s)
{
    return s->vbe_regs[VBE_INDEX_ENABLE] & VBE_ENABLED;
}

static unsigned vbe_bytes_pp(unsigned bpp)
{
    return bpp == 15 ? 2 : (bpp + 7) / 8;
}

static bool vbe_bpp_valid(unsigned bpp)
{
    return bpp == 4 || bpp == 8 || bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32;
}

uint32_t vbe_read_index(VGAState *s)
{
    return s->vbe_index;
}

void vbe_write_index(VGAState *s, uint32_t val)
{
    s->vbe_index = val;
}

uint32_t vbe_read_data(VGAState *s)
{
    bool caps = s->vbe_regs[VBE_INDEX_ENABLE] & VBE_GETCAPS;

    switch (s->vbe_index) {
    case VBE_INDEX_XRES:
        return caps ? VBE_MAX_XRES : s->vbe_regs[VBE_INDEX_XRES];
    case VBE_INDEX_YRES:
        return caps ? VBE_MAX_YRES : s->vbe_regs[VBE_INDEX_YRES];
    case VBE_INDEX_BPP:
        return caps ? VBE_MAX_BPP : s->vbe_regs[VBE_INDEX_BPP];
    case VBE_INDEX_VIDEO_MEMORY_64K:
        return s->vram_size >> 16;
    default:
        return s->vbe_index < VBE_INDEX_NB ? s->vbe_regs[s->vbe_index] : 0;
    }
}

/* Virtual height from the virtual width: as many lines as video memory holds. */
static void vbe_update_virt(VGAState *s)
{
    uint16_t *r = s->vbe_regs;
    uint32_t line = (uint32_t)r[VBE_INDEX_VIRT_WIDTH] * vbe_bytes_pp(r[VBE_INDEX_BPP]);
    uint32_t lines = line ? s->vram_size / line : 0;

    r[VBE_INDEX_VIRT_HEIGHT] = lines > 0xffff ? 0xffff : lines;
}

static bool vbe_mode_fits(VGAState *s)
{
    uint16_t *r = s->vbe_regs;
    uint64_t bytes = (uint64_t)r[VBE_INDEX_XRES] * r[VBE_INDEX_YRES] *
                     vbe_bytes_pp(r[VBE_INDEX_BPP]);

    return r[VBE_INDEX_XRES] >= 1 && r[VBE_INDEX_XRES] <= VBE_MAX_XRES &&
           r[VBE_INDEX_YRES] >= 1 && r[VBE_INDEX_YRES] <= VBE_MAX_YRES &&
           vbe_bpp_valid(r[VBE_INDEX_BPP]) && bytes <= s->vram_size;
}

static void vbe_write_enable(VGAState *s, uint16_t val)
{
    uint16_t *r = s->vbe_regs;

    if ((val & VBE_ENABLED) && !vbe_enabled(s)) {
        if (!vbe_mode_fits(s)) {
            val &= ~VBE_ENABLED;
        } else {
            r[VBE_INDEX_VIRT_WIDTH] = r[VBE_INDEX_XRES];
            r[VBE_INDEX_X_OFFSET] = r[VBE_INDEX_Y_OFFSET] = 0;
            r[VBE_INDEX_BANK] = 0;
            vbe_update_virt(s);
            if (!(val & VBE_NOCLEARMEM)) {
                memset(s->vram, 0, s->vram_size);
            }
            s->gr[6] = (s->gr[6] & ~0x0c) | 0x05;   /* graphics, 64 KiB window at 0xa0000 */
        }
    }
    r[VBE_INDEX_ENABLE] = val & (VBE_ENABLED | VBE_GETCAPS | VBE_8BIT_DAC | VBE_LFB_ENABLED |
                                 VBE_NOCLEARMEM);
    s->full_update = true;
    s->palette_dirty = true;
}

void vbe_write_data(VGAState *s, uint32_t val)
{
    uint16_t *r = s->vbe_regs;

    val &= 0xffff;
    switch (s->vbe_index) {
    case VBE_INDEX_ID:
        if (val >= VBE_ID0 && val <= VBE_ID5) {
            r[VBE_INDEX_ID] = val;
        }
        break;
    case VBE_INDEX_XRES: case VBE_INDEX_YRES: case VBE_INDEX_BPP:
        if (!vbe_enabled(s)) {
            r[s->vbe_index] = s->vbe_index == VBE_INDEX_BPP && val == 0 ? 8 : val;
        }
        break;
    case VBE_INDEX_BANK:
        r[VBE_INDEX_BANK] = val < (s->vram_size >> 16) ? val : 0;
        break;
    case VBE_INDEX_ENABLE:
        vbe_write_enable(s, val);
        break;
    case VBE_INDEX_VIRT_WIDTH:
        if (val >= r[VBE_INDEX_XRES] && val <= 0x4000) {
            r[VBE_INDEX_VIRT_WIDTH] = val;
            vbe_update_virt(s);
            s->full_update = true;
        }
        break;
    case VBE_INDEX_X_OFFSET: case VBE_INDEX_Y_OFFSET:
        r[s->vbe_index] = val;
        s->full_update = true;
        break;
    default:
        break;
    }
}
