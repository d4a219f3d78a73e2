/* Which emulator this binary is: compiled once per binary with -DMIMIC_BINARY_<arch>. */
#include "system/binary-info.h"

#if defined(MIMIC_BINARY_i386)
const BinaryInfo binary_info = { .name = "mimic-system-i386", .arch = "i386", .word_bits = 32 };
#elif defined(MIMIC_BINARY_x86_64)
const BinaryInfo binary_info = { .name = "mimic-system-x86_64", .arch = "x86_64", .word_bits = 64 };
#elif defined(MIMIC_BINARY_arm)
const BinaryInfo binary_info = { .name = "mimic-system-arm", .arch = "arm", .word_bits = 32 };
#else
#error "compile with -DMIMIC_BINARY_<arch>"
#endif
