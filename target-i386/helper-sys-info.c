/* TCGHelperInfo descriptions of the x86 system helpers (helper-sys.h), for the translator's
 * tcg_gen_callN. Flags 0: they read and write guest globals and may raise exceptions. */
#include "target-i386/helper-sys.h"

#define P TCG_TYPE_PTR
#define I32 TCG_TYPE_I32
#define I64 TCG_TYPE_I64
#define V TCG_TYPE_VOID
#define SYS_HELPER(hname, ret, n, ...)                                                  \
    const TCGHelperInfo x86_info_##hname = {                                            \
        .name = #hname, .func = (void *)x86_helper_##hname, .flags = 0,                 \
        .ret_type = (ret), .nb_args = (n), .arg_types = { __VA_ARGS__ },                \
    }

SYS_HELPER(in, I32, 3, P, I32, I32);
SYS_HELPER(out, V, 4, P, I32, I32, I32);
SYS_HELPER(check_io, V, 3, P, I32, I32);
SYS_HELPER(hlt, V, 1, P);
SYS_HELPER(cpuid, V, 1, P);
SYS_HELPER(rdtsc, V, 2, P, I32);
SYS_HELPER(rdmsr, V, 2, P, I32);
SYS_HELPER(xgetbv, V, 1, P);
SYS_HELPER(xsetbv, V, 1, P);
SYS_HELPER(rdpid, I64, 1, P);
SYS_HELPER(read_cr, I64, 2, P, I32);
SYS_HELPER(write_cr, V, 3, P, I32, I64);
SYS_HELPER(read_dr, I64, 2, P, I32);
SYS_HELPER(write_dr, V, 3, P, I32, I64);
SYS_HELPER(clts, V, 1, P);
SYS_HELPER(lmsw, V, 2, P, I32);
SYS_HELPER(read_sys_sel, I64, 2, P, I32);
SYS_HELPER(lgdt, V, 4, P, I32, I64, I32);
SYS_HELPER(sgdt, V, 3, P, I32, I64);
SYS_HELPER(lldt, V, 2, P, I32);
SYS_HELPER(ltr, V, 2, P, I32);
SYS_HELPER(invlpg, V, 2, P, I64);
SYS_HELPER(invpcid, V, 3, P, I64, I64);
SYS_HELPER(lar, I64, 2, P, I32);
SYS_HELPER(lsl, I64, 2, P, I32);
SYS_HELPER(verr, V, 2, P, I32);
SYS_HELPER(verw, V, 2, P, I32);
SYS_HELPER(arpl, I32, 3, P, I32, I32);
SYS_HELPER(load_seg, V, 3, P, I32, I32);
SYS_HELPER(ljmp, V, 4, P, I32, I64, I64);
SYS_HELPER(lcall, V, 5, P, I32, I64, I32, I64);
SYS_HELPER(lret, V, 3, P, I32, I32);
SYS_HELPER(iret, V, 3, P, I32, I64);
SYS_HELPER(sysenter, V, 1, P);
SYS_HELPER(sysexit, V, 2, P, I32);
SYS_HELPER(syscall, V, 2, P, I64);
SYS_HELPER(sysret, V, 2, P, I32);
SYS_HELPER(swapgs, V, 1, P);
SYS_HELPER(wrfsgsbase, V, 3, P, I32, I64);
SYS_HELPER(sti, V, 1, P);
SYS_HELPER(reset_inhibit_irq, V, 1, P);
SYS_HELPER(check_bpt, V, 2, P, I64);
SYS_HELPER(check_io_bpt, V, 4, P, I32, I32, I64);
SYS_HELPER(seg_check, V, 3, P, I64, I32);
