/* Client side of the Unicorn runner (uc/runner.c, a separate program: see there): starts
 * it once and streams cases to it over pipes. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tests/difftest/difftest.h"

static pid_t runner = -1;
static int to_runner = -1, from_runner = -1;

static int xfer(int fd, void *buf, size_t len, bool out)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = out ? write(fd, (char *)buf + done, len - done)
                        : read(fd, (char *)buf + done, len - done);
        if (n <= 0) {
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

static int start_runner(const char **why)
{
    int in[2], out[2];
    const char *dir = getenv("MIMIC_BUILD_DIR");
    char path[1024];

    snprintf(path, sizeof(path), "%s/tests/difftest/x86-difftest-uc", dir ? dir : "build");
    if (access(path, X_OK) != 0) {
        *why = "no x86-difftest-uc (built only with libunicorn-dev; set MIMIC_BUILD_DIR)";
        return -1;
    }
    if (pipe(in) < 0 || pipe(out) < 0) {
        *why = "pipe failed";
        return -1;
    }
    signal(SIGPIPE, SIG_IGN);
    runner = fork();
    if (runner == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execl(path, path, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_runner = in[1];
    from_runner = out[0];
    return runner > 0 ? 0 : -1;
}

int dt_unicorn_run(const DTCase *c, DTState *out, const char **why)
{
    if (runner < 0 && start_runner(why) < 0) {
        return -1;
    }
    if (xfer(to_runner, (void *)c, sizeof(*c), true) < 0 ||
        xfer(from_runner, out, sizeof(*out), false) < 0) {
        *why = "the Unicorn runner died";
        return -1;
    }
    return 0;
}

void dt_unicorn_fini(void)
{
    if (runner > 0) {
        close(to_runner);
        close(from_runner);
        waitpid(runner, NULL, 0);
        runner = -1;
    }
}
