/* Entry of the ARM gdbstub test kernel on -M arm-test (raw image at 0, SVC mode, MMU
 * off): a stack, then kmain. The late code: mov r0, #42; bx lr. */
    .section .text.boot, "ax"
    .arm
    .global _start
_start:
    ldr sp, =stack_top
    bl kmain
1:  wfi
    b 1b

    .section .rodata
    .global late_code, late_code_size
    .balign 4
late_code:
    .word 0xe3a0002a, 0xe12fff1e
late_code_size:
    .word 8

    .section .data
    .balign 8
stack:
    .space 8192
stack_top:
