/* The lock of a vCPU's soft TLB, biased towards the vCPU's own thread.
 *
 * Only two kinds of thread touch a vCPU's TLB: the vCPU itself (fills, victim swaps,
 * flushes) and, rarely, another thread setting TLB_NOTDIRTY on the entries of a page that
 * just got translated code or whose dirty log was re-armed. The owner's hot paths (a fill
 * and a victim swap, on every TLB miss) therefore take no locked instruction: they raise
 * v->tlb_owner_busy with a plain store and check v->tlb_foreign_want. The rare foreign
 * thread takes the real spin lock, raises tlb_foreign_want and calls membarrier(2)
 * (MEMBARRIER_CMD_PRIVATE_EXPEDITED): when that returns, every thread of the process has
 * executed a full barrier, so either the owner's busy flag is visible (and the foreign
 * thread waits for it to drop) or the owner will see tlb_foreign_want and take the real
 * lock instead. This is the asymmetric form of Dekker's protocol (the process-wide
 * barrier pays for the fence the owner leaves out); docs/tcg.md "Lock rules" has the
 * argument. Where membarrier is unavailable, everybody takes the real lock. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>
#include "accel/tcg/internal.h"

bool tlb_lock_biased;
static pthread_once_t biased_once = PTHREAD_ONCE_INIT;

static int membarrier(int cmd)
{
    return (int)syscall(__NR_membarrier, cmd, 0, 0);
}

static void biased_init(void)
{
    tlb_lock_biased = membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

void tlb_lock_init(TCGVCPU *v)
{
    spinlock_init(&v->tlb_lock);
    atomic_init(&v->tlb_owner_busy, 0);
    atomic_init(&v->tlb_foreign_want, 0);
    pthread_once(&biased_once, biased_init);
}

void tlb_foreign_lock(TCGVCPU *v)
{
    spinlock_lock(&v->tlb_lock);
    if (!tlb_lock_biased || v == tcg_current_vcpu) {
        return;             /* the owner itself is not inside a fast section now */
    }
    atomic_store(&v->tlb_foreign_want, 1);
    if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0) {
        abort();            /* registered at start-up: cannot fail afterwards */
    }
    while (atomic_load_explicit(&v->tlb_owner_busy, memory_order_acquire)) {
        __builtin_ia32_pause();
    }
}

void tlb_foreign_unlock(TCGVCPU *v)
{
    atomic_store_explicit(&v->tlb_foreign_want, 0, memory_order_release);
    spinlock_unlock(&v->tlb_lock);
}
