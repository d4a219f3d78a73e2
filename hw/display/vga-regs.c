/* VGA register file at ports 0x3b0-0x3df (IBM VGA Technical Reference; FreeVGA): misc
 * output, input status 0/1, sequencer (0x3c4/5), graphics controller (0x3ce/f), attribute
 * controller (0x3c0/1 with its index/data flip-flop), DAC (0x3c6-0x3c9), CRTC at 0x3b4/5 or
 * 0x3d4/5 as misc output bit 0 selects. Writes that change what is shown force a redraw. */
#include <string.h>
#include "hw/display/vga.h"

#define MISC_COLOR 0x01             /* CRTC and status 1 at 0x3dx, else 0x3bx */

/* Ports as offsets from 0x3b0. */
enum {
    P_CRTC_MONO = 0x04, P_CRTC_MONO_DATA = 0x05, P_ST1_MONO = 0x0a,
    P_AR = 0x10, P_AR_READ = 0x11, P_MISC_WRITE = 0x12, P_SR = 0x14, P_SR_DATA = 0x15,
    P_DAC_MASK = 0x16, P_DAC_READ_INDEX = 0x17, P_DAC_WRITE_INDEX = 0x18, P_DAC_DATA = 0x19,
    P_FEATURE_READ = 0x1a, P_MISC_READ = 0x1c, P_GR = 0x1e, P_GR_DATA = 0x1f,
    P_CRTC_COLOR = 0x24, P_CRTC_COLOR_DATA = 0x25, P_ST1_COLOR = 0x2a,
};

/* Which bits of each register exist (the rest read as 0). */
static const uint8_t sr_mask[8] = { 0x03, 0x3d, 0x0f, 0x3f, 0x0e, 0x00, 0x00, 0xff };
static const uint8_t gr_mask[16] = { 0x0f, 0x0f, 0x0f, 0x1f, 0x03, 0x7b, 0x0f, 0x0f, 0xff };

static bool port_is_inactive_crtc(VGAState *s, uint32_t port)
{
    bool color = s->misc & MISC_COLOR;

    if (port == P_CRTC_MONO || port == P_CRTC_MONO_DATA || port == P_ST1_MONO) {
        return color;
    }
    if (port == P_CRTC_COLOR || port == P_CRTC_COLOR_DATA || port == P_ST1_COLOR) {
        return !color;
    }
    return false;
}

/* Input status 1: display enable and vertical retrace alternate from read to read, so
 * that a guest waiting for either edge sees it at once. Resets the attribute flip-flop. */
static uint8_t vga_read_status1(VGAState *s)
{
    s->ar_flip_flop = false;
    s->st1_toggle ^= 1;
    return s->st1_toggle ? 0x09 : 0x00;
}

static uint8_t dac_read_data(VGAState *s)
{
    uint8_t v = s->palette[s->dac_read_index * 3 + s->dac_sub];

    if (++s->dac_sub == 3) {
        s->dac_sub = 0;
        s->dac_read_index++;
    }
    return v;
}

static void dac_write_data(VGAState *s, uint8_t val)
{
    s->dac_cache[s->dac_sub] = val;
    if (++s->dac_sub == 3) {
        memcpy(&s->palette[s->dac_write_index * 3], s->dac_cache, 3);
        s->dac_sub = 0;
        s->dac_write_index++;
        s->palette_dirty = true;
    }
}

uint32_t vga_ioport_read(VGAState *s, uint32_t port)
{
    if (port >= 0x30 || port_is_inactive_crtc(s, port)) {
        return 0xff;
    }
    switch (port) {
    case P_AR:
        return s->ar_index;
    case P_AR_READ:
        return (s->ar_index & 0x1f) < 21 ? s->ar[s->ar_index & 0x1f] : 0;
    case P_MISC_WRITE:              /* input status 0: switch sense reads "colour monitor" */
        return 0x10;
    case P_SR:
        return s->sr_index;
    case P_SR_DATA:
        return s->sr[s->sr_index & 7];
    case P_DAC_MASK:
        return s->dac_mask;
    case P_DAC_READ_INDEX:
        return s->dac_state;
    case P_DAC_WRITE_INDEX:
        return s->dac_write_index;
    case P_DAC_DATA:
        return dac_read_data(s);
    case P_FEATURE_READ:
        return s->feature;
    case P_MISC_READ:
        return s->misc;
    case P_GR:
        return s->gr_index;
    case P_GR_DATA:
        return s->gr_index < 9 ? s->gr[s->gr_index] : 0xff;
    case P_CRTC_MONO: case P_CRTC_COLOR:
        return s->cr_index;
    case P_CRTC_MONO_DATA: case P_CRTC_COLOR_DATA:
        return s->cr_index < 0x19 ? s->cr[s->cr_index] : 0xff;
    case P_ST1_MONO: case P_ST1_COLOR:
        return vga_read_status1(s);
    default:
        return 0xff;
    }
}

static void ar_write(VGAState *s, uint8_t val)
{
    if (!s->ar_flip_flop) {
        s->ar_index = val & 0x3f;
        s->full_update = true;          /* bit 5 (palette address source) blanks */
    } else {
        uint8_t index = s->ar_index & 0x1f;
        if (index < 21) {
            s->ar[index] = index < 16 ? val & 0x3f : val;
            s->full_update = true;
        }
    }
    s->ar_flip_flop = !s->ar_flip_flop;
}

static void crtc_write(VGAState *s, uint8_t val)
{
    uint8_t index = s->cr_index;

    if (index >= 0x19) {
        return;
    }
    /* CR11 bit 7 write-protects CR0-7, except the line compare bit 4 of CR7 */
    if ((s->cr[0x11] & 0x80) && index <= 7) {
        if (index == 7) {
            s->cr[7] = (s->cr[7] & ~0x10) | (val & 0x10);
        }
        return;
    }
    s->cr[index] = val;
    /* the cursor and the start address are compared by the renderer itself */
    if (index < 0x0a || index > 0x0f) {
        s->full_update = true;
    }
}

void vga_ioport_write(VGAState *s, uint32_t port, uint32_t val)
{
    val &= 0xff;
    if (port >= 0x30 || port_is_inactive_crtc(s, port)) {
        return;
    }
    switch (port) {
    case P_AR:
        ar_write(s, val);
        break;
    case P_MISC_WRITE:
        s->misc = val & 0xef;
        s->full_update = true;
        break;
    case P_SR:
        s->sr_index = val & 7;
        break;
    case P_SR_DATA:
        s->sr[s->sr_index] = val & sr_mask[s->sr_index];
        if (s->sr_index == 1 || s->sr_index == 3) {  /* dot clock, character maps */
            s->full_update = true;
        }
        break;
    case P_DAC_MASK:
        s->dac_mask = val;
        s->palette_dirty = true;
        break;
    case P_DAC_READ_INDEX:
        s->dac_read_index = val;
        s->dac_sub = 0;
        s->dac_state = 3;
        break;
    case P_DAC_WRITE_INDEX:
        s->dac_write_index = val;
        s->dac_sub = 0;
        s->dac_state = 0;
        break;
    case P_DAC_DATA:
        dac_write_data(s, val);
        break;
    case P_GR:
        s->gr_index = val & 0x0f;
        break;
    case P_GR_DATA:
        if (s->gr_index < 9) {
            s->gr[s->gr_index] = val & gr_mask[s->gr_index];
        }
        break;
    case P_CRTC_MONO: case P_CRTC_COLOR:
        s->cr_index = val;
        break;
    case P_CRTC_MONO_DATA: case P_CRTC_COLOR_DATA:
        crtc_write(s, val);
        break;
    case P_ST1_MONO: case P_ST1_COLOR:       /* feature control write */
        s->feature = val & 0x03;
        break;
    default:
        break;
    }
}
