/* Printing internal snapshot lists with qemu-img's table layout and JSON keys. */
#include <inttypes.h>
#include <time.h>
#include "tools/img-common.h"
#include "tools/img-snapshot-list.h"

static void print_snapshot_row(const BlockSnapshotInfo *sn, FILE *out)
{
    char size[32], date[32] = "", clock[32], icount[32] = "";
    time_t t = sn->date_sec;
    struct tm tm;
    if (localtime_r(&t, &tm)) {
        strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
    }
    uint64_t ms = sn->vm_clock_nsec / 1000000;
    snprintf(clock, sizeof(clock), "%02" PRIu64 ":%02u:%02u.%03u", ms / 3600000,
             (unsigned)(ms / 60000 % 60), (unsigned)(ms / 1000 % 60), (unsigned)(ms % 1000));
    if (sn->icount != UINT64_MAX) {
        snprintf(icount, sizeof(icount), "%" PRIu64, sn->icount);
    }
    fprintf(out, "%-9s %-17s %7s%20s%13s%11s\n", sn->id ? sn->id : "", sn->name ? sn->name : "",
            img_size_to_str(sn->vm_state_size, size, sizeof(size)), date, clock, icount);
}

void img_snapshot_print_table(const BlockSnapshotInfo *list, int count, FILE *out)
{
    fprintf(out, "Snapshot list:\n%-9s %-17s %7s%20s%13s%11s\n", "ID", "TAG", "VM SIZE",
            "DATE", "VM CLOCK", "ICOUNT");
    for (int i = 0; i < count; i++) {
        print_snapshot_row(&list[i], out);
    }
}

void img_snapshot_print_json(ImgJson *j, const BlockSnapshotInfo *list, int count)
{
    img_json_start_array(j, "snapshots");
    for (int i = 0; i < count; i++) {
        const BlockSnapshotInfo *sn = &list[i];
        img_json_start_object(j, NULL);
        if (sn->icount != UINT64_MAX) {
            img_json_uint(j, "icount", sn->icount);
        }
        img_json_uint(j, "vm-clock-nsec", sn->vm_clock_nsec % 1000000000ULL);
        img_json_str(j, "name", sn->name ? sn->name : "");
        img_json_uint(j, "date-sec", sn->date_sec);
        img_json_uint(j, "date-nsec", sn->date_nsec);
        img_json_uint(j, "vm-clock-sec", sn->vm_clock_nsec / 1000000000ULL);
        img_json_str(j, "id", sn->id ? sn->id : "");
        img_json_uint(j, "vm-state-size", sn->vm_state_size);
        img_json_end_object(j);
    }
    img_json_end_array(j);
}
