/* The x86-64 host back end (tcg/x86_64/): its TCGBackend, also registered by name
 * "x86_64". Referencing it links the back end into programs built from libcommon.a. */
#ifndef TCG_X86_64_H
#define TCG_X86_64_H

#include "tcg/tcg.h"

extern const TCGBackend tcg_backend_x86_64;

#endif
