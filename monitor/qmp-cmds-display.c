/* QMP commands of the display: screendump (QEMU 7.2's ui.json: filename, device, head,
 * format ppm|png). */
#include "monitor/qmp-cmds.h"
#include "ui/console.h"
#include "util/json.h"

JsonValue *qmp_screendump(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const JsonValue *device = json_object_get(args, "device");
    const JsonValue *format = json_object_get(args, "format");

    if (display_screendump(json_get_string(json_object_get(args, "filename")),
                           device ? json_get_string(device) : NULL,
                           format ? json_get_string(format) : NULL, errp) < 0) {
        return NULL;
    }
    return json_new_object();
}
