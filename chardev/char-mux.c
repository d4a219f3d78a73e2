/* The mux: several front ends (serial port, monitor) share one backend; input goes to the
 * focused one, output from all. Keys as QEMU's: C-a h/x/s/b/c/t and C-a C-a. */
#include <stdlib.h>
#include <string.h>
#include "chardev/chardev-internal.h"
#include "system/runstate.h"
#include "system/timer.h"
#include "util/cutils.h"

#define MUX_MAX_FRONTENDS 4
#define MUX_BUFFER_SIZE 32
/* The escape key: C-a unless -echr chose another. */
static uint8_t mux_escape_char = 0x01;

void chardev_mux_set_escape_char(uint8_t c)
{
    mux_escape_char = c ? c : 0x01;
}

typedef struct MuxState {
    Chardev *mux;
    Chardev *base;
    CharFrontend base_fe;       /* the mux's own attachment to base */
    CharFrontend *fes[MUX_MAX_FRONTENDS];
    /* Input taken from base but not yet accepted by each front end. */
    uint8_t buf[MUX_MAX_FRONTENDS][MUX_BUFFER_SIZE];
    int buf_len[MUX_MAX_FRONTENDS];
    int count;
    int focus;                  /* index in fes, -1 with no front end */
    bool escape_pending;
    bool timestamps;
    bool at_line_start;
    int64_t timestamps_since;
} MuxState;

static const char mux_help[] =
    "\r\n"
    "C-a h    print this help\r\n"
    "C-a x    exit emulator\r\n"
    "C-a s    save disk data back to file (not supported: no -snapshot disks yet)\r\n"
    "C-a t    toggle console timestamps\r\n"
    "C-a b    send break (magic sysrq)\r\n"
    "C-a c    switch between console and monitor\r\n"
    "C-a C-a  sends C-a\r\n";

static MuxState *mux_state(Chardev *mux)
{
    return mux->opaque;
}

static void mux_base_write(MuxState *ms, const char *text)
{
    ms->base->backend->write(ms->base, (const uint8_t *)text, (int)strlen(text));
}

static void mux_send_event(CharFrontend *fe, ChardevEvent event)
{
    if (fe && fe->event) {
        fe->event(fe->opaque, event);
    }
}

/* Hands buffered input to front end i while it has room. */
static void mux_flush(MuxState *ms, int i)
{
    CharFrontend *fe = ms->fes[i];

    while (fe && ms->buf_len[i] > 0) {
        int room = fe->can_read ? fe->can_read(fe->opaque) : ms->buf_len[i];
        int n = MIN(room, ms->buf_len[i]);
        if (n <= 0 || !fe->read) {
            break;
        }
        fe->read(fe->opaque, ms->buf[i], n);
        memmove(ms->buf[i], ms->buf[i] + n, (size_t)(ms->buf_len[i] - n));
        ms->buf_len[i] -= n;
    }
}

static void mux_set_focus(MuxState *ms, int index)
{
    int old = ms->focus;

    if (index == old || index < 0 || index >= ms->count) {
        return;
    }
    if (old >= 0 && old < ms->count) {
        mux_send_event(ms->fes[old], CHR_EVENT_MUX_OUT);
    }
    ms->focus = index;
    mux_send_event(ms->fes[index], CHR_EVENT_MUX_IN);
    mux_flush(ms, index);
    chardev_accept_input(&ms->base_fe);
}

static void mux_request_exit(MuxState *ms)
{
    mux_base_write(ms, "mimic: terminated\r\n");
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI);
}

static void mux_deliver(MuxState *ms, uint8_t byte)
{
    int f = ms->focus;

    if (f < 0 || ms->buf_len[f] >= MUX_BUFFER_SIZE) {
        return;     /* nobody to take it (or can_read was not honoured): drop */
    }
    ms->buf[f][ms->buf_len[f]++] = byte;
}

/* The byte after C-a. */
static void mux_escape_command(MuxState *ms, uint8_t cmd)
{
    if (cmd == mux_escape_char) {
        mux_deliver(ms, cmd);       /* the escape key twice sends it once */
        return;
    }
    switch (cmd) {
    case '?':
    case 'h':
        mux_base_write(ms, mux_help);
        break;
    case 'x':
        mux_request_exit(ms);
        break;
    case 's':
        mux_base_write(ms, "\r\nmimic: C-a s is not supported (no disks to save)\r\n");
        break;
    case 'b':
        if (ms->focus >= 0) {
            mux_send_event(ms->fes[ms->focus], CHR_EVENT_BREAK);
        }
        break;
    case 'c':
        if (ms->count > 0) {
            mux_set_focus(ms, (ms->focus + 1) % ms->count);
        }
        break;
    case 't':
        ms->timestamps = !ms->timestamps;
        ms->timestamps_since = clock_get_ns(CLK_REALTIME);
        ms->at_line_start = true;
        break;
    default:
        break;      /* unknown escape: ignored, as QEMU does */
    }
}

static void mux_process_byte(MuxState *ms, uint8_t byte)
{
    if (ms->escape_pending) {
        ms->escape_pending = false;
        mux_escape_command(ms, byte);
    } else if (byte == mux_escape_char) {
        ms->escape_pending = true;
    } else {
        mux_deliver(ms, byte);
    }
}

/* --- the mux as front end of its base ------------------------------------------------ */

static int mux_base_can_read(void *opaque)
{
    MuxState *ms = opaque;

    if (ms->focus < 0) {
        return MUX_BUFFER_SIZE;     /* still read: C-a x must work with no front end */
    }
    return MUX_BUFFER_SIZE - ms->buf_len[ms->focus];
}

static void mux_base_read(void *opaque, const uint8_t *buf, int len)
{
    MuxState *ms = opaque;

    for (int i = 0; i < len; i++) {
        mux_process_byte(ms, buf[i]);
    }
    if (ms->focus >= 0) {
        mux_flush(ms, ms->focus);
    }
}

static void mux_base_event(void *opaque, ChardevEvent event)
{
    MuxState *ms = opaque;

    if (event == CHR_EVENT_OPENED || event == CHR_EVENT_CLOSED) {
        ms->mux->be_open = event == CHR_EVENT_OPENED;
    }
    if (event == CHR_EVENT_BREAK) {
        if (ms->focus >= 0) {
            mux_send_event(ms->fes[ms->focus], event);
        }
        return;
    }
    for (int i = 0; i < ms->count; i++) {
        mux_send_event(ms->fes[i], event);
    }
}

/* --- mux chardev operations ------------------------------------------------------------ */

static void mux_write_timestamp(MuxState *ms)
{
    int64_t ms_total = (clock_get_ns(CLK_REALTIME) - ms->timestamps_since) / NS_PER_MS;
    char stamp[40];

    snprintf(stamp, sizeof(stamp), "[%02d:%02d:%02d.%03d] ", (int)(ms_total / 3600000),
             (int)(ms_total / 60000 % 60), (int)(ms_total / 1000 % 60), (int)(ms_total % 1000));
    mux_base_write(ms, stamp);
}

static int mux_write(Chardev *mux, const uint8_t *buf, int len)
{
    MuxState *ms = mux_state(mux);
    int start = 0;

    if (!ms->timestamps) {
        return ms->base->backend->write(ms->base, buf, len);
    }
    for (int i = 0; i < len; i++) {
        if (ms->at_line_start) {
            ms->base->backend->write(ms->base, buf + start, i - start);
            start = i;
            mux_write_timestamp(ms);
            ms->at_line_start = false;
        }
        if (buf[i] == '\n') {
            ms->at_line_start = true;
        }
    }
    ms->base->backend->write(ms->base, buf + start, len - start);
    return len;
}

static void mux_close(Chardev *mux)
{
    MuxState *ms = mux_state(mux);

    for (int i = 0; i < ms->count; i++) {
        ms->fes[i]->chr = NULL;     /* still attached: their writes now fail cleanly */
        ms->fes[i]->mux_index = -1;
    }
    chardev_detach(&ms->base_fe);
    chardev_delete(ms->base);
    free(ms);
    mux->opaque = NULL;
}

const ChardevBackend chardev_mux_backend = {
    .name = "mux",
    .write = mux_write,
    .close = mux_close,
};

Chardev *chardev_mux_new(const char *id, Chardev *base, Error **errp)
{
    Chardev *mux = chardev_create(id, "mux", "", errp);
    MuxState *ms;

    if (!mux) {
        return NULL;
    }
    ms = xzalloc(sizeof(*ms));
    ms->mux = mux;
    ms->base = base;
    ms->focus = -1;
    ms->at_line_start = true;
    mux->opaque = ms;
    if (chardev_attach(&ms->base_fe, base, mux_base_can_read, mux_base_read, mux_base_event,
                       ms, errp) < 0) {
        mux->opaque = NULL;
        free(ms);
        chardev_delete(mux);
        return NULL;
    }
    mux->be_open = base->be_open;
    return mux;
}

int chardev_mux_attach(Chardev *mux, CharFrontend *fe, Error **errp)
{
    MuxState *ms = mux_state(mux);
    int index = ms->count;

    if (index == MUX_MAX_FRONTENDS) {
        error_setg(errp, "chardev '%s': a mux takes at most %d front ends", mux->id,
                   MUX_MAX_FRONTENDS);
        return -1;
    }
    fe->chr = mux;
    fe->mux_index = index;
    ms->fes[index] = fe;
    ms->buf_len[index] = 0;
    ms->count++;
    /* Focus first, then OPENED: a front end knows whether it may print its banner. */
    if (ms->focus < 0) {
        ms->focus = index;
        mux_send_event(fe, CHR_EVENT_MUX_IN);
    } else {
        mux_send_event(fe, CHR_EVENT_MUX_OUT);
    }
    if (ms->base->be_open) {
        mux_send_event(fe, CHR_EVENT_OPENED);
    }
    chardev_accept_input(&ms->base_fe);
    return 0;
}

void chardev_mux_detach(Chardev *mux, CharFrontend *fe)
{
    MuxState *ms = mux_state(mux);
    int index = fe->mux_index;

    if (index < 0 || index >= ms->count || ms->fes[index] != fe) {
        return;
    }
    for (int i = index; i < ms->count - 1; i++) {
        ms->fes[i] = ms->fes[i + 1];
        ms->fes[i]->mux_index = i;
        memcpy(ms->buf[i], ms->buf[i + 1], MUX_BUFFER_SIZE);
        ms->buf_len[i] = ms->buf_len[i + 1];
    }
    ms->count--;
    ms->fes[ms->count] = NULL;
    ms->buf_len[ms->count] = 0;
    if (ms->focus > index) {
        ms->focus--;
    } else if (ms->focus == index) {
        ms->focus = -1;
        if (ms->count > 0) {
            mux_set_focus(ms, 0);
        }
    }
}

void chardev_mux_accept_input(Chardev *mux, CharFrontend *fe)
{
    MuxState *ms = mux_state(mux);

    if (fe->mux_index >= 0 && fe->mux_index < ms->count) {
        mux_flush(ms, fe->mux_index);
    }
    chardev_accept_input(&ms->base_fe);
}

/* QEMU's start-up rule: the front end attached last (with -nographic the guest's serial
 * port, attached by the machine after the monitor) holds the focus when the guest starts. */
void chardev_mux_focus_last(Chardev *mux)
{
    MuxState *ms = mux_state(mux);

    if (ms->count > 0) {
        mux_set_focus(ms, ms->count - 1);
    }
}

void chardev_mux_focus(CharFrontend *fe)
{
    if (!chardev_is_mux(fe->chr)) {
        return;
    }
    mux_set_focus(mux_state(fe->chr), fe->mux_index);
}

Chardev *chardev_mux_base(Chardev *mux)
{
    MuxState *ms = mux->opaque;
    return ms ? ms->base : NULL;
}
