/* The stdio backend: stdin/stdout, with the terminal in raw mode (as QEMU sets it) and
 * restored on every exit path: normal exit (atexit) and fatal signals (restore, re-raise). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "chardev/chardev-internal.h"
#include "system/daemon.h"

/* Global because signal handlers need it; only one stdio chardev may exist. */
static struct termios stdio_saved_termios;
static struct termios stdio_raw_termios;
static volatile sig_atomic_t stdio_termios_saved;
static Chardev *stdio_owner;

static const int stdio_fatal_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT };
#define STDIO_FATAL_COUNT (sizeof(stdio_fatal_signals) / sizeof(stdio_fatal_signals[0]))
/* What each fatal signal did before us: we restore the terminal, then do the same. */
static struct sigaction stdio_previous_actions[STDIO_FATAL_COUNT];

void chardev_stdio_restore_terminal(void)
{
    if (stdio_termios_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &stdio_saved_termios);
    }
}

static void stdio_fatal_signal(int sig, siginfo_t *info, void *context)
{
    const struct sigaction *prev = NULL;

    chardev_stdio_restore_terminal();
    for (size_t i = 0; i < STDIO_FATAL_COUNT; i++) {
        if (stdio_fatal_signals[i] == sig) {
            prev = &stdio_previous_actions[i];
        }
    }
    if (prev && (prev->sa_flags & SA_SIGINFO)) {
        prev->sa_sigaction(sig, info, context);     /* e.g. the sanitizers' reports */
    } else if (prev && prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
        prev->sa_handler(sig);
    } else {
        signal(sig, SIG_DFL);
        raise(sig);     /* delivered when this handler returns: same exit status */
    }
}

static void stdio_install_handler(int sig, void (*handler)(int))
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* Job control (Ctrl-Z with signal=on): give the shell a sane terminal while we are
 * stopped, and raw mode back when continued (fg). We stop inside the handler, so the
 * code after the stop runs on SIGCONT, or at once if the kernel discarded the stop (an
 * orphaned process group). */
static void stdio_stop_signal(int sig)
{
    int saved_errno = errno;
    sigset_t tstp;

    chardev_stdio_restore_terminal();
    signal(SIGTSTP, SIG_DFL);
    raise(SIGTSTP);
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &tstp, NULL);     /* the stop happens here */
    stdio_install_handler(SIGTSTP, stdio_stop_signal);
    if (stdio_termios_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &stdio_raw_termios);
    }
    errno = saved_errno;
}

static bool stdio_signal_is_default(int sig)
{
    struct sigaction old;

    return sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_DFL &&
           !(old.sa_flags & SA_SIGINFO);
}

/* Chains in front of whatever handles each fatal signal (the default action, or e.g. a
 * sanitizer's handler, keeping its flags such as SA_ONSTACK); ignored signals stay
 * ignored. A handler installed after us (a clean shutdown on SIGTERM) replaces ours and
 * leaves through exit(), hence atexit. */
static void stdio_install_signal_handlers(void)
{
    for (size_t i = 0; i < STDIO_FATAL_COUNT; i++) {
        struct sigaction *prev = &stdio_previous_actions[i];
        struct sigaction sa;
        if (sigaction(stdio_fatal_signals[i], NULL, prev) < 0 ||
            (!(prev->sa_flags & SA_SIGINFO) && prev->sa_handler == SIG_IGN)) {
            continue;
        }
        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = stdio_fatal_signal;
        sa.sa_flags = SA_SIGINFO | (prev->sa_flags & SA_ONSTACK);
        sigemptyset(&sa.sa_mask);
        sigaction(stdio_fatal_signals[i], &sa, NULL);
    }
    if (stdio_signal_is_default(SIGTSTP)) {
        stdio_install_handler(SIGTSTP, stdio_stop_signal);
    }
}

static void stdio_atexit(void)
{
    chardev_cleanup_all();
}

/* QEMU's settings: no echo, no line editing, 8 bits, output post-processing kept (so
 * "\n" still returns the carriage); ISIG kept unless signal=off. */
static void stdio_set_raw(bool allow_signals)
{
    static bool exit_hooks_installed;
    struct termios tty = stdio_saved_termios;

    tty.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    tty.c_oflag |= OPOST;
    tty.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    if (!allow_signals) {
        tty.c_lflag &= ~ISIG;
    }
    tty.c_cflag &= ~(CSIZE | PARENB);
    tty.c_cflag |= CS8;
    tty.c_cc[VMIN] = 1;
    tty.c_cc[VTIME] = 0;
    stdio_raw_termios = tty;
    if (!exit_hooks_installed) {
        atexit(stdio_atexit);
        stdio_install_signal_handlers();
        exit_hooks_installed = true;
    }
    tcsetattr(STDIN_FILENO, TCSANOW, &tty);
}

static int stdio_open(Chardev *chr, KeyValList *opts, Error **errp)
{
    bool allow_signals;

    if (keyval_get_bool(opts, "signal", true, &allow_signals, errp) < 0) {
        return -1;
    }
    if (daemon_is_daemonized()) {
        error_setg(errp, "cannot use stdio with -daemonize");
        return -1;
    }
    if (stdio_owner) {
        error_setg(errp, "chardev '%s': stdio is already used by chardev '%s' "
                   "(use mux=on or mon:stdio to share it)", chr->id, stdio_owner->id);
        return -1;
    }
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &stdio_saved_termios) == 0) {
        stdio_termios_saved = 1;
        stdio_set_raw(allow_signals);
    }
    stdio_owner = chr;
    /* A closed stdin (e.g. started with 0<&-) is no input rather than a dead fd to poll. */
    chr->fd_in = fcntl(STDIN_FILENO, F_GETFD) < 0 ? -1 : STDIN_FILENO;
    chr->fd_out = STDOUT_FILENO;
    chr->be_open = true;
    chardev_set_filename(chr, "stdio");
    return 0;
}

static void stdio_close(Chardev *chr)
{
    chardev_fd_stop_reading(chr);
    chardev_stdio_restore_terminal();
    stdio_termios_saved = 0;
    stdio_owner = NULL;
}

static void stdio_emergency_cleanup(Chardev *chr)
{
    chardev_stdio_restore_terminal();
}

const ChardevBackend chardev_stdio_backend = {
    .name = "stdio",
    .open = stdio_open,
    .write = chardev_fd_write,
    .accept_input = chardev_fd_accept_input,
    .frontend_changed = chardev_fd_update_reading,
    .close = stdio_close,
    .emergency_cleanup = stdio_emergency_cleanup,
};
