@ Flag liveness across TBs (target-arm/translate-flags.c): a TB whose successor starts with
@ CMP/ADDS/SUBS does not store NZCV at that exit. The generic timer interrupts tight loops
@ that start with such an instruction (ARM and Thumb); the IRQ handler checks that the
@ flags saved in SPSR are ones the loop's CMP can produce (never N and Z both set), while
@ the flags in memory before each loop are NZCV = 1111: an interrupt taken with the flags
@ the loop's TBs did not store would show N = Z = 1 (both exits of each loop's TB lead to
@ a CMP, so the loop never stores the flags, until an interrupt needs them). Each loop runs until it has been
@ interrupted IRQS times (the handler then sets its limit r5 just above its counter r4).
        .include "test.inc"
        .equ TVAL, 100
        .equ IRQS, 10
        .text
        .global _start
_start: start_with_timer TVAL
        @ --- ARM loop
        msr APSR_nzcvq, #0xf0000000     @ N = Z = 1: what a loop's CMP never gives
        b 1f
1:      bl reset_count
        b arm_loop
arm_loop:
        cmp r4, r5
        add r4, r4, #1
        bne arm_loop
arm_end:
        cmp r4, r4                      @ both exits of the loop's TB lead to a CMP
        @ --- Thumb loop
        msr APSR_nzcvq, #0xf0000000
        b 2f
2:      bl reset_count
        ldr r0, =thumb_loop + 1
        bx r0
        .thumb
        .align 2
thumb_loop:
        cmp r4, r5
        add.w r4, r4, #1
        bne thumb_loop
thumb_end:
        cmp r4, r4
        ldr r0, =back
        bx r0
        .arm
        .align 2
back:   cpsid i
        ldr r0, =bad_count
        ldr r0, [r0]
        check r0, 0
        pass
        fail_handler

reset_count:                            @ r4 = 0, r5 = no limit, no interrupt counted yet
        mov r4, #0
        mvn r5, #0
        ldr r0, =loop_irqs
        mov r1, #0
        str r1, [r0]
        bx lr
        .ltorg

        .align 5
vectors:
        b fail
        b fail
        b fail
        b fail
        b fail
        b fail
        b irq_handler
        b fail

irq_handler:
        push {r0-r3}
        mov r0, #TVAL
        mcr p15, 0, r0, c14, c2, 0      @ next interrupt (the line goes low)
        sub r0, lr, #4                  @ where the loop resumes
        mov r3, #0
        cmp r4, #0                      @ before the first CMP: the flags are still 1111
        beq 2f
        ldr r1, =arm_loop
        ldr r2, =arm_end
        cmp r0, r1
        blo 1f
        cmp r0, r2
        movlo r3, #1
1:      ldr r1, =thumb_loop
        ldr r2, =thumb_end
        cmp r0, r1
        blo 2f
        cmp r0, r2
        movlo r3, #1
2:      cmp r3, #0
        beq 3f
        ldr r1, =loop_irqs
        ldr r2, [r1]
        add r2, r2, #1
        str r2, [r1]
        cmp r2, #IRQS
        addhs r5, r4, #4                @ enough: the loop ends within 5 iterations
        mrs r0, spsr
        and r0, r0, #0xc0000000
        cmp r0, #0xc0000000             @ N and Z both set
        bne 3f
        ldr r1, =bad_count
        ldr r2, [r1]
        add r2, r2, #1
        str r2, [r1]
3:      pop {r0-r3}
        subs pc, lr, #4
        .ltorg

        .data
        .align 2
loop_irqs: .word 0
bad_count: .word 0
