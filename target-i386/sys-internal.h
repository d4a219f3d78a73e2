/* Internal interfaces of the x86 system side (the target-i386 helper files, mmu.c, task.c):
 * guest-memory access for implicit (system) accesses, descriptor decoding, stack pushes
 * and pops during far transfers and interrupt delivery, exception raising. */
#ifndef TARGET_I386_SYS_INTERNAL_H
#define TARGET_I386_SYS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "target-i386/cpu.h"
#include "accel/tcg.h"

#include "target-i386/helper-sys.h"

/* ---- raising (excp-helper.c; the public ones are in helper-sys.h) ---- */
/* Short forms for the system code: x86_fault(x, EXCP0D_GPF, sel & 0xfffc, ra). */
#define x86_fault(x, v, err, ra) x86_raise_exception_err(&(x)->parent, (v), (int)(err), (ra))
/* Delivers vector now (from the CPU loop): real, protected or long mode. */
void x86_deliver(X86CPU *x, int vector, bool is_int, int error_code, uint64_t next_eip,
                 bool is_hw);
/* Triple fault: logs the exception chain, requests a machine reset, stops the CPU. */
void x86_triple_fault(X86CPU *x, const char *why) __attribute__((noreturn));

/* ---- implicit supervisor accesses (linear addresses) ---- */
uint32_t x86_sys_ldub(X86CPU *x, uint64_t lin, uintptr_t ra);
uint32_t x86_sys_lduw(X86CPU *x, uint64_t lin, uintptr_t ra);
uint32_t x86_sys_ldl(X86CPU *x, uint64_t lin, uintptr_t ra);
uint64_t x86_sys_ldq(X86CPU *x, uint64_t lin, uintptr_t ra);
void x86_sys_stw(X86CPU *x, uint64_t lin, uint32_t v, uintptr_t ra);
void x86_sys_stl(X86CPU *x, uint64_t lin, uint32_t v, uintptr_t ra);

/* ---- descriptors (seg-helper.c) ---- */
typedef struct X86Desc {
    uint32_t e1, e2;            /* low and high dwords */
    uint32_t e3;                /* long mode: bits 63:32 of base/offset (16-byte entries) */
    uint32_t e4;                /* long mode: the last dword (type bits 12:8 must be 0) */
} X86Desc;

static inline uint64_t desc_base(const X86Desc *d)
{
    return (d->e1 >> 16) | ((d->e2 & 0xff) << 16) | (d->e2 & 0xff000000u);
}
static inline uint32_t desc_limit(const X86Desc *d)
{
    uint32_t limit = (d->e1 & 0xffff) | (d->e2 & 0x000f0000u);
    return (d->e2 & X86_SEG_G) ? (limit << 12) | 0xfff : limit;
}
static inline uint32_t desc_flags(const X86Desc *d)
{
    return d->e2 & 0x00f0ff00u;
}
static inline unsigned desc_dpl(uint32_t e2)
{
    return (e2 >> X86_SEG_DPL_SHIFT) & 3;
}
static inline unsigned desc_type(uint32_t e2)
{
    return (e2 >> 8) & 0x1f;        /* S bit included: 0x10 and up = code/data */
}

/* Reads the descriptor of selector from the GDT or LDT: false if outside the table. */
bool x86_load_desc(X86CPU *x, uint16_t selector, X86Desc *d, uintptr_t ra);
/* Reads a 16-byte system descriptor (long mode LDT/TSS/gates): false if outside. */
bool x86_load_desc16(X86CPU *x, uint16_t selector, X86Desc *d, uintptr_t ra);
/* Sets the accessed bit of a code/data descriptor in memory. */
void x86_set_desc_accessed(X86CPU *x, uint16_t selector, X86Desc *d, uintptr_t ra);
/* Loads a code/data segment cache from a descriptor. */
void x86_load_seg_desc(X86CPU *x, int seg, uint16_t selector, const X86Desc *d);
/* Protected-mode loads with all checks; the task switch uses #TS (vector ts) instead of
 * #GP/#NP/#SS for its checks. */
void x86_load_seg_checked(X86CPU *x, int seg, uint16_t selector, uintptr_t ra);
/* MOV Sreg semantics of the current mode (real, v86 or protected with checks). */
void x86_load_seg_any(X86CPU *x, int seg, uint16_t selector, uintptr_t ra);
/* After a return to an outer ring: null DS/ES/FS/GS that the new CPL may not use. */
void x86_validate_data_segs(X86CPU *x, unsigned cpl);
/* Do the size bytes at offset off lie inside a segment of this limit (expand-down: above
 * it, up to top = 0xffff or 0xffffffff by the B flag)? SDM 3A 5.3. */
static inline bool x86_limit_ok(uint32_t limit, bool down, uint64_t top, uint64_t off,
                                unsigned size)
{
    uint64_t last = off + size - 1;
    return down ? off > limit && last <= top : last <= limit;
}
/* Canonical linear address (48 or 57 bits). */
bool x86_is_canonical(X86CPU *x, uint64_t addr);

/* ---- stack during transfers: base, pointer, width mask, MMU index, limit ---- */
typedef struct X86Stack {
    uint64_t base;
    uint64_t sp;
    uint64_t mask;              /* 0xffff, 0xffffffff or ~0 (64-bit: canonical check) */
    int mmu_idx;
    bool checked;               /* protected mode outside 64-bit code: limit checked */
    bool expand_down;
    uint32_t limit;
    int err;                    /* #SS error code when an access leaves the segment */
} X86Stack;

void x86_stack_push(X86CPU *x, X86Stack *st, unsigned bytes, uint64_t v, uintptr_t ra);
uint64_t x86_stack_pop(X86CPU *x, X86Stack *st, unsigned bytes, uintptr_t ra);
/* The current SS stack (#SS(0) outside its limit). */
X86Stack x86_cur_stack(X86CPU *x);
/* A new 16/32-bit stack from the descriptor ssd at sp; err is its #SS error code. */
X86Stack x86_new_stack(const X86Desc *ssd, uint64_t sp, int err);
/* Writes the stack pointer back with the width of st (upper bits kept for 16 bits). */
void x86_set_sp(X86CPU *x, const X86Stack *st);

/* ---- task switch (task.c) ---- */
enum { X86_TS_JMP, X86_TS_CALL, X86_TS_IRET, X86_TS_INT };
/* Switches to the TSS of selector (descriptor d); next_eip is saved in the old TSS. */
void x86_task_switch(X86CPU *x, uint16_t selector, const X86Desc *d, int source,
                     uint64_t next_eip, uintptr_t ra);
/* SS:ESP for privilege level dpl from the current TSS (32/16-bit) or RSPn/ISTn (64). */
void x86_tss_stack(X86CPU *x, unsigned dpl, uint16_t *ss, uint64_t *sp, uintptr_t ra);
uint64_t x86_tss64_stack(X86CPU *x, unsigned index, uintptr_t ra);

/* ---- page walk (mmu.c) ---- */
void x86_mmu_log_fill(X86CPU *x, uint64_t va, uint64_t pa, int prot, int mmu_idx);

#endif
