; run: i386 -cpu max -smp 2
; INIT and startup IPI for an application processor (Intel SDM vol. 3A 8.4.4): the AP
; waits until the x86-test IPI port sends INIT + SIPI with vector F0h, then starts in
; real mode at F000:0000 (the first byte of this image), reports its initial APIC ID
; (CPUID.1:EBX[31:24]) and halts; the BSP waits for it.
%include "sys.inc"
%define AP_FLAG (VARS + 0x200)
%define AP_ID (VARS + 0x204)
%define IPI_PORT 0x513
    org ROM_BASE
    bits 16
ap_entry:                               ; F000:0000, application processor
    xor ax, ax
    mov ds, ax
    mov eax, 1
    cpuid
    shr ebx, 24
    mov [AP_ID], ebx
    mov dword [AP_FLAG], 1
.halt:
    cli
    hlt
    jmp .halt

start:
    REAL_INIT
    mov eax, 1
    cpuid
    shr ebx, 16
    CHK bl, 2, 0x01                     ; two logical processors
    mov dword [AP_FLAG], 0
    mov al, 0xf0
    mov dx, IPI_PORT
    out dx, al
    mov ecx, 50000000
.wait:
    cmp dword [AP_FLAG], 1
    je .up
    a32 loop .wait
    FAIL 0x02
.up:
    CHK dword [AP_ID], 1, 0x03
    PUTS `AP started by INIT/SIPI\n`
    PASS

    RESET_VECTOR
