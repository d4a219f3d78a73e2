@ CP15 writes whose effect must be seen by the very next instructions, whether or not the
@ translator ends the TB after them: cache maintenance by MVA (no TB end) still translates
@ and faults precisely (DFSR.CM, DFAR), TPIDRPRW reads back at once, and the instructions
@ after such a write in the same block run. A code page mapped elsewhere (page table write,
@ then TLBIALL or TLBIMVA) runs its new code when reached again through an indirect branch
@ (the jump cache, keyed by virtual PC, is dropped with the TLB). DACR writes take effect at
@ the next access whether they grant (no TLB flush) or restrict a domain: a domain fault
@ on a load and on a fetch of a page used just before, a write allowed as manager through
@ an entry filled read-only as client, then refused again as client.
        .include "test.inc"
        .equ L1, 0x10000
        .equ L2, 0x14000
        .text
        .global _start
_start: mov r11, #0
        ldr sp, =0x100000
        cps #0x17                       @ abort mode stack
        ldr sp, =0xf0000
        cps #0x13
        ldr r0, =vectors
        mcr p15, 0, r0, c12, c0, 0      @ VBAR
        bl build_tables
        ldr r0, =0x300000               @ two versions of a function, MMU still off
        ldr r1, =0xe3a00001             @ mov r0, #1
        ldr r2, =0xe12fff1e             @ bx lr
        str r1, [r0]
        str r2, [r0, #4]
        add r0, r0, #0x1000
        ldr r1, =0xe3a00002             @ mov r0, #2
        str r1, [r0]
        str r2, [r0, #4]
        ldr r0, =0x400000               @ in domain 1: mov r0, #3; bx lr
        ldr r1, =0xe3a00003
        str r1, [r0]
        str r2, [r0, #4]
        ldr r0, =L1
        mcr p15, 0, r0, c2, c0, 0       @ TTBR0
        mov r0, #0
        mcr p15, 0, r0, c2, c0, 2       @ TTBCR
        ldr r0, =0x55555555
        mcr p15, 0, r0, c3, c0, 0       @ DACR: every domain client
        mrc p15, 0, r0, c1, c0, 0
        orr r0, r0, #1
        mcr p15, 0, r0, c1, c0, 0       @ MMU on
        isb
        @ --- cache maintenance by MVA inside one block
        mov r5, #0
        ldr r0, =0x200000
        mcr p15, 0, r0, c7, c14, 1      @ DCCIMVAC, mapped: no fault
        mcr p15, 0, r0, c7, c10, 1      @ DCCMVAC
        mcr p15, 0, r0, c7, c11, 1      @ DCCMVAU
        mcr p15, 0, r0, c7, c5, 1       @ ICIMVAU
        add r5, r5, #1                  @ runs after them
        check r5, 1
        ldr r0, =0x201000               @ no page there
        mov r5, #0
        set_resume 1f
2:      mcr p15, 0, r0, c7, c14, 1      @ DCCIMVAC: translation fault, CM
        mov r5, #1                      @ skipped: the abort returns to 1f
        b fail
1:      check r5, 0
        ldr r0, =excp_lr
        ldr r0, [r0]
        check r0, 2b + 8                @ the MCR's address + 8
        ldr r0, =excp_id
        ldr r0, [r0]
        check r0, 4
        ldr r0, =excp_fsr
        ldr r0, [r0]
        ldr r1, =0x26ff
        and r0, r0, r1
        check r0, 0x2007                @ CM, page translation fault
        ldr r0, =excp_far
        ldr r0, [r0]
        check r0, 0x201000
        ldr r0, =0x501000               @ no section there: the same from DCIMVAC
        set_resume 1f
        mcr p15, 0, r0, c7, c6, 1
        b fail
1:      ldr r0, =excp_fsr
        ldr r0, [r0]
        ldr r1, =0x26ff
        and r0, r0, r1
        check r0, 0x2005
        @ --- TPIDRPRW and TPIDRURW read back at once
        ldr r0, =0x12345678
        mcr p15, 0, r0, c13, c0, 4
        mrc p15, 0, r1, c13, c0, 4
        check r1, 0x12345678
        add r0, r0, #1
        mcr p15, 0, r0, c13, c0, 2
        mrc p15, 0, r1, c13, c0, 2
        check r1, 0x12345679
        @ --- VA 0x200000 -> PA 0x300000 (r0 = 1), then 0x301000 (r0 = 2) and back
        ldr r4, =0x200000
        mov r6, #3
1:      mov r0, #0
        blx r4
        check r0, 1
        subs r6, r6, #1
        bne 1b
        ldr r5, =L2
        ldr r1, =0x00301032
        str r1, [r5]
        dsb
        mcr p15, 0, r0, c8, c7, 0       @ TLBIALL
        isb
        blx r4
        check r0, 2
        blx r4
        check r0, 2
        ldr r1, =0x00300032
        str r1, [r5]
        dsb
        mcr p15, 0, r4, c8, c7, 1       @ TLBIMVA 0x200000
        isb
        blx r4
        check r0, 1
        @ --- DACR: domain 1 holds MB 4 (read-only at PL1, executable)
        ldr r4, =0x400000
        ldr r1, [r4]                    @ fills the TLB (client: read-only)
        blx r4
        check r0, 3
        ldr r0, =0x55555551             @ domain 1: no access
        mcr p15, 0, r0, c3, c0, 0
        set_resume 1f
        ldr r1, [r4]
        b fail
1:      check_abort 4, 0x019, 0x400000  @ domain fault, section, domain 1
        set_resume 1f
        blx r4
        b fail
1:      ldr r0, =excp_id
        ldr r0, [r0]
        check r0, 3                     @ prefetch abort
        ldr r0, =excp_fsr
        ldr r0, [r0]
        ldr r1, =0x40f
        and r0, r0, r1
        check r0, 0x009
        ldr r0, =0x55555555             @ client again (a grant)
        mcr p15, 0, r0, c3, c0, 0
        mov r0, #0
        blx r4
        check r0, 3
        ldr r1, [r4]                    @ read-only entry as client
        ldr r0, =0x5555555d             @ domain 1: manager (a grant, AP ignored)
        mcr p15, 0, r0, c3, c0, 0
        ldr r1, =0x1234
        str r1, [r4, #0x100]            @ writable now
        ldr r2, [r4, #0x100]
        check r2, 0x1234
        ldr r0, =0x55555555             @ client (a restriction)
        mcr p15, 0, r0, c3, c0, 0
        set_resume 1f
        str r1, [r4, #0x100]
        b fail
1:      check_abort 4, 0x81d, 0x400100  @ permission fault, section, domain 1, WnR
        mrc p15, 0, r0, c1, c0, 0
        bic r0, r0, #1
        mcr p15, 0, r0, c1, c0, 0       @ MMU off
        isb
        pass
        fail_handler

@ MB 0 and the result device: flat sections; MB 2: a page table with VA 0x200000 -> PA
@ 0x300000 only (executable); MB 4: flat, domain 1, read-only.
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
        ldr r1, =L2 | 1                 @ MB 2: page table
        str r1, [r0, #8]
        ldr r1, =0x00408422             @ MB 4: domain 1, AP[2:0] = 101 (PL1 read-only)
        str r1, [r0, #16]
        ldr r1, =0x0a000c02             @ the result device
        str r1, [r0, #0xa0 * 4]
        l2_clear_and_map_200000
        bx lr

        .ltorg
        .align 5
vectors:
        b fail                          @ reset
        b fail                          @ undefined
        b fail                          @ SVC
        b pabt_handler
        b dabt_handler
        b fail
        b fail
        b fail

        abort_handlers save_lr=1

        .data
        .align 2
excp_id:   .word 0
excp_fsr:  .word 0
excp_lr:   .word 0
excp_far:  .word 0
resume:    .word 0
