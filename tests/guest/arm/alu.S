@ A32 data processing: every opcode, immediate/register/register-shifted operands, flags
@ (including the shifter carry), MOVW/MOVT, conditional execution.
        .include "test.inc"
        .text
        .global _start
_start: mov r11, #0
        ldr sp, =0x100000
        mov r0, #5
        add r1, r0, #3
        check r1, 8
        subs r2, r0, #5
        check r2, 0
        check_flags 0x60000000          @ Z and C (no borrow)
        subs r2, r0, #6
        check_flags 0x80000000          @ N, borrow
        mvn r3, #0
        adds r3, r3, #1
        check_flags 0x60000000
        ldr r4, =0x7fffffff
        adds r4, r4, #1
        check_flags 0x90000000          @ N V
        check r4, 0x80000000
        mov r5, #1
        movs r5, r5, lsr #1             @ carry out = 1
        check_flags 0x60000000
        ldr r6, =0x80000001
        movs r6, r6, asr #1
        check_flags 0xa0000000
        check r6, 0xc0000000
        ldr r6, =0x80000001
        movs r6, r6, ror #1
        mov r10, r6
        movs r6, r6, rrx                @ C was 1
        check r10, 0xc0000000
        check r6, 0xe0000000
        mov r7, #40
        mov r8, #1
        movs r9, r8, lsl r7             @ shift by 40: 0, carry 0
        check_flags 0x40000000
        check r9, 0
        mov r7, #32
        movs r9, r8, lsl r7             @ shift by 32: 0, carry = bit 0
        check_flags 0x60000000
        mov r7, #0
        ldr r8, =0x80000000
        movs r9, r8, asr r7             @ shift by 0: carry unchanged (1)
        check_flags 0xa0000000
        mov r0, #0x0f
        and r1, r0, #0x3c
        check r1, 0x0c
        eor r1, r0, #0xff
        check r1, 0xf0
        orr r1, r0, #0xf00
        check r1, 0xf0f
        bic r1, r0, #3
        check r1, 0x0c
        rsb r1, r0, #0x10
        check r1, 1
        mov r2, #0
        msr cpsr_f, #0x20000000         @ C = 1
        adc r1, r0, r2
        check r1, 0x10
        msr cpsr_f, #0x20000000
        sbc r1, r0, r2                  @ 15 - 0 - !C = 15
        check r1, 0x0f
        msr cpsr_f, #0
        sbc r1, r0, r2
        check r1, 0x0e
        msr cpsr_f, #0
        rsc r1, r2, r0                  @ 15 - 0 - 1
        check r1, 0x0e
        tst r0, #0x10                   @ C unchanged (set by the last check)
        check_flags 0x60000000
        teq r0, #0x0f
        check_flags 0x60000000
        cmn r0, #1
        check_flags 0x00000000
        ands r1, r0, #0xf0000000        @ rotated immediate: C = bit 31 of it
        check_flags 0x60000000
        movw r1, #0x1234
        movt r1, #0xabcd
        check r1, 0xabcd1234
        mov r0, #1
        cmp r0, #2
        movlt r2, #7
        movge r2, #9
        check r2, 7
        addgt r2, r2, #1
        addle r2, r2, #2
        check r2, 9
        cmp r0, #1
        moveq r3, #1
        movne r3, #2
        movhi r3, #3
        movls r4, #4
        check r3, 1
        check r4, 4
        mov r5, #3
        add r6, r5, r5, lsl #2          @ r5 * 5
        check r6, 15
        sub r6, r6, r5, lsl r5          @ 15 - 24
        check r6, 0xfffffff7
        mov r0, pc                      @ reads . + 8
        adr r1, 1f
1:      sub r0, r1, r0
        check r0, 0
        clz r0, r5
        check r0, 30
        mov r0, #0
        clz r0, r0
        check r0, 32
        pass
        fail_handler
