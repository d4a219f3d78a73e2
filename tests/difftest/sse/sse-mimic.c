/* Mimic runner of the MMX/SSE/AVX differential tester: the case on the flat machine in
 * 64-bit mode with CR4.OSFXSR, OSXMMEXCPT and OSXSAVE set and XCR0 enabling the x87, SSE
 * and AVX state (as a host OS does), the code followed by HLT. */
#include <string.h>
#include "target-i386/cc.h"
#include "tests/difftest/sse/sse-difftest.h"
#include "tests/difftest/x86-flat.h"

static X86Flat *flat;

int sd_mimic_init(const char *backend)
{
    if (x86flat_configure(backend) < 0) {
        return -1;
    }
    flat = x86flat_new(SD_RAM_SIZE);
    return flat ? 0 : -1;
}

void sd_mimic_fini(void)
{
    if (flat) {
        x86flat_free(flat);
        flat = NULL;
    }
}

void sd_mimic_run(const SdCase *c, SdState *out)
{
    uint8_t *ram = x86flat_ram(flat);
    X86CPU *x = flat->x;

    memcpy(ram + SD_CODE, c->code, c->len);
    ram[SD_CODE + c->len] = 0xf4;       /* HLT */
    memcpy(ram + SD_DATA, c->init.data, SD_DATA_SIZE);
    memset(ram + X86FLAT_EXCP_VECTOR, 0, 0x20);
    x86flat_reset(flat, 64, SD_CODE);
    memcpy(x->regs, c->init.gpr, sizeof(x->regs));
    x86_cpu_set_eflags(x, c->init.rflags | 0x202);
    for (int i = 0; i < 16; i++) {
        memcpy(x->vec[i].b, c->init.ymm[i], 32);
    }
    for (int i = 0; i < 8; i++) {
        x->fpregs[i].mant = c->init.mm[i];
        x->fpregs[i].sexp = 0xffff;
    }
    x->mxcsr = c->init.mxcsr;
    x->cr[4] |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_OSXSAVE;
    x->xcr0 = 7;
    x86_update_hflags(x);
    x86flat_run(flat, 1000);

    *out = c->init;
    memcpy(out->gpr, x->regs, sizeof(out->gpr));
    out->rflags = x86_cpu_get_eflags(x);
    out->mxcsr = x->mxcsr;
    for (int i = 0; i < 16; i++) {
        memcpy(out->ymm[i], x->vec[i].b, 32);
    }
    for (int i = 0; i < 8; i++) {
        out->mm[i] = x->fpregs[i].mant;
    }
    out->exception = flat->exceptions ? flat->last_vector : -1;
    memcpy(out->data, ram + SD_DATA, SD_DATA_SIZE);
}
