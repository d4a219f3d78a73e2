/* ARM registers for gdb: gdb's org.gnu.gdb.arm.core (r0-r12, sp, lr, pc, cpsr), .vfp
 * (d0-d31, fpscr) and the empty .neon feature (gdb then shows q0-q15 and s0-s31). Writes
 * take effect: pc moves execution, cpsr switches modes (and banked registers). */
#include <string.h>
#include "gdbstub/gdbstub.h"
#include "target-arm/cpu.h"
#include "util/cutils.h"

#define CORE "org.gnu.gdb.arm.core"
#define VFP "org.gnu.gdb.arm.vfp"
#define R(n) { "r" #n, 32, "uint32", NULL, CORE }
#define D(n) { "d" #n, 64, "ieee_double", NULL, VFP }

enum { ARM_GDB_CPSR = 16, ARM_GDB_D0 = 17, ARM_GDB_FPSCR = 49 };

static const GDBRegister arm_regs[] = {
    R(0), R(1), R(2), R(3), R(4), R(5), R(6), R(7), R(8), R(9), R(10), R(11), R(12),
    { "sp", 32, "data_ptr", NULL, CORE }, { "lr", 32, "int", NULL, CORE },
    { "pc", 32, "code_ptr", NULL, CORE }, { "cpsr", 32, "int", NULL, CORE },
    D(0), D(1), D(2), D(3), D(4), D(5), D(6), D(7), D(8), D(9), D(10), D(11), D(12),
    D(13), D(14), D(15), D(16), D(17), D(18), D(19), D(20), D(21), D(22), D(23), D(24),
    D(25), D(26), D(27), D(28), D(29), D(30), D(31),
    { "fpscr", 32, "int", "float", VFP },
};

static int arm_gdb_read(CPUState *cpu, int n, uint8_t *buf)
{
    ARMCPU *a = arm_cpu(cpu);
    uint32_t v;

    if (n >= ARM_GDB_D0 && n < ARM_GDB_FPSCR) {
        memcpy(buf, &a->vfp_d[n - ARM_GDB_D0], 8);
        return 8;
    }
    if (n < ARM_GDB_CPSR) {
        v = a->regs[n];
    } else if (n == ARM_GDB_CPSR) {
        v = arm_cpsr_read(a);
    } else if (n == ARM_GDB_FPSCR) {
        v = a->fpscr;
    } else {
        return 0;
    }
    memcpy(buf, &v, 4);
    return 4;
}

static int arm_gdb_write(CPUState *cpu, int n, const uint8_t *buf)
{
    ARMCPU *a = arm_cpu(cpu);
    uint32_t v;

    if (n >= ARM_GDB_D0 && n < ARM_GDB_FPSCR) {
        memcpy(&a->vfp_d[n - ARM_GDB_D0], buf, 8);
        return 8;
    }
    if (n < 0 || n > ARM_GDB_FPSCR) {
        return 0;
    }
    memcpy(&v, buf, 4);
    if (n == 15) {
        a->regs[15] = v & (a->thumb ? ~1u : ~3u);
    } else if (n < ARM_GDB_CPSR) {
        a->regs[n] = v;
    } else if (n == ARM_GDB_CPSR) {
        arm_cpsr_write(a, v, 0xffffffffu);    /* a bad mode is ignored, the rest written */
    } else {
        a->fpscr = v;
    }
    return 4;
}

static const GDBTargetOps arm_gdb = {
    .arch = "arm", .architecture = "arm", .regs = arm_regs, .nb_regs = ARRAY_SIZE(arm_regs),
    .extra_xml = "<feature name=\"org.gnu.gdb.arm.neon\"/>\n",
    .read_register = arm_gdb_read, .write_register = arm_gdb_write,
};

static void __attribute__((constructor)) arm_gdb_register(void)
{
    gdb_register_target(&arm_gdb);
}
