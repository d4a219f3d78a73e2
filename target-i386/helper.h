/* Helpers called by translated x86 code (integer instructions, exceptions): their
 * TCGHelperInfo descriptions. System-instruction helpers are in helper-sys.h. */
#ifndef TARGET_I386_HELPER_H
#define TARGET_I386_HELPER_H

#include "tcg/tcg.h"

/* The host return address into translated code (for restoring the guest state on a
 * fault), taken at the helper's entry: GCC may split a helper's cold path (the raise) into
 * a separate ".part" function, where __builtin_return_address(0) would point into the
 * helper itself; the empty asm pins the evaluation to the entry. */
#define X86_GETPC(ra) uintptr_t ra = TCG_GETPC(); __asm__ volatile("" : "+r"(ra))

/* Declares the TCGHelperInfo x86_info_NAME of helper_NAME. */
#define X86_HELPER_INFO(hname, hflags, ret, n, ...)                                     \
    const TCGHelperInfo x86_info_##hname = {                                            \
        .name = #hname, .func = (void *)helper_##hname, .flags = (hflags),              \
        .ret_type = (ret), .nb_args = (n), .arg_types = { __VA_ARGS__ },                \
    }

#define X86_INT_HELPERS(X)                                                              \
    X(raise_exception) X(debug_trap) X(cc_compute_all) X(cc_compute_c) X(divb) X(divw) \
    X(divl) X(divq) X(idivb) X(idivw) X(idivl) X(idivq) X(rcl) X(rcr) X(daa) X(das)     \
    X(aaa) X(aas) X(aam) X(aad) X(rep_movs) X(rep_stos) X(rep_lods) X(rep_scas)         \
    X(rep_cmps) X(rdrand) X(crc32) X(int_sw) X(update_hflags) X(pdep) X(pext)
#define X(n) extern const TCGHelperInfo x86_info_##n;
X86_INT_HELPERS(X)
#undef X

#endif
