/* Bare-metal smoke test of the virt board with the real CPU: boot registers, PL011 output,
 * GIC SGI acknowledge, the virtual timer's PPI, PSCI CPU_ON/AFFINITY_INFO/CPU_OFF on CPU 1
 * and SYSTEM_OFF. Polls the GIC (no exception vectors needed). */
#include <stdint.h>

#define UART 0x09000000u
#define GICD 0x08000000u
#define GICC 0x08010000u
#define REG(a) (*(volatile uint32_t *)(uintptr_t)(a))

void secondary_entry(void);
volatile uint32_t secondary_seen;

static void putch(char c)
{
    while (REG(UART + 0x18) & (1u << 5)) {
    }
    REG(UART) = (uint8_t)c;
}

static void puts_(const char *s)
{
    while (*s) {
        putch(*s++);
    }
}

static void puthex(uint32_t v)
{
    for (int i = 28; i >= 0; i -= 4) {
        putch("0123456789abcdef"[(v >> i) & 15]);
    }
}

static void fail(const char *what, uint32_t v)
{
    puts_("virt-smoke: FAIL ");
    puts_(what);
    puts_(" ");
    puthex(v);
    puts_("\n");
    for (;;) {
    }
}

static uint32_t psci(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
    register uint32_t r0 __asm__("r0") = fn;
    register uint32_t r1 __asm__("r1") = a1;
    register uint32_t r2 __asm__("r2") = a2;
    register uint32_t r3 __asm__("r3") = a3;
    __asm__ volatile(".inst 0xe1400070" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3) : "memory");
    return r0;
}

void secondary_main(uint32_t context)
{
    secondary_seen = context;
    psci(0x84000002, 0, 0, 0);          /* CPU_OFF: does not return */
    fail("CPU_OFF returned", 0);
}

static uint32_t wait_iar(void)
{
    for (int i = 0; i < 10000000; i++) {
        uint32_t iar = REG(GICC + 0x0c);
        if ((iar & 0x3ff) != 1023) {
            return iar;
        }
    }
    return 1023;
}

void main_c(uint32_t r0, uint32_t r1, uint32_t dtb)
{
    if (r0 != 0 || r1 != 0xffffffffu) {
        fail("boot r0/r1", r0 ^ r1);
    }
    if (REG(dtb) != 0xedfe0dd0u) {
        fail("no device tree at r2", dtb);
    }
    puts_("virt-smoke: boot registers ok\n");
    if (REG(GICD + 4) != ((288 / 32 - 1) | (1u << 5))) {
        fail("GICD_TYPER", REG(GICD + 4));
    }
    REG(GICD) = 1;
    REG(GICC) = 1;
    REG(GICC + 4) = 0xf0;
    REG(GICD + 0x100) = 0xffff | (1u << 27);    /* SGIs and the virtual timer PPI */
    REG(GICD + 0xf00) = (2u << 24) | 9;         /* SGI 9 to myself */
    uint32_t iar = wait_iar();
    if (iar != 9) {
        fail("SGI 9 not acknowledged", iar);
    }
    REG(GICC + 0x10) = iar;
    puts_("virt-smoke: gic sgi ok\n");
    /* virtual timer: CNTV_TVAL = 1000 ticks, CNTV_CTL = ENABLE */
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 0" : : "r"(1000u));
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 1" : : "r"(1u));
    iar = wait_iar();
    if (iar != 27) {
        fail("virtual timer PPI 27 not seen", iar);
    }
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 1" : : "r"(0u));   /* off: line drops */
    REG(GICC + 0x10) = iar;
    puts_("virt-smoke: timer ppi ok\n");
    if (psci(0x84000000, 0, 0, 0) != 0x10000) {
        fail("PSCI_VERSION", 0);
    }
    if (psci(0x84000004, 1, 0, 0) != 1) {
        fail("CPU 1 not off at boot", 0);
    }
    uint32_t rc = psci(0x84000003, 1, (uint32_t)(uintptr_t)secondary_entry, 0x5eed);
    if (rc != 0) {
        fail("CPU_ON", rc);
    }
    for (int i = 0; i < 100000000 && secondary_seen != 0x5eed; i++) {
    }
    if (secondary_seen != 0x5eed) {
        fail("CPU 1 did not run", secondary_seen);
    }
    for (int i = 0; i < 100000000 && psci(0x84000004, 1, 0, 0) != 1; i++) {
    }
    puts_("virt-smoke: psci cpu_on/cpu_off ok\n");
    psci(0x84000008, 0, 0, 0);          /* SYSTEM_OFF */
    fail("SYSTEM_OFF returned", 0);
}
