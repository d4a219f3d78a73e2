/* Printing internal snapshot lists as qemu-img does (table and JSON). */
#ifndef TOOLS_IMG_SNAPSHOT_LIST_H
#define TOOLS_IMG_SNAPSHOT_LIST_H

#include <stdio.h>
#include "block/block.h"
#include "tools/img-json.h"

void img_snapshot_print_table(const BlockSnapshotInfo *list, int count, FILE *out);
void img_snapshot_print_json(ImgJson *j, const BlockSnapshotInfo *list, int count);

#endif
