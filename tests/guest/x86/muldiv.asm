; mode: 32
; MUL, IMUL (1, 2, 3 operands), DIV, IDIV: results, CF/OF; #DE for a zero divisor and an
; overflowing quotient (the exception is recorded and the handler resumes).
    bits 32
    org 0x1000
%include "lib.inc"

    mov al, 200
    mov bl, 2
    mul bl
    CHECKF CF|OF, CF|OF
    CHECK ax, 400
    mov eax, 0x10000
    mov ecx, 0x10000
    mul ecx
    CHECKF CF|OF, CF|OF
    CHECK edx, 1
    CHECK eax, 0
    mov eax, 7
    mov ecx, 6
    mul ecx
    CHECKF CF|OF, 0
    CHECK eax, 42

    mov ax, -3
    mov cx, 5
    imul cx
    CHECKF CF|OF, 0
    CHECK ax, -15
    CHECK dx, 0xffff
    mov eax, 0x40000000
    imul eax, eax, 4
    CHECKF CF|OF, CF|OF
    CHECK eax, 0
    mov ebx, -7
    imul ebx, [six]
    CHECKF CF|OF, 0
    CHECK ebx, -42
    ; the truncated product comes from the raw operands, CF/OF from a sign-extended one:
    ; an immediate with bit 31 (16: bit 15) set, with and without signed overflow
    mov ecx, 3
    imul eax, ecx, 0xbf58476d
    CHECKF CF|OF, CF|OF
    CHECK eax, 0x3e08d647
    mov ecx, -1
    imul eax, ecx, 0xbf58476d
    CHECKF CF|OF, 0
    CHECK eax, 0x40a7b893
    mov ecx, 0x4000
    imul ax, cx, -2
    CHECKF CF|OF, 0
    CHECK ax, 0x8000
    mov ecx, 0x4001
    imul ax, cx, -2
    CHECKF CF|OF, CF|OF
    CHECK ax, 0x7ffe
    mov ecx, 0x12345
    mov edx, 0x10003
    imul ecx, edx
    CHECKF CF|OF, CF|OF
    CHECK ecx, 0x234869cf

    mov edx, 0
    mov eax, 100
    mov ecx, 7
    div ecx
    CHECK eax, 14
    CHECK edx, 2
    mov edx, -1
    mov eax, -100
    mov ecx, 7
    idiv ecx
    CHECK eax, -14
    CHECK edx, -2
    mov ax, 1000
    mov bl, 10
    div bl
    CHECK al, 100
    CHECK ah, 0
    mov edx, 1
    mov eax, 0x10
    div eax                         ; the divisor is the dividend's low half (read in place)
    CHECK eax, 0x10000001
    CHECK edx, 0

    ; #DE: division by zero, then a quotient that does not fit
    mov dword [0x510], de_handler
    mov dword [0x500], -1
    xor ecx, ecx
    mov eax, 5
de1:
    div ecx
    jmp fail_de
de_back1:
    CHECK dword [0x500], 0
    CHECK dword [0x508], de1
    mov dword [0x500], -1
    mov ax, 0x1000
    mov bl, 2
de2:
    div bl                          ; 0x800 does not fit in AL
    jmp fail_de
de_back2:
    CHECK dword [0x500], 0
    CHECK dword [0x508], de2
    CHECK ax, 0x1000                ; unchanged
    mov dword [0x500], -1
    mov edx, 3
    mov eax, 9
de3:
    div edx                         ; EDX >= the divisor EDX: #DE, nothing written
    jmp fail_de
de_back3:
    CHECK dword [0x500], 0
    CHECK dword [0x508], de3
    CHECK edx, 3
    CHECK eax, 9
    PASS

de_handler:
    cmp dword [0x508], de1
    je de_back1
    cmp dword [0x508], de3
    je de_back3
    jmp de_back2
fail_de:
    mov esi, $
    jmp fail

six: dd 6
