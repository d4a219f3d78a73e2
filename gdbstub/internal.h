/* Inside the gdbstub: the connection state shared by the framing and run control
 * (gdbstub.c) and the packet handlers (packets.c). */
#ifndef GDBSTUB_INTERNAL_H
#define GDBSTUB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "chardev/chardev.h"
#include "gdbstub/gdbstub.h"

/* Largest packet either way (announced as PacketSize in qSupported, in hex). */
#define GDB_PACKET_MAX 16384

typedef enum { RS_IDLE, RS_DATA, RS_CSUM1, RS_CSUM2 } GDBReadState;

typedef struct GDBState {
    CharFrontend fe;
    Chardev *chr;
    bool started;               /* the stub listens on chr */
    bool connected;
    GDBReadState rs;
    char in[GDB_PACKET_MAX + 1];
    size_t in_len;
    uint8_t in_sum;
    int csum_hi;
    bool no_ack;                /* QStartNoAckMode */
    bool running;               /* gdb waits for a stop reply */
    int g_cpu, c_cpu;           /* CPU indexes chosen by Hg / Hc */
    bool phys_mode;             /* Qqemu.PhyMemMode:1 */
    const GDBTargetOps *family; /* the binary's description (may vary with the mode) */
    const GDBTargetOps *ops;    /* the one gdb last read: g G p P use its layout */
    const GDBTargetOps *noticed;/* mode change already told to gdb (O packet) */
    char *xml;                  /* ops's target description */
} GDBState;

/* Sends one packet (escaped, with its checksum). */
void gdb_put_packet(GDBState *s, const char *data, size_t len);
void gdb_put_str(GDBState *s, const char *text);
/* Handles one received packet (NUL-terminated, len bytes, binary data still escaped). */
void gdb_handle_packet(GDBState *s, char *pkt, size_t len);
/* Run control for the packets: resume with what vCont asks of each vCPU (act[index]:
 * 'c' run, 's' step one instruction, 0 stay stopped; NULL: every vCPU runs), or with
 * step_cpu stepping and the others running (c, s: step_cpu -1 for none), and the stop
 * reply for the current state. */
void gdb_resume_actions(GDBState *s, const char *act);
void gdb_resume(GDBState *s, int step_cpu);
/* One more than the largest vCPU index. */
int gdb_nb_cpus(void);
void gdb_send_stop_reply(GDBState *s, int signal);
/* Serves the description of the current mode of the selected CPU from now on. */
void gdb_choose_description(GDBState *s);
/* Detach: points removed, stepping off, the guest runs again. */
void gdb_detach(GDBState *s);
CPUState *gdb_cpu(int index);

/* Hex helpers. */
void gdb_hex_encode(char *out, const uint8_t *buf, size_t len);
/* Decodes up to max bytes of hex; returns how many, or -1 on a bad digit. */
long gdb_hex_decode(uint8_t *buf, size_t max, const char *hex, size_t hex_len);

#endif
