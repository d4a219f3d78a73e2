/* VMDK descriptor text (VMware "Virtual Disk Format 1.1", section "The Descriptor File"):
 * parsing of createType, CID, parentCID and extent lines; building a one-extent one. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "block/vmdk-int.h"
#include "util/cutils.h"
#include "util/error.h"

/* Copies the value of `key=value` or `key="value"` (line starts with key) into out. */
static bool desc_value(const char *line, const char *key, char *out, size_t len)
{
    size_t k = strlen(key);
    if (strncmp(line, key, k)) {
        return false;
    }
    const char *p = line + k;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p++ != '=') {
        return false;
    }
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p == '"') {
        p++;
    }
    size_t n = strcspn(p, "\"\r\n");
    snprintf(out, len, "%.*s", (int)MIN(n, len - 1), p);
    return true;
}

static int parse_extent_line(const char *line, VmdkDescriptor *d, Error **errp)
{
    char access[16], type[16], file[256];
    unsigned long long sectors, offset = 0;
    int n = sscanf(line, "%15s %llu %15s \"%255[^\"]\" %llu", access, &sectors, type, file,
                   &offset);
    if (n < 4) {
        error_setg(errp, "invalid VMDK extent line '%.60s'", line);
        return -EINVAL;
    }
    if (++d->n_extents > 1) {
        return 0;
    }
    snprintf(d->extent_type, sizeof(d->extent_type), "%s", type);
    snprintf(d->extent_file, sizeof(d->extent_file), "%s", file);
    d->extent_sectors = sectors;
    d->extent_offset = offset;
    return 0;
}

int vmdk_descriptor_parse(const char *text, VmdkDescriptor *d, Error **errp)
{
    char val[64];
    memset(d, 0, sizeof(*d));
    d->parent_cid = 0xffffffffu;
    for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
        while (*line == ' ' || *line == '\t') {
            line++;
        }
        if (desc_value(line, "createType", d->create_type, sizeof(d->create_type))) {
            continue;
        }
        if (desc_value(line, "CID", val, sizeof(val))) {
            d->cid = (uint32_t)strtoul(val, NULL, 16);
        } else if (desc_value(line, "parentCID", val, sizeof(val))) {
            d->parent_cid = (uint32_t)strtoul(val, NULL, 16);
        } else if (desc_value(line, "parentFileNameHint", val, sizeof(val))) {
            d->has_parent = true;
        } else if (!strncmp(line, "RW ", 3) || !strncmp(line, "RDONLY ", 7) ||
                   !strncmp(line, "NOACCESS ", 9)) {
            if (parse_extent_line(line, d, errp) < 0) {
                return -EINVAL;
            }
        }
    }
    if (!d->create_type[0]) {
        error_setg(errp, "invalid VMDK descriptor: no createType");
        return -EINVAL;
    }
    return 0;
}

char *vmdk_descriptor_build(const char *create_type, uint32_t cid, const char *extent_type,
                            const char *extent_file, uint64_t sectors)
{
    uint64_t cyls = MIN(sectors / (16 * 63), 16383);
    return xasprintf("# Disk DescriptorFile\n"
                     "version=1\n"
                     "CID=%08" PRIx32 "\n"
                     "parentCID=ffffffff\n"
                     "createType=\"%s\"\n"
                     "\n"
                     "# Extent description\n"
                     "RW %" PRIu64 " %s \"%s\"%s\n"
                     "\n"
                     "# The Disk Data Base\n"
                     "#DDB\n"
                     "\n"
                     "ddb.virtualHWVersion = \"4\"\n"
                     "ddb.geometry.cylinders = \"%" PRIu64 "\"\n"
                     "ddb.geometry.heads = \"16\"\n"
                     "ddb.geometry.sectors = \"63\"\n"
                     "ddb.adapterType = \"ide\"\n",
                     cid, create_type, sectors, extent_type, extent_file,
                     strcmp(extent_type, "FLAT") ? "" : " 0", cyls);
}
