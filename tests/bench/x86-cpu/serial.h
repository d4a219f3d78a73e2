/* COM1 output of the bare-metal benchmark payloads (x86-cpu/payload.c, x86-fp/payload.c):
 * port I/O, strings, 64-bit values in hexadecimal, and the drain before the reset. */
#ifndef BENCH_X86_SERIAL_H
#define BENCH_X86_SERIAL_H

#include <stdint.h>

#if defined(LINUX_USER) && defined(__x86_64__)
/* As a static Linux x86-64 program (tests/bench/pc-linux-boot.sh): write(2) and exit(2)
 * through SYSCALL; nothing to drain. */
static inline void putc_serial(char c)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(1L), "D"(1L), "S"(&c), "d"(1L)
                     : "rcx", "r11", "memory");
}

static inline void linux_exit(void)
{
    __asm__ volatile("syscall" : : "a"(60L), "D"(0L) : "rcx", "r11", "memory");
}

static inline void serial_drain(void)
{
}
#elif defined(LINUX_USER)
/* As a static Linux i386 program (x86-cpu/payload.c in tests/bench/pc-linux-boot.sh):
 * output through write(2) with int 0x80; nothing to drain. */
static inline void putc_serial(char c)
{
    int ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(4), "b"(1), "c"(&c), "d"(1) : "memory");
}

static inline void linux_exit(void)
{
    __asm__ volatile("int $0x80" : : "a"(1), "b"(0));
}

static inline void serial_drain(void)
{
}
#else
static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void putc_serial(char c)
{
    outb(0x3f8, (uint8_t)c);
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* Reads the line status a while before the reset, so that an emulator that hands serial
 * output to its host side asynchronously has flushed it. */
static inline void serial_drain(void)
{
    for (int i = 0; i < 200000; i++) {
        (void)inb(0x3fd);
    }
}

#endif

static inline void puts_serial(const char *s)
{
    while (*s) {
        putc_serial(*s++);
    }
}

static inline void put_hex(const char *name, uint64_t v)
{
    puts_serial(name);
    for (int i = 60; i >= 0; i -= 4) {
        putc_serial("0123456789abcdef"[(v >> i) & 15]);
    }
    putc_serial('\n');
}

#endif
