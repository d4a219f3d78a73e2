/* Character devices, private part: the backend record each backend file fills in, and the
 * helpers shared by the fd-based backends (stdio, file, pipe, pty, socket). */
#ifndef CHARDEV_CHARDEV_INTERNAL_H
#define CHARDEV_CHARDEV_INTERNAL_H

#include "chardev/chardev.h"
#include "util/keyval.h"

typedef struct ChardevBackend {
    const char *name;
    /* Opens chr from its options (the "backend" and "id" keys are already taken). */
    int (*open)(Chardev *chr, KeyValList *opts, Error **errp);
    /* Writes buf; returns the bytes taken (all, unless the backend drops data). */
    int (*write)(Chardev *chr, const uint8_t *buf, int len);
    /* The front end may have room again: resume reading. */
    void (*accept_input)(Chardev *chr);
    /* A front end was attached or detached. */
    void (*frontend_changed)(Chardev *chr);
    /* fd_in reached end of file or failed (default: stop reading it, send CLOSED). */
    void (*hangup)(Chardev *chr);
    void (*close)(Chardev *chr);
    /* Exit path (atexit or a fatal signal): restore the host state. Async-signal-safe. */
    void (*emergency_cleanup)(Chardev *chr);
} ChardevBackend;

struct Chardev {
    char *id;
    const ChardevBackend *backend;
    char *filename;         /* what "info chardev" prints */
    CharFrontend *fe;       /* the one front end (for a mux: the mux's own front end) */
    bool be_open;           /* connected: front ends attached now get CHR_EVENT_OPENED */
    int fd_in, fd_out;      /* -1 when unused */
    bool reading;           /* fd_in registered with the main loop */
    bool input_eof;         /* fd_in reached end of file: no more reading */
    bool write_stalled;     /* last write timed out: drop without waiting until it drains */
    void *opaque;           /* backend state */
    Chardev *next;
};

extern const ChardevBackend chardev_null_backend;
extern const ChardevBackend chardev_stdio_backend;
extern const ChardevBackend chardev_file_backend;
extern const ChardevBackend chardev_pipe_backend;
extern const ChardevBackend chardev_pty_backend;
extern const ChardevBackend chardev_socket_backend;
extern const ChardevBackend chardev_serial_backend;
extern const ChardevBackend chardev_tty_backend;
extern const ChardevBackend chardev_mux_backend;
extern const ChardevBackend chardev_vc_backend;     /* ui/text-console.c */

/* Core services for backends. */
/* Fails on the first option nobody used; call before side effects (blocking, printing). */
int chardev_check_options(Chardev *chr, KeyValList *opts, Error **errp);
void chardev_set_filename(Chardev *chr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void chardev_be_event(Chardev *chr, ChardevEvent event);
/* How many bytes the front end takes now (0 if none is attached). */
int chardev_be_can_read(Chardev *chr);
void chardev_be_read(Chardev *chr, const uint8_t *buf, int len);
/* Creates a chardev of the given backend with no front end, already registered. */
Chardev *chardev_create(const char *id, const char *backend_name, const char *options,
                        Error **errp);

/* fd backends: poll fd_in while the front end has room; write fd_out fully or drop. */
void chardev_fd_update_reading(Chardev *chr);
void chardev_fd_stop_reading(Chardev *chr);
int chardev_fd_write(Chardev *chr, const uint8_t *buf, int len);
void chardev_fd_accept_input(Chardev *chr);
void chardev_fd_close(Chardev *chr);
/* Writes all of buf to a possibly non-blocking fd, waiting at most patience_ms in total
 * for room; returns the bytes written or -1 on a hard error (EPIPE, EBADF...). */
int chardev_write_fd_all(int fd, const uint8_t *buf, int len, int patience_ms);

/* Mux: used by the core for attach/detach/write through a mux. */
int chardev_mux_attach(Chardev *mux, CharFrontend *fe, Error **errp);
void chardev_mux_detach(Chardev *mux, CharFrontend *fe);
void chardev_mux_accept_input(Chardev *mux, CharFrontend *fe);
/* The chardev a mux multiplexes. */
Chardev *chardev_mux_base(Chardev *mux);
/* Wraps base in a new mux chardev named id. */
Chardev *chardev_mux_new(const char *id, Chardev *base, Error **errp);

/* stdio: restores the terminal; async-signal-safe. */
void chardev_stdio_restore_terminal(void);

#endif
