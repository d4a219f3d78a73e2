/* x86 XSAVE-family instructions for the translator: XSAVE, XRSTOR, XSAVEOPT (0F AE /4 /5
 * /6, memory forms) and XSAVEC (0F C7 /4), REX.W selecting the 64-bit x87 format. The
 * checks known at translation time are made here (#UD for LOCK, 66/F2/F3, CR4.OSXSAVE
 * clear or the feature not offered; #NM when CR0.TS is set: Intel SDM vol. 2); the helper
 * (xsave-helper.c) does the rest. */
#include "target-i386/cpuid.h"
#include "target-i386/translate.h"
#include "target-i386/xsave.h"

static int xsave_kind(DisasContext *s)
{
    if (s->opcode == 0x1c7) {
        return XSAVE_C;
    }
    int op = (s->modrm >> 3) & 7;
    return op == 4 ? XSAVE_STD : op == 5 ? XRSTOR_ANY : XSAVE_OPT;
}

void x86_emit_xsave(DisasContext *s, const X86OpEntry *e)
{
    (void)e;
    int kind = xsave_kind(s);
    if (s->mod == 3 || (s->prefix & (PREFIX_LOCK | PREFIX_DATA | PREFIX_REPZ | PREFIX_REPNZ)) ||
        !(s->flags & HF_OSXSAVE)) {
        x86_gen_illegal(s);
        return;
    }
    if ((kind == XSAVE_OPT && !x86_need_feature(s, FEAT_XSAVE_1_EAX, CPUID_XSAVE_XSAVEOPT)) ||
        (kind == XSAVE_C && !x86_need_feature(s, FEAT_XSAVE_1_EAX, CPUID_XSAVE_XSAVEC))) {
        return;
    }
    if (s->flags & HF_TS) {
        x86_gen_exception(s, EXCP_NM);
        return;
    }
    x86_gen_update_cc_op(s);
    TCGv_i64 addr = x86_gen_lea_modrm(s);
    x86_gen_helper(&x86_info_xsave, NULL, 3, tcgv_temp(tcg_env), tcgv_temp(addr),
                   tcgv_temp(tcg_constant_i32(kind | (s->rex_w ? XSAVE_W64 : 0))));
}
