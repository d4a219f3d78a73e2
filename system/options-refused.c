/* The options of QEMU 7.2's -h that Mimic does not take: each is refused in one line that
 * names it as not supported (and the area of work that plans it, if any), never ignored
 * and never "invalid option". docs/cli.md lists every QEMU option with its state. */
#include <string.h>
#include "system/options-internal.h"
#include "util/cutils.h"

typedef struct RefusedOption {
    const char *name;
    bool has_arg;
    const char *planned;        /* area of work that will bring it; NULL: not planned */
} RefusedOption;

static const RefusedOption refused_options[] = {
    { "numa", true, NULL },
    { "add-fd", true, NULL },
    { "set", true, NULL },
    { "mem-path", true, NULL },
    { "mem-prealloc", false, NULL },
    { "audio-help", false, NULL },
    { "audio", true, NULL },
    { "audiodev", true, NULL },
    { "blockdev", true, "block layer: -blockdev node graphs" },
    { "fsdev", true, NULL },
    { "virtfs", true, NULL },
    { "iscsi", true, NULL },
    { "usb", false, NULL },
    { "usbdevice", true, NULL },
    { "spice", true, NULL },
    { "portrait", false, NULL },
    { "rotate", true, NULL },
    { "win2k-hack", false, NULL },
    { "no-fd-bootchk", false, NULL },
    { "no-acpi", false, "PC machine (use -machine acpi=off when it lands)" },
    { "no-hpet", false, "PC machine (use -machine hpet=off when it lands)" },
    { "acpitable", true, NULL },
    { "smbios", true, NULL },
    { "tpmdev", true, NULL },
    { "compat", true, NULL },
    { "fw_cfg", true, "PC machine: fw_cfg" },
    { "parallel", true, NULL },
    { "debugcon", true, "x86 system: isa-debugcon (use -device isa-debugcon,chardev=ID)" },
    { "singlestep", false, "translator: one instruction per block" },
    { "preconfig", false, NULL },
    { "seed", true, NULL },
    { "xen-domid", true, NULL },
    { "xen-attach", false, NULL },
    { "xen-domid-restrict", false, NULL },
    { "loadvm", true, "snapshots of the machine state" },
    { "option-rom", true, NULL },
    { "icount", true, NULL },
    { "watchdog-action", true, NULL },
    { "incoming", true, "migration" },
    { "only-migratable", false, NULL },
    { "chroot", true, NULL },
    { "runas", true, NULL },
    { "sandbox", true, NULL },
    { "readconfig", true, NULL },
    { "trace", true, NULL },
    { "plugin", true, NULL },
    { "async-teardown", false, NULL },
    { "dump-vmstate", true, NULL },
    { "enable-sync-profile", false, NULL },
    { "mtdblock", true, NULL },
    { "sd", true, NULL },
    { "pflash", true, "ARM virt board: flash (use -drive if=pflash when it lands)" },
};

static const RefusedOption *find_refused(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(refused_options); i++) {
        if (!strcmp(refused_options[i].name, name)) {
            return &refused_options[i];
        }
    }
    return NULL;
}

int vl_refused_option_has_arg(const char *name)
{
    const RefusedOption *r = find_refused(name);
    return r ? r->has_arg : -1;
}

int vl_refuse_option(const char *word, const char *name, const char *arg)
{
    const RefusedOption *r = find_refused(name);

    if (!r) {
        return 0;
    }
    error_report("%s%s%s: this QEMU option is not supported by Mimic%s%s%s", word,
                 arg ? " " : "", arg ? arg : "", r->planned ? " (planned: " : "",
                 r->planned ? r->planned : "", r->planned ? ")" : "");
    return -1;
}

void vl_foreach_refused_option(void (*fn)(const char *name, bool has_arg, const char *planned,
                                          void *opaque), void *opaque)
{
    for (size_t i = 0; i < ARRAY_SIZE(refused_options); i++) {
        fn(refused_options[i].name, refused_options[i].has_arg, refused_options[i].planned,
           opaque);
    }
}
