/* -perfmap: a symbol map of generated code for Linux `perf` (the /tmp/perf-PID.map
 * format of tools/perf/Documentation/jit-interface.txt: "START SIZE NAME", hex, one line
 * per code range), so that `perf report` names the guest code a sample hit. */
#ifndef UTIL_PERFMAP_H
#define UTIL_PERFMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

/* Is the map open? (read on the translation path) */
extern bool perfmap_on;
/* Creates /tmp/perf-PID.map; -1 with errp set when it cannot. */
int perfmap_open(Error **errp);
/* Names [code, code + size) "guest-0xPC". Thread-safe. */
void perfmap_add_guest(const void *code, size_t size, uint64_t guest_pc);
void perfmap_close(void);

#endif
