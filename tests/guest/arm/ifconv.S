@ If-conversion of short two-way branches (target-arm/translate-ifconv.c): a conditional
@ branch whose two paths are a few register-only instructions meeting again at one or two
@ places is translated as both paths computed and the results selected. Checked on the
@ shape of a 64-bit shift-subtract division loop (a data-dependent branch between two
@ arms, each ending in the loop's exit test), in Thumb and ARM, under generic-timer
@ interrupts: 2000 divisions from an LCG, each compared with a twin whose arms start with
@ a load (never converted), and a checksum of the results against the value computed by
@ a model of the loop outside the emulator; repeated until the timer has interrupted
@ twice (the timer thread may be slow to run on a loaded host). Then an arm that lies before the converted
@ TB is rewritten: the TB must see the new instruction (its invalidation span covers
@ the arms).
        .include "test.inc"
        .equ TVAL, 500
        .equ ITERS, 2000
        .equ EXPECT, 0x482f12c7
        .text
        .global _start
_start: start_with_timer TVAL
        mov r6, #0                      @ rounds: until the timer has interrupted twice
round:  mov r11, #0
        ldr r0, =t_div_conv + 1
        ldr r1, =t_div_plain + 1
        bl run_set
        check r1, 0                     @ 1: Thumb, converted = twin
        check r0, EXPECT                @ 2: Thumb, the model's checksum
        ldr r0, =a_div_conv
        ldr r1, =a_div_plain
        bl run_set
        check r1, 0                     @ 3: ARM
        check r0, EXPECT                @ 4
        add r11, r11, #1                @ 5: interrupted within 1000 rounds (seconds)
        add r6, r6, #1
        cmp r6, #1000
        bhs fail
        ldr r0, =irq_count
        ldr r0, [r0]
        cmp r0, #2
        blo round
        ldr r6, =smc_fn + 1
        mov r0, #0
        blx r6
        check r1, 1                     @ 6: the taken arm
        mov r0, #1
        blx r6
        check r1, 3                     @ 7: the other arm
        ldr r2, =smc_t
        ldr r3, =0x2102                 @ movs r1, #2
        strh r3, [r2]
        dsb
        isb
        mov r0, #0
        blx r6
        check r1, 2                     @ 8: the rewritten arm
        ldr r6, =pc_fn + 1
        mov r0, #0
        blx r6
        ldr r2, =pc_t + 4
        add r11, r11, #1                @ 9: arms ending alike in a PC read each read
        cmp r1, r2                      @    their own PC (not done once after the select)
        bne fail
        mov r0, #1
        blx r6
        ldr r2, =pc_f + 4
        add r11, r11, #1                @ 10
        cmp r1, r2
        bne fail
        cpsid i
        pass
        fail_handler

@ r0 = lcg(r0)
lcg:    ldr r12, =1664525
        mul r0, r0, r12
        ldr r12, =1013904223
        add r0, r0, r12
        bx lr

@ run_set(r0 = division, r1 = its twin): r0 = checksum, r1 = mismatches. The divisions
@ use r2-r5, r8, r9, r12; r0 is the LCG state here, r1 the count.
run_set:
        push {r4-r10, lr}
        mov r6, r0
        mov r7, r1
        ldr r0, =12345
        mov r1, #0
        mov r10, #0
        ldr r12, =mismatches
        str r1, [r12]
1:      bl lcg
        mov r4, r0
        bl lcg
        mov r5, r0
        bl lcg
        mov r2, r0
        bl lcg
        and r12, r1, #31
        lsr r3, r0, r12
        bl lcg
        lsr r8, r0, #27
        add r8, r8, #1
        ldr r12, =inputs
        stm r12, {r2, r3, r4, r5, r8}
        blx r6
        mrs r12, apsr
        push {r4, r5, r9, r12}
        ldr r12, =inputs
        ldm r12, {r2, r3, r4, r5, r8}
        blx r7
        mrs r12, apsr
        ldr r2, [sp, #12]
        cmp r12, r2
        ldreq r2, [sp, #8]
        cmpeq r9, r2
        ldreq r2, [sp, #4]
        cmpeq r5, r2
        ldreq r2, [sp]
        cmpeq r4, r2
        ldrne r12, =mismatches
        ldrne r2, [r12]
        addne r2, r2, #1
        strne r2, [r12]
        pop {r4, r5, r9, r12}
        mov r2, #31
        mul r10, r10, r2
        add r10, r10, r4
        mov r2, #7
        mla r10, r5, r2, r10
        add r2, r9, r9, lsl #1
        add r10, r10, r2
        add r1, r1, #1
        cmp r1, #ITERS
        blo 1b
        mov r0, r10
        ldr r12, =mismatches
        ldr r1, [r12]
        pop {r4-r10, pc}
        .ltorg

@ The division loop: r5:r4 numerator, r3:r2 divisor, r8 steps (>= 1); entered at the
@ compare. The arm at 1 (taken when r5:r4 >= r3:r2) ends in the exit test and falls into
@ the compare; the other ends in the loop branch and falls to the exit.
a_div_conv:
        b 2f
1:      subs r4, r4, r2
        sbc r5, r5, r3
        adds r4, r4, r4
        adcs r5, r5, r5
        adds r4, r4, #1
        adc r5, r5, #0
        subs r8, r8, #1
        beq 3f
2:      cmp r4, r2
        sbcs r9, r5, r3
        bcs 1b
        adds r4, r4, r4
        adcs r5, r5, r5
        subs r8, r8, #1
        bne 2b
3:      bx lr

a_div_plain:                            @ the same; the loads keep it from conversion
        b 2f
1:      ldr r12, [sp]
        subs r4, r4, r2
        sbc r5, r5, r3
        adds r4, r4, r4
        adcs r5, r5, r5
        adds r4, r4, #1
        adc r5, r5, #0
        subs r8, r8, #1
        beq 3f
2:      cmp r4, r2
        sbcs r9, r5, r3
        bcs 1b
        ldr r12, [sp]
        adds r4, r4, r4
        adcs r5, r5, r5
        subs r8, r8, #1
        bne 2b
3:      bx lr

        .thumb
        .align 2
t_div_conv:
        b 2f
1:      subs r4, r4, r2
        sbc r5, r5, r3
        adds r4, r4, r4
        adcs r5, r5
        adds r4, #1
        adc r5, r5, #0
        subs r8, r8, #1
        beq 3f
2:      cmp r4, r2
        sbcs r9, r5, r3
        bcs 1b
        adds r4, r4, r4
        adcs r5, r5
        subs r8, r8, #1
        bne 2b
3:      bx lr

        .align 2
t_div_plain:
        b 2f
1:      ldr.w r12, [sp]
        subs r4, r4, r2
        sbc r5, r5, r3
        adds r4, r4, r4
        adcs r5, r5
        adds r4, #1
        adc r5, r5, #0
        subs r8, r8, #1
        beq 3f
2:      cmp r4, r2
        sbcs r9, r5, r3
        bcs 1b
        ldr.w r12, [sp]
        adds r4, r4, r4
        adcs r5, r5
        subs r8, r8, #1
        bne 2b
3:      bx lr

@ smc_fn(r0): r1 = 1 if r0 == 0 (the arm at smc_t, before the function), else 3
        .align 2
smc_t:  movs r1, #1
        b 3f
smc_fn: cmp r0, #0
        beq smc_t
        movs r1, #3
        b 3f
3:      bx lr

@ pc_fn(r0): r1 = the PC read by the arm taken (both arms end with the same MOV r1, PC)
        .align 2
pc_fn:  cmp r0, #0
        beq 1f
        movs r2, #3
pc_f:   mov r1, pc
        b 2f
1:      movs r2, #4
pc_t:   mov r1, pc
        b 2f
2:      bx lr
        .arm
        .align 2

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
        push {r0, r1}
        mov r0, #TVAL
        mcr p15, 0, r0, c14, c2, 0      @ next interrupt (the line goes low)
        ldr r0, =irq_count
        ldr r1, [r0]
        add r1, r1, #1
        str r1, [r0]
        pop {r0, r1}
        subs pc, lr, #4
        .ltorg

        .data
        .align 2
irq_count: .word 0
mismatches: .word 0
inputs: .space 20
