@ Advanced SIMD: integer, saturating, shifts, permutes, loads/stores (VLD1/VST1, VLD2
@ de-interleaving, all-lanes), floating point with the standard FPSCR value (flush to
@ zero), ARM and Thumb encodings, and one encoding where the differential tester's oracle
@ (Unicorn) is wrong: VQDMULL with U=1 (0xf3d38d04) is UNDEFINED by ARM ARM DDI0406C
@ table A7-10 (VQDMLAL/VQDMLSL/VQDMULL exist only with U=0); Unicorn executes it.
        .include "test.inc"
        .fpu neon-vfpv4
        .text
        .global _start
_start: mov r11, #0
        ldr sp, =0x100000
        ldr r0, =vectors
        mcr p15, 0, r0, c12, c0, 0
        mov r0, #0xf00000
        mcr p15, 0, r0, c1, c0, 2
        isb
        mov r0, #0x40000000
        vmsr fpexc, r0
        vmrs r0, mvfr1
        ldr r1, =0xfff00
        and r0, r0, r1
        check r0, 0x11100               @ SIMD load/store, integer, single precision
        @ --- integer lanes
        vmov.i8 d0, #200
        vmov.i8 d1, #100
        vadd.i8 d2, d0, d1              @ wraps: 44
        vmov.u8 r0, d2[3]
        check r0, 44
        vqadd.u8 d3, d0, d1             @ saturates: 255, sets QC
        vmov.u8 r0, d3[0]
        check r0, 255
        vmrs r0, fpscr
        and r0, r0, #0x08000000
        check r0, 0x08000000
        ldr r0, =0x00010002
        ldr r1, =0x00030004
        vmov d4, r0, r1                 @ u16 lanes 2, 1, 4, 3
        vmull.u16 q3, d4, d4            @ squares, 32-bit lanes
        vmov.32 r0, d7[1]
        check r0, 9
        vshr.u16 d5, d4, #1
        vmov r0, r1, d5
        check r0, 0x00000001
        vpadd.i16 d6, d4, d4
        vmov.u16 r0, d6[0]
        check r0, 3
        vdup.16 q4, r1                  @ r1 = 0x00010002: lanes of 2
        vmov.u16 r0, d9[3]
        check r0, 2
        @ VQRSHL.U64 of 2^63 by 64: saturates to all ones (the helper's 128-bit product
        @ overflowed to 0; found by the differential tester, seed 4711)
        mov r0, #0
        vmsr fpscr, r0                  @ QC clear
        mov r1, #0x80000000
        vmov d16, r0, r1
        mov r1, #0
        mov r0, #64
        vmov d17, r0, r1
        vqrshl.u64 d18, d16, d17
        vmov r0, r1, d18
        check r0, 0xffffffff
        check r1, 0xffffffff
        vmrs r0, fpscr
        and r0, r0, #0x08000000
        check r0, 0x08000000
        vmov.i32 q5, #0x12
        vzip.32 d10, d11
        vmov r0, r1, d10
        check r1, 0x12
        @ --- loads and stores
        ldr r2, =src
        vld1.8 {d12, d13}, [r2]
        vmov.u8 r0, d13[7]
        check r0, 15
        vld2.8 {d14, d15}, [r2]         @ even bytes to d14, odd to d15
        vmov.u8 r0, d15[2]
        check r0, 5
        vld1.32 {d16[]}, [r2]           @ all lanes
        vmov r0, r1, d16
        check r1, 0x03020100
        ldr r3, =dst
        vst1.8 {d14}, [r3]!
        check r3, dst + 8
        ldrb r0, [r3, #-1]
        check r0, 14
        @ --- floating point: the standard FPSCR value flushes denormals
        mov r0, #1
        vdup.32 d17, r0                 @ the smallest denormal
        vadd.f32 d18, d17, d17
        vmov r0, r1, d18
        check r0, 0
        vmov.f32 d19, #2.0
        vmul.f32 d20, d19, d19
        vmov r0, r1, d20
        check r1, 0x40800000
        @ --- the oracle bug: VQDMULL with U=1 is UNDEFINED
        ldr r1, =excp_count
        mov r0, #0
        str r0, [r1]
        .word 0xf3d38d04
        ldr r1, =excp_count
        ldr r0, [r1]
        check r0, 1
        @ --- Thumb encoding
        adr r0, tpart + 1
        bx r0
        .thumb
        .thumb_func
tpart:  vmov.i16 q0, #7
        vadd.i16 q1, q0, q0
        vmov.u16 r6, d3[3]
        ldr r0, =back
        bx r0
        .ltorg
        .arm
back:   check r6, 14
        pass
        fail_handler
        .ltorg
        undef_counting_vectors
        .data
        .align 4
src:    .byte 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
dst:    .space 16
excp_count: .word 0
dabt_count: .word 0
resume:     .word 0
