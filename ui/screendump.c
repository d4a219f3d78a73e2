/* Screen dumps of a console: binary PPM (P6, what QEMU's screendump writes by default) or
 * PNG (PNG specification, ISO/IEC 15948: IHDR, one zlib IDAT of filter-0 rows, IEND),
 * and the monitor's "screendump FILE [-f ppm|png] [device]" command. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "monitor/monitor.h"
#include "ui/console.h"
#include "util/cutils.h"

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static int png_chunk(FILE *f, const char *type, const uint8_t *data, uint32_t len)
{
    uint8_t hdr[8], crc[4];
    uLong c = crc32(0, (const Bytef *)type, 4);

    put_be32(hdr, len);
    memcpy(hdr + 4, type, 4);
    if (len) {
        c = crc32(c, data, len);
    }
    put_be32(crc, c);
    return fwrite(hdr, 8, 1, f) == 1 && (!len || fwrite(data, len, 1, f) == 1) &&
           fwrite(crc, 4, 1, f) == 1 ? 0 : -1;
}

/* The image as PNG scan lines: a filter byte (0) then R, G, B per pixel. */
static uint8_t *png_rows(const DisplaySurface *s, size_t *len)
{
    size_t row = 1 + (size_t)s->width * 3;
    uint8_t *raw = xmalloc(row * s->height), *p = raw;

    for (int y = 0; y < s->height; y++) {
        const uint32_t *src = s->data + (size_t)y * s->stride;
        *p++ = 0;
        for (int x = 0; x < s->width; x++, p += 3) {
            p[0] = src[x] >> 16; p[1] = src[x] >> 8; p[2] = src[x];
        }
    }
    *len = row * s->height;
    return raw;
}

int png_write(FILE *f, const DisplaySurface *s, Error **errp)
{
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    uint8_t ihdr[13] = { 0 };
    size_t raw_len;
    uint8_t *raw = png_rows(s, &raw_len);
    uLongf zlen = compressBound(raw_len);
    uint8_t *z = xmalloc(zlen);
    int ret = -1;

    put_be32(ihdr, s->width);
    put_be32(ihdr + 4, s->height);
    ihdr[8] = 8;                        /* bit depth */
    ihdr[9] = 2;                        /* colour type: truecolour RGB */
    if (compress2(z, &zlen, raw, raw_len, Z_DEFAULT_COMPRESSION) != Z_OK) {
        error_setg(errp, "PNG compression failed");
    } else if (fwrite(sig, 8, 1, f) != 1 || png_chunk(f, "IHDR", ihdr, 13) < 0 ||
               png_chunk(f, "IDAT", z, zlen) < 0 || png_chunk(f, "IEND", NULL, 0) < 0) {
        error_setg_errno(errp, errno, "write failed");
    } else {
        ret = 0;
    }
    free(raw);
    free(z);
    return ret;
}

static int ppm_write(FILE *f, const DisplaySurface *s, Error **errp)
{
    uint8_t *line = xmalloc((size_t)s->width * 3);
    int ret = fprintf(f, "P6\n%d %d\n255\n", s->width, s->height) < 0 ? -1 : 0;

    for (int y = 0; y < s->height && ret == 0; y++) {
        const uint32_t *src = s->data + (size_t)y * s->stride;
        for (int x = 0; x < s->width; x++) {
            line[x * 3] = src[x] >> 16;
            line[x * 3 + 1] = src[x] >> 8;
            line[x * 3 + 2] = src[x];
        }
        ret = fwrite(line, (size_t)s->width * 3, 1, f) == 1 ? 0 : -1;
    }
    free(line);
    if (ret < 0) {
        error_setg_errno(errp, errno, "write failed");
    }
    return ret;
}

int screendump_write(DisplayConsole *con, const char *path, bool png, Error **errp)
{
    FILE *f;
    int ret;

    console_update(con, true);
    if (!con->surface) {
        error_setg(errp, "console '%s' has no image", con->name);
        return -1;
    }
    f = fopen(path, "wb");
    if (!f) {
        error_setg_errno(errp, errno, "Could not open '%s'", path);
        return -1;
    }
    ret = png ? png_write(f, con->surface, errp) : ppm_write(f, con->surface, errp);
    if (fclose(f) != 0 && ret == 0) {
        error_setg_errno(errp, errno, "Could not write '%s'", path);
        ret = -1;
    }
    return ret;
}

/* A console by QEMU's device name (the device id or type) or, NULL, the graphic one. */
static DisplayConsole *console_by_device(const char *device)
{
    for (int i = 0; device && i < console_count(); i++) {
        if (!strcmp(console_get(i)->name, device)) {
            return console_get(i);
        }
    }
    return device ? NULL : console_graphic();
}

int display_screendump(const char *path, const char *device, const char *format,
                       Error **errp)
{
    DisplayConsole *con = console_by_device(device);

    if (format && strcmp(format, "ppm") && strcmp(format, "png")) {
        error_setg(errp, "Parameter 'format' does not accept value '%s'", format);
        return -1;
    }
    if (!con) {
        error_setg(errp, device ? "Device '%s' not found" : "There is no console to take a "
                   "screendump from%s", device ? device : "");
        return -1;
    }
    return screendump_write(con, path, format && !strcmp(format, "png"), errp);
}

/* screendump FILE [-f ppm|png] [DEVICE]: options and names in any order, as QEMU's. */
static void cmd_screendump(FILE *out, const char *args)
{
    char *copy = xstrdup(args), *save = NULL, *file = NULL, *format = NULL, *device = NULL;
    Error *err = NULL;

    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (!strcmp(w, "-f")) {
            format = strtok_r(NULL, " ", &save);
        } else if (!file) {
            file = w;
        } else if (!device) {
            device = w;
        }
    }
    if (!file || (format == NULL && strstr(args, "-f"))) {
        fprintf(out, "screendump: usage: screendump FILENAME [-f ppm|png] [DEVICE]\n");
    } else if (display_screendump(file, device, format, &err) < 0) {
        fprintf(out, "%s\n", error_get_message(err));
        error_free(err);
    }
    free(copy);
}

static void __attribute__((constructor)) screendump_register(void)
{
    monitor_register_command("screendump", "filename [-f ppm|png] [device]",
                             "save the screen as a PPM (default) or PNG image",
                             cmd_screendump);
}
