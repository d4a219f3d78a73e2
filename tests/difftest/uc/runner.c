/* x86-difftest-uc: runs x86 differential-test cases under Unicorn (Debian's libunicorn,
 * QEMU-derived), the second opinion for encodings the host cannot run in a 64-bit process
 * (BCD, PUSHA/POPA, short INC/DEC, segment-register pushes, 16-bit addressing), in 32-bit
 * flat protected mode and in real mode. A separate program because libunicorn exports
 * QEMU's names (cpu_reset...), which would bind to Mimic's in one process. Protocol on
 * stdin/stdout: a DTCase in, a DTState out, until end of input. */
#include <string.h>
#include "tests/difftest/difftest.h"

#include <stdio.h>
#include <unistd.h>
#include <unicorn/unicorn.h>

static int uc_vector;

static void on_intr(uc_engine *uc, uint32_t intno, void *user)
{
    uc_vector = (int)intno;
    uc_emu_stop(uc);
}

static const int uc_regs[8] = { UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX,
                                UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI };

static void uc_load(uc_engine *uc, const DTCase *c, uint64_t code, uint64_t data, uint64_t stack)
{
    uc_mem_write(uc, code, c->code, c->len);
    uc_mem_write(uc, data, c->init.data, DT_DATA_SIZE);
    uc_mem_write(uc, stack, c->init.stack, DT_STACK_SIZE);
    for (int i = 0; i < 8; i++) {
        uint32_t v = (uint32_t)c->init.regs[i];
        uc_reg_write(uc, uc_regs[i], &v);
    }
    uint32_t f = (uint32_t)c->init.rflags;
    uc_reg_write(uc, UC_X86_REG_EFLAGS, &f);
    if (c->mode == 16) {
        uint32_t cs = 0, ds = data >> 4, ss = stack >> 4;
        uc_reg_write(uc, UC_X86_REG_CS, &cs);
        uc_reg_write(uc, UC_X86_REG_DS, &ds);
        uc_reg_write(uc, UC_X86_REG_ES, &ds);
        uc_reg_write(uc, UC_X86_REG_SS, &ss);
    }
}

static int vector_of_error(uc_err e)
{
    switch (e) {
    case UC_ERR_OK: return -1;
    case UC_ERR_INSN_INVALID: return 6;
    default: return 14;
    }
}

static int run_case(const DTCase *c, DTState *out, const char **why)
{
    uc_engine *uc;
    uc_hook hook;
    uint64_t code = c->mode == 16 ? DT16_CODE : DT_CODE;
    uint64_t data = c->mode == 16 ? DT16_DATA : DT_DATA;
    uint64_t stack = c->mode == 16 ? DT16_STACK : DT_STACK;

    if (uc_open(UC_ARCH_X86, c->mode == 16 ? UC_MODE_16 : UC_MODE_32, &uc) != UC_ERR_OK) {
        *why = "uc_open failed";
        return -1;
    }
    /* a model with MOVBE, POPCNT, LZCNT, BMI, ADX (the default qemu64 has none) */
    uc_ctl_set_cpu_model(uc, UC_CPU_X86_EPYC_ROME);
    uc_mem_map(uc, 0, DT_RAM_SIZE, UC_PROT_ALL);
    uc_hook_add(uc, &hook, UC_HOOK_INTR, (void *)on_intr, NULL, 1, 0);
    uc_load(uc, c, code, data, stack);
    if (c->mode != 16) {
        uint8_t ro[0x1000];
        for (unsigned i = 0; i < sizeof(ro); i++) {
            ro[i] = dt_ro_byte(i);
        }
        uc_mem_write(uc, DT_RO, ro, sizeof(ro));
        uc_mem_protect(uc, DT_RO, sizeof(ro), UC_PROT_READ | UC_PROT_EXEC);
    }
    uc_vector = -1;
    uc_err e = uc_emu_start(uc, code, code + c->len, 0, 1000);

    *out = c->init;
    for (int i = 0; i < 8; i++) {
        uint32_t v;
        uc_reg_read(uc, uc_regs[i], &v);
        out->regs[i] = v;
    }
    uint32_t f, ip;
    uc_reg_read(uc, UC_X86_REG_EFLAGS, &f);
    uc_reg_read(uc, UC_X86_REG_EIP, &ip);
    out->rflags = f;
    out->rip = ip;
    out->exception = uc_vector >= 0 ? uc_vector : vector_of_error(e);
    uc_mem_read(uc, data, out->data, DT_DATA_SIZE);
    uc_mem_read(uc, stack, out->stack, DT_STACK_SIZE);
    uc_close(uc);
    return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = read(fd, (char *)buf + done, len - done);
        if (n <= 0) {
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, (const char *)buf + done, len - done);
        if (n <= 0) {
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

int main(void)
{
    static DTCase c;
    static DTState out;
    const char *why = "";

    while (read_all(0, &c, sizeof(c)) == 0) {
        if (run_case(&c, &out, &why) < 0) {
            fprintf(stderr, "x86-difftest-uc: %s\n", why);
            return 1;
        }
        if (write_all(1, &out, sizeof(out)) < 0) {
            return 1;
        }
    }
    return 0;
}
