/* Entry of the ARM gdbstub test kernel on -M arm-test (raw image at 0, SVC mode, MMU
 * off): a stack, code where gdb writes pc (skipping a store), cpsr's Z flag (taking a
 * branch) and cpsr's mode (seen by mrs), then kmain. The late code: mov r0, #42; bx lr. */
    .section .text.boot, "ax"
    .arm
    .global _start
    .global arm_pc_here, arm_pc_target, arm_flags_here, arm_flags_taken, arm_mode_here
    .global arm_checked
_start:
    ldr sp, =stack_top
arm_pc_here:                    @ gdb moves pc to arm_pc_target
    mov r4, #0xbd
    b 2f
arm_pc_target:
    mov r4, #0x6d
2:  movs r5, #1                 @ Z clear; gdb sets it
arm_flags_here:
    beq arm_flags_taken
    mov r5, #0xbd
    b arm_mode_here
arm_flags_taken:
    mov r5, #0x6d
arm_mode_here:                  @ gdb switches cpsr to System mode
    mrs r6, cpsr
arm_checked:
    msr cpsr_c, #0xd3           @ back to SVC, interrupts masked
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
