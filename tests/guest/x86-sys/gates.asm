; Privilege transitions in 32-bit protected mode (Intel SDM vol. 3A 5.8, 6.12, 7.3, 20.2):
; ring 3 -> ring 0 through a call gate with two parameters copied to the TSS stack and
; RETF 8 back; a conforming segment keeps CPL 3; INT through a DPL-3 trap gate (IF kept)
; and IRET; INT to a DPL-0 gate from ring 3 (#GP with the IDT error code); SYSENTER /
; SYSEXIT; a task switch by CALL through a task gate and back by IRET (NT, back link,
; busy bits); virtual-8086 mode entered by IRET and left by INT n (IOPL 3) with the
; v86 segment registers pushed on the ring-0 stack.
%include "sys.inc"
%define TSS_B 0x3400
%define STACK_B 0x6000
%define V_FLAG (VARS + 0x40)
%define V_P1 (VARS + 0x44)
%define V_P2 (VARS + 0x48)
%define V_SS (VARS + 0x4c)
%define V_ESP (VARS + 0x50)
%define V86_CODE 0x5000
    START_PM32
    SET_GATE32 0x30, trap30, 0xef       ; DPL 3 trap gate
    SET_GATE32 0x32, v86_exit, 0xee     ; DPL 3 interrupt gate (v86 INT n)
    mov dword [TSS_BASE + 4], STACK0
    mov dword [TSS_BASE + 8], 0x10
    mov word [TSS_BASE + 0x66], 0x68
    mov ax, 0x28
    ltr ax

    ; ---- call gate with two parameters from ring 3 ----
    call to_ring3
    push dword 0x1111
    push dword 0x2222
    mov ebx, esp
    call 0x3b:0                         ; call gate 0x38 (RPL 3)
after_gate:
    lea eax, [ebx + 8]
    CHK esp, eax, 0x10                  ; RETF 8 released the two parameters
    mov ax, cs
    CHK ax, 0x1b, 0x11
    CHK dword [V_P1], 0x2222, 0x12
    CHK dword [V_P2], 0x1111, 0x13
    CHK dword [V_SS], 0x10, 0x14
    ; ---- conforming code segment: CPL stays 3 ----
    call 0x43:conf_entry
    CHK dword [V_FLAG], 0x43, 0x15      ; CS inside: the selector with RPL = CPL 3
    ; ---- INT through a DPL-3 trap gate ----
    sti
    int 0x30
    cli
    CHK dword [V_FLAG], 0x30, 0x18
    ; ---- INT to a DPL-0 gate from ring 3 ----
    TRY
    int 0x21
    CATCH 13, 0x21 * 8 + 2, 0x1c

    ; ---- SYSENTER / SYSEXIT ----
    mov ecx, 0x174
    mov eax, 0x08
    xor edx, edx
    wrmsr
    mov ecx, 0x175
    mov eax, STACK0 - 0x100
    wrmsr
    mov ecx, 0x176
    mov eax, sysenter_entry
    wrmsr
    call to_ring3
    mov ecx, esp
    mov edx, after_sysexit
    sysenter
after_sysexit:
    mov ax, cs
    CHK ax, 0x1b, 0x20
    mov ax, ss
    CHK ax, 0x23, 0x21
    CHK dword [V_FLAG], 0x5e, 0x22
    ; back to ring 0 through the call gate's target, which we reuse as a "kernel" entry
    mov dword [V_RESUME], ring0_again
    int 0x21                            ; #GP -> resumes at ring 0
    FAIL 0x23
ring0_again:
    ; ---- task switch: CALL through a task gate, IRET back ----
    mov edi, TSS_B
    xor eax, eax
    mov ecx, 0x68 / 4
    rep stosd
    mov dword [TSS_B + 0x20], task_b    ; EIP
    mov dword [TSS_B + 0x24], 0x2       ; EFLAGS
    mov dword [TSS_B + 0x38], STACK_B   ; ESP
    mov dword [TSS_B + 0x4c], 0x08      ; CS
    mov dword [TSS_B + 0x50], 0x10      ; SS
    mov dword [TSS_B + 0x54], 0x10      ; DS
    mov dword [TSS_B + 0x48], 0x10      ; ES
    mov eax, cr3
    mov [TSS_B + 0x1c], eax
    mov eax, 0xaaaa
    call 0x58:0                         ; task gate -> TSS 0x50
    CHK eax, 0xaaaa, 0x30               ; our registers came back from our TSS
    CHK dword [V_FLAG], 0xb, 0x31
    mov eax, [GDT_BASE + 0x50 + 4]
    and eax, 0xf00
    CHK eax, 0x900, 0x32                ; task B is no longer busy
    mov eax, [GDT_BASE + 0x28 + 4]
    and eax, 0xf00
    CHK eax, 0xb00, 0x33                ; we are busy
    pushfd
    pop eax
    test eax, 1 << 14
    jz .nont
    FAIL 0x34
.nont:
    ; ---- virtual-8086 mode ----
    mov esi, v86_code
    mov edi, V86_CODE
    mov ecx, v86_code_end - v86_code
    rep movsb
    push dword 0                        ; GS
    push dword 0                        ; FS
    push dword 0x40                     ; DS
    push dword 0                        ; ES
    push dword 0x0                      ; SS
    push dword 0x7800                   ; SP
    push dword (1 << 17) | (3 << 12) | 2    ; VM, IOPL 3
    push dword V86_CODE >> 4            ; CS
    push dword 0                        ; IP
    iretd
v86_exit:                               ; INT 0x32 from v86 mode (ring 0, VM cleared)
    mov ax, 0x10
    mov ds, ax
    mov eax, [esp + 8]                  ; EFLAGS image
    test eax, 1 << 17
    jnz .vm
    FAIL 0x40
.vm:
    CHK dword [esp + 4], V86_CODE >> 4, 0x41    ; CS
    CHK dword [esp + 16], 0, 0x42               ; SS
    CHK dword [esp + 24], 0x40, 0x43            ; DS
    CHK ebx, 0x1234, 0x44
    mov ax, ds
    CHK ax, 0x10, 0x45
    CHK dword [0x400], 0x1234, 0x46     ; written by the v86 code at 0040:0000
    PUTS `gates, tasks and v86 ok\n`
    PASS

; ring-3 pieces
to_ring3:
    pop eax
    push dword 0x23
    push dword STACK3
    push dword 0x3002                   ; IOPL 3: ring 3 may report through the ports
    push dword 0x1b
    push eax
    iretd

gate_target:                            ; ring 0 through the call gate
    mov ax, 0x10
    mov ds, ax
    mov eax, [esp + 8]                  ; first parameter (pushed last)
    mov [V_P1], eax
    mov eax, [esp + 12]
    mov [V_P2], eax
    mov ax, ss
    movzx eax, ax
    mov [V_SS], eax
    CHK dword [esp + 4], 0x1b, 0x50     ; caller CS
    CHK dword [esp + 20], 0x23, 0x51    ; caller SS
    retf 8

conf_entry:                             ; conforming DPL-0 segment called from ring 3
    mov ax, cs
    movzx eax, ax
    mov [V_FLAG], eax
    retf

trap30:
    pushfd
    pop eax
    test eax, 1 << 9                    ; a trap gate keeps IF
    jnz .ok
    FAIL 0x52
.ok:
    mov dword [V_FLAG], 0x30
    iretd

sysenter_entry:
    mov ax, cs
    CHK ax, 0x08, 0x54
    mov eax, esp
    CHK eax, STACK0 - 0x100, 0x55
    mov dword [V_FLAG], 0x5e
    sysexit

task_b:
    pushfd
    pop eax
    test eax, 1 << 14                   ; NT: nested
    jnz .nt
    FAIL 0x58
.nt:
    movzx eax, word [TSS_B]             ; back link = our caller's TSS
    CHK eax, 0x28, 0x59
    mov eax, [GDT_BASE + 0x50 + 4]
    and eax, 0xf00
    CHK eax, 0xb00, 0x5a                ; busy
    mov dword [V_FLAG], 0xb
    mov eax, 0xbbbb
    iretd

    bits 16
v86_code:                               ; copied to 0500:0000, runs in v86 mode
    mov ax, 0x1234
    mov [0], ax                         ; DS = 0x40: linear 0x400
    mov bx, ax
    int 0x32
v86_code_end:

    bits 32
    STUBS32 0x10

    align 8
gdt_start:
    dq 0                                ; 0x00
    DESC 0, 0xfffff, A_CODE0, F_32      ; 0x08
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x10
    DESC 0, 0xfffff, A_CODE3, F_32      ; 0x18
    DESC 0, 0xfffff, A_DATA3, F_32      ; 0x20
    DESC TSS_BASE, 0x67, A_TSS32, 0     ; 0x28 task A
    dq 0                                ; 0x30
    dw gate_target - ROM_BASE           ; 0x38 call gate: 32-bit, DPL 3, 2 parameters
    dw 0x08
    db 2
    db 0xec
    dw (ROM_BASE >> 16)
    DESC 0, 0xfffff, 0x9f, F_32         ; 0x40 conforming code, DPL 0
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x48 (unused)
    DESC TSS_B, 0x67, A_TSS32, 0        ; 0x50 task B
    dw 0                                ; 0x58 task gate to 0x50, DPL 0
    dw 0x50
    db 0
    db 0x85
    dw 0
gdt_end:
gdtr: dw gdt_end - gdt_start - 1
      dd GDT_BASE

    RESET_VECTOR
