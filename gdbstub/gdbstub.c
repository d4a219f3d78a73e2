/* The gdbstub's connection: GDB remote serial protocol framing ($data#cs, +/- acks,
 * Ctrl-C as a lone 0x03 byte; "Debugging with GDB", E.1 "Overview") over a chardev, and
 * the run control it implies (stop when gdb attaches, stop replies when the VM stops,
 * resume on continue/step, detach). Runs on the main loop with the big lock held. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accel/tcg.h"
#include "gdbstub/internal.h"
#include "monitor/monitor.h"
#include "system/runstate.h"
#include "util/cutils.h"
#include "util/error.h"

/* The one debugger connection of the process (a registry, like the monitor's). */
static GDBState gdb_state;

/* ---- hex -------------------------------------------------------------------------------- */

void gdb_hex_encode(char *out, const uint8_t *buf, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[buf[i] >> 4];
        out[2 * i + 1] = digits[buf[i] & 15];
    }
    out[2 * len] = 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

long gdb_hex_decode(uint8_t *buf, size_t max, const char *hex, size_t hex_len)
{
    if (hex_len % 2) {
        return -1;
    }
    size_t n = hex_len / 2 < max ? hex_len / 2 : max;
    for (size_t i = 0; i < n; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        buf[i] = (uint8_t)(hi << 4 | lo);
    }
    return (long)n;
}

/* ---- output -------------------------------------------------------------------------------- */

void gdb_put_packet(GDBState *s, const char *data, size_t len)
{
    char *out = xmalloc(2 * len + 5);
    size_t n = 0;
    uint8_t sum = 0;

    out[n++] = '$';
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            out[n++] = '}';
            sum += '}';
            c ^= 0x20;
        }
        out[n++] = c;
        sum += (uint8_t)c;
    }
    n += (size_t)snprintf(out + n, 4, "#%02x", sum);
    chardev_write(&s->fe, out, (int)n);
    free(out);
}

void gdb_put_str(GDBState *s, const char *text)
{
    gdb_put_packet(s, text, strlen(text));
}

/* ---- run control ------------------------------------------------------------------------ */

CPUState *gdb_cpu(int index)
{
    CPUState *cpu = cpu_by_index(index);
    return cpu ? cpu : cpu_first();
}

static bool accel_is_tcg(void)
{
    const AccelOps *a = accel_current();
    return a && !strcmp(a->name, "tcg");
}

int gdb_nb_cpus(void)
{
    int n = 0;
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        n = cpu->index >= n ? cpu->index + 1 : n;
    }
    return n;
}

void gdb_resume_actions(GDBState *s, const char *act)
{
    if (accel_is_tcg()) {
        for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
            char a = act ? act[cpu->index] : 'c';
            tcg_cpu_set_single_step(cpu, a == 's');
            tcg_cpu_clear_debug_stop(cpu);
            cpus_set_debug_hold(cpu, !a);
        }
    }
    s->running = true;
    if (runstate_is_running()) {
        return;
    }
    vm_start();
}

void gdb_resume(GDBState *s, int step_cpu)
{
    int nb = gdb_nb_cpus();
    char *act = xmalloc((size_t)nb + 1);
    memset(act, 'c', (size_t)nb);
    if (step_cpu >= 0 && step_cpu < nb) {
        act[step_cpu] = 's';
    }
    gdb_resume_actions(s, act);
    free(act);
}

/* The vCPU that stopped for the debugger, if any (*stop filled). */
static CPUState *gdb_debug_stopped_cpu(TCGDebugStop *stop)
{
    if (!accel_is_tcg()) {
        return NULL;
    }
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        if (tcg_cpu_debug_stop(cpu, stop)) {
            return cpu;
        }
    }
    return NULL;
}

void gdb_choose_description(GDBState *s)
{
    const GDBTargetOps *ops = s->family;
    if (ops->for_mode) {
        ops = ops->for_mode(gdb_cpu(s->g_cpu));
    }
    if (ops != s->ops || !s->xml) {
        free(s->xml);
        s->ops = ops;
        s->xml = gdb_target_xml(ops);
    }
    s->noticed = NULL;
}

/* gdb reads the description only at connection (and on 'unset tdesc filename'): when the
 * stopped CPU's mode wants another layout than the one gdb has, say so once (an O packet,
 * printed by gdb while it waits for the stop reply). Registers keep gdb's layout. */
static void gdb_notice_mode_change(GDBState *s, CPUState *cpu)
{
    const GDBTargetOps *want = s->family->for_mode ? s->family->for_mode(cpu) : s->ops;
    if (want == s->ops || want == s->noticed) {
        return;
    }
    char text[256], hex[2 * sizeof(text) + 2];
    int n = snprintf(text, sizeof(text), "mimic: CPU %d now wants the %s register layout; "
                     "gdb keeps %s until it reads the description again "
                     "('unset tdesc filename', or reconnect)\n",
                     cpu->index, want->architecture, s->ops->architecture);
    n = n < (int)sizeof(text) ? n : (int)sizeof(text) - 1;
    hex[0] = 'O';
    gdb_hex_encode(hex + 1, (const uint8_t *)text, (size_t)n);
    gdb_put_str(s, hex);
    s->noticed = want;
}

/* "T05thread:01;" plus "watch:ADDR;" (rwatch, awatch) for a watchpoint hit; notice: the
 * answer to a resume, which may be preceded by O packets. */
static void gdb_stop_reply(GDBState *s, int signal, bool notice)
{
    TCGDebugStop stop;
    CPUState *cpu = gdb_debug_stopped_cpu(&stop);
    char reply[96];
    int n;

    if (cpu) {
        s->g_cpu = s->c_cpu = cpu->index;
        signal = 5;
    }
    if (notice) {
        gdb_notice_mode_change(s, gdb_cpu(s->c_cpu));
    }
    n = snprintf(reply, sizeof(reply), "T%02xthread:%02x;", signal, gdb_cpu(s->c_cpu)->index + 1);
    if (cpu && stop.kind == TCG_STOP_WATCHPOINT) {
        const char *kind = stop.flags == TCG_WP_WRITE ? "watch" :
                           stop.flags == TCG_WP_READ ? "rwatch" : "awatch";
        snprintf(reply + n, sizeof(reply) - (size_t)n, "%s:%llx;", kind,
                 (unsigned long long)stop.addr);
    }
    gdb_put_str(s, reply);
}

void gdb_send_stop_reply(GDBState *s, int signal)
{
    gdb_stop_reply(s, signal, false);
}

static void gdb_run_event(void *opaque, RunEvent event, ShutdownCause cause)
{
    GDBState *s = opaque;
    (void)cause;
    if (!s->connected || !s->running) {
        return;
    }
    if (event == RUN_EVENT_STOP) {
        s->running = false;
        /* Ctrl-C and the monitor's stop report SIGINT; debug exits SIGTRAP. */
        gdb_stop_reply(s, runstate_get() == RUN_STATE_DEBUG ? 5 : 2, true);
    } else if (event == RUN_EVENT_SHUTDOWN) {
        s->running = false;
        gdb_put_str(s, "W00");
    }
}

static void gdb_stop_vm(void)
{
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
}

/* Removes every point and stepping (with the vCPUs stopped, as points change only then);
 * the VM is left stopped. Returns whether it was running. */
static bool gdb_drop_debug_state(GDBState *s)
{
    bool was_running = runstate_is_running();

    s->running = false;             /* no stop reply for this stop */
    s->phys_mode = false;
    if (accel_is_tcg()) {
        if (was_running) {
            vm_stop(RUN_STATE_PAUSED);
        }
        tcg_debug_remove_all();
        for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
            tcg_cpu_set_single_step(cpu, false);
            tcg_cpu_clear_debug_stop(cpu);
            cpus_set_debug_hold(cpu, false);
        }
    }
    return was_running;
}

void gdb_detach(GDBState *s)
{
    bool was_running = gdb_drop_debug_state(s);
    if (was_running || runstate_get() == RUN_STATE_DEBUG ||
        runstate_get() == RUN_STATE_PAUSED) {
        vm_start();
    }
}

/* The connection closed without D (gdb's "disconnect", or gdb died): points and
 * stepping go, a stopped guest stays stopped (as QEMU), so that gdb can reconnect. */
static void gdb_disconnect(GDBState *s)
{
    if (gdb_drop_debug_state(s) && !runstate_is_running()) {
        vm_start();
    }
}

/* ---- input ----------------------------------------------------------------------------- */

static void gdb_packet_done(GDBState *s, int lo)
{
    int hi = s->csum_hi;
    s->rs = RS_IDLE;
    if (!s->no_ack) {
        bool good = hi >= 0 && lo >= 0 && (uint8_t)(hi << 4 | lo) == s->in_sum;
        chardev_write(&s->fe, good ? "+" : "-", 1);
        if (!good) {
            return;
        }
    }
    s->in[s->in_len] = 0;
    gdb_handle_packet(s, s->in, s->in_len);
}

static void gdb_read_byte(GDBState *s, uint8_t c)
{
    switch (s->rs) {
    case RS_IDLE:
        if (c == '$') {
            s->rs = RS_DATA;
            s->in_len = 0;
            s->in_sum = 0;
        } else if (c == 0x03 && s->running) {
            gdb_stop_vm();          /* Ctrl-C: the STOP event sends the reply */
        }
        break;
    case RS_DATA:
        if (c == '#') {
            s->rs = RS_CSUM1;
        } else if (s->in_len < GDB_PACKET_MAX) {
            s->in[s->in_len++] = (char)c;
            s->in_sum += c;
        } else {
            s->rs = RS_IDLE;        /* too long: dropped, gdb gets no ack */
        }
        break;
    case RS_CSUM1:
        s->csum_hi = hex_digit((char)c);
        s->rs = RS_CSUM2;
        break;
    case RS_CSUM2:
        gdb_packet_done(s, hex_digit((char)c));
        break;
    }
}

static int gdb_can_read(void *opaque)
{
    (void)opaque;
    return 4096;
}

static void gdb_read(void *opaque, const uint8_t *buf, int len)
{
    for (int i = 0; i < len; i++) {
        gdb_read_byte(opaque, buf[i]);
    }
}

static void gdb_event(void *opaque, ChardevEvent event)
{
    GDBState *s = opaque;
    if (event == CHR_EVENT_OPENED) {
        s->connected = true;
        s->no_ack = false;
        s->rs = RS_IDLE;
        s->running = false;
        s->g_cpu = s->c_cpu = cpu_first() ? cpu_first()->index : 0;
        gdb_stop_vm();              /* as QEMU: the guest stops when gdb attaches */
        gdb_choose_description(s);
    } else if (event == CHR_EVENT_CLOSED && s->connected) {
        s->connected = false;
        gdb_disconnect(s);
    }
}

/* ---- start ------------------------------------------------------------------------------ */

static void gdb_stop_server(GDBState *s)
{
    if (!s->started) {
        return;
    }
    gdb_detach(s);
    chardev_detach(&s->fe);
    chardev_delete(s->chr);
    s->chr = NULL;
    s->started = false;
    s->connected = false;
}

/* "tcp::1234" is a server (QEMU's -gdb forms listen unless told otherwise). */
static char *gdb_device_spec(const char *device)
{
    bool socket = !strncmp(device, "tcp:", 4) || !strncmp(device, "unix:", 5);
    if (socket && !strstr(device, "server")) {
        return xasprintf("%s,server=on,wait=off", device);
    }
    if (socket && !strstr(device, "wait")) {
        return xasprintf("%s,wait=off", device);
    }
    return xstrdup(device);
}

static Chardev *gdb_open_chardev(const char *device, Error **errp)
{
    if (!strncmp(device, "chardev:", 8)) {
        Chardev *chr = chardev_find(device + 8);
        if (!chr) {
            error_setg(errp, "-gdb %s: no chardev with id '%s'", device, device + 8);
        }
        return chr;
    }
    char *spec = gdb_device_spec(device);
    Chardev *chr = chardev_new_from_short(spec, "gdb", errp);
    free(spec);
    if (!chr && errp && !*errp) {
        error_setg(errp, "-gdb %s: cannot open the debugger's device", device);
    }
    return chr;
}

int gdbserver_start(const char *device, Error **errp)
{
    GDBState *s = &gdb_state;
    CPUState *cpu = cpu_first();

    gdb_stop_server(s);
    if (!strcmp(device, "none")) {
        return 0;
    }
    s->family = cpu ? gdb_target_find(cpu->cls->arch) : NULL;
    if (!s->family) {
        error_setg(errp, "-gdb %s: no debugger support for this CPU", device);
        return -1;
    }
    s->chr = gdb_open_chardev(device, errp);
    if (!s->chr) {
        return -1;
    }
    if (chardev_attach(&s->fe, s->chr, gdb_can_read, gdb_read, gdb_event, s, errp) < 0) {
        s->chr = NULL;
        return -1;
    }
    gdb_choose_description(s);
    s->started = true;
    static bool listening;
    if (!listening) {
        runstate_add_listener(gdb_run_event, s);
        listening = true;
    }
    return 0;
}

bool gdbserver_attached(void)
{
    return gdb_state.connected;
}

/* The monitor's "gdbserver [device]" (default tcp::1234; "none" stops it). */
static void hmp_gdbserver(FILE *out, const char *args)
{
    const char *device = args && *args ? args : "tcp::1234";
    Error *err = NULL;
    if (gdbserver_start(device, &err) < 0) {
        fprintf(out, "%s\n", error_get_message(err));
        error_free(err);
    } else if (!strcmp(device, "none")) {
        fprintf(out, "Disabled gdbserver\n");
    } else {
        fprintf(out, "Waiting for gdb connection on device '%s'\n", device);
    }
}

static void __attribute__((constructor)) gdbstub_register(void)
{
    monitor_register_command("gdbserver", "[device]",
                             "start gdbserver on the given device (default 'tcp::1234'), "
                             "stop with 'none'", hmp_gdbserver);
}
