/* "info mtree": the region tree of each address space and its flattened view, laid out
 * like QEMU's monitor command of the same name. */
#include <inttypes.h>
#include <stdlib.h>
#include "system/memory-internal.h"
#include "util/cutils.h"

/* Alias targets outside any tree, printed after the address spaces. */
typedef struct AliasTargets {
    MemoryRegion **list;
    int nr;
} AliasTargets;

static void alias_targets_add(AliasTargets *targets, MemoryRegion *mr)
{
    for (int i = 0; i < targets->nr; i++) {
        if (targets->list[i] == mr) {
            return;
        }
    }
    targets->list = xrealloc(targets->list, sizeof(*targets->list) * (targets->nr + 1));
    targets->list[targets->nr++] = mr;
}

static void print_span(FILE *out, int width, hwaddr start, uint64_t size)
{
    /* UINT64_MAX stands for 2^64 */
    hwaddr last = size == UINT64_MAX ? start + size : size ? start + (size - 1) : start;
    fprintf(out, "%0*" PRIx64 "-%0*" PRIx64, width, start, width, last);
}

static void print_region(FILE *out, MemoryRegion *mr, hwaddr base, int indent, int width,
                         AliasTargets *targets, int depth);

/* Children lowest address first, as QEMU lists them; ties keep the winning order. */
static void print_children(FILE *out, MemoryRegion *mr, hwaddr base, int indent, int width,
                           AliasTargets *targets, int depth)
{
    int n = mr->nr_children;
    MemoryRegion **sorted = xmalloc(sizeof(*sorted) * (n ? n : 1));
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && sorted[j - 1]->addr > mr->children[i]->addr) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = mr->children[i];
    }
    for (int i = 0; i < n; i++) {
        print_region(out, sorted[i], base + sorted[i]->addr, indent, width, targets, depth);
    }
    free(sorted);
}

static void print_region(FILE *out, MemoryRegion *mr, hwaddr base, int indent, int width,
                         AliasTargets *targets, int depth)
{
    fprintf(out, "%*s", indent, "");
    print_span(out, width, base, mr->size);
    fprintf(out, " (prio %d, %s): ", mr->priority, memory_region_kind_name(mr));
    if (mr->kind == MR_ALIAS && mr->alias) {
        fprintf(out, "alias %s @%s ", mr->name, mr->alias->name);
        print_span(out, width, mr->alias_offset, mr->size);
        if (!mr->alias->parent) {
            alias_targets_add(targets, mr->alias);
        }
    } else {
        fprintf(out, "%s", mr->name);
    }
    fprintf(out, "%s\n", mr->enabled ? "" : " [disabled]");
    if (depth > MEMORY_MAX_DEPTH) {
        return;
    }
    print_children(out, mr, base, indent + 2, width, targets, depth + 1);
}

static void print_flat_view(FILE *out, const AddressSpace *as, int width)
{
    fprintf(out, "FlatView of address-space: %s\n", as->name);
    if (!as->view || as->view->nr == 0) {
        fprintf(out, "  No rendered FlatView\n");
        return;
    }
    for (int i = 0; i < as->view->nr; i++) {
        const FlatRange *fr = &as->view->ranges[i];
        fprintf(out, "  ");
        print_span(out, width, fr->start, fr->size);
        fprintf(out, " (prio %d, %s): %s", fr->mr->priority, memory_region_kind_name(fr->mr),
                fr->mr->name);
        if (fr->offset) {
            fprintf(out, " @%0*" PRIx64, width, fr->offset);
        }
        fprintf(out, "\n");
    }
}

static int address_width(const AddressSpace *as)
{
    return as->root && as->root->size <= 0x10000 ? 4 : 16;
}

void memory_print_tree(FILE *out, AddressSpace *const *spaces, int nr_spaces)
{
    AliasTargets targets = { 0 };
    for (int i = 0; i < nr_spaces; i++) {
        fprintf(out, "address-space: %s\n", spaces[i]->name);
        if (spaces[i]->root) {
            print_region(out, spaces[i]->root, 0, 2, address_width(spaces[i]), &targets, 0);
        }
        fprintf(out, "\n");
    }
    for (int i = 0; i < targets.nr; i++) {
        fprintf(out, "memory-region: %s\n", targets.list[i]->name);
        print_region(out, targets.list[i], 0, 2, 16, &targets, 0);
        fprintf(out, "\n");
    }
    for (int i = 0; i < nr_spaces; i++) {
        print_flat_view(out, spaces[i], address_width(spaces[i]));
        fprintf(out, "\n");
    }
    free(targets.list);
}

void memory_print_all(FILE *out)
{
    int n = memory_address_space_count();
    AddressSpace **spaces = xmalloc(sizeof(*spaces) * (n ? n : 1));
    for (int i = 0; i < n; i++) {
        spaces[i] = memory_address_space_get(i);
    }
    memory_print_tree(out, spaces, n);
    free(spaces);
}
