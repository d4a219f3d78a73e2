/* Firmware search path (QEMU's -L and data directories). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "system/firmware.h"
#include "util/cutils.h"

#define MAX_FIRMWARE_DIRS 16

static const char *user_dirs[MAX_FIRMWARE_DIRS];
static int nr_user_dirs;

static const char *const default_dirs[] = {
    "/usr/share/mimic", "/usr/share/qemu", "/usr/share/seabios", "/usr/lib/ipxe/qemu",
};

void firmware_path_add(const char *dir)
{
    if (nr_user_dirs < MAX_FIRMWARE_DIRS) {
        user_dirs[nr_user_dirs++] = dir;
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

    if (strchr(name, '/')) {
        return access(name, R_OK) == 0 ? xstrdup(name) : NULL;
    }
    for (int i = 0; i < nr_user_dirs; i++) {
        if ((path = try_dir(user_dirs[i], name))) {
            return path;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(default_dirs); i++) {
        if ((path = try_dir(default_dirs[i], name))) {
            return path;
        }
    }
    return NULL;
}
