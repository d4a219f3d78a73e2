@ Exceptions, modes and the MMU: banked SP per mode, SVC/UNDEF entry and return (LR, SPSR),
@ HVC/SMC UNDEFINED without a handler, FIQ's banked r8-r12, SEV+WFE,
@ alignment faults, short-descriptor translation, domain, permission and XN faults (DFSR,
@ DFAR, IFSR, IFAR), User mode, ATS1CPR/PAR, LPAE translation and access-flag faults, the
@ exclusive monitor, and the generic timer's interrupt waking WFI (arm-test wires it to IRQ).
        .include "test.inc"
        .equ L1, 0x10000
        .equ L2, 0x14000
        .equ LPAE_L1, 0x18000
        @ the word is UNDEFINED: the handler runs (excp_id 1) with LR = its address + 4
        .macro check_undef_word insn
        mov r1, #0
        ldr r2, =excp_id
        str r1, [r2]
9:      .word \insn
        ldr r1, =excp_lr
        ldr r1, [r1]
        check r1, 9b + 4
        ldr r1, =excp_id
        ldr r1, [r1]
        check r1, 1
        .endm
        .text
        .global _start
_start: mov r11, #0
        ldr sp, =0x100000
        cps #0x17                       @ abort mode stack
        ldr sp, =0xf0000
        cps #0x1b                       @ undef
        ldr sp, =0xe0000
        cps #0x12                       @ irq
        ldr sp, =0xd0000
        cps #0x13
        check sp, 0x100000              @ SVC's own SP came back
        cps #0x17
        check sp, 0xf0000
        cps #0x13
        ldr r0, =vectors
        mcr p15, 0, r0, c12, c0, 0      @ VBAR
        @ --- SVC: LR = next instruction, SPSR = caller's CPSR
        mov r0, #0x55
        msr cpsr_f, #0x80000000
        svc #1
svc_ret:
        check r0, 0x55
        ldr r1, =excp_lr
        ldr r1, [r1]
        check r1, svc_ret
        ldr r1, =excp_spsr
        ldr r1, [r1]
        ldr r2, =0xff00001f
        and r1, r1, r2
        check r1, 0x80000013
        ldr r1, =excp_id
        ldr r1, [r1]
        check r1, 2
        @ --- UNDEFINED: LR = instruction + 4
undef_insn:
        .word 0xe7f000f0
        ldr r1, =excp_lr
        ldr r1, [r1]
        check r1, undef_insn + 4
        ldr r1, =excp_id
        ldr r1, [r1]
        check r1, 1
        @ --- HVC and SMC with no PSCI hook on this machine: UNDEFINED (no Virtualization or
        @ Security Extensions handler), LR = instruction + 4
        check_undef_word 0xe1400070     @ hvc #0
        check_undef_word 0xe1600070     @ smc #0
        @ --- FIQ mode banks r8-r12 (B1.3.2); r0-r7 are shared
        mov r7, #7
        mov r8, #8
        mov r9, #9
        cps #0x11
        mov r7, #0x77
        mov r8, #0x88
        mov r9, #0x99
        cps #0x13
        check r7, 0x77
        check r8, 8
        check r9, 9
        cps #0x11
        mov r0, r8
        cps #0x13
        check r0, 0x88
        @ --- SEV then WFE: the event register is set, WFE does not sleep
        sev
        wfe
        @ --- alignment: LDM is always checked, LDR only with SCTLR.A
        ldr r4, =buf + 2
        set_resume 1f
        ldm r4, {r0, r1}
        b fail
1:      check_abort 4, 0x001, buf + 2
        mrc p15, 0, r0, c1, c0, 0
        orr r0, r0, #2
        mcr p15, 0, r0, c1, c0, 0
        set_resume 1f
        ldr r0, [r4]
        b fail
1:      check_abort 4, 0x001, buf + 2
        mrc p15, 0, r0, c1, c0, 0
        bic r0, r0, #2
        mcr p15, 0, r0, c1, c0, 0
        ldr r0, [r4]                    @ unaligned is fine now
        @ --- short-descriptor MMU
        bl build_tables
        ldr r0, =0x300000
        ldr r1, =0xcafef00d
        str r1, [r0]
        ldr r0, =L1
        mcr p15, 0, r0, c2, c0, 0       @ TTBR0
        mov r0, #0
        mcr p15, 0, r0, c2, c0, 2       @ TTBCR
        mov r0, #1
        mcr p15, 0, r0, c3, c0, 0       @ DACR: domain 0 client, domain 1 no access
        mrc p15, 0, r0, c1, c0, 0
        orr r0, r0, #1
        mcr p15, 0, r0, c1, c0, 0       @ MMU on
        isb
        ldr r0, =0x200000               @ small page -> PA 0x300000
        ldr r1, [r0]
        check r1, 0xcafef00d
        mov r1, #0x200000
        mcr p15, 0, r1, c7, c8, 0       @ ATS1CPR
        mrc p15, 0, r2, c7, c4, 0       @ PAR
        ldr r3, =0xfffff001
        and r2, r2, r3
        check r2, 0x300000
        ldr r0, =0x201000
        set_resume 1f
        ldr r1, [r0]
        b fail
1:      check_abort 4, 0x007, 0x201000  @ page translation fault
        @ LDM/STM move word pairs as one access: a fault on the pair's second word
        @ reports that word, and the base is not written back
        ldr r4, =0x200ffc
        set_resume 1f
        ldm r4!, {r0, r1}
        b fail
1:      check_abort 4, 0x007, 0x201000
        check r4, 0x200ffc
        ldr r4, =0x200ff8
        set_resume 1f
        ldm r4, {r0, r1, r2}            @ a pair, then a single word on the next page
        b fail
1:      check_abort 4, 0x007, 0x201000
        ldr r4, =0x200ffc
        set_resume 1f
        stmdb r4!, {r0, r1}             @ 0x200ff4, 0x200ff8: mapped
        check r4, 0x200ff4
        add r4, r4, #8
        stm r4, {r0, r1}
        b fail
1:      check_abort 4, 0x807, 0x201000  @ WnR
        ldr r0, =0x500000
        set_resume 1f
        str r1, [r0]
        b fail
1:      check_abort 4, 0x805, 0x500000  @ section translation fault, WnR
        ldr r0, =0x400000
        set_resume 1f
        ldr r1, [r0]
        b fail
1:      check_abort 4, 0x019, 0x400000  @ domain 1 fault
        set_resume 1f
        ldr r0, =0x300000
        blx r0                          @ XN section: prefetch abort
        b fail
1:      check_pabt 0x00d, 0x300000
        mov r0, #5
        mcr p15, 0, r0, c3, c0, 0       @ domain 1 client now
        ldr r0, =0x400000
        ldr r1, [r0]                    @ no fault
        @ --- User mode: the second MB is privileged-only (AP = 01)
        ldr r4, =0x100100
        msr cpsr_c, #0x10
        set_resume 1f
        ldr r1, [r4]
        b fail
1:      check_abort 4, 0x00d, 0x100100
        mrs r0, cpsr
        and r0, r0, #0x1f
        check r0, 0x10                  @ back in User mode after the abort
        mov r0, #0x99
        svc #0                          @ the handler returns to SVC mode
        mrs r0, cpsr
        and r0, r0, #0x1f
        check r0, 0x13
        mrc p15, 0, r0, c1, c0, 0
        bic r0, r0, #1
        mcr p15, 0, r0, c1, c0, 0       @ MMU off
        isb
        @ --- exclusive monitor
        ldr r0, =buf
        mov r3, #7
        ldrex r1, [r0]
        strex r2, r3, [r0]
        check r2, 0
        ldr r1, [r0]
        check r1, 7
        strex r2, r3, [r0]              @ no open LDREX
        check r2, 1
        ldrex r1, [r0]
        clrex
        strex r2, r3, [r0]
        check r2, 1
        ldrexd r4, r5, [r0]
        mov r6, #1
        mov r7, #2
        strexd r2, r6, r7, [r0]
        check r2, 0
        ldr r1, [r0, #4]
        check r1, 2
        @ --- generic timer -> IRQ -> WFI wakes
        cpsid if                        @ (the User-mode test left them clear)
        ldr r0, =irq_count
        mov r1, #0
        str r1, [r0]
        mov r0, #200
        mcr p15, 0, r0, c14, c2, 0      @ CNTP_TVAL
        mov r0, #1
        mcr p15, 0, r0, c14, c2, 1      @ CNTP_CTL: enable
        wfi                             @ IRQ masked: WFI still wakes on the pending line
        ldr r0, =irq_count
        ldr r0, [r0]
        check r0, 0
        cpsie i                         @ taken here
        nop
        cpsid i
        ldr r0, =irq_count
        ldr r0, [r0]
        check r0, 1
        @ --- LPAE: level-1 1 GiB blocks
        ldr r0, =LPAE_L1
        ldr r1, =0x00000441             @ block 0, AF, AP = 01, valid
        str r1, [r0]
        mov r1, #0
        str r1, [r0, #4]
        str r1, [r0, #8]                @ entry 1 invalid
        str r1, [r0, #12]
        ldr r1, =0x80000041             @ block 2 without AF
        str r1, [r0, #16]
        mov r1, #0
        str r1, [r0, #20]
        ldr r0, =0x80000000
        mcr p15, 0, r0, c2, c0, 2       @ TTBCR.EAE
        ldr r0, =LPAE_L1
        mov r1, #0
        mcrr p15, 0, r0, r1, c2         @ 64-bit TTBR0
        mrc p15, 0, r0, c1, c0, 0
        orr r0, r0, #1
        mcr p15, 0, r0, c1, c0, 0
        isb
        ldr r0, =buf
        ldr r1, [r0]                    @ through the block
        ldr r0, =0x40000000
        set_resume 1f
        ldr r1, [r0]
        b fail
1:      check_abort 4, 0x205, 0x40000000        @ LPAE translation fault, level 1
        ldr r0, =0x80000010
        set_resume 1f
        ldr r1, [r0]
        b fail
1:      check_abort 4, 0x209, 0x80000010        @ access flag fault, level 1
        mrc p15, 0, r0, c1, c0, 0
        bic r0, r0, #1
        mcr p15, 0, r0, c1, c0, 0
        pass
        fail_handler

@ short-descriptor tables: see the comment at the top of each entry
build_tables:
        ldr r0, =L1
        mov r1, #0
        mov r2, #4096
1:      str r1, [r0], #4
        subs r2, r2, #1
        bne 1b
        ldr r0, =L1
        ldr r1, =0x00000c02             @ MB 0: section, AP = 11
        str r1, [r0, #0]
        ldr r1, =0x00100402             @ MB 1: AP = 01 (privileged only)
        str r1, [r0, #4]
        ldr r1, =L2 | 1                 @ MB 2: page table
        str r1, [r0, #8]
        ldr r1, =0x00300c12             @ MB 3: XN
        str r1, [r0, #12]
        ldr r1, =0x00400c22             @ MB 4: domain 1
        str r1, [r0, #16]
        ldr r1, =0x0a000c02             @ the result device
        str r1, [r0, #0xa0 * 4]
        l2_clear_and_map_200000
        bx lr

        .ltorg
        .align 5
vectors:
        b fail                          @ reset
        b und_handler
        b svc_handler
        b pabt_handler
        b dabt_handler
        b fail
        b irq_handler
        b fail

record: @ r0 = id; keeps LR and SPSR of the exception
        ldr r1, =excp_id
        str r0, [r1]
        ldr r1, =excp_lr
        str lr, [r1]
        mrs r0, spsr
        ldr r1, =excp_spsr
        str r0, [r1]
        bx r2

und_handler:
        push {r0-r3}
        mov r0, #1
        adr r2, 1f
        b record
1:      pop {r0-r3}
        movs pc, lr

svc_handler:
        push {r0-r3}
        mov r3, r0
        mov r0, #2
        adr r2, 1f
        b record
1:      cmp r3, #0x99
        bne 2f
        mrs r0, spsr
        bic r0, r0, #0x1f
        orr r0, r0, #0x13
        msr spsr_cxsf, r0
2:      pop {r0-r3}
        movs pc, lr

        abort_handlers

irq_handler:
        push {r0, r1}
        mov r0, #0
        mcr p15, 0, r0, c14, c2, 1      @ timer off: the line goes low
        ldr r0, =irq_count
        ldr r1, [r0]
        add r1, r1, #1
        str r1, [r0]
        pop {r0, r1}
        subs pc, lr, #4

        .data
        .align 2
excp_id:   .word 0
excp_lr:   .word 0
excp_spsr: .word 0
excp_fsr:  .word 0
excp_far:  .word 0
resume:    .word 0
irq_count: .word 0
buf:       .space 64
