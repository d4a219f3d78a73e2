/* Command line and start-up: work in progress (issue 2). */
#include <stdio.h>
#include <string.h>
#include "config-host.h"
#include "system/binary-info.h"
#include "system/vl.h"

int vl_main(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "-version") || !strcmp(argv[1], "--version"))) {
        printf("%s version %s\n", binary_info.name, MIMIC_VERSION);
        return 0;
    }
    fprintf(stderr, "%s: not ready yet\n", binary_info.name);
    return 1;
}
