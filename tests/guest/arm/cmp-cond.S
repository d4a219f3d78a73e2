@ Conditions from the last compare (target-arm/translate-cmp.c): after CMP/SUBS/RSBS the
@ translator tests EQ..CC and HI..LE on the compare's operands instead of the flags while
@ neither changed. Checked against the flags themselves (an MSR of the same NZCV in
@ between makes the translator use them): every condition of that set after CMP of value
@ pairs around 0, 2^31 and equality, as a select (MOV<c>), a branch around a load
@ (LDR<c>) and a branch (B<c>); then the cases that must not use the operands: a
@ compare that is itself conditional and skipped (its operands must not be used, the
@ flags are the earlier compare's), an operand written after the compare (also by a
@ load with writeback and by a skipped conditional move), flags written by another
@ instruction or by MSR, RSBS with the constant first, SUBS whose destination is an
@ operand, and Thumb IT blocks with a compare inside.
        .include "test.inc"
        .equ NPAIRS, 12
        .macro one_cond cc              @ r0 cmp r1 with condition cc, three forms
        cmp r0, r1
        mov r4, #0
        mov\cc r4, #1                   @ select
        mov r6, #0
        ldr\cc r6, [r9]                 @ branch around a load
        mov r3, #0
        b\cc 1f
        b 2f
1:      mov r3, #1
2:      cmp r0, r1
        mrs r12, apsr
        msr apsr_nzcvq, r12             @ the flags, not the operands, from here
        mov r5, #0
        mov\cc r5, #1
        add r11, r11, #1
        cmp r4, r5
        bne fail
        cmp r6, r5
        bne fail
        cmp r3, r5
        bne fail
        .endm
        .macro each_cond m
        \m eq
        \m ne
        \m cs
        \m cc
        \m hi
        \m ls
        \m ge
        \m lt
        \m gt
        \m le
        .endm

        .text
        .global _start
_start: mov r11, #0
        ldr sp, =0x100000
        ldr r9, =one
        ldr r8, =pairs
        mov r7, #NPAIRS
pair:   ldm r8!, {r0, r1}
        each_cond one_cond
        subs r7, r7, #1
        bne pair

        @ a skipped conditional compare: the flags stay those of cmp r0, r1 (HI, NE)
        mov r0, #5
        mov r1, #3
        mov r2, #1
        mov r3, #9
        cmp r0, r1
        cmpeq r2, r3                    @ not executed
        mov r4, #0
        movhi r4, #1
        check r4, 1
        cmp r0, r1
        cmpne r2, r3                    @ executed: LS now
        mov r4, #0
        movhi r4, #1
        check r4, 0
        cmp r0, r1
        cmpeq r2, r3                    @ not executed, branch form
        mov r4, #0
        ldrhi r4, [r9]
        check r4, 1

        @ an operand written after the compare
        cmp r0, r1                      @ 5 > 3
        mov r0, #0
        mov r4, #0
        movhi r4, #1
        check r4, 1
        mov r0, #5
        mov r5, sp
        cmp r5, r1
        ldr r5, [sp, #-4]!              @ writeback of sp, load into r5
        add sp, sp, #4
        mov r4, #0
        movhi r4, #1
        check r4, 1
        cmp r0, r1
        movls r0, #0                    @ skipped: r0 stays 5
        movhi r1, #7                    @ executed: r1 = 7, HI must still hold
        movhi r4, #2
        check r4, 2
        mov r1, #3

        @ flags written by another instruction, or by MSR
        cmp r0, r1                      @ HI
        adds r6, r0, #0                 @ N=0 Z=0 C=0 V=0: LS
        mov r4, #0
        movhi r4, #1
        check r4, 0
        cmp r0, r1                      @ HI
        msr apsr_nzcvq, #0x40000000     @ Z: LS, EQ
        mov r4, #0
        movhi r4, #1
        moveq r4, #2
        check r4, 2

        @ RSBS with the constant first: 4 - 5 borrows
        rsbs r2, r0, #4
        mov r4, #0
        movcc r4, #1
        movlt r4, r4, lsl #1
        movhi r4, #7
        check r4, 2
        rsbs r2, r0, #5                 @ 5 - 5
        mov r4, #0
        moveq r4, #1
        movls r4, r4, lsl #1
        movge r4, r4, lsl #1
        check r4, 4

        @ SUBS whose destination is its first operand: the conditions are of the old value
        mov r2, #1
        subs r2, r2, #2                 @ 1 - 2: LO, LT
        mov r4, #0
        movlo r4, #1
        movlt r4, r4, lsl #1
        check r4, 2
        check r2, 0xffffffff

        blx thumb_part
        check r0, 0x3f
        pass

        fail_handler
        .ltorg

        .thumb
        .thumb_func
thumb_part:
        mov r0, #0
        movs r1, #5
        movs r2, #3
        cmp r1, r2
        it hi
        orrhi r0, r0, #1                @ bit 0: HI
        cmp r1, r2
        it ne
        cmpne r2, r1                    @ executed: 3 < 5, LO now
        it lo
        orrlo r0, r0, #2                @ bit 1
        cmp r1, r2
        itt eq
        cmpeq r2, r1                    @ skipped
        moveq r0, #0
        ite hi                          @ still HI from cmp r1, r2
        orrhi r0, r0, #4                @ bit 2
        movls r0, #0
        cmp r1, r2
        mov r1, #0                      @ operand written
        it hi
        orrhi r0, r0, #8                @ bit 3
        subs r3, r2, #3                 @ 0: EQ, LS, GE
        ite ls
        orrls r0, r0, #16               @ bit 4
        movhi r0, #0
        rsbs r3, r2, #0                 @ 0 - 3: LT, LO
        it lt
        orrlt r0, r0, #32               @ bit 5
        bx lr
        .ltorg

        .data
        .align 2
one:    .word 1
pairs:  .word 0, 0
        .word 1, 0
        .word 0, 1
        .word 5, 5
        .word 0x80000000, 1
        .word 1, 0x80000000
        .word 0x7fffffff, 0xffffffff
        .word 0xffffffff, 0x7fffffff
        .word 0x80000000, 0x7fffffff
        .word 0x7fffffff, 0x80000000
        .word 0xffffffff, 0
        .word 0, 0xffffffff
