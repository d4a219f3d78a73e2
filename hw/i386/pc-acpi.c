/* ACPI tables of the pc machine, built here and handed to SeaBIOS through fw_cfg with
 * QEMU's table-loader protocol (etc/table-loader: ALLOCATE, ADD_POINTER, ADD_CHECKSUM;
 * files etc/acpi/rsdp and etc/acpi/tables), as in the ACPI 3.0 specification: RSDP rev 2,
 * RSDT and XSDT, FADT rev 3 (PIIX4 PM blocks at 0x600, SCI 9, reset register 0xcf9,
 * century 0x32, legacy devices and 8042 present), FACS, MADT (LAPICs, IOAPIC, IRQ0->GSI2
 * and level overrides for 5/9/10/11, LINT1 NMI), HPET when present, and the
 * DSDT of pc-dsdt.c (PCI root bridge, _PRT and interrupt links, ISA devices, \_S5).
 * SMBIOS is left to SeaBIOS's own builder. */
#include <stdlib.h>
#include <string.h>
#include "hw/acpi/aml.h"
#include "hw/acpi/piix4-pm.h"
#include "hw/i386/pc.h"
#include "hw/intc/apic.h"
#include "hw/intc/ioapic.h"
#include "util/cutils.h"

#define TABLES_FILE "etc/acpi/tables"
#define RSDP_FILE "etc/acpi/rsdp"
#define LOADER_FILE "etc/table-loader"

static uint64_t rd_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static void put_raw(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        p[i] = v >> (8 * i);
    }
}

/* ---- the loader script ------------------------------------------------------------------ */

enum { CMD_ALLOCATE = 1, CMD_ADD_POINTER = 2, CMD_ADD_CHECKSUM = 3 };

static void loader_name(AmlBuf *l, size_t at, const char *name)
{
    memcpy(l->data + at, name, strlen(name));
}

static void loader_allocate(AmlBuf *l, const char *file, uint32_t align, uint8_t zone)
{
    size_t at = aml_grow(l, 128);
    aml_put_le(l, at, CMD_ALLOCATE, 4);
    loader_name(l, at + 4, file);
    aml_put_le(l, at + 60, align, 4);
    aml_put_le(l, at + 64, zone, 1);
}

static void loader_pointer(AmlBuf *l, const char *dest, const char *src, uint32_t off, int size)
{
    size_t at = aml_grow(l, 128);
    aml_put_le(l, at, CMD_ADD_POINTER, 4);
    loader_name(l, at + 4, dest);
    loader_name(l, at + 60, src);
    aml_put_le(l, at + 116, off, 4);
    aml_put_le(l, at + 120, size, 1);
}

static void loader_checksum(AmlBuf *l, const char *file, uint32_t csum, uint32_t start, uint32_t len)
{
    size_t at = aml_grow(l, 128);
    aml_put_le(l, at, CMD_ADD_CHECKSUM, 4);
    loader_name(l, at + 4, file);
    aml_put_le(l, at + 60, csum, 4);
    aml_put_le(l, at + 64, start, 4);
    aml_put_le(l, at + 68, len, 4);
}

/* ---- tables -------------------------------------------------------------------------------- */

typedef struct Tables {
    AmlBuf t, loader;
    uint32_t facs, dsdt, fadt, madt, hpet, rsdt, xsdt;
} Tables;

/* Standard header; the length is patched by table_end. */
static uint32_t table_begin(AmlBuf *b, const char *sig, uint8_t rev)
{
    size_t at = aml_grow(b, 36);

    memcpy(b->data + at, sig, 4);
    b->data[at + 8] = rev;
    memcpy(b->data + at + 10, "MIMIC ", 6);
    memcpy(b->data + at + 16, "MIMICPC ", 8);
    aml_put_le(b, at + 24, 1, 4);
    memcpy(b->data + at + 28, "MIMI", 4);
    aml_put_le(b, at + 32, 1, 4);
    return at;
}

static void table_end(Tables *tb, uint32_t at)
{
    uint32_t len = tb->t.len - at;

    aml_put_le(&tb->t, at + 4, len, 4);
    loader_checksum(&tb->loader, TABLES_FILE, at + 9, at, len);
}

static void build_facs(Tables *tb)
{
    while (tb->t.len % 64) {
        aml_grow(&tb->t, 1);
    }
    tb->facs = aml_grow(&tb->t, 64);
    memcpy(tb->t.data + tb->facs, "FACS", 4);
    aml_put_le(&tb->t, tb->facs + 4, 64, 4);
    tb->t.data[tb->facs + 32] = 1;          /* version */
}

static void build_dsdt(Tables *tb, PCMachineState *pcms)
{
    tb->dsdt = table_begin(&tb->t, "DSDT", 2);
    pc_dsdt_build(&tb->t, pcms);
    table_end(tb, tb->dsdt);
}

/* Generic address structure: I/O space, width in bits, byte access. */
static void put_gas_io(AmlBuf *b, size_t at, uint32_t port, int bits)
{
    aml_put_le(b, at, 1, 1);
    aml_put_le(b, at + 1, bits, 1);
    aml_put_le(b, at + 3, bits >= 32 ? 3 : bits >= 16 ? 2 : 1, 1);
    aml_put_le(b, at + 4, port, 8);
}

static void build_fadt(Tables *tb)
{
    AmlBuf *b = &tb->t;
    uint32_t at = table_begin(b, "FACP", 3), pm = PIIX4_PM_BASE;

    tb->fadt = at;
    aml_grow(b, 244 - 36);
    aml_put_le(b, at + 46, 9, 2);                  /* SCI_INT */
    aml_put_le(b, at + 48, 0xb2, 4);               /* SMI_CMD */
    aml_put_le(b, at + 52, 0xf1, 1);
    aml_put_le(b, at + 53, 0xf0, 1);
    aml_put_le(b, at + 56, pm, 4);                 /* PM1a_EVT_BLK */
    aml_put_le(b, at + 64, pm + 4, 4);             /* PM1a_CNT_BLK */
    aml_put_le(b, at + 76, pm + 8, 4);             /* PM_TMR_BLK */
    aml_put_le(b, at + 80, pm + PIIX4_GPE0_OFFSET, 4);
    aml_put_le(b, at + 88, 4, 1);
    aml_put_le(b, at + 89, 2, 1);
    aml_put_le(b, at + 91, 4, 1);
    aml_put_le(b, at + 92, 4, 1);
    aml_put_le(b, at + 96, 0xfff, 2);              /* no C2 */
    aml_put_le(b, at + 98, 0xfff, 2);              /* no C3 */
    aml_put_le(b, at + 108, 0x32, 1);              /* CENTURY */
    aml_put_le(b, at + 109, 0x3, 2);               /* legacy devices, 8042 */
    aml_put_le(b, at + 112, 0x1 | 0x4 | 0x20 | 0x80 | 0x400, 4);  /* WBINVD C1 !SLPBTN RTC_S4 RESET */
    put_gas_io(b, at + 116, 0xcf9, 8);
    aml_put_le(b, at + 128, 0x06, 1);              /* RESET_VALUE */
    put_gas_io(b, at + 148, pm, 32);
    put_gas_io(b, at + 172, pm + 4, 16);
    put_gas_io(b, at + 208, pm + 8, 32);
    put_gas_io(b, at + 220, pm + PIIX4_GPE0_OFFSET, 32);
    aml_put_le(&tb->t, at + 36, tb->facs, 4);
    aml_put_le(&tb->t, at + 40, tb->dsdt, 4);
    loader_pointer(&tb->loader, TABLES_FILE, TABLES_FILE, at + 36, 4);
    loader_pointer(&tb->loader, TABLES_FILE, TABLES_FILE, at + 40, 4);
    table_end(tb, at);
}

static void madt_override(AmlBuf *b, uint8_t irq, uint32_t gsi, uint16_t flags)
{
    aml_le(b, 2, 1);
    aml_le(b, 10, 1);
    aml_le(b, 0, 1);                        /* ISA */
    aml_le(b, irq, 1);
    aml_le(b, gsi, 4);
    aml_le(b, flags, 2);
}

static void build_madt(Tables *tb, int nr_cpus)
{
    AmlBuf *b = &tb->t;
    uint32_t at = table_begin(b, "APIC", 1);
    static const uint8_t level_irqs[] = { 5, 9, 10, 11 };

    tb->madt = at;
    aml_le(b, APIC_DEFAULT_ADDRESS, 4);
    aml_le(b, 1, 4);                        /* PCAT_COMPAT: there is an 8259 pair */
    for (int i = 0; i < nr_cpus; i++) {
        aml_le(b, 0, 1);
        aml_le(b, 8, 1);
        aml_le(b, i, 1);                    /* processor UID */
        aml_le(b, i, 1);                    /* APIC ID */
        aml_le(b, 1, 4);                    /* enabled */
    }
    aml_le(b, 1, 1);
    aml_le(b, 12, 1);
    aml_le(b, 0, 2);                        /* IOAPIC ID 0 */
    aml_le(b, IOAPIC_DEFAULT_ADDRESS, 4);
    aml_le(b, 0, 4);                        /* GSI base */
    madt_override(b, 0, 2, 0);
    for (size_t i = 0; i < sizeof(level_irqs); i++) {
        madt_override(b, level_irqs[i], level_irqs[i], 0x000d);   /* active high, level */
    }
    aml_le(b, 4, 1);                        /* LAPIC NMI on LINT1 of every CPU */
    aml_le(b, 6, 1);
    aml_le(b, 0xff, 1);
    aml_le(b, 0, 2);
    aml_le(b, 1, 1);
    table_end(tb, at);
}

static void build_hpet(Tables *tb)
{
    AmlBuf *b = &tb->t;
    uint32_t at = table_begin(b, "HPET", 1);

    tb->hpet = at;
    aml_le(b, 0x8086a201, 4);               /* event timer block ID */
    aml_le(b, 0, 1);                        /* GAS: system memory */
    aml_le(b, 0, 1);
    aml_le(b, 0, 1);
    aml_le(b, 0, 1);
    aml_le(b, HPET_BASE, 8);
    aml_le(b, 0, 1);                        /* HPET number */
    aml_le(b, 0x80, 2);                     /* minimum tick */
    aml_le(b, 0, 1);
    table_end(tb, at);
}

static void build_rsdt_xsdt(Tables *tb)
{
    uint32_t tables[3] = { tb->fadt, tb->madt, tb->hpet };
    int n = tb->hpet ? 3 : 2;

    tb->rsdt = table_begin(&tb->t, "RSDT", 1);
    for (int i = 0; i < n; i++) {
        uint32_t off = tb->t.len;
        aml_le(&tb->t, tables[i], 4);
        loader_pointer(&tb->loader, TABLES_FILE, TABLES_FILE, off, 4);
    }
    table_end(tb, tb->rsdt);
    tb->xsdt = table_begin(&tb->t, "XSDT", 1);
    for (int i = 0; i < n; i++) {
        uint32_t off = tb->t.len;
        aml_le(&tb->t, tables[i], 8);
        loader_pointer(&tb->loader, TABLES_FILE, TABLES_FILE, off, 8);
    }
    table_end(tb, tb->xsdt);
}

static void build_rsdp(Tables *tb, AmlBuf *rsdp)
{
    aml_grow(rsdp, 36);
    memcpy(rsdp->data, "RSD PTR ", 8);
    memcpy(rsdp->data + 9, "MIMIC ", 6);
    rsdp->data[15] = 2;
    aml_put_le(rsdp, 16, tb->rsdt, 4);
    aml_put_le(rsdp, 20, 36, 4);
    aml_put_le(rsdp, 24, tb->xsdt, 8);
    loader_pointer(&tb->loader, RSDP_FILE, TABLES_FILE, 16, 4);
    loader_pointer(&tb->loader, RSDP_FILE, TABLES_FILE, 24, 8);
    loader_checksum(&tb->loader, RSDP_FILE, 8, 0, 20);
    loader_checksum(&tb->loader, RSDP_FILE, 32, 0, 36);
}

int pc_acpi_setup(PCMachineState *pcms, bool with_hpet, Error **errp)
{
    Tables tb = { 0 };
    AmlBuf rsdp = { 0 };

    loader_allocate(&tb.loader, RSDP_FILE, 16, 2);      /* F segment */
    loader_allocate(&tb.loader, TABLES_FILE, 64, 1);    /* high memory */
    build_facs(&tb);
    build_dsdt(&tb, pcms);
    build_fadt(&tb);
    build_madt(&tb, pcms->machine->config.smp_cpus);
    if (with_hpet) {
        build_hpet(&tb);
    }
    build_rsdt_xsdt(&tb);
    build_rsdp(&tb, &rsdp);
    fw_cfg_add_file(pcms->fw_cfg, RSDP_FILE, rsdp.data, rsdp.len);
    fw_cfg_add_file(pcms->fw_cfg, TABLES_FILE, tb.t.data, tb.t.len);
    fw_cfg_add_file(pcms->fw_cfg, LOADER_FILE, tb.loader.data, tb.loader.len);
    aml_free(&rsdp);
    aml_free(&tb.t);
    aml_free(&tb.loader);
    return 0;
}

/* ---- direct boot: run the loader script ourselves ---------------------------------------- */

typedef struct Placed {
    const char *name;
    uint8_t *data;
    uint32_t len;
    uint64_t addr;
} Placed;

static Placed *placed_find(Placed *p, int n, const uint8_t *name)
{
    for (int i = 0; i < n; i++) {
        if (!strncmp(p[i].name, (const char *)name, 56)) {
            return &p[i];
        }
    }
    return NULL;
}

static void run_pointer(Placed *p, int n, const uint8_t *cmd)
{
    Placed *dst = placed_find(p, n, cmd + 4), *src = placed_find(p, n, cmd + 60);
    uint32_t off = rd_le(cmd + 116, 4);
    int size = cmd[120];

    if (dst && src && size <= 8 && off + size <= dst->len) {
        uint64_t v = rd_le(dst->data + off, size) + src->addr;
        put_raw(dst->data + off, v, size);
    }
}

static void run_checksum(Placed *p, int n, const uint8_t *cmd)
{
    Placed *f = placed_find(p, n, cmd + 4);
    uint32_t at = rd_le(cmd + 60, 4), start = rd_le(cmd + 64, 4), len = rd_le(cmd + 68, 4);
    uint8_t sum = 0;

    if (!f || at >= f->len || start > f->len || len > f->len - start) {
        return;
    }
    for (uint32_t i = 0; i < len; i++) {
        sum += f->data[start + i];
    }
    f->data[at] -= sum;
}

int pc_acpi_install(PCMachineState *pcms, PCBoot *b, Error **errp)
{
    static const char *const names[2] = { RSDP_FILE, TABLES_FILE };
    const FWCfgEntry *loader = fw_cfg_find_file(pcms->fw_cfg, LOADER_FILE);
    Placed p[2];
    uint64_t next = b->acpi_base;
    int ret = 0;

    if (!loader) {
        return 0;
    }
    for (int i = 0; i < 2; i++) {
        const FWCfgEntry *e = fw_cfg_find_file(pcms->fw_cfg, names[i]);
        p[i] = (Placed){ names[i], xmalloc(e->len), e->len, ROUND_UP(next, 64) };
        memcpy(p[i].data, e->data, e->len);
        next = p[i].addr + e->len;
    }
    if (next > b->acpi_base + b->acpi_size) {
        error_setg(errp, "the ACPI tables do not fit in their %llu KiB",
                   (unsigned long long)b->acpi_size >> 10);
        ret = -1;
    }
    for (uint32_t off = 0; !ret && off + 128 <= loader->len; off += 128) {
        const uint8_t *cmd = loader->data + off;
        if (rd_le(cmd, 4) == CMD_ADD_POINTER) {
            run_pointer(p, 2, cmd);
        } else if (rd_le(cmd, 4) == CMD_ADD_CHECKSUM) {
            run_checksum(p, 2, cmd);
        }
    }
    for (int i = 0; !ret && i < 2; i++) {
        ret = pc_boot_add_blob(b, p[i].addr, p[i].data, p[i].len, errp);
    }
    b->rsdp = p[0].addr;
    memcpy(b->rsdp_bytes, p[0].data, MIN(p[0].len, sizeof(b->rsdp_bytes)));
    free(p[0].data);
    free(p[1].data);
    return ret;
}
