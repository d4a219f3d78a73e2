/* The monitor's x and xp commands: memory dumps with QEMU's /[count][format][size]
 * letters (formats x d u o c i s, sizes b h w g), little-endian guests. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "monitor/hmp-internal.h"
#include "util/cutils.h"

#define GUEST_PAGE_SIZE 4096u

typedef struct MemoryDumpFormat {
    uint64_t count;
    char format;
    unsigned size;
} MemoryDumpFormat;

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    return s;
}

static unsigned size_letter(char c)
{
    switch (c) {
    case 'b': return 1;
    case 'h': return 2;
    case 'w': return 4;
    case 'g': return 8;
    default: return 0;
    }
}

/* Parses "/[count][format][size]" at *p (if present) into fmt, using and updating the
 * remembered defaults. */
static int parse_format(const char **p, HmpMemoryDefaults *defaults, MemoryDumpFormat *fmt,
                        Error **errp)
{
    const char *s = skip_spaces(*p);
    char format = 0;
    unsigned size = 0;
    fmt->count = 1;
    if (*s == '/') {
        s++;
        if (isdigit((unsigned char)*s)) {
            char *end;
            fmt->count = strtoull(s, &end, 10);
            s = end;
        }
        for (; *s && *s != ' ' && *s != '\t'; s++) {
            if (strchr("xduocis", *s)) {
                format = *s;
            } else if (size_letter(*s)) {
                size = size_letter(*s);
            } else {
                error_setg(errp, "invalid char in format: '%c'", *s);
                return -1;
            }
        }
    }
    if (!format) {
        format = defaults->format;
    }
    if (!size) {
        size = defaults->size;
    }
    defaults->format = format;
    defaults->size = size;
    if (format == 'c' || format == 's') {
        size = 1;           /* characters are bytes, whatever size is remembered */
    }
    fmt->format = format;
    fmt->size = size;
    *p = skip_spaces(s);
    return 0;
}

/* $name: a register of the CPU (case-insensitive), or $pc through get_pc. */
static int register_value(CPUState *cpu, const char *name, uint64_t *value, Error **errp)
{
    if (!cpu || !cpu->cls) {
        error_setg(errp, "no CPU to read register '$%s' from", name);
        return -1;
    }
    const CPUClass *cls = cpu->cls;
    for (int i = 0; cls->registers && cls->registers[i].name; i++) {
        if (!strcasecmp(cls->registers[i].name, name) && cls->get_register &&
            cls->get_register(cpu, i, value) == 0) {
            return 0;
        }
    }
    if (!strcasecmp(name, "pc") && cls->get_pc) {
        *value = cls->get_pc(cpu);
        return 0;
    }
    error_setg(errp, "unknown register '$%s'", name);
    return -1;
}

/* One term of an address: a number (0x hex, decimal) or $register. */
static int parse_term(const char **p, CPUState *cpu, uint64_t *value, Error **errp)
{
    char word[64];
    size_t n = 0;
    const char *s = skip_spaces(*p);
    while (*s && (isalnum((unsigned char)*s) || *s == '$' || *s == '_') && n + 1 < sizeof(word)) {
        word[n++] = *s++;
    }
    word[n] = '\0';
    *p = skip_spaces(s);
    if (word[0] == '$') {
        return register_value(cpu, word + 1, value, errp);
    }
    if (!word[0] || parse_uint64(word, value) < 0) {
        error_setg(errp, "invalid address '%s'", word[0] ? word : s);
        return -1;
    }
    return 0;
}

/* addr := term { (+|-) term } */
static int parse_address(const char *s, CPUState *cpu, uint64_t *addr, Error **errp)
{
    uint64_t v;
    if (!*skip_spaces(s)) {
        error_setg(errp, "address expected");
        return -1;
    }
    if (parse_term(&s, cpu, addr, errp) < 0) {
        return -1;
    }
    while (*s == '+' || *s == '-') {
        char op = *s++;
        if (parse_term(&s, cpu, &v, errp) < 0) {
            return -1;
        }
        *addr = op == '+' ? *addr + v : *addr - v;
    }
    if (*s) {
        error_setg(errp, "junk after the address: '%s'", s);
        return -1;
    }
    return 0;
}

typedef struct DumpSource {
    const MonitorSystem *sys;
    CPUState *cpu;
    bool physical;
} DumpSource;

/* Reads guest memory, translating virtual addresses page by page. */
static int dump_read(const DumpSource *src, uint64_t addr, uint8_t *buf, size_t len)
{
    if (src->physical) {
        return src->sys->read_phys(addr, buf, len);
    }
    while (len > 0) {
        hwaddr paddr;
        size_t chunk = MIN(len, GUEST_PAGE_SIZE - (addr % GUEST_PAGE_SIZE));
        if (src->cpu->cls->get_phys_addr(src->cpu, addr, &paddr) < 0 ||
            src->sys->read_phys(paddr, buf, chunk) < 0) {
            return -1;
        }
        addr += chunk;
        buf += chunk;
        len -= chunk;
    }
    return 0;
}

static uint64_t load_le(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static void print_char_literal(FILE *out, uint8_t c)
{
    switch (c) {
    case '\'': fprintf(out, "'\\''"); break;
    case '\\': fprintf(out, "'\\\\'"); break;
    case '\n': fprintf(out, "'\\n'"); break;
    case '\r': fprintf(out, "'\\r'"); break;
    default:
        if (c >= 32 && c <= 126) {
            fprintf(out, "'%c'", c);
        } else {
            fprintf(out, "'\\x%02x'", c);
        }
    }
}

static void print_unit(FILE *out, char format, unsigned size, uint64_t v)
{
    unsigned bits = size * 8;
    switch (format) {
    case 'o':
        fprintf(out, " %#*llo", (int)DIV_ROUND_UP(bits, 3), (unsigned long long)v);
        break;
    case 'u':
        fprintf(out, " %*llu", (int)DIV_ROUND_UP(bits * 10, 33), (unsigned long long)v);
        break;
    case 'd': {
        int64_t sv = bits == 64 ? (int64_t)v : (int64_t)(v << (64 - bits)) >> (64 - bits);
        fprintf(out, " %*lld", (int)DIV_ROUND_UP(bits * 10, 33), (long long)sv);
        break;
    }
    case 'c':
        fprintf(out, " ");
        print_char_literal(out, (uint8_t)v);
        break;
    default:
        fprintf(out, " 0x%0*llx", (int)(size * 2), (unsigned long long)v);
    }
}

static void print_line_address(FILE *out, const DumpSource *src, uint64_t addr)
{
    if (src->physical) {
        fprintf(out, "%016llx:", (unsigned long long)addr);
    } else {
        fprintf(out, "%0*llx:", src->sys->word_bits() / 4, (unsigned long long)addr);
    }
}

/* Formats x d u o c: QEMU's layout, 16 bytes a line (8 for bytes). */
static void dump_units(FILE *out, const DumpSource *src, const MemoryDumpFormat *fmt,
                       uint64_t addr)
{
    uint8_t line[16];
    uint64_t left = fmt->count * fmt->size;
    size_t line_size = fmt->size == 1 ? 8 : 16;
    while (left > 0) {
        size_t n = (size_t)MIN(left, (uint64_t)line_size);
        print_line_address(out, src, addr);
        if (dump_read(src, addr, line, n) < 0) {
            fprintf(out, " Cannot access memory\n");
            return;
        }
        for (size_t i = 0; i < n; i += fmt->size) {
            print_unit(out, fmt->format, fmt->size, load_le(line + i, fmt->size));
        }
        fprintf(out, "\n");
        addr += n;
        left -= n;
    }
}

/* Format s: NUL-terminated strings, up to 256 bytes each. */
static void dump_strings(FILE *out, const DumpSource *src, const MemoryDumpFormat *fmt,
                         uint64_t addr)
{
    for (uint64_t i = 0; i < fmt->count; i++) {
        uint8_t c;
        print_line_address(out, src, addr);
        fprintf(out, " \"");
        for (int n = 0; n < 256; n++) {
            if (dump_read(src, addr, &c, 1) < 0) {
                fprintf(out, "\" <cannot access memory>\n");
                return;
            }
            addr++;
            if (c == 0) {
                break;
            }
            if (c == '"' || c == '\\') {
                fprintf(out, "\\%c", c);
            } else if (c >= 32 && c <= 126) {
                fputc(c, out);
            } else {
                fprintf(out, "\\x%02x", c);
            }
        }
        fprintf(out, "\"\n");
    }
}

/* Format i: one instruction a line through the registered disassembler. */
static int dump_instructions(FILE *out, const DumpSource *src, const MemoryDumpFormat *fmt,
                             uint64_t addr, Error **errp)
{
    MonitorDisasFn *disas = monitor_get_disassembler();
    uint8_t code[16];
    if (!disas) {
        error_setg(errp, "format 'i' needs a disassembler, and none is available");
        return -1;
    }
    for (uint64_t i = 0; i < fmt->count; i++) {
        fprintf(out, "0x%0*llx:  ", src->physical ? 16 : src->sys->word_bits() / 4,
                (unsigned long long)addr);
        if (dump_read(src, addr, code, sizeof(code)) < 0) {
            fprintf(out, "Cannot access memory\n");
            return 0;
        }
        int used = disas(out, src->cpu, addr, code, sizeof(code));
        fprintf(out, "\n");
        if (used <= 0) {
            break;
        }
        addr += (uint64_t)used;
    }
    return 0;
}

int hmp_memory_dump(const MonitorSystem *sys, CPUState *cpu, HmpMemoryDefaults *defaults,
                    const char *args, bool physical, FILE *out, Error **errp)
{
    MemoryDumpFormat fmt;
    uint64_t addr;
    const char *cmd = physical ? "xp" : "x";
    DumpSource src = { .sys = sys, .cpu = cpu, .physical = physical };

    if (parse_format(&args, defaults, &fmt, errp) < 0 ||
        parse_address(args, cpu, &addr, errp) < 0) {
        error_prepend(errp, "%s: ", cmd);
        return -1;
    }
    if (fmt.count > HMP_MEMORY_DUMP_MAX / fmt.size) {
        error_setg(errp, "%s: count %llu too large (at most %u bytes per dump)", cmd,
                   (unsigned long long)fmt.count, HMP_MEMORY_DUMP_MAX);
        return -1;
    }
    if (!physical && (!cpu || !cpu->cls || !cpu->cls->get_phys_addr)) {
        error_setg(errp, "x: no CPU that can translate virtual addresses");
        return -1;
    }
    if (fmt.format == 'i') {
        if (dump_instructions(out, &src, &fmt, addr, errp) < 0) {
            error_prepend(errp, "%s: ", cmd);
            return -1;
        }
        return 0;
    }
    if (fmt.format == 's') {
        dump_strings(out, &src, &fmt, addr);
    } else {
        dump_units(out, &src, &fmt, addr);
    }
    return 0;
}
