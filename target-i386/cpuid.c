/* x86 CPU models and the CPUID instruction (Intel SDM vol. 2A CPUID; AMD CPUID
 * specification for the 8000_00xxh leaves): the models of -cpu (486 ... max), feature
 * names for -cpu NAME,+feat,-feat, the features Mimic implements (every model is filtered
 * by them so CPUID never offers what is missing), cache and topology leaves (4, 0Bh,
 * 8000_0006h) that follow -smp, and the speculation-control bits that tell Linux which
 * mitigations it can skip. */
#include <stdlib.h>
#include <string.h>
#include "target-i386/cpu.h"
#include "target-i386/cpuid.h"
#include "target-i386/xsave.h"
#include "system/machine.h"
#include "util/error.h"

/* ---- feature names ------------------------------------------------------------------------- */

typedef struct FeatureName {
    const char *name;
    int word;
    uint32_t bit;
} FeatureName;

static const FeatureName feature_names[] = {
    { "fpu", FEAT_1_EDX, CPUID_FPU }, { "vme", FEAT_1_EDX, CPUID_VME },
    { "de", FEAT_1_EDX, CPUID_DE }, { "pse", FEAT_1_EDX, CPUID_PSE },
    { "tsc", FEAT_1_EDX, CPUID_TSC }, { "msr", FEAT_1_EDX, CPUID_MSR },
    { "pae", FEAT_1_EDX, CPUID_PAE }, { "mce", FEAT_1_EDX, CPUID_MCE },
    { "cx8", FEAT_1_EDX, CPUID_CX8 }, { "apic", FEAT_1_EDX, CPUID_APIC },
    { "sep", FEAT_1_EDX, CPUID_SEP }, { "mtrr", FEAT_1_EDX, CPUID_MTRR },
    { "pge", FEAT_1_EDX, CPUID_PGE }, { "mca", FEAT_1_EDX, CPUID_MCA },
    { "cmov", FEAT_1_EDX, CPUID_CMOV }, { "pat", FEAT_1_EDX, CPUID_PAT },
    { "pse36", FEAT_1_EDX, CPUID_PSE36 }, { "clflush", FEAT_1_EDX, CPUID_CLFSH },
    { "mmx", FEAT_1_EDX, CPUID_MMX }, { "fxsr", FEAT_1_EDX, CPUID_FXSR },
    { "sse", FEAT_1_EDX, CPUID_SSE }, { "sse2", FEAT_1_EDX, CPUID_SSE2 },
    { "ss", FEAT_1_EDX, CPUID_SS }, { "ht", FEAT_1_EDX, CPUID_HTT },
    { "pni", FEAT_1_ECX, CPUID_EXT_SSE3 }, { "sse3", FEAT_1_ECX, CPUID_EXT_SSE3 },
    { "pclmulqdq", FEAT_1_ECX, CPUID_EXT_PCLMULQDQ },
    { "monitor", FEAT_1_ECX, CPUID_EXT_MONITOR }, { "ssse3", FEAT_1_ECX, CPUID_EXT_SSSE3 },
    { "cx16", FEAT_1_ECX, CPUID_EXT_CX16 }, { "pcid", FEAT_1_ECX, CPUID_EXT_PCID },
    { "sse4.1", FEAT_1_ECX, CPUID_EXT_SSE41 }, { "sse4.2", FEAT_1_ECX, CPUID_EXT_SSE42 },
    { "x2apic", FEAT_1_ECX, CPUID_EXT_X2APIC }, { "movbe", FEAT_1_ECX, CPUID_EXT_MOVBE },
    { "popcnt", FEAT_1_ECX, CPUID_EXT_POPCNT },
    { "tsc-deadline", FEAT_1_ECX, CPUID_EXT_TSC_DEADLINE },
    { "aes", FEAT_1_ECX, CPUID_EXT_AES }, { "xsave", FEAT_1_ECX, CPUID_EXT_XSAVE },
    { "avx", FEAT_1_ECX, CPUID_EXT_AVX }, { "f16c", FEAT_1_ECX, CPUID_EXT_F16C },
    { "rdrand", FEAT_1_ECX, CPUID_EXT_RDRAND },
    { "hypervisor", FEAT_1_ECX, CPUID_EXT_HYPERVISOR },
    { "fsgsbase", FEAT_7_0_EBX, CPUID_7_0_EBX_FSGSBASE },
    { "bmi1", FEAT_7_0_EBX, CPUID_7_0_EBX_BMI1 }, { "avx2", FEAT_7_0_EBX, CPUID_7_0_EBX_AVX2 },
    { "smep", FEAT_7_0_EBX, CPUID_7_0_EBX_SMEP }, { "bmi2", FEAT_7_0_EBX, CPUID_7_0_EBX_BMI2 },
    { "erms", FEAT_7_0_EBX, CPUID_7_0_EBX_ERMS },
    { "invpcid", FEAT_7_0_EBX, CPUID_7_0_EBX_INVPCID },
    { "rdseed", FEAT_7_0_EBX, CPUID_7_0_EBX_RDSEED }, { "adx", FEAT_7_0_EBX, CPUID_7_0_EBX_ADX },
    { "smap", FEAT_7_0_EBX, CPUID_7_0_EBX_SMAP },
    { "clflushopt", FEAT_7_0_EBX, CPUID_7_0_EBX_CLFLUSHOPT },
    { "umip", FEAT_7_0_ECX, CPUID_7_0_ECX_UMIP }, { "la57", FEAT_7_0_ECX, CPUID_7_0_ECX_LA57 },
    { "rdpid", FEAT_7_0_ECX, CPUID_7_0_ECX_RDPID }, { "fsrm", FEAT_7_0_EDX, CPUID_7_0_EDX_FSRM },
    { "md-clear", FEAT_7_0_EDX, CPUID_7_0_EDX_MD_CLEAR },
    { "spec-ctrl", FEAT_7_0_EDX, CPUID_7_0_EDX_SPEC_CTRL },
    { "stibp", FEAT_7_0_EDX, CPUID_7_0_EDX_STIBP },
    { "arch-capabilities", FEAT_7_0_EDX, CPUID_7_0_EDX_ARCH_CAPABILITIES },
    { "ssbd", FEAT_7_0_EDX, CPUID_7_0_EDX_SSBD },
    { "syscall", FEAT_8000_0001_EDX, CPUID_EXT2_SYSCALL },
    { "nx", FEAT_8000_0001_EDX, CPUID_EXT2_NX }, { "xd", FEAT_8000_0001_EDX, CPUID_EXT2_NX },
    { "pdpe1gb", FEAT_8000_0001_EDX, CPUID_EXT2_PDPE1GB },
    { "rdtscp", FEAT_8000_0001_EDX, CPUID_EXT2_RDTSCP },
    { "lm", FEAT_8000_0001_EDX, CPUID_EXT2_LM },
    { "lahf-lm", FEAT_8000_0001_ECX, CPUID_EXT3_LAHF_LM },
    { "abm", FEAT_8000_0001_ECX, CPUID_EXT3_ABM },
    { "3dnowprefetch", FEAT_8000_0001_ECX, CPUID_EXT3_3DNOWPREFETCH },
    { "xsaveopt", FEAT_XSAVE_1_EAX, CPUID_XSAVE_XSAVEOPT },
    { "xsavec", FEAT_XSAVE_1_EAX, CPUID_XSAVE_XSAVEC },
    { "xgetbv1", FEAT_XSAVE_1_EAX, CPUID_XSAVE_XGETBV1 },
};

/* What Mimic implements today. Not (yet): F16C, FMA, AVX-512, MONITOR/MWAIT, VME/PVI,
 * x2APIC and the TSC-deadline timer, 5-level paging. */
static const uint32_t implemented[X86_NB_FEAT_WORDS] = {
    [FEAT_1_EDX] = CPUID_FPU | CPUID_FXSR | CPUID_DE | CPUID_PSE | CPUID_TSC | CPUID_MSR |
                   CPUID_PAE | CPUID_MCE | CPUID_CX8 | CPUID_APIC | CPUID_SEP | CPUID_MTRR | CPUID_PGE | CPUID_MCA |
                   CPUID_CMOV | CPUID_PAT | CPUID_PSE36 | CPUID_CLFSH | CPUID_SS | CPUID_HTT |
                   CPUID_MMX | CPUID_SSE | CPUID_SSE2,
    [FEAT_1_ECX] = CPUID_EXT_SSE3 | CPUID_EXT_SSSE3 | CPUID_EXT_SSE41 | CPUID_EXT_SSE42 |
                   CPUID_EXT_AES | CPUID_EXT_PCLMULQDQ |
                   CPUID_EXT_CX16 | CPUID_EXT_PCID | CPUID_EXT_MOVBE | CPUID_EXT_POPCNT |
                   CPUID_EXT_RDRAND | CPUID_EXT_HYPERVISOR | CPUID_EXT_XSAVE | CPUID_EXT_AVX,
    /* (x2APIC and the TSC-deadline timer come from the interrupt controller: intc) */
    /* BMI1/BMI2: TZCNT here, the VEX forms in translate-bmi.c */
    [FEAT_7_0_EBX] = CPUID_7_0_EBX_FSGSBASE | CPUID_7_0_EBX_BMI1 | CPUID_7_0_EBX_BMI2 |
                     CPUID_7_0_EBX_AVX2 |
                     CPUID_7_0_EBX_SMEP |
                     CPUID_7_0_EBX_ERMS | CPUID_7_0_EBX_INVPCID |
                     CPUID_7_0_EBX_RDSEED | CPUID_7_0_EBX_ADX | CPUID_7_0_EBX_SMAP |
                     CPUID_7_0_EBX_CLFLUSHOPT,
    [FEAT_7_0_ECX] = CPUID_7_0_ECX_UMIP | CPUID_7_0_ECX_RDPID,
    [FEAT_7_0_EDX] = CPUID_7_0_EDX_FSRM | CPUID_7_0_EDX_SPEC_CTRL | CPUID_7_0_EDX_STIBP |
                     CPUID_7_0_EDX_ARCH_CAPABILITIES | CPUID_7_0_EDX_SSBD,
    [FEAT_8000_0001_EDX] = CPUID_EXT2_SYSCALL | CPUID_EXT2_NX | CPUID_EXT2_PDPE1GB |
                           CPUID_EXT2_RDTSCP | CPUID_EXT2_LM,
    [FEAT_8000_0001_ECX] = CPUID_EXT3_LAHF_LM | CPUID_EXT3_ABM | CPUID_EXT3_3DNOWPREFETCH,
    [FEAT_XSAVE_1_EAX] = CPUID_XSAVE_XSAVEOPT | CPUID_XSAVE_XSAVEC | CPUID_XSAVE_XGETBV1,
};

/* ---- models ------------------------------------------------------------------------------------ */

typedef struct X86Model {
    const char *name, *description, *vendor, *model_id;
    unsigned family, model, stepping, level, xlevel, phys_bits;
    bool long_mode;
    uint32_t features[X86_NB_FEAT_WORDS];
    uint64_t arch_capabilities;
} X86Model;

#define PENTIUM_EDX (CPUID_FPU | CPUID_VME | CPUID_DE | CPUID_PSE | CPUID_TSC | CPUID_MSR | \
                     CPUID_MCE | CPUID_CX8 | CPUID_MMX)
#define PPRO_EDX (CPUID_FPU | CPUID_DE | CPUID_PSE | CPUID_TSC | CPUID_MSR | CPUID_MCE |     \
                  CPUID_CX8 | CPUID_PGE | CPUID_CMOV | CPUID_PAT | CPUID_FXSR | CPUID_MMX |  \
                  CPUID_SSE | CPUID_SSE2 | CPUID_PAE | CPUID_SEP | CPUID_APIC)
#define P6_EDX (PPRO_EDX | CPUID_MTRR | CPUID_MCA | CPUID_PSE36 | CPUID_CLFSH)
/* ARCH_CAPABILITIES of the models that report it: not affected by Meltdown/L1TF (RDCL_NO),
 * MDS, TAA, SSB, iTLB multihit, MMIO stale data, GDS, RFDS, BHI, PBRSB; enhanced IBRS. */
#define NOT_AFFECTED (ARCH_CAP_RDCL_NO | ARCH_CAP_IBRS_ALL | ARCH_CAP_SKIP_L1DFL_VMENTRY |   \
                      ARCH_CAP_SSB_NO | ARCH_CAP_MDS_NO | ARCH_CAP_PSCHANGE_MC_NO |         \
                      ARCH_CAP_TAA_NO | ARCH_CAP_SBDR_SSDP_NO | ARCH_CAP_FBSDP_NO |         \
                      ARCH_CAP_PSDP_NO | ARCH_CAP_PBRSB_NO | ARCH_CAP_GDS_NO |              \
                      ARCH_CAP_RFDS_NO | (1ull << 20) /* BHI_NO */)

static const X86Model models[] = {
    { .name = "qemu32", .description = "QEMU-compatible 32-bit x86 CPU (family 6 model 6)",
      .vendor = "GenuineIntel", .model_id = "QEMU Virtual CPU version 2.5+",
      .family = 6, .model = 6, .stepping = 3, .level = 4, .xlevel = 0x80000004,
      .phys_bits = 36,
      .features = { [FEAT_1_EDX] = PPRO_EDX, [FEAT_1_ECX] = CPUID_EXT_SSE3 } },
    { .name = "qemu64", .description = "QEMU-compatible 64-bit x86 CPU (family 15 model 107)",
      .vendor = "AuthenticAMD", .model_id = "QEMU Virtual CPU version 2.5+",
      .family = 15, .model = 107, .stepping = 1, .level = 0xd, .xlevel = 0x8000000a,
      .phys_bits = 40, .long_mode = true,
      .features = { [FEAT_1_EDX] = PPRO_EDX | CPUID_MTRR | CPUID_CLFSH | CPUID_MCA |
                                   CPUID_PSE36,
                    [FEAT_1_ECX] = CPUID_EXT_SSE3 | CPUID_EXT_CX16,
                    [FEAT_8000_0001_EDX] = CPUID_EXT2_LM | CPUID_EXT2_SYSCALL | CPUID_EXT2_NX,
                    [FEAT_8000_0001_ECX] = CPUID_EXT3_LAHF_LM } },
    { .name = "486", .description = "Intel 486 (family 4 model 8)", .vendor = "GenuineIntel",
      .model_id = "", .family = 4, .model = 8, .stepping = 0, .level = 1, .phys_bits = 32,
      .features = { [FEAT_1_EDX] = CPUID_FPU | CPUID_VME | CPUID_PSE } },
    { .name = "pentium", .description = "Intel Pentium with MMX (family 5 model 4)",
      .vendor = "GenuineIntel", .model_id = "", .family = 5, .model = 4, .stepping = 3,
      .level = 1, .phys_bits = 32, .features = { [FEAT_1_EDX] = PENTIUM_EDX } },
    { .name = "pentium2", .description = "Intel Pentium II (family 6 model 5)",
      .vendor = "GenuineIntel", .model_id = "", .family = 6, .model = 5, .stepping = 2,
      .level = 2, .phys_bits = 36,
      .features = { [FEAT_1_EDX] = PENTIUM_EDX | CPUID_APIC | CPUID_SEP | CPUID_MTRR |
                                   CPUID_PGE | CPUID_MCA | CPUID_CMOV | CPUID_PAT |
                                   CPUID_PSE36 | CPUID_FXSR | CPUID_PAE } },
    { .name = "pentium3", .description = "Intel Pentium III (family 6 model 7)",
      .vendor = "GenuineIntel", .model_id = "", .family = 6, .model = 7, .stepping = 3,
      .level = 3, .phys_bits = 36,
      .features = { [FEAT_1_EDX] = PENTIUM_EDX | CPUID_APIC | CPUID_SEP | CPUID_MTRR |
                                   CPUID_PGE | CPUID_MCA | CPUID_CMOV | CPUID_PAT |
                                   CPUID_PSE36 | CPUID_FXSR | CPUID_PAE | CPUID_SSE } },
    { .name = "Nehalem", .description = "Intel Core i7 9xx (Nehalem Class Core i7)",
      .vendor = "GenuineIntel", .model_id = "Intel Core i7 9xx (Nehalem Class Core i7)",
      .family = 6, .model = 26, .stepping = 3, .level = 0xb, .xlevel = 0x80000008,
      .phys_bits = 40, .long_mode = true,
      .features = { [FEAT_1_EDX] = P6_EDX | CPUID_SS,
                    [FEAT_1_ECX] = CPUID_EXT_SSE3 | CPUID_EXT_SSSE3 | CPUID_EXT_CX16 |
                                   CPUID_EXT_SSE41 | CPUID_EXT_SSE42 | CPUID_EXT_POPCNT,
                    [FEAT_8000_0001_EDX] = CPUID_EXT2_LM | CPUID_EXT2_SYSCALL |
                                           CPUID_EXT2_NX | CPUID_EXT2_RDTSCP,
                    [FEAT_8000_0001_ECX] = CPUID_EXT3_LAHF_LM } },
    { .name = "max", .description = "Enables every feature Mimic implements",
      .vendor = "GenuineIntel", .model_id = "Mimic TCG CPU (max)",
      .family = 6, .model = 0xba, .stepping = 2, .level = 0xd, .xlevel = 0x80000008,
      .phys_bits = 40, .long_mode = true, .arch_capabilities = NOT_AFFECTED,
      .features = { [FEAT_1_EDX] = ~0u, [FEAT_1_ECX] = ~0u & ~CPUID_EXT_HYPERVISOR,
                    [FEAT_7_0_EBX] = ~0u, [FEAT_7_0_ECX] = ~0u, [FEAT_7_0_EDX] = ~0u,
                    [FEAT_8000_0001_EDX] = ~0u, [FEAT_8000_0001_ECX] = ~0u,
                    [FEAT_XSAVE_1_EAX] = ~0u } },
};

static const X86Model *model_of(const CPUClass *cls)
{
    for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
        if (!strcmp(models[i].name, cls->model)) {
            return &models[i];
        }
    }
    return &models[0];
}

/* CPUID.1:EAX layout (SDM 2A, CPUID): stepping 3:0, model 7:4, family 11:8, extended model
 * 19:16, extended family 27:20. */
static uint32_t cpuid_signature(unsigned family, unsigned model, unsigned stepping)
{
    uint32_t sig = stepping & 0xf;
    sig |= (model & 0xf) << 4 | (model >> 4) << 16;
    if (family > 0xf) {
        sig |= 0xf << 8 | (family - 0xf) << 20;
    } else {
        sig |= family << 8;
    }
    return sig;
}

void x86_cpu_model_init(CPUState *cpu)
{
    X86CPU *x = x86_cpu(cpu);
    const X86Model *m = model_of(cpu->cls);
    x->cpuid_version = cpuid_signature(m->family, m->model, m->stepping);
    x->long_mode = m->long_mode;
    x->cpuid_level = m->level;
    x->cpuid_xlevel = m->xlevel;
    x->phys_bits = (uint8_t)m->phys_bits;
    x->arch_capabilities = m->arch_capabilities;
    x->tsc_khz = 1000000;                    /* 1 GHz: TSC ticks = virtual nanoseconds */
    snprintf(x->vendor, sizeof(x->vendor), "%s", m->vendor);
    snprintf(x->model_id, sizeof(x->model_id), "%s", m->model_id);
    for (int i = 0; i < X86_NB_FEAT_WORDS; i++) {
        x->features[i] = m->features[i] & implemented[i];
    }
    x->intc_features = m->features[FEAT_1_ECX] & (CPUID_EXT_X2APIC | CPUID_EXT_TSC_DEADLINE);
    Machine *mach = cpu->machine;
    if (mach && mach->config.arch && !strcmp(mach->config.arch, "i386")) {
        x->long_mode = false;           /* as qemu-system-i386: no Intel 64 */
    }
    if (!x->long_mode) {
        x->features[FEAT_8000_0001_EDX] &= ~(CPUID_EXT2_LM | CPUID_EXT2_SYSCALL);
        x->features[FEAT_8000_0001_ECX] &= ~CPUID_EXT3_LAHF_LM;
    }
    if (m->arch_capabilities == 0) {
        x->features[FEAT_7_0_EDX] &= ~CPUID_7_0_EDX_ARCH_CAPABILITIES;
    }
}

/* ---- -cpu NAME,+feat,-feat,feat=on|off ---------------------------------------------------------- */

static const FeatureName *find_feature(const char *name)
{
    for (size_t i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++) {
        if (!strcmp(feature_names[i].name, name)) {
            return &feature_names[i];
        }
    }
    return NULL;
}

static int apply_feature(X86CPU *x, const char *item, Error **errp)
{
    char name[64];
    bool on;
    const char *eq = strchr(item, '=');
    if (item[0] == '+' || item[0] == '-') {
        on = item[0] == '+';
        snprintf(name, sizeof(name), "%s", item + 1);
    } else if (eq && (!strcmp(eq + 1, "on") || !strcmp(eq + 1, "off"))) {
        on = !strcmp(eq + 1, "on");
        snprintf(name, sizeof(name), "%.*s", (int)(eq - item), item);
    } else {
        error_setg(errp, "CPU property '%s': use +feature, -feature or feature=on|off", item);
        return -1;
    }
    const FeatureName *f = find_feature(name);
    if (!f) {
        error_setg(errp, "unknown CPU feature '%s'", name);
        return -1;
    }
    uint32_t intc_bits = CPUID_EXT_X2APIC | CPUID_EXT_TSC_DEADLINE;
    if (f->word == FEAT_1_ECX && (f->bit & intc_bits)) {
        x->intc_features = on ? x->intc_features | f->bit : x->intc_features & ~f->bit;
        return 0;
    }
    if (on && !(implemented[f->word] & f->bit)) {
        error_setg(errp, "CPU feature '%s' is not implemented by Mimic", name);
        return -1;
    }
    x->features[f->word] = on ? x->features[f->word] | f->bit : x->features[f->word] & ~f->bit;
    if (f->word == FEAT_8000_0001_EDX && f->bit == CPUID_EXT2_LM) {
        x->long_mode = on && !strcmp(x->parent.cls->arch, "x86_64");
        if (on && !x->long_mode) {
            error_setg(errp, "CPU feature 'lm' needs a 64-bit CPU model");
            return -1;
        }
    }
    return 0;
}

int x86_cpu_parse_options(CPUState *cpu, const char *opts, Error **errp)
{
    char *copy = strdup(opts), *save = NULL;
    int ret = 0;
    for (char *t = strtok_r(copy, ",", &save); t && ret == 0; t = strtok_r(NULL, ",", &save)) {
        ret = apply_feature(x86_cpu(cpu), t, errp);
    }
    free(copy);
    return ret;
}

/* ---- CPUID ---------------------------------------------------------------------------------------- */

static unsigned nr_cpus(X86CPU *x)
{
    Machine *m = x->parent.machine;
    return m && m->config.smp_cpus > 0 ? (unsigned)m->config.smp_cpus : 1;
}

static void vendor_regs(X86CPU *x, uint32_t out[4])
{
    memcpy(&out[1], x->vendor, 4);
    memcpy(&out[3], x->vendor + 4, 4);
    memcpy(&out[2], x->vendor + 8, 4);
}

/* Leaf 4: L1d 32 KiB 8-way, L1i 32 KiB 8-way, L2 1 MiB 16-way per core, L3 16 MiB 16-way
 * shared by the package (all -smp CPUs are one package of single-thread cores). */
static void cache_leaf(X86CPU *x, uint32_t sub, uint32_t out[4])
{
    static const struct { unsigned type, level, ways, sets, shared; } c[4] = {
        { 1, 1, 8, 64, 0 }, { 2, 1, 8, 64, 0 }, { 3, 2, 16, 1024, 0 }, { 3, 3, 16, 16384, 1 },
    };
    if (sub >= 4) {
        out[0] = out[1] = out[2] = out[3] = 0;
        return;
    }
    unsigned n = nr_cpus(x);
    out[0] = c[sub].type | c[sub].level << 5 | 1u << 8 |
             (c[sub].shared ? (n - 1) : 0) << 14 | (n - 1) << 26;
    out[1] = (c[sub].ways - 1) << 22 | 63;
    out[2] = c[sub].sets - 1;
    out[3] = c[sub].level == 3 ? 2 : 0;           /* L3 inclusive */
}

static unsigned bits_for(unsigned n)
{
    unsigned b = 0;
    while ((1u << b) < n) {
        b++;
    }
    return b;
}

static void topology_leaf(X86CPU *x, uint32_t sub, uint32_t out[4])
{
    unsigned n = nr_cpus(x);
    out[3] = (uint32_t)x->parent.index;
    if (sub == 0) {
        out[0] = 0;
        out[1] = 1;
        out[2] = 1u << 8;               /* SMT level: one thread per core */
    } else if (sub == 1) {
        out[0] = bits_for(n);
        out[1] = n;
        out[2] = 1 | 2u << 8;           /* core level */
    } else {
        out[0] = out[1] = 0;
        out[2] = sub & 0xff;
    }
}

static void brand_leaf(X86CPU *x, uint32_t leaf, uint32_t out[4])
{
    char brand[49] = { 0 };
    snprintf(brand, sizeof(brand), "%s", x->model_id);
    memcpy(out, brand + (leaf - 0x80000002) * 16, 16);
}

static void basic_leaf(X86CPU *x, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    unsigned n = nr_cpus(x);
    switch (leaf) {
    case 0:
        out[0] = x->cpuid_level;
        vendor_regs(x, out);
        break;
    case 1:
        out[0] = x->cpuid_version;
        out[1] = (uint32_t)x->parent.index << 24 | (n > 1 ? n : 1) << 16 | 8u << 8;
        out[2] = x->features[FEAT_1_ECX] |
                 ((x->cr[4] & X86_CR4_OSXSAVE) ? CPUID_EXT_OSXSAVE : 0) |
                 (x->intc ? x->intc->cpuid_1_ecx & x->intc_features : 0);
        out[3] = x->features[FEAT_1_EDX] & (n > 1 ? ~0u : ~CPUID_HTT);
        break;
    case 2:
        out[0] = 0x0000ff01;            /* descriptor FFh: use leaf 4 */
        break;
    case 4:
        cache_leaf(x, sub, out);
        break;
    case 7:
        if (sub == 0) {
            out[1] = x->features[FEAT_7_0_EBX];
            out[2] = x->features[FEAT_7_0_ECX];
            out[3] = x->features[FEAT_7_0_EDX];
        }
        break;
    case 0xb:
        topology_leaf(x, sub, out);
        break;
    case 0xd:
        x86_xsave_cpuid(x, sub, out);
        break;
    default:
        break;
    }
}

static void extended_leaf(X86CPU *x, uint32_t leaf, uint32_t out[4])
{
    switch (leaf) {
    case 0x80000000:
        out[0] = x->cpuid_xlevel;
        if (!strcmp(x->vendor, "AuthenticAMD")) {
            vendor_regs(x, out);
        }
        break;
    case 0x80000001:
        out[0] = x->cpuid_version;
        out[2] = x->features[FEAT_8000_0001_ECX];
        out[3] = x->features[FEAT_8000_0001_EDX];
        break;
    case 0x80000002: case 0x80000003: case 0x80000004:
        brand_leaf(x, leaf, out);
        break;
    case 0x80000006:
        out[2] = 1024u << 16 | 0x6u << 12 | 64;  /* 1 MiB, 8-way, 64-byte lines */
        break;
    case 0x80000007:
        out[3] = 1u << 8;               /* invariant TSC (the virtual clock) */
        break;
    case 0x80000008:
        out[0] = x->phys_bits | (x->long_mode ? 48u : 32u) << 8;
        break;
    default:
        break;
    }
}

void x86_cpuid(X86CPU *x, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    out[0] = out[1] = out[2] = out[3] = 0;
    if (leaf >= 0x80000000) {
        if (leaf <= x->cpuid_xlevel) {
            extended_leaf(x, leaf, out);
        }
        return;
    }
    if (leaf > x->cpuid_level) {
        leaf = x->cpuid_level;          /* Intel: the highest basic leaf's data */
    }
    basic_leaf(x, leaf, sub, out);
}

/* ---- the model classes ----------------------------------------------------------------------------- */

#define X86_NB_MODELS (sizeof(models) / sizeof(models[0]))
static CPUClass model_classes[X86_NB_MODELS];

static void __attribute__((constructor)) x86_cpu_register_models(void)
{
    for (size_t i = 0; i < X86_NB_MODELS; i++) {
        x86_cpu_fill_class(&model_classes[i], models[i].name, models[i].description,
                           models[i].long_mode);
        cpu_class_register(&model_classes[i]);
    }
}

const CPUClass *x86_cpu_class_by_name(const char *name)
{
    for (size_t i = 0; i < X86_NB_MODELS; i++) {
        if (!strcmp(models[i].name, name)) {
            return &model_classes[i];
        }
    }
    return NULL;
}
