/* -machine/-M sub-options (QEMU 7.2 qemu-options.hx "-machine" for names and defaults):
 * merging of repeated options, generic machine properties, the board's own properties. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "system/machine-opts.h"
#include "system/memory.h"
#include "util/cutils.h"

typedef struct GenericProp {
    const char *name;
    const char *help;
} GenericProp;

static const GenericProp generic_props[] = {
    { "type", "the machine (same as the first value)" },
    { "accel", "accelerators to try in order: tcg, kvm, kvm:tcg" },
    { "dump-guest-core", "include guest memory in a core dump (on|off, default on)" },
    { "mem-merge", "let the host merge identical guest pages (on|off, default on)" },
    { "usb", "on-board USB controller (off; USB is not supported)" },
    { "memory-backend", "id of the -object memory-backend-* that is the guest RAM" },
    { "graphics", "graphics output (on|off; Mimic has no display yet: both run headless)" },
    { "kernel", "same as -kernel" },
    { "initrd", "same as -initrd" },
    { "append", "same as -append" },
    { "dtb", "same as -dtb" },
    { "firmware", "same as -bios" },
};

static int bad(const MachineOpts *mo, const char *why)
{
    error_report("-%s %s: %s", mo->flag, mo->typed, why);
    return -1;
}

/* Appends every item of one -machine argument to mo->kv (taking them over). */
static int merge_one(MachineOpts *mo, const char *spec)
{
    KeyValList one;
    Error *err = NULL;

    if (keyval_parse(spec, "type", &one, &err) < 0) {
        error_report("-%s %s: %s", mo->flag, spec, error_get_message(err));
        error_free(err);
        return -1;
    }
    mo->kv.items = xrealloc(mo->kv.items, sizeof(KeyVal) * (mo->kv.count + one.count + 1));
    memcpy(mo->kv.items + mo->kv.count, one.items, sizeof(KeyVal) * one.count);
    mo->kv.count += one.count;
    free(one.items);
    return 0;
}

static int get_bool(MachineOpts *mo, const char *key, bool *out)
{
    Error *err = NULL;
    if (keyval_get_bool(&mo->kv, key, true, out, &err) < 0) {
        error_report("-%s %s: %s", mo->flag, mo->typed, error_get_message(err));
        error_free(err);
        return -1;
    }
    return 0;
}

int machine_opts_parse(const VLConfig *cfg, MachineOpts *mo)
{
    bool usb = false, graphics;

    memset(mo, 0, sizeof(*mo));
    mo->typed = cfg->machine;
    mo->flag = cfg->machine_flag ? cfg->machine_flag : "machine";
    for (int i = 0; i < cfg->machine_opts.count; i++) {
        mo->typed = cfg->machine_opts.items[i];
        if (merge_one(mo, cfg->machine_opts.items[i]) < 0) {
            return -1;
        }
    }
    mo->type = keyval_get(&mo->kv, "type");
    mo->accel = keyval_get(&mo->kv, "accel");
    mo->memory_backend = keyval_get(&mo->kv, "memory-backend");
    if (keyval_get(&mo->kv, "help") || keyval_get(&mo->kv, "?")) {
        return 0;
    }
    if (get_bool(mo, "dump-guest-core", &mo->dump_guest_core) < 0 ||
        get_bool(mo, "mem-merge", &mo->mem_merge) < 0 || get_bool(mo, "graphics", &graphics) < 0) {
        return -1;
    }
    const char *u = keyval_get(&mo->kv, "usb");
    if (u && (parse_bool(u, &usb) < 0 || usb)) {
        return bad(mo, "usb=on is not supported (Mimic has no USB)");
    }
    return 0;
}

/* kernel=, initrd=, ... fill the options not given on their own. */
static void take_boot_props(MachineOpts *mo, VLConfig *cfg)
{
    static const struct { const char *key; size_t offset; } map[] = {
        { "kernel", offsetof(VLConfig, kernel) }, { "initrd", offsetof(VLConfig, initrd) },
        { "append", offsetof(VLConfig, append) }, { "dtb", offsetof(VLConfig, dtb) },
        { "firmware", offsetof(VLConfig, bios) },
    };
    for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
        const char *v = keyval_get(&mo->kv, map[i].key);
        const char **field = (const char **)((char *)cfg + map[i].offset);
        if (v && !*field) {
            *field = v;
        }
    }
}

static bool is_board_prop(const MachineClass *cls, const char *key)
{
    for (const char *const *p = cls->props; p && *p; p++) {
        if (!strcmp(*p, key)) {
            return true;
        }
    }
    return false;
}

int machine_opts_check(MachineOpts *mo, const MachineClass *cls, VLConfig *cfg)
{
    take_boot_props(mo, cfg);
    for (int i = 0; i < mo->kv.count; i++) {
        KeyVal *item = &mo->kv.items[i];
        if (is_board_prop(cls, item->key)) {
            continue;           /* the board's init reads it from MachineConfig.props */
        }
        if (!item->used) {
            error_report("-%s %s: Property '%s-machine.%s' not found", mo->flag, mo->typed,
                         cls->name, item->key);
            return -1;
        }
    }
    return 0;
}

static void print_prop(void *opaque, const char *name, const char *help)
{
    fprintf(opaque, "  %-18s - %s\n", name, help);
}

void machine_opts_print_help(FILE *out, const MachineClass *cls)
{
    fprintf(out, "%s-machine options:\n", cls->name);
    machine_opts_foreach_prop(cls, print_prop, out);
}

void machine_opts_foreach_prop(const MachineClass *cls,
                               void (*fn)(void *opaque, const char *name, const char *help),
                               void *opaque)
{
    for (size_t i = 0; i < ARRAY_SIZE(generic_props); i++) {
        fn(opaque, generic_props[i].name, generic_props[i].help);
    }
    for (const char *const *p = cls->props; p && *p; p++) {
        fn(opaque, *p, "property of the board");
    }
}

void machine_opts_apply_memory(const MachineOpts *mo, Machine *machine)
{
    MemoryRegion *ram = machine->ram;
    if (!ram || !ram->host || !ram->size) {
        return;
    }
    madvise(ram->host, ram->size, mo->dump_guest_core ? MADV_DODUMP : MADV_DONTDUMP);
    if (mo->mem_merge) {
        madvise(ram->host, ram->size, MADV_MERGEABLE);  /* EINVAL without KSM: harmless */
    }
}

void machine_opts_free(MachineOpts *mo)
{
    keyval_free(&mo->kv);
}
