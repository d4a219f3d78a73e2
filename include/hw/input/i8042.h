/* Intel 8042 keyboard controller at ports 0x60/0x64 with a PS/2 keyboard (IRQ 1) and mouse
 * (IRQ 12); its output port drives A20 and the CPU reset line. */
#ifndef HW_INPUT_I8042_H
#define HW_INPUT_I8042_H

#include "hw/input/ps2.h"
#include "hw/irq.h"
#include "hw/qdev.h"
#include "ui/input.h"

#define TYPE_I8042 "i8042"

typedef struct KBDState {
    DeviceState parent_obj;
    MemoryRegion data_io, cmd_io;
    uint8_t status, mode, outport;
    uint8_t write_cmd;          /* command waiting for its data byte, 0: none */
    uint8_t obuf;               /* byte in the output buffer (valid with OBF) */
    uint8_t pending;            /* a byte of the controller's own waiting: 1 kbd, 2 aux */
    uint8_t pending_byte;
    PS2Kbd kbd;
    PS2Mouse mouse;
    IRQ irq_kbd, irq_mouse;
    IRQ a20_out;                /* output port bit 1 */
    InputHandler input_kbd, input_mouse;    /* keys and motion from the display */
} KBDState;

KBDState *i8042_create(BusState *bus, IRQ kbd, IRQ mouse, IRQ a20, Error **errp);
/* sendkey: press and release the named keys (QEMU names, "ctrl-alt-delete"). -1 with
 * *errp for an unknown key. */
int i8042_send_keys(KBDState *s, const char *combo, Error **errp);

#endif
