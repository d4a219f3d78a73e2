/* Shared by the command-line files: system/options.c (table, parser, help),
 * system/options-machine.c (machine, CPU, memory, accelerator and identity options) and
 * system/options-refused.c (QEMU options Mimic refuses). */
#ifndef SYSTEM_OPTIONS_INTERNAL_H
#define SYSTEM_OPTIONS_INTERNAL_H

#include "system/options.h"
#include "util/keyval.h"

typedef int OptionHandler(VLConfig *cfg, const char *opt, const char *arg);

/* Reports "-OPT ARG: why" and returns -1. */
int vl_bad_value(const char *opt, const char *arg, const char *why);
/* Appends to a repeatable option's list; -1 (reported) when full. */
int vl_list_add(VLList *list, const char *opt, const char *value);
/* Parses ARG's sub-options, reporting "-OPT ARG: problem"; -1 on error. */
int vl_keyval_parse(const char *opt, const char *arg, const char *implied, KeyValList *kv);
/* Reports the first unknown sub-option as "-OPT ARG: ..." and frees kv; -1 if one. */
int vl_keyval_finish(const char *opt, const char *arg, KeyValList *kv);
/* "help" or "?" */
bool vl_is_help(const char *arg);

/* The refusal of a QEMU option Mimic does not support: 1 line, exit status 1. Returns 0 if
 * name is not one of them, -1 after reporting, and sets *has_arg. */
int vl_refuse_option(const char *word, const char *name, const char *arg_or_null);
/* Whether a refused option takes an argument; -1 if name is not a refused option. */
int vl_refused_option_has_arg(const char *name);

int opt_machine(VLConfig *cfg, const char *opt, const char *arg);
int opt_cpu(VLConfig *cfg, const char *opt, const char *arg);
int opt_memory(VLConfig *cfg, const char *opt, const char *arg);
int opt_smp(VLConfig *cfg, const char *opt, const char *arg);
int opt_accel(VLConfig *cfg, const char *opt, const char *arg);
int opt_enable_kvm(VLConfig *cfg, const char *opt, const char *arg);
int opt_name(VLConfig *cfg, const char *opt, const char *arg);
int opt_uuid(VLConfig *cfg, const char *opt, const char *arg);
int opt_overcommit(VLConfig *cfg, const char *opt, const char *arg);
int opt_global(VLConfig *cfg, const char *opt, const char *arg);
int opt_object(VLConfig *cfg, const char *opt, const char *arg);
int opt_msg(VLConfig *cfg, const char *opt, const char *arg);
int opt_action(VLConfig *cfg, const char *opt, const char *arg);

#endif
