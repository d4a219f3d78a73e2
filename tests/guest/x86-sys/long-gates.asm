; run: x86_64 -cpu max
; 64-bit privilege transitions (Intel SDM vol. 3A 5.8.3.1, 6.14.5; vol. 2B SYSENTER,
; SYSEXIT): SYSEXIT with REX.W to 64-bit ring 3 and SYSENTER back; a far CALL from ring 3
; through a 64-bit call gate (16-byte descriptor) to ring 0 with the stack from TSS.RSP0
; and RETFQ back to the outer ring; an interrupt gate with IST 1.
%include "sys.inc"
%define TSS64 TSS_BASE
    org ROM_BASE
    bits 16
start:
    REAL_INIT
    TO_PM32
    TO_LONG64 0x48
    SET_GATE64 0x31, ist_handler, 0xee01            ; DPL 3 interrupt gate, IST 1


    mov qword [TSS64 + 0x24], 0x6800    ; IST1
    ; ---- SYSENTER / SYSEXIT (64-bit) ----
    mov ecx, 0x174
    mov eax, 0x18                       ; 64-bit ring-0 CS; ring 3: +32 = 0x38, SS +40
    xor edx, edx
    wrmsr
    mov ecx, 0x175
    mov eax, STACK0 - 0x200
    wrmsr
    mov ecx, 0x176
    mov eax, sysenter64
    wrmsr
    mov rcx, STACK3
    mov rdx, user_a
    o64 sysexit
user_a:
    mov ax, cs
    CHK ax, 0x3b, 0x10
    mov ax, ss
    CHK ax, 0x3b + 8, 0x11
    sysenter
    FAIL 0x12
sysenter64:
    mov ax, cs
    CHK ax, 0x18, 0x13
    mov rax, rsp
    CHK rax, STACK0 - 0x200, 0x14
    ; ---- CALL FAR through a 64-bit call gate from ring 3 ----
    mov rcx, STACK3
    mov rdx, user_b
    o64 sysexit
user_b:
    mov rbx, rsp
    call far [rel gate_ptr]
    CHK rsp, rbx, 0x18                  ; back on the ring-3 stack
    mov ax, cs
    CHK ax, 0x3b, 0x19
    CHK dword [V_TMP], 0x6a7e, 0x1a
    ; ---- IST: INT 0x31 (DPL 3 gate with IST 1) ----
    int 0x31
    CHK dword [V_TMP], 0x15, 0x1b
    PUTS `64-bit gates ok\n`
    PASS

gate_ptr: dq 0                          ; offset (ignored for a gate)
          dw 0x5b                       ; call gate 0x58, RPL 3

gate_target:                            ; ring 0 through the gate
    mov ax, cs
    CHK ax, 0x18, 0x20
    mov rax, rsp
    CHK rax, STACK0 - 32, 0x21          ; RSP0 with SS, RSP, CS, RIP pushed
    CHK qword [rsp + 8], 0x3b, 0x22     ; caller CS
    CHK qword [rsp + 24], 0x43, 0x23    ; caller SS (SYSEXIT: SYSENTER_CS + 40)
    mov dword [V_TMP], 0x6a7e
    o64 retf

ist_handler:
    mov rax, rsp
    CHK rax, 0x6800 - 40, 0x28          ; the IST1 stack
    mov dword [V_TMP], 0x15
    iretq

    STUBS64 0x18

    align 8
gdt_start:
    dq 0                                ; 0x00
    DESC 0, 0xfffff, A_CODE0, F_32      ; 0x08 32-bit code, ring 0
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x10 data, ring 0
    DESC 0, 0xfffff, A_CODE0, F_64      ; 0x18 64-bit code, ring 0
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x20 data, ring 0
    DESC 0, 0xfffff, A_CODE3, F_32      ; 0x28 32-bit code, ring 3
    DESC 0, 0xfffff, A_DATA3, F_32      ; 0x30 data, ring 3
    DESC 0, 0xfffff, A_CODE3, F_64      ; 0x38 64-bit code, ring 3
    DESC 0, 0xfffff, A_DATA3, F_32      ; 0x40 data, ring 3 (SYSEXIT: SYSENTER_CS + 40)
    DESC TSS64, 0x67, A_TSS32, 0        ; 0x48 64-bit TSS (16 bytes)
    dq 0
    dw gate_target - ROM_BASE           ; 0x58 64-bit call gate, DPL 3 (16 bytes)
    dw 0x18
    db 0
    db 0xec
    dw ROM_BASE >> 16
    dd 0
    dd 0
gdt_end:
gdtr: dw gdt_end - gdt_start - 1
      dd GDT_BASE

    RESET_VECTOR
