; run: x86_64 -cpu max
; Real mode -> protected mode -> IA-32e (compatibility, then 64-bit) with 4-level paging;
; non-canonical #GP, #PF with CR2 and error code, SYSCALL/SYSRET round trips to ring 3
; (64-bit and compatibility mode), INT through a DPL-3 gate with the TSS RSP0 stack and
; IRETQ back, then out of long mode to 32-bit protected mode (Intel SDM vol. 3A 9.8.5,
; 9.8.5.4, 6.14, AMD APM vol. 2 6.1).
%include "sys.inc"
%define TSS64 TSS_BASE
    org ROM_BASE
    bits 16
start:
    REAL_INIT
    TO_PM32
    TO_LONG64 0x40
    SET_GATE64 0x30, int30_handler, 0xee00          ; DPL 3 interrupt gate
    mov rax, 0x123456789abcdef0
    ror rax, 32
    mov rbx, 0x9abcdef012345678
    CHK rax, rbx, 0x02

    TRY                                 ; non-canonical address
    mov rax, 0x8000000000000000
    mov [rax], eax
    CATCH 13, 0, 0x10
    TRY                                 ; not present at the PDPT level
    mov eax, [0x40000000]
    CATCH 14, 0, 0x14
    CHK dword [V_CR2], 0x40000000, 0x17
    TRY                                 ; not present at the PML4 level (user write)
    mov rax, 0x8000000010
    mov dword [rax], 1
    CATCH 14, 2, 0x1c
    mov rax, cr2
    mov rbx, 0x8000000010
    CHK rax, rbx, 0x1f
    and qword [PD + 8], ~2              ; a 2 MiB page made read-only:
    invlpg [0x200000]
    mov dword [0x200010], 1             ; writable at CPL 0 while CR0.WP = 0
    mov rax, cr0
    or eax, 1 << 16
    mov cr0, rax
    TRY                                 ; CR0.WP = 1: #PF(P|W)
    mov dword [0x200010], 1
    CATCH 14, 3, 0x18
    CHK dword [V_CR2], 0x200010, 0x1b
    or qword [PD + 8], 2
    invlpg [0x200000]

    ; SYSCALL / SYSRET: STAR[47:32] = 0x18 (kernel CS, SS = 0x20), STAR[63:48] = 0x28
    ; (user: compat CS 0x28, SS 0x30, 64-bit CS 0x38)
    mov ecx, 0xc0000081
    xor eax, eax
    mov edx, (0x28 << 16) | 0x18
    wrmsr
    mov ecx, 0xc0000082                 ; LSTAR
    mov eax, syscall64
    xor edx, edx
    wrmsr
    mov ecx, 0xc0000083                 ; CSTAR
    mov eax, syscall_compat
    wrmsr
    mov ecx, 0xc0000084                 ; FMASK: clear IF, TF, AC
    mov eax, 0x40300
    wrmsr
    mov rsp, STACK3
    mov rcx, user64
    mov r11, 0x202
    o64 sysret

user64:
    pushfq                              ; RFLAGS = R11 & 3C7FD7H | 2
    pop rbx
    mov ax, cs
    CHK ax, 0x3b, 0x20
    mov ax, ss
    CHK ax, 0x33, 0x21
    CHK rbx, 0x202, 0x22
    int 0x30                            ; through the DPL-3 gate, stack from TSS.RSP0
after_int30:
    CHK dword [V_TMP], 0x30, 0x23
    mov ax, cs
    CHK ax, 0x3b, 0x24
    TRY                                 ; privileged instruction at CPL 3
    mov rax, cr3
    CATCH 13, 0, 0x25
    ; (the handler resumed at ring 0: go back to ring 3 and call the kernel)
    mov rsp, STACK3
    mov rcx, user64b
    mov r11, 0x2
    o64 sysret
user64b:
    syscall
after_syscall64:
    FAIL 0x28

syscall64:                              ; CPL 0, RCX = return RIP, R11 = RFLAGS
    mov ax, cs
    CHK ax, 0x18, 0x29
    mov rax, after_syscall64
    CHK rcx, rax, 0x2a
    CHK r11, 0x2, 0x2b
    ; SYSRET to compatibility mode (no REX.W): 32-bit user code
    mov ecx, user32
    mov r11, 0x2
    sysret

    bits 32
user32:
    mov ax, cs
    CHK ax, 0x2b, 0x30
    syscall                             ; from compatibility mode: CSTAR
after_syscall32:
    FAIL 0x31

    bits 64
syscall_compat:
    mov eax, after_syscall32
    CHK rcx, rax, 0x32
    mov ax, ss
    CHK ax, 0x20, 0x33
    PUTS `syscall round trips done\n`
    ; out of long mode: to compatibility mode (CS 0x08), paging off, LME off
    mov rsp, STACK0
    push 0x08
    push compat_out
    retfq
    bits 32
compat_out:
    mov eax, cr0
    and eax, ~(1 << 31)
    mov cr0, eax
    mov ecx, 0xc0000080
    rdmsr
    test eax, 1 << 10
    jz .nolma
    FAIL 0x38
.nolma:
    and eax, ~(1 << 8)
    wrmsr
    mov ax, 0x10
    mov ds, ax
    mov ss, ax
    PUTS `back in 32-bit protected mode\n`
    PASS

    bits 64
int30_handler:                          ; DPL-3 interrupt gate, ring 0 stack from RSP0
    mov ax, cs
    CHK ax, 0x18, 0x40
    mov rax, [rsp + 8]
    CHK rax, 0x3b, 0x41                 ; pushed CS
    mov rax, [rsp + 32]
    CHK rax, 0x33, 0x42                 ; pushed SS
    mov rax, rsp
    CHK rax, STACK0 - 40, 0x43          ; RSP0, 16-byte aligned, 5 qwords
    mov dword [V_TMP], 0x30
    iretq

    STUBS64 0x18

    align 8
gdt_start:
    dq 0                                ; 0x00
    DESC 0, 0xfffff, A_CODE0, F_32      ; 0x08 32-bit code, ring 0
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x10 data, ring 0
    DESC 0, 0xfffff, A_CODE0, F_64      ; 0x18 64-bit code, ring 0
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x20 data, ring 0 (SYSCALL SS)
    DESC 0, 0xfffff, A_CODE3, F_32      ; 0x28 32-bit code, ring 3
    DESC 0, 0xfffff, A_DATA3, F_32      ; 0x30 data, ring 3
    DESC 0, 0xfffff, A_CODE3, F_64      ; 0x38 64-bit code, ring 3
    DESC TSS64, 0x67, A_TSS32, 0        ; 0x40 64-bit TSS (16 bytes)
    dq 0
gdt_end:
gdtr: dw gdt_end - gdt_start - 1
      dd GDT_BASE

    RESET_VECTOR
