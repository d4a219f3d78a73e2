/* The pc machine's DSDT (ACPI 6.4 chapters 5-6, 19; PCI Firmware 3.0 for the root
 * bridge): \_SB.PCI0 (PNP0A03) with its bus, I/O and memory windows and the _PRT routing
 * every slot's INTA-D through the PIIX3 swizzle ((pin + slot - 1) & 3) to the interrupt
 * link devices LNKA-LNKD (PNP0C0F), which read and program the PIIX3 PIRQ route
 * registers 0x60-0x63 through a PCI_Config region (_STA/_CRS/_PRS/_SRS/_DIS, IRQs 5, 10,
 * 11 level shared); 00:01.x's INTA is LNKS, the PIIX4 PM's fixed SCI (IRQ 9). Under the
 * PIIX3 (\_SB.PCI0.ISA) the ISA devices with their ports and IRQs: PIC, PIT, RTC,
 * keyboard and mouse, the present COM ports, the speaker, and the HPET; \_S5 for soft
 * off. The power button is the FADT's fixed-feature button (no device object). */
#include <string.h>
#include "hw/acpi/aml.h"
#include "hw/i386/pc.h"

#define PCI_HOLE_END 0xfebfffffu    /* below the IOAPIC */

static void name_res(AmlBuf *b, const char *name, AmlBuf *res)
{
    aml_res_end(res);
    aml_name_buffer(b, name, res);
    aml_free(res);
}

/* Device(NAME) { _HID EisaId(hid), [_UID uid], _CRS } with the resources in res. */
static void isa_device(AmlBuf *b, const char *name, const char *hid, int uid, AmlBuf *res)
{
    size_t dev = aml_device_open(b, name);

    aml_name_eisaid(b, "_HID", hid);
    if (uid >= 0) {
        aml_name_int(b, "_UID", uid);
    }
    name_res(b, "_CRS", res);
    aml_close(b, dev);
}

static void isa_device_io_irq(AmlBuf *b, const char *name, const char *hid, int uid,
                              uint16_t port, uint8_t len, int irq)
{
    AmlBuf r = { 0 };

    aml_res_io(&r, port, 1, len);
    if (irq >= 0) {
        aml_res_irq_noflags(&r, 1u << irq);
    }
    isa_device(b, name, hid, uid, &r);
}

static void build_isa_devices(AmlBuf *b, PCMachineState *pcms)
{
    static const uint16_t com_port[PC_MAX_SERIAL] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
    static const uint8_t com_irq[PC_MAX_SERIAL] = { 4, 3, 4, 3 };
    AmlBuf r = { 0 };

    aml_res_io(&r, 0x20, 1, 2);
    aml_res_io(&r, 0xa0, 1, 2);
    aml_res_irq_noflags(&r, 1u << 2);
    isa_device(b, "PIC", "PNP0000", -1, &r);
    isa_device_io_irq(b, "TMR", "PNP0100", -1, 0x40, 4, 0);
    isa_device_io_irq(b, "RTC", "PNP0B00", -1, 0x70, 2, 8);
    isa_device_io_irq(b, "SPKR", "PNP0800", -1, 0x61, 1, -1);
    aml_res_io(&r, 0x60, 1, 1);
    aml_res_io(&r, 0x64, 1, 1);
    aml_res_irq_noflags(&r, 1u << 1);
    isa_device(b, "KBD", "PNP0303", -1, &r);
    aml_res_irq_noflags(&r, 1u << 12);
    isa_device(b, "MOU", "PNP0F13", -1, &r);
    for (int i = 0; i < PC_MAX_SERIAL; i++) {
        if (pcms->serial[i]) {
            char name[5] = "COM1";
            name[3] = '1' + i;
            isa_device_io_irq(b, name, "PNP0501", i + 1, com_port[i], 8, com_irq[i]);
        }
    }
    if (pcms->hpet) {
        aml_res_memory32_fixed(&r, HPET_BASE, 0x400);
        isa_device(b, "HPET", "PNP0103", 0, &r);
    }
}

/* Device(ISA) at 00:01.0, with the PIRQ route registers as fields PRQ0-PRQ3. */
static void build_isa_bridge(AmlBuf *b, PCMachineState *pcms)
{
    static const char *const prq[4] = { "PRQ0", "PRQ1", "PRQ2", "PRQ3" };
    size_t dev = aml_device_open(b, "ISA");

    aml_name_int(b, "_ADR", 0x00010000);
    aml_op_region(b, "PIRQ", AML_SPACE_PCI_CONFIG, 0x60, 4);
    aml_byte_fields(b, "PIRQ", prq, 4);
    build_isa_devices(b, pcms);
    aml_close(b, dev);
}

/* _PRT: Package { Package { slot << 16 | 0xffff, pin, link, 0 } ... } for 32 slots. */
static void build_prt(AmlBuf *b)
{
    static const char *const links[4] = { "\\_SB.LNKA", "\\_SB.LNKB", "\\_SB.LNKC", "\\_SB.LNKD" };

    aml_op(b, 0x08);                    /* Name */
    aml_name(b, "_PRT");
    size_t pkg = aml_package_open(b, 128);
    for (int slot = 0; slot < 32; slot++) {
        for (int pin = 0; pin < 4; pin++) {
            size_t e = aml_package_open(b, 4);
            aml_int(b, (uint32_t)slot << 16 | 0xffff);
            aml_int(b, pin);
            aml_name(b, slot == 1 && pin == 0 ? "\\_SB.LNKS" : links[(pin + slot - 1) & 3]);
            aml_int(b, 0);
            aml_close(b, e);
        }
    }
    aml_close(b, pkg);
}

static void build_pci_crs(AmlBuf *b, PCMachineState *pcms)
{
    AmlBuf r = { 0 };
    uint32_t hole = pcms->below_4g >= PCI_HOLE_END ? 0xe0000000u : (uint32_t)pcms->below_4g;

    aml_res_word_bus(&r, 0, 0xff);
    aml_res_io(&r, 0xcf8, 1, 8);
    aml_res_word_io(&r, 0x0000, 0x0cf7);
    aml_res_word_io(&r, 0x0d00, 0xffff);
    aml_res_dword_memory(&r, 0xa0000, 0xbffff, false);
    aml_res_dword_memory(&r, hole, PCI_HOLE_END, true);
    name_res(b, "_CRS", &r);
}

static void build_pci0(AmlBuf *b, PCMachineState *pcms)
{
    size_t dev = aml_device_open(b, "PCI0");

    aml_name_eisaid(b, "_HID", "PNP0A03");
    aml_name_int(b, "_UID", 0);
    build_pci_crs(b, pcms);
    build_prt(b);
    build_isa_bridge(b, pcms);
    aml_close(b, dev);
}

/* ---- interrupt links ------------------------------------------------------------------- */

/* Method(_STA) { If (And (PRQn, 0x80)) { Return (0x09) } Else { Return (0x0B) } } */
static void link_sta(AmlBuf *b, const char *prq)
{
    size_t m = aml_method_open(b, "_STA", 0, false), c;

    c = aml_if_open(b);
    aml_op(b, AML_OP_AND);
    aml_name(b, prq);
    aml_int(b, 0x80);
    aml_op(b, AML_NULL_NAME);
    aml_op(b, AML_OP_RETURN);
    aml_int(b, 0x09);                   /* present, functioning, disabled */
    aml_close(b, c);
    c = aml_else_open(b);
    aml_op(b, AML_OP_RETURN);
    aml_int(b, 0x0b);                   /* and enabled */
    aml_close(b, c);
    aml_close(b, m);
}

/* Method(_CRS) { Name(PRR0, <Interrupt {0}>) CreateDWordField(PRR0, 5, PRRI)
 *   If (LLess(PRQn, 0x80)) { Store(PRQn, PRRI) } Return (PRR0) } */
static void link_crs(AmlBuf *b, const char *prq)
{
    static const uint32_t none[1] = { 0 };
    size_t m = aml_method_open(b, "_CRS", 0, true), c;
    AmlBuf r = { 0 };

    aml_res_interrupt_level_shared(&r, none, 1);
    name_res(b, "PRR0", &r);
    aml_op(b, AML_OP_CREATE_DWORD_FIELD);
    aml_name(b, "PRR0");
    aml_int(b, 5);
    aml_name(b, "PRRI");
    c = aml_if_open(b);
    aml_op(b, AML_OP_LLESS);
    aml_name(b, prq);
    aml_int(b, 0x80);
    aml_op(b, AML_OP_STORE);
    aml_name(b, prq);
    aml_name(b, "PRRI");
    aml_close(b, c);
    aml_op(b, AML_OP_RETURN);
    aml_name(b, "PRR0");
    aml_close(b, m);
}

/* Method(_SRS, 1) { CreateDWordField(Arg0, 5, PRRI) Store(PRRI, PRQn) }
 * Method(_DIS) { Or(PRQn, 0x80, PRQn) } */
static void link_srs_dis(AmlBuf *b, const char *prq)
{
    size_t m = aml_method_open(b, "_SRS", 1, true);

    aml_op(b, AML_OP_CREATE_DWORD_FIELD);
    aml_op(b, AML_ARG0);
    aml_int(b, 5);
    aml_name(b, "PRRI");
    aml_op(b, AML_OP_STORE);
    aml_name(b, "PRRI");
    aml_name(b, prq);
    aml_close(b, m);
    m = aml_method_open(b, "_DIS", 0, false);
    aml_op(b, AML_OP_OR);
    aml_name(b, prq);
    aml_int(b, 0x80);
    aml_name(b, prq);
    aml_close(b, m);
}

static void link_common(AmlBuf *b, int uid, const uint32_t *irqs, int n)
{
    AmlBuf r = { 0 };

    aml_name_eisaid(b, "_HID", "PNP0C0F");
    aml_name_int(b, "_UID", uid);
    aml_res_interrupt_level_shared(&r, irqs, n);
    name_res(b, "_PRS", &r);
}

static void build_link(AmlBuf *b, int n)
{
    static const uint32_t irqs[3] = { 5, 10, 11 };
    char name[5] = "LNKA", prq[] = "\\_SB.PCI0.ISA.PRQ0";
    size_t dev;

    name[3] = 'A' + n;
    prq[strlen(prq) - 1] = '0' + n;
    dev = aml_device_open(b, name);
    link_common(b, n, irqs, 3);
    link_sta(b, prq);
    link_crs(b, prq);
    link_srs_dis(b, prq);
    aml_close(b, dev);
}

/* LNKS: the SCI, fixed at IRQ 9: always enabled, _SRS/_DIS accept and change nothing. */
static void build_link_sci(AmlBuf *b)
{
    static const uint32_t sci[1] = { 9 };
    size_t dev = aml_device_open(b, "LNKS"), m;

    link_common(b, 4, sci, 1);
    aml_name_int(b, "_STA", 0x0b);
    m = aml_method_open(b, "_CRS", 0, false);
    aml_op(b, AML_OP_RETURN);
    aml_name(b, "_PRS");
    aml_close(b, m);
    aml_close(b, aml_method_open(b, "_SRS", 1, false));
    aml_close(b, aml_method_open(b, "_DIS", 0, false));
    aml_close(b, dev);
}

/* The DSDT's definition block (after the table header). */
void pc_dsdt_build(AmlBuf *b, PCMachineState *pcms)
{
    size_t sb = aml_scope_open(b, "\\_SB");

    build_pci0(b, pcms);
    for (int i = 0; i < 4; i++) {
        build_link(b, i);
    }
    build_link_sci(b);
    aml_close(b, sb);
    aml_op(b, 0x08);                    /* Name(\_S5, Package (4) { 0, 0, 0, 0 }): SLP_TYP 0 */
    aml_name(b, "\\_S5");
    size_t pkg = aml_package_open(b, 4);
    for (int i = 0; i < 4; i++) {
        aml_int(b, 0);
    }
    aml_close(b, pkg);
}
