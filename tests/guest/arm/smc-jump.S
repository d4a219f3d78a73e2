@ Self-modifying code reached through indirect jumps (the runtime's inline jump-cache
@ probe, docs/tcg.md section 13): functions copied to RAM on their own page are called
@ with BLX register and return with BX LR / POP {PC}; after the calls have warmed the
@ jump cache, a store rewrites a function and the next calls must run the new code. The
@ same address is then called as Thumb code (another TB key: the Thumb bit).
        .include "test.inc"
        .equ FUNC, 0x80000              @ a RAM page of its own
        .text
        .global _start
_start: mov r11, #0
        ldr sp, =0x100000
        @ copy the ARM function (mov r0, #1; bx lr) to FUNC
        ldr r0, =FUNC
        ldr r1, =arm_func
        ldm r1, {r2, r3}
        stm r0, {r2, r3}
        @ three calls: r5 = 3
        mov r5, #0
        mov r6, #3
1:      ldr r4, =FUNC
        blx r4
        add r5, r5, r0
        subs r6, r6, #1
        bne 1b
        check r5, 3
        @ rewrite "mov r0, #1" into "mov r0, #2", then three calls more: r5 = 3 + 6
        ldr r0, =FUNC
        ldr r1, =0xe3a00002
        str r1, [r0]
        mov r6, #3
2:      ldr r4, =FUNC
        blx r4
        add r5, r5, r0
        subs r6, r6, #1
        bne 2b
        check r5, 9
        @ a call of a function that calls FUNC and returns with POP {PC}
        ldr r0, =FUNC + 8
        ldr r1, =pop_func
        ldm r1, {r2, r3, r7, r8}
        stm r0, {r2, r3, r7, r8}
        mov r6, #3
3:      ldr r4, =FUNC + 8
        blx r4
        add r5, r5, r0
        subs r6, r6, #1
        bne 3b
        check r5, 15
        ldr r0, =FUNC
        ldr r1, =0xe3a00005               @ mov r0, #5
        str r1, [r0]
        ldr r4, =FUNC + 8
        blx r4
        check r0, 5
        @ the same address as Thumb code: "movs r0, #7; bx lr" (0x2007, 0x4770)
        ldr r0, =FUNC
        ldr r1, =0x47702007
        str r1, [r0]
        ldr r4, =FUNC + 1
        blx r4
        check r0, 7
        pass
        fail_handler
        .ltorg
arm_func:
        mov r0, #1
        bx lr
pop_func:                               @ at FUNC + 8, called with r4 = FUNC + 8
        push {lr}
        sub r4, r4, #8
        blx r4
        pop {pc}
