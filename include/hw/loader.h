/* Reading firmware, kernels and ROM images from host files for boards and devices. */
#ifndef HW_LOADER_H
#define HW_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

/* Reads the whole file (at most max_size bytes) into a new buffer; NULL with *errp naming
 * the file and the reason. */
uint8_t *load_file(const char *path, size_t max_size, size_t *len, Error **errp);

/* Firmware search path: -L directories first, then the built-in ones (Debian's seabios
 * and qemu data directories). Returns a new path string or NULL. */
void firmware_add_dir(const char *dir);
char *firmware_find(const char *name);

#endif
