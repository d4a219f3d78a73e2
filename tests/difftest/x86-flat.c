/* The flat x86 test machine (x86-flat.h). */
#include <stdlib.h>
#include <string.h>
#include "accel/tcg.h"
#include "target-i386/cc.h"
#include "target-i386/cpuid.h"
#include "target-i386/helper-sys.h"
#include "target-i386/translate.h"
#include "tests/difftest/x86-flat.h"
#include "util/keyval.h"
#include "util/log.h"

static X86Flat *current_flat;     /* one machine at a time */

static X86Flat *flat_of(CPUState *cpu)
{
    return current_flat;
}

/* ---- ports ---- */

static uint64_t ports_read(void *opaque, hwaddr offset, unsigned size)
{
    return offset == 0xe9 ? 0xe9 : ~0ull;
}

static void ports_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    X86Flat *f = opaque;
    if (offset == 0xe9 && f->out_len < sizeof(f->out) - 1) {
        f->out[f->out_len++] = (char)value;
        f->out[f->out_len] = 0;
    } else if (offset == 0xf4) {
        f->exited = true;
        f->exit_code = (int)((value << 1) | 1) & 0xff;
        cpu_exit(f->cpu);
    }
}

static const MemoryRegionOps ports_ops = {
    .read = ports_read, .write = ports_write, .valid_min = 1, .valid_max = 4,
};

/* ---- the CPU class: x86's front end with this machine's TLB fill and exceptions ---- */

static bool flat_tlb_fill(CPUState *cpu, uint64_t vaddr, int size, MMUAccessType type,
                          int mmu_idx, bool probe, uintptr_t retaddr)
{
    X86Flat *f = flat_of(cpu);
    bool ro = vaddr >= f->ro_start && vaddr < f->ro_end;
    if (vaddr >= f->ram_size || (ro && type == MMU_DATA_STORE)) {
        if (probe) {
            return false;
        }
        f->x->cr[2] = vaddr;
        x86_raise_exception_err(cpu, 14, (type == MMU_DATA_STORE ? 2 : 0) | (ro ? 1 : 0),
                                retaddr);
    }
    tlb_set_page(cpu, vaddr & ~0xfffull, vaddr & ~0xfffull, ro ? PAGE_READ | PAGE_EXEC : PAGE_RWX,
                 mmu_idx, 4096);
    return true;
}

static void ram_store32(X86Flat *f, uint32_t addr, uint32_t v)
{
    memcpy(x86flat_ram(f) + addr, &v, 4);
}

static void flat_do_interrupt(CPUState *cpu)
{
    X86Flat *f = flat_of(cpu);
    X86CPU *x = f->x;
    uint32_t handler;

    f->exceptions++;
    f->last_vector = cpu->exception_index;
    ram_store32(f, X86FLAT_EXCP_VECTOR, (uint32_t)cpu->exception_index);
    ram_store32(f, X86FLAT_EXCP_ERROR, x->has_error_code ? x->error_code : 0xffffffffu);
    ram_store32(f, X86FLAT_EXCP_EIP, (uint32_t)(x->exception_is_int ? x->exception_next_eip
                                                                    : x->rip));
    memcpy(&handler, x86flat_ram(f) + X86FLAT_EXCP_HANDLER, 4);
    if (!handler) {
        cpu->halted = true;
        return;
    }
    x->rip = handler;
}

static bool flat_exec_interrupt(CPUState *cpu, unsigned req)
{
    return false;
}

static TCGTargetOps flat_tcg_ops;
static CPUClass flat_class;

int x86flat_configure(const char *backend)
{
    KeyValList kv;
    Error *err = NULL;
    char spec[64];
    const AccelOps *accel = tcg_accel_ops_get();

    unsigned mask;
    if (getenv("X86FLAT_LOG") && log_parse_categories(getenv("X86FLAT_LOG"), &mask) == 0) {
        log_mask = mask;        /* e.g. X86FLAT_LOG=in_asm,op_opt: logs on stderr */
    }
    snprintf(spec, sizeof(spec), "tb-size=16,backend=%s", backend);
    if (keyval_parse(spec, NULL, &kv, &err) < 0) {
        return -1;
    }
    int rc = accel->init(NULL, &kv, &err);
    keyval_free(&kv);
    return rc;
}

X86Flat *x86flat_new(size_t ram_size)
{
    X86Flat *f = calloc(1, sizeof(*f));
    Error *err = NULL;

    flat_tcg_ops = *x86_translator_ops();
    flat_tcg_ops.tlb_fill = flat_tlb_fill;
    flat_tcg_ops.do_interrupt = flat_do_interrupt;
    flat_tcg_ops.cpu_exec_interrupt = flat_exec_interrupt;
    /* the "max" model: every instruction the translator implements is offered */
    const CPUClass *max = cpu_class_find("x86_64", "max");
    flat_class = max ? *max : x86_cpu_qemu64_class;
    flat_class.tcg_ops = &flat_tcg_ops;
    f->ram_size = ram_size;
    memory_region_init_container(&f->root, "root", 1ull << 32);
    memory_region_init_ram(&f->ram, "ram", ram_size);
    memory_region_add_subregion(&f->root, 0, &f->ram, 0);
    address_space_init(&f->as, &f->root, "memory");
    memory_region_init_container(&f->io_root, "io", 0x10000);
    memory_region_init_io(&f->ports, &ports_ops, f, "test-ports", 0x100);
    memory_region_add_subregion(&f->io_root, 0, &f->ports, 0);
    address_space_init(&f->io_as, &f->io_root, "io");
    current_flat = f;
    f->cpu = cpu_create(&flat_class, NULL, 0, &err);
    if (!f->cpu) {
        free(f);
        return NULL;
    }
    f->cpu->as = &f->as;
    f->cpu->io_as = &f->io_as;
    f->x = x86_cpu(f->cpu);
    if (tcg_vcpu_init(f->cpu, &err) < 0) {
        cpu_destroy(f->cpu);
        free(f);
        return NULL;
    }
    return f;
}

void x86flat_free(X86Flat *f)
{
    tcg_vcpu_destroy(f->cpu);
    cpu_destroy(f->cpu);
    address_space_destroy(&f->io_as);
    address_space_destroy(&f->as);
    memory_region_del_subregion(&f->io_root, &f->ports);
    memory_region_del_subregion(&f->root, &f->ram);
    memory_region_destroy(&f->ports);
    memory_region_destroy(&f->io_root);
    memory_region_destroy(&f->ram);
    memory_region_destroy(&f->root);
    if (current_flat == f) {
        current_flat = NULL;
    }
    free(f);
}

uint8_t *x86flat_ram(X86Flat *f)
{
    return memory_region_get_ram_ptr(&f->ram);
}

static void set_segment(X86Segment *s, uint16_t sel, uint32_t flags)
{
    *s = (X86Segment){ .selector = sel, .base = 0, .limit = 0xffffffff, .flags = flags };
}

void x86flat_reset(X86Flat *f, int mode, uint64_t pc)
{
    X86CPU *x = f->x;
    const uint32_t data = X86_SEG_P | X86_SEG_S | (3u << X86_SEG_TYPE_SHIFT) | X86_SEG_DB |
                          X86_SEG_G;
    const uint32_t code = X86_SEG_P | X86_SEG_S | (0xbu << X86_SEG_TYPE_SHIFT) | X86_SEG_G;

    cpu_reset(f->cpu);
    f->cpu->halted = false;
    f->exited = false;
    f->out_len = 0;
    f->out[0] = 0;
    f->exceptions = 0;
    tb_flush();
    if (mode == 16) {
        for (int i = 0; i < X86_NR_SEGS; i++) {
            x86_cpu_load_real_mode_segment(x, i, 0);
        }
    } else {
        x->cr[0] |= X86_CR0_PE;
        for (int i = 0; i < X86_NR_SEGS; i++) {
            set_segment(&x->segs[i], 0x10, data);
        }
        set_segment(&x->segs[R_CS], 0x08, code | (mode == 64 ? X86_SEG_L : X86_SEG_DB));
        if (mode == 64) {
            x->cr[0] |= X86_CR0_PG;
            x->cr[4] |= X86_CR4_PAE;
            x->efer |= X86_EFER_LME | X86_EFER_LMA;
        }
    }
    x->rip = pc;
    x->regs[R_ESP] = mode == 16 ? 0xfffe : 0x80000;
    x86_update_hflags(x);       /* the TB key is read from hflags */
}

int x86flat_run(X86Flat *f, int max_loops)
{
    for (int i = 0; i < max_loops; i++) {
        int r = tcg_cpu_exec(f->cpu);
        if (f->exited || r == EXCP_HLT || r == EXCP_HALTED || f->cpu->halted) {
            return 0;
        }
    }
    return -1;
}
