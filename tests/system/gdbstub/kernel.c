/* Test kernel for tests/system/gdbstub.sh (i386, x86-64 and ARM): known variables for
 * watchpoints and x/FMT, code copied to LATE_ADDR at run time (a breakpoint set there
 * before the copy must still hit: the translator holds breakpoints, guest memory is never
 * patched), and an endless loop for Ctrl-C. Built -O0 -g for stepping by lines. */
#ifndef LATE_ADDR
#define LATE_ADDR 0x300000
#endif

volatile unsigned int counter;
volatile unsigned int watched;
const unsigned int marker[4] = { 0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00 };
extern const unsigned char late_code[];
extern const unsigned int late_code_size;

void bump(unsigned int v)
{
    watched = v;
}

unsigned int add_one(unsigned int x)
{
    return x + 1;
}

static void copy_late(void)
{
    volatile unsigned char *dst = (volatile unsigned char *)LATE_ADDR;
    for (unsigned int i = 0; i < late_code_size; i++) {
        dst[i] = late_code[i];
    }
}

void kmain(void)
{
    unsigned int r;

    copy_late();
    r = ((unsigned int (*)(void))LATE_ADDR)();
    counter = r;
    for (;;) {
        counter = add_one(counter);
        if ((counter & 0xffff) == 0) {
            bump(counter);
        }
    }
}
