/* mimic-img snapshot: list, create, apply and delete internal snapshots (-l/-c/-a/-d). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tools/img-common.h"
#include "tools/img-snapshot-list.h"
#include "util/error.h"

enum { SNAP_LIST = 'l', SNAP_CREATE = 'c', SNAP_APPLY = 'a', SNAP_DELETE = 'd' };

static int snapshot_do(BlockDriverState *bs, int action, const char *name)
{
    BlockSnapshotInfo *list = NULL;
    Error *err = NULL;
    int ret = 0;
    if (action == SNAP_LIST) {
        ret = block_snapshot_list(bs, &list, &err);
        if (ret >= 0) {
            img_snapshot_print_table(list, ret, stdout);
            block_snapshot_list_free(list, ret);
        }
    } else if (action == SNAP_CREATE) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        BlockSnapshotInfo sn = { .name = (char *)name, .date_sec = (uint32_t)now.tv_sec,
                                 .date_nsec = (uint32_t)now.tv_nsec, .icount = UINT64_MAX };
        ret = block_snapshot_create(bs, &sn, &err);
    } else if (action == SNAP_APPLY) {
        ret = block_snapshot_apply(bs, name, &err);
    } else {
        ret = block_snapshot_delete(bs, name, &err);
    }
    if (ret < 0) {
        if (!err) {
            error_setg(&err, "operation not supported by this format");
        }
        error_prepend(&err, "Could not %s snapshot%s%s: ",
                      action == SNAP_LIST ? "list" : action == SNAP_CREATE ? "create" :
                      action == SNAP_APPLY ? "apply" : "delete", name ? " " : "",
                      name ? name : "");
        error_report_err(err);
        return 1;
    }
    return 0;
}

static int run_snapshot(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = NULL, *name = NULL;
    int action = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":la:c:d:f:qUh", longopts, NULL)) != -1) {
        switch (c) {
        case 'l': case 'a': case 'c': case 'd':
            if (action) {
                return img_usage_error(&img_cmd_snapshot, "Cannot mix -l, -a, -c and -d");
            }
            action = c;
            name = c == 'l' ? NULL : optarg;
            break;
        case 'f': format = optarg; break;
        case 'q': break;
        case 'U': img_force_share = true; break;
        case ':': return img_usage_error(&img_cmd_snapshot, "option needs an argument");
        default:
            return img_usage_error(&img_cmd_snapshot, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage_error(&img_cmd_snapshot, "Expecting one image file name");
    }
    if (!action) {
        action = SNAP_LIST;
    }
    ImgOpen how = { .format = format, .writable = action != SNAP_LIST };
    BlockDriverState *bs = img_open(argv[optind], &how);
    if (!bs) {
        return 1;
    }
    int ret = snapshot_do(bs, action, name);
    block_close(bs);
    return ret;
}

const ImgCommand img_cmd_snapshot = {
    .name = "snapshot",
    .run = run_snapshot,
    .synopsis = "[-q] [-f fmt] [-l | -a snapshot | -c snapshot | -d snapshot] [-U] filename",
    .help =
        "  -l              list the snapshots (default)\n"
        "  -c snapshot     create a snapshot of the current disk state\n"
        "  -a snapshot     revert the disk to a snapshot (by id or name)\n"
        "  -d snapshot     delete a snapshot\n"
        "  -f fmt          image format (default: probed)\n"
        "Internal snapshots exist in qcow2 images only.\n",
};
