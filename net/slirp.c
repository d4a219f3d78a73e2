/* -netdev user: the libslirp user-mode network stack as a net backend. Frames from the
 * guest go to slirp_input; slirp's frames come back through send_packet. Its sockets are
 * watched by the main loop: after every call into libslirp the set slirp_pollfds_fill
 * reports is mirrored into main-loop fd handlers, each of which runs one non-blocking
 * round (fill, poll(0), slirp_pollfds_poll); a realtime timer runs that round at the
 * timeout slirp asks for (its TCP timers), and slirp's own timers are Mimic timers on the
 * virtual clock, as QEMU's. Everything runs with the big lock held. docs/net.md */
#include "config-host.h"
#include <stdlib.h>
#include <string.h>
#include "net/net.h"
#include "net/slirp-config.h"
#include "util/cutils.h"

#ifdef CONFIG_SLIRP
#include <arpa/inet.h>
#include <poll.h>
#include <libslirp.h>
#include "system/main-loop.h"
#include "system/timer.h"
#include "util/log.h"

typedef struct NetSlirp {
    NetClientState nc;
    Slirp *slirp;
    SlirpNetConfig cfg;
    struct pollfd *fds;                 /* this round's fds, in slirp's index order */
    int nr_fds, fds_alloc;
    struct pollfd *watched;             /* fds registered with the main loop, and for what */
    int nr_watched, watched_alloc;
    Timer *poll_timer;
    BottomHalf *notify_bh;
} NetSlirp;

typedef struct SlirpTimer {
    NetSlirp *s;
    SlirpTimerId id;
    void *cb_opaque;
    Timer *timer;
} SlirpTimer;

static void slirp_service(NetSlirp *s);

/* ---- the fds slirp wants polled ---- */

static int add_poll_fd(int fd, int events, void *opaque)
{
    NetSlirp *s = opaque;
    if (s->nr_fds == s->fds_alloc) {
        s->fds_alloc = s->fds_alloc ? s->fds_alloc * 2 : 16;
        s->fds = xrealloc(s->fds, (size_t)s->fds_alloc * sizeof(*s->fds));
    }
    short ev = (short)(((events & SLIRP_POLL_IN) ? POLLIN : 0) |
                       ((events & SLIRP_POLL_OUT) ? POLLOUT : 0) |
                       ((events & SLIRP_POLL_PRI) ? POLLPRI : 0));
    s->fds[s->nr_fds] = (struct pollfd){ .fd = fd, .events = ev };
    return s->nr_fds++;
}

static int get_revents(int idx, void *opaque)
{
    NetSlirp *s = opaque;
    short r = idx >= 0 && idx < s->nr_fds ? s->fds[idx].revents : 0;
    return ((r & POLLIN) ? SLIRP_POLL_IN : 0) | ((r & POLLOUT) ? SLIRP_POLL_OUT : 0) |
           ((r & POLLPRI) ? SLIRP_POLL_PRI : 0) | ((r & POLLERR) ? SLIRP_POLL_ERR : 0) |
           ((r & POLLHUP) ? SLIRP_POLL_HUP : 0);
}

static uint32_t fill_fds(NetSlirp *s)
{
    uint32_t timeout_ms = UINT32_MAX;
    s->nr_fds = 0;
    slirp_pollfds_fill(s->slirp, &timeout_ms, add_poll_fd, s);
    return timeout_ms;
}

static void fd_ready(void *opaque)
{
    slirp_service(opaque);
}

static void watch_remove(NetSlirp *s, int i)
{
    main_loop_set_fd_handler(s->watched[i].fd, NULL, NULL, NULL);
    s->watched[i] = s->watched[--s->nr_watched];
}

/* The events this round asks for fd (0: not polled). */
static short round_events(NetSlirp *s, int fd)
{
    short ev = 0;
    for (int i = 0; i < s->nr_fds; i++) {
        if (s->fds[i].fd == fd) {
            ev |= s->fds[i].events;
        }
    }
    return ev;
}

static bool is_watched(NetSlirp *s, int fd)
{
    for (int i = 0; i < s->nr_watched; i++) {
        if (s->watched[i].fd == fd) {
            return true;
        }
    }
    return false;
}

static void watch_add(NetSlirp *s, int fd, short ev)
{
    if (s->nr_watched == s->watched_alloc) {
        s->watched_alloc = s->watched_alloc ? s->watched_alloc * 2 : 16;
        s->watched = xrealloc(s->watched, (size_t)s->watched_alloc * sizeof(*s->watched));
    }
    s->watched[s->nr_watched++] = (struct pollfd){ .fd = fd, .events = ev };
    main_loop_set_fd_handler(fd, (ev & (POLLIN | POLLPRI)) ? fd_ready : NULL,
                             (ev & POLLOUT) ? fd_ready : NULL, s);
}

/* The main loop watches exactly this round's fds, for the events slirp asked; handlers
 * that did not change are left alone (each change wakes the main loop). */
static void watch_update(NetSlirp *s)
{
    for (int i = s->nr_watched - 1; i >= 0; i--) {
        if (round_events(s, s->watched[i].fd) != s->watched[i].events) {
            watch_remove(s, i);
        }
    }
    for (int i = 0; i < s->nr_fds; i++) {
        short ev = round_events(s, s->fds[i].fd);
        if (ev && !is_watched(s, s->fds[i].fd)) {
            watch_add(s, s->fds[i].fd, ev);
        }
    }
}

/* After any call into libslirp: watch its current sockets, wake at its timeout (only ever
 * sooner: a stream of guest frames must not keep pushing its TCP timers back). */
static void slirp_resync(NetSlirp *s)
{
    uint32_t timeout_ms = fill_fds(s);
    watch_update(s);
    if (timeout_ms == UINT32_MAX) {
        return;
    }
    int64_t deadline = clock_get_ns(CLK_REALTIME) + (int64_t)timeout_ms * 1000000;
    if (!timer_pending(s->poll_timer) || timer_expire_time(s->poll_timer) > deadline) {
        timer_mod(s->poll_timer, deadline);
    }
}

/* One non-blocking round over slirp's sockets, and its TCP timers. */
static void slirp_service(NetSlirp *s)
{
    fill_fds(s);
    int n = poll(s->fds, (nfds_t)s->nr_fds, 0);
    slirp_pollfds_poll(s->slirp, n < 0, get_revents, s);
    slirp_resync(s);
}

static void poll_timer_cb(void *opaque)
{
    slirp_service(opaque);
}

/* ---- libslirp's callbacks ---- */

static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
    NetSlirp *s = opaque;
    net_send(&s->nc, buf, len);
    return (ssize_t)len;
}

static void guest_error(const char *msg, void *opaque)
{
    log_category_printf(LOG_GUEST_ERROR, "slirp: %s\n", msg);
}

static int64_t slirp_clock_ns(void *opaque)
{
    return clock_get_ns(CLK_VIRTUAL);
}

static void slirp_timer_fire(void *opaque)
{
    SlirpTimer *t = opaque;
    slirp_handle_timer(t->s->slirp, t->id, t->cb_opaque);
    slirp_resync(t->s);
}

static void *timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
    SlirpTimer *t = xzalloc(sizeof(*t));
    t->s = opaque;
    t->id = id;
    t->cb_opaque = cb_opaque;
    t->timer = timer_new(CLK_VIRTUAL, slirp_timer_fire, t);
    return t;
}

static void slirp_timer_free(void *timer, void *opaque)
{
    SlirpTimer *t = timer;
    timer_free(t->timer);
    free(t);
}

static void slirp_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    timer_mod(((SlirpTimer *)timer)->timer, expire_ms * 1000000);
}

static void register_poll_fd(int fd, void *opaque)
{
}

/* The socket is being closed: stop watching it now, before its number is reused. */
static void unregister_poll_fd(int fd, void *opaque)
{
    NetSlirp *s = opaque;
    for (int i = 0; i < s->nr_watched; i++) {
        if (s->watched[i].fd == fd) {
            watch_remove(s, i);
            return;
        }
    }
}

static void notify(void *opaque)
{
    bh_schedule(((NetSlirp *)opaque)->notify_bh);
}

static const SlirpCb slirp_callbacks = {
    .send_packet = send_packet,
    .guest_error = guest_error,
    .clock_get_ns = slirp_clock_ns,
    .timer_free = slirp_timer_free,
    .timer_mod = slirp_timer_mod,
    .register_poll_fd = register_poll_fd,
    .unregister_poll_fd = unregister_poll_fd,
    .notify = notify,
    .timer_new_opaque = timer_new_opaque,
};

/* ---- the net client ---- */

static bool slirp_receive(NetClientState *nc, const uint8_t *buf, size_t len)
{
    NetSlirp *s = nc->opaque;
    slirp_input(s->slirp, buf, (int)len);
    slirp_resync(s);
    return true;
}

static void ip_text(uint32_t addr, char *buf, size_t size)
{
    struct in_addr a = { .s_addr = htonl(addr) };
    inet_ntop(AF_INET, &a, buf, (socklen_t)size);
}

static void slirp_describe(NetClientState *nc, char *buf, size_t size)
{
    NetSlirp *s = nc->opaque;
    char net[16], host[16];
    ip_text(s->cfg.net, net, sizeof(net));
    ip_text(s->cfg.host, host, sizeof(host));
    snprintf(buf, size, "net=%s/%d,host=%s,restrict=%s,hostfwd rules=%d", net,
             __builtin_popcount(s->cfg.mask), host, s->cfg.restricted ? "on" : "off",
             s->cfg.nr_hostfwd);
}

static void slirp_client_cleanup(NetClientState *nc)
{
    NetSlirp *s = nc->opaque;
    while (s->nr_watched) {
        watch_remove(s, s->nr_watched - 1);
    }
    if (s->slirp) {
        slirp_cleanup(s->slirp);
    }
    timer_free(s->poll_timer);
    bh_delete(s->notify_bh);
    net_client_cleanup(nc);
    free(s->fds);
    free(s->watched);
    free(s);
}

static const NetClientInfo slirp_info = {
    .type = "user",
    .kind = NET_CLIENT_BACKEND,
    .receive = slirp_receive,
    .describe = slirp_describe,
    .cleanup = slirp_client_cleanup,
};

static struct in_addr in4(uint32_t host_order)
{
    return (struct in_addr){ .s_addr = htonl(host_order) };
}

static void config_ipv6(SlirpConfig *sc)
{
    sc->in6_enabled = true;
    inet_pton(AF_INET6, "fec0::", &sc->vprefix_addr6);
    sc->vprefix_len = 64;
    inet_pton(AF_INET6, "fec0::2", &sc->vhost6);
    inet_pton(AF_INET6, "fec0::3", &sc->vnameserver6);
}

static Slirp *start_slirp(NetSlirp *s)
{
    SlirpConfig sc = {
        .version = 4,
        .restricted = s->cfg.restricted,
        .in_enabled = true,
        .vnetwork = in4(s->cfg.net),
        .vnetmask = in4(s->cfg.mask),
        .vhost = in4(s->cfg.host),
        .vhostname = s->cfg.hostname,
        .tftp_path = s->cfg.tftp,
        .bootfile = s->cfg.bootfile,
        .vdhcp_start = in4(s->cfg.dhcp_start),
        .vnameserver = in4(s->cfg.dns),
    };
    if (s->cfg.ipv6) {
        config_ipv6(&sc);
    }
    return slirp_new(&sc, &slirp_callbacks, s);
}

static int add_hostfwds(NetSlirp *s, Error **errp)
{
    for (int i = 0; i < s->cfg.nr_hostfwd; i++) {
        const SlirpHostFwd *f = &s->cfg.hostfwd[i];
        if (slirp_add_hostfwd(s->slirp, f->is_udp, in4(f->host_addr), f->host_port,
                              in4(f->guest_addr), f->guest_port) < 0) {
            error_setg(errp, "could not set up host forwarding rule '%s' (host port %u "
                       "in use?)", f->rule, f->host_port);
            return -1;
        }
    }
    return 0;
}

NetClientState *net_slirp_create(const char *id, KeyValList *kv, Error **errp)
{
    NetSlirp *s = xzalloc(sizeof(*s));
    net_client_init(&s->nc, &slirp_info, id, s);
    s->poll_timer = timer_new(CLK_REALTIME, poll_timer_cb, s);
    s->notify_bh = bh_new(fd_ready, s);
    if (slirp_config_parse(kv, &s->cfg, errp) < 0) {
        slirp_client_cleanup(&s->nc);
        return NULL;
    }
    s->slirp = start_slirp(s);
    if (!s->slirp) {
        error_setg(errp, "libslirp refused the configuration");
    }
    if (!s->slirp || add_hostfwds(s, errp) < 0) {
        slirp_client_cleanup(&s->nc);
        return NULL;
    }
    /* the config's strings point into kv: libslirp copied what it keeps */
    s->cfg.hostname = s->cfg.tftp = s->cfg.bootfile = NULL;
    slirp_resync(s);
    return &s->nc;
}

#else

NetClientState *net_slirp_create(const char *id, KeyValList *kv, Error **errp)
{
    SlirpNetConfig cfg;
    if (slirp_config_parse(kv, &cfg, errp) < 0) {
        return NULL;
    }
    error_setg(errp, "user networking needs libslirp, which this build of Mimic lacks "
               "(apt-get install libslirp-dev, then configure and build again)");
    return NULL;
}

#endif
