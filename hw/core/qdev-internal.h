/* Private interface between the device tree (qdev.c) and properties (qdev-properties.c). */
#ifndef HW_CORE_QDEV_INTERNAL_H
#define HW_CORE_QDEV_INTERNAL_H

#include "hw/qdev.h"

int qdev_prop_count(const DeviceType *type);
void qdev_props_set_defaults(DeviceState *dev);
void qdev_props_free(DeviceState *dev);
/* Properties as "info qtree" shows them, one per line at indent. */
void qdev_props_print(FILE *out, DeviceState *dev, int indent);

#endif
