/* Text consoles: the "vc" chardev backend that shows a monitor or serial port as a
 * terminal (a VT100 subset) in a display console, and the 8x16 font they are drawn with.
 * See docs/display.md. */
#ifndef UI_TEXT_CONSOLE_H
#define UI_TEXT_CONSOLE_H

#include <stddef.h>
#include "ui/console.h"

/* Keys typed into a text console: QEMU key names for the special keys ("ret", "up",
 * "backspace", ...; with ctrl, letters give control characters), text for the rest. */
void text_console_key(DisplayConsole *con, const char *keyname, bool ctrl);
void text_console_input(DisplayConsole *con, const char *text, size_t len);

/* The VGA BIOS's 8x16 font (256 glyphs of 16 bytes), found in vgabios-stdvga.bin; NULL
 * if the ROM is missing (glyphs are then drawn as boxes). */
const uint8_t *font_8x16(void);
/* Code page 437 (what VGA text shows) as Unicode (ui/cp437.c). */
uint32_t cp437_to_unicode(uint8_t c);

#endif
