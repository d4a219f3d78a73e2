/* The 8x16 font of text consoles: the IBM VGA character set as the VGA BIOS
 * (vgabios-stdvga.bin of Debian's seabios package, found like other firmware) carries it.
 * The ROM has no directory, so the table is recognised by glyphs whose shape the code page
 * fixes: NUL and space empty, 0xDB a full block, 0xDD and 0xDE the left and right halves. */
#include <stdlib.h>
#include <string.h>
#include "hw/loader.h"
#include "ui/text-console.h"
#include "util/cutils.h"

#define GLYPH 16
#define FONT_SIZE (256 * GLYPH)

static uint8_t *font;
static bool font_tried;

static bool glyph_is(const uint8_t *g, uint8_t v)
{
    for (int i = 0; i < GLYPH; i++) {
        if (g[i] != v) {
            return false;
        }
    }
    return true;
}

static long font_locate(const uint8_t *rom, size_t len)
{
    for (size_t base = 0; base + FONT_SIZE <= len; base++) {
        if (glyph_is(rom + base + 0xdb * GLYPH, 0xff) && glyph_is(rom + base, 0) &&
            glyph_is(rom + base + 0x20 * GLYPH, 0) &&
            glyph_is(rom + base + 0xdd * GLYPH, 0xf0) &&
            glyph_is(rom + base + 0xde * GLYPH, 0x0f)) {
            return base;
        }
    }
    return -1;
}

const uint8_t *font_8x16(void)
{
    char *path;
    uint8_t *rom;
    size_t len;
    long at;

    if (font_tried) {
        return font;
    }
    font_tried = true;
    path = firmware_find("vgabios-stdvga.bin");
    rom = path ? load_file(path, 1 << 20, &len, NULL) : NULL;
    at = rom ? font_locate(rom, len) : -1;
    if (at >= 0) {
        font = xmalloc(FONT_SIZE);
        memcpy(font, rom + at, FONT_SIZE);
    }
    free(rom);
    free(path);
    return font;
}
