; run: i386 -cpu max -d cpu_reset
; expect:   5: v=0d #GP e=0043
; A triple fault resets the machine: with an empty IDT, INT3 raises #GP, the #GP's
; delivery raises #GP again (-> #DF), whose delivery faults once more (-> shutdown,
; reset). RAM survives the reset, so the second boot sees its marker and passes (Intel
; SDM vol. 3A 6.15 "interrupt 8", table 6-5).
%include "sys.inc"
%define MARK (VARS + 0x100)
    org ROM_BASE
    bits 16
start:
    REAL_INIT
    cmp dword [MARK], 0x5a5a5a5a
    jne .first
    PUTS `second boot after the triple fault\n`
    mov dword [MARK], 0
    PASS
.first:
    mov dword [MARK], 0x5a5a5a5a
    TO_PM32
    lidt [idtr_empty]
    PUTS `triple faulting\n`
    int3
    FAIL 0x01

idtr_empty: dw 0
            dd IDT_BASE

    FLAT_GDT_AND_RESET_VECTOR
