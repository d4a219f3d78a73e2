    .syntax unified
    .arm
    .global _start, secondary_entry
_start:
    ldr sp, =stack0_top
    bl main_c
1:  b 1b
secondary_entry:
    ldr sp, =stack1_top
    bl secondary_main
2:  b 2b
    .bss
    .balign 8
    .space 4096
stack0_top:
    .space 4096
stack1_top:
