/* The Unicorn oracle of the ARM differential tester: reads DiffRequest messages on stdin,
 * runs each on a Cortex-A15 model of Unicorn (Debian's libunicorn-dev) in SVC mode with VFP
 * enabled, and answers a DiffReply on stdout. Built only when configure found Unicorn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicorn/unicorn.h>
#include "protocol.h"

static const int core_regs[15] = {
    UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4, UC_ARM_REG_R5,
    UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
    UC_ARM_REG_R12, UC_ARM_REG_R13, UC_ARM_REG_R14,
};

static uc_engine *engine_new(int thumb)
{
    uc_engine *uc;
    if (uc_open(UC_ARCH_ARM, thumb ? UC_MODE_THUMB : UC_MODE_ARM, &uc) != UC_ERR_OK ||
        uc_ctl_set_cpu_model(uc, UC_CPU_ARM_CORTEX_A15) != UC_ERR_OK ||
        uc_mem_map(uc, DIFF_CODE_BASE, 0x1000, UC_PROT_ALL) != UC_ERR_OK ||
        uc_mem_map(uc, DIFF_DATA_BASE, DIFF_DATA_SIZE, UC_PROT_ALL) != UC_ERR_OK) {
        return NULL;
    }
    return uc;
}

static void put_state(uc_engine *uc, const DiffCpuState *st, int thumb)
{
    uint32_t cpacr = 0xf << 20, fpexc = 1u << 30;
    uc_reg_write(uc, UC_ARM_REG_C1_C0_2, &cpacr);
    uc_reg_write(uc, UC_ARM_REG_FPEXC, &fpexc);
    for (int i = 0; i < 15; i++) {
        uc_reg_write(uc, core_regs[i], &st->r[i]);
    }
    uint32_t cpsr = st->psr | 0x1d3 | (thumb ? 0x20 : 0);
    uc_reg_write(uc, UC_ARM_REG_CPSR, &cpsr);
    uc_reg_write(uc, UC_ARM_REG_FPSCR, &st->fpscr);
    for (int i = 0; i < 32; i++) {
        uc_reg_write(uc, UC_ARM_REG_D0 + i, &st->d[i]);
    }
    uc_mem_write(uc, DIFF_DATA_BASE, st->data, DIFF_DATA_SIZE);
}

static void get_state(uc_engine *uc, DiffCpuState *st)
{
    uint32_t cpsr;
    for (int i = 0; i < 15; i++) {
        uc_reg_read(uc, core_regs[i], &st->r[i]);
    }
    uc_reg_read(uc, UC_ARM_REG_CPSR, &cpsr);
    st->psr = cpsr & 0xf80f0000u;
    uc_reg_read(uc, UC_ARM_REG_FPSCR, &st->fpscr);
    for (int i = 0; i < 32; i++) {
        uc_reg_read(uc, UC_ARM_REG_D0 + i, &st->d[i]);
    }
    uc_mem_read(uc, DIFF_DATA_BASE, st->data, DIFF_DATA_SIZE);
}

static int read_full(void *buf, size_t n)
{
    for (size_t got = 0; got < n;) {
        ssize_t k = read(0, (char *)buf + got, n - got);
        if (k <= 0) {
            return -1;
        }
        got += (size_t)k;
    }
    return 0;
}

int main(void)
{
    static DiffRequest rq;
    static DiffReply rp;
    uc_engine *uc[2] = { engine_new(0), engine_new(1) };

    if (!uc[0] || !uc[1]) {
        fprintf(stderr, "arm-diff-oracle: cannot start Unicorn\n");
        return 1;
    }
    while (read_full(&rq, sizeof(rq)) == 0) {
        int t = rq.thumb != 0;
        if (rq.len > DIFF_CODE_MAX) {
            return 1;
        }
        uc_ctl_remove_cache(uc[t], DIFF_CODE_BASE, DIFF_CODE_BASE + 0x1000);
        uc_mem_write(uc[t], DIFF_CODE_BASE, rq.code, rq.len);
        put_state(uc[t], &rq.st, t);
        uc_err e = uc_emu_start(uc[t], DIFF_CODE_BASE | (uint32_t)t, DIFF_CODE_BASE + rq.len,
                                0, 0);
        rp.ok = e == UC_ERR_OK;
        if (e != UC_ERR_OK && getenv("MIMIC_ARM_DIFF_VERBOSE")) {
            uint32_t pc, cpsr;
            uc_reg_read(uc[t], UC_ARM_REG_PC, &pc);
            uc_reg_read(uc[t], UC_ARM_REG_CPSR, &cpsr);
            uint32_t word = 0;
            uc_mem_read(uc[t], pc, &word, 4);
            fprintf(stderr, "oracle: %s pc %x insn %08x cpsr %x len %u\n", uc_strerror(e), pc, word, cpsr, rq.len);
        }
        get_state(uc[t], &rp.st);
        if (fwrite(&rp, sizeof(rp), 1, stdout) != 1 || fflush(stdout) != 0) {
            return 1;
        }
    }
    uc_close(uc[0]);
    uc_close(uc[1]);
    return 0;
}
