/* Host file loading for firmware, kernels and option ROMs, and the firmware search path
 * (-L, then /usr/share/seabios and /usr/share/qemu as Debian installs them). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hw/loader.h"
#include "util/cutils.h"

#define MAX_FIRMWARE_DIRS 16

static const char *firmware_dirs[MAX_FIRMWARE_DIRS];
static int nr_firmware_dirs;
static const char *const builtin_dirs[] = { "/usr/share/seabios", "/usr/share/qemu" };

uint8_t *load_file(const char *path, size_t max_size, size_t *len, Error **errp)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    uint8_t *buf;

    if (!f) {
        error_setg_errno(errp, errno, "could not open '%s'", path);
        return NULL;
    }
    if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
        error_setg(errp, "'%s' is not a regular file", path);
        fclose(f);
        return NULL;
    }
    if ((uint64_t)st.st_size > max_size) {
        error_setg(errp, "'%s' is too large (%lld bytes, at most %zu)", path,
                   (long long)st.st_size, max_size);
        fclose(f);
        return NULL;
    }
    buf = xmalloc(st.st_size ? st.st_size : 1);
    if (fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
        error_setg(errp, "could not read '%s'", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = st.st_size;
    return buf;
}

void firmware_add_dir(const char *dir)
{
    if (nr_firmware_dirs < MAX_FIRMWARE_DIRS) {
        firmware_dirs[nr_firmware_dirs++] = dir;
    }
}

static char *try_dir(const char *dir, const char *name)
{
    char *path = xasprintf("%s/%s", dir, name);

    if (access(path, R_OK) == 0) {
        return path;
    }
    free(path);
    return NULL;
}

char *firmware_find(const char *name)
{
    char *path;

    if (access(name, R_OK) == 0) {
        return xstrdup(name);       /* as QEMU: an existing path is taken as it is */
    }
    if (strchr(name, '/')) {
        return NULL;
    }
    for (int i = 0; i < nr_firmware_dirs; i++) {
        if ((path = try_dir(firmware_dirs[i], name))) {
            return path;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(builtin_dirs); i++) {
        if ((path = try_dir(builtin_dirs[i], name))) {
            return path;
        }
    }
    return NULL;
}
