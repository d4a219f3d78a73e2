/* Target descriptions for gdb ("Debugging with GDB", appendix G "Target Descriptions"):
 * built from each target's register table, one <feature> per run of registers with the
 * same feature name; and the registry of targets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdbstub/gdbstub.h"
#include "util/cutils.h"

#define GDB_MAX_TARGETS 4

static const GDBTargetOps *targets[GDB_MAX_TARGETS];
static int nb_targets;

void gdb_register_target(const GDBTargetOps *ops)
{
    if (nb_targets < GDB_MAX_TARGETS) {
        targets[nb_targets++] = ops;
    }
}

const GDBTargetOps *gdb_target_find(const char *arch)
{
    for (int i = 0; i < nb_targets; i++) {
        if (!strcmp(targets[i]->arch, arch)) {
            return targets[i];
        }
    }
    return NULL;
}

static void xml_register(FILE *f, const GDBRegister *r, int regnum)
{
    fprintf(f, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%d\"", r->name, r->bits,
            r->type, regnum);
    if (r->group) {
        fprintf(f, " group=\"%s\"", r->group);
    }
    fputs("/>\n", f);
}

static void xml_types(FILE *f, const GDBTargetOps *ops, const char *feature)
{
    for (const GDBFeatureTypes *t = ops->types; t && t->feature; t++) {
        if (!strcmp(t->feature, feature)) {
            fputs(t->xml, f);
        }
    }
}

char *gdb_target_xml(const GDBTargetOps *ops)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        return xstrdup("");
    }
    fprintf(f, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
            "<target>\n<architecture>%s</architecture>\n", ops->architecture);
    if (ops->compatible) {
        fprintf(f, "<compatible>%s</compatible>\n", ops->compatible);
    }
    const char *open = NULL;
    for (int i = 0; i < ops->nb_regs; i++) {
        const GDBRegister *r = &ops->regs[i];
        if (!open || strcmp(open, r->feature)) {
            if (open) {
                fputs("</feature>\n", f);
            }
            fprintf(f, "<feature name=\"%s\">\n", r->feature);
            open = r->feature;
            xml_types(f, ops, open);
        }
        xml_register(f, r, i);
    }
    if (open) {
        fputs("</feature>\n", f);
    }
    fputs(ops->extra_xml ? ops->extra_xml : "", f);
    fputs("</target>\n", f);
    fclose(f);
    return text;
}
