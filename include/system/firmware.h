/* Where firmware files named without a directory (-bios bios.bin, option ROMs) are found:
 * the -L directories in order, then Mimic's and the distribution's firmware directories. */
#ifndef SYSTEM_FIRMWARE_H
#define SYSTEM_FIRMWARE_H

/* Adds a -L directory (searched before the defaults, in command-line order). */
void firmware_path_add(const char *dir);
/* The path of name: name itself if it contains a '/', else the first readable match in the
 * search path. A new string, or NULL if not found. */
char *firmware_find(const char *name);

#endif
