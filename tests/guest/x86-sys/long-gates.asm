; run: x86_64 -cpu max
; 64-bit privilege transitions (Intel SDM vol. 3A 5.8.3.1, 6.14.5; vol. 2B SYSENTER,
; SYSEXIT): SYSEXIT with REX.W to 64-bit ring 3 and SYSENTER back; a far CALL from ring 3
; through a 64-bit call gate (16-byte descriptor) to ring 0 with the stack from TSS.RSP0
; and RETFQ back to the outer ring; an interrupt gate with IST 1.
%include "sys.inc"
%define PML4 0x10000
%define PDPT 0x11000
%define PD 0x12000
%define TSS64 0x3000
    org ROM_BASE
    bits 16
start:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, STACK0
    LOAD_GDT16
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword 0x08:pm32

    bits 32
pm32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, STACK0
    ; page tables: identity map of the first 4 MiB with 2 MiB pages, user-accessible
    mov edi, PML4
    mov ecx, 3 * 4096 / 4
    xor eax, eax
    rep stosd
    mov dword [PML4], PDPT | 7
    mov dword [PDPT], PD | 7
    mov dword [PD], 0x000000 | 0x87
    mov dword [PD + 8], 0x200000 | 0x87
    mov eax, cr4
    or eax, 1 << 5                      ; PAE
    mov cr4, eax
    mov eax, PML4
    mov cr3, eax
    mov ecx, 0xc0000080
    rdmsr
    or eax, (1 << 8) | 1                ; LME, SCE
    wrmsr
    mov eax, cr0
    or eax, 1 << 31
    mov cr0, eax                        ; IA-32e mode, compatibility sub-mode
    mov ecx, 0xc0000080
    rdmsr
    test eax, 1 << 10
    jnz .lma
    FAIL 0x01
.lma:
    PUTS `compatibility mode\n`
    jmp 0x18:long64

    bits 64
long64:
    mov ax, 0x20
    mov ds, ax
    mov ss, ax
    mov rsp, STACK0
    call build_idt64
    mov eax, ist_handler
    mov [IDT_BASE + 0x30 * 16], ax
    shr eax, 16
    mov [IDT_BASE + 0x30 * 16 + 6], ax
    mov word [IDT_BASE + 0x30 * 16 + 2], 0x18
    mov word [IDT_BASE + 0x30 * 16 + 4], 0xee00     ; DPL 3 interrupt gate
    mov eax, ist_handler
    mov [IDT_BASE + 0x31 * 16], ax
    shr eax, 16
    mov [IDT_BASE + 0x31 * 16 + 6], ax
    mov word [IDT_BASE + 0x31 * 16 + 2], 0x18
    mov word [IDT_BASE + 0x31 * 16 + 4], 0xee01     ; DPL 3, IST 1
    PUTS `64-bit mode\n`
    mov rax, 0x123456789abcdef0
    ror rax, 32
    mov rbx, 0x9abcdef012345678
    CHK rax, rbx, 0x02
    ; a 64-bit TSS for RSP0 (0x7000) at 0x3000
    mov rdi, TSS64
    xor eax, eax
    mov ecx, 0x68 / 4
    rep stosd
    mov qword [TSS64 + 4], STACK0
    mov ax, 0x48
    ltr ax


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
