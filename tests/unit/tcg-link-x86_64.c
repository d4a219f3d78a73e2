/* Links the x86-64 back end into every unit test, so that the harness's "every
 * registered back end" loops (test-tcg-ops, test-tcg-exec) compare it with the
 * interpreter. The reference alone pulls tcg/x86_64/backend.o out of libcommon.a. */
#include "tcg/x86_64.h"

const TCGBackend *tcg_link_x86_64(void);

const TCGBackend *tcg_link_x86_64(void)
{
    return &tcg_backend_x86_64;
}
