/* The short chardev forms of -serial, -monitor and -qmp (QEMU's spelling): each is turned
 * into the equivalent -chardev spec, e.g. "tcp::4444,server=on" -> "socket,port=4444,...". */
#include <stdlib.h>
#include <string.h>
#include "chardev/chardev-internal.h"
#include "util/cutils.h"

#define SHORT_FORMS "stdio, mon:stdio, null, none, pty, file:PATH, pipe:PATH, " \
                    "tcp:HOST:PORT, unix:PATH, chardev:ID, /dev/DEVICE"

/* Doubles commas so that a path survives the sub-option parser. */
static char *escape_commas(const char *s)
{
    char *out = xmalloc(strlen(s) * 2 + 1);
    char *o = out;

    for (; *s; s++) {
        *o++ = *s;
        if (*s == ',') {
            *o++ = ',';
        }
    }
    *o = '\0';
    return out;
}

/* "HOST:PORT[,opts]" or "[V6HOST]:PORT[,opts]" into "host=H,port=P[,opts]". */
static char *tcp_short_to_options(const char *full, const char *addr, Error **errp)
{
    const char *comma = strchr(addr, ',');
    const char *opts = comma ? comma + 1 : "";
    char *hostport = comma ? strndup(addr, (size_t)(comma - addr)) : xstrdup(addr);
    char *colon = strrchr(hostport, ':');
    char *host, *result = NULL;

    if (!colon || !colon[1]) {
        error_setg(errp, "'%s': expected tcp:HOST:PORT", full);
        free(hostport);
        return NULL;
    }
    *colon = '\0';
    host = hostport;
    if (host[0] == '[' && colon > host + 1 && colon[-1] == ']') {
        colon[-1] = '\0';
        host++;
    }
    result = xasprintf("%s%s%sport=%s%s%s", *host ? "host=" : "", host, *host ? "," : "",
                       colon + 1, *opts ? "," : "", opts);
    free(hostport);
    return result;
}

/* Builds the -chardev spec (without id) for one short form, or NULL with *errp. */
static char *short_to_spec(const char *spec, Error **errp)
{
    const char *arg;
    char *esc, *opts, *out;

    if (!strcmp(spec, "stdio") || !strcmp(spec, "null") || !strcmp(spec, "pty")) {
        return xstrdup(spec);
    }
    if (!strcmp(spec, "vc") || !strncmp(spec, "vc:", 3)) {
        return xstrdup("vc");       /* a text console; QEMU's size suffix is not needed */
    }
    if ((arg = strchr(spec, ':')) && (!strncmp(spec, "file:", 5) || !strncmp(spec, "pipe:", 5))) {
        if (!arg[1]) {
            error_setg(errp, "'%s': a path is needed after '%.5s'", spec, spec);
            return NULL;
        }
        esc = escape_commas(arg + 1);
        out = xasprintf("%.4s,path=%s", spec, esc);
        free(esc);
        return out;
    }
    if (!strncmp(spec, "/dev/", 5)) {
        esc = escape_commas(spec);
        out = xasprintf("serial,path=%s", esc);     /* a host serial port, as QEMU */
        free(esc);
        return out;
    }
    if (!strncmp(spec, "unix:", 5)) {
        if (!spec[5] || spec[5] == ',') {
            error_setg(errp, "'%s': a path is needed after 'unix:'", spec);
            return NULL;
        }
        return xasprintf("socket,path=%s", spec + 5);
    }
    if (!strncmp(spec, "tcp:", 4) || !strncmp(spec, "telnet:", 7)) {
        bool telnet = spec[0] == 't' && spec[1] == 'e';
        opts = tcp_short_to_options(spec, spec + (telnet ? 7 : 4), errp);
        if (!opts) {
            return NULL;
        }
        out = xasprintf("socket,%s%s", opts, telnet ? ",telnet=on" : "");
        free(opts);
        return out;
    }
    error_setg(errp, "unknown character device '%s' (use %s)", spec, SHORT_FORMS);
    return NULL;
}

static Chardev *chardev_open_short(const char *spec, const char *id, bool mux, Error **errp)
{
    char *body = short_to_spec(spec, errp);
    char *full;
    Chardev *chr;

    if (!body) {
        return NULL;
    }
    /* As QEMU: "mon:stdio" passes Ctrl-C to the guest (signal=off); C-a x quits. */
    full = xasprintf("%s,id=%s%s%s", body, id, mux ? ",mux=on" : "",
                     mux && !strcmp(body, "stdio") ? ",signal=off" : "");
    chr = chardev_new_from_spec(full, errp);
    free(full);
    free(body);
    return chr;
}

Chardev *chardev_new_from_short(const char *spec, const char *id, Error **errp)
{
    Chardev *chr;

    if (!strcmp(spec, "none")) {
        return NULL;
    }
    if (!strncmp(spec, "chardev:", 8)) {
        chr = chardev_find(spec + 8);
        if (!chr) {
            error_setg(errp, "'%s': no chardev with id '%s'", spec, spec + 8);
        }
        return chr;
    }
    if (!strncmp(spec, "mon:", 4)) {
        if (!strcmp(spec + 4, "none") || !strncmp(spec + 4, "chardev:", 8) ||
            !strncmp(spec + 4, "mon:", 4)) {
            error_setg(errp, "'%s': mon: needs a backend such as mon:stdio", spec);
            return NULL;
        }
        return chardev_open_short(spec + 4, id, true, errp);
    }
    return chardev_open_short(spec, id, false, errp);
}
