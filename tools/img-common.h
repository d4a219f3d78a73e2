/* mimic-img shared helpers: subcommand table, option spelling of qemu-img, opening images,
 * sizes and progress output. docs/mimic-img.md */
#ifndef TOOLS_IMG_COMMON_H
#define TOOLS_IMG_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "block/block.h"

/* Exit code for "this format cannot do that" (qemu-img check uses 63). */
#define IMG_EXIT_NOTSUP 63

typedef struct ImgCommand {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the subcommand name */
    const char *synopsis;                /* options after "mimic-img NAME" */
    const char *help;                    /* option descriptions, one per line */
} ImgCommand;

extern const ImgCommand img_cmd_create, img_cmd_info, img_cmd_convert, img_cmd_check,
    img_cmd_snapshot, img_cmd_resize, img_cmd_commit, img_cmd_rebase, img_cmd_compare,
    img_cmd_map, img_cmd_measure, img_cmd_dd, img_cmd_amend;

/* Prints "usage: ..." and the option list of cmd, then the supported formats. */
void img_print_command_help(const ImgCommand *cmd, FILE *out);
/* Prints the registered formats on one line ("Supported formats: raw qcow2 ..."). */
void img_print_formats(FILE *out);
/* Reports a usage error for cmd and returns 1 (exit code). */
int img_usage_error(const ImgCommand *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sizes as qemu-img prints them: "1 GiB", "196 KiB", "1.5 MiB". */
const char *img_size_to_str(uint64_t bytes, char *buf, size_t len);
/* Parses an image size argument ("1G", "512M", "10240"; bare numbers are bytes). */
int img_parse_size(const char *s, uint64_t *out);
/* --output=human|json; -1 after reporting an unknown value. */
int img_parse_output(const char *s, bool *json);

/* -U/--force-share of the running subcommand: read-only opens deny others nothing (image
 * locking, docs/block.md). One mimic-img process runs one subcommand. */
extern bool img_force_share;

typedef struct ImgOpen {
    const char *format;     /* NULL: probe */
    bool writable;
    bool resize;            /* takes the resize permission (resize) */
    bool no_backing;
    bool check;
    const char *cache;      /* NULL: writeback */
} ImgOpen;
/* Opens filename, reporting any error once; NULL on failure. */
BlockDriverState *img_open(const char *filename, const ImgOpen *how);
/* Checks that a -f/-O format name is a registered driver; reports and returns -1 if not. */
int img_check_format(const char *format);

/* Progress bar of -p, printed as qemu-img does: "    (12.34/100%)\r". */
typedef struct ImgProgress {
    bool enabled;
    double last;
} ImgProgress;
void img_progress_update(ImgProgress *p, uint64_t done, uint64_t total);
void img_progress_end(ImgProgress *p);

/* True when the len bytes at buf are all zero. */
bool img_buffer_is_zero(const void *buf, size_t len);
/* Number of leading bytes of buf[0..len) (in units of unit, the last one possibly short)
 * that have the same zero-ness as the first unit; *is_zero gets that zero-ness. */
size_t img_zero_run(const uint8_t *buf, size_t len, size_t unit, bool *is_zero);
/* Aligned buffer for I/O (page aligned, freed with free()). */
void *img_alloc_buffer(size_t len);

/* Resolves a backing file name relative to the directory of the image naming it (as the
 * block layer does); returns a new string. */
char *img_resolve_backing(const char *image, const char *backing);

#endif
