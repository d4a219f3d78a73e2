/* A small AML (ACPI Machine Language) encoder, ACPI 6.4 chapter 20: the terms a board's
 * DSDT needs (scopes, devices, names, packages, buffers, methods with If/Else, Store,
 * And/Or, LLess, Return, CreateDWordField, operation regions and fields) and the
 * resource descriptors of chapter 6.4 (I/O ports, IRQs, extended interrupts, word and
 * dword address spaces, fixed memory). Objects with a PkgLength are opened with
 * aml_*_open, which returns a mark, and closed with aml_close(mark). */
#ifndef HW_ACPI_AML_H
#define HW_ACPI_AML_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef struct AmlBuf {
    uint8_t *data;
    size_t len, cap;
} AmlBuf;

/* Appends n zero bytes; returns their offset. */
size_t aml_grow(AmlBuf *b, size_t n);
void aml_le(AmlBuf *b, uint64_t v, int n);                 /* n-byte little endian */
void aml_put_le(AmlBuf *b, size_t at, uint64_t v, int n);  /* overwrite in place */
void aml_bytes(AmlBuf *b, const void *p, size_t n);
void aml_free(AmlBuf *b);

/* ---- data and names ---- */
/* A name path: "\\_SB.PCI0.ISA", "PRQ0", "^LNKA"; segments shorter than 4 are padded
 * with '_'. */
void aml_name(AmlBuf *b, const char *path);
void aml_int(AmlBuf *b, uint64_t v);            /* Zero/One/Ones or the smallest prefix */
void aml_string(AmlBuf *b, const char *s);
/* EisaId("PNP0A03"): the 32-bit compressed form. */
uint32_t aml_eisaid_value(const char *id);
/* Name(NAME, int) / Name(NAME, EisaId(id)) / Name(NAME, "string"). */
void aml_name_int(AmlBuf *b, const char *name, uint64_t v);
void aml_name_eisaid(AmlBuf *b, const char *name, const char *id);
void aml_name_string(AmlBuf *b, const char *name, const char *s);
/* Name(NAME, Buffer) of the bytes in res (a resource template: aml_res_end added). */
void aml_name_buffer(AmlBuf *b, const char *name, const AmlBuf *res);
void aml_buffer(AmlBuf *b, const AmlBuf *res);

/* ---- objects with a length: open, fill, aml_close ---- */
size_t aml_scope_open(AmlBuf *b, const char *path);
size_t aml_device_open(AmlBuf *b, const char *path);
/* Serialized methods may create named objects (CreateDWordField, Name). */
size_t aml_method_open(AmlBuf *b, const char *name, int nargs, bool serialized);
size_t aml_package_open(AmlBuf *b, int nelems);
size_t aml_if_open(AmlBuf *b);                  /* the predicate follows */
size_t aml_else_open(AmlBuf *b);
void aml_close(AmlBuf *b, size_t mark);

/* ---- operators (operands follow as terms) ---- */
enum {
    AML_ARG0 = 0x68, AML_LOCAL0 = 0x60,
    AML_OP_STORE = 0x70, AML_OP_AND = 0x7b, AML_OP_OR = 0x7d, AML_OP_LLESS = 0x95,
    AML_OP_RETURN = 0xa4, AML_OP_CREATE_DWORD_FIELD = 0x8a, AML_NULL_NAME = 0x00,
};
void aml_op(AmlBuf *b, uint8_t op);

/* OperationRegion(NAME, space, offset, len) and a Field of byte-wide named fields
 * (ByteAcc, NoLock, Preserve), names[i] 8 bits each. */
enum { AML_SPACE_SYSTEM_IO = 1, AML_SPACE_PCI_CONFIG = 2 };
void aml_op_region(AmlBuf *b, const char *name, int space, uint32_t offset, uint32_t len);
void aml_byte_fields(AmlBuf *b, const char *region, const char *const *names, int n);

/* ---- resource descriptors (into a template buffer) ---- */
void aml_res_io(AmlBuf *r, uint16_t base, uint8_t align, uint8_t len);
void aml_res_irq_noflags(AmlBuf *r, uint16_t mask);
/* Interrupt(ResourceConsumer, Level, ActiveHigh, Shared) { irqs } */
void aml_res_interrupt_level_shared(AmlBuf *r, const uint32_t *irqs, int n);
void aml_res_word_bus(AmlBuf *r, uint16_t min, uint16_t max);
void aml_res_word_io(AmlBuf *r, uint16_t min, uint16_t max);
void aml_res_dword_memory(AmlBuf *r, uint32_t min, uint32_t max, bool cacheable);
void aml_res_memory32_fixed(AmlBuf *r, uint32_t base, uint32_t len);
void aml_res_end(AmlBuf *r);

#endif
