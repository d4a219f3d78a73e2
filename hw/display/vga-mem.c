/* The CPU's view of VGA memory through the 0xa0000-0xbffff window (IBM VGA Technical
 * Reference, graphics controller): the memory map select of GR6, chain-4 (plane = address
 * bits 0-1, plane offset = address with those bits clear), odd/even (plane = address bit
 * 0), planar access with the four latches, read modes 0/1 and write modes 0-3 (rotate,
 * set/reset, logical function, bit mask, map mask). With Bochs VBE enabled the window is
 * a 64 KiB bank of the linear framebuffer. */
#include "hw/display/vga.h"

#define SR_MAP_MASK 2
#define SR_MEMORY_MODE 4
#define SR4_ODD_EVEN_OFF 0x04
#define SR4_CHAIN4 0x08
#define GR_SET_RESET 0
#define GR_ENABLE_SET_RESET 1
#define GR_COLOR_COMPARE 2
#define GR_DATA_ROTATE 3
#define GR_READ_MAP 4
#define GR_MODE 5
#define GR_MISC 6
#define GR_COLOR_DONT_CARE 7
#define GR_BIT_MASK 8

/* Each bit of a 4-bit value spread to the byte of its plane: 0b0101 -> 0x00ff00ff. */
static uint32_t expand4(uint8_t v)
{
    uint32_t r = 0;

    for (int p = 0; p < 4; p++) {
        r |= (v >> p & 1) ? 0xffu << (8 * p) : 0;
    }
    return r;
}

/* The window offset relative to the mapped range, or -1 outside it (GR6 bits 2-3). */
static int32_t window_offset(VGAState *s, uint32_t addr)
{
    static const uint32_t base[4] = { 0, 0, 0x10000, 0x18000 };
    static const uint32_t size[4] = { 0x20000, 0x10000, 0x8000, 0x8000 };
    int map = (s->gr[GR_MISC] >> 2) & 3;

    if (addr < base[map] || addr >= base[map] + size[map]) {
        return -1;
    }
    return addr - base[map];
}

static uint32_t *plane_word(VGAState *s, uint32_t offset)
{
    return (uint32_t *)(s->vram + 4 * (offset & (VGA_PLANE_SIZE - 1)));
}

static uint8_t planar_read(VGAState *s, uint32_t offset)
{
    uint32_t v;

    s->latch = *plane_word(s, offset);
    if (!(s->gr[GR_MODE] & 0x08)) {
        return s->latch >> (8 * (s->gr[GR_READ_MAP] & 3));
    }
    /* read mode 1: 1 where every plane that matters matches the colour compare */
    v = (s->latch ^ expand4(s->gr[GR_COLOR_COMPARE])) & expand4(s->gr[GR_COLOR_DONT_CARE]);
    v |= v >> 16;
    v |= v >> 8;
    return ~v & 0xff;
}

uint8_t vga_mem_readb(VGAState *s, uint32_t addr)
{
    int32_t off;

    if (vbe_enabled(s)) {
        uint32_t a = ((uint32_t)s->vbe_regs[VBE_INDEX_BANK] << 16) + (addr & 0xffff);
        return addr < 0x10000 && a < s->vram_size ? s->vram[a] : 0xff;
    }
    off = window_offset(s, addr);
    if (off < 0) {
        return 0xff;
    }
    if (s->sr[SR_MEMORY_MODE] & SR4_CHAIN4) {
        return s->vram[4 * (off & ~3 & (VGA_PLANE_SIZE - 1)) + (off & 3)];
    }
    if (!(s->sr[SR_MEMORY_MODE] & SR4_ODD_EVEN_OFF)) {
        int plane = (s->gr[GR_READ_MAP] & 2) | (off & 1);
        return s->vram[4 * ((off & ~1) & (VGA_PLANE_SIZE - 1)) + plane];
    }
    return planar_read(s, off);
}

static uint32_t rotate_right(uint8_t v, int n)
{
    return ((v >> n) | (v << (8 - n))) & 0xff;
}

/* Write modes 0-3 give the four plane bytes before the bit mask. */
static uint32_t planar_source(VGAState *s, uint8_t val, uint32_t *mask)
{
    uint8_t rotated = rotate_right(val, s->gr[GR_DATA_ROTATE] & 7);
    uint32_t set_reset = expand4(s->gr[GR_SET_RESET]), data;

    *mask = s->gr[GR_BIT_MASK];
    switch (s->gr[GR_MODE] & 3) {
    case 0: {
        uint32_t enable = expand4(s->gr[GR_ENABLE_SET_RESET]);
        data = (rotated * 0x01010101u & ~enable) | (set_reset & enable);
        break;
    }
    case 2:
        data = expand4(val & 0x0f);
        break;
    default:                        /* 3: the rotated byte ANDs the bit mask */
        *mask &= rotated;
        data = set_reset;
        break;
    }
    switch ((s->gr[GR_DATA_ROTATE] >> 3) & 3) {
    case 1: data &= s->latch; break;
    case 2: data |= s->latch; break;
    case 3: data ^= s->latch; break;
    default: break;
    }
    return data;
}

static void planar_write(VGAState *s, uint32_t offset, uint8_t val)
{
    uint32_t data, mask, planes = expand4(s->sr[SR_MAP_MASK]);
    uint32_t *word = plane_word(s, offset);

    if ((s->gr[GR_MODE] & 3) == 1) {
        data = s->latch;
    } else {
        data = planar_source(s, val, &mask);
        mask *= 0x01010101u;
        data = (data & mask) | (s->latch & ~mask);
    }
    *word = (*word & ~planes) | (data & planes);
    vga_mark_dirty(s, 4 * (offset & (VGA_PLANE_SIZE - 1)), 4);
}

static void plane_store(VGAState *s, uint32_t offset, int plane, uint8_t val)
{
    uint32_t index = 4 * (offset & (VGA_PLANE_SIZE - 1)) + plane;

    if (s->sr[SR_MAP_MASK] & (1 << plane)) {
        s->vram[index] = val;
        vga_mark_dirty(s, index, 1);
    }
}

void vga_mem_writeb(VGAState *s, uint32_t addr, uint8_t val)
{
    int32_t off;

    if (vbe_enabled(s)) {
        uint32_t a = ((uint32_t)s->vbe_regs[VBE_INDEX_BANK] << 16) + (addr & 0xffff);
        if (addr < 0x10000 && a < s->vram_size) {
            s->vram[a] = val;
            vga_mark_dirty(s, a, 1);
        }
        return;
    }
    off = window_offset(s, addr);
    if (off < 0) {
        return;
    }
    if (s->sr[SR_MEMORY_MODE] & SR4_CHAIN4) {
        plane_store(s, off & ~3, off & 3, val);
    } else if (!(s->sr[SR_MEMORY_MODE] & SR4_ODD_EVEN_OFF)) {
        /* even addresses go to planes 0 and 2, odd ones to 1 and 3 (map mask applies) */
        plane_store(s, off & ~1, off & 1, val);
        plane_store(s, off & ~1, (off & 1) + 2, val);
    } else {
        planar_write(s, off, val);
    }
}
