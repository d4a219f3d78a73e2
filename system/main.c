/* Entry point of the mimic-system-* emulators: parse the command line, build the
 * machine, run the main loop. */
#include <stdio.h>
#include "config-host.h"
#include "system/binary-info.h"
#include "system/vl.h"

int main(int argc, char **argv)
{
    return vl_main(argc, argv);
}
