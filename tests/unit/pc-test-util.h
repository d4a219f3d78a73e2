/* Shared set-up for the PC device unit tests: a memory and a port I/O space with an ISA bus
 * whose devices map into them, access helpers, an IRQ recorder and the manual virtual
 * clock. */
#ifndef TESTS_UNIT_PC_TEST_UTIL_H
#define TESTS_UNIT_PC_TEST_UTIL_H

#include <stdint.h>
#include "hw/irq.h"
#include "hw/qdev.h"
#include "system/memory.h"

typedef struct PcTestEnv {
    MemoryRegion mem, io, ram;
    AddressSpace as_mem, as_io;
    BusState *isa;
    IRQ *lines;                 /* recorder inputs */
    int level[64];
    int raises[64];             /* 0 -> 1 transitions seen */
    int calls[64];              /* irq_set calls seen, changing the level or not */
} PcTestEnv;

extern PcTestEnv pc_env;

/* Creates the spaces (with ram_size bytes of RAM at 0, may be 0) and the ISA bus "isa.0";
 * sets the virtual clock to 0. */
void pc_test_env_init(uint64_t ram_size);
void pc_test_env_fini(void);

uint32_t io_in(uint16_t port, unsigned size);
void io_out(uint16_t port, unsigned size, uint32_t value);
static inline uint8_t inb(uint16_t port) { return io_in(port, 1); }
static inline void outb(uint16_t port, uint8_t v) { io_out(port, 1, v); }
uint64_t mmio_read(uint64_t addr, unsigned size);
void mmio_write(uint64_t addr, unsigned size, uint64_t value);
/* PCI configuration mechanism #1 (ports CF8h/CFCh) of bus 0, function devfn. */
static inline void pci_cfg_out(int devfn, int reg, unsigned size, uint32_t val)
{
    io_out(0xcf8, 4, 0x80000000u | ((uint32_t)devfn << 8) | (reg & 0xfc));
    io_out(0xcfc + (reg & 3), size, val);
}
static inline uint32_t pci_cfg_in(int devfn, int reg, unsigned size)
{
    io_out(0xcf8, 4, 0x80000000u | ((uint32_t)devfn << 8) | (reg & 0xfc));
    return io_in(0xcfc + (reg & 3), size);
}

/* Sets the virtual clock to ns and runs the timers that expired. */
void pc_test_clock_set(int64_t ns);
/* Advances the virtual clock by ns, stopping at every timer expiry on the way. */
void pc_test_clock_advance(int64_t ns);
int64_t pc_test_clock_now(void);

#endif
