/* Mimic runner of the x86 differential tester: the case runs on the flat test machine
 * (tests/difftest/x86-flat.c) in the case's mode, the code followed by HLT. */
#include <string.h>
#include "target-i386/cc.h"
#include "tests/difftest/difftest.h"
#include "tests/difftest/x86-flat.h"

static X86Flat *flat;

int dt_mimic_init(const char *backend)
{
    if (x86flat_configure(backend) < 0) {
        return -1;
    }
    flat = x86flat_new(DT_RAM_SIZE);
    if (!flat) {
        return -1;
    }
    for (unsigned i = 0; i < 0x1000; i++) {
        x86flat_ram(flat)[DT_RO + i] = dt_ro_byte(i);
    }
    flat->ro_start = DT_RO;
    flat->ro_end = DT_RO + 0x1000;
    /* the AVX set: "max" offers AVX/AVX2; each case runs with CR4.OSXSAVE and XCR0
     * enabling the AVX state, as a host OS does */
    return 0;
}

void dt_mimic_fini(void)
{
    if (flat) {
        x86flat_free(flat);
        flat = NULL;
    }
}

static void layout(int mode, uint64_t *code, uint64_t *data, uint64_t *stack)
{
    *code = mode == 16 ? DT16_CODE : DT_CODE;
    *data = mode == 16 ? DT16_DATA : DT_DATA;
    *stack = mode == 16 ? DT16_STACK : DT_STACK;
}

void dt_mimic_run(const DTCase *c, DTState *out)
{
    uint8_t *ram = x86flat_ram(flat);
    uint64_t code, data, stack;
    X86CPU *x = flat->x;

    layout(c->mode, &code, &data, &stack);
    memcpy(ram + code, c->code, c->len);
    ram[code + c->len] = 0xf4;          /* HLT */
    memcpy(ram + data, c->init.data, DT_DATA_SIZE);
    memcpy(ram + stack, c->init.stack, DT_STACK_SIZE);
    memset(ram + X86FLAT_EXCP_VECTOR, 0, 0x20);
    x86flat_reset(flat, c->mode, c->init.rip);
    memcpy(x->regs, c->init.regs, sizeof(x->regs));
    x86_cpu_set_eflags(x, c->init.rflags);
    if (c->mode == 16) {
        x86_cpu_load_real_mode_segment(x, R_DS, (uint16_t)(data >> 4));
        x86_cpu_load_real_mode_segment(x, R_ES, (uint16_t)(data >> 4));
        x86_cpu_load_real_mode_segment(x, R_SS, (uint16_t)(stack >> 4));
    }
    x->cr[0] |= X86_CR0_NE;     /* x87 exceptions as #MF, as on the host */
    x->cr[4] |= X86_CR4_OSFXSR | X86_CR4_OSXSAVE;
    x->xcr0 = 7;
    x86_update_hflags(x);
    x86flat_run(flat, 1000);

    *out = c->init;
    memcpy(out->regs, x->regs, sizeof(out->regs));
    out->rflags = x86_cpu_get_eflags(x);
    out->exception = flat->exceptions ? flat->last_vector : -1;
    out->rip = out->exception >= 0 ? x->rip : x->rip - 1;   /* HLT: back onto it */
    memcpy(out->data, ram + data, DT_DATA_SIZE);
    memcpy(out->stack, ram + stack, DT_STACK_SIZE);
}
