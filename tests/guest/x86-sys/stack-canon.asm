; run: x86_64 -cpu max
; Non-canonical stack references in 64-bit mode (Intel SDM vol. 3A 3.3.7.1, 6.14; vol. 2
; PUSH/POP/CALL/LEAVE/INT n/IRET "64-bit mode exceptions"): #SS(0) when the stack (RSP,
; RBP-based or SS-prefixed operands, implicit pushes and pops, the C helpers of INT n and
; IRETQ) is non-canonical; #GP(0) for any other non-canonical data reference, also
; inside PUSH m / POP-like instructions whose stack is fine. #SS and #GP use IST 1.
%include "sys.inc"
%define NC 0x0000800000000010           ; just above the lower canonical half
%define NC_HI 0xffff7fffffffff00        ; just below the upper half
    org ROM_BASE
    bits 16
start:
    REAL_INIT
    TO_PM32
    TO_LONG64 0x28
    mov qword [TSS_BASE + 0x24], 0x6800 ; IST1
    SET_GATE64 12, stubs64 + 12 * 16, 0x8e01
    SET_GATE64 13, stubs64 + 13 * 16, 0x8e01
    SET_GATE64 0x31, int31, 0x8e00
    mov rbx, NC
    mov rcx, VARS + 0x100

    TRY
    mov rsp, rbx
    push rax
    CATCH 12, 0, 0x10
    TRY
    mov rsp, NC_HI
    pop rax
    CATCH 12, 0, 0x13
    TRY
    mov rsp, rbx
    mov rax, [rsp + 8]
    CATCH 12, 0, 0x16
    TRY
    mov rbp, rbx
    mov rax, [rbp]                      ; SS is RBP's default segment
    CATCH 12, 0, 0x19
    TRY
    mov rax, [rbx]
    CATCH 13, 0, 0x1c
    TRY
    push qword [rbx]                    ; operand non-canonical, stack fine
    CATCH 13, 0, 0x1f
    TRY
    mov rsp, rbx
    push qword [rcx]                    ; operand fine, stack non-canonical
    CATCH 12, 0, 0x22
    TRY
    mov rsp, rbx
    call .never
    CATCH 12, 0, 0x25
    TRY
    db 0x36                             ; SS prefix (nasm drops it in 64-bit code)
    mov rax, [rbx]
    CATCH 12, 0, 0x28
    TRY
    mov rsp, rbx
    int 0x31                            ; pushed by the delivery helper
    CATCH 12, 0, 0x2b
    TRY
    mov rsp, rbx
    iretq
    CATCH 12, 0, 0x2e
    TRY
    mov rbp, rbx
    leave
    CATCH 12, 0, 0x31
    TRY
    mov rsp, rbx
    pop qword [rcx]
    CATCH 12, 0, 0x34
    TRY
    pop qword [rbx]                     ; stack fine, destination non-canonical
    CATCH 13, 0, 0x37
    PUTS `non-canonical stack ok\n`
    PASS
.never:
    FAIL 0x40
int31:
    FAIL 0x41

    STUBS64 0x18

    align 8
gdt_start:
    dq 0                                ; 0x00
    DESC 0, 0xfffff, A_CODE0, F_32      ; 0x08 32-bit code, ring 0
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x10 data, ring 0
    DESC 0, 0xfffff, A_CODE0, F_64      ; 0x18 64-bit code, ring 0
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x20 data, ring 0
    DESC TSS_BASE, 0x67, A_TSS32, 0     ; 0x28 64-bit TSS (16 bytes)
    dq 0
gdt_end:
gdtr: dw gdt_end - gdt_start - 1
      dd GDT_BASE

    RESET_VECTOR
