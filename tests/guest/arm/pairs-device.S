@ LDM/STM move consecutive word pairs as one 64-bit access on RAM (target-arm
@ translate-mem.c), but a device must see two word accesses in address order, as the
@ instructions make (accel/tcg/cputlb.c): the arm-test result device accepts 1-4 byte
@ accesses and reads as 0. An LDM of two of its words reads 0 twice (not the all-ones of
@ a refused 8-byte read); an STM of {0, 'x'} to its +0/+4 writes the exit value 0 (the
@ test passes only through that write).
        .include "test.inc"
        .text
        .global _start
_start:
        mov r11, #0
        ldr r2, =RESULT + 8
        mov r3, #5
        mov r4, #6
        ldm r2, {r3, r4}
        check r3, 0
        check r4, 0
        ldr r2, =RESULT + 8
        mvn r3, #0
        mvn r4, #0
        ldmdb r2, {r3, r4}               @ +0 and +4
        check r3, 0
        check r4, 0
        add r11, r11, #1
        mov r0, #0
        mov r1, #'x'
        ldr r2, =RESULT
        stm r2, {r0, r1}                @ +0: exit 0, then +4
1:      b fail
        fail_handler
        .ltorg
