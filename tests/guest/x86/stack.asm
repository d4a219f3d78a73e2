; mode: 32
; PUSH/POP (32 and 16 bits, immediates, memory), PUSHA/POPA, PUSHF/POPF, ENTER/LEAVE
; (with nesting), CALL/RET (near, indirect, RET imm16).
    bits 32
    org 0x1000
%include "lib.inc"

    mov esp, 0x8000
    push dword 0x11223344
    push word 0x5566
    CHECK esp, 0x8000 - 6
    pop ax
    pop ebx
    CHECK ax, 0x5566
    CHECK ebx, 0x11223344
    push byte -2
    pop ecx
    CHECK ecx, -2
    mov dword [slot], 77
    push dword [slot]
    pop dword [slot + 4]
    CHECK dword [slot + 4], 77

    mov eax, 1
    mov ecx, 2
    mov edx, 3
    mov ebx, 4
    mov ebp, 6
    mov esi, 7
    mov edi, 8
    pusha
    CHECK dword [esp + 12], 0x8000  ; the ESP pushed is the value before PUSHA
    xor eax, eax
    xor ecx, ecx
    xor edi, edi
    popa
    CHECK eax, 1
    CHECK ecx, 2
    CHECK edi, 8
    CHECK esp, 0x8000

    SETF CF|ZF
    pushf
    SETF 0
    popf
    pushfd                          ; (before CHECKF, whose CMP changes the flags)
    CHECKF ARITH, CF|ZF
    pop eax
    and eax, 0x8d5 | 0x400
    CHECK eax, 0x41                 ; CF ZF, DF clear

    mov ebp, 0x1234
    enter 16, 0
    CHECK ebp, 0x8000 - 4
    CHECK esp, 0x8000 - 4 - 16
    leave
    CHECK ebp, 0x1234
    CHECK esp, 0x8000
    mov ebp, 0x7000
    mov dword [0x7000 - 4], 0xaaaa
    enter 8, 2                      ; copies one frame pointer from [ebp - 4]
    CHECK dword [esp + 12], 0xaaaa
    CHECK dword [esp + 8], 0x8000 - 4
    CHECK ebp, 0x8000 - 4
    leave
    CHECK ebp, 0x7000

    call func
    CHECK eax, 0x99
    mov ebx, func
    call ebx
    mov dword [slot], func2
    push dword 5
    push dword 6
    call [slot]                     ; RET 8 pops the two arguments
    CHECK esp, 0x8000
    CHECK eax, 11
    PASS

func:
    mov eax, 0x99
    ret
func2:
    mov eax, [esp + 4]
    add eax, [esp + 8]
    ret 8

slot: dd 0, 0
