/* Identity of the running emulator binary (mimic-system-i386, -x86_64, -arm). */
#ifndef SYSTEM_BINARY_INFO_H
#define SYSTEM_BINARY_INFO_H

typedef struct BinaryInfo {
    const char *name;       /* program name */
    const char *arch;       /* "i386", "x86_64", "arm": selects machines and CPU models */
    int word_bits;
} BinaryInfo;

/* Defined by system/binary-info.c in each emulator; unit tests define their own. */
extern const BinaryInfo binary_info;

#endif
