/* Guest-side disk benchmark for tests/bench/virtio-blk.sh (built static for armhf):
 * sequential and random 4 KiB reads and writes with O_DIRECT on a block device, timed with
 * CLOCK_MONOTONIC; prints one line per pattern: "BENCH name MB/s IOPS". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BS 4096

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long rng = 88172645463325252ull;

static unsigned long long next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void run(int fd, const char *name, int write, int random, long ops, long blocks,
                char *buf)
{
    double t0 = now();
    for (long i = 0; i < ops; i++) {
        off_t off = (off_t)(random ? next_rand() % blocks : i % blocks) * BS;
        ssize_t n = write ? pwrite(fd, buf, BS, off) : pread(fd, buf, BS, off);
        if (n != BS) {
            printf("BENCH %s failed at op %ld\n", name, i);
            return;
        }
    }
    if (write) {
        fdatasync(fd);
    }
    double dt = now() - t0;
    printf("BENCH %s %.2f MB/s %.0f IOPS\n", name, ops * (double)BS / dt / 1e6, ops / dt);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: blkbench DEVICE OPS\n");
        return 1;
    }
    long ops = atol(argv[2]);
    int fd = open(argv[1], O_RDWR | O_DIRECT);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    long blocks = lseek(fd, 0, SEEK_END) / BS;
    char *buf;
    if (blocks <= 0 || posix_memalign((void **)&buf, BS, BS)) {
        return 1;
    }
    memset(buf, 0x5a, BS);
    run(fd, "seq-read", 0, 0, ops, blocks, buf);
    run(fd, "rand-read", 0, 1, ops, blocks, buf);
    run(fd, "seq-write", 1, 0, ops, blocks, buf);
    run(fd, "rand-write", 1, 1, ops, blocks, buf);
    close(fd);
    return 0;
}
