/* Disassembly for logs and the monitor: capstone if configured, else a hex dump. */
#include <inttypes.h>
#include "config-host.h"
#include "util/disas.h"
#ifdef CONFIG_CAPSTONE
#include <capstone/capstone.h>
#endif

static void print_bytes(FILE *out, const uint8_t *code, size_t size, uint64_t addr)
{
    for (size_t i = 0; i < size; i += 8) {
        fprintf(out, "  0x%012" PRIx64 ":  .byte", addr + i);
        for (size_t j = i; j < size && j < i + 8; j++) {
            fprintf(out, " 0x%02x", code[j]);
        }
        fputc('\n', out);
    }
}

#ifdef CONFIG_CAPSTONE
static bool capstone_mode(DisasArch arch, cs_arch *cs_arch_out, cs_mode *mode)
{
    switch (arch) {
    case DISAS_X86_16: *cs_arch_out = CS_ARCH_X86; *mode = CS_MODE_16; return true;
    case DISAS_X86_32: *cs_arch_out = CS_ARCH_X86; *mode = CS_MODE_32; return true;
    case DISAS_X86_64: *cs_arch_out = CS_ARCH_X86; *mode = CS_MODE_64; return true;
    case DISAS_ARM: *cs_arch_out = CS_ARCH_ARM; *mode = CS_MODE_ARM; return true;
    case DISAS_THUMB: *cs_arch_out = CS_ARCH_ARM; *mode = CS_MODE_THUMB; return true;
    }
    return false;
}

void disas_print(FILE *out, DisasArch arch, const void *code, size_t size, uint64_t addr)
{
    cs_arch cs_arch_id;
    cs_mode mode;
    csh cs;
    cs_insn *insn;
    size_t n, done = 0;

    if (!capstone_mode(arch, &cs_arch_id, &mode) ||
        cs_open(cs_arch_id, mode, &cs) != CS_ERR_OK) {
        print_bytes(out, code, size, addr);
        return;
    }
    n = cs_disasm(cs, code, size, addr, 0, &insn);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "  0x%012" PRIx64 ":  %-8s %s\n", insn[i].address, insn[i].mnemonic,
                insn[i].op_str);
        done += insn[i].size;
    }
    if (n) {
        cs_free(insn, n);
    }
    cs_close(&cs);
    if (done < size) {
        print_bytes(out, (const uint8_t *)code + done, size - done, addr + done);
    }
}

int disas_one(FILE *out, DisasArch arch, const void *code, size_t size, uint64_t addr)
{
    cs_arch cs_arch_id;
    cs_mode mode;
    csh cs;
    cs_insn *insn;
    int used = 0;

    if (size && capstone_mode(arch, &cs_arch_id, &mode) &&
        cs_open(cs_arch_id, mode, &cs) == CS_ERR_OK) {
        if (cs_disasm(cs, code, size, addr, 1, &insn) == 1) {
            fprintf(out, "%-8s %s", insn->mnemonic, insn->op_str);
            used = (int)insn->size;
            cs_free(insn, 1);
        }
        cs_close(&cs);
    }
    if (!used && size) {
        fprintf(out, ".byte 0x%02x", *(const uint8_t *)code);
        used = 1;
    }
    return used;
}

bool disas_available(void)
{
    return true;
}
#else
void disas_print(FILE *out, DisasArch arch, const void *code, size_t size, uint64_t addr)
{
    print_bytes(out, code, size, addr);
}

int disas_one(FILE *out, DisasArch arch, const void *code, size_t size, uint64_t addr)
{
    (void)arch;
    (void)addr;
    if (!size) {
        return 0;
    }
    fprintf(out, ".byte 0x%02x", *(const uint8_t *)code);
    return 1;
}

bool disas_available(void)
{
    return false;
}
#endif
