; mode: 16
; Real mode: 16-bit operand and address sizes, the 16-bit ModRM forms ([bx+si],
; [bp+di+disp] through SS...), operand/address-size prefixes, segment registers
; (MOV, PUSH/POP, LES/LDS, segment overrides), JCXZ/LOOP on CX, PUSHA/POPA.
    bits 16
    org 0x1000
%include "lib.inc"

    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x8000
    mov bx, table
    mov si, 2
    mov ax, [bx+si]
    CHECK ax, 0x2222
    mov di, 4
    mov ax, [bx+di+2]
    CHECK ax, 0x4444
    mov bp, table
    mov ax, [bp+si]                 ; SS-relative (SS = 0 here)
    CHECK ax, 0x2222
    mov eax, 0x12345678             ; 66 prefix
    add eax, 0x11111111
    CHECK eax, 0x23456789
    mov ecx, table
    mov ax, [ecx+2]                 ; 67 prefix: 32-bit addressing
    CHECK ax, 0x2222

    ; segments: a second view of the table through ES = 0x100
    mov ax, 0x100
    mov es, ax
    mov byte [es:table - 0x1000], 0x77
    CHECK byte [table], 0x77
    push es
    pop ds                          ; DS = 0x100
    mov al, [table - 0x1000]
    CHECK al, 0x77
    xor ax, ax
    mov ds, ax
    les di, [farptr]
    mov ax, es
    CHECK ax, 0x1234
    CHECK di, 0x5678
    xor ax, ax
    mov es, ax

    mov cx, 0
    jcxz .zero
    mov esi, $
    jmp fail
.zero:
    mov cx, 4
    xor dx, dx
.l:
    add dx, 2
    loop .l
    CHECK dx, 8
    mov ax, 1
    mov bx, 2
    pusha
    xor ax, ax
    xor bx, bx
    popa
    CHECK ax, 1
    CHECK bx, 2
    CHECK sp, 0x8000
    PASS

table: dw 0x1111, 0x2222, 0x3333, 0x4444
farptr: dw 0x5678, 0x1234
