/* -daemonize and -pidfile with QEMU's semantics (QEMU 7.2 os-posix.c/oslib-posix.c read for
 * the behaviour): fork before threads, readiness reported to the waiting parent through a
 * pipe, pidfile created with an fcntl write lock held for the life of the process. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "system/daemon.h"
#include "util/cutils.h"

static int ready_pipe = -1;        /* child: write end, closed once ready */
static bool daemonized;

static int pidfile_fd = -1;
static char *pidfile_path;         /* realpath of the file we locked */
static ino_t pidfile_ino;
static dev_t pidfile_dev;

/* Parent: waits for the child's status byte; EOF means it failed (it printed why). */
static void __attribute__((noreturn)) daemon_parent_wait(int fd, pid_t child)
{
    char status = 1;
    ssize_t n;

    do {
        n = read(fd, &status, 1);
    } while (n < 0 && errno == EINTR);
    if (n == 1 && status == 0) {
        _exit(0);
    }
    waitpid(child, NULL, 0);        /* let its last error line reach the terminal first */
    _exit(1);
}

int daemon_start(Error **errp)
{
    int fds[2];
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) < 0) {
        error_setg_errno(errp, errno, "-daemonize: cannot create a pipe");
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        error_setg_errno(errp, errno, "-daemonize: fork failed");
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid > 0) {
        close(fds[1]);
        daemon_parent_wait(fds[0], pid);
    }
    close(fds[0]);
    ready_pipe = fds[1];
    daemonized = true;
    setsid();
    return 0;
}

bool daemon_is_daemonized(void)
{
    return daemonized;
}

void daemon_ready(bool keep_stderr)
{
    char ok = 0;
    int fd;

    if (ready_pipe < 0) {
        return;
    }
    fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        if (!keep_stderr) {
            dup2(fd, STDERR_FILENO);
        }
        close(fd);
    }
    while (write(ready_pipe, &ok, 1) < 0 && errno == EINTR) {
    }
    close(ready_pipe);
    ready_pipe = -1;
}

/* Opens and locks path; 1 if the file was replaced under us meanwhile (try again). */
static int pidfile_lock(const char *path, Error **errp)
{
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    struct stat opened, now;
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not create '%s'", path);
        return -1;
    }
    if (fstat(fd, &opened) < 0 || fcntl(fd, F_SETLK, &lock) < 0) {
        error_setg_errno(errp, errno, "Cannot lock pid file");
        close(fd);
        return -1;
    }
    if (stat(path, &now) < 0 || now.st_ino != opened.st_ino || now.st_dev != opened.st_dev) {
        close(fd);          /* the previous owner removed it between our open and lock */
        return 1;
    }
    pidfile_fd = fd;
    pidfile_ino = opened.st_ino;
    pidfile_dev = opened.st_dev;
    return 0;
}

int pidfile_create(const char *path, Error **errp)
{
    char line[32];
    int ret, len;

    while ((ret = pidfile_lock(path, errp)) == 1) {
    }
    if (ret < 0) {
        return -1;
    }
    len = snprintf(line, sizeof(line), "%d\n", (int)getpid());
    if (ftruncate(pidfile_fd, 0) < 0 || pwrite(pidfile_fd, line, len, 0) != len) {
        error_setg_errno(errp, errno, "Failed to write pid file");
        pidfile_remove();
        return -1;
    }
    pidfile_path = realpath(path, NULL);
    return 0;
}

void pidfile_remove(void)
{
    struct stat st;

    if (pidfile_fd < 0) {
        return;
    }
    if (pidfile_path && stat(pidfile_path, &st) == 0 && st.st_ino == pidfile_ino &&
        st.st_dev == pidfile_dev) {
        unlink(pidfile_path);
    }
    close(pidfile_fd);
    pidfile_fd = -1;
    free(pidfile_path);
    pidfile_path = NULL;
}
