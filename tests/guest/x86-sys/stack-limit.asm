; The SS limit during interrupt delivery and far calls in 32-bit protected mode (Intel SDM
; vol. 2 INT n and CALL pseudo-code, vol. 3A 5.3, 6.15 table 6-5): from ring 3, INT n to a
; ring-3 handler on a too-small expand-up stack is #SS(0); an expand-down stack takes
; pushes above its limit and faults at it; a same-privilege far CALL is #SS(0); a call
; gate and an INT n to ring 1 whose TSS stack (SS1, 8 bytes of room) is too small give
; #SS(SS1); an exception (#UD) delivered there #SS(SS1 + EXT); a #GP delivered there turns
; the #SS into a #DF(0). Each fault ends in the ring-0 handler (TSS stack 0 is fine).
%include "sys.inc"
%define SMALL1 0x38                     ; ring-1 stack, 16 bytes at 6000h
%define SMALL3 0x43                     ; ring-3 stack, 16 bytes at 5000h
%define DOWN3 0x4b                      ; ring-3 expand-down stack, offsets above FF0h

; GATE vector, handler, selector, type byte: a 32-bit IDT gate.
%macro GATE 4
    mov eax, %2
    mov [IDT_BASE + (%1) * 8], ax
    mov word [IDT_BASE + (%1) * 8 + 2], %3
    mov byte [IDT_BASE + (%1) * 8 + 4], 0
    mov byte [IDT_BASE + (%1) * 8 + 5], %4
    shr eax, 16
    mov [IDT_BASE + (%1) * 8 + 6], ax
%endmacro

    START_PM32
    mov dword [TSS_BASE + 4], STACK0
    mov dword [TSS_BASE + 8], 0x10
    mov dword [TSS_BASE + 0xc], 8       ; ESP1: room for two dwords
    mov dword [TSS_BASE + 0x10], SMALL1 | 1
    mov word [TSS_BASE + 0x66], 0x68
    mov ax, 0x28
    ltr ax
    GATE 0x33, handler33, 0x1b, 0xee    ; DPL 3, ring-3 handler
    GATE 0x34, ring1_fail, 0x31, 0xee   ; DPL 3, ring-1 handler
    GATE 6, ring1_fail, 0x31, 0x8e      ; #UD to ring 1

    ; ---- INT n, same privilege, expand-up stack too small ----
    TRY
    call to_ring3
    mov ax, SMALL3
    mov ss, ax
    mov esp, 8                          ; EFLAGS and CS fit, EIP would wrap
    int 0x33
    CATCH 12, 0, 0x10
    ; ---- expand-down stack: above the limit fine, at the limit #SS(0) ----
    TRY
    call to_ring3
    mov ax, DOWN3
    mov ss, ax
    mov esp, 0x1000
    int 0x33                            ; pushes at FF4h-FFFh
    cmp esp, 0x1000
    je .down_ok
    FAIL 0x13
.down_ok:
    mov esp, 0xffc
    int 0x33                            ; the third push would be at FF0h
    CATCH 12, 0, 0x14
    ; ---- far CALL, same privilege ----
    TRY
    call to_ring3
    mov ax, SMALL3
    mov ss, ax
    mov esp, 4
    call 0x1b:ring3_fail
    CATCH 12, 0, 0x17
    ; ---- far CALL through a call gate to ring 1: the new stack is too small ----
    TRY
    call to_ring3
    call 0x53:0
    CATCH 12, SMALL1, 0x1a
    ; ---- INT n to ring 1 ----
    TRY
    call to_ring3
    int 0x34
    CATCH 12, SMALL1, 0x1d
    ; ---- #UD delivered to ring 1: EXT set ----
    TRY
    call to_ring3
    ud2
    CATCH 12, SMALL1 + 1, 0x20
    ; ---- #GP delivered to ring 1: #GP then #SS is a double fault ----
    GATE 13, ring1_fail, 0x31, 0x8e
    TRY
    call to_ring3
    mov ax, 0x10
    mov ds, ax                          ; #GP(10h) at CPL 3
    CATCH 8, 0, 0x23
    PUTS `stack limits ok\n`
    PASS

to_ring3:
    pop eax
    push dword 0x23
    push dword STACK3
    push dword 0x3002                   ; IOPL 3: rings 1 and 3 may report through ports
    push dword 0x1b
    push eax
    iretd

handler33:                              ; ring 3 (expand-down stack test)
    iretd
ring3_fail:
    FAIL 0x30
ring1_fail:
    FAIL 0x31

    STUBS32 0x10

    align 8
gdt_start:
    dq 0                                ; 0x00
    DESC 0, 0xfffff, A_CODE0, F_32      ; 0x08
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x10
    DESC 0, 0xfffff, A_CODE3, F_32      ; 0x18
    DESC 0, 0xfffff, A_DATA3, F_32      ; 0x20
    DESC TSS_BASE, 0x67, A_TSS32, 0     ; 0x28
    DESC 0, 0xfffff, 0xbb, F_32         ; 0x30 code, DPL 1
    DESC 0x6000, 0xf, 0xb3, 0x4         ; 0x38 SMALL1: data DPL 1, B = 1, 16 bytes
    DESC 0x5000, 0xf, 0xf3, 0x4         ; 0x40 SMALL3: data DPL 3, B = 1, 16 bytes
    DESC 0x5000, 0xff0, 0xf7, 0x4       ; 0x48 DOWN3: expand-down, DPL 3, B = 1
    dw ring1_fail - ROM_BASE            ; 0x50 call gate to ring 1, DPL 3, no parameters
    dw 0x31
    db 0
    db 0xec
    dw ROM_BASE >> 16
gdt_end:
gdtr: dw gdt_end - gdt_start - 1
      dd GDT_BASE

    RESET_VECTOR
