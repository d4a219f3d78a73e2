/* mimic-img: create, inspect, convert, check, snapshot and resize disk images. */
#include <stdio.h>
#include "config-host.h"

int main(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "mimic-img: not ready yet\n");
    return 1;
}
