/* The human monitor (HMP): command table, dispatch, help and "info", following QEMU's
 * command names and output shapes (docs/monitor.md). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config-host.h"
#include "monitor/hmp-internal.h"
#include "monitor/monitor-internal.h"
#include "monitor/readline.h"
#include "util/cutils.h"

struct HmpSession {
    const MonitorSystem *sys;
    MonitorWriteFn *write;
    void *opaque;
    ReadLineState rl;
    int cpu_index;                  /* the CPU "info registers" and "x" use */
    HmpMemoryDefaults x_defaults;   /* format and size remembered by x/xp */
    bool quitting;                  /* "quit" ran: no prompt after it */
};

typedef void HmpCommandFn(HmpSession *hs, const char *args, FILE *out);

typedef struct HmpCommand {
    const char *name;
    const char *alias;      /* short form, or NULL */
    const char *params;     /* for help */
    const char *help;
    HmpCommandFn *fn;
} HmpCommand;

typedef void HmpInfoFn(HmpSession *hs, const char *args, FILE *out);

typedef struct HmpInfoCommand {
    const char *name;
    const char *help;
    HmpInfoFn *fn;
} HmpInfoCommand;

static const HmpCommand hmp_commands[];
static const HmpInfoCommand hmp_info_commands[];

/* ---- helpers ---- */

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    return s;
}

/* Copies the first word of s (up to a space or one of stops) into word; returns the rest. */
static const char *split_word(const char *s, const char *stops, char *word, size_t size)
{
    size_t n = 0;
    s = skip_spaces(s);
    while (*s && *s != ' ' && *s != '\t' && !strchr(stops, *s)) {
        if (n + 1 < size) {
            word[n++] = *s;
        }
        s++;
    }
    word[n] = '\0';
    return skip_spaces(s);
}

static CPUState *hmp_current_cpu(HmpSession *hs)
{
    for (CPUState *cpu = hs->sys->cpu_first(); cpu; cpu = hs->sys->cpu_next(cpu)) {
        if (cpu->index == hs->cpu_index) {
            return cpu;
        }
    }
    return hs->sys->cpu_first();
}

static void print_error(FILE *out, Error *err)
{
    fprintf(out, "%s\n", error_get_message(err));
    error_free(err);
}

static const HmpCommand *hmp_find_command(const char *name)
{
    for (const HmpCommand *c = hmp_commands; c->name; c++) {
        if (!strcmp(c->name, name) || (c->alias && !strcmp(c->alias, name))) {
            return c;
        }
    }
    return NULL;
}

/* ---- info ---- */

static void info_version(HmpSession *hs, const char *args, FILE *out)
{
    fprintf(out, "%s\n", MIMIC_VERSION);
}

static void info_status(HmpSession *hs, const char *args, FILE *out)
{
    RunState state = hs->sys->runstate_get();
    bool running = state == RUN_STATE_RUNNING;
    fprintf(out, "VM status: %s", running ? "running" : "paused");
    if (!running && state != RUN_STATE_PAUSED) {
        fprintf(out, " (%s)", hs->sys->runstate_name(state));
    }
    fprintf(out, "\n");
}

static void info_qtree(HmpSession *hs, const char *args, FILE *out)
{
    if (!hs->sys->print_qtree) {
        fprintf(out, "info qtree is not available: no device tree in this build\n");
        return;
    }
    hs->sys->print_qtree(out);
}

static void info_mtree(HmpSession *hs, const char *args, FILE *out)
{
    hs->sys->print_mtree(out);
}

static void info_chardev(HmpSession *hs, const char *args, FILE *out)
{
    hs->sys->print_chardev(out);
}

static void info_cpus(HmpSession *hs, const char *args, FILE *out)
{
    CPUState *current = hmp_current_cpu(hs);
    for (CPUState *cpu = hs->sys->cpu_first(); cpu; cpu = hs->sys->cpu_next(cpu)) {
        fprintf(out, "%c CPU #%d:", cpu == current ? '*' : ' ', cpu->index);
        if (cpu->cls && cpu->cls->get_pc) {
            fprintf(out, " pc=0x%0*llx", hs->sys->word_bits() / 4,
                    (unsigned long long)cpu->cls->get_pc(cpu));
        }
        if (cpu->halted) {
            fprintf(out, " (halted)");
        }
        fprintf(out, "\n");
    }
}

static void dump_one_cpu(CPUState *cpu, FILE *out, bool header)
{
    if (header) {
        fprintf(out, "\nCPU#%d\n", cpu->index);
    }
    if (cpu->cls && cpu->cls->dump_state) {
        cpu->cls->dump_state(cpu, out);
    } else {
        fprintf(out, "CPU #%d: no register dump for this CPU model\n", cpu->index);
    }
}

static void info_registers(HmpSession *hs, const char *args, FILE *out)
{
    CPUState *cpu = hmp_current_cpu(hs);
    if (!cpu) {
        fprintf(out, "No CPU available\n");
        return;
    }
    if (!strcmp(args, "-a")) {
        for (cpu = hs->sys->cpu_first(); cpu; cpu = hs->sys->cpu_next(cpu)) {
            dump_one_cpu(cpu, out, true);
        }
        return;
    }
    dump_one_cpu(cpu, out, false);
}

static void info_name(HmpSession *hs, const char *args, FILE *out)
{
    const MonitorInventory *inv = hs->sys->inventory;
    const char *name = inv && inv->guest_name ? inv->guest_name() : NULL;
    if (name) {
        fprintf(out, "%s\n", name);
    }
}

static void info_history(HmpSession *hs, const char *args, FILE *out)
{
    for (int i = 0; i < hs->rl.nr_history; i++) {
        fprintf(out, "%d: '%s'\n", i, hs->rl.history[i]);
    }
}

static const HmpInfoCommand hmp_info_commands[] = {
    { "version", "show the version of Mimic", info_version },
    { "status", "show the current VM status (running|paused)", info_status },
    { "qtree", "show device tree", info_qtree },
    { "mtree", "show memory tree", info_mtree },
    { "chardev", "show the character devices", info_chardev },
    { "cpus", "show infos for each CPU", info_cpus },
    { "registers", "show the cpu registers (-a: all CPUs)", info_registers },
    { "history", "show the command line history", info_history },
    { "name", "show the current VM name", info_name },
    { NULL, NULL, NULL },
};

static const HmpInfoCommand *hmp_find_info(const char *name)
{
    for (const HmpInfoCommand *c = hmp_info_commands; c->name; c++) {
        if (!strcmp(c->name, name)) {
            return c;
        }
    }
    return NULL;
}

static void info_list(FILE *out)
{
    for (const HmpInfoCommand *c = hmp_info_commands; c->name; c++) {
        fprintf(out, "info %s  -- %s\n", c->name, c->help);
    }
    for (int i = 0; i < monitor_info_count(); i++) {
        const MonitorInfoEntry *e = monitor_info_at(i);
        if (!hmp_find_info(e->name)) {
            fprintf(out, "info %s  -- %s\n", e->name, e->help);
        }
    }
}

static void hmp_info(HmpSession *hs, const char *args, FILE *out)
{
    char name[64];
    const char *rest = split_word(args, "", name, sizeof(name));
    if (!name[0]) {
        info_list(out);
        return;
    }
    const HmpInfoCommand *builtin = hmp_find_info(name);
    if (builtin && *rest && (strcmp(name, "registers") || strcmp(rest, "-a"))) {
        fprintf(out, "info %s: extraneous characters at the end of line\n", name);
        return;
    }
    if (builtin) {
        builtin->fn(hs, rest, out);
        return;
    }
    const MonitorInfoEntry *entry = monitor_info_find(name);
    if (entry) {
        entry->fn(out, rest);
        return;
    }
    fprintf(out, "unknown info subcommand: '%s' (try 'info' for the list)\n", name);
}

/* ---- other commands ---- */

static void help_line(const HmpCommand *c, FILE *out)
{
    fprintf(out, "%s%s%s%s%s  -- %s\n", c->name, c->alias ? "|" : "", c->alias ? c->alias : "",
            c->params[0] ? " " : "", c->params, c->help);
}

static void hmp_help(HmpSession *hs, const char *args, FILE *out)
{
    char name[64];
    split_word(args, "", name, sizeof(name));
    if (!name[0]) {
        for (const HmpCommand *c = hmp_commands; c->name; c++) {
            help_line(c, out);
        }
        for (int i = 0; monitor_command_at(i); i++) {
            const MonitorCommandEntry *e = monitor_command_at(i);
            fprintf(out, "%s %s  -- %s\n", e->name, e->args_help, e->help);
        }
        return;
    }
    const HmpCommand *c = hmp_find_command(name);
    if (!c && monitor_command_find(name)) {
        const MonitorCommandEntry *e = monitor_command_find(name);
        fprintf(out, "%s %s  -- %s\n", e->name, e->args_help, e->help);
        return;
    }
    if (!c) {
        fprintf(out, "unknown command: '%s'\n", name);
        return;
    }
    help_line(c, out);
    if (!strcmp(c->name, "info")) {
        info_list(out);
    }
}

static void hmp_stop(HmpSession *hs, const char *args, FILE *out)
{
    Error *err = NULL;
    if (monitor_cmd_stop(hs->sys, &err) < 0) {
        print_error(out, err);
    }
}

static void hmp_cont(HmpSession *hs, const char *args, FILE *out)
{
    Error *err = NULL;
    if (monitor_cmd_cont(hs->sys, &err) < 0) {
        print_error(out, err);
    }
}

static void hmp_quit(HmpSession *hs, const char *args, FILE *out)
{
    hs->quitting = true;
    monitor_cmd_quit(hs->sys);
}

static void hmp_system_reset(HmpSession *hs, const char *args, FILE *out)
{
    monitor_cmd_system_reset(hs->sys);
}

static void hmp_system_powerdown(HmpSession *hs, const char *args, FILE *out)
{
    monitor_cmd_system_powerdown(hs->sys);
}

static void hmp_cpu(HmpSession *hs, const char *args, FILE *out)
{
    uint64_t index;
    char word[32];
    split_word(args, "", word, sizeof(word));
    if (parse_uint64(word, &index) < 0) {
        fprintf(out, "cpu: invalid CPU index '%s'\n", word);
        return;
    }
    for (CPUState *cpu = hs->sys->cpu_first(); cpu; cpu = hs->sys->cpu_next(cpu)) {
        if ((uint64_t)cpu->index == index) {
            hs->cpu_index = cpu->index;
            return;
        }
    }
    fprintf(out, "cpu: no CPU #%s\n", word);
}

static void hmp_memory(HmpSession *hs, const char *args, FILE *out, bool physical)
{
    Error *err = NULL;
    CPUState *cpu = hmp_current_cpu(hs);
    if (hmp_memory_dump(hs->sys, cpu, &hs->x_defaults, args, physical, out, &err) < 0) {
        print_error(out, err);
    }
}

static void hmp_x(HmpSession *hs, const char *args, FILE *out)
{
    hmp_memory(hs, args, out, false);
}

static void hmp_xp(HmpSession *hs, const char *args, FILE *out)
{
    hmp_memory(hs, args, out, true);
}

static const HmpCommand hmp_commands[] = {
    { "help", "?", "[cmd]", "show the help", hmp_help },
    { "info", NULL, "[subcommand]", "show various information about the system state",
      hmp_info },
    { "stop", NULL, "", "stop emulation", hmp_stop },
    { "cont", "c", "", "resume emulation", hmp_cont },
    { "quit", "q", "", "quit the emulator", hmp_quit },
    { "system_reset", NULL, "", "reset the system", hmp_system_reset },
    { "system_powerdown", NULL, "", "send system power down event", hmp_system_powerdown },
    { "cpu", NULL, "index", "set the default CPU", hmp_cpu },
    { "x", NULL, "/fmt addr", "virtual memory dump starting at 'addr'", hmp_x },
    { "xp", NULL, "/fmt addr", "physical memory dump starting at 'addr'", hmp_xp },
    { NULL, NULL, NULL, NULL, NULL },
};

/* ---- sessions ---- */

/* As QEMU: words past what the command takes are an error, never silently dropped. Commands
 * with free-form arguments (info, x, xp) check their own. */
static bool too_many_args(const HmpCommand *c, const char *args)
{
    char word[64];
    if (!strcmp(c->name, "info") || !strcmp(c->name, "x") || !strcmp(c->name, "xp")) {
        return false;
    }
    if (!c->params[0]) {
        return *args != '\0';
    }
    return *split_word(args, "", word, sizeof(word)) != '\0';     /* one argument */
}

/* The CPU of the command being run (main loop only), for monitor_current_cpu. */
static CPUState *hmp_executing_cpu;

CPUState *monitor_current_cpu(void)
{
    return hmp_executing_cpu;
}

static void hmp_dispatch(HmpSession *hs, const char *cmdline, FILE *out);

void hmp_session_execute(HmpSession *hs, const char *cmdline, FILE *out)
{
    CPUState *outer = hmp_executing_cpu;
    hmp_executing_cpu = hmp_current_cpu(hs);
    hmp_dispatch(hs, cmdline, out);
    hmp_executing_cpu = outer;
}

static void hmp_dispatch(HmpSession *hs, const char *cmdline, FILE *out)
{
    char name[64];
    const char *args = split_word(cmdline, "/", name, sizeof(name));
    if (!name[0]) {
        return;
    }
    const HmpCommand *c = hmp_find_command(name);
    if (!c) {
        const MonitorCommandEntry *e = monitor_command_find(name);
        if (e) {
            e->fn(out, args);
        } else {
            fprintf(out, "unknown command: '%s'\n", name);
        }
        return;
    }
    if (too_many_args(c, args)) {
        fprintf(out, "%s: extraneous characters at the end of line\n", c->name);
        return;
    }
    c->fn(hs, args, out);
}

/* Sends text with "\n" turned into "\r\n" for raw terminals, as QEMU's monitor does. */
static void hmp_send(HmpSession *hs, const char *text, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            hs->write(hs->opaque, text + start, i - start);
            hs->write(hs->opaque, "\r\n", 2);
            start = i + 1;
        }
    }
    hs->write(hs->opaque, text + start, len - start);
}

static void hmp_rl_output(void *opaque, const char *buf, size_t len)
{
    HmpSession *hs = opaque;
    hs->write(hs->opaque, buf, len);
}

static void hmp_rl_line(void *opaque, const char *line)
{
    HmpSession *hs = opaque;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (out) {
        hmp_session_execute(hs, line, out);
        fclose(out);
        hmp_send(hs, text, len);
        free(text);
    }
    if (!hs->quitting) {
        readline_show_prompt(&hs->rl);
    }
}

static void hmp_rl_complete(void *opaque, const char *before, ReadLineCompletions *comp)
{
    char first[64];
    const char *rest = split_word(before, "/", first, sizeof(first));
    bool second_word = *rest != '\0' || (strlen(before) > 0 && before[strlen(before) - 1] == ' ');
    if (!second_word) {
        for (const HmpCommand *c = hmp_commands; c->name; c++) {
            readline_add_completion(comp, c->name);
        }
    } else if (!strcmp(first, "info") && !strchr(rest, ' ')) {
        for (const HmpInfoCommand *c = hmp_info_commands; c->name; c++) {
            readline_add_completion(comp, c->name);
        }
        for (int i = 0; i < monitor_info_count(); i++) {
            if (!hmp_find_info(monitor_info_at(i)->name)) {
                readline_add_completion(comp, monitor_info_at(i)->name);
            }
        }
    } else if ((!strcmp(first, "help") || !strcmp(first, "?")) && !strchr(rest, ' ')) {
        for (const HmpCommand *c = hmp_commands; c->name; c++) {
            readline_add_completion(comp, c->name);
        }
    }
}

HmpSession *hmp_session_new(const MonitorSystem *sys, MonitorWriteFn *write, void *opaque)
{
    HmpSession *hs = xzalloc(sizeof(*hs));
    hs->sys = sys;
    hs->write = write;
    hs->opaque = opaque;
    hs->x_defaults = (HmpMemoryDefaults){ .format = 'x', .size = 4 };
    readline_init(&hs->rl, HMP_PROMPT, hmp_rl_output, hmp_rl_line, hmp_rl_complete, hs);
    return hs;
}

void hmp_session_set_plain(HmpSession *hs, bool plain)
{
    hs->rl.plain = plain;
}

void hmp_session_free(HmpSession *hs)
{
    if (hs) {
        readline_destroy(&hs->rl);
        free(hs);
    }
}

void hmp_session_input(HmpSession *hs, const char *buf, size_t len)
{
    readline_feed(&hs->rl, buf, len);
}

void hmp_session_open(HmpSession *hs)
{
    char banner[96];
    snprintf(banner, sizeof(banner), "Mimic %s monitor - type 'help' for more information\n",
             MIMIC_VERSION);
    readline_reset_line(&hs->rl);
    hmp_send(hs, banner, strlen(banner));
    readline_show_prompt(&hs->rl);
}

void hmp_session_redraw(HmpSession *hs)
{
    readline_show_prompt(&hs->rl);
}

const char *hmp_session_current_line(HmpSession *hs, size_t *cursor)
{
    return readline_current(&hs->rl, cursor);
}

static void capture_write(void *opaque, const char *buf, size_t len)
{
    fwrite(buf, 1, len, (FILE *)opaque);
}

bool hmp_cpu_exists(const MonitorSystem *sys, int index)
{
    for (CPUState *cpu = sys->cpu_first(); cpu; cpu = sys->cpu_next(cpu)) {
        if (cpu->index == index) {
            return true;
        }
    }
    return false;
}

char *hmp_execute_capture(const MonitorSystem *sys, const char *cmdline, int cpu_index)
{
    char *raw = NULL, *text = NULL;
    size_t raw_len = 0, len = 0;
    FILE *out = open_memstream(&raw, &raw_len);
    FILE *converted = open_memstream(&text, &len);
    if (!out || !converted) {
        if (out) {
            fclose(out);
        }
        if (converted) {
            fclose(converted);
        }
        free(raw);
        free(text);
        return xstrdup("out of memory\r\n");
    }
    HmpSession *hs = hmp_session_new(sys, capture_write, converted);
    if (cpu_index >= 0) {
        hs->cpu_index = cpu_index;
    }
    hmp_session_execute(hs, cmdline, out);
    fclose(out);
    hmp_send(hs, raw, raw_len);
    fclose(converted);
    hmp_session_free(hs);
    free(raw);
    return text;
}
