/* x86 port I/O (Intel SDM vol. 1 ch. 18): the IOPL check and, when CPL > IOPL or in
 * virtual-8086 mode, the I/O permission bitmap of the 32/64-bit TSS (18.5.2), then the
 * machine's I/O address space under the big lock. */
#include "target-i386/cpu.h"
#include "target-i386/helper-sys.h"
#include "target-i386/sys-internal.h"
#include "system/main-loop.h"
#include "util/log.h"

/* true if the bitmap allows the bytes [port, port + bytes). */
static bool bitmap_allows(X86CPU *x, uint32_t port, unsigned bytes, uintptr_t ra)
{
    unsigned type = (x->tr.flags >> 8) & 0xf;
    if (!(x->tr.flags & X86_SEG_P) || (type != 9 && type != 11) || x->tr.limit < 0x67) {
        return false;
    }
    uint32_t base = x86_sys_lduw(x, x->tr.base + 0x66, ra);
    uint32_t off = base + port / 8;
    if (off + 1 > x->tr.limit) {
        return false;
    }
    uint32_t bits = x86_sys_lduw(x, x->tr.base + off, ra);
    uint32_t mask = ((1u << bytes) - 1) << (port & 7);
    return (bits & mask) == 0;
}

static void check_io(X86CPU *x, uint32_t port, uint32_t size, uintptr_t ra)
{
    unsigned iopl = (x->eflags & X86_EFLAGS_IOPL) >> X86_EFLAGS_IOPL_SHIFT;
    bool pe = x->cr[0] & X86_CR0_PE;
    if (!pe || (!(x->eflags & X86_EFLAGS_VM) && (unsigned)x86_cpu_cpl(x) <= iopl)) {
        return;
    }
    if (!bitmap_allows(x, port & 0xffff, 1u << size, ra)) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
}

void x86_helper_check_io(X86CPU *x, uint32_t port, uint32_t size)
{
    check_io(x, port, size, TCG_GETPC());
}

static uint64_t io_mask(uint32_t size)
{
    return size >= 2 ? 0xffffffffu : size == 1 ? 0xffff : 0xff;
}

uint32_t x86_helper_in(X86CPU *x, uint32_t port, uint32_t size)
{
    check_io(x, port, size, TCG_GETPC());
    uint64_t v = io_mask(size);
    if (x->parent.io_as) {
        bool locked = bql_locked();
        if (!locked) {
            bql_lock();
        }
        address_space_load(x->parent.io_as, port & 0xffff, 1u << size, &v);
        if (!locked) {
            bql_unlock();
        }
    }
    log_category_printf(LOG_IOPORT, "x86: in%c %#06x -> %#llx\n", "bwl"[size > 2 ? 2 : size],
                        port & 0xffff, (unsigned long long)(v & io_mask(size)));
    return (uint32_t)(v & io_mask(size));
}

void x86_helper_out(X86CPU *x, uint32_t port, uint32_t value, uint32_t size)
{
    check_io(x, port, size, TCG_GETPC());
    log_category_printf(LOG_IOPORT, "x86: out%c %#06x <- %#llx\n", "bwl"[size > 2 ? 2 : size],
                        port & 0xffff, (unsigned long long)(value & io_mask(size)));
    if (!x->parent.io_as) {
        return;
    }
    bool locked = bql_locked();
    if (!locked) {
        bql_lock();
    }
    address_space_store(x->parent.io_as, port & 0xffff, 1u << size, value & io_mask(size));
    if (!locked) {
        bql_unlock();
    }
}
