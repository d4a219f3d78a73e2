/* QMP commands of the display: screendump (QEMU 7.2's ui.json: filename, device, head,
 * format ppm|png), set_password and change-vnc-password (protocol vnc). */
#include <string.h>
#include "monitor/qmp-cmds.h"
#include "ui/console.h"
#include "ui/vnc.h"
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

JsonValue *qmp_set_password(QmpSession *qs, const JsonValue *args, Error **errp)
{
    const char *protocol = json_get_string(json_object_get(args, "protocol"));

    if (strcmp(protocol, "vnc")) {
        error_setg(errp, "Invalid parameter 'protocol': only vnc is supported");
        return NULL;
    }
    if (vnc_set_password(json_get_string(json_object_get(args, "password")), errp) < 0) {
        return NULL;
    }
    return json_new_object();
}

JsonValue *qmp_change_vnc_password(QmpSession *qs, const JsonValue *args, Error **errp)
{
    if (vnc_set_password(json_get_string(json_object_get(args, "password")), errp) < 0) {
        return NULL;
    }
    return json_new_object();
}
