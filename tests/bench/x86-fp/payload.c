/* Floating-point bare-metal workload of the x86 FP benchmark (tests/bench/x86-fp.sh):
 * double-precision matrix multiply and an n-body simulation (+ - * / sqrt only, whose
 * results IEEE 754 fixes, so every correct emulator prints the same bits), built for the
 * x87 (-mfpmath=387) or for SSE2 (-mfpmath=sse) by build.sh. Results go to COM1 as the
 * hexadecimal bits of checksums. */
#include <stdint.h>
#include "../x86-cpu/serial.h"

/* Work per phase; the make-check test builds with SCALE 1, the benchmark with 8. */
#ifndef SCALE
#define SCALE 8
#endif

extern char __bss_start[], __bss_end[];

/* name, then the 64 bits of v in hexadecimal */
static void put_double(const char *name, double v)
{
    union { double d; uint64_t u; } b = { .d = v };
    put_hex(name, b.u);
}

/* ---- matrix multiply ---- */
#define N 48
static double ma[N][N], mb[N][N], mc[N][N];

static void mat_init(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            ma[i][j] = (double)(i * N + j + 1) / (double)(j + 3);
            mb[i][j] = (double)(i - j) / (double)(i + j + 1);
        }
    }
}

static double mat_mul(void)
{
    double sum = 0;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            double s = 0;
            for (int k = 0; k < N; k++) {
                s += ma[i][k] * mb[k][j];
            }
            mc[i][j] = s;
            sum += s;
        }
    }
    /* feed back, scaled, so that every pass depends on the last */
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            ma[i][j] = mc[i][j] / (sum + 1.0) + ma[j][i] * 0.5;
        }
    }
    return sum;
}

/* ---- n-body (the classic five bodies, simplified units) ---- */
#define NB 5
typedef struct Body { double x, y, z, vx, vy, vz, m; } Body;
static Body bodies[NB] = {
    { 0, 0, 0, 0, 0, 0, 39.47841760435743 },
    { 4.84143144246472090, -1.16032004402742839, -0.103622044471123109,
      0.606326392995832, 2.81198684491626, -0.02521836165988763, 0.03769367487038949 },
    { 8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
      -1.01077434617730, 1.82566237123041, 0.00841576137658415, 0.011286326131968767 },
    { 12.8943695621391310, -15.1111514016986312, -0.223307578892655734,
      1.08279100644154, 0.868713018169608, -0.0108326374013636, 0.0017237240570597112 },
    { 15.3796971148509165, -25.9193146099879641, 0.179258772950371181,
      0.979090732243898, 0.594698998647676, -0.034755955504078, 0.0020336868699246304 },
};

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < NB; i++) {
        Body *b = &bodies[i];
        e += 0.5 * b->m * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (int j = i + 1; j < NB; j++) {
            double dx = b->x - bodies[j].x, dy = b->y - bodies[j].y, dz = b->z - bodies[j].z;
            e -= b->m * bodies[j].m / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(double dt)
{
    for (int i = 0; i < NB; i++) {
        for (int j = i + 1; j < NB; j++) {
            double dx = bodies[i].x - bodies[j].x, dy = bodies[i].y - bodies[j].y;
            double dz = bodies[i].z - bodies[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * __builtin_sqrt(d2));
            bodies[i].vx -= dx * bodies[j].m * mag;
            bodies[i].vy -= dy * bodies[j].m * mag;
            bodies[i].vz -= dz * bodies[j].m * mag;
            bodies[j].vx += dx * bodies[i].m * mag;
            bodies[j].vy += dy * bodies[i].m * mag;
            bodies[j].vz += dz * bodies[i].m * mag;
        }
    }
    for (int i = 0; i < NB; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

/* ---- entry (from tests/bench/x86-cpu/boot.asm, flat 32-bit protected mode) ---- */

/* x87 initialised; SSE enabled (CR4.OSFXSR, OSXMMEXCPT; CR0.MP set, EM clear). */
static void fpu_setup(void)
{
    uint32_t cr0, cr4;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 & ~4u) | 2u;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
#ifdef __SSE2_MATH__
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= 3u << 9;
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
#else
    (void)cr4;
#endif
    __asm__ volatile("fninit");
}

/* CPUID.1:EDX has bit? */
static int cpuid_edx_has(int bit)
{
    uint32_t a = 1, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (d >> bit) & 1;
}

void _start(void) __attribute__((section(".text.start"), used));
void _start(void)
{
    for (char *p = __bss_start; p < __bss_end; p++) {
        *p = 0;
    }
#ifdef __SSE2_MATH__
    if (!cpuid_edx_has(26)) {
        puts_serial("SKIP: the CPU does not offer SSE2\n");
        serial_drain();
        return;
    }
#else
    (void)cpuid_edx_has;
#endif
    fpu_setup();
    mat_init();
    double m = 0;
    for (int r = 0; r < 2 * SCALE; r++) {
        m += mat_mul();
    }
    put_double("matmul ", m);
    put_double("e0 ", energy());
    for (int s = 0; s < 4000 * SCALE; s++) {
        advance(0.01);
    }
    put_double("e1 ", energy());
    put_double("x0 ", bodies[1].x);
    puts_serial("DONE\n");
    serial_drain();
}
