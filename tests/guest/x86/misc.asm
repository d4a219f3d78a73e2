; mode: 32
; CBW/CWDE/CWD/CDQ, MOVZX/MOVSX, LEA forms, XLAT, LAHF/SAHF, CMC/CLC/STC, SALC, SETcc on
; memory, XCHG, NOP forms.
    bits 32
    org 0x1000
%include "lib.inc"

    mov al, 0x80
    cbw
    CHECK ax, 0xff80
    cwde
    CHECK eax, 0xffffff80
    cdq
    CHECK edx, 0xffffffff
    mov ax, 0x7fff
    cwd
    CHECK dx, 0
    mov bl, 0xfe
    movzx ecx, bl
    CHECK ecx, 0xfe
    movsx ecx, bl
    CHECK ecx, -2
    movsx cx, bl
    CHECK ecx, 0xfffffffe
    mov ebx, 0x100
    mov esi, 3
    lea eax, [ebx + esi*4 + 8]
    CHECK eax, 0x114
    lea ax, [ebx + esi*8 - 2]       ; 16-bit destination
    CHECK ax, 0x116
    mov ebx, xtab
    mov al, 2
    xlat
    CHECK al, 30
    SETF CF|ZF|SF
    lahf
    CHECK ah, 0xc3
    mov ah, 0x04                    ; PF only
    sahf
    CHECKF CF|ZF|SF|PF, PF
    stc
    cmc
    CHECKF CF, 0
    stc
    salc
    CHECK al, 0xff
    clc
    salc
    CHECK al, 0
    mov eax, 1
    cmp eax, 2
    setb [flag]
    CHECK byte [flag], 1
    mov ecx, 5
    mov edx, 9
    xchg ecx, edx
    CHECK ecx, 9
    CHECK edx, 5
    nop
    nop dword [eax]
    xchg eax, eax
    PASS

xtab: db 10, 20, 30, 40
flag: db 0
