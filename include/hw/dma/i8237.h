/* The PC's ISA DMA: two Intel 8237A controllers (channels 0-3 8-bit at ports 0x00-0x0f,
 * 4-7 16-bit at 0xc0-0xdf, channel 4 cascades) with the 74LS612 page registers
 * (0x81-0x8f). Devices (the floppy on channel 2) move data with i8237_transfer. */
#ifndef HW_DMA_I8237_H
#define HW_DMA_I8237_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/qdev.h"
#include "system/memory.h"

#define TYPE_I8237 "i8237"

typedef struct I8237Channel {
    uint16_t base_addr, base_count, addr, count;
    uint8_t mode, page;
} I8237Channel;

typedef struct I8237State {
    DeviceState parent_obj;
    MemoryRegion io[2], page_io;
    AddressSpace *as;
    I8237Channel ch[8];
    uint8_t command[2], status[2], mask[2], request[2];
    bool flip_flop[2];
} I8237State;

/* Creates the pair on the ISA bus, moving data in as (NULL: the machine's memory). */
I8237State *i8237_create(BusState *isa, AddressSpace *as, Error **errp);
/* Moves up to len bytes between buf and the channel's memory block in the direction its
 * mode register says (to_device: a memory read transfer); returns the bytes moved (0 when
 * the channel is masked or the direction disagrees), or -1 when the block lies outside
 * guest RAM. Terminal count (*tc) sets the status bit and masks the channel unless
 * autoinit. */
int i8237_transfer(I8237State *s, int channel, uint8_t *buf, uint32_t len, bool to_device,
                   bool *tc);
/* Whether the channel is unmasked and programmed. */
bool i8237_channel_ready(I8237State *s, int channel);

#endif
