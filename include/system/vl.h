/* The emulator's command line and start-up sequence (system/vl.c). */
#ifndef SYSTEM_VL_H
#define SYSTEM_VL_H

int vl_main(int argc, char **argv);

#endif
