/* CPUID feature bits (Intel SDM vol. 2A, CPUID; AMD APM vol. 3 for leaf 80000001H) as kept
 * in X86CPU.features[FEAT_*], and the CPUID instruction's leaves (cpuid.c). */
#ifndef TARGET_I386_CPUID_H
#define TARGET_I386_CPUID_H

#include <stdint.h>
#include "target-i386/cpu.h"

/* FEAT_1_EDX */
#define CPUID_FPU (1u << 0)
#define CPUID_VME (1u << 1)
#define CPUID_DE (1u << 2)
#define CPUID_PSE (1u << 3)
#define CPUID_TSC (1u << 4)
#define CPUID_MSR (1u << 5)
#define CPUID_PAE (1u << 6)
#define CPUID_MCE (1u << 7)
#define CPUID_CX8 (1u << 8)
#define CPUID_APIC (1u << 9)
#define CPUID_SEP (1u << 11)
#define CPUID_MTRR (1u << 12)
#define CPUID_PGE (1u << 13)
#define CPUID_MCA (1u << 14)
#define CPUID_CMOV (1u << 15)
#define CPUID_PAT (1u << 16)
#define CPUID_PSE36 (1u << 17)
#define CPUID_CLFSH (1u << 19)
#define CPUID_MMX (1u << 23)
#define CPUID_FXSR (1u << 24)
#define CPUID_SSE (1u << 25)
#define CPUID_SSE2 (1u << 26)
#define CPUID_SS (1u << 27)
#define CPUID_HTT (1u << 28)
/* FEAT_1_ECX */
#define CPUID_EXT_SSE3 (1u << 0)
#define CPUID_EXT_PCLMULQDQ (1u << 1)
#define CPUID_EXT_MONITOR (1u << 3)
#define CPUID_EXT_SSSE3 (1u << 9)
#define CPUID_EXT_CX16 (1u << 13)
#define CPUID_EXT_PCID (1u << 17)
#define CPUID_EXT_SSE41 (1u << 19)
#define CPUID_EXT_SSE42 (1u << 20)
#define CPUID_EXT_X2APIC (1u << 21)
#define CPUID_EXT_MOVBE (1u << 22)
#define CPUID_EXT_POPCNT (1u << 23)
#define CPUID_EXT_TSC_DEADLINE (1u << 24)
#define CPUID_EXT_AES (1u << 25)
#define CPUID_EXT_XSAVE (1u << 26)
#define CPUID_EXT_OSXSAVE (1u << 27)
#define CPUID_EXT_AVX (1u << 28)
#define CPUID_EXT_F16C (1u << 29)
#define CPUID_EXT_RDRAND (1u << 30)
#define CPUID_EXT_HYPERVISOR (1u << 31)
/* FEAT_7_0_EBX */
#define CPUID_7_0_EBX_FSGSBASE (1u << 0)
#define CPUID_7_0_EBX_BMI1 (1u << 3)
#define CPUID_7_0_EBX_AVX2 (1u << 5)
#define CPUID_7_0_EBX_SMEP (1u << 7)
#define CPUID_7_0_EBX_BMI2 (1u << 8)
#define CPUID_7_0_EBX_ERMS (1u << 9)
#define CPUID_7_0_EBX_INVPCID (1u << 10)
#define CPUID_7_0_EBX_RDSEED (1u << 18)
#define CPUID_7_0_EBX_ADX (1u << 19)
#define CPUID_7_0_EBX_SMAP (1u << 20)
#define CPUID_7_0_EBX_CLFLUSHOPT (1u << 23)
/* FEAT_7_0_ECX */
#define CPUID_7_0_ECX_UMIP (1u << 2)
#define CPUID_7_0_ECX_LA57 (1u << 16)
#define CPUID_7_0_ECX_RDPID (1u << 22)
/* FEAT_7_0_EDX */
#define CPUID_7_0_EDX_FSRM (1u << 4)
#define CPUID_7_0_EDX_MD_CLEAR (1u << 10)
#define CPUID_7_0_EDX_SPEC_CTRL (1u << 26)        /* IBRS/IBPB */
#define CPUID_7_0_EDX_STIBP (1u << 27)
#define CPUID_7_0_EDX_ARCH_CAPABILITIES (1u << 29)
#define CPUID_7_0_EDX_SSBD (1u << 31)
/* FEAT_8000_0001_EDX */
#define CPUID_EXT2_SYSCALL (1u << 11)
#define CPUID_EXT2_NX (1u << 20)
#define CPUID_EXT2_PDPE1GB (1u << 26)
#define CPUID_EXT2_RDTSCP (1u << 27)
#define CPUID_EXT2_LM (1u << 29)
/* FEAT_8000_0001_ECX */
#define CPUID_EXT3_LAHF_LM (1u << 0)
#define CPUID_EXT3_ABM (1u << 5)                  /* LZCNT */
#define CPUID_EXT3_3DNOWPREFETCH (1u << 8)
/* FEAT_XSAVE_1_EAX (leaf 0DH sub-leaf 1) */
#define CPUID_XSAVE_XSAVEOPT (1u << 0)
#define CPUID_XSAVE_XSAVEC (1u << 1)
#define CPUID_XSAVE_XGETBV1 (1u << 2)   /* XGETBV with ECX = 1 (XINUSE) */

/* IA32_ARCH_CAPABILITIES bits the models report (SDM 2A / Intel's speculative-execution
 * documentation): not affected by Meltdown, L1TF, MDS, SSB, TAA, ... */
#define ARCH_CAP_RDCL_NO (1ull << 0)
#define ARCH_CAP_IBRS_ALL (1ull << 1)
#define ARCH_CAP_SKIP_L1DFL_VMENTRY (1ull << 3)
#define ARCH_CAP_SSB_NO (1ull << 4)
#define ARCH_CAP_MDS_NO (1ull << 5)
#define ARCH_CAP_PSCHANGE_MC_NO (1ull << 6)
#define ARCH_CAP_TAA_NO (1ull << 8)
#define ARCH_CAP_SBDR_SSDP_NO (1ull << 13)
#define ARCH_CAP_FBSDP_NO (1ull << 14)
#define ARCH_CAP_PSDP_NO (1ull << 15)
#define ARCH_CAP_PBRSB_NO (1ull << 24)
#define ARCH_CAP_GDS_NO (1ull << 26)
#define ARCH_CAP_RFDS_NO (1ull << 27)

/* The CPUID instruction: leaf/subleaf -> the four registers. */
void x86_cpuid(X86CPU *x, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

#endif
