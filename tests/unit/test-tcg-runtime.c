/* Unit tests for the translator runtime (accel/tcg/) through the real CPU loop with a
 * tiny test-only guest ("toy": fixed 32-bit instructions), on every back end: loads and
 * stores (RAM, MMIO, ROM, page-crossing), branches and chaining, self-modifying code,
 * DMA invalidation, precise exceptions, page faults, interrupts from another thread,
 * flushing a full code buffer, single-step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "accel/tcg.h"
#include "system/cpu.h"
#include "system/main-loop.h"
#include "system/memory.h"
#include "util/disas.h"
#include "util/keyval.h"
#include "util/log.h"

/* ---- the toy guest ------------------------------------------------------------------
 * insn = op << 24 | rd << 20 | rs << 16 | imm16. PC-relative branches: target =
 * pc + 4 + simm16 * 4. Exceptions jump to TOY_EXCP_VECTOR, interrupts to TOY_IRQ_VECTOR. */
enum {
    OP_LI = 1,      /* rd = imm */
    OP_LUI = 2,     /* rd = imm << 16 | (rd & 0xffff) */
    OP_ADD = 3,     /* rd += rs */
    OP_ADDI = 4,    /* rd += simm */
    OP_LD = 5,      /* rd = mem32le[rs + simm] */
    OP_ST = 6,      /* mem32le[rs + simm] = rd */
    OP_BNZ = 7,     /* if rd != 0 goto target */
    OP_B = 8,       /* goto target */
    OP_CHECK = 9,   /* helper: raises TOY_EXCP_CHECK if rd == 0xdead */
    OP_HALT = 10,   /* helper: halts (pc = next) */
    OP_JR = 11,     /* pc = rd (the runtime's inline jump-cache probe) */
    OP_LDBE = 12,   /* rd = mem32be[rs + simm] */
    OP_XDMA = 13,   /* test hook: while being translated, a "DMA" rewrites pc - 4 */
    OP_LIW = 14,    /* rd = the next word: an 8-byte instruction */
    OP_AADD = 15,   /* atomically: rd = mem32le[rs + simm], mem32le[rs + simm] += rd */
};
enum { TOY_EXCP_UNDEF = 1, TOY_EXCP_CHECK = 2, TOY_EXCP_PAGE = 3 };
#define TOY_EXCP_VECTOR 0x3000u
#define TOY_IRQ_VECTOR 0x3100u
#define INSN(op, rd, rs, imm) \
    ((uint32_t)(op) << 24 | (uint32_t)(rd) << 20 | (uint32_t)(rs) << 16 | ((uint32_t)(imm) & 0xffff))

#define RAM_SIZE 0x10000u
#define ROM_BASE 0x20000u
#define MMIO_BASE 0x100000u

typedef struct ToyCPU {
    CPUState parent;
    uint32_t r[8];
    uint32_t pc;
    int last_excp;
    uint32_t excp_pc;       /* PC when the last exception was delivered */
    uint32_t fault_addr;
    uint32_t fault_page;    /* a virtual page that faults (0: none) */
    atomic_uint irq_count;
    uint32_t mode;          /* TB flag: in mode 1, "li" loads imm + 1 */
    uint32_t lazy;          /* restored from insn_start word 1 (index in the TB) */
} ToyCPU;

static TCGv_i32 toy_r[8];
static TCGv_i32 toy_pc;

static void toy_translate_init(void)
{
    static const char *const names[8] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7" };
    for (int i = 0; i < 8; i++) {
        toy_r[i] = tcg_global_mem_new_i32(offsetof(ToyCPU, r[i]), names[i]);
    }
    toy_pc = tcg_global_mem_new_i32(offsetof(ToyCPU, pc), "pc");
}

static void helper_check(void *env, uint32_t v)
{
    if (v == 0xdead) {
        cpu_raise_exception(env, TOY_EXCP_CHECK, TCG_GETPC());
    }
}

static void helper_halt(void *env)
{
    cpu_halt_and_exit(env);
}

static void helper_undef(void *env)
{
    cpu_raise_exception(env, TOY_EXCP_UNDEF, TCG_GETPC());
}

static const TCGHelperInfo info_check = {
    .name = "check", .func = (void *)helper_check, .flags = TCG_CALL_NO_WG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 2, .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32 },
};
static const TCGHelperInfo info_halt = {
    .name = "halt", .func = (void *)helper_halt, .flags = 0,
    .ret_type = TCG_TYPE_VOID, .nb_args = 1, .arg_types = { TCG_TYPE_PTR },
};
static const TCGHelperInfo info_undef = {
    .name = "undef", .func = (void *)helper_undef, .flags = TCG_CALL_NO_WG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 1, .arg_types = { TCG_TYPE_PTR },
};

/* The jump to the TB at toy_pc: the runtime's inline jump-cache probe, key (pc, 0, mode). */
static void toy_gen_lookup(TranslationBlock *tb)
{
    TCGv_i64 pc = tcg_temp_new_i64();
    tcg_gen_extu_i32_i64(pc, toy_pc);
    tcg_rt_gen_jump_dyn(tb, pc, tcg_constant_i64(0), tcg_constant_i32(tb->flags & 1));
}

/* A direct jump when the target is on the TB's page, else an indirect one. */
static void toy_gen_goto(TranslationBlock *tb, unsigned n, uint32_t dest)
{
    if (((dest ^ tb->pc) & ~0xfffu) == 0) {
        tcg_gen_goto_tb(n);
        tcg_gen_movi_i32(toy_pc, dest);
        tcg_rt_gen_chain_exit(tb, n);
    } else {
        tcg_gen_movi_i32(toy_pc, dest);
        toy_gen_lookup(tb);
    }
}

static TCGTemp *toy_addr(int rs, uint32_t imm)
{
    TCGv_i32 a = tcg_temp_new_i32();
    tcg_gen_addi_i32(a, toy_r[rs], (uint32_t)(int32_t)(int16_t)imm);
    return tcgv_temp(a);
}

/* Opcodes added by tests that include this file (test-tcg-smp.c): -1 = not one of
 * theirs (undefined instruction), else whether the instruction ended the TB. */
static int (*toy_extra_insn)(TranslationBlock *tb, uint32_t pc, uint32_t insn);

static __thread uint32_t toy_mode;     /* of the TB this thread translates */
static bool toy_xdma_armed;             /* OP_XDMA writes once */
static void toy_xdma(uint32_t pc);

/* Emits one instruction; true if it ended the TB. *len: its size in bytes. */
static bool toy_translate_insn(CPUState *cpu, TranslationBlock *tb, uint32_t pc,
                               uint32_t insn, uint32_t *len)
{
    unsigned op = insn >> 24, rd = (insn >> 20) & 7, rs = (insn >> 16) & 7;
    uint32_t imm = insn & 0xffff, simm = (uint32_t)(int32_t)(int16_t)imm;
    uint32_t target = pc + 4 + simm * 4;
    TCGTemp *args[2] = { tcgv_temp(tcg_env), tcgv_temp(toy_r[rd]) };

    switch (op) {
    case OP_LI:
        tcg_gen_movi_i32(toy_r[rd], imm + toy_mode);
        return false;
    case OP_LUI:
        tcg_gen_andi_i32(toy_r[rd], toy_r[rd], 0xffff);
        tcg_gen_ori_i32(toy_r[rd], toy_r[rd], imm << 16);
        return false;
    case OP_ADD:
        tcg_gen_add_i32(toy_r[rd], toy_r[rd], toy_r[rs]);
        return false;
    case OP_ADDI:
        tcg_gen_addi_i32(toy_r[rd], toy_r[rd], simm);
        return false;
    case OP_LD:
        tcg_gen_qemu_ld_i32(toy_r[rd], toy_addr(rs, imm), 0, MO_LEUL);
        return false;
    case OP_LDBE:
        tcg_gen_qemu_ld_i32(toy_r[rd], toy_addr(rs, imm), 0, MO_BEUL);
        return false;
    case OP_ST:
        tcg_gen_qemu_st_i32(toy_r[rd], toy_addr(rs, imm), 0, MO_LEUL);
        return false;
    case OP_BNZ: {
        TCGLabel *skip = gen_new_label();
        tcg_gen_brcondi_i32(TCG_COND_EQ, toy_r[rd], 0, skip);
        toy_gen_goto(tb, 0, target);
        gen_set_label(skip);
        toy_gen_goto(tb, 1, pc + 4);
        return true;
    }
    case OP_B:
        toy_gen_goto(tb, 0, target);
        return true;
    case OP_CHECK:
        tcg_gen_callN(&info_check, NULL, args);
        return false;
    case OP_HALT:
        tcg_gen_movi_i32(toy_pc, pc + 4);
        tcg_gen_callN(&info_halt, NULL, args);
        tcg_gen_exit_tb(0);
        return true;
    case OP_JR:
        tcg_gen_mov_i32(toy_pc, toy_r[rd]);
        toy_gen_lookup(tb);
        return true;
    case OP_XDMA:
        toy_xdma(pc);
        return false;
    case OP_AADD:
        tcg_gen_atomic_fetch_add_i32(toy_r[rd], toy_addr(rs, imm), toy_r[rd], 0,
                                     MO_LEUL | MO_ALIGN);
        return false;
    case OP_LIW:
        tcg_gen_movi_i32(toy_r[rd], translator_ldl(cpu, tb, pc + 4));
        *len = 8;
        return false;
    default:
        if (toy_extra_insn) {
            int r = toy_extra_insn(tb, pc, insn);
            if (r >= 0) {
                return r;
            }
        }
        tcg_gen_callN(&info_undef, NULL, args);
        tcg_gen_exit_tb(0);
        return true;
    }
}

static void toy_translate(CPUState *cpu, TranslationBlock *tb, int max_insns)
{
    uint32_t pc = (uint32_t)tb->pc;
    uint32_t n = 0;
    bool end = false;

    toy_mode = tb->flags & 1;
    while (!end) {
        uint32_t len = 4;
        tcg_gen_insn_start(pc, n, 0);       /* word 1: "lazy" state, here the index */
        uint32_t insn = translator_ldl(cpu, tb, pc);
        n++;
        end = toy_translate_insn(cpu, tb, pc, insn, &len);
        pc += len;
        if (!end && ((int)n >= max_insns || tcg_op_buf_full() || (pc & 0xfff) < len)) {
            toy_gen_goto(tb, 0, pc);
            end = true;
        }
    }
    tb->size = pc - (uint32_t)tb->pc;
    tb->icount = n;
}

static void toy_get_tb_cpu_state(CPUState *cpu, uint64_t *pc, uint64_t *cs_base,
                                 uint32_t *flags)
{
    *pc = ((ToyCPU *)cpu)->pc;
    *cs_base = 0;
    *flags = ((ToyCPU *)cpu)->mode & 1;
}

static void toy_restore_state_to_opc(CPUState *cpu, const TranslationBlock *tb,
                                     const uint64_t *data)
{
    ((ToyCPU *)cpu)->pc = (uint32_t)data[0];
    ((ToyCPU *)cpu)->lazy = (uint32_t)data[1];
}

static bool toy_tlb_fill(CPUState *cpu, uint64_t vaddr, int size, MMUAccessType type,
                         int mmu_idx, bool probe, uintptr_t retaddr)
{
    ToyCPU *toy = (ToyCPU *)cpu;
    if (toy->fault_page && (vaddr & ~0xfffull) == toy->fault_page) {
        if (probe) {
            return false;
        }
        toy->fault_addr = (uint32_t)vaddr;
        cpu->exception_index = TOY_EXCP_PAGE;
        cpu_loop_exit_restore(cpu, retaddr);
    }
    tlb_set_page(cpu, vaddr, vaddr & ~0xfffull, PAGE_RWX, mmu_idx, 4096);
    return true;
}

static bool toy_exec_interrupt(CPUState *cpu, unsigned req)
{
    ToyCPU *toy = (ToyCPU *)cpu;
    if (!(req & CPU_INTERRUPT_HARD)) {
        return false;
    }
    cpu_reset_interrupt(cpu, CPU_INTERRUPT_HARD);
    atomic_fetch_add(&toy->irq_count, 1);
    toy->pc = TOY_IRQ_VECTOR;
    return true;
}

static void toy_do_interrupt(CPUState *cpu)
{
    ToyCPU *toy = (ToyCPU *)cpu;
    toy->last_excp = cpu->exception_index;
    toy->excp_pc = toy->pc;
    toy->pc = TOY_EXCP_VECTOR;
}

/* The toy has no disassembler: its code is logged as x86 bytes, enough to see it. */
static int toy_disas_arch(const TranslationBlock *tb)
{
    return DISAS_X86_32;
}

static const TCGTargetOps toy_tcg_ops = {
    .disas_arch = toy_disas_arch,
    .insn_start_words = 2,
    .addr_type = TCG_TYPE_I32,
    .translate_init = toy_translate_init,
    .get_tb_cpu_state = toy_get_tb_cpu_state,
    .translate = toy_translate,
    .restore_state_to_opc = toy_restore_state_to_opc,
    .tlb_fill = toy_tlb_fill,
    .cpu_exec_interrupt = toy_exec_interrupt,
    .do_interrupt = toy_do_interrupt,
};

static const CPUClass toy_cpu_class = {
    .arch = "toy", .model = "toy", .description = "test guest",
    .instance_size = sizeof(ToyCPU),
    .tcg_ops = &toy_tcg_ops,
};

/* ---- the machine: RAM at 0, ROM at ROM_BASE, a counting device at MMIO_BASE ------------ */

typedef struct Counter {
    unsigned reads, writes;
    uint64_t last_write;
    hwaddr last_offset;
} Counter;

static uint64_t counter_read(void *opaque, hwaddr offset, unsigned size)
{
    Counter *c = opaque;
    c->reads++;
    return 0x1000 + offset;
}

static void counter_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    Counter *c = opaque;
    c->writes++;
    c->last_write = value;
    c->last_offset = offset;
}

static const MemoryRegionOps counter_ops = {
    .read = counter_read, .write = counter_write, .valid_min = 1, .valid_max = 4,
};

typedef struct Fixture {
    MemoryRegion root, ram, rom, mmio;
    AddressSpace as;
    Counter counter;
    CPUState *cpu;
    ToyCPU *toy;
    const char *backend;
    TCGRuntimeStats base;   /* counters when the test started */
} Fixture;

static Fixture fx;

static void configure(const char *spec)
{
    KeyValList kv;
    Error *err = NULL;
    const AccelOps *accel = tcg_accel_ops_get();
    assert_non_null(accel);
    assert_int_equal(keyval_parse(spec, NULL, &kv, &err), 0);
    int rc = accel->init(NULL, &kv, &err);
    if (rc < 0) {
        fail_msg("%s: %s", spec, error_get_message(err));
    }
    keyval_free(&kv);
}

static int setup(void **state)
{
    Error *err = NULL;
    char spec[64];

    memset(&fx, 0, sizeof(fx));
    fx.backend = *state;
    snprintf(spec, sizeof(spec), "tb-size=1,backend=%s", fx.backend);
    configure(spec);
    char *info = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&info, &len);
    tcg_runtime_print_info(f);
    fclose(f);
    assert_non_null(strstr(info, strcmp(fx.backend, "native") ? "back end interp"
                                                               : "back end x86_64"));
    free(info);
    memory_region_init_container(&fx.root, "root", 1ull << 32);
    memory_region_init_ram(&fx.ram, "ram", RAM_SIZE);
    memory_region_init_rom(&fx.rom, "rom", 0x1000);
    memory_region_init_io(&fx.mmio, &counter_ops, &fx.counter, "counter", 0x1000);
    memory_region_add_subregion(&fx.root, 0, &fx.ram, 0);
    memory_region_add_subregion(&fx.root, ROM_BASE, &fx.rom, 0);
    memory_region_add_subregion(&fx.root, MMIO_BASE, &fx.mmio, 0);
    address_space_init(&fx.as, &fx.root, "toy-memory");
    fx.cpu = cpu_create(&toy_cpu_class, NULL, 0, &err);
    assert_non_null(fx.cpu);
    fx.cpu->as = &fx.as;
    fx.toy = (ToyCPU *)fx.cpu;
    tcg_runtime_get_stats(&fx.base);
    return 0;
}

static void vcpu_init(void)
{
    Error *err = NULL;
    assert_int_equal(tcg_vcpu_init(fx.cpu, &err), 0);
}

static int teardown(void **state)
{
    tcg_vcpu_destroy(fx.cpu);
    cpu_destroy(fx.cpu);
    address_space_destroy(&fx.as);
    memory_region_del_subregion(&fx.root, &fx.mmio);
    memory_region_del_subregion(&fx.root, &fx.rom);
    memory_region_del_subregion(&fx.root, &fx.ram);
    memory_region_destroy(&fx.mmio);
    memory_region_destroy(&fx.rom);
    memory_region_destroy(&fx.ram);
    memory_region_destroy(&fx.root);
    return 0;
}

/* Writes a program straight into RAM (as a loader would, before anything runs). */
static void load(uint32_t addr, const uint32_t *code, size_t n)
{
    memcpy(memory_region_get_ram_ptr(&fx.ram) + addr, code, n * 4);
}

static uint32_t ram32(uint32_t addr)
{
    uint32_t v;
    memcpy(&v, memory_region_get_ram_ptr(&fx.ram) + addr, 4);
    return v;
}

/* Runs from pc until the guest halts. */
static void run(uint32_t pc)
{
    fx.toy->pc = pc;
    fx.cpu->halted = false;
    for (int i = 0; i < 1000; i++) {
        int r = tcg_cpu_exec(fx.cpu);
        if (r == EXCP_HLT) {
            return;
        }
        assert_int_equal(r, EXCP_INTERRUPT);
    }
    fail_msg("the guest did not halt");
}

/* Counters since the test started (the cache's own figures are absolute). */
static void stats(TCGRuntimeStats *st)
{
    tcg_runtime_get_stats(st);
#define DELTA(f) st->f -= fx.base.f
    DELTA(tbs_total); DELTA(flushes); DELTA(translations); DELTA(translate_ns);
    DELTA(jc_lookups); DELTA(jc_hits); DELTA(jc_misses); DELTA(ht_lookups); DELTA(ht_hits); DELTA(chained);
    DELTA(unchained); DELTA(invalidations); DELTA(tlb_fills); DELTA(tlb_flushes);
    DELTA(slow_loads); DELTA(slow_stores); DELTA(mmio_accesses); DELTA(exits_requested);
    DELTA(exclusive_steps); DELTA(tlb_flush_requests); DELTA(tlb_page_flushes);
#undef DELTA
}

static void load_vectors(void)
{
    uint32_t halt = INSN(OP_HALT, 0, 0, 0);
    load(TOY_EXCP_VECTOR, &halt, 1);
    load(TOY_IRQ_VECTOR, &halt, 1);
}

/* ---- tests ----------------------------------------------------------------------------- */

/* A counted loop: the loop TB chains to itself, so the loop runs without the CPU loop
 * looking anything up; an indirect jump goes through lookup_and_goto_ptr. */
static void test_loop_chaining(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, 0),           /* 0x1000 sum = 0 */
        INSN(OP_LI, 2, 0, 100),         /* 0x1004 n = 100 */
        INSN(OP_ADD, 1, 2, 0),          /* 0x1008 sum += n */
        INSN(OP_ADDI, 2, 0, -1),        /* 0x100c n-- */
        INSN(OP_BNZ, 2, 0, -3),         /* 0x1010 -> 0x1008 */
        INSN(OP_LI, 4, 0, 0x1100),      /* 0x1014 */
        INSN(OP_JR, 4, 0, 0),           /* 0x1018 -> 0x1100 */
    };
    const uint32_t tail[] = { INSN(OP_LI, 5, 0, 0x55), INSN(OP_HALT, 0, 0, 0) };
    TCGRuntimeStats st;

    vcpu_init();
    load(0x1000, prog, 7);
    load(0x1100, tail, 2);
    run(0x1000);
    stats(&st);
    assert_int_equal(fx.toy->r[1], 5050);
    assert_int_equal(fx.toy->r[2], 0);
    assert_int_equal(fx.toy->r[5], 0x55);
    assert_int_equal(fx.toy->pc, 0x1108);
    assert_true(st.chained >= 1);
    assert_true(st.jc_lookups < 20);     /* 100 iterations did not go through the loop */
    assert_true(st.translations <= 5);

    /* Again: everything is found in the cache. */
    uint64_t translations = st.translations;
    run(0x1000);
    stats(&st);
    assert_int_equal(fx.toy->r[1], 5050);
    assert_int_equal(st.translations, translations);
    assert_true(st.jc_hits >= 1);
}

/* A write into code already read by a translation in progress (as a device on another
 * thread could do): the translation is thrown away and done again. */
static void toy_xdma(uint32_t pc)
{
    const uint32_t new_insn = INSN(OP_LI, 2, 0, 2);
    if (toy_xdma_armed) {
        toy_xdma_armed = false;
        assert_int_equal(address_space_write(&fx.as, pc - 4, &new_insn, 4), MEMTX_OK);
    }
}

static void test_write_during_translation(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 2, 0, 1), INSN(OP_XDMA, 0, 0, 0), INSN(OP_HALT, 0, 0, 0),
    };
    TCGRuntimeStats st;

    vcpu_init();
    load(0x1000, prog, 3);
    toy_xdma_armed = true;
    run(0x1000);
    stats(&st);
    assert_false(toy_xdma_armed);
    assert_int_equal(fx.toy->r[2], 2);      /* the code as written before it ran */
    assert_int_equal(st.translations, 1);   /* the stale attempt was never linked */
    assert_int_equal(st.tbs_total, 1);
}

/* Loads and stores: RAM (miss then hit), byte order, page-crossing, MMIO, ROM. */
static void test_load_store(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x8000),
        INSN(OP_LI, 1, 0, 0x1234),
        INSN(OP_LUI, 1, 0, 0xabcd),     /* r1 = 0xabcd1234 */
        INSN(OP_ST, 1, 3, 0),
        INSN(OP_LD, 2, 3, 0),           /* r2 = 0xabcd1234 */
        INSN(OP_LD, 4, 3, 4),           /* r4 = preset */
        INSN(OP_LDBE, 6, 3, 0),         /* r6 = 0x3412cdab */
        INSN(OP_ST, 1, 3, 0xffe),       /* crosses 0x8ffe..0x9001 */
        INSN(OP_LD, 7, 3, 0xffd),       /* crosses 0x8ffd..0x9000 */
        INSN(OP_LI, 5, 0, 0),
        INSN(OP_LUI, 5, 0, MMIO_BASE >> 16),
        INSN(OP_ST, 1, 5, 8),           /* device write */
        INSN(OP_LD, 0, 5, 4),           /* device read: 0x1004 */
        INSN(OP_LI, 3, 0, 0),
        INSN(OP_LUI, 3, 0, ROM_BASE >> 16),
        INSN(OP_ST, 1, 3, 0),           /* ignored */
        INSN(OP_LD, 5, 3, 0),           /* ROM content */
        INSN(OP_HALT, 0, 0, 0),
    };
    const uint32_t preset = 0x55667788, rom_word = 0xfeedf00d;
    TCGRuntimeStats st;

    vcpu_init();
    load(0x1000, prog, sizeof(prog) / 4);
    load(0x8004, &preset, 1);
    address_space_write_rom(&fx.as, ROM_BASE, &rom_word, 4);
    run(0x1000);
    stats(&st);
    assert_int_equal(fx.toy->r[2], 0xabcd1234);
    assert_int_equal(fx.toy->r[4], preset);
    assert_int_equal(fx.toy->r[6], 0x3412cdab);
    assert_int_equal(ram32(0x8000), 0xabcd1234);
    assert_int_equal(ram32(0x8ffe) & 0xffff, 0x1234);
    assert_int_equal(ram32(0x9000) & 0xffff, 0xabcd);
    assert_int_equal(fx.toy->r[7], 0xcd123400 | 0 /* byte 0x8ffd was 0 */);
    assert_int_equal(fx.counter.writes, 1);
    assert_int_equal(fx.counter.last_write, 0xabcd1234);
    assert_int_equal(fx.counter.last_offset, 8);
    assert_int_equal(fx.counter.reads, 1);
    assert_int_equal(fx.toy->r[0], 0x1004);
    assert_int_equal(fx.toy->r[5], rom_word);
    assert_true(st.tlb_fills >= 4);

    /* Second run: every RAM page hits in the TLB; the device is reached again. With
     * the native back end only the device, ROM-write and page-crossing accesses leave
     * the inline fast path (2 loads, 3 stores); the interpreter always calls the slow
     * path (6 loads, 4 stores). */
    uint64_t fills = st.tlb_fills, slow_loads = st.slow_loads, slow_stores = st.slow_stores;
    run(0x1000);
    stats(&st);
    assert_int_equal(st.tlb_fills, fills);
    bool native = strcmp(fx.backend, "native") == 0;
    assert_int_equal(st.slow_loads - slow_loads, native ? 2 : 6);
    assert_int_equal(st.slow_stores - slow_stores, native ? 3 : 4);
    assert_int_equal(fx.counter.writes, 2);
    assert_int_equal(fx.counter.reads, 2);
    assert_int_equal(fx.toy->r[5], rom_word);

    /* Flushing one page refills only that page; a full flush refills the five pages
     * the program touches (code, two data pages, ROM, device). */
    tlb_flush_page(fx.cpu, 0x8000);
    run(0x1000);
    stats(&st);
    assert_int_equal(st.tlb_fills, fills + 1);
    tlb_flush_by_mmuidx(fx.cpu, 1u << 1);   /* an index the program does not use */
    run(0x1000);
    stats(&st);
    assert_int_equal(st.tlb_fills, fills + 1);
    tlb_flush(fx.cpu);
    run(0x1000);
    stats(&st);
    assert_int_equal(st.tlb_fills, fills + 6);
    assert_int_equal(fx.toy->r[2], 0xabcd1234);
}

/* A TLB flush asked for by another vCPU reaches this one before its next TB. */
static void test_flush_all_cpus(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x8000), INSN(OP_LD, 2, 3, 0), INSN(OP_HALT, 0, 0, 0),
    };
    Error *err = NULL;
    TCGRuntimeStats st;

    vcpu_init();
    CPUState *other = cpu_create(&toy_cpu_class, NULL, 1, &err);
    assert_non_null(other);
    other->as = &fx.as;
    assert_int_equal(tcg_vcpu_init(other, &err), 0);
    load(0x1000, prog, 3);
    run(0x1000);
    stats(&st);
    uint64_t fills = st.tlb_fills;
    run(0x1000);
    stats(&st);
    assert_int_equal(st.tlb_fills, fills);              /* all hits */
    tlb_flush_all_cpus(other);
    run(0x1000);
    stats(&st);
    assert_int_equal(st.tlb_fills, fills + 2);          /* code and data page again */
    tcg_vcpu_destroy(other);
    cpu_destroy(other);
}

/* A change of the memory map (RAM mapped over the device, then removed) is seen by the
 * soft MMU: the cached translations of the old map are dropped. */
static void test_remap(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 5, 0, 0),
        INSN(OP_LUI, 5, 0, MMIO_BASE >> 16),
        INSN(OP_LD, 0, 5, 4),
        INSN(OP_HALT, 0, 0, 0),
    };
    const uint32_t word = 0x600df00d;
    MemoryRegion overlay;

    vcpu_init();
    load(0x1000, prog, 4);
    run(0x1000);
    assert_int_equal(fx.toy->r[0], 0x1004);         /* the device */
    memory_region_init_ram(&overlay, "overlay", 0x1000);
    memcpy(memory_region_get_ram_ptr(&overlay) + 4, &word, 4);
    memory_region_add_subregion(&fx.root, MMIO_BASE, &overlay, 1);
    run(0x1000);
    assert_int_equal(fx.toy->r[0], word);           /* RAM now */
    assert_int_equal(fx.counter.reads, 1);
    memory_region_del_subregion(&fx.root, &overlay);
    run(0x1000);
    assert_int_equal(fx.toy->r[0], 0x1004);         /* the device again */
    assert_int_equal(fx.counter.reads, 2);
    memory_region_destroy(&overlay);
}

/* A store into the TB's own page, just ahead: the new instruction runs. */
static void test_smc_own_tb(void **state)
{
    const uint32_t new_insn = INSN(OP_LI, 2, 0, 2);
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, new_insn & 0xffff),   /* 0x1000 */
        INSN(OP_LUI, 1, 0, new_insn >> 16),     /* 0x1004 */
        INSN(OP_LI, 3, 0, 0x1010),              /* 0x1008 */
        INSN(OP_ST, 1, 3, 0),                   /* 0x100c: overwrite 0x1010 */
        INSN(OP_LI, 2, 0, 1),                   /* 0x1010 */
        INSN(OP_HALT, 0, 0, 0),                 /* 0x1014 */
    };
    TCGRuntimeStats st;

    vcpu_init();
    load(0x1000, prog, 6);
    run(0x1000);
    stats(&st);
    assert_int_equal(ram32(0x1010), new_insn);
    assert_int_equal(fx.toy->r[2], 2);
    assert_int_equal(fx.toy->pc, 0x1018);
    assert_true(st.invalidations >= 1);
}

/* A loop whose body is rewritten by a later instruction of the same program, in
 * another TB on the same page: the chained, cached loop TB must not run again. */
static void test_smc_other_tb(void **state)
{
    const uint32_t patched = INSN(OP_ADDI, 1, 0, 10);
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, 0),                   /* 0x1000 */
        INSN(OP_LI, 2, 0, 2),                   /* 0x1004: two passes */
        INSN(OP_ADDI, 1, 0, 1),                 /* 0x1008: patched to += 10 */
        INSN(OP_B, 0, 0, 0),                    /* 0x100c -> 0x1010 (new TB) */
        INSN(OP_LI, 4, 0, patched & 0xffff),    /* 0x1010 */
        INSN(OP_LUI, 4, 0, patched >> 16),      /* 0x1014 */
        INSN(OP_LI, 3, 0, 0x1008),              /* 0x1018 */
        INSN(OP_ST, 4, 3, 0),                   /* 0x101c */
        INSN(OP_ADDI, 2, 0, -1),                /* 0x1020 */
        INSN(OP_BNZ, 2, 0, -8),                 /* 0x1024 -> 0x1008 */
        INSN(OP_HALT, 0, 0, 0),                 /* 0x1028 */
    };

    TCGRuntimeStats st;

    vcpu_init();
    load(0x1000, prog, 11);
    run(0x1000);
    stats(&st);
    assert_int_equal(fx.toy->r[1], 11);
    assert_true(st.invalidations >= 1);
    assert_true(st.unchained >= 1);     /* the first TB had been chained to the second */
}

/* A "function" on another page, called three times through an indirect jump (JR) and
 * returning through another (JR r7), then rewritten by a guest store and called three
 * times more: after the first calls the jumps run through the inline jump-cache probe
 * (the C lookup sees only misses), and the probe must never reach the dropped TB. */
static void test_indirect_jump_after_smc(void **state)
{
    const uint32_t patched = INSN(OP_LI, 2, 0, 2);
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, 0x2000),              /* 0x1000 the function */
        INSN(OP_LI, 5, 0, patched & 0xffff),    /* 0x1004 */
        INSN(OP_LUI, 5, 0, patched >> 16),      /* 0x1008 */
        INSN(OP_LI, 4, 0, 3),                   /* 0x100c */
        INSN(OP_LI, 7, 0, 0x1018),              /* 0x1010 loop 1: return address */
        INSN(OP_JR, 1, 0, 0),                   /* 0x1014 call */
        INSN(OP_ADDI, 4, 0, -1),                /* 0x1018 */
        INSN(OP_BNZ, 4, 0, -4),                 /* 0x101c -> 0x1010 */
        INSN(OP_ST, 5, 1, 0),                   /* 0x1020 rewrite the function */
        INSN(OP_LI, 4, 0, 3),                   /* 0x1024 */
        INSN(OP_LI, 7, 0, 0x1030),              /* 0x1028 loop 2 */
        INSN(OP_JR, 1, 0, 0),                   /* 0x102c call */
        INSN(OP_ADDI, 4, 0, -1),                /* 0x1030 */
        INSN(OP_BNZ, 4, 0, -4),                 /* 0x1034 -> 0x1028 */
        INSN(OP_HALT, 0, 0, 0),                 /* 0x1038 */
    };
    const uint32_t func[] = {
        INSN(OP_LI, 2, 0, 1),                   /* 0x2000: patched to r2 = 2 */
        INSN(OP_ADD, 6, 2, 0),                  /* 0x2004 r6 += r2 */
        INSN(OP_JR, 7, 0, 0),                   /* 0x2008 return */
    };
    TCGRuntimeStats st;

    vcpu_init();
    load(0x1000, prog, 15);
    load(0x2000, func, 3);
    run(0x1000);
    stats(&st);
    assert_int_equal(fx.toy->r[6], 3 * 1 + 3 * 2);
    assert_int_equal(ram32(0x2000), patched);
    assert_true(st.invalidations >= 1);
    /* 12 indirect jumps; the C lookup saw only the first of each target (misses) */
    /* the 8 jumps to targets already looked up (4 calls, 4 returns) never called the C
     * lookup, which would have counted them as jump-cache hits */
    assert_true(st.jc_hits < 4);
}

/* A DMA-style write (address_space_write) into translated code drops the TB. */
static void test_dma_invalidates(void **state)
{
    const uint32_t prog[] = { INSN(OP_LI, 2, 0, 1), INSN(OP_HALT, 0, 0, 0) };
    const uint32_t new_insn = INSN(OP_LI, 2, 0, 2);
    TCGRuntimeStats st;

    vcpu_init();
    load(0x1000, prog, 2);
    run(0x1000);
    assert_int_equal(fx.toy->r[2], 1);
    stats(&st);
    uint64_t inval = st.invalidations;
    assert_int_equal(address_space_write(&fx.as, 0x1000, &new_insn, 4), MEMTX_OK);
    stats(&st);
    assert_int_equal(st.invalidations, inval + 1);
    run(0x1000);
    assert_int_equal(fx.toy->r[2], 2);
}

/* An exception raised by a helper in the middle of a TB: exact guest PC, earlier
 * instructions done, later ones not. */
static void test_helper_exception(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 0, 0, 1),           /* 0x1000 */
        INSN(OP_LI, 1, 0, 0xdead),      /* 0x1004 */
        INSN(OP_CHECK, 1, 0, 0),        /* 0x1008: raises */
        INSN(OP_LI, 0, 0, 2),           /* 0x100c */
        INSN(OP_HALT, 0, 0, 0),
    };

    vcpu_init();
    load_vectors();
    load(0x1000, prog, 5);
    run(0x1000);
    assert_int_equal(fx.toy->last_excp, TOY_EXCP_CHECK);
    assert_int_equal(fx.toy->excp_pc, 0x1008);
    assert_int_equal(fx.toy->lazy, 2);      /* insn_start word 1 of the third insn */
    assert_int_equal(fx.toy->r[0], 1);
    assert_int_equal(fx.toy->r[1], 0xdead);
    assert_int_equal(fx.toy->pc, TOY_EXCP_VECTOR + 4);

    /* The same TB, now without the fault, runs to the end. */
    fx.toy->last_excp = 0;
    address_space_write(&fx.as, 0x1004, (const uint32_t[]){ INSN(OP_LI, 1, 0, 0xbeef) }, 4);
    run(0x1000);
    assert_int_equal(fx.toy->last_excp, 0);
    assert_int_equal(fx.toy->r[0], 2);
}

/* Page faults from tlb_fill on a load in the middle of a TB, and on a page-crossing
 * store (nothing written), with the guest PC recovered. */
static void test_page_fault(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 0, 0, 7),           /* 0x1000 */
        INSN(OP_LI, 3, 0, 0x9000),      /* 0x1004 */
        INSN(OP_ADDI, 0, 0, 1),         /* 0x1008 */
        INSN(OP_LD, 1, 3, 0x10),        /* 0x100c: faults */
        INSN(OP_LI, 0, 0, 99),
        INSN(OP_HALT, 0, 0, 0),
    };
    const uint32_t prog2[] = {
        INSN(OP_LI, 3, 0, 0x9000),      /* 0x1100 */
        INSN(OP_LI, 1, 0, 0x7777),      /* 0x1104 */
        INSN(OP_ST, 1, 3, -2),          /* 0x1108: 0x8ffe..0x9001, second page faults */
        INSN(OP_HALT, 0, 0, 0),
    };

    vcpu_init();
    load_vectors();
    load(0x1000, prog, 6);
    load(0x1100, prog2, 4);
    fx.toy->fault_page = 0x9000;
    run(0x1000);
    assert_int_equal(fx.toy->last_excp, TOY_EXCP_PAGE);
    assert_int_equal(fx.toy->excp_pc, 0x100c);
    assert_int_equal(fx.toy->lazy, 3);
    assert_int_equal(fx.toy->fault_addr, 0x9010);
    assert_int_equal(fx.toy->r[0], 8);

    run(0x1100);
    assert_int_equal(fx.toy->last_excp, TOY_EXCP_PAGE);
    assert_int_equal(fx.toy->excp_pc, 0x1108);
    assert_int_equal(ram32(0x8ffc), 0);     /* no byte of the store was written */
}

/* An 8-byte instruction straddling into the next page: the TB covers two pages, is
 * found again only while both map the same, and a write to the second page drops it.
 * When the second page faults, the fault belongs to that instruction (exact PC), not
 * to the TB's first one. */
static void test_insn_across_pages(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 0, 0, 5),           /* 0x1ff8 */
        INSN(OP_LIW, 1, 0, 0),          /* 0x1ffc, its word at 0x2000 */
        0x12345678,
        INSN(OP_HALT, 0, 0, 0),         /* 0x2004 */
    };
    const uint32_t word = 0xcafe;
    TCGRuntimeStats st;

    vcpu_init();
    load_vectors();
    load(0x1ff8, prog, 4);
    run(0x1ff8);
    stats(&st);
    assert_int_equal(fx.toy->r[0], 5);
    assert_int_equal(fx.toy->r[1], 0x12345678);
    assert_int_equal(st.translations, 2);       /* 0x1ff8..0x2003, then 0x2004 */
    run(0x1ff8);                                /* found again: both pages unchanged */
    stats(&st);
    assert_int_equal(st.translations, 2);
    assert_int_equal(address_space_write(&fx.as, 0x2000, &word, 4), MEMTX_OK);
    run(0x1ff8);
    assert_int_equal(fx.toy->r[1], word);

    fx.toy->r[0] = 0;
    fx.toy->fault_page = 0x2000;
    tlb_flush(fx.cpu);
    run(0x1ff8);
    assert_int_equal(fx.toy->last_excp, TOY_EXCP_PAGE);
    assert_int_equal(fx.toy->excp_pc, 0x1ffc);  /* the straddling instruction */
    assert_int_equal(fx.toy->fault_addr, 0x2000);
    assert_int_equal(fx.toy->r[0], 5);          /* the instruction before it ran */
}

/* Code fetched from a device page (through the memory core, under the big lock). Its
 * bytes read 0x1000 + offset (low byte), so the code is 03020100 "add r0,r2",
 * 07060504 "bnz r0" (not taken), 0b0a0908 "jr r0": to address 0, whose zeros are an
 * undefined instruction, raised with PC 0. */
static void test_exec_from_device(void **state)
{
    vcpu_init();
    load_vectors();
    run(MMIO_BASE);
    assert_int_equal(fx.toy->last_excp, TOY_EXCP_UNDEF);
    assert_int_equal(fx.toy->excp_pc, 0);
    assert_int_equal(fx.counter.reads, 12);     /* three instructions, byte by byte */
}

/* A code buffer too small for the program: flushed, and the results stay right. */
static void test_flush_when_full(void **state)
{
    enum { PAIRS = 3000 };
    static uint32_t prog[2 * PAIRS + 1];
    Error *err = NULL;
    TCGRuntimeStats st;

    assert_int_equal(tcg_runtime_configure(64 << 10, tcg_backend_find(
        strcmp(fx.backend, "native") ? fx.backend : "x86_64"), &err), 0);
    vcpu_init();
    for (int i = 0; i < PAIRS; i++) {
        prog[2 * i] = INSN(OP_ADDI, 1, 0, 1);
        prog[2 * i + 1] = INSN(OP_B, 0, 0, 0);      /* to the next pair: a new TB */
    }
    prog[2 * PAIRS] = INSN(OP_HALT, 0, 0, 0);
    load(0x2000, prog, 2 * PAIRS + 1);
    fx.toy->r[1] = 0;
    run(0x2000);
    stats(&st);
    assert_int_equal(fx.toy->r[1], PAIRS);
    assert_true(st.flushes >= 1);
    assert_true(st.code_used <= st.code_size);
    fx.toy->r[1] = 0;
    run(0x2000);
    assert_int_equal(fx.toy->r[1], PAIRS);
}

/* The TB flags are part of the key: the same code in another mode is another TB. */
static void test_flags_in_key(void **state)
{
    const uint32_t prog[] = { INSN(OP_LI, 1, 0, 10), INSN(OP_HALT, 0, 0, 0) };
    TCGRuntimeStats st;

    vcpu_init();
    load(0x1000, prog, 2);
    run(0x1000);
    assert_int_equal(fx.toy->r[1], 10);
    fx.toy->mode = 1;
    run(0x1000);
    assert_int_equal(fx.toy->r[1], 11);
    fx.toy->mode = 0;
    run(0x1000);
    assert_int_equal(fx.toy->r[1], 10);
    stats(&st);
    assert_int_equal(st.translations, 2);
}

/* "-d in_asm" logs each new TB's guest code with its PC. */
static void test_log_in_asm(void **state)
{
    const uint32_t prog[] = { INSN(OP_LI, 1, 0, 0x4242), INSN(OP_HALT, 0, 0, 0) };
    char path[] = "/tmp/test-tcg-runtime-log-XXXXXX";
    int fd = mkstemp(path);
    char buf[4096];

    assert_true(fd >= 0);
    vcpu_init();
    load(0x1000, prog, 2);
    assert_int_equal(log_set_file(path), 0);
    unsigned saved = log_mask;
    log_mask |= LOG_IN_ASM;
    run(0x1000);
    log_mask = saved;
    log_flush();
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    unlink(path);
    assert_true(n > 0);
    buf[n] = 0;
    assert_non_null(strstr(buf, "IN: [pc=0x1000 flags=0 size=8]"));
    assert_non_null(strstr(buf, "1000:"));     /* the first instruction's address */
}

/* Single step: one instruction per tcg_cpu_exec. */
static void test_single_step(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, 5), INSN(OP_ADDI, 1, 0, 1), INSN(OP_ADDI, 1, 0, 1),
        INSN(OP_HALT, 0, 0, 0),
    };

    vcpu_init();
    load(0x1000, prog, 4);
    fx.toy->pc = 0x1000;
    fx.cpu->halted = false;
    tcg_cpu_set_single_step(fx.cpu, true);
    for (uint32_t i = 1; i <= 3; i++) {
        assert_int_equal(tcg_cpu_exec(fx.cpu), EXCP_DEBUG);
        assert_int_equal(fx.toy->pc, 0x1000 + 4 * i);
    }
    assert_int_equal(fx.toy->r[1], 7);
    tcg_cpu_set_single_step(fx.cpu, false);
    assert_int_equal(tcg_cpu_exec(fx.cpu), EXCP_HLT);
}

static void wait_until(bool (*cond)(void), const char *what)
{
    struct timespec ts = { 0, 1000000 };
    for (int i = 0; i < 20000; i++) {       /* a generous bound, not a timing check */
        if (cond()) {
            return;
        }
        nanosleep(&ts, NULL);
    }
    fail_msg("timed out waiting for %s", what);
}

/* The device is only touched under the big lock: a race-free way to watch the guest. */
static unsigned device_writes(void)
{
    bql_lock();
    unsigned n = fx.counter.writes;
    bql_unlock();
    return n;
}

static bool loop_entered(void)
{
    return device_writes() >= 1;
}

static uint64_t exits_seen;

static bool exit_seen(void)
{
    TCGRuntimeStats st;
    stats(&st);
    return st.exits_requested > exits_seen;
}

static bool handler_ran(void)
{
    return device_writes() >= 2;
}

/* A tight chained loop on a vCPU thread leaves for cpu_exit and takes an interrupt
 * raised by this thread. The guest reports entering the loop and running the handler
 * by device writes. */
static void test_interrupt_tight_loop(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 5, 0, 0),           /* 0x1000 */
        INSN(OP_LUI, 5, 0, MMIO_BASE >> 16),
        INSN(OP_ST, 0, 5, 0),           /* 0x1008: "entering the loop" */
        INSN(OP_B, 0, 0, 0),            /* 0x100c -> 0x1010: a new TB */
        INSN(OP_ADDI, 1, 0, 1),         /* 0x1010 */
        INSN(OP_B, 0, 0, -2),           /* 0x1014 -> 0x1010 */
    };
    const uint32_t handler[] = { INSN(OP_ST, 0, 5, 4), INSN(OP_HALT, 0, 0, 0) };
    Error *err = NULL;
    TCGRuntimeStats st;

    load(0x1000, prog, 6);
    load(TOY_IRQ_VECTOR, handler, 2);
    fx.toy->pc = 0x1000;
    fx.cpu->halted = false;
    assert_int_equal(cpus_start_threads(tcg_accel_ops_get(), &err), 0);
    cpus_resume_all();
    wait_until(loop_entered, "the loop to start");

    stats(&st);
    exits_seen = st.exits_requested;
    cpu_exit(fx.cpu);
    wait_until(exit_seen, "cpu_exit to be honoured");

    cpu_interrupt(fx.cpu, CPU_INTERRUPT_HARD);
    wait_until(handler_ran, "the interrupt handler");
    cpus_stop_threads();                /* joins the thread: its writes are visible */
    assert_true(fx.cpu->halted);
    assert_int_equal(atomic_load(&fx.toy->irq_count), 1);
    assert_int_equal(fx.toy->pc, TOY_IRQ_VECTOR + 8);
    assert_true(fx.toy->r[1] > 0);      /* the loop ran */
    stats(&st);
    assert_true(st.chained >= 1);
}

static bool patched_code_ran(void)
{
    bql_lock();
    bool ran = fx.counter.last_offset == 4;
    bql_unlock();
    return ran;
}

/* A device-style write (under the big lock) rewrites the body of a loop that a vCPU
 * thread is running chained to itself: the loop is unchained, so the vCPU leaves it at
 * the end of the iteration without any kick and runs the new code. (The loop reports
 * each iteration by a device write: the big lock orders the guest-memory accesses of
 * the two threads for ThreadSanitizer.) */
static void test_dma_into_running_loop(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 5, 0, 0),           /* 0x1000 */
        INSN(OP_LUI, 5, 0, MMIO_BASE >> 16),
        INSN(OP_B, 0, 0, 0),            /* 0x1008 -> 0x100c */
        INSN(OP_ST, 0, 5, 0),           /* 0x100c: "in the loop" */
        INSN(OP_B, 0, 0, -2),           /* 0x1010 -> 0x100c */
    };
    const uint32_t patch[] = { INSN(OP_ST, 0, 5, 4), INSN(OP_HALT, 0, 0, 0) };
    Error *err = NULL;
    TCGRuntimeStats st;

    load(0x1000, prog, 5);
    fx.toy->pc = 0x1000;
    fx.cpu->halted = false;
    assert_int_equal(cpus_start_threads(tcg_accel_ops_get(), &err), 0);
    cpus_resume_all();
    wait_until(loop_entered, "the loop to start");
    bql_lock();
    assert_int_equal(address_space_write(&fx.as, 0x100c, patch, sizeof(patch)), MEMTX_OK);
    bql_unlock();
    wait_until(patched_code_ran, "the new code to run");
    cpus_stop_threads();
    stats(&st);
    assert_true(fx.cpu->halted);
    assert_int_equal(fx.toy->pc, 0x1014);
    assert_true(st.invalidations >= 1);
    assert_true(st.chained >= 1);
    assert_int_equal(st.exits_requested, 0);    /* nobody kicked the vCPU */
}

static bool both_done(void)
{
    return device_writes() >= 2;
}

/* Two vCPU threads run the same long program with a code buffer far too small: the
 * cache is flushed under them many times (each flush waits until no vCPU runs
 * translated code) and both compute the right result. */
static void test_two_vcpus_flushing(void **state)
{
    enum { PAIRS = 2000 };
    static uint32_t prog[2 * PAIRS + 4];
    Error *err = NULL;
    TCGRuntimeStats st;

    assert_int_equal(tcg_runtime_configure(64 << 10, tcg_backend_find(
        strcmp(fx.backend, "native") ? fx.backend : "x86_64"), &err), 0);
    CPUState *other = cpu_create(&toy_cpu_class, NULL, 1, &err);
    assert_non_null(other);
    other->as = &fx.as;
    for (int i = 0; i < PAIRS; i++) {
        prog[2 * i] = INSN(OP_ADDI, 1, 0, 1);
        prog[2 * i + 1] = INSN(OP_B, 0, 0, 0);
    }
    prog[2 * PAIRS] = INSN(OP_LI, 5, 0, 0);
    prog[2 * PAIRS + 1] = INSN(OP_LUI, 5, 0, MMIO_BASE >> 16);
    prog[2 * PAIRS + 2] = INSN(OP_ST, 1, 5, 0);        /* "done" */
    prog[2 * PAIRS + 3] = INSN(OP_HALT, 0, 0, 0);
    load(0x4000, prog, 2 * PAIRS + 4);
    fx.toy->pc = 0x4000;
    ((ToyCPU *)other)->pc = 0x4000;
    fx.cpu->halted = other->halted = false;
    assert_int_equal(cpus_start_threads(tcg_accel_ops_get(), &err), 0);
    cpus_resume_all();
    wait_until(both_done, "both vCPUs to finish");
    cpus_stop_threads();
    stats(&st);
    assert_int_equal(fx.toy->r[1], PAIRS);
    assert_int_equal(((ToyCPU *)other)->r[1], PAIRS);
    assert_int_equal(fx.counter.last_write, PAIRS);
    assert_true(st.flushes >= 2);
    cpu_destroy(other);
}

/* An atomic add across a page boundary runs as the exclusive step (a load and a store
 * with the other vCPUs stopped) and gives the same result. */
static void test_atomic_across_pages(void **state)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x8ffe),
        INSN(OP_LI, 2, 0, 5),
        INSN(OP_AADD, 2, 3, 0),
        INSN(OP_HALT, 0, 0, 0),
    };
    const uint8_t before[4] = { 0xfe, 0xff, 0x22, 0x11 };
    TCGRuntimeStats st;
    vcpu_init();
    load(0x1000, prog, 4);
    memcpy(memory_region_get_ram_ptr(&fx.ram) + 0x8ffe, before, 4);
    run(0x1000);
    stats(&st);
    assert_int_equal(fx.toy->r[2], 0x1122fffe);
    assert_int_equal(ram32(0x8ffc) >> 16 | (ram32(0x9000) & 0xffff) << 16, 0x11230003);
    assert_true(st.exclusive_steps >= 1);
}

/* Two vCPU threads add 1 to one counter a million times each, first with a plain
 * load/add/store (updates may be lost when the threads overlap: reported, not required,
 * since on a loaded host they need not overlap), then with the atomic add: that total
 * must be exact. */
static void test_two_vcpus_atomic_counter(void **state)
{
    enum { N = 1000000 };
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x8000),              /* 0x5000 r3 = &counters */
        INSN(OP_LI, 1, 0, N & 0xffff),          /*        r1 = N */
        INSN(OP_LUI, 1, 0, N >> 16),
        INSN(OP_LD, 2, 3, 4),                   /* 0x500c plain: [r3 + 4] += 1 */
        INSN(OP_ADDI, 2, 0, 1),
        INSN(OP_ST, 2, 3, 4),
        INSN(OP_ADDI, 1, 0, -1),
        INSN(OP_BNZ, 1, 0, -5),
        INSN(OP_LI, 1, 0, N & 0xffff),          /* 0x5020 r1 = N */
        INSN(OP_LUI, 1, 0, N >> 16),
        INSN(OP_LI, 2, 0, 1),                   /* 0x5028 atomic: [r3] += 1 */
        INSN(OP_AADD, 2, 3, 0),
        INSN(OP_ADDI, 1, 0, -1),
        INSN(OP_BNZ, 1, 0, -4),
        INSN(OP_LI, 5, 0, 0),
        INSN(OP_LUI, 5, 0, MMIO_BASE >> 16),
        INSN(OP_ST, 1, 5, 0),                   /* "done" */
        INSN(OP_HALT, 0, 0, 0),
    };
    Error *err = NULL;
    CPUState *other = cpu_create(&toy_cpu_class, NULL, 1, &err);
    assert_non_null(other);
    other->as = &fx.as;
    load(0x5000, prog, sizeof(prog) / sizeof(prog[0]));
    fx.toy->pc = ((ToyCPU *)other)->pc = 0x5000;
    fx.cpu->halted = other->halted = false;
    assert_int_equal(cpus_start_threads(tcg_accel_ops_get(), &err), 0);
    cpus_resume_all();
    wait_until(both_done, "both vCPUs to finish counting");
    cpus_stop_threads();
    cpu_destroy(other);
    assert_int_equal(ram32(0x8000), 2 * N);
    uint32_t plain = ram32(0x8004);
    assert_true(plain >= 1 && plain <= 2 * N);  /* a stale store may undo many increments */
    print_message("%s: plain increments %u of %u (%u lost), atomic exact\n", fx.backend,
                  plain, 2 * N, 2 * N - plain);
}

/* Option errors of -accel tcg. */
static void test_accel_options(void **state)
{
    static const char *const bad[] = { "tb-size=0", "tb-size=x", "tb-size=4096",
                                       "backend=nosuch" };
    const AccelOps *accel = tcg_accel_ops_get();

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        KeyValList kv;
        Error *err = NULL;
        assert_int_equal(keyval_parse(bad[i], NULL, &kv, &err), 0);
        assert_int_equal(accel->init(NULL, &kv, &err), -1);
        assert_non_null(err);
        error_free(err);
        keyval_free(&kv);
    }
    configure("tb-size=2,backend=interp");
    TCGRuntimeStats st;
    stats(&st);
    assert_int_equal(st.code_size, 2u << 20);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    accel->print_info(f);
    fclose(f);
    assert_non_null(strstr(buf, "TB count"));
    assert_non_null(strstr(buf, "back end interp"));
    free(buf);
}

#define BOTH(fn) \
    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, (void *)"interp"), \
    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, (void *)"native")

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(test_loop_chaining),
        BOTH(test_load_store),
        BOTH(test_remap),
        BOTH(test_flush_all_cpus),
        BOTH(test_smc_own_tb),
        BOTH(test_smc_other_tb),
        BOTH(test_indirect_jump_after_smc),
        BOTH(test_dma_invalidates),
        BOTH(test_write_during_translation),
        BOTH(test_helper_exception),
        BOTH(test_page_fault),
        BOTH(test_exec_from_device),
        BOTH(test_insn_across_pages),
        BOTH(test_flush_when_full),
        BOTH(test_flags_in_key),
        BOTH(test_log_in_asm),
        BOTH(test_single_step),
        BOTH(test_interrupt_tight_loop),
        BOTH(test_two_vcpus_flushing),
        BOTH(test_dma_into_running_loop),
        BOTH(test_two_vcpus_atomic_counter),
        BOTH(test_atomic_across_pages),
        cmocka_unit_test(test_accel_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
