/* Character devices: host-side byte streams (stdio, file, pipe, pty, socket, null) that
 * guest devices (serial ports) and the monitor are attached to, and the mux that shares one
 * backend between several front ends with QEMU's Ctrl-A escapes. */
#ifndef CHARDEV_CHARDEV_H
#define CHARDEV_CHARDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "util/error.h"

typedef struct Chardev Chardev;
typedef struct CharFrontend CharFrontend;

typedef enum {
    CHR_EVENT_OPENED,       /* backend connected (socket client arrived, pty opened) */
    CHR_EVENT_CLOSED,       /* peer went away */
    CHR_EVENT_BREAK,        /* serial break (mux: C-a b) */
    CHR_EVENT_MUX_IN,       /* this front end now has the mux's focus */
    CHR_EVENT_MUX_OUT,      /* this front end lost the focus */
} ChardevEvent;

/* How many bytes the front end can take now (0: none, the backend waits). */
typedef int ChardevCanReadFn(void *opaque);
typedef void ChardevReadFn(void *opaque, const uint8_t *buf, int len);
typedef void ChardevEventFn(void *opaque, ChardevEvent event);

/* A front end's handle on a backend; embed it in the device or monitor state. */
struct CharFrontend {
    Chardev *chr;           /* the backend, or the mux */
    int mux_index;          /* position on a mux, -1 if attached directly */
    ChardevCanReadFn *can_read;
    ChardevReadFn *read;
    ChardevEventFn *event;
    void *opaque;
};

/* -chardev BACKEND,id=ID,...: stdio, null, file (path=, append=), pipe (path=: path.in and
 * path.out, or path itself), pty, socket (host=,port= or path=; server=on|off,
 * wait=on|off, reconnect=SECONDS, telnet ignored), mux=on. Returns NULL with *errp set. */
Chardev *chardev_new_from_spec(const char *spec, Error **errp);
/* The short forms of -serial / -monitor / -qmp: "stdio", "mon:stdio", "null", "none",
 * "pty", "file:PATH", "pipe:PATH", "tcp:HOST:PORT[,server=on,wait=off]",
 * "unix:PATH[,server=on,wait=off]", "chardev:ID". id names the new backend.
 * "mon:X" gives a mux over X (the caller starts the monitor on it). "none" returns NULL
 * and leaves *errp untouched: the caller creates no device. */
Chardev *chardev_new_from_short(const char *spec, const char *id, Error **errp);
Chardev *chardev_find(const char *id);
/* Closes and frees a backend (and a mux's base); detach its front ends first. */
void chardev_delete(Chardev *chr);
const char *chardev_id(const Chardev *chr);
/* True for a mux: several front ends may attach. */
bool chardev_is_mux(const Chardev *chr);

/* Attaches a front end: its callbacks are called from the main loop (big lock held).
 * A non-mux backend takes one front end; a second attach fails with *errp. */
int chardev_attach(CharFrontend *fe, Chardev *chr, ChardevCanReadFn *can_read,
                   ChardevReadFn *read, ChardevEventFn *event, void *opaque, Error **errp);
void chardev_detach(CharFrontend *fe);
/* Writes all of buf (blocking on a slow backend only briefly; a disconnected socket drops
 * the data). Returns len, or -1 if nothing is attached behind. */
int chardev_write(CharFrontend *fe, const void *buf, int len);
int chardev_printf(CharFrontend *fe, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The front end has room again after returning 0 from can_read: resume reading. */
void chardev_accept_input(CharFrontend *fe);
/* Focus a mux on this front end (the monitor takes it at start with -monitor mon:stdio). */
void chardev_mux_focus(CharFrontend *fe);
/* Start-up, as QEMU: every mux focuses the front end attached last (-nographic: the serial
 * port, so the guest's console has the keyboard and C-a c reaches the monitor). */
void chardev_mux_focus_last(Chardev *mux);
void chardev_mux_focus_last_all(void);
/* -echr: the multiplexer's escape key (0: the default C-a). */
void chardev_mux_set_escape_char(uint8_t c);

/* "-chardev help": "Available chardev backend types:" then one name per line. */
void chardev_print_backends(FILE *out);
/* "info chardev": one line per backend, "id: filename=..." as QEMU prints it. */
void chardev_print_info(FILE *out);
/* True when the chardev (a mux: its base) writes to a pipe or a regular file, where
 * terminal escape sequences would only be noise (terminals and sockets get them). */
bool chardev_output_is_pipe_or_file(Chardev *chr);
/* Every chardev: its id, "info chardev" filename and whether a front end is attached. */
void chardev_foreach(void (*fn)(void *opaque, const char *label, const char *filename,
                                bool open), void *opaque);
/* Restores the terminal (raw mode) on every exit path; also registered with atexit and
 * the fatal signal handlers by the stdio backend. */
void chardev_cleanup_all(void);

#endif
