/* Runs the x86 instruction-class guest tests (the .asm files of tests/guest/x86, nasm flat binaries,
 * self-checking) on the flat test machine with both back ends: each must exit through
 * isa-debug-exit with 0. The first line "; mode: 16|32|64" of a test selects the CPU
 * mode. Needs nasm (the test is skipped without it). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "tests/difftest/x86-flat.h"

#define LOAD_ADDR 0x1000
#define RAM_SIZE (4u << 20)

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}


static int test_mode(const char *asm_text)
{
    const char *m = strstr(asm_text, "; mode: ");
    return m ? atoi(m + 8) : 32;
}

/* Assembles src into out; 0 on success. */
static int assemble(const char *dir, const char *src, const char *out)
{
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "nasm -f bin -I%s/ -o %s %s/%s", dir, out, dir, src);
    return system(cmd);
}

static void run_one(const char *backend, const char *dir, const char *name)
{
    char path[2048], bin[2048];
    size_t len, code_len;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    snprintf(bin, sizeof(bin), "%s/x86-guest-%d-%s.bin", getenv("TMPDIR") ? getenv("TMPDIR")
                                                                             : "/tmp",
             (int)getpid(), name);
    char *text = read_file(path, &len);
    assert_non_null(text);
    assert_int_equal(assemble(dir, name, bin), 0);
    char *code = read_file(bin, &code_len);
    unlink(bin);
    assert_non_null(code);

    X86Flat *f = x86flat_new(RAM_SIZE);
    assert_non_null(f);
    memcpy(x86flat_ram(f) + LOAD_ADDR, code, code_len);
    x86flat_reset(f, test_mode(text), LOAD_ADDR);
    int rc = x86flat_run(f, 100000);
    bool ok = rc == 0 && f->exited && f->exit_code == 1;
    char msg[1024];
    snprintf(msg, sizeof(msg), "%s (%s): rc %d exited %d code %d excp %d (vector %d) at "
             "%#llx, output: %.300s", name, backend, rc, f->exited, f->exit_code, f->exceptions,
             f->last_vector, (unsigned long long)f->x->rip, f->out);
    x86flat_free(f);
    free(code);
    free(text);
    if (!ok) {
        fail_msg("%s", msg);
    }
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_all(void **state)
{
    const char *backend = *state;
    const char *src = getenv("MIMIC_SRC_DIR");
    char dir[1024], *names[256];
    int n = 0;

    if (system("nasm -v >/dev/null 2>&1") != 0) {
        skip();
    }
    snprintf(dir, sizeof(dir), "%s/tests/guest/x86", src ? src : ".");
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) && n < 256;) {
        size_t l = strlen(e->d_name);
        if (l > 4 && !strcmp(e->d_name + l - 4, ".asm")) {
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
    assert_int_equal(x86flat_configure(backend), 0);
    for (int i = 0; i < n; i++) {
        run_one(backend, dir, names[i]);
        free(names[i]);
    }
    assert_true(n > 0);
}

int main(void)
{
    static const char *native = "native", *interp = "interp";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(run_all, (void *)native),
        cmocka_unit_test_prestate(run_all, (void *)interp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
