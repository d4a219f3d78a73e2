@ VFP: disabled by default (UNDEFINED until CPACR and FPEXC.EN enable it), the alignment
@ fault of VLDR (where the Unicorn oracle is wrong), arithmetic in both precisions, FPSCR flags and compare results moved to APSR, VPUSH/VPOP, VLDR
@ literals, conversions with rounding modes, flush-to-zero and default NaN, and the same
@ operations from Thumb state.
        .include "test.inc"
        .fpu vfpv4
        .text
        .global _start
_start: mov r11, #0
        ldr sp, =0x100000
        ldr r0, =vectors
        mcr p15, 0, r0, c12, c0, 0
        @ --- disabled: VADD is UNDEFINED
        ldr r1, =excp_count
        mov r0, #0
        str r0, [r1]
        vadd.f32 s0, s1, s2
        ldr r1, =excp_count
        ldr r0, [r1]
        check r0, 1
        @ --- enable: CPACR cp10/cp11 full access, FPEXC.EN
        mov r0, #0xf00000
        mcr p15, 0, r0, c1, c0, 2
        isb
        mov r0, #0x40000000
        vmsr fpexc, r0
        vmrs r1, fpsid
        check r1, 0x410430f0
        vmrs r1, mvfr0
        check r1, 0x10110222
        @ --- single precision
        vmov.f32 s0, #1.5
        vmov.f32 s1, #2.0
        vadd.f32 s2, s0, s1
        vmov r0, s2
        check r0, 0x40600000            @ 3.5
        vmul.f32 s3, s2, s1
        vmov r0, s3
        check r0, 0x40e00000            @ 7.0
        vdiv.f32 s4, s0, s1
        vmov r0, s4
        check r0, 0x3f400000            @ 0.75
        vsqrt.f32 s5, s1
        vmov r0, s5
        check r0, 0x3fb504f3            @ sqrt(2), round to nearest
        vfma.f32 s0, s1, s1             @ 1.5 + 2 * 2
        vmov r0, s0
        check r0, 0x40b00000
        @ --- double precision, VMOV two registers
        ldr r2, =0x54442d18
        ldr r3, =0x400921fb             @ pi
        vmov d8, r2, r3
        vmov.f64 d9, #0.5
        vmul.f64 d10, d8, d9
        vmov r4, r5, d10
        check r5, 0x3ff921fb
        check r4, 0x54442d18
        vcvt.f32.f64 s0, d8
        vmov r0, s0
        check r0, 0x40490fdb
        @ --- compare, flags to APSR
        vcmp.f64 d8, d9
        vmrs APSR_nzcv, fpscr
        check_flags 0x20000000          @ greater: C
        vcmpe.f64 d9, d8
        vmrs APSR_nzcv, fpscr
        check_flags 0x80000000          @ less: N
        @ --- invalid operation: default NaN and IOC
        mov r0, #0
        vmsr fpscr, r0
        vmov.f32 s6, #1.0
        vsub.f32 s7, s7, s7
        vdiv.f32 s8, s7, s7             @ 0 / 0
        vmov r0, s8
        check r0, 0x7fc00000
        vmrs r0, fpscr
        and r0, r0, #0x9f
        check r0, 0x01                  @ IOC
        @ --- conversions: VCVT rounds towards zero, VCVTR by FPSCR (round down here)
        ldr r0, =0xbfc00000             @ -1.5
        vmov s9, r0
        vcvt.s32.f32 s10, s9
        vmov r0, s10
        check r0, 0xffffffff
        ldr r0, =0x00800000             @ RMode = round towards minus infinity
        vmsr fpscr, r0
        vcvtr.s32.f32 s10, s9
        vmov r0, s10
        check r0, 0xfffffffe
        ldr r0, =0x4f800000             @ 2^32 saturates to INT_MAX with IOC
        vmov s9, r0
        vcvt.s32.f32 s10, s9
        vmov r0, s10
        check r0, 0x7fffffff
        @ --- flush-to-zero: a denormal input counts as zero (IDC)
        ldr r0, =0x01000000             @ FZ
        vmsr fpscr, r0
        mov r0, #1
        vmov s11, r0                    @ the smallest denormal
        vadd.f32 s12, s11, s11
        vmov r0, s12
        check r0, 0
        vmrs r0, fpscr
        and r0, r0, #0x80
        check r0, 0x80
        mov r0, #0
        vmsr fpscr, r0
        @ --- VLDR always checks word alignment, SCTLR.A or not (ARM ARM A3.2.1); Unicorn,
        @ the differential tester's oracle, does not fault here
        ldr r2, =dlit + 2
        vldr s0, [r2]
        ldr r1, =dabt_count
        ldr r0, [r1]
        check r0, 1
        mrc p15, 0, r0, c5, c0, 0       @ DFSR: alignment fault
        ldr r1, =0x40f
        and r0, r0, r1
        check r0, 1
        @ --- VPUSH / VPOP, VLDR literal
        vldr d0, dlit
        vpush {d0-d1}
        vmov.f64 d0, #1.0
        vpop {d2-d3}
        vmov r0, r1, d2
        check r1, 0x40450000            @ 42.0
        @ --- the same from Thumb state
        adr r0, thumb_part + 1
        bx r0
        .thumb
        .thumb_func
thumb_part:
        vmov.f32 s0, #3.0
        vmov.f32 s1, #0.5
        vmul.f32 s2, s0, s1
        vmov r6, s2
        vcmp.f32 s0, s1
        vmrs APSR_nzcv, fpscr
        ite gt
        movgt r7, #1
        movle r7, #2
        ldr r0, =arm_back
        bx r0
        .ltorg
        .arm
arm_back:
        check r6, 0x3fc00000
        check r7, 1
        pass
        fail_handler
        .ltorg
        .align 3
dlit:   .double 42.0
        undef_counting_vectors
        .data
        .align 2
excp_count: .word 0
dabt_count: .word 0
resume:     .word 0
