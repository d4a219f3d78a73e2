; mode: 32
; DAA DAS AAA AAS AAM AAD: results and the defined flags (CF/AF, or SZP for AAM/AAD);
; AAM 0 raises #DE.
    bits 32
    org 0x1000
%include "lib.inc"

    mov al, 0x79
    add al, 0x35                    ; 0xae
    daa
    CHECKF CF|AF, CF|AF
    CHECK al, 0x14                  ; 79 + 35 = 114
    mov al, 0x35
    sub al, 0x47                    ; 0xee, CF
    das
    CHECKF CF, CF
    CHECK al, 0x88                  ; 35 - 47 = -12 -> 88 with borrow
    mov ax, 0x0009
    add al, 0x08                    ; 0x11, AF
    aaa
    CHECKF CF|AF, CF|AF
    CHECK ax, 0x0107
    mov ax, 0x0102
    sub al, 0x05                    ; borrow
    aas
    CHECKF CF|AF, CF|AF
    CHECK ax, 0x0007
    mov al, 73
    aam
    CHECKF ZF|SF, 0
    CHECK ax, 0x0703
    mov ax, 0x0703
    aad
    CHECK ax, 73
    mov ax, 0x0102
    aad 16
    CHECK ax, 0x12

    mov dword [0x510], de_handler
    mov dword [0x500], -1
aam0:
    aam 0
    mov esi, $
    jmp fail
de_back:
    CHECK dword [0x500], 0
    CHECK dword [0x508], aam0
    PASS

de_handler:
    jmp de_back
