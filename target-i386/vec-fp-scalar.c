/* The scalar SSE/SSE2 arithmetic (ADD SUB MUL DIV MIN MAX SQRT, SS and SD) on values: the
 * translator loads the operands inline and stores the element back, the helper is the host
 * instruction between two cheap checks (vec.h "helper_sv_NAME"). Fast path, when the guest
 * MXCSR has the default control (0x1f80: round to nearest, no DAZ/FTZ, all masked): run
 * the host instruction, read the host MXCSR once; if its control is the default and its
 * flags are all already set in the guest's, the result and the guest MXCSR are final (no
 * store, no LDMXCSR). Otherwise the operation is simply done again on the exact path of
 * vec-fp.h (host MXCSR loaded with the guest's control and clear flags): it is pure. */
#include "target-i386/vec-fp.h"

#define SCALAR_V(nm, insn, single)                                                    \
    static uint64_t helper_sv_##nm(X86CPU *env, uint64_t a, uint64_t b)               \
    {                                                                                   \
        X86_GETPC(ra);                                                                  \
        x86_v2di x = { (long long)a, 0 }, y = { (long long)b, 0 }, r = x;               \
        uint32_t g = env->mxcsr;                                                        \
        if (mx_fast(env)) {                                                             \
            __asm__ volatile(insn " %1, %0" : "+x"(r) : "x"(y));                        \
            if (lane_ok(x, y, r, 1, single)) {                                          \
                return (uint64_t)r[0];                                                  \
            }                                                                           \
            r = x;                                                                      \
        }                                                                               \
        if ((g & ~X86_MXCSR_FLAGS) == X86_MXCSR_MASKS) {                                \
            __asm__ volatile(insn " %1, %0" : "+x"(r) : "x"(y));                        \
            uint32_t h = host_stmxcsr();                                                \
            if ((h & ~g) == 0 && (h & ~X86_MXCSR_FLAGS) == X86_MXCSR_MASKS) {           \
                return (uint64_t)r[0];                                                  \
            }                                                                           \
            r = x;                                                                      \
        }                                                                               \
        mx_begin(env);                                                                  \
        __asm__ volatile(insn " %1, %0" : "+x"(r) : "x"(y));                            \
        mx_end(env, ra);                                                                \
        return (uint64_t)r[0];                                                          \
    }                                                                                   \
    const TCGHelperInfo x86_info_sv_##nm = {                                          \
        .name = "sv_" #nm, .func = (void *)helper_sv_##nm, .flags = TCG_CALL_NO_WG, \
        .ret_type = TCG_TYPE_I64, .nb_args = 3,                                         \
        .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I64, TCG_TYPE_I64 },                      \
    }

SCALAR_V(addss, "addss", 1); SCALAR_V(addsd, "addsd", 0);
SCALAR_V(subss, "subss", 1); SCALAR_V(subsd, "subsd", 0);
SCALAR_V(mulss, "mulss", 1); SCALAR_V(mulsd, "mulsd", 0);
SCALAR_V(divss, "divss", 1); SCALAR_V(divsd, "divsd", 0);
SCALAR_V(minss, "minss", 1); SCALAR_V(minsd, "minsd", 0);
SCALAR_V(maxss, "maxss", 1); SCALAR_V(maxsd, "maxsd", 0);
SCALAR_V(sqrtss, "sqrtss", 1); SCALAR_V(sqrtsd, "sqrtsd", 0);
