/* The monitor's chardev glue: attaches HMP and QMP sessions to character devices, turns
 * chardev events (client connected, mux focus) into banners and greetings, and forwards
 * run-state events to QMP clients. */
#include <stdlib.h>
#include "monitor/monitor-internal.h"
#include "util/cutils.h"

#define MONITOR_READ_CHUNK 4096

typedef struct MonitorHmp {
    CharFrontend fe;
    HmpSession *session;
    bool opened;            /* a client is there (CHR_EVENT_OPENED) */
    bool focused;           /* the mux shows us (always true without a mux) */
    bool greeted;           /* banner printed for this client */
} MonitorHmp;

typedef struct MonitorQmp {
    CharFrontend fe;
    QmpSession *session;
} MonitorQmp;

/* ---- HMP ---- */

static void hmp_chr_write(void *opaque, const char *buf, size_t len)
{
    MonitorHmp *mon = opaque;
    chardev_write(&mon->fe, buf, (int)len);
}

static int monitor_chr_can_read(void *opaque)
{
    return MONITOR_READ_CHUNK;
}

static void hmp_chr_read(void *opaque, const uint8_t *buf, int len)
{
    MonitorHmp *mon = opaque;
    hmp_session_input(mon->session, (const char *)buf, (size_t)len);
}

/* Banner and prompt once a client is there and can see us; the prompt again when the
 * mux switches back to us. */
static void hmp_chr_show(MonitorHmp *mon)
{
    if (!mon->opened || !mon->focused) {
        return;
    }
    if (!mon->greeted) {
        mon->greeted = true;
        hmp_session_open(mon->session);
    } else {
        hmp_session_redraw(mon->session);
    }
}

static void hmp_chr_event(void *opaque, ChardevEvent event)
{
    MonitorHmp *mon = opaque;
    switch (event) {
    case CHR_EVENT_OPENED:
        mon->opened = true;
        mon->greeted = false;
        hmp_chr_show(mon);
        break;
    case CHR_EVENT_CLOSED:
        mon->opened = false;
        break;
    case CHR_EVENT_MUX_IN:
        mon->focused = true;
        hmp_chr_show(mon);
        break;
    case CHR_EVENT_MUX_OUT:
        mon->focused = false;
        break;
    case CHR_EVENT_BREAK:
        break;
    }
}

int monitor_init_hmp(Chardev *chr, Error **errp)
{
    MonitorHmp *mon = xzalloc(sizeof(*mon));
    mon->focused = true;
    mon->session = hmp_session_new(monitor_system_default(), hmp_chr_write, mon);
    hmp_session_set_plain(mon->session, chardev_output_is_pipe_or_file(chr));
    if (chardev_attach(&mon->fe, chr, monitor_chr_can_read, hmp_chr_read, hmp_chr_event, mon,
                       errp) < 0) {
        hmp_session_free(mon->session);
        free(mon);
        return -1;
    }
    if (chardev_is_mux(chr)) {
        chardev_mux_focus(&mon->fe);    /* mon:stdio starts in the monitor, as QEMU */
    }
    return 0;       /* lives as long as the process */
}

/* ---- QMP ---- */

static void qmp_chr_write(void *opaque, const char *buf, size_t len)
{
    MonitorQmp *mon = opaque;
    chardev_write(&mon->fe, buf, (int)len);
}

static void qmp_chr_read(void *opaque, const uint8_t *buf, int len)
{
    MonitorQmp *mon = opaque;
    qmp_session_input(mon->session, (const char *)buf, (size_t)len);
}

static void qmp_chr_event(void *opaque, ChardevEvent event)
{
    MonitorQmp *mon = opaque;
    if (event == CHR_EVENT_OPENED) {
        qmp_session_open(mon->session);     /* greeting; negotiation starts over */
    }
}

static void qmp_runstate_event(void *opaque, RunEvent event, ShutdownCause cause)
{
    MonitorQmp *mon = opaque;
    qmp_session_event(mon->session, event, cause);
}

int monitor_init_qmp(Chardev *chr, bool pretty, Error **errp)
{
    MonitorQmp *mon = xzalloc(sizeof(*mon));
    mon->session = qmp_session_new(monitor_system_default(), pretty, qmp_chr_write, mon);
    if (chardev_attach(&mon->fe, chr, monitor_chr_can_read, qmp_chr_read, qmp_chr_event, mon,
                       errp) < 0) {
        qmp_session_free(mon->session);
        free(mon);
        return -1;
    }
    runstate_add_listener(qmp_runstate_event, mon);
    return 0;
}

char *monitor_hmp_capture(const char *cmdline, int cpu_index)
{
    return hmp_execute_capture(monitor_system_default(), cmdline, cpu_index);
}
