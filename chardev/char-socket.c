/* The socket backend: TCP (IPv4/IPv6) or unix stream sockets, as server (one client at a
 * time) or client (optionally reconnecting), with QEMU's options and "info chardev" names. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "chardev/chardev-internal.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "system/timer.h"
#include "util/cutils.h"

typedef struct SocketState {
    bool is_unix;
    bool server;
    bool wait;
    bool nodelay;
    int family;             /* AF_UNSPEC, or AF_INET / AF_INET6 with ipv4= / ipv6= */
    char *host;             /* tcp */
    char *port;             /* tcp; the bound port once listening */
    char *path;             /* unix */
    int64_t reconnect_ns;   /* client: 0 = no reconnection */
    int listen_fd;
    int conn_fd;
    char *peer;             /* "127.0.0.1:54321" for the filename */
    Timer *reconnect_timer;
} SocketState;

/* --- names ------------------------------------------------------------------------ */

static char *socket_address_string(SocketState *ss)
{
    const char *server = ss->server ? ",server=on" : "";

    if (ss->is_unix) {
        return xasprintf("unix:%s%s", ss->path, server);
    }
    if (ss->host && strchr(ss->host, ':')) {
        return xasprintf("tcp:[%s]:%s%s", ss->host, ss->port, server);    /* IPv6 */
    }
    return xasprintf("tcp:%s:%s%s", ss->host ? ss->host : "", ss->port, server);
}

static void socket_update_filename(Chardev *chr)
{
    SocketState *ss = chr->opaque;
    char *addr = socket_address_string(ss);

    if (ss->conn_fd < 0) {
        chardev_set_filename(chr, "disconnected:%s", addr);
    } else if (ss->peer) {
        chardev_set_filename(chr, "%s <-> %s", addr, ss->peer);
    } else {
        chardev_set_filename(chr, "%s", addr);
    }
    free(addr);
}

static char *socket_peer_string(int fd)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);
    char host[NI_MAXHOST], port[NI_MAXSERV];

    if (getpeername(fd, (struct sockaddr *)&sa, &len) < 0 || sa.ss_family == AF_UNIX ||
        getnameinfo((struct sockaddr *)&sa, len, host, sizeof(host), port, sizeof(port),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return NULL;
    }
    return xasprintf("%s:%s", host, port);
}

/* --- connection state ---------------------------------------------------------------- */

static void socket_start_listening(Chardev *chr);

static void socket_connected(Chardev *chr, int fd)
{
    SocketState *ss = chr->opaque;
    int one = 1;

    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (!ss->is_unix && ss->nodelay) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    ss->conn_fd = fd;
    free(ss->peer);
    ss->peer = socket_peer_string(fd);
    chr->fd_in = chr->fd_out = fd;
    chr->input_eof = false;
    chr->write_stalled = false;
    socket_update_filename(chr);
    chardev_be_event(chr, CHR_EVENT_OPENED);
    chardev_fd_update_reading(chr);
}

static void socket_disconnect(Chardev *chr)
{
    SocketState *ss = chr->opaque;

    if (ss->conn_fd < 0) {
        return;
    }
    chardev_fd_stop_reading(chr);
    close(ss->conn_fd);
    ss->conn_fd = -1;
    chr->fd_in = chr->fd_out = -1;
    socket_update_filename(chr);
    chardev_be_event(chr, CHR_EVENT_CLOSED);
}

static void socket_hangup(Chardev *chr)
{
    SocketState *ss = chr->opaque;

    socket_disconnect(chr);
    if (ss->server) {
        socket_start_listening(chr);
    } else if (ss->reconnect_ns > 0) {
        timer_mod(ss->reconnect_timer, clock_get_ns(CLK_REALTIME) + ss->reconnect_ns);
    }
}

/* --- server ------------------------------------------------------------------------- */

static void socket_accept_ready(void *opaque)
{
    Chardev *chr = opaque;
    SocketState *ss = chr->opaque;
    int fd = accept(ss->listen_fd, NULL, NULL);

    if (fd < 0) {
        return;     /* EAGAIN, or the client already left */
    }
    /* One client at a time: later ones wait in the backlog until this one leaves. */
    main_loop_set_fd_handler(ss->listen_fd, NULL, NULL, NULL);
    socket_connected(chr, fd);
}

static void socket_start_listening(Chardev *chr)
{
    SocketState *ss = chr->opaque;

    if (ss->listen_fd >= 0 && ss->conn_fd < 0) {
        main_loop_set_fd_handler(ss->listen_fd, socket_accept_ready, NULL, chr);
    }
}

/* Fills sa with the chardev's unix socket path, refusing one too long for sun_path. */
static int unix_socket_address(Chardev *chr, struct sockaddr_un *sa, Error **errp)
{
    SocketState *ss = chr->opaque;

    if (strlen(ss->path) >= sizeof(sa->sun_path)) {
        error_setg(errp, "chardev '%s': unix socket path '%s' is too long", chr->id, ss->path);
        return -1;
    }
    strcpy(sa->sun_path, ss->path);
    return 0;
}

static int socket_listen_unix(Chardev *chr, Error **errp)
{
    SocketState *ss = chr->opaque;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (unix_socket_address(chr, &sa, errp) < 0) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    unlink(ss->path);   /* a stale socket of an earlier run, as QEMU does */
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "chardev '%s': could not listen on unix:%s", chr->id,
                         ss->path);
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

static int socket_resolve(Chardev *chr, bool passive, struct addrinfo **res, Error **errp)
{
    SocketState *ss = chr->opaque;
    struct addrinfo hints = { .ai_family = ss->family, .ai_socktype = SOCK_STREAM,
                              .ai_flags = passive ? AI_PASSIVE : 0 };
    const char *host = ss->host && *ss->host ? ss->host : NULL;
    int rc;

    if (!host && passive && ss->family == AF_UNSPEC) {
        hints.ai_family = AF_INET;      /* "tcp::PORT": every IPv4 address, as QEMU */
    }
    rc = getaddrinfo(host ? host : (passive ? NULL : "localhost"), ss->port, &hints, res);
    if (rc != 0) {
        error_setg(errp, "chardev '%s': cannot resolve '%s:%s': %s", chr->id,
                   host ? host : "", ss->port, gai_strerror(rc));
        return -1;
    }
    return 0;
}

static void socket_record_bound_port(SocketState *ss, int fd)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);
    char port[NI_MAXSERV];

    if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 &&
        getnameinfo((struct sockaddr *)&sa, len, NULL, 0, port, sizeof(port),
                    NI_NUMERICSERV) == 0) {
        free(ss->port);
        ss->port = xstrdup(port);
    }
}

static int socket_listen_tcp(Chardev *chr, Error **errp)
{
    SocketState *ss = chr->opaque;
    struct addrinfo *res, *ai;
    int fd = -1, err = 0, one = 1;

    if (socket_resolve(chr, true, &res, errp) < 0) {
        return -1;
    }
    for (ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1) < 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, err, "chardev '%s': could not listen on tcp:%s:%s", chr->id,
                         ss->host ? ss->host : "", ss->port);
        return -1;
    }
    socket_record_bound_port(ss, fd);
    return fd;
}

/* Blocks for the first client (wait=on) but gives up on SIGTERM/SIGINT/SIGHUP: the poll
 * timeout covers a signal that lands just before poll() is entered. */
static int socket_accept_or_signal(int listen_fd)
{
    struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };

    while (!system_termination_signal()) {
        int n = poll(&pfd, 1, 100);
        if (n > 0) {
            int fd = accept(listen_fd, NULL, NULL);
            if (fd >= 0 || (errno != EINTR && errno != EAGAIN)) {
                return fd;
            }
        } else if (n < 0 && errno != EINTR) {
            return -1;
        }
    }
    errno = EINTR;
    return -1;
}

static int socket_wait_for_client(Chardev *chr, Error **errp)
{
    SocketState *ss = chr->opaque;
    char *addr = socket_address_string(ss);
    int fd;

    fprintf(stderr, "mimic: waiting for connection on: disconnected:%s\n", addr);
    free(addr);
    fd = socket_accept_or_signal(ss->listen_fd);
    if (fd < 0 && system_termination_signal()) {
        error_setg(errp, "terminating on signal %d while waiting for a connection",
                   system_termination_signal());
        return -1;
    }
    if (fd < 0) {
        error_setg_errno(errp, errno, "chardev '%s': accept failed", chr->id);
        return -1;
    }
    socket_connected(chr, fd);
    return 0;
}

static int socket_open_server(Chardev *chr, Error **errp)
{
    SocketState *ss = chr->opaque;

    ss->listen_fd = ss->is_unix ? socket_listen_unix(chr, errp) : socket_listen_tcp(chr, errp);
    if (ss->listen_fd < 0) {
        return -1;
    }
    socket_update_filename(chr);
    fcntl(ss->listen_fd, F_SETFL, fcntl(ss->listen_fd, F_GETFL) | O_NONBLOCK);
    if (ss->wait && socket_wait_for_client(chr, errp) < 0) {
        return -1;
    }
    socket_start_listening(chr);
    return 0;
}

/* --- client ------------------------------------------------------------------------- */

static int socket_connect_unix(Chardev *chr, Error **errp)
{
    SocketState *ss = chr->opaque;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (unix_socket_address(chr, &sa, errp) < 0) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        error_setg_errno(errp, errno, "chardev '%s': could not connect to unix:%s", chr->id,
                         ss->path);
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

static int socket_connect_tcp(Chardev *chr, Error **errp)
{
    SocketState *ss = chr->opaque;
    struct addrinfo *res, *ai;
    int fd = -1, err = 0;

    if (socket_resolve(chr, false, &res, errp) < 0) {
        return -1;
    }
    for (ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            err = errno;
            close(fd);
            fd = -1;
        } else if (fd < 0) {
            err = errno;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, err, "chardev '%s': could not connect to tcp:%s:%s", chr->id,
                         ss->host ? ss->host : "localhost", ss->port);
    }
    return fd;
}

static int socket_try_connect(Chardev *chr, Error **errp)
{
    SocketState *ss = chr->opaque;
    int fd = ss->is_unix ? socket_connect_unix(chr, errp) : socket_connect_tcp(chr, errp);

    if (fd < 0) {
        return -1;
    }
    socket_connected(chr, fd);
    return 0;
}

static void socket_reconnect_cb(void *opaque)
{
    Chardev *chr = opaque;
    SocketState *ss = chr->opaque;
    Error *err = NULL;

    if (ss->conn_fd >= 0) {
        return;
    }
    if (socket_try_connect(chr, &err) < 0) {
        error_free(err);
        timer_mod(ss->reconnect_timer, clock_get_ns(CLK_REALTIME) + ss->reconnect_ns);
    }
}

static int socket_open_client(Chardev *chr, Error **errp)
{
    SocketState *ss = chr->opaque;
    Error *err = NULL;

    socket_update_filename(chr);
    if (socket_try_connect(chr, &err) == 0) {
        return 0;
    }
    if (ss->reconnect_ns <= 0) {
        error_propagate(errp, err);
        return -1;
    }
    /* With reconnect=, a server that is not there yet is not an error. */
    error_free(err);
    timer_mod(ss->reconnect_timer, clock_get_ns(CLK_REALTIME) + ss->reconnect_ns);
    return 0;
}

/* --- options ------------------------------------------------------------------------- */

static int socket_parse_reconnect(Chardev *chr, KeyValList *opts, Error **errp)
{
    SocketState *ss = chr->opaque;
    const char *secs = keyval_get(opts, "reconnect");
    const char *msecs = keyval_get(opts, "reconnect-ms");
    uint64_t v;

    if (secs && parse_uint64(secs, &v) < 0) {
        error_setg(errp, "chardev '%s': reconnect expects seconds, not '%s'", chr->id, secs);
        return -1;
    }
    if (secs) {
        ss->reconnect_ns = (int64_t)MIN(v, 86400u) * NS_PER_SEC;
    }
    if (msecs && parse_uint64(msecs, &v) < 0) {
        error_setg(errp, "chardev '%s': reconnect-ms expects milliseconds, not '%s'", chr->id,
                   msecs);
        return -1;
    }
    if (msecs) {
        ss->reconnect_ns = (int64_t)MIN(v, 86400000u) * NS_PER_MS;
    }
    return 0;
}

static int socket_parse_family(Chardev *chr, KeyValList *opts, Error **errp)
{
    SocketState *ss = chr->opaque;
    bool ipv4, ipv6, delay, nodelay;

    if (keyval_get_bool(opts, "ipv4", false, &ipv4, errp) < 0 ||
        keyval_get_bool(opts, "ipv6", false, &ipv6, errp) < 0 ||
        keyval_get_bool(opts, "delay", true, &delay, errp) < 0 ||     /* "nodelay" */
        keyval_get_bool(opts, "nodelay", !delay, &nodelay, errp) < 0) {
        return -1;
    }
    ss->family = ipv4 && !ipv6 ? AF_INET : ipv6 && !ipv4 ? AF_INET6 : AF_UNSPEC;
    ss->nodelay = nodelay;
    return 0;
}

static int socket_parse_address(Chardev *chr, KeyValList *opts, Error **errp)
{
    SocketState *ss = chr->opaque;
    const char *path = keyval_get(opts, "path");
    const char *host = keyval_get(opts, "host");
    const char *port = keyval_get(opts, "port");
    uint64_t portnum;

    if (path) {
        if (host || port || !*path) {
            error_setg(errp, "chardev '%s': give either path= or host=,port=", chr->id);
            return -1;
        }
        ss->is_unix = true;
        ss->path = xstrdup(path);
        return 0;
    }
    if (!port) {
        error_setg(errp, "chardev '%s': socket needs path= or port=", chr->id);
        return -1;
    }
    if (parse_uint64(port, &portnum) < 0 || portnum > 65535) {
        error_setg(errp, "chardev '%s': invalid port '%s'", chr->id, port);
        return -1;
    }
    ss->host = host ? xstrdup(host) : NULL;
    ss->port = xstrdup(port);
    return 0;
}

static int socket_parse(Chardev *chr, KeyValList *opts, Error **errp)
{
    SocketState *ss = chr->opaque;
    bool telnet;

    if (socket_parse_address(chr, opts, errp) < 0 ||
        keyval_get_bool(opts, "server", false, &ss->server, errp) < 0 ||
        keyval_get_bool(opts, "wait", true, &ss->wait, errp) < 0 ||
        keyval_get_bool(opts, "telnet", false, &telnet, errp) < 0 ||   /* accepted, ignored */
        socket_parse_family(chr, opts, errp) < 0 || socket_parse_reconnect(chr, opts, errp) < 0) {
        return -1;
    }
    keyval_get(opts, "to");     /* port ranges: accepted, only the first port is used */
    if (ss->server && ss->reconnect_ns > 0) {
        error_setg(errp, "chardev '%s': reconnect is for clients (server=off)", chr->id);
        return -1;
    }
    return 0;
}

static void socket_state_free(Chardev *chr)
{
    SocketState *ss = chr->opaque;

    if (!ss) {
        return;
    }
    timer_free(ss->reconnect_timer);
    free(ss->host);
    free(ss->port);
    free(ss->path);
    free(ss->peer);
    free(ss);
    chr->opaque = NULL;
}

static void socket_close(Chardev *chr)
{
    SocketState *ss = chr->opaque;

    chardev_fd_stop_reading(chr);
    if (ss->conn_fd >= 0) {
        close(ss->conn_fd);
    }
    if (ss->listen_fd >= 0) {
        main_loop_set_fd_handler(ss->listen_fd, NULL, NULL, NULL);
        close(ss->listen_fd);
        if (ss->is_unix) {
            unlink(ss->path);
        }
    }
    chr->fd_in = chr->fd_out = -1;
    socket_state_free(chr);
}

static int socket_open(Chardev *chr, KeyValList *opts, Error **errp)
{
    SocketState *ss = xzalloc(sizeof(*ss));

    ss->listen_fd = -1;
    ss->conn_fd = -1;
    chr->opaque = ss;
    if (socket_parse(chr, opts, errp) < 0 || chardev_check_options(chr, opts, errp) < 0) {
        socket_state_free(chr);
        return -1;
    }
    ss->reconnect_timer = timer_new(CLK_REALTIME, socket_reconnect_cb, chr);
    if ((ss->server ? socket_open_server(chr, errp) : socket_open_client(chr, errp)) < 0) {
        socket_close(chr);
        return -1;
    }
    return 0;
}

static int socket_write(Chardev *chr, const uint8_t *buf, int len)
{
    /* Disconnected: fd_out is -1 and the data is dropped. */
    return chardev_fd_write(chr, buf, len);
}

static void socket_frontend_changed(Chardev *chr)
{
    chardev_fd_update_reading(chr);
}

static void socket_emergency_cleanup(Chardev *chr)
{
    SocketState *ss = chr->opaque;

    if (ss && ss->is_unix && ss->server && ss->listen_fd >= 0) {
        unlink(ss->path);
    }
}

const ChardevBackend chardev_socket_backend = {
    .name = "socket",
    .open = socket_open,
    .write = socket_write,
    .accept_input = chardev_fd_accept_input,
    .frontend_changed = socket_frontend_changed,
    .hangup = socket_hangup,
    .close = socket_close,
    .emergency_cleanup = socket_emergency_cleanup,
};
