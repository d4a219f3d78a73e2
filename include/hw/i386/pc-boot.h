/* Direct boot of the pc machine without firmware (-kernel): the images a loader places in
 * RAM, the CPU state it starts CPU 0 in, and the memory map it reports. Re-applied at every
 * system reset. */
#ifndef HW_I386_PC_BOOT_H
#define HW_I386_PC_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

typedef struct PCMachineState PCMachineState;

#define PC_BOOT_MAX_BLOBS 64
#define PC_E820_MAX 16
#define PC_BOOT_GDT 0x5000
#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3

typedef struct PCBootBlob {
    uint64_t addr;
    uint8_t *data;              /* owned */
    size_t len;
} PCBootBlob;

typedef struct PCE820Entry {
    uint64_t addr, len;
    uint32_t type;
} PCE820Entry;

typedef struct PCBoot {
    bool active;                /* -kernel given: no firmware, CPU 0 starts here */
    PCBootBlob blobs[PC_BOOT_MAX_BLOBS];
    int nr_blobs;
    /* 32-bit flat protected mode entry */
    uint32_t eip, eax, ebx, esi;
    uint32_t gdt_base;          /* 0: no GDT (multiboot); else 4 descriptors there */
    /* RAM the loader may use, and the layout it reports */
    uint64_t ram_below_4g, ram_above_4g;
    uint64_t acpi_base, acpi_size;      /* ACPI tables placed by us */
    uint64_t rsdp;
    uint8_t rsdp_bytes[36];
    PCE820Entry e820[PC_E820_MAX];
    int nr_e820;
} PCBoot;


/* Adds a copy of data to load at addr; -1 with *errp if it does not fit in RAM below 4G. */
int pc_boot_add_blob(PCBoot *b, uint64_t addr, const void *data, size_t len, Error **errp);
/* Builds the memory map (low RAM, the EBDA and BIOS holes, ACPI area, RAM above 4G). */
void pc_boot_build_e820(PCBoot *b);
void pc_boot_free(PCBoot *b);
/* A GDT at 0x5000 with flat 32-bit code (0x10) and data (0x18) descriptors. */
int pc_boot_add_gdt(PCBoot *b, Error **errp);
/* Copies the blobs into RAM and puts CPU 0 at the entry (system reset, start-up). */
void pc_boot_apply(PCMachineState *pcms);
/* pc-acpi.c: lays the ACPI tables out at acpi_base for a boot without firmware. */
int pc_acpi_install(PCMachineState *pcms, PCBoot *b, Error **errp);

/* Reads -kernel and decides what it is: Linux bzImage, Multiboot 2, Multiboot 1 (ELF32,
 * ELF64 or a.out kludge); anything else is refused with one line saying what it is. */
int pc_boot_load_kernel(PCMachineState *pcms, Error **errp);
/* pc-linux.c / pc-multiboot.c */
bool pc_linux_probe(const uint8_t *k, size_t len);
int pc_linux_load(PCBoot *b, const char *path, const uint8_t *k, size_t len, const char *initrd,
                  const char *append, Error **errp);
int pc_multiboot_probe(const uint8_t *k, size_t len);     /* 0 none, 1 or 2 */
int pc_multiboot_load(PCBoot *b, int version, const char *path, const uint8_t *k, size_t len,
                      const char *initrd, const char *append, Error **errp);

#endif
