/* "-d cpu,fpu" for x86: the x87, MMX and SSE registers after the CPU dump, in QEMU's
 * layout (FCW/FSW/FTW/MXCSR, FPRn as significand and sign+exponent, XMMnn). */
#include <inttypes.h>
#include "target-i386/cpu.h"

void x86_cpu_dump_fpu(CPUState *cpu, FILE *out)
{
    X86CPU *x = x86_cpu(cpu);
    unsigned ftw = 0;
    int nxmm = (x->hflags & HF_CS64) ? 16 : 8;

    for (int i = 0; i < 8; i++) {
        ftw |= (x->fptags[i] ? 0u : 1u) << i;       /* abridged: 1 = valid */
    }
    fprintf(out, "FCW=%04x FSW=%04x [ST=%u] FTW=%02x MXCSR=%08x\n", x->fpuc,
            (x->fpus & ~0x3800u) | ((x->fpstt & 7) << 11), x->fpstt & 7, ftw, x->mxcsr);
    for (int i = 0; i < 8; i++) {
        fprintf(out, "FPR%d=%016" PRIx64 " %04x%c", i, x->fpregs[i].mant, x->fpregs[i].sexp,
                (i & 1) ? '\n' : ' ');
    }
    for (int i = 0; i < nxmm; i++) {
        const X86Vec *v = &x->vec[i];
        fprintf(out, "XMM%02d=%08x%08x%08x%08x%c", i, v->l[3], v->l[2], v->l[1], v->l[0],
                (i & 1) ? '\n' : ' ');
    }
}
