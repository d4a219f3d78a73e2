/* Character device core: the registry of backends by id, -chardev parsing, front-end
 * attachment, writes and input flow control. Backends live in chardev/char-*.c. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "chardev/chardev-internal.h"
#include "util/cutils.h"

static const ChardevBackend *const chardev_backends[] = {
    &chardev_null_backend, &chardev_stdio_backend, &chardev_file_backend,
    &chardev_pipe_backend, &chardev_pty_backend, &chardev_socket_backend,
    &chardev_serial_backend, &chardev_tty_backend, &chardev_vc_backend,
};

#define CHARDEV_BACKEND_NAMES "stdio, null, file, pipe, pty, socket, serial"

/* Registry of every open chardev, in creation order. */
static Chardev *chardev_list;

static const ChardevBackend *chardev_backend_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(chardev_backends); i++) {
        if (!strcmp(chardev_backends[i]->name, name)) {
            return chardev_backends[i];
        }
    }
    return NULL;
}

Chardev *chardev_find(const char *id)
{
    for (Chardev *chr = chardev_list; chr; chr = chr->next) {
        if (!strcmp(chr->id, id)) {
            return chr;
        }
    }
    return NULL;
}

const char *chardev_id(const Chardev *chr)
{
    return chr->id;
}

bool chardev_is_mux(const Chardev *chr)
{
    return chr && chr->backend == &chardev_mux_backend;
}

void chardev_set_filename(Chardev *chr, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0) {
        s = NULL;
    }
    va_end(ap);
    free(chr->filename);
    chr->filename = s ? s : xstrdup("?");
}

static void chardev_register(Chardev *chr)
{
    Chardev **p = &chardev_list;

    while (*p) {
        p = &(*p)->next;
    }
    *p = chr;
}

static void chardev_unregister(Chardev *chr)
{
    for (Chardev **p = &chardev_list; *p; p = &(*p)->next) {
        if (*p == chr) {
            *p = chr->next;
            return;
        }
    }
}

static Chardev *chardev_alloc(const char *id, const ChardevBackend *backend)
{
    Chardev *chr = xzalloc(sizeof(*chr));

    chr->id = xstrdup(id);
    chr->backend = backend;
    chr->filename = xstrdup(backend->name);
    chr->fd_in = -1;
    chr->fd_out = -1;
    return chr;
}

static void chardev_free(Chardev *chr)
{
    free(chr->id);
    free(chr->filename);
    free(chr);
}

/* QEMU's rule: a letter first, then letters, digits, '-', '.', '_'. */
static bool chardev_id_valid(const char *id)
{
    if (!((*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z'))) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._", *p)) {
            return false;
        }
    }
    return true;
}

static int chardev_check_new_id(const char *id, Error **errp)
{
    if (!chardev_id_valid(id)) {
        error_setg(errp, "invalid chardev id '%s' (a letter, then letters, digits, '-', '.', '_')",
                   id);
        return -1;
    }
    if (chardev_find(id)) {
        error_setg(errp, "duplicate chardev id '%s'", id);
        return -1;
    }
    return 0;
}

int chardev_check_options(Chardev *chr, KeyValList *opts, Error **errp)
{
    char *where = xasprintf("chardev '%s'", chr->id);
    int ret = keyval_check_unused(opts, where, errp);

    free(where);
    return ret;
}

/* Opens a backend chardev (not a mux) with the remaining options; unknown ones fail. */
static Chardev *chardev_open_backend(const char *id, const ChardevBackend *backend,
                                     KeyValList *opts, Error **errp)
{
    Chardev *chr = chardev_alloc(id, backend);
    int ret;

    ret = backend->open(chr, opts, errp);
    if (ret == 0 && chardev_check_options(chr, opts, errp) < 0) {
        if (backend->close) {
            backend->close(chr);
        }
        ret = -1;
    }
    if (ret < 0) {
        chardev_free(chr);
        return NULL;
    }
    chardev_register(chr);
    return chr;
}

static Chardev *chardev_new_from_opts(KeyValList *opts, Error **errp)
{
    const char *name = keyval_get(opts, "backend");
    const char *id = keyval_get(opts, "id");
    const ChardevBackend *backend;
    Chardev *base, *mux;
    char *base_id;
    bool is_mux;

    if (!name || !*name) {
        error_setg(errp, "chardev backend missing (" CHARDEV_BACKEND_NAMES ")");
        return NULL;
    }
    backend = chardev_backend_find(name);
    if (!backend) {
        error_setg(errp, "unknown chardev backend '%s' (" CHARDEV_BACKEND_NAMES ")",
                   name);
        return NULL;
    }
    if (!id) {
        error_setg(errp, "chardev '%s': parameter 'id' is missing", name);
        return NULL;
    }
    if (keyval_get_bool(opts, "mux", false, &is_mux, errp) < 0 ||
        chardev_check_new_id(id, errp) < 0) {
        return NULL;
    }
    if (!is_mux) {
        return chardev_open_backend(id, backend, opts, errp);
    }
    base_id = xasprintf("%s-base", id);
    base = chardev_check_new_id(base_id, errp) < 0 ? NULL :
           chardev_open_backend(base_id, backend, opts, errp);
    free(base_id);
    if (!base) {
        return NULL;
    }
    mux = chardev_mux_new(id, base, errp);
    if (!mux) {
        chardev_delete(base);
    }
    return mux;
}

Chardev *chardev_new_from_spec(const char *spec, Error **errp)
{
    KeyValList opts;
    Chardev *chr;

    if (keyval_parse(spec, "backend", &opts, errp) < 0) {
        return NULL;
    }
    chr = chardev_new_from_opts(&opts, errp);
    keyval_free(&opts);
    return chr;
}

/* The mux is registered by chardev_mux_new through this. */
Chardev *chardev_create(const char *id, const char *backend_name, const char *options,
                        Error **errp)
{
    Chardev *chr;

    if (chardev_check_new_id(id, errp) < 0) {
        return NULL;
    }
    if (!strcmp(backend_name, chardev_mux_backend.name)) {
        chr = chardev_alloc(id, &chardev_mux_backend);
        chardev_register(chr);
        return chr;
    }
    char *spec = xasprintf("%s,id=%s%s%s", backend_name, id, *options ? "," : "", options);
    chr = chardev_new_from_spec(spec, errp);
    free(spec);
    return chr;
}

void chardev_delete(Chardev *chr)
{
    if (!chr) {
        return;
    }
    if (chr->fe && chr->fe->chr == chr) {
        chr->fe->chr = NULL;
    }
    if (chr->backend->close) {
        chr->backend->close(chr);
    }
    chardev_unregister(chr);
    chardev_free(chr);
}

/* --- backend to front end ----------------------------------------------------------- */

int chardev_be_can_read(Chardev *chr)
{
    CharFrontend *fe = chr->fe;
    int room;

    if (!fe || !fe->read) {
        return 0;
    }
    if (!fe->can_read) {
        return 4096;
    }
    room = fe->can_read(fe->opaque);
    return room > 0 ? room : 0;
}

void chardev_be_read(Chardev *chr, const uint8_t *buf, int len)
{
    CharFrontend *fe = chr->fe;

    if (fe && fe->read && len > 0) {
        fe->read(fe->opaque, buf, len);
    }
}

void chardev_be_event(Chardev *chr, ChardevEvent event)
{
    CharFrontend *fe = chr->fe;

    if (event == CHR_EVENT_OPENED) {
        chr->be_open = true;
    } else if (event == CHR_EVENT_CLOSED) {
        chr->be_open = false;
    }
    if (fe && fe->event) {
        fe->event(fe->opaque, event);
    }
}

/* --- front-end API ------------------------------------------------------------------ */

int chardev_attach(CharFrontend *fe, Chardev *chr, ChardevCanReadFn *can_read,
                   ChardevReadFn *read, ChardevEventFn *event, void *opaque, Error **errp)
{
    *fe = (CharFrontend){ .chr = NULL, .mux_index = -1, .can_read = can_read, .read = read,
                          .event = event, .opaque = opaque };
    if (!chr) {
        error_setg(errp, "no chardev to attach to");
        return -1;
    }
    if (chardev_is_mux(chr)) {
        return chardev_mux_attach(chr, fe, errp);
    }
    if (chr->fe) {
        error_setg(errp, "chardev '%s' is already in use (add mux=on to share it)", chr->id);
        return -1;
    }
    fe->chr = chr;
    chr->fe = fe;
    if (chr->backend->frontend_changed) {
        chr->backend->frontend_changed(chr);
    }
    if (chr->be_open && fe->event) {
        fe->event(fe->opaque, CHR_EVENT_OPENED);
    }
    return 0;
}

void chardev_detach(CharFrontend *fe)
{
    Chardev *chr = fe->chr;

    if (!chr) {
        return;
    }
    if (chardev_is_mux(chr)) {
        chardev_mux_detach(chr, fe);
    } else if (chr->fe == fe) {
        chr->fe = NULL;
        if (chr->backend->frontend_changed) {
            chr->backend->frontend_changed(chr);
        }
    }
    fe->chr = NULL;
    fe->mux_index = -1;
}

int chardev_write(CharFrontend *fe, const void *buf, int len)
{
    Chardev *chr = fe ? fe->chr : NULL;

    if (!chr || len < 0) {
        return -1;
    }
    if (len > 0) {
        chr->backend->write(chr, buf, len);
    }
    return len;
}

int chardev_printf(CharFrontend *fe, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int len, ret;

    va_start(ap, fmt);
    len = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (len < 0) {
        return -1;
    }
    ret = chardev_write(fe, s, len);
    free(s);
    return ret;
}

void chardev_accept_input(CharFrontend *fe)
{
    Chardev *chr = fe->chr;

    if (!chr) {
        return;
    }
    if (chardev_is_mux(chr)) {
        chardev_mux_accept_input(chr, fe);
    } else if (chr->backend->accept_input) {
        chr->backend->accept_input(chr);
    }
}

void chardev_print_backends(FILE *out)
{
    fprintf(out, "Available chardev backend types:\n");
    for (size_t i = 0; i < ARRAY_SIZE(chardev_backends); i++) {
        fprintf(out, "  %s\n", chardev_backends[i]->name);
    }
}

bool chardev_output_is_pipe_or_file(Chardev *chr)
{
    Chardev *base = chardev_is_mux(chr) ? chardev_mux_base(chr) : chr;
    struct stat st;

    return base && base->fd_out >= 0 && fstat(base->fd_out, &st) == 0 &&
           (S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode));
}

void chardev_foreach(void (*fn)(void *opaque, const char *label, const char *filename,
                                bool open), void *opaque)
{
    for (Chardev *chr = chardev_list; chr; chr = chr->next) {
        fn(opaque, chr->id, chr->filename, chr->fe != NULL);
    }
}

void chardev_mux_focus_last_all(void)
{
    for (Chardev *chr = chardev_list; chr; chr = chr->next) {
        if (chardev_is_mux(chr)) {
            chardev_mux_focus_last(chr);
        }
    }
}

void chardev_print_info(FILE *out)
{
    for (Chardev *chr = chardev_list; chr; chr = chr->next) {
        fprintf(out, "%s: filename=%s\n", chr->id, chr->filename);
    }
}

void chardev_cleanup_all(void)
{
    for (Chardev *chr = chardev_list; chr; chr = chr->next) {
        if (chr->backend->emergency_cleanup) {
            chr->backend->emergency_cleanup(chr);
        }
    }
    chardev_stdio_restore_terminal();
}
