/* AML encoder (ACPI 6.4 chapter 20 "ACPI Machine Language Specification" for the terms,
 * 6.4 "Resource Data Types for ACPI" for the descriptors); see include/hw/acpi/aml.h. */
#include <stdlib.h>
#include <string.h>
#include "hw/acpi/aml.h"
#include "util/cutils.h"

enum {
    OP_ZERO = 0x00, OP_ONE = 0x01, OP_NAME = 0x08, OP_BYTE = 0x0a, OP_WORD = 0x0b,
    OP_DWORD = 0x0c, OP_STRING = 0x0d, OP_QWORD = 0x0e, OP_SCOPE = 0x10, OP_BUFFER = 0x11,
    OP_PACKAGE = 0x12, OP_METHOD = 0x14, OP_DUAL_NAME = 0x2e, OP_MULTI_NAME = 0x2f,
    OP_EXT = 0x5b, OP_ROOT = 0x5c, OP_PARENT = 0x5e, OP_IF = 0xa0, OP_ELSE = 0xa1,
    OP_ONES = 0xff, EXT_REGION = 0x80, EXT_FIELD = 0x81, EXT_DEVICE = 0x82,
};

/* ---- the byte buffer ------------------------------------------------------------------- */

size_t aml_grow(AmlBuf *b, size_t n)
{
    size_t at = b->len;

    if (b->len + n > b->cap) {
        b->cap = MAX(b->cap * 2, b->len + n + 256);
        b->data = xrealloc(b->data, b->cap);
    }
    memset(b->data + at, 0, n);
    b->len += n;
    return at;
}

void aml_put_le(AmlBuf *b, size_t at, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        b->data[at + i] = v >> (8 * i);
    }
}

void aml_le(AmlBuf *b, uint64_t v, int n)
{
    aml_put_le(b, aml_grow(b, n), v, n);
}

void aml_bytes(AmlBuf *b, const void *p, size_t n)
{
    if (n) {
        memcpy(b->data + aml_grow(b, n), p, n);
    }
}

void aml_op(AmlBuf *b, uint8_t op)
{
    aml_le(b, op, 1);
}

void aml_free(AmlBuf *b)
{
    free(b->data);
    *b = (AmlBuf){ 0 };
}

/* ---- PkgLength (20.2.4): inserted in front of the body when the object closes --------- */

void aml_close(AmlBuf *b, size_t mark)
{
    size_t body = b->len - mark;
    int n = body + 1 < 0x40 ? 1 : body + 2 < 0x1000 ? 2 : body + 3 < 0x100000 ? 3 : 4;
    size_t v = body + n;
    uint8_t enc[4];

    if (n == 1) {
        enc[0] = v;
    } else {
        enc[0] = ((n - 1) << 6) | (v & 0x0f);
        for (int i = 1; i < n; i++) {
            enc[i] = v >> (4 + 8 * (i - 1));
        }
    }
    aml_grow(b, n);
    memmove(b->data + mark + n, b->data + mark, body);
    memcpy(b->data + mark, enc, n);
}

/* ---- names ------------------------------------------------------------------------------- */

static void aml_name_seg(AmlBuf *b, const char *seg, size_t len)
{
    size_t at = aml_grow(b, 4);

    for (size_t i = 0; i < 4; i++) {
        b->data[at + i] = i < len ? (uint8_t)seg[i] : '_';
    }
}

void aml_name(AmlBuf *b, const char *path)
{
    int nsegs = 1;

    if (*path == '\\') {
        aml_op(b, OP_ROOT);
        path++;
    }
    while (*path == '^') {
        aml_op(b, OP_PARENT);
        path++;
    }
    for (const char *p = path; *p; p++) {
        nsegs += *p == '.';
    }
    if (nsegs == 2) {
        aml_op(b, OP_DUAL_NAME);
    } else if (nsegs > 2) {
        aml_op(b, OP_MULTI_NAME);
        aml_op(b, nsegs);
    }
    while (nsegs--) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        aml_name_seg(b, path, MIN(len, 4));
        path += len + (dot != NULL);
    }
}

/* ---- data ------------------------------------------------------------------------------------ */

void aml_int(AmlBuf *b, uint64_t v)
{
    if (v <= 1) {
        aml_op(b, v ? OP_ONE : OP_ZERO);
    } else if (v == UINT64_MAX) {
        aml_op(b, OP_ONES);
    } else {
        int n = v <= 0xff ? 1 : v <= 0xffff ? 2 : v <= 0xffffffffu ? 4 : 8;
        aml_op(b, n == 1 ? OP_BYTE : n == 2 ? OP_WORD : n == 4 ? OP_DWORD : OP_QWORD);
        aml_le(b, v, n);
    }
}

void aml_string(AmlBuf *b, const char *s)
{
    aml_op(b, OP_STRING);
    aml_bytes(b, s, strlen(s) + 1);
}

/* Three letters of 5 bits each ('A' = 1) and four hex digits, stored big-endian. */
uint32_t aml_eisaid_value(const char *id)
{
    uint32_t v = ((uint32_t)(id[0] - '@') & 0x1f) << 26 | ((uint32_t)(id[1] - '@') & 0x1f) << 21 |
                 ((uint32_t)(id[2] - '@') & 0x1f) << 16 | (uint32_t)strtoul(id + 3, NULL, 16);
    return __builtin_bswap32(v);
}

void aml_name_int(AmlBuf *b, const char *name, uint64_t v)
{
    aml_op(b, OP_NAME);
    aml_name(b, name);
    aml_int(b, v);
}

void aml_name_eisaid(AmlBuf *b, const char *name, const char *id)
{
    aml_op(b, OP_NAME);
    aml_name(b, name);
    aml_op(b, OP_DWORD);
    aml_le(b, aml_eisaid_value(id), 4);
}

void aml_name_string(AmlBuf *b, const char *name, const char *s)
{
    aml_op(b, OP_NAME);
    aml_name(b, name);
    aml_string(b, s);
}

void aml_buffer(AmlBuf *b, const AmlBuf *res)
{
    aml_op(b, OP_BUFFER);
    size_t mark = b->len;
    aml_int(b, res->len);
    aml_bytes(b, res->data, res->len);
    aml_close(b, mark);
}

void aml_name_buffer(AmlBuf *b, const char *name, const AmlBuf *res)
{
    aml_op(b, OP_NAME);
    aml_name(b, name);
    aml_buffer(b, res);
}

/* ---- objects with a PkgLength ----------------------------------------------------------------- */

static size_t aml_open_named(AmlBuf *b, const uint8_t *op, int oplen, const char *path)
{
    aml_bytes(b, op, oplen);
    size_t mark = b->len;
    aml_name(b, path);
    return mark;
}

size_t aml_scope_open(AmlBuf *b, const char *path)
{
    static const uint8_t op[] = { OP_SCOPE };
    return aml_open_named(b, op, 1, path);
}

size_t aml_device_open(AmlBuf *b, const char *path)
{
    static const uint8_t op[] = { OP_EXT, EXT_DEVICE };
    return aml_open_named(b, op, 2, path);
}

size_t aml_method_open(AmlBuf *b, const char *name, int nargs, bool serialized)
{
    static const uint8_t op[] = { OP_METHOD };
    size_t mark = aml_open_named(b, op, 1, name);
    aml_op(b, (nargs & 7) | (serialized ? 0x08 : 0));
    return mark;
}

size_t aml_package_open(AmlBuf *b, int nelems)
{
    aml_op(b, OP_PACKAGE);
    size_t mark = b->len;
    aml_op(b, nelems);
    return mark;
}

size_t aml_if_open(AmlBuf *b)
{
    aml_op(b, OP_IF);
    return b->len;
}

size_t aml_else_open(AmlBuf *b)
{
    aml_op(b, OP_ELSE);
    return b->len;
}

/* ---- operation regions and fields (20.2.5.2) ------------------------------------------------ */

void aml_op_region(AmlBuf *b, const char *name, int space, uint32_t offset, uint32_t len)
{
    aml_op(b, OP_EXT);
    aml_op(b, EXT_REGION);
    aml_name(b, name);
    aml_op(b, space);
    aml_int(b, offset);
    aml_int(b, len);
}

void aml_byte_fields(AmlBuf *b, const char *region, const char *const *names, int n)
{
    static const uint8_t op[] = { OP_EXT, EXT_FIELD };
    size_t mark = aml_open_named(b, op, 2, region);

    aml_op(b, 0x01);                    /* ByteAcc, NoLock, Preserve */
    for (int i = 0; i < n; i++) {
        aml_name_seg(b, names[i], MIN(strlen(names[i]), 4));
        aml_op(b, 8);                   /* PkgLength: 8 bits */
    }
    aml_close(b, mark);
}

/* ---- resource descriptors (6.4.2 small, 6.4.3 large) ------------------------------------------ */

void aml_res_io(AmlBuf *r, uint16_t base, uint8_t align, uint8_t len)
{
    aml_op(r, 0x47);
    aml_op(r, 0x01);                    /* 16-bit decode */
    aml_le(r, base, 2);
    aml_le(r, base, 2);
    aml_op(r, align);
    aml_op(r, len);
}

void aml_res_irq_noflags(AmlBuf *r, uint16_t mask)
{
    aml_op(r, 0x22);
    aml_le(r, mask, 2);
}

void aml_res_interrupt_level_shared(AmlBuf *r, const uint32_t *irqs, int n)
{
    aml_op(r, 0x89);
    aml_le(r, 2 + 4 * n, 2);
    aml_op(r, 0x09);                    /* consumer, level, active high, shared */
    aml_op(r, n);
    for (int i = 0; i < n; i++) {
        aml_le(r, irqs[i], 4);
    }
}

/* Word/DWord address space: producer, positive decode, min and max fixed. */
static void aml_res_addr(AmlBuf *r, uint8_t tag, int size, uint8_t type, uint8_t tflags,
                         uint64_t min, uint64_t max)
{
    aml_op(r, tag);
    aml_le(r, 3 + 5 * size, 2);
    aml_op(r, type);
    aml_op(r, 0x0c);
    aml_op(r, tflags);
    aml_le(r, 0, size);                 /* granularity */
    aml_le(r, min, size);
    aml_le(r, max, size);
    aml_le(r, 0, size);                 /* translation */
    aml_le(r, max - min + 1, size);
}

void aml_res_word_bus(AmlBuf *r, uint16_t min, uint16_t max)
{
    aml_res_addr(r, 0x88, 2, 2, 0, min, max);
}

void aml_res_word_io(AmlBuf *r, uint16_t min, uint16_t max)
{
    aml_res_addr(r, 0x88, 2, 1, 0x03, min, max);    /* ISA and non-ISA ranges */
}

void aml_res_dword_memory(AmlBuf *r, uint32_t min, uint32_t max, bool cacheable)
{
    aml_res_addr(r, 0x87, 4, 0, cacheable ? 0x03 : 0x01, min, max);   /* read-write */
}

void aml_res_memory32_fixed(AmlBuf *r, uint32_t base, uint32_t len)
{
    aml_op(r, 0x86);
    aml_le(r, 9, 2);
    aml_op(r, 0x01);                    /* read-write */
    aml_le(r, base, 4);
    aml_le(r, len, 4);
}

void aml_res_end(AmlBuf *r)
{
    aml_op(r, 0x79);
    aml_op(r, 0x00);                    /* checksum 0: "treated as valid" */
}
