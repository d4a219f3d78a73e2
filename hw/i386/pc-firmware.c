/* Firmware for the pc machine: the BIOS image (SeaBIOS's bios-256k.bin from Debian's
 * seabios package by default, -bios FILE, looked up in -L directories) at the top of
 * 4 GiB with its last 128 KiB aliased below 1 MiB, the fw_cfg items SeaBIOS reads
 * (etc/e820, CPU counts, boot order, etc/sercon-port), and the CMOS fields of the PC/AT. */
#include <stdlib.h>
#include <string.h>
#include "hw/i386/pc.h"
#include "hw/loader.h"
#include "system/boot-options.h"
#include "util/cutils.h"

#define DEFAULT_BIOS "bios-256k.bin"
#define E820_RAM 1

int pc_load_bios(PCMachineState *pcms, const char *bios, Error **errp)
{
    const char *name = bios ? bios : DEFAULT_BIOS;
    char *path = firmware_find(name);
    uint64_t isa_size;
    uint8_t *data;
    size_t len;

    if (!path) {
        error_setg(errp, "could not find the PC BIOS '%s' (install Debian's seabios package, "
                   "or give -bios FILE or -L DIR)", name);
        return -1;
    }
    data = load_file(path, PC_BIOS_MAX, &len, errp);
    if (!data) {
        free(path);
        return -1;
    }
    if (len == 0 || len % 65536) {
        error_setg(errp, "could not load PC BIOS '%s': %zu bytes is not a multiple of 64 KiB",
                   path, len);
        free(data);
        free(path);
        return -1;
    }
    free(path);
    memory_region_init_rom(&pcms->bios, "pc.bios", len);
    memcpy(memory_region_get_ram_ptr(&pcms->bios), data, len);
    free(data);
    memory_region_add_subregion(pcms->machine->system_memory, (1ull << 32) - len, &pcms->bios, 0);
    isa_size = MIN(len, 128 * 1024);
    memory_region_init_alias(&pcms->isa_bios, "isa-bios", &pcms->bios, len - isa_size, isa_size);
    memory_region_add_subregion(&pcms->pci_mem, 0x100000 - isa_size, &pcms->isa_bios, 1);
    return 0;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        p[i] = v >> (8 * i);
    }
}

/* etc/e820: {u64 address, u64 length, u32 type} entries, little-endian. */
static void pc_fw_cfg_e820(PCMachineState *pcms)
{
    uint8_t table[2 * 20];
    int n = 0;

    put_le(table, 0, 8);
    put_le(table + 8, pcms->below_4g, 8);
    put_le(table + 16, E820_RAM, 4);
    n++;
    if (pcms->above_4g) {
        put_le(table + 20, 1ull << 32, 8);
        put_le(table + 28, pcms->above_4g, 8);
        put_le(table + 36, E820_RAM, 4);
        n++;
    }
    fw_cfg_add_file(pcms->fw_cfg, "etc/e820", table, 20 * n);
}

/* fw_cfg "bootorder" from the devices' bootindex= (rewritten as devices are added). */
static void pc_fw_cfg_bootorder(void *opaque)
{
    PCMachineState *pcms = opaque;
    char *list = boot_device_list();

    if (list) {
        fw_cfg_add_file(pcms->fw_cfg, "bootorder", list, strlen(list) + 1);
        free(list);
    }
}

/* -boot menu=, splash-time=, reboot-timeout= and the bootindex list, as SeaBIOS reads them. */
static int pc_fw_cfg_boot(PCMachineState *pcms, Error **errp)
{
    BootOptions b;

    if (boot_options_parse(pcms->machine->config.boot_order, &b, errp) < 0) {
        return -1;
    }
    fw_cfg_add_i16(pcms->fw_cfg, FW_CFG_BOOT_MENU, b.menu);
    if (b.splash_time >= 0) {
        uint8_t ms[2] = { b.splash_time & 0xff, b.splash_time >> 8 };
        fw_cfg_add_file(pcms->fw_cfg, "etc/boot-menu-wait", ms, sizeof(ms));
    }
    if (b.reboot_timeout >= 0) {
        uint8_t ms[4] = { b.reboot_timeout & 0xff, b.reboot_timeout >> 8 };
        fw_cfg_add_file(pcms->fw_cfg, "etc/boot-fail-wait", ms, sizeof(ms));
    }
    pc_fw_cfg_bootorder(pcms);
    boot_device_set_listener(pc_fw_cfg_bootorder, pcms);
    return 0;
}

int pc_fw_cfg_setup(PCMachineState *pcms, Error **errp)
{
    FWCfgState *fw = pcms->fw_cfg;
    Machine *machine = pcms->machine;

    fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, machine->config.smp_cpus);
    fw_cfg_add_i16(fw, FW_CFG_MAX_CPUS, machine->config.smp_cpus);
    fw_cfg_add_i64(fw, FW_CFG_RAM_SIZE, machine->config.ram_size);
    pc_fw_cfg_e820(pcms);
    if (pc_fw_cfg_boot(pcms, errp) < 0) {
        return -1;
    }
    if (pcms->serial[0]) {
        uint8_t port[2] = { 0xf8, 0x03 };
        /* no VGA: SeaBIOS and boot loaders print on COM1 */
        fw_cfg_add_file(fw, "etc/sercon-port", port, sizeof(port));
    }
    return 0;
}

/* CMOS boot device codes: a/b floppy 1, c disk 2, d CD-ROM 3, n network 4. */
static int boot_code(char c)
{
    switch (c) {
    case 'a': case 'b': return 1;
    case 'c': return 2;
    case 'd': return 3;
    case 'n': return 4;
    default: return -1;
    }
}

/* The CMOS boot order of "order" (or "once" for the first boot): at most three devices. */
static int pc_boot_codes(const char *order, int codes[3], Error **errp)
{
    codes[0] = codes[1] = codes[2] = 0;
    for (int i = 0; order[i]; i++) {
        int code = boot_code(order[i]);
        if (code < 0 || i >= 3) {
            error_setg(errp, "-boot %s: invalid boot device '%c' (use a, b, c, d, n; at most "
                       "three)", order, order[i]);
            return -1;
        }
        codes[i] = code;
    }
    return 0;
}

int pc_cmos_set_boot_order(PCMachineState *pcms, bool first_boot, Error **errp)
{
    BootOptions b;
    int codes[3];

    if (boot_options_parse(pcms->machine->config.boot_order, &b, errp) < 0 ||
        pc_boot_codes(first_boot && b.once[0] ? b.once : b.order, codes, errp) < 0) {
        return -1;
    }
    rtc_set_memory(pcms->rtc, 0x3d, codes[0] | (codes[1] << 4));
    rtc_set_memory(pcms->rtc, 0x38, (codes[2] << 4) | 1);   /* no floppy signature check */
    return 0;
}

int pc_cmos_init(PCMachineState *pcms, Error **errp)
{
    RTCState *rtc = pcms->rtc;
    uint64_t ram = pcms->machine->config.ram_size;
    uint64_t ext_kb = ram > (1 << 20) ? (ram >> 10) - 1024 : 0;
    uint64_t above16 = pcms->below_4g > (16 << 20) ? (pcms->below_4g - (16 << 20)) >> 16 : 0;
    uint64_t above4g = pcms->above_4g >> 16;
    if (pc_cmos_set_boot_order(pcms, true, errp) < 0) {
        return -1;
    }
    ext_kb = MIN(ext_kb, 65535);
    above16 = MIN(above16, 65535);
    rtc_set_memory(rtc, 0x15, 640 & 0xff);
    rtc_set_memory(rtc, 0x16, 640 >> 8);
    rtc_set_memory(rtc, 0x17, ext_kb & 0xff);
    rtc_set_memory(rtc, 0x18, ext_kb >> 8);
    rtc_set_memory(rtc, 0x30, ext_kb & 0xff);
    rtc_set_memory(rtc, 0x31, ext_kb >> 8);
    rtc_set_memory(rtc, 0x34, above16 & 0xff);
    rtc_set_memory(rtc, 0x35, above16 >> 8);
    rtc_set_memory(rtc, 0x5b, above4g & 0xff);
    rtc_set_memory(rtc, 0x5c, (above4g >> 8) & 0xff);
    rtc_set_memory(rtc, 0x5d, (above4g >> 16) & 0xff);
    rtc_set_memory(rtc, 0x5f, pcms->machine->config.smp_cpus - 1);
    uint8_t floppies = pcms->fdc ? fdc_cmos_types(pcms->fdc) : 0;
    int nr_floppies = !!(floppies & 0xf0) + !!(floppies & 0x0f);
    rtc_set_memory(rtc, 0x10, floppies);
    /* FPU, PS/2 mouse, VGA display; floppy drives present and their count - 1 */
    rtc_set_memory(rtc, 0x14, 0x06 | (nr_floppies ? 0x01 | ((nr_floppies - 1) << 6) : 0));
    return 0;
}
