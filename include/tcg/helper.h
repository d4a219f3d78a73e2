/* One-line declarations of helpers called from translated code (docs/tcg.md "Helpers").
 *
 *   DEF_HELPER(cpuid, TCG_CALL_NO_WG, i32, env, i32)
 *
 * declares the C function and a typed generator in one line:
 *
 *   uint32_t helper_cpuid(CPUX86State *env, uint32_t);      <- you define this
 *   static inline void gen_helper_cpuid(TCGv_i32 ret, TCGv_ptr env, TCGv_i32 a2);
 *
 * gen_helper_NAME emits the call op through a TCGHelperInfo it owns (a static constant
 * inside the generator: nothing to register, no table to keep in sync). Arguments: the
 * result temp first unless the return type is void, then one temp per argument.
 *
 * Type words (return and arguments):
 *   void            no result (return type only)
 *   i32 / s32       uint32_t / int32_t, TCGv_i32
 *   i64 / s64       uint64_t / int64_t, TCGv_i64
 *   ptr             void *, TCGv_ptr
 *   env             TCG_HELPER_ENV *, TCGv_ptr (pass tcg_env); a front end defines
 *                   TCG_HELPER_ENV (e.g. CPUX86State) before including this header
 * Flags: TCG_CALL_* of include/tcg/tcg.h (0 is always correct). At most 7 arguments.
 * DEF_HELPER_FLAGS_N(name, flags, ret, t1..tN) are the same with an explicit count. */
#ifndef TCG_HELPER_H
#define TCG_HELPER_H

#include "tcg/tcg.h"

#ifndef TCG_HELPER_ENV
#define TCG_HELPER_ENV void
#endif

/* C type, IR type and temp handle type of each type word. */
#define dh_ctype_void void
#define dh_ctype_i32 uint32_t
#define dh_ctype_s32 int32_t
#define dh_ctype_i64 uint64_t
#define dh_ctype_s64 int64_t
#define dh_ctype_ptr void *
#define dh_ctype_env TCG_HELPER_ENV *
#define dh_type_void TCG_TYPE_VOID
#define dh_type_i32 TCG_TYPE_I32
#define dh_type_s32 TCG_TYPE_I32
#define dh_type_i64 TCG_TYPE_I64
#define dh_type_s64 TCG_TYPE_I64
#define dh_type_ptr TCG_TYPE_PTR
#define dh_type_env TCG_TYPE_PTR
#define dh_tcgv_i32 TCGv_i32
#define dh_tcgv_s32 TCGv_i32
#define dh_tcgv_i64 TCGv_i64
#define dh_tcgv_s64 TCGv_i64
#define dh_tcgv_ptr TCGv_ptr
#define dh_tcgv_env TCGv_ptr
/* The result parameter of the generator and the temp given to tcg_gen_callN. */
#define dh_retparam_void
#define dh_retparam_i32 TCGv_i32 ret,
#define dh_retparam_s32 TCGv_i32 ret,
#define dh_retparam_i64 TCGv_i64 ret,
#define dh_retparam_s64 TCGv_i64 ret,
#define dh_retparam_ptr TCGv_ptr ret,
#define dh_retparam0_void void
#define dh_retparam0_i32 TCGv_i32 ret
#define dh_retparam0_s32 TCGv_i32 ret
#define dh_retparam0_i64 TCGv_i64 ret
#define dh_retparam0_s64 TCGv_i64 ret
#define dh_retparam0_ptr TCGv_ptr ret
#define dh_rettemp_void NULL
#define dh_rettemp_i32 tcgv_temp(ret)
#define dh_rettemp_s32 tcgv_temp(ret)
#define dh_rettemp_i64 tcgv_temp(ret)
#define dh_rettemp_s64 tcgv_temp(ret)
#define dh_rettemp_ptr tcgv_temp(ret)

#define dh_ctype(t) dh_ctype_##t
#define dh_type(t) dh_type_##t
#define dh_tcgv(t) dh_tcgv_##t

/* The generator: defines the helper's TCGHelperInfo and emits the call. */
#define DH_GEN(NAME, FLAGS, RET, N, PARAMS, TYPES, TEMPS) \
    static inline void gen_helper_##NAME PARAMS \
    { \
        static const TCGHelperInfo info = { \
            .name = #NAME, .func = (void *)helper_##NAME, .flags = (FLAGS), \
            .ret_type = dh_type(RET), .nb_args = (N), .arg_types = TYPES, \
        }; \
        TCGTemp *args[(N) + 1] = TEMPS; \
        tcg_gen_callN(&info, dh_rettemp_##RET, args); \
    }
#define DH_LIST(...) { __VA_ARGS__ }

#define DEF_HELPER_FLAGS_0(name, flags, ret) \
    dh_ctype(ret) helper_##name(void); \
    DH_GEN(name, flags, ret, 0, (dh_retparam0_##ret), DH_LIST(0), DH_LIST(NULL))
#define DEF_HELPER_FLAGS_1(name, flags, ret, t1) \
    dh_ctype(ret) helper_##name(dh_ctype(t1)); \
    DH_GEN(name, flags, ret, 1, (dh_retparam_##ret dh_tcgv(t1) a1), \
           DH_LIST(dh_type(t1)), DH_LIST(tcgv_temp(a1)))
#define DEF_HELPER_FLAGS_2(name, flags, ret, t1, t2) \
    dh_ctype(ret) helper_##name(dh_ctype(t1), dh_ctype(t2)); \
    DH_GEN(name, flags, ret, 2, (dh_retparam_##ret dh_tcgv(t1) a1, dh_tcgv(t2) a2), \
           DH_LIST(dh_type(t1), dh_type(t2)), DH_LIST(tcgv_temp(a1), tcgv_temp(a2)))
#define DEF_HELPER_FLAGS_3(name, flags, ret, t1, t2, t3) \
    dh_ctype(ret) helper_##name(dh_ctype(t1), dh_ctype(t2), dh_ctype(t3)); \
    DH_GEN(name, flags, ret, 3, \
           (dh_retparam_##ret dh_tcgv(t1) a1, dh_tcgv(t2) a2, dh_tcgv(t3) a3), \
           DH_LIST(dh_type(t1), dh_type(t2), dh_type(t3)), \
           DH_LIST(tcgv_temp(a1), tcgv_temp(a2), tcgv_temp(a3)))
#define DEF_HELPER_FLAGS_4(name, flags, ret, t1, t2, t3, t4) \
    dh_ctype(ret) helper_##name(dh_ctype(t1), dh_ctype(t2), dh_ctype(t3), dh_ctype(t4)); \
    DH_GEN(name, flags, ret, 4, \
           (dh_retparam_##ret dh_tcgv(t1) a1, dh_tcgv(t2) a2, dh_tcgv(t3) a3, \
            dh_tcgv(t4) a4), \
           DH_LIST(dh_type(t1), dh_type(t2), dh_type(t3), dh_type(t4)), \
           DH_LIST(tcgv_temp(a1), tcgv_temp(a2), tcgv_temp(a3), tcgv_temp(a4)))
#define DEF_HELPER_FLAGS_5(name, flags, ret, t1, t2, t3, t4, t5) \
    dh_ctype(ret) helper_##name(dh_ctype(t1), dh_ctype(t2), dh_ctype(t3), dh_ctype(t4), \
                                dh_ctype(t5)); \
    DH_GEN(name, flags, ret, 5, \
           (dh_retparam_##ret dh_tcgv(t1) a1, dh_tcgv(t2) a2, dh_tcgv(t3) a3, \
            dh_tcgv(t4) a4, dh_tcgv(t5) a5), \
           DH_LIST(dh_type(t1), dh_type(t2), dh_type(t3), dh_type(t4), dh_type(t5)), \
           DH_LIST(tcgv_temp(a1), tcgv_temp(a2), tcgv_temp(a3), tcgv_temp(a4), \
                   tcgv_temp(a5)))
#define DEF_HELPER_FLAGS_6(name, flags, ret, t1, t2, t3, t4, t5, t6) \
    dh_ctype(ret) helper_##name(dh_ctype(t1), dh_ctype(t2), dh_ctype(t3), dh_ctype(t4), \
                                dh_ctype(t5), dh_ctype(t6)); \
    DH_GEN(name, flags, ret, 6, \
           (dh_retparam_##ret dh_tcgv(t1) a1, dh_tcgv(t2) a2, dh_tcgv(t3) a3, \
            dh_tcgv(t4) a4, dh_tcgv(t5) a5, dh_tcgv(t6) a6), \
           DH_LIST(dh_type(t1), dh_type(t2), dh_type(t3), dh_type(t4), dh_type(t5), \
                   dh_type(t6)), \
           DH_LIST(tcgv_temp(a1), tcgv_temp(a2), tcgv_temp(a3), tcgv_temp(a4), \
                   tcgv_temp(a5), tcgv_temp(a6)))
#define DEF_HELPER_FLAGS_7(name, flags, ret, t1, t2, t3, t4, t5, t6, t7) \
    dh_ctype(ret) helper_##name(dh_ctype(t1), dh_ctype(t2), dh_ctype(t3), dh_ctype(t4), \
                                dh_ctype(t5), dh_ctype(t6), dh_ctype(t7)); \
    DH_GEN(name, flags, ret, 7, \
           (dh_retparam_##ret dh_tcgv(t1) a1, dh_tcgv(t2) a2, dh_tcgv(t3) a3, \
            dh_tcgv(t4) a4, dh_tcgv(t5) a5, dh_tcgv(t6) a6, dh_tcgv(t7) a7), \
           DH_LIST(dh_type(t1), dh_type(t2), dh_type(t3), dh_type(t4), dh_type(t5), \
                   dh_type(t6), dh_type(t7)), \
           DH_LIST(tcgv_temp(a1), tcgv_temp(a2), tcgv_temp(a3), tcgv_temp(a4), \
                   tcgv_temp(a5), tcgv_temp(a6), tcgv_temp(a7)))

/* DEF_HELPER(name, flags, ret, args...): picks DEF_HELPER_FLAGS_N by counting args. */
#define DH_NTH(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, N, ...) N
#define DH_PICK(...) DH_NTH(__VA_ARGS__, DEF_HELPER_FLAGS_7, DEF_HELPER_FLAGS_6, \
                            DEF_HELPER_FLAGS_5, DEF_HELPER_FLAGS_4, DEF_HELPER_FLAGS_3, \
                            DEF_HELPER_FLAGS_2, DEF_HELPER_FLAGS_1, DEF_HELPER_FLAGS_0, x)
#define DEF_HELPER(...) DH_PICK(__VA_ARGS__)(__VA_ARGS__)

#endif
