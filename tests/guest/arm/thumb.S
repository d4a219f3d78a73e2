@ T32 (Thumb-2): 16-bit and 32-bit data processing with flags, IT blocks, loads and stores,
@ PUSH/POP, CBZ/CBNZ, TBB/TBH, BL/BLX interworking, bit-field and multiply/divide forms.
        .include "test.inc"
        .text
        .global _start
_start: .word 0x54485542                @ arm-test: enter in Thumb state at 4
        .thumb
        .thumb_func
tstart: movs r11, #0
        ldr sp, =0x100000
        movs r0, #5
        adds r1, r0, #3
        check r1, 8
        subs r2, r0, #5
        check_flags 0x60000000
        movs r3, #0
        subs r3, r3, #1
        check_flags 0x80000000
        check r3, 0xffffffff
        lsls r4, r0, #30                @ 5 << 30: C = bit 2 of 5 = 1
        check_flags 0x20000000          @ 0x40000000, C
        mov.w r5, #0x00ff00ff           @ modified immediate
        check r5, 0x00ff00ff
        orn r6, r0, #0xffffff00         @ 5 | 0xff
        check r6, 0xff
        movw r7, #0xbeef
        movt r7, #0xdead
        check r7, 0xdeadbeef
        ubfx r8, r7, #8, #8
        check r8, 0xbe
        sbfx r8, r7, #28, #4
        check r8, 0xfffffffd
        bfi r8, r0, #4, #3
        check r8, 0xfffffffd & ~0x70 | 0x50
        mov r0, #100
        mov r1, #7
        udiv r2, r0, r1
        check r2, 14
        mvn r1, #6                      @ -7
        sdiv r2, r0, r1
        check r2, 0xfffffff2
        mla r3, r0, r1, r0              @ 100 * -7 + 100
        check r3, 0xfffffda8
        umull r4, r5, r7, r7
        check r5, 0xc1b1cd12
        @ IT blocks
        movs r0, #1
        cmp r0, #1
        ite eq
        moveq r1, #10
        movne r1, #20
        check r1, 10
        cmp r0, #2
        itte ne
        addne r1, r1, #1
        addne r1, r1, #1
        addeq r1, r1, #100
        check r1, 12
        cmp r0, #0
        it gt
        addgt r1, #5                    @ 16-bit inside IT: no flags
        check r1, 17
        @ loads and stores
        ldr r0, =buf
        ldr r1, =0x11223344
        str r1, [r0]
        ldrb r2, [r0, #1]
        check r2, 0x33
        ldrsh r2, [r0, #2]
        check r2, 0x1122
        strh r1, [r0, #4]!
        check r0, buf + 4
        ldr r2, [r0, #-4]
        check r2, 0x11223344
        ldr r0, =buf
        movs r1, #1
        movs r2, #2
        movs r3, #3
        stmia r0!, {r1-r3}
        check r0, buf + 12
        ldmdb r0, {r4-r6}
        check r6, 3
        push {r1, r2, lr}
        pop {r4, r5, r6}
        check r5, 2
        ldrd r4, r5, [r0, #-8]
        check r5, 3
        @ CBZ / CBNZ
        movs r0, #0
        cbz r0, 1f
        b fail
1:      cbnz r0, fail
        @ TBB
        movs r0, #2
        tbb [pc, r0]
2:      .byte (t0 - 2b) / 2, (t1 - 2b) / 2, (t2 - 2b) / 2, 0
t0:     b fail
t1:     b fail
t2:     movs r1, #9
        check r1, 9
        @ BL and BLX to ARM and back
        bl sub_thumb
        check r0, 42
        blx sub_arm
        check r0, 43
        pass
        .thumb_func
sub_thumb:
        movs r0, #42
        bx lr
        fail_handler
        .ltorg
        .arm
sub_arm:
        mov r0, #43
        bx lr
        .data
        .align 2
buf:    .space 64
