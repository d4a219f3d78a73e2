/* Native runner of the MMX/SSE/AVX differential tester: the host executes the case's
 * code at SD_CODE with every YMM (XMM without AVX), MMX and general register, MXCSR and
 * RFLAGS loaded from the case; the code ends with a jump back to a trampoline that saves
 * them all, empties the MMX state (EMMS) and restores the host's MXCSR. A fault (#GP as
 * SIGSEGV, #UD as SIGILL, #XM as SIGFPE) gives the state of the signal context (the YMM
 * upper halves from its XSAVE area). */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "tests/difftest/sse/sse-difftest.h"
#include "tests/difftest/native-host.h"

#define S_GPR 0x000
#define S_FLAGS 0x080
#define S_CODE 0x088
#define S_RET 0x090
#define S_HOST_SP 0x098
#define S_HOST_MXCSR 0x0a0
#define S_MXCSR 0x0a4
#define S_AVX 0x0a8
#define S_MM 0x200
#define S_V 0x400
#define S_STACK_TOP 0x800

void sd_native_enter(void);
void sd_native_return(void);

#define STR_(x) #x
#define STR(x) STR_(x)
#define SCR 0x320000
_Static_assert(SCR == SD_SCRATCH, "the trampoline's save area");
#define A(off) STR(SCR) "+" STR(off)
#define XL(n) "  movdqu " A(S_V + 32 * n) ", %xmm" #n "\n"
#define XS(n) "  movdqu %xmm" #n ", " A(S_V + 32 * n) "\n"
#define YL(n) "  vmovdqu " A(S_V + 32 * n) ", %ymm" #n "\n"
#define YS(n) "  vmovdqu %ymm" #n ", " A(S_V + 32 * n) "\n"
#define ML(n) "  movq " A(S_MM + 8 * n) ", %mm" #n "\n"
#define MS(n) "  movq %mm" #n ", " A(S_MM + 8 * n) "\n"

__asm__(
    ".text\n"
    ".globl sd_native_enter\n"
    "sd_native_enter:\n"
    "  push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "  mov %rsp, " A(S_HOST_SP) "\n"
    "  stmxcsr " A(S_HOST_MXCSR) "\n"
    "  cmpb $0, " A(S_AVX) "\n"
    "  jne 1f\n"
    XL(0) XL(1) XL(2) XL(3) XL(4) XL(5) XL(6) XL(7)
    XL(8) XL(9) XL(10) XL(11) XL(12) XL(13) XL(14) XL(15)
    "  jmp 2f\n"
    "1:\n"
    YL(0) YL(1) YL(2) YL(3) YL(4) YL(5) YL(6) YL(7)
    YL(8) YL(9) YL(10) YL(11) YL(12) YL(13) YL(14) YL(15)
    "2:\n"
    ML(0) ML(1) ML(2) ML(3) ML(4) ML(5) ML(6) ML(7)
    "  ldmxcsr " A(S_MXCSR) "\n"
    "  mov $" A(S_STACK_TOP) ", %rsp\n"
    "  pushq " A(S_FLAGS) "\n"
    "  popfq\n"
    NATIVE_LOAD_GPRS_BUT_RSP
    "  mov " A(0x20) ", %rsp\n"
    "  jmp *" A(S_CODE) "\n"
    ".globl sd_native_return\n"
    "sd_native_return:\n"
    NATIVE_STORE_GPRS
    "  mov $" A(S_STACK_TOP) ", %rsp\n"
    "  pushfq\n"
    "  popq " A(S_FLAGS) "\n"
    "  cld\n"
    "  stmxcsr " A(S_MXCSR) "\n"
    "  cmpb $0, " A(S_AVX) "\n"
    "  jne 3f\n"
    XS(0) XS(1) XS(2) XS(3) XS(4) XS(5) XS(6) XS(7)
    XS(8) XS(9) XS(10) XS(11) XS(12) XS(13) XS(14) XS(15)
    "  jmp 4f\n"
    "3:\n"
    YS(0) YS(1) YS(2) YS(3) YS(4) YS(5) YS(6) YS(7)
    YS(8) YS(9) YS(10) YS(11) YS(12) YS(13) YS(14) YS(15)
    "  vzeroupper\n"
    "4:\n"
    MS(0) MS(1) MS(2) MS(3) MS(4) MS(5) MS(6) MS(7)
    "  emms\n"
    "  ldmxcsr " A(S_HOST_MXCSR) "\n"
    "  mov " A(S_HOST_SP) ", %rsp\n"
    "  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
    "  ret\n");

static sigjmp_buf fault_jmp;
static volatile int fault_signal;
static ucontext_t fault_ctx;
static struct _libc_fpstate fault_fp;
static uint8_t fault_ymmh[16][16];   /* YMM bits 255:128 at the fault */
static bool host_avx;
static unsigned ymmh_offset;        /* of YMM_Hi128 in the XSAVE area: CPUID 0DH.2 EBX */

/* The YMM upper halves from the signal frame's XSAVE area (Linux: the standard format,
 * announced by FP_XSTATE_MAGIC1 in the FXSAVE area's software bytes); a component in its
 * initial configuration (XSTATE_BV bit 2 clear) is zero. */
static void save_ymmh(const uint8_t *fp)
{
    uint32_t magic;
    uint64_t xfeatures, xstate_bv;
    memset(fault_ymmh, 0, sizeof(fault_ymmh));
    memcpy(&magic, fp + 464, 4);
    memcpy(&xfeatures, fp + 464 + 8, 8);
    if (!host_avx || magic != 0x46505853u || !(xfeatures & 4)) {
        return;
    }
    memcpy(&xstate_bv, fp + 512, 8);
    if (xstate_bv & 4) {
        memcpy(fault_ymmh, fp + ymmh_offset, sizeof(fault_ymmh));
    }
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    const uint8_t *fp = (const uint8_t *)((ucontext_t *)ctx)->uc_mcontext.fpregs;
    fault_signal = sig;
    memcpy(&fault_ctx, ctx, sizeof(fault_ctx));
    memcpy(&fault_fp, fp, sizeof(fault_fp));
    save_ymmh(fp);
    siglongjmp(fault_jmp, 1);
}

bool sd_native_has_avx(void)
{
    return host_avx;
}

int sd_native_init(const char **why)
{

    if (!native_map_fixed(SD_CODE, 0x1000) || !native_map_fixed(SD_DATA, 0x1000) ||
        !native_map_fixed(SD_SCRATCH, 0x1000) || !native_map_fixed(SD_STACK, 0x2000)) {
        *why = "cannot map the test's fixed addresses in this process";
        return -1;
    }
    host_avx = __builtin_cpu_supports("avx");
    if (host_avx) {
        unsigned a, b, c, d;
        __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(2));
        ymmh_offset = b;
        host_avx = b >= 576 && b <= 4096 - 256;
    }
    native_catch_faults(on_fault, false);
    return 0;
}

static void state_from_signal(SdState *out)
{
    native_gprs_from_context(&fault_ctx, out->gpr);
    for (int i = 0; i < 16; i++) {
        memcpy(out->ymm[i], &fault_fp._xmm[i], 16);
        if (host_avx) {
            memcpy(out->ymm[i] + 16, fault_ymmh[i], 16);
        }
    }
    for (int i = 0; i < 8; i++) {
        memcpy(&out->mm[i], &fault_fp._st[i], 8);
    }
    out->rflags = (uint64_t)fault_ctx.uc_mcontext.gregs[REG_EFL];
    out->mxcsr = fault_fp.mxcsr;
    out->exception = fault_signal == SIGILL ? 6 : fault_signal == SIGFPE ? 19 : 13;
}

void sd_native_run(const SdCase *c, SdState *out)
{
    uint8_t *code = (uint8_t *)(uintptr_t)SD_CODE, *save = (uint8_t *)(uintptr_t)SD_SCRATCH;
    uint64_t ret = (uint64_t)(uintptr_t)sd_native_return, codeaddr = SD_CODE;
    uint64_t flags = c->init.rflags | 0x202;
    /* jmp qword [SD_SCRATCH + S_RET] */
    const uint8_t tail[7] = { 0xff, 0x24, 0x25, (uint8_t)(SD_SCRATCH + S_RET),
                              (uint8_t)((SD_SCRATCH + S_RET) >> 8),
                              (uint8_t)((SD_SCRATCH + S_RET) >> 16), 0 };

    memcpy(code, c->code, c->len);
    memcpy(code + c->len, tail, sizeof(tail));
    __builtin___clear_cache((char *)code, (char *)code + c->len + sizeof(tail));
    memcpy((void *)(uintptr_t)SD_DATA, c->init.data, SD_DATA_SIZE);
    memcpy(save + S_GPR, c->init.gpr, sizeof(c->init.gpr));
    memcpy(save + S_FLAGS, &flags, 8);
    memcpy(save + S_CODE, &codeaddr, 8);
    memcpy(save + S_RET, &ret, 8);
    memcpy(save + S_MXCSR, &c->init.mxcsr, 4);
    save[S_AVX] = host_avx;
    for (int i = 0; i < 16; i++) {
        memcpy(save + S_V + 32 * i, c->init.ymm[i], 32);
    }
    memcpy(save + S_MM, c->init.mm, sizeof(c->init.mm));

    *out = c->init;
    fault_signal = 0;
    if (sigsetjmp(fault_jmp, 1) == 0) {
        sd_native_enter();
        memcpy(out->gpr, save + S_GPR, sizeof(out->gpr));
        memcpy(&out->rflags, save + S_FLAGS, 8);
        memcpy(&out->mxcsr, save + S_MXCSR, 4);
        for (int i = 0; i < 16; i++) {
            memcpy(out->ymm[i], save + S_V + 32 * i, host_avx ? 32 : 16);
        }
        memcpy(out->mm, save + S_MM, sizeof(out->mm));
        out->exception = -1;
    } else {
        state_from_signal(out);
        __asm__ volatile("emms");
    }
    memcpy(out->data, (void *)(uintptr_t)SD_DATA, SD_DATA_SIZE);
}
