/* The gdbstub's packets ("Debugging with GDB", E.2 "Packets", E.4 "General Query
 * Packets", E.3 "Stop Reply Packets"): registers (g G p P), memory through the guest's
 * page tables or physically (m M X, Qqemu.PhyMemMode), run control (c s vCont ? k D),
 * threads = vCPUs (H T qfThreadInfo qC), points (Z z), qSupported, qXfer target
 * descriptions and qRcmd to the human monitor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accel/tcg.h"
#include "gdbstub/internal.h"
#include "monitor/monitor.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/cutils.h"

#define GDB_REG_MAX 64         /* largest register in bytes */

/* Parses a hex number at *p, advancing it; false if there is none. */
static bool parse_hex(const char **p, uint64_t *v)
{
    char *end;
    *v = strtoull(*p, &end, 16);
    if (end == *p) {
        return false;
    }
    *p = end;
    return true;
}

/* A thread id: "-1" (all), "0" (any) or the CPU index + 1; -2 if invalid. */
static int parse_thread(const char *p)
{
    if (!strncmp(p, "-1", 2)) {
        return -1;
    }
    uint64_t tid;
    if (!parse_hex(&p, &tid) || (tid && !cpu_by_index((int)tid - 1))) {
        return -2;
    }
    return tid ? (int)tid - 1 : 0;
}

/* ---- registers --------------------------------------------------------------------------- */

static void handle_read_registers(GDBState *s)
{
    CPUState *cpu = gdb_cpu(s->g_cpu);
    char *out = xmalloc(GDB_PACKET_MAX + 1);
    uint8_t reg[GDB_REG_MAX];
    size_t len = 0;

    for (int n = 0; n < s->ops->nb_regs; n++) {
        int size = s->ops->read_register(cpu, n, reg);
        if (len + 2 * (size_t)size > GDB_PACKET_MAX) {
            break;
        }
        gdb_hex_encode(out + len, reg, (size_t)size);
        len += 2 * (size_t)size;
    }
    gdb_put_packet(s, out, len);
    free(out);
}

static void handle_write_registers(GDBState *s, const char *hex)
{
    CPUState *cpu = gdb_cpu(s->g_cpu);
    size_t left = strlen(hex);
    uint8_t reg[GDB_REG_MAX];

    for (int n = 0; n < s->ops->nb_regs; n++) {
        size_t size = s->ops->regs[n].bits / 8;
        if (left < 2 * size) {
            break;          /* a short G packet leaves the rest alone */
        }
        if (gdb_hex_decode(reg, size, hex, 2 * size) != (long)size) {
            gdb_put_str(s, "E01");
            return;
        }
        s->ops->write_register(cpu, n, reg);
        hex += 2 * size;
        left -= 2 * size;
    }
    gdb_put_str(s, "OK");
}

static void handle_read_register(GDBState *s, const char *p)
{
    uint64_t n;
    uint8_t reg[GDB_REG_MAX];
    char hex[2 * GDB_REG_MAX + 1];
    int size;

    if (!parse_hex(&p, &n) || n >= (uint64_t)s->ops->nb_regs ||
        !(size = s->ops->read_register(gdb_cpu(s->g_cpu), (int)n, reg))) {
        gdb_put_str(s, "E14");
        return;
    }
    gdb_hex_encode(hex, reg, (size_t)size);
    gdb_put_str(s, hex);
}

static void handle_write_register(GDBState *s, const char *p)
{
    uint64_t n;
    uint8_t reg[GDB_REG_MAX];

    if (!parse_hex(&p, &n) || *p++ != '=' || n >= (uint64_t)s->ops->nb_regs) {
        gdb_put_str(s, "E14");
        return;
    }
    size_t size = s->ops->regs[n].bits / 8;
    if (gdb_hex_decode(reg, size, p, strlen(p)) != (long)size) {
        gdb_put_str(s, "E01");
        return;
    }
    s->ops->write_register(gdb_cpu(s->g_cpu), (int)n, reg);
    gdb_put_str(s, "OK");
}

/* ---- memory ---------------------------------------------------------------------------- */

/* Reads or writes guest memory as the debugger sees it: virtual through the current page
 * tables of the selected CPU (page by page), or physical in PhyMemMode. */
static int gdb_memory_rw(GDBState *s, uint64_t addr, uint8_t *buf, size_t len, bool write)
{
    CPUState *cpu = gdb_cpu(s->g_cpu);
    while (len) {
        size_t n = 4096 - (addr & 4095);
        hwaddr pa = addr;
        n = n < len ? n : len;
        if (!s->phys_mode && (!cpu->cls->get_phys_addr ||
                              cpu->cls->get_phys_addr(cpu, addr, &pa) < 0)) {
            return -1;
        }
        if (!write) {
            address_space_read(cpu->as, pa, buf, n);
        } else if (address_space_write_rom(cpu->as, pa, buf, n) < 0) {
            address_space_write(cpu->as, pa, buf, n);
        }
        addr += n;
        buf += n;
        len -= n;
    }
    return 0;
}

/* "ADDR,LEN" then what follows in *rest. */
static bool parse_addr_len(const char *p, uint64_t *addr, uint64_t *len, const char **rest)
{
    if (!parse_hex(&p, addr) || *p++ != ',' || !parse_hex(&p, len)) {
        return false;
    }
    *rest = p;
    return true;
}

static void handle_read_memory(GDBState *s, const char *p)
{
    uint64_t addr, len;
    if (!parse_addr_len(p, &addr, &len, &p) || len > GDB_PACKET_MAX / 2) {
        gdb_put_str(s, "E22");
        return;
    }
    uint8_t *buf = xmalloc(len + 1);
    char *hex = xmalloc(2 * len + 1);
    if (gdb_memory_rw(s, addr, buf, len, false) < 0) {
        gdb_put_str(s, "E14");
    } else {
        gdb_hex_encode(hex, buf, len);
        gdb_put_str(s, hex);
    }
    free(buf);
    free(hex);
}

/* M (hex data) and X (binary data, '}'-escaped). */
static void handle_write_memory(GDBState *s, const char *p, size_t plen, bool binary)
{
    const char *end = p + plen, *data;
    uint64_t addr, len;
    if (!parse_addr_len(p, &addr, &len, &data) || *data++ != ':' || len > GDB_PACKET_MAX) {
        gdb_put_str(s, "E22");
        return;
    }
    uint8_t *buf = xmalloc(len + 1);
    size_t got = 0;
    if (binary) {
        for (; data < end && got < len; data++) {
            buf[got++] = *data == '}' && data + 1 < end ? (uint8_t)(*++data ^ 0x20) : (uint8_t)*data;
        }
    } else {
        long n = gdb_hex_decode(buf, len, data, (size_t)(end - data));
        got = n < 0 ? 0 : (size_t)n;
    }
    if (got != len || gdb_memory_rw(s, addr, buf, len, true) < 0) {
        gdb_put_str(s, "E14");
    } else {
        gdb_put_str(s, "OK");
    }
    free(buf);
}

/* ---- breakpoints and watchpoints --------------------------------------------------------- */

static void handle_point(GDBState *s, const char *p, bool insert)
{
    static const int wp_flags[5] = { 0, 0, TCG_WP_WRITE, TCG_WP_READ, TCG_WP_ACCESS };
    const AccelOps *accel = accel_current();
    uint64_t type, addr, kind;
    int r;

    if (!accel || strcmp(accel->name, "tcg")) {
        gdb_put_str(s, "");         /* not supported under this accelerator */
        return;
    }
    if (!parse_hex(&p, &type) || *p++ != ',' || !parse_addr_len(p, &addr, &kind, &p) ||
        type > 4) {
        gdb_put_str(s, type > 4 ? "" : "E22");
        return;
    }
    if (type <= 1) {
        r = insert ? tcg_breakpoint_insert(addr) : tcg_breakpoint_remove(addr);
    } else {
        int fl = wp_flags[type];
        r = insert ? tcg_watchpoint_insert(addr, kind, fl) : tcg_watchpoint_remove(addr, kind, fl);
    }
    gdb_put_str(s, r < 0 ? "E22" : "OK");
}

/* ---- run control -------------------------------------------------------------------------- */

/* One vCont action applied to the vCPUs it names that have none yet (gdb lists the
 * specific ones first, then the default); false on a bad action or thread. */
static bool vcont_apply(char *act, int nb, char action, int tid)
{
    if (action != 'c' && action != 'C' && action != 's' && action != 'S') {
        return false;
    }
    if (tid == -2 || (tid >= 0 && tid >= nb)) {
        return false;
    }
    for (int i = 0; i < nb; i++) {
        if (!act[i] && (tid < 0 || tid == i)) {
            act[i] = action == 's' || action == 'S' ? 's' : 'c';
        }
    }
    return true;
}

/* vCont;ACTION[:TID]...: c/C continue, s/S step (signals are ignored, as QEMU's system
 * stub does), per vCPU; vCPUs no action names stay stopped (gdb's scheduler-locking). */
static void handle_vcont(GDBState *s, const char *p)
{
    int nb = gdb_nb_cpus();
    char *act = xzalloc((size_t)nb + 1);
    int step = -1;

    while (*p == ';') {
        char action = p[1];
        uint64_t sig;
        p += 2;
        if (action == 'C' || action == 'S') {
            parse_hex(&p, &sig);
        }
        if (!vcont_apply(act, nb, action, *p == ':' ? parse_thread(p + 1) : -1)) {
            gdb_put_str(s, "E22");
            free(act);
            return;
        }
        p += strcspn(p, ";");
    }
    for (int i = nb - 1; i >= 0; i--) {
        step = act[i] == 's' ? i : step;
    }
    if (step >= 0) {
        s->c_cpu = s->g_cpu = step;
    }
    gdb_resume_actions(s, act);
    free(act);
}

/* ---- queries ---------------------------------------------------------------------------- */

static void handle_qxfer_features(GDBState *s, const char *p)
{
    uint64_t off, len;
    const char *colon = strchr(p, ':');
    if (!colon || strncmp(p, "target.xml:", 11) || !parse_addr_len(colon + 1, &off, &len, &p)) {
        gdb_put_str(s, "E00");
        return;
    }
    if (off == 0) {
        gdb_choose_description(s);  /* gdb (re)reads it: the current mode's */
    }
    size_t total = strlen(s->xml);
    if (off >= total) {
        gdb_put_str(s, "l");
        return;
    }
    size_t n = total - off < len ? total - off : len;
    n = n < GDB_PACKET_MAX / 2 ? n : GDB_PACKET_MAX / 2;
    char *out = xmalloc(n + 2);
    out[0] = off + n < total ? 'm' : 'l';
    memcpy(out + 1, s->xml + off, n);
    gdb_put_packet(s, out, n + 1);
    free(out);
}

/* qRcmd,HEX: a human monitor command; its output goes back in O packets. */
static void handle_qrcmd(GDBState *s, const char *hex)
{
    size_t n = strlen(hex) / 2;
    char *cmd = xzalloc(n + 1);
    if (gdb_hex_decode((uint8_t *)cmd, n, hex, 2 * n) < 0) {
        free(cmd);
        gdb_put_str(s, "E01");
        return;
    }
    char *text = monitor_hmp_capture(cmd, gdb_cpu(s->g_cpu)->index);
    size_t len = 0;
    for (char *r = text; *r; r++) {         /* gdb prints it: plain newlines */
        if (*r != '\r') {
            text[len++] = *r;
        }
    }
    for (size_t off = 0; off < len; off += 1024) {
        size_t chunk = len - off < 1024 ? len - off : 1024;
        char *out = xmalloc(2 * chunk + 2);
        out[0] = 'O';
        gdb_hex_encode(out + 1, (const uint8_t *)text + off, chunk);
        gdb_put_str(s, out);
        free(out);
    }
    gdb_put_str(s, "OK");
    free(text);
    free(cmd);
}

static void handle_thread_list(GDBState *s)
{
    char out[1024];
    size_t n = 0;
    out[n++] = 'm';
    for (CPUState *cpu = cpu_first(); cpu && n < sizeof(out) - 12; cpu = cpu_next(cpu)) {
        n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%x", n > 1 ? "," : "",
                              cpu->index + 1);
    }
    out[n] = 0;
    gdb_put_str(s, out);
}

static void handle_thread_extra(GDBState *s, const char *p)
{
    int index = parse_thread(p);
    char text[64], hex[2 * sizeof(text) + 1];
    CPUState *cpu = index >= 0 ? cpu_by_index(index) : NULL;
    if (!cpu) {
        gdb_put_str(s, "E22");
        return;
    }
    int n = snprintf(text, sizeof(text), "CPU#%d [%s]", cpu->index,
                     cpu->halted ? "halted " : "running");
    gdb_hex_encode(hex, (const uint8_t *)text, (size_t)n);
    gdb_put_str(s, hex);
}

static bool handle_query(GDBState *s, const char *p)
{
    char buf[128];
    if (!strncmp(p, "qSupported", 10)) {
        snprintf(buf, sizeof(buf), "PacketSize=%x;qXfer:features:read+;vContSupported+;"
                 "QStartNoAckMode+", GDB_PACKET_MAX);
        gdb_put_str(s, buf);
    } else if (!strncmp(p, "qXfer:features:read:", 20)) {
        handle_qxfer_features(s, p + 20);
    } else if (!strcmp(p, "qfThreadInfo")) {
        handle_thread_list(s);
    } else if (!strcmp(p, "qsThreadInfo")) {
        gdb_put_str(s, "l");
    } else if (!strncmp(p, "qThreadExtraInfo,", 17)) {
        handle_thread_extra(s, p + 17);
    } else if (!strcmp(p, "qC")) {
        snprintf(buf, sizeof(buf), "QC%x", gdb_cpu(s->g_cpu)->index + 1);
        gdb_put_str(s, buf);
    } else if (!strcmp(p, "qAttached")) {
        gdb_put_str(s, "1");
    } else if (!strncmp(p, "qRcmd,", 6)) {
        handle_qrcmd(s, p + 6);
    } else if (!strcmp(p, "qqemu.PhyMemMode")) {
        gdb_put_str(s, s->phys_mode ? "1" : "0");
    } else {
        return false;
    }
    return true;
}

static bool handle_set(GDBState *s, const char *p)
{
    if (!strcmp(p, "QStartNoAckMode")) {
        gdb_put_str(s, "OK");
        s->no_ack = true;
    } else if (!strncmp(p, "Qqemu.PhyMemMode:", 17) && (p[17] == '0' || p[17] == '1')) {
        s->phys_mode = p[17] == '1';
        gdb_put_str(s, "OK");
    } else {
        return false;
    }
    return true;
}

/* H[gc]TID and TTID. */
static void handle_thread_select(GDBState *s, const char *p, bool alive_only)
{
    int index = parse_thread(alive_only ? p : p + 1);
    if (index == -2 || (alive_only && index < 0)) {
        gdb_put_str(s, "E22");
        return;
    }
    if (!alive_only && index >= 0) {
        if (p[0] == 'g') {
            s->g_cpu = index;
        } else {
            s->c_cpu = index;
        }
    }
    gdb_put_str(s, "OK");
}

static void handle_kill(GDBState *s)
{
    (void)s;
    error_report("terminated via GDBstub");
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

void gdb_handle_packet(GDBState *s, char *pkt, size_t len)
{
    switch (pkt[0]) {
    case '?': gdb_send_stop_reply(s, 5); return;
    case 'g': handle_read_registers(s); return;
    case 'G': handle_write_registers(s, pkt + 1); return;
    case 'p': handle_read_register(s, pkt + 1); return;
    case 'P': handle_write_register(s, pkt + 1); return;
    case 'm': handle_read_memory(s, pkt + 1); return;
    case 'M': handle_write_memory(s, pkt + 1, len - 1, false); return;
    case 'X': handle_write_memory(s, pkt + 1, len - 1, true); return;
    case 'c': gdb_resume(s, -1); return;
    case 's': gdb_resume(s, s->c_cpu); return;
    case 'Z': handle_point(s, pkt + 1, true); return;
    case 'z': handle_point(s, pkt + 1, false); return;
    case 'H': handle_thread_select(s, pkt + 1, false); return;
    case 'T': handle_thread_select(s, pkt + 1, true); return;
    case 'k': handle_kill(s); return;
    case 'D': gdb_put_str(s, "OK"); gdb_detach(s); return;
    case 'q': if (handle_query(s, pkt)) { return; } break;
    case 'Q': if (handle_set(s, pkt)) { return; } break;
    case 'v':
        if (!strcmp(pkt, "vCont?")) {
            gdb_put_str(s, "vCont;c;C;s;S");
            return;
        }
        if (!strncmp(pkt, "vCont;", 6)) {
            handle_vcont(s, pkt + 5);
            return;
        }
        break;
    default:
        break;
    }
    gdb_put_str(s, "");         /* unsupported */
}
